import { dbName, q } from '../src/lint/rule-kit.js';
import type { MigrationRule } from '../src/lint/types.js';

const rule: MigrationRule = {
  id: 'validating-foreign-key',
  summary: 'A foreign key is added to an existing table with validation of every row (PostgreSQL without NOT VALID; MySQL table copy)',
  defaultSeverity: 'error',
  scope: 'migration',
  check(ctx) {
    const { op } = ctx;
    let columns: string[];
    let ref: { table: string; columns: string[] } | undefined;
    let name: string | undefined;
    if (op.kind === 'add-constraint' && op.constraint === 'foreign' && op.validated) {
      columns = op.columns;
      ref = op.references;
      name = op.name;
    } else if (op.kind === 'add-column' && op.column.references && ctx.target.dialect !== 'mysql') {
      // MySQL parses and ignores inline REFERENCES (no foreign key is created); MariaDB 10.5+ creates one.
      columns = [op.column.name];
      ref = op.column.references;
    } else return undefined;
    if (ctx.isNewTable(op.table)) return undefined;
    const d = ctx.target.dialect;
    const t = q(op.table, d);
    const fk = q(name ?? `${op.table}_${columns.join('_')}_foreign`, d);
    const cols = columns.map((c) => q(c, d)).join(', ');
    const refTable = ref?.table ?? '…';
    const refCols = (ref?.columns.length ? ref.columns : ['id']).map((c) => q(c, d)).join(', ');
    if (d === 'postgres') {
      return {
        message: `Adding a foreign key from ${op.table} to ${refTable} checks every existing row while holding SHARE ROW EXCLUSIVE on both tables: writes to ${op.table} and ${refTable} wait for the whole scan.`,
        target: { table: op.table, ...(name ? { constraint: name } : {}) },
        fix: {
          summary: 'Add the foreign key NOT VALID (instant; new rows are checked), then VALIDATE it in a separate transaction, which lets writes go on.',
          sql: [
            `ALTER TABLE ${t} ADD CONSTRAINT ${fk} FOREIGN KEY (${cols}) REFERENCES ${q(refTable, d)} (${refCols}) NOT VALID`,
            `-- in a separate migration/transaction:`,
            `ALTER TABLE ${t} VALIDATE CONSTRAINT ${fk}`,
          ],
          laravel: `Schema::table('${op.table}', function (Blueprint $table) {\n    $table->foreign(${columns.length === 1 ? `'${columns[0]}'` : `['${columns.join("', '")}']`})->references('${ref?.columns[0] ?? 'id'}')->on('${refTable}')->notValid();\n});\n// in a separate migration (its own transaction):\nDB::statement('ALTER TABLE ${t} VALIDATE CONSTRAINT ${fk}');`,
          plan: '`zdd-plan` adds it NOT VALID before the swap and validates it in a following step.',
        },
      };
    }
    if (ctx.session.get('foreign_key_checks') === '0') return undefined;
    return {
      message: `Adding a foreign key from ${op.table} to ${refTable} with foreign_key_checks=1 makes ${dbName(d)} copy ${op.table} (ALGORITHM=COPY) to check every row: writes wait until the copy ends.`,
      target: { table: op.table, ...(name ? { constraint: name } : {}) },
      fix: {
        summary: 'Verify the data with a query first, then add the key with foreign_key_checks=0 so it is built in place without the copy.',
        sql: [
          `-- SELECT COUNT(*) FROM ${t} c LEFT JOIN ${q(refTable, d)} p ON p.${refCols} = c.${cols} WHERE c.${cols} IS NOT NULL AND p.${refCols} IS NULL`,
          'SET foreign_key_checks = 0',
          `ALTER TABLE ${t} ADD CONSTRAINT ${fk} FOREIGN KEY (${cols}) REFERENCES ${q(refTable, d)} (${refCols}), ALGORITHM=INPLACE, LOCK=NONE`,
          'SET foreign_key_checks = 1',
        ],
      },
    };
  },
};
export default rule;
