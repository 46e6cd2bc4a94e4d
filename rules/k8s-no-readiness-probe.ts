import { fix } from '../src/doctor/rule-kit.js';
import type { DeployFinding, DeployRule } from '../src/doctor/types.js';

const rule: DeployRule = {
  id: 'k8s-no-readiness-probe',
  summary: 'A Deployment serves traffic with no readinessProbe: pods get requests before the app can answer them',
  defaultSeverity: 'error',
  scope: 'deploy',
  check(project) {
    const out: DeployFinding[] = [];
    const deep = project.healthRoutes.find((r) => r.checks.length > 0);
    for (const w of project.workloads) {
      if (w.kind !== 'Deployment' && w.kind !== 'StatefulSet') continue;
      const serving = w.containers.filter((c) => !c.init && c.hasPorts);
      if (!serving.length || w.containers.some((c) => !c.init && c.readinessProbe)) continue;
      const c = serving[0]!;
      out.push({
        file: w.file,
        line: c.loc.line,
        col: c.loc.col,
        subject: `${w.kind} ${w.name}`,
        message: `${w.kind} ${w.name}: no container has a readinessProbe, so a pod counts as ready as soon as its containers start — the Service sends it requests while php-fpm, opcache and the app are still starting, and the rolling update removes old pods at that moment.`,
        fix: fix(
          `Add a readiness probe to container ${c.name} that goes through the app to the database and the cache:`,
          'readinessProbe:',
          '  httpGet:',
          `    path: ${deep?.path ?? '/health/ready'}`,
          `    port: ${c.port ?? 8080}`,
          '  periodSeconds: 5',
          '  failureThreshold: 3',
        ),
      });
    }
    return out;
  },
};
export default rule;
