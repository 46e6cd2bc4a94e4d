import { shellActions } from '../actions.js';
import type { YNode } from '../parse/yaml.js';
import type { K8sContainer, K8sWorkload } from '../types.js';

/**
 * Kubernetes manifests (and Helm templates, masked by the YAML reader): workloads with their
 * replicas, update strategy, containers (command, ports, readiness probe) and hook annotations.
 */

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod']);

const quote = (w: string): string => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);

export function readWorkloads(path: string, docs: YNode[]): K8sWorkload[] {
  const out: K8sWorkload[] = [];
  const docsFlat = docs.flatMap((d) => (d.get('kind')?.str() === 'List' ? d.get('items')?.items() ?? [] : [d]));
  for (const doc of docsFlat) {
    const kind = doc.get('kind')?.str();
    if (!kind || !WORKLOADS.has(kind)) continue;
    const meta = doc.get('metadata');
    const name = meta?.get('name')?.str() ?? '(unnamed)';
    const spec = doc.get('spec');
    const podSpec = kind === 'Pod' ? spec : kind === 'CronJob' ? spec?.get('jobTemplate')?.get('spec')?.get('template')?.get('spec') : spec?.get('template')?.get('spec');
    const annotations = meta?.get('annotations');
    const hook = annotations?.get('helm.sh/hook')?.str() ?? annotations?.get('argocd.argoproj.io/hook')?.str();
    const w: K8sWorkload = { kind, name, file: path, loc: { file: path, line: doc.line, col: doc.col }, containers: [] };
    if (hook) w.hook = hook;
    const replicas = spec?.get('replicas')?.str();
    if (replicas !== undefined && /^\d+$/.test(replicas)) w.replicas = Number(replicas);
    const strategy = spec?.get('strategy');
    if (kind === 'Deployment' && strategy) {
      const ru = strategy.get('rollingUpdate');
      const mu = ru?.get('maxUnavailable');
      w.strategy = { loc: { file: path, line: strategy.line, col: strategy.col } };
      const type = strategy.get('type');
      if (type?.str()) {
        w.strategy.type = type.str();
        w.strategy.typeLoc = { file: path, line: type.line, col: type.col };
      }
      if (mu?.str() !== undefined) {
        w.strategy.maxUnavailable = /^\d+$/.test(mu.str()!) ? Number(mu.str()) : mu.str();
        w.strategy.maxUnavailableLoc = { file: path, line: mu.line, col: mu.col };
      }
      const ms = ru?.get('maxSurge')?.str();
      if (ms !== undefined) w.strategy.maxSurge = /^\d+$/.test(ms) ? Number(ms) : ms;
    }
    for (const [key, init] of [['initContainers', true], ['containers', false]] as const) {
      for (const c of podSpec?.get(key)?.items() ?? []) {
        const cname = c.get('name');
        const cmdNode = c.get('command') ?? c.get('args');
        const words = [...(c.get('command')?.strings() ?? []), ...(c.get('args')?.strings() ?? [])];
        const container: K8sContainer = {
          name: cname?.str() ?? '(unnamed)',
          image: c.get('image')?.str() ?? '',
          loc: { file: path, line: (cname ?? c).line, col: (cname ?? c).col },
          command: words,
          hasPorts: (c.get('ports')?.items().length ?? 0) > 0,
          init,
          actions: [],
        };
        const port = c.get('ports')?.items()[0]?.get('containerPort')?.str() ?? c.get('ports')?.items()[0]?.get('name')?.str();
        if (port) container.port = port;
        if (cmdNode) container.commandLoc = { file: path, line: cmdNode.line, col: cmdNode.col };
        const probe = c.get('readinessProbe');
        if (probe) {
          container.readinessProbe = { loc: { file: path, line: probe.line, col: probe.col } };
          const p = probe.get('httpGet')?.get('path')?.str();
          if (p) container.readinessProbe.path = p;
        }
        if (words.length) {
          const at = container.commandLoc!;
          container.actions = shellActions(words.map(quote).join(' '), { file: path, where: `${kind} ${name}, container ${container.name}`, map: () => ({ line: at.line, col: at.col }) }).actions;
        }
        w.containers.push(container);
      }
    }
    out.push(w);
  }
  return out;
}
