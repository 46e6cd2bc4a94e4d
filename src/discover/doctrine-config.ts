import { readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Dialect } from '../ir/types.js';
import { parseDotenv } from '../util/dotenv.js';
import { DISK_FS, exists, type ConfigFs } from './config-fs.js';

/**
 * The database a Symfony/Doctrine app runs on, read from its own configuration, so that
 * `zdd lint migrations/` needs no --dialect there:
 *  - DATABASE_URL in .env.local, .env, .env.dist (later files lose: Symfony loads .env — or .env.dist
 *    when there is no .env — and .env.local overrides it): the scheme gives the platform, the
 *    `serverVersion` query parameter the version (`8.0.32`, `10.11.2-MariaDB`, `mariadb-10.11.2`, `16`);
 *  - doctrine.dbal `server_version` / `driver` in config/packages/doctrine.yaml (Symfony 4+) or
 *    app/config/config.yml (Symfony 2/3), with `%env(NAME)%` resolved from the same .env files;
 *  - doctrine_migrations `migrations_paths` (or the older `dir_name`) for where the migrations are.
 * SQLite and other platforms zdd does not lint give no dialect.
 */
export interface DoctrineTarget {
  dialect?: Dialect;
  version?: string;
  migrationPaths?: string[];
  /** Where it was found, for messages: `.env.local (DATABASE_URL)`. */
  source: string;
  /** A platform zdd does not lint that the app names (`sqlite`), when none it lints is named; `source` then says where. */
  unsupported?: string;
}

const ENV_FILES = ['.env.local', '.env', '.env.dist'];
const CONFIG_DIRS = ['config/packages', 'app/config/packages', 'config'];
const LEGACY_CONFIG = ['app/config/config.yml', 'app/config/config.yaml'];

/**
 * The files `detectDoctrineTarget` reads, relative to the project root (the others it only looks
 * for): what a release read from git must have read beforehand (src/discover/config-fs.ts).
 */
export const DOCTRINE_CONFIG_FILES = /^(?:\.env(?:\.local|\.dist)?|(?:config\/packages|app\/config\/packages|config|app\/config\/[^/]+\/packages)\/doctrine(?:_migrations)?\.ya?ml|app\/config\/config\.(?:ya?ml|php)|config\/packages\/doctrine_migrations\.php)$/;

/**
 * The project root around `start` (a file or directory): within the git repository, the nearest
 * directory upward that looks like a Symfony app (`bin/console`, `config/packages`, `app/config`, a
 * .env file) — a bundle's own composer.json below it (Sylius's `src/Sylius/Bundle/CoreBundle`) is not
 * the app —; failing that, the nearest that holds composer.json; failing that, the nearest with a .env
 * file or config/packages, without leaving the git repository.
 */
export function findProjectRoot(start: string, fs: ConfigFs = DISK_FS): string | undefined {
  let first = resolve(start);
  if (!fs.isDir(first)) first = dirname(first);
  const up = (test: (dir: string) => boolean, stopAtGit: boolean): string | undefined => {
    for (let dir = first; ; ) {
      if (test(dir)) return dir;
      if (stopAtGit && exists(fs, join(dir, '.git'))) return undefined;
      const parent = dirname(dir);
      if (parent === dir) return undefined;
      dir = parent;
    }
  };
  const inRepo = up((d) => exists(fs, join(d, '.git')), false) !== undefined;
  return (inRepo ? up((d) => looksLikeSymfonyApp(d, fs), true) : undefined) ?? up((d) => exists(fs, join(d, 'composer.json')), false) ?? up((d) => ENV_FILES.some((f) => exists(fs, join(d, f))) || exists(fs, join(d, 'config/packages')), true);
}

/** A Symfony application's root, not a library's or a bundle's: its console, its config, its .env. */
function looksLikeSymfonyApp(dir: string, fs: ConfigFs = DISK_FS): boolean {
  return exists(fs, join(dir, 'bin/console')) || exists(fs, join(dir, 'config/packages')) || exists(fs, join(dir, 'app/config')) || ENV_FILES.some((f) => exists(fs, join(dir, f)));
}

/** `fs`: where the app's files are read (the disk, or a release read from git: src/discover/config-fs.ts). */
export function detectDoctrineTarget(projectRoot: string, fs: ConfigFs = DISK_FS): DoctrineTarget | undefined {
  const env = readEnv(projectRoot, fs);
  const configs = doctrineConfigFiles(projectRoot, fs);
  const sources: string[] = [];
  let dialect: Dialect | undefined;
  let version: string | undefined;
  let unsupported: string | undefined;

  const url = env.get('DATABASE_URL');
  if (url?.value) {
    const fromUrl = parseDatabaseUrl(url.value);
    if (fromUrl.dialect) {
      dialect = fromUrl.dialect;
      sources.push(`${url.file} (DATABASE_URL)`);
    } else if (fromUrl.scheme) unsupported = fromUrl.scheme;
    if (fromUrl.version) version = fromUrl.version;
  }

  let migrationPaths: string[] | undefined;
  for (const file of configs) {
    const text = fs.readText(file);
    if (text === undefined) continue;
    const tree = parseYamlBlocks(text);
    const dbal = sub(sub(tree, 'doctrine'), 'dbal');
    if (dbal) {
      const rel = relative(projectRoot, file);
      const serverVersion = resolveEnv(findKey(dbal, 'server_version'), env);
      const driver = resolveEnv(findKey(dbal, 'driver'), env);
      const dbalUrl = resolveEnv(findKey(dbal, 'url'), env);
      if (!dialect && dbalUrl) {
        const u = parseDatabaseUrl(dbalUrl);
        if (u.dialect) {
          dialect = u.dialect;
          sources.push(`${rel} (url)`);
        }
        version ??= u.version;
      }
      if (!dialect && driver) {
        const d = driverDialect(driver);
        if (d) {
          dialect = d;
          sources.push(`${rel} (driver)`);
        }
      }
      if (!version && serverVersion) {
        const v = parseServerVersion(serverVersion);
        if (v.version) {
          version = v.version;
          if (v.mariadb && dialect === 'mysql') dialect = 'mariadb';
          sources.push(`${rel} (server_version)`);
        }
      }
    }
    const migrations = sub(tree, 'doctrine_migrations');
    if (migrations && !migrationPaths) {
      const paths = migrations.get('migrations_paths');
      const values = paths instanceof Map ? [...paths.values()].filter((v): v is string => typeof v === 'string') : [];
      const dirName = migrations.get('dir_name');
      if (typeof dirName === 'string') values.push(dirName);
      if (values.length) migrationPaths = values.map((p) => resolveProjectPath(resolveEnv(p, env) ?? p, projectRoot));
    }
  }

  // PHP config (mautic's app/config/config.php, Symfony's config/packages/doctrine_migrations.php)
  migrationPaths ??= phpMigrationPaths(projectRoot, env, fs);
  const unsupportedSource = url ? `${url.file} (DATABASE_URL)` : '';
  if (!dialect && !version && !migrationPaths) return unsupported ? { source: unsupportedSource, unsupported } : undefined;
  const out: DoctrineTarget = { source: sources.length ? [...new Set(sources)].join(', ') : unsupported ? unsupportedSource : 'doctrine_migrations config' };
  if (dialect) out.dialect = dialect;
  else if (unsupported) out.unsupported = unsupported;
  if (version) out.version = version;
  if (migrationPaths) out.migrationPaths = migrationPaths;
  return out;
}

/** DATABASE_URL → platform and server version. */
export function parseDatabaseUrl(url: string): { scheme?: string; dialect?: Dialect; version?: string } {
  const m = /^([a-z0-9+.-]+):/i.exec(url.trim());
  if (!m) return {};
  const scheme = m[1]!.toLowerCase();
  let dialect = driverDialect(scheme);
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  let version: string | undefined;
  for (const pair of query.split('&')) {
    const [k, v] = pair.split('=');
    if (k === 'serverVersion' && v) {
      const parsed = parseServerVersion(decodeURIComponent(v));
      version = parsed.version;
      if (parsed.mariadb && dialect === 'mysql') dialect = 'mariadb';
    }
  }
  const out: { scheme?: string; dialect?: Dialect; version?: string } = { scheme };
  if (dialect) out.dialect = dialect;
  if (version) out.version = version;
  return out;
}

function driverDialect(driver: string): Dialect | undefined {
  const d = driver.toLowerCase();
  if (/maria/.test(d)) return 'mariadb';
  if (/mysql/.test(d)) return 'mysql';
  if (/pgsql|postgres/.test(d)) return 'postgres';
  return undefined;
}

/** `8.0.32`, `10.11.2-MariaDB`, `mariadb-10.11.2`, `5.7`, `16.1 (Debian)` → the number, and whether it is MariaDB. */
export function parseServerVersion(text: string): { version?: string; mariadb: boolean } {
  const mariadb = /maria/i.test(text);
  const m = /(\d+(?:\.\d+){0,2})/.exec(text);
  return m ? { version: m[1]!, mariadb } : { mariadb };
}

interface EnvValue {
  value: string;
  file: string;
}

/**
 * Variables of the project's .env files as symfony/dotenv loads them: `.env` (or `.env.dist` when
 * there is none), then `.env.local`, which overrides it and can use its variables; within a file the
 * last assignment wins.
 */
function readEnv(root: string, fs: ConfigFs): Map<string, EnvValue> {
  const out = new Map<string, EnvValue>();
  const files = ENV_FILES.filter((f) => exists(fs, join(root, f)));
  // Symfony reads .env.dist only when there is no .env
  const used = (files.includes('.env') ? files.filter((f) => f !== '.env.dist') : files).reverse();
  for (const f of used) {
    const text = fs.readText(join(root, f));
    if (text === undefined) continue;
    const env = new Map([...out].map(([k, v]) => [k, v.value]));
    for (const e of parseDotenv(text, { syntax: 'symfony', env })) out.set(e.key, { value: e.value, file: f });
  }
  return out;
}

/** `%env(NAME)%`, `%env(resolve:NAME)%`, `${NAME}` (whole or inside the value) → the value from the .env files. */
function resolveEnv(value: string | undefined, env: Map<string, EnvValue>): string | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^(~|null)$/i.test(v)) return undefined;
  let missing = false;
  const out = v.replace(/%env\((?:[a-z]+:)*([A-Za-z_][A-Za-z0-9_]*)\)%|\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, a: string | undefined, b: string | undefined) => {
    const found = env.get((a ?? b)!)?.value;
    if (!found) missing = true;
    return found ?? '';
  });
  return missing && !out.replace(/[-\s]/g, '') ? undefined : out || undefined;
}

function resolveProjectPath(p: string, root: string): string {
  const replaced = p.replace(/%kernel\.project_dir%|%kernel\.root_dir%\/\.\.|%mautic\.application_dir%/g, root);
  const withRoot = replaced.replace(/%kernel\.root_dir%/g, join(root, 'app'));
  return isAbsolute(withRoot) ? withRoot : join(root, withRoot);
}

const PHP_CONFIG = ['config/packages/doctrine_migrations.php', 'app/config/config.php'];

/** `'migrations_paths' => ['Namespace' => '%kernel.project_dir%/migrations']` in a PHP config file: its literal paths. */
function phpMigrationPaths(root: string, env: Map<string, EnvValue>, fs: ConfigFs): string[] | undefined {
  for (const f of PHP_CONFIG) {
    const text = fs.readText(join(root, f));
    if (text === undefined) continue;
    const m = /['"]migrations_paths['"]\s*=>\s*(?:\[|array\s*\()([^\])]*)[\])]/.exec(text);
    if (!m) continue;
    const values = [...m[1]!.matchAll(/=>\s*(['"])([^'"]+)\1\s*(?:,|$)/g)].map((x) => x[2]!);
    if (values.length) return values.map((p) => resolveProjectPath(resolveEnv(p, env) ?? p, root));
  }
  return undefined;
}

/**
 * The migration folders a Symfony/Doctrine app's root directory stands for in path mode (as a
 * Laravel root stands for database/migrations): its configured `migrations_paths` that exist, else
 * `migrations/` and `src/Migrations`. Undefined when `dir` is not such an app's root. `known`: its Doctrine config, when the caller has read it.
 */
export function doctrineAppMigrationDirs(dir: string, known?: DoctrineTarget): string[] | undefined {
  const root = resolve(dir);
  if (!exists(DISK_FS, join(root, 'composer.json')) || !looksLikeSymfonyApp(root)) return undefined;
  const isDir = (p: string): boolean => {
    try {
      return statSync(p).isDirectory();
    } catch {
      return false;
    }
  };
  const configured = ((known ?? detectDoctrineTarget(root))?.migrationPaths ?? []).filter(isDir);
  if (configured.length) return configured;
  const conventional = ['migrations', 'src/Migrations'].map((p) => join(root, p)).filter(isDir);
  if (conventional.length) return conventional;
  // bundles that register their own folder at run time (Sylius's CoreBundle prepends
  // src/Sylius/Bundle/CoreBundle/Migrations): folders named like a migrations folder holding Version*.php
  const found = migrationFolders(root);
  return found.length ? found : undefined;
}

const SKIP_DIRS = new Set(['vendor', 'node_modules', 'var', 'public', 'tests', 'test', 'Tests', 'fixtures', 'docs', 'doc']);

function migrationFolders(root: string): string[] {
  const out: string[] = [];
  const walkDir = (dir: string, depth: number): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (/^(Doctrine)?[Mm]igrations$/.test(dir.slice(dir.lastIndexOf('/') + 1)) && entries.some((e) => e.isFile() && /^Version\w*\.php$/.test(e.name))) {
      out.push(dir);
      return;
    }
    if (depth >= 6) return;
    for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.') && !SKIP_DIRS.has(e.name)) walkDir(join(dir, e.name), depth + 1);
  };
  walkDir(root, 0);
  return out.sort();
}

/** The Doctrine config files of a project, most specific last. */
function doctrineConfigFiles(root: string, fs: ConfigFs): string[] {
  const out: string[] = [];
  const dirs = [...CONFIG_DIRS];
  // app/config/<bundle>/packages (EC-CUBE keeps its Symfony config there)
  for (const e of fs.readDir(join(root, 'app/config')) ?? []) if (e.dir) dirs.push(`app/config/${e.name}/packages`);
  for (const dir of dirs) {
    for (const name of ['doctrine.yaml', 'doctrine.yml', 'doctrine_migrations.yaml', 'doctrine_migrations.yml']) {
      const f = join(root, dir, name);
      if (exists(fs, f)) out.push(f);
    }
  }
  for (const f of LEGACY_CONFIG) if (exists(fs, join(root, f))) out.push(join(root, f));
  return out;
}

type YamlMap = Map<string, YamlValue>;
type YamlValue = string | YamlMap;

/**
 * Just enough YAML for Symfony config: nested block maps of `key: value`, comments, quoted scalars.
 * Lists, anchors and flow collections are skipped (zdd needs only a few scalar keys).
 */
export function parseYamlBlocks(text: string): YamlMap {
  const root: YamlMap = new Map();
  const stack: Array<{ indent: number; map: YamlMap }> = [{ indent: -1, map: root }];
  for (const raw of text.split(/\r?\n/)) {
    if (/^\s*(#.*)?$/.test(raw)) continue;
    const indent = raw.length - raw.trimStart().length;
    const line = raw.trim();
    const m = /^(['"]?)([^'":]+?)\1\s*:(?:\s+(.*))?$/.exec(line);
    if (!m) continue;
    while (stack.length > 1 && stack[stack.length - 1]!.indent >= indent) stack.pop();
    const parent = stack[stack.length - 1]!.map;
    const key = m[2]!.trim();
    const rest = (m[3] ?? '').replace(/\s+#.*$/, '').trim();
    if (!rest) {
      const child: YamlMap = new Map();
      parent.set(key, child);
      stack.push({ indent, map: child });
    } else {
      parent.set(key, unquote(rest));
    }
  }
  return root;
}

function sub(map: YamlMap | undefined, key: string): YamlMap | undefined {
  const v = map?.get(key);
  return v instanceof Map ? v : undefined;
}

function unquote(v: string): string {
  if ((v.startsWith("'") && v.endsWith("'")) || (v.startsWith('"') && v.endsWith('"'))) return v.slice(1, -1);
  return v;
}

/** A scalar key anywhere under a map (dbal.server_version or dbal.connections.default.server_version). */
function findKey(map: YamlMap, key: string): string | undefined {
  const own = map.get(key);
  if (typeof own === 'string') return own;
  for (const v of map.values()) {
    if (v instanceof Map) {
      const found = findKey(v, key);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
