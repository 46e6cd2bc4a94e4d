import { shellActions } from '../actions.js';
import type { ImageStart } from '../types.js';
import type { SourceContext } from './context.js';

/**
 * Dockerfiles: the start command of the final stage (ENTRYPOINT followed by CMD, exec form as a
 * JSON array or shell form run by `/bin/sh -c`), as Docker combines them. Only what a container
 * runs when it starts matters here.
 */
export function readDockerfile(path: string, text: string, ctx: SourceContext): ImageStart | undefined {
  const lines = text.split(/\r?\n/);
  let entry: { words: string[]; line: number; shell: boolean } | undefined;
  let cmd: { words: string[]; line: number; shell: boolean } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i]!;
    while (/\\\s*$/.test(line) && i + 1 < lines.length) line = `${line.replace(/\\\s*$/, '')} ${lines[++i]!.trim()}`;
    const m = /^\s*(FROM|ENTRYPOINT|CMD)\s+(.*)$/i.exec(line);
    if (!m) continue;
    const kw = m[1]!.toUpperCase();
    if (kw === 'FROM') {
      // a new stage starts with nothing of the previous one's start command
      entry = undefined;
      cmd = undefined;
      continue;
    }
    const arg = m[2]!.trim();
    let value: { words: string[]; line: number; shell: boolean };
    if (arg.startsWith('[')) {
      try {
        const parsed = JSON.parse(arg) as unknown;
        if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string')) throw new Error('not an array of strings');
        value = { words: parsed, line: start + 1, shell: false };
      } catch (e) {
        ctx.problems.push({ file: path, line: start + 1, message: `cannot read ${kw}: ${(e as Error).message} (zdd doctor did not check it)`, unparsed: 'part' });
        continue;
      }
    } else value = { words: ['/bin/sh', '-c', arg], line: start + 1, shell: true };
    if (kw === 'ENTRYPOINT') {
      entry = value;
      cmd = undefined; // ENTRYPOINT resets an inherited CMD
    } else cmd = value;
  }
  const words = [...(entry?.words ?? []), ...(entry?.shell ? [] : cmd?.words ?? [])];
  const at = entry ?? cmd;
  if (!at || !words.length) return undefined;
  const quote = (w: string): string => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);
  const loc = { file: path, line: at.line, col: 1 };
  const actions = shellActions(words.map(quote).join(' '), { file: path, where: `${path} ${entry ? 'ENTRYPOINT' : 'CMD'}`, map: () => ({ line: loc.line, col: loc.col }) }).actions;
  return { file: path, loc, words, actions };
}
