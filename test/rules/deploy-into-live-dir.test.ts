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

describe('deploy-into-live-dir: first installs and container start scripts', () => {
  // an installer in the style of snipe-it's snipeit.sh: clones the app once, makes .env from its template
  const installer = `#!/bin/bash
readonly APP_PATH="/var/www/html/snipeit"
install_app () {
  git clone https://github.com/acme/shop "$APP_PATH"
  echo "* Configuring .env file."
  cp "$APP_PATH/.env.example" "$APP_PATH/.env"
  sed -i "s|^\\\\(DB_HOST=\\\\).*|\\\\1localhost|" "$APP_PATH/.env"
}
install_app
`;

  it('a copy of a config file (cp .env.example .env) is not a deploy of code', async () => {
    const { findings } = await doctorOn({ 'install.sh': installer }, { rule: 'deploy-into-live-dir' });
    expect(findings).toEqual([]);
  });

  it('code pulled into the served directory by the same script still fires, with releases beside the app, not inside a file', async () => {
    const { findings } = await doctorOn(
      { 'install.sh': `${installer}upgrade () {\n  cd "$APP_PATH" && git pull && cp -r /tmp/build/app/ "$APP_PATH/app/"\n}\nupgrade\n` },
      { rule: 'deploy-into-live-dir' },
    );
    expect(findings.map((f) => `${f.location.line}:${f.location.col} ${f.fix.split('\n')[1]}`)).toEqual([
      '11:21 RELEASE=/var/www/html/snipeit/releases/$(date +%Y%m%d%H%M%S)',
      '11:33 RELEASE=/var/www/html/snipeit/releases/$(date +%Y%m%d%H%M%S)',
    ]);
  });

  it('the deploy root is the served directory that matched, not the copy destination', async () => {
    const { findings } = await doctorOn(
      {
        'deploy.sh': '#!/bin/bash\nscp build/.env.production deploy@web1:/srv/shop/current/.env\nrsync -a ./vendor/ deploy@web1:/srv/shop/vendor/\n',
        'nginx/shop.conf': 'server {\n  root /srv/shop/public;\n}\n',
      },
      { rule: 'deploy-into-live-dir' },
    );
    // a config file into current/ of a project with releases still changes the live release
    expect(findings.map((f) => `${f.location.line} ${f.fix.split('\n')[1]}`)).toEqual([
      '2 RELEASE=/srv/shop/releases/$(date +%Y%m%d%H%M%S)',
      '3 RELEASE=/srv/shop/releases/$(date +%Y%m%d%H%M%S)',
    ]);
  });

  // a container start script in the style of snipe-it's docker/startup.sh
  const startup = `#!/bin/bash
if [ ! -f "/var/www/html/database/migrations/*create_oauth*" ]
then
  cp -ax /var/www/html/vendor/laravel/passport/database/migrations/* /var/www/html/database/migrations/
fi
php artisan migrate --force
exec supervisord -c /supervisord.conf
`;

  it("a container's start script (the Dockerfile's CMD/ENTRYPOINT) updates no live directory", async () => {
    for (const dockerfile of [
      'FROM php:8.3-apache\nCOPY docker/startup.sh docker/supervisord.conf /\nRUN chmod +x /startup.sh\nCMD ["/startup.sh"]\n',
      'FROM php:8.3-fpm-alpine\nWORKDIR /var/www/html\nCOPY --chmod=655 docker/startup.sh ./docker/\nENTRYPOINT [ "./docker/startup.sh" ]\nCMD [ "php-fpm" ]\n',
      'FROM php:8.3-fpm\nCOPY docker/ /usr/local/bin/\nENTRYPOINT ["startup.sh"]\n',
      'FROM php:8.3-fpm\nCOPY . /var/www/html\nCMD /var/www/html/docker/startup.sh && php-fpm\n',
    ]) {
      const { findings, project } = await doctorOn({ Dockerfile: dockerfile, 'docker/startup.sh': startup }, { rule: 'deploy-into-live-dir' });
      expect(findings, dockerfile).toEqual([]);
      expect(project.flows.find((f) => f.file === 'docker/startup.sh')?.containerStart?.file, dockerfile).toBe('Dockerfile');
    }
  });

  // coolify's docker/*/etc/s6-overlay/scripts/init-setup.sh: an s6-overlay oneshot runs `composer install` at container start
  const init = '#!/bin/sh\ncd /var/www/html\ncomposer install --no-interaction\nexec php-fpm\n';

  it('a script copied into an init directory (s6-overlay, cont-init.d, docker-entrypoint.d …) runs at container start, with or without a start command', async () => {
    for (const [dockerfile, file] of [
      ['FROM serversideup/php:8.3-fpm-nginx\nCOPY --chmod=755 docker/s6/ /etc/s6-overlay/\n', 'docker/s6/scripts/init.sh'],
      ['FROM php:8.3-fpm\nCOPY docker/entry.sh /usr/local/bin/\nCOPY docker/s6 /etc/s6-overlay\nENTRYPOINT ["/usr/local/bin/entry.sh"]\n', 'docker/s6/scripts/init.sh'],
      ['FROM php:8.3-fpm\nCOPY docker/rootfs/ /\nENTRYPOINT ["/init"]\n', 'docker/rootfs/etc/s6-overlay/scripts/init.sh'],
      ['FROM php:8.3-fpm\nCOPY docker/rootfs /etc/\n', 'docker/rootfs/cont-init.d/10-init.sh'],
      ['FROM php:8.3-fpm\nCOPY docker/init.sh /etc/cont-init.d/10-init\n', 'docker/init.sh'],
      ['FROM php:8.3-fpm\nCOPY ["docker/init.sh", "/etc/services.d/app/run"]\n', 'docker/init.sh'],
      ['FROM php:8.3-fpm\nCOPY docker/*.sh /etc/cont-finish.d/\n', 'docker/init.sh'],
      ['FROM php:8.3-fpm\nWORKDIR /docker-entrypoint.d\nCOPY docker/init.sh ./\n', 'docker/init.sh'],
      ['FROM php:8.3-fpm\nADD docker/init.sh /docker-entrypoint-initdb.d/\n', 'docker/init.sh'],
      ['FROM serversideup/php:8.3-fpm-nginx\nCOPY docker/entrypoint.d/ /etc/entrypoint.d\n', 'docker/entrypoint.d/50-init.sh'],
    ] as const) {
      const { findings, project } = await doctorOn({ Dockerfile: dockerfile, [file]: init }, { rule: 'deploy-into-live-dir' });
      expect(findings, dockerfile).toEqual([]);
      expect(project.flows.find((f) => f.file === file)?.containerStart, dockerfile).toBeDefined();
    }
    // a Dockerfile in a subdirectory builds from the project root (coolify's docker/development/Dockerfile)
    const file = 'docker/development/etc/s6-overlay/scripts/init-setup.sh';
    const { findings } = await doctorOn({ 'docker/development/Dockerfile': 'FROM serversideup/php:8.4-fpm-nginx\nCOPY --chmod=755 docker/development/etc/s6-overlay/ /etc/s6-overlay/\n', [file]: init }, { rule: 'deploy-into-live-dir' });
    expect(findings).toEqual([]);
  });

  it('the same script fires when it is not copied into an init directory (elsewhere, from another stage, in an earlier stage)', async () => {
    for (const dockerfile of [
      undefined,
      'FROM php:8.3-fpm\nCOPY docker/s6/ /etc/s6/\n',
      'FROM php:8.3-fpm\nCOPY docker/s6/scripts/init.sh /etc/\n',
      'FROM php:8.3-fpm\nCOPY docker/other/ /etc/s6-overlay/\n',
      'FROM php:8.3-fpm\nCOPY --from=build /app/docker/s6/ /etc/s6-overlay/\n',
      'FROM php:8.3-fpm AS base\nCOPY docker/s6/ /etc/s6-overlay/\nFROM php:8.3-fpm\nCMD ["php-fpm"]\n',
    ]) {
      const { findings } = await doctorOn({ ...(dockerfile ? { Dockerfile: dockerfile } : {}), 'docker/s6/scripts/init.sh': init }, { rule: 'deploy-into-live-dir' });
      expect(findings.map((f) => `${f.location.file}:${f.location.line}`), dockerfile).toEqual(['docker/s6/scripts/init.sh:3']);
    }
  });

  it('the same script fires when no image starts with it, with releases beside the app, not in database/migrations', async () => {
    for (const dockerfile of [undefined, 'FROM php:8.3-fpm\nCOPY --from=build /app/docker/startup.sh /startup.sh\nCMD ["/startup.sh"]\n', 'FROM php:8.3-fpm\nCOPY docker/startup.sh /startup.sh\nCMD ["php-fpm"]\n']) {
      const { findings } = await doctorOn({ ...(dockerfile ? { Dockerfile: dockerfile } : {}), 'docker/startup.sh': startup }, { rule: 'deploy-into-live-dir' });
      expect(findings.map((f) => `${f.location.line}:${f.location.col} ${f.fix.split('\n')[1]}`), dockerfile).toEqual(['4:3 RELEASE=/var/www/html/releases/$(date +%Y%m%d%H%M%S)']);
    }
  });
});
