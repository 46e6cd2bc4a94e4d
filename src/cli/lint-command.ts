import { dirname, join, resolve } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { RULES } from '../../rules/index.js';
import { checkVersion, formatVersion, parseVersion, SUPPORTED, type Target } from '../dialects/index.js';
import { detectDoctrineTarget, doctrineAppMigrationDirs, findProjectRoot, type DoctrineTarget } from '../discover/doctrine-config.js';
import { collectFiles, CONVENTIONAL_DIRS, displayPath, earlierMigrationFiles, readTextFile, type InputFile } from '../discover/files.js';
import { LaravelAppConfig, migrationsTable } from '../discover/laravel-app-config.js';
import { DISK_FS, type ConfigFs } from '../discover/config-fs.js';
import { detectLaravelTarget, findLaravelRoot, findSchemaDumpIn, migrationName, migrationsInDump } from '../discover/laravel-config.js';
import { readSqlText } from '../readers/sql/read.js';
import { SchemaState } from '../schema/replay.js';
import { DIALECTS, type Dialect, type Migration, type Operation } from '../ir/types.js';
import { findConfig, loadConfig, type ZddConfig } from '../lint/config.js';
import { lintMigrations } from '../lint/run.js';
import type { Finding, MigrationRule, Severity } from '../lint/types.js';
import { MIGRATION_EXTENSIONS, needsSqlParser, orderMigrations, prepareReaders, readMigration, type ReadContext } from '../readers/index.js';
import { formatReport, type Format, type Report } from '../report/index.js';
import { InputError, type FileProblem } from '../util/errors.js';
import { VERSION } from './meta.js';
import { replayHistory } from './history.js';
import { releaseModeOf } from './release-mode.js';

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
  /** Release mode: false (`--no-cache`) keeps the code index from reading or writing its cache (src/code/cache.ts). */
  cache?: boolean;
  /** Release mode: where the code index keeps its cache (default: $ZDD_CACHE_DIR, $XDG_CACHE_HOME/zdd, ~/.cache/zdd). */
  cacheDir?: string;
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

/**
 * An app root stands for its migrations folder: `zdd lint .` in a Laravel app lints
 * database/migrations, in a Symfony app the doctrine_migrations paths (else migrations/,
 * src/Migrations). Other paths stay as given.
 */
export function appMigrationInputs(paths: readonly string[], cwd: string, project: Pick<Project, 'doctrine' | 'doctrineRoot'>, verbose?: (m: string) => void): string[] {
  return paths.flatMap((p) => {
    const abs = resolve(cwd, p);
    if (!existsSync(abs) || !statSync(abs).isDirectory()) return [p];
    const inApp = join(abs, 'database', 'migrations');
    if (findLaravelRoot(abs) === abs) return existsSync(inApp) ? [inApp] : [p];
    // the Doctrine config detectProject read, when it read this very root
    const doctrine = doctrineAppMigrationDirs(abs, project.doctrineRoot === abs ? project.doctrine : undefined);
    if (doctrine) verbose?.(`${p}: a Symfony app's root; reading ${doctrine.map((d) => displayPath(d, cwd)).join(', ')}`);
    return doctrine ?? [p];
  });
}

export function resolveTarget(flags: Pick<LintFlags, 'dialect' | 'dbVersion'>, config: ZddConfig, detected?: { dialect?: Dialect; version?: string }): Target {
  const name = flags.dialect ?? config.dialect ?? detected?.dialect;
  if (!name) {
    throw new InputError('cannot tell which database the migrations run on: pass --dialect mysql|mariadb|postgres, set "dialect" in zdd.config.json, or name the database in the app\'s .env (DB_CONNECTION for Laravel, DATABASE_URL for Symfony)');
  }
  if (!DIALECTS.includes(name as Dialect)) throw new InputError(`unknown dialect "${name}" (expected ${DIALECTS.join(', ')})`);
  const dialect = name as Dialect;
  // the app's detected version belongs to the app's detected database: not to a dialect asked for instead
  const detectedVersion = detected?.version && (!detected.dialect || detected.dialect === dialect || (detected.dialect === 'mysql' && dialect === 'mariadb' && /^1\d\./.test(detected.version))) ? detected.version : undefined;
  const configVersion = config.dbVersion && (!config.dialect || config.dialect === dialect) ? config.dbVersion : undefined;
  const versionText = flags.dbVersion ?? configVersion ?? detectedVersion ?? SUPPORTED[dialect].default;
  const version = parseVersion(versionText);
  if (!version) throw new InputError(`cannot read the database version "${versionText}" (expected e.g. 8.0, 10.11 or 16)`);
  const problem = checkVersion(dialect, version);
  if (problem) throw new InputError(problem);
  return { dialect, version };
}

export interface Project {
  detected?: { dialect?: Dialect; version?: string };
  /** A Laravel schema dump (`php artisan schema:dump`) to start the replay from. */
  schemaDump?: string;
  /** A Symfony/Doctrine app's config (dialect, version, migrations paths). */
  doctrine?: DoctrineTarget;
  /** The Symfony project root `doctrine` was read from. */
  doctrineRoot?: string;
  /** A Laravel app's config/*.php, for migrations that take table names from `config()`. */
  appConfig?: LaravelAppConfig;
}

/**
 * What the app's own files say, for what flags and zdd.config.json leave open: a Laravel app's
 * DB_CONNECTION (.env, .env.example, config/database.php) and schema dump, or a Symfony app's
 * Doctrine config (DATABASE_URL, server_version, migrations_paths). `fs`: where those files are
 * read — the disk, or in release mode a new release read from git (src/discover/config-fs.ts).
 */
export function detectProject(start: string, flags: Pick<LintFlags, 'dialect' | 'dbVersion'>, config: ZddConfig, cwd: string, stderr: string[], fs: ConfigFs = DISK_FS): Project {
  const root = findLaravelRoot(fs.isDir(start) ? start : dirname(start), fs);
  if (!root) {
    const doctrineRoot = findProjectRoot(resolve(cwd, start), fs);
    const doctrine = doctrineRoot ? detectDoctrineTarget(doctrineRoot, fs) : undefined;
    if (doctrine?.unsupported && !(flags.dialect ?? config.dialect)) {
      throw new InputError(`this app's database is ${doctrine.unsupported} (${doctrine.source}); zdd knows mysql, mariadb and postgres: pass --dialect for the server you deploy to`);
    }
    const detected = usableDetection(flags, config, doctrine, stderr);
    return { ...(detected ? { detected } : {}), ...(doctrine && doctrineRoot ? { doctrine, doctrineRoot } : {}) };
  }
  const laravel = detectLaravelTarget(root, fs);
  const explicit = flags.dialect ?? config.dialect;
  if (laravel?.unsupported && !explicit) {
    throw new InputError(`this app's database is ${laravel.unsupported} (${laravel.source}); zdd knows mysql, mariadb and postgres: pass --dialect for the server you deploy to`);
  }
  const project: Project = { appConfig: LaravelAppConfig.fromRoot(root, fs) };
  if (laravel?.dialect) project.detected = { dialect: laravel.dialect };
  // the app's connection, else the one --dialect (or zdd.config.json) stands for: an app whose default is
  // sqlite (for its tests) and that deploys to MySQL keeps mysql-schema.sql
  const asked = explicit === 'postgres' ? 'pgsql' : explicit;
  const dump = findSchemaDumpIn(fs, root, laravel?.connection ?? asked, [asked]);
  if (dump) project.schemaDump = dump;
  return project;
}

/** What the readers need to read one migration of this project. */
export function readContext(target: Target, config: ZddConfig, appConfig?: LaravelAppConfig, verbose?: (m: string) => void): ReadContext {
  return { dialect: target.dialect, config, ...(verbose ? { verbose } : {}), ...(appConfig ? { appConfig: (k: string) => appConfig.get(k) } : {}) };
}

/** --verbose: the app's config files that did not parse (their config() values count as unknown). */
export function reportUnparsedConfig(appConfig: LaravelAppConfig | undefined, verbose?: (m: string) => void): void {
  if (verbose) for (const [file, why] of appConfig?.unparsed ?? []) verbose(`${file}: PHP syntax error: ${why}; the config() values it holds are unknown`);
}

/**
 * The schema a lint starts from: the schema dump's, if any; when an earlier migration could not be
 * read the replay is short of what it did, so no table's columns count as known for certain.
 */
export function startingSchema(dump: SchemaState | undefined, gap: boolean): SchemaState | undefined {
  const schema = dump ?? (gap ? new SchemaState() : undefined);
  if (schema && gap) schema.unsureAll = true;
  return schema;
}

/**
 * The earlier migrations a change given file by file needs replayed (`replayHistory`: those naming
 * its tables, unless it touches a table zdd cannot name). Files that cannot be read go to `problems`.
 */
async function readHistory(earlier: InputFile[], change: Migration[], target: Target, config: ZddConfig, problems: FileProblem[], appConfig: LaravelAppConfig | undefined, verbose?: (m: string) => void): Promise<Migration[]> {
  const texts = new Map<string, string>();
  for (const file of earlier) {
    const read = readTextFile(file);
    if ('problem' in read) problems.push(read.problem);
    else texts.set(file.path, read.text);
  }
  if ([...texts].some(([path, text]) => needsSqlParser(path, text))) await prepareReaders(target.dialect);
  const read = new Map<string, Migration | undefined>();
  const changeOps = change.flatMap((m) => m.ops.filter((op) => !op.dialects || op.dialects.includes(target.dialect)));
  const replayed = replayHistory(changeOps, [...texts.keys()], (f) => texts.get(f)!, (f) => {
    if (!read.has(f)) {
      const r = readMigration(f, texts.get(f)!, readContext(target, config, appConfig));
      if ('problem' in r) problems.push(r.problem);
      read.set(f, 'migration' in r ? r.migration : undefined);
    }
    return read.get(f);
  });
  verbose?.(`replayed ${replayed.read} of ${texts.size} earlier migrations of the same folders for the schema${replayed.names ? `: those naming ${replayed.names.size ? [...replayed.names].join(', ') : 'no table'} (or a table at run time)` : ''}`);
  // in the folders' order (a renamed table's earlier migrations are read in a later round)
  return [...texts.keys()].map((f) => read.get(f)).filter((m): m is Migration => !!m);
}

/**
 * Reads migration files into Migrations, in the order given; unreadable files become problems. The
 * SQL parser (for PostgreSQL a WebAssembly module) loads only when some input has SQL to parse.
 */
export interface ReadFilesOptions {
  verbose?: (m: string) => void;
  /** A schema dump the replay starts from (its SQL needs the parser). */
  schemaDump?: string;
  /** Collects each file's text. */
  keep?: Map<string, string>;
  appConfig?: LaravelAppConfig;
}

export async function readMigrationFiles(files: InputFile[], target: Target, config: ZddConfig, problems: FileProblem[], opts: ReadFilesOptions = {}): Promise<Migration[]> {
  const { verbose, schemaDump, keep, appConfig } = opts;
  const texts: Array<{ path: string; text: string }> = [];
  for (const file of files) {
    const read = readTextFile(file);
    if ('problem' in read) problems.push(read.problem);
    else {
      texts.push({ path: file.path, text: read.text });
      keep?.set(file.path, read.text);
    }
  }
  if (schemaDump || texts.some((t) => needsSqlParser(t.path, t.text))) await prepareReaders(target.dialect);
  const migrations: Migration[] = [];
  for (const { path, text } of texts) {
    const r = readMigration(path, text, readContext(target, config, appConfig, verbose));
    if ('problem' in r) problems.push(r.problem);
    else if ('skipped' in r) verbose?.(`${path}: skipped (${r.skipped})`);
    else migrations.push(r.migration);
  }
  if (verbose) for (const m of migrations) for (const note of m.notes ?? []) verbose(`${m.file}: ${note}`);
  reportUnparsedConfig(appConfig, verbose);
  return migrations;
}

/** A Laravel schema dump, read: its ops (for a schema replay only) and the migrations it records as run. */
export interface SchemaDump {
  ops: Operation[];
  /** Names of the migrations its migrations table lists (`migrationsInDump`): Laravel does not run them again, zdd does not replay them. */
  ran: ReadonlySet<string>;
}

/** Reads and parses the project's schema dump (`schema:dump`) on disk: undefined when there is none, or with a problem. */
export function readSchemaDump(project: Project, target: Target, cwd: string, problems: FileProblem[], verbose?: (m: string) => void): SchemaDump | undefined {
  if (!project.schemaDump) return undefined;
  const file = { abs: project.schemaDump, path: displayPath(project.schemaDump, cwd) };
  const read = readTextFile(file);
  if ('problem' in read) {
    problems.push(read.problem);
    return undefined;
  }
  return schemaDumpText(read.text, file.path, target, migrationsTable(project.appConfig), verbose);
}

/** A schema dump's text, parsed; `table` is the app's migrations table. */
export function schemaDumpText(text: string, label: string, target: Target, table: string, verbose?: (m: string) => void): SchemaDump {
  const ops = readSqlText(text, { file: label, dialect: target.dialect, schemaOnly: true }).ops;
  const ran = migrationsInDump(text, table, target.dialect);
  verbose?.(`schema dump ${label}: ${ops.filter((op) => op.kind === 'create-table').length} tables${ran.size ? `, ${ran.size} migrations recorded as run` : ''}`);
  return { ops, ran };
}

/**
 * The dump to start a change's replay from: none when it records one of the change's own
 * migrations as run — it was taken after the change, its schema holds what the change does (the
 * earlier migrations are then replayed from an empty schema instead).
 */
export function dumpBefore(dump: SchemaDump | undefined, change: Iterable<string>, verbose?: (m: string) => void): SchemaDump | undefined {
  if (!dump) return undefined;
  const listed = [...change].filter((f) => dump.ran.has(migrationName(f)));
  if (!listed.length) return dump;
  verbose?.(`the schema dump records ${listed.length === 1 ? `${migrationName(listed[0]!)}, a migration of the change,` : `${listed.length} migrations of the change (${migrationName(listed[0]!)} …)`} as run: taken after the change, it is not used; the earlier migrations are replayed instead`);
  return undefined;
}

/** The files of `history` a schema dump does not record as run (all of them without a dump); --verbose says how many it left out. */
export function notInDump<T>(history: readonly T[], dump: SchemaDump | undefined, file: (f: T) => string, verbose?: (m: string) => void): T[] {
  if (!dump?.ran.size) return [...history];
  const out = history.filter((f) => !dump.ran.has(migrationName(file(f))));
  if (out.length < history.length) verbose?.(`${history.length - out.length} earlier migrations are in the schema dump (its migrations table lists them): not replayed`);
  return out;
}

/** A fresh starting schema from a dump's ops: its tables count as existing. */
export function schemaFromDump(ops: readonly Operation[]): SchemaState {
  const schema = new SchemaState();
  for (const op of ops) schema.apply(op, undefined);
  return schema;
}

/** The Doctrine config of the project around `start` (the first path, or the working directory). */
/**
 * What the Doctrine config may decide: the dialect when neither --dialect nor the config gives one,
 * and its version only for that same dialect. A detected version zdd has no facts for is not an
 * input error (the user did not type it): zdd says so and uses its default for the dialect.
 */
function usableDetection(flags: Pick<LintFlags, 'dialect' | 'dbVersion'>, config: ZddConfig, d: DoctrineTarget | undefined, stderr: string[]): { dialect?: Dialect; version?: string } | undefined {
  if (!d?.dialect) return undefined;
  const dialect = (flags.dialect ?? config.dialect ?? d.dialect) as Dialect;
  if (dialect !== d.dialect || !d.version) return { dialect: d.dialect };
  const v = parseVersion(d.version);
  const problem = v ? checkVersion(dialect, v) : 'unreadable version';
  if (problem && !(flags.dbVersion ?? config.dbVersion)) {
    stderr.push(`zdd: ${d.source} gives ${dialect} ${d.version}, which is outside what zdd knows (${SUPPORTED[dialect].label}); linting as ${dialect} ${SUPPORTED[dialect].default}`);
    return { dialect: d.dialect };
  }
  return { dialect: d.dialect, version: d.version };
}

export function exitCodeFor(findings: Finding[], problems: FileProblem[], failOn: Severity): number {
  if (problems.length) return 2;
  const failing = findings.some((f) => f.severity === 'error' || (failOn === 'warning' && f.severity === 'warning'));
  return failing ? 1 : 0;
}

export function problemLines(problems: FileProblem[]): string[] {
  return problems.map((p) => `zdd: ${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
}

/**
 * The given paths that do not exist, as problems. Checked before anything else: a typo in a path is
 * the error to report, not the dialect zdd cannot tell without the files.
 */
export function missingPaths(paths: readonly string[], cwd: string): FileProblem[] {
  return paths.filter((p) => !existsSync(resolve(cwd, p))).map((p) => ({ file: p, message: 'no such file or directory' }));
}

/**
 * Why `files` (all read, none a problem) held no migration: a CI step linting the wrong folder must
 * fail, not pass on nothing. Only PHP files can be skipped (a .sql file is always a migration): those
 * with no Laravel or Doctrine migration class, as the readers tell; among real migrations such files
 * are left out quietly (--verbose names them).
 */
export function noMigrationsMessage(inputs: readonly string[], files: readonly InputFile[], cwd: string): string {
  const why = 'no class with up() extending Migration or AbstractMigration';
  if (files.length === 1 && inputs.length === 1 && resolve(cwd, inputs[0]!) === files[0]!.abs) return `${files[0]!.path}: not a Laravel or Doctrine migration (${why})`;
  return `no migrations in ${inputs.map((p) => displayPath(resolve(cwd, p), cwd)).join(', ')}: ${files.length === 1 ? 'its one PHP file is not' : `none of its ${files.length} PHP files is`} a Laravel or Doctrine migration (${why}); pass the migrations folder`;
}

/**
 * The conventional migration folders (`CONVENTIONAL_DIRS`) of the nearest directory that has any,
 * from `cwd` upward as zdd.config.json is found: `cd app && zdd lint` lints the app's
 * database/migrations. The search stops at the git root (a directory with `.git`) or the
 * filesystem root; `searched` lists the directories looked in, `root` the one they were found in (else the last).
 */
export function findConventionalDirs(cwd: string): { dirs: string[]; root: string; searched: string[] } {
  const searched: string[] = [];
  let dir = resolve(cwd);
  for (;;) {
    searched.push(dir);
    const dirs = CONVENTIONAL_DIRS.map((d) => join(dir, d)).filter((d) => DISK_FS.isDir(d));
    if (dirs.length) return { dirs, root: dir, searched };
    const parent = dirname(dir);
    if (existsSync(join(dir, '.git')) || parent === dir) return { dirs: [], root: dir, searched };
    dir = parent;
  }
}

/** zdd lint [paths…] */
export async function runLint(paths: string[], flags: LintFlags, cwd: string): Promise<CommandResult> {
  const releaseMode = releaseModeOf(flags);
  // git, both releases and the code index load only in release mode
  if (releaseMode) return (await import('./release-lint.js')).runReleaseLint(paths, flags, cwd, releaseMode);
  // path errors first; when some paths exist, they are linted and the missing ones are problems (exit 2)
  const missing = missingPaths(paths, cwd);
  if (paths.length && missing.length === paths.length) return { stdout: '', stderr: problemLines(missing), exitCode: 2 };
  try {
    return await lintPaths(paths, flags, cwd);
  } catch (e) {
    // what zdd could not tell (the dialect …) may come from a path typed wrong: that comes first
    if (e instanceof InputError && missing.length) return { stdout: '', stderr: problemLines(missing), exitCode: 2 };
    throw e;
  }
}

async function lintPaths(paths: string[], flags: LintFlags, cwd: string): Promise<CommandResult> {
  const config = loadProjectConfig(flags.config, cwd, paths[0]);
  const stderr: string[] = [];
  const verbose = flags.verbose ? (m: string) => stderr.push(`zdd: ${m}`) : undefined;
  const project = detectProject(paths[0] ? resolve(cwd, paths[0]) : cwd, flags, config, cwd, stderr);

  let inputs = paths;
  if (!inputs.length && config.paths?.migrations && config.file) inputs = config.paths.migrations.map((p) => resolve(dirname(config.file!), p));
  if (!inputs.length && project.doctrine?.migrationPaths) inputs = project.doctrine.migrationPaths.filter((p) => existsSync(p)).map((p) => displayPath(p, cwd));
  if (!inputs.length) {
    const found = findConventionalDirs(cwd);
    if (!found.dirs.length) throw new InputError(`no migrations to lint: pass files or directories, or set "paths.migrations" in zdd.config.json (looked for ${CONVENTIONAL_DIRS.join(', ')} in ${found.searched[0]}${found.searched.length > 1 ? ` and up to ${found.searched.at(-1)}` : ''})`);
    if (found.root !== resolve(cwd)) verbose?.(`migrations found in ${found.root}: ${found.dirs.map((d) => displayPath(d, found.root)).join(', ')}`);
    inputs = found.dirs.map((d) => displayPath(d, cwd));
  }

  inputs = appMigrationInputs(inputs, cwd, project, verbose);
  // the files before the target: an empty folder or a missing path is the error, whatever the dialect
  const { files, problems } = collectFiles(inputs, cwd, MIGRATION_EXTENSIONS);
  if (!files.length && problems.length) return { stdout: '', stderr: [...stderr, ...problemLines(problems)], exitCode: 2 };
  if (!files.length) throw new InputError(`no migration files found in ${inputs.map((p) => displayPath(resolve(cwd, p), cwd)).join(', ')}`);
  const target = resolveTarget(flags, config, project.detected);
  if (project.doctrine?.dialect && !(flags.dialect ?? config.dialect)) verbose?.(`dialect ${project.doctrine.dialect} from ${project.doctrine.source}`);
  const format = flags.format ?? 'pretty';
  const failOn = flags.failOn ?? config.failOn ?? 'error';
  const migrations = await readMigrationFiles(files, target, config, problems, { ...(verbose ? { verbose } : {}), ...(project.schemaDump ? { schemaDump: project.schemaDump } : {}), ...(project.appConfig ? { appConfig: project.appConfig } : {}) });
  if (!migrations.length && !problems.length) throw new InputError(noMigrationsMessage(inputs, files, cwd));

  // Files given one by one (a lint-staged hook) are linted after the earlier migrations of their
  // folders, replayed for the schema, as zdd-plan does: a column's type and default before the change
  // are then known. Only the given files are linted; an earlier file that cannot be read is not their problem.
  const givenFiles = inputs.some((p) => existsSync(resolve(cwd, p)) && statSync(resolve(cwd, p)).isFile());
  const historyProblems: FileProblem[] = [];
  const dump = dumpBefore(readSchemaDump(project, target, cwd, problems, verbose), files.map((f) => f.path), verbose);
  // what the dump records as run, Laravel does not run again on a database loaded from it
  const history = givenFiles ? await readHistory(notInDump(earlierMigrationFiles(files, inputs, cwd, MIGRATION_EXTENSIONS), dump, (f) => f.path, verbose), migrations, target, config, historyProblems, project.appConfig, verbose) : [];
  for (const p of historyProblems) verbose?.(`${p.file}: not replayed (${p.message})`);

  const rules = RULES.filter((r): r is MigrationRule => r.scope === 'migration');
  const schema = startingSchema(dump ? schemaFromDump(dump.ops) : undefined, problems.length > 0 || historyProblems.length > 0);
  const changed = new Set(migrations.map((m) => m.id));
  const findings = lintMigrations(orderMigrations([...history, ...migrations]), { target, rules, config, ...(history.length ? { changed } : {}), ...(schema ? { schema } : {}) });
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
