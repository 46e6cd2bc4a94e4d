import { compareTypes, valuesFit } from '../src/dialects/index.js';
import { dbName, doctrineColumn, laravelColumn, q, withDependents } from '../src/lint/rule-kit.js';
import type { MigrationRule } from '../src/lint/types.js';

const rule: MigrationRule = {
  id: 'change-column-type',
  summary: "A column's type, length, precision or enum values change in a way that rewrites the table or breaks old code",
  defaultSeverity: 'error',
  scope: 'migration',
  check(ctx) {
    const { op } = ctx;
    if (op.kind !== 'alter-column' || !op.type || ctx.isNewTable(op.table)) return undefined;
    const d = ctx.target.dialect;
    const change = compareTypes(op.from?.type, op.type, d);
    if (change === 'same' || change === 'widening') return undefined;
    const cost = ctx.cost();
    const db = dbName(d);
    const name = `${op.table}.${op.column}`;
    const to = op.type.text;
    let message: string;
    let severity: 'error' | 'warning' = 'error';
    if (change === 'unknown') {
      if (op.from) return undefined; // known column, type not comparable (e.g. varchar without a length): nothing to say
      // A column zdd has not seen created: it cannot tell whether the type changes.
      message = `${name} ${op.restatesColumn ? 'is redefined as' : 'gets type'} ${to}, but zdd has not seen its previous definition (the table was created outside the linted migrations), so it cannot tell whether the type changes. If it does, ${db} ${d === 'postgres' ? 'rewrites the table under ACCESS EXCLUSIVE' : 'copies the table (ALGORITHM=COPY) and blocks writes until the copy ends'}.`;
      severity = 'warning';
    } else {
      const from = op.from!.type.text;
      const breaks = change === 'narrowing' || !valuesFit(op.from!.type, op.type);
      const lock = cost.rewrite
        ? d === 'postgres'
          ? 'PostgreSQL rewrites the table and rebuilds its indexes while holding ACCESS EXCLUSIVE: every read and write waits until it ends.'
          : `${db} copies the table (ALGORITHM=COPY): writes are blocked until the copy ends.`
        : '';
      const compat = breaks
        ? ` Values the old release writes may not fit ${to}, and it reads the column as ${from}.`
        : '';
      message = `Changing ${name} from ${from} to ${to}. ${lock}${compat}`.trim();
      if (!cost.rewrite && !breaks) return undefined;
    }
    const t = q(op.table, d);
    const c = q(op.column, d);
    const tmp = q(`${op.column}_new`, d);
    const finding = {
      message,
      severity,
      target: { table: op.table, column: op.column },
      fix: {
        summary: `Add a new column of the new type, keep it in sync, backfill in batches, switch the code to it, then drop the old column in a later release.`,
        sql: [
          `-- release 1 (expand):`,
          `ALTER TABLE ${t} ADD COLUMN ${tmp} ${to}`,
          `-- keep ${op.column}_new in sync with a trigger or dual writes in code; backfill in batches:`,
          `-- UPDATE ${t} SET ${tmp} = ${d === 'postgres' ? `${c}::${to}` : c} WHERE ${tmp} IS NULL AND id BETWEEN … AND …`,
          `-- the code of release 1 reads and writes ${op.column}_new; release 2 (contract): drop the sync, then ${op.column} (rename ${op.column}_new back later if you must: another expand/contract).`,
        ],
        laravel: `// release 1 (expand): add the new column, write both in the model, backfill in batches\nSchema::table('${op.table}', function (Blueprint $table) {\n    ${laravelColumn({ name: `${op.column}_new`, type: op.type, nullable: true }, `${op.column}_new`)}->nullable();\n});\n// later releases: switch the code to ${op.column}_new, then drop ${op.column}`,
        doctrine: `// release 1 (expand): a new column of the new type; the new code writes both, backfill in batches\n$schema->getTable('${op.table}')${doctrineColumn({ name: `${op.column}_new`, type: op.type, nullable: true }, `${op.column}_new`, ["'notnull' => false"])};\n// later releases: map the entity to ${op.column}_new, then drop ${op.column}`,
        plan: `\`zdd-plan\` splits it: ${op.column}_new + two-way sync trigger + batched backfill before the swap, the code of release 1 switches to ${op.column}_new, release 2 drops the trigger and ${op.column}.`,
      },
    };
    return withDependents(ctx, finding, op.table, op.column, severity, { later: 'change the type in a later release', mode: 'informs' });
  },
};
export default rule;
