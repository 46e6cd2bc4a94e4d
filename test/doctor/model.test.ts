import { describe, expect, it } from 'vitest';
import { classify, shellActions, unwrap } from '../../src/doctor/actions.js';
import { globToRegExp } from '../../src/util/glob.js';
import { doctorOn } from '../helpers.js';

const words = (s: string): string[] => s.split(' ');

describe('command classification', () => {
  it('unwraps sudo, env, docker compose exec and kubectl exec', () => {
    expect(unwrap(words('sudo -u www-data env APP_ENV=prod php artisan migrate --force'))).toEqual(words('php artisan migrate --force'));
    expect(unwrap(words('docker compose exec -T app php artisan queue:restart'))).toEqual(words('php artisan queue:restart'));
    expect(unwrap(words('kubectl exec -n shop deploy/web -- php bin/console messenger:stop-workers'))).toEqual(words('php bin/console messenger:stop-workers'));
  });

  it('tags php-fpm commands by how graceful they are', () => {
    expect(classify(words('systemctl restart php8.3-fpm')).fpm).toEqual({ op: 'restart', graceful: false, service: 'php8.3-fpm' });
    expect(classify(words('systemctl reload php-fpm')).fpm).toEqual({ op: 'reload', graceful: true, service: 'php-fpm' });
    expect(classify(words('/etc/init.d/php7.4-fpm restart')).fpm?.op).toBe('restart');
    expect(classify(words('kill -USR2 $(cat /run/php/php8.2-fpm.pid)')).fpm).toMatchObject({ op: 'reload', graceful: true });
    expect(classify(words('kill -QUIT $(cat /run/php-fpm.pid)')).fpm).toMatchObject({ op: 'stop', graceful: false });
    expect(classify(words('docker compose restart php')).fpm).toMatchObject({ op: 'restart' });
    expect(classify(words('systemctl restart nginx')).fpm).toBeUndefined();
  });

  it('tags swaps, migrations, worker restarts, health checks and copies', () => {
    expect(classify(words('ln -nsf /srv/app/releases/3 /srv/app/current')).swap).toMatchObject({ atomic: false, link: '/srv/app/current' });
    expect(classify(words('ln -s /srv/app/releases/3 /srv/app/current.tmp')).swap).toBeUndefined();
    expect(classify(words('mv -Tf current.tmp current')).swap).toMatchObject({ atomic: true });
    expect(classify(words('php artisan migrate --force')).migrate).toEqual({ tool: 'artisan migrate', destructive: false, post: false });
    expect(classify(words('php artisan migrate:status')).migrate).toBeUndefined();
    expect(classify(words('bin/console d:m:m -n')).migrate?.tool).toBe('doctrine:migrations:migrate');
    expect(classify(words('bin/console doctrine:schema:update --dump-sql')).migrate).toBeUndefined();
    expect(classify(words('php artisan horizon:terminate')).workersRestart).toEqual({ how: 'artisan horizon:terminate' });
    expect(classify(words('supervisorctl restart laravel-worker:*')).workersRestart).toBeDefined();
    expect(classify(words('curl -fsS https://shop.example.com/health')).healthCheck).toEqual({ url: 'https://shop.example.com/health' });
    expect(classify(words('curl https://shop.example.com/health')).healthCheck).toBeUndefined();
    expect(classify(words('git pull'), '/var/www/app/current').copy).toEqual({ tool: 'git pull', dest: '/var/www/app/current', live: true });
    expect(classify(words('git -C /var/www/app/current reset --hard origin/main')).copy).toEqual({ tool: 'git reset', dest: '/var/www/app/current', live: true });
    expect(classify(words('git clone --depth 1 repo /srv/app/releases/7')).copy).toBeUndefined();
    expect(classify(words('dep deploy production')).deployer).toEqual({ task: 'deploy' });
  });

  it('reads commands inside ssh and bash -c strings, with positions in the file', () => {
    const r = shellActions('ssh -p 2222 deploy@web1 "cd /srv/app && sudo systemctl restart php8.2-fpm"\nbash -c \'php artisan queue:restart\'\n', { file: 'x.sh', where: 'x.sh', map: (line, col) => ({ line, col }) });
    expect(r.actions.map((a) => [a.argv.join(' '), a.loc.line, a.loc.col, a.where])).toEqual([
      ['systemctl restart php8.2-fpm', 1, 41, 'x.sh (ssh deploy@web1)'],
      ['php artisan queue:restart', 2, 10, 'x.sh'],
    ]);
  });
});

describe('discovery and flows', () => {
  it('finds deploy files by name and by content, and skips vendor/', async () => {
    const { project } = await doctorOn({
      'deploy.php': "<?php\nnamespace Deployer;\nrequire 'recipe/laravel.php';\n",
      'docker/nginx/default.conf': 'server { listen 80; }\n',
      'docker/php/zz-pool.conf': '[www]\npm = static\n',
      'docker/supervisor/worker.conf': '[program:worker]\ncommand=php artisan queue:work\n',
      'bin/deploy': '#!/usr/bin/env bash\necho deploying\n',
      'charts/shop/templates/web.yaml': 'kind: Deployment\nmetadata:\n  name: web\n',
      'charts/shop/values.yaml': 'replicas: 3\n',
      'vendor/acme/deploy.sh': '#!/bin/sh\nsystemctl restart php-fpm\n',
      'app/Http/Kernel.php': '<?php\n',
    });
    expect(project.files.map((f) => `${f.path} ${f.kind}`)).toEqual([
      'bin/deploy shell',
      'charts/shop/templates/web.yaml kubernetes',
      'deploy.php deployer-php',
      'docker/nginx/default.conf nginx',
      'docker/php/zz-pool.conf php-fpm',
      'docker/supervisor/worker.conf supervisor',
    ]);
  });

  it('expands a Makefile target with its prerequisites and make variables', async () => {
    const { project } = await doctorOn({
      Makefile: 'FPM := php8.2-fpm\nAPP = /srv/app\n\n.PHONY: deploy\ndeploy: build swap\n\t@sudo systemctl reload $(FPM)\nbuild:\n\tcomposer install --no-dev\nswap:\n\tln -sfn $(APP)/releases/$$(date +%s) $(APP)/current\n',
    });
    const deploy = project.flows.find((f) => f.name === 'Makefile: make deploy')!;
    expect(deploy.actions.map((a) => [a.argv.join(' '), a.loc.line])).toEqual([
      ['composer install --no-dev', 8],
      ['date +%s', 10],
      ['ln -sfn /srv/app/releases/$(date +%s) /srv/app/current', 10],
      ['systemctl reload php8.2-fpm', 6],
    ]);
  });

  it('runs the Deployer flow in recipe order with before/after hooks', async () => {
    const { project } = await doctorOn({
      'deploy.php': `<?php
namespace Deployer;
require 'recipe/laravel.php';
set('php_fpm_service', 'php8.3-fpm');
task('notify', function () { run('curl -fsS https://hooks.example.com/deployed'); });
task('fpm', function () { run('sudo systemctl reload {{php_fpm_service}}'); });
before('artisan:migrate', 'artisan:down');
after('deploy:symlink', 'fpm');
after('deploy', 'notify');
`,
    });
    const flow = project.flows.find((f) => f.name === 'deploy.php: dep deploy')!;
    expect(flow.actions.map((a) => a.task ?? a.argv.join(' '))).toEqual([
      'deploy:prepare',
      'deploy:vendors',
      'artisan:storage:link',
      'artisan:optimize',
      'artisan:down',
      'artisan:migrate',
      'deploy:symlink',
      'systemctl reload php8.3-fpm',
      'deploy:unlock',
      'deploy:cleanup',
      'deploy:success',
      'artisan:reload',
      'curl -fsS https://hooks.example.com/deployed',
    ]);
  });

  it('reads the project files a Deployer recipe requires where it requires them (settings, tasks, hooks), located in those files', async () => {
    const { project, problems } = await doctorOn({
      'deploy/deploy.php': `<?php
namespace Deployer;
require 'recipe/laravel.php';
require __DIR__ . '/tasks/fpm.php';
import(__DIR__ . '/tasks/notify.php');
require 'missing.php';
require __DIR__ . '/broken.php';
after('deploy:symlink', 'fpm');
`,
      'deploy/tasks/fpm.php': `<?php
namespace Deployer;
require __DIR__ . '/../deploy.php';
set('php_fpm_service', 'php8.3-fpm');
task('fpm', function () { run('sudo systemctl reload {{php_fpm_service}}'); });
`,
      'deploy/tasks/notify.php': "<?php\nnamespace Deployer;\ntask('notify', function () { run('curl -fsS https://hooks.example.com/deployed'); });\nafter('deploy', 'notify');\n",
      'deploy/broken.php': '<?php\nfunction (\n',
    });
    expect(problems.map((p) => `${p.file}:${p.line}`)).toEqual(['deploy/broken.php:3']);
    const flow = project.flows.find((f) => f.name === 'deploy/deploy.php: dep deploy')!;
    const actions = flow.actions.filter((a) => !a.task);
    expect(actions.map((a) => `${a.loc.file}:${a.loc.line} ${a.argv.join(' ')}`)).toEqual(['deploy/tasks/fpm.php:5 systemctl reload php8.3-fpm', 'deploy/tasks/notify.php:3 curl -fsS https://hooks.example.com/deployed']);
  });

  it('globs for doctor.ignore: the rule of paths.ignore (.gitignore\'s)', () => {
    expect(globToRegExp('docker/dev/**').test('docker/dev/nginx/site.conf')).toBe(true);
    expect(globToRegExp('**/*.sh').test('a/b/c.sh')).toBe(true);
    // a glob without a slash matches at any depth (it matched only at the root before)
    expect(globToRegExp('*.sh').test('a/c.sh')).toBe(true);
    expect(globToRegExp('/deploy.sh').test('scripts/deploy.sh')).toBe(false);
  });

  it('doctor.ignore: a name glob skips the file in every directory, a directory skips what is under it', async () => {
    const restart = '#!/bin/bash\nsudo systemctl restart php8.2-fpm\n';
    const files = { 'deploy.sh': restart, 'scripts/release/deploy.sh': restart, 'docker/dev/deploy.sh': restart };
    const all = await doctorOn(files, { rule: 'fpm-restart' });
    expect(all.findings.map((f) => f.location.file)).toEqual(['deploy.sh', 'docker/dev/deploy.sh', 'scripts/release/deploy.sh']);
    const byName = await doctorOn(files, { rule: 'fpm-restart', config: { doctor: { ignore: ['deploy.sh'] } } });
    expect(byName.findings).toEqual([]);
    const byDir = await doctorOn(files, { rule: 'fpm-restart', config: { doctor: { ignore: ['docker/dev', '/deploy.sh'] } } });
    expect(byDir.findings.map((f) => f.location.file)).toEqual(['scripts/release/deploy.sh']);
  });
});

describe('what is not a deploy step', () => {
  it('shared links into the release are not swaps; --pretend is not a migration; Apache and supervisor .conf files are not nginx (supervisor files are read as such)', async () => {
    expect(classify(words('ln -sfn /srv/app/shared/storage /srv/app/releases/5/storage')).swap).toBeUndefined();
    expect(classify(words('ln -sfn $RELEASE/../shared/.env $RELEASE/.env')).swap).toBeUndefined();
    expect(classify(words('php artisan migrate --pretend')).migrate).toBeUndefined();
    const { project, problems } = await doctorOn({
      'docker/apache/conf.d/app.conf': '<VirtualHost *:80>\n  DocumentRoot /var/www/html/public\n</VirtualHost>\n',
      'docker/supervisor/conf.d/worker.conf': '[program:worker]\ncommand=php /var/www/html/artisan queue:work\n',
    });
    expect(project.files.map((f) => `${f.path} ${f.kind}`)).toEqual(['docker/supervisor/conf.d/worker.conf supervisor']);
    expect(project.flows.map((f) => [f.name, f.actions.map((a) => a.argv.join(' '))])).toEqual([['docker/supervisor/conf.d/worker.conf: program worker', ['php /var/www/html/artisan queue:work']]]);
    expect(problems).toEqual([]);
  });

  it('prefers .env.example over a developer .env, and .env.production over both', async () => {
    const { project } = await doctorOn({ '.env': 'APP_KEY=x\nSESSION_DRIVER=file\nQUEUE_CONNECTION=sync\n', '.env.example': 'APP_KEY=\nSESSION_DRIVER=redis\n', '.env.production': 'QUEUE_CONNECTION=redis\n' });
    const byWhat = Object.fromEntries(project.settings.map((s) => [s.what, `${s.value} ${s.loc.file}:${s.loc.line}`]));
    expect(byWhat).toMatchObject({ session: 'redis .env.example:2', queue: 'redis .env.production:1' });
  });
});

describe('zdd-ignore in deploy files', () => {
  it('works in Blade, YAML, nginx and PHP comments, per line and per file', async () => {
    const files = {
      'Envoy.blade.php': "@task('fpm')\n    {{-- zdd-ignore fpm-restart: run by hand during maintenance --}}\n    sudo systemctl restart php8.2-fpm\n@endtask\n",
      'k8s/web.yaml': 'kind: Deployment\nmetadata:\n  name: web\nspec:\n  strategy:\n    # zdd-ignore k8s-max-unavailable: a batch app, capacity may drop\n    type: Recreate\n',
      'nginx/site.conf': '# zdd-ignore-file shallow-health-check: the LB only checks that nginx is up\nserver {\n  location = /health { return 200; }\n}\n',
      'deploy.php': "<?php\nnamespace Deployer;\n// zdd-ignore missing-health-check: checked by the CI job after dep deploy\nrequire 'recipe/laravel.php';\n",
    };
    const { findings } = await doctorOn(files);
    expect(findings.map((f) => f.rule)).toEqual([]);
    const withoutComments = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, v.replace(/^.*zdd-ignore.*\n/m, '')]));
    const { findings: unsuppressed } = await doctorOn(withoutComments);
    expect(unsuppressed.map((f) => f.rule).sort()).toEqual(['fpm-restart', 'k8s-max-unavailable', 'missing-health-check', 'shallow-health-check']);
  });
});

describe('deploy.php that is not a Deployer recipe', () => {
  it('is not read as one (no symlink deploy is assumed)', async () => {
    const { project } = await doctorOn({ 'deploy.php': "<?php\n$dir = getenv('WORKING_DIR');\necho shell_exec('cp -R ' . $dir . ' ../staging');\n" });
    expect(project.flows).toEqual([]);
    expect(project.facts.symlinkDeploy).toBe(false);
  });
});

describe('GitLab CI inheritance', () => {
  it('reads scripts that jobs get through YAML merge keys and extends:', async () => {
    const { project, findings } = await doctorOn({
      '.gitlab-ci.yml': `.ssh: &ssh
  before_script:
    - eval $(ssh-agent -s)
.deploy_base:
  script:
    - ssh deploy@prod "sudo systemctl restart php8.2-fpm"
deploy_production:
  <<: *ssh
  extends: .deploy_base
  stage: deploy
`,
    });
    const flow = project.flows.find((f) => f.name === '.gitlab-ci.yml: job deploy_production')!;
    expect(flow.actions.map((a) => a.argv[0])).toEqual(['ssh-agent', 'eval', 'systemctl']);
    expect(findings.map((f) => `${f.rule} ${f.location.line}`)).toEqual(['fpm-restart 6']);
  });
});
