import { basename, dirname, join, resolve } from 'node:path';
import type { Dialect } from '../ir/types.js';
import { lexSql } from '../readers/sql/lex.js';
import { dotenvValues, parseDotenv } from '../util/dotenv.js';
import { DISK_FS, exists, type ConfigFs } from './config-fs.js';

/**
 * What a Laravel app says about its database: DB_CONNECTION in .env (or .env.example, which is
 * what a CI checkout has), else the default in config/database.php; and the schema dump that
 * `php artisan schema:dump` left in database/schema/.
 */

export interface LaravelTarget {
  dialect?: Dialect;
  /** The connection name (mysql, pgsql, mariadb …) — also the schema dump's file name. */
  connection?: string;
  /** Where the answer came from, for messages. */
  source: string;
  /** An unsupported driver (sqlite, sqlsrv) named by the app. */
  unsupported?: string;
  root: string;
}

/**
/**
 * The files `detectLaravelTarget` (and `migrationsTable`) read, relative to the app root: what a
 * release read from git must have read beforehand (src/discover/config-fs.ts). The schema dump is
 * read on its own (it can be large).
 */
export const LARAVEL_CONFIG_FILES = /^(?:\.env|\.env\.example|config\/database\.php)$/;

/**
 * The Laravel project root above `start`: the first directory with `artisan` or
 * `config/database.php`, or whose `database/migrations` holds Laravel migration classes (an app
 * checked out without them, e.g. only what a CI job needs: its .env still names the database).
 * `fs`: where the app's files are (the disk, or a release read from git: src/discover/config-fs.ts).
 */
export function findLaravelRoot(start: string, fs: ConfigFs = DISK_FS): string | undefined {
  let dir = resolve(start);
  for (let i = 0; i < 12; i++) {
    if (exists(fs, join(dir, 'artisan')) || exists(fs, join(dir, 'config', 'database.php')) || holdsLaravelMigrations(fs, join(dir, 'database', 'migrations'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

/** A Laravel migration class: extends Illuminate's Migration (as the reader requires: a class with up() extending Migration). */
const LARAVEL_MIGRATION = /\bextends\s+(?:\\?Illuminate\\Database\\Migrations\\)?Migration\b/;

/** Whether `dir` directly holds a Laravel migration class (the first few .php files are looked at). */
function holdsLaravelMigrations(fs: ConfigFs, dir: string): boolean {
  const names = (fs.readDir(dir) ?? []).filter((e) => !e.dir && e.name.endsWith('.php')).map((e) => e.name).sort().slice(0, 8);
  return names.some((n) => {
    const text = fs.readText(join(dir, n));
    return text !== undefined && LARAVEL_MIGRATION.test(text) && /Illuminate\\|Schema::/.test(text);
  });
}

const DRIVER_DIALECT: Record<string, Dialect> = { mysql: 'mysql', mariadb: 'mariadb', pgsql: 'postgres', postgres: 'postgres', postgresql: 'postgres' };

/** A key of a .env file as Laravel's loader (phpdotenv) sets it: its last assignment; empty is none. */
function envValue(text: string, key: string): string | undefined {
  return dotenvValues(parseDotenv(text, { syntax: 'phpdotenv' })).get(key) || undefined;
}

/** The driver of a connection in config/database.php ('connections' => ['pgsql' => ['driver' => 'pgsql' …). */
function driverOf(config: string, connection: string): string | undefined {
  const start = config.search(new RegExp(`['"]${connection}['"]\\s*=>\\s*\\[`));
  if (start === -1) return undefined;
  const m = /['"]driver['"]\s*=>\s*['"](\w+)['"]/.exec(config.slice(start, start + 2000));
  return m?.[1];
}

export function detectLaravelTarget(root: string, fs: ConfigFs = DISK_FS): LaravelTarget | undefined {
  let connection: string | undefined;
  let source = '';
  for (const name of ['.env', '.env.example']) {
    const text = fs.readText(join(root, name));
    if (text === undefined) continue;
    const v = envValue(text, 'DB_CONNECTION');
    if (v) {
      connection = v;
      source = `DB_CONNECTION=${v} in ${name}`;
      break;
    }
  }
  const config = fs.readText(join(root, 'config', 'database.php')) ?? '';
  if (!connection && config) {
    const m = /['"]default['"]\s*=>\s*env\(\s*['"]DB_CONNECTION['"]\s*,\s*['"](\w+)['"]\s*\)/.exec(config) ?? /['"]default['"]\s*=>\s*['"](\w+)['"]/.exec(config);
    if (m) {
      connection = m[1]!;
      source = `the default connection '${connection}' in config/database.php`;
    }
  }
  if (!connection) return undefined;
  const driver = (config && driverOf(config, connection)) || connection;
  const dialect = DRIVER_DIALECT[driver.toLowerCase()];
  if (!dialect) return { connection, source, unsupported: driver, root };
  return { dialect, connection, source, root };
}

/**
 * The schema dump for a connection: database/schema/{connection}-schema.sql, if the app squashed its
 * migrations. Further connection names are tried in order (the one the dialect given on the
 * command line stands for, when the app's default connection is another, e.g. sqlite for tests).
 */
export function findSchemaDump(root: string, connection: string | undefined, ...more: Array<string | undefined>): string | undefined {
  return findSchemaDumpIn(DISK_FS, root, connection, more);
}

/** `findSchemaDump` in `fs` (the disk, or a release read from git). */
export function findSchemaDumpIn(fs: ConfigFs, root: string, connection: string | undefined, more: ReadonlyArray<string | undefined> = []): string | undefined {
  const entries = fs.readDir(join(root, 'database', 'schema'));
  if (!entries) return undefined;
  const dir = join(root, 'database', 'schema');
  const candidates = [connection, ...more].filter((c): c is string => !!c).map((c) => `${c}-schema.sql`);
  const files = entries.map((e) => e.name).filter((f) => f.endsWith('-schema.sql'));
  for (const c of candidates) if (files.includes(c)) return join(dir, c);
  return undefined;
}

/**
 * The migrations a schema dump records as run. `php artisan schema:dump` appends the rows of the
 * migrations table: `INSERT INTO migrations … VALUES (1,'2014_10_12_000000_create_users_table',1);`
 * (MySQL, MariaDB, SQLite) or a `COPY … FROM stdin` block (PostgreSQL). `php artisan migrate` on a
 * database loaded from the dump runs only the migrations not listed there, so only those are
 * replayed on top of it. A prefixed table (`app_migrations`) counts too. Empty when the dump holds no rows.
 * `dialect`: the dump's, whose quoting the SQL lexer reads the rows' values with.
 */
export function migrationsInDump(text: string, table = 'migrations', dialect: Dialect = 'mysql'): Set<string> {
  const ran = new Set<string>();
  const isTable = (name: string): boolean => {
    const bare = name.replace(/[`"]/g, '').split('.').pop()!.toLowerCase();
    return bare === table.toLowerCase() || bare.endsWith(`_${table.toLowerCase()}`);
  };
  // the position of the `migration` column (id, migration, batch when no list is given)
  const column = (list: string | undefined): number => (list ? list.split(',').map((c) => c.trim().replace(/[`"]/g, '').toLowerCase()).indexOf('migration') : 1);
  for (const m of text.matchAll(/^INSERT\s+INTO\s+([`"\w.]+)\s*(?:\(([^)]*)\)\s*)?VALUES\s*(.*)$/gim)) {
    if (!isTable(m[1]!)) continue;
    const at = column(m[2]);
    if (at < 0) continue;
    // the rows `(…), (…)`: the SQL lexer reads their values (quotes and escapes as the dialect has them)
    let depth = 0;
    let row: string[] = [];
    for (const t of lexSql(m[3]!, dialect)) {
      if (t.type === 'punct' && t.value === '(') {
        if (++depth === 1) row = [];
      } else if (t.type === 'punct' && t.value === ')') {
        if (--depth === 0 && row[at] !== undefined) ran.add(row[at]!);
      } else if (depth === 1 && t.type !== 'punct') row.push(t.value);
    }
  }
  for (const m of text.matchAll(/^COPY\s+([`"\w.]+)\s*(?:\(([^)]*)\))?\s+FROM\s+stdin;\r?\n([\s\S]*?)^\\\.\r?$/gim)) {
    if (!isTable(m[1]!)) continue;
    const at = column(m[2]);
    if (at < 0) continue;
    for (const line of m[3]!.split('\n')) {
      const v = line.replace(/\r$/, '').split('\t')[at];
      if (v) ran.add(v);
    }
  }
  return ran;
}

/** A migration file's name as Laravel's migrations table records it: the file name without `.php`. */
export function migrationName(file: string): string {
  return basename(file).replace(/\.php$/i, '');
}
