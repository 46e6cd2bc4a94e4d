import { q } from '../src/lint/rule-kit.js';
import type { MigrationRule } from '../src/lint/types.js';

const rule: MigrationRule = {
  id: 'add-primary-key',
  summary: 'A primary key is added to an existing table (index build under ACCESS EXCLUSIVE / table rebuild)',
  defaultSeverity: 'error',
  scope: 'migration',
  check(ctx) {
    const { op } = ctx;
    let columns: string[];
    if (op.kind === 'add-constraint' && op.constraint === 'primary' && !op.usingIndex) columns = op.columns;
    else if (op.kind === 'add-column' && op.column.primaryKey && !op.column.identity && !op.column.autoIncrement) columns = [op.column.name];
    else return undefined;
    if (ctx.isNewTable(op.table)) return undefined;
    const d = ctx.target.dialect;
    const t = q(op.table, d);
    const idx = q(`${op.table}_pkey`, d);
    const cols = columns.map((c) => q(c, d)).join(', ');
    if (d === 'postgres') {
      return {
        message: `Adding a primary key on ${op.table} (${columns.join(', ')}) builds a unique index while holding ACCESS EXCLUSIVE (and first checks NOT NULL on every row): reads and writes of ${op.table} wait for the whole build.`,
        target: { table: op.table },
        fix: {
          summary: 'Build a unique index concurrently, then promote it to the primary key with USING INDEX (the columns must already be NOT NULL — see set-not-null).',
          sql: [`CREATE UNIQUE INDEX CONCURRENTLY ${idx} ON ${t} (${cols})`, `ALTER TABLE ${t} ADD CONSTRAINT ${idx} PRIMARY KEY USING INDEX ${idx}`],
          nonTransactional: true,
        },
      };
    }
    return {
      message: `Adding a primary key on ${op.table} (${columns.join(', ')}) rebuilds the whole table in place; writes go on, but the rebuild takes time and space and the migration fails on duplicates or NULLs.`,
      severity: 'warning',
      target: { table: op.table },
      fix: {
        summary: 'Check for duplicates and NULLs first, and write ALGORITHM=INPLACE, LOCK=NONE so the server refuses rather than blocks writes.',
        sql: [`ALTER TABLE ${t} ADD PRIMARY KEY (${cols}), ALGORITHM=INPLACE, LOCK=NONE`],
      },
    };
  },
};
export default rule;
