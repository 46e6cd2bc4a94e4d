import type { ContractMode } from '../plan/types.js';
import { strongDependents } from './rule-kit.js';
import type { Dependent } from './types.js';

/**
 * Where zdd-plan puts a contract step (a drop, a TRUNCATE): decided here once, for the planner
 * (src/plan/decompose.ts) and for the hint the drop rules print (`zdd-plan: …`), so that the two
 * cannot disagree. A light module: `zdd lint` loads it without the planner.
 */

export type ContractReason =
  /** The code index found no use in either release, and next-release was not asked for: after this release's swap. */
  | 'unreferenced'
  /** `--contract post-swap` (flag or `plan.contract`): after this release's swap. */
  | 'post-swap'
  /** `--contract next-release` asked for explicitly, though no code references it: release 2. */
  | 'next-release-asked'
  /** The running release's code uses it: release 2, once release 1 is live everywhere. */
  | 'old-uses'
  /** Only the new release's code uses it (a requirement of release 1 says so): release 2. */
  | 'new-uses'
  /** No code index (path mode): release 2, the default, since zdd cannot tell who uses it. */
  | 'unknown';

export interface ContractPlacement {
  /** 1: after the swap of this deploy; 2: after the swap of the follow-up release. */
  release: 1 | 2;
  reason: ContractReason;
  /** Strong references of the running release's code (code index), when indexed. */
  oldRefs?: Dependent[];
  /** Strong references of the new release's code, when indexed. */
  newRefs?: Dependent[];
}

export interface ContractSetting {
  contract: ContractMode;
  /** The mode was asked for (flag or config), not the default. */
  explicit: boolean;
}

/**
 * `deps`: the code index's references to the table/column in both releases, undefined when code was
 * not indexed. A post-swap drop the new code still uses is placed after this swap (`post-swap`): the
 * planner refuses it, with the lines.
 */
export function placeContract(deps: readonly Dependent[] | undefined, setting: ContractSetting): ContractPlacement {
  const newRefs = deps ? strongDependents(deps.filter((d) => d.release === 'new')) : undefined;
  const oldRefs = deps ? strongDependents(deps.filter((d) => d.release === 'old')) : undefined;
  const refs = { ...(oldRefs ? { oldRefs } : {}), ...(newRefs ? { newRefs } : {}) };
  if (setting.contract === 'post-swap') return { release: 1, reason: 'post-swap', ...refs };
  const unreferenced = oldRefs?.length === 0 && newRefs?.length === 0;
  if (unreferenced) return { release: setting.explicit ? 2 : 1, reason: setting.explicit ? 'next-release-asked' : 'unreferenced', ...refs };
  if (oldRefs?.length) return { release: 2, reason: 'old-uses', ...refs };
  if (newRefs?.length) return { release: 2, reason: 'new-uses', ...refs };
  return { release: 2, reason: 'unknown', ...refs };
}

/** The contract setting zdd.config.json's `"plan"` gives (`plan.contract`), for lint, which has no --contract flag. */
export function configContract(plan: Record<string, unknown> | undefined): ContractSetting {
  const c = plan?.contract;
  return c === 'next-release' || c === 'post-swap' ? { contract: c, explicit: true } : { contract: 'next-release', explicit: false };
}

/**
 * What zdd-plan does with the drop, in the words of a finding's `zdd-plan:` line. `what` names the
 * table or column (`users.nickname`, `table teams`), `name` the short form the code drops.
 */
export function contractHint(p: ContractPlacement, what: string, name: string, verb = 'drops'): string {
  switch (p.reason) {
    case 'unreferenced':
      return `neither release's code references ${what} (code index): \`zdd-plan\` ${verb} it in this deploy, after the swap and the drain (\`--contract next-release\` keeps it for release 2).`;
    case 'post-swap':
      return p.newRefs?.length
        ? `\`zdd-plan\` refuses to drop it after this swap (\`plan.contract\` "post-swap") while the new release's code uses ${what}: remove those uses first.`
        : `\`zdd-plan\` ${verb} it in this deploy, after the swap and the drain (\`plan.contract\` "post-swap"); rolling back to the running release breaks from then on.`;
    case 'next-release-asked':
      return `release 1 ships; release 2 ${verb} it post-swap (\`plan.contract\` "next-release" asks for that), although neither release's code references ${what}.`;
    case 'old-uses':
      return `release 1 ships the code without ${name}; release 2 ${verb} it post-swap, once the running release is gone.`;
    case 'new-uses':
      return `release 1 must ship the code without ${name} (the new release still uses it); release 2 ${verb} it post-swap.`;
    case 'unknown':
      return `release 1 ships the code without ${name}; release 2 ${verb} it post-swap (the default, \`--contract next-release\`). With the code index (\`--base\`, \`--from/--to\`), a drop neither release's code references goes in this deploy, after the swap.`;
  }
}
