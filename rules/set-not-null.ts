import { q } from '../src/lint/rule-kit.js';
import { pgNotNullSteps } from '../src/lint/recipes.js';
import type { MigrationRule } from '../src/lint/types.js';

const rule: MigrationRule = {
  id: 'set-not-null',
  summary: 'An existing column becomes NOT NULL (full-table check under a strong lock; old code may still write NULL)',
  defaultSeverity: 'error',
  scope: 'migration',
  check(ctx) {
    const { op } = ctx;
    if (op.kind !== 'alter-column' || op.nullable !== false || ctx.isNewTable(op.table)) return undefined;
    // Only when the column is known to allow NULL now, or the statement says SET NOT NULL explicitly.
    if (op.from ? !op.from.nullable : op.restatesColumn) return undefined;
    const d = ctx.target.dialect;
    const cost = ctx.cost();
    if (!cost.classes.includes('set-not-null')) return undefined;
    const t = q(op.table, d);
    const c = q(op.column, d);
    if (d === 'postgres') {
      return {
        message: `SET NOT NULL on ${op.table}.${op.column} scans the whole table while holding ACCESS EXCLUSIVE: every read and write of ${op.table} waits until the scan ends.`,
        target: { table: op.table, column: op.column },
        fix: {
          summary: 'Prove NOT NULL with a CHECK constraint first: add it NOT VALID, validate it (writes go on), then SET NOT NULL skips the scan (PostgreSQL 12+).',
          sql: pgNotNullSteps(op.table, op.column).flatMap((x) => (x.what === 'validate' ? ['-- in a separate migration/transaction:', x.sql] : [x.sql])),
          plan: '`zdd-plan` runs CHECK … NOT VALID → VALIDATE → SET NOT NULL → DROP CONSTRAINT as separate steps after the swap, once no old worker writes NULL.',
        },
      };
    }
    return {
      message: `Making ${op.table}.${op.column} NOT NULL rebuilds ${op.table} in place, fails if any row still holds NULL, and from then on every write of NULL by the old release fails.`,
      severity: 'warning',
      target: { table: op.table, column: op.column },
      fix: {
        summary: 'Ship code that always writes a value first, backfill the NULLs in batches, then add NOT NULL in a later release.',
        sql: [`-- after the backfill, in a later release:`, `ALTER TABLE ${t} MODIFY ${c} ${op.type?.text ?? op.from?.type.text ?? '<type>'} NOT NULL, ALGORITHM=INPLACE, LOCK=NONE`],
        plan: '`zdd-plan` makes it NOT NULL after the swap (ALGORITHM=INPLACE, LOCK=NONE), once no old worker writes NULL; a backfill in the same migration runs before it.',
      },
    };
  },
};
export default rule;
