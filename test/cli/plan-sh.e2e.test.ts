import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers.js';

/**
 * The `sh` deploy script, run for real in a temporary directory: php, composer, curl, the SQL
 * client and the php-fpm reload are stand-ins on PATH that append their argv (and what the link
 * `current` points to at that moment) to a log. The log is the order in which the deploy did things.
 */

const RENAME = 'database/migrations/2024_07_01_000000_rename_authors_name_to_display_name.php';
const BACKFILL = 'database/migrations/2024_07_02_000000_fill_bios.php';
const RELEASES = { a: '20240101000000', b: '20240201000000', old: '20240301000000', new: '20240401000000' };

const STAND_IN = `#!/usr/bin/env bash
name=$(basename "$0")
cur=$(readlink "$ZDD_TEST_DEPLOY/current" 2>/dev/null || echo none)
input=""
if [ "$name" = fake-sql ]; then input=$(tr '\\n' ' '); fi
printf '%s | %s | current=%s | cwd=%s | %s\\n' "$name" "$*" "$cur" "$PWD" "$input" >> "$ZDD_TEST_LOG"
case "$name" in
  fake-sql)
    if [ -n "\${FAKE_LOCK_TIMEOUT_ONCE:-}" ] && [[ $input == *"$FAKE_LOCK_TIMEOUT_ONCE"* ]] && [ ! -e "$ZDD_TEST_LOG.timeout" ]; then
      : > "$ZDD_TEST_LOG.timeout"
      echo 'ERROR:  canceling statement due to lock timeout' >&2
      exit 3
    fi
    case "$input" in
      *MIN\\(*) echo 1 ;;
      *MAX\\(*) echo 2500 ;;
      *COUNT\\(*) echo 0 ;;
    esac ;;
  fake-fpm)
    ( sleep 0.5; echo 'NOTICE: ready to handle connections' >> "$ZDD_TEST_FPM_LOG"; echo 'fpm-ready' >> "$ZDD_TEST_LOG" ) > /dev/null 2>&1 &
    ;;
  curl)
    if [ "\${FAKE_HEALTH:-}" = stale ]; then echo "release $ZDD_TEST_OLD"; else echo "release $(cat "$ZDD_TEST_DEPLOY/current/.zdd-release")"; fi ;;
esac
exit 0
`;

interface Setup {
  dir: string;
  deploy: string;
  log: string;
  script: string;
  env: Record<string, string>;
}

function setup(): Setup {
  const dir = mkdtempSync(join(tmpdir(), 'zdd-sh-'));
  const app = join(dir, 'app');
  cpSync(join(ROOT, 'fixtures/laravel/rename-column'), app, { recursive: true });
  writeFileSync(
    join(app, BACKFILL),
    `<?php\n\nuse Illuminate\\Database\\Migrations\\Migration;\nuse Illuminate\\Support\\Facades\\DB;\n\nreturn new class extends Migration\n{\n    public function up(): void\n    {\n        DB::table('authors')->whereNull('bio')->update(['bio' => '']);\n    }\n};\n`,
  );
  writeFileSync(join(app, '.env'), 'DB_CONNECTION=pgsql\n');
  mkdirSync(join(app, 'storage/logs'), { recursive: true });
  const deploy = join(dir, 'deploy');
  for (const r of [RELEASES.a, RELEASES.b, RELEASES.old]) {
    mkdirSync(join(deploy, 'releases', r), { recursive: true });
    writeFileSync(join(deploy, 'releases', r, '.zdd-release'), `${r}\n`);
  }
  symlinkSync(`releases/${RELEASES.old}`, join(deploy, 'current'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  for (const name of ['php', 'composer', 'curl', 'fake-sql', 'fake-fpm']) {
    writeFileSync(join(bin, name), STAND_IN);
    chmodSync(join(bin, name), 0o755);
  }
  writeFileSync(
    join(app, 'zdd.config.json'),
    JSON.stringify({
      plan: {
        deployPath: deploy,
        sqlClient: 'fake-sql',
        fpm: { reload: 'fake-fpm reload', log: join(dir, 'fpm.log'), readyTimeout: 10 },
        health: { url: 'http://127.0.0.1/up', retries: 3, interval: 0 },
        workers: { grace: 0 },
        batchPause: 0,
        keepReleases: 1,
      },
    }),
  );
  writeFileSync(join(dir, 'fpm.log'), 'NOTICE: ready to handle connections\n');
  const r = runCli(['plan', `app/${RENAME}`, `app/${BACKFILL}`, '--format', 'sh'], { cwd: dir });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const script = join(dir, 'deploy.sh');
  writeFileSync(script, r.stdout);
  const log = join(dir, 'calls.log');
  const env = {
    PATH: `${bin}:${process.env.PATH}`,
    ZDD_TEST_LOG: log,
    ZDD_TEST_DEPLOY: deploy,
    ZDD_TEST_FPM_LOG: join(dir, 'fpm.log'),
    ZDD_TEST_OLD: RELEASES.old,
    ZDD_RELEASE: RELEASES.new,
  };
  return { dir, deploy, log, script, env };
}

/** Runs the script while a watcher checks, as fast as it can, that `current` always resolves. */
async function deploy(s: Setup, extraEnv: Record<string, string> = {}, watch = true): Promise<{ code: number | null; stderr: string; calls: string[]; misses: number; checks: number }> {
  if (!watch) {
    const r = spawnSync('bash', [s.script], { env: { ...process.env, ...s.env, ...extraEnv }, encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, stderr: r.stderr, calls: existsSync(s.log) ? readFileSync(s.log, 'utf8').trim().split('\n') : [], misses: 0, checks: 0 };
  }
  const stop = join(s.dir, 'stop');
  const watcher = spawn('bash', ['-c', 'n=0; m=0; while [ ! -e "$1" ]; do n=$((n+1)); [ -e "$2/current/.zdd-release" ] || m=$((m+1)); done; echo "$n $m"', 'watch', stop, s.deploy], { stdio: ['ignore', 'pipe', 'inherit'] });
  let watched = '';
  watcher.stdout.on('data', (d: Buffer) => (watched += d.toString()));
  const done = new Promise<void>((res) => watcher.on('close', () => res()));
  const r = spawnSync('bash', [s.script], { env: { ...process.env, ...s.env, ...extraEnv }, encoding: 'utf8', timeout: 60_000 });
  writeFileSync(stop, '');
  await done;
  const [checks, misses] = watched.trim().split(' ').map(Number);
  const calls = existsSync(s.log) ? readFileSync(s.log, 'utf8').trim().split('\n') : [];
  return { code: r.status, stderr: r.stderr, calls, misses: misses!, checks: checks! };
}

const index = (calls: string[], pred: (c: string) => boolean): number => calls.findIndex(pred);

describe('zdd-plan --format sh, run end to end with stand-in commands', () => {
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist', 'zdd.js'))) throw new Error('build first (npm test builds)');
  });

  it('deploys: pre-swap steps on the old release, atomic swap, reload, health, drain, then post-swap steps, then pruning', async () => {
    const s = setup();
    const r = await deploy(s);
    expect(r.stderr).toContain(`zdd: release ${RELEASES.new} deployed`);
    expect(r.code).toBe(0);
    const c = r.calls;
    const cur = (rel: string) => `current=releases/${rel}`;
    // the build ran in the new release directory
    expect(c[0]).toMatch(new RegExp(`^composer \\| install --no-dev .* \\| ${cur(RELEASES.old)} \\| cwd=${s.deploy}/releases/${RELEASES.new} \\|`));
    // the expand steps, in order, while the old release still serves
    const pre = [
      'ALTER TABLE authors ADD COLUMN display_name varchar(255);',
      'CREATE TRIGGER authors_sync_display_name BEFORE INSERT OR UPDATE ON authors',
      'UPDATE authors SET display_name = name WHERE display_name IS NULL AND name IS NOT NULL AND id >= 1 AND id < 1001;',
      'UPDATE authors SET display_name = name WHERE display_name IS NULL AND name IS NOT NULL AND id >= 2001 AND id < 3001;',
      'CREATE INDEX CONCURRENTLY authors_display_name_index ON authors (display_name);',
      "INSERT INTO migrations (migration, batch) SELECT '2024_07_01_000000_rename_authors_name_to_display_name'",
      "INSERT INTO migrations (migration, batch) SELECT '2024_07_02_000000_fill_bios'",
    ].map((text) => index(c, (l) => l.startsWith('fake-sql') && l.includes(text)));
    expect(pre.every((i) => i >= 0)).toBe(true);
    expect([...pre].sort((a, b) => a - b)).toEqual(pre);
    for (const i of pre) expect(c[i]).toContain(cur(RELEASES.old));
    const warmup = index(c, (l) => l.startsWith('php | artisan optimize'));
    const reload = index(c, (l) => l.startsWith('fake-fpm | reload'));
    const workers = index(c, (l) => l.startsWith('php | artisan queue:restart'));
    const health = index(c, (l) => l.startsWith('curl'));
    const ready = c.indexOf('fpm-ready');
    const post = index(c, (l) => l.includes("UPDATE authors SET bio = ''"));
    expect(c[warmup]).toContain(cur(RELEASES.old));
    expect(c[reload]).toContain(cur(RELEASES.new));
    // (php-fpm may finish its reload before or after the health check: only the post-swap steps must wait for it)
    expect([pre[pre.length - 1]! < warmup, warmup < reload, reload < workers, workers < health, reload < ready, health < post, ready < post]).toEqual([true, true, true, true, true, true, true]);
    // the post-swap backfill, in batches, only after the drain
    expect(c.filter((l) => l.includes("UPDATE authors SET bio = ''")).map((l) => /id >= (\d+) AND authors\.id < (\d+)/.exec(l)!.slice(1).join('-'))).toEqual(['1-1001', '1001-2001', '2001-3001']);
    // current resolved at every check the watcher made during the deploy
    expect(r.checks).toBeGreaterThan(100);
    expect(r.misses).toBe(0);
    expect(readlinkSync(join(s.deploy, 'current'))).toBe(`releases/${RELEASES.new}`);
    // shared files are links into shared/, the release knows its name
    expect(readlinkSync(join(s.deploy, 'releases', RELEASES.new, '.env'))).toBe(join(s.deploy, 'shared', '.env'));
    expect(readlinkSync(join(s.deploy, 'releases', RELEASES.new, 'storage'))).toBe(join(s.deploy, 'shared', 'storage'));
    expect(readFileSync(join(s.deploy, 'releases', RELEASES.new, '.zdd-release'), 'utf8')).toBe(`${RELEASES.new}\n`);
    // pruned to one release, but never the previous one (the swap-back target)
    expect([RELEASES.a, RELEASES.b, RELEASES.old, RELEASES.new].map((rel) => existsSync(join(s.deploy, 'releases', rel)))).toEqual([false, false, true, true]);
  });

  it('never prunes the swap-back target, also when an older tool left current as an absolute link', async () => {
    const s = setup();
    unlinkSync(join(s.deploy, 'current'));
    symlinkSync(join(s.deploy, 'releases', RELEASES.old), join(s.deploy, 'current'));
    const r = await deploy(s, {}, false);
    expect(r.code).toBe(0);
    expect([RELEASES.a, RELEASES.b, RELEASES.old, RELEASES.new].map((rel) => existsSync(join(s.deploy, 'releases', rel)))).toEqual([false, false, true, true]);
  });

  it('swaps the atomic way: a new link renamed over current, never ln -sfn', () => {
    const s = setup();
    const text = readFileSync(s.script, 'utf8');
    expect(text).toContain('ln -s -- "$1" "$CURRENT.zdd-next"');
    expect(text).toContain('mv -T -- "$CURRENT.zdd-next" "$CURRENT"');
    const code = text.split('\n').filter((l) => !l.trimStart().startsWith('#'));
    expect(code.filter((l) => /\bln\b/.test(l))).toEqual(['  ln -s -- "$1" "$CURRENT.zdd-next"', '  ln -s -- "$SHARED/$1" "$RELEASE_PATH/$1"', '  ln -s -- "$SHARED/$1" "$RELEASE_PATH/$1"']);
  });

  it('swaps back when the health check never sees the new release, and runs no post-swap step', async () => {
    const s = setup();
    const r = await deploy(s, { FAKE_HEALTH: 'stale' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`zdd: health: release ${RELEASES.new} never answered`);
    expect(r.stderr).toContain(`swapping back to releases/${RELEASES.old}`);
    expect(readlinkSync(join(s.deploy, 'current'))).toBe(`releases/${RELEASES.old}`);
    expect(r.calls.filter((l) => l.startsWith('curl'))).toHaveLength(3);
    expect(r.calls.filter((l) => l.startsWith('fake-fpm | reload')).map((l) => l.split(' | ')[2])).toEqual([`current=releases/${RELEASES.new}`, `current=releases/${RELEASES.old}`]);
    expect(r.calls.some((l) => l.includes("UPDATE authors SET bio = ''"))).toBe(false);
    expect(r.misses).toBe(0);
    expect(existsSync(join(s.deploy, '.zdd-deploy.lock'))).toBe(false);
  });

  it('retries a step that hit the lock timeout', async () => {
    const s = setup();
    const r = await deploy(s, { FAKE_LOCK_TIMEOUT_ONCE: 'ADD COLUMN display_name' }, false);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('lock timeout (another session holds the table), retry 1 of 2');
    expect(r.calls.filter((l) => l.includes('ADD COLUMN display_name'))).toHaveLength(2);
  });

  it('refuses to run while another deploy holds the lock', async () => {
    const s = setup();
    mkdirSync(join(s.deploy, '.zdd-deploy.lock'));
    const r = await deploy(s, {}, false);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('another deploy holds');
    expect(readlinkSync(join(s.deploy, 'current'))).toBe(`releases/${RELEASES.old}`);
  });

  it('shellcheck finds nothing in the script', () => {
    const has = spawnSync('shellcheck', ['--version']).status === 0;
    if (!has) return; // CI installs shellcheck (.ci/run); a machine without it skips the check
    const s = setup();
    const r = spawnSync('shellcheck', [s.script], { encoding: 'utf8' });
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  });
});
