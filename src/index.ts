/**
 * zdd's programmatic API (dist/index.js): the readers, the lint runner and the rule registry, for
 * scripts and editor integrations. The CLI (dist/zdd.js) is built on the same functions.
 */
export { RULES } from '../rules/index.js';
export { defaultTarget, parseVersion, costOf, type Target } from './dialects/index.js';
export type { Dialect, Migration, Operation } from './ir/types.js';
export { lintMigrations, type LintOptions } from './lint/run.js';
export type { Finding, MigrationRule, Rule } from './lint/types.js';
export { prepareReaders, readMigration, MIGRATION_EXTENSIONS } from './readers/index.js';
export { readSqlText } from './readers/sql/read.js';
export { SchemaState, replayMigrations } from './schema/replay.js';
export { detectLaravelTarget, findLaravelRoot, findSchemaDump } from './discover/laravel-config.js';
export { LaravelAppConfig } from './discover/laravel-app-config.js';
export { findReferences, type CodeReference, type IndexStats, type ReferenceTarget } from './code/index.js';
export { isIndexed } from './code/files.js';
export { defaultCacheDir, IndexCache } from './code/cache.js';
export { baseReleases, stagedReleases, fromToReleases, DirectoryRelease, GitRelease, WorkTreeRelease, type Release, type ReleasePair } from './discover/release.js';
