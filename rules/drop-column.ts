import { contractHint } from '../src/lint/contract.js';
import { q, withDependents } from '../src/lint/rule-kit.js';
import type { MigrationRule } from '../src/lint/types.js';

const rule: MigrationRule = {
  id: 'drop-column',
  summary: 'A column is dropped while code of the running (or new) release may still use it',
  defaultSeverity: 'warning',
  scope: 'migration',
  check(ctx) {
    const { op } = ctx;
    if (op.kind !== 'drop-column' || ctx.isNewTable(op.table)) return undefined;
    const d = ctx.target.dialect;
    const t = q(op.table, d);
    const c = q(op.column, d);
    const finding = {
      message: `Dropping ${op.table}.${op.column}: migrations run while the old release still serves requests, so any query, insert or ORM mapping that names the column fails until the swap (and in old workers after it). This is safe only as the contract step, once no deployed code uses the column.`,
      target: { table: op.table, column: op.column },
      fix: {
        summary: `Remove every use of ${op.table}.${op.column} from the code first (Eloquent $fillable/$casts/queries; Doctrine: unmap it from the entity) and deploy that; drop the column in a later release.`,
        sql: [`-- a later release, once no deployed code uses the column:`, `ALTER TABLE ${t} DROP COLUMN ${c}`],
        laravel: `// in a migration of a later release, once no deployed code uses the column:\nSchema::table('${op.table}', function (Blueprint $table) {\n    $table->dropColumn('${op.column}');\n});`,
        doctrine: `// in a migration of a later release, once no deployed code (entity mappings included) uses the column:\n$schema->getTable('${op.table}')->dropColumn('${op.column}');`,
        plan: contractHint(ctx.contractPlacement(op.table, op.column), `${op.table}.${op.column}`, op.column),
      },
    };
    return withDependents(ctx, finding, op.table, op.column, 'warning', { later: 'drop the column in a later release' });
  },
};
export default rule;
