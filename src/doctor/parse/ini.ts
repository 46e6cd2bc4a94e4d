import type { IniEntry, IniSection } from '../types.js';

/**
 * php-fpm configuration and php.ini: `[section]` headers, `key = value` lines, `;` and `#` comments
 * (php-fpm reads its files with PHP's INI scanner). Keys keep their brackets
 * (`php_admin_value[opcache.validate_timestamps]`). Entries before any header belong to the
 * section named ''. A line that is none of these is a syntax error (php-fpm refuses to start on it).
 *
 * `configparser`: the syntax of Python's ConfigParser, which supervisord reads its files with —
 * `key: value` too, a value continued on the following indented lines (joined with newlines),
 * quotes kept as written.
 */
export function parseIni(src: string, flavour: 'php' | 'configparser' = 'php'): { sections: IniSection[] } | { error: { message: string; line: number; col: number } } {
  const sections: IniSection[] = [{ name: '', line: 1, entries: [] }];
  const lines = src.split(/\r?\n/);
  const python = flavour === 'configparser';
  let last: IniEntry | undefined;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const text = raw.trim();
    if (!text || text.startsWith(';') || text.startsWith('#')) continue;
    if (python && last && /^[ \t]/.test(raw)) {
      last.value += `\n${text.replace(/\s+;.*$/, '')}`;
      continue;
    }
    last = undefined;
    const header = /^\[([^\]]+)\]\s*(?:[;#].*)?$/.exec(text);
    if (header) {
      sections.push({ name: header[1]!.trim(), line: i + 1, entries: [] });
      continue;
    }
    const eq = python ? raw.search(/[=:]/) : raw.indexOf('=');
    if (eq === -1) return { error: { message: `expected "key = value" or "[section]", found "${text.slice(0, 40)}"`, line: i + 1, col: raw.length - raw.trimStart().length + 1 } };
    const key = raw.slice(0, eq).trim();
    if (!key) return { error: { message: 'a value without a key', line: i + 1, col: eq + 1 } };
    let value = raw.slice(eq + 1).trim();
    const q = python ? null : /^(["'])(.*)\1\s*(?:;.*)?$/.exec(value);
    if (q) value = q[2]!;
    else value = value.replace(/\s+;.*$/, '').trim();
    last = { key, value, line: i + 1, col: raw.length - raw.trimStart().length + 1 };
    sections[sections.length - 1]!.entries.push(last);
  }
  return { sections: sections.filter((s, i) => i > 0 || s.entries.length) };
}
