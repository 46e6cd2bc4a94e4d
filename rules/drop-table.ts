import { contractHint } from '../src/lint/contract.js';
import { q, withDependents } from '../src/lint/rule-kit.js';
import type { MigrationRule } from '../src/lint/types.js';

const rule: MigrationRule = {
  id: 'drop-table',
  summary: 'A table is dropped while code of the running (or new) release may still use it',
  defaultSeverity: 'warning',
  scope: 'migration',
  check(ctx) {
    const { op } = ctx;
    if (op.kind !== 'drop-table' || ctx.isNewTable(op.table)) return undefined;
    const t = q(op.table, ctx.target.dialect);
    const finding = {
      message: `Dropping table ${op.table}: the old release keeps serving requests while migrations run, and every query it sends to ${op.table} fails from here until the swap (and in old workers after it). Drop a table only as the contract step, after a release that no longer uses it.`,
      target: { table: op.table },
      fix: {
        summary: `Ship a release whose code no longer reads or writes ${op.table} first; drop the table in a later release (keep a backup: this cannot be undone).`,
        sql: [`-- a later release, once no deployed code uses the table:`, `DROP TABLE ${t}`],
        laravel: `// in a migration of a later release, once no deployed code uses the table:\nSchema::dropIfExists('${op.table}');`,
        doctrine: `// in a migration of a later release, once no deployed code (entity mappings included) uses the table:\n$schema->dropTable('${op.table}');`,
        plan: contractHint(ctx.contractPlacement(op.table), `table ${op.table}`, op.table),
      },
    };
    return withDependents(ctx, finding, op.table, undefined, 'warning', { later: 'drop the table in a later release' });
  },
};
export default rule;
