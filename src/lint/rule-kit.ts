import type { ColumnDef, Dialect } from '../ir/types.js';
import { sqlIdent } from '../util/text.js';
import type { Dependent, OpContext, RuleFinding, Severity } from './types.js';

/** Small helpers shared by rules/*.ts: quoting, wording, dependents. */

/** An identifier, quoted only when it needs to be. */
export function q(name: string, dialect: Dialect): string {
  return sqlIdent(name, dialect);
}

export function dbName(dialect: Dialect): string {
  return dialect === 'postgres' ? 'PostgreSQL' : dialect === 'mariadb' ? 'MariaDB' : 'MySQL';
}

/** `users.email` for messages. */
export function col(table: string, column: string): string {
  return `${table}.${column}`;
}

export function typeText(c: ColumnDef | undefined, fallback = '<type>'): string {
  return c?.type.text ?? fallback;
}

/** Whether the session settings give a lock timeout (lock_timeout / lock_wait_timeout set, not 0 or DEFAULT). */
export function lockTimeoutSet(session: ReadonlyMap<string, string>, dialect: Dialect): boolean {
  const v = session.get(dialect === 'postgres' ? 'lock_timeout' : 'lock_wait_timeout');
  return v !== undefined && !/^'?0+(?:\.0+)?\s*(?:ms|s|min)?'?$|^DEFAULT$/i.test(v.trim());
}

/**
 * A timeout statement for the dialect, used in several fixes, before every locking step of a plan,
 * and by the deploy scripts (`seconds` may then be a shell variable: `${LOCK_TIMEOUT}`).
 */
export function lockTimeoutSql(dialect: Dialect, seconds: number | string = 5): string {
  return dialect === 'postgres' ? `SET lock_timeout = '${seconds}s'` : `SET SESSION lock_wait_timeout = ${seconds}`;
}

/** Dependents that are evidence enough to make a finding an error: production code of either release, not a weak match. */
export function strongDependents(deps: Dependent[]): Dependent[] {
  return deps.filter((d) => d.production !== false && d.confidence !== 'low');
}

export interface DependentsWording {
  /** What to do once no code uses it, ending the advice sentence, e.g. "drop the column in a later release". */
  later: string;
  /** 'breaks': a use means the change breaks that release (drop, rename) and raises the finding to error.
   *  'informs': the change keeps the name (a type change): uses are listed, the severity stays the rule's. */
  mode?: 'breaks' | 'informs';
}

function where(d: Dependent): string {
  return `${d.file}:${d.line}: ${d.text}`;
}

/**
 * Adds code dependents to a destructive-change finding and picks its severity (DESIGN.md "Dependent
 * code"): a use by production code of the new release means this deploy breaks it; by the running
 * release, that requests fail from the moment the migration runs until old workers are gone. Either
 * raises the finding to error. Tests, migrations and weak matches are listed but change nothing.
 */
export function withDependents(ctx: OpContext, finding: RuleFinding, table: string, column: string | undefined, base: Severity, wording: DependentsWording = { later: 'make the change in a later release' }): RuleFinding {
  const deps = ctx.dependents(table, column);
  const severity = finding.severity ?? base;
  if (!deps.length) return { ...finding, severity };
  const strong = strongDependents(deps);
  // other migrations (the one that created the column …) always name it: listed, not worth a sentence
  const mentioned = deps.filter((d) => !d.migration);
  if (!mentioned.length) return { ...finding, severity, dependents: deps };
  const what = column ? `${table}.${column}` : `table ${table}`;
  const more = (n: number): string => (n > 1 ? ` (and ${n - 1} more)` : '');
  const inNew = strong.filter((d) => d.release === 'new');
  const inOld = strong.filter((d) => d.release === 'old');
  let lead: string;
  if (wording.mode === 'informs') {
    const first = strong[0] ?? deps[0]!;
    lead = strong.length
      ? `Code uses ${what} in the ${first.release === 'new' ? 'new' : 'running'} release (${where(first)})${more(strong.length)}: check that it reads and writes values of the new type.`
      : `Only tests, seeders or weak matches mention ${what} (${where(mentioned[0]!)}).`;
    return { ...finding, message: `${lead} ${finding.message}`, severity, dependents: deps };
  }
  if (inNew.length) {
    lead = `The new release still uses ${what} (${where(inNew[0]!)})${more(inNew.length)}: this deploy breaks it. Remove that use first, ship it, and ${wording.later}.`;
  } else if (inOld.length) {
    lead = `The running release uses ${what} (${where(inOld[0]!)})${more(inOld.length)}: its requests fail from the moment this migration runs until the swap, and old workers keep failing until they restart. Ship the code without it first, then ${wording.later}.`;
  } else {
    lead = `Only tests, seeders or weak matches mention ${what} (${where(mentioned[0]!)})${more(mentioned.length)}: update them with this change.`;
  }
  return { ...finding, message: `${lead} ${finding.message}`, severity: strong.length ? 'error' : severity, dependents: deps };
}

/** The Blueprint call that creates a column like `c` (without modifiers), for Laravel fixes. */
export function laravelColumn(c: ColumnDef | undefined, name: string): string {
  const n = `'${name}'`;
  if (!c) return `$table->string(${n})`;
  const t = c.type;
  switch (t.name) {
    case 'varchar':
      return t.length && t.length !== 255 ? `$table->string(${n}, ${t.length})` : `$table->string(${n})`;
    case 'char':
      return `$table->char(${n}${t.length ? `, ${t.length}` : ''})`;
    case 'text':
    case 'mediumtext':
    case 'longtext':
    case 'tinytext':
      return `$table->${t.name === 'text' ? 'text' : t.name.replace('text', 'Text')}(${n})`;
    case 'integer':
      return `$table->${t.unsigned ? 'unsignedInteger' : 'integer'}(${n})`;
    case 'bigint':
      return `$table->${t.unsigned ? 'unsignedBigInteger' : 'bigInteger'}(${n})`;
    case 'smallint':
      return `$table->${t.unsigned ? 'unsignedSmallInteger' : 'smallInteger'}(${n})`;
    case 'tinyint':
      return t.length === 1 ? `$table->boolean(${n})` : `$table->${t.unsigned ? 'unsignedTinyInteger' : 'tinyInteger'}(${n})`;
    case 'boolean':
      return `$table->boolean(${n})`;
    case 'decimal':
      return `$table->decimal(${n}${t.precision ? `, ${t.precision}, ${t.scale ?? 0}` : ''})`;
    case 'double':
      return `$table->double(${n})`;
    case 'real':
    case 'float':
      return `$table->float(${n})`;
    case 'date':
      return `$table->date(${n})`;
    case 'datetime':
      return `$table->dateTime(${n})`;
    case 'timestamp':
      return `$table->timestamp(${n})`;
    case 'timestamptz':
      return `$table->timestampTz(${n})`;
    case 'time':
      return `$table->time(${n})`;
    case 'json':
      return `$table->json(${n})`;
    case 'jsonb':
      return `$table->jsonb(${n})`;
    case 'uuid':
      return `$table->uuid(${n})`;
    case 'enum':
      return `$table->enum(${n}, [${(t.values ?? []).map((v) => `'${v}'`).join(', ')}])`;
    default:
      return `$table->addColumn('${t.name}', ${n})`;
  }
}

/**
 * Laravel code for a concurrent (online) index: `->online()` since Laravel 12.23, which also needs
 * the migration outside a transaction; older versions use the SQL statement.
 */
export function laravelOnlineIndex(table: string, columns: string[], name: string, kind: 'index' | 'unique', sql: string): string {
  const cols = columns.length === 1 ? `'${columns[0]}'` : `['${columns.join("', '")}']`;
  return [
    'public $withinTransaction = false; // in the migration class',
    `Schema::table('${table}', function (Blueprint $table) {`,
    `    $table->${kind}(${cols}, '${name}')->online(); // Laravel 12.23+`,
    '});',
    `// before Laravel 12.23: DB::statement('${sql}');`,
  ].join('\n');
}

/**
 * The Schema-API call that adds a column like `c` (Doctrine type and options), for Doctrine fixes.
 * `extra` options are appended, e.g. `'notnull' => false`.
 */
export function doctrineColumn(c: ColumnDef | undefined, name: string, extra: string[] = []): string {
  const opts: string[] = [];
  let type = 'string';
  const t = c?.type;
  if (t) {
    switch (t.name) {
      case 'varchar':
        if (t.length) opts.push(`'length' => ${t.length}`);
        break;
      case 'char':
        type = t.length === 36 ? 'guid' : 'string';
        if (type === 'string') opts.push(`'length' => ${t.length ?? 255}`, `'fixed' => true`);
        break;
      case 'text':
      case 'mediumtext':
      case 'longtext':
      case 'tinytext':
        type = 'text';
        break;
      case 'integer':
      case 'mediumint':
        type = 'integer';
        break;
      case 'bigint':
        type = 'bigint';
        break;
      case 'smallint':
        type = 'smallint';
        break;
      case 'tinyint':
        type = t.length === 1 ? 'boolean' : 'smallint';
        break;
      case 'boolean':
        type = 'boolean';
        break;
      case 'decimal':
        type = 'decimal';
        opts.push(`'precision' => ${t.precision ?? 10}`, `'scale' => ${t.scale ?? 0}`);
        break;
      case 'double':
      case 'float':
      case 'real':
        type = 'float';
        break;
      case 'date':
        type = 'date_immutable';
        break;
      case 'datetime':
      case 'timestamp':
        type = 'datetime_immutable';
        break;
      case 'timestamptz':
        type = 'datetimetz_immutable';
        break;
      case 'time':
        type = 'time_immutable';
        break;
      case 'json':
        type = 'json';
        break;
      case 'jsonb':
        type = 'json';
        opts.push(`'platformOptions' => ['jsonb' => true]`);
        break;
      case 'uuid':
        type = 'guid';
        break;
      case 'blob':
      case 'longblob':
      case 'mediumblob':
      case 'tinyblob':
      case 'bytea':
        type = 'blob';
        break;
      case 'binary':
      case 'varbinary':
        type = 'binary';
        if (t.length) opts.push(`'length' => ${t.length}`);
        if (t.name === 'binary') opts.push(`'fixed' => true`);
        break;
      default:
        opts.push(`'columnDefinition' => '${t.text.replace(/'/g, "\\'")}'`);
    }
    if (t.unsigned) opts.push(`'unsigned' => true`);
  }
  opts.push(...extra);
  return `->addColumn('${name}', '${type}'${opts.length ? `, [${opts.join(', ')}]` : ''})`;
}
