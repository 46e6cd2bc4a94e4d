import { dirname, join, resolve, sep } from 'node:path';
import { formatVersion } from '../dialects/index.js';
import { collectFiles, earlierMigrationFiles, NEXT_RELEASE_DIR } from '../discover/files.js';
import type { ConfigFs } from '../discover/config-fs.js';
import { findProjectRoot } from '../discover/doctrine-config.js';
import { findLaravelRoot } from '../discover/laravel-config.js';
import { formatDeployer } from '../emit/deployer.js';
import { formatMarkdown } from '../emit/markdown.js';
import { deploySettings, requireDeploySettings, type DeploySettings } from '../emit/settings.js';
import { formatSh } from '../emit/sh.js';
import { formatText } from '../emit/text.js';
import { PHASE_MARKER, writeSplitMigrations } from '../emit/write.js';
import type { Migration, MigrationFormat } from '../ir/types.js';
import { buildPlan } from '../plan/build.js';
import type { Phase, Plan } from '../plan/types.js';
import { MIGRATION_EXTENSIONS, orderMigrations } from '../readers/index.js';
import { replayMigrations, SchemaState, type NewTableScope } from '../schema/replay.js';
import { InputError } from '../util/errors.js';
import type { Target } from '../dialects/index.js';
import type { ZddConfig } from '../lint/config.js';
import type { Dependent } from '../lint/types.js';
import { releaseModeOf, type ReleaseMode } from './release-mode.js';
import { appMigrationInputs, detectProject, dumpBefore, loadProjectConfig, missingPaths, notInDump, problemLines, readMigrationFiles, readSchemaDump, resolveTarget, schemaFromDump, type CommandResult, type LintFlags } from './lint-command.js';
import { VERSION } from './meta.js';
import type { PlanFormat } from './plan-options.js';

export interface PlanFlags extends Omit<LintFlags, 'format' | 'failOn'> {
  format?: PlanFormat;
  contract?: string;
  write?: boolean;
  deployPath?: string;
  healthUrl?: string;
  sqlClient?: string;
  fpmReload?: string;
}


function mainFormat(migrations: Migration[]): MigrationFormat {
  if (migrations.some((m) => m.format === 'laravel')) return 'laravel';
  if (migrations.some((m) => m.format === 'doctrine')) return 'doctrine';
  return 'sql';
}

/** Exit code: 0 release 1 can ship; 1 it cannot yet (code breaks a requirement, or a step needs a person); 2 usage or input error. */
export function planExitCode(plan: Plan): number {
  const blocked = plan.releases.some((r) => r.checks.some((c) => c.status === 'unsatisfied')) || plan.releases.some((r) => r.steps.some((s) => s.kind === 'manual'));
  return blocked ? 1 : 0;
}

/** zdd plan / zdd-plan [paths…] */
export async function runPlan(paths: string[], flags: PlanFlags, cwd: string): Promise<CommandResult> {
  const mode = releaseModeOf(flags);
  if (mode) return runReleasePlan(paths, flags, cwd, mode);
  if (!paths.length) throw new InputError('zdd-plan needs the migrations of the change: pass their files (earlier files in the same folders are replayed for the schema), or the releases: --base <ref>, --staged, or --from <dir|ref> --to <dir|ref>');
  // path errors first (any problem stops a plan): not what zdd cannot tell without the files
  const missing = missingPaths(paths, cwd);
  if (missing.length) return { stdout: '', stderr: problemLines(missing), exitCode: 2 };
  const config = loadProjectConfig(flags.config, cwd, paths[0]);
  const stderr: string[] = [];
  const verbose = flags.verbose ? (m: string) => stderr.push(`zdd: ${m}`) : undefined;
  const project = detectProject(resolve(cwd, paths[0]!), flags, config, cwd, stderr);

  // an app root stands for its migrations folder(s), as for zdd lint
  const inputs = appMigrationInputs(paths, cwd, project, verbose);
  const found = collectFiles(inputs, cwd, MIGRATION_EXTENSIONS);
  const { problems } = found;
  // a folder of the change holds zdd-next-release/ files too: they belong to a later release, unless named
  const named = new Set(inputs.map((p) => resolve(cwd, p)));
  const files = found.files.filter((f) => named.has(f.abs) || !f.abs.split(sep).includes(NEXT_RELEASE_DIR));
  if (files.length < found.files.length) verbose?.(`left out ${found.files.length - files.length} file(s) in ${NEXT_RELEASE_DIR}/: a later release`);
  if (!files.length && !problems.length) throw new InputError(`no migration files found in ${inputs.join(', ')}`);
  const target = resolveTarget(flags, config, project.detected);
  const dump = dumpBefore(readSchemaDump(project, target, cwd, problems, verbose), files.map((f) => f.path), verbose);
  // the migrations a schema dump records as run are in it: Laravel does not run them again
  const historyFiles = notInDump(earlierMigrationFiles(files, inputs, cwd, MIGRATION_EXTENSIONS), dump, (f) => f.path, verbose);
  // Doctrine runs its migrations in version order, whatever the files are called
  const read = { ...(verbose ? { verbose } : {}), ...(project.appConfig ? { appConfig: project.appConfig } : {}) };
  const history = orderMigrations(await readMigrationFiles(historyFiles, target, config, problems, { ...read, ...(project.schemaDump ? { schemaDump: project.schemaDump } : {}) }));
  const texts = new Map<string, string>();
  const changed = orderMigrations(await readMigrationFiles(files, target, config, problems, { ...read, keep: texts }));
  const schema = dump ? schemaFromDump(dump.ops) : new SchemaState();
  // A plan built on a partial history could drop or rewrite the wrong thing: any unreadable file stops it.
  if (problems.length) return { stdout: '', stderr: [...stderr, ...problemLines(problems)], exitCode: 2 };
  if (!changed.length) throw new InputError(`no migrations to plan in ${paths.join(', ')}`);
  replayMigrations(schema, history, { markCreated: false });
  verbose?.(`${target.dialect} ${formatVersion(target.version)}; ${changed.length} migrations planned, ${history.length} replayed`);

  const first = dirname(resolve(cwd, files[0]!.abs));
  const root = projectRoot(first, config, cwd);
  // as zdd lint: the files of a folder may have run already, so a table is new only in its own migration
  return finishPlan({ changed, schema, target, config, flags, stderr, textOf: (file) => texts.get(file), root, cwd, newTableScope: 'migration' });
}

/** What a release directory holds, found from the first migration's folder: the Laravel app, the zdd.config.json folder, the Symfony project. */
function projectRoot(first: string, config: ZddConfig, fallback: string, fs?: ConfigFs): string {
  return findLaravelRoot(first, fs) ?? (config.file ? dirname(config.file) : undefined) ?? findProjectRoot(first, fs) ?? fallback;
}

interface PlanInput {
  /** The migrations of the change, in the order they run. */
  changed: Migration[];
  /** The schema before the change. */
  schema: SchemaState;
  target: Target;
  config: ZddConfig;
  flags: PlanFlags;
  stderr: string[];
  /** The text of a migration file, by its `file`. */
  textOf: (file: string) => string | undefined;
  /** The project root in a release: what a release directory holds. */
  root: string;
  /** What the migrations' `file` paths are relative to. */
  cwd: string;
  dependents?: (table: string, column?: string) => Dependent[];
  /** Why --write cannot write here (the new release is not on disk). */
  noWrite?: string;
  /** Path mode: a table is new only in the migration that creates it (PlanContext.newTableScope). */
  newTableScope?: NewTableScope;
}

/** Plans the change and renders it: the part path mode and release mode share. */
function finishPlan(input: PlanInput): CommandResult {
  const { changed, schema, target, config, flags, stderr, root, cwd } = input;
  // migrations zdd-plan wrote carry their phase in a comment near the top
  const marked = new Map<string, Phase>();
  for (const m of changed) {
    const phase = PHASE_MARKER.exec(input.textOf(m.file)?.slice(0, 2048) ?? '')?.[1] as Phase | undefined;
    if (phase) marked.set(m.id, phase);
  }
  const format = flags.format ?? 'text';
  if (flags.write && input.noWrite) throw new InputError(`--write: ${input.noWrite}`);
  const settings: DeploySettings = deploySettings(config.plan, flags, target.dialect, mainFormat(changed), config.file);
  const plan = buildPlan(changed, { target, schema, marked, ...(input.dependents ? { dependents: input.dependents } : {}), ...(input.newTableScope ? { newTableScope: input.newTableScope } : {}) }, { contract: settings.contract, contractExplicit: !!settings.contractExplicit, lockTimeoutSeconds: settings.lockTimeout, batchSize: settings.batchSize });
  // Doctrine's console names a migration by its fully qualified class name
  for (const m of plan.migrations) {
    if (m.format !== 'doctrine') continue;
    const text = input.textOf(m.file);
    const ns = text ? /^\s*namespace\s+([^;\s]+)\s*;/m.exec(text)?.[1] : undefined;
    m.version = ns ? `${ns}\\${m.id}` : m.id;
  }
  const ctx = { zddVersion: VERSION, settings, root, cwd };
  let stdout: string;
  if (format === 'sh' || format === 'deployer') {
    const manual = plan.releases.find((r) => r.release === 1)?.steps.filter((s) => s.kind === 'manual') ?? [];
    if (manual.length) throw new InputError(`cannot write a deploy script: ${manual.map((s) => `${s.file}:${s.line} (${s.op} ${s.table})`).join(', ')} need${manual.length === 1 ? 's' : ''} a person — see \`zdd-plan\` (text) for why`);
    requireDeploySettings(settings, format);
    stdout = format === 'sh' ? formatSh(plan, ctx) : formatDeployer(plan, ctx);
  } else if (format === 'json') stdout = `${JSON.stringify(plan, null, 2)}\n`;
  else if (format === 'markdown') stdout = formatMarkdown(plan);
  else stdout = formatText(plan);

  if (flags.write) {
    const report = writeSplitMigrations(plan, { target, cwd, settings, version: VERSION });
    if (format === 'text') stdout += `\n${report.join('\n')}\n`;
    else stderr.push(...report.map((l) => `zdd: ${l}`));
  }
  for (const c of plan.releases.flatMap((r) => r.checks)) if (c.status === 'unsatisfied') stderr.push(`zdd: not met by the code of release 1: ${c.condition}`);
  return { stdout, stderr, exitCode: planExitCode(plan) };
}

const inNextRelease = (file: string): boolean => file.split('/').includes(NEXT_RELEASE_DIR);

/**
 * zdd-plan in release mode (--base, --staged, --from/--to): the change is the migrations new in the
 * new release, every other migration of it is replayed for the schema, and the code of both releases
 * decides where drops go and whether release 1 meets its requirements.
 */
async function runReleasePlan(paths: string[], flags: PlanFlags, cwd: string, mode: ReleaseMode): Promise<CommandResult> {
  const { loadReleaseChange, targetsOf } = await import('./release-change.js');
  const c = await loadReleaseChange(paths, flags, cwd, mode, {
    targets: (ops) => targetsOf(ops, { truncate: true }),
    // zdd-next-release/ files wait for a later release: they are neither this change nor history
    skip: inNextRelease,
    // a plan built on a partial history could drop or rewrite the wrong thing
    strictHistory: true,
  });
  const { pair, config, target, problems, stderr, verbose } = c;
  if (problems.length) return { stdout: '', stderr: [...stderr, ...problemLines(problems)], exitCode: 2 };
  const ordered = orderMigrations(c.migrations);
  // a changed migration the running release already has ran before: history, not this change
  const history = ordered.filter((m) => !c.changedIds.has(m.id) || c.deployedIds.has(m.id));
  const changed = ordered.filter((m) => c.changedIds.has(m.id) && !c.deployedIds.has(m.id));
  const schema = c.startSchema() ?? new SchemaState();
  replayMigrations(schema, history, { markCreated: false });
  verbose?.(`${changed.length} migrations planned, ${history.length} replayed`);

  // Paths of the plan are release-relative; the project root is found in the new release (for a git
  // ref, its tree, at the work tree's path: the same layout).
  const onDisk = pair.newRoot ?? c.root;
  const firstFile = changed[0]?.file ?? c.dirs[0] ?? '';
  const first = dirname(join(onDisk, firstFile));
  const root = projectRoot(first, config, onDisk, c.configFs);
  return finishPlan({
    changed,
    schema,
    target,
    config,
    flags,
    stderr,
    textOf: (file) => c.texts.get(file),
    root,
    cwd: onDisk,
    dependents: c.dependents,
    ...(pair.newRoot ? {} : { noWrite: `the new release ${pair.new.label} is a git commit, not files on disk: check it out, or plan --from/--to with directories` }),
  });
}
