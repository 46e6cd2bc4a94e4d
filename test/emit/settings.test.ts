import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deploySettings, PLAN_CONFIG_KEYS } from '../../src/emit/settings.js';
import { ROOT } from '../helpers.js';

describe('the "plan" settings of zdd.config.json', () => {
  it('has defaults per framework: Laravel, Symfony/Doctrine, plain SQL', () => {
    const laravel = deploySettings(undefined, {}, 'postgres', 'laravel');
    expect(laravel).toMatchObject({
      contract: 'next-release',
      lockTimeout: 5,
      shared: { files: ['.env'], dirs: ['storage'] },
      warmup: ['php artisan optimize'],
      workers: { restart: 'php artisan queue:restart', grace: 30 },
      sqlClient: 'psql -X -q -t -A -v ON_ERROR_STOP=1',
    });
    expect(deploySettings(undefined, {}, 'mysql', 'doctrine')).toMatchObject({ shared: { files: ['.env.local'], dirs: ['var/log'] }, workers: { restart: 'php bin/console messenger:stop-workers' }, sqlClient: 'mysql --batch --skip-column-names' });
    expect(deploySettings(undefined, {}, 'mysql', 'sql')).toMatchObject({ shared: { files: [], dirs: [] }, warmup: [] });
    expect(deploySettings(undefined, {}, 'mysql', 'sql').build).toBeUndefined();
  });

  it('applies the file, then the flags; the default commands use the configured php', () => {
    const s = deploySettings({ php: '/usr/bin/php8.2', deployPath: '/srv/a', contract: 'post-swap', workers: { restart: false } }, { deployPath: '/srv/b', healthUrl: 'http://x/up' }, 'postgres', 'laravel');
    expect(s).toMatchObject({ php: '/usr/bin/php8.2', deployPath: '/srv/b', contract: 'post-swap', warmup: ['/usr/bin/php8.2 artisan optimize'], health: { url: 'http://x/up' } });
    expect(s.workers.restart).toBeUndefined();
  });

  it('refuses unknown keys and wrong values, naming the key', () => {
    const bad = (raw: Record<string, unknown>) => () => deploySettings(raw, {}, 'postgres', 'laravel', 'zdd.config.json');
    expect(bad({ deploy_path: '/srv' })).toThrow('zdd.config.json: unknown key "plan.deploy_path" (known: contract, lockTimeout, lockRetries,');
    expect(bad({ fpm: { pid: 'x' } })).toThrow('zdd.config.json: unknown key "plan.fpm.pid" (known: reload, log, readyTimeout)');
    expect(bad({ batchSize: 0 })).toThrow('"plan.batchSize" must be a number of rows of at least 1');
    expect(bad({ contract: 'later' })).toThrow('"plan.contract" must be "next-release" or "post-swap"');
    expect(bad({ sqlMigrate: 'flyway migrate' })).toThrow('"plan.sqlMigrate" must be a shell command with {file}');
    expect(bad({ shared: { dirs: ['../etc'] } })).toThrow('"plan.shared" must be paths inside the release (relative, without ..)');
    expect(() => deploySettings(undefined, { contract: 'soon' }, 'postgres', 'sql')).toThrow('--contract must be next-release or post-swap (got "soon")');
  });

  it('the published JSON schema lists exactly the keys the loader knows', () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'schema/zdd.config.schema.json'), 'utf8'));
    expect(Object.keys(schema.properties.plan.properties)).toEqual(PLAN_CONFIG_KEYS);
  });
});
