import { q } from '../src/lint/rule-kit.js';
import type { MigrationRule } from '../src/lint/types.js';

const rule: MigrationRule = {
  id: 'blocking-index-drop',
  summary: 'PostgreSQL DROP INDEX without CONCURRENTLY (ACCESS EXCLUSIVE on the table)',
  defaultSeverity: 'warning',
  scope: 'migration',
  check(ctx) {
    const { op } = ctx;
    if (op.kind !== 'drop-index' || op.concurrently || ctx.target.dialect !== 'postgres') return undefined;
    if (op.table && ctx.isNewTable(op.table)) return undefined;
    const on = op.table ? ` on ${op.table}` : '';
    return {
      message: `DROP INDEX ${op.name} without CONCURRENTLY takes ACCESS EXCLUSIVE${on}: it waits for every running query on the table, and every read and write queues behind it meanwhile.`,
      target: { table: op.table, index: op.name },
      fix: {
        summary: 'Drop it with CONCURRENTLY, outside a transaction.',
        sql: [`DROP INDEX CONCURRENTLY ${op.ifExists ? 'IF EXISTS ' : ''}${q(op.name, 'postgres')}`],
        nonTransactional: true,
      },
    };
  },
};
export default rule;
