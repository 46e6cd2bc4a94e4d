import type { Cost, CostTable } from './types.js';

/**
 * PostgreSQL 12–17 lock and rewrite facts.
 * Sources: postgresql.org/docs/current/sql-altertable.html (Notes: which subcommands take which lock,
 * which rewrite), /explicit-locking.html (conflict table), /sql-createindex.html (CONCURRENTLY),
 * /sql-dropindex.html; observed on PG 18 with pg_locks and relfilenode (../shared/notes/dependencies.md §4).
 * Every ACCESS EXCLUSIVE request, even a brief one, queues behind running queries and blocks every
 * later reader while it waits — hence `missing-lock-timeout`.
 */

const brief = (lock: Cost['lock'], note?: string): Cost => ({
  lock,
  writes: lock === 'SHARE UPDATE EXCLUSIVE' ? 'allowed' : 'brief',
  reads: lock === 'ACCESS EXCLUSIVE' ? 'brief' : 'allowed',
  rewrite: false,
  scan: false,
  ...(note ? { note } : {}),
});

/** `note` says what happens ("… so the table is rewritten"); rules add the lock wording. */
const rewrite = (note: string): Cost => ({ lock: 'ACCESS EXCLUSIVE', writes: 'blocked', reads: 'blocked', rewrite: true, scan: true, note });

export const POSTGRES: CostTable = {
  'create-table': { cost: { lock: 'none', writes: 'allowed', reads: 'allowed', rewrite: false, scan: false } },
  'drop-table': { cost: brief('ACCESS EXCLUSIVE') },
  'rename-table': { cost: brief('ACCESS EXCLUSIVE') },
  truncate: { cost: brief('ACCESS EXCLUSIVE', 'removes every row') },
  'add-column': { cost: brief('ACCESS EXCLUSIVE', 'a constant default is stored in the catalog (PG 11+): no rewrite') },
  'add-column-positioned': { cost: brief('ACCESS EXCLUSIVE') },
  'add-column-volatile-default': { cost: rewrite('a volatile default is evaluated for every existing row, so the table is rewritten') },
  'add-column-identity': { cost: rewrite('an identity/serial column is filled for every existing row, so the table is rewritten') },
  'add-column-stored-generated': { cost: rewrite('a stored generated column is computed for every existing row, so the table is rewritten') },
  'add-column-virtual-generated': { cost: brief('ACCESS EXCLUSIVE') },
  'drop-column': { cost: brief('ACCESS EXCLUSIVE', 'the column is only marked dropped: no rewrite') },
  'rename-column': { cost: brief('ACCESS EXCLUSIVE') },
  'set-default': { cost: brief('ACCESS EXCLUSIVE') },
  'drop-default': { cost: brief('ACCESS EXCLUSIVE') },
  'change-type-widening': { cost: brief('ACCESS EXCLUSIVE', 'binary-coercible change: no rewrite') },
  'change-type-enum-append': { cost: brief('ACCESS EXCLUSIVE') },
  'change-type-rewrite': { cost: rewrite('the table and its indexes are rewritten for the new type') },
  'set-not-null': { cost: { lock: 'ACCESS EXCLUSIVE', writes: 'blocked', reads: 'blocked', rewrite: false, scan: true, note: 'every row is checked while ACCESS EXCLUSIVE is held' } },
  'set-not-null-with-check': { cost: brief('ACCESS EXCLUSIVE', 'a validated CHECK (col IS NOT NULL) lets PostgreSQL 12+ skip the scan') },
  'drop-not-null': { cost: brief('ACCESS EXCLUSIVE') },
  'add-index': { cost: { lock: 'SHARE', writes: 'blocked', reads: 'allowed', rewrite: false, scan: true, note: 'writes wait for the whole index build' } },
  'add-index-concurrently': { cost: { lock: 'SHARE UPDATE EXCLUSIVE', writes: 'allowed', reads: 'allowed', rewrite: false, scan: true, note: 'cannot run inside a transaction block; a failure leaves an INVALID index to drop' } },
  'add-index-fulltext': { cost: { lock: 'SHARE', writes: 'blocked', reads: 'allowed', rewrite: false, scan: true } },
  'add-index-spatial': { cost: { lock: 'SHARE', writes: 'blocked', reads: 'allowed', rewrite: false, scan: true } },
  'drop-index': { cost: brief('ACCESS EXCLUSIVE', 'waits for every query using the table, and blocks them while it waits') },
  'drop-index-concurrently': { cost: brief('SHARE UPDATE EXCLUSIVE') },
  'rename-index': { cost: brief('SHARE UPDATE EXCLUSIVE') },
  'add-primary-key': { cost: { lock: 'ACCESS EXCLUSIVE', writes: 'blocked', reads: 'blocked', rewrite: false, scan: true, note: 'the unique index is built while ACCESS EXCLUSIVE is held' } },
  'drop-primary-key': { cost: brief('ACCESS EXCLUSIVE') },
  'add-unique-constraint': { cost: { lock: 'ACCESS EXCLUSIVE', writes: 'blocked', reads: 'blocked', rewrite: false, scan: true, note: 'the unique index is built while ACCESS EXCLUSIVE is held' } },
  'add-constraint-using-index': { cost: brief('ACCESS EXCLUSIVE', 'reuses an existing index: no build') },
  'add-foreign-key': { cost: { lock: 'SHARE ROW EXCLUSIVE', writes: 'blocked', reads: 'allowed', rewrite: false, scan: true, note: 'both tables are locked against writes while every row is checked' } },
  'add-foreign-key-no-checks': { cost: { lock: 'SHARE ROW EXCLUSIVE', writes: 'blocked', reads: 'allowed', rewrite: false, scan: true } },
  'add-foreign-key-not-valid': { cost: brief('SHARE ROW EXCLUSIVE', 'existing rows are not checked') },
  'add-check': { cost: { lock: 'ACCESS EXCLUSIVE', writes: 'blocked', reads: 'blocked', rewrite: false, scan: true, note: 'every row is checked while ACCESS EXCLUSIVE is held' } },
  'add-check-not-valid': { cost: brief('ACCESS EXCLUSIVE', 'existing rows are not checked') },
  'validate-constraint': { cost: { lock: 'SHARE UPDATE EXCLUSIVE', writes: 'allowed', reads: 'allowed', rewrite: false, scan: true } },
  'drop-constraint': { cost: brief('ACCESS EXCLUSIVE') },
  'drop-foreign-key': { cost: brief('ACCESS EXCLUSIVE') },
  'rewrite-table': { cost: rewrite('the whole table is rewritten') },
  'create-trigger': { cost: brief('SHARE ROW EXCLUSIVE') },
  'explicit-lock': { cost: { lock: 'ACCESS EXCLUSIVE', writes: 'blocked', reads: 'blocked', rewrite: false, scan: false, note: 'LOCK TABLE holds the lock until the transaction ends' } },
  'rebuild-in-place': { cost: brief('ACCESS EXCLUSIVE') },
  reindex: { cost: { lock: 'SHARE', writes: 'blocked', reads: 'allowed', rewrite: true, scan: true, note: 'REINDEX rebuilds the indexes' } },
  'reindex-concurrently': { cost: { lock: 'SHARE UPDATE EXCLUSIVE', writes: 'allowed', reads: 'allowed', rewrite: false, scan: true } },
  'attach-partition': { cost: { lock: 'SHARE UPDATE EXCLUSIVE', writes: 'allowed', reads: 'allowed', rewrite: false, scan: true, note: 'the partition itself is locked ACCESS EXCLUSIVE and scanned unless a matching CHECK exists' } },
  'detach-partition': { cost: brief('ACCESS EXCLUSIVE') },
  'detach-partition-concurrently': { cost: brief('SHARE UPDATE EXCLUSIVE', 'PostgreSQL 14+') },
  metadata: { cost: brief('ACCESS EXCLUSIVE') },
  none: { cost: { lock: 'none', writes: 'allowed', reads: 'allowed', rewrite: false, scan: false } },
};
