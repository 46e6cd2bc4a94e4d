import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEPLOY_RULES, ROOT, runCli, tempTree } from '../helpers.js';

const APP = 'fixtures/doctor/laravel-app';
const FIXED = 'fixtures/doctor/laravel-app-fixed';

describe('zdd doctor (built binary)', () => {
  it('checks the bundled sample app: every deploy rule fires, findings on stdout, exit 1', () => {
    const r = runCli(['doctor', APP]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`${APP}/deploy.php:30:10  error  fpm-restart`);
    expect(r.stdout).toContain(`${APP}/deploy/nginx/shop.conf:29:9  error  nginx-document-root`);
    expect(r.stdout).toContain('      fastcgi_param SCRIPT_FILENAME $realpath_root$fastcgi_script_name;');
    expect(r.stdout).toContain(`${APP}/scripts/rollback.sh:11:23  warning  non-atomic-swap`);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('✖ 11 errors, 8 warnings in 14 files');
    const fired = new Set([...r.stdout.matchAll(/^\S+:\d+:\d+ {2}(?:error|warning) {2}(\S+)$/gm)].map((m) => m[1]));
    // every rule but the one for files that do not parse (the sample's files all parse)
    expect([...fired].sort()).toEqual(DEPLOY_RULES.map((rule) => rule.id).filter((id) => id !== 'unparsed-deploy-file').sort());
  });

  it('is quiet on the fixed twin: exit 0', () => {
    const r = runCli(['doctor', FIXED]);
    expect(r).toMatchObject({ code: 0, stderr: '', stdout: '✔ no findings in 14 files\n' });
  });

  it('prints the JSON contract, with the project directory as the default path', () => {
    const r = runCli(['doctor', '--format', 'json'], { cwd: join(ROOT, APP) });
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(Object.keys(json)).toEqual(['version', 'dialect', 'findings', 'summary']);
    expect(json).toMatchObject({ version: 1, dialect: '', summary: { files: 14, migrations: 0, errors: 11, warnings: 8 } });
    const restart = json.findings.find((f: { rule: string }) => f.rule === 'fpm-restart');
    expect(restart).toEqual({
      rule: 'fpm-restart',
      severity: 'error',
      message: expect.stringContaining('`sudo systemctl restart php8.2-fpm` (task php-fpm:restart) restarts php-fpm'),
      fix: expect.stringContaining("after('deploy:symlink', 'php-fpm:reload');"),
      location: { file: 'deploy.php', line: 30, col: 10 },
      target: { table: '', subject: 'php-fpm' },
      migration: '',
    });
    for (const f of json.findings) expect(Object.keys(f)).toEqual(['rule', 'severity', 'message', 'fix', 'location', 'target', 'migration']);
  });

  it('prints github, sarif and markdown', () => {
    const gh = runCli(['doctor', APP, '--format', 'github']);
    expect(gh.code).toBe(1);
    expect(gh.stdout).toContain(`::error file=${APP}/deploy.php,line=30,col=10,title=zdd fpm-restart::`);
    const sarif = JSON.parse(runCli(['doctor', APP, '--format', 'sarif']).stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results).toHaveLength(19);
    expect(sarif.runs[0].tool.driver.rules.map((r: { id: string }) => r.id)).toContain('k8s-max-unavailable');
    const md = runCli(['doctor', APP, '--format', 'markdown']).stdout;
    expect(md.split('\n')[0]).toBe('### zdd doctor: 11 errors, 8 warnings');
  });

  it('--fail-on and rule levels from zdd.config.json', () => {
    const dir = tempTree({ 'scripts/release.sh': '#!/bin/sh\nln -sfn /srv/app/releases/2 /srv/app/current\ncurl --fail https://example.com/health\n' });
    const warn = runCli(['doctor'], { cwd: dir });
    expect(warn.code).toBe(0);
    expect(warn.stdout).toContain('scripts/release.sh:2:1  warning  non-atomic-swap');
    expect(runCli(['doctor', '--fail-on', 'warning'], { cwd: dir }).code).toBe(1);
    const strict = tempTree({ 'zdd.config.json': '{ "rules": { "non-atomic-swap": "error" } }', 'scripts/release.sh': '#!/bin/sh\nln -sfn /srv/app/releases/2 /srv/app/current\n' });
    expect(runCli(['doctor'], { cwd: strict }).stdout).toContain('error  non-atomic-swap');
    const off = tempTree({ 'zdd.config.json': '{ "rules": { "non-atomic-swap": "off", "missing-health-check": "off" } }', 'scripts/release.sh': '#!/bin/sh\nln -sfn /srv/app/releases/2 /srv/app/current\n' });
    expect(runCli(['doctor'], { cwd: off })).toMatchObject({ code: 0, stdout: '✔ no findings in 1 file\n' });
  });

  it('doctor.paths adds files discovery does not know; doctor.ignore skips; bad keys are usage errors', () => {
    const files = {
      'ops/web-vhost': 'server {\n  root /var/www/app/current/public;\n  location ~ \\.php$ {\n    include fastcgi.conf;\n    fastcgi_pass unix:/run/php.sock;\n  }\n}\n',
      'docker/dev/deploy.sh': '#!/bin/sh\nsystemctl restart php8.2-fpm\n',
    };
    const dir = tempTree({ ...files, 'zdd.config.json': '{ "doctor": { "paths": ["ops/web-vhost"], "ignore": ["docker/dev/**"] } }' });
    const r = runCli(['doctor', '--format', 'json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).findings.map((f: { rule: string; location: { file: string } }) => `${f.rule} ${f.location.file}`)).toEqual(['nginx-document-root ops/web-vhost']);
    const bad = tempTree({ ...files, 'zdd.config.json': '{ "doctor": { "path": ["ops"] } }' });
    const e = runCli(['doctor'], { cwd: bad });
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/zdd: .*zdd\.config\.json: unknown key "doctor\.path" \(known: paths, ignore\)\n$/);
    const notArray = tempTree({ 'zdd.config.json': '{ "doctor": { "paths": "ops" } }' });
    expect(runCli(['doctor'], { cwd: notArray }).stderr).toContain('"doctor.paths" must be an array of non-empty strings');
  });

  it('paths are relative to the working directory, also for a sibling whose name starts like it', () => {
    const root = tempTree({ 'app/.keep': '', 'app2/deploy.sh': '#!/bin/bash\nsudo systemctl restart php8.2-fpm\n' });
    const r = runCli(['doctor', '../app2', '--format', 'json'], { cwd: join(root, 'app') });
    expect(JSON.parse(r.stdout).findings.map((f: { location: { file: string } }) => f.location.file)).toEqual([join(root, 'app2/deploy.sh')]); // outside the working directory: absolute, as zdd lint prints it
  });

  it('bad input: unparseable YAML, nginx or shell is a problem naming the file (exit 2) that hides no findings', () => {
    const dir = tempTree({
      '.github/workflows/deploy.yml': 'jobs:\n  deploy:\n    steps:\n      - run: echo hi\n     - run: broken indent\n',
      'deploy/nginx/site.conf': 'server {\n  listen 80;\n  location / {\n    try_files $uri /index.php;\n}\n',
      'bin/deploy.sh': '#!/bin/bash\nif [ -d x ]; then\n  echo\n',
      'deploy.sh': '#!/bin/bash\nsudo systemctl restart php8.2-fpm\n',
    });
    const r = runCli(['doctor', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(2);
    const json = JSON.parse(r.stdout);
    // each file that does not parse is a finding at its line, and a problem (exit 2)
    expect(json.findings.map((f: { rule: string; location: { file: string } }) => `${f.rule} ${f.location.file}`)).toEqual([
      'unparsed-deploy-file .github/workflows/deploy.yml',
      'unparsed-deploy-file bin/deploy.sh',
      'fpm-restart deploy.sh',
      'unparsed-deploy-file deploy/nginx/site.conf',
    ]);
    expect(r.stderr.trim().split('\n')).toEqual([
      'zdd: .github/workflows/deploy.yml:5: cannot parse YAML: A block sequence may not be used as an implicit map key (zdd doctor did not check this file)',
      'zdd: bin/deploy.sh:2: cannot parse the shell script: if statement must end with "fi" (zdd doctor did not check this file)',
      'zdd: deploy/nginx/site.conf:1: cannot parse nginx config: unexpected end of file, expecting "}" (block opened on line 1) (zdd doctor did not check this file)',
    ]);
    expect(json.problems).toHaveLength(3);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // the pretty summary never ticks over files it could not check
    const pretty = runCli(['doctor'], { cwd: dir });
    expect(pretty.stdout.trim().split('\n').pop()).toMatch(/^✖ 4 errors in \d+ files; 3 files could not be read or parsed \(see stderr\), so they were not checked$/);
    // with the rule off, the summary still says the file was not checked, and the exit code is 2
    const onlyBad = tempTree({ 'deploy.yaml': 'a: [\n', 'zdd.config.json': JSON.stringify({ rules: { 'unparsed-deploy-file': 'off' } }) });
    const off = runCli(['doctor'], { cwd: onlyBad });
    expect(off.code).toBe(2);
    expect(off.stdout).toBe('✖ no findings in 1 file; 1 file could not be read or parsed (see stderr), so it was not checked\n');
  });

  it('zdd-ignore comments suppress with a reason; without one they are reported', () => {
    const dir = tempTree({
      'deploy.sh': '#!/bin/bash\n# zdd-ignore fpm-restart: only run in the maintenance window\nsudo systemctl restart php8.2-fpm\nsudo systemctl stop php8.2-fpm # zdd-ignore fpm-restart\n',
    });
    const json = JSON.parse(runCli(['doctor', '--format', 'json'], { cwd: dir }).stdout);
    expect(json.findings.map((f: { rule: string; location: { line: number } }) => `${f.rule}:${f.location.line}`)).toEqual(['fpm-restart:4', 'unused-ignore:4']);
    expect(json.findings[1].message).toContain('zdd-ignore needs a reason');
  });

  it('zdd-ignore-file without rules silences the whole file, as in migrations; broken comments are worded as in zdd lint', () => {
    const script = '#!/bin/bash\nln -sfn /var/www/releases/42 /var/www/current\nsudo systemctl restart php8.2-fpm\n';
    const quiet = tempTree({ 'deploy.sh': script.replace('\n', '\n# zdd-ignore-file: run by hand in the maintenance window, never by CI\n') });
    expect(runCli(['doctor'], { cwd: quiet })).toMatchObject({ code: 0, stderr: '', stdout: '✔ no findings in 1 file\n' });
    const broken = tempTree({ 'deploy.sh': script.replace('\n', '\n# zdd-ignore-file\n# zdd-ignore: no rule\n') });
    const r = runCli(['doctor', '--format', 'json'], { cwd: broken });
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.stdout).findings as Array<{ rule: string; message: string; location: { line: number } }>;
    expect(findings.filter((f) => f.rule === 'unused-ignore').map((f) => [f.location.line, f.message])).toEqual([
      [2, 'zdd-ignore-file needs a reason: write `zdd-ignore-file: <why this is safe>`'],
      [3, 'zdd-ignore names no rule: write `zdd-ignore <rule>: <reason>`'],
    ]);
    expect(findings.some((f) => f.rule === 'fpm-restart')).toBe(true);
  });

  it('a GNU Makefile with make functions ($(if …), $(shell …), $(foreach …$(eval …))) is checked, not reported as unparseable', () => {
    const makefile = [
      'AVAILABLE_ENV := prod dev',
      'override ENV := $(if $(filter $(ENV),$(AVAILABLE_ENV)),$(ENV),prod)',
      'HOST = $(if $(filter prod,$(ENV)),deploy@web1,deploy@staging)',
      'PHP = $(if $(shell docker compose ps -q 2>/dev/null),docker compose exec -T php php,php)',
      'PATHS := $(filter-out $(firstword $(MAKECMDGOALS)),$(MAKECMDGOALS))',
      '',
      '.PHONY: FORCE',
      'FORCE:',
      '$(foreach goal,$(PATHS),$(eval $(goal): FORCE ; @:))',
      '',
      'install: ## Install',
      '\t@./scripts/install.sh $(ENV)',
      'test: ## Run the tests (make test tests/Unit)',
      '\t@$(PHP) vendor/bin/phpunit $(PATHS)',
      'deploy: ## Deploy',
      '\tssh $(HOST) "cd /var/www/shop/current && git pull --ff-only && composer install --no-dev"',
      '',
    ].join('\n');
    const r = runCli(['doctor', '--format', 'json'], { cwd: tempTree({ Makefile: makefile }) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.problems).toBeUndefined();
    expect(json.findings.map((f: { rule: string; location: { file: string; line: number; col: number } }) => `${f.rule} ${f.location.file}:${f.location.line}:${f.location.col}`)).toEqual([
      'deploy-into-live-dir Makefile:16:43',
      'deploy-into-live-dir Makefile:16:65',
    ]);
    // a recipe with a real shell syntax error is still a problem (exit 2)
    const broken = runCli(['doctor'], { cwd: tempTree({ Makefile: `${makefile}hotfix:\n\tif [ "$(ENV)" = prod ]; then ./hotfix.sh\n` }) });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toBe('zdd: Makefile:18: cannot parse the recipe of target hotfix: if statement must end with "fi" (zdd doctor did not check it)\n');
  });

  it('deploy-into-live-dir: an installer making .env from its template and a container start script are not deploys; a git pull into the served dir is', () => {
    const files = {
      'install.sh': '#!/bin/bash\nAPP_PATH=/var/www/html/shop\ngit clone https://github.com/acme/shop "$APP_PATH"\ncp "$APP_PATH/.env.example" "$APP_PATH/.env"\n',
      Dockerfile: 'FROM php:8.3-apache\nCOPY . /var/www/html\nCOPY docker/startup.sh /\nCMD ["/startup.sh"]\n',
      'docker/startup.sh': '#!/bin/bash\ncp -ax /var/www/html/vendor/laravel/passport/database/migrations/* /var/www/html/database/migrations/\nphp artisan migrate --force\nexec apache2-foreground\n',
    };
    const quiet = runCli(['doctor'], { cwd: tempTree(files) });
    expect(quiet).toMatchObject({ code: 0, stderr: '', stdout: '✔ no findings in 3 files\n' });
    const upgrade = runCli(['doctor', '--format', 'json'], { cwd: tempTree({ ...files, 'upgrade.sh': '#!/bin/bash\ncd /var/www/html/shop && git pull --ff-only\n' }) });
    expect(upgrade.code).toBe(1);
    const findings = JSON.parse(upgrade.stdout).findings as Array<{ rule: string; fix: string; location: { file: string; line: number; col: number } }>;
    expect(findings.map((f) => `${f.rule} ${f.location.file}:${f.location.line}:${f.location.col} ${f.fix.split('\n')[1]}`)).toEqual([
      'deploy-into-live-dir upgrade.sh:2:26 RELEASE=/var/www/html/shop/releases/$(date +%Y%m%d%H%M%S)',
    ]);
  });

  it('deploy-into-live-dir: a script the Dockerfile copies into /etc/s6-overlay/ runs at container start; not copied, it fires', () => {
    const script = '#!/bin/sh\ncd /var/www/html\ncomposer install --no-interaction\nexec php-fpm\n';
    const files = { 'composer.json': '{"require":{"laravel/framework":"^11.0"}}', 'docker/s6/scripts/init.sh': script };
    const quiet = runCli(['doctor'], { cwd: tempTree({ ...files, Dockerfile: 'FROM php:8.3-fpm\nWORKDIR /var/www/html\nCOPY --chmod=755 docker/s6/ /etc/s6-overlay/\n' }) });
    expect(quiet).toMatchObject({ code: 0, stderr: '', stdout: '✔ no findings in 2 files\n' });
    const fires = runCli(['doctor'], { cwd: tempTree({ ...files, Dockerfile: 'FROM php:8.3-fpm\nWORKDIR /var/www/html\nCOPY --chmod=755 docker/s6/ /opt/s6/\n' }) });
    expect(fires.code).toBe(1);
    expect(fires.stdout).toContain('docker/s6/scripts/init.sh:3:1  error  deploy-into-live-dir');
  });

  it('a Makefile: variables from an included .env and target-specific variables are checked; messages show $(VAR), never a placeholder; a missing include is no problem', () => {
    const makefile = ['include .env', 'deploy-e:', '\tcd $(DEPLOY_PATH) && git pull', 'deploy-g: LIVE = /var/www/html', 'deploy-g:', '\tcd $(LIVE) && git pull', 'deploy-h:', '\tcd $(ELSEWHERE)/current && git pull', ''].join('\n');
    const files = { Makefile: makefile, 'composer.json': '{"require":{"laravel/framework":"^11.0"}}' };
    const r = runCli(['doctor', '--format', 'json'], { cwd: tempTree({ ...files, '.env': 'DB_CONNECTION=mysql\nDEPLOY_PATH=/var/www/html\n' }) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.stdout).findings as Array<{ rule: string; message: string; fix: string; location: { file: string; line: number; col: number } }>;
    expect(findings.map((f) => `${f.rule} ${f.location.file}:${f.location.line}:${f.location.col} ${f.fix.split('\n')[1]}`)).toEqual([
      'deploy-into-live-dir Makefile:3:23 RELEASE=/var/www/html/releases/$(date +%Y%m%d%H%M%S)',
      'deploy-into-live-dir Makefile:6:16 RELEASE=/var/www/html/releases/$(date +%Y%m%d%H%M%S)',
      'deploy-into-live-dir Makefile:8:29 RELEASE=$(ELSEWHERE)/releases/$(date +%Y%m%d%H%M%S)',
    ]);
    expect(findings[2]!.message).toContain('`git pull` (target deploy-h) writes into $(ELSEWHERE)/current,');
    expect(r.stdout).not.toContain('MAKE_');
    // without the .env, `include` would stop make; zdd reads on with DEPLOY_PATH unknown
    const missing = runCli(['doctor'], { cwd: tempTree(files) });
    expect(missing.stderr).toBe('');
    expect(missing.code).toBe(1);
    expect(missing.stdout).not.toContain('Makefile:3:');
    expect(missing.stdout).toContain('Makefile:6:16  error  deploy-into-live-dir');
  });

  it('usage errors: a missing directory or a file, one line on stderr, exit 2', () => {
    const missing = runCli(['doctor', 'no/such/dir']);
    expect(missing).toMatchObject({ code: 2, stderr: 'zdd: no such directory: no/such/dir\n' });
    const file = runCli(['doctor', 'package.json']);
    expect(file.code).toBe(2);
    expect(file.stderr).toContain('zdd doctor reads a project directory, not a file: package.json');
    const empty = runCli(['doctor'], { cwd: tempTree({ 'README.md': '# nothing\n' }) });
    expect(empty.code).toBe(0);
    expect(empty.stderr).toContain('zdd: no deploy files found in .');
  });

  it('zdd rules and zdd explain know the doctor rules', () => {
    const rules = runCli(['rules']).stdout;
    expect(rules).toContain('zdd doctor rules');
    expect(rules).toMatch(/fpm-process-control-timeout\s+error\s+php-fpm has process_control_timeout = 0/);
    const doc = runCli(['explain', 'nginx-document-root']);
    expect(doc.code).toBe(0);
    expect(doc.stdout.split('\n')[0]).toBe('# nginx-document-root');
  });

  it('zdd lint never loads doctor code: the doctor command and its parsers sit in lazily imported chunks', () => {
    const main = readFileSync(join(ROOT, 'dist/zdd.js'), 'utf8');
    const staticChunks = (src: string): string[] => [...src.matchAll(/^import\s[^;]*?from\s*"\.\/(?:chunks\/)?([^"]+)";/gm)].map((m) => m[1]!.replace(/^chunks\//, ''));
    const seen = new Set<string>();
    const visit = (name: string): void => {
      if (seen.has(name)) return;
      seen.add(name);
      for (const c of staticChunks(readFileSync(join(ROOT, 'dist/chunks', name), 'utf8'))) visit(c);
    };
    for (const c of staticChunks(main)) visit(c);
    const loaded = [main, ...[...seen].map((c) => readFileSync(join(ROOT, 'dist/chunks', c), 'utf8'))].join('\n');
    expect(loaded).not.toContain('mvdan-sh');
    expect(loaded).not.toContain('parseAllDocuments');
    expect(loaded).not.toContain('loadDeployProject');
    expect(main).toMatch(/import\("\.\/chunks\/doctor-command-[\w-]+\.js"\)/);
    expect(readdirSync(join(ROOT, 'dist/chunks')).some((f) => f.startsWith('doctor-command-'))).toBe(true);
  });
});

describe('zdd doctor: problems in every format', () => {
  it('sarif and markdown list the files that could not be checked', () => {
    const dir = tempTree({ 'k8s/web.yaml': 'kind: Deployment\nmetadata: [unclosed\n', 'deploy.sh': '#!/bin/sh\nsystemctl restart php-fpm\n' });
    const sarif = runCli(['doctor', '--format', 'sarif'], { cwd: dir });
    expect(sarif.code).toBe(2);
    const run = JSON.parse(sarif.stdout).runs[0];
    expect(run.invocations[0].executionSuccessful).toBe(false);
    expect(run.invocations[0].toolExecutionNotifications[0].locations[0].physicalLocation.artifactLocation.uri).toBe('k8s/web.yaml');
    expect(run.results.map((x: { ruleId: string }) => x.ruleId)).toEqual(['fpm-restart', 'unparsed-deploy-file']);
    const md = runCli(['doctor', '--format', 'markdown'], { cwd: dir }).stdout;
    expect(md).toContain('**Could not be checked:**');
    expect(md).toMatch(/- `k8s\/web\.yaml:\d+`: cannot parse YAML/);
  });
});
