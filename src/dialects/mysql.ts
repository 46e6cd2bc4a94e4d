import type { Cost, CostTable } from './types.js';

/**
 * MySQL 8.0 / 8.4 InnoDB online DDL facts.
 * Source: dev.mysql.com/doc/refman/8.0/en/innodb-online-ddl-operations.html (and the 8.4 page):
 * per operation, INSTANT / INPLACE support, whether the table is rebuilt, and whether concurrent
 * DML is permitted. Every online operation still takes an exclusive metadata lock briefly at the
 * start and end, which queues behind long transactions (`lock_wait_timeout` defaults to one year).
 */

const instant = (note?: string): Cost => ({ lock: 'MDL (brief exclusive)', writes: 'brief', reads: 'brief', rewrite: false, scan: false, algorithm: 'INSTANT', ...(note ? { note } : {}) });
const inplace = (rebuild: boolean, note?: string): Cost => ({ lock: 'MDL (brief exclusive)', writes: 'brief', reads: 'brief', rewrite: rebuild, scan: rebuild, algorithm: 'INPLACE', ...(note ? { note } : {}) });
const copy = (note: string): Cost => ({ lock: 'MDL + LOCK=SHARED', writes: 'blocked', reads: 'allowed', rewrite: true, scan: true, algorithm: 'COPY', note });
const inplaceNoDml = (rebuild: boolean, note: string): Cost => ({ lock: 'MDL + LOCK=SHARED', writes: 'blocked', reads: 'allowed', rewrite: rebuild, scan: true, algorithm: 'INPLACE', note });

export const MYSQL: CostTable = {
  'create-table': { cost: { lock: 'none', writes: 'allowed', reads: 'allowed', rewrite: false, scan: false } },
  'drop-table': { cost: { ...instant(), algorithm: undefined } },
  'rename-table': { cost: instant() },
  truncate: { cost: { ...instant('removes every row'), algorithm: undefined } },
  // Add column: INSTANT since 8.0.12 at the last position, at any position (FIRST/AFTER) since 8.0.29.
  'add-column': { cost: instant(), olderVersions: [{ before: '8.0.12', cost: inplace(true) }] },
  'add-column-positioned': { cost: instant(), olderVersions: [{ before: '8.0.29', cost: inplace(true, 'INSTANT for FIRST/AFTER columns needs 8.0.29') }] },
  'add-column-volatile-default': { cost: instant() },
  'add-column-identity': { cost: inplaceNoDml(true, 'adding an AUTO_INCREMENT column rebuilds the table and blocks writes') },
  'add-column-stored-generated': { cost: copy('adding a STORED generated column copies the table') },
  'add-column-virtual-generated': { cost: instant() },
  // Drop column: INSTANT since 8.0.29, else INPLACE with a rebuild (DML allowed).
  'drop-column': { cost: instant(), olderVersions: [{ before: '8.0.29', cost: inplace(true) }] },
  // Rename column: INSTANT since 8.0.28.
  'rename-column': { cost: instant(), olderVersions: [{ before: '8.0.28', cost: inplace(false) }] },
  'reorder-column': { cost: instant(), olderVersions: [{ before: '8.0.29', cost: inplace(true) }] },
  'set-default': { cost: instant() },
  'drop-default': { cost: instant() },
  'change-type-widening': { cost: inplace(false, 'extending VARCHAR within the same length-prefix size is in place') },
  'change-type-enum-append': { cost: instant('appending ENUM/SET members without changing the storage size') },
  'change-type-rewrite': { cost: copy('changing a column data type copies the table; writes wait until the copy ends') },
  'set-not-null': { cost: inplace(true, 'rebuilds the table in place; fails if NULLs exist (strict SQL mode)') },
  'set-not-null-with-check': { cost: inplace(true) },
  'drop-not-null': { cost: inplace(true) },
  'add-index': { cost: inplace(false, 'built in place with concurrent DML; waits for transactions open on the table') },
  'add-index-concurrently': { cost: inplace(false) },
  'add-index-fulltext': { cost: inplaceNoDml(false, 'a FULLTEXT index blocks writes while it is built (the first one may rebuild the table to add FTS_DOC_ID)') },
  'add-index-spatial': { cost: inplaceNoDml(false, 'a SPATIAL index blocks writes while it is built') },
  'drop-index': { cost: inplace(false) },
  'drop-index-concurrently': { cost: inplace(false) },
  'rename-index': { cost: inplace(false) },
  'add-primary-key': { cost: inplace(true, 'rebuilds the table in place with concurrent DML') },
  'drop-primary-key': { cost: copy('dropping a primary key without adding one copies the table') },
  'add-unique-constraint': { cost: inplace(false, 'built in place; fails if duplicates exist') },
  'add-constraint-using-index': { cost: inplace(false) },
  // Adding a foreign key: INPLACE only with foreign_key_checks=0, else COPY.
  'add-foreign-key': { cost: copy('with foreign_key_checks=1 adding a foreign key copies the table to check every row') },
  'add-foreign-key-no-checks': { cost: inplace(false, 'foreign_key_checks=0: existing rows are not checked') },
  'add-foreign-key-not-valid': { cost: inplace(false) },
  // CHECK constraints are validated by copying the table (MySQL 8.0.16+). (FACTS.md marks this unverified.)
  'add-check': { cost: copy('an enforced CHECK constraint is validated by copying the table') },
  'add-check-not-valid': { cost: inplace(false, 'NOT ENFORCED: existing rows are not checked') },
  'validate-constraint': { cost: copy('enforcing a CHECK constraint copies the table') },
  'drop-constraint': { cost: inplace(false) },
  'drop-foreign-key': { cost: inplace(false) },
  'convert-charset': { cost: copy('converting the character set copies the table') },
  'rebuild-in-place': { cost: inplace(true, 'rebuilds the table in place with concurrent DML') },
  'rewrite-table': { cost: copy('the table is copied') },
  reindex: { cost: inplace(true) },
  'reindex-concurrently': { cost: inplace(true) },
  'attach-partition': { cost: copy('partition maintenance copies data') },
  'detach-partition': { cost: copy('partition maintenance copies data') },
  'detach-partition-concurrently': { cost: copy('partition maintenance copies data') },
  metadata: { cost: inplace(false) },
  'create-trigger': { cost: { ...instant(), algorithm: undefined } },
  'explicit-lock': { cost: { lock: 'MDL + LOCK=EXCLUSIVE', writes: 'blocked', reads: 'blocked', rewrite: false, scan: false, note: 'LOCK TABLES holds the lock until UNLOCK TABLES' } },
  none: { cost: { lock: 'none', writes: 'allowed', reads: 'allowed', rewrite: false, scan: false } },
};
