import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { CodeReference, ReferenceTarget } from '../code/index.js';
import { findReferencesInBoth } from '../code/parallel.js';
import { defaultCacheDir, IndexCache } from '../code/cache.js';
import { formatVersion } from '../dialects/index.js';
import { CONVENTIONAL_DIRS, decodeText, MAX_FILE_BYTES } from '../discover/files.js';
import { GitError } from '../discover/git.js';
import { DISK_FS, type ConfigFs } from '../discover/config-fs.js';
import { DOCTRINE_CONFIG_FILES } from '../discover/doctrine-config.js';
import { LaravelAppConfig, migrationsTable } from '../discover/laravel-app-config.js';
import { LARAVEL_CONFIG_FILES } from '../discover/laravel-config.js';
import { replayHistory } from './history.js';
import { baseReleases, DirectoryRelease, fromToReleases, stagedReleases, type Release, type ReleasePair } from '../discover/release.js';
import type { Migration, Operation } from '../ir/types.js';
import type { Target } from '../dialects/index.js';
import type { ZddConfig } from '../lint/config.js';
import type { Dependent } from '../lint/types.js';
import { MIGRATION_EXTENSIONS, needsSqlParser, orderMigrations, prepareReaders, readMigration } from '../readers/index.js';
import { SchemaState } from '../schema/replay.js';
import { InputError, type FileProblem } from '../util/errors.js';
import { naturalCompare } from '../util/text.js';
import { detectProject, dumpBefore, loadProjectConfig, notInDump, readContext, readSchemaDump, reportUnparsedConfig, resolveTarget, schemaDumpText, schemaFromDump, startingSchema, type Project, type SchemaDump } from './lint-command.js';
import type { ReleaseFlags, ReleaseMode } from './release-mode.js';
import { BUILD_ID, PACKAGE_ROOT } from './meta.js';

/**
 * Release mode (--base, --staged, --from/--to), shared by `zdd lint` and `zdd-plan`: the two
 * releases, the migrations of the new one (which of them are new in this deploy), and the lines of
 * the old and new releases' code that use what the change drops, renames or retypes.
 */

async function openPair(mode: ReleaseMode, cwd: string): Promise<ReleasePair> {
  try {
    if (mode.kind === 'base') return await baseReleases(cwd, mode.ref);
    if (mode.kind === 'staged') return await stagedReleases(cwd);
    return await fromToReleases(cwd, mode.from, mode.to);
  } catch (e) {
    if (e instanceof GitError) throw new InputError(`git: ${e.message.split('\n')[0]}`);
    throw e;
  }
}

const posix = (p: string): string => p.split(sep).join('/');

/** A path the user gave (relative to cwd, or for a release directory, to that directory) → release-relative. */
function releasePath(p: string, base: string, root: string, what: string): string {
  const abs = isAbsolute(p) ? p : resolve(base, p);
  const rel = relative(root, abs);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new InputError(`${what} ${p} is outside the release (${root})`);
  return posix(rel).replace(/\/+$/, '');
}

/** A Laravel app root given as a path stands for its database/migrations (as in path mode): `zdd lint --base main .` */
function appMigrations(dir: string, files: readonly string[]): string {
  const prefix = dir ? `${dir}/` : '';
  const isApp = files.includes(`${prefix}artisan`) || files.includes(`${prefix}config/database.php`);
  return isApp && files.some((f) => f.startsWith(`${prefix}database/migrations/`)) ? `${prefix}database/migrations` : dir;
}

/** Ops whose dependents the rules ask for: what a destructive change touches. */
export function targetsOf(ops: readonly Operation[], opts: { truncate?: boolean } = {}): ReferenceTarget[] {
  const out = new Map<string, ReferenceTarget>();
  const add = (table: string, column?: string): void => {
    if (table) out.set(`${table}\0${column ?? ''}`, column ? { table, column } : { table });
  };
  for (const op of ops) {
    if (op.kind === 'drop-column' || op.kind === 'rename-column') add(op.table, op.column);
    else if (op.kind === 'alter-column' && op.type) add(op.table, op.column);
    else if (op.kind === 'drop-table' || op.kind === 'rename-table' || (opts.truncate && op.kind === 'truncate')) add(op.table);
  }
  return [...out.values()];
}

const CONFIDENCE_RANK = { high: 0, medium: 1, low: 2 } as const;

/** Dependents in the order a reader needs them: production and sure first, the new release before the old, other migrations last. */
function toDependents(refs: CodeReference[], isMigration: (file: string) => boolean): Dependent[] {
  return refs
    .slice()
    .sort(
      (a, b) =>
        Number(b.production) - Number(a.production) ||
        Number(isMigration(a.file)) - Number(isMigration(b.file)) ||
        CONFIDENCE_RANK[a.confidence] - CONFIDENCE_RANK[b.confidence] ||
        (a.release === b.release ? 0 : a.release === 'new' ? -1 : 1) ||
        (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line),
    )
    .map((r) => ({ release: r.release, file: r.file, line: r.line, text: r.text, confidence: r.confidence, production: r.production, kind: r.kind, ...(isMigration(r.file) ? { migration: true } : {}) }));
}


/** What release mode knows about a deploy: both releases, the new release's migrations, and the code that depends on the change. */
export interface ReleaseChange {
  pair: ReleasePair;
  /** The directory release paths are relative to: the --to directory, else the git work tree. */
  root: string;
  /** Where the user's paths are relative to. */
  pathBase: string;
  config: ZddConfig;
  project: Project;
  /** The new release's files as the app-config readers see them (the disk, or a commit or the index read from git). */
  configFs: ConfigFs;
  target: Target;
  /** The migration folders, release-relative. */
  dirs: string[];
  /** Every readable migration of the new release, in file order (not yet ordered as the framework runs them). */
  migrations: Migration[];
  /** Ids of the migrations new or changed in this deploy. */
  changedIds: Set<string>;
  /** Of those, the ones the running release already has (edited after they ran; --base, --staged): their tables are not new. */
  deployedIds: Set<string>;
  /** A fresh schema from the app's schema dump, when it has one (the state before every migration). */
  startSchema: () => SchemaState | undefined;
  /** Release-relative paths of the migration files new or changed in this deploy. */
  changedFiles: Set<string>;
  /** The text of every migration file read, by release-relative path. */
  texts: Map<string, string>;
  problems: FileProblem[];
  stderr: string[];
  verbose?: (m: string) => void;
  /** Code of both releases that references a table (or one of its columns), ordered for a reader. */
  dependents: (table: string, column?: string) => Dependent[];
}

export interface ReleaseChangeOptions {
  /** The tables and columns whose dependents are wanted, from the changed migrations' ops (default: targetsOf). */
  targets?: (ops: readonly Operation[]) => ReferenceTarget[];
  /** Migration files that are neither part of the change nor of the history (zdd-plan: a later release's files). */
  skip?: (file: string) => boolean;
  /** Every unreadable migration is a problem, not only those of the change (zdd-plan: the history must be whole). */
  strictHistory?: boolean;
}

/**
 * Release-relative directories the conventional migration folders are looked for in: from the app
 * directory `start` up to the release root (a repository holding the app in `backend/`, run from
 * there or below), nearest first. Just the root when `start` is outside it.
 */
function conventionalPrefixes(root: string, start: string): string[] {
  const rel = relative(root, start);
  if (rel.startsWith('..') || isAbsolute(rel)) return [''];
  const parts = rel ? posix(rel).split('/') : [];
  const out: string[] = [];
  for (let n = parts.length; n >= 0; n--) out.push(parts.slice(0, n).join('/'));
  return out;
}

/** The conventional migration folders of the nearest of `prefixes` that has any in the release. */
function conventionalDirs(files: readonly string[], prefixes: readonly string[]): string[] {
  for (const p of prefixes) {
    const found = CONVENTIONAL_DIRS.map((d) => (p ? `${p}/${d}` : d)).filter((d) => files.some((f) => f.startsWith(`${d}/`)));
    if (found.length) return found;
  }
  return [];
}

export async function loadReleaseChange(paths: string[], flags: ReleaseFlags, cwd: string, mode: ReleaseMode, options: ReleaseChangeOptions = {}): Promise<ReleaseChange> {
  const pair = await openPair(mode, cwd);
  // The release root paths are relative to: the repository for git modes, the --to directory when it is one.
  const root = pair.newRoot ?? pair.repo;
  if (!root) throw new InputError('--to must be a directory, or a git ref inside a git repository');
  const pathBase = mode.kind === 'from-to' && pair.newRoot ? pair.newRoot : cwd;

  const config = loadProjectConfig(flags.config, cwd, paths[0] ? resolve(pathBase, paths[0]) : mode.kind === 'from-to' && pair.newRoot ? pair.newRoot : undefined);
  const stderr: string[] = [];
  const verbose = flags.verbose ? (m: string) => stderr.push(`zdd: ${m}`) : undefined;
  // the app's own settings (Laravel .env / config/database.php and schema dump, Symfony's Doctrine
  // config) come from the new release: on disk (the work tree, a --to directory), or read from git
  // (a --to commit; for --staged the index, with the work tree's untracked files such as .env)
  // (without paths: the app the working directory is in — in a git mode the repository may hold the
  // app in a subfolder, `backend/` — or the --to directory)
  const start = paths[0] ? resolve(pathBase, paths[0]) : mode.kind === 'from-to' && pair.newRoot ? pair.newRoot : cwd;
  const fs = pair.configFs ? await pair.configFs(appConfigFiles(root, start)) : DISK_FS;
  const project = detectProject(start, flags, config, cwd, stderr, fs);
  const configDir = config.file ? dirname(config.file) : root;

  const newFiles = await pair.new.list();
  // a Symfony app's migrations_paths, as release paths (those the new release has)
  const doctrineDirs = (project.doctrine?.migrationPaths ?? [])
    .flatMap((p) => {
      const rel = relative(root, p);
      return rel.startsWith('..') || isAbsolute(rel) ? [] : [posix(rel)];
    })
    .filter((d) => newFiles.some((f) => f.startsWith(`${d}/`)));
  let dirs: string[];
  if (paths.length)
    dirs = paths.flatMap((p) => {
      const rel = releasePath(p, pathBase, root, 'path');
      const laravel = appMigrations(rel, newFiles);
      // the release root of a Symfony app stands for its migrations_paths, as in path mode
      return laravel === rel && rel === '' && doctrineDirs.length ? doctrineDirs : [laravel];
    });
  else if (config.paths?.migrations?.length) dirs = config.paths.migrations.map((p) => releasePath(p, configDir, root, 'paths.migrations entry'));
  else dirs = [];
  if (!dirs.length) dirs = doctrineDirs;
  const looked = conventionalPrefixes(root, start);
  if (!dirs.length) dirs = conventionalDirs(newFiles, looked);
  if (!dirs.length) {
    const where = looked.length > 1 ? ` in ${looked.map((p) => p || '.').join(', ')}` : '';
    throw new InputError(`no migrations to lint in the new release (${pair.new.label}): pass directories, or set "paths.migrations" in zdd.config.json (looked for ${CONVENTIONAL_DIRS.join(', ')}${where})`);
  }
  // (what zdd cannot tell without the migrations — the dialect — comes after what says there are none)
  const target = resolveTarget(flags, config, project.detected);
  if (project.doctrine?.dialect && !(flags.dialect ?? config.dialect)) verbose?.(`dialect ${project.doctrine.dialect} from ${project.doctrine.source}`);

  const under = (f: string): boolean => dirs.some((d) => f === d || d === '' || f.startsWith(`${d}/`));
  const ext = (f: string): string => f.slice(f.lastIndexOf('.') + 1).toLowerCase();
  const migrationFiles = newFiles
    .filter((f) => under(f) && (dirs.includes(f) || MIGRATION_EXTENSIONS.has(ext(f))) && !options.skip?.(f))
    .sort((a, b) => naturalCompare(a.slice(a.lastIndexOf('/') + 1), b.slice(b.lastIndexOf('/') + 1)) || naturalCompare(a, b));
  const problems: FileProblem[] = [];
  for (const p of paths) {
    const rel = releasePath(p, pathBase, root, 'path');
    if (!newFiles.some((f) => f === rel || f.startsWith(`${rel}/`))) problems.push({ file: p, message: `not in the new release (${pair.new.label})` });
  }
  if (!migrationFiles.length && !problems.length) throw new InputError(`no migration files found in ${dirs.join(', ')} of the new release (${pair.new.label})`);

  // A running release with none of the new one's migration folders is not a release of this app
  // (`--from shared`, `--from .` at the deploy root): every migration would pass as new, and nothing
  // would look at the code that runs while they do.
  if (pair.mode === 'from-to' && pair.old instanceof DirectoryRelease && migrationFiles.length) {
    const oldFiles = await pair.old.list();
    // a path given may be a new migration file, or a folder new in this release: its nearest
    // ancestor the running release has counts (never the release root itself, which any has)
    const hasUnder = (d: string): boolean => oldFiles.some((f) => f.startsWith(`${d}/`));
    const known = (d: string): boolean => {
      for (let p = d; p; p = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '') if (hasUnder(p)) return true;
      return d === '';
    };
    if (!dirs.some(known))
      throw new InputError(
        `--from ${pair.old.label}: not a release of this app: it has nothing in ${dirs.join(', ')}, where the new release has ${migrationFiles.length} migration${migrationFiles.length === 1 ? '' : 's'} (name the running release's directory, e.g. current/; for an app's first migrations, lint the new release without --from)`,
      );
  }

  const { files: changed, existing } = await pair.changed(migrationFiles, dirs);
  verbose?.(`${pair.describe}: ${changed.size} of ${migrationFiles.length} migration files`);

  const texts = new Map<string, string>();
  await pair.new.read(
    migrationFiles,
    (path, data) => {
      const d = decodeText(data, path);
      if ('problem' in d) problems.push(d.problem);
      else texts.set(path, d.text);
    },
    {
      maxBytes: MAX_FILE_BYTES,
      onSkip: (path, reason, size) =>
        problems.push({ file: path, message: reason === 'too-large' ? `too large to be a migration (${((size ?? 0) / 1024 / 1024).toFixed(1)} MB; the limit is ${MAX_FILE_BYTES / 1024 / 1024} MB)` : 'cannot read' }),
    },
  );
  const appConfig = await releaseAppConfig(pair.new, dirs, texts);
  // The SQL parser (for PostgreSQL a WebAssembly module) loads only when some migration has SQL to parse.
  if (project.schemaDump || [...texts].some(([path, text]) => needsSqlParser(path, text))) await prepareReaders(target.dialect);
  // the schema dump (Laravel's schema:dump), read and parsed once; each user gets a fresh schema from it
  // (a changed migration the running release has already ran before any dump of it: not a sign of a later dump)
  const dump = dumpBefore(await releaseSchemaDump(pair, root, project, target, cwd, problems, verbose), [...changed].filter((f) => !existing.has(f)), verbose);
  // an earlier migration that could not be read leaves the replay short of what it did: no table's
  // columns are then known for certain (the unknown-column rule stays quiet)
  let historyGap = false;
  const startSchema = (): SchemaState | undefined => startingSchema(dump ? schemaFromDump(dump.ops) : undefined, historyGap);
  const read = new Map<string, Migration>();
  const readOne = (file: string): void => {
    const text = texts.get(file);
    if (text === undefined) return;
    const r = readMigration(file, text, readContext(target, config, appConfig, verbose));
    if ('problem' in r) {
      // a file that is not new in this deploy is replayed only: an unreadable old one is not this change's problem
      if (changed.has(file) || options.strictHistory) problems.push(r.problem);
      else {
        historyGap = true;
        verbose?.(`${file}: not replayed (${r.problem.message})`);
      }
    } else if ('skipped' in r) verbose?.(`${file}: skipped (${r.skipped})`);
    else read.set(file, r.migration);
  };
  // The change first. The history is parsed whole when the code index needs every table's columns
  // (a destructive change); otherwise only the migrations that name a table the change touches (or
  // name a table at run time) — the pre-commit case, where an app's hundreds of old migrations
  // would otherwise be parsed on every commit for nothing.
  for (const file of migrationFiles) if (changed.has(file)) readOne(file);
  const changeOps = [...read.values()].flatMap((m) => m.ops.filter((op) => !op.dialects || op.dialects.includes(target.dialect)));
  // the migrations a schema dump records as run are in it: Laravel does not run them again
  const history = notInDump(migrationFiles.filter((f) => !changed.has(f) && texts.has(f)), dump, (f) => f, verbose);
  // the code index needs every table that has a targeted column (columnOwners below)
  const changeTargets = (options.targets ?? targetsOf)(changeOps);
  const targetColumns = changeTargets.flatMap((t) => (t.column ? [t.column] : []));
  const replayed = replayHistory(changeOps, history, (f) => texts.get(f)!, (f) => (readOne(f), read.get(f)), { columns: targetColumns });
  if (replayed.names) verbose?.(`read ${replayed.read} of ${history.length} earlier migrations for the schema: those naming ${replayed.names.size ? [...replayed.names].join(', ') : 'no table'}${replayed.columns ? ` or the column${replayed.columns.length === 1 ? '' : 's'} ${replayed.columns.join(', ')}` : ''} (or a table at run time)`);
  else if (replayed.unspelled) verbose?.(`read all ${history.length} earlier migrations for the schema: nearly every migration can create ${replayed.unspelled.join(', ')} (id())`);
  reportUnparsedConfig(appConfig, verbose);
  const migrations: Migration[] = migrationFiles.flatMap((f) => (read.has(f) ? [read.get(f)!] : []));
  const changedIds = new Set(migrations.filter((m) => changed.has(m.file)).map((m) => m.id));
  // A changed migration the running release already has (edited after it ran): the framework will not
  // run it again, and the tables it creates exist — they are not new in this deploy.
  const deployedIds = new Set(migrations.filter((m) => changedIds.has(m.id) && existing.has(m.file)).map((m) => m.id));
  const edited = migrations.filter((m) => deployedIds.has(m.id)).map((m) => m.file);
  if (edited.length) {
    const why = `the running release (${pair.old.label}) has ${edited.length === 1 ? 'this migration' : 'these migrations'} already — the framework will not run ${edited.length === 1 ? 'it' : 'them'} again, so the change never reaches the database; put it in a new migration`;
    // one line per file for a few, one line for many (apps that reformat old migrations)
    const notes = edited.length <= 3 ? edited.map((f) => `${f}: changed, but ${why}`) : [`${edited.length} migrations changed (${edited.slice(0, 3).join(', ')} …), but ${why}`];
    for (const note of notes) {
      if (pair.mode === 'base') stderr.push(`zdd: ${note}`);
      else verbose?.(note);
    }
  }
  const linted = migrations.filter((m) => changedIds.has(m.id));

  // Code that depends on what the change drops, renames or retypes, in both releases.
  const targets = (options.targets ?? targetsOf)(linted.flatMap((m) => m.ops.filter((op) => !op.dialects || op.dialects.includes(target.dialect))));
  let refs: CodeReference[] = [];
  if (targets.length) {
    const owners = columnOwners(orderMigrations(migrations.filter((m) => !changedIds.has(m.id) || deployedIds.has(m.id))), target.dialect, startSchema());
    const same = await pair.sameContent?.();
    // what the index learnt of each file in earlier runs (src/code/cache.ts); one cache per project
    const cacheDir = indexCacheDir(flags, cwd);
    const cache = cacheDir ? IndexCache.open(cacheDir, cacheProject(pair, root), BUILD_ID, verbose) : undefined;
    const r = await findReferencesInBoth(pair.old, pair.new, targets, {
      ...(same ? { same } : {}),
      ...(cache ? { cache } : {}),
      dialect: target.dialect,
      exclude: changed,
      nonProductionDirs: dirs,
      owners,
      packageRoot: PACKAGE_ROOT,
      ...(config.paths?.code ? { roots: config.paths.code.map((p) => releasePath(p, configDir, root, 'paths.code entry')) } : {}),
      ...(config.paths?.ignore ? { ignore: config.paths.ignore } : {}),
      ...(verbose ? { verbose } : {}),
    });
    refs = r.references;
    cache?.save(verbose);
    // a file the index cannot parse may hold the only use of a column: always said (not an input
    // error: the lint goes on, the findings just cannot count on that file's references)
    r.stats.forEach((s, i) => {
      const side = i === 0 ? pair.old.label : pair.new.label;
      for (const u of s.unparsable) stderr.push(`zdd: ${u.file}:${u.line}: cannot parse this file of the ${i === 0 ? 'old' : 'new'} release (${side}): its uses of the changed tables are not known (${u.message})`);
    });
    verbose?.(`code index: ${targets.length} targets, ${r.threads} thread${r.threads === 1 ? '' : 's'}; ${refs.length} references`);
  }
  const byTarget = new Map<string, CodeReference[]>();
  for (const r of refs) {
    const key = `${r.table}\0${r.column ?? ''}`;
    const list = byTarget.get(key) ?? [];
    list.push(r);
    byTarget.set(key, list);
  }
  const memo = new Map<string, Dependent[]>();
  const isMigrationFile = (f: string): boolean => dirs.some((d) => d === '' || f.startsWith(`${d}/`)) || /(^|\/)(migrations|Migrations|DoctrineMigrations)\//.test(f);
  const dependents = (table: string, column?: string): Dependent[] => {
    const key = `${table}\0${column ?? ''}`;
    let d = memo.get(key);
    if (!d) memo.set(key, (d = toDependents(byTarget.get(key) ?? [], isMigrationFile)));
    return d;
  };

  verbose?.(`${target.dialect} ${formatVersion(target.version)}; old release: ${pair.old.label}; new release: ${pair.new.label}`);
  return { pair, root, pathBase, config, project, configFs: fs, target, dirs, migrations, changedIds, deployedIds, startSchema, changedFiles: changed, texts, problems, stderr, ...(verbose ? { verbose } : {}), dependents };
}

/**
 * The directory a cache file belongs to: the repository; for two release directories, the one that
 * holds both (a deploy's `releases/`), so that the next deploy, whose running release is this one's
 * new release, finds what this run learnt of it.
 */
export function cacheProject(pair: Pick<ReleasePair, 'repo' | 'old' | 'newRoot'>, root: string): string {
  if (pair.repo) return pair.repo;
  if (!(pair.old instanceof DirectoryRelease) || !pair.newRoot) return root;
  const a = pair.old.root.split(sep);
  const b = pair.newRoot.split(sep);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return a.slice(0, i).join(sep) || sep;
}

/**
 * Where the code index keeps its cache, or undefined when it goes without: `--no-cache` or
 * ZDD_CACHE=0; and in CI (the CI variable set, as GitHub Actions, GitLab CI and most others do) unless
 * `--cache-dir` or ZDD_CACHE_DIR names a directory: a CI job starts from a clean machine, where
 * filling a cache nobody reads only costs time.
 */
export function indexCacheDir(flags: Pick<ReleaseFlags, 'cache' | 'cacheDir'>, cwd: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (flags.cache === false || env.ZDD_CACHE === '0') return undefined;
  if (flags.cacheDir) return resolve(cwd, flags.cacheDir);
  if (env.CI && env.CI !== 'false' && env.CI !== '0' && !env.ZDD_CACHE_DIR) return undefined;
  return defaultCacheDir(env);
}

/**
 * The files the app-config readers read (Laravel's .env and config/database.php, a Symfony app's
 * .env files and Doctrine config), release-relative: those of every directory from the release root
 * down to `start`, where the readers look for the app's root.
 */
function appConfigFiles(root: string, start: string): (path: string) => boolean {
  const rel = posix(relative(root, start));
  const inside = !rel.startsWith('..') && !isAbsolute(rel);
  const prefixes = [''];
  if (inside && rel) for (const part of rel.split('/')) prefixes.push(`${prefixes[prefixes.length - 1]}${part}/`);
  return (path) => prefixes.some((p) => path.startsWith(p) && (LARAVEL_CONFIG_FILES.test(path.slice(p.length)) || DOCTRINE_CONFIG_FILES.test(path.slice(p.length))));
}

/**
 * The schema dump a release change starts from: the running release's copy when it has one (the
 * schema before the change; the new release's may have been taken after running the change's
 * migrations), else the new release's (from git when the new release is a commit or the index,
 * else on disk).
 */
async function releaseSchemaDump(pair: ReleasePair, root: string, project: Project, target: Target, cwd: string, problems: FileProblem[], verbose?: (m: string) => void): Promise<SchemaDump | undefined> {
  if (!project.schemaDump) return undefined;
  const rel = posix(relative(root, project.schemaDump));
  const inRelease = !rel.startsWith('..') && !isAbsolute(rel);
  if (inRelease && (await pair.old.list()).includes(rel)) {
    let text: string | undefined;
    await pair.old.read([rel], (p, data) => {
      const d = decodeText(data, p, 'a schema dump');
      if ('text' in d) text = d.text;
    }, { maxBytes: MAX_FILE_BYTES });
    if (text !== undefined) return schemaDumpText(text, `${rel} (${pair.old.label})`, target, migrationsTable(project.appConfig), verbose);
  }
  // the new release's copy, when it is read from git (for --staged, one git does not track is on disk)
  if (inRelease && pair.configFs && (await pair.new.list()).includes(rel)) {
    const got: Array<{ text: string } | { problem: FileProblem }> = [];
    await pair.new.read([rel], (p, data) => got.push(decodeText(data, p, 'a schema dump')), {
      maxBytes: MAX_FILE_BYTES,
      onSkip: (p, reason, size) =>
        got.push({ problem: { file: p, message: reason === 'too-large' ? `too large to be a schema dump (${((size ?? 0) / 1024 / 1024).toFixed(1)} MB; the limit is ${MAX_FILE_BYTES / 1024 / 1024} MB)` : 'cannot read' } }),
    });
    const read = got[0] ?? { problem: { file: rel, message: 'cannot read' } };
    if ('problem' in read) {
      problems.push(read.problem);
      return undefined;
    }
    return schemaDumpText(read.text, `${rel} (${pair.new.label})`, target, migrationsTable(project.appConfig), verbose);
  }
  return readSchemaDump(project, target, cwd, problems, verbose);
}

/** Column name → tables that have it, after replaying the migrations that are not part of the change. */
function columnOwners(migrations: Migration[], dialect: string, start?: SchemaState): Map<string, Set<string>> {
  const schema = start ?? new SchemaState();
  for (const m of migrations) {
    for (const op of m.ops) {
      if (op.dialects && !op.dialects.includes(dialect as never)) continue;
      schema.enrich(op);
      schema.apply(op, m.id);
    }
  }
  const owners = new Map<string, Set<string>>();
  for (const t of schema.tables.values()) {
    for (const col of t.columns.values()) {
      const set = owners.get(col.name) ?? new Set<string>();
      set.add(t.name);
      owners.set(col.name, set);
    }
  }
  return owners;
}

/**
 * The new release's config/*.php files that its migrations name in `config('file.key')` (read from
 * the release itself: a commit, the index or a directory), for table names taken from config. The
 * app's root is where its migration folder's `database/migrations` starts (else the release root).
 */
async function releaseAppConfig(release: Release, dirs: readonly string[], texts: ReadonlyMap<string, string>): Promise<LaravelAppConfig | undefined> {
  const names = new Set<string>();
  for (const text of texts.values()) for (const m of text.matchAll(/\bconfig\(\s*['"]([\w-]+)\./g)) names.add(m[1]!);
  if (!names.size) return undefined;
  const dir = dirs.find((d) => /(?:^|\/)database\/migrations$/.test(d));
  const base = dir ? dir.replace(/(?:^|\/)?database\/migrations$/, '') : '';
  const path = (name: string): string => `${base ? `${base}/` : ''}config/${name}.php`;
  const files = new Map<string, string>();
  await release.read([...names].map(path), (p, data) => files.set(p, data.toString('utf8')));
  return new LaravelAppConfig((name) => files.get(path(name)));
}
