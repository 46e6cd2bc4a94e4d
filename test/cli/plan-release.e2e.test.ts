import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/types.js';
import { git, releaseRepo, ROOT, runCli, tempTree } from '../helpers.js';
import { outline } from '../plan-helpers.js';

/**
 * zdd-plan in release mode: the change and both releases' code come from git (--base, --staged,
 * --from/--to refs) or from two release directories, and the code index decides where each drop
 * goes and whether release 1 meets its requirements.
 */

const PLAN_BIN = join(ROOT, 'dist', 'zdd-plan.js');
const LARAVEL_V1 = join(ROOT, 'fixtures/releases/laravel/v1');
const LARAVEL_V2 = join(ROOT, 'fixtures/releases/laravel/v2');
const DOCTRINE_V1 = join(ROOT, 'fixtures/releases/doctrine/v1');
const DOCTRINE_V2 = join(ROOT, 'fixtures/releases/doctrine/v2');
const DROP = 'database/migrations/2024_06_01_000000_drop_legacy_columns.php';

function runPlan(args: string[], cwd: string): { stdout: string; stderr: string; code: number | null } {
  const r = spawnSync(process.execPath, [PLAN_BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8', timeout: 60_000 });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

const repo = releaseRepo;

/** Two release directories as a server has them: `current` (v1) and the new release (v1 + v2). */
function releaseDirs(v1: string, v2: string): { root: string; current: string; next: string } {
  const root = tempTree({});
  const current = join(root, 'releases', '1');
  const next = join(root, 'releases', '2');
  cpSync(v1, current, { recursive: true });
  cpSync(v1, next, { recursive: true });
  cpSync(v2, next, { recursive: true });
  return { root, current, next };
}

const checks = (p: Plan): string[] => p.releases.flatMap((r) => r.checks.map((c) => `${r.release} ${c.status}: ${c.condition}${c.references ? ` [${c.references.map((x) => `${x.file}:${x.line}`).join(', ')}]` : ''}`));

const LARAVEL_OUTLINE = [
  '1 post-swap contract drop-column: SET SESSION lock_wait_timeout = 5 ; ALTER TABLE teams DROP COLUMN status',
  '2 post-swap contract drop-column: SET SESSION lock_wait_timeout = 5 ; ALTER TABLE users DROP COLUMN legacy_id',
  '2 post-swap contract drop-column: SET SESSION lock_wait_timeout = 5 ; ALTER TABLE users DROP COLUMN nickname',
];

const LARAVEL_CHECKS = [
  '1 satisfied: No code of release 1 references users.legacy_id (release 2 drops it).',
  '1 unsatisfied: No code of release 1 references users.nickname (release 2 drops it). [app/Http/Controllers/UserController.php:21, app/Models/User.php:28, app/Models/User.php:43]',
  '1 satisfied: No code of release 1 references teams.status (it is dropped after the swap).',
];

function expectLaravelPlan(r: { stdout: string; stderr: string; code: number | null }): Plan {
  expect(r.stderr).toBe('zdd: not met by the code of release 1: No code of release 1 references users.nickname (release 2 drops it).\n');
  expect(r.code).toBe(1);
  const plan = JSON.parse(r.stdout) as Plan;
  // teams.status: no code of either release uses it, so it goes in this deploy, after the swap;
  // users.legacy_id and nickname: the running release uses them, so they wait for release 2
  expect(outline(plan)).toEqual(LARAVEL_OUTLINE);
  expect(checks(plan)).toEqual(LARAVEL_CHECKS);
  expect(plan.releases[1]!.steps[0]!.why).toBe(
    'The running release uses users.legacy_id (app/Http/Controllers/UserController.php:21) while release 1 deploys, and rolling back to it must keep working: users.legacy_id is dropped in release 2, after its swap.',
  );
  expect(plan.migrations.map((m) => `${m.file} ${m.handling}`)).toEqual([`${DROP} split`]);
  return plan;
}

/** The new release stops using users.nickname: what the plan asks release 1 to do. */
function dropNicknameUses(dir: string): void {
  const edit = (file: string, from: string | RegExp, to: string): void => {
    const abs = join(dir, file);
    const text = readFileSync(abs, 'utf8');
    const next = text.replace(from, to);
    expect(next).not.toBe(text);
    writeFileSync(abs, next);
  };
  edit('app/Http/Controllers/UserController.php', '        $user->nickname = $request->nickname;\n', '');
  edit('app/Models/User.php', "        'nickname' => 'string',\n", '');
  edit('app/Models/User.php', '$this->nickname ?: $this->name', '$this->name');
}

describe('zdd-plan in release mode (built binary)', () => {
  it('--base: plans the migrations added since the merge-base; the code of both releases places the drops and checks release 1', () => {
    const dir = repo(LARAVEL_V1, LARAVEL_V2);
    expectLaravelPlan(runPlan(['--base', 'main', '--dialect', 'mysql', '--format', 'json'], dir));
    // text: the unmet requirement with the lines that break it
    const t = runPlan(['--base', 'main', '--dialect', 'mysql'], dir);
    expect(t.code).toBe(1);
    expect(t.stdout).toContain(
      [
        '    ✖ No code of release 1 references users.nickname (release 2 drops it).',
        '        app/Http/Controllers/UserController.php:21  $user->nickname = $request->nickname;',
        "        app/Models/User.php:28  'nickname' => 'string',",
      ].join('\n'),
    );
    expect(t.stdout).toContain('✖ 1 requirement is not met by the code of release 1');
    // zdd plan is the same command
    const z = runCli(['plan', '--base', 'main', '--dialect', 'mysql', '--format', 'json'], { cwd: dir });
    expect(z.stdout).toBe(runPlan(['--base', 'main', '--dialect', 'mysql', '--format', 'json'], dir).stdout);
  });

  it('--base counts uncommitted work and reads the migrations folder given as a path', () => {
    const dir = repo(LARAVEL_V1, LARAVEL_V2, false);
    expectLaravelPlan(runPlan(['--base', 'main', '--dialect', 'mysql', '--format', 'json', 'database/migrations'], dir));
  });

  it('--staged: the staged migrations, old code = HEAD, new code = the index', () => {
    const dir = repo(LARAVEL_V1, LARAVEL_V2, false);
    git(dir, 'add', '-A');
    expectLaravelPlan(runPlan(['--staged', '--dialect', 'mysql', '--format', 'json'], dir));
  });

  it('--cache-dir keeps the code index cache there, and a second plan from it is the same; --no-cache writes none', () => {
    const dir = repo(LARAVEL_V1, LARAVEL_V2, false);
    git(dir, 'add', '-A');
    const cacheDir = join(tempTree({}), 'zc');
    const args = ['--staged', '--dialect', 'mysql', '--format', 'json', '--cache-dir', cacheDir];
    const first = runPlan(args, dir);
    expectLaravelPlan(first);
    expect(readdirSync(cacheDir)).toHaveLength(1);
    expect(runPlan(args, dir).stdout).toBe(first.stdout);
    const none = join(tempTree({}), 'none');
    expect(runPlan(['--staged', '--dialect', 'mysql', '--format', 'json', '--no-cache', '--cache-dir', none], dir).stdout).toBe(first.stdout);
    expect(existsSync(none)).toBe(false);
  });

  it('--from/--to with two git refs and with two release directories give the same plan', () => {
    const dir = repo(LARAVEL_V1, LARAVEL_V2);
    const refs = runPlan(['--from', 'main', '--to', 'feature', '--dialect', 'mysql', '--format', 'json'], dir);
    expectLaravelPlan(refs);
    const { root } = releaseDirs(LARAVEL_V1, LARAVEL_V2);
    const dirs = runPlan(['--from', 'releases/1', '--to', 'releases/2', '--dialect', 'mysql', '--format', 'json'], root);
    expectLaravelPlan(dirs);
    expect(dirs.stdout).toBe(refs.stdout);
  });

  it('once the new code stops using what release 1 drops, release 1 can ship (exit 0); --contract post-swap then drops it in this deploy', () => {
    const { root, next } = releaseDirs(LARAVEL_V1, LARAVEL_V2);
    dropNicknameUses(next);
    const r = runPlan(['--from', 'releases/1', '--to', 'releases/2', '--dialect', 'mysql', '--format', 'json'], root);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as Plan;
    expect(outline(plan)).toEqual(LARAVEL_OUTLINE);
    expect(plan.releases[0]!.checks.map((c) => c.status)).toEqual(['satisfied', 'satisfied', 'satisfied']);
    const t = runPlan(['--from', 'releases/1', '--to', 'releases/2', '--dialect', 'mysql'], root);
    expect(t.stdout).toContain('✔ release 1 can ship; 1 follow-up release finishes the change');

    const p = runPlan(['--from', 'releases/1', '--to', 'releases/2', '--dialect', 'mysql', '--format', 'json', '--contract', 'post-swap'], root);
    expect(p.code).toBe(0);
    // in the migration's own order
    expect(outline(JSON.parse(p.stdout) as Plan)).toEqual([LARAVEL_OUTLINE[1], LARAVEL_OUTLINE[2], LARAVEL_OUTLINE[0]].map((l) => l!.replace(/^2 /, '1 ')));
  });

  it('an explicit --contract next-release keeps every drop for release 2, also one no code references', () => {
    const { root } = releaseDirs(LARAVEL_V1, LARAVEL_V2);
    for (const args of [['--contract', 'next-release'], ['--config', 'zdd.config.json']]) {
      writeFileSync(join(root, 'zdd.config.json'), JSON.stringify({ plan: { contract: 'next-release' } }));
      const r = runPlan(['--from', 'releases/1', '--to', 'releases/2', '--dialect', 'mysql', '--format', 'json', ...args], root);
      const plan = JSON.parse(r.stdout) as Plan;
      expect(outline(plan).map((l) => l.slice(0, 2)), args.join(' ')).toEqual(['2 ', '2 ', '2 ']);
      expect(plan.contract).toBe('next-release');
      // no code uses teams.status: it waits because next-release was asked for, not for the running release
      expect(plan.releases[1]!.steps.find((st) => st.column === 'status')!.why).toBe(
        "--contract next-release was asked for: teams.status is dropped in release 2, after its swap, although neither the running release's code nor the new one references it (code index); until then, rolling back to the running release keeps working.",
      );
    }
    const text = runPlan(['--from', 'releases/1', '--to', 'releases/2', '--dialect', 'mysql', '--contract', 'next-release'], root).stdout;
    expect(text).not.toMatch(/The running release uses\s+teams\.status/);
  });

  it("zdd lint's zdd-plan hint says where zdd-plan puts each drop (--from/--to, --base, plan.contract)", () => {
    const hints = (r: { stdout: string }): string[] =>
      (JSON.parse(r.stdout) as { findings: Array<{ rule: string; fix: string; target: { table: string; column?: string } }> }).findings
        .filter((f) => f.rule === 'drop-column')
        .map((f) => `${f.target.table}.${f.target.column}: ${/^zdd-plan: (.*)$/m.exec(f.fix)?.[1]}`);
    const expected = [
      'users.legacy_id: release 1 ships the code without legacy_id; release 2 drops it post-swap, once the running release is gone.',
      'users.nickname: release 1 ships the code without nickname; release 2 drops it post-swap, once the running release is gone.',
      "teams.status: neither release's code references teams.status (code index): `zdd-plan` drops it in this deploy, after the swap and the drain (`--contract next-release` keeps it for release 2).",
    ];
    const { root } = releaseDirs(LARAVEL_V1, LARAVEL_V2);
    const lint = runCli(['lint', '--from', 'releases/1', '--to', 'releases/2', '--dialect', 'mysql', '--format', 'json'], { cwd: root });
    expect(hints(lint)).toEqual(expected);
    // zdd-plan: teams.status in release 1 (after the swap), the other two in release 2, as the hints say
    expect(outline(JSON.parse(runPlan(['--from', 'releases/1', '--to', 'releases/2', '--dialect', 'mysql', '--format', 'json'], root).stdout) as Plan)).toEqual(LARAVEL_OUTLINE);
    const dir = repo(LARAVEL_V1, LARAVEL_V2);
    expect(hints(runCli(['lint', '--base', 'main', '--dialect', 'mysql', '--format', 'json'], { cwd: dir }))).toEqual(expected);
    // plan.contract "next-release" in zdd.config.json: zdd-plan keeps teams.status for release 2, and the hint says so
    writeFileSync(join(root, 'zdd.config.json'), JSON.stringify({ plan: { contract: 'next-release' } }));
    const withConfig = ['--from', 'releases/1', '--to', 'releases/2', '--dialect', 'mysql', '--format', 'json', '--config', 'zdd.config.json'];
    expect(outline(JSON.parse(runPlan(withConfig, root).stdout) as Plan).map((l) => l.slice(0, 2))).toEqual(['2 ', '2 ', '2 ']);
    expect(hints(runCli(['lint', ...withConfig], { cwd: root }))[2]).toBe(
      'teams.status: release 1 ships; release 2 drops it post-swap (`plan.contract` "next-release" asks for that), although neither release\'s code references teams.status.',
    );
  });

  it('--contract post-swap is refused while the new release still uses the column, naming the line', () => {
    const { root } = releaseDirs(LARAVEL_V1, LARAVEL_V2);
    const r = runPlan(['--from', 'releases/1', '--to', 'releases/2', '--dialect', 'mysql', '--contract', 'post-swap'], root);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("users.nickname cannot be dropped in this release: the new release's code still references it (app/Http/Controllers/UserController.php:21");
  });

  it('sh: a deploy script for the new release directory, with release 1 steps only', () => {
    const { root } = releaseDirs(LARAVEL_V1, LARAVEL_V2);
    const r = runPlan(['--from', 'releases/1', '--to', 'releases/2', '--dialect', 'mysql', '--format', 'sh', '--deploy-path', '/srv/app', '--health-url', 'http://127.0.0.1/health'], root);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^#!\/usr\/bin\/env bash\n/);
    expect(r.stdout).toContain('ALTER TABLE teams DROP COLUMN status');
    expect(r.stdout).not.toContain('ALTER TABLE users DROP COLUMN nickname;');
    // the source copied into a new release is the --to directory
    expect(r.stdout).toContain(`SOURCE=\${ZDD_SOURCE:-'${join(root, 'releases', '2')}'}`);
  });

  it('--write writes the split migrations into the --to directory; it refuses a git ref', () => {
    const { root, next } = releaseDirs(LARAVEL_V1, LARAVEL_V2);
    dropNicknameUses(next);
    const r = runPlan(['--from', 'releases/1', '--to', 'releases/2', '--dialect', 'mysql', '--write'], root);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\nwrote database\/migrations\/zdd-post-swap\/2024_06_01_000000_drop_legacy_columns_zdd_01_drop_column_teams_status\.php /);
    expect(existsSync(join(next, 'database/migrations/zdd-post-swap'))).toBe(true);
    expect(readdirSync(join(next, 'database/migrations/zdd-next-release'))).toEqual(['2024_06_01_000000_drop_legacy_columns_zdd_02_drop_column_users_legacy_id.php']);
    // the written files are planned already: with the original deleted (as zdd says), planning again
    // runs the marked post-swap file unchanged, and the zdd-next-release/ file waits for release 2
    rmSync(join(next, DROP));
    const again = runPlan(['--from', 'releases/1', '--to', 'releases/2', '--dialect', 'mysql', '--format', 'json'], root);
    expect(again.code).toBe(0);
    const plan = JSON.parse(again.stdout) as Plan;
    expect(plan.migrations.map((m) => `${m.file} ${m.handling}`)).toEqual(['database/migrations/zdd-post-swap/2024_06_01_000000_drop_legacy_columns_zdd_01_drop_column_teams_status.php as-is']);
    expect(outline(plan)).toEqual(['1 post-swap as-is drop-column (migration)']);

    const dir = repo(LARAVEL_V1, LARAVEL_V2);
    const g = runPlan(['--from', 'main', '--to', 'feature', '--dialect', 'mysql', '--write'], dir);
    expect(g.code).toBe(2);
    expect(g.stdout).toBe('');
    expect(g.stderr).toMatch(/^zdd: --write: the new release feature \([0-9a-f]{12}\) is a git commit, not files on disk: check it out, or plan --from\/--to with directories\n$/);
  });

  it('Doctrine: the app\'s config gives the dialect; entity mappings, DBAL queries and XML mappings are the dependents', () => {
    const { root } = releaseDirs(DOCTRINE_V1, DOCTRINE_V2);
    const r = runPlan(['--from', 'releases/1', '--to', 'releases/2', '--format', 'json'], root);
    expect(r.code).toBe(1);
    const plan = JSON.parse(r.stdout) as Plan;
    expect(plan.dialect).toBe('postgres');
    expect(checks(plan)).toEqual([
      '1 unsatisfied: No code of release 1 references customers.legacy_code (release 2 drops it). [src/Repository/CustomerRepository.php:21]',
      '1 satisfied: No code of release 1 references invoices.notes (release 2 drops it).',
      '1 unsatisfied: The code of release 1 reads and writes products.code and no longer references products.sku (release 2 drops it). [config/doctrine/Product.orm.xml:9]',
      '1 unsatisfied: No code of release 1 references invoices.status (release 2 drops it). [src/Controller/InvoiceController.php:16, src/Entity/Invoice.php:34]',
      '1 satisfied: No code of release 1 references invoices.legacy_total (it is dropped after the swap).',
    ]);
    expect(plan.migrations.map((m) => `${m.version} ${m.handling}`)).toEqual(['DoctrineMigrations\\Version20240601000000 split']);
    expect(outline(plan).filter((l) => l.startsWith('1 '))).toEqual([
      "1 pre-swap split add-column: SET lock_timeout = '5s' ; ALTER TABLE products ADD COLUMN code varchar(32)",
      expect.stringMatching(/^1 pre-swap split create-trigger: SET lock_timeout = '5s' ; CREATE FUNCTION products_sync_code\(\)/),
      '1 pre-swap backfill backfill: UPDATE products SET code = sku WHERE code IS NULL AND sku IS NOT NULL AND id >= {from} AND id < {to}',
      "1 post-swap contract drop-column: SET lock_timeout = '5s' ; ALTER TABLE invoices DROP COLUMN legacy_total",
    ]);
    // the Deployer recipe records the split migration under its full version name
    const d = runPlan(['--from', 'releases/1', '--to', 'releases/2', '--format', 'deployer', '--health-url', 'http://127.0.0.1/health'], root);
    expect(d.stdout).toContain("doctrine:migrations:version ' . escapeshellarg('DoctrineMigrations\\\\Version20240601000000') . ' --add");
  });

  it('a deployed migration edited afterwards is history, not a new table: the drops on its table stay errors (lint) and wait (plan)', () => {
    const dir = repo(LARAVEL_V1, LARAVEL_V2, false);
    const created = join(dir, 'database/migrations/2024_01_01_000000_create_users_table.php');
    writeFileSync(created, `${readFileSync(created, 'utf8')}// touched\n`);
    const note = 'zdd: database/migrations/2024_01_01_000000_create_users_table.php: changed, but the running release (merge-base ';
    const lint = runCli(['lint', '--base', 'main', '--dialect', 'mysql', '--format', 'json'], { cwd: dir });
    expect(lint.code).toBe(1);
    expect(lint.stderr).toContain(note);
    expect(lint.stderr).toContain('has this migration already — the framework will not run it again, so the change never reaches the database; put it in a new migration\n');
    const findings = (JSON.parse(lint.stdout) as { findings: Array<{ rule: string; severity: string; target: { table: string; column?: string } }> }).findings;
    expect(findings.filter((f) => f.rule === 'drop-column').map((f) => `${f.severity} ${f.target.table}.${f.target.column}`)).toEqual(['error users.legacy_id', 'error users.nickname', 'warning teams.status']);
    const r = runPlan(['--base', 'main', '--dialect', 'mysql', '--format', 'json'], dir);
    expect(r.stderr).toContain(note);
    const plan = JSON.parse(r.stdout) as Plan;
    expect(outline(plan)).toEqual(LARAVEL_OUTLINE);
    expect(plan.migrations.map((m) => m.file)).toEqual([DROP]);
  });

  it('no new migration: an empty plan, exit 0', () => {
    const dir = repo(LARAVEL_V1, LARAVEL_V1);
    const r = runPlan(['--base', 'main', '--dialect', 'mysql'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('none: this change has no new migrations');
    expect(r.stdout).toContain('✔ ships in one release');
  });

  it('bad input: exit 2 with a clear message, nothing on stdout', () => {
    const dir = repo(LARAVEL_V1, LARAVEL_V2);
    const cases: Array<[string[], string | RegExp]> = [
      [['--base', 'nope'], 'zdd: --base nope: unknown git ref'],
      [['--from', 'main'], 'zdd: --from and --to go together'],
      [['--base', 'main', '--staged'], 'zdd: --base and --staged cannot be combined'],
      [['--from', 'main', '--to', 'no-such-dir'], 'zdd: --to no-such-dir: no such directory, and not a git ref'],
    ];
    for (const [args, message] of cases) {
      const r = runPlan([...args, '--dialect', 'mysql'], dir);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(message);
    }
    const outside = tempTree({ 'x.txt': '' });
    const r = runPlan(['--base', 'main', '--dialect', 'mysql'], outside);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--base needs a git repository');
  });

  it('an unreadable migration in the history stops the plan (the schema must be whole), naming it', () => {
    const { root, current, next } = releaseDirs(LARAVEL_V1, LARAVEL_V2);
    // in both releases: not part of the change, but the schema the plan starts from needs it
    for (const dir of [current, next]) {
      mkdirSync(join(dir, 'database/migrations'), { recursive: true });
      writeFileSync(join(dir, 'database/migrations/2023_01_01_000000_broken.php'), Buffer.from([0x3c, 0x3f, 0x70, 0, 0, 1, 2, 0xff, 0]));
    }
    const r = runPlan(['--from', 'releases/1', '--to', 'releases/2', '--dialect', 'mysql'], root);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^zdd: database\/migrations\/2023_01_01_000000_broken\.php: .*binary/m);
  });
});
