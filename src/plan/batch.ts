import type { ColumnDef, Dialect } from '../ir/types.js';
import { q } from '../lint/rule-kit.js';
import { lexSql, type Token } from '../readers/sql/lex.js';
import type { TableState } from '../schema/replay.js';

/**
 * Batched backfills: a data change walks the table's integer key in ranges, one short transaction
 * per range, so no statement holds row locks on the whole table and replicas keep up. The batch's
 * statement carries `{from}` and `{to}`: the deploy fills in each range [from, to).
 */

export const FROM = '{from}';
export const TO = '{to}';

const INTEGER_TYPES = new Set(['smallint', 'integer', 'int', 'bigint', 'mediumint', 'tinyint', 'serial', 'bigserial', 'smallserial']);

/** The integer key batches walk: the table's single-column integer primary key, else `id`. */
export function batchKey(table: TableState | undefined): { key: string; known: boolean } {
  if (table) {
    const pk = [...table.constraints.values()].find((c) => c.type === 'primary');
    const cols: Array<ColumnDef | undefined> = pk ? pk.columns.map((c) => table.columns.get(c.toLowerCase())) : [...table.columns.values()].filter((c) => c.primaryKey);
    if (cols.length === 1 && cols[0] && INTEGER_TYPES.has(cols[0].type.name)) return { key: cols[0].name, known: true };
  }
  return { key: 'id', known: false };
}

/** `AND t.key >= {from} AND t.key < {to}`-style range for a batch. */
export function rangePredicate(qualifier: string | undefined, key: string, d: Dialect): string {
  const k = qualifier ? `${qualifier}.${q(key, d)}` : q(key, d);
  return `${k} >= ${FROM} AND ${k} < ${TO}`;
}

const TRAILING = new Set(['RETURNING', 'ORDER', 'LIMIT', 'USING', 'JOIN', 'FROM', 'GROUP', 'HAVING', 'WINDOW', 'ON']);

/**
 * Rewrites a single-table `UPDATE … [WHERE …]` or `DELETE FROM … [WHERE …]` into one batch of key
 * range [from, to): the WHERE condition is kept, parenthesised, and the range is added. Statements
 * zdd cannot batch safely (joins, UPDATE … FROM, ORDER BY/LIMIT, RETURNING, CTEs, INSERT … SELECT)
 * return the reason instead.
 */
export function batchStatement(sql: string, d: Dialect, key: string): { sql: string } | { reason: string } {
  const toks = lexSql(sql, d);
  const word = (i: number): string | undefined => (toks[i]?.type === 'word' ? toks[i]!.value : undefined);
  const head = word(0);
  if (head !== 'UPDATE' && head !== 'DELETE') return { reason: `only UPDATE and DELETE are batched (this is ${head ?? 'not a statement zdd can read'})` };
  let i = 1;
  if (head === 'DELETE') {
    if (word(i) !== 'FROM') return { reason: 'a multi-table DELETE cannot be batched automatically' };
    i++;
  }
  if (word(i) === 'ONLY') i++;
  // the table name: ident/word, possibly schema-qualified
  const nameStart = i;
  if (!toks[i] || (toks[i]!.type !== 'word' && toks[i]!.type !== 'ident')) return { reason: 'the table name could not be read' };
  i++;
  while (toks[i]?.type === 'punct' && toks[i]!.raw === '.' && toks[i + 1]) i += 2;
  const tableText = sql.slice(toks[nameStart]!.start, toks[i - 1]!.end);
  let alias: string | undefined;
  if (word(i) === 'AS') i++;
  const maybeAlias = toks[i];
  if (maybeAlias && (maybeAlias.type === 'ident' || (maybeAlias.type === 'word' && !['SET', 'WHERE', ...TRAILING].includes(maybeAlias.value)))) {
    alias = maybeAlias.raw;
    i++;
  }
  if (head === 'UPDATE' && word(i) !== 'SET') return { reason: 'a multi-table UPDATE cannot be batched automatically' };
  // find the top-level WHERE, and refuse clauses that change what a batch means
  let depth = 0;
  let where: Token | undefined;
  for (let k = i; k < toks.length; k++) {
    const t = toks[k]!;
    if (t.type === 'punct') {
      if (t.raw === '(') depth++;
      else if (t.raw === ')') depth--;
      continue;
    }
    if (depth !== 0 || t.type !== 'word') continue;
    if (t.value === 'WHERE' && !where) where = t;
    else if (TRAILING.has(t.value)) return { reason: `its ${t.value} clause cannot be combined with key ranges` };
  }
  const range = rangePredicate(alias ?? tableText, key, d);
  if (!where) return { sql: `${sql.trimEnd()} WHERE ${range}` };
  const condition = sql.slice(where.end).trim();
  return { sql: `${sql.slice(0, where.end)} (${condition}) AND ${range}` };
}
