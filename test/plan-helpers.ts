import { defaultTarget, parseVersion } from '../src/dialects/index.js';
import type { Dialect, Migration } from '../src/ir/types.js';
import { buildPlan, type PlanContext, type PlanOptions } from '../src/plan/build.js';
import type { Phase, Plan } from '../src/plan/types.js';
import { prepareSqlParser, readSqlText } from '../src/readers/sql/read.js';
import { readLaravelMigration } from '../src/readers/laravel.js';
import { replayMigrations, SchemaState } from '../src/schema/replay.js';
import { MYSQL_SCHEMA, PG_SCHEMA } from './helpers.js';

export interface PlanTestOptions extends Partial<PlanOptions> {
  version?: string;
  dependents?: PlanContext['dependents'];
  /** Migrations zdd-plan wrote, by id, with the phase of their marker. */
  marked?: Record<string, Phase>;
  /** Run SQL files in a transaction (sql.transactional). */
  transactional?: boolean;
  /** Which migrations' tables count as new (PlanContext.newTableScope; path mode: 'migration'). */
  newTableScope?: PlanContext['newTableScope'];
}

function sqlMigration(name: string, sql: string, dialect: Dialect, transactional = false): Migration {
  const r = readSqlText(sql, { file: name, dialect });
  return { id: name.replace(/\.(sql|php)$/, ''), file: name, format: 'sql', transactional, ops: r.ops, suppressions: r.suppressions };
}

/**
 * Plans `change` (one SQL file, or several: name → SQL) after the standard test schema
 * (users, teams, orders / posts), which is replayed as history.
 */
export async function planSql(dialect: Dialect, change: string | Record<string, string>, opts: PlanTestOptions = {}): Promise<Plan> {
  await prepareSqlParser(dialect);
  const history = sqlMigration('0001_schema.sql', dialect === 'postgres' ? PG_SCHEMA : MYSQL_SCHEMA, dialect);
  const files = typeof change === 'string' ? { '0002_change.sql': change } : change;
  const changed = Object.entries(files).map(([name, sql]) => (name.endsWith('.php') ? laravel(name, sql, dialect) : sqlMigration(name, sql, dialect, opts.transactional)));
  return plan(dialect, [history], changed, opts);
}

function laravel(name: string, code: string, dialect: Dialect): Migration {
  const r = readLaravelMigration(code, { file: name, dialect });
  if (!('migration' in r)) throw new Error(`skipped: ${r.skipped}`);
  return r.migration;
}

export function plan(dialect: Dialect, history: Migration[], changed: Migration[], opts: PlanTestOptions = {}): Plan {
  const schema = new SchemaState();
  replayMigrations(schema, history, { markCreated: false });
  const target = opts.version ? { dialect, version: parseVersion(opts.version)! } : defaultTarget(dialect);
  const ctx: PlanContext = { target, schema, ...(opts.dependents ? { dependents: opts.dependents } : {}), ...(opts.marked ? { marked: new Map(Object.entries(opts.marked)) } : {}), ...(opts.newTableScope ? { newTableScope: opts.newTableScope } : {}) };
  return buildPlan(changed, ctx, { contract: opts.contract ?? 'next-release', ...(opts.batchSize ? { batchSize: opts.batchSize } : {}), ...(opts.lockTimeoutSeconds ? { lockTimeoutSeconds: opts.lockTimeoutSeconds } : {}) });
}

/** Steps as `release phase kind op: sql…` lines, for exact comparisons that read like the plan. */
export function outline(p: Plan): string[] {
  const out: string[] = [];
  for (const r of p.releases) {
    for (const s of r.steps) out.push(`${r.release} ${s.phase} ${s.kind} ${s.op}${s.run === 'migration' ? ' (migration)' : ''}${s.sql ? `: ${s.sql.join(' ; ')}` : ''}`);
  }
  return out;
}
