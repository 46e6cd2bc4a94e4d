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
    const sync =
      d === 'postgres'
        ? [
            `CREATE FUNCTION ${op.table}_sync_${op.newName}() RETURNS trigger AS $$ BEGIN IF TG_OP = 'INSERT' THEN NEW.${to} := COALESCE(NEW.${to}, NEW.${from}); NEW.${from} := COALESCE(NEW.${from}, NEW.${to}); ELSIF NEW.${to} IS DISTINCT FROM OLD.${to} THEN NEW.${from} := NEW.${to}; ELSE NEW.${to} := NEW.${from}; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
            `CREATE TRIGGER ${op.table}_sync_${op.newName} BEFORE INSERT OR UPDATE ON ${t} FOR EACH ROW EXECUTE FUNCTION ${op.table}_sync_${op.newName}()`,
          ]
        : [
            `CREATE TRIGGER ${op.table}_${op.newName}_ins BEFORE INSERT ON ${t} FOR EACH ROW SET NEW.${to} = COALESCE(NEW.${to}, NEW.${from}), NEW.${from} = COALESCE(NEW.${from}, NEW.${to})`,
            `CREATE TRIGGER ${op.table}_${op.newName}_upd BEFORE UPDATE ON ${t} FOR EACH ROW SET NEW.${from} = IF(NEW.${to} <=> OLD.${to}, NEW.${from}, NEW.${to}), NEW.${to} = IF(NEW.${to} <=> OLD.${to}, NEW.${from}, NEW.${to})`,
          ];
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
