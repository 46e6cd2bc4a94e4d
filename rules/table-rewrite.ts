import { dbName, lockTimeoutSql } from '../src/lint/rule-kit.js';
import type { OpClass } from '../src/dialects/index.js';
import type { MigrationRule } from '../src/lint/types.js';

/** Rewrites reported by a more specific rule (with a more specific fix). */
const COVERED_ELSEWHERE = new Set<OpClass>(['change-type-rewrite', 'add-foreign-key', 'add-check', 'validate-constraint', 'add-index-fulltext', 'add-index-spatial']);

const rule: MigrationRule = {
  id: 'table-rewrite',
  summary: 'The op rewrites or copies the whole table while blocking writes (volatile default, stored generated column, charset conversion, ALGORITHM=COPY …)',
  defaultSeverity: 'error',
  scope: 'migration',
  check(ctx) {
    const { op } = ctx;
    if (op.kind === 'create-table' || op.kind === 'raw' || op.kind === 'statement' || op.kind === 'data' || op.kind === 'session') return undefined;
    if (!op.table || ctx.isNewTable(op.table)) return undefined;
    const cost = ctx.cost();
    const d = ctx.target.dialect;
    if (cost.refusedByClause) {
      return {
        message: `${op.source.text.slice(0, 80)}…: ${cost.refusedByClause}; the migration fails.`,
        target: { table: op.table },
        fix: { summary: `Split the change so each part can run ${op.mysql?.algorithm ?? 'online'}, or run it with an online schema change tool (gh-ost, pt-online-schema-change).` },
      };
    }
    if (!cost.rewrite || cost.writes !== 'blocked') return undefined;
    // The parts that rewrite; none means the statement's own ALGORITHM=COPY/LOCK clause does.
    const rewriting = cost.parts.filter((p) => p.cost.rewrite && p.cost.writes === 'blocked');
    if (rewriting.length && rewriting.every((p) => COVERED_ELSEWHERE.has(p.cls))) return undefined;
    const why = cost.note ?? 'the table is rewritten';
    if (d === 'postgres') {
      const volatile = op.kind === 'add-column' && op.column.default?.kind === 'volatile';
      const identity = op.kind === 'add-column' && (op.column.identity || op.column.autoIncrement);
      const reindex = op.kind === 'table-option' && op.option === 'reindex';
      const waits = cost.reads === 'blocked' ? 'every read and write of the table waits until it ends' : 'writes to the table wait until it ends';
      const what = `${why.charAt(0).toUpperCase()}${why.slice(1)}`;
      if (reindex) {
        return {
          message: `${what} on ${op.table || op.value} while holding ${cost.lock} on the table: ${waits}, and queries that need the rebuilt indexes wait too.`,
          target: { table: op.table },
          fix: { summary: 'Rebuild with CONCURRENTLY (PostgreSQL 12+), outside a transaction.', sql: [`REINDEX ${op.table ? 'TABLE' : 'INDEX'} CONCURRENTLY ${op.table || op.value}`], nonTransactional: true },
        };
      }
      if (identity && op.kind === 'add-column') {
        const t = op.table;
        const c = op.column.name;
        return {
          message: `${what} while ${op.table} is held with ACCESS EXCLUSIVE: ${waits}.`,
          target: { table: op.table, column: c },
          fix: {
            summary: 'Add a plain column, give new rows a value from a sequence (no rewrite), backfill existing rows in batches, then make it NOT NULL and the key without a scan.',
            sql: [
              `CREATE SEQUENCE ${t}_${c}_seq`,
              `ALTER TABLE ${t} ADD COLUMN ${c} ${op.column.type.name === 'integer' ? 'integer' : 'bigint'}`,
              `ALTER TABLE ${t} ALTER COLUMN ${c} SET DEFAULT nextval('${t}_${c}_seq')`,
              `-- backfill existing rows in batches: UPDATE ${t} SET ${c} = nextval('${t}_${c}_seq') WHERE ${c} IS NULL AND … LIMIT …`,
              `-- then: CHECK (${c} IS NOT NULL) NOT VALID → VALIDATE → SET NOT NULL; CREATE UNIQUE INDEX CONCURRENTLY; ADD PRIMARY KEY USING INDEX`,
            ],
            plan: '`zdd-plan` splits it into expand (column + default), a batched backfill, and the constraint steps.',
          },
        };
      }
      return {
        message: `${what} while ${op.table} is held with ${cost.lock}: ${waits}.`,
        target: { table: op.table, ...(op.kind === 'add-column' ? { column: op.column.name } : {}) },
        fix: volatile
          ? {
              summary: 'Add the column without the default, set the default for new rows (instant), and backfill existing rows in batches.',
              sql: [
                `ALTER TABLE ${op.table} ADD COLUMN ${op.kind === 'add-column' ? `${op.column.name} ${op.column.type.text}` : '…'}`,
                `ALTER TABLE ${op.table} ALTER COLUMN ${op.kind === 'add-column' ? op.column.name : '…'} SET DEFAULT ${op.kind === 'add-column' ? op.column.default?.text : '…'}`,
                `-- backfill existing rows in batches outside the migration`,
              ],
              plan: '`zdd-plan` adds the column before the swap and backfills in batches afterwards.',
            }
          : { summary: 'Avoid the rewrite (see the rule doc for the per-operation alternative), use pg_repack for maintenance rewrites, or schedule it for a maintenance window.', sql: [lockTimeoutSql(d)] },
      };
    }
    return {
      message: `${dbName(d)} ${cost.algorithm === 'COPY' ? 'copies' : 'rebuilds'} ${op.table} for this change (${why}); writes wait until it ends.`,
      target: { table: op.table },
      fix: {
        summary: `Run it with an online schema change tool (gh-ost, pt-online-schema-change) or in a maintenance window; write ALGORITHM=INPLACE, LOCK=NONE on the changes that allow it so the server refuses instead of blocking.`,
      },
    };
  },
};
export default rule;
