import { describe, expect, it } from 'vitest';
import { doctorOn } from '../helpers.js';

describe('migrate-order', () => {
  it('fires on migrations after the swap in a Deployer task list', async () => {
    const { findings } = await doctorOn(
      {
        'deploy.php': `<?php
namespace Deployer;
require 'recipe/laravel.php';
host('web1');
task('deploy', [
    'deploy:prepare',
    'deploy:vendors',
    'deploy:publish',
    'artisan:migrate',
]);
`,
      },
      { rule: 'migrate-order' },
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'error', location: { file: 'deploy.php', line: 9, col: 5 }, target: { subject: 'migrations' } });
    expect(findings[0]!.message).toContain('runs after the swap (`deploy:symlink`, line 8)');
    expect(findings[0]!.message).toContain('5,113 of 25,257');
  });

  it('follows a Makefile deploy into the target a recursive $(MAKE) runs: migrations after the symlink swap', async () => {
    const { findings } = await doctorOn(
      {
        Makefile: ['deploy:', '\trsync -a ./ /srv/app/releases/$(REV)/', '\tln -sfn /srv/app/releases/$(REV) /srv/app/current', '\t$(MAKE) migrate', '', 'migrate:', '\tphp /srv/app/current/artisan migrate --force', ''].join('\n'),
      },
      { rule: 'migrate-order' },
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ location: { file: 'Makefile', line: 7 } });
  });

  it('fires on schema:update --force in a deploy job, and on a CI migrate after dep deploy', async () => {
    const { findings } = await doctorOn(
      {
        'deploy.php': "<?php\nnamespace Deployer;\nrequire 'recipe/symfony.php';\n",
        '.github/workflows/release.yml': `jobs:
  deploy:
    steps:
      - run: vendor/bin/dep deploy production
      - run: ssh deploy@prod "php /srv/app/current/bin/console doctrine:schema:update --force"
`,
      },
      { rule: 'migrate-order' },
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]!.location).toMatchObject({ file: '.github/workflows/release.yml', line: 5 });
    expect(findings[0]!.message).toContain('drops every column and table the new mapping no longer has');
    expect(findings[0]!.fix).toContain('doctrine:migrations:migrate');
  });

  it('stays quiet on expand before the swap with a post-deploy contract step, and on test jobs', async () => {
    const { findings } = await doctorOn(
      {
        'deploy.sh': `#!/bin/bash
php "$RELEASE/artisan" migrate --force
ln -s "$RELEASE" /var/www/app/current.tmp && mv -T /var/www/app/current.tmp /var/www/app/current
sudo systemctl reload php8.2-fpm
php "$RELEASE/artisan" migrate --force --path=database/migrations/post-deploy
`,
        '.github/workflows/ci.yml': 'jobs:\n  tests:\n    steps:\n      - run: php artisan migrate:fresh --seed\n',
        'deploy.php': "<?php\nnamespace Deployer;\nrequire 'recipe/laravel.php';\n",
      },
      { rule: 'migrate-order' },
    );
    expect(findings).toEqual([]);
  });
});
