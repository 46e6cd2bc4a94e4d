import type { Dialect } from '../ir/types.js';
import { q } from '../lint/rule-kit.js';
import type { PlanMigration, PlanStep } from '../plan/types.js';
import { sqlString } from '../util/text.js';
import type { DeploySettings } from './settings.js';

/** Helpers shared by the deploy emitters (sh, Deployer). */

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
