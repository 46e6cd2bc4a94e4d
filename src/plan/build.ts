import type { Target } from '../dialects/index.js';
import type { Migration, Operation } from '../ir/types.js';
import { lockTimeoutSet, lockTimeoutSql, strongDependents } from '../lint/rule-kit.js';
import type { Dependent } from '../lint/types.js';
import { isNewTableIn, SchemaState, type NewTableScope } from '../schema/replay.js';
import { decompose, type Decision, type OpEnv, type Part, type PlanOptions, type Requirement } from './decompose.js';
import { renderOp } from './sql.js';
import type { Phase, Plan, PlanCheck, PlanMigration, PlanRelease, PlanStep } from './types.js';

export { PlanRefusal, type PlanOptions } from './decompose.js';

/**
 * The planner: walks the changed migrations in order with the schema as it stands before each op,
 * turns every op into parts (decompose.ts), and decides per migration how the deploy runs it —
 * unchanged through the framework (`as-is`), or as zdd's SQL steps with the original recorded as
 * applied (`split`). Steps are then laid out per release and phase.
 */

export interface PlanContext {
  target: Target;
  /** The schema before the change (history replayed, schema dump); empty when unknown. */
  schema?: SchemaState;
  /** Code references to a table/column in the old and new release (the code index); undefined in path mode. */
  dependents?: (table: string, column?: string) => Dependent[];
  /**
   * Migrations zdd-plan wrote (`--write`), by id, with the phase their marker comment names: they are
   * safe steps already and run unchanged in that phase.
   */
  marked?: ReadonlyMap<string, Phase>;
  /**
   * Which tables and columns count as new, nothing deployed using them yet (as zdd lint decides):
   * `release` (default, release mode) — created or added by any migration of the change;
   * `migration` (path mode) — only by the op's own migration, since the earlier files of a folder
   * may have run already.
   */
  newTableScope?: NewTableScope;
}

interface PlannedOp {
  op: Operation;
  parts: Part[];
  /** Settings (lower-case names) in effect at this op. */
  session: ReadonlyMap<string, string>;
  /** Session statements (other than the lock timeout) the migration ran before this op. */
  sessionSql: string[];
  /** The explicit BEGIN … COMMIT block the op sits in (0: none). */
  block: number;
}

type StepDraft = PlanStep & { seq: number; release: number; block?: number };

const TIMEOUT_SETTINGS = new Set(['lock_timeout', 'lock_wait_timeout']);
const TX_STATEMENTS = new Set(['begin', 'start', 'commit', 'rollback']);

function inPlace(p: Part): boolean {
  return !!p.asIs && p.kind === 'as-is' && p.release === 1 && p.phase === 'pre-swap';
}

export function buildPlan(changed: readonly Migration[], ctx: PlanContext, options: PlanOptions): Plan {
  const opts: Required<PlanOptions> = { lockTimeoutSeconds: 5, batchSize: 1000, contractExplicit: false, ...options };
  const d = ctx.target.dialect;
  const schema = ctx.schema ?? new SchemaState();
  const changedIds = new Set(changed.map((m) => m.id));
  const scope = ctx.newTableScope ?? 'release';
  // column → the migration that added it
  const newColumns = new Map<string, string>();
  const colKey = (t: string, c: string) => `${t.toLowerCase()}.${c.toLowerCase()}`;

  const steps: StepDraft[] = [];
  const requires: Requirement[] = [];
  const migrations: PlanMigration[] = [];
  let seq = 0;

  changed.forEach((migration) => {
    const session = new Map<string, string>();
    const sessionSql: string[] = [];
    let block = 0;
    let blocks = 0;
    const planned: PlannedOp[] = [];
    migration.ops.forEach((op) => {
      if (op.dialects && !op.dialects.includes(d)) return;
      if (op.kind === 'session') {
        if (op.scope !== 'global' && op.scope !== 'statement') session.set(op.setting, op.value);
        if (!TIMEOUT_SETTINGS.has(op.setting) && op.scope !== 'statement') sessionSql.push(...(renderOp(op, d) ?? []));
        return;
      }
      if (op.kind === 'statement' && TX_STATEMENTS.has(op.statementKind)) {
        block = op.statementKind === 'begin' || op.statementKind === 'start' ? ++blocks : 0;
        return;
      }
      schema.enrich(op);
      const isNewTable = (t: string): boolean => isNewTableIn(schema, t, migration.id, scope, changedIds);
      const addedIn = (t: string, c: string): boolean => {
        const by = newColumns.get(colKey(t, c));
        return by !== undefined && (scope === 'release' || by === migration.id);
      };
      const env: OpEnv = {
        op,
        migration,
        target: ctx.target,
        schema,
        session: new Map(session),
        isNewTable,
        isNewColumn: (t, c) => isNewTable(t) || addedIn(t, c),
        options: opts,
        ...(ctx.dependents ? { dependents: ctx.dependents } : {}),
        marked: ctx.marked?.get(migration.id),
      };
      const decision: Decision = decompose(env);
      requires.push(...(decision.requires ?? []));
      planned.push({ op, parts: decision.parts, session: env.session, sessionSql: [...sessionSql], block: op.inTransactionBlock ? block : 0 });
      if (op.kind === 'add-column' || op.kind === 'rename-column') newColumns.set(colKey(op.table, op.kind === 'add-column' ? op.column.name : op.newName), migration.id);
      schema.apply(op, migration.id);
    });

    // How the deploy runs this migration. A migration zdd-plan wrote runs unchanged in its marked phase.
    const marked = ctx.marked?.get(migration.id);
    const allInPlace = planned.every((p) => p.parts.every((x) => inPlace(x) || (!!marked && !!x.asIs && x.kind === 'as-is' && x.release === 1 && x.phase === marked)));
    const unguarded = planned.some((p) => p.parts.some((x) => x.locks) && !lockTimeoutSet(p.session, d));
    const hasConcurrent = planned.some((p) => (p.op.kind === 'add-index' || p.op.kind === 'drop-index' || p.op.kind === 'table-option') && p.op.concurrently);
    // PostgreSQL: the framework's connection takes the timeout from PGOPTIONS (libpq); SQL files run
    // through zdd's client get it prepended. Not with CONCURRENTLY: it waits on older transactions,
    // and a lock timeout would cancel it and leave an INVALID index.
    const injectable = !hasConcurrent && (d === 'postgres' || migration.format === 'sql');
    const asIs = allInPlace && (!unguarded || injectable);
    const entry: PlanMigration = { id: migration.id, file: migration.file, format: migration.format, handling: asIs ? 'as-is' : 'split', transactional: migration.transactional };
    if (asIs) entry.lockTimeout = !unguarded ? (planned.some((p) => p.parts.some((x) => x.locks)) ? 'migration' : 'none') : 'injected';
    else entry.reason = allInPlace ? `its locking statements need a lock timeout, which zdd cannot give the framework's connection on ${d === 'postgres' ? 'PostgreSQL next to CONCURRENTLY' : 'MySQL'}: zdd runs it as SQL` : splitReason(planned);
    migrations.push(entry);

    if (asIs) {
      for (const p of planned) {
        for (const x of p.parts) steps.push({ ...stepBase(x, migration, p.op), run: 'migration', release: 1, seq: seq++ });
      }
      if (!planned.length) steps.push({ phase: 'pre-swap', op: 'migration', table: '', migration: migration.id, why: 'Changes nothing zdd can see: it runs as written.', kind: 'as-is', run: 'migration', transactional: migration.transactional, locks: false, file: migration.file, line: 1, release: 1, seq: seq++ });
      return;
    }

    // Split: every part becomes SQL run through the client.
    const emitted = new Set<number>(); // statements already emitted whole, for their sibling ops
    for (const p of planned) {
      for (const x of p.parts) {
        const base = stepBase(x, migration, p.op);
        if (x.kind === 'manual') {
          steps.push({ ...base, run: 'sql', release: x.release, seq: seq++ });
          continue;
        }
        let sql: string[] | undefined = x.sql;
        if (x.asIs) {
          const siblings = planned.filter((o) => o.op.statement === p.op.statement);
          const together = siblings.every((o) => o.parts.every((y) => y.asIs && y.release === x.release && y.phase === x.phase && y.kind === x.kind));
          if (p.op.sql !== undefined && siblings.length === 1) sql = [p.op.sql];
          else sql = renderOp(p.op, d);
          if (!sql && p.op.sql !== undefined && together) {
            if (emitted.has(p.op.statement)) continue;
            emitted.add(p.op.statement);
            sql = [p.op.sql];
          }
        }
        if (!sql) {
          const what = p.op.sql === undefined && migration.format !== 'sql' ? 'PHP' : 'statement';
          steps.push({ ...base, kind: 'manual', run: 'sql', why: `${x.why} zdd cannot write this ${what} as SQL to run outside its migration: move it into a migration of its own, which then runs unchanged.`, release: x.release, seq: seq++ });
          continue;
        }
        if (!sql.length) continue;
        // SQL run outside the migration drops what only the migration has: its run-time check, its computed names
        const lost = lostInSql(p.op);
        if (lost) {
          steps.push({ ...base, kind: 'manual', run: 'sql', why: `${x.why} ${lost}: a person must run it as the migration would, or make it a migration zdd can run unchanged.`, release: x.release, seq: seq++ });
          continue;
        }
        const last = steps[steps.length - 1];
        const prefix = x.locks ? [lockTimeoutSql(d, opts.lockTimeoutSeconds)] : [];
        // the statements of one explicit BEGIN … COMMIT block stay in one transaction; the lock
        // timeout goes first when any of them locks
        if (p.block && inPlace(x) && last && last.migration === migration.id && last.block === p.block && last.sql) {
          if (x.locks && !last.locks) {
            last.sql.unshift(...prefix);
            last.locks = true;
          }
          last.sql.push(...sql);
          continue;
        }
        const step: StepDraft = { ...base, run: 'sql', sql: [...prefix, ...p.sessionSql, ...sql], release: x.release, seq: seq++ };
        if (p.block && inPlace(x)) step.block = p.block;
        steps.push(step);
      }
    }
  });

  return layout(d, steps, requires, migrations, ctx, opts);
}

/** What SQL zdd writes for an op could not keep (undefined: nothing, the SQL is what the migration runs). */
function lostInSql(op: Operation): string | undefined {
  if (op.conditional) return 'The migration runs this only when a run-time check lets it (a `Schema::hasColumn()`-style guard, a `preUp()` that throws `SkipMigration`, `skipIf()` …), and zdd cannot carry that check into SQL';
  if (op.symbolicNames?.length) return `Its names are computed at run time (${op.symbolicNames.join(', ')}): zdd knows them only by those expressions and cannot write the SQL that runs`;
  return undefined;
}

function splitReason(planned: PlannedOp[]): string {
  const fails = planned.flatMap((p) => p.parts.flatMap((x) => (x.fails ? [x.fails] : [])));
  if (fails.length) return `fails as written (${fails.join('; ')}): fix it before deploying`;
  const changedKinds = [...new Set(planned.filter((p) => !p.parts.every(inPlace)).map((p) => p.op.kind))];
  return `unsafe as written (${changedKinds.join(', ')}): zdd runs its safe steps as SQL`;
}

function stepBase(x: Part, migration: Migration, op: Operation): Omit<PlanStep, 'run'> {
  const s: Omit<PlanStep, 'run'> = {
    phase: x.phase,
    op: x.op,
    table: x.table,
    ...(x.column ? { column: x.column } : {}),
    migration: migration.id,
    why: x.why,
    kind: x.kind,
    transactional: x.transactional,
    locks: x.locks,
    file: migration.file,
    line: op.source.line,
  };
  if (x.batch) {
    s.batched = true;
    s.batch = x.batch;
  }
  if (x.expect !== undefined) s.expect = x.expect;
  return s;
}

function layout(d: Target['dialect'], steps: StepDraft[], requires: Requirement[], migrations: PlanMigration[], ctx: PlanContext, opts: Required<PlanOptions>): Plan {
  const releaseNumbers = [...new Set([1, ...steps.map((s) => s.release), ...requires.map((r) => r.release)])].sort((a, b) => a - b);
  const phaseRank = { 'pre-swap': 0, 'post-swap': 1 } as const;
  const releases: PlanRelease[] = releaseNumbers.map((n) => {
    const own = steps
      .filter((s) => s.release === n)
      .sort((a, b) => phaseRank[a.phase] - phaseRank[b.phase] || a.seq - b.seq)
      .map(({ seq: _seq, release: _release, block: _block, ...rest }) => rest as PlanStep);
    const reqs: Requirement[] = [];
    for (const r of requires) if (r.release === n && !reqs.some((x) => x.condition === r.condition)) reqs.push(r);
    return { release: n, steps: own, requires: reqs.map((r) => r.condition), checks: reqs.map((r) => check(r, ctx)) };
  });
  return { version: 1, dialect: d, releases, migrations, contract: opts.contract };
}

/** Release 1's conditions are checked against the new release's code when the code was indexed. */
function check(r: Requirement, ctx: PlanContext): PlanCheck {
  if (!r.absent || r.release !== 1 || !ctx.dependents) return { condition: r.condition, status: 'unchecked' };
  const refs = strongDependents(ctx.dependents(r.absent.table, r.absent.column).filter((x) => x.release === 'new'));
  return refs.length ? { condition: r.condition, status: 'unsatisfied', references: refs } : { condition: r.condition, status: 'satisfied' };
}
