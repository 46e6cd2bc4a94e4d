import type { AlterColumnOp, Dialect, IndexDef, OpDraft } from '../../ir/types.js';
import { alteredDefault, columnDef, columnType, generatedName, type DoctrineColumn, type DoctrineColumnOptions } from './dbal.js';

/**
 * The Doctrine Schema API, as Doctrine Migrations runs it: up() changes a clone of the live schema,
 * and afterwards DBAL's Comparator diffs the two and the platform prints the SQL
 * (`$platform->getAlterSchemaSQL($comparator->compareSchemas($from, $to))`). This model records
 * the calls, then emits IR ops in the order DBAL emits statements (source: doctrine/dbal 3.6
 * Schema/Comparator.php, Schema/SchemaDiff.php `_toSql`, Platforms/AbstractMySQLPlatform.php and
 * PostgreSQLPlatform.php `getAlterTableSQL`):
 *   created tables (MySQL: indexes inline; PostgreSQL: CREATE INDEX after each), then their foreign
 *   keys; dropped tables; then per altered table: dropped foreign keys, dropped indexes, column
 *   changes (added, dropped, modified, renamed), primary key, added foreign keys, added indexes,
 *   renamed indexes.
 * The live schema itself is unknown to a reader: a change to an existing column carries only what
 * the code changes (schema replay fills in the rest).
 */

/** Where a change came from, and under which guard it runs. */
export interface ChangeOrigin {
  statement: number;
  node: { line: number; col: number; text: string };
  /** Platforms the change runs on (undefined: all). */
  dialects?: Dialect[];
  conditional?: boolean;
}

interface IndexModel {
  name: string;
  columns: string[];
  unique: boolean;
  primary: boolean;
  flags: string[];
  partial: boolean;
  /** Added by DBAL for a foreign key, not by the code. */
  implicit?: boolean;
  origin: ChangeOrigin;
}

interface ForeignKeyModel {
  name: string;
  columns: string[];
  foreignTable: string;
  foreignColumns: string[];
  origin: ChangeOrigin;
}

interface ColumnModel {
  column: DoctrineColumn;
  origin: ChangeOrigin;
}

interface ColumnChange {
  options: DoctrineColumnOptions;
  origin: ChangeOrigin;
}

export class TableModel {
  readonly columns = new Map<string, ColumnModel>();
  readonly indexes = new Map<string, IndexModel>();
  readonly foreignKeys = new Map<string, ForeignKeyModel>();
  // changes to what existed before the migration (unknown to the reader)
  readonly droppedColumns = new Map<string, ChangeOrigin & { name: string }>();
  readonly modifiedColumns = new Map<string, { name: string; changes: ColumnChange[] }>();
  readonly renamedColumns: Array<{ from: string; to: string; origin: ChangeOrigin }> = [];
  readonly droppedIndexes = new Map<string, ChangeOrigin & { name: string }>();
  readonly renamedIndexes: Array<{ from: string; to: string; origin: ChangeOrigin }> = [];
  readonly droppedForeignKeys = new Map<string, ChangeOrigin & { name: string }>();
  droppedPrimaryKey?: ChangeOrigin;
  /** Foreign keys on existing columns for which DBAL adds an index only if the live table has none. */
  readonly implicitIndexAssumed: string[] = [];

  constructor(
    public name: string,
    /** Created by this migration (everything about it is known). */
    readonly created: boolean,
    readonly origin: ChangeOrigin,
    /** For a table DBAL re-creates under a new name (Schema::renameTable): the old name. */
    readonly copyOf?: string,
  ) {}

  get touched(): boolean {
    return (
      this.columns.size + this.indexes.size + this.foreignKeys.size + this.droppedColumns.size + this.modifiedColumns.size + this.droppedIndexes.size + this.droppedForeignKeys.size > 0 ||
      this.renamedColumns.length + this.renamedIndexes.length > 0 ||
      !!this.droppedPrimaryKey
    );
  }

  addColumn(name: string, type: string, options: DoctrineColumnOptions, origin: ChangeOrigin): void {
    const key = name.toLowerCase();
    this.droppedColumns.delete(key);
    this.columns.set(key, { column: { notnull: true, ...options, name, type }, origin });
  }

  dropColumn(name: string, origin: ChangeOrigin): void {
    const key = name.toLowerCase();
    if (this.columns.delete(key)) return;
    if (this.created) return;
    this.modifiedColumns.delete(key);
    this.droppedColumns.set(key, { ...origin, name });
  }

  /** modifyColumn(), changeColumn(), getColumn()->setX(): new options for a column. */
  modifyColumn(name: string, options: DoctrineColumnOptions, origin: ChangeOrigin): void {
    const key = name.toLowerCase();
    const own = this.columns.get(key);
    if (own) {
      own.column = { ...own.column, ...options, name: own.column.name, type: options.type ?? own.column.type };
      return;
    }
    if (this.created) return;
    const m = this.modifiedColumns.get(key) ?? { name, changes: [] };
    m.changes.push({ options, origin });
    this.modifiedColumns.set(key, m);
  }

  renameColumn(from: string, to: string, origin: ChangeOrigin): void {
    const own = this.columns.get(from.toLowerCase());
    if (own) {
      this.columns.delete(from.toLowerCase());
      own.column = { ...own.column, name: to };
      this.columns.set(to.toLowerCase(), own);
      return;
    }
    if (!this.created) this.renamedColumns.push({ from, to, origin });
  }

  hasOwnColumn(name: string): boolean {
    return this.columns.has(name.toLowerCase());
  }

  /** Table::addIndex / addUniqueIndex / setPrimaryKey: an explicit index replaces an implicit one on the same columns. */
  addIndex(index: Omit<IndexModel, 'name'> & { name?: string }): string {
    const name = index.primary ? 'primary' : (index.name ?? generatedName(this.name, index.columns, index.unique ? 'uniq' : 'idx'));
    for (const [k, existing] of this.indexes) {
      if (existing.implicit && sameColumns(existing.columns, index.columns)) this.indexes.delete(k);
    }
    this.droppedIndexes.delete(name.toLowerCase());
    this.indexes.set(name.toLowerCase(), { ...index, name });
    if (index.primary) {
      for (const c of index.columns) {
        const own = this.columns.get(c.toLowerCase());
        if (own) own.column = { ...own.column, notnull: true };
      }
    }
    return name;
  }

  dropIndex(name: string, origin: ChangeOrigin): void {
    const key = name.toLowerCase();
    if (this.indexes.delete(key)) return;
    if (!this.created) this.droppedIndexes.set(key, { ...origin, name });
  }

  dropPrimaryKey(origin: ChangeOrigin): void {
    if (this.indexes.delete('primary')) return;
    if (!this.created) this.droppedPrimaryKey = origin;
  }

  renameIndex(from: string, to: string, origin: ChangeOrigin): void {
    const own = this.indexes.get(from.toLowerCase());
    if (own) {
      this.indexes.delete(from.toLowerCase());
      this.indexes.set(to.toLowerCase(), { ...own, name: to, implicit: false });
      return;
    }
    if (!this.created) this.renamedIndexes.push({ from, to, origin });
  }

  addForeignKey(fk: Omit<ForeignKeyModel, 'name'> & { name?: string }): void {
    const name = fk.name ?? generatedName(this.name, fk.columns, 'fk');
    this.droppedForeignKeys.delete(name.toLowerCase());
    this.foreignKeys.set(name.toLowerCase(), { ...fk, name });
    // DBAL adds an index on the local columns unless an index already covers them (Table::_addForeignKeyConstraint).
    const covered = [...this.indexes.values()].some((i) => sameColumns(i.columns, fk.columns));
    if (covered) return;
    const idx = generatedName(this.name, fk.columns, 'idx');
    // On existing columns the live table may already have such an index, and then DBAL adds none:
    // zdd cannot see the live table, so it assumes the usual case (the columns are indexed).
    if (!this.created && !fk.columns.some((c) => this.columns.has(c.toLowerCase()))) {
      this.implicitIndexAssumed.push(`${this.name}(${fk.columns.join(', ')})`);
      return;
    }
    this.indexes.set(idx.toLowerCase(), { name: idx, columns: fk.columns, unique: false, primary: false, flags: [], partial: false, implicit: true, origin: fk.origin });
  }

  removeForeignKey(name: string, origin: ChangeOrigin): void {
    if (this.foreignKeys.delete(name.toLowerCase())) return;
    if (!this.created) this.droppedForeignKeys.set(name.toLowerCase(), { ...origin, name });
  }
}

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((c, i) => c.toLowerCase() === b[i]!.toLowerCase());
}

export interface SchemaOp {
  draft: OpDraft;
  origin: ChangeOrigin;
}

export class SchemaModel {
  /** Tables by lower-case name, in the order the code first touched them. */
  readonly tables = new Map<string, TableModel>();
  readonly droppedTables = new Map<string, ChangeOrigin & { name: string }>();
  readonly sequences: Array<{ name: string; action: 'create' | 'drop'; origin: ChangeOrigin }> = [];

  constructor(readonly dialect: Dialect) {}

  createTable(name: string, origin: ChangeOrigin): TableModel {
    const t = new TableModel(name, true, origin);
    this.droppedTables.delete(name.toLowerCase());
    this.tables.set(name.toLowerCase(), t);
    return t;
  }

  /** $schema->getTable(): the model of a table (an existing one the first time). */
  getTable(name: string, origin: ChangeOrigin): TableModel {
    const key = name.toLowerCase();
    let t = this.tables.get(key);
    if (!t) {
      t = new TableModel(name, false, origin);
      this.tables.set(key, t);
    }
    return t;
  }

  /** Created (or re-created) in this migration: its existence is known. */
  knownTable(name: string): TableModel | undefined {
    const t = this.tables.get(name.toLowerCase());
    return t?.created ? t : undefined;
  }

  isDropped(name: string): boolean {
    return this.droppedTables.has(name.toLowerCase());
  }

  dropTable(name: string, origin: ChangeOrigin): void {
    const key = name.toLowerCase();
    const t = this.tables.get(key);
    this.tables.delete(key);
    if (t?.created && !t.copyOf) return;
    this.droppedTables.set(key, { ...origin, name: t?.copyOf ?? name });
  }

  /**
   * Schema::renameTable() in DBAL 3: the table object is renamed in the schema, so the Comparator
   * sees a new table and a missing one and DBAL emits CREATE TABLE new + DROP TABLE old — the data
   * is not moved.
   */
  renameTable(from: string, to: string, origin: ChangeOrigin): TableModel {
    const key = from.toLowerCase();
    const t = this.tables.get(key);
    this.tables.delete(key);
    if (t?.created && !t.copyOf) {
      t.name = to;
      this.tables.set(to.toLowerCase(), t);
      return t;
    }
    const copy = new TableModel(to, true, origin, t?.copyOf ?? from);
    if (t) {
      for (const [k, c] of t.columns) copy.columns.set(k, c);
      for (const [k, i] of t.indexes) copy.indexes.set(k, i);
      for (const [k, f] of t.foreignKeys) copy.foreignKeys.set(k, f);
    }
    this.tables.set(to.toLowerCase(), copy);
    this.droppedTables.set(key, { ...origin, name: t?.copyOf ?? from });
    return copy;
  }

  /** The ops DBAL's diff produces, in its order. */
  emit(): SchemaOp[] {
    const d = this.dialect;
    const pg = d === 'postgres';
    const out: SchemaOp[] = [];
    // DBAL leaves names unquoted (unless reserved), so PostgreSQL folds them to lower case.
    const push = (draft: OpDraft, origin: ChangeOrigin): void => {
      out.push({ draft: pg ? foldNames(draft) : draft, origin });
    };
    const created = [...this.tables.values()].filter((t) => t.created);
    const altered = [...this.tables.values()].filter((t) => !t.created && t.touched).sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));

    if (pg) {
      for (const s of this.sequences.filter((x) => x.action === 'drop')) push({ kind: 'statement', table: '', statementKind: 'drop-sequence' }, s.origin);
      for (const s of this.sequences.filter((x) => x.action === 'create')) push({ kind: 'statement', table: '', statementKind: 'create-sequence' }, s.origin);
    }

    for (const t of created) {
      const indexes = [...t.indexes.values()];
      const primary = indexes.find((i) => i.primary);
      const secondary = indexes.filter((i) => !i.primary);
      const columns = [...t.columns.values()].map((c) => columnDef(c.column, d));
      push(
        {
          kind: 'create-table',
          table: t.name,
          columns,
          constraints: primary ? [{ type: 'primary', columns: primary.columns }] : [],
          indexes: pg ? [] : secondary.map(indexDef),
          ...(t.copyOf ? { like: t.copyOf, likeIncludesKeys: true } : {}),
        },
        t.origin,
      );
      if (pg) for (const i of secondary) push(addIndex(t.name, i), i.origin);
    }
    for (const t of created) for (const fk of t.foreignKeys.values()) push(addForeignKey(t.name, fk), fk.origin);

    for (const dt of this.droppedTables.values()) push({ kind: 'drop-table', table: dt.name }, dt);

    for (const t of altered) this.emitAltered(t, push);
    return out;
  }

  private emitAltered(t: TableModel, push: (draft: OpDraft, origin: ChangeOrigin) => void): void {
    const d = this.dialect;
    const pg = d === 'postgres';
    const table = t.name;
    const added = [...t.indexes.values()].filter((i) => !i.primary);
    const addedPrimary = t.indexes.get('primary');

    // pre: foreign keys and indexes that go away
    for (const fk of t.droppedForeignKeys.values()) push({ kind: 'drop-constraint', table, name: fk.name, constraint: 'foreign' }, fk);
    if (t.droppedPrimaryKey && !addedPrimary) push({ kind: 'drop-constraint', table, name: 'PRIMARY', constraint: 'primary' }, t.droppedPrimaryKey);
    for (const di of t.droppedIndexes.values()) push({ kind: 'drop-index', table, name: di.name }, di);

    // the table's columns
    for (const c of t.columns.values()) push({ kind: 'add-column', table, column: columnDef(c.column, d) }, c.origin);
    for (const dc of t.droppedColumns.values()) push({ kind: 'drop-column', table, column: dc.name }, dc);
    for (const m of t.modifiedColumns.values()) {
      const merged: DoctrineColumnOptions = {};
      for (const ch of m.changes) Object.assign(merged, ch.options);
      const origin = m.changes[0]!.origin;
      for (const op of alterColumn(table, m.name, merged, d)) push(op, origin);
    }
    for (const r of t.renamedColumns) push({ kind: 'rename-column', table, column: r.from, newName: r.to }, r.origin);
    if (addedPrimary) {
      if (t.droppedPrimaryKey) push({ kind: 'drop-constraint', table, name: 'PRIMARY', constraint: 'primary' }, t.droppedPrimaryKey);
      push({ kind: 'add-constraint', table, constraint: 'primary', columns: addedPrimary.columns, validated: true }, addedPrimary.origin);
    }

    // post: new foreign keys, new indexes, renamed indexes
    for (const fk of t.foreignKeys.values()) push(addForeignKey(table, fk), fk.origin);
    for (const i of added) push(addIndex(table, i), i.origin);
    for (const r of t.renamedIndexes) {
      // MariaDb1027Platform extends MySQLPlatform, not MySQL57Platform: it renames by DROP + CREATE.
      if (d === 'mariadb') {
        push({ kind: 'drop-index', table, name: r.from }, r.origin);
        push({ kind: 'raw', table, reason: `DBAL renames index ${r.from} to ${r.to} on MariaDB by dropping it and building it again, and zdd does not know its columns` }, r.origin);
      } else {
        push({ kind: 'rename-index', table: pg ? '' : table, name: r.from, newName: r.to }, r.origin);
      }
    }
  }
}

function indexDef(i: IndexModel): IndexDef {
  const def: IndexDef = { name: i.name, columns: i.columns, unique: i.unique };
  const method = i.flags.find((f) => f === 'fulltext' || f === 'spatial');
  if (method) def.method = method;
  if (i.partial) def.partial = true;
  return def;
}

function addIndex(table: string, i: IndexModel): OpDraft {
  const method = i.flags.find((f) => f === 'fulltext' || f === 'spatial');
  return {
    kind: 'add-index',
    table,
    name: i.name,
    columns: i.columns,
    unique: i.unique,
    concurrently: false,
    ...(method ? { method } : {}),
    ...(i.partial ? { partial: true } : {}),
  };
}

function addForeignKey(table: string, fk: ForeignKeyModel): OpDraft {
  return {
    kind: 'add-constraint',
    table,
    constraint: 'foreign',
    name: fk.name,
    columns: fk.columns,
    references: { table: fk.foreignTable, columns: fk.foreignColumns },
    validated: true,
  };
}

/**
 * The change DBAL makes to an existing column whose previous definition the reader does not know:
 * only the options the code set. A length/precision change without a type says nothing about the
 * type name, so it travels as `typeChange` and schema replay applies it to the known type.
 */
export function alterColumn(table: string, column: string, o: DoctrineColumnOptions, dialect: Dialect): OpDraft[] {
  const op: OpDraft & AlterColumnOp = { kind: 'alter-column', table, column } as OpDraft & AlterColumnOp;
  if (o.type !== undefined) {
    op.type = columnType({ name: column, ...o, type: o.type }, dialect);
  } else if (o.length !== undefined || o.precision !== undefined || o.scale !== undefined || o.unsigned !== undefined || o.fixed !== undefined) {
    const change: NonNullable<AlterColumnOp['typeChange']> = {};
    if (o.length !== undefined && o.length !== null) change.length = o.length;
    if (o.precision !== undefined && o.precision !== null) change.precision = o.precision;
    if (o.scale !== undefined && o.scale !== null) change.scale = o.scale;
    if (o.unsigned !== undefined) change.unsigned = o.unsigned;
    if (o.fixed !== undefined) change.fixed = o.fixed;
    if (Object.keys(change).length) op.typeChange = change;
  }
  if (o.columnDefinition) op.type = columnType({ name: column, type: 'string', columnDefinition: o.columnDefinition }, dialect);
  if (o.notnull !== undefined) op.nullable = !o.notnull;
  if (o.default !== undefined) op.default = alteredDefault({ name: column, type: o.type ?? guessTypeForDefault(o.default), default: o.default }, dialect);
  const changes = op.type || op.typeChange || op.nullable !== undefined || op.default !== undefined;
  return changes ? [op] : [];
}

/** Without the column's type, a default is printed as DBAL prints it for strings or integers. */
function guessTypeForDefault(v: DoctrineColumnOptions['default']): string {
  return typeof v === 'number' ? 'integer' : typeof v === 'boolean' ? 'boolean' : 'string';
}

/** PostgreSQL's folding of unquoted identifiers, applied to every name an op carries. */
function foldNames(draft: OpDraft): OpDraft {
  const low = (s: string): string => s.toLowerCase();
  const cols = (c: string[]): string[] => c.map(low);
  const d = { ...draft, table: low(draft.table) } as OpDraft & Record<string, unknown>;
  if ('name' in draft && typeof draft.name === 'string') d.name = low(draft.name);
  if ('newName' in draft && typeof draft.newName === 'string') d.newName = low(draft.newName);
  if ('like' in draft && typeof draft.like === 'string') d.like = low(draft.like);
  if ('columns' in draft && Array.isArray(draft.columns)) {
    d.columns = draft.kind === 'create-table' ? draft.columns.map((c) => ({ ...c, name: low(c.name) })) : cols(draft.columns as string[]);
  }
  if ('references' in draft && draft.references) d.references = { table: low(draft.references.table), columns: cols(draft.references.columns) };
  if (draft.kind === 'add-column') d.column = { ...draft.column, name: low(draft.column.name) };
  if ((draft.kind === 'drop-column' || draft.kind === 'rename-column' || draft.kind === 'alter-column') && typeof draft.column === 'string') d.column = low(draft.column);
  if (draft.kind === 'create-table') {
    d.constraints = draft.constraints.map((c) => ({ ...c, columns: cols(c.columns) }));
    d.indexes = draft.indexes.map((i) => ({ ...i, columns: cols(i.columns), ...(i.name ? { name: low(i.name) } : {}) }));
  }
  return d;
}
