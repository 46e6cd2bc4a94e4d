import { shellActions } from '../actions.js';
import { parseIni } from '../parse/ini.js';
import type { DeployFlow } from '../types.js';
import type { SourceContext } from './context.js';

/**
 * supervisord configuration (`supervisord.conf`, `conf.d/*.conf`), read as supervisord reads it
 * (Python's ConfigParser: `parseIni`'s `configparser` flavour): each `[program:name]` section's
 * `command` becomes a flow, the commands supervisord starts. When an image's start command is
 * supervisord, these run every time its container starts (project.ts marks them so).
 */
export function supervisorFlows(path: string, text: string, ctx: SourceContext): DeployFlow[] {
  const parsed = parseIni(text, 'configparser');
  if ('error' in parsed) {
    ctx.problems.push({ file: path, line: parsed.error.line, message: `cannot parse supervisord config: ${parsed.error.message}`, unparsed: 'file' });
    return [];
  }
  const lines = text.split(/\r?\n/);
  const flows: DeployFlow[] = [];
  for (const section of parsed.sections) {
    const program = /^program:(.+)$/.exec(section.name)?.[1]?.trim();
    const entry = program ? section.entries.find((e) => e.key === 'command') : undefined;
    if (!program || !entry) continue;
    // supervisord runs the command itself (no shell): its words, continuation lines joined into one
    const command = entry.value.replace(/\n/g, ' ');
    const first = entry.value.split('\n')[0]!;
    const at = { line: entry.line, col: (lines[entry.line - 1] ?? '').indexOf(first, entry.col - 1 + entry.key.length) + 1 };
    const r = shellActions(command, { file: path, where: `program ${program}`, map: (_l, c) => ({ line: at.line, col: at.col + c - 1 }) });
    if (r.error) ctx.problems.push({ file: path, line: at.line, message: `cannot parse the command of program ${program}: ${r.error.message}`, unparsed: 'part' });
    flows.push({ name: `${path}: program ${program}`, source: 'supervisor', file: path, actions: r.actions, syntax: 'shell' });
  }
  return flows;
}
