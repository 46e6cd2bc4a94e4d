import type { DeployAction, DeployFlow, DeployProject, Loc, NginxDirective } from './types.js';

/**
 * Helpers the deploy rules share: which flows deploy, where the swap is, and fixes written in the
 * syntax of the file they go in.
 */

export const locKey = (l: Loc): string => `${l.file}:${l.line}:${l.col}`;

/** A flow that deploys to servers (as opposed to a CI test job that happens to run migrations). */
export function isDeployFlow(flow: DeployFlow): boolean {
  if (flow.source === 'deployer' || flow.source === 'envoy') return true;
  // the job / target / script name, not the file it is in (.github/workflows/deploy.yml also holds test jobs)
  const own = flow.name.includes(': ') ? flow.name.slice(flow.name.lastIndexOf(': ') + 2) : flow.name.replace(/^.*\//, '');
  if (/deploy|release|rollout|publish|prod|hotfix|rollback/i.test(own)) return true;
  return flow.actions.some((a) => a.tags.swap || a.tags.removesLive || a.tags.fpm || a.tags.deployer || a.tags.workersRestart || (a.tags.copy && /^[\w.@-]+:|\/var\/www|\/srv\//.test(a.tags.copy.dest)) || /\(ssh /.test(a.where));
}

/** Index of the first action that swaps releases, or -1. */
export function swapIndex(flow: DeployFlow): number {
  return flow.actions.findIndex((a) => a.tags.swap);
}

/** Where the project's live symlinks point from (resolved link paths of every swap). */
export function swapLinks(project: DeployProject): string[] {
  return [...new Set(project.flows.flatMap((f) => f.actions).flatMap((a) => (a.tags.swap ? [a.tags.swap.link] : [])))];
}

/** The project reloads php-fpm somewhere in a deploy (reload/USR2). */
export function reloadsFpm(project: DeployProject): DeployAction | undefined {
  return project.flows.flatMap((f) => f.actions).find((a) => a.tags.fpm?.graceful);
}

/** Splits a one-line command into words as written (quotes kept), for fixes that rewrite it. */
export function wordsAsWritten(text: string): string[] {
  return text.match(/"(?:[^"\\]|\\.)*"|'[^']*'|\S+/g) ?? [];
}

/** Appends a suffix to a path word, inside its quotes. */
export function suffixPath(word: string, suffix: string): string {
  const q = /^(["'])(.*)\1$/.exec(word);
  return q ? `${q[1]}${q[2]}${suffix}${q[1]}` : `${word}${suffix}`;
}

/** A fix: one sentence, then code lines. */
export function fix(summary: string, ...code: string[]): string {
  return [summary, ...code.flatMap((c) => c.split('\n'))].join('\n');
}

/** A shell command written where the flow's commands are written: a script line, a run step, a Deployer run(), a Makefile recipe line. */
export function commandIn(flow: DeployFlow | undefined, shell: string): string {
  switch (flow?.syntax) {
    case 'deployer-php':
      return `run('${shell.replace(/'/g, "\\'")}');`;
    case 'deployer-yaml':
      return `- run: ${JSON.stringify(shell)}`;
    case 'make':
      return `\t${shell}`;
    default:
      return shell;
  }
}

export function flowOf(project: DeployProject, action: DeployAction): DeployFlow | undefined {
  return project.flows.find((f) => f.actions.includes(action));
}


/** A comment line in the flow's syntax. */
export function commentIn(flow: DeployFlow | undefined, text: string): string {
  return flow?.syntax === 'deployer-php' ? `// ${text}` : flow?.syntax === 'make' ? `\t# ${text}` : `# ${text}`;
}

/**
 * Swaps in deploy flows, each with whether some flow that performs it also does `after(action)`
 * later. A swap reached through several flows (Deployer's, and a CI job that runs `dep deploy`)
 * counts as followed when any of them follows it.
 */
export function swapsFollowedBy(project: DeployProject, after: (a: DeployAction) => boolean): Array<{ swap: DeployAction; flow: DeployFlow; followed: boolean; before?: DeployAction }> {
  const byLoc = new Map<string, { swap: DeployAction; flow: DeployFlow; followed: boolean; before?: DeployAction }>();
  for (const flow of project.flows) {
    if (!isDeployFlow(flow)) continue;
    flow.actions.forEach((a, i) => {
      if (!a.tags.swap) return;
      const rest = flow.actions.slice(i + 1);
      const nextSwap = rest.findIndex((b) => b.tags.swap);
      const window = nextSwap === -1 ? rest : rest.slice(0, nextSwap);
      const followed = window.some(after);
      const before = flow.actions.slice(0, i).find(after);
      const key = locKey(a.loc);
      const prev = byLoc.get(key);
      if (!prev) byLoc.set(key, { swap: a, flow, followed, ...(before ? { before } : {}) });
      else if (followed) prev.followed = true;
    });
  }
  return [...byLoc.values()];
}

export interface StorageVerdict {
  severity: 'error' | 'warning';
  /** Why the data is lost, as a sentence fragment. */
  lost: string;
  /** Deployer shared dirs that would keep it across releases on one server. */
  shareDir?: string;
}

/**
 * Whether data an app keeps on local disk (sessions, cache, uploads) survives a deploy: lost on
 * every deploy when it lives in the release directory and is not a shared dir; lost across
 * servers (several hosts, Kubernetes pods); fine on one server when shared. undefined = fine or
 * unknown.
 */
export function localStorageVerdict(project: DeployProject, directory: string | undefined): StorageVerdict | undefined {
  const inRelease = !!directory && !directory.startsWith('/');
  const shared = project.facts.shared;
  const isShared = !!directory && !!shared?.dirs.some((d) => directory === d.replace(/\/+$/, '') || directory.startsWith(`${d.replace(/\/+$/, '')}/`));
  // the directory to share: Laravel's whole storage/, else the path up to its first %parameter% segment
  const shareDir = directory && inRelease ? (directory.startsWith('storage/') ? 'storage' : directory.replace(/\/[^/]*%[^/]*(\/.*)?$/, '')) : undefined;
  if (project.facts.kubernetes) {
    return { severity: 'error', lost: `each pod has its own disk (${project.facts.servers?.why ?? 'Kubernetes'}), so it is lost whenever a pod is replaced — on every rollout — and other pods never see it` };
  }
  if (project.facts.servers?.many) {
    return { severity: 'error', lost: `it is not seen by the other servers (${project.facts.servers.why}): a request that lands on another server, or a blue/green switch, loses it${isShared ? '' : ', and it is left behind in the old release directory on every deploy'}`, ...(shareDir && !isShared ? { shareDir } : {}) };
  }
  if (project.facts.symlinkDeploy && inRelease && !isShared) {
    return { severity: 'error', lost: `it lives in ${directory}/ inside the release directory, which is not a shared dir${shared ? ` (shared_dirs: ${shared.dirs.join(', ') || 'none'})` : ''}: every deploy starts with an empty one`, ...(shareDir ? { shareDir } : {}) };
  }
  return undefined;
}

/** Every nginx directive in the tree, depth first, with its ancestors (outermost first). Here, not in the parser: rules load with `zdd lint` too. */
export function eachDirective(directives: readonly NginxDirective[], visit: (d: NginxDirective, parents: NginxDirective[]) => void, parents: NginxDirective[] = []): void {
  for (const d of directives) {
    visit(d, parents);
    if (d.block) eachDirective(d.block, visit, [...parents, d]);
  }
}

/** Is this command supervisord (an image's start command that runs the programs of its config, `sources/supervisor.ts`)? */
export function startsSupervisord(words: readonly string[]): boolean {
  return words.some((w) => /(^|\/)supervisord$/.test(w));
}
