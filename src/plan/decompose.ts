import { compareTypes, costOf, lockQueues, valuesFit, type OpCost, type Target } from '../dialects/index.js';
import type { AddColumnOp, AddConstraintOp, AlterColumnOp, ColumnDef, ColumnType, Dialect, Migration, OpBase, Operation } from '../ir/types.js';
import { placeContract, type ContractReason } from '../lint/contract.js';
import { notNullCheckName, pgNotNullSteps, syncTriggers } from '../lint/recipes.js';
import { dbName, q } from '../lint/rule-kit.js';
import type { Dependent } from '../lint/types.js';
import { lexSql } from '../readers/sql/lex.js';
import { missingColumn, type SchemaState } from '../schema/replay.js';
import { InputError } from '../util/errors.js';
import { suppresses } from '../util/suppression.js';
import { batchKey, batchStatement, rangePredicate } from './batch.js';
import { renderOp } from './sql.js';
import type { BatchSpec, ContractMode, Phase, StepKind } from './types.js';

/**
 * One op → the parts it becomes in the plan. Each decomposition follows ../shared/FACTS.md: what
 * is safe while the old release serves stays where it is; what breaks the old release, blocks
 * writes or rewrites the table becomes a sequence of safe steps across phases and releases.
 */

export interface Part {
  release: number;
  phase: Phase;
  kind: StepKind;
  op: string;
  table: string;
  column?: string;
  /** Statements without the lock-timeout prefix (the planner adds it when `locks`). */
  sql?: string[];
  /** The op's own statement, unchanged: the planner takes its SQL from the migration (or renders it). */
  asIs?: boolean;
  /** Takes a lock other sessions queue behind: preceded by SET lock_timeout. */
  locks: boolean;
  transactional: boolean;
  batch?: BatchSpec;
  /** A single value the step's last statement must return, or the deploy stops. */
  expect?: string;
  why: string;
  /** The op fails as written (a `manual` part): what is wrong, for the migration's reason. */
  fails?: string;
}

export interface Requirement {
  release: number;
  condition: string;
  /** Checkable with the code index: the release's code must not reference this. */
  absent?: { table: string; column?: string };
}

export interface Decision {
  parts: Part[];
  requires?: Requirement[];
}

export interface PlanOptions {
  contract: ContractMode;
  /**
   * The contract mode was asked for explicitly. By default a drop that neither release's code
   * references (code index) runs after this release's swap; an explicit next-release keeps every drop
   * for release 2.
   */
  contractExplicit?: boolean;
  /** Seconds for SET lock_timeout / lock_wait_timeout before each locking step. Default 5. */
  lockTimeoutSeconds?: number;
  /** Rows per batch of a backfill. Default 1000. */
  batchSize?: number;
}

export interface OpEnv {
  op: Operation;
  migration: Migration;
  target: Target;
  /** The schema just before the op. */
  schema: SchemaState;
  session: ReadonlyMap<string, string>;
  isNewTable(table: string): boolean;
  isNewColumn(table: string, column: string): boolean;
  options: Required<PlanOptions>;
  /** Code that references a table/column, when code was indexed (release mode). */
  dependents?: (table: string, column?: string) => Dependent[];
  /** The migration is one zdd-plan wrote, marked with the phase it runs in: it is not split again. */
  marked: Phase | undefined;
}

/** `--contract post-swap` asked for a drop that the new release's code still needs. */
export class PlanRefusal extends InputError {}

const pg = (d: Dialect): boolean => d === 'postgres';

function cost(env: OpEnv): OpCost {
  return costOf(env.op, { target: env.target, session: env.session, schema: env.schema });
}

/** A batched `UPDATE … SET col = value WHERE col IS NULL` by key range; `why` gets "in batches of N by key". */
function fillNulls(env: OpEnv, table: string, column: string, value: string, why: (how: string) => string, at: Partial<Pick<Part, 'release' | 'phase'>> = {}): Part {
  const { key, known } = batchKey(env.schema.table(table));
  const col = ident(env, column);
  return part({
    ...at,
    kind: 'backfill',
    op: 'backfill',
    table,
    column,
    sql: [`UPDATE ${tbl(env, table)} SET ${col} = ${value} WHERE ${col} IS NULL AND ${rangePredicate(undefined, key, env.target.dialect)}`],
    locks: false,
    batch: { table, key, size: env.options.batchSize },
    why: why(`in batches of ${env.options.batchSize} by ${key}${known ? '' : ' (zdd assumes an integer key id)'}`),
  });
}

function part(p: Omit<Part, 'release' | 'phase' | 'kind' | 'locks' | 'transactional'> & Partial<Pick<Part, 'release' | 'phase' | 'kind' | 'locks' | 'transactional'>>): Part {
  return { release: 1, phase: 'pre-swap', kind: 'split', locks: true, transactional: true, ...p };
}

function asIs(env: OpEnv, why: string, extra: Partial<Part> = {}): Part {
  const op = env.op;
  const c = op.table && !env.isNewTable(op.table) ? cost(env) : undefined;
  return part({ kind: 'as-is', asIs: true, op: op.kind, table: op.table, ...columnOf(op), locks: !!c && lockQueues(c.lock), transactional: !concurrent(op), why, ...extra });
}

function concurrent(op: Operation): boolean {
  return ((op.kind === 'add-index' || op.kind === 'drop-index' || op.kind === 'table-option') && !!op.concurrently) || false;
}

function columnOf(op: Operation): { column?: string } {
  switch (op.kind) {
    case 'add-column':
      return { column: op.column.name };
    case 'drop-column':
    case 'rename-column':
    case 'alter-column':
      return { column: op.column };
    default:
      return {};
  }
}

/** Why an unchanged op is fine where it is, from what it costs on the server. */
function costWhy(env: OpEnv): string {
  const op = env.op;
  if (!op.table) return 'Runs as written: it changes no table the running release uses.';
  if (env.isNewTable(op.table)) return op.kind === 'create-table' ? 'A new table: nothing uses it yet.' : `On ${op.table}, created in this release: nothing uses it yet.`;
  const c = cost(env);
  const db = dbName(env.target.dialect);
  if (c.refusedByClause) return `Runs as written, but ${c.refusedByClause}: fix the statement before deploying.`;
  if (c.writes === 'blocked' || c.reads === 'blocked') {
    return `Runs as written, but it blocks ${c.reads === 'blocked' ? 'reads and writes' : 'writes'} on ${op.table} while it runs (${c.note ?? c.lock}) and zdd has no online rewrite for it on ${db}: run it in a quiet window or with an online schema change tool (gh-ost, pt-online-schema-change).`;
  }
  if (lockQueues(c.lock)) return `Safe while the old release serves: only a brief ${c.lock} lock on ${op.table}${c.note ? ` (${c.note})` : ''}.`;
  return `Safe while the old release serves${c.lock !== 'none' ? ` (${c.lock}: reads and writes go on)` : ''}.`;
}

/** Statements that name only the objects the op names: quoting per dialect. */
function ident(env: OpEnv, name: string): string {
  return q(name, env.target.dialect);
}

function tbl(env: OpEnv, table = env.op.table): string {
  return env.op.schema && table === env.op.table ? `${q(env.op.schema, env.target.dialect)}.${q(table, env.target.dialect)}` : q(table, env.target.dialect);
}

/** An op the planner writes on the table of env's op (the table and schema default to it). */
type OpSpec = Operation extends infer O ? (O extends Operation ? Omit<O, keyof OpBase> & Partial<Pick<OpBase, 'table' | 'mysql'>> : never) : never;

/**
 * The statements of an op the planner writes, from the one IR → SQL renderer (sql.ts), so that a
 * step the planner rewrites keeps everything the renderer writes for the migration's own ops
 * (comments, positions, keys, referential actions, NOT VALID …).
 */
function sqlOf(env: OpEnv, spec: OpSpec): string[] {
  const op = { table: env.op.table, ...(env.op.schema ? { schema: env.op.schema } : {}), source: env.op.source, statement: env.op.statement, ...spec } as Operation;
  const sql = renderOp(op, env.target.dialect);
  // the planner builds only ops the renderer can write (no partial index, no bare data change)
  if (!sql) throw new Error(`zdd-plan: cannot write the ${op.kind} it planned on ${op.table} as SQL`);
  return sql;
}

export function decompose(env: OpEnv): Decision {
  const op = env.op;
  if (env.marked) {
    return { parts: [asIs(env, `Written by zdd-plan as a ${env.marked} step: it runs unchanged ${env.marked === 'pre-swap' ? 'before the swap' : 'after the swap and the drain'}.`, { phase: env.marked })] };
  }
  if (op.kind === 'raw') {
    return { parts: [asIs(env, `zdd could not analyse this (${op.reason}): it runs as written, unchecked — review it by hand.`, { locks: false })] };
  }
  if (op.kind === 'create-table') return { parts: [asIs(env, costWhy(env))] };
  const missing = missingColumn(env.schema, op, env.target.dialect);
  // a `zdd-ignore unknown-column: …` says the column is there after all (a package's migration adds it)
  if (missing !== undefined && !ignored(env.migration, op, 'unknown-column')) return { parts: [failsToRun(env, missing)] };
  if (op.table && env.isNewTable(op.table) && op.kind !== 'rename-table') return { parts: [asIs(env, costWhy(env))] };
  switch (op.kind) {
    case 'drop-table':
      return contract(env, op.table, undefined, 'drop-table');
    case 'truncate':
      return contract(env, op.table, undefined, 'truncate');
    case 'drop-column':
      if (env.isNewColumn(op.table, op.column)) return { parts: [asIs(env, `${op.table}.${op.column} was added in this release: nothing deployed uses it.`)] };
      return contract(env, op.table, op.column, 'drop-column');
    case 'rename-column':
      if (env.isNewColumn(op.table, op.column)) return { parts: [asIs(env, `${op.table}.${op.column} was added in this release: nothing deployed uses it.`)] };
      return renameColumn(env, op.column, op.newName);
    case 'rename-table':
      if (env.isNewTable(op.table)) return { parts: [asIs(env, costWhy(env))] };
      return renameTable(env, op.newName);
    case 'add-column':
      return addColumn(env, op);
    case 'alter-column':
      // the definition half of a MySQL CHANGE old new …: the rename's new column already has it
      if (env.migration.ops.some((o) => o.kind === 'rename-column' && o.statement === op.statement && o.table === op.table && o.newName.toLowerCase() === op.column.toLowerCase())) return { parts: [] };
      if (env.isNewColumn(op.table, op.column)) return { parts: [asIs(env, `${op.table}.${op.column} was added in this release: nothing deployed uses it.`)] };
      return alterColumn(env, op);
    case 'add-index':
      return addIndex(env);
    case 'drop-index':
      return dropIndex(env);
    case 'add-constraint':
      return addConstraint(env, op);
    case 'data':
      return data(env);
    case 'table-option':
      if (op.option === 'reindex' && !op.concurrently && pg(env.target.dialect)) {
        const what = op.table ? `TABLE ${tbl(env)}` : `INDEX ${ident(env, op.value ?? '')}`;
        return {
          parts: [
            part({ op: 'reindex', table: op.table, sql: [`REINDEX ${what.split(' ')[0]} CONCURRENTLY ${what.slice(what.indexOf(' ') + 1)}`], locks: false, transactional: false, why: 'REINDEX blocks writes while it rebuilds; REINDEX CONCURRENTLY (PostgreSQL 12+) rebuilds with writes going on, outside a transaction.' }),
          ],
        };
      }
      return { parts: [asIs(env, costWhy(env))] };
    default:
      return { parts: [asIs(env, costWhy(env))] };
  }
}

// ---------- contract: drop column / table, truncate ----------

/** A `zdd-ignore` comment of the migration covers the op for `rule`, as zdd lint applies it. */
function ignored(migration: Migration, op: Operation, rule: string): boolean {
  return migration.suppressions.some((sup) => (sup.file || sup.statement === op.statement || sup.statements?.includes(op.statement)) && suppresses(sup, rule));
}

/**
 * An op on a column the table does not have (zdd lint: unknown-column): the statement fails when it
 * runs and stops the deploy half-way, so zdd plans no step that would run it — a person must fix the
 * migration (the plan's exit code is 1; sh and deployer refuse).
 */
function failsToRun(env: OpEnv, column: string): Part {
  const op = env.op;
  const verb = op.kind === 'drop-column' ? 'Dropping' : op.kind === 'rename-column' ? 'Renaming' : 'Altering';
  return part({
    kind: 'manual',
    op: op.kind,
    table: op.table,
    column,
    locks: false,
    fails: `${op.table} has no column ${column}`,
    why: `${verb} ${op.table}.${column}, but replaying the earlier migrations gives ${op.table} no column ${column}: the statement fails when it runs and stops the deploy half-way (zdd lint: unknown-column). Fix the migration — name a column the table has, or guard the statement if the column may be missing on some servers — and plan again.`,
  });
}

function contract(env: OpEnv, table: string, column: string | undefined, opName: string): Decision {
  const label = column ? `${table}.${column}` : `table ${table}`;
  // the same decision as the hint of zdd lint's drop rules (lint/contract.ts)
  const placed = placeContract(env.dependents?.(table, column), { contract: env.options.contract, explicit: env.options.contractExplicit });
  const verb = opName === 'truncate' ? 'emptied' : 'dropped';
  const absent = { table, ...(column ? { column } : {}) };
  const base = { kind: 'contract' as const, op: opName, table, ...(column ? { column } : {}), asIs: true, locks: true };
  if (placed.release === 1) {
    if (placed.newRefs?.length) {
      const where = placed.newRefs.slice(0, 3).map((r) => `${r.file}:${r.line}`).join(', ');
      throw new PlanRefusal(`--contract post-swap: ${label} cannot be ${verb} in this release: the new release's code still references it (${where}). Remove those uses first, or plan with --contract next-release.`);
    }
    const why =
      placed.reason === 'unreferenced'
        ? `Neither the running release's code nor the new one references ${label} (code index): it is ${verb} after the swap and the drain.`
        : `--contract post-swap: ${label} is ${verb} after the swap and the drain, once no old worker is left. From then on, rolling back to the previous release breaks it.`;
    return { parts: [part({ ...base, phase: 'post-swap', why })], requires: [{ release: 1, condition: `No code of release 1 references ${label} (it is ${verb} after the swap).`, absent }] };
  }
  const at = (refs: Dependent[]): string => `${refs[0]!.file}:${refs[0]!.line}`;
  const inRelease2 = `${label} is ${verb} in release 2, after its swap`;
  const why: Record<Exclude<ContractReason, 'unreferenced' | 'post-swap'>, () => string> = {
    'old-uses': () => `The running release uses ${label} (${at(placed.oldRefs!)}) while release 1 deploys, and rolling back to it must keep working: ${inRelease2}.`,
    'next-release-asked': () => `--contract next-release was asked for: ${inRelease2}, although neither the running release's code nor the new one references it (code index); until then, rolling back to the running release keeps working.`,
    'new-uses': () => `The new release's code still references ${label} (${at(placed.newRefs!)}): ${inRelease2}, once release 1's code no longer uses it.`,
    unknown: () => `Without the code index (path mode) zdd cannot tell whether the running release uses ${label}, and rolling back to it must keep working: ${inRelease2}.`,
  };
  return {
    parts: [part({ ...base, release: 2, phase: 'post-swap', why: why[placed.reason as keyof typeof why]() })],
    requires: [{ release: 1, condition: `No code of release 1 references ${label} (release 2 ${opName === 'truncate' ? 'empties' : 'drops'} it).`, absent }],
  };
}

// ---------- expand/contract of a column: rename, type change ----------

interface ColumnMove {
  from: string;
  to: string;
  /** The old column's definition. */
  old: ColumnDef;
  /** The final definition of the new column (type, nullability, default). */
  target: ColumnDef;
  /** What the original change was, for messages. */
  what: string;
}

function moveColumn(env: OpEnv, m: ColumnMove): Decision {
  const d = env.target.dialect;
  const table = env.op.table;
  const t = tbl(env);
  const from = ident(env, m.from);
  const to = ident(env, m.to);
  const tableState = env.schema.table(table);
  const { key, known } = batchKey(tableState);
  const converts = compareTypes(m.old.type, m.target.type, d) !== 'same';
  const sync = syncTriggers(d, { table, from: m.from, to: m.to, ...(converts ? { fromType: m.old.type, toType: m.target.type } : {}) });
  const value = converts && pg(d) ? (env.op.kind === 'alter-column' && env.op.using ? env.op.using : `CAST(${from} AS ${m.target.type.text})`) : from;
  // the new column keeps the column's comment (a rename keeps it; a type change keeps it on PostgreSQL, MODIFY restates it)
  const newColumn: ColumnDef = { name: m.to, type: m.target.type, nullable: true, ...(m.target.comment !== undefined ? { comment: m.target.comment } : {}) };
  const parts: Part[] = [
    part({ op: 'add-column', table, column: m.to, sql: sqlOf(env, { kind: 'add-column', column: newColumn }), why: `${m.what}: the running release keeps using ${m.from}, so ${m.to} is added beside it, nullable and without a default (so the sync trigger can tell which column a write set).` }),
    part({ op: 'create-trigger', table, column: m.to, sql: sync.create, why: `Keeps ${m.from} and ${m.to} in sync both ways while the old and the new release run side by side (${sync.names.join(', ')}).` }),
    part({
      kind: 'backfill',
      op: 'backfill',
      table,
      column: m.to,
      sql: [`UPDATE ${t} SET ${to} = ${value} WHERE ${to} IS NULL AND ${from} IS NOT NULL AND ${rangePredicate(undefined, key, d)}`],
      locks: false,
      batch: { table, key, size: env.options.batchSize },
      why: `Copies existing rows in batches of ${env.options.batchSize} by ${key}${known ? '' : ' (zdd assumes an integer key id)'} before the swap, so the new release finds every value in ${m.to}.`,
    }),
  ];
  // indexes on the old column, rebuilt on the new one
  for (const idx of tableState ? [...tableState.indexes.values()] : []) {
    if (!idx.columns.some((c) => c.toLowerCase() === m.from.toLowerCase()) || idx.partial) continue;
    const cols = idx.columns.map((c) => (c.toLowerCase() === m.from.toLowerCase() ? m.to : c));
    const name = idx.name.includes(m.from) ? idx.name.replace(m.from, m.to) : `${idx.name}_${m.to}`;
    parts.push(indexPart(env, name, cols, idx.unique, idx.method, `The index ${idx.name} covers ${m.from}: ${name} gives ${m.to} the same.`));
  }
  if (m.old.unique) parts.push(indexPart(env, `${table}_${m.to}_unique`, [m.to], true, undefined, `${m.from} is UNIQUE: the same for ${m.to}.`));
  for (const c of tableState ? [...tableState.constraints.values()] : []) {
    if (c.type === 'unique' && c.columns.some((x) => x.toLowerCase() === m.from.toLowerCase())) {
      const cols = c.columns.map((x) => (x.toLowerCase() === m.from.toLowerCase() ? m.to : x));
      parts.push(indexPart(env, `${table}_${cols.join('_')}_unique`, cols, true, undefined, `The unique constraint ${c.name ?? ''} covers ${m.from}: a unique index gives ${m.to} the same.`.replace('  ', ' ')));
    }
    if (c.type === 'foreign' && c.references && c.columns.length === 1 && c.columns[0]!.toLowerCase() === m.from.toLowerCase()) {
      const fk = `${table}_${m.to}_foreign`;
      const ref = { ...c.references };
      parts.push(...foreignKeyParts(env, fk, [m.to], ref, `The foreign key ${c.name ?? ''} on ${m.from}: the same for ${m.to}.`.replace('  ', ' ')));
    }
  }
  // release 2: stop syncing, finish the new column's definition, drop the old one
  parts.push(part({ release: 2, phase: 'post-swap', op: 'drop-trigger', table, column: m.to, sql: sync.drop, why: `Release 1's code writes only ${m.to} and its workers are the only ones left: the sync stops.` }));
  if (m.target.default && m.target.default.kind !== 'null') {
    parts.push(part({ release: 2, phase: 'post-swap', op: 'set-default', table, column: m.to, sql: sqlOf(env, { kind: 'alter-column', column: m.to, default: m.target.default }), why: `${m.to} gets the default ${m.target.default.text} now that the sync trigger is gone (a default earlier would have hidden which column a write set).` }));
  }
  if (!m.target.nullable) parts.push(...notNullParts(env, m.to, m.target, 2, 'post-swap', `${m.to} becomes NOT NULL like ${m.from}`));
  parts.push(part({ release: 2, phase: 'post-swap', kind: 'contract', op: 'drop-column', table, column: m.from, sql: sqlOf(env, { kind: 'drop-column', column: m.from }), why: `No deployed code uses ${m.from} any more: it is dropped.` }));
  return {
    parts,
    requires: [{ release: 1, condition: `The code of release 1 reads and writes ${table}.${m.to} and no longer references ${table}.${m.from} (release 2 drops it).`, absent: { table, column: m.from } }],
  };
}

function unknownColumn(env: OpEnv, column: string, what: string): Decision {
  return {
    parts: [
      part({
        kind: 'manual',
        op: env.op.kind,
        table: env.op.table,
        column,
        locks: false,
        why: `${what}: zdd does not know the definition of ${env.op.table}.${column} (the table was created outside the migrations it read; add the schema dump, or the migration that created it), so it cannot write the new column. Split it by hand: add the new column, sync, backfill, switch the code, drop the old column in a later release.`,
      }),
    ],
  };
}

/** MySQL `CHANGE old new <definition>`: the reader gives a rename and the new column's definition in one statement. */
function redefinitionOf(env: OpEnv, column: string): AlterColumnOp | undefined {
  const op = env.op;
  return env.migration.ops.find((o): o is AlterColumnOp => o.kind === 'alter-column' && o.statement === op.statement && o !== op && o.table === op.table && o.column.toLowerCase() === column.toLowerCase());
}

function renameColumn(env: OpEnv, from: string, to: string): Decision {
  const redefined = redefinitionOf(env, to)?.definition;
  const old = env.schema.column(env.op.table, from) ?? (redefined ? { ...redefined, name: from } : undefined);
  if (!old) return unknownColumn(env, from, `Renaming ${env.op.table}.${from} to ${to}`);
  const target = redefined ? { ...redefined, name: to } : { ...old, name: to };
  return moveColumn(env, { from, to, old, target, what: `Renaming ${env.op.table}.${from} to ${to} breaks the running release` });
}

// ---------- rename table ----------

function renameTable(env: OpEnv, newName: string): Decision {
  const d = env.target.dialect;
  const from = tbl(env);
  const to = ident(env, newName);
  const table = env.op.table;
  const requires: Requirement[] = [{ release: 1, condition: `The code of release 1 uses table ${newName} and no longer references table ${table} (release 2 removes the name ${table}).`, absent: { table } }];
  if (pg(d)) {
    return {
      parts: [
        part({ op: 'rename-table', table, sql: [...sqlOf(env, { kind: 'rename-table', newName }), `CREATE VIEW ${from} AS SELECT * FROM ${to}`], why: `Renames ${table} to ${newName} and leaves a view under the old name in the same transaction: PostgreSQL can write through a simple view, so the running release keeps working.` }),
        part({ release: 2, phase: 'post-swap', kind: 'contract', op: 'drop-view', table, sql: [`DROP VIEW ${from}`], why: `No deployed code uses the name ${table} any more: the compatibility view goes.` }),
      ],
      requires,
    };
  }
  const tmp = ident(env, `${newName}_view_old`);
  return {
    parts: [
      part({ op: 'create-view', table: newName, sql: [`CREATE VIEW ${to} AS SELECT * FROM ${from}`], why: `${dbName(d)} commits each DDL statement on its own, so a rename plus a view would leave a moment with neither name: release 1 gets the new name as an updatable view over ${table}, which keeps its name. (The view's columns are fixed when it is created.)` }),
      part({ release: 2, phase: 'post-swap', kind: 'contract', op: 'rename-table', table, sql: [`RENAME TABLE ${to} TO ${tmp}, ${from} TO ${to}`, `DROP VIEW ${tmp}`], why: `No deployed code uses ${table} any more: one atomic RENAME TABLE swaps the view for the table, then the view goes.` }),
    ],
    requires,
  };
}

// ---------- columns ----------

function notNullParts(env: OpEnv, column: string, def: ColumnDef, release: number, phase: Phase, lead: string): Part[] {
  const d = env.target.dialect;
  const table = env.op.table;
  if (pg(d)) {
    return pgNotNullSteps(table, column).map((s) =>
      part({
        release,
        phase,
        op: s.what === 'validate' ? 'validate-constraint' : s.what === 'set-not-null' ? 'set-not-null' : s.what === 'add-check' ? 'add-constraint' : 'drop-constraint',
        table,
        column,
        sql: [s.sql],
        locks: s.what !== 'validate',
        why:
          s.what === 'add-check'
            ? `${lead}: first a CHECK (${column} IS NOT NULL) NOT VALID — instant, new rows are checked.`
            : s.what === 'validate'
              ? 'VALIDATE scans the table while writes go on (SHARE UPDATE EXCLUSIVE); it fails if a NULL is left.'
              : s.what === 'set-not-null'
                ? 'SET NOT NULL uses the validated CHECK and skips its own scan (PostgreSQL 12+): a brief lock only.'
                : `The CHECK ${notNullCheckName(table, column)} has done its job.`,
      }),
    );
  }
  const full: ColumnDef = { ...def, name: column, nullable: false };
  const t = tbl(env);
  const col = ident(env, column);
  const out: Part[] = [];
  // MySQL/MariaDB: rows still NULL would make MODIFY fail half-way (strict mode) or silently take the
  // type's zero value (without it). The default, when the column has one, fills them in batches
  // first; a count then proves none is left before the rebuild starts.
  if (def.default && def.default.kind !== 'null') {
    const dflt = def.default.text;
    out.push(fillNulls(env, table, column, dflt, (how) => `Rows with NULL in ${column} get its default ${dflt}, ${how}, one short transaction each.`, { release, phase }));
  }
  out.push(
    part({
      release,
      phase,
      op: 'verify',
      table,
      column,
      sql: [`SELECT COUNT(*) FROM ${t} WHERE ${col} IS NULL`],
      expect: '0',
      locks: false,
      why: `The deploy stops here if a row still has NULL in ${column}: MODIFY … NOT NULL would fail on it in strict mode, or silently store the type's zero value without it. Backfill those rows first.`,
    }),
  );
  return [
    ...out,
    part({
      release,
      phase,
      op: 'set-not-null',
      table,
      column,
      sql: sqlOf(env, { kind: 'alter-column', column, restatesColumn: true, definition: full, mysql: { algorithm: 'INPLACE', lock: 'NONE' } }),
      why: `${lead}: rebuilt in place with writes going on (ALGORITHM=INPLACE, LOCK=NONE makes ${dbName(d)} refuse rather than block).`,
    }),
  ];
}

function indexPart(env: OpEnv, name: string, columns: string[], unique: boolean, method: string | undefined, why: string): Part {
  if (pg(env.target.dialect)) {
    const sql = sqlOf(env, { kind: 'add-index', name, columns, unique, ...(method ? { method } : {}), concurrently: true });
    return part({ op: 'add-index', table: env.op.table, sql, locks: false, transactional: false, why: `${why} Built CONCURRENTLY, outside a transaction: writes go on.` });
  }
  const sql = sqlOf(env, { kind: 'add-index', name, columns, unique, mysql: { algorithm: 'INPLACE', lock: 'NONE' } });
  return part({ op: 'add-index', table: env.op.table, sql, why: `${why} Built in place with writes going on.` });
}

/** `ADD CONSTRAINT name UNIQUE | PRIMARY KEY USING INDEX name` (PostgreSQL): the index built before becomes the key. */
function usingIndexSql(env: OpEnv, name: string, constraint: 'unique' | 'primary', columns: string[]): string[] {
  return sqlOf(env, { kind: 'add-constraint', constraint, name, columns, usingIndex: name, validated: true });
}

function foreignKeyParts(env: OpEnv, name: string, columns: string[], ref: NonNullable<AddConstraintOp['references']>, lead: string, fresh = false): Part[] {
  const d = env.target.dialect;
  const table = env.op.table;
  const t = tbl(env);
  // a key written without the referenced columns references the primary key, which zdd takes to be id
  const references = { ...ref, columns: ref.columns.length ? ref.columns : ['id'] };
  const refCols = references.columns.map((c) => ident(env, c));
  const fk = (validated: boolean, mysql?: OpBase['mysql']): string[] => sqlOf(env, { kind: 'add-constraint', constraint: 'foreign', name, columns, references, validated, ...(mysql ? { mysql } : {}) });
  if (pg(d)) {
    return [
      part({ op: 'add-constraint', table, sql: fk(false), why: `${lead} Added NOT VALID: a brief lock on ${table} and ${ref.table}, new rows are checked, existing rows are not scanned.` }),
      part({ phase: 'post-swap', op: 'validate-constraint', table, sql: sqlOf(env, { kind: 'validate-constraint', name }), locks: false, why: `Validates the existing rows of ${table} while writes go on (SHARE UPDATE EXCLUSIVE); if it fails, the key stays NOT VALID and still checks new rows.` }),
    ];
  }
  const pairs = columns.map((c, i) => `p.${refCols[i] ?? refCols[0]} = c.${ident(env, c)}`).join(' AND ');
  const nonNull = columns.map((c) => `c.${ident(env, c)} IS NOT NULL`).join(' AND ');
  const add = part({ op: 'add-constraint', table, sql: ['SET foreign_key_checks = 0', ...fk(true, { algorithm: 'INPLACE', lock: 'NONE' }), 'SET foreign_key_checks = 1'], why: fresh ? `${lead} The column is new and empty, so there is nothing to check: with foreign_key_checks = 0 the key is added in place, writes going on, without the table copy.` : 'With foreign_key_checks = 0 the key is added in place, writes going on, without the copy (the rows were checked above).' });
  if (fresh) return [add];
  return [
    part({ op: 'verify', table, sql: [`SELECT COUNT(*) FROM ${t} c LEFT JOIN ${ident(env, ref.table)} p ON ${pairs} WHERE ${nonNull} AND p.${refCols[0]} IS NULL`], expect: '0', locks: false, why: `${lead} ${dbName(d)} copies the table to check a new foreign key unless foreign_key_checks is off, so the rows are checked by this query first: the deploy stops if any row has no parent.` }),
    add,
  ];
}

function addColumn(env: OpEnv, op: AddColumnOp): Decision {
  const d = env.target.dialect;
  const c = op.column;
  const table = op.table;
  const t = tbl(env);
  const col = ident(env, c.name);
  if (c.generated?.kind === 'stored' || ((c.identity || c.autoIncrement) && !pg(d))) return { parts: [asIs(env, costWhy(env))] };
  const volatile = pg(d) && c.default?.kind === 'volatile';
  const identity = pg(d) && !!c.identity;
  const notNullNoDefault = !c.nullable && !c.default && !c.identity && !c.autoIncrement && !c.generated && !c.primaryKey;
  const uniqueInline = pg(d) && !!c.unique && !c.primaryKey;
  const refInline = !!c.references && d !== 'mysql';
  if (!volatile && !identity && !notNullNoDefault && !uniqueInline && !refInline) return { parts: [asIs(env, costWhy(env))] };

  const parts: Part[] = [];
  const requires: Requirement[] = [];
  // The column as the expand step adds it: everything the migration wrote (type, comment, position,
  // inline keys zdd does not move) except what later steps add online — NOT NULL (when steps below
  // make it NOT NULL), the volatile default or identity, the UNIQUE index on PostgreSQL, the
  // foreign key where its validation would block.
  const laterNotNull = volatile || identity || notNullNoDefault;
  const keep: ColumnDef = { ...c, nullable: laterNotNull ? true : c.nullable };
  if (uniqueInline) delete keep.unique;
  if (refInline) delete keep.references;
  if (volatile || identity) {
    delete keep.default;
    delete keep.primaryKey;
  }
  if (identity) {
    delete keep.identity;
    keep.type = { ...c.type, text: /bigserial/i.test(c.type.text) || c.type.name === 'bigint' ? 'bigint' : /smallserial/i.test(c.type.text) ? 'smallint' : 'integer' };
  }
  const seq = `${table}_${c.name}_seq`;
  if (identity) parts.push(part({ op: 'create-sequence', table, column: c.name, sql: [`CREATE SEQUENCE ${ident(env, seq)}`], locks: false, why: `An identity/serial column would be filled for every existing row under ACCESS EXCLUSIVE (a rewrite): its values come from a sequence instead.` }));
  const reasons = [
    volatile && `a volatile default (${c.default!.text}) would be evaluated for every existing row under ACCESS EXCLUSIVE (a rewrite)`,
    notNullNoDefault && `NOT NULL without a default fails inserts from the running release (which does not know the column)${pg(d) ? ' and fails outright on a table with rows' : ''}`,
    uniqueInline && 'its UNIQUE index would be built under ACCESS EXCLUSIVE',
    refInline && `its foreign key would be validated ${pg(d) ? 'while both tables are locked against writes' : 'by copying the table'}`,
  ].filter(Boolean);
  const { source: _source, statement: _statement, sql: _sql, ...rest } = op;
  const without = [laterNotNull && 'nullable', (volatile || identity) && 'without the default', (uniqueInline || refInline) && 'without its keys'].filter(Boolean).join(', ');
  parts.push(part({ op: 'add-column', table, column: c.name, sql: sqlOf(env, { ...rest, column: keep }), why: `Adds ${table}.${c.name} ${without} — a brief lock: ${reasons.join('; ')}.` }));
  if (volatile || identity) {
    const dflt = identity ? `nextval('${seq}')` : c.default!.text;
    parts.push(part({ op: 'set-default', table, column: c.name, sql: sqlOf(env, { kind: 'alter-column', column: c.name, default: { kind: 'volatile', text: dflt } }), why: `New rows get ${dflt} from now on — setting a default is instant.` }));
    parts.push(fillNulls(env, table, c.name, dflt, (how) => `Fills the existing rows ${how}, before the swap, so the new release finds a value in every row.`));
    if (identity) parts.push(part({ op: 'alter-sequence', table, column: c.name, sql: [`ALTER SEQUENCE ${ident(env, seq)} OWNED BY ${t}.${col}`], locks: false, why: `The sequence belongs to the column, as a serial's would.` }));
    if (!c.nullable || c.primaryKey) parts.push(...notNullParts(env, c.name, c, 1, 'post-swap', `${c.name} becomes NOT NULL once every row has a value (the default fills rows from either release)`));
    if (c.primaryKey) {
      // after NOT NULL, in the same phase: USING INDEX needs the index and a NOT NULL column
      parts.push({ ...indexPart(env, `${table}_pkey`, [c.name], true, undefined, `The primary key's unique index.`), phase: 'post-swap' });
      parts.push(part({ phase: 'post-swap', op: 'add-constraint', table, column: c.name, sql: usingIndexSql(env, `${table}_pkey`, 'primary', [c.name]), why: 'The index becomes the primary key without another build: a brief lock.' }));
    }
  } else if (notNullNoDefault) {
    parts.push(...notNullParts(env, c.name, c, 2, 'post-swap', `${c.name} becomes NOT NULL in release 2, once release 1 writes it on every insert and the rows from before are backfilled`));
    requires.push({ release: 1, condition: `The code of release 1 writes ${table}.${c.name} on every insert (release 2 makes it NOT NULL).` });
    requires.push({ release: 2, condition: `Every row of ${table} written before release 1 has a value in ${table}.${c.name} (backfill them in batches: zdd cannot know the value).` });
  }
  if (uniqueInline) {
    const name = `${table}_${c.name}_unique`;
    parts.push(indexPart(env, name, [c.name], true, undefined, `The UNIQUE index of ${c.name}.`));
    parts.push(part({ op: 'add-constraint', table, column: c.name, sql: usingIndexSql(env, name, 'unique', [c.name]), why: 'The index becomes the UNIQUE constraint without another build: a brief lock.' }));
  }
  if (refInline) parts.push(...foreignKeyParts(env, `${table}_${c.name}_foreign`, [c.name], c.references!, `The foreign key of ${c.name}.`, !volatile && !identity));
  return { parts, requires };
}

function alterColumn(env: OpEnv, op: AlterColumnOp): Decision {
  const d = env.target.dialect;
  const from = op.from;
  const newType: ColumnType | undefined = op.restatesColumn ? op.definition?.type ?? op.type : op.type;
  const c = cost(env);
  if (newType) {
    const change = compareTypes(from?.type, newType, d);
    if (change === 'unknown' && !from) {
      return { parts: [asIs(env, `zdd has not seen ${op.table}.${op.column} created, so it cannot tell whether its type changes; if it does, ${d === 'postgres' ? 'the table is rewritten under ACCESS EXCLUSIVE' : 'the table is copied and writes wait'}. Runs as written — check it, or give zdd the schema dump.`)] };
    }
    if (change === 'narrowing' || change === 'rewrite') {
      const breaks = change === 'narrowing' || !valuesFit(from!.type, newType);
      if (c.rewrite || breaks) {
        const target: ColumnDef = op.restatesColumn && op.definition ? { ...op.definition, name: `${op.column}_new` } : { ...from!, name: `${op.column}_new`, type: newType, ...(op.nullable !== undefined ? { nullable: op.nullable } : {}) };
        if (!op.restatesColumn) {
          if (op.default === null) delete target.default;
          else if (op.default) target.default = op.default;
        }
        return moveColumn(env, {
          from: op.column,
          to: `${op.column}_new`,
          old: from!,
          target,
          what: `Changing ${op.table}.${op.column} from ${from!.type.text} to ${newType.text} ${c.rewrite ? (pg(d) ? 'rewrites the table under ACCESS EXCLUSIVE' : 'copies the table while writes wait') : 'breaks values the running release writes'}. The column keeps the name ${op.column}_new (renaming it back is another expand/contract, which zdd-plan splits too)`,
        });
      }
    }
  }
  const classes = c.classes;
  if (classes.includes('set-not-null')) {
    const def: ColumnDef = (op.restatesColumn && op.definition) || { ...(from ?? { name: op.column, type: newType ?? { name: 'unknown', text: 'unknown' }, nullable: true }), ...(newType ? { type: newType } : {}) };
    const rest: Part[] = [];
    if (pg(d)) {
      // the other changes of the statement (type widening, default) stay where they are
      const other: AlterColumnOp = { ...op, nullable: from?.nullable ?? true };
      if (other.restatesColumn && other.definition) other.definition = { ...other.definition, nullable: from?.nullable ?? true };
      const sql = renderOp(other, d);
      if (sql?.length) rest.push(part({ kind: 'as-is', op: 'alter-column', table: op.table, column: op.column, sql, why: 'The rest of the change (without NOT NULL) is safe while the old release serves: a brief lock.' }));
    } else if (!from) {
      return { parts: [asIs(env, `zdd has not seen ${op.table}.${op.column} created: it cannot restate the column for MODIFY. Runs as written.`)] };
    }
    return {
      parts: [...rest, ...notNullParts(env, op.column, def, 1, 'post-swap', `${op.table}.${op.column} becomes NOT NULL after the swap and the drain: the running release may still write NULL${pg(d) ? ', and SET NOT NULL alone would scan the table under ACCESS EXCLUSIVE' : ''}`)],
      requires: [{ release: 1, condition: `The code of release 1 never writes NULL to ${op.table}.${op.column} (it becomes NOT NULL after the swap).` }],
    };
  }
  const notNull = op.nullable === false || (op.nullable === undefined && from && !from.nullable);
  if (op.default === null && notNull && from?.default && !(op.restatesColumn && !from.default)) {
    return {
      parts: [asIs(env, `${op.table}.${op.column} is NOT NULL and loses its default: inserts from the running release that omit it would fail, so this waits until after the swap and the drain.`, { phase: 'post-swap', kind: 'as-is' })],
      requires: [{ release: 1, condition: `The code of release 1 writes ${op.table}.${op.column} on every insert (its default is dropped after the swap).` }],
    };
  }
  return { parts: [asIs(env, costWhy(env))] };
}

// ---------- indexes and constraints ----------

/** The statement with CONCURRENTLY after its INDEX keyword (keeps partial predicates, methods, options). */
function withConcurrently(sql: string, d: Dialect): string | undefined {
  const toks = lexSql(sql, d);
  const idx = toks.findIndex((t) => t.type === 'word' && t.value === 'INDEX');
  if (idx === -1) return undefined;
  return `${sql.slice(0, toks[idx]!.end)} CONCURRENTLY${sql.slice(toks[idx]!.end)}`;
}

function singleOpStatement(env: OpEnv): string | undefined {
  const op = env.op;
  if (op.sql === undefined) return undefined;
  return env.migration.ops.filter((o) => o.statement === op.statement).length === 1 ? op.sql : undefined;
}

function addIndex(env: OpEnv): Decision {
  const op = env.op as Extract<Operation, { kind: 'add-index' }>;
  const d = env.target.dialect;
  if (!pg(d) || op.concurrently) return { parts: [asIs(env, costWhy(env))] };
  const own = singleOpStatement(env);
  const sql = own ? withConcurrently(own, d) : op.partial ? undefined : renderOp({ ...op, concurrently: true }, d)?.[0];
  const why = `CREATE INDEX without CONCURRENTLY blocks every write to ${op.table} for the whole build: built CONCURRENTLY instead, outside a transaction (writes go on; a failed build leaves an INVALID index to drop before retrying).`;
  if (!sql) return { parts: [part({ kind: 'manual', op: 'add-index', table: op.table, locks: false, transactional: false, why: `${why} zdd cannot write this partial index back from PHP: add CONCURRENTLY by hand.` })] };
  return { parts: [part({ op: 'add-index', table: op.table, sql: [sql], locks: false, transactional: false, why })] };
}

function dropIndex(env: OpEnv): Decision {
  const op = env.op as Extract<Operation, { kind: 'drop-index' }>;
  if (!pg(env.target.dialect) || op.concurrently) return { parts: [asIs(env, costWhy(env))] };
  return {
    parts: [
      part({
        phase: 'post-swap',
        op: 'drop-index',
        table: op.table,
        sql: sqlOf(env, { kind: 'drop-index', name: op.name, concurrently: true, ...(op.ifExists ? { ifExists: true } : {}) }),
        locks: false,
        transactional: false,
        why: `DROP INDEX takes ACCESS EXCLUSIVE on ${op.table || 'its table'}; CONCURRENTLY does not block queries. After the swap: the running release's queries may still rely on the index.`,
      }),
    ],
  };
}

function addConstraint(env: OpEnv, op: AddConstraintOp): Decision {
  const d = env.target.dialect;
  if (op.usingIndex || !op.validated) return { parts: [asIs(env, costWhy(env))] };
  const table = op.table;
  if (op.constraint === 'foreign' && op.references) {
    if (!pg(d) && env.session.get('foreign_key_checks') === '0') return { parts: [asIs(env, costWhy(env))] };
    return { parts: foreignKeyParts(env, op.name ?? `${table}_${op.columns.join('_')}_foreign`, op.columns, op.references, `Adding a foreign key from ${table} to ${op.references.table}.`) };
  }
  if (!pg(d)) return { parts: [asIs(env, costWhy(env))] };
  if (op.constraint === 'check' && op.expression !== undefined) {
    // PostgreSQL's own name for an unnamed CHECK: <table>_<column>_check when it is written on one
    // column, else <table>_check (heap.c, AddRelationNewConstraints) — later migrations drop it by that name
    const name = op.name ?? (op.columns.length === 1 ? `${table}_${op.columns[0]}_check` : `${table}_check`);
    return {
      parts: [
        part({ op: 'add-constraint', table, sql: sqlOf(env, { kind: 'add-constraint', constraint: 'check', name, columns: op.columns, expression: op.expression, validated: false }), why: `A validating CHECK scans ${table} under ACCESS EXCLUSIVE: added NOT VALID instead (instant; new rows are checked).` }),
        part({ phase: 'post-swap', op: 'validate-constraint', table, sql: sqlOf(env, { kind: 'validate-constraint', name }), locks: false, why: 'Validates the existing rows while writes go on (SHARE UPDATE EXCLUSIVE), after the swap: the running release may still write rows the check refuses until then.' }),
      ],
    };
  }
  if (op.constraint === 'unique' || op.constraint === 'primary') {
    const primary = op.constraint === 'primary';
    const name = op.name ?? (primary ? `${table}_pkey` : `${table}_${op.columns.join('_')}_unique`);
    const parts: Part[] = [];
    if (primary) {
      for (const col of op.columns) {
        const def = env.schema.column(table, col);
        if (def?.nullable) parts.push(...notNullParts(env, col, def, 1, 'pre-swap', `A primary key needs ${col} NOT NULL, which would otherwise be checked under ACCESS EXCLUSIVE`));
      }
    }
    parts.push(indexPart(env, name, op.columns, true, undefined, `${primary ? 'A primary key' : 'A UNIQUE constraint'} builds its index under ACCESS EXCLUSIVE: the index is built first.`));
    parts.push(part({ op: 'add-constraint', table, sql: usingIndexSql(env, name, op.constraint, op.columns), why: `The index becomes the ${primary ? 'primary key' : 'constraint'} without another build: a brief lock.` }));
    return { parts };
  }
  return { parts: [asIs(env, costWhy(env))] };
}

// ---------- data ----------

function data(env: OpEnv): Decision {
  const op = env.op as Extract<Operation, { kind: 'data' }>;
  const d = env.target.dialect;
  if (op.batched || op.action === 'insert' || op.action === 'upsert' || !op.table) return { parts: [asIs(env, op.batched ? 'A data change the migration already writes in batches: it runs where it is.' : 'Writes the rows it lists, not a whole table: it runs where it is.', { locks: false })] };
  const lead = `The ${op.action === 'insert-select' ? 'INSERT … SELECT' : op.action.toUpperCase()} over ${op.table} in the migration holds row locks on every row it touches${env.migration.transactional ? ' until the migration commits' : ''}`;
  const own = singleOpStatement(env);
  if (!own) {
    return {
      parts: [
        part({
          phase: 'post-swap',
          kind: 'manual',
          op: 'backfill',
          table: op.table,
          locks: false,
          transactional: false,
          why: `${lead}; it belongs after the swap, in batches. zdd cannot turn this ${op.via === 'sql' ? 'statement' : `${op.via} call`} into SQL it can run outside the migration: move it into a queued job or console command run after the deploy (chunkById), or into its own migration.`,
        }),
      ],
    };
  }
  const { key, known } = batchKey(env.schema.table(op.table));
  const batched = batchStatement(own, d, key);
  if ('reason' in batched) {
    return { parts: [part({ phase: 'post-swap', kind: 'backfill', op: 'backfill', table: op.table, sql: [own], locks: false, why: `${lead}: it runs after the swap and the drain, outside the schema migration — as one statement, since ${batched.reason}.` })] };
  }
  return {
    parts: [
      part({
        phase: 'post-swap',
        kind: 'backfill',
        op: 'backfill',
        table: op.table,
        sql: [batched.sql],
        locks: false,
        batch: { table: op.table, key, size: env.options.batchSize },
        why: `${lead}: it runs after the swap and the drain (no old worker writes the old values any more), outside the schema migration, in batches of ${env.options.batchSize} by ${key}${known ? '' : ' (zdd assumes an integer key id)'}.`,
      }),
    ],
  };
}
