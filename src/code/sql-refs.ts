import { createRequire } from 'node:module';
import type { Dialect } from '../ir/types.js';
import { lexSql, type Token } from '../readers/sql/lex.js';

/**
 * Tables and columns a SQL string found in application code uses. Whole statements are parsed with
 * node-sql-parser (the SQL reader's parser for DML), which resolves aliases; fragments (`whereRaw`,
 * `selectRaw`, DBAL `where()`), dynamic SQL and what the parser rejects fall back to a token scan
 * with zdd's SQL lexer: `table.column` and `alias.column` pairs, tables after FROM/JOIN/UPDATE/INTO,
 * and bare names next to a single table.
 */

export interface SqlRef {
  /** Table the reference belongs to, when the SQL says (or only one table is in play). */
  table?: string;
  /** Column name; undefined for a table reference. */
  column?: string;
  /** Offset in the SQL text, for the line number. */
  offset: number;
  /** Tables of the statement (for unqualified columns in multi-table statements). */
  tables: string[];
  /** Parsed by the SQL parser (else found by the token scan). */
  parsed: boolean;
}

interface SqlParser {
  parse(sql: string): { tableList: string[]; columnList: string[] };
}

const require = createRequire(import.meta.url);
const parsers = new Map<string, SqlParser>();
function parserFor(dialect: Dialect): SqlParser {
  const build = dialect === 'postgres' ? 'postgresql' : 'mysql';
  let p = parsers.get(build);
  if (!p) {
    const mod = require(`node-sql-parser/build/${build}`) as { Parser: new () => SqlParser };
    p = new mod.Parser();
    parsers.set(build, p);
  }
  return p;
}

const STATEMENT_HEAD = /^\s*\(?\s*(?:select|insert|update|delete|replace|with)\b/i;
/** SQL a string holds, as opposed to a fragment or prose. */
export function looksLikeStatement(text: string): boolean {
  return STATEMENT_HEAD.test(text) && /\b(?:from|into|set|join|values)\b/i.test(text);
}

export interface SqlScanOptions {
  dialect: Dialect;
  /** Column names worth reporting (the targets); tables are always reported. */
  columns: ReadonlySet<string>;
  /** Tables the surrounding code ties the fragment to (`User::whereRaw(…)` → users). */
  defaultTables?: readonly string[];
  /** Whole statement (parse it) or a fragment (scan only). */
  fragment?: boolean;
}

/** Finds table and column references in SQL text. */
export function sqlReferences(sql: string, opts: SqlScanOptions): SqlRef[] {
  if (!opts.fragment && looksLikeStatement(sql)) {
    const parsed = parseStatement(sql, opts);
    if (parsed) return parsed;
  }
  return scanTokens(sql, opts);
}

/**
 * PDO and DBAL write `?` and `:name` placeholders; the PostgreSQL build only knows `$1`. Replaced
 * outside string literals (offsets shift; references are located by name afterwards).
 */
function numberedPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|(?<![:\w])\?(?![?|&])|(?<!:):[A-Za-z_]\w*/g, (m) => (m.startsWith("'") || m.startsWith('"') ? m : `$${++n}`));
}

/**
 * What the parser made of a statement (null: it could not), by dialect and text: the two releases'
 * code holds mostly the same SQL, and the parser is slow.
 */
const parseResults = new Map<string, { tableList: string[]; columnList: string[] } | null>();

function parseSql(sql: string, dialect: Dialect): { tableList: string[]; columnList: string[] } | null {
  const key = `${dialect}\0${sql}`;
  const known = parseResults.get(key);
  if (known !== undefined) return known;
  let result: { tableList: string[]; columnList: string[] } | null;
  try {
    result = parserFor(dialect).parse(sql);
  } catch {
    result = null;
    if (dialect === 'postgres' && /[?:]/.test(sql)) {
      try {
        result = parserFor(dialect).parse(numberedPlaceholders(sql));
      } catch {
        result = null;
      }
    }
  }
  if (parseResults.size >= 5000) parseResults.clear();
  parseResults.set(key, result);
  return result;
}

function parseStatement(sql: string, opts: SqlScanOptions): SqlRef[] | undefined {
  const result = parseSql(sql, opts.dialect);
  if (!result) return undefined;
  const tables = [...new Set(result.tableList.map((e) => e.split('::')[2]!).filter(Boolean))];
  const refs: SqlRef[] = [];
  for (const t of tables) refs.push({ table: t, offset: findWord(sql, t), tables, parsed: true });
  const seen = new Set<string>();
  for (const entry of result.columnList) {
    const [, table, column] = entry.split('::');
    if (!column || !opts.columns.has(column)) continue;
    const resolved = table && table !== 'null' ? table : tables.length === 1 ? tables[0] : undefined;
    const key = `${resolved ?? ''}.${column}`;
    if (seen.has(key)) continue;
    seen.add(key);
    refs.push({ ...(resolved ? { table: resolved } : {}), column, offset: findWord(sql, column), tables, parsed: true });
  }
  return refs;
}

/** Offset of the first whole-word occurrence of `word` (0 when absent). */
function findWord(text: string, word: string): number {
  const re = new RegExp(`(?<![\\w$])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w$])`);
  const m = re.exec(text) ?? new RegExp(re.source, 'i').exec(text);
  return m?.index ?? 0;
}

const TABLE_AFTER = new Set(['FROM', 'JOIN', 'UPDATE', 'INTO', 'TABLE']);
const NOT_ALIAS = new Set([
  'WHERE', 'ON', 'USING', 'SET', 'JOIN', 'INNER', 'LEFT', 'RIGHT', 'FULL', 'CROSS', 'OUTER', 'NATURAL', 'GROUP', 'ORDER', 'LIMIT', 'HAVING', 'UNION',
  'VALUES', 'VALUE', 'SELECT', 'AND', 'OR', 'AS', 'WINDOW', 'FOR', 'LOCK', 'OFFSET', 'RETURNING', 'STRAIGHT_JOIN', 'PARTITION', 'USE', 'FORCE', 'IGNORE',
  'DEFAULT', 'ADD', 'DROP', 'ALTER', 'MODIFY', 'CHANGE', 'RENAME', 'IF', 'EXISTS', 'NOT', 'ONLY',
]);

function identName(t: Token | undefined): string | undefined {
  if (!t) return undefined;
  if (t.type === 'ident') return t.value;
  if (t.type === 'word') return t.raw;
  return undefined;
}

function scanTokens(sql: string, opts: SqlScanOptions): SqlRef[] {
  let tokens: Token[];
  try {
    tokens = lexSql(sql, opts.dialect);
  } catch {
    return [];
  }
  const aliases = new Map<string, string>();
  const tableRefs: Array<{ table: string; offset: number }> = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type !== 'word' || !TABLE_AFTER.has(t.value)) continue;
    let j = i + 1;
    // FROM a, b c, d AS e
    for (;;) {
      while (tokens[j]?.type === 'word' && ['ONLY', 'IF', 'EXISTS', 'NOT', 'LATERAL', 'IGNORE'].includes(tokens[j]!.value)) j++;
      let name = identName(tokens[j]);
      if (!name || (tokens[j]!.type === 'word' && NOT_ALIAS.has(tokens[j]!.value) && tokens[j]!.value !== 'USE')) break;
      let start = tokens[j]!.start;
      // schema.table
      if (tokens[j + 1]?.raw === '.' && identName(tokens[j + 2])) {
        name = identName(tokens[j + 2])!;
        start = tokens[j + 2]!.start;
        j += 2;
      }
      tableRefs.push({ table: name, offset: start });
      aliases.set(name, name);
      j++;
      if (tokens[j]?.type === 'word' && tokens[j]!.value === 'AS') j++;
      const alias = identName(tokens[j]);
      if (alias && !(tokens[j]!.type === 'word' && NOT_ALIAS.has(tokens[j]!.value)) && tokens[j + 1]?.raw !== '(') {
        aliases.set(alias, name);
        j++;
      }
      if (tokens[j]?.raw !== ',' || t.value !== 'FROM') break;
      j++;
    }
  }
  const tables = [...new Set(tableRefs.map((r) => r.table))];
  const refs: SqlRef[] = tableRefs.map((r) => ({ table: r.table, offset: r.offset, tables, parsed: false }));
  const context = tables.length ? tables : [...(opts.defaultTables ?? [])];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const name = identName(t);
    if (!name || !opts.columns.has(name)) continue;
    if (tokens[i + 1]?.raw === '(') continue; // a function
    if (tokens[i - 1]?.raw === '.') {
      const q = identName(tokens[i - 2]);
      const table = q ? aliases.get(q) ?? (opts.defaultTables?.includes(q) || !tables.length ? q : undefined) : undefined;
      refs.push({ ...(table ? { table } : {}), column: name, offset: t.start, tables: context, parsed: false });
      continue;
    }
    if (tokens[i + 1]?.raw === '.') continue; // a qualifier, not a column
    if (tableRefs.some((r) => r.offset === t.start)) continue;
    if (tokens[i - 1]?.type === 'word' && tokens[i - 1]!.value === 'AS') continue; // an output alias
    refs.push({ ...(context.length === 1 ? { table: context[0] } : {}), column: name, offset: t.start, tables: context, parsed: false });
  }
  return refs;
}
