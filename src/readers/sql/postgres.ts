/* eslint-disable @typescript-eslint/no-explicit-any */
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import type {
  ColumnDef,
  ColumnType,
  ConstraintType,
  ForeignRef,
  IndexDef,
  OpDraft,
  TableConstraint,
  TableOption,
} from '../../ir/types.js';
import { classifyDefault, parseTypeText, SERIAL_TYPES } from './types.js';
import { expressionAfter, parenAfter } from './exprtext.js';

/**
 * PostgreSQL statements → IR, on the AST of PostgreSQL's own parser (libpg-query, PG 18 grammar,
 * which accepts the PG 12–17 DDL zdd cares about). The WASM module is loaded lazily, once.
 */

type Node = Record<string, any>;

let pg: typeof import('libpg-query') | undefined;

export async function loadPostgresParser(): Promise<void> {
  if (pg) return;
  // Baseline (Liftoff) code only: optimising the 1.7 MB parser module in background threads cost
  // more CPU than a whole lint run of a migration (measured with hyperfine), and the baseline code
  // parses far faster than zdd needs.
  setFlagsFromString('--liftoff-only');
  setFlagsFromString('--wasm-lazy-validation');
  // require(), not import(): the package's main entry is CommonJS, and importing it from ESM costs a
  // cjs-module-lexer pass over the whole file.
  const mod = createRequire(import.meta.url)('libpg-query') as typeof import('libpg-query');
  await mod.loadModule();
  pg = mod;
}

/** True once loadPostgresParser() has finished (readers of embedded SQL check before parsing PostgreSQL). */
export function postgresParserLoaded(): boolean {
  return pg !== undefined;
}

export interface PgParseResult {
  ops: OpDraft[];
  /** Transaction control found in this statement. */
  transaction?: 'begin' | 'commit';
}

export class PgSyntaxError extends Error {
  constructor(message: string, readonly position?: number) {
    super(message);
  }
}

export function parsePostgresStatement(sql: string): PgParseResult {
  if (!pg) throw new Error('PostgreSQL parser not loaded: call loadPostgresParser() first');
  let tree: Node;
  try {
    tree = pg.parseSync(sql) as Node;
  } catch (e) {
    const err = e as Error & { sqlDetails?: { cursorPosition?: number } };
    throw new PgSyntaxError(err.message, err.sqlDetails?.cursorPosition);
  }
  const ops: OpDraft[] = [];
  let transaction: PgParseResult['transaction'];
  for (const raw of (tree.stmts ?? []) as Node[]) {
    const stmt = raw.stmt as Node;
    const [type, node] = Object.entries(stmt)[0] as [string, Node];
    if (type === 'TransactionStmt') {
      const k = node.kind as string;
      if (k === 'TRANS_STMT_BEGIN' || k === 'TRANS_STMT_START') transaction = 'begin';
      else if (k === 'TRANS_STMT_COMMIT' || k === 'TRANS_STMT_ROLLBACK') transaction = 'commit';
      ops.push({ kind: 'statement', table: '', statementKind: k.replace('TRANS_STMT_', '').toLowerCase() });
      continue;
    }
    ops.push(...mapStatement(type, node, sql));
  }
  return { ops, transaction };
}

const str = (n: Node | undefined): string => (n?.String?.sval ?? n?.sval ?? '') as string;
const names = (list: Node[] | undefined): string[] => (list ?? []).map(str);

function rel(node: Node | undefined): { table: string; schema?: string } {
  if (!node) return { table: '' };
  return node.schemaname ? { table: node.relname, schema: node.schemaname } : { table: node.relname };
}

function qualified(parts: string[]): { table: string; schema?: string } {
  if (parts.length >= 2) return { table: parts[parts.length - 1]!, schema: parts[parts.length - 2]! };
  return { table: parts[0] ?? '' };
}

function typeOf(typeName: Node | undefined): ColumnType {
  if (!typeName) return { name: 'unknown', text: 'unknown' };
  const parts = names(typeName.names).filter((p) => p !== 'pg_catalog');
  const base = parts.join('.');
  const mods = ((typeName.typmods ?? []) as Node[]).map((m) => {
    const c = m.A_Const;
    if (c?.ival !== undefined) return String(c.ival.ival ?? 0);
    if (c?.sval) return `'${c.sval.sval}'`;
    return '?';
  });
  let text = DISPLAY[base] ?? base;
  if (mods.length) text += `(${mods.join(',')})`;
  if (typeName.arrayBounds) text += '[]';
  return parseTypeText(text);
}

const DISPLAY: Record<string, string> = {
  int4: 'integer',
  int8: 'bigint',
  int2: 'smallint',
  bool: 'boolean',
  float8: 'double precision',
  float4: 'real',
  bpchar: 'char',
  timestamptz: 'timestamptz',
};

function columnDef(def: Node, sql: string): ColumnDef {
  const typeNames = names(def.typeName?.names);
  const rawType = typeNames[typeNames.length - 1] ?? '';
  const col: ColumnDef = { name: def.colname, type: typeOf(def.typeName), nullable: true };
  if (SERIAL_TYPES.has(rawType)) {
    col.identity = true;
    col.nullable = false;
  }
  for (const c of (def.constraints ?? []) as Node[]) {
    const k = c.Constraint as Node;
    switch (k.contype) {
      case 'CONSTR_NOTNULL':
        col.nullable = false;
        break;
      case 'CONSTR_NULL':
        col.nullable = true;
        break;
      case 'CONSTR_DEFAULT': {
        const text = expressionAfter(sql, k.location ?? 0, 'DEFAULT', 'postgres') ?? '?';
        col.default = classifyDefault(text);
        break;
      }
      case 'CONSTR_PRIMARY':
        col.primaryKey = true;
        col.nullable = false;
        break;
      case 'CONSTR_UNIQUE':
        col.unique = true;
        break;
      case 'CONSTR_IDENTITY':
        col.identity = true;
        col.nullable = false;
        break;
      case 'CONSTR_GENERATED':
        col.generated = { kind: 'stored', expression: parenAfter(sql, k.location ?? 0, 'AS', 'postgres') ?? '' };
        break;
      case 'CONSTR_FOREIGN':
        col.references = foreignRef(k);
        break;
      default:
        break;
    }
  }
  return col;
}

/** Column-level CHECK constraints (`col varchar(255) CHECK (col IN (…))`) as table constraints. */
function columnChecks(def: Node, sql: string): TableConstraint[] {
  return ((def.constraints ?? []) as Node[])
    .map((c) => c.Constraint as Node)
    .filter((k) => k.contype === 'CONSTR_CHECK')
    .map((k) => ({ type: 'check' as const, columns: [def.colname as string], expression: parenAfter(sql, k.location ?? 0, 'CHECK', 'postgres') ?? '', ...(k.conname ? { name: k.conname as string } : {}), validated: !k.skip_validation }));
}

/** libpg-query's one-letter referential actions; 'a' (NO ACTION) is the default and omitted. */
const FK_ACTIONS: Record<string, string> = { c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT', r: 'RESTRICT' };

function foreignRef(k: Node): ForeignRef {
  const ref: ForeignRef = { table: k.pktable?.relname ?? '', columns: names(k.pk_attrs) };
  const del = FK_ACTIONS[k.fk_del_action as string];
  const upd = FK_ACTIONS[k.fk_upd_action as string];
  if (del) ref.onDelete = del;
  if (upd) ref.onUpdate = upd;
  return ref;
}

const CONSTRAINT_TYPES: Record<string, ConstraintType> = {
  CONSTR_PRIMARY: 'primary',
  CONSTR_UNIQUE: 'unique',
  CONSTR_FOREIGN: 'foreign',
  CONSTR_CHECK: 'check',
  CONSTR_EXCLUSION: 'exclude',
};

function tableConstraint(k: Node, sql: string): TableConstraint | undefined {
  const type = CONSTRAINT_TYPES[k.contype as string];
  if (!type) return undefined;
  const c: TableConstraint = { type, columns: type === 'foreign' ? names(k.fk_attrs) : names(k.keys) };
  if (k.conname) c.name = k.conname;
  if (type === 'foreign') c.references = foreignRef(k);
  if (type === 'check') c.expression = parenAfter(sql, k.location ?? 0, 'CHECK', 'postgres') ?? '';
  return c;
}

function indexColumns(params: Node[] | undefined, sql: string): string[] {
  return (params ?? []).map((p) => {
    const e = p.IndexElem as Node;
    if (e.name) return e.name as string;
    const loc = minLocation(e.expr);
    if (loc === undefined) return '(expression)';
    return `(${expressionAfterAt(sql, loc)})`;
  });
}

function expressionAfterAt(sql: string, loc: number): string {
  // Take text up to the next top-level comma or closing parenthesis.
  let depth = 0;
  for (let i = loc; i < sql.length; i++) {
    const ch = sql[i];
    if (ch === '(') depth++;
    else if (ch === ')') {
      if (depth === 0) return sql.slice(loc, i).trim();
      depth--;
    } else if (ch === ',' && depth === 0) return sql.slice(loc, i).trim();
  }
  return sql.slice(loc).trim();
}

function minLocation(node: unknown): number | undefined {
  let min: number | undefined;
  const visit = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) {
      n.forEach(visit);
      return;
    }
    for (const [k, v] of Object.entries(n as Node)) {
      if (k === 'location' && typeof v === 'number' && v >= 0) min = min === undefined ? v : Math.min(min, v);
      else visit(v);
    }
  };
  visit(node);
  return min;
}

const TABLE_OPTIONS: Record<string, TableOption> = {
  AT_SetLogged: 'set-logged',
  AT_SetUnLogged: 'set-unlogged',
  AT_SetTableSpace: 'set-tablespace',
  AT_ClusterOn: 'cluster',
  AT_DropCluster: 'storage-parameter',
  AT_SetRelOptions: 'storage-parameter',
  AT_ResetRelOptions: 'storage-parameter',
  AT_ReplaceRelOptions: 'storage-parameter',
  AT_SetStatistics: 'storage-parameter',
  AT_SetOptions: 'storage-parameter',
  AT_ResetOptions: 'storage-parameter',
  AT_SetStorage: 'storage-parameter',
  AT_SetCompression: 'storage-parameter',
  AT_AttachPartition: 'attach-partition',
  AT_DetachPartition: 'detach-partition',
  AT_DetachPartitionFinalize: 'detach-partition',
  AT_EnableTrig: 'trigger',
  AT_EnableAlwaysTrig: 'trigger',
  AT_EnableReplicaTrig: 'trigger',
  AT_EnableTrigAll: 'trigger',
  AT_EnableTrigUser: 'trigger',
  AT_DisableTrig: 'trigger',
  AT_DisableTrigAll: 'trigger',
  AT_DisableTrigUser: 'trigger',
  AT_ChangeOwner: 'owner',
};

function mapAlterTable(node: Node, sql: string): OpDraft[] {
  const target = rel(node.relation);
  const objtype = node.objtype as string;
  if (objtype !== 'OBJECT_TABLE' && objtype !== 'OBJECT_FOREIGN_TABLE') {
    return [{ kind: 'statement', ...target, statementKind: `alter-${objtype.replace('OBJECT_', '').toLowerCase()}` }];
  }
  const ops: OpDraft[] = [];
  for (const cmdNode of (node.cmds ?? []) as Node[]) {
    const cmd = cmdNode.AlterTableCmd as Node;
    const sub = cmd.subtype as string;
    const column = cmd.name as string;
    switch (sub) {
      case 'AT_AddColumn': {
        const def = cmd.def.ColumnDef as Node;
        ops.push({ kind: 'add-column', ...target, column: columnDef(def, sql), ifNotExists: !!cmd.missing_ok });
        for (const c of columnChecks(def, sql)) {
          ops.push({ kind: 'add-constraint', ...target, constraint: 'check', columns: c.columns, expression: c.expression ?? '', validated: c.validated !== false, ...(c.name ? { name: c.name } : {}) });
        }
        break;
      }
      case 'AT_DropColumn':
        ops.push({ kind: 'drop-column', ...target, column, ifExists: !!cmd.missing_ok, cascade: cmd.behavior === 'DROP_CASCADE' });
        break;
      case 'AT_AlterColumnType': {
        const def = cmd.def.ColumnDef as Node;
        const op: OpDraft = { kind: 'alter-column', ...target, column, type: typeOf(def.typeName) };
        if (def.raw_default) op.using = expressionAfter(sql, def.location ?? 0, 'USING', 'postgres') ?? '?';
        ops.push(op);
        break;
      }
      case 'AT_ColumnDefault':
        if (cmd.def) {
          const text = expressionAfterAt(sql, minLocation(cmd.def) ?? 0);
          ops.push({ kind: 'alter-column', ...target, column, default: classifyDefault(text) });
        } else {
          ops.push({ kind: 'alter-column', ...target, column, default: null });
        }
        break;
      case 'AT_SetNotNull':
        ops.push({ kind: 'alter-column', ...target, column, nullable: false });
        break;
      case 'AT_DropNotNull':
        ops.push({ kind: 'alter-column', ...target, column, nullable: true });
        break;
      case 'AT_AddConstraint': {
        const k = cmd.def.Constraint as Node;
        const c = tableConstraint(k, sql);
        if (!c) {
          ops.push({ kind: 'statement', ...target, statementKind: `add-constraint-${String(k.contype).toLowerCase()}` });
          break;
        }
        const op: OpDraft = {
          kind: 'add-constraint',
          ...target,
          constraint: c.type,
          columns: c.columns,
          validated: !k.skip_validation,
        };
        if (c.name) op.name = c.name;
        if (c.references) op.references = c.references;
        if (c.expression !== undefined) op.expression = c.expression;
        if (k.indexname) op.usingIndex = k.indexname;
        ops.push(op);
        break;
      }
      case 'AT_ValidateConstraint':
        ops.push({ kind: 'validate-constraint', ...target, name: column });
        break;
      case 'AT_DropConstraint':
        ops.push({ kind: 'drop-constraint', ...target, name: column, ifExists: !!cmd.missing_ok });
        break;
      case 'AT_SetExpression':
        // PostgreSQL 17: a stored generated column gets a new expression: every row is recomputed.
        ops.push({ kind: 'table-option', ...target, option: 'set-expression', value: column });
        break;
      case 'AT_AddIdentity':
      case 'AT_SetIdentity':
      case 'AT_DropIdentity':
      case 'AT_DropExpression':
        ops.push({ kind: 'statement', ...target, statementKind: sub.slice(3).toLowerCase() });
        break;
      default: {
        const option = TABLE_OPTIONS[sub];
        if (option) {
          const op: OpDraft = { kind: 'table-option', ...target, option };
          if (sub === 'AT_SetTableSpace') op.value = column;
          if (sub === 'AT_DetachPartition' && cmd.def?.PartitionCmd?.concurrent) op.concurrently = true;
          if (sub === 'AT_AttachPartition' || sub === 'AT_DetachPartition') op.value = cmd.def?.PartitionCmd?.name?.relname;
          ops.push(op);
        } else {
          ops.push({ kind: 'statement', ...target, statementKind: sub.slice(3).toLowerCase() });
        }
      }
    }
  }
  return ops;
}


function mapCreate(node: Node, sql: string): OpDraft[] {
  const target = rel(node.relation);
  const columns: ColumnDef[] = [];
  const constraints: TableConstraint[] = [];
  const indexes: IndexDef[] = [];
  let like: string | undefined;
  for (const el of (node.tableElts ?? []) as Node[]) {
    if (el.ColumnDef) {
      columns.push(columnDef(el.ColumnDef, sql));
      constraints.push(...columnChecks(el.ColumnDef, sql));
    }
    else if (el.Constraint) {
      const c = tableConstraint(el.Constraint, sql);
      if (c) constraints.push(c);
    } else if (el.TableLikeClause) like = el.TableLikeClause.relation?.relname;
  }
  const op: OpDraft = { kind: 'create-table', ...target, columns, constraints, indexes };
  if (node.if_not_exists) op.ifNotExists = true;
  if (node.relation?.relpersistence === 't') op.temporary = true;
  if (like) op.like = like;
  if (node.partbound && node.inhRelations?.[0]?.RangeVar) op.partitionOf = node.inhRelations[0].RangeVar.relname;
  else if (node.inhRelations?.length) op.inherits = (node.inhRelations as Array<{ RangeVar?: { relname: string } }>).flatMap((r) => (r.RangeVar ? [r.RangeVar.relname] : []));
  return [op];
}

function mapDrop(node: Node): OpDraft[] {
  const type = node.removeType as string;
  const objects = (node.objects ?? []) as Node[];
  const nameParts = (o: Node): string[] => (o.List ? names(o.List.items) : o.String ? [str(o)] : []);
  if (type === 'OBJECT_TABLE') {
    return objects.map((o) => ({ kind: 'drop-table', ...qualified(nameParts(o)), ifExists: !!node.missing_ok, cascade: node.behavior === 'DROP_CASCADE' }));
  }
  if (type === 'OBJECT_INDEX') {
    return objects.map((o) => {
      const q = qualified(nameParts(o));
      const op: OpDraft = { kind: 'drop-index', table: '', name: q.table, concurrently: !!node.concurrent, ifExists: !!node.missing_ok };
      if (q.schema) op.schema = q.schema;
      return op;
    });
  }
  return [{ kind: 'statement', table: objects.length ? nameParts(objects[0]!).join('.') : '', statementKind: `drop-${type.replace('OBJECT_', '').toLowerCase()}` }];
}

function hasLimitSubquery(node: unknown): boolean {
  let found = false;
  const visit = (n: unknown): void => {
    if (found || !n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(visit);
    const o = n as Node;
    if (o.SelectStmt && o.SelectStmt.limitCount) {
      found = true;
      return;
    }
    Object.values(o).forEach(visit);
  };
  visit(node);
  return found;
}

function mapStatement(type: string, node: Node, sql: string): OpDraft[] {
  switch (type) {
    case 'CreateStmt':
      return mapCreate(node, sql);
    case 'CreateTableAsStmt': {
      if (node.objtype === 'OBJECT_MATVIEW') return [{ kind: 'statement', ...rel(node.into?.rel), statementKind: 'create-materialized-view' }];
      return [{ kind: 'create-table', ...rel(node.into?.rel), columns: [], constraints: [], indexes: [], asSelect: true, ifNotExists: !!node.if_not_exists }];
    }
    case 'AlterTableStmt':
      return mapAlterTable(node, sql);
    case 'RenameStmt': {
      const rt = node.renameType as string;
      const target = rel(node.relation);
      if (rt === 'OBJECT_COLUMN' && node.relationType === 'OBJECT_TABLE') return [{ kind: 'rename-column', ...target, column: node.subname, newName: node.newname }];
      if (rt === 'OBJECT_TABLE') return [{ kind: 'rename-table', ...target, newName: node.newname }];
      if (rt === 'OBJECT_INDEX') return [{ kind: 'rename-index', table: '', name: target.table, newName: node.newname }];
      if (rt === 'OBJECT_TABCONSTRAINT') return [{ kind: 'statement', ...target, statementKind: 'rename-constraint' }];
      return [{ kind: 'statement', ...target, statementKind: `rename-${rt.replace('OBJECT_', '').toLowerCase()}` }];
    }
    case 'IndexStmt': {
      const op: OpDraft = {
        kind: 'add-index',
        ...rel(node.relation),
        columns: indexColumns(node.indexParams, sql),
        unique: !!node.unique,
        concurrently: !!node.concurrent,
      };
      if (node.idxname) op.name = node.idxname;
      if (node.accessMethod && node.accessMethod !== 'btree') op.method = node.accessMethod;
      if (node.if_not_exists) op.ifNotExists = true;
      if (node.whereClause) op.partial = true;
      return [op];
    }
    case 'DropStmt':
      return mapDrop(node);
    case 'TruncateStmt':
      return ((node.relations ?? []) as Node[]).map((r) => ({ kind: 'truncate', ...rel(r.RangeVar), cascade: node.behavior === 'DROP_CASCADE' }));
    case 'UpdateStmt':
      return [{ kind: 'data', ...rel(node.relation), action: 'update', via: 'sql', filtered: !!node.whereClause, batched: hasLimitSubquery(node.whereClause) || hasLimitSubquery(node.fromClause) }];
    case 'DeleteStmt':
      return [{ kind: 'data', ...rel(node.relation), action: 'delete', via: 'sql', filtered: !!node.whereClause, batched: hasLimitSubquery(node.whereClause) }];
    case 'InsertStmt': {
      const select = node.selectStmt?.SelectStmt as Node | undefined;
      const fromSelect = !!select && !select.valuesLists;
      const action = fromSelect ? 'insert-select' : node.onConflictClause ? 'upsert' : 'insert';
      return [{ kind: 'data', ...rel(node.relation), action, via: 'sql', filtered: fromSelect && !!select?.whereClause, batched: fromSelect && !!select?.limitCount }];
    }
    case 'MergeStmt':
      return [{ kind: 'data', ...rel(node.relation), action: 'merge', via: 'sql', filtered: false, batched: false }];
    case 'VariableSetStmt': {
      const value = ((node.args ?? []) as Node[])
        .map((a) => {
          const c = a.A_Const;
          if (!c) return '?';
          if (c.sval) return c.sval.sval as string;
          if (c.ival !== undefined) return String(c.ival.ival ?? 0);
          if (c.fval) return c.fval.fval as string;
          return '?';
        })
        .join(', ');
      if (node.kind === 'VAR_SET_MULTI' || !node.name) return [{ kind: 'statement', table: '', statementKind: 'set' }];
      return [{ kind: 'session', table: '', setting: String(node.name).toLowerCase(), value: node.kind === 'VAR_SET_VALUE' ? value : 'DEFAULT', ...(node.is_local ? { scope: 'transaction' as const } : {}) }];
    }
    case 'ReindexStmt': {
      const concurrently = ((node.params ?? []) as Node[]).some((p) => p.DefElem?.defname === 'concurrently');
      const target = rel(node.relation);
      const onIndex = node.kind === 'REINDEX_OBJECT_INDEX';
      return [{ kind: 'table-option', table: onIndex ? '' : target.table, option: 'reindex', value: onIndex ? target.table : undefined, concurrently }];
    }
    case 'VacuumStmt': {
      const full = ((node.options ?? []) as Node[]).some((p) => p.DefElem?.defname === 'full');
      const rels = ((node.rels ?? []) as Node[]).map((r) => rel(r.VacuumRelation?.relation));
      if (!node.is_vacuumcmd) return [{ kind: 'statement', table: rels[0]?.table ?? '', statementKind: 'analyze' }];
      if (!full) return [{ kind: 'statement', table: rels[0]?.table ?? '', statementKind: 'vacuum' }];
      return rels.map((r) => ({ kind: 'table-option', ...r, option: 'vacuum-full' }));
    }
    case 'ClusterStmt':
      return [{ kind: 'table-option', ...rel(node.relation), option: 'cluster' }];
    case 'CreateTrigStmt':
      return [{ kind: 'table-option', ...rel(node.relation), option: 'create-trigger' }];
    case 'LockStmt':
      return ((node.relations ?? []) as Node[]).map((r) => ({ kind: 'table-option', ...rel(r.RangeVar), option: 'lock', value: `mode ${node.mode ?? 8}` }));
    case 'DoStmt':
      return [{ kind: 'raw', table: '', reason: 'DO block: PL/pgSQL code is not analysed; move the DDL it runs into plain statements' }];
    case 'SelectStmt': {
      // SELECT … INTO creates a table; plain SELECT (e.g. setval) changes nothing structural.
      if (node.intoClause) return [{ kind: 'create-table', ...rel(node.intoClause.rel), columns: [], constraints: [], indexes: [], asSelect: true }];
      return [{ kind: 'statement', table: '', statementKind: 'select' }];
    }
    default:
      return [{ kind: 'statement', table: statementTable(node), statementKind: kebab(type.replace(/Stmt$/, '')) }];
  }
}

function statementTable(node: Node): string {
  return (node.relation?.relname ?? node.view?.relname ?? '') as string;
}

function kebab(s: string): string {
  return s.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** Constraint kinds exported for the MySQL reader and tests. */
export type { ConstraintType };
