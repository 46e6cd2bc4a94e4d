import type { MigrationRule } from '../src/lint/types.js';

const rule: MigrationRule = {
  id: 'truncate-table',
  summary: 'TRUNCATE removes every row of a live table (and takes an exclusive lock)',
  defaultSeverity: 'error',
  scope: 'migration',
  check(ctx) {
    const { op } = ctx;
    if (op.kind !== 'truncate' || ctx.isNewTable(op.table)) return undefined;
    return {
      message: `TRUNCATE ${op.table}${op.cascade ? ' CASCADE' : ''} deletes every row while the running release still reads and writes the table, and takes an exclusive lock${ctx.target.dialect === 'postgres' ? ' (ACCESS EXCLUSIVE)' : ''} to do it. It cannot be rolled back on MySQL.`,
      target: { table: op.table },
      fix: {
        summary: 'If the data really must go, delete it in batches from a job after a release that no longer uses it; if the table is being replaced, create the new table instead and drop the old one in a later release.',
        sql: [
          ctx.target.dialect === 'postgres'
            ? `-- DELETE FROM ${op.table} WHERE id IN (SELECT id FROM ${op.table} ORDER BY id LIMIT 1000) -- repeated, from a job`
            : `-- DELETE FROM ${op.table} ORDER BY id LIMIT 1000 -- repeated, from a job`,
        ],
      },
    };
  },
};
export default rule;
