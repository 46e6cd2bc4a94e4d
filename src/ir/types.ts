/**
 * The IR: the one vocabulary between readers and everything after them.
 * Readers (SQL, Laravel, Doctrine) produce `Migration`s holding `Operation`s; nothing downstream
 * knows which reader produced an op, except `Migration.format`, used to print fixes in the
 * user's own format.
 */

export type Dialect = 'mysql' | 'mariadb' | 'postgres';
export const DIALECTS: readonly Dialect[] = ['mysql', 'mariadb', 'postgres'];

export type MigrationFormat = 'laravel' | 'doctrine' | 'sql';

/** Where an operation came from. Lines and columns are 1-based. */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
  /** The original text of the statement or call (trimmed, possibly shortened for huge statements). */
  text: string;
}

/** A column's type as far as the rules need it. `name` is lower-case and canonical (see readers/sql/types.ts). */
export interface ColumnType {
  name: string;
  /** Length for char/varchar/binary/varbinary/bit. */
  length?: number;
  precision?: number;
  scale?: number;
  /** enum/set values in order. */
  values?: string[];
  unsigned?: boolean;
  /** The type as written, e.g. `varchar(255)`, `numeric(10,2)`. */
  text: string;
  /** Array type (PostgreSQL `text[]`). */
  array?: boolean;
  /** Character set / collation given on the column (MySQL). */
  charset?: string;
  collation?: string;
}

export type DefaultKind = 'constant' | 'expression' | 'volatile' | 'null';

export interface ColumnDefault {
  kind: DefaultKind;
  /** The expression as written. */
  text: string;
}

export interface ColumnDef {
  name: string;
  type: ColumnType;
  /** true unless NOT NULL (or PRIMARY KEY) was given. */
  nullable: boolean;
  default?: ColumnDefault;
  autoIncrement?: boolean;
  /** serial / bigserial / GENERATED … AS IDENTITY */
  identity?: boolean;
  generated?: { kind: 'stored' | 'virtual'; expression: string };
  primaryKey?: boolean;
  unique?: boolean;
  references?: ForeignRef;
  comment?: string;
}

/** What a foreign key references, with its referential actions when the statement gave them. */
export interface ForeignRef {
  table: string;
  columns: string[];
  /** `CASCADE`, `SET NULL`, `SET DEFAULT`, `RESTRICT` (omitted: the default, NO ACTION). */
  onDelete?: string;
  onUpdate?: string;
}

export type ColumnPosition = { first: true } | { after: string };

export type ConstraintType = 'primary' | 'unique' | 'foreign' | 'check' | 'exclude';

/** MySQL `ALGORITHM=` / `LOCK=` clauses written on the statement. */
export interface MysqlClauses {
  algorithm?: 'DEFAULT' | 'INSTANT' | 'INPLACE' | 'COPY' | 'NOCOPY';
  lock?: 'DEFAULT' | 'NONE' | 'SHARED' | 'EXCLUSIVE';
}

export interface OpBase {
  table: string;
  /** Schema / database qualifier if the statement gave one. */
  schema?: string;
  source: SourceLocation;
  /** Index of the statement (or Blueprint call group) inside the migration; ops of one statement share it. */
  statement: number;
  /** Inside an explicit BEGIN … COMMIT block written in the migration itself. */
  inTransactionBlock?: boolean;
  /** Under a `Schema::hasTable/hasColumn` guard or similar runtime condition: the op may not run. */
  conditional?: boolean;
  /**
   * Names zdd knows only as the run-time expression that computes them (Doctrine: another class's
   * constant, a base-class name helper, a variable), written into the op as those expressions: lint
   * reads the op by them, but SQL written from the op would not be the SQL that runs.
   */
  symbolicNames?: string[];
  /** When a platform guard limits the op to some dialects. Undefined = all. */
  dialects?: Dialect[];
  /** MySQL ALGORITHM/LOCK clauses of the statement this op came from. */
  mysql?: MysqlClauses;
  /**
   * The complete SQL statement the op was read from, exactly as written (SQL files, DB::statement,
   * addSql), or the SQL a simple query-builder write sends. Ops of one statement share it. Absent
   * for Blueprint calls and for PHP zdd cannot write as SQL.
   */
  sql?: string;
}

export interface CreateTableOp extends OpBase {
  kind: 'create-table';
  columns: ColumnDef[];
  constraints: TableConstraint[];
  indexes: IndexDef[];
  ifNotExists?: boolean;
  temporary?: boolean;
  /** CREATE TABLE … AS SELECT / LIKE */
  asSelect?: boolean;
  like?: string;
  /** With `like`: the copy also gets the source's indexes and constraints (MySQL LIKE; a table DBAL re-creates under a new name). */
  likeIncludesKeys?: boolean;
  partitionOf?: string;
  /** PostgreSQL INHERITS (parents): the table has their columns too. */
  inherits?: string[];
}

export interface TableConstraint {
  type: ConstraintType;
  name?: string;
  columns: string[];
  references?: ForeignRef;
  expression?: string;
  /** false while a PostgreSQL NOT VALID constraint has not been validated. */
  validated?: boolean;
}

export interface IndexDef {
  name?: string;
  columns: string[];
  unique: boolean;
  /** btree (default), fulltext, spatial, gin, gist, brin, hash … */
  method?: string;
  /** Partial index (WHERE …). */
  partial?: boolean;
}

export interface DropTableOp extends OpBase {
  kind: 'drop-table';
  ifExists?: boolean;
  cascade?: boolean;
}

export interface RenameTableOp extends OpBase {
  kind: 'rename-table';
  newName: string;
}

export interface AddColumnOp extends OpBase {
  kind: 'add-column';
  column: ColumnDef;
  position?: ColumnPosition;
  ifNotExists?: boolean;
}

export interface DropColumnOp extends OpBase {
  kind: 'drop-column';
  column: string;
  ifExists?: boolean;
  cascade?: boolean;
}

export interface RenameColumnOp extends OpBase {
  kind: 'rename-column';
  column: string;
  newName: string;
}

/**
 * Any change to an existing column's definition. Only the fields that the statement sets are
 * present. `from` is filled by schema replay when the previous definition is known.
 */
export interface AlterColumnOp extends OpBase {
  kind: 'alter-column';
  column: string;
  /** New type (ALTER COLUMN TYPE, MODIFY, CHANGE). */
  type?: ColumnType;
  /**
   * A change to the parameters of the column's current type, when the reader does not know the type
   * itself (Doctrine `getColumn('c')->setLength(191)`): schema replay turns it into `type`.
   */
  typeChange?: { length?: number; precision?: number; scale?: number; unsigned?: boolean; fixed?: boolean };
  /** PostgreSQL `USING` expression. */
  using?: string;
  /** true: becomes NULL-able; false: becomes NOT NULL. */
  nullable?: boolean;
  /** A new default; `null` means the default is dropped. */
  default?: ColumnDefault | null;
  /** MySQL MODIFY/CHANGE restate the whole column: unspecified attributes are reset. */
  restatesColumn?: boolean;
  /** The full new definition for restating forms (MODIFY/CHANGE, Laravel ->change()). */
  definition?: ColumnDef;
  position?: ColumnPosition;
  /** Previous definition, from schema replay. */
  from?: ColumnDef;
}

export interface AddIndexOp extends OpBase {
  kind: 'add-index';
  name?: string;
  columns: string[];
  unique: boolean;
  method?: string;
  concurrently?: boolean;
  ifNotExists?: boolean;
  partial?: boolean;
}

export interface DropIndexOp extends OpBase {
  kind: 'drop-index';
  name: string;
  concurrently?: boolean;
  ifExists?: boolean;
}

export interface RenameIndexOp extends OpBase {
  kind: 'rename-index';
  name: string;
  newName: string;
}

export interface AddConstraintOp extends OpBase {
  kind: 'add-constraint';
  constraint: ConstraintType;
  name?: string;
  columns: string[];
  references?: ForeignRef;
  expression?: string;
  /** false when written NOT VALID (PostgreSQL) — the existing rows are not checked now. */
  validated: boolean;
  /** PostgreSQL `ADD CONSTRAINT … USING INDEX idx`: no index build. */
  usingIndex?: string;
}

export interface ValidateConstraintOp extends OpBase {
  kind: 'validate-constraint';
  name: string;
}

export interface DropConstraintOp extends OpBase {
  kind: 'drop-constraint';
  name: string;
  constraint?: ConstraintType;
  ifExists?: boolean;
}

export type DataAction = 'update' | 'delete' | 'insert' | 'insert-select' | 'upsert' | 'merge';

export interface DataOp extends OpBase {
  kind: 'data';
  action: DataAction;
  /** Written in batches (LIMIT, chunkById, a loop) rather than one statement over the table. */
  batched: boolean;
  /** A WHERE clause restricts the rows touched. */
  filtered: boolean;
  /**
   * Columns the WHERE pins to one value (`name = 'x' AND tenant_id = ?`, `->where('name', 'x')`),
   * when it is a plain AND of conditions: with a unique key among them, the write touches one row.
   */
  keyEquals?: string[];
  via: 'sql' | 'query-builder' | 'eloquent';
}

export interface TruncateOp extends OpBase {
  kind: 'truncate';
  cascade?: boolean;
}

/** SET lock_timeout / statement_timeout / lock_wait_timeout / foreign_key_checks … */
export interface SessionOp extends OpBase {
  kind: 'session';
  setting: string;
  value: string;
  /**
   * How far the setting reaches: the session (default), the current transaction (PostgreSQL SET
   * LOCAL), only the one statement (MariaDB SET STATEMENT … FOR), or other sessions (MySQL SET
   * GLOBAL/PERSIST: not this one).
   */
  scope?: 'session' | 'transaction' | 'statement' | 'global';
}

/**
 * A table-level change that is neither a column nor an index nor a constraint: MySQL table
 * options (ENGINE=, CONVERT TO CHARACTER SET, FORCE, ROW_FORMAT), PostgreSQL SET LOGGED,
 * SET TABLESPACE, CLUSTER, VACUUM FULL, REINDEX, partition attach/detach.
 */
export interface TableOptionOp extends OpBase {
  kind: 'table-option';
  option: TableOption;
  value?: string;
  concurrently?: boolean;
}

export type TableOption =
  | 'engine'
  | 'convert-charset'
  | 'default-charset'
  | 'force'
  | 'row-format'
  | 'auto-increment'
  | 'comment'
  | 'set-logged'
  | 'set-unlogged'
  | 'set-tablespace'
  | 'cluster'
  | 'vacuum-full'
  | 'reindex'
  | 'attach-partition'
  | 'detach-partition'
  | 'storage-parameter'
  | 'trigger'
  | 'create-trigger'
  | 'lock'
  | 'set-expression'
  | 'owner'
  | 'other';

/**
 * A statement that was understood and changes no table structure the rules judge: CREATE
 * FUNCTION/VIEW/TRIGGER/TYPE/EXTENSION/SEQUENCE, COMMENT ON, GRANT, SELECT, transaction control.
 * `table` is the object the statement touches, or '' when none.
 */
export interface StatementOp extends OpBase {
  kind: 'statement';
  statementKind: string;
}

/** Anything the readers could not analyse. The `unparsed-statement` rule reports every one. */
export interface RawOp extends OpBase {
  kind: 'raw';
  reason: string;
}

export type Operation =
  | CreateTableOp
  | DropTableOp
  | RenameTableOp
  | AddColumnOp
  | DropColumnOp
  | RenameColumnOp
  | AlterColumnOp
  | AddIndexOp
  | DropIndexOp
  | RenameIndexOp
  | AddConstraintOp
  | ValidateConstraintOp
  | DropConstraintOp
  | DataOp
  | TruncateOp
  | SessionOp
  | TableOptionOp
  | StatementOp
  | RawOp;

export type OperationKind = Operation['kind'];
export type OpOf<K extends OperationKind> = Extract<Operation, { kind: K }>;

/** A `zdd-ignore` comment found by a reader. */
export interface Suppression {
  rules: string[];
  reason: string;
  /** Line of the comment. */
  line: number;
  /** Statement index the comment applies to (the next one); undefined when none follows. */
  statement?: number;
  /** Further statements covered: a PHP comment before `Schema::table(…)` covers every call in its closure. */
  statements?: number[];
  /** For file-wide ignores (`zdd-ignore-file`). */
  file?: boolean;
}

export interface Migration {
  /** The migration's identity: file name without extension (Laravel, SQL) or the class name (Doctrine). */
  id: string;
  /** Path as given/relative to the working directory. */
  file: string;
  format: MigrationFormat;
  /** The runner wraps the whole migration in one transaction. */
  transactional: boolean;
  ops: Operation[];
  suppressions: Suppression[];
  /** The reverse operations (Laravel down(), Doctrine down()), for the planner. */
  down?: Operation[];
  /** Database connection name (Laravel `$connection`, Schema::connection()). */
  connection?: string;
  /** Notes the reader wants to tell in --verbose mode. */
  notes?: string[];
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An operation before the reader has attached its source location and statement index. */
export type OpDraft = DistributiveOmit<Operation, 'source' | 'statement'>;
