import { q, withDependents } from '../src/lint/rule-kit.js';
import type { MigrationRule } from '../src/lint/types.js';

const rule: MigrationRule = {
  id: 'rename-table',
  summary: 'A table is renamed: code of the running release still uses the old name',
  defaultSeverity: 'error',
  scope: 'migration',
  check(ctx) {
    const { op } = ctx;
    if (op.kind !== 'rename-table' || ctx.isNewTable(op.table)) return undefined;
    const d = ctx.target.dialect;
    const from = q(op.table, d);
    const to = q(op.newName, d);
    const finding = {
      message: `Renaming table ${op.table} to ${op.newName}: the old release keeps serving requests while migrations run and every query it sends to "${op.table}" fails until the swap.`,
      target: { table: op.table },
      fix: {
        summary: `Rename and leave an updatable view under the old name in the same transaction, so both releases work; drop the view in a later release.`,
        sql:
          d === 'postgres'
            ? [`BEGIN`, `ALTER TABLE ${from} RENAME TO ${to}`, `CREATE VIEW ${from} AS SELECT * FROM ${to}`, `COMMIT`, `-- a later release, once no code uses ${op.table}:`, `DROP VIEW ${from}`]
            : [
                `-- release 1: the new name as a view (DDL commits one statement at a time, so no window without either name)`,
                `CREATE VIEW ${to} AS SELECT * FROM ${from}`,
                `-- release 2, once no code uses ${op.table}: swap names in one atomic statement`,
                `RENAME TABLE ${to} TO ${q(`${op.newName}_view_old`, d)}, ${from} TO ${to}`,
                `DROP VIEW ${q(`${op.newName}_view_old`, d)}`,
              ],
        laravel:
          d === 'postgres'
            ? `// one migration (Laravel runs it in one transaction on PostgreSQL):\nSchema::rename('${op.table}', '${op.newName}');\nDB::statement('CREATE VIEW ${from} AS SELECT * FROM ${to}');\n// a later release, once no code uses ${op.table}:\nDB::statement('DROP VIEW ${from}');`
            : `// release 1: the new name as a view; point the model at it (protected $table = '${op.newName}')\nDB::statement('CREATE VIEW ${to} AS SELECT * FROM ${from}');\n// release 2, once no code uses ${op.table}:\nDB::statement('RENAME TABLE ${to} TO ${op.newName}_view_old, ${from} TO ${to}');\nDB::statement('DROP VIEW ${op.newName}_view_old');`,
        plan: d === 'postgres' ? '`zdd-plan`: release 1 renames and leaves a view under the old name (one transaction); release 2 drops the view.' : `\`zdd-plan\`: release 1 adds ${op.newName} as a view over ${op.table}; release 2 swaps the view for the table in one RENAME TABLE.`,
      },
    };
    return withDependents(ctx, finding, op.table, undefined, 'error', { later: 'rename it in steps across releases (see the fix)' });
  },
};
export default rule;
