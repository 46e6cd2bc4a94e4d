import { describe, expect, it } from 'vitest';
import { doctorOn } from '../helpers.js';

const deployment = (container: string, extra = ''): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  replicas: 3
  template:
    spec:
${extra}      containers:
        - name: app
          image: shop:1
${container}`;

describe('migrate-on-container-start', () => {
  it('fires on migrate in the start command, in an init container, and in an entrypoint script', async () => {
    const { findings } = await doctorOn(
      {
        'k8s/a.yaml': deployment('          command: ["sh", "-c", "php artisan migrate --force && php-fpm"]\n'),
        'k8s/b.yaml': deployment('', '      initContainers:\n        - name: migrate\n          image: shop:1\n          command: ["php", "bin/console", "doctrine:migrations:migrate", "-n"]\n'),
        'k8s/c.yaml': deployment('          command: ["/usr/local/bin/docker-entrypoint.sh"]\n'),
        'docker/docker-entrypoint.sh': '#!/bin/sh\nset -e\nphp artisan migrate --force\nexec php-fpm\n',
      },
      { rule: 'migrate-on-container-start' },
    );
    expect(findings.map((f) => `${f.location.file}:${f.location.line}`)).toEqual(['docker/docker-entrypoint.sh:3', 'k8s/a.yaml:12', 'k8s/b.yaml:12']);
    expect(findings[0]!.message).toContain('through docker/docker-entrypoint.sh');
    expect(findings[1]!.message).toContain('3 pods race to migrate');
    expect(findings[2]!.message).toContain('Init container migrate');
    expect(findings[2]!.fix).toContain('command: ["php", "bin/console", "doctrine:migrations:migrate", "--no-interaction"]');
  });

  it('stays quiet on a migration Job with a Helm hook and an app that only serves', async () => {
    const { findings } = await doctorOn(
      {
        'k8s/app.yaml': deployment('          command: ["php-fpm"]\n'),
        'k8s/migrate.yaml': 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  annotations:\n    helm.sh/hook: pre-upgrade\nspec:\n  template:\n    spec:\n      containers:\n        - name: m\n          command: ["php", "artisan", "migrate", "--force"]\n',
      },
      { rule: 'migrate-on-container-start' },
    );
    expect(findings).toEqual([]);
  });
});

describe('migrate-on-container-start: the image start command', () => {
  it("fires at the Dockerfile's CMD when the container sets no command", async () => {
    const { findings } = await doctorOn(
      {
        'Dockerfile': 'FROM composer:2 AS vendor\nCMD ["composer"]\n\nFROM php:8.3-fpm\nCOPY . /var/www/html\nCMD ["sh", "-c", \\\n    "php artisan migrate --force && php-fpm"]\n',
        'k8s/app.yaml': deployment(''),
      },
      { rule: 'migrate-on-container-start' },
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]!.location).toEqual({ file: 'Dockerfile', line: 6, col: 1 });
    expect(findings[0]!.message).toContain("(the image's start command, Dockerfile:6, as the container sets no command)");
  });

  it('fires through supervisord: the image starts supervisord, and one of its programs migrates', async () => {
    const conf = [
      '[supervisord]',
      'nodaemon=true',
      '',
      '[program:php-fpm]',
      'command=php-fpm -F ; in the foreground',
      '',
      '[program:migrate]',
      'command=php /var/www/html/artisan',
      '    migrate --force',
      'autorestart=false',
      '',
    ].join('\n');
    const dockerfile = 'FROM php:8.3-fpm\nCOPY docker/supervisord.conf /etc/supervisor/conf.d/app.conf\nCMD ["/usr/bin/supervisord", "-c", "/etc/supervisor/conf.d/app.conf"]\n';
    const { findings } = await doctorOn({ 'Dockerfile': dockerfile, 'docker/supervisord.conf': conf, 'k8s/app.yaml': deployment('') }, { rule: 'migrate-on-container-start' });
    expect(findings).toHaveLength(1);
    expect(findings[0]!.location).toEqual({ file: 'docker/supervisord.conf', line: 8, col: 9 });
    expect(findings[0]!.message).toContain('runs `php /var/www/html/artisan migrate --force` through supervisord (`[program:migrate]` in docker/supervisord.conf) every time a pod starts');
    // found by its content too (any .conf with [program:x]); quiet when supervisord only serves
    const named = await doctorOn({ 'Dockerfile': dockerfile, 'docker/app.conf': conf, 'k8s/app.yaml': deployment('') }, { rule: 'migrate-on-container-start' });
    expect(named.findings).toHaveLength(1);
    const serve = await doctorOn({ 'Dockerfile': dockerfile, 'docker/supervisord.conf': conf.replace(/\[program:migrate\][^]*$/, ''), 'k8s/app.yaml': deployment('') }, { rule: 'migrate-on-container-start' });
    expect(serve.findings).toEqual([]);
    // a start script that ends in `exec supervisord` (snipe-it's /startup.sh)
    const script = await doctorOn(
      {
        'Dockerfile': 'FROM php:8.3-apache\nCOPY docker/startup.sh /startup.sh\nCMD ["/startup.sh"]\n',
        'docker/startup.sh': '#!/bin/bash\nchown -R www-data storage\nexec supervisord -c /supervisord.conf\n',
        'docker/supervisord.conf': conf,
        'k8s/app.yaml': deployment(''),
      },
      { rule: 'migrate-on-container-start' },
    );
    expect(script.findings.map((f) => `${f.location.file}:${f.location.line}`)).toEqual(['docker/supervisord.conf:8']);
  });

  it('stays quiet when the manifest overrides the command, or the image only serves', async () => {
    const override = await doctorOn({ 'Dockerfile': 'FROM php:8.3-fpm\nCMD php artisan migrate --force && php-fpm\n', 'k8s/app.yaml': deployment('          command: ["php-fpm"]\n') }, { rule: 'migrate-on-container-start' });
    expect(override.findings).toEqual([]);
    const serve = await doctorOn({ 'Dockerfile': 'FROM php:8.3-fpm\nENTRYPOINT ["docker-php-entrypoint"]\nCMD ["php-fpm"]\n', 'k8s/app.yaml': deployment('') }, { rule: 'migrate-on-container-start' });
    expect(serve.findings).toEqual([]);
    const sidecar = await doctorOn(
      { 'Dockerfile': 'FROM php:8.3-fpm\nCMD php artisan migrate --force && php-fpm\n', 'k8s/app.yaml': deployment('          command: ["php-fpm"]\n        - name: web\n          image: nginx:1.27-alpine\n') },
      { rule: 'migrate-on-container-start' },
    );
    expect(sidecar.findings).toEqual([]);
  });
});
