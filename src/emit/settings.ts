import type { Dialect, MigrationFormat } from '../ir/types.js';
import type { ContractMode } from '../plan/types.js';
import { InputError } from '../util/errors.js';

/**
 * The `"plan"` object of zdd.config.json, and the flags that override it: how zdd-plan splits
 * (contract, lock timeout, batches) and how the emitted deploy script runs (paths, commands). The
 * config loader keeps `plan` as an opaque object; it is validated here, with errors naming the key.
 * Commands are shell code inserted as written; paths are quoted.
 */

export interface DeploySettings {
  contract: ContractMode;
  /** The contract mode was asked for (flag or config), not the default: next-release then holds even for drops nobody references. */
  contractExplicit?: boolean;
  lockTimeout: number;
  lockRetries: number;
  batchSize: number;
  batchPause: number;
  /** The deploy root: releases/, shared/, current. */
  deployPath?: string;
  /** Directory copied into each new release (default: the project root). */
  source?: string;
  /** Command that fills the new release directory ($ZDD_RELEASE_PATH) instead of copying `source`. */
  fetch?: string;
  build?: string;
  shared: { files: string[]; dirs: string[] };
  warmup: string[];
  php: string;
  /** Symfony console, relative to the release root. */
  console: string;
  /** Reads SQL statements on stdin; prints the value of a one-value SELECT bare. */
  sqlClient: string;
  /** Runs an unchanged SQL migration; `{file}` is its path in the release. Default: the file through sqlClient. */
  sqlMigrate?: string;
  /** SQL that records a split SQL migration as applied; `{id}` and `{file}` are SQL string literals. Default: none. */
  sqlRecord?: string;
  /** Laravel's migrations table. */
  migrationsTable: string;
  fpm: { reload: string; log?: string; readyTimeout: number };
  workers: { restart?: string; grace: number };
  health: { url?: string; command?: string; retries: number; interval: number };
  /** Seconds to wait for old workers when no FPM log tells when the reload finished. */
  drain: number;
  /** The file in the release root holding the release name (what the health check must see). */
  releaseFile: string;
  keepReleases: number;
}

export interface SettingFlags {
  contract?: string;
  deployPath?: string;
  healthUrl?: string;
  sqlClient?: string;
  fpmReload?: string;
}

const KEYS: Record<string, string> = {
  contract: '"next-release" or "post-swap"',
  lockTimeout: 'seconds (number)',
  lockRetries: 'a number',
  batchSize: 'a number of rows',
  batchPause: 'seconds between batches (number)',
  deployPath: 'a directory',
  source: 'a directory',
  fetch: 'a shell command',
  build: 'a shell command',
  shared: '{ "files": [...], "dirs": [...] }',
  warmup: 'a shell command or an array of them',
  php: 'a shell command',
  console: 'a path',
  sqlClient: 'a shell command',
  sqlMigrate: 'a shell command with {file}',
  sqlRecord: 'an SQL statement with {id}',
  migrationsTable: 'a table name',
  fpm: '{ "reload": "...", "log": "...", "readyTimeout": 60 }',
  workers: '{ "restart": "...", "grace": 30 }',
  health: '{ "url": "...", "command": "...", "retries": 10, "interval": 2 }',
  drain: 'seconds (number)',
  releaseFile: 'a file name',
  keepReleases: 'a number',
};

export const PLAN_CONFIG_KEYS = Object.keys(KEYS);

/** Defaults per dialect and migration format (Laravel, Symfony/Doctrine, plain SQL). */
function defaults(dialect: Dialect, format: MigrationFormat): DeploySettings {
  const laravel = format === 'laravel';
  const doctrine = format === 'doctrine';
  return {
    contract: 'next-release',
    lockTimeout: 5,
    lockRetries: 3,
    batchSize: 1000,
    batchPause: 0.1,
    shared: laravel ? { files: ['.env'], dirs: ['storage'] } : doctrine ? { files: ['.env.local'], dirs: ['var/log'] } : { files: [], dirs: [] },
    ...(laravel || doctrine ? { build: 'composer install --no-dev --prefer-dist --no-interaction --optimize-autoloader' } : {}),
    warmup: laravel ? ['{php} artisan optimize'] : doctrine ? ['{php} bin/console cache:warmup --env=prod'] : [],
    php: 'php',
    console: 'bin/console',
    sqlClient: dialect === 'postgres' ? 'psql -X -q -t -A -v ON_ERROR_STOP=1' : 'mysql --batch --skip-column-names',
    migrationsTable: 'migrations',
    fpm: { reload: 'kill -USR2 "$(cat /run/php/php-fpm.pid)"', readyTimeout: 60 },
    workers: { ...(laravel ? { restart: '{php} artisan queue:restart' } : doctrine ? { restart: '{php} bin/console messenger:stop-workers' } : {}), grace: 30 },
    health: { retries: 10, interval: 2 },
    drain: 15,
    releaseFile: '.zdd-release',
    keepReleases: 5,
  };
}

function fail(file: string | undefined, key: string, what: string): never {
  throw new InputError(`${file ?? 'zdd.config.json'}: "plan.${key}" must be ${what}`);
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function num(raw: Record<string, unknown>, key: string, file: string | undefined, min = 0): number | undefined {
  const v = raw[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) fail(file, key, `${KEYS[key.split('.')[0]!] ?? 'a number'}${min > 0 ? ` of at least ${min}` : ''}`);
  return v;
}

function str(raw: Record<string, unknown>, key: string, file: string | undefined, path = key): string | undefined {
  const v = raw[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !v.trim()) fail(file, path, 'a non-empty string');
  return v;
}

function strings(v: unknown, file: string | undefined, path: string): string[] {
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) fail(file, path, 'a string or an array of strings');
  return v as string[];
}

function sub(raw: Record<string, unknown>, key: string, allowed: string[], file: string | undefined): Record<string, unknown> | undefined {
  const v = raw[key];
  if (v === undefined) return undefined;
  if (!isObj(v)) fail(file, key, KEYS[key]!);
  for (const k of Object.keys(v)) if (!allowed.includes(k)) throw new InputError(`${file ?? 'zdd.config.json'}: unknown key "plan.${key}.${k}" (known: ${allowed.join(', ')})`);
  return v;
}

/** Validates `plan` from zdd.config.json and applies the flags over it. */
export function deploySettings(raw: Record<string, unknown> | undefined, flags: SettingFlags, dialect: Dialect, format: MigrationFormat, file?: string): DeploySettings {
  const s = defaults(dialect, format);
  const cfg = raw ?? {};
  if (!isObj(cfg)) throw new InputError(`${file ?? 'zdd.config.json'}: "plan" must be an object`);
  for (const k of Object.keys(cfg)) if (!(k in KEYS)) throw new InputError(`${file ?? 'zdd.config.json'}: unknown key "plan.${k}" (known: ${PLAN_CONFIG_KEYS.join(', ')})`);
  const contract = flags.contract ?? cfg.contract;
  if (contract !== undefined) {
    if (contract !== 'next-release' && contract !== 'post-swap') {
      if (flags.contract !== undefined) throw new InputError(`--contract must be next-release or post-swap (got "${contract as string}")`);
      fail(file, 'contract', KEYS.contract!);
    }
    s.contract = contract;
    s.contractExplicit = true;
  }
  s.lockTimeout = num(cfg, 'lockTimeout', file, 1) ?? s.lockTimeout;
  s.lockRetries = num(cfg, 'lockRetries', file, 1) ?? s.lockRetries;
  s.batchSize = num(cfg, 'batchSize', file, 1) ?? s.batchSize;
  s.batchPause = num(cfg, 'batchPause', file) ?? s.batchPause;
  s.drain = num(cfg, 'drain', file) ?? s.drain;
  s.keepReleases = num(cfg, 'keepReleases', file, 1) ?? s.keepReleases;
  for (const k of ['deployPath', 'source', 'fetch', 'build', 'php', 'console', 'sqlClient', 'sqlMigrate', 'sqlRecord', 'migrationsTable', 'releaseFile'] as const) {
    const v = str(cfg, k, file);
    if (v !== undefined) (s as unknown as Record<string, unknown>)[k] = v;
  }
  if (s.sqlMigrate && !s.sqlMigrate.includes('{file}')) fail(file, 'sqlMigrate', KEYS.sqlMigrate!);
  if (s.sqlRecord && !s.sqlRecord.includes('{id}')) fail(file, 'sqlRecord', KEYS.sqlRecord!);
  if (!/^[A-Za-z0-9_.-]+$/.test(s.releaseFile)) fail(file, 'releaseFile', 'a plain file name');
  if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(s.migrationsTable)) fail(file, 'migrationsTable', 'a table name');
  if (cfg.warmup !== undefined) s.warmup = strings(cfg.warmup, file, 'warmup');
  const shared = sub(cfg, 'shared', ['files', 'dirs'], file);
  if (shared) {
    if (shared.files !== undefined) s.shared.files = strings(shared.files, file, 'shared.files');
    if (shared.dirs !== undefined) s.shared.dirs = strings(shared.dirs, file, 'shared.dirs');
    for (const p of [...s.shared.files, ...s.shared.dirs]) if (!p || p.startsWith('/') || p.split('/').includes('..')) fail(file, 'shared', 'paths inside the release (relative, without ..)');
  }
  const fpm = sub(cfg, 'fpm', ['reload', 'log', 'readyTimeout'], file);
  if (fpm) {
    s.fpm.reload = str(fpm, 'reload', file, 'fpm.reload') ?? s.fpm.reload;
    const log = str(fpm, 'log', file, 'fpm.log');
    if (log) s.fpm.log = log;
    s.fpm.readyTimeout = num(fpm, 'readyTimeout', file, 1) ?? s.fpm.readyTimeout;
  }
  const workers = sub(cfg, 'workers', ['restart', 'grace'], file);
  if (workers) {
    if (workers.restart === null || workers.restart === false) delete s.workers.restart;
    else s.workers.restart = str(workers, 'restart', file, 'workers.restart') ?? s.workers.restart!;
    s.workers.grace = num(workers, 'grace', file) ?? s.workers.grace;
  }
  const health = sub(cfg, 'health', ['url', 'command', 'retries', 'interval'], file);
  if (health) {
    const url = str(health, 'url', file, 'health.url');
    const command = str(health, 'command', file, 'health.command');
    if (url) s.health.url = url;
    if (command) s.health.command = command;
    s.health.retries = num(health, 'retries', file, 1) ?? s.health.retries;
    s.health.interval = num(health, 'interval', file) ?? s.health.interval;
  }
  // the default commands run the configured PHP
  s.warmup = s.warmup.map((c) => c.replace('{php}', s.php));
  if (s.workers.restart) s.workers.restart = s.workers.restart.replace('{php}', s.php);
  if (flags.deployPath) s.deployPath = flags.deployPath;
  if (flags.healthUrl) s.health.url = flags.healthUrl;
  if (flags.sqlClient) s.sqlClient = flags.sqlClient;
  if (flags.fpmReload) s.fpm.reload = flags.fpmReload;
  return s;
}

/**
 * What the deploy formats cannot do without: a health check that proves the new release answers
 * before the post-swap steps run (both), and the deploy path (sh; Deployer has its own).
 */
export function requireDeploySettings(s: DeploySettings, format: 'sh' | 'deployer'): void {
  const missing: string[] = [];
  if (format === 'sh' && !s.deployPath) missing.push('the deploy path ("plan.deployPath" or --deploy-path)');
  if (!s.health.url && !s.health.command) missing.push('a health check that proves the new release answers ("plan.health.url" or --health-url, or "plan.health.command")');
  if (missing.length) throw new InputError(`--format ${format} needs ${missing.join(' and ')} in zdd.config.json`);
  // the recipe puts the URL between single quotes in a shell command ({{zdd_health_url}} is replaced as text)
  if (format === 'deployer' && !s.health.command && s.health.url!.includes("'")) throw new InputError(`--format deployer: the health URL ${s.health.url} contains a single quote: percent-encode it (%27)`);
}
