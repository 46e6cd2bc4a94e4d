import type { ColumnDefault, ColumnType, DefaultKind } from '../../ir/types.js';

/**
 * Canonical type names, so `int4`, `integer` and `INT` compare equal across readers.
 * Keys are lower-case spellings (PostgreSQL internal names included).
 */
const CANONICAL: Record<string, string> = {
  int: 'integer',
  int4: 'integer',
  integer: 'integer',
  mediumint: 'mediumint',
  int8: 'bigint',
  bigint: 'bigint',
  int2: 'smallint',
  smallint: 'smallint',
  tinyint: 'tinyint',
  serial: 'integer',
  serial4: 'integer',
  bigserial: 'bigint',
  serial8: 'bigint',
  smallserial: 'smallint',
  serial2: 'smallint',
  bool: 'boolean',
  boolean: 'boolean',
  float8: 'double',
  double: 'double',
  'double precision': 'double',
  float4: 'real',
  real: 'real',
  float: 'float',
  numeric: 'decimal',
  decimal: 'decimal',
  dec: 'decimal',
  fixed: 'decimal',
  varchar: 'varchar',
  'character varying': 'varchar',
  nvarchar: 'varchar',
  char: 'char',
  character: 'char',
  bpchar: 'char',
  nchar: 'char',
  text: 'text',
  tinytext: 'tinytext',
  mediumtext: 'mediumtext',
  longtext: 'longtext',
  timestamptz: 'timestamptz',
  'timestamp with time zone': 'timestamptz',
  timestamp: 'timestamp',
  'timestamp without time zone': 'timestamp',
  timetz: 'timetz',
  'time with time zone': 'timetz',
  time: 'time',
  'time without time zone': 'time',
  date: 'date',
  datetime: 'datetime',
  year: 'year',
  json: 'json',
  jsonb: 'jsonb',
  uuid: 'uuid',
  bytea: 'bytea',
  blob: 'blob',
  tinyblob: 'tinyblob',
  mediumblob: 'mediumblob',
  longblob: 'longblob',
  binary: 'binary',
  varbinary: 'varbinary',
  bit: 'bit',
  varbit: 'varbit',
  'bit varying': 'varbit',
  enum: 'enum',
  set: 'set',
  inet: 'inet',
  cidr: 'cidr',
  macaddr: 'macaddr',
  citext: 'citext',
  interval: 'interval',
  money: 'money',
  geometry: 'geometry',
  point: 'point',
};

export const SERIAL_TYPES = new Set(['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2']);

export function canonicalTypeName(name: string): string {
  const lower = name.toLowerCase().replace(/\s+/g, ' ').trim();
  return CANONICAL[lower] ?? lower;
}

/** Builds a ColumnType from a type as written (`varchar(255)`, `DECIMAL(10, 2) UNSIGNED`, `enum('a','b')`, `text[]`). */
/** Lower-cases a type as written outside its quoted parts (enum members keep their case) and tidies spaces. */
export function normalizeTypeText(text: string): string {
  return text
    .trim()
    .split(/('(?:[^']|'')*')/)
    .map((part, i) => (i % 2 ? part : part.toLowerCase().replace(/\s+/g, ' ').replace(/\s*([(),])\s*/g, '$1').replace(/,(?=\S)/g, ',')))
    .join('')
    .replace(/\)(?=[a-z])/g, ') ');
}

/** The index of the `)` closing the first `(` of a type (quotes skipped), or -1 without arguments. */
function closingParen(text: string): number {
  const open = text.indexOf('(');
  if (open === -1) return -1;
  let depth = 0;
  let quote = '';
  for (let i = open; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = text[i + 1] === quote ? (i++, quote) : '';
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return -1;
}

export function parseTypeText(text: string): ColumnType {
  const written = normalizeTypeText(text);
  let rest = written;
  let array = false;
  if (/\[\s*\d*\s*\]\s*$/.test(rest)) {
    array = true;
    rest = rest.replace(/(\[\s*\d*\s*\])+\s*$/, '').trim();
  }
  const unsigned = /\bunsigned\b/i.test(rest);
  rest = rest.replace(/\b(unsigned|signed|zerofill)\b/gi, '').trim();
  // CHARACTER SET / COLLATE, outside the type's arguments (an enum value may be 'collateral');
  // names may be quoted: COLLATE 'utf8mb4_unicode_ci' (Laravel's MySQL grammar), "C", `utf8mb4_bin`
  const argsEnd = closingParen(rest);
  const head = argsEnd === -1 ? '' : rest.slice(0, argsEnd + 1);
  let tail = argsEnd === -1 ? rest : rest.slice(argsEnd + 1);
  const CHARSET = /\b(?:character\s+set|charset)(?:\s*=\s*|\s+)([\w"'`]+)/i;
  const COLLATE = /\bcollate(?:\s*=\s*|\s+)([\w"'`]+)/i;
  const charset = CHARSET.exec(tail)?.[1];
  const collation = COLLATE.exec(tail)?.[1];
  tail = tail.replace(CHARSET, '').replace(COLLATE, '');
  rest = `${head}${tail}`.replace(/\s+/g, ' ').trim();
  const paren = rest.indexOf('(');
  let base = (paren === -1 ? rest : rest.slice(0, paren)).trim();
  let args = '';
  if (paren !== -1) {
    const close = rest.lastIndexOf(')');
    args = rest.slice(paren + 1, close === -1 ? undefined : close);
    // `timestamp(3) with time zone`
    const after = close === -1 ? '' : rest.slice(close + 1).trim();
    if (after) base = `${base} ${after}`;
  }
  const name = canonicalTypeName(base.replace(/^pg_catalog\./i, '').replace(/"/g, ''));
  const type: ColumnType = { name, text: written };
  if (array) type.array = true;
  if (unsigned) type.unsigned = true;
  if (charset) type.charset = charset.replace(/["'`]/g, '');
  if (collation) type.collation = collation.replace(/["'`]/g, '');
  if (args) {
    if (name === 'enum' || name === 'set') {
      type.values = [...args.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]!.replace(/''/g, "'"));
    } else {
      const nums = args.split(',').map((s) => Number.parseInt(s.trim(), 10));
      if (name === 'decimal' || name === 'float' || name === 'double' || name === 'real') {
        if (Number.isFinite(nums[0])) type.precision = nums[0];
        if (Number.isFinite(nums[1])) type.scale = nums[1];
      } else if (name === 'timestamp' || name === 'timestamptz' || name === 'time' || name === 'timetz' || name === 'datetime') {
        if (Number.isFinite(nums[0])) type.precision = nums[0];
      } else if (Number.isFinite(nums[0])) {
        type.length = nums[0];
      }
    }
  }
  return type;
}

/** Functions whose value changes per row: a default using them forces PostgreSQL to rewrite the table. */
const VOLATILE_FUNCTIONS = new Set([
  'random',
  'gen_random_uuid',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'uuidv4',
  'uuidv7',
  'uuid',
  'uuid_short',
  'clock_timestamp',
  'timeofday',
  'nextval',
  'setval',
  'rand',
  'sysdate',
]);

/** Functions that are evaluated once per statement (STABLE) or are SQL value functions: no rewrite. */
const STABLE_FUNCTIONS = new Set([
  'now',
  'current_timestamp',
  'current_date',
  'current_time',
  'localtimestamp',
  'localtime',
  'transaction_timestamp',
  'statement_timestamp',
  'current_user',
  'session_user',
  'utc_timestamp',
  'curdate',
  'curtime',
  'to_timestamp',
  'jsonb_build_object',
  'json_build_object',
  'json_object',
  'json_array',
  'jsonb_build_array',
  'array',
  'coalesce',
  'lower',
  'upper',
]);

/** Classifies a default expression as written. */
export function classifyDefault(text: string): ColumnDefault {
  const t = text.trim();
  let kind: DefaultKind;
  if (/^null$/i.test(t)) kind = 'null';
  else if (/^\(?\s*(?:'(?:[^']|'')*'|-?\d+(?:\.\d+)?|true|false|b'[01]*'|x'[0-9a-f]*')\s*\)?(?:\s*::\s*[\w\s."[\]()]+)?$/i.test(t)) kind = 'constant';
  else {
    const fns = [...t.matchAll(/([A-Za-z_][\w.]*)\s*\(/g)].map((m) => m[1]!.toLowerCase().replace(/^.*\./, ''));
    if (fns.some((f) => VOLATILE_FUNCTIONS.has(f))) kind = 'volatile';
    else if (fns.every((f) => STABLE_FUNCTIONS.has(f))) kind = 'expression';
    else kind = 'volatile'; // an unknown function may be volatile: see defaultMayBeVolatile
  }
  return { kind, text: t };
}

/** True when a default expression may be volatile (unknown function): reported with a softer message. */
export function defaultMayBeVolatile(d: ColumnDefault): boolean {
  if (d.kind !== 'volatile') return false;
  const fns = [...d.text.matchAll(/([A-Za-z_][\w.]*)\s*\(/g)].map((m) => m[1]!.toLowerCase().replace(/^.*\./, ''));
  return !fns.some((f) => VOLATILE_FUNCTIONS.has(f));
}
