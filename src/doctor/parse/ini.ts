import type { IniSection } from '../types.js';

/**
 * php-fpm configuration and php.ini: `[section]` headers, `key = value` lines, `;` and `#` comments
 * (php-fpm reads its files with PHP's INI scanner). Keys keep their brackets
 * (`php_admin_value[opcache.validate_timestamps]`). Entries before any header belong to the
 * section named ''. A line that is none of these is a syntax error (php-fpm refuses to start on it).
 */
export function parseIni(src: string): { sections: IniSection[] } | { error: { message: string; line: number; col: number } } {
  const sections: IniSection[] = [{ name: '', line: 1, entries: [] }];
  const lines = src.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const text = raw.trim();
    if (!text || text.startsWith(';') || text.startsWith('#')) continue;
    const header = /^\[([^\]]+)\]\s*(?:[;#].*)?$/.exec(text);
    if (header) {
      sections.push({ name: header[1]!.trim(), line: i + 1, entries: [] });
      continue;
    }
    const eq = raw.indexOf('=');
    if (eq === -1) return { error: { message: `expected "key = value" or "[section]", found "${text.slice(0, 40)}"`, line: i + 1, col: raw.length - raw.trimStart().length + 1 } };
    const key = raw.slice(0, eq).trim();
    if (!key) return { error: { message: 'a value without a key', line: i + 1, col: eq + 1 } };
    let value = raw.slice(eq + 1).trim();
    const q = /^(["'])(.*)\1\s*(?:;.*)?$/.exec(value);
    if (q) value = q[2]!;
    else value = value.replace(/\s+;.*$/, '').trim();
    sections[sections.length - 1]!.entries.push({ key, value, line: i + 1, col: raw.length - raw.trimStart().length + 1 });
  }
  return { sections: sections.filter((s, i) => i > 0 || s.entries.length) };
}
