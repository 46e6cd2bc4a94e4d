import type { Dialect, MigrationFormat } from '../ir/types.js';
import type { Dependent } from '../lint/types.js';

/**
 * The plan: the JSON contract of `zdd-plan --format json` (DESIGN.md). Fields are only ever added.
 * Release 1 is the deploy being planned; later releases are follow-ups. Within a release, steps run
 * in order: every `pre-swap` step (expand: safe while the old release serves), then the `current`
 * swap, the php-fpm reload and the drain of old workers, then every `post-swap` step (contract:
 * safe only once no old worker is left).
 */

export type Phase = 'pre-swap' | 'post-swap';

/**
 * - `as-is`: the migration's own operation, unchanged.
 * - `split`: one part of an operation zdd rewrote into safe steps (expand, sync, constraint steps).
 * - `backfill`: a data change run outside the schema migration, in batches where zdd can batch it.
 * - `contract`: a destructive step (drop, truncate) that waits until no deployed code needs what it removes.
 * - `manual`: code zdd cannot run outside its migration (PHP it could not turn into SQL), or a statement that
 *   fails as written (a column the table does not have): a person must move or fix it.
 */
export type StepKind = 'as-is' | 'split' | 'backfill' | 'contract' | 'manual';

/** How a deploy runs a step: the framework runs the original migration file, or zdd's SQL goes through the SQL client. */
export type StepRun = 'migration' | 'sql';

export interface BatchSpec {
  table: string;
  /** Integer key the batches walk, in ranges [from, to). */
  key: string;
  size: number;
}

export interface PlanStep {
  phase: Phase;
  /** What the step does: an IR op kind (`add-column`, `drop-column` …) or a step of a recipe (`create-trigger`, `backfill`, `validate-constraint` …). */
  op: string;
  table: string;
  column?: string;
  /** Id of the migration the step comes from. */
  migration: string;
  why: string;
  kind: StepKind;
  run: StepRun;
  /**
   * Statements, in order, for `run: 'sql'` steps. Steps that take a lock other sessions queue behind
   * start with `SET lock_timeout` (MySQL: `lock_wait_timeout`). A batched step's last statement holds
   * `{from}` and `{to}`: the key range of one batch.
   */
  sql?: string[];
  /** The statements may share one transaction (false: CONCURRENTLY, which PostgreSQL refuses inside one). */
  transactional: boolean;
  /**
   * The step takes a lock that other sessions queue behind (PostgreSQL: ACCESS EXCLUSIVE, SHARE ROW
   * EXCLUSIVE …; MySQL/MariaDB: the exclusive metadata lock of an ALTER), as the dialect tables say:
   * a `run: 'sql'` step then starts with `SET lock_timeout` (MySQL: `lock_wait_timeout`), and may be
   * retried when it times out. false: no such lock (CONCURRENTLY, VALIDATE, a backfill batch, a
   * verification, a new table).
   */
  locks: boolean;
  batched?: boolean;
  batch?: BatchSpec;
  /** The single value the last statement must return (a verification query), or the deploy stops. */
  expect?: string;
  /** Where the operation is written. */
  file: string;
  line: number;
}

/** A `requires` condition with what the code index found (release 1 conditions, when code was indexed). */
export interface PlanCheck {
  condition: string;
  /** `unchecked`: no code index (path mode), or a condition zdd cannot check. */
  status: 'satisfied' | 'unsatisfied' | 'unchecked';
  /** The lines of the release's code that break the condition. */
  references?: Dependent[];
}

export interface PlanRelease {
  release: number;
  steps: PlanStep[];
  /** Code conditions that must hold before this release ships. */
  requires: string[];
  /** `requires` with their check status, in the same order. */
  checks: PlanCheck[];
}

/** How the deploy handles one migration of the change. */
export interface PlanMigration {
  id: string;
  file: string;
  format: MigrationFormat;
  /** `as-is`: the framework runs the file unchanged; `split`: zdd runs its steps as SQL and records the migration as applied. */
  handling: 'as-is' | 'split';
  /** The framework runs it in one transaction. */
  transactional: boolean;
  /**
   * For `as-is` migrations: how a lock timeout applies. `migration`: the migration sets it itself;
   * `injected`: the deploy sets it for the framework's connection (PostgreSQL: PGOPTIONS); `none`:
   * the migration takes no lock other sessions queue behind.
   */
  lockTimeout?: 'migration' | 'injected' | 'none';
  /** For `split` migrations: why zdd runs it as SQL. */
  reason?: string;
  /** Doctrine: the version the console commands take (the migration's fully qualified class name). */
  version?: string;
}

export interface Plan {
  version: 1;
  dialect: Dialect;
  releases: PlanRelease[];
  /** Every migration of the change, in order. */
  migrations: PlanMigration[];
  /** `next-release` (default) or `post-swap`: where destructive steps go. */
  contract: ContractMode;
}

export type ContractMode = 'next-release' | 'post-swap';
