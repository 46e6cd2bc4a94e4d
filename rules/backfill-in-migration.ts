import { q } from '../src/lint/rule-kit.js';
import type { MigrationRule } from '../src/lint/types.js';

const rule: MigrationRule = {
  id: 'backfill-in-migration',
  summary: 'An unbatched UPDATE/DELETE/INSERT…SELECT (or query-builder write) over an existing table inside a migration',
  defaultSeverity: 'warning',
  scope: 'migration',
  check(ctx) {
    const { op } = ctx;
    // INSERT … VALUES and single-row upserts write the rows they list, not a table's worth.
    if (op.kind !== 'data' || op.batched || op.action === 'insert' || op.action === 'upsert' || !op.table || ctx.isNewTable(op.table)) return undefined;
    const d = ctx.target.dialect;
    const verb = op.action === 'insert-select' ? 'INSERT … SELECT' : op.action.toUpperCase();
    const txNote = ctx.inTransaction ? ' inside the migration transaction, so every touched row stays locked until the whole migration commits' : '';
    const scope = op.filtered ? 'every matching row' : 'every row';
    const t = q(op.table, d);
    return {
      message: `${verb} on ${op.table} touches ${scope} in one statement${txNote}: concurrent writes to those rows wait, replicas lag, and a large table can hold the deploy for minutes.`,
      target: { table: op.table },
      fix: {
        summary: 'Move the backfill out of the schema migration and run it in small batches (a queued job or console command), after the expand migration and before the contract one.',
        sql: [
          `-- repeat until no rows change, pausing between batches:`,
          d === 'postgres' ? `UPDATE ${t} SET … WHERE id IN (SELECT id FROM ${t} WHERE … ORDER BY id LIMIT 1000)` : `UPDATE ${t} SET … WHERE … ORDER BY id LIMIT 1000`,
        ],
        laravel: `// in a queued job or console command, not in the migration:\nDB::table('${op.table}')->where(/* rows still to change */)->chunkById(1000, function ($rows) {\n    DB::table('${op.table}')->whereIn('id', $rows->pluck('id'))->update([/* … */]);\n});`,
        doctrine: `// in a console command, not in the migration: repeat until it changes no rows\n$this->connection->executeStatement('${d === 'postgres' ? `UPDATE ${op.table} SET … WHERE id IN (SELECT id FROM ${op.table} WHERE … LIMIT 1000)` : `UPDATE ${op.table} SET … WHERE … ORDER BY id LIMIT 1000`}');`,
        plan: '`zdd-plan` runs the backfill after the swap and the drain, outside the schema migration, in batches by key range.',
      },
    };
  },
};
export default rule;
