import { commandIn, fix, swapsFollowedBy } from '../src/doctor/rule-kit.js';
import type { DeployFinding, DeployRule } from '../src/doctor/types.js';

const rule: DeployRule = {
  id: 'workers-not-restarted',
  summary: 'The app runs queue workers and the deploy never restarts them after the swap: they keep running the old code',
  defaultSeverity: 'warning',
  scope: 'deploy',
  check(project) {
    const queues = project.facts.queues;
    if (!queues) return [];
    const out: DeployFinding[] = [];
    const symfony = project.settings.some((s) => s.what === 'queue' && s.framework === 'symfony');
    const horizon = project.facts.horizon && !symfony;
    const restart = symfony ? 'php bin/console messenger:stop-workers' : horizon ? 'php artisan horizon:terminate' : 'php artisan queue:restart';
    const task = symfony ? 'messenger:stop-workers' : horizon ? 'artisan:horizon:terminate' : 'artisan:queue:restart';
    for (const { swap, flow, followed, before } of swapsFollowedBy(project, (a) => !!a.tags.workersRestart)) {
      if (followed) continue;
      out.push({
        file: swap.loc.file,
        line: swap.loc.line,
        col: swap.loc.col,
        subject: 'queue workers',
        message: `The app uses queue workers (${queues.why}, ${queues.loc.file}:${queues.loc.line}), and ${before ? `the deploy restarts them before the swap (\`${before.text}\`, line ${before.loc.line}), so they come back on the old release` : 'the deploy never tells them to restart'}: workers keep the old code in memory until they exit, so they go on writing with the old code after the swap and break when contract migrations drop what it uses.`,
        fix:
          flow.syntax === 'deployer-php'
            ? fix('Restart the workers after the swap (they exit after their current job; your process manager starts them on the new release).', `after('deploy:symlink', '${task}');${symfony ? "\ntask('messenger:stop-workers', function () { run('{{bin/console}} messenger:stop-workers'); });" : ''}`)
            : flow.syntax === 'deployer-yaml'
              ? fix('Restart the workers after the swap.', 'after:', `  deploy:symlink: ${task}`)
              : fix('Restart the workers after the swap (they exit after their current job; supervisor or systemd starts them on the new release).', commandIn(flow, restart)),
      });
    }
    return out;
  },
};
export default rule;
