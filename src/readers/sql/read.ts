import type { Dialect, Operation, OpDraft, Suppression } from '../../ir/types.js';
import { parseIgnoreComment } from '../../util/suppression.js';
import { LineMap, oneLine } from '../../util/text.js';
import { lexSql, whereEqualities, type Token } from './lex.js';
import { NotUnderstood } from './mysql-grammar.js';
import { parseMysqlStatement } from './mysql.js';
import { loadPostgresParser, parsePostgresStatement, PgSyntaxError } from './postgres.js';
import { splitSql, type SplitComment } from './split.js';

/** Loads the parser for a dialect (PostgreSQL's WASM module is loaded once, lazily). */
export async function prepareSqlParser(dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') await loadPostgresParser();
}

export interface SqlReadOptions {
  file: string;
  dialect: Dialect;
  /** Maps an offset in `sql` to a position in the file (for SQL embedded in PHP). Default: the SQL text's own lines. */
  locate?: (offset: number) => { line: number; col: number };
  /** Statement counter start, so statements of one migration get distinct indexes. */
  firstStatement?: number;
  /** Ops are inside a transaction block opened earlier. */
  inTransactionBlock?: boolean;
  /** The ops feed a schema replay only (a schema dump): data statements may be read by the cheaper parser (MySQL/MariaDB; `parseMysqlStatement`). */
  schemaOnly?: boolean;
}

export interface SqlReadResult {
  ops: Operation[];
  suppressions: Suppression[];
  /** Number of statements read. */
  statements: number;
  /** Transaction block still open at the end. */
  inTransactionBlock: boolean;
}

const MAX_SOURCE_TEXT = 400;

/** Reads SQL text into IR operations, one statement at a time; never throws on bad SQL. */
export function readSqlText(sql: string, opts: SqlReadOptions): SqlReadResult {
  const { dialect, file } = opts;
  const lines = opts.locate ? undefined : new LineMap(sql);
  const locate = opts.locate ?? ((o: number) => lines!.position(o));
  const split = splitSql(sql, dialect);
  const ops: Operation[] = [];
  let stmtIndex = opts.firstStatement ?? 0;
  let inTx = opts.inTransactionBlock ?? false;
  const statementStarts: number[] = [];
  const statementEnds: number[] = [];

  for (const st of split.statements) {
    const index = stmtIndex++;
    statementStarts.push(st.offset);
    statementEnds.push(st.offset + st.text.length);
    const pos = locate(st.offset);
    const source = { file, line: pos.line, col: pos.col, text: oneLine(st.text, MAX_SOURCE_TEXT) };
    let drafts: OpDraft[];
    let transaction: 'begin' | 'commit' | undefined;
    // MySQL/MariaDB statements are lexed once, for the grammar and for the WHERE of a data op
    let tokens: Token[] | undefined;
    try {
      if (dialect === 'postgres') {
        const r = parsePostgresStatement(st.text);
        drafts = r.ops;
        transaction = r.transaction;
      } else {
        tokens = lexSql(st.text, dialect);
        const r = parseMysqlStatement(st.text, dialect, tokens, opts.schemaOnly ? { schemaOnly: true } : {});
        drafts = r.ops;
        transaction = r.transaction;
      }
    } catch (e) {
      let reason: string;
      if (e instanceof PgSyntaxError) {
        const at = e.position !== undefined ? locate(st.offset + Math.max(0, e.position - 1)) : pos;
        reason = `${e.message} (line ${at.line}, column ${at.col})`;
      } else if (e instanceof NotUnderstood) {
        reason = e.message;
      } else {
        reason = `internal error while reading this statement: ${(e as Error).message}`;
      }
      drafts = [{ kind: 'raw', table: guessTable(st.text), reason }];
    }
    if (transaction === 'begin') inTx = true;
    for (const d of drafts) {
      const op = { ...d, source, statement: index, sql: st.text } as Operation;
      if (op.kind === 'data' && op.filtered && (op.action === 'update' || op.action === 'delete')) {
        const keys = whereEqualities(st.text, dialect, op.table, tokens);
        if (keys?.length) op.keyEquals = keys;
      }
      if (inTx && !transaction) op.inTransactionBlock = true;
      ops.push(op);
    }
    if (transaction === 'commit') inTx = false;
  }

  if (split.unterminated) {
    const pos = locate(split.unterminated.offset);
    ops.push({
      kind: 'raw',
      table: '',
      reason: `unterminated ${split.unterminated.what}: the rest of the file could not be split into statements`,
      source: { file, line: pos.line, col: pos.col, text: oneLine(sql.slice(split.unterminated.offset), 120) },
      statement: stmtIndex++,
    });
  }

  const suppressions = collectSuppressions(split.comments, statementStarts, statementEnds, sql, locate, opts.firstStatement ?? 0);
  return { ops, suppressions, statements: stmtIndex - (opts.firstStatement ?? 0), inTransactionBlock: inTx };
}

function collectSuppressions(
  comments: SplitComment[],
  starts: number[],
  ends: number[],
  sql: string,
  locate: (o: number) => { line: number; col: number },
  first: number,
): Suppression[] {
  const out: Suppression[] = [];
  for (const c of comments) {
    if (!c.text.includes('zdd-ignore')) continue;
    const parsed = parseIgnoreComment(c.text);
    if (!parsed) continue;
    const line = locate(c.offset).line;
    const s: Suppression = { ...parsed, line };
    if (!parsed.file) {
      // A trailing comment on the line where a statement ends applies to that statement;
      // otherwise the comment applies to the next statement.
      let target: number | undefined;
      for (let k = 0; k < ends.length; k++) {
        if (ends[k]! <= c.offset && !/\n/.test(sql.slice(ends[k]!, c.offset))) target = k;
      }
      if (target === undefined) {
        const next = starts.findIndex((o) => o > c.offset);
        if (next !== -1) target = next;
      }
      if (target !== undefined) s.statement = first + target;
    }
    out.push(s);
  }
  return out;
}

/** Best-effort table name for a statement that could not be parsed, for messages. */
function guessTable(sql: string): string {
  const m = /\b(?:table|into|update|from|on)\s+(?:if\s+(?:not\s+)?exists\s+)?[`"]?([\w.]+)[`"]?/i.exec(sql);
  return m ? m[1]!.split('.').pop()! : '';
}
