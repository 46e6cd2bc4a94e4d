import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DIALECTS, type Dialect } from '../ir/types.js';
import { InputError } from '../util/errors.js';
import type { Severity } from './types.js';

/**
 * zdd.config.json — found in the working directory or the nearest parent, or given with --config.
 * Its JSON schema is schema/zdd.config.schema.json (published with the package).
 */
export interface ZddConfig {
  dialect?: Dialect;
  dbVersion?: string;
  failOn?: Severity;
  /** Per rule: a severity, or "off". */
  rules?: Record<string, Severity | 'off'>;
  paths?: {
    /** Migration files or directories (default: discovered by convention). */
    migrations?: string[];
    /** Application code roots for the code index (default: the project root). */
    code?: string[];
    /** Globs of files never indexed as application code. */
    ignore?: string[];
  };
  sql?: {
    /** The SQL migration runner wraps each file in a transaction (like Flyway on PostgreSQL). */
    transactional?: boolean;
  };
  /** Extra settings read by other commands (plan, doctor); kept as is. */
  plan?: Record<string, unknown>;
  doctor?: Record<string, unknown>;
  /** Where the file was found (not part of the file). */
  file?: string;
}

const TOP_KEYS = new Set(['$schema', 'dialect', 'dbVersion', 'failOn', 'rules', 'paths', 'sql', 'plan', 'doctor']);
export const CONFIG_FILE = 'zdd.config.json';

export function findConfig(startDir: string): string | undefined {
  let dir = resolve(startDir);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    if (existsSync(join(dir, '.git'))) return undefined;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function loadConfig(file: string | undefined, knownRules: ReadonlySet<string>): ZddConfig {
  if (!file) return {};
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read config ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file}: invalid JSON (${(e as Error).message})`);
  }
  return validateConfig(raw, file, knownRules);
}

export function validateConfig(raw: unknown, file: string, knownRules: ReadonlySet<string>): ZddConfig {
  const fail = (msg: string): never => {
    throw new InputError(`${file}: ${msg}`);
  };
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) fail('expected a JSON object');
  const obj = raw as Record<string, unknown>;
  for (const k of Object.keys(obj)) if (!TOP_KEYS.has(k)) fail(`unknown key "${k}" (known: ${[...TOP_KEYS].filter((x) => x !== '$schema').join(', ')})`);
  const cfg: ZddConfig = { file };
  if (obj.dialect !== undefined) {
    if (typeof obj.dialect !== 'string' || !DIALECTS.includes(obj.dialect as Dialect)) fail(`"dialect" must be one of ${DIALECTS.join(', ')}`);
    cfg.dialect = obj.dialect as Dialect;
  }
  if (obj.dbVersion !== undefined) {
    if (typeof obj.dbVersion !== 'string' && typeof obj.dbVersion !== 'number') fail('"dbVersion" must be a string like "8.0" or "16"');
    cfg.dbVersion = String(obj.dbVersion);
  }
  if (obj.failOn !== undefined) {
    if (obj.failOn !== 'error' && obj.failOn !== 'warning') fail('"failOn" must be "error" or "warning"');
    cfg.failOn = obj.failOn as Severity;
  }
  if (obj.rules !== undefined) {
    if (!obj.rules || typeof obj.rules !== 'object' || Array.isArray(obj.rules)) fail('"rules" must be an object of rule id → "error" | "warning" | "off"');
    cfg.rules = {};
    for (const [id, level] of Object.entries(obj.rules as Record<string, unknown>)) {
      if (!knownRules.has(id)) fail(`unknown rule "${id}" in "rules" (see \`zdd rules\`)`);
      if (level !== 'error' && level !== 'warning' && level !== 'off') fail(`rule "${id}": expected "error", "warning" or "off"`);
      cfg.rules[id] = level as Severity | 'off';
    }
  }
  if (obj.paths !== undefined) {
    if (!obj.paths || typeof obj.paths !== 'object' || Array.isArray(obj.paths)) fail('"paths" must be an object');
    const p = obj.paths as Record<string, unknown>;
    cfg.paths = {};
    for (const key of ['migrations', 'code', 'ignore'] as const) {
      if (p[key] === undefined) continue;
      if (!Array.isArray(p[key]) || !(p[key] as unknown[]).every((x) => typeof x === 'string')) fail(`"paths.${key}" must be an array of strings`);
      cfg.paths[key] = p[key] as string[];
    }
    for (const k of Object.keys(p)) if (!['migrations', 'code', 'ignore'].includes(k)) fail(`unknown key "paths.${k}"`);
  }
  if (obj.sql !== undefined) {
    const s = obj.sql as Record<string, unknown>;
    if (!s || typeof s !== 'object') fail('"sql" must be an object');
    if (s.transactional !== undefined && typeof s.transactional !== 'boolean') fail('"sql.transactional" must be true or false');
    cfg.sql = s.transactional !== undefined ? { transactional: s.transactional as boolean } : {};
  }
  if (obj.plan !== undefined) cfg.plan = obj.plan as Record<string, unknown>;
  if (obj.doctor !== undefined) cfg.doctor = obj.doctor as Record<string, unknown>;
  return cfg;
}
