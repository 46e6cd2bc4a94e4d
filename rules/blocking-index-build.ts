import { dbName, laravelOnlineIndex, q } from '../src/lint/rule-kit.js';
import type { MigrationRule } from '../src/lint/types.js';

const rule: MigrationRule = {
  id: 'blocking-index-build',
  summary: 'An index build blocks writes (PostgreSQL without CONCURRENTLY; MySQL FULLTEXT/SPATIAL or LOCK=SHARED/EXCLUSIVE)',
  defaultSeverity: 'error',
  scope: 'migration',
  check(ctx) {
    const { op } = ctx;
    if (op.kind !== 'add-index' || ctx.isNewTable(op.table)) return undefined;
    const d = ctx.target.dialect;
    const t = q(op.table, d);
    const name = op.name ?? `${op.table}_${op.columns.join('_').replace(/[^\w]/g, '')}_index`;
    const cols = op.columns.map((c) => (c.startsWith('(') ? c : q(c, d))).join(', ');
    if (d === 'postgres') {
      if (op.concurrently) return undefined;
      return {
        message: `CREATE ${op.unique ? 'UNIQUE ' : ''}INDEX on ${op.table} without CONCURRENTLY takes a SHARE lock: every INSERT, UPDATE and DELETE on ${op.table} waits until the whole index is built.`,
        target: { table: op.table, index: name },
        fix: {
          summary: 'Build it with CONCURRENTLY, outside a transaction (writes go on; if it fails, drop the INVALID index and retry).',
          sql: [`CREATE ${op.unique ? 'UNIQUE ' : ''}INDEX CONCURRENTLY ${op.ifNotExists ? 'IF NOT EXISTS ' : ''}${q(name, d)} ON ${t}${op.method ? ` USING ${op.method}` : ''} (${cols})`],
          laravel: laravelOnlineIndex(op.table, op.columns, name, op.unique ? 'unique' : 'index', `CREATE ${op.unique ? 'UNIQUE ' : ''}INDEX CONCURRENTLY ${q(name, d)} ON ${t}${op.method ? ` USING ${op.method}` : ''} (${cols})`),
          nonTransactional: true,
          plan: '`zdd-plan` runs the concurrent build before the swap, outside the migration transaction.',
        },
      };
    }
    const cost = ctx.cost();
    if (cost.writes !== 'blocked' || cost.refusedByClause) return undefined; // a refused statement is reported by table-rewrite
    const why =
      op.method === 'fulltext' || op.method === 'spatial'
        ? `a ${op.method.toUpperCase()} index cannot be built with concurrent writes on ${dbName(d)}`
        : op.mysql?.lock === 'SHARED' || op.mysql?.lock === 'EXCLUSIVE'
          ? `the statement asks for LOCK=${op.mysql.lock}`
          : 'the statement asks for ALGORITHM=COPY';
    return {
      message: `Building index ${name} on ${op.table} blocks writes until it finishes: ${why}.`,
      target: { table: op.table, index: name },
      fix: {
        summary:
          op.method === 'fulltext' || op.method === 'spatial'
            ? `Build it with an online schema change tool (gh-ost, pt-online-schema-change), or in a low-traffic window with a short lock_wait_timeout.`
            : 'Drop the LOCK/ALGORITHM clause or write ALGORITHM=INPLACE, LOCK=NONE.',
        sql:
          op.method === 'fulltext' || op.method === 'spatial'
            ? [`-- pt-online-schema-change --alter "ADD ${op.method.toUpperCase()} INDEX ${name} (${op.columns.join(', ')})" D=<db>,t=${op.table}`]
            : [`ALTER TABLE ${t} ADD ${op.unique ? 'UNIQUE ' : ''}INDEX ${q(name, d)} (${cols}), ALGORITHM=INPLACE, LOCK=NONE`],
      },
    };
  },
};
export default rule;
