import { fix } from '../src/doctor/rule-kit.js';
import type { DeployFinding, DeployRule } from '../src/doctor/types.js';

const STRATEGY = ['strategy:', '  type: RollingUpdate', '  rollingUpdate:', '    maxUnavailable: 0', '    maxSurge: 1'];

/** Pods Kubernetes may take down at once: integers as is, percentages rounded down (the Deployment controller's rule). */
function unavailablePods(value: string | number, replicas: number): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value.trim());
  return m ? Math.floor((replicas * Number(m[1])) / 100) : Number.NaN;
}

const rule: DeployRule = {
  id: 'k8s-max-unavailable',
  summary: 'A Deployment may take serving pods down during a rollout (maxUnavailable > 0, the 25% default, or Recreate)',
  defaultSeverity: 'error',
  scope: 'deploy',
  check(project) {
    const out: DeployFinding[] = [];
    for (const w of project.workloads) {
      if (w.kind !== 'Deployment') continue;
      const replicas = w.replicas ?? 1;
      const s = w.strategy;
      if (s?.type === 'Recreate') {
        const at = s.typeLoc ?? s.loc;
        out.push({ file: w.file, line: at.line, col: at.col, subject: `Deployment ${w.name}`, message: `Deployment ${w.name} uses the Recreate strategy: Kubernetes stops every old pod before it starts the new ones, so the app serves nothing until the new pods are ready.`, fix: fix('Roll pods one at a time, starting a new one before an old one goes:', ...STRATEGY) });
        continue;
      }
      const value = s?.maxUnavailable ?? '25%';
      const explicit = s?.maxUnavailable !== undefined;
      const pods = unavailablePods(value, replicas);
      const percentUnknownReplicas = typeof value === 'string' && w.replicas === undefined && /^[1-9]\d*%$/.test(value) && explicit;
      if (!(pods >= 1 || percentUnknownReplicas)) continue;
      const at = s?.maxUnavailableLoc ?? s?.loc ?? w.loc;
      out.push({
        file: w.file,
        line: at.line,
        col: at.col,
        subject: `Deployment ${w.name}`,
        message: `Deployment ${w.name} has maxUnavailable ${explicit ? value : `unset (Kubernetes' default is 25%)`}${Number.isNaN(pods) ? '' : ` = ${pods} of ${replicas} pod${replicas === 1 ? '' : 's'}`}: during every rollout Kubernetes takes serving pods out before their replacements are ready${pods >= replicas ? ', so for a while no pod serves at all' : ', so the remaining pods take all the traffic (and a slow-starting release turns that into errors)'}.`,
        fix: fix('Keep every pod serving until its replacement is ready:', ...STRATEGY),
      });
    }
    return out;
  },
};
export default rule;
