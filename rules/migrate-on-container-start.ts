import { fix, startsSupervisord } from '../src/doctor/rule-kit.js';
import type { DeployFinding, DeployRule } from '../src/doctor/types.js';

const rule: DeployRule = {
  id: 'migrate-on-container-start',
  summary: "Migrations run in the app container's start command (or an init container) instead of a Job before the rollout",
  defaultSeverity: 'error',
  scope: 'deploy',
  check(project) {
    const out: DeployFinding[] = [];
    for (const w of project.workloads) {
      if (w.kind === 'Job' || w.kind === 'CronJob' || w.hook) continue;
      for (const c of w.containers) {
        let migrate = c.actions.find((a) => a.tags.migrate);
        let via = '';
        // stock images (an nginx sidecar, redis …) are not built from the project's Dockerfile
        const stock = /(^|\/)(nginx|redis|memcached|mysql|mariadb|postgres|busybox|alpine|caddy|traefik|envoy|haproxy)[:@]|(^|\/)(nginx|redis)$/i.test(c.image);
        if (!migrate && !c.command.length && !c.init && !stock) {
          // no command in the manifest: the image's own start command runs (one Dockerfile, or the root one)
          const image = project.images.length === 1 ? project.images[0] : project.images.find((i) => i.file === 'Dockerfile');
          migrate = image?.actions.find((a) => a.tags.migrate);
          if (migrate) via = ` (the image's start command, ${image!.file}:${image!.loc.line}, as the container sets no command)`;
        }
        const entry = !migrate ? (c.command.length ? c.command : stock ? [] : project.images.find((i) => i.file === 'Dockerfile')?.words ?? []) : [];
        // an entrypoint script of the project
        const script = !migrate ? entry.map((word) => word.replace(/^.*\//, '')).find((b) => /\.(sh|bash)$/.test(b) || /entrypoint|start/.test(b)) : undefined;
        const scriptFlow = script ? project.flows.find((f) => f.source === 'shell' && f.file.replace(/^.*\//, '') === script) : undefined;
        if (!migrate) {
          migrate = scriptFlow?.actions.find((a) => a.tags.migrate);
          if (migrate) via = ` through ${scriptFlow!.file}`;
        }
        // supervisord, started by the command or by that script
        if (!migrate && (startsSupervisord(entry) || scriptFlow?.actions.some((a) => startsSupervisord(a.argv)))) {
          // supervisord starts the programs of its config: one of them migrates
          const flow = project.flows.find((f) => f.source === 'supervisor' && f.actions.some((a) => a.tags.migrate));
          migrate = flow?.actions.find((a) => a.tags.migrate);
          if (migrate) via = ` through supervisord (\`[program:${flow!.name.slice(flow!.name.lastIndexOf(': program ') + ': program '.length)}]\` in ${flow!.file})`;
        }
        if (!migrate) continue;
        const at = via ? migrate.loc : c.commandLoc ?? c.loc;
        const replicas = w.replicas ?? 1;
        const image = migrate.tags.migrate!.tool.includes('doctrine') ? '["php", "bin/console", "doctrine:migrations:migrate", "--no-interaction"]' : '["php", "artisan", "migrate", "--force"]';
        out.push({
          file: at.file,
          line: at.line,
          col: at.col,
          subject: `${w.kind} ${w.name}`,
          message: `${c.init ? 'Init container' : 'Container'} ${c.name} of ${w.kind} ${w.name} runs \`${migrate.text}\`${via} every time a pod starts: ${replicas > 1 ? `${replicas} pods race to migrate, ` : ''}the migrations run in the middle of the rollout while old pods still serve, a pod restart re-runs them, and a failing migration crash-loops the new pods instead of stopping the deploy.`,
          fix: fix(
            'Run migrations once per release in a Job before the rollout (a Helm pre-upgrade hook or an Argo CD PreSync hook), and start the app container without them:',
            'apiVersion: batch/v1',
            'kind: Job',
            'metadata:',
            `  name: ${w.name}-migrate`,
            '  annotations:',
            '    helm.sh/hook: pre-install,pre-upgrade',
            'spec:',
            '  backoffLimit: 0',
            '  template:',
            '    spec:',
            '      restartPolicy: Never',
            '      containers:',
            '        - name: migrate',
            '          image: <the app image>',
            `          command: ${image}`,
          ),
        });
      }
    }
    return out;
  },
};
export default rule;
