import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Dialect } from '../ir/types.js';
import { dotenvValues, parseDotenv } from '../util/dotenv.js';

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

/** The Laravel project root above `start`: the first directory with `artisan` or `config/database.php`. */
export function findLaravelRoot(start: string): string | undefined {
  let dir = resolve(start);
  for (let i = 0; i < 12; i++) {
    if (existsSync(join(dir, 'artisan')) || existsSync(join(dir, 'config', 'database.php'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
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

export function detectLaravelTarget(root: string): LaravelTarget | undefined {
  let connection: string | undefined;
  let source = '';
  for (const name of ['.env', '.env.example']) {
    const path = join(root, name);
    if (!existsSync(path)) continue;
    const v = envValue(readFileSync(path, 'utf8'), 'DB_CONNECTION');
    if (v) {
      connection = v;
      source = `DB_CONNECTION=${v} in ${name}`;
      break;
    }
  }
  const configPath = join(root, 'config', 'database.php');
  const config = existsSync(configPath) ? readFileSync(configPath, 'utf8') : '';
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

/** The schema dump for a connection: database/schema/{connection}-schema.sql, if the app squashed its migrations. */
export function findSchemaDump(root: string, connection: string | undefined): string | undefined {
  const dir = join(root, 'database', 'schema');
  if (!existsSync(dir)) return undefined;
  const candidates = connection ? [`${connection}-schema.sql`] : [];
  const files = readdirSync(dir).filter((f) => f.endsWith('-schema.sql'));
  for (const c of candidates) if (files.includes(c)) return join(dir, c);
  return undefined;
}
