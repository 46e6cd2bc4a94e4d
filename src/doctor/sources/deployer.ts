import { posix } from 'node:path';
import { deployerTaskTags, shellActions } from '../actions.js';
import { evalString, flattenChain, nameOf, parsePhp, posOf, shortName, walk, type PhpNode } from '../../php/ast.js';
import type { YNode } from '../parse/yaml.js';
import type { DeployAction, DeployFlow, Loc } from '../types.js';
import type { SourceContext } from './context.js';

/**
 * Deployer recipes (deploy.php through the PHP parser, deploy.yaml through YAML) → a task model →
 * the `deploy` flow in the order Deployer runs it: the recipe's task list (or the user's), with
 * `before()`/`after()` hooks, custom task bodies (`run()`, `artisan()`, `invoke()`) and the
 * built-in tasks that matter (deploy:symlink, artisan:migrate, php-fpm:reload …) as actions.
 * Facts from deployphp/deployer (recipe/laravel.php, recipe/symfony.php, recipe/common.php,
 * recipe/deploy/symlink.php, contrib/php-fpm.php).
 */

interface Ref {
  name: string;
  loc: Loc;
}

interface Task {
  name: string;
  loc: Loc;
  body?: DeployAction[];
  group?: Ref[];
}

export interface DeployerModel {
  file: string;
  syntax: 'deployer-php' | 'deployer-yaml';
  recipe?: { name: string; loc: Loc };
  tasks: Map<string, Task>;
  before: Map<string, Ref[]>;
  after: Map<string, Ref[]>;
  config: Map<string, { value: string | string[]; loc: Loc }>;
  /** Hosts with the stage they deploy (`->stage('prod')`, labels `stage`), '' when none is given. */
  hosts: Array<{ loc: Loc; stage: string }>;
}

/** Task lists of the stock recipes (deployphp/deployer HEAD 2026-04). */
const RECIPE_TASKS: Record<string, Record<string, string[]>> = {
  common: {
    deploy: ['deploy:prepare', 'deploy:publish'],
    'deploy:publish': ['deploy:symlink', 'deploy:unlock', 'deploy:cleanup', 'deploy:success'],
  },
  laravel: {
    deploy: ['deploy:prepare', 'deploy:vendors', 'artisan:storage:link', 'artisan:optimize', 'artisan:migrate', 'deploy:publish', 'artisan:reload'],
  },
  symfony: {
    deploy: ['deploy:prepare', 'deploy:vendors', 'deploy:cache:clear', 'deploy:publish'],
  },
};

const RECIPE_CONFIG: Record<string, Record<string, string | string[]>> = {
  common: {
    current_path: '{{deploy_path}}/current',
    release_path: '{{deploy_path}}/releases/{{release_name}}',
    release_or_current_path: '{{release_path}}',
    'bin/php': 'php',
    php_fpm_service: 'php{{php_fpm_version}}-fpm',
    shared_dirs: [],
    shared_files: [],
  },
  laravel: { shared_dirs: ['storage'], shared_files: ['.env'], 'bin/artisan': '{{bin/php}} {{release_or_current_path}}/artisan' },
  symfony: { shared_dirs: ['var/log'], shared_files: ['.env.local'], 'bin/console': '{{bin/php}} {{release_or_current_path}}/bin/console' },
};

function emptyModel(file: string, syntax: DeployerModel['syntax']): DeployerModel {
  return { file, syntax, tasks: new Map(), before: new Map(), after: new Map(), config: new Map(), hosts: [] };
}

function recipeName(path: string): string | undefined {
  const m = /recipe\/([\w-]+)\.php$/.exec(path);
  return m ? m[1] : undefined;
}

/** Value of a Deployer setting, recipe defaults included. */
export function configValue(model: DeployerModel, key: string): string | string[] | undefined {
  return model.config.get(key)?.value ?? RECIPE_CONFIG[model.recipe?.name ?? '']?.[key] ?? RECIPE_CONFIG.common![key];
}

function resolver(model: DeployerModel): (s: string) => string {
  return (s) => {
    let out = s;
    for (let i = 0; i < 6 && out.includes('{{'); i++) {
      out = out.replace(/\{\{\s*([\w/.-]+)\s*\}\}/g, (m, k: string) => {
        const v = configValue(model, k);
        return typeof v === 'string' ? v : m;
      });
    }
    return out;
  };
}

/** The `stage` entry of a labels array (`['stage' => 'prod']`). */
function labelStage(arr: PhpNode): string | undefined {
  for (const it of (arr.items ?? []) as PhpNode[]) if (it.kind === 'entry' && approxString(it.key) === 'stage') return approxString(it.value);
  return undefined;
}

/** A string argument, or its literal parts when it interpolates PHP variables. */
function approxString(node: PhpNode | undefined): string | undefined {
  if (!node) return undefined;
  const v = evalString(node);
  if ('value' in v) return v.value;
  if (node.kind === 'encapsed') return ((node.value ?? []) as PhpNode[]).map((p) => (p.kind === 'encapsedpart' ? approxString(p.expression) ?? '' : approxString(p) ?? '')).join('');
  if (node.kind === 'bin' && node.type === '.') return `${approxString(node.left) ?? ''}${approxString(node.right) ?? ''}`;
  if (node.kind === 'variable') return `$${String(node.name)}`;
  return undefined;
}

function phpStrings(node: PhpNode | undefined): Array<{ value: string; node: PhpNode }> {
  if (!node) return [];
  if (node.kind === 'array') {
    return ((node.items ?? []) as PhpNode[]).flatMap((it) => {
      const v = it.kind === 'entry' ? it.value : it;
      const s = approxString(v);
      return s === undefined ? [] : [{ value: s, node: v as PhpNode }];
    });
  }
  const s = approxString(node);
  return s === undefined ? [] : [{ value: s, node }];
}

export function readDeployerPhp(path: string, text: string, ctx: SourceContext): DeployerModel | undefined {
  // a deploy.php can also be a home-made webhook script: only Deployer recipes are read as such
  if (!/\bnamespace\s+Deployer\b|\bDeployer\\|recipe\/[\w-]+\.php/.test(text)) return undefined;
  const parsed = parsePhp(text, path);
  if ('error' in parsed) {
    ctx.problems.push({ file: path, line: parsed.error.line, message: `cannot parse PHP: ${parsed.error.message}`, unparsed: 'file' });
    return undefined;
  }
  const model = emptyModel(path, 'deployer-php');
  const topCalls: Array<{ call: PhpNode; file: string }> = [];
  const seen = new Set([path]);
  // The top-level calls in the order PHP runs them: a project file the recipe requires (a recipe split
  // over files, such as the one zdd-plan writes) runs where it is required.
  const collect = (file: string, ast: PhpNode): void => {
    const local = (target: PhpNode | undefined): void => {
      const rel = localInclude(target, file);
      if (!rel || seen.has(rel) || seen.size > 20) return;
      seen.add(rel);
      const included = ctx.readFile?.(rel);
      if (included === undefined) return;
      const p = parsePhp(included, rel);
      if ('error' in p) ctx.problems.push({ file: rel, line: p.error.line, message: `cannot parse PHP (required by ${file}): ${p.error.message}`, unparsed: 'file' });
      else collect(rel, p.ast);
    };
    walk(ast, (n) => {
      if (n.kind === 'closure' || n.kind === 'arrowfunc' || n.kind === 'function' || n.kind === 'class') return false;
      if (n.kind === 'include') {
        const target = approxString(n.target);
        const name = target ? recipeName(target) : undefined;
        if (name && !model.recipe) model.recipe = { name, loc: { file, ...posOf(n) } };
        else if (!name) local(n.target);
        return false;
      }
      if (n.kind === 'call') {
        topCalls.push({ call: n, file });
        if (shortName(nameOf(n.what)) === 'import') local((n.arguments ?? [])[0] as PhpNode | undefined);
        return false;
      }
      return undefined;
    });
  };
  collect(path, parsed.ast);
  // first pass: settings, recipe, hosts (task bodies need the settings to resolve {{placeholders}})
  for (const { call, file } of topCalls) {
    const loc = (n: PhpNode): Loc => ({ file, ...posOf(n) });
    const { base, calls } = flattenChain(call);
    const fn = shortName(nameOf(base) ?? calls[0]?.name);
    const first = calls[0];
    if (!first) continue;
    const args = first.args;
    if ((fn === 'set' || fn === 'add') && args.length >= 2) {
      const key = approxString(args[0]);
      if (!key) continue;
      const list = args[1]!.kind === 'array';
      const values = phpStrings(args[1]).map((s) => s.value);
      const prev = configValue(model, key);
      const value = list ? (fn === 'add' && Array.isArray(prev) ? [...prev, ...values] : values) : values[0];
      if (value !== undefined) model.config.set(key, { value, loc: loc(call) });
    } else if (fn === 'host') {
      // staging and production hosts are not a cluster: group by stage (Deployer 6 ->stage(), 7 labels)
      let stage = '';
      for (const c of calls.slice(1)) {
        const [a, b] = c.args;
        if (c.name === 'stage' && a) stage = approxString(a) ?? '';
        else if ((c.name === 'setLabels' || c.name === 'addLabels') && a?.kind === 'array') stage = labelStage(a) ?? stage;
        else if (c.name === 'set' && a && b && /^(stage|labels)$/.test(approxString(a) ?? '')) stage = (b.kind === 'array' ? labelStage(b) : approxString(b)) ?? stage;
      }
      for (let i = 0; i < Math.max(1, args.length); i++) model.hosts.push({ loc: loc(call), stage });
    } else if (fn === 'import' && args[0]) {
      const name = recipeName(approxString(args[0]) ?? '');
      if (name && !model.recipe) model.recipe = { name, loc: loc(call) };
    }
  }
  const resolve = resolver(model);
  for (const { call, file } of topCalls) {
    const loc = (n: PhpNode): Loc => ({ file, ...posOf(n) });
    const { base, calls } = flattenChain(call);
    const fn = shortName(nameOf(base) ?? calls[0]?.name);
    const args = calls[0]?.args ?? [];
    if (fn === 'task' && args[0]) {
      const name = approxString(args[0]);
      if (!name) continue;
      const task: Task = { name, loc: loc(call) };
      const def = args[1];
      if (def?.kind === 'array') task.group = phpStrings(def).map((s) => ({ name: s.value, loc: loc(s.node) }));
      else if (def) task.body = bodyActions(def, file, `task ${name}`, resolve, ctx);
      model.tasks.set(name, task);
    } else if ((fn === 'before' || fn === 'after') && args.length >= 2) {
      const target = approxString(args[0]);
      if (!target) continue;
      const map = fn === 'before' ? model.before : model.after;
      const list = map.get(target) ?? [];
      if (args[1]!.kind === 'closure' || args[1]!.kind === 'arrowfunc') {
        const name = `${fn} ${target} (closure)`;
        model.tasks.set(name, { name, loc: loc(call), body: bodyActions(args[1]!, file, `${fn}('${target}') closure`, resolve, ctx) });
        list.push({ name, loc: loc(call) });
      } else for (const s of phpStrings(args[1])) list.push({ name: s.value, loc: loc(call) });
      map.set(target, list);
    }
  }
  return model;
}

/**
 * The project file a `require`/`include`/`import()` names, from the project root: `__DIR__ . '/x.php'`
 * or a relative path (resolved against the requiring file's folder, where `dep` runs); undefined for
 * anything else (Deployer's own recipes, absolute paths, computed names).
 */
function localInclude(target: PhpNode | undefined, from: string): string | undefined {
  let rel: string | undefined;
  if (target?.kind === 'bin' && target.type === '.' && target.left?.kind === 'magic' && target.left.value === '__DIR__') {
    const v = evalString(target.right);
    if ('value' in v && v.value.startsWith('/')) rel = v.value.slice(1);
  } else {
    const v = evalString(target);
    if ('value' in v && !v.value.startsWith('/') && !/^(recipe|contrib)\//.test(v.value) && !v.value.includes('://')) rel = v.value;
  }
  if (!rel || !rel.endsWith('.php')) return undefined;
  const joined = posix.normalize(posix.join(posix.dirname(from), rel));
  return joined.startsWith('../') ? undefined : joined;
}

/** The commands a task body runs: run()/runLocally() strings, artisan() shortcuts, invoke(). */
function bodyActions(def: PhpNode, file: string, where: string, resolve: (s: string) => string, ctx: SourceContext): DeployAction[] {
  const actions: DeployAction[] = [];
  walk(def, (n) => {
    if (n.kind !== 'call') return undefined;
    const fn = shortName(nameOf(n.what));
    const arg = (n.arguments ?? [])[0] as PhpNode | undefined;
    if ((fn === 'run' || fn === 'runLocally') && arg) {
      const script = approxString(arg);
      if (script === undefined) return false;
      const p = posOf(arg);
      const quote = arg.kind === 'string' || arg.kind === 'encapsed' ? 1 : 0;
      const r = shellActions(script, { file, where, resolve, map: (line, col) => (line === 1 ? { line: p.line, col: p.col + quote + col - 1 } : { line: p.line + line - 1, col }) });
      if (r.error) ctx.problems.push({ file, line: r.error.line, message: `cannot parse the shell command in run(): ${r.error.message}`, unparsed: 'part' });
      actions.push(...r.actions);
      return false;
    }
    if (fn === 'artisan' && arg) {
      const sub = approxString(arg);
      if (sub === undefined) return false;
      const p = posOf(n);
      actions.push(...shellActions(`{{bin/php}} {{release_or_current_path}}/artisan ${sub}`, { file, where, resolve, map: () => p }).actions.map((a) => ({ ...a, text: `artisan('${sub}')` })));
      return false;
    }
    if (fn === 'invoke' && arg) {
      const name = approxString(arg);
      if (name) actions.push({ argv: ['dep', name], text: `invoke('${name}')`, loc: { file, ...posOf(n) }, where, tags: {}, task: name });
      return false;
    }
    return undefined;
  });
  return actions;
}

export function readDeployerYaml(path: string, root: YNode): DeployerModel {
  const model = emptyModel(path, 'deployer-yaml');
  const loc = (n: { line: number; col: number }): Loc => ({ file: path, line: n.line, col: n.col });
  for (const imp of root.get('import')?.strings() ?? []) {
    const name = recipeName(imp);
    if (name && !model.recipe) model.recipe = { name, loc: loc(root.get('import')!) };
  }
  for (const e of root.get('config')?.entries() ?? []) {
    const value = e.value.kind === 'seq' ? e.value.strings() : e.value.str();
    if (value !== undefined) model.config.set(e.key, { value, loc: loc(e) });
  }
  for (const e of root.get('hosts')?.entries() ?? []) {
    if (e.value.get('local')?.str() === 'true') continue;
    model.hosts.push({ loc: loc(e), stage: e.value.get('labels')?.get('stage')?.str() ?? e.value.get('stage')?.str() ?? '' });
  }
  return model;
}

/** deploy.yaml tasks and hooks (second pass: settings are known). */
export function readDeployerYamlTasks(model: DeployerModel, root: YNode, ctx: SourceContext): void {
  const path = model.file;
  const resolve = resolver(model);
  for (const e of root.get('tasks')?.entries() ?? []) {
    const task: Task = { name: e.key, loc: { file: path, line: e.line, col: e.col } };
    const steps = e.value.items();
    if (steps.length && steps.every((s) => s.kind === 'scalar')) task.group = steps.map((s) => ({ name: s.str()!, loc: { file: path, line: s.line, col: s.col } }));
    else {
      task.body = [];
      for (const step of steps) {
        const cmd = step.get('run') ?? step.get('run_locally');
        const script = cmd?.str();
        if (!cmd || script === undefined) continue;
        const r = shellActions(script, { file: path, where: `task ${e.key}`, resolve, map: cmd.locator() });
        if (r.error) ctx.problems.push({ file: path, line: r.error.line, message: `cannot parse the shell command: ${r.error.message}`, unparsed: 'part' });
        task.body.push(...r.actions);
      }
    }
    model.tasks.set(e.key, task);
  }
  for (const hook of ['before', 'after'] as const) {
    for (const e of root.get(hook)?.entries() ?? []) {
      const map = hook === 'before' ? model.before : model.after;
      const list = map.get(e.key) ?? [];
      for (const name of e.value.strings()) list.push({ name, loc: { file: path, line: e.line, col: e.col } });
      map.set(e.key, list);
    }
  }
}

/**
 * The actions of running `task`, in order, hooks included. Built-in tasks become one action at the
 * place they are referenced (a task list entry, a hook, or the recipe import for the stock flow).
 */
export function expandTask(model: DeployerModel, task: string, refIn: Loc, ctx: SourceContext, seen = new Set<string>()): DeployAction[] {
  let ref = refIn;
  if (seen.has(task) || seen.size > 200) return [];
  seen.add(task);
  // invoked from elsewhere (a CI job's `dep deploy`): locate the recipe's steps in the recipe, so the
  // same step reached through two flows is one finding
  if (ref.file !== model.file) ref = model.tasks.get(task)?.loc ?? model.recipe?.loc ?? ref;
  const out: DeployAction[] = [];
  for (const h of model.before.get(task) ?? []) out.push(...expandTask(model, h.name, h.loc, ctx, seen));
  const own = model.tasks.get(task);
  const recipe = model.recipe?.name ?? 'common';
  const stock = RECIPE_TASKS[recipe]?.[task] ?? RECIPE_TASKS.common![task];
  if (own?.group) for (const r of own.group) out.push(...expandTask(model, r.name, r.loc, ctx, seen));
  else if (own?.body) {
    for (const a of own.body) {
      if (a.argv[0] === 'dep' && a.task) out.push(...expandTask(model, a.task, a.loc, ctx, seen));
      else out.push(a);
    }
  } else if (stock) {
    for (const t of stock) out.push(...expandTask(model, t, ref, ctx, seen));
  } else {
    const tags = task === 'artisan:reload' ? (laravelAtLeast(ctx.laravelVersion, 12, 41) ? { workersRestart: { how: 'artisan:reload (Laravel ≥ 12.41)' } } : {}) : deployerTaskTags(task);
    out.push({ argv: ['dep', task], text: task, loc: ref, where: `task ${task}`, tags, task });
  }
  for (const h of model.after.get(task) ?? []) out.push(...expandTask(model, h.name, h.loc, ctx, seen));
  seen.delete(task);
  return out;
}

function laravelAtLeast(version: string | undefined, major: number, minor: number): boolean {
  const m = version ? /^v?(\d+)\.(\d+)/.exec(version) : null;
  if (!m) return false;
  const a = Number(m[1]);
  const b = Number(m[2]);
  return a > major || (a === major && b >= minor);
}

/** The flows of a Deployer recipe: `deploy` (expanded) and each custom task on its own. */
export function deployerFlows(model: DeployerModel, ctx: SourceContext): DeployFlow[] {
  const flows: DeployFlow[] = [];
  const deployRef = model.tasks.get('deploy')?.loc ?? model.recipe?.loc;
  if (deployRef) {
    flows.push({ name: `${model.file}: dep deploy`, source: 'deployer', file: model.file, actions: expandTask(model, 'deploy', deployRef, ctx), syntax: model.syntax });
  }
  for (const t of model.tasks.values()) {
    if (t.body?.length && t.name !== 'deploy') flows.push({ name: `${model.file}: task ${t.name}`, source: 'deployer', file: model.file, actions: t.body, syntax: model.syntax });
  }
  return flows;
}
