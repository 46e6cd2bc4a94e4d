/**
 * What an operation costs on a database server: the lock it takes, whether reads and writes can go
 * on meanwhile, and whether it rewrites or scans the table. Rules read these; the tables per
 * dialect (postgres.ts, mysql.ts, mariadb.ts) hold the facts with their sources.
 */

/** Kinds of operation that cost differently. Produced by classify.ts from an op and its context. */
export type OpClass =
  | 'create-table'
  | 'drop-table'
  | 'rename-table'
  | 'truncate'
  | 'add-column'
  | 'add-column-positioned'
  | 'add-column-volatile-default'
  | 'add-column-identity'
  | 'add-column-stored-generated'
  | 'add-column-virtual-generated'
  | 'drop-column'
  | 'rename-column'
  | 'reorder-column'
  | 'set-default'
  | 'drop-default'
  | 'change-type-widening'
  | 'change-type-enum-append'
  | 'change-type-rewrite'
  | 'set-not-null'
  | 'set-not-null-with-check'
  | 'drop-not-null'
  | 'add-index'
  | 'add-index-concurrently'
  | 'add-index-fulltext'
  | 'add-index-spatial'
  | 'drop-index'
  | 'drop-index-concurrently'
  | 'rename-index'
  | 'add-primary-key'
  | 'drop-primary-key'
  | 'add-unique-constraint'
  | 'add-constraint-using-index'
  | 'add-foreign-key'
  | 'add-foreign-key-no-checks'
  | 'add-foreign-key-not-valid'
  | 'add-check'
  | 'add-check-not-valid'
  | 'validate-constraint'
  | 'drop-constraint'
  | 'drop-foreign-key'
  | 'convert-charset'
  | 'rebuild-in-place'
  | 'rewrite-table'
  | 'reindex'
  | 'reindex-concurrently'
  | 'attach-partition'
  | 'detach-partition'
  | 'detach-partition-concurrently'
  | 'create-trigger'
  | 'explicit-lock'
  | 'metadata'
  | 'none';

/** Lock names: PostgreSQL table lock modes, or MySQL's metadata lock pattern. */
export type LockMode =
  | 'none'
  | 'ACCESS SHARE'
  | 'SHARE UPDATE EXCLUSIVE'
  | 'SHARE'
  | 'SHARE ROW EXCLUSIVE'
  | 'ACCESS EXCLUSIVE'
  /** MySQL/MariaDB: exclusive metadata lock at start and end only (online DDL). */
  | 'MDL (brief exclusive)'
  /** MySQL/MariaDB: writes blocked for the whole operation (LOCK=SHARED). */
  | 'MDL + LOCK=SHARED'
  /** MySQL/MariaDB: reads and writes blocked (LOCK=EXCLUSIVE). */
  | 'MDL + LOCK=EXCLUSIVE';

export type Access = 'allowed' | 'brief' | 'blocked';

export interface Cost {
  lock: LockMode;
  /** Concurrent writes: allowed, blocked only briefly (waits in the lock queue), or blocked for the whole operation. */
  writes: Access;
  reads: Access;
  /** The whole table (and its indexes) is rewritten or copied. */
  rewrite: boolean;
  /** The whole table is read (validation, index build) while the lock is held. */
  scan: boolean;
  /** MySQL/MariaDB algorithm the server uses by default. */
  algorithm?: 'INSTANT' | 'INPLACE' | 'NOCOPY' | 'COPY';
  /** The statement's own ALGORITHM=/LOCK= clause asks for less than the server can do: it will fail. */
  refusedByClause?: string;
  note?: string;
}

/** One row of a dialect table: the cost, optionally gated by server version. */
export interface CostRow {
  cost: Cost;
  /** Rows for older versions: the first whose `before` is later than the server wins. */
  olderVersions?: Array<{ before: string; cost: Cost }>;
}

export type CostTable = Partial<Record<OpClass, CostRow>>;
