import type { Dialect } from '../../ir/types.js';

/**
 * Blueprint column methods → the SQL type Laravel's schema grammar emits for each driver
 * (Illuminate\Database\Schema\Grammars\MySqlGrammar / PostgresGrammar, Laravel 11–13), plus the
 * column name defaults and implied attributes of the helper methods.
 */

export interface ColumnSpec {
  name: string;
  /** Blueprint type, as in the grammar's type<Name>() methods. */
  type: string;
  length?: number;
  total?: number;
  places?: number;
  precision?: number;
  allowed?: string[];
  unsigned?: boolean;
  autoIncrement?: boolean;
  fixed?: boolean;
  nullable?: boolean;
  subtype?: string;
  dimensions?: number;
}

const DEFAULT_STRING_LENGTH = 255;

/** Column types by Blueprint method: the Blueprint type and how the arguments map. */
type ArgMap = (args: Array<string | number | boolean | string[] | null | undefined>) => Partial<ColumnSpec>;
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined);

export const COLUMN_METHODS: Record<string, { type: string; name?: string; args?: ArgMap; implied?: Partial<ColumnSpec> }> = {
  id: { type: 'bigInteger', name: 'id', implied: { autoIncrement: true, unsigned: true } },
  increments: { type: 'integer', implied: { autoIncrement: true, unsigned: true } },
  integerIncrements: { type: 'integer', implied: { autoIncrement: true, unsigned: true } },
  tinyIncrements: { type: 'tinyInteger', implied: { autoIncrement: true, unsigned: true } },
  smallIncrements: { type: 'smallInteger', implied: { autoIncrement: true, unsigned: true } },
  mediumIncrements: { type: 'mediumInteger', implied: { autoIncrement: true, unsigned: true } },
  bigIncrements: { type: 'bigInteger', implied: { autoIncrement: true, unsigned: true } },
  char: { type: 'char', args: ([l]) => ({ length: num(l) ?? DEFAULT_STRING_LENGTH }) },
  string: { type: 'string', args: ([l]) => ({ length: num(l) ?? DEFAULT_STRING_LENGTH }) },
  tinyText: { type: 'tinyText' },
  text: { type: 'text' },
  mediumText: { type: 'mediumText' },
  longText: { type: 'longText' },
  integer: { type: 'integer', args: ([ai, u]) => ({ autoIncrement: ai === true, unsigned: u === true }) },
  tinyInteger: { type: 'tinyInteger', args: ([ai, u]) => ({ autoIncrement: ai === true, unsigned: u === true }) },
  smallInteger: { type: 'smallInteger', args: ([ai, u]) => ({ autoIncrement: ai === true, unsigned: u === true }) },
  mediumInteger: { type: 'mediumInteger', args: ([ai, u]) => ({ autoIncrement: ai === true, unsigned: u === true }) },
  bigInteger: { type: 'bigInteger', args: ([ai, u]) => ({ autoIncrement: ai === true, unsigned: u === true }) },
  unsignedInteger: { type: 'integer', implied: { unsigned: true }, args: ([ai]) => ({ autoIncrement: ai === true }) },
  unsignedTinyInteger: { type: 'tinyInteger', implied: { unsigned: true }, args: ([ai]) => ({ autoIncrement: ai === true }) },
  unsignedSmallInteger: { type: 'smallInteger', implied: { unsigned: true }, args: ([ai]) => ({ autoIncrement: ai === true }) },
  unsignedMediumInteger: { type: 'mediumInteger', implied: { unsigned: true }, args: ([ai]) => ({ autoIncrement: ai === true }) },
  unsignedBigInteger: { type: 'bigInteger', implied: { unsigned: true }, args: ([ai]) => ({ autoIncrement: ai === true }) },
  foreignId: { type: 'bigInteger', implied: { unsigned: true } },
  foreignUuid: { type: 'uuid' },
  foreignUlid: { type: 'char', implied: { length: 26 }, args: ([l]) => ({ length: num(l) ?? 26 }) },
  float: { type: 'float', args: ([p]) => ({ precision: num(p) ?? 53 }) },
  double: { type: 'double' },
  decimal: { type: 'decimal', args: ([t, p]) => ({ total: num(t) ?? 8, places: num(p) ?? 2 }) },
  unsignedDecimal: { type: 'decimal', implied: { unsigned: true }, args: ([t, p]) => ({ total: num(t) ?? 8, places: num(p) ?? 2 }) },
  unsignedFloat: { type: 'float', implied: { unsigned: true } },
  unsignedDouble: { type: 'double', implied: { unsigned: true } },
  boolean: { type: 'boolean' },
  enum: { type: 'enum', args: ([a]) => ({ allowed: Array.isArray(a) ? a : [] }) },
  set: { type: 'set', args: ([a]) => ({ allowed: Array.isArray(a) ? a : [] }) },
  json: { type: 'json' },
  jsonb: { type: 'jsonb' },
  date: { type: 'date' },
  dateTime: { type: 'dateTime', args: ([p]) => ({ precision: num(p) }) },
  dateTimeTz: { type: 'dateTimeTz', args: ([p]) => ({ precision: num(p) }) },
  time: { type: 'time', args: ([p]) => ({ precision: num(p) }) },
  timeTz: { type: 'timeTz', args: ([p]) => ({ precision: num(p) }) },
  timestamp: { type: 'timestamp', args: ([p]) => ({ precision: num(p) }) },
  timestampTz: { type: 'timestampTz', args: ([p]) => ({ precision: num(p) }) },
  softDeletes: { type: 'timestamp', name: 'deleted_at', implied: { nullable: true } },
  softDeletesTz: { type: 'timestampTz', name: 'deleted_at', implied: { nullable: true } },
  softDeletesDatetime: { type: 'dateTime', name: 'deleted_at', implied: { nullable: true } },
  year: { type: 'year' },
  binary: { type: 'binary', args: ([l, f]) => ({ length: num(l), fixed: f === true }) },
  uuid: { type: 'uuid', name: 'uuid' },
  ulid: { type: 'char', name: 'ulid', args: ([l]) => ({ length: num(l) ?? 26 }) },
  ipAddress: { type: 'ipAddress', name: 'ip_address' },
  macAddress: { type: 'macAddress', name: 'mac_address' },
  geometry: { type: 'geometry', args: ([s]) => ({ subtype: typeof s === 'string' ? s : undefined }) },
  geography: { type: 'geography', args: ([s]) => ({ subtype: typeof s === 'string' ? s : undefined }) },
  point: { type: 'geometry', implied: { subtype: 'point' } },
  lineString: { type: 'geometry', implied: { subtype: 'linestring' } },
  polygon: { type: 'geometry', implied: { subtype: 'polygon' } },
  multiPoint: { type: 'geometry', implied: { subtype: 'multipoint' } },
  multiPolygon: { type: 'geometry', implied: { subtype: 'multipolygon' } },
  multiLineString: { type: 'geometry', implied: { subtype: 'multilinestring' } },
  geometryCollection: { type: 'geometry', implied: { subtype: 'geometrycollection' } },
  computed: { type: 'computed' },
  vector: { type: 'vector', args: ([d]) => ({ dimensions: num(d) }) },
  tsvector: { type: 'tsvector' },
  rememberToken: { type: 'string', name: 'remember_token', implied: { length: 100, nullable: true } },
};

/** The SQL type text Laravel's grammar emits for a column spec on a driver. */
export function sqlTypeFor(spec: ColumnSpec, dialect: Dialect): string {
  const pg = dialect === 'postgres';
  const t = spec.type;
  const u = spec.unsigned && !pg ? ' unsigned' : '';
  const serial = pg && spec.autoIncrement;
  switch (t) {
    case 'char':
      return `char(${spec.length ?? DEFAULT_STRING_LENGTH})`;
    case 'string':
      return `varchar(${spec.length ?? DEFAULT_STRING_LENGTH})`;
    case 'tinyText':
      return pg ? 'varchar(255)' : 'tinytext';
    case 'text':
      return 'text';
    case 'mediumText':
      return pg ? 'text' : 'mediumtext';
    case 'longText':
      return pg ? 'text' : 'longtext';
    case 'bigInteger':
      return serial ? 'bigserial' : pg ? 'bigint' : `bigint${u}`;
    case 'integer':
      return serial ? 'serial' : pg ? 'integer' : `int${u}`;
    case 'mediumInteger':
      return serial ? 'serial' : pg ? 'integer' : `mediumint${u}`;
    case 'tinyInteger':
      return serial ? 'smallserial' : pg ? 'smallint' : `tinyint${u}`;
    case 'smallInteger':
      return serial ? 'smallserial' : pg ? 'smallint' : `smallint${u}`;
    case 'float':
      return spec.precision ? `float(${spec.precision})` : 'float';
    case 'double':
      return pg ? 'double precision' : `double${u}`;
    case 'decimal':
      return `decimal(${spec.total ?? 8}, ${spec.places ?? 2})${u}`;
    case 'boolean':
      return pg ? 'boolean' : 'tinyint(1)';
    case 'enum':
      return pg ? 'varchar(255)' : `enum(${(spec.allowed ?? []).map((a) => `'${a.replace(/'/g, "''")}'`).join(', ')})`;
    case 'set':
      return `set(${(spec.allowed ?? []).map((a) => `'${a.replace(/'/g, "''")}'`).join(', ')})`;
    case 'json':
      return 'json';
    case 'jsonb':
      return pg ? 'jsonb' : 'json';
    case 'date':
      return 'date';
    case 'dateTime':
      return pg ? `timestamp${spec.precision !== undefined ? `(${spec.precision})` : ''} without time zone` : spec.precision ? `datetime(${spec.precision})` : 'datetime';
    case 'dateTimeTz':
      return pg ? `timestamp${spec.precision !== undefined ? `(${spec.precision})` : ''} with time zone` : spec.precision ? `datetime(${spec.precision})` : 'datetime';
    case 'time':
      return pg ? `time${spec.precision !== undefined ? `(${spec.precision})` : ''} without time zone` : spec.precision ? `time(${spec.precision})` : 'time';
    case 'timeTz':
      return pg ? `time${spec.precision !== undefined ? `(${spec.precision})` : ''} with time zone` : spec.precision ? `time(${spec.precision})` : 'time';
    case 'timestamp':
      return pg ? `timestamp${spec.precision !== undefined ? `(${spec.precision})` : ''} without time zone` : spec.precision ? `timestamp(${spec.precision})` : 'timestamp';
    case 'timestampTz':
      return pg ? `timestamp${spec.precision !== undefined ? `(${spec.precision})` : ''} with time zone` : spec.precision ? `timestamp(${spec.precision})` : 'timestamp';
    case 'year':
      return pg ? 'integer' : 'year';
    case 'binary':
      return pg ? 'bytea' : spec.length ? (spec.fixed ? `binary(${spec.length})` : `varbinary(${spec.length})`) : 'blob';
    case 'uuid':
      return pg ? 'uuid' : 'char(36)';
    case 'ipAddress':
      return pg ? 'inet' : 'varchar(45)';
    case 'macAddress':
      return pg ? 'macaddr' : 'varchar(17)';
    case 'geometry':
    case 'geography':
      return pg ? (spec.subtype ? `${t}(${spec.subtype})` : t) : spec.subtype ?? 'geometry';
    case 'vector':
      return spec.dimensions ? `vector(${spec.dimensions})` : 'vector';
    case 'tsvector':
      return 'tsvector';
    default:
      return t.toLowerCase();
  }
}

/** Laravel's default index name: `{table}_{columns}_{type}`, lower-cased, `-` and `.` as `_`. */
export function indexName(table: string, columns: string[], type: 'index' | 'unique' | 'primary' | 'foreign' | 'fulltext' | 'spatialindex'): string {
  return `${table}_${columns.join('_')}_${type}`.toLowerCase().replace(/[-.]/g, '_');
}
