import { describe, expect, it } from 'vitest';
import { doctorOn } from '../helpers.js';

describe('deploy-into-live-dir', () => {
  it('fires on rsync into current/ and git pull in the served directory', async () => {
    const { findings } = await doctorOn(
      {
        'deploy.sh': `#!/bin/bash
rsync -az --delete ./ deploy@web1:/var/www/shop/current/
ssh deploy@web2 "cd /var/www/shop/current && git pull origin main"
`,
      },
      { rule: 'deploy-into-live-dir' },
    );
    expect(findings.map((f) => [f.location.line, f.location.col])).toEqual([
      [2, 1],
      [3, 46],
    ]);
    expect(findings[0]!.message).toContain('writes into deploy@web1:/var/www/shop/current/, which is serving requests');
    expect(findings[0]!.fix).toContain('rsync -a --delete ./ "deploy@web1:$RELEASE/"');
    expect(findings[1]!.message).toContain('`git pull origin main`');
  });

  it('fires on a copy into the nginx root of a project without release directories, mentioning opcache', async () => {
    const { findings } = await doctorOn(
      {
        '.gitlab-ci.yml': `deploy_production:
  stage: deploy
  script:
    - rsync -a --exclude .git ./ www@prod.example.com:/srv/shop/
`,
        'nginx/shop.conf': 'server {\n  root /srv/shop/public;\n}\n',
        'docker/php/opcache.ini': '[opcache]\nopcache.validate_timestamps=0\n',
      },
      { rule: 'deploy-into-live-dir' },
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]!.location).toEqual({ file: '.gitlab-ci.yml', line: 4, col: 7 });
    expect(findings[0]!.message).toContain('opcache.validate_timestamps=0 (docker/php/opcache.ini:2)');
  });

  it('stays quiet when each release gets its own directory', async () => {
    const { findings } = await doctorOn(
      {
        'deploy.sh': `#!/bin/bash
RELEASE=/var/www/shop/releases/$(date +%s)
rsync -az --delete ./ "deploy@web1:$RELEASE/"
rsync -az ./storage/ deploy@web1:/var/www/shop/shared/storage/
ssh deploy@web1 "ln -sfn $RELEASE /var/www/shop/current.tmp && mv -T /var/www/shop/current.tmp /var/www/shop/current"
`,
        '.github/workflows/ci.yml': 'jobs:\n  build:\n    steps:\n      - run: cp -r src dist/\n',
      },
      { rule: 'deploy-into-live-dir' },
    );
    expect(findings).toEqual([]);
  });
});

describe('deploy-into-live-dir: in-place deploys over ssh actions', () => {
  it('fires on git pull and composer install in the app directory of a project without releases', async () => {
    const { findings } = await doctorOn(
      {
        '.github/workflows/prod.yml': `env:
  APP_PATH: /home/forge/shop.example.com
jobs:
  release:
    steps:
      - uses: appleboy/ssh-action@v1.0.3
        with:
          host: \${{ secrets.HOST }}
          script: |
            cd \${{ env.APP_PATH }}
            git pull origin \${{ github.ref_name }}
            composer install --no-dev
            php artisan migrate --force
`,
      },
      { rule: 'deploy-into-live-dir' },
    );
    expect(findings.map((f) => `${f.location.line}:${f.location.col}`)).toEqual(['11:13', '12:13']);
    expect(findings[0]!.message).toContain('(job release, step "appleboy/ssh-action@v1.0.3" (appleboy/ssh-action on the server)) writes into /home/forge/shop.example.com');
    expect(findings[1]!.fix).toContain('composer install --no-dev --working-dir="$RELEASE"');
  });
});

describe('deploy-into-live-dir: Deployer tasks that write into current after the swap', () => {
  it('fires with a fix that writes into {{release_path}} before deploy:symlink', async () => {
    const { findings } = await doctorOn(
      {
        'deploy.php': `<?php
namespace Deployer;
require 'recipe/common.php';
task('deploy:copy_properties', function () {
    run('cp -v {{deploy_path}}/properties/build.properties {{deploy_path}}/current/env/build.properties');
});
after('deploy:symlink', 'deploy:copy_properties');
`,
      },
      { rule: 'deploy-into-live-dir' },
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]!.location).toEqual({ file: 'deploy.php', line: 5, col: 10 });
    expect(findings[0]!.fix.split('\n')).toEqual([
      'Write into the new release ({{release_path}}) before deploy:symlink makes it live, not into the live one.',
      "run('cp -v {{deploy_path}}/properties/build.properties {{release_path}}/env/build.properties');",
      "before('deploy:symlink', 'deploy:copy_properties'); // into the new release, before it goes live",
    ]);
  });
});

describe('deploy-into-live-dir: Envoy', () => {
  it('fires on git pull in an Envoy story (tasks run on the servers)', async () => {
    const { findings } = await doctorOn(
      { 'Envoy.blade.php': "@servers(['web' => ['ubuntu@web1']])\n@story('deploy')\n    update-code\n@endstory\n@task('update-code')\n    cd lab\n    git pull origin master\n@endtask\n" },
      { rule: 'deploy-into-live-dir' },
    );
    expect(findings.map((f) => f.location.line)).toEqual([7]);
    expect(findings[0]!.message).toContain('(@task update-code (on the server)) writes into lab');
  });
});
