import { lockQueues } from '../src/dialects/index.js';
import { dbName, lockTimeoutSet, lockTimeoutSql } from '../src/lint/rule-kit.js';
import type { MigrationRule } from '../src/lint/types.js';

const rule: MigrationRule = {
  id: 'missing-lock-timeout',
  summary: 'A migration takes a table lock that can queue behind a long query, with no lock timeout set first',
  defaultSeverity: 'warning',
  scope: 'migration',
  check(ctx) {
    const { op } = ctx;
    if (!op.table || op.kind === 'create-table' || op.kind === 'data' || op.kind === 'statement' || op.kind === 'raw' || op.kind === 'session') return undefined;
    if (ctx.isNewTable(op.table)) return undefined;
    const d = ctx.target.dialect;
    const setting = d === 'postgres' ? 'lock_timeout' : 'lock_wait_timeout';
    if (lockTimeoutSet(ctx.session, d)) return undefined;
    const cost = ctx.cost();
    if (!lockQueues(cost.lock)) return undefined;
    if (!ctx.once('missing-lock-timeout')) return undefined;
    const message =
      d === 'postgres'
        ? // a queued lock request blocks the later requests it conflicts with: ACCESS EXCLUSIVE every
          // query; SHARE and SHARE ROW EXCLUSIVE the writes (ROW EXCLUSIVE), not plain reads (ACCESS SHARE)
          `This migration takes ${cost.lock} on ${op.table} without a lock_timeout: if any query or open transaction holds ${op.table}, the statement waits — and ${cost.lock === 'ACCESS EXCLUSIVE' ? `every later read and write of ${op.table} queues behind it, so a brief lock becomes an outage` : `every later INSERT, UPDATE and DELETE on ${op.table} queues behind it (plain reads go on), so a brief lock stops every write`}.`
        : `This migration alters ${op.table} without a short lock_wait_timeout (the default is ${d === 'mariadb' ? 'one day' : 'one year'}): if an open transaction holds ${op.table}'s metadata lock, the ALTER waits and every later query on ${op.table} queues behind it.`;
    return {
      message,
      target: { table: op.table },
      fix: {
        summary: `Set a short ${setting} at the top of the migration, and retry the migration if it times out.`,
        sql: [lockTimeoutSql(d)],
        laravel: `DB::statement("${lockTimeoutSql(d)}"); // first line of up()`,
        doctrine: `$this->addSql("${lockTimeoutSql(d)}"); // first statement of up()`,
        plan: `\`zdd-plan\` scripts set ${setting} before each ${dbName(d)} step and retry on timeout.`,
      },
    };
  },
};
export default rule;
