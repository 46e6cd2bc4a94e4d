import { relative, resolve, sep } from 'node:path';
import type { Plan, PlanMigration, PlanStep } from '../plan/types.js';
import type { DeploySettings } from './settings.js';

/** What the deploy emitters need besides the plan. */
export interface EmitContext {
  zddVersion: string;
  settings: DeploySettings;
  /** Absolute project root: what a release directory holds. Migration paths in scripts are relative to it. */
  root: string;
  /** The working directory the plan's file paths are relative to. */
  cwd: string;
}

/** A migration file's path inside a release (relative to the project root, `/` separators). */
export function releasePath(file: string, ctx: Pick<EmitContext, 'root' | 'cwd'>): string {
  const rel = relative(ctx.root, resolve(ctx.cwd, file));
  return rel.split(sep).join('/');
}

/** Single-quoted shell word. */
export function sq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The deploy order of release 1, as units: a framework run of an unchanged migration (its steps
 * together), a SQL step, or the record of a split migration as applied (right after its pre-swap
 * steps, so that the framework never runs the unsafe original later).
 */
export type Unit =
  | { kind: 'migration'; phase: PlanStep['phase']; migration: PlanMigration; steps: PlanStep[] }
  | { kind: 'step'; phase: PlanStep['phase']; step: PlanStep }
  | { kind: 'record'; phase: 'pre-swap'; migration: PlanMigration };

export function deployUnits(plan: Plan): Unit[] {
  const steps = plan.releases.find((r) => r.release === 1)?.steps ?? [];
  const byId = new Map(plan.migrations.map((m) => [m.id, m]));
  const units: Unit[] = [];
  const recorded = new Set<string>();
  const record = (m: PlanMigration): void => {
    recorded.add(m.id);
    units.push({ kind: 'record', phase: 'pre-swap', migration: m });
  };
  const add = (s: PlanStep): void => {
    const m = byId.get(s.migration)!;
    const last = units[units.length - 1];
    if (s.run === 'migration' && last?.kind === 'migration' && last.migration.id === s.migration && last.phase === s.phase) last.steps.push(s);
    else if (s.run === 'migration') units.push({ kind: 'migration', phase: s.phase, migration: m, steps: [s] });
    else units.push({ kind: 'step', phase: s.phase, step: s });
  };
  const pre = steps.filter((s) => s.phase === 'pre-swap');
  pre.forEach((s, i) => {
    add(s);
    const m = byId.get(s.migration)!;
    if (m.handling === 'split' && !pre.slice(i + 1).some((x) => x.migration === m.id)) record(m);
  });
  for (const m of plan.migrations) if (m.handling === 'split' && !recorded.has(m.id)) record(m);
  for (const s of steps) if (s.phase === 'post-swap') add(s);
  return units;
}
