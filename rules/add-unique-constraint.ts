import { laravelOnlineIndex, q } from '../src/lint/rule-kit.js';
import type { MigrationRule } from '../src/lint/types.js';

const rule: MigrationRule = {
  id: 'add-unique-constraint',
  summary: 'A unique constraint/index is added to an existing table (blocking build on PostgreSQL; fails on duplicates)',
  defaultSeverity: 'error',
  scope: 'migration',
  check(ctx) {
    const { op } = ctx;
    const d = ctx.target.dialect;
    let columns: string[];
    let name: string | undefined;
    if (op.kind === 'add-constraint' && op.constraint === 'unique' && !op.usingIndex) {
      columns = op.columns;
      name = op.name;
    } else if (op.kind === 'add-index' && op.unique && d !== 'postgres') {
      columns = op.columns;
      name = op.name;
    } else if (op.kind === 'add-column' && op.column.unique && d === 'postgres') {
      columns = [op.column.name];
    } else return undefined;
    if (ctx.isNewTable(op.table)) return undefined;
    const t = q(op.table, d);
    const idx = q(name ?? `${op.table}_${columns.join('_')}_unique`, d);
    const cols = columns.map((c) => q(c, d)).join(', ');
    if (d === 'postgres') {
      return {
        message: `Adding a UNIQUE constraint on ${op.table} (${columns.join(', ')}) builds its index while holding ACCESS EXCLUSIVE: every read and write of ${op.table} waits for the whole build, and the migration fails if duplicates exist.`,
        target: { table: op.table, ...(name ? { constraint: name } : {}) },
        fix: {
          summary: 'Build the unique index concurrently (outside a transaction), then attach it as the constraint, which is instant.',
          sql: [`CREATE UNIQUE INDEX CONCURRENTLY ${idx} ON ${t} (${cols})`, `ALTER TABLE ${t} ADD CONSTRAINT ${idx} UNIQUE USING INDEX ${idx}`],
          laravel: laravelOnlineIndex(op.table, columns, name ?? `${op.table}_${columns.join('_')}_unique`, 'unique', `CREATE UNIQUE INDEX CONCURRENTLY ${idx} ON ${t} (${cols})', then DB::statement('ALTER TABLE ${t} ADD CONSTRAINT ${idx} UNIQUE USING INDEX ${idx}`),
          nonTransactional: true,
          plan: '`zdd-plan` runs the concurrent build before the swap, outside the migration transaction.',
        },
      };
    }
    return {
      message: `Adding a unique index on ${op.table} (${columns.join(', ')}): the migration fails if duplicates exist, and from then on the old release's inserts of duplicate values fail. The build itself runs in place with concurrent writes.`,
      severity: 'warning',
      target: { table: op.table, ...(name ? { index: name } : {}) },
      fix: {
        summary: 'Check for duplicates first (and make the code stop creating them), then add the index with ALGORITHM=INPLACE, LOCK=NONE so the server refuses rather than blocks.',
        sql: [`-- SELECT ${cols}, COUNT(*) FROM ${t} GROUP BY ${cols} HAVING COUNT(*) > 1`, `ALTER TABLE ${t} ADD UNIQUE INDEX ${idx} (${cols}), ALGORITHM=INPLACE, LOCK=NONE`],
      },
    };
  },
};
export default rule;
