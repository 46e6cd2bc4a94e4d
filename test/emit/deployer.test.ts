import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDeployer } from '../../src/emit/deployer.js';
import { deploySettings, requireDeploySettings, type SettingFlags } from '../../src/emit/settings.js';
import type { Plan } from '../../src/plan/types.js';
import { runRecipe } from '../deployer-stand-in.js';
import { doctorOn } from '../helpers.js';
import { planSql } from '../plan-helpers.js';

/** `--format deployer`: the recipe checks that the new release answers before any post-swap step. */

const hasPhp = spawnSync('php', ['-v']).status === 0; // CI installs php-cli (.ci/run)

/** A plan with steps on both sides of the swap: an index before it, a drop after it. */
const postSwapPlan = (): Promise<Plan> => planSql('postgres', 'CREATE INDEX orders_total_index ON orders (total);\nALTER TABLE orders DROP COLUMN note;', { contract: 'post-swap' });

function recipe(plan: Plan, flags: SettingFlags, raw?: Record<string, unknown>): string {
  const settings = deploySettings(raw, flags, plan.dialect, 'sql');
  requireDeploySettings(settings, 'deployer');
  return formatDeployer(plan, { zddVersion: '0.0.0', settings, root: '/app', cwd: '/app' });
}

/**
 * Runs the recipe's tasks around deploy:symlink with stand-ins for Deployer's functions: run() is
 * logged; the release file holds `42-20250101000000`; the health URL answers with it in a header when
 * `$healthy` (after `$healthyAfter` failed tries), else curl fails.
 */
function deploy(code: string, opts: { healthy: boolean; healthyAfter?: number }): { log: string[]; error: string } {
  const r = runRecipe(code, {
    release: '42',
    state: "'tries' => 0",
    answers: `  if (str_starts_with($c, 'cat ')) return '42-20250101000000';
  if (str_starts_with($c, 'curl ')) {
    if (!${opts.healthy ? 'true' : 'false'} || $GLOBALS['z']['tries']++ < ${opts.healthyAfter ?? 0}) throw new \\RuntimeException('curl: (22) The requested URL returned error: 503');
    return "HTTP/1.1 200 OK\\nX-Release: 42-20250101000000\\n\\nok";
  }`,
    settings: { zdd_drain: 0, zdd_worker_grace: 0, zdd_health_interval: 0 },
    tasks: ['deploy:symlink'],
    catchErrors: true,
  });
  return { log: r.stdout.trim().split('\n'), error: r.stderr };
}

describe('--format deployer: the health check', () => {
  it('is required, like the sh format (which also needs the deploy path; Deployer has its own)', async () => {
    const plan = await postSwapPlan();
    expect(() => recipe(plan, {})).toThrow('--format deployer needs a health check that proves the new release answers ("plan.health.url" or --health-url, or "plan.health.command") in zdd.config.json');
    expect(() => recipe(plan, { healthUrl: "http://x/up?a='b'" })).toThrow("--format deployer: the health URL http://x/up?a='b' contains a single quote: percent-encode it (%27)");
    expect(() => recipe(plan, {}, { health: { command: 'php artisan health:check' } })).not.toThrow();
  });

  it('runs after the swap, the php-fpm reload and the drain, and before the post-swap steps; the recipe is valid PHP', async () => {
    const code = recipe(await postSwapPlan(), { healthUrl: 'http://127.0.0.1/up?probe=1&x=2' });
    expect(code).toContain("set('zdd_health_url', 'http://127.0.0.1/up?probe=1&x=2');");
    expect(code).toContain("set('zdd_health_retries', 10);\nset('zdd_health_interval', 2);\nset('zdd_release_file', '.zdd-release');");
    expect(code).toContain("before('deploy:symlink', 'zdd:pre-swap');\nafter('deploy:symlink', 'zdd:drain');\nafter('zdd:drain', 'zdd:health');\nafter('zdd:health', 'zdd:post-swap');\n");
    if (!hasPhp) return;
    const dir = mkdtempSync(join(tmpdir(), 'zdd-dep-'));
    writeFileSync(join(dir, 'zdd-deploy.php'), code);
    expect(spawnSync('php', ['-l', join(dir, 'zdd-deploy.php')], { encoding: 'utf8' }).status).toBe(0);

    const ok = deploy(code, { healthy: true, healthyAfter: 2 });
    expect(ok.error).toBe('');
    const at = (text: string) => ok.log.findIndex((l) => l.includes(text));
    const order = [
      "run: echo '42-", // the release id, written before the swap
      'CREATE INDEX CONCURRENTLY orders_total_index',
      'task: deploy:symlink',
      'run: kill -USR2',
      "run: cat {{release_path}}/'.zdd-release'", // reads the release id back
      "run: curl -fsS --max-time 10 -D - '{{zdd_health_url}}'",
      'writeln: zdd: health: not release 42-20250101000000 yet (1 of 10)',
      'writeln: zdd: health: not release 42-20250101000000 yet (2 of 10)',
      'writeln: zdd: health: release 42-20250101000000 answers',
      'DROP COLUMN note',
    ];
    const idx = order.map(at);
    expect(idx.every((i) => i >= 0), JSON.stringify(ok.log, null, 1)).toBe(true);
    expect([...idx].sort((a, b) => a - b)).toEqual(idx);
  });

  it('fails the deploy when the new release never answers: no post-swap step runs', async () => {
    if (!hasPhp) return;
    const code = recipe(await postSwapPlan(), { healthUrl: 'http://127.0.0.1/up' }, { health: { retries: 3 } });
    const bad = deploy(code, { healthy: false });
    expect(bad.error).toBe('zdd: health: release 42-20250101000000 never answered (http://127.0.0.1/up): the post-swap steps did not run');
    expect(bad.log.filter((l) => l.startsWith('run: curl'))).toHaveLength(3);
    expect(bad.log.some((l) => l.includes('DROP COLUMN note'))).toBe(false);
    expect(bad.log.some((l) => l.includes('CREATE INDEX CONCURRENTLY'))).toBe(true);
  });

  it('a health command runs in the new release instead, the release id in $ZDD_RELEASE', async () => {
    const code = recipe(await postSwapPlan(), {}, { health: { command: 'php artisan health:check' } });
    expect(code).not.toContain('zdd_health_url');
    expect(code).toContain("run('export ZDD_RELEASE=' . escapeshellarg($release) . ' ZDD_RELEASE_PATH={{release_path}}; ' . 'php artisan health:check');");
    if (!hasPhp) return;
    const ok = deploy(code, { healthy: true });
    expect(ok.error).toBe('');
    expect(ok.log).toContain("run: export ZDD_RELEASE='42-20250101000000' ZDD_RELEASE_PATH={{release_path}}; php artisan health:check");
    expect(ok.log.findIndex((l) => l.includes('health:check'))).toBeLessThan(ok.log.findIndex((l) => l.includes('DROP COLUMN note')));
  });

  it('zdd doctor finds nothing in a deploy.php that requires the framework recipe and this one', async () => {
    const code = recipe(await postSwapPlan(), { healthUrl: 'http://127.0.0.1/up' });
    const deployPhp = (req: string) => `<?php\nnamespace Deployer;\n\nrequire 'recipe/laravel.php';\n${req}\n\nhost('example.com')->set('deploy_path', '/var/www/app');\n`;
    for (const req of ["require __DIR__ . '/zdd-deploy.php';", "require 'zdd-deploy.php';"]) {
      const { findings, problems } = await doctorOn({ 'deploy.php': deployPhp(req), 'zdd-deploy.php': code });
      expect(problems).toEqual([]);
      expect(findings.map((f) => `${f.location.file}:${f.location.line} ${f.rule}`)).toEqual([]);
    }
    // without the recipe, the same deploy.php has no health check
    const { findings } = await doctorOn({ 'deploy.php': deployPhp(''), 'zdd-deploy.php': code }, { rule: 'missing-health-check' });
    expect(findings.map((f) => `${f.location.file}:${f.location.line} ${f.rule}`)).toEqual(['deploy.php:4 missing-health-check']);
  });
});
