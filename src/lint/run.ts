import { costOf, type OpCost, type Target } from '../dialects/index.js';
import type { Migration, Operation, Suppression } from '../ir/types.js';
import { isNewTableIn, SchemaState, type NewTableScope } from '../schema/replay.js';
import { ignoreProblem, suppresses, UNUSED_IGNORE, UNUSED_IGNORE_FIX } from '../util/suppression.js';
import type { ZddConfig } from './config.js';
import { configContract, placeContract, type ContractPlacement, type ContractSetting } from './contract.js';
import { renderFix } from './fix.js';
import type { Dependent, Finding, MigrationRule, OpContext, RuleFinding, Severity } from './types.js';

export interface LintOptions {
  target: Target;
  rules: readonly MigrationRule[];
  config: ZddConfig;
  /** Ids of the migrations that are the change being linted; the others are only replayed. Default: all. */
  changed?: ReadonlySet<string>;
  /** Changed migrations the running release already has (edited after they ran): the tables they create are not new. */
  deployed?: ReadonlySet<string>;
  /** 'migration': a table is new only in the migration that created it. 'release': in any changed migration. */
  newTableScope?: NewTableScope;
  /** Schema before the first migration (a schema dump). */
  schema?: SchemaState;
  /** Code that depends on a table/column (release mode). */
  dependents?: (table: string, column?: string) => Dependent[];
}

interface Pending {
  finding: Finding;
  statement: number;
}

/**
 * Runs every enabled rule over every op of the changed migrations, replaying the schema as it
 * goes, then applies `zdd-ignore` suppressions and reports the ones that suppressed nothing.
 */
export function lintMigrations(migrations: readonly Migration[], opts: LintOptions): Finding[] {
  const schema = opts.schema ?? new SchemaState();
  const ruleLevels = opts.config.rules ?? {};
  const enabled = opts.rules.filter((r) => ruleLevels[r.id] !== 'off');
  const changedIds = opts.changed;
  const releaseTables = new Set<string>();
  const findings: Finding[] = [];
  const noDependents = (): Dependent[] => [];
  const contract = configContract(opts.config.plan);

  for (const migration of migrations) {
    const isChanged = !changedIds || changedIds.has(migration.id);
    const session = new Map<string, string>();
    const pending: Pending[] = [];
    const seen = new Set<string>();
    // MariaDB SET STATEMENT … FOR applies to its own statement only.
    const statementSettings = new Map<string, { value: string; statement: number }>();
    const settingsFor = (statement: number): ReadonlyMap<string, string> => {
      if (statementSettings.size === 0) return session;
      const own = [...statementSettings].filter(([, v]) => v.statement === statement);
      if (!own.length) return session;
      const merged = new Map(session);
      for (const [k, v] of own) merged.set(k, v.value);
      return merged;
    };
    const shared: SharedContext = { migration, target: opts.target, schema, seen, releaseTables, newTableScope: opts.newTableScope ?? 'migration', dependents: opts.dependents ?? noDependents, codeIndexed: !!opts.dependents, contract };

    for (const op of migration.ops) {
      if (op.dialects && !op.dialects.includes(opts.target.dialect)) continue;
      if (op.kind === 'session') {
        if (op.scope === 'statement') statementSettings.set(op.setting, { value: op.value, statement: op.statement });
        else if (op.scope !== 'global') session.set(op.setting, op.value);
      }
      schema.enrich(op);
      if (isChanged) {
        const ctx = new RuleContext(shared, op, settingsFor(op.statement));
        for (const rule of enabled) {
          const out = rule.check(ctx);
          if (!out) continue;
          for (const rf of Array.isArray(out) ? out : [out]) pending.push({ finding: toFinding(rule, rf, op, migration, ruleLevels[rule.id]), statement: op.statement });
        }
      }
      schema.apply(op, migration.id);
    }
    if (isChanged && !opts.deployed?.has(migration.id)) releaseTables.add(migration.id);
    if (!isChanged) continue;
    const kept = dedupe(applySuppressions(migration, pending, opts, ruleLevels[UNUSED_IGNORE]));
    kept.sort((a, b) => a.location.line - b.location.line || a.location.col - b.location.col);
    findings.push(...kept);
  }
  return findings;
}

/** What every op of one migration shares. */
interface SharedContext {
  migration: Migration;
  target: Target;
  schema: SchemaState;
  seen: Set<string>;
  releaseTables: ReadonlySet<string>;
  newTableScope: NewTableScope;
  dependents: (table: string, column?: string) => Dependent[];
  /** Code was indexed (release mode): `dependents` is evidence, not just empty. */
  codeIndexed: boolean;
  /** zdd-plan's contract setting (`plan.contract` of zdd.config.json). */
  contract: ContractSetting;
}

/** The OpContext rules receive: one small object per op, methods on the prototype (a hot path). */
class RuleContext implements OpContext {
  private costCache: OpCost | undefined;
  readonly migration: Migration;
  readonly target: Target;
  readonly schema: SchemaState;
  readonly inTransaction: boolean;
  readonly format: Migration['format'];

  constructor(
    private readonly shared: SharedContext,
    readonly op: Operation,
    readonly session: ReadonlyMap<string, string>,
  ) {
    this.migration = shared.migration;
    this.target = shared.target;
    this.schema = shared.schema;
    this.inTransaction = shared.migration.transactional || !!op.inTransactionBlock;
    this.format = shared.migration.format;
  }

  isNewTable(table: string): boolean {
    return isNewTableIn(this.schema, table, this.migration.id, this.shared.newTableScope, this.shared.releaseTables);
  }

  cost(): OpCost {
    return (this.costCache ??= costOf(this.op, { target: this.target, session: this.session, schema: this.schema }));
  }

  dependents(table: string, column?: string): Dependent[] {
    return this.shared.dependents(table, column);
  }

  contractPlacement(table: string, column?: string): ContractPlacement {
    return placeContract(this.shared.codeIndexed ? this.shared.dependents(table, column) : undefined, this.shared.contract);
  }

  once(key: string): boolean {
    if (this.shared.seen.has(key)) return false;
    this.shared.seen.add(key);
    return true;
  }
}

/** A loop in a PHP migration runs the same call for several values: report each finding once. */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.rule}\u0000${f.location.line}:${f.location.col}\u0000${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function toFinding(rule: MigrationRule, rf: RuleFinding, op: Operation, migration: Migration, level: Severity | 'off' | undefined): Finding {
  const severity: Severity = level && level !== 'off' ? level : rf.severity ?? rule.defaultSeverity;
  const f: Finding = {
    rule: rule.id,
    severity,
    // a Doctrine op named by run-time expressions (another class's constant, a helper's result):
    // the message names them as written, and says they are not the real names
    message: op.symbolicNames?.length ? `${rf.message} (${op.symbolicNames.join(', ')}: ${op.symbolicNames.length > 1 ? 'names' : 'a name'} known only at run time, written as in the migration.)` : rf.message,
    fix: renderFix(rf.fix, migration.format),
    location: { file: op.source.file, line: op.source.line, col: op.source.col },
    target: rf.target ?? { table: op.table },
    migration: migration.id,
  };
  if (rf.dependents?.length) f.dependents = rf.dependents;
  return f;
}

function applySuppressions(migration: Migration, pending: Pending[], opts: LintOptions, unusedLevel: Severity | 'off' | undefined): Finding[] {
  const used = new Set<Suppression>();
  const kept: Finding[] = [];
  for (const p of pending) {
    const s = migration.suppressions.find((sup) => (sup.file || sup.statement === p.statement || sup.statements?.includes(p.statement)) && suppresses(sup, p.finding.rule));
    if (s) used.add(s);
    else kept.push(p.finding);
  }
  if (unusedLevel === 'off' || !opts.rules.some((r) => r.id === UNUSED_IGNORE)) return kept;
  const check = { known: new Set(opts.rules.map((r) => r.id)), command: 'zdd lint', unit: 'statement' } as const;
  for (const s of migration.suppressions) {
    const message = ignoreProblem(s, { used: used.has(s), placed: s.statement !== undefined }, check);
    if (!message) continue;
    kept.push({
      rule: UNUSED_IGNORE,
      severity: unusedLevel ?? 'warning',
      message,
      fix: UNUSED_IGNORE_FIX,
      location: { file: migration.file, line: s.line, col: 1 },
      target: { table: '' },
      migration: migration.id,
    });
  }
  return kept;
}
