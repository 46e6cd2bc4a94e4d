import { shellActions } from '../actions.js';
import type { YNode } from '../parse/yaml.js';
import type { DeployAction, DeployFlow } from '../types.js';
import type { SourceContext } from './context.js';

/**
 * Deploy flows from shell scripts, Laravel Envoy files and CI pipelines (GitHub Actions,
 * GitLab CI). Each script, Envoy story/task and CI job becomes one flow whose actions
 * are its commands in the order they run.
 */

const same = (line: number, col: number): { line: number; col: number } => ({ line, col });

function pushError(ctx: SourceContext, r: ReturnType<typeof shellActions>, what: string, unparsed: 'file' | 'part' = 'part'): void {
  if (r.error) ctx.problems.push({ file: r.error.file, line: r.error.line, message: `cannot parse ${what}: ${r.error.message}`, unparsed });
}

export function shellFlow(path: string, text: string, ctx: SourceContext): DeployFlow[] {
  const r = shellActions(text, { file: path, where: path, map: same });
  pushError(ctx, r, 'the shell script', 'file');
  return [{ name: path, source: 'shell', file: path, actions: r.actions, syntax: 'shell' }];
}

/** Laravel Envoy: @task bodies are shell (Blade `{{ $var }}` resolved from @setup when constant); @story lists the order. */
export function envoyFlows(path: string, text: string, ctx: SourceContext): DeployFlow[] {
  const lines = text.split(/\r?\n/);
  const vars = new Map<string, string>();
  const tasks = new Map<string, { line: number; body: Array<{ text: string; line: number }> }>();
  const stories: Array<{ name: string; tasks: string[] }> = [];
  let mode: { kind: 'setup' } | { kind: 'task'; name: string } | { kind: 'story'; name: string } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const t = line.trim();
    const task = /^@task\(\s*['"]([^'"]+)['"]/.exec(t);
    const story = /^@story\(\s*['"]([^'"]+)['"]/.exec(t);
    if (t.startsWith('@setup')) mode = { kind: 'setup' };
    else if (task) {
      mode = { kind: 'task', name: task[1]! };
      tasks.set(task[1]!, { line: i + 1, body: [] });
    } else if (story) {
      mode = { kind: 'story', name: story[1]! };
      stories.push({ name: story[1]!, tasks: [] });
    } else if (/^@end(setup|task|story)\b/.test(t)) mode = undefined;
    else if (mode?.kind === 'setup') {
      const m = /^\$(\w+)\s*=\s*(['"])([^'"]*)\2\s*;/.exec(t);
      if (m) vars.set(m[1]!, m[3]!);
    } else if (mode?.kind === 'task') {
      const body = t.startsWith('@') ? '' : line.replace(/\{\{\s*\$(\w+)\s*\}\}/g, (m, v: string) => vars.get(v) ?? `ENVOY_${v}`).replace(/\{\{.*?\}\}/g, (m) => `E${'_'.repeat(m.length - 1)}`);
      tasks.get(mode.name)!.body.push({ text: body, line: i + 1 });
    } else if (mode?.kind === 'story' && t && !t.startsWith('@')) stories[stories.length - 1]!.tasks.push(t);
  }
  const taskActions = new Map<string, DeployAction[]>();
  for (const [name, task] of tasks) {
    const first = task.body[0]?.line ?? task.line;
    // Envoy runs every task over ssh on its @servers
    const res = shellActions(task.body.map((b) => b.text).join('\n'), { file: path, where: `@task ${name} (on the server)`, map: (line, col) => ({ line: first + line - 1, col }) });
    pushError(ctx, res, `@task ${name}`);
    taskActions.set(name, res.actions);
  }
  const flows: DeployFlow[] = stories.map((s) => ({ name: `${path}: @story ${s.name}`, source: 'envoy', file: path, actions: s.tasks.flatMap((t) => taskActions.get(t) ?? []), syntax: 'envoy' }));
  const inStory = new Set(stories.flatMap((s) => s.tasks));
  for (const [name, actions] of taskActions) if (!inStory.has(name)) flows.push({ name: `${path}: @task ${name}`, source: 'envoy', file: path, actions, syntax: 'envoy' });
  return flows;
}

/**
 * GitHub Actions `${{ … }}` expressions are replaced before the shell sees them: `${{ env.NAME }}`
 * by the workflow/job/step value when it is a constant, anything else by a same-length placeholder.
 */
const maskGithub = (s: string, vars: ReadonlyMap<string, string> = new Map()): string =>
  s.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (m, expr: string) => {
    const env = /^env\.([A-Za-z_]\w*)$/.exec(expr);
    const known = env ? vars.get(env[1]!) : undefined;
    return known !== undefined && /^[\w./:@-]+$/.test(known) ? known : `G${'_'.repeat(m.length - 1)}`;
  });

function envVars(node: YNode | undefined, into = new Map<string, string>()): Map<string, string> {
  for (const e of node?.entries() ?? []) {
    const v = e.value.str();
    if (v !== undefined && !v.includes('${{')) into.set(e.key, v);
  }
  return into;
}

export function githubFlows(path: string, root: YNode, ctx: SourceContext): DeployFlow[] {
  const flows: DeployFlow[] = [];
  const wfEnv = envVars(root.get('env'));
  for (const job of root.get('jobs')?.entries() ?? []) {
    const jobEnv = envVars(job.value.get('env'), new Map(wfEnv));
    const actions: DeployAction[] = [];
    const defaultShell = job.value.get('defaults')?.get('run')?.get('shell')?.str() ?? root.get('defaults')?.get('run')?.get('shell')?.str();
    job.value.get('steps')?.items().forEach((step, i) => {
      const label = step.get('name')?.str() ?? step.get('uses')?.str() ?? `#${i + 1}`;
      const where = `job ${job.key}, step "${label}"`;
      const vars = envVars(step.get('env'), new Map(jobEnv));
      const run = step.get('run');
      const shell = step.get('shell')?.str() ?? defaultShell;
      if (run?.str() !== undefined && (!shell || /^(bash|sh)\b/.test(shell))) {
        const r = shellActions(maskGithub(run.str()!, vars), { file: path, where, vars, map: run.locator() });
        pushError(ctx, r, `the run step "${label}"`);
        actions.push(...r.actions);
      }
      const uses = step.get('uses')?.str() ?? '';
      const w = step.get('with');
      if (/ssh/i.test(uses)) {
        const script = w?.get('script') ?? w?.get('command') ?? w?.get('commands');
        if (script?.str() !== undefined) {
          const r = shellActions(maskGithub(script.str()!, vars), { file: path, where: `${where} (${uses.split('@')[0]} on the server)`, map: script.locator() });
          pushError(ctx, r, `the ssh script of step "${label}"`);
          actions.push(...r.actions);
        }
      }
      if (/^deployphp\/action\b/.test(uses)) {
        const dep = w?.get('dep');
        if (dep?.str()) actions.push(...shellActions(`dep ${maskGithub(dep.str()!)}`, { file: path, where, map: () => dep.pos }).actions);
      }
    });
    flows.push({ name: `${path}: job ${job.key}`, source: 'github', file: path, actions, syntax: 'yaml-run' });
  }
  return flows;
}

const GITLAB_RESERVED = new Set(['stages', 'variables', 'default', 'include', 'workflow', 'image', 'services', 'cache', 'before_script', 'after_script', 'types', 'pages:deploy']);

export function gitlabFlows(path: string, root: YNode, ctx: SourceContext): DeployFlow[] {
  const flows: DeployFlow[] = [];
  const globalVars = envVars(root.get('variables'));
  const defaults = root.get('default');
  const globalBefore = root.get('before_script') ?? defaults?.get('before_script');
  const jobs = new Map(root.entries().map((e) => [e.key, e.value]));
  /** A job's key, looking through `extends:` (GitLab merges the extended jobs' keys under the job's own). */
  const lookup = (job: YNode, key: string, seen = new Set<YNode>()): YNode | undefined => {
    const own = job.get(key);
    if (own || seen.has(job)) return own;
    seen.add(job);
    const parents = job.get('extends')?.strings() ?? [];
    for (const name of [...parents].reverse()) {
      const parent = jobs.get(name);
      const found = parent && parent.kind === 'map' ? lookup(parent, key, seen) : undefined;
      if (found) return found;
    }
    return undefined;
  };
  for (const job of root.entries()) {
    if (GITLAB_RESERVED.has(job.key) || job.value.kind !== 'map') continue;
    if (!lookup(job.value, 'script')) continue;
    const vars = envVars(job.value.get('variables'), new Map(globalVars));
    const actions: DeployAction[] = [];
    for (const key of ['before_script', 'script', 'after_script'] as const) {
      const node = lookup(job.value, key) ?? (key === 'before_script' ? globalBefore : undefined);
      if (!node) continue;
      const items = node.kind === 'seq' ? node.items().flatMap((it) => (it.kind === 'seq' ? it.items() : [it])) : [node];
      for (const it of items) {
        const s = it.str();
        if (s === undefined) continue;
        const r = shellActions(s, { file: path, where: `job ${job.key} (${key})`, vars, map: it.locator() });
        pushError(ctx, r, `a ${key} line of job ${job.key}`);
        actions.push(...r.actions);
      }
    }
    flows.push({ name: `${path}: job ${job.key}`, source: 'gitlab', file: path, actions, syntax: 'yaml-run' });
  }
  return flows;
}
