import type { AlterColumnOp, ColumnDef, ColumnType, IndexDef, Migration, Operation, TableConstraint } from '../ir/types.js';

/**
 * Schema replay: applies operations in migration order so that rules know, for each op, what the
 * table looked like just before it — whether it is new in this change, and a column's previous
 * type, length, nullability and default. Names are compared case-insensitively (PostgreSQL folds
 * unquoted names, MySQL compares column names without case).
 */

export interface TableState {
  name: string;
  columns: Map<string, ColumnDef>;
  indexes: Map<string, IndexDef & { name: string }>;
  constraints: Map<string, TableConstraint>;
  /** Migration id that created the table; undefined when it existed before (schema dump, unknown). */
  createdIn?: string;
  /** A statement zdd could not analyse touched the table since: its columns may be other than replay says. */
  unsure?: boolean;
}

const key = (name: string): string => name.toLowerCase();

export class SchemaState {
  readonly tables = new Map<string, TableState>();
  /** A statement zdd could not analyse, on a table it could not name, ran: any table may differ from replay. */
  unsureAll = false;
  /** index name → table, for PostgreSQL `DROP INDEX name` which does not name the table. */
  private readonly indexOwners = new Map<string, string>();

  table(name: string): TableState | undefined {
    return this.tables.get(key(name));
  }

  column(table: string, column: string): ColumnDef | undefined {
    return this.table(table)?.columns.get(key(column));
  }

  /** The table that owns an index, when replay has seen it created. */
  indexTable(index: string): string | undefined {
    return this.indexOwners.get(key(index));
  }

  /**
   * Fills in what replay knows about an op before rules judge it: the previous column definition
   * (AlterColumnOp.from) and the table of a PostgreSQL DROP/ALTER INDEX, which names only the index.
   */
  enrich(op: Operation): void {
    if (op.kind === 'alter-column' && !op.from) {
      const before = this.column(op.table, op.column);
      if (before) op.from = { ...before };
      if (before && op.typeChange && !op.type) op.type = applyTypeChange(before.type, op.typeChange);
    } else if ((op.kind === 'drop-index' || op.kind === 'rename-index') && !op.table) {
      const owner = this.indexTable(op.name);
      if (owner) op.table = owner;
    }
  }

  /** Applies one op to the schema (enriching it first if that has not happened). */
  apply(op: Operation, migrationId: string | undefined): void {
    this.enrich(op);
    switch (op.kind) {
      case 'create-table': {
        if (op.ifNotExists && this.table(op.table)) return;
        const t: TableState = { name: op.table, columns: new Map(), indexes: new Map(), constraints: new Map() };
        if (migrationId !== undefined) t.createdIn = migrationId;
        // columns the statement does not spell out: a query's (AS SELECT), a table's zdd never saw
        // (LIKE, PARTITION OF, INHERITS): replay cannot tell them for certain
        if (op.asSelect) t.unsure = true;
        for (const parent of [...(op.partitionOf ? [op.partitionOf] : []), ...(op.inherits ?? [])]) {
          const src = this.table(parent);
          if (!src || src.unsure) t.unsure = true;
          else for (const [k, c] of src.columns) if (!t.columns.has(k)) t.columns.set(k, { ...c });
        }
        if (op.like) {
          const src = this.table(op.like);
          if (!src || src.unsure) t.unsure = true;
          if (src) for (const [k, c] of src.columns) t.columns.set(k, { ...c });
          if (src && op.likeIncludesKeys) {
            for (const [k, c] of src.constraints) if (c.type !== 'foreign') t.constraints.set(k, { ...c });
            for (const i of src.indexes.values()) this.addIndex(t, { ...i });
          }
        }
        for (const c of op.columns) t.columns.set(key(c.name), { ...c });
        for (const c of op.constraints) {
          if (c.type === 'primary') for (const col of c.columns) markNotNull(t, col);
          t.constraints.set(key(c.name ?? `${c.type}:${c.columns.join(',')}`), c);
        }
        for (const i of op.indexes) this.addIndex(t, { ...i, name: i.name ?? `${op.table}_${i.columns.join('_')}_idx` });
        this.tables.set(key(op.table), t);
        return;
      }
      case 'drop-table': {
        const t = this.table(op.table);
        if (t) for (const i of t.indexes.keys()) this.indexOwners.delete(i);
        this.tables.delete(key(op.table));
        return;
      }
      case 'rename-table': {
        const t = this.table(op.table);
        if (!t) return;
        this.tables.delete(key(op.table));
        t.name = op.newName;
        this.tables.set(key(op.newName), t);
        for (const i of t.indexes.keys()) this.indexOwners.set(i, op.newName);
        return;
      }
      case 'add-column': {
        const t = this.table(op.table);
        if (t) t.columns.set(key(op.column.name), { ...op.column });
        return;
      }
      case 'drop-column':
        this.table(op.table)?.columns.delete(key(op.column));
        return;
      case 'rename-column': {
        const t = this.table(op.table);
        const c = t?.columns.get(key(op.column));
        if (!t || !c) return;
        t.columns.delete(key(op.column));
        t.columns.set(key(op.newName), { ...c, name: op.newName });
        return;
      }
      case 'alter-column': {
        const t = this.table(op.table);
        const before = t?.columns.get(key(op.column));
        if (!t) return;
        const next: ColumnDef = op.restatesColumn && op.definition ? { ...op.definition } : before ? { ...before } : { name: op.column, type: op.type ?? { name: 'unknown', text: 'unknown' }, nullable: true };
        if (!op.restatesColumn) {
          if (op.type) next.type = op.type;
          if (op.nullable !== undefined) next.nullable = op.nullable;
          if (op.default === null) delete next.default;
          else if (op.default) next.default = op.default;
        }
        t.columns.set(key(op.column), next);
        return;
      }
      case 'add-index': {
        const table = this.table(op.table);
        if (table) this.addIndex(table, { name: op.name ?? `${op.table}_${op.columns.join('_')}_idx`, columns: op.columns, unique: op.unique, ...(op.method ? { method: op.method } : {}) });
        return;
      }
      case 'drop-index': {
        this.table(op.table)?.indexes.delete(key(op.name));
        this.indexOwners.delete(key(op.name));
        return;
      }
      case 'rename-index': {
        const t = this.table(op.table);
        const idx = t?.indexes.get(key(op.name));
        if (t && idx) {
          t.indexes.delete(key(op.name));
          this.addIndex(t, { ...idx, name: op.newName });
        }
        this.indexOwners.delete(key(op.name));
        return;
      }
      case 'add-constraint': {
        const t = this.table(op.table);
        if (!t) return;
        if (op.constraint === 'primary') for (const col of op.columns) markNotNull(t, col);
        const c: TableConstraint = { type: op.constraint, columns: op.columns };
        if (op.name) c.name = op.name;
        if (op.references) c.references = op.references;
        if (op.expression !== undefined) c.expression = op.expression;
        c.validated = op.validated;
        t.constraints.set(key(op.name ?? `${op.constraint}:${op.columns.join(',')}`), c);
        return;
      }
      case 'drop-constraint':
        this.table(op.table)?.constraints.delete(key(op.name));
        return;
      case 'validate-constraint': {
        const c = this.table(op.table)?.constraints.get(key(op.name));
        if (c) c.validated = true;
        return;
      }
      case 'raw': {
        if (!op.table) this.unsureAll = true;
        else {
          const t = this.table(op.table);
          if (t) t.unsure = true;
        }
        return;
      }
      default:
        return;
    }
  }

  /** Whether `columns` include every column of one of the table's unique keys (primary key, unique constraint or index, a column declared unique). */
  coversUniqueKey(table: string, columns: readonly string[]): boolean {
    const t = this.table(table);
    if (!t) return false;
    const have = new Set(columns.map(key));
    const covers = (cols: readonly string[]): boolean => cols.length > 0 && cols.every((c) => have.has(key(c)));
    for (const c of t.columns.values()) if ((c.primaryKey || c.unique) && have.has(key(c.name))) return true;
    for (const c of t.constraints.values()) if ((c.type === 'primary' || c.type === 'unique') && covers(c.columns)) return true;
    for (const i of t.indexes.values()) if (i.unique && covers(i.columns)) return true;
    return false;
  }

  /**
   * Whether replay knows every column of `table` for certain: it saw the table created (or read it
   * from a schema dump) and nothing it could not analyse touched it since.
   */
  knowsColumnsOf(table: string): boolean {
    const t = this.table(table);
    return !!t && !t.unsure && !this.unsureAll;
  }

  private addIndex(t: TableState, idx: IndexDef & { name: string }): void {
    t.indexes.set(key(idx.name), idx);
    this.indexOwners.set(key(idx.name), t.name);
  }
}

/**
 * Which migrations a table must have been created in to count as new at an op — nothing deployed
 * can use it yet. `migration`: the op's own migration only (path mode: zdd cannot tell which of the
 * given files the database has run already, so a folder's earlier files count as deployed);
 * `release`: any migration of the change (release mode: the change is what the running release lacks).
 */
export type NewTableScope = 'migration' | 'release';

/**
 * Whether `table` is new at an op of migration `migrationId`: created by it, or under the `release`
 * scope by one of `change` (the change's migrations the running release does not have). Lint's
 * rules and zdd-plan decide with this one function.
 */
export function isNewTableIn(schema: SchemaState, table: string, migrationId: string, scope: NewTableScope, change: ReadonlySet<string>): boolean {
  const created = schema.table(table)?.createdIn;
  if (!created) return false;
  return created === migrationId || (scope === 'release' && change.has(created));
}

/**
 * The column an op drops, renames or alters when replay says for certain the table does not have it:
 * the statement fails when it runs. Undefined when the table has it, when replay cannot tell, or
 * when the op may not run at all (IF EXISTS, a run-time guard, a statement for another server).
 * The `unknown-column` rule reports it; zdd-plan refuses to plan it as a step that works.
 */
export function missingColumn(schema: SchemaState, op: Operation, dialect: string): string | undefined {
  if (op.kind !== 'drop-column' && op.kind !== 'rename-column' && op.kind !== 'alter-column') return undefined;
  if ((op.kind === 'drop-column' && op.ifExists) || op.conditional || (op.dialects && !op.dialects.includes(dialect as never))) return undefined;
  if (!schema.knowsColumnsOf(op.table) || schema.column(op.table, op.column)) return undefined;
  return op.column;
}

/**
 * A known type with new parameters (Doctrine `setLength()` / `setPrecision()` on a column whose type
 * the reader did not know). Sized text/blob types keep their name: DBAL would pick TINY/MEDIUM/LONG
 * from the length only for its own text type.
 */
export function applyTypeChange(type: ColumnType, change: NonNullable<AlterColumnOp['typeChange']>): ColumnType {
  const next: ColumnType = { ...type };
  if (change.fixed !== undefined) {
    if (type.name === 'varchar' || type.name === 'char') next.name = change.fixed ? 'char' : 'varchar';
    if (type.name === 'varbinary' || type.name === 'binary') next.name = change.fixed ? 'binary' : 'varbinary';
  }
  if (change.length !== undefined && ['varchar', 'char', 'varbinary', 'binary', 'bit'].includes(next.name)) next.length = change.length;
  if (change.precision !== undefined && next.name === 'decimal') next.precision = change.precision;
  if (change.scale !== undefined && next.name === 'decimal') next.scale = change.scale;
  if (change.unsigned !== undefined) {
    if (change.unsigned) next.unsigned = true;
    else delete next.unsigned;
  }
  const args = next.length !== undefined && next.name !== 'decimal' ? `(${next.length})` : next.name === 'decimal' && next.precision !== undefined ? `(${next.precision},${next.scale ?? 0})` : '';
  const base = next.name === 'decimal' ? (/^numeric/.test(type.text) ? 'numeric' : 'decimal') : next.name;
  if (next.name !== type.name || next.length !== type.length || next.precision !== type.precision || next.scale !== type.scale || next.unsigned !== type.unsigned) {
    next.text = `${base}${args}${next.unsigned ? ' unsigned' : ''}`;
  }
  return next;
}

function markNotNull(t: TableState, column: string): void {
  const c = t.columns.get(key(column));
  if (c) c.nullable = false;
}

/** Replays whole migrations (used for history before the change, and schema dumps). */
export function replayMigrations(state: SchemaState, migrations: Migration[], options: { markCreated: boolean }): void {
  for (const m of migrations) for (const op of m.ops) state.apply(op, options.markCreated ? m.id : undefined);
}
