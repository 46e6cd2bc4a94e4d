import { describe, expect, it } from 'vitest';
import { doctorOn } from '../helpers.js';

describe('fpm-restart', () => {
  it('fires on a restart in a deploy script, inside ssh, with the reload as the fix', async () => {
    const { findings } = await doctorOn(
      {
        'bin/deploy': `#!/bin/bash
set -e
RELEASE=/var/www/app/releases/$(date +%s)
git clone --depth 1 git@example.com:app.git "$RELEASE"
ln -s "$RELEASE" /var/www/app/current.tmp && mv -T /var/www/app/current.tmp /var/www/app/current
ssh web1 "sudo systemctl restart php8.2-fpm"
`,
      },
      { rule: 'fpm-restart' },
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'error', location: { file: 'bin/deploy', line: 6, col: 11 }, target: { table: '', subject: 'php-fpm' } });
    expect(findings[0]!.message).toContain('`sudo systemctl restart php8.2-fpm` (bin/deploy (ssh web1)) restarts php-fpm');
    expect(findings[0]!.message).toContain('3,806 × 502');
    expect(findings[0]!.fix.split('\n')[1]).toBe('ssh web1 "sudo systemctl reload php8.2-fpm"'); // the fix keeps the ssh wrapper of the line
  });

  it('fires in a Deployer task with a Deployer fix, and on stop/kill forms', async () => {
    const { findings } = await doctorOn(
      {
        'deploy.php': `<?php
namespace Deployer;
require 'recipe/laravel.php';
host('web1');
task('fpm', function () {
    run('sudo service php8.1-fpm stop');
    run('sudo service php8.1-fpm start');
});
after('deploy:symlink', 'fpm');
`,
        'Makefile': 'restart:\n\tpkill -9 php-fpm\n',
      },
      { rule: 'fpm-restart' },
    );
    expect(findings.map((f) => `${f.location.file}:${f.location.line}`)).toEqual(['Makefile:2', 'deploy.php:6']);
    expect(findings[1]!.message).toContain('stops php-fpm and starts it again later');
    expect(findings[1]!.fix).toContain("after('deploy:symlink', 'php-fpm:reload');");
    expect(findings[0]!.message).toContain('kills php-fpm with a signal other than USR2');
  });

  it('stays quiet on graceful reloads', async () => {
    const { findings } = await doctorOn(
      {
        'deploy.sh': `#!/bin/sh
sudo systemctl reload php8.2-fpm
kill -USR2 "$(cat /run/php/php8.2-fpm.pid)"
sudo service php8.2-fpm reload
sudo systemctl restart nginx
`,
        'deploy.php': `<?php
namespace Deployer;
require 'recipe/laravel.php';
require 'contrib/php-fpm.php';
after('deploy:symlink', 'php-fpm:reload');
`,
      },
      { rule: 'fpm-restart' },
    );
    expect(findings).toEqual([]);
  });
});
