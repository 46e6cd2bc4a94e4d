import { fix } from '../src/doctor/rule-kit.js';
import type { DeployFinding, DeployRule } from '../src/doctor/types.js';

const rule: DeployRule = {
  id: 'shallow-health-check',
  summary: "A health endpoint answers 200 without touching the database or the cache (Laravel's /up, a constant route, nginx `return 200`)",
  defaultSeverity: 'warning',
  scope: 'deploy',
  check(project) {
    const out: DeployFinding[] = [];
    const deep = project.healthRoutes.some((r) => r.checks.length > 0);
    for (const r of project.healthRoutes) {
      if (r.checks.length) continue;
      const why =
        r.how === 'laravel-health'
          ? `Laravel's health route ${r.path} only proves the framework boots: it answers 200 while the database, the cache or the queue connection is down (unless a DiagnosingHealth listener checks them)`
          : r.how === 'nginx-return'
            ? `nginx answers ${r.path} itself (\`return 200\`): PHP, php-fpm and the database are never asked, so it says "healthy" while every PHP request fails`
            : `the ${r.path} route returns without touching the database or the cache: it answers 200 while they are down`;
      out.push({
        file: r.loc.file,
        line: r.loc.line,
        col: r.loc.col,
        subject: 'health check',
        message: `${why}. A deploy or a load balancer that trusts it sends traffic to a release that cannot serve.${deep ? '' : ' No readiness check in this project touches the database.'}`,
        fix:
          r.how === 'nginx-return'
            ? fix('Hand the path to the app, and let a readiness route check the database and the cache:', `location = ${r.path} { try_files $uri /index.php?$query_string; }`)
            : fix(
                'Add a readiness route that touches the database and the cache, and point deploy checks and probes at it:',
                "Route::get('/health/ready', function () {",
                "    DB::select('select 1');",
                "    Cache::put('health-check', now()->timestamp, 10);",
                "    return response()->json(['status' => 'ok']);",
                '});',
              ),
      });
    }
    return out;
  },
};
export default rule;
