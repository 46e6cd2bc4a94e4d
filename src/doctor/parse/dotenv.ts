import type { EnvEntry } from '../types.js';

/**
 * `.env` files as Laravel (vlucas/phpdotenv) and Symfony (Dotenv) read them: `KEY=value`,
 * optional `export `, single- or double-quoted values (double quotes may span lines), `#` comments
 * (inline only after whitespace in unquoted values). Lines that are not assignments are skipped,
 * as both loaders skip them.
 */
export function parseDotenv(src: string): EnvEntry[] {
  const out: EnvEntry[] = [];
  const lines = src.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const m = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(raw);
    if (!m) continue;
    const line = i + 1;
    let rest = m[3]!;
    let value: string;
    if (rest.startsWith('"') || rest.startsWith("'")) {
      const q = rest[0]!;
      let body = rest.slice(1);
      let end = findClose(body, q);
      while (end === -1 && q === '"' && i + 1 < lines.length) {
        body += `\n${lines[++i]}`;
        end = findClose(body, q);
      }
      value = end === -1 ? body : body.slice(0, end);
      if (q === '"') value = value.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
    } else {
      rest = rest.replace(/\s+#.*$/, '');
      value = rest.trim();
    }
    out.push({ key: m[2]!, value, line, col: m[1]!.length + 1 });
  }
  return out;
}

function findClose(s: string, q: string): number {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === q) return i;
  }
  return -1;
}
