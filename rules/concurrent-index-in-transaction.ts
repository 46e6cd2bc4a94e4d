import type { MigrationRule } from '../src/lint/types.js';

const rule: MigrationRule = {
  id: 'concurrent-index-in-transaction',
  summary: 'CONCURRENTLY inside a transaction: PostgreSQL refuses it and the migration fails',
  defaultSeverity: 'error',
  scope: 'migration',
  check(ctx) {
    const { op } = ctx;
    if (ctx.target.dialect !== 'postgres' || !ctx.inTransaction) return undefined;
    const concurrent =
      ((op.kind === 'add-index' || op.kind === 'drop-index') && op.concurrently) ||
      (op.kind === 'table-option' && (op.option === 'reindex' || op.option === 'detach-partition') && op.concurrently);
    if (!concurrent) return undefined;
    const what = op.kind === 'add-index' ? 'CREATE INDEX CONCURRENTLY' : op.kind === 'drop-index' ? 'DROP INDEX CONCURRENTLY' : op.kind === 'table-option' && op.option === 'reindex' ? 'REINDEX CONCURRENTLY' : 'DETACH PARTITION CONCURRENTLY';
    const why = op.inTransactionBlock
      ? 'it sits inside a BEGIN … COMMIT block'
      : ctx.format === 'laravel'
        ? 'Laravel wraps each migration in a transaction on PostgreSQL'
        : ctx.format === 'doctrine'
          ? 'Doctrine runs each migration in a transaction unless isTransactional() returns false'
          : 'the SQL migrations are configured to run in a transaction (sql.transactional)';
    return {
      message: `${what} cannot run inside a transaction block, and ${why}: PostgreSQL rejects the statement and the migration fails.`,
      target: { table: op.table, ...(op.kind === 'add-index' && op.name ? { index: op.name } : op.kind === 'drop-index' ? { index: op.name } : {}) },
      fix: {
        summary:
          ctx.format === 'laravel'
            ? 'Turn the transaction off for this migration, and keep the concurrent statement alone in it.'
            : ctx.format === 'doctrine'
              ? 'Make this migration non-transactional, and keep the concurrent statement alone in it.'
              : 'Run the statement outside BEGIN … COMMIT (in its own migration file).',
        laravel: 'public $withinTransaction = false; // in the migration class',
        doctrine: 'public function isTransactional(): bool\n{\n    return false;\n}',
        sql: op.inTransactionBlock ? ['-- move the statement after COMMIT, or into its own file'] : ['-- run this file outside a transaction'],
      },
    };
  },
};
export default rule;
