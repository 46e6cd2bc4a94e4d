import { missingColumn } from '../src/schema/replay.js';
import type { MigrationRule } from '../src/lint/types.js';

/**
 * A migration names a column the table does not have, as far as replaying every earlier migration
 * tells: the statement fails when it runs, stopping the deploy half-way (a typo, a column dropped
 * earlier, one another branch renamed).
 */
const rule: MigrationRule = {
  id: 'unknown-column',
  summary: 'A migration drops, renames or alters a column the table does not have (by replaying the earlier migrations): it fails mid-deploy',
  defaultSeverity: 'warning',
  scope: 'migration',
  check(ctx) {
    const { op } = ctx;
    if (op.kind !== 'drop-column' && op.kind !== 'rename-column' && op.kind !== 'alter-column') return undefined;
    // not for IF EXISTS, a Schema::hasColumn() guard, or a statement for another server (not sure to
    // run); the same test by which zdd-plan refuses to plan the statement
    if (missingColumn(ctx.schema, op, ctx.target.dialect) === undefined) return undefined;
    const t = ctx.schema.table(op.table)!;
    const similar = [...t.columns.values()].map((c) => c.name).filter((n) => close(n.toLowerCase(), op.column.toLowerCase()));
    const verb = op.kind === 'drop-column' ? 'Dropping' : op.kind === 'rename-column' ? 'Renaming' : 'Altering';
    const from = t.createdIn ? `created in ${t.createdIn}` : 'as the schema dump has it';
    return {
      message: `${verb} ${op.table}.${op.column}, but ${op.table} has no column ${op.column} after the earlier migrations (${op.table} ${from}${similar.length ? `; it has ${similar.join(', ')}` : ''}): the statement fails when it runs, and the deploy stops half-way.`,
      target: { table: op.table, column: op.column },
      fix: {
        summary: similar.length
          ? `Name the column the table has (${similar.join(' or ')}), or check the earlier migrations: a package's migrations outside the linted folders may add it.`
          : `Check the column name and the earlier migrations (a package's migrations outside the linted folders may add it); if the column may be missing on some servers, guard the statement${op.kind === 'drop-column' ? ' (DROP COLUMN IF EXISTS on PostgreSQL and MariaDB, Schema::hasColumn in Laravel)' : ''}.`,
      },
    };
  },
};

/** Names one edit apart (a typo), or one a prefix or suffix of the other (`name` / `full_name`). */
function close(a: string, b: string): boolean {
  if (a === b) return false;
  if (a.length > 2 && b.length > 2 && (a.endsWith(`_${b}`) || b.endsWith(`_${a}`) || a.startsWith(`${b}_`) || b.startsWith(`${a}_`))) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  // one substitution, insertion or deletion, or two neighbours swapped
  return a.slice(i + 1) === b.slice(i + 1) || a.slice(i) === b.slice(i + 1) || a.slice(i + 1) === b.slice(i) || (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
}
export default rule;
