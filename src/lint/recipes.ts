import type { ColumnType, Dialect } from '../ir/types.js';
import { q } from './rule-kit.js';

/**
 * SQL recipes shared by the rules' fixes and zdd-plan, so that what a finding promises is what
 * the plan runs: the two-way sync trigger of an expand/contract column change, and NOT NULL proven
 * by a CHECK constraint on PostgreSQL.
 */

export interface SyncColumns {
  table: string;
  /** The column the running release uses. */
  from: string;
  /** The column the new release uses. */
  to: string;
  /** Set when the types differ: values are converted with CAST on PostgreSQL (MySQL converts on assignment). */
  fromType?: ColumnType;
  toType?: ColumnType;
}

export interface SyncTriggers {
  create: string[];
  drop: string[];
  /** Trigger (and function) names, for messages. */
  names: string[];
}

/**
 * Triggers that keep two columns in sync both ways while two releases run side by side: the old
 * release writes only `from`, the new release only `to`. On INSERT each fills the other when it is
 * missing; on UPDATE a change to `from` is copied to `to`, else a change to `to` is copied back —
 * except when `to` goes from NULL to a value on a row whose `from` is set, which is the backfill
 * (copying it back would round-trip `from` through the new type).
 */
export function syncTriggers(d: Dialect, s: SyncColumns): SyncTriggers {
  const t = q(s.table, d);
  const from = q(s.from, d);
  const to = q(s.to, d);
  const convert = s.fromType && s.toType && s.fromType.text !== s.toType.text;
  if (d === 'postgres') {
    const name = `${s.table}_sync_${s.to}`;
    const toNew = (x: string) => (convert ? `CAST(${x} AS ${s.toType!.text})` : x);
    const toOld = (x: string) => (convert ? `CAST(${x} AS ${s.fromType!.text})` : x);
    const body = [
      `IF TG_OP = 'INSERT' THEN NEW.${to} := COALESCE(NEW.${to}, ${toNew(`NEW.${from}`)}); NEW.${from} := COALESCE(NEW.${from}, ${toOld(`NEW.${to}`)});`,
      `ELSIF NEW.${from} IS DISTINCT FROM OLD.${from} THEN NEW.${to} := ${toNew(`NEW.${from}`)};`,
      `ELSIF NEW.${to} IS DISTINCT FROM OLD.${to} AND NOT (OLD.${to} IS NULL AND OLD.${from} IS NOT NULL) THEN NEW.${from} := ${toOld(`NEW.${to}`)};`,
      'END IF; RETURN NEW;',
    ].join(' ');
    return {
      create: [
        `CREATE FUNCTION ${q(name, d)}() RETURNS trigger AS $$ BEGIN ${body} END $$ LANGUAGE plpgsql`,
        `CREATE TRIGGER ${q(name, d)} BEFORE INSERT OR UPDATE ON ${t} FOR EACH ROW EXECUTE FUNCTION ${q(name, d)}()`,
      ],
      drop: [`DROP TRIGGER IF EXISTS ${q(name, d)} ON ${t}`, `DROP FUNCTION IF EXISTS ${q(name, d)}()`],
      names: [name],
    };
  }
  const ins = `${s.table}_${s.to}_ins`;
  const upd = `${s.table}_${s.to}_upd`;
  // MySQL evaluates the SET assignments left to right: NEW.<to> is final before NEW.<from> is computed.
  return {
    create: [
      `CREATE TRIGGER ${q(ins, d)} BEFORE INSERT ON ${t} FOR EACH ROW SET NEW.${to} = COALESCE(NEW.${to}, NEW.${from}), NEW.${from} = COALESCE(NEW.${from}, NEW.${to})`,
      `CREATE TRIGGER ${q(upd, d)} BEFORE UPDATE ON ${t} FOR EACH ROW SET NEW.${to} = IF(NEW.${from} <=> OLD.${from}, NEW.${to}, NEW.${from}), NEW.${from} = IF(NOT (NEW.${from} <=> OLD.${from}) OR NEW.${to} <=> OLD.${to} OR (OLD.${to} IS NULL AND OLD.${from} IS NOT NULL), NEW.${from}, NEW.${to})`,
    ],
    drop: [`DROP TRIGGER IF EXISTS ${q(ins, d)}`, `DROP TRIGGER IF EXISTS ${q(upd, d)}`],
    names: [ins, upd],
  };
}

/** The name zdd gives the CHECK constraint that proves a column NOT NULL. */
export function notNullCheckName(table: string, column: string): string {
  return `${table}_${column}_not_null`;
}

/**
 * PostgreSQL: SET NOT NULL without the long ACCESS EXCLUSIVE scan — a NOT VALID CHECK (instant),
 * VALIDATE (writes go on), then SET NOT NULL uses the validated CHECK (PostgreSQL 12+) and the
 * CHECK is dropped. Each entry is one step; VALIDATE must not share a transaction with the others.
 */
export function pgNotNullSteps(table: string, column: string): Array<{ sql: string; what: 'add-check' | 'validate' | 'set-not-null' | 'drop-check' }> {
  const d: Dialect = 'postgres';
  const t = q(table, d);
  const c = q(column, d);
  const check = q(notNullCheckName(table, column), d);
  return [
    { what: 'add-check', sql: `ALTER TABLE ${t} ADD CONSTRAINT ${check} CHECK (${c} IS NOT NULL) NOT VALID` },
    { what: 'validate', sql: `ALTER TABLE ${t} VALIDATE CONSTRAINT ${check}` },
    { what: 'set-not-null', sql: `ALTER TABLE ${t} ALTER COLUMN ${c} SET NOT NULL` },
    { what: 'drop-check', sql: `ALTER TABLE ${t} DROP CONSTRAINT ${check}` },
  ];
}
