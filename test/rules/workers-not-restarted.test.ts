import { describe, expect, it } from 'vitest';
import { doctorOn } from '../helpers.js';

describe('workers-not-restarted', () => {
  it('fires when the app queues and the Deployer flow never restarts workers', async () => {
    const { findings } = await doctorOn(
      {
        '.env.example': 'APP_KEY=\nQUEUE_CONNECTION=redis\n',
        'deploy.php': "<?php\nnamespace Deployer;\nrequire 'recipe/laravel.php';\nhost('web1');\n",
        'composer.lock': '{"packages":[{"name":"laravel/framework","version":"v11.9.2"}]}',
      },
      { rule: 'workers-not-restarted' },
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'warning', location: { file: 'deploy.php', line: 3 }, target: { subject: 'queue workers' } });
    expect(findings[0]!.message).toContain('QUEUE_CONNECTION=redis, .env.example:2');
    expect(findings[0]!.fix).toContain("after('deploy:symlink', 'artisan:queue:restart');");
  });

  it('fires when the restart runs before the swap (Symfony Messenger)', async () => {
    const { findings } = await doctorOn(
      {
        'config/packages/messenger.yaml': "framework:\n  messenger:\n    transports:\n      async: '%env(MESSENGER_TRANSPORT_DSN)%'\n",
        'deploy.sh': `#!/bin/bash
php "$RELEASE/bin/console" messenger:stop-workers
ln -s "$RELEASE" /srv/app/current.tmp && mv -T /srv/app/current.tmp /srv/app/current
`,
      },
      { rule: 'workers-not-restarted' },
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toContain('restarts them before the swap');
    expect(findings[0]!.fix.split('\n')[1]).toBe('php bin/console messenger:stop-workers');
  });

  it('stays quiet when workers restart after the swap, or on artisan:reload with Laravel ≥ 12.41, or without queues', async () => {
    const after = await doctorOn(
      {
        '.env': 'APP_KEY=x\nQUEUE_CONNECTION=redis\n',
        'deploy.php': "<?php\nnamespace Deployer;\nrequire 'recipe/laravel.php';\nafter('deploy:symlink', 'artisan:queue:restart');\n",
      },
      { rule: 'workers-not-restarted' },
    );
    expect(after.findings).toEqual([]);
    const reload = await doctorOn(
      {
        '.env': 'APP_KEY=x\nQUEUE_CONNECTION=redis\n',
        'deploy.php': "<?php\nnamespace Deployer;\nrequire 'recipe/laravel.php';\n",
        'composer.lock': '{"packages":[{"name":"laravel/framework","version":"v12.41.1"}]}',
      },
      { rule: 'workers-not-restarted' },
    );
    expect(reload.findings).toEqual([]);
    const sync = await doctorOn({ '.env': 'APP_KEY=x\nQUEUE_CONNECTION=sync\n', 'deploy.php': "<?php\nnamespace Deployer;\nrequire 'recipe/laravel.php';\n" }, { rule: 'workers-not-restarted' });
    expect(sync.findings).toEqual([]);
  });
});

describe('workers-not-restarted: Horizon', () => {
  it('suggests horizon:terminate when composer.lock has laravel/horizon', async () => {
    const { findings } = await doctorOn(
      {
        '.env.example': 'APP_KEY=\nQUEUE_CONNECTION=redis\n',
        'composer.lock': '{"packages":[{"name":"laravel/framework","version":"v11.9.2"},{"name":"laravel/horizon","version":"v5.24.5"}]}',
        'deploy.sh': '#!/bin/bash\nln -s "$RELEASE" /srv/app/current.tmp && mv -T /srv/app/current.tmp /srv/app/current\n',
      },
      { rule: 'workers-not-restarted' },
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]!.fix.split('\n')[1]).toBe('php artisan horizon:terminate');
  });
});
