import { commandIn, fix, swapsFollowedBy } from '../src/doctor/rule-kit.js';
import type { DeployFinding, DeployRule } from '../src/doctor/types.js';

const rule: DeployRule = {
  id: 'missing-health-check',
  summary: 'A deploy swaps releases and never checks that the new release answers (no health check after the swap)',
  defaultSeverity: 'warning',
  scope: 'deploy',
  check(project) {
    const out: DeployFinding[] = [];
    const deep = project.healthRoutes.find((r) => r.checks.length > 0);
    const url = `https://example.com${deep?.path ?? '/health/ready'}`;
    for (const { swap, flow, followed } of swapsFollowedBy(project, (a) => !!a.tags.healthCheck)) {
      if (followed) continue;
      const check = `curl --fail --silent --show-error --retry 10 --retry-delay 1 --retry-all-errors ${url}`;
      out.push({
        file: swap.loc.file,
        line: swap.loc.line,
        col: swap.loc.col,
        subject: 'health check',
        message: `The deploy swaps to the new release here (\`${swap.text}\`, ${flow.name}) and nothing afterwards checks that it answers: a release that fails to boot (missing env key, bad cache, failed migration) stays live until someone notices, and contract migrations run against it. Check a readiness URL that touches the database and the cache, after the swap and the php-fpm reload, and roll back when it fails.`,
        fix:
          flow.syntax === 'deployer-php'
            ? fix(
                'Add a task after the swap that fails the deploy when the new release does not answer (Deployer then runs deploy:failed).',
                `set('health_url', '${url}');`,
                "task('deploy:health', function () {",
                "    run('curl --fail --silent --show-error --retry 10 --retry-delay 1 --retry-all-errors {{health_url}}');",
                '});',
                "after('deploy:symlink', 'deploy:health');",
              )
            : flow.syntax === 'deployer-yaml'
              ? fix('Add a task after the swap that fails the deploy when the new release does not answer.', 'tasks:', '  deploy:health:', `    - run: "${check}"`, 'after:', '  deploy:symlink: deploy:health')
              : fix('After the swap and the php-fpm reload, request a readiness URL and fail (and roll back) when it does not answer 2xx.', commandIn(flow, check)),
      });
    }
    return out;
  },
};
export default rule;
