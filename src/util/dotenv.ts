import { LineMap } from './text.js';

/**
 * `.env` files, read the way the app's own loader reads them — the one reader for the Laravel
 * target (DB_CONNECTION), the Symfony/Doctrine target (DATABASE_URL, `%env()%`) and `zdd doctor`
 * (the app's settings, with the line each value is set on).
 *
 * - `phpdotenv` (Laravel's vlucas/phpdotenv 5): `KEY = value` (spaces around `=` allowed), optional
 *   `export `, names of letters, digits, `_` and `.`; unquoted values end at whitespace and `#`
 *   starts a comment anywhere in them; `'single'` is literal; `"double"` knows `\"` `\\` `\$` `\f`
 *   `\n` `\r` `\t` `\v` and may span lines; `${NAME}` (not `$NAME`) expands outside single quotes
 *   from earlier lines, and stays as written when NAME is not set.
 * - `symfony` (symfony/dotenv): `KEY=value` with nothing around `=`, optional `export `; unquoted
 *   values end at the line end, `#` starts a comment only after a space; quoted parts may span
 *   lines and be concatenated (`"a"'b'c`); `"double"` knows `\"` `\n` `\r`; `$NAME`, `${NAME}`,
 *   `${NAME:-default}`, `${NAME:=default}` expand outside single quotes (`\$` keeps the dollar), an
 *   unset NAME is empty; `$(command)` is kept as written (zdd runs nothing).
 *
 * A line the loader would refuse (a space in an unquoted value, an unknown escape, a missing quote
 * or `=`) gives no entry: the loader stops the app there, and no value of it can be trusted.
 * Variables of the process environment are not used: only `env` (earlier files) and the file itself.
 */

export type DotenvSyntax = 'phpdotenv' | 'symfony';

export interface DotenvEntry {
  key: string;
  /** The value the loader sets: quotes removed, escapes and variables resolved. */
  value: string;
  /** Where the key is written (1-based). */
  line: number;
  col: number;
}

export interface DotenvOptions {
  syntax: DotenvSyntax;
  /** Variables set before this file is read (earlier .env files), for `${NAME}`. */
  env?: ReadonlyMap<string, string>;
}

/** Every assignment of a .env file, in file order (a key set twice appears twice: the last one wins). */
export function parseDotenv(text: string, opts: DotenvOptions): DotenvEntry[] {
  const env = opts.env ?? new Map<string, string>();
  return opts.syntax === 'symfony' ? readSymfony(text, env) : readPhpdotenv(text, env);
}

/** The values of a parsed file (or of several, in load order): the last assignment of a key wins. */
export function dotenvValues(entries: Iterable<DotenvEntry>, into: Map<string, string> = new Map()): Map<string, string> {
  for (const e of entries) into.set(e.key, e.value);
  return into;
}

class Refused extends Error {}

// ---------------------------------------------------------------- vlucas/phpdotenv

/** A quote not escaped by a backslash (`\\` pairs removed first): a character other than `\` before a `"`. */
function unescapedQuotes(line: string): number {
  const s = line.replace(/\\\\/g, '');
  let n = 0;
  for (let i = 1; i < s.length; i++) if (s[i] === '"' && s[i - 1] !== '\\') n++;
  return n;
}

function readPhpdotenv(text: string, env: ReadonlyMap<string, string>): DotenvEntry[] {
  const lines = text.split(/\r\n|\n|\r/);
  const values = new Map(env);
  const out: DotenvEntry[] = [];
  for (let i = 0; i < lines.length; i++) {
    const first = i;
    let entry = lines[i]!;
    // A line with `="` whose quote does not close on it continues until a line with a closing quote.
    if (entry.includes('="') && unescapedQuotes(entry) <= 1) {
      let closed = false;
      while (i + 1 < lines.length) {
        const next = lines[++i]!;
        entry += `\n${next}`;
        if (next === '"' || unescapedQuotes(next) >= 1) {
          closed = true;
          break;
        }
      }
      if (!closed) break; // phpdotenv drops a value that never closes, and everything after it
    }
    const trimmed = entry.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    const eq = entry.indexOf('=');
    if (eq === -1) continue; // `NAME` alone unsets NAME: no value
    const rawName = entry.slice(0, eq);
    let name = rawName.trim();
    let col = rawName.length - rawName.trimStart().length + 1;
    if (name.length > 8 && name.startsWith('export') && /\s/.test(name[6]!)) {
      const rest = name.slice(6);
      col += 6 + rest.length - rest.trimStart().length;
      name = rest.trimStart();
    }
    if (name.length >= 3 && (name[0] === '"' || name[0] === "'") && name[name.length - 1] === name[0]) {
      name = name.slice(1, -1);
      col += 1;
    }
    if (!/^[A-Za-z0-9_.]+$/.test(name)) continue;
    let value: string;
    try {
      value = phpdotenvValue(entry.slice(eq + 1).trim(), values);
    } catch (e) {
      if (e instanceof Refused) continue;
      throw e;
    }
    values.set(name, value);
    out.push({ key: name, value, line: first + 1, col });
  }
  return out;
}

type State = 'initial' | 'unquoted' | 'single' | 'double' | 'escape' | 'whitespace' | 'comment';

const PHPDOTENV_TOKEN = /[\r\n]+|[^\S\r\n]+|\\|'|"|#|\$|[^\s\\'"#$]+/y;

/** phpdotenv's value grammar: a state machine over tokens; `$` positions outside single quotes may expand. */
function phpdotenvValue(raw: string, values: ReadonlyMap<string, string>): string {
  if (!raw) return '';
  let chars = '';
  const dollars: number[] = [];
  let state: State = 'initial';
  PHPDOTENV_TOKEN.lastIndex = 0;
  for (let m = PHPDOTENV_TOKEN.exec(raw); m; m = PHPDOTENV_TOKEN.exec(raw)) {
    const t = m[0];
    const space = /^\s+$/.test(t);
    switch (state) {
      case 'initial':
      case 'unquoted':
        if (t === '#') state = 'comment';
        else if (state === 'initial' && t === "'") state = 'single';
        else if (state === 'initial' && t === '"') state = 'double';
        else if (state === 'unquoted' && space) state = 'whitespace';
        else {
          if (t === '$') dollars.push(chars.length);
          chars += t;
          state = 'unquoted';
        }
        break;
      case 'single':
        if (t === "'") state = 'whitespace';
        else chars += t;
        break;
      case 'double':
        if (t === '"') state = 'whitespace';
        else if (t === '\\') state = 'escape';
        else {
          if (t === '$') dollars.push(chars.length);
          chars += t;
        }
        break;
      case 'escape': {
        const c = t[0]!;
        const control: Record<string, string> = { f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
        if (t === '"' || t === '\\' || t === '$') chars += t;
        else if (control[c]) chars += control[c] + t.slice(1);
        else throw new Refused('an unexpected escape sequence');
        state = 'double';
        break;
      }
      case 'whitespace':
        if (t === '#') state = 'comment';
        else if (!space) throw new Refused('unexpected whitespace');
        break;
      case 'comment':
        break;
    }
  }
  if (state === 'single' || state === 'double' || state === 'escape') throw new Refused('a missing closing quote');
  // the last `$` first, so earlier positions stay valid
  for (const at of dollars.reverse()) {
    const m = /^\$\{([A-Za-z0-9_.]+)\}/.exec(chars.slice(at));
    const v = m && values.get(m[1]!);
    if (m && v !== undefined) chars = chars.slice(0, at) + v + chars.slice(at + m[0].length);
  }
  return chars;
}

// ---------------------------------------------------------------- symfony/dotenv

function readSymfony(text: string, env: ReadonlyMap<string, string>): DotenvEntry[] {
  const data = text.replace(/\r\n?/g, '\n');
  const map = new LineMap(data);
  const values = new Map<string, string>();
  const out: DotenvEntry[] = [];
  let cur = 0;
  const end = data.length;

  const skipEmptyLines = (): void => {
    while (cur < end) {
      if (/\s/.test(data[cur]!)) cur++;
      else if (data[cur] === '#') {
        const nl = data.indexOf('\n', cur);
        cur = nl === -1 ? end : nl;
      } else break;
    }
  };

  const lookup = (name: string): string => values.get(name) ?? env.get(name) ?? '';

  const resolveVariables = (value: string): string => {
    if (!value.includes('$')) return value;
    return value.replace(/(?<!\\)(\\*)\$(?!\()(\{)?(_?[A-Za-z][A-Za-z0-9_]*)?(:[-=][^}]+)?(\})?/g, (all: string, slashes: string, open?: string, name?: string, dflt?: string, close?: string) => {
      if (slashes.length % 2 === 1) return all.slice(1);
      if (!name) return all;
      if (open && !close) throw new Refused('Unclosed braces on variable expansion');
      let v = lookup(name);
      if (v === '' && dflt) {
        if (/['"{$]/.test(dflt)) throw new Refused('Unsupported character in default value');
        v = dflt.slice(2);
        if (dflt[1] === '=') values.set(name, v);
      }
      if (!open && close) v += '}';
      return slashes + v;
    });
  };

  const lexValue = (): string => {
    const empty = /[ \t]*(?:#[^\n]*)?(?=\n|$)/y;
    empty.lastIndex = cur;
    const e = empty.exec(data);
    if (e) {
      cur += e[0].length;
      return '';
    }
    if (data[cur] === ' ' || data[cur] === '\t') throw new Refused('Whitespace are not supported before the value');
    let v = '';
    do {
      const c = data[cur];
      if (c === "'") {
        const close = data.indexOf("'", cur + 1);
        if (close === -1) throw new Refused('Missing quote to end the value');
        v += data.slice(cur + 1, close);
        cur = close + 1;
      } else if (c === '"') {
        let j = cur + 1;
        for (;;) {
          if (j >= end) throw new Refused('Missing quote to end the value');
          if (data[j] === '"' && !(data[j - 1] === '\\' && data[j - 2] !== '\\')) break;
          j++;
        }
        const raw = data.slice(cur + 1, j).replaceAll('\\"', '"').replaceAll('\\r', '\r').replaceAll('\\n', '\n');
        cur = j + 1;
        v += resolveVariables(raw).replaceAll('\\\\', '\\');
      } else {
        let value = '';
        let prev = data[cur - 1];
        let command = false;
        while (cur < end && data[cur] !== '\n' && data[cur] !== '"' && data[cur] !== "'" && !((prev === ' ' || prev === '\t') && data[cur] === '#')) {
          if (data[cur] === '\\' && (data[cur + 1] === '"' || data[cur + 1] === "'")) cur++;
          value += prev = data[cur]!;
          if (data[cur] === '$' && data[cur + 1] === '(') {
            // $(command): kept as written, balanced parentheses on one line
            let depth = 0;
            let j = cur + 1;
            for (; ; j++) {
              if (j >= end || data[j] === '\n') throw new Refused('Missing closing parenthesis');
              if (data[j] === '(') depth++;
              else if (data[j] === ')' && --depth === 0) break;
            }
            value += data.slice(cur + 1, j + 1);
            cur = j;
            command = true;
          }
          cur++;
        }
        value = value.replace(/[ \t\n\r\0\v]+$/, '');
        const resolved = resolveVariables(value).replaceAll('\\\\', '\\');
        if (resolved === value && !command && /\s/.test(value)) throw new Refused('A value containing spaces must be surrounded by quotes');
        v += resolved;
        if (cur < end && data[cur] === '#') break;
      }
    } while (cur < end && data[cur] !== '\n');
    return v;
  };

  skipEmptyLines();
  while (cur < end) {
    try {
      const name = /(export[ \t]+)?(_?[A-Za-z][A-Za-z0-9_]*)/y;
      name.lastIndex = cur;
      const m = name.exec(data);
      if (!m) throw new Refused('Invalid character in variable name');
      const keyAt = cur + (m[1]?.length ?? 0);
      cur += m[0].length;
      if (cur === end || data[cur] === '\n' || data[cur] === '#') {
        if (!m[1]) throw new Refused('Missing = in the environment variable declaration');
        // `export NAME` alone: a check that NAME is set, no value
      } else {
        if (data[cur] !== '=') throw new Refused('Missing = in the environment variable declaration');
        cur++;
        const value = lexValue();
        values.set(m[2]!, value);
        const pos = map.position(keyAt);
        out.push({ key: m[2]!, value, line: pos.line, col: pos.col });
      }
    } catch (e) {
      if (!(e instanceof Refused)) throw e;
      const nl = data.indexOf('\n', cur);
      cur = nl === -1 ? end : nl + 1;
    }
    skipEmptyLines();
  }
  return out;
}
