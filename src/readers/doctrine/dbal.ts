import type { ColumnDef, ColumnDefault, ColumnType, Dialect } from '../../ir/types.js';
import { classifyDefault, parseTypeText } from '../sql/types.js';

/**
 * What Doctrine DBAL (3.x) makes of a Schema-API column on each platform: the SQL type of each
 * Doctrine type and the DEFAULT clause, as MySQL80Platform / MariaDb1027Platform /
 * PostgreSQL100Platform write them (source: doctrine/dbal 3.6 Platforms/*Platform.php,
 * get*TypeDeclarationSQL and getDefaultValueDeclarationSQL; checked by the oracle test in
 * test/oracle/doctrine against the real library).
 */

/** Column options as Table::addColumn()/modifyColumn()/Column::setX() take them. Unset = not given. */
export interface DoctrineColumnOptions {
  type?: string;
  length?: number | null;
  precision?: number | null;
  scale?: number | null;
  notnull?: boolean;
  /** `null` = no default (DBAL treats null as "none"). */
  default?: string | number | boolean | null;
  autoincrement?: boolean;
  unsigned?: boolean;
  fixed?: boolean;
  /** `platformOptions.jsonb` / `jsonb` custom option. */
  jsonb?: boolean;
  columnDefinition?: string;
  comment?: string | null;
  version?: boolean;
}

/** A Doctrine column with DBAL's defaults applied where the options do not say. */
export interface DoctrineColumn extends DoctrineColumnOptions {
  name: string;
  type: string;
}

/** Doctrine type names (Types::X constants and the DBAL 2 Type::X / Type::getType() names). */
export const TYPES_CONSTANTS: Record<string, string> = {
  ARRAY: 'array',
  ASCII_STRING: 'ascii_string',
  BIGINT: 'bigint',
  BINARY: 'binary',
  BLOB: 'blob',
  BOOLEAN: 'boolean',
  DATE_MUTABLE: 'date',
  DATE: 'date',
  DATE_IMMUTABLE: 'date_immutable',
  DATEINTERVAL: 'dateinterval',
  DATETIME_MUTABLE: 'datetime',
  DATETIME: 'datetime',
  DATETIME_IMMUTABLE: 'datetime_immutable',
  DATETIMETZ_MUTABLE: 'datetimetz',
  DATETIMETZ: 'datetimetz',
  DATETIMETZ_IMMUTABLE: 'datetimetz_immutable',
  DECIMAL: 'decimal',
  FLOAT: 'float',
  SMALLFLOAT: 'smallfloat',
  GUID: 'guid',
  INTEGER: 'integer',
  JSON: 'json',
  JSON_ARRAY: 'json_array',
  OBJECT: 'object',
  SIMPLE_ARRAY: 'simple_array',
  SMALLINT: 'smallint',
  STRING: 'string',
  TEXT: 'text',
  TIME_MUTABLE: 'time',
  TIME: 'time',
  TIME_IMMUTABLE: 'time_immutable',
  ENUM: 'enum',
};

const KNOWN_TYPES = new Set([...Object.values(TYPES_CONSTANTS), 'datetime_immutable', 'vardatetime']);

export function isKnownDoctrineType(type: string): boolean {
  return KNOWN_TYPES.has(type.toLowerCase());
}

const MYSQL_TEXT_LIMITS: Array<[number, string]> = [
  [255, 'TINYTEXT'],
  [65535, 'TEXT'],
  [16777215, 'MEDIUMTEXT'],
];
const MYSQL_BLOB_LIMITS: Array<[number, string]> = [
  [255, 'TINYBLOB'],
  [65535, 'BLOB'],
  [16777215, 'MEDIUMBLOB'],
];

function sized(length: number | null | undefined, limits: Array<[number, string]>, max: string): string {
  if (length) for (const [limit, name] of limits) if (length <= limit) return name;
  return max;
}

/** The SQL type DBAL declares for a column on a platform (as it would print it). */
export function sqlTypeText(c: DoctrineColumn, dialect: Dialect): string {
  const pg = dialect === 'postgres';
  const unsigned = !pg && c.unsigned ? ' UNSIGNED' : '';
  const auto = !pg && c.autoincrement ? ' AUTO_INCREMENT' : '';
  const varchar = (fallbackLength: number): string => {
    const length = c.length ?? fallbackLength;
    const maxLength = pg ? 10485760 : 65535;
    if (length > maxLength) return pg ? 'TEXT' : sized(length, MYSQL_TEXT_LIMITS, 'LONGTEXT');
    return c.fixed ? `CHAR(${length > 0 ? length : 255})` : `VARCHAR(${length > 0 ? length : 255})`;
  };
  switch (c.type.toLowerCase()) {
    case 'string':
    case 'ascii_string':
    case 'dateinterval':
      return varchar(255);
    case 'guid':
      return pg ? 'UUID' : 'CHAR(36)';
    case 'text':
    case 'array':
    case 'object':
    case 'simple_array':
    case 'json_array':
      return pg ? 'TEXT' : sized(c.length, MYSQL_TEXT_LIMITS, 'LONGTEXT');
    case 'json':
      if (pg) return c.jsonb ? 'JSONB' : 'JSON';
      return dialect === 'mariadb' ? 'LONGTEXT' : 'JSON';
    case 'blob':
      return pg ? 'BYTEA' : sized(c.length, MYSQL_BLOB_LIMITS, 'LONGBLOB');
    case 'binary': {
      if (pg) return 'BYTEA';
      const length = c.length ?? 255;
      if (length > 65535) return sized(length, MYSQL_BLOB_LIMITS, 'LONGBLOB');
      return c.fixed ? `BINARY(${length > 0 ? length : 255})` : `VARBINARY(${length > 0 ? length : 255})`;
    }
    case 'boolean':
      return pg ? 'BOOLEAN' : 'TINYINT(1)';
    case 'integer':
      return pg ? (c.autoincrement ? 'SERIAL' : 'INT') : `INT${unsigned}${auto}`;
    case 'bigint':
      return pg ? (c.autoincrement ? 'BIGSERIAL' : 'BIGINT') : `BIGINT${unsigned}${auto}`;
    case 'smallint':
      return pg ? (c.autoincrement ? 'SMALLSERIAL' : 'SMALLINT') : `SMALLINT${unsigned}${auto}`;
    case 'decimal':
      return `NUMERIC(${c.precision || 10}, ${c.scale || 0})${unsigned}`;
    case 'float':
      return `DOUBLE PRECISION${unsigned}`;
    case 'smallfloat':
      return pg ? 'REAL' : `FLOAT${unsigned}`;
    case 'date':
    case 'date_immutable':
      return 'DATE';
    case 'datetime':
    case 'datetime_immutable':
    case 'vardatetime':
      return pg ? 'TIMESTAMP(0) WITHOUT TIME ZONE' : c.version ? 'TIMESTAMP' : 'DATETIME';
    case 'datetimetz':
    case 'datetimetz_immutable':
      return pg ? 'TIMESTAMP(0) WITH TIME ZONE' : 'DATETIME';
    case 'time':
    case 'time_immutable':
      return pg ? 'TIME(0) WITHOUT TIME ZONE' : 'TIME';
    default:
      // A custom type registered by the application: its SQL is unknown; keep its name.
      return c.type.toUpperCase();
  }
}

const INTEGER_TYPES = new Set(['integer', 'bigint', 'smallint']);
const DATETIME_TYPES = new Set(['datetime', 'datetime_immutable', 'datetimetz', 'datetimetz_immutable', 'vardatetime']);

/** The DEFAULT clause value DBAL writes for a column, or undefined when it writes none / DEFAULT NULL. */
export function defaultText(c: DoctrineColumn, dialect: Dialect): string | undefined {
  if (c.default === undefined || c.default === null) return undefined;
  const type = c.type.toLowerCase();
  if (dialect === 'postgres' && c.autoincrement) return undefined;
  // MySQL cannot give TEXT/BLOB columns a default: DBAL drops it (MariaDB's platform keeps it).
  if (dialect === 'mysql' && /^(text|blob|array|object|simple_array|json_array)$/.test(type)) return undefined;
  const v = c.default;
  if (INTEGER_TYPES.has(type)) return String(v === true ? 1 : v === false ? 0 : v);
  if (DATETIME_TYPES.has(type) && v === 'CURRENT_TIMESTAMP') return 'CURRENT_TIMESTAMP';
  if ((type === 'time' || type === 'time_immutable') && v === 'CURRENT_TIME') return 'CURRENT_TIME';
  if ((type === 'date' || type === 'date_immutable') && v === 'CURRENT_DATE') return 'CURRENT_DATE';
  if (type === 'boolean') {
    const b = v === true || v === 1 || v === '1' || v === 'true';
    const f = v === false || v === 0 || v === '0' || v === 'false';
    if (b || f) return dialect === 'postgres' ? (b ? 'true' : 'false') : b ? '1' : '0';
  }
  const s = typeof v === 'boolean' ? (v ? '1' : '') : String(v);
  return `'${s.replace(/'/g, "''")}'`;
}

/** PostgreSQL's own names for what DBAL writes (as zdd's PostgreSQL reader prints them). */
const PG_TYPE_NAMES: Array<[RegExp, string]> = [
  [/^INT$/, 'integer'],
  [/^TIMESTAMP\((\d+)\) WITHOUT TIME ZONE$/, 'timestamp($1)'],
  [/^TIMESTAMP\((\d+)\) WITH TIME ZONE$/, 'timestamptz($1)'],
  [/^TIME\((\d+)\) WITHOUT TIME ZONE$/, 'time($1)'],
];

/** The ColumnType zdd's SQL reader would read from DBAL's declaration. */
export function columnType(c: DoctrineColumn, dialect: Dialect): ColumnType {
  if (c.columnDefinition) return parseTypeText(c.columnDefinition.replace(/\s+(NOT\s+NULL|NULL|DEFAULT\b|AUTO_INCREMENT|COMMENT\b|PRIMARY\b|UNIQUE\b|CHARACTER\s+SET|COLLATE\b).*$/is, ''));
  let text = sqlTypeText(c, dialect).replace(/\s+AUTO_INCREMENT$/, '');
  if (dialect === 'postgres') for (const [re, name] of PG_TYPE_NAMES) text = text.replace(re, name);
  return parseTypeText(text);
}

/** The IR column for a Doctrine column on a platform. */
export function columnDef(c: DoctrineColumn, dialect: Dialect): ColumnDef {
  const type = columnType(c, dialect);
  const def: ColumnDef = { name: c.name, type, nullable: c.notnull === false };
  const d = defaultText(c, dialect);
  if (d !== undefined) def.default = classifyDefault(d);
  if (c.autoincrement) {
    if (dialect === 'postgres') def.identity = true;
    else def.autoIncrement = true;
  }
  if (c.comment) def.comment = c.comment;
  return def;
}

/** The default for a column whose new options say so: `null` = dropped. */
export function alteredDefault(c: DoctrineColumn, dialect: Dialect): ColumnDefault | null {
  const d = defaultText(c, dialect);
  return d === undefined ? null : classifyDefault(d);
}

/** PHP's crc32() (IEEE), as DBAL uses it to name indexes and foreign keys. */
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (const byte of Buffer.from(text, 'utf8')) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * The name DBAL generates for an unnamed index/foreign key (AbstractAsset::_generateIdentifierName):
 * the prefix, then the hex crc32 of the table and each column, upper-cased, cut to 63 characters.
 */
export function generatedName(table: string, columns: readonly string[], prefix: 'idx' | 'uniq' | 'fk'): string {
  const hash = [table, ...columns].map((c) => crc32(c).toString(16)).join('');
  return `${prefix}_${hash}`.slice(0, 63).toUpperCase();
}
