import type { ColumnType, Dialect } from '../ir/types.js';

/**
 * How a column type change behaves: `same` (no type change), `widening` (done without rewriting
 * or copying the table and every old value stays valid), or `rewrite` (the table is rewritten/
 * copied, or old values may no longer fit).
 *
 * Sources:
 * - PostgreSQL: ALTER TABLE notes — a type change rewrites the table unless the old type is binary
 *   coercible to the new one: varchar(n)→varchar(m≥n)/text, numeric(p,s)→numeric(p'≥p,s) or
 *   unconstrained numeric, varbit(n)→varbit(m≥n), timestamp(p)→timestamp(p'≥p), cidr→inet.
 *   Verified with relfilenode before/after (../shared/notes/dependencies.md §4).
 * - MySQL 8.0/8.4 "Online DDL Operations": extending VARCHAR is in place only while the length
 *   prefix stays 1 byte (≤255 bytes) or was already 2 bytes; appending ENUM/SET members at the end
 *   without changing the storage size is INSTANT; any other type change is ALGORITHM=COPY.
 * - MariaDB KB "InnoDB Online DDL Operations with ALGORITHM=INSTANT": extending VARCHAR is instant
 *   (same length-prefix rule), appending ENUM/SET members is instant.
 */
export type TypeChange = 'same' | 'widening' | 'narrowing' | 'rewrite' | 'unknown';

const TEXTS = new Set(['text', 'varchar', 'citext']);
/** Bytes per character assumed for MySQL length-prefix math when no charset is known: utf8mb4. */
const MYSQL_BYTES_PER_CHAR: Record<string, number> = { utf8mb4: 4, utf8mb3: 3, utf8: 3, latin1: 1, ascii: 1, binary: 1 };

export function compareTypes(from: ColumnType | undefined, to: ColumnType, dialect: Dialect): TypeChange {
  if (!from) return 'unknown';
  if (sameType(from, to)) return 'same';
  if (dialect === 'postgres') return pgChange(from, to);
  return mysqlChange(from, to);
}

function sameType(a: ColumnType, b: ColumnType): boolean {
  return (
    a.name === b.name &&
    a.length === b.length &&
    a.precision === b.precision &&
    a.scale === b.scale &&
    !!a.unsigned === !!b.unsigned &&
    !!a.array === !!b.array &&
    (a.values ?? []).join('\u0000') === (b.values ?? []).join('\u0000') &&
    (b.charset === undefined || a.charset === undefined || a.charset === b.charset)
  );
}

function pgChange(a: ColumnType, b: ColumnType): TypeChange {
  if (!!a.array !== !!b.array) return 'rewrite';
  if (TEXTS.has(a.name) && TEXTS.has(b.name)) {
    if (b.name === 'text' || (b.name === 'varchar' && b.length === undefined)) return a.name === 'citext' ? 'rewrite' : 'widening';
    if (a.name === 'varchar' && b.name === 'varchar' && a.length !== undefined && b.length !== undefined) {
      return b.length >= a.length ? 'widening' : 'narrowing';
    }
    if (a.name === 'text' && b.name === 'varchar') return 'narrowing';
    return 'rewrite';
  }
  if (a.name === 'decimal' && b.name === 'decimal') {
    if (b.precision === undefined) return 'widening';
    if (a.precision !== undefined && (a.scale ?? 0) === (b.scale ?? 0)) return b.precision >= a.precision ? 'widening' : 'narrowing';
    return 'rewrite';
  }
  if (a.name === b.name && (a.name === 'varbit' || a.name === 'bit')) {
    if (b.length === undefined || (a.length !== undefined && b.length >= a.length)) return a.name === 'varbit' ? 'widening' : 'rewrite';
    return 'narrowing';
  }
  if (a.name === b.name && ['timestamp', 'timestamptz', 'time', 'timetz', 'interval'].includes(a.name)) {
    if (b.precision === undefined || (a.precision !== undefined && b.precision >= a.precision)) return 'widening';
    return 'narrowing';
  }
  if (a.name === 'cidr' && b.name === 'inet') return 'widening';
  return 'rewrite';
}

function mysqlBytes(t: ColumnType): number {
  const per = MYSQL_BYTES_PER_CHAR[(t.charset ?? 'utf8mb4').toLowerCase()] ?? 4;
  return (t.length ?? 0) * (t.name === 'varbinary' ? 1 : per);
}

function mysqlChange(a: ColumnType, b: ColumnType): TypeChange {
  if ((a.name === 'varchar' && b.name === 'varchar') || (a.name === 'varbinary' && b.name === 'varbinary')) {
    if (a.length === undefined || b.length === undefined) return 'unknown';
    if (a.charset && b.charset && a.charset !== b.charset) return 'rewrite';
    if (b.length < a.length) return 'narrowing';
    const before = mysqlBytes(a);
    const after = mysqlBytes(b);
    // Length prefix: 1 byte up to 255 bytes, 2 bytes beyond. Crossing the boundary copies the table.
    if (before <= 255 && after > 255) return 'rewrite';
    return 'widening';
  }
  if ((a.name === 'enum' && b.name === 'enum') || (a.name === 'set' && b.name === 'set')) {
    const av = a.values ?? [];
    const bv = b.values ?? [];
    const appended = bv.length >= av.length && av.every((v, i) => bv[i] === v);
    if (!appended) return av.every((v) => bv.includes(v)) ? 'rewrite' : 'narrowing';
    // Storage size: ENUM 1 byte up to 255 members; SET 1,2,3,4 or 8 bytes by member count.
    const size = (n: number, set: boolean): number => (set ? Math.ceil(n / 8) : n <= 255 ? 1 : 2);
    return size(av.length, a.name === 'set') === size(bv.length, b.name === 'set') ? 'widening' : 'rewrite';
  }
  // Integer widening still copies the table in MySQL (it is a data type change), but old values fit.
  return 'rewrite';
}

const INT_ORDER = ['tinyint', 'smallint', 'mediumint', 'integer', 'bigint'];
const TEXT_ORDER = ['tinytext', 'text', 'mediumtext', 'longtext'];

/** True when every value of `from` fits `to` (a widening even if the table is copied to do it). */
export function valuesFit(from: ColumnType | undefined, to: ColumnType): boolean {
  if (!from) return false;
  const ia = INT_ORDER.indexOf(from.name);
  const ib = INT_ORDER.indexOf(to.name);
  if (ia !== -1 && ib !== -1) return ib >= ia && (!from.unsigned || !!to.unsigned || ib > ia);
  const ta = TEXT_ORDER.indexOf(from.name);
  const tb = TEXT_ORDER.indexOf(to.name);
  if (ta !== -1 && tb !== -1) return tb >= ta;
  if (from.name === 'varchar' && TEXT_ORDER.includes(to.name)) return true;
  if (from.name === to.name && from.length !== undefined && to.length !== undefined) return to.length >= from.length;
  if (from.name === 'decimal' && to.name === 'decimal') return (to.precision ?? 65) - (to.scale ?? 0) >= (from.precision ?? 10) - (from.scale ?? 0) && (to.scale ?? 0) >= (from.scale ?? 0);
  if ((from.name === 'enum' || from.name === 'set') && from.name === to.name) return (from.values ?? []).every((v) => (to.values ?? []).includes(v));
  if (from.name === 'timestamp' && to.name === 'timestamptz') return true;
  if (from.name === 'json' && to.name === 'jsonb') return true;
  return false;
}
