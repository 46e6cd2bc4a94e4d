/** Maps character offsets in a text to 1-based line and column numbers. */
export class LineMap {
  private readonly starts: number[];

  constructor(text: string) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.starts = starts;
  }

  position(offset: number): { line: number; col: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - this.starts[lo]! + 1 };
  }
}

/** Natural ("numeric-aware") comparison, so V2__x.sql sorts before V10__x.sql. */
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });
export function naturalCompare(a: string, b: string): number {
  return collator.compare(a, b);
}

/** One line of text for messages: collapses whitespace and shortens. */
export function oneLine(text: string, max = 160): string {
  // a long text (a CREATE TABLE of a schema dump) is cut anyway: flatten only its start. Flattening
  // a prefix gives a prefix of the whole text's flattening, and past max + 1 characters the cut
  // is the same.
  if (text.length > 4 * max + 64) {
    const head = text.slice(0, 4 * max).replace(/\s+/g, ' ').trimStart();
    if (head.length >= max + 2) return `${head.slice(0, max - 1)}…`;
  }
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Quote for a single-quoted SQL string literal. */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Quote for a single-quoted PHP string literal. */
export function phpString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

const SIMPLE_IDENT = /^[a-z_][a-z0-9_]*$/;
const RESERVED_IDENT = new Set(['user', 'order', 'group', 'table', 'select', 'key', 'default', 'check', 'index', 'primary', 'references', 'column', 'desc', 'limit', 'from', 'to', 'where']);

/** An SQL identifier, quoted only when it needs to be (PostgreSQL "x", MySQL `x`). */
export function sqlIdent(name: string, dialect: 'postgres' | 'mysql' | 'mariadb'): string {
  if (SIMPLE_IDENT.test(name) && !RESERVED_IDENT.has(name)) return name;
  return dialect === 'postgres' ? `"${name.replace(/"/g, '""')}"` : `\`${name.replace(/`/g, '``')}\``;
}
