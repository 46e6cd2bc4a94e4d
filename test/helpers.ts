import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RULES } from '../rules/index.js';
import { defaultTarget, parseVersion } from '../src/dialects/index.js';
import type { Dialect, Migration } from '../src/ir/types.js';
import type { ZddConfig } from '../src/lint/config.js';
import { lintMigrations } from '../src/lint/run.js';
import type { Finding, MigrationRule } from '../src/lint/types.js';
import { prepareSqlParser, readSqlText } from '../src/readers/sql/read.js';
import { doctorOptions } from '../src/doctor/options.js';
import { loadDeployProject } from '../src/doctor/project.js';
import { runDoctor } from '../src/doctor/run.js';
import type { DeployProject, DeployRule } from '../src/doctor/types.js';
import type { FileProblem } from '../src/util/errors.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = join(ROOT, 'dist', 'zdd.js');
export const MIGRATION_RULES = RULES.filter((r): r is MigrationRule => r.scope === 'migration');

export interface LintSqlOptions {
  version?: string;
  config?: ZddConfig;
  /** Only findings of this rule. */
  rule?: string;
}

/**
 * Lints SQL migrations in memory. `files` is one script or several (name → SQL), linted in
 * the given order as separate migrations.
 */
export async function lintSql(dialect: Dialect, files: string | Record<string, string>, opts: LintSqlOptions = {}): Promise<Finding[]> {
  await prepareSqlParser(dialect);
  const entries = typeof files === 'string' ? [['0001_migration.sql', files] as const] : Object.entries(files);
  const config = opts.config ?? {};
  const migrations: Migration[] = entries.map(([name, sql]) => {
    const r = readSqlText(sql, { file: name, dialect });
    return { id: name.replace(/\.sql$/, ''), file: name, format: 'sql', transactional: config.sql?.transactional ?? false, ops: r.ops, suppressions: r.suppressions };
  });
  const target = opts.version ? { dialect, version: parseVersion(opts.version)! } : defaultTarget(dialect);
  const findings = lintMigrations(migrations, { target, rules: MIGRATION_RULES, config });
  return opts.rule ? findings.filter((f) => f.rule === opts.rule) : findings;
}

/** The existing schema most rule tests start from, as a first migration. */
export const PG_SCHEMA = `
CREATE TABLE users (id bigserial PRIMARY KEY, email varchar(100) NOT NULL, name text, status varchar(20) DEFAULT 'active' NOT NULL, age integer, team_id bigint, created_at timestamptz DEFAULT now());
CREATE TABLE teams (id bigserial PRIMARY KEY, name text NOT NULL);
CREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint NOT NULL, total numeric(10,2) NOT NULL, note text);
CREATE INDEX orders_user_id_index ON orders (user_id);
`;

export const MYSQL_SCHEMA = `
CREATE TABLE users (id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, email varchar(100) NOT NULL, name varchar(255) NULL, status varchar(20) NOT NULL DEFAULT 'active', age int NULL, kind enum('a','b') NOT NULL DEFAULT 'a', team_id bigint unsigned NULL, created_at timestamp NULL) ENGINE=InnoDB;
CREATE TABLE teams (id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, name varchar(255) NOT NULL) ENGINE=InnoDB;
CREATE TABLE posts (id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, user_id bigint unsigned NOT NULL, body text NOT NULL, KEY posts_user_id_index (user_id)) ENGINE=InnoDB;
`;

/** Lints `change` as the second migration after a schema migration. */
export function afterSchema(dialect: Dialect, change: string, opts: LintSqlOptions = {}): Promise<Finding[]> {
  return lintSql(dialect, { '0001_schema.sql': dialect === 'postgres' ? PG_SCHEMA : MYSQL_SCHEMA, '0002_change.sql': change }, opts);
}

export interface CliResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** Runs the built binary, as a user would. */
export function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string>; input?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    encoding: 'utf8',
    input: opts.input,
    timeout: 60_000,
  });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

/** A temporary directory with the given files (path → content). */
export function tempTree(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'zdd-test-'));
  for (const [rel, content] of Object.entries(files)) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return dir;
}

/** Runs git in `dir` (a fixed identity, no user config); throws with git's message on failure. */
export function git(dir: string, ...args: string[]): string {
  const r = spawnSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 'zdd', GIT_AUTHOR_EMAIL: 'zdd@example.com', GIT_COMMITTER_NAME: 'zdd', GIT_COMMITTER_EMAIL: 'zdd@example.com', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

/** A git repository with `files` committed on branch main. */
export function gitRepo(files: Record<string, string | Buffer>): string {
  const dir = tempTree(files);
  git(dir, 'init', '-q', '-b', 'main');
  commitAll(dir, 'initial');
  return dir;
}

/** Stages everything and commits. */
export function commitAll(dir: string, message: string): string {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}

/** Writes files into an existing directory (path → content). */
export function writeTree(dir: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
}

/** Runs zdd doctor's rules in memory on a project made of `files` (path → content). */
export async function doctorOn(files: Record<string, string>, opts: { rule?: string; config?: ZddConfig } = {}): Promise<{ findings: Finding[]; problems: FileProblem[]; project: DeployProject }> {
  const root = tempTree(files);
  const config = opts.config ?? {};
  const { project, problems } = await loadDeployProject(root, doctorOptions(config, root));
  const findings = runDoctor(project, DEPLOY_RULES, config);
  return { findings: opts.rule ? findings.filter((f) => f.rule === opts.rule) : findings, problems, project };
}

export const DEPLOY_RULES = RULES.filter((r): r is DeployRule => r.scope === 'deploy');

/** A git repository with release `v1` committed on main and `v2` (the change) copied over it on the branch `feature`, committed unless `commit` is false. */
export function releaseRepo(v1: string, v2: string, commit = true): string {
  const dir = tempTree({});
  cpSync(v1, dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  commitAll(dir, 'release 1');
  git(dir, 'checkout', '-q', '-b', 'feature');
  cpSync(v2, dir, { recursive: true });
  if (commit) commitAll(dir, 'the change');
  return dir;
}
