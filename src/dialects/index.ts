import type { Dialect, Operation } from '../ir/types.js';
import type { SchemaState } from '../schema/replay.js';
import { MARIADB } from './mariadb.js';
import { MYSQL } from './mysql.js';
import { POSTGRES } from './postgres.js';
import { compareTypes } from './types-compat.js';
import type { Access, Cost, CostTable, LockMode, OpClass } from './types.js';
import { atLeast, parseVersion, SUPPORTED, type Version } from './version.js';

export type { Cost, OpClass } from './types.js';
export { compareTypes, valuesFit, type TypeChange } from './types-compat.js';
export { parseVersion, formatVersion, checkVersion, SUPPORTED, atLeast, type Version } from './version.js';

const TABLES: Record<Dialect, CostTable> = { mysql: MYSQL, mariadb: MARIADB, postgres: POSTGRES };

export interface Target {
  dialect: Dialect;
  version: Version;
}

export function defaultTarget(dialect: Dialect): Target {
  return { dialect, version: parseVersion(SUPPORTED[dialect].default)! };
}

export interface CostContext {
  target: Target;
  /** Session settings seen so far in the migration (lower-case names). */
  session: ReadonlyMap<string, string>;
  schema?: SchemaState;
}

/** What kind of change an op is, for cost purposes. A MySQL MODIFY may be several at once. */
export function classify(op: Operation, ctx: CostContext): OpClass[] {
  const { dialect } = ctx.target;
  const pg = dialect === 'postgres';
  switch (op.kind) {
    case 'create-table':
      return ['create-table'];
    case 'drop-table':
      return ['drop-table'];
    case 'rename-table':
      return ['rename-table'];
    case 'truncate':
      return ['truncate'];
    case 'add-column': {
      const c = op.column;
      if (c.generated) return [c.generated.kind === 'stored' ? 'add-column-stored-generated' : 'add-column-virtual-generated'];
      if (c.identity || c.autoIncrement) return ['add-column-identity'];
      if (c.default?.kind === 'volatile' && pg) return ['add-column-volatile-default'];
      const cls: OpClass[] = [op.position && !pg ? 'add-column-positioned' : 'add-column'];
      if (c.primaryKey) cls.push('add-primary-key');
      else if (c.unique) cls.push(pg ? 'add-unique-constraint' : 'add-index');
      return cls;
    }
    case 'drop-column':
      return ['drop-column'];
    case 'rename-column':
      return ['rename-column'];
    case 'alter-column': {
      const cls: OpClass[] = [];
      const from = op.from;
      if (op.type) {
        const change = compareTypes(from?.type, op.type, dialect);
        if (change === 'widening') {
          cls.push(op.type.name === 'enum' || op.type.name === 'set' ? 'change-type-enum-append' : 'change-type-widening');
        } else if (change !== 'same') {
          // An unknown previous type counts as a real change: the worst case.
          cls.push('change-type-rewrite');
        }
      }
      if (op.nullable === false && (!from || from.nullable)) {
        cls.push(pg && hasNotNullCheck(op.table, op.column, ctx) ? 'set-not-null-with-check' : 'set-not-null');
      } else if (op.nullable === true && from && !from.nullable) cls.push('drop-not-null');
      // DEFAULT NULL is no default: restating it (Doctrine writes it on every nullable column) changes nothing
      const newDefault = op.default === null || op.default?.kind === 'null' ? null : op.default;
      const oldDefault = from?.default?.kind === 'null' ? undefined : from?.default;
      if (newDefault === null && (!op.restatesColumn || oldDefault)) {
        if (op.default === null || oldDefault) cls.push('drop-default');
      } else if (newDefault && (!from || oldDefault?.text !== newDefault.text)) cls.push('set-default');
      if (op.position) cls.push('reorder-column');
      return cls.length ? cls : ['metadata'];
    }
    case 'add-index':
      if (op.method === 'fulltext') return ['add-index-fulltext'];
      if (op.method === 'spatial') return ['add-index-spatial'];
      return [op.concurrently ? 'add-index-concurrently' : 'add-index'];
    case 'drop-index':
      return [op.concurrently ? 'drop-index-concurrently' : 'drop-index'];
    case 'rename-index':
      return ['rename-index'];
    case 'add-constraint':
      switch (op.constraint) {
        case 'primary':
          return [op.usingIndex ? 'add-constraint-using-index' : 'add-primary-key'];
        case 'unique':
          return [op.usingIndex ? 'add-constraint-using-index' : pg ? 'add-unique-constraint' : 'add-index'];
        case 'foreign':
          if (!op.validated) return ['add-foreign-key-not-valid'];
          if (!pg && ctx.session.get('foreign_key_checks') === '0') return ['add-foreign-key-no-checks'];
          return ['add-foreign-key'];
        case 'check':
          return [op.validated ? 'add-check' : 'add-check-not-valid'];
        default:
          return [op.validated ? 'add-check' : 'add-check-not-valid'];
      }
    case 'validate-constraint':
      return ['validate-constraint'];
    case 'drop-constraint':
      if (op.constraint === 'primary') return ['drop-primary-key'];
      if (op.constraint === 'foreign') return ['drop-foreign-key'];
      return ['drop-constraint'];
    case 'table-option':
      switch (op.option) {
        case 'convert-charset':
          return ['convert-charset'];
        case 'engine':
        case 'force':
        case 'row-format':
          return ['rebuild-in-place'];
        case 'set-logged':
        case 'set-unlogged':
        case 'set-tablespace':
        case 'cluster':
        case 'vacuum-full':
          return ['rewrite-table'];
        case 'set-expression':
          return ['rewrite-table'];
        case 'create-trigger':
          return ['create-trigger'];
        case 'lock':
          return ['explicit-lock'];
        case 'reindex':
          return [op.concurrently ? 'reindex-concurrently' : 'reindex'];
        case 'attach-partition':
          return ['attach-partition'];
        case 'detach-partition':
          return [op.concurrently ? 'detach-partition-concurrently' : 'detach-partition'];
        default:
          return ['metadata'];
      }
    default:
      return ['none'];
  }
}

function hasNotNullCheck(table: string, column: string, ctx: CostContext): boolean {
  const t = ctx.schema?.table(table);
  if (!t) return false;
  const re = new RegExp(`^\\(?\\s*"?${column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?\\s+IS\\s+NOT\\s+NULL\\s*\\)?$`, 'i');
  for (const c of t.constraints.values()) if (c.type === 'check' && c.validated !== false && c.expression && re.test(c.expression.trim())) return true;
  return false;
}

function rowCost(table: CostTable, cls: OpClass, version: Version): Cost {
  const row = table[cls] ?? table.none!;
  for (const older of row.olderVersions ?? []) if (!atLeast(version, older.before)) return older.cost;
  return row.cost;
}

const ACCESS_ORDER: Access[] = ['allowed', 'brief', 'blocked'];
const ALGO_ORDER = ['INSTANT', 'NOCOPY', 'INPLACE', 'COPY'] as const;
const LOCK_ORDER: LockMode[] = [
  'none',
  'ACCESS SHARE',
  'SHARE UPDATE EXCLUSIVE',
  'MDL (brief exclusive)',
  'SHARE',
  'SHARE ROW EXCLUSIVE',
  'MDL + LOCK=SHARED',
  'ACCESS EXCLUSIVE',
  'MDL + LOCK=EXCLUSIVE',
];

function worst(a: Cost, b: Cost): Cost {
  const pick = <T>(order: readonly T[], x: T | undefined, y: T | undefined): T | undefined => {
    if (x === undefined) return y;
    if (y === undefined) return x;
    return order.indexOf(x) >= order.indexOf(y) ? x : y;
  };
  const notes = [a.note, b.note].filter(Boolean);
  const algorithm = pick(ALGO_ORDER, a.algorithm, b.algorithm);
  return {
    lock: pick(LOCK_ORDER, a.lock, b.lock)!,
    writes: pick(ACCESS_ORDER, a.writes, b.writes)!,
    reads: pick(ACCESS_ORDER, a.reads, b.reads)!,
    rewrite: a.rewrite || b.rewrite,
    scan: a.scan || b.scan,
    ...(algorithm ? { algorithm } : {}),
    ...(notes.length ? { note: [...new Set(notes)].join('; ') } : {}),
  };
}

export interface OpCost extends Cost {
  classes: OpClass[];
  /** The cost of each class before merging (which part causes a rewrite, which a scan). */
  parts: Array<{ cls: OpClass; cost: Cost }>;
}

/** The cost of one op on the target server, including its own ALGORITHM=/LOCK= clauses. */
export function costOf(op: Operation, ctx: CostContext): OpCost {
  const classes = classify(op, ctx);
  const table = TABLES[ctx.target.dialect];
  const parts = classes.map((cls) => ({ cls, cost: rowCost(table, cls, ctx.target.version) }));
  let cost = parts.map((p) => p.cost).reduce(worst);
  if (ctx.target.dialect !== 'postgres' && op.mysql) cost = applyMysqlClauses(cost, op.mysql);
  return { ...cost, classes, parts };
}

function applyMysqlClauses(cost: Cost, clauses: NonNullable<Operation['mysql']>): Cost {
  let c = { ...cost };
  const rank = (a: string | undefined): number => (a ? ALGO_ORDER.indexOf(a as (typeof ALGO_ORDER)[number]) : -1);
  if (clauses.algorithm === 'COPY') {
    c = { ...c, algorithm: 'COPY', rewrite: true, scan: true, writes: 'blocked', lock: 'MDL + LOCK=SHARED', note: 'ALGORITHM=COPY copies the table' };
  } else if (clauses.algorithm && clauses.algorithm !== 'DEFAULT' && c.algorithm && rank(clauses.algorithm) < rank(c.algorithm)) {
    c.refusedByClause = `the server cannot do this with ALGORITHM=${clauses.algorithm} (it needs ${c.algorithm}) and will refuse the statement`;
  }
  if (clauses.lock === 'SHARED') c = { ...c, writes: 'blocked', lock: 'MDL + LOCK=SHARED' };
  else if (clauses.lock === 'EXCLUSIVE') c = { ...c, writes: 'blocked', reads: 'blocked', lock: 'MDL + LOCK=EXCLUSIVE' };
  else if (clauses.lock === 'NONE' && cost.writes === 'blocked') {
    c.refusedByClause = `the server cannot do this with LOCK=NONE (it blocks writes) and will refuse the statement`;
  }
  return c;
}
