import { describe, expect, it } from 'vitest';
import { doctorOn } from '../helpers.js';

const DEPLOY_ONE_HOST = "<?php\nnamespace Deployer;\nrequire 'recipe/laravel.php';\nhost('web1');\n";

describe('local-sessions', () => {
  it('fires on file sessions with two Deployer hosts, and on a file cache (warning)', async () => {
    const { findings } = await doctorOn(
      {
        '.env.example': 'APP_KEY=\nSESSION_DRIVER=file\nCACHE_STORE=file\n',
        'deploy.php': `${DEPLOY_ONE_HOST}host('web2');\n`,
      },
      { rule: 'local-sessions' },
    );
    expect(findings.map((f) => [f.location.line, f.severity, f.target.subject])).toEqual([
      [2, 'error', 'sessions'],
      [3, 'warning', 'cache'],
    ]);
    expect(findings[0]!.message).toContain('not seen by the other servers (2 hosts in deploy.php)');
    expect(findings[0]!.fix.split('\n')[1]).toBe('SESSION_DRIVER=redis');
  });

  it('fires on the config default when storage is not shared (custom shared_dirs), with the Deployer line in the fix', async () => {
    const { findings } = await doctorOn(
      {
        '.env': 'APP_KEY=base64:x\n',
        'config/session.php': "<?php\n\nreturn [\n    'driver' => env('SESSION_DRIVER', 'file'),\n    'files' => storage_path('framework/sessions'),\n];\n",
        'deploy.php': `${DEPLOY_ONE_HOST}set('shared_dirs', ['storage/logs']);\n`,
      },
      { rule: 'local-sessions' },
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]!.location).toEqual({ file: 'config/session.php', line: 4, col: 5 });
    expect(findings[0]!.message).toContain('every deploy starts with an empty one');
    expect(findings[0]!.fix).toContain("'driver' => env('SESSION_DRIVER', 'redis'),");
    expect(findings[0]!.fix).toContain("add('shared_dirs', ['storage']); // deploy.php");
  });

  it('Symfony filesystem cache on two hosts: speaks of messenger:stop-workers, never suggests sharing var/cache', async () => {
    const { findings } = await doctorOn(
      {
        'config/packages/framework.yaml': "framework:\n    secret: '%env(APP_SECRET)%'\n    cache:\n        app: cache.adapter.filesystem\n",
        'deploy.php': "<?php\nnamespace Deployer;\nrequire 'recipe/symfony.php';\nhost('web1');\nhost('web2');\n",
      },
      { rule: 'local-sessions' },
    );
    expect(findings.map((f) => [f.location.line, f.severity, f.target.subject])).toEqual([[4, 'warning', 'cache']]);
    expect(findings[0]!.message).toContain('the signal of messenger:stop-workers (kept in the app cache)');
    expect(findings[0]!.message).not.toContain('queue:restart');
    expect(findings[0]!.fix).toBe('Keep the cache in a store every server shares (Redis, the database):\napp: cache.adapter.redis');
  });

  it('Symfony sessions under var/cache (%kernel.cache_dir%): the fix moves them out, then shares that directory', async () => {
    const { findings } = await doctorOn(
      {
        'config/packages/framework.yaml': "framework:\n    session:\n        handler_id: session.handler.native_file\n        save_path: '%kernel.cache_dir%/sessions'\n",
        'deploy.php': "<?php\nnamespace Deployer;\nrequire 'recipe/symfony.php';\nhost('web1');\n",
      },
      { rule: 'local-sessions' },
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toContain('in var/cache/%kernel.environment%/sessions');
    expect(findings[0]!.fix.split('\n')).toEqual([
      "Keep sessions in a shared store, or link the directory from Deployer's shared dir:",
      "handler_id: '%env(REDIS_URL)%'   # RedisSessionHandler via a DSN",
      "save_path: '%kernel.project_dir%/var/sessions/%kernel.environment%'   # not under var/cache, which each release rebuilds",
      "add('shared_dirs', ['var/sessions']); // deploy.php",
    ]);
  });

  it('fires on Symfony native file sessions in Kubernetes', async () => {
    const { findings } = await doctorOn(
      {
        'config/packages/framework.yaml': 'framework:\n    secret: "%env(APP_SECRET)%"\n    session:\n        handler_id: null\n        cookie_secure: auto\n',
        'k8s/app.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n        - name: app\n          image: app\n',
      },
      { rule: 'local-sessions' },
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'error', location: { file: 'config/packages/framework.yaml', line: 4, col: 21 } });
    expect(findings[0]!.message).toContain('each pod has its own disk');
  });

  it('stays quiet on one server with shared storage, and on redis', async () => {
    const one = await doctorOn({ '.env.example': 'APP_KEY=\nSESSION_DRIVER=file\nCACHE_STORE=file\n', 'deploy.php': DEPLOY_ONE_HOST }, { rule: 'local-sessions' });
    expect(one.findings).toEqual([]);
    const redis = await doctorOn({ '.env.example': 'APP_KEY=\nSESSION_DRIVER=redis\nCACHE_STORE=redis\n', 'deploy.php': `${DEPLOY_ONE_HOST}host('web2');\n` }, { rule: 'local-sessions' });
    expect(redis.findings).toEqual([]);
  });
});

describe('local-sessions: a per-release cache', () => {
  it('is not reported on one server (only slower after a deploy), but release-local sessions are', async () => {
    const { findings } = await doctorOn(
      {
        'config/packages/framework.yaml': "framework:\n    session:\n        handler_id: session.handler.native_file\n        save_path: '%kernel.project_dir%/var/sessions/%kernel.environment%'\n    cache:\n        app: cache.adapter.filesystem\n",
        'deploy.yaml': 'import:\n  - recipe/symfony.php\nhosts:\n  prod: {}\n',
      },
      { rule: 'local-sessions' },
    );
    expect(findings.map((f) => [f.location.line, f.severity, f.target.subject])).toEqual([[3, 'error', 'sessions']]);
    expect(findings[0]!.message).toContain('var/sessions/%kernel.environment%/ inside the release directory');
    expect(findings[0]!.fix).toContain('# deploy.yaml → config: shared_dirs: [var/log, var/sessions]');
  });
});

describe('local-sessions: Deployer stages', () => {
  it('does not count a staging and a production host as several servers', async () => {
    const files = (hosts: string) => ({
      '.env.example': 'APP_KEY=\nSESSION_DRIVER=file\n',
      'deploy.php': `<?php\nnamespace Deployer;\nrequire 'recipe/laravel.php';\n${hosts}`,
    });
    const stages = await doctorOn(files("host('staging.example.com')->stage('staging');\nhost('example.com')->set('labels', ['stage' => 'production']);\n"), { rule: 'local-sessions' });
    expect(stages.findings).toEqual([]);
    const cluster = await doctorOn(files("host('web1')->setLabels(['stage' => 'prod']);\nhost('web2')->setLabels(['stage' => 'prod']);\n"), { rule: 'local-sessions' });
    expect(cluster.findings[0]!.message).toContain('(2 hosts for stage prod in deploy.php)');
  });
});
