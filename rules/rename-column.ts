import { syncTriggers } from '../src/lint/recipes.js';
import { laravelColumn, q, typeText, withDependents } from '../src/lint/rule-kit.js';
import type { MigrationRule } from '../src/lint/types.js';

const rule: MigrationRule = {
  id: 'rename-column',
  summary: 'A column is renamed: code of the running release still uses the old name',
  defaultSeverity: 'error',
  scope: 'migration',
  check(ctx) {
    const { op } = ctx;
    if (op.kind !== 'rename-column' || ctx.isNewTable(op.table)) return undefined;
    const d = ctx.target.dialect;
    const t = q(op.table, d);
    const from = q(op.column, d);
    const to = q(op.newName, d);
    const type = typeText(ctx.schema.column(op.table, op.column));
    // Two-way sync: the old release writes only the old column, the new release only the new one.
    const sync = syncTriggers(d, { table: op.table, from: op.column, to: op.newName }).create;
    const finding = {
      message: `Renaming ${op.table}.${op.column} to ${op.newName}: the old release keeps serving requests while migrations run and still uses "${op.column}", so its queries fail until the swap; and the new release fails if the migration has not run yet. A rename is never atomic with a deploy.`,
      target: { table: op.table, column: op.column },
      fix: {
        summary: `Expand/contract instead of renaming: add ${op.newName}, keep it in sync with ${op.column}, backfill in batches, switch the code to ${op.newName}, and drop ${op.column} in a later release.`,
        sql: [
          `-- release 1 (expand, before the swap):`,
          `ALTER TABLE ${t} ADD COLUMN ${to} ${type}`,
          ...sync,
          `-- backfill in batches outside the migration: UPDATE ${t} SET ${to} = ${from} WHERE ${to} IS NULL AND id BETWEEN … AND …`,
          `-- release 2, once no code uses ${op.column}: drop the trigger(s), then`,
          `ALTER TABLE ${t} DROP COLUMN ${from}`,
        ],
        laravel: `// release 1: add the new column and write both (mutator or observer), backfill in batches\nSchema::table('${op.table}', function (Blueprint $table) {\n    ${laravelColumn(ctx.schema.column(op.table, op.column), op.newName)}->nullable();\n});\n// release 2, once no code reads ${op.column}:\nSchema::table('${op.table}', function (Blueprint $table) {\n    $table->dropColumn('${op.column}');\n});`,
        plan: `\`zdd-plan\` splits it: add + sync + backfill before the swap (release 1), switch reads in code, drop ${op.column} in release 2.`,
      },
    };
    return withDependents(ctx, finding, op.table, op.column, 'error', { later: 'rename it in steps across releases (see the fix)' });
  },
};
export default rule;
