import { resolve, sep } from 'node:path';
import { readTextFile } from '../discover/files.js';
import type { FileProblem } from '../util/errors.js';
import { discoverDeployFiles } from './discover.js';
import type { DoctorOptions } from './options.js';
import { parseIni } from './parse/ini.js';
import { parseNginx } from './parse/nginx.js';
import { eachDirective, startsSupervisord } from './rule-kit.js';
import { loadYaml, parseYaml, type YNode } from './parse/yaml.js';
import { HEALTH_PATH, healthRoutes, laravelSettings, mergeEnv, symfonySettings } from './sources/app.js';
import type { SourceContext } from './sources/context.js';
import { configValue, deployerFlows, expandTask, readDeployerPhp, readDeployerYaml, readDeployerYamlTasks, type DeployerModel } from './sources/deployer.js';
import { hookCovers, readDockerfile } from './sources/dockerfile.js';
import { readWorkloads } from './sources/kubernetes.js';
import { makeFlows } from './sources/make.js';
import { supervisorFlows } from './sources/supervisor.js';
import { envoyFlows, githubFlows, gitlabFlows, shellFlow } from './sources/scripts.js';
import type { DeployAction, DeployFile, DeployFlow, DeployProject, EnvFile, FpmFile, HealthRoute, NginxFile, ProjectFacts } from './types.js';
import { parseDotenv } from '../util/dotenv.js';

/**
 * Reads a project's deploy setup: discovers the files, parses each once, and builds the
 * DeployProject the rules judge. A file that does not parse is a problem naming the file and line
 * (the caller turns problems into exit code 2); the other files are still read.
 */
export async function loadDeployProject(root: string, options: DoctorOptions): Promise<{ project: DeployProject; problems: FileProblem[] }> {
  const { files, problems } = discoverDeployFiles(root, options);
  const ctx: SourceContext = {
    problems,
    packages: new Set(),
    // a file inside the project (a Makefile's include), discovered or not
    readFile: (path) => {
      const found = files.find((f) => f.path === path);
      if (found) return found.text;
      const abs = resolve(root, path);
      if (abs !== resolve(root) && !abs.startsWith(resolve(root) + sep)) return undefined;
      const read = readTextFile({ abs, path }, 'a file a Makefile includes');
      return 'text' in read ? read.text : undefined;
    },
  };
  const byKind = (k: DeployFile['kind']): DeployFile[] => files.filter((f) => f.kind === k);

  const lock = byKind('composer-lock')[0];
  if (lock) {
    try {
      const json = JSON.parse(lock.text) as { packages?: Array<{ name: string; version: string }> };
      const fw = json.packages?.find((p) => p.name === 'laravel/framework');
      if (fw) ctx.laravelVersion = fw.version.replace(/^v/, '');
      ctx.packages = new Set((json.packages ?? []).map((p) => p.name));
    } catch {
      problems.push({ file: lock.path, message: 'invalid JSON (zdd doctor could not read the Laravel version from it)' });
    }
  }

  const yamlKinds = new Set<DeployFile['kind']>(['deployer-yaml', 'github-workflow', 'gitlab-ci', 'kubernetes', 'symfony-config']);
  const yamlDocs = new Map<string, YNode[]>();
  if (files.some((f) => yamlKinds.has(f.kind))) {
    await loadYaml();
    for (const f of files.filter((x) => yamlKinds.has(x.kind))) {
      const r = parseYaml(f.text, { templated: f.kind === 'kubernetes' && f.text.includes('{{') });
      if ('error' in r) problems.push({ file: f.path, line: r.error.line, message: `cannot parse YAML: ${r.error.message}`, unparsed: 'file' });
      else yamlDocs.set(f.path, r.docs);
    }
  }

  // Deployer first: CI jobs that run `dep deploy` expand into its flow
  let deployer: DeployerModel | undefined;
  for (const f of byKind('deployer-php')) deployer ??= readDeployerPhp(f.path, f.text, ctx);
  for (const f of byKind('deployer-yaml')) {
    const doc = yamlDocs.get(f.path)?.[0];
    if (doc && !deployer) {
      deployer = readDeployerYaml(f.path, doc);
      readDeployerYamlTasks(deployer, doc, ctx);
    }
  }

  const flows: DeployFlow[] = [];
  if (deployer) flows.push(...deployerFlows(deployer, ctx));
  for (const f of files) {
    const docs = yamlDocs.get(f.path);
    if (f.kind === 'shell') flows.push(...shellFlow(f.path, f.text, ctx));
    else if (f.kind === 'makefile') flows.push(...makeFlows(f.path, f.text, ctx));
    else if (f.kind === 'supervisor') flows.push(...supervisorFlows(f.path, f.text, ctx));
    else if (f.kind === 'envoy') flows.push(...envoyFlows(f.path, f.text, ctx));
    else if (f.kind === 'github-workflow' && docs?.[0]) flows.push(...githubFlows(f.path, docs[0], ctx));
    else if (f.kind === 'gitlab-ci' && docs?.[0]) flows.push(...gitlabFlows(f.path, docs[0], ctx));
  }
  if (deployer) {
    const model = deployer;
    for (const flow of flows) {
      if (flow.source === 'deployer') continue;
      flow.actions = flow.actions.flatMap((a): DeployAction[] => {
        if (!a.tags.deployer) return [a];
        const task = a.tags.deployer.task;
        const expanded = expandTask(model, task, a.loc, ctx).map((x) => ({ ...x, where: `${x.where} (via ${a.where}: dep ${task})` }));
        // the expansion carries the swap, migrations … of the recipe; the `dep` line itself only marks the call
        return [{ ...a, tags: { deployer: { task } } }, ...expanded];
      });
    }
  }

  const nginx: NginxFile[] = [];
  for (const f of byKind('nginx')) {
    const r = parseNginx(f.text);
    if ('error' in r) problems.push({ file: f.path, line: r.error.line, message: `cannot parse nginx config: ${r.error.message}`, unparsed: 'file' });
    else nginx.push({ path: f.path, directives: r.directives });
  }
  const fpm: FpmFile[] = [];
  for (const f of byKind('php-fpm')) {
    const r = parseIni(f.text);
    if ('error' in r) problems.push({ file: f.path, line: r.error.line, message: `cannot parse php-fpm config: ${r.error.message}`, unparsed: 'file' });
    else fpm.push({ path: f.path, sections: r.sections });
  }
  // env() in Laravel config reads through phpdotenv; Symfony settings come from YAML
  const env: EnvFile[] = byKind('dotenv').map((f) => ({ path: f.path, entries: parseDotenv(f.text, { syntax: 'phpdotenv' }) }));
  const mergedEnv = mergeEnv(env);

  const laravelConfigs = byKind('laravel-config');
  const isLaravel = laravelConfigs.length > 0 || !!ctx.laravelVersion || mergedEnv.has('APP_KEY') || byKind('laravel-bootstrap').length > 0;
  const settings = isLaravel ? laravelSettings(laravelConfigs, mergedEnv, ctx.laravelVersion, ctx) : [];
  settings.push(...symfonySettings(byKind('symfony-config').flatMap((f) => (yamlDocs.get(f.path) ?? []).map((doc) => ({ path: f.path, doc })))));

  const health: HealthRoute[] = [];
  for (const f of [...byKind('routes'), ...byKind('laravel-bootstrap')]) health.push(...healthRoutes(f.path, f.text, ctx));
  for (const n of nginx) {
    eachDirective(n.directives, (d) => {
      if (d.name !== 'location' || !d.block) return;
      const path = d.args[d.args.length - 1] ?? '';
      const ret = d.block.find((x) => x.name === 'return');
      if (ret && /^2\d\d$/.test(ret.args[0] ?? '') && HEALTH_PATH.test(path.replace(/^[=~^*\s]+/, ''))) {
        health.push({ path, loc: { file: n.path, line: ret.line, col: ret.col }, checks: [], how: 'nginx-return' });
      }
    });
  }

  const workloads = byKind('kubernetes').flatMap((f) => readWorkloads(f.path, yamlDocs.get(f.path) ?? []));
  const dockerfiles = byKind('dockerfile').map((f) => readDockerfile(f.path, f.text, ctx));
  const images = dockerfiles.flatMap((d) => d.image ?? []);
  const hooks = dockerfiles.flatMap((d) => d.hooks);
  for (const flow of flows) {
    if (flow.source !== 'shell') continue;
    // the start command runs it, or it is copied where the image's init system runs it at start
    flow.containerStart ??= images.find((image) => image.scripts.includes(flow.file))?.loc ?? hooks.find((h) => hookCovers(h, flow.file))?.loc;
  }
  // supervisord's programs start with the container whose start command (or start script) runs supervisord
  const supervisordStart = images.find((image) => startsSupervisord(image.words))?.loc ?? flows.find((f) => f.containerStart && f.actions.some((a) => startsSupervisord(a.argv)))?.containerStart;
  if (supervisordStart) for (const flow of flows) if (flow.source === 'supervisor') flow.containerStart ??= supervisordStart;

  const horizon = ctx.packages.has('laravel/horizon') || workloads.some((w) => w.containers.some((c) => /\bhorizon\b/.test(c.command.join(' '))));
  const facts: ProjectFacts = { symlinkDeploy: false, kubernetes: workloads.length > 0, horizon };
  if (ctx.laravelVersion) facts.laravelVersion = ctx.laravelVersion;
  const swaps = flows.flatMap((f) => f.actions).some((a) => a.tags.swap || a.tags.removesLive);
  const currentRoot = nginx.some((n) => {
    let found = false;
    eachDirective(n.directives, (d) => {
      if (d.name === 'root' && /\/current(\/|$)/.test(d.args[0] ?? '')) found = true;
    });
    return found;
  });
  facts.symlinkDeploy = swaps || !!deployer || currentRoot;
  if (deployer) {
    const dirs = configValue(deployer, 'shared_dirs');
    const sharedFiles = configValue(deployer, 'shared_files');
    const loc = deployer.config.get('shared_dirs')?.loc ?? deployer.config.get('shared_files')?.loc ?? deployer.recipe?.loc ?? { file: deployer.file, line: 1, col: 1 };
    facts.shared = { dirs: Array.isArray(dirs) ? dirs : [], files: Array.isArray(sharedFiles) ? sharedFiles : [], loc, syntax: deployer.syntax };
    const byStage = new Map<string, number>();
    for (const h of deployer.hosts) byStage.set(h.stage, (byStage.get(h.stage) ?? 0) + 1);
    const [stage, count] = [...byStage].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
    if (count > 1) facts.servers = { many: true, why: `${count} hosts${stage ? ` for stage ${stage}` : ''} in ${deployer.file}` };
  }
  const deployments = workloads.filter((w) => w.kind === 'Deployment' || w.kind === 'StatefulSet');
  if (deployments.length) {
    const w = deployments[0]!;
    facts.servers = { many: true, why: `Kubernetes ${w.kind} ${w.name} (${w.file}): pods are replaced on every rollout${(w.replicas ?? 1) > 1 ? ` and ${w.replicas} run at once` : ''}` };
  }
  const queue = settings.find((s) => s.what === 'queue' && !/^(sync|null)$/.test(s.value));
  if (queue) facts.queues = { why: queue.source, loc: queue.loc };
  else {
    const worker = workloads.flatMap((w) => w.containers).find((c) => /queue:work|queue:listen|horizon\b|messenger:consume/.test(c.command.join(' ')));
    if (worker) facts.queues = { why: `container ${worker.name} runs ${worker.command.join(' ')}`, loc: worker.loc };
  }

  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)));
  // parse failures are also findings (unparsed-deploy-file), so reports show them at the file
  const unparsed = problems.filter((p) => p.unparsed);
  const project: DeployProject = { root, files, flows, nginx, fpm, env, settings, healthRoutes: health, workloads, images, facts, unparsed };
  // on stderr and in the report's problems, a parse failure says what was left unchecked
  const said = problems.map((p) => (p.unparsed ? { ...p, message: `${p.message} (zdd doctor did not check ${p.unparsed === 'file' ? 'this file' : 'it'})` } : p));
  return { project, problems: said };
}
