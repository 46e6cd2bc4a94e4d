import type { Dialect } from '../../ir/types.js';

/** Tokens of one SQL statement, for the keyword classifier and for cutting original text spans. */
export type TokenType = 'word' | 'ident' | 'string' | 'number' | 'punct' | 'dollar' | 'param';

export interface Token {
  type: TokenType;
  /** Raw text as written. */
  raw: string;
  /** Upper-cased word (type 'word') or unquoted identifier/string content. */
  value: string;
  start: number;
  end: number;
}

const isWordStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;
const isWordChar = (c: number): boolean => isWordStart(c) || (c >= 48 && c <= 57) || c === 36;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;

export function lexSql(sql: string, dialect: Dialect): Token[] {
  const mysql = dialect !== 'postgres';
  const tokens: Token[] = [];
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (c <= 32) {
      i++;
      continue;
    }
    // comments
    if ((c === 45 && sql.charCodeAt(i + 1) === 45) || (c === 35 && mysql)) {
      const eol = sql.indexOf('\n', i);
      i = eol === -1 ? n : eol + 1;
      continue;
    }
    if (c === 47 && sql.charCodeAt(i + 1) === 42) {
      const close = sql.indexOf('*/', i + 2);
      i = close === -1 ? n : close + 2;
      continue;
    }
    const start = i;
    // E'…' escape strings (PG), N'…', X'…', B'…' prefixes
    if (isWordStart(c) && sql.charCodeAt(i + 1) === 39 && /[eEnNxXbB]/.test(sql[i]!)) {
      i++;
    }
    const q = sql.charCodeAt(i);
    if (q === 39 || q === 34 || (q === 96 && mysql)) {
      const backslash = (mysql && q !== 96) || (i > start);
      // the run up to the first quote or backslash is the value as written: one slice, not a
      // character at a time (a dump's every name is quoted); the loop takes over from there
      let j = i + 1;
      while (j < n) {
        const d = sql.charCodeAt(j);
        if (d === q || (backslash && d === 92)) break;
        j++;
      }
      let value = sql.slice(i + 1, j);
      while (j < n) {
        const d = sql.charCodeAt(j);
        if (backslash && d === 92) {
          value += sql[j + 1] ?? '';
          j += 2;
          continue;
        }
        if (d === q) {
          if (sql.charCodeAt(j + 1) === q) {
            value += sql[j];
            j += 2;
            continue;
          }
          j++;
          break;
        }
        value += sql[j];
        j++;
      }
      const type: TokenType = q === 39 || (q === 34 && mysql) ? 'string' : 'ident';
      tokens.push({ type, raw: sql.slice(start, j), value, start, end: j });
      i = j;
      continue;
    }
    if (c === 36 && !mysql) {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 64));
      if (m) {
        const close = sql.indexOf(m[0], i + m[0].length);
        const end = close === -1 ? n : close + m[0].length;
        tokens.push({ type: 'dollar', raw: sql.slice(i, end), value: sql.slice(i + m[0].length, close === -1 ? n : close), start, end });
        i = end;
        continue;
      }
      const p = /^\$\d+/.exec(sql.slice(i, i + 12));
      if (p) {
        tokens.push({ type: 'param', raw: p[0], value: p[0], start, end: i + p[0].length });
        i += p[0].length;
        continue;
      }
    }
    if (isWordStart(c)) {
      let j = i + 1;
      while (j < n && isWordChar(sql.charCodeAt(j))) j++;
      const raw = sql.slice(i, j);
      tokens.push({ type: 'word', raw, value: raw.toUpperCase(), start, end: j });
      i = j;
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(sql.charCodeAt(i + 1)))) {
      let j = i + 1;
      while (j < n && (isDigit(sql.charCodeAt(j)) || sql[j] === '.' || sql[j] === 'e' || sql[j] === 'E')) j++;
      tokens.push({ type: 'number', raw: sql.slice(i, j), value: sql.slice(i, j), start, end: j });
      i = j;
      continue;
    }
    if (c === 58 && sql.charCodeAt(i + 1) === 58) {
      tokens.push({ type: 'punct', raw: '::', value: '::', start, end: i + 2 });
      i += 2;
      continue;
    }
    if (c === 63 || (c === 58 && isWordStart(sql.charCodeAt(i + 1)))) {
      // ? and :name placeholders (PDO)
      let j = i + 1;
      if (c === 58) while (j < n && isWordChar(sql.charCodeAt(j))) j++;
      tokens.push({ type: 'param', raw: sql.slice(i, j), value: sql.slice(i, j), start, end: j });
      i = j;
      continue;
    }
    tokens.push({ type: 'punct', raw: sql[i]!, value: sql[i]!, start, end: i + 1 });
    i++;
  }
  return tokens;
}

/** A cursor over tokens with keyword helpers, for small hand-written grammars. */
export class TokenCursor {
  pos = 0;
  constructor(readonly tokens: Token[], readonly sql: string) {}

  get done(): boolean {
    return this.pos >= this.tokens.length;
  }
  peek(k = 0): Token | undefined {
    return this.tokens[this.pos + k];
  }
  next(): Token | undefined {
    return this.tokens[this.pos++];
  }
  /** True if the next tokens are these keywords (consumes them). */
  accept(...words: string[]): boolean {
    for (let k = 0; k < words.length; k++) {
      const t = this.tokens[this.pos + k];
      if (!t || t.type !== 'word' || t.value !== words[k]) return false;
    }
    this.pos += words.length;
    return true;
  }
  is(...words: string[]): boolean {
    for (let k = 0; k < words.length; k++) {
      const t = this.tokens[this.pos + k];
      if (!t || t.type !== 'word' || t.value !== words[k]) return false;
    }
    return true;
  }
  acceptPunct(p: string): boolean {
    const t = this.peek();
    if (t && t.type === 'punct' && t.value === p) {
      this.pos++;
      return true;
    }
    return false;
  }
  /** An identifier: bare word or quoted; returns its unquoted value (bare words keep their case). */
  identifier(): string | undefined {
    const t = this.peek();
    if (!t) return undefined;
    if (t.type === 'ident' || (t.type === 'string')) {
      this.pos++;
      return t.value;
    }
    if (t.type === 'word') {
      this.pos++;
      return t.raw;
    }
    return undefined;
  }
  /** A possibly qualified name `a.b.c`; returns the parts. */
  qualifiedName(): string[] | undefined {
    const first = this.identifier();
    if (first === undefined) return undefined;
    const parts = [first];
    while (this.peek()?.value === '.' && this.peek()?.type === 'punct') {
      this.pos++;
      const p = this.identifier();
      if (p === undefined) break;
      parts.push(p);
    }
    return parts;
  }
  /**
   * Skips a balanced parenthesised group starting at the current `(`: the index of that `(` and of
   * its closing `)` (the token count when the group does not close). A group never fails to close
   * for the grammar: `parseMysqlWithGrammar` refuses a statement whose parentheses do not balance
   * before it reads any, and its sub-cursors split only at top-level commas.
   */
  private skipGroup(): { open: number; close: number } | undefined {
    const first = this.peek();
    if (!first || first.value !== '(' || first.type !== 'punct') return undefined;
    const open = this.pos;
    let depth = 0;
    while (this.pos < this.tokens.length) {
      const t = this.tokens[this.pos++]!;
      if (t.type === 'punct' && t.value === '(') depth++;
      else if (t.type === 'punct' && t.value === ')' && --depth === 0) return { open, close: this.pos - 1 };
    }
    return { open, close: this.tokens.length };
  }
  /** Skips a balanced parenthesised group starting at the current `(`; returns its inner text. */
  parenGroup(): string | undefined {
    const g = this.skipGroup();
    if (!g) return undefined;
    return this.sql.slice(this.tokens[g.open]!.end, this.tokens[g.close]?.start);
  }
  /**
   * Like `parenGroup`, but the group's inner tokens (offsets into this cursor's `sql`) rather than
   * its text: the same tokens lexing that text gives (a token never spans the closing `)`, and
   * the lexer looks one character ahead only for what `)` and the end of text both fail), without
   * lexing it a second time.
   */
  parenTokens(): Token[] | undefined {
    const g = this.skipGroup();
    return g && this.tokens.slice(g.open + 1, g.close);
  }
  /** Text from token index `from` (inclusive) up to the current position (exclusive). */
  textFrom(from: number): string {
    const a = this.tokens[from];
    const b = this.tokens[this.pos - 1];
    if (!a || !b || this.pos <= from) return '';
    return this.sql.slice(a.start, b.end);
  }
  /**
   * Splits the rest of the statement at top-level commas; returns token-index ranges [start, end).
   */
  splitTopLevel(sep = ','): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    let depth = 0;
    let start = this.pos;
    for (let k = this.pos; k < this.tokens.length; k++) {
      const t = this.tokens[k]!;
      if (t.type !== 'punct') continue;
      if (t.value === '(') depth++;
      else if (t.value === ')') depth--;
      else if (t.value === sep && depth === 0) {
        out.push([start, k]);
        start = k + 1;
      }
    }
    if (start < this.tokens.length) out.push([start, this.tokens.length]);
    return out;
  }
}

const WHERE_END = new Set(['ORDER', 'LIMIT', 'RETURNING', 'GROUP', 'HAVING', 'OFFSET', 'FOR', 'UNION']);

/**
 * The columns an UPDATE/DELETE's WHERE pins to one value (`col = literal | placeholder`), when the
 * WHERE is a plain AND of conditions at its top level; undefined for no WHERE or a top-level OR.
 */
export function whereEqualities(sql: string, dialect: Dialect, table?: string, lexed?: Token[]): string[] | undefined {
  const tokens = lexed ?? lexSql(sql, dialect);
  let depth = 0;
  let start = -1;
  let end = tokens.length;
  let froms = 0;
  let multiTable = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === 'punct' && t.raw === '(') depth++;
    else if (t.type === 'punct' && t.raw === ')') depth--;
    else if (depth === 0 && start === -1 && t.type === 'punct' && t.raw === ',') multiTable = true; // UPDATE t1, t2 SET … / DELETE t1, t2 FROM …
    else if (depth === 0 && t.type === 'word') {
      if (start === -1 && t.value === 'WHERE') start = i + 1;
      else if (start === -1 && (t.value === 'JOIN' || t.value === 'USING')) multiTable = true;
      else if (start === -1 && t.value === 'FROM') froms++;
      else if (start !== -1 && WHERE_END.has(t.value)) {
        end = i;
        break;
      }
    }
  }
  // other tables in the statement (UPDATE … FROM, DELETE … USING, joins): a key of theirs pins nothing here
  const verb = tokens[0]?.value;
  if (start === -1 || multiTable || (verb === 'UPDATE' && froms > 0) || (verb === 'DELETE' && (froms > 1 || tokens[1]?.value !== 'FROM'))) return undefined;
  const cols = new Set<string>();
  let conjunct: Token[] = [];
  const take = (): void => {
    // col = value | value = col, the column possibly qualified (t.col)
    const eq = conjunct.findIndex((t) => t.type === 'punct' && t.raw === '=');
    if (eq === -1 || conjunct.length > 5) return;
    const value = (ts: Token[]): boolean => ts.length === 1 && (ts[0]!.type === 'string' || ts[0]!.type === 'number' || ts[0]!.type === 'param' || (ts[0]!.type === 'word' && (ts[0]!.value === 'TRUE' || ts[0]!.value === 'FALSE')));
    const column = (ts: Token[]): string | undefined => {
      const names = ts.filter((t) => !(t.type === 'punct' && t.raw === '.'));
      if (!names.length || names.length > 2 || names.length * 2 - 1 !== ts.length || !names.every((t) => t.type === 'word' || t.type === 'ident')) return undefined;
      const text = (t: Token): string => (t.type === 'ident' ? t.value : t.raw);
      // t.col counts only when t is the written table (an alias or another table's key pins nothing)
      if (names.length === 2 && (!table || text(names[0]!).toLowerCase() !== table.toLowerCase())) return undefined;
      return text(names[names.length - 1]!);
    };
    const [l, r] = [conjunct.slice(0, eq), conjunct.slice(eq + 1)];
    const c = value(r) ? column(l) : value(l) ? column(r) : undefined;
    if (c) cols.add(c.toLowerCase());
  };
  depth = 0;
  for (const t of tokens.slice(start, end)) {
    if (t.type === 'punct' && t.raw === ';') break;
    if (t.type === 'punct' && t.raw === '(') depth++;
    if (t.type === 'punct' && t.raw === ')') depth--;
    if (depth === 0 && t.type === 'word' && t.value === 'OR') return undefined;
    if (depth === 0 && t.type === 'word' && t.value === 'AND') {
      take();
      conjunct = [];
    } else conjunct.push(t);
  }
  take();
  return [...cols];
}
