import { laravelColumn, q } from '../src/lint/rule-kit.js';
import type { MigrationRule } from '../src/lint/types.js';
import { phpString } from '../src/util/text.js';

const rule: MigrationRule = {
  id: 'drop-column-default',
  summary: 'A NOT NULL column loses its default: inserts from code that omits it start failing',
  defaultSeverity: 'warning',
  scope: 'migration',
  check(ctx) {
    const { op } = ctx;
    if (op.kind !== 'alter-column' || op.default !== null || ctx.isNewTable(op.table)) return undefined;
    const from = op.from;
    const notNull = op.nullable === false || (op.nullable === undefined && from && !from.nullable);
    if (!notNull) return undefined;
    // DEFAULT NULL is no default for a NOT NULL column: an INSERT that omits it fails either way (set-not-null says why)
    if (from?.default?.kind === 'null') return undefined;
    if (op.restatesColumn && !from?.default) return undefined;
    const d = ctx.target.dialect;
    const how = op.restatesColumn
      ? `${d === 'postgres' ? '' : 'MODIFY/CHANGE restates the whole column: '}redefining ${op.table}.${op.column} without DEFAULT drops its default (${from?.default?.text})`
      : `Dropping the default of ${op.table}.${op.column}`;
    return {
      message: `${how.charAt(0).toUpperCase()}${how.slice(1)}: the column is NOT NULL, so every INSERT that omits it — as the old release's code may — fails from now on.`,
      target: { table: op.table, column: op.column },
      fix: {
        summary: op.restatesColumn
          ? `Repeat the default in the new definition (DEFAULT ${from?.default?.text ?? '…'}), or drop it only after every release writes the column explicitly.`
          : 'Drop the default only in a release after the one whose code always writes the column.',
        sql:
          op.restatesColumn && from?.default
            ? [
                d === 'postgres'
                  ? `ALTER TABLE ${q(op.table, d)} ALTER COLUMN ${q(op.column, d)} SET DEFAULT ${from.default.text}`
                  : `ALTER TABLE ${q(op.table, d)} MODIFY ${q(op.column, d)} ${op.type?.text ?? from.type.text} NOT NULL DEFAULT ${from.default.text}`,
              ]
            : [],
        ...(op.restatesColumn && from?.default
          ? { laravel: `Schema::table('${op.table}', function (Blueprint $table) {\n    ${laravelColumn({ ...from, ...(op.type ? { type: op.type } : {}) }, op.column)}->default(${phpDefault(from.default.text, (op.type ?? from.type).text)})->change();\n});` }
          : {}),
      },
    };
  },
};
/**
 * A SQL default as the argument of Laravel's ->default(): a quoted literal stays one — a number on
 * a numeric column (Laravel quotes every default: `->default(22)` is `default '22'`) — anything else
 * is DB::raw.
 */
function phpDefault(sql: string, type: string): string {
  const m = /^'((?:[^']|'')*)'$/.exec(sql.trim());
  if (m && /^-?\d+(\.\d+)?$/.test(m[1]!) && /int|dec|numeric|float|double|real|serial/i.test(type)) return m[1]!;
  if (m) return phpString(m[1]!.replace(/''/g, "'"));
  if (/^-?\d+(\.\d+)?$/.test(sql.trim())) return sql.trim();
  return `DB::raw(${phpString(sql)})`;
}

export default rule;
