import type { Target, OpCost } from '../dialects/index.js';
import type { Migration, MigrationFormat, Operation } from '../ir/types.js';
import type { SchemaState } from '../schema/replay.js';
import type { ContractPlacement } from './contract.js';

export type Severity = 'error' | 'warning';

/** A line of application code that depends on what a finding changes (see src/code). */
export interface Dependent {
  release: 'old' | 'new';
  file: string;
  line: number;
  text: string;
  /** How sure the code index is that this line uses that table/column. */
  confidence?: 'high' | 'medium' | 'low';
  /** false for code that does not serve production requests (tests, seeders, factories, migrations). */
  production?: boolean;
  /** How the line uses it (src/code/types.ts ReferenceKind): model-property, query, raw-sql, entity-mapping … */
  kind?: string;
  /** The line is in another migration (e.g. the one that created the column): listed, never news. */
  migration?: boolean;
}

export interface FindingTarget {
  table: string;
  column?: string;
  index?: string;
  constraint?: string;
  /** zdd doctor: what the finding is about (php-fpm, nginx, sessions …); `table` is '' there. */
  subject?: string;
}

/** The JSON contract's finding (DESIGN.md). */
export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  fix: string;
  location: { file: string; line: number; col: number };
  target: FindingTarget;
  migration: string;
  dependents?: Dependent[];
}

/**
 * A safe alternative. Rules describe it once; `renderFix` prints it in the migration's own format:
 * `sql` statements become `DB::statement(...)` (Laravel) or `$this->addSql(...)` (Doctrine) unless
 * the rule gives format-specific code.
 */
export interface FixSuggestion {
  /** One sentence: what to do instead. */
  summary: string;
  /** Statements in the target dialect, in order. Statements separated by a line `-- then, in a later release:` start a new step. */
  sql?: string[];
  /** Laravel migration code, when better than DB::statement. */
  laravel?: string;
  /** Doctrine migration code, when better than addSql. */
  doctrine?: string;
  /** The statements must run outside a transaction (CONCURRENTLY). */
  nonTransactional?: boolean;
  /** How zdd-plan would split the change across releases/phases. */
  plan?: string;
}

/** What a rule returns; the runner adds rule id, location and migration. */
export interface RuleFinding {
  message: string;
  fix: FixSuggestion;
  severity?: Severity;
  target?: FindingTarget;
  dependents?: Dependent[];
}

export interface OpContext {
  op: Operation;
  migration: Migration;
  target: Target;
  /** The schema just before this op. */
  schema: SchemaState;
  /** True when the table was created in this migration (or, in release mode, in this release). */
  isNewTable(table: string): boolean;
  /** Session settings set earlier in this migration (lower-case names). */
  session: ReadonlyMap<string, string>;
  /** The op runs inside a transaction (the runner's or an explicit BEGIN). */
  inTransaction: boolean;
  /** Cost of this op on the target server. */
  cost(): OpCost;
  /** Code that uses the table/column, when a code index is available (release mode). */
  dependents(table: string, column?: string): Dependent[];
  /** Where zdd-plan puts a drop of the table/column (lint/contract.ts): the code index's evidence and `plan.contract`, as the planner weighs them. */
  contractPlacement(table: string, column?: string): ContractPlacement;
  format: MigrationFormat;
  /** True the first time `key` is passed for this migration: for rules that report once per migration. */
  once(key: string): boolean;
}

export interface RuleMeta {
  id: string;
  /** One line for `zdd rules` and the README table. */
  summary: string;
  defaultSeverity: Severity;
  /** 'migration' rules judge IR ops (zdd lint); 'deploy' rules judge deploy setup (zdd doctor). */
  scope: 'migration' | 'deploy';
}

export interface MigrationRule extends RuleMeta {
  scope: 'migration';
  check(ctx: OpContext): RuleFinding | RuleFinding[] | undefined;
}

export type { DeployRule } from '../doctor/types.js';
import type { DeployRule } from '../doctor/types.js';
export type Rule = MigrationRule | DeployRule;
