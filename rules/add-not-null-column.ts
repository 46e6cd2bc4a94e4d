import { doctrineColumn, laravelColumn, q } from '../src/lint/rule-kit.js';
import { pgNotNullSteps } from '../src/lint/recipes.js';
import type { MigrationRule } from '../src/lint/types.js';
import { phpString } from '../src/util/text.js';

const rule: MigrationRule = {
  id: 'add-not-null-column',
  summary: 'A NOT NULL column without a default is added to an existing table',
  defaultSeverity: 'error',
  scope: 'migration',
  check(ctx) {
    const { op } = ctx;
    if (op.kind !== 'add-column' || ctx.isNewTable(op.table)) return undefined;
    const c = op.column;
    if (c.nullable || c.default || c.identity || c.autoIncrement || c.generated || c.primaryKey) return undefined;
    const d = ctx.target.dialect;
    const name = `${op.table}.${c.name}`;
    const message =
      d === 'postgres'
        ? `Adding ${name} as NOT NULL without a default fails outright if ${op.table} has any rows, and once it exists every INSERT from the old release (which does not know the column) fails.`
        : `Adding ${name} as NOT NULL without a default: existing rows get the type's implicit default, and in strict SQL mode every INSERT from the old release (which does not know the column) fails with "Field '${c.name}' doesn't have a default value".`;
    const t = q(op.table, d);
    const cn = q(c.name, d);
    return {
      message,
      target: { table: op.table, column: c.name },
      fix: {
        summary: `Add the column as nullable (or with a default), make the new code always write it, backfill in batches, then add NOT NULL in a later release.`,
        sql: [
          `ALTER TABLE ${t} ADD COLUMN ${cn} ${c.type.text} NULL`,
          `-- backfill in batches outside the migration, then in a later release:`,
          ...(d === 'postgres' ? pgNotNullSteps(op.table, c.name).map((x) => x.sql) : [`ALTER TABLE ${t} MODIFY ${cn} ${c.type.text} NOT NULL`]),
        ],
        laravel: `Schema::table('${op.table}', function (Blueprint $table) {\n    ${laravelColumn(c, c.name)}->nullable(); // or ->default(...)\n});\n// backfill in batches, then in a later release: ${laravelColumn(c, c.name)}->nullable(false)->change();`,
        doctrine: [
          `$schema->getTable('${op.table}')${doctrineColumn(c, c.name, ["'notnull' => false"])}; // or a 'default'`,
          `// make the new code always write ${c.name}, backfill in batches, then in a later release:`,
          ...(d === 'postgres' ? pgNotNullSteps(op.table, c.name).map((x) => `$this->addSql(${phpString(x.sql)});`) : [`$schema->getTable('${op.table}')->getColumn('${c.name}')->setNotnull(true);`]),
        ].join('\n'),
        plan: `\`zdd-plan\` adds it nullable before the swap and sets NOT NULL in release 2, once release 1 writes it and the older rows are backfilled (a requirement it lists: zdd cannot know the value).`,
      },
    };
  },
};
export default rule;
