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
    // WHERE pins a unique key (`DELETE FROM settings WHERE name = 'x'` with name unique): one row at most
    if (op.keyEquals?.length && ctx.schema.coversUniqueKey(op.table, op.keyEquals)) return undefined;
    const d = ctx.target.dialect;
    const verb = op.action === 'insert-select' ? 'INSERT … SELECT' : op.action.toUpperCase();
    const txNote = ctx.inTransaction ? ' inside the migration transaction, so every touched row stays locked until the whole migration commits' : '';
    const scope = op.filtered ? 'every matching row' : 'every row';
    const t = q(op.table, d);
    // one batch of the same kind of write, by key: what to repeat until it changes no rows
    const batch = (table: string): string => {
      const pick = d === 'postgres' ? `id IN (SELECT id FROM ${table} WHERE … ORDER BY id LIMIT 1000)` : '… ORDER BY id LIMIT 1000';
      if (op.action === 'delete') return `DELETE FROM ${table} WHERE ${pick}`;
      if (op.action === 'insert-select') return `INSERT INTO ${table} (…) SELECT … FROM … WHERE id > :last_id ORDER BY id LIMIT 1000`;
      return `UPDATE ${table} SET … WHERE ${pick}`;
    };
    const laravelWrite = op.action === 'delete' ? 'delete()' : op.action === 'insert-select' ? 'insert(/* … */)' : 'update([/* … */])';
    return {
      message: `${verb} on ${op.table} touches ${scope} in one statement${txNote}: concurrent writes to those rows wait, replicas lag, and a large table can hold the deploy for minutes.`,
      target: { table: op.table },
      fix: {
        summary: `Move the ${op.action === 'delete' ? 'delete' : 'backfill'} out of the schema migration and run it in small batches (a queued job or console command), after the expand migration and before the contract one.`,
        sql: [`-- repeat until no rows change, pausing between batches:`, batch(t)],
        laravel:
          op.action === 'insert-select'
            ? `// in a queued job or console command, not in the migration: copy in key order, 1000 rows at a time
DB::table(/* source */)->where(/* rows to copy */)->chunkById(1000, function ($rows) {
    DB::table('${op.table}')->insert(/* $rows mapped to columns */);
});`
            : `// in a queued job or console command, not in the migration:
DB::table('${op.table}')->where(/* rows still to change */)->chunkById(1000, function ($rows) {
    DB::table('${op.table}')->whereIn('id', $rows->pluck('id'))->${laravelWrite};
});`,
        doctrine: `// in a console command, not in the migration: repeat until it changes no rows
$this->connection->executeStatement('${batch(op.table)}');`,
        plan: '`zdd-plan` runs the backfill after the swap and the drain, outside the schema migration, in batches by key range.',
      },
    };
  },
};
export default rule;
