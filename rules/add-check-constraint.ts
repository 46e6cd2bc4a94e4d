import { dbName, q } from '../src/lint/rule-kit.js';
import type { MigrationRule } from '../src/lint/types.js';

const rule: MigrationRule = {
  id: 'add-check-constraint',
  summary: 'A validating CHECK constraint is added to an existing table (full scan under a strong lock)',
  defaultSeverity: 'error',
  scope: 'migration',
  check(ctx) {
    const { op } = ctx;
    if (op.kind !== 'add-constraint' || op.constraint !== 'check' || !op.validated || ctx.isNewTable(op.table)) return undefined;
    const d = ctx.target.dialect;
    const t = q(op.table, d);
    const name = q(op.name ?? `${op.table}_check`, d);
    const expr = op.expression ?? '…';
    if (d === 'postgres') {
      return {
        message: `Adding CHECK (${expr}) to ${op.table} checks every row while holding ACCESS EXCLUSIVE: reads and writes of ${op.table} wait for the whole scan.`,
        target: { table: op.table, ...(op.name ? { constraint: op.name } : {}) },
        fix: {
          summary: 'Add the constraint NOT VALID (instant; new rows are checked), then VALIDATE it in a separate transaction, which lets writes go on.',
          sql: [`ALTER TABLE ${t} ADD CONSTRAINT ${name} CHECK (${expr}) NOT VALID`, `-- in a separate migration/transaction:`, `ALTER TABLE ${t} VALIDATE CONSTRAINT ${name}`],
          plan: '`zdd-plan` adds it NOT VALID before the swap and validates it in a following step.',
        },
      };
    }
    return {
      message: `Adding an enforced CHECK (${expr}) to ${op.table}: ${dbName(d)} validates it by copying the table (ALGORITHM=COPY), and writes wait until the copy ends; old code writing values outside the check starts failing.`,
      target: { table: op.table, ...(op.name ? { constraint: op.name } : {}) },
      fix: {
        summary: `${dbName(d)} has no NOT VALID: enforce the rule in application code first, clean the data, and add the constraint with an online schema change tool (gh-ost, pt-online-schema-change) or in a maintenance window.`,
        sql: [`-- with pt-online-schema-change: --alter "ADD CONSTRAINT ${op.name ?? 'chk'} CHECK (${expr})"`],
      },
    };
  },
};
export default rule;
