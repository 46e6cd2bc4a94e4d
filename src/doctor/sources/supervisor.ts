import { shellActions } from '../actions.js';
import type { DeployFlow } from '../types.js';
import type { SourceContext } from './context.js';

/**
 * supervisord configuration (`supervisord.conf`, `conf.d/*.conf`): each `[program:name]` section's
 * `command` becomes a flow, the commands supervisord starts. When an image's start command is
 * supervisord, these run every time its container starts (project.ts marks them so).
 *
 * The file is read as supervisord reads it (Python's ConfigParser): `[section]` headers, `key=value`
 * or `key: value`, a value continued on the following lines that start with whitespace, `;` and
 * `#` comments on lines of their own, and ` ;` starting an inline comment.
 */
export function supervisorFlows(path: string, text: string, ctx: SourceContext): DeployFlow[] {
  const flows: DeployFlow[] = [];
  const lines = text.split(/\r?\n/);
  let program: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header) {
      const m = /^program:(.+)$/.exec(header[1]!.trim());
      program = m ? m[1]!.trim() : undefined;
      continue;
    }
    if (!program) continue;
    const kv = /^(command)\s*[=:]\s?(.*)$/.exec(line);
    if (!kv) continue;
    // the value, with its continuation lines; an inline ` ;` comment ends a line's part
    const col = line.length - kv[2]!.length + 1;
    const parts: Array<{ text: string; line: number; col: number }> = [{ text: stripComment(kv[2]!), line: i + 1, col }];
    while (i + 1 < lines.length && /^[ \t]+\S/.test(lines[i + 1]!) && !/^\s*[;#]/.test(lines[i + 1]!)) {
      i++;
      const l = lines[i]!;
      const start = l.length - l.trimStart().length;
      parts.push({ text: stripComment(l.slice(start)), line: i + 1, col: start + 1 });
    }
    // supervisord runs the command itself (no shell): its words, one line
    const command = parts.map((p) => p.text.trim()).join(' ');
    const at = parts[0]!;
    const r = shellActions(command, { file: path, where: `program ${program}`, map: (_l, c) => ({ line: at.line, col: at.col + c - 1 }) });
    if (r.error) ctx.problems.push({ file: path, line: at.line, message: `cannot parse the command of program ${program}: ${r.error.message}`, unparsed: 'part' });
    flows.push({ name: `${path}: program ${program}`, source: 'supervisor', file: path, actions: r.actions, syntax: 'shell' });
  }
  return flows;
}

/** A value without its inline comment (` ;` and what follows). */
function stripComment(value: string): string {
  const at = value.search(/\s;/);
  return at === -1 ? value : value.slice(0, at);
}
