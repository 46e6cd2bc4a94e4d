import type { Dialect } from '../ir/types.js';
import { q } from '../lint/rule-kit.js';
import { FROM, TO } from '../plan/batch.js';
import type { PlanMigration, PlanStep } from '../plan/types.js';
import { sqlString } from '../util/text.js';
import type { Unit } from './context.js';
import type { DeploySettings } from './settings.js';

/** Helpers shared by the emitters that write deploy code (sh, Deployer) and migration files (--write). */

/** `text` as comment lines of at most `width` characters, each starting with `prefix` (`#`, `//`, `--`). */
export function wrapComment(prefix: string, text: string, width = 100): string[] {
  const out: string[] = [];
  let cur = prefix;
  for (const w of text.split(/\s+/).filter(Boolean)) {
    if (cur.length + w.length + 1 > width && cur !== prefix) {
      out.push(cur);
      cur = prefix;
    }
    cur += ` ${w}`;
  }
  if (cur !== prefix) out.push(cur);
  return out;
}

/** `add-column users.full_name`, `backfill orders` … */
export function stepLabel(s: Pick<PlanStep, 'op' | 'table' | 'column'>): string {
  const target = s.column ? `${s.table}.${s.column}` : s.table;
  return target ? `${s.op} ${target}` : s.op;
}

/**
 * Statements as a script for the SQL client: each ends with `;`. A MySQL statement with `;` inside
 * (a trigger or routine body) is framed with DELIMITER, as the mysql client needs. `transaction`
 * wraps them in BEGIN … COMMIT (PostgreSQL: one transaction for the step).
 */
export function withTerminators(statements: string[], d: Dialect, transaction: boolean): string {
  const lines: string[] = [];
  if (transaction) lines.push('BEGIN;');
  for (const s of statements) {
    if (d !== 'postgres' && s.includes(';')) lines.push('DELIMITER //', `${s} //`, 'DELIMITER ;');
    else lines.push(`${s};`);
  }
  if (transaction) lines.push('COMMIT;');
  return lines.join('\n');
}

/**
 * The statement that records a split migration as applied, so that the framework never runs the
 * unsafe original: Laravel's migrations table (next batch number, once), or the configured
 * `plan.sqlRecord` for plain SQL runners. Doctrine records with its console instead.
 */
export function recordSql(m: PlanMigration, d: Dialect, s: DeploySettings, fileInRelease: string): string | undefined {
  if (m.format === 'laravel') {
    const t = q(s.migrationsTable, d);
    const id = sqlString(m.id);
    return `INSERT INTO ${t} (migration, batch) SELECT ${id}, (SELECT COALESCE(MAX(batch), 0) + 1 FROM ${t})${d === 'postgres' ? '' : ' FROM DUAL'} WHERE NOT EXISTS (SELECT 1 FROM ${t} WHERE migration = ${id})`;
  }
  if (m.format === 'sql' && s.sqlRecord) return s.sqlRecord.replaceAll('{id}', sqlString(m.id)).replaceAll('{file}', sqlString(fileInRelease));
  return undefined;
}

/** What the deploy code of a batched step puts where a batch's range starts and ends (`{from}`, `{to}` in the plan). */
export const BATCH_FROM = '__ZDD_FROM__';
export const BATCH_TO = '__ZDD_TO__';

/**
 * How a deploy runs one SQL step of the plan, whatever it is written in:
 * - `batched`: `body` once per key range of `table` (quoted) by `key` (quoted), `size` rows each, with
 *   BATCH_FROM / BATCH_TO for the range;
 * - `verify`: `select` must return `expected`, or the deploy stops;
 * - `run`: the statements of `body`, retried on a lock timeout when `retry` (the step takes a lock
 *   other sessions queue behind, so it starts with a lock timeout: plan step `locks`).
 */
export type SqlRun =
  | { kind: 'batched'; table: string; key: string; size: number; body: string }
  | { kind: 'verify'; expected: string; select: string }
  | { kind: 'run'; body: string; retry: boolean };

export function sqlRun(st: PlanStep, d: Dialect): SqlRun {
  const stmts = st.sql ?? [];
  if (st.batch) {
    const body = withTerminators(stmts.map((x) => x.replaceAll(FROM, BATCH_FROM).replaceAll(TO, BATCH_TO)), d, false);
    return { kind: 'batched', table: q(st.batch.table, d), key: q(st.batch.key, d), size: st.batch.size, body };
  }
  if (st.expect !== undefined) return { kind: 'verify', expected: st.expect, select: stmts[stmts.length - 1]! };
  // PostgreSQL: more than one statement after the settings (the lock timeout, the migration's own
  // SETs) run in one transaction, so that a failure leaves nothing half done
  const own = stmts.filter((x) => !/^SET\s/i.test(x));
  return { kind: 'run', body: withTerminators(stmts, d, st.transactional && d === 'postgres' && own.length > 1), retry: st.locks };
}

/** `add-column users.full_name (2024_…_migration)`: what a deploy log calls a step. */
export function stepWhat(st: PlanStep): string {
  return `${stepLabel(st)} (${st.migration})`;
}

/** The comment over a framework run of an unchanged migration. */
export function frameworkRunTitle(m: PlanMigration, steps: PlanStep[]): string {
  return `${steps[0]!.phase} · as-is · ${m.id}: ${steps.map(stepLabel).join('; ')}`;
}

export const RECORD_TITLE = (m: PlanMigration): string => `record ${m.id} as applied: its safe steps replace it, and the framework must never run the original`;

/** The code of one deploy unit, by kind: each deploy emitter writes the three kinds its own way. */
export interface UnitWriter<T> {
  record(m: PlanMigration): T;
  framework(m: PlanMigration, steps: PlanStep[]): T;
  sql(st: PlanStep, run: SqlRun): T;
}

export function writeUnit<T>(u: Unit, d: Dialect, w: UnitWriter<T>): T {
  if (u.kind === 'record') return w.record(u.migration);
  if (u.kind === 'migration') return w.framework(u.migration, u.steps);
  return w.sql(u.step, sqlRun(u.step, d));
}
