import { dirname, resolve } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { RULES } from '../../rules/index.js';
import { checkVersion, formatVersion, parseVersion, SUPPORTED, type Target } from '../dialects/index.js';
import { collectFiles, CONVENTIONAL_DIRS, readTextFile } from '../discover/files.js';
import { DIALECTS, type Dialect, type Migration } from '../ir/types.js';
import { findConfig, loadConfig, type ZddConfig } from '../lint/config.js';
import { lintMigrations } from '../lint/run.js';
import type { Finding, MigrationRule, Severity } from '../lint/types.js';
import { MIGRATION_EXTENSIONS, prepareReaders, readMigration } from '../readers/index.js';
import { formatReport, type Format, type Report } from '../report/index.js';
import { InputError, type FileProblem } from '../util/errors.js';
import { VERSION } from './meta.js';
import { releaseModeOf, runReleaseLint } from './release-lint.js';

export interface LintFlags {
  dialect?: string;
  dbVersion?: string;
  format?: Format;
  failOn?: Severity;
  config?: string;
  verbose?: boolean;
  /** Release mode (src/cli/release-lint.ts): lint what changed since this ref, with both releases' code. */
  base?: string;
  staged?: boolean;
  from?: string;
  to?: string;
}

export interface CommandResult {
  stdout: string;
  stderr: string[];
  exitCode: number;
}

export const KNOWN_RULE_IDS: ReadonlySet<string> = new Set(RULES.map((r) => r.id));

/**
 * Loads --config, or the zdd.config.json found upward from `start` (the first path given, so that
 * `zdd lint apps/shop/migrations` finds apps/shop/zdd.config.json), or from the working directory.
 */
export function loadProjectConfig(flagPath: string | undefined, cwd: string, start?: string): ZddConfig {
  const file = flagPath ? resolve(cwd, flagPath) : findConfig(start ? configSearchStart(resolve(cwd, start)) : cwd) ?? (start ? findConfig(cwd) : undefined);
  if (flagPath && !existsSync(file!)) throw new InputError(`config file not found: ${flagPath}`);
  return loadConfig(file, KNOWN_RULE_IDS);
}

function configSearchStart(path: string): string {
  try {
    return statSync(path).isDirectory() ? path : dirname(path);
  } catch {
    return dirname(path);
  }
}

export function resolveTarget(flags: LintFlags, config: ZddConfig, detected?: { dialect?: Dialect; version?: string }): Target {
  const name = flags.dialect ?? config.dialect ?? detected?.dialect;
  if (!name) {
    throw new InputError('cannot tell which database the migrations run on: pass --dialect mysql|mariadb|postgres or set "dialect" in zdd.config.json');
  }
  if (!DIALECTS.includes(name as Dialect)) throw new InputError(`unknown dialect "${name}" (expected ${DIALECTS.join(', ')})`);
  const dialect = name as Dialect;
  const versionText = flags.dbVersion ?? config.dbVersion ?? detected?.version ?? SUPPORTED[dialect].default;
  const version = parseVersion(versionText);
  if (!version) throw new InputError(`cannot read the database version "${versionText}" (expected e.g. 8.0, 10.11 or 16)`);
  const problem = checkVersion(dialect, version);
  if (problem) throw new InputError(problem);
  return { dialect, version };
}

export function exitCodeFor(findings: Finding[], problems: FileProblem[], failOn: Severity): number {
  if (problems.length) return 2;
  const failing = findings.some((f) => f.severity === 'error' || (failOn === 'warning' && f.severity === 'warning'));
  return failing ? 1 : 0;
}

export function problemLines(problems: FileProblem[]): string[] {
  return problems.map((p) => `zdd: ${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
}

/** zdd lint [paths…] */
export async function runLint(paths: string[], flags: LintFlags, cwd: string): Promise<CommandResult> {
  const releaseMode = releaseModeOf(flags);
  if (releaseMode) return runReleaseLint(paths, flags, cwd, releaseMode);
  const config = loadProjectConfig(flags.config, cwd, paths[0]);
  const target = resolveTarget(flags, config);
  const format = flags.format ?? 'pretty';
  const failOn = flags.failOn ?? config.failOn ?? 'error';
  const stderr: string[] = [];
  const verbose = flags.verbose ? (m: string) => stderr.push(`zdd: ${m}`) : undefined;

  let inputs = paths;
  if (!inputs.length && config.paths?.migrations && config.file) inputs = config.paths.migrations.map((p) => resolve(dirname(config.file!), p));
  if (!inputs.length) inputs = CONVENTIONAL_DIRS.filter((d) => existsSync(resolve(cwd, d)));
  if (!inputs.length) throw new InputError(`no migrations to lint: pass files or directories, or set "paths.migrations" in zdd.config.json (looked for ${CONVENTIONAL_DIRS.join(', ')})`);

  const { files, problems } = collectFiles(inputs, cwd, MIGRATION_EXTENSIONS);
  if (!files.length && !problems.length) throw new InputError(`no migration files found in ${inputs.join(', ')}`);
  await prepareReaders(target.dialect);

  const migrations: Migration[] = [];
  for (const file of files) {
    const read = readTextFile(file);
    if ('problem' in read) {
      problems.push(read.problem);
      continue;
    }
    const r = readMigration(file.path, read.text, { dialect: target.dialect, config, ...(verbose ? { verbose } : {}) });
    if ('problem' in r) problems.push(r.problem);
    else if ('skipped' in r) verbose?.(`${file.path}: skipped (${r.skipped})`);
    else migrations.push(r.migration);
  }

  const rules = RULES.filter((r): r is MigrationRule => r.scope === 'migration');
  const findings = lintMigrations(migrations, { target, rules, config });
  const report: Report = {
    command: 'lint',
    dialect: target.dialect,
    findings,
    problems,
    summary: {
      files: files.length,
      migrations: migrations.length,
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
    },
  };
  verbose?.(`${target.dialect} ${formatVersion(target.version)}; ${files.length} files, ${migrations.length} migrations`);
  stderr.push(...problemLines(problems));
  return { stdout: formatReport(format, report, RULES, VERSION), stderr, exitCode: exitCodeFor(findings, problems, failOn) };
}
