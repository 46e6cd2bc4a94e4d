import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRecipe } from '../deployer-stand-in.js';
import { ROOT, runCli, tempTree } from '../helpers.js';

const PLAN_BIN = join(ROOT, 'dist', 'zdd-plan.js');
const SQL_V4 = 'fixtures/sql/shop-postgres/migrations/V4__checkout_rework.sql';
const RENAME = 'database/migrations/2024_07_01_000000_rename_authors_name_to_display_name.php';

function runPlan(args: string[], cwd = ROOT): { stdout: string; stderr: string; code: number | null } {
  const r = spawnSync(process.execPath, [PLAN_BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8', timeout: 60_000 });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

const has = (cmd: string, arg = '--version'): boolean => spawnSync(cmd, [arg]).status === 0;

function shellcheck(script: string): void {
  if (!has('shellcheck')) return; // CI installs it (.ci/run)
  const dir = mkdtempSync(join(tmpdir(), 'zdd-sc-'));
  writeFileSync(join(dir, 'deploy.sh'), script);
  const r = spawnSync('shellcheck', [join(dir, 'deploy.sh')], { encoding: 'utf8' });
  expect(r.stdout).toBe('');
  expect(r.status).toBe(0);
}

function app(fixture: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'zdd-app-'));
  cpSync(join(ROOT, fixture), dir, { recursive: true });
  return dir;
}

describe('zdd-plan and zdd plan (built binaries)', () => {
  it('are the same command: the same plan, the same exit code', () => {
    const a = runPlan([SQL_V4, '--format', 'json']);
    const b = runCli(['plan', SQL_V4, '--format', 'json']);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stderr).toBe('');
  });

  it('json: the contract — version, dialect, releases with ordered steps and requires, additive fields', () => {
    const plan = JSON.parse(runPlan([SQL_V4, '--format', 'json']).stdout);
    expect(Object.keys(plan)).toEqual(['version', 'dialect', 'releases', 'migrations', 'contract']);
    expect(plan).toMatchObject({ version: 1, dialect: 'postgres', contract: 'next-release' });
    expect(plan.releases.map((r: { release: number }) => r.release)).toEqual([1, 2]);
    expect(plan.releases[0].steps[0]).toEqual({
      phase: 'pre-swap',
      op: 'add-column',
      table: 'customers',
      column: 'display_name',
      migration: 'V4__checkout_rework',
      why: expect.stringContaining('Renaming customers.full_name to display_name breaks the running release'),
      kind: 'split',
      transactional: true,
      locks: true,
      file: SQL_V4,
      line: 2,
      run: 'sql',
      sql: ["SET lock_timeout = '5s'", 'ALTER TABLE customers ADD COLUMN display_name text'],
    });
    expect(plan.releases[0].requires[0]).toBe('The code of release 1 reads and writes customers.display_name and no longer references customers.full_name (release 2 drops it).');
    expect(plan.releases[0].checks[0]).toEqual({ condition: plan.releases[0].requires[0], status: 'unchecked' });
    expect(plan.releases[1].steps.at(-1)).toMatchObject({ phase: 'post-swap', op: 'drop-column', table: 'orders', column: 'note', kind: 'contract' });
    expect(plan.migrations).toEqual([{ id: 'V4__checkout_rework', file: SQL_V4, format: 'sql', handling: 'split', transactional: false, reason: expect.stringContaining('unsafe as written (rename-column, alter-column') }]);
  });

  it('text: releases, phases, requirements and why, for a person', () => {
    const r = runPlan([SQL_V4]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('zdd-plan: 2 releases for 1 migration (postgres, contract next-release)');
    expect(r.stdout).toContain('Release 1 — this deploy\n  requires\n    ? The code of release 1 reads and writes customers.display_name');
    expect(r.stdout).toContain('  ── swap current → reload php-fpm → health check → drain old workers ──\n  after the swap\n    11. backfill backfill orders');
    expect(r.stdout).toContain('Release 2 — a follow-up, once release 1 is live everywhere');
    expect(lines.filter(Boolean).at(-1)).toBe('✔ release 1 can ship; 1 follow-up release finishes the change');
  });

  it('markdown: a PR comment with a Mermaid diagram of the releases and phases', () => {
    const r = runPlan([SQL_V4, '--format', 'markdown']);
    expect(r.code).toBe(0);
    const md = r.stdout;
    expect(md.startsWith('### zdd-plan: 2 releases (postgres)\n\n```mermaid\nflowchart LR\n  subgraph R1["Release 1 (this deploy)"]\n    direction LR\n    R1pre["<b>before the swap</b><br/>split: add-column customers.display_name<br/>')).toBe(true);
    expect(md).toContain('    R1swap(["swap, reload, health, drain"])');
    expect(md).toContain('    R1pre --> R1swap --> R1post\n  end\n  subgraph R2["Release 2"]');
    expect(md).toContain('  R1 --> R2\n```');
    expect(md).toContain('| 1 | pre-swap | `add-column customers.display_name` | split | `V4__checkout_rework` |');
    expect(md).toContain('- [ ] The code of release 1 reads and writes customers.display_name and no longer references customers.full_name (release 2 drops it). _(unchecked)_');
    expect(md).toContain('<details><summary>SQL</summary>');
  });

  it('sh: needs a deploy path and a health check, and says so', () => {
    const r = runPlan([SQL_V4, '--format', 'sh']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe(
      'zdd: --format sh needs the deploy path ("plan.deployPath" or --deploy-path) and a health check that proves the new release answers ("plan.health.url" or --health-url, or "plan.health.command") in zdd.config.json',
    );
  });

  it('sh: shellcheck passes on the scripts of every sample (PostgreSQL, MySQL, Laravel)', () => {
    const flags = ['--format', 'sh', '--deploy-path', '/srv/app', '--health-url', 'http://127.0.0.1/up'];
    const pg = runPlan([SQL_V4, ...flags]);
    const my = runPlan(['fixtures/sql/shop-mysql/migrations/002_profile.sql', 'fixtures/sql/shop-mysql/migrations/003_search.sql', ...flags]);
    const laravel = runPlan([`fixtures/laravel/rename-column/${RENAME}`, '--format', 'sh']);
    // a reserved table name is quoted with backquotes inside a single-quoted shell word
    const reserved = tempTree({ 'm/001.sql': 'CREATE TABLE `user` (id bigint PRIMARY KEY, a int NULL);', 'm/002.sql': 'ALTER TABLE `user` RENAME COLUMN a TO b;' });
    const quoted = runPlan(['m/002.sql', '--dialect', 'mysql', ...flags], reserved);
    expect(quoted.stdout).toContain("zdd_batched 'backfill user.b (002)' '`user`' 'id' 1000 <<'ZDD_SQL'");
    // settings holding $ or backquotes are literal in the script (single-quoted), and shellcheck is told so
    const dollars = runPlan([SQL_V4, '--format', 'sh', '--deploy-path', '/srv/a$pp', '--health-url', 'http://127.0.0.1/up?x=1&y=$(id)']);
    expect(dollars.stdout).toContain("  # shellcheck disable=SC2016 # single quotes: the $ and backquotes are literal\n  out=$(curl -fsS --max-time 10 -D - 'http://127.0.0.1/up?x=1&y=$(id)' 2>/dev/null) || return 1");
    // … but never inside a heredoc: its body is SQL for the client, where # is no comment
    const heredoc = tempTree({ 'm/001.sql': 'CREATE TABLE prices (id bigint PRIMARY KEY, amount numeric NOT NULL, label text);', 'm/002.sql': "UPDATE prices SET label = '$' || amount::text WHERE label IS NULL;" });
    const inHeredoc = runPlan(['m/002.sql', '--dialect', 'postgres', ...flags], heredoc);
    expect(inHeredoc.stdout).toContain("<<'ZDD_SQL'\nUPDATE prices SET label = '$' || amount::text WHERE (label IS NULL) AND");
    for (const r of [pg, my, laravel, quoted, dollars, inHeredoc]) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout.startsWith('#!/usr/bin/env bash\n')).toBe(true);
      expect(spawnSync('bash', ['-n'], { input: r.stdout }).status).toBe(0);
      shellcheck(r.stdout);
    }
    // MySQL trigger bodies are sent with DELIMITER framing only when they hold a ';'
    expect(my.stdout).toContain('CREATE TRIGGER');
    // Laravel: the plan's settings come from the app's zdd.config.json
    expect(laravel.stdout).toContain("DEPLOY_PATH=${ZDD_DEPLOY_PATH:-'/var/www/blog'}");
    expect(laravel.stdout).toContain("curl -fsS --max-time 10 -D - 'http://127.0.0.1/up'");
    expect(laravel.stdout).toContain("FPM_LOG=${ZDD_FPM_LOG:-'/var/log/php8.2-fpm.log'}");
  });

  it('sh and deployer retry a lock timeout only on the steps that take a queueing lock (the plan step\'s locks), as the JSON says', () => {
    const steps = (JSON.parse(runPlan([SQL_V4, '--format', 'json']).stdout) as { releases: Array<{ steps: Array<{ op: string; table: string; locks: boolean }> }> }).releases[0]!.steps;
    expect(steps.filter((s) => s.op === 'add-index').map((s) => s.locks)).toEqual([false, false]);
    const sh = runPlan([SQL_V4, '--format', 'sh', '--deploy-path', '/srv/app', '--health-url', 'http://127.0.0.1/up']).stdout;
    expect(sh).toContain("zdd_run_sql 'add-index products (V4__checkout_rework)' 0 <<'ZDD_SQL'\nCREATE UNIQUE INDEX CONCURRENTLY");
    expect(sh).toContain("zdd_run_sql 'add-constraint products (V4__checkout_rework)' 1 <<'ZDD_SQL'\nSET lock_timeout = '5s';");
    const recipe = runPlan([SQL_V4, '--format', 'deployer', '--health-url', 'http://127.0.0.1/up']).stdout;
    expect(recipe).toContain("    zdd_sql('add-index products (V4__checkout_rework)', <<<'ZDD_SQL'\nCREATE UNIQUE INDEX CONCURRENTLY products_sku_unique ON products (sku);\nZDD_SQL, false);");
    expect(recipe).toContain("    zdd_sql('add-constraint products (V4__checkout_rework)', <<<'ZDD_SQL'\nSET lock_timeout = '5s';");
    expect(spawnSync('php', ['-l'], { input: recipe, encoding: 'utf8' }).status).toBe(0);
  });

  it('a split ADD COLUMN keeps its comment, UNIQUE, foreign key and CHECK in json, text and sh', () => {
    const up = (body: string) => `<?php\nuse Illuminate\\Database\\Migrations\\Migration;\nuse Illuminate\\Database\\Schema\\Blueprint;\nuse Illuminate\\Support\\Facades\\DB;\nuse Illuminate\\Support\\Facades\\Schema;\n\nreturn new class extends Migration\n{\n    public function up(): void\n    {\n${body}\n    }\n};\n`;
    const dir = tempTree({
      'database/migrations/2024_01_01_000000_create_shop.php': up("        Schema::create('teams', function (Blueprint $table) {\n            $table->id();\n        });\n        Schema::create('orders', function (Blueprint $table) {\n            $table->id();\n        });"),
      'database/migrations/2024_05_01_000000_add_team_to_orders.php': up("        Schema::table('orders', function (Blueprint $table) {\n            $table->foreignId('team_id')->nullable()->constrained()->comment('owner team');\n            $table->string('coupon', 20)->unique()->comment('applied coupon');\n        });\n        DB::statement('ALTER TABLE orders ADD CONSTRAINT orders_coupon_check CHECK (length(coupon) > 3)');"),
    });
    const change = 'database/migrations/2024_05_01_000000_add_team_to_orders.php';
    const json = runPlan([change, '--dialect', 'postgres', '--format', 'json'], dir);
    expect(json.code).toBe(0);
    const steps = (JSON.parse(json.stdout) as { releases: Array<{ steps: Array<{ sql?: string[] }> }> }).releases[0]!.steps.map((s) => s.sql?.join(' ; '));
    expect(steps.slice(0, 7)).toEqual([
      "SET lock_timeout = '5s' ; ALTER TABLE orders ADD COLUMN team_id bigint ; COMMENT ON COLUMN orders.team_id IS 'owner team'",
      "SET lock_timeout = '5s' ; ALTER TABLE orders ADD CONSTRAINT orders_team_id_foreign FOREIGN KEY (team_id) REFERENCES teams (id) NOT VALID",
      "SET lock_timeout = '5s' ; ALTER TABLE orders ADD COLUMN coupon varchar(20) ; COMMENT ON COLUMN orders.coupon IS 'applied coupon'",
      'CREATE UNIQUE INDEX CONCURRENTLY orders_coupon_unique ON orders (coupon)',
      "SET lock_timeout = '5s' ; ALTER TABLE orders ADD CONSTRAINT orders_coupon_unique UNIQUE USING INDEX orders_coupon_unique",
      "SET lock_timeout = '5s' ; ALTER TABLE orders ADD CONSTRAINT orders_coupon_check CHECK (length(coupon) > 3) NOT VALID",
      'ALTER TABLE orders VALIDATE CONSTRAINT orders_team_id_foreign',
    ]);
    const text = runPlan([change, '--dialect', 'postgres'], dir);
    expect(text.stdout).toContain("          ALTER TABLE orders ADD COLUMN coupon varchar(20)\n          COMMENT ON COLUMN orders.coupon IS 'applied coupon'\n");
    const sh = runPlan([change, '--dialect', 'postgres', '--format', 'sh', '--deploy-path', '/srv/app', '--health-url', 'http://127.0.0.1/up'], dir);
    expect(sh.stdout).toContain("<<'ZDD_SQL'\nBEGIN;\nSET lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN coupon varchar(20);\nCOMMENT ON COLUMN orders.coupon IS 'applied coupon';\nCOMMIT;\nZDD_SQL");
    expect(sh.stdout).toContain("ALTER TABLE orders ADD CONSTRAINT orders_coupon_check CHECK (length(coupon) > 3) NOT VALID;\nZDD_SQL");
  });

  it('deployer: a recipe with tasks before and after deploy:symlink that runs the planned steps in order, the health check before the post-swap ones', () => {
    const r = runPlan([`fixtures/laravel/rename-column/${RENAME}`, '--format', 'deployer']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("before('deploy:symlink', 'zdd:pre-swap');\nafter('deploy:symlink', 'zdd:drain');\nafter('zdd:drain', 'zdd:health');\nafter('zdd:health', 'zdd:post-swap');");
    // like sh, deployer refuses to write a deploy without a health check
    const bare = runPlan([SQL_V4, '--format', 'deployer']);
    expect(bare.code).toBe(2);
    expect(bare.stderr.trim()).toBe('zdd: --format deployer needs a health check that proves the new release answers ("plan.health.url" or --health-url, or "plan.health.command") in zdd.config.json');
    if (!has('php', '-v')) return; // CI installs php-cli (.ci/run)
    // A stand-in for Deployer's functions: tasks and hooks run in order, run() is logged.
    const run = runRecipe(r.stdout, {
      release: '7',
      state: "'ready' => 1",
      logWithin: true,
      answers: `  if (str_contains($c, 'MIN(')) return '1';
  if (str_contains($c, 'MAX(')) return '1500';
  if (str_contains($c, 'grep -c')) return (string) $GLOBALS['z']['ready']++;
  if (str_starts_with($c, 'cat ')) return '7-20250101000000';
  if (str_starts_with($c, 'curl ')) return "HTTP/1.1 200 OK\\nX-Release: 7-20250101000000";`,
      settings: { zdd_drain: 0, zdd_worker_grace: 0 },
      tasks: ['artisan:migrate', 'deploy:symlink'],
    });
    expect(spawnSync('php', ['-l', join(run.dir, 'zdd-deploy.php')], { encoding: 'utf8' }).status).toBe(0);
    expect(run.stderr).toBe('');
    const log = run.stdout.trim().split('\n');
    const at = (text: string) => log.findIndex((l) => l.includes(text));
    expect(log[0]).toBe('writeln: zdd: migrations run in zdd:pre-swap and zdd:post-swap');
    const order = [
      "run: psql -X -q -t -A -v ON_ERROR_STOP=1 <<'ZDD_SQL'",
      'ALTER TABLE authors ADD COLUMN display_name',
      'writeln: zdd: backfill authors.display_name',
      'writeln: zdd: record 2024_07_01_000000_rename_authors_name_to_display_name',
      'task: deploy:symlink',
      'run: kill -USR2',
      'run: php artisan queue:restart',
      "run: curl -fsS --max-time 10 -D - '{{zdd_health_url}}'",
      'writeln: zdd: health: release 7-20250101000000 answers',
    ];
    const idx = order.map(at);
    expect(idx.every((i) => i >= 0)).toBe(true);
    expect([...idx].sort((a, b) => a - b)).toEqual(idx);
    expect(log.filter((l) => l.startsWith('writeln: zdd: backfill authors.display_name (') && l.endsWith(')') && l.includes(' ['))).toEqual(['writeln: zdd: backfill authors.display_name (2024_07_01_000000_rename_authors_name_to_display_name) [1, 1001)', 'writeln: zdd: backfill authors.display_name (2024_07_01_000000_rename_authors_name_to_display_name) [1001, 2001)']);
  });
});

describe('zdd-plan on a Symfony app (Doctrine migrations)', () => {
  it('plans in version order, names the version for the console, and writes Doctrine classes with --write', () => {
    const dir = app('fixtures/doctrine/bookshop');
    const plan = JSON.parse(runPlan(['migrations/Version20240402080000.php', 'migrations/Version20240515100000.php', '--format', 'json'], dir).stdout);
    expect(plan.migrations.map((m: { version: string; handling: string }) => [m.version, m.handling])).toEqual([
      ['DoctrineMigrations\\Version20240402080000', 'as-is'],
      ['DoctrineMigrations\\Version20240515100000', 'split'],
    ]);
    const sh = runPlan(['migrations/Version20240402080000.php', 'migrations/Version20240515100000.php', '--format', 'sh', '--deploy-path', '/srv/shop', '--health-url', 'http://127.0.0.1/health'], dir);
    expect(sh.code).toBe(0);
    expect(sh.stdout).toContain("zdd_framework 'migrate Version20240402080000' 0 0 zdd_php 'bin/console' doctrine:migrations:execute 'DoctrineMigrations\\Version20240402080000' --up --no-interaction");
    expect(sh.stdout).toContain("zdd_framework 'record Version20240515100000' 0 0 zdd_php 'bin/console' doctrine:migrations:version 'DoctrineMigrations\\Version20240515100000' --add --no-interaction");
    shellcheck(sh.stdout);
    const w = runPlan(['migrations/Version20240515100000.php', '--write', '--format', 'json'], dir);
    expect(w.code).toBe(0);
    const backfill = readFileSync(join(dir, 'migrations/Version20240515100000Zdd02.php'), 'utf8');
    expect(backfill).toContain('namespace DoctrineMigrations;');
    expect(backfill).toContain('final class Version20240515100000Zdd02 extends AbstractMigration');
    expect(backfill).toContain('    public function isTransactional(): bool\n    {\n        return false;\n    }');
    expect(existsSync(join(dir, 'migrations/Version20240515100000Zdd03PostSwap.php'))).toBe(true);
    // release 2 goes outside the migrations folder: Doctrine finds migrations in subfolders too
    expect(readdirSync(join(dir, 'zdd-next-release')).sort()).toEqual(['Version20240515100000Zdd04PostSwap.php', 'Version20240515100000Zdd05PostSwap.php', 'Version20240515100000Zdd06PostSwap.php']);
    if (has('php', '-v')) for (const f of ['migrations/Version20240515100000Zdd01.php', 'migrations/Version20240515100000Zdd02.php', 'zdd-next-release/Version20240515100000Zdd06PostSwap.php']) expect(spawnSync('php', ['-l', join(dir, f)]).status).toBe(0);
  });
});

describe('zdd doctor on what zdd-plan emits', () => {
  it('finds nothing in the deploy script or the Deployer recipe', () => {
    const dir = app('fixtures/laravel/rename-column');
    writeFileSync(join(dir, 'deploy.sh'), runPlan([RENAME, '--format', 'sh'], dir).stdout);
    writeFileSync(join(dir, 'deploy.php'), runPlan([RENAME, '--format', 'deployer'], dir).stdout);
    const r = runCli(['doctor', '.', '--verbose'], { cwd: dir });
    expect(r.stderr).toContain('deploy.php (deployer-php)');
    expect(r.stderr).toContain('deploy.sh (shell)');
    expect(r.stdout).toBe('✔ no findings in 3 files\n');
    expect(r.code).toBe(0);
    // as it is used: required by a deploy.php after the framework recipe, whose deploy:symlink it hooks
    writeFileSync(join(dir, 'zdd-deploy.php'), readFileSync(join(dir, 'deploy.php')));
    writeFileSync(join(dir, 'deploy.php'), "<?php\nnamespace Deployer;\n\nrequire 'recipe/laravel.php';\nrequire __DIR__ . '/zdd-deploy.php';\n\nhost('example.com')->set('deploy_path', '/var/www/blog');\n");
    expect(runCli(['doctor', '.'], { cwd: dir })).toMatchObject({ stdout: '✔ no findings in 3 files\n', code: 0 });
  });
});

describe('zdd-plan exit codes', () => {
  it('0: release 1 can ship, even when follow-up releases finish the change', () => {
    expect(runPlan([SQL_V4]).code).toBe(0);
  });

  it('1: a step needs a person (PHP zdd cannot run outside its migration); sh refuses with exit 2', () => {
    const dir = tempTree({
      'artisan': '',
      '.env': 'DB_CONNECTION=pgsql\n',
      'database/migrations/2024_01_01_000000_users.php': "<?php\nuse Illuminate\\Database\\Migrations\\Migration;\nuse Illuminate\\Support\\Facades\\Schema;\nreturn new class extends Migration {\n    public function up(): void\n    {\n        Schema::create('users', function ($table) { $table->id(); $table->string('status'); });\n    }\n};\n",
      'database/migrations/2024_02_01_000000_statuses.php': "<?php\nuse Illuminate\\Database\\Migrations\\Migration;\nreturn new class extends Migration {\n    public function up(): void\n    {\n        \\App\\Models\\User::where('status', 'new')->update(['status' => 'open']);\n    }\n};\n",
    });
    const r = runPlan(['database/migrations/2024_02_01_000000_statuses.php'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✖ 1 step needs a person: database/migrations/2024_02_01_000000_statuses.php:6');
    const sh = runPlan(['database/migrations/2024_02_01_000000_statuses.php', '--format', 'sh'], dir);
    expect(sh.code).toBe(2);
    expect(sh.stderr).toContain('zdd: cannot write a deploy script: database/migrations/2024_02_01_000000_statuses.php:6 (backfill users) needs a person');
  });

  it('1: a statement that fails when it runs (a column the table does not have, as lint\'s unknown-column says) is not planned as a step that works', () => {
    const dir = tempTree({ 's/V1__t.sql': 'CREATE TABLE t (id bigserial PRIMARY KEY, a int);', 's/V2__x.sql': 'ALTER TABLE t DROP COLUMN nonexist;' });
    const r = runPlan(['s/V2__x.sql', '--dialect', 'postgres', '--contract', 'post-swap'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('1. manual   drop-column t.nonexist  s/V2__x.sql:1');
    const json = JSON.parse(runPlan(['s/V2__x.sql', '--dialect', 'postgres', '--contract', 'post-swap', '--format', 'json'], dir).stdout);
    expect(json.releases[0].steps[0].why).toContain('the statement fails when it runs');
    expect(r.stdout).toContain('✖ 1 step needs a person: s/V2__x.sql:1');
    expect(r.stdout).not.toContain('✔');
    const lint = runCli(['lint', 's/V2__x.sql', '--dialect', 'postgres'], { cwd: dir });
    expect(lint.stdout).toContain('unknown-column');
    expect(runPlan(['s/V2__x.sql', '--dialect', 'postgres', '--format', 'sh', '--deploy-path', '/srv', '--health-url', 'http://localhost/'], dir).code).toBe(2);
  });

  it('--help says where drops go without --contract: release 2, except a drop no code references in release mode', () => {
    const help = runPlan(['--help']).stdout.replace(/\s+/g, ' ');
    expect(help).toContain("--contract <mode> where drops go: next-release — release 2, after its swap (the default; in release mode a drop neither release's code references goes after this swap unless next-release is given) — or post-swap: after the swap of this release");
  });

  it('2: usage and input errors — no paths, a missing file, a bad plan setting', () => {
    expect(runPlan([]).stderr).toBe('zdd: zdd-plan needs the migrations of the change: pass their files (earlier files in the same folders are replayed for the schema), or the releases: --base <ref>, --staged, or --from <dir|ref> --to <dir|ref>\n');
    expect(runPlan([]).code).toBe(2);
    const missing = runPlan(['nope.sql', '--dialect', 'postgres']);
    expect(missing).toMatchObject({ code: 2, stdout: '', stderr: 'zdd: nope.sql: no such file or directory\n' });
    const dir = tempTree({ 'm/001.sql': 'CREATE TABLE t (id int);', 'm/002.sql': 'ALTER TABLE t ADD COLUMN c int;', 'zdd.config.json': JSON.stringify({ dialect: 'postgres', plan: { lockTimeout: 'soon', deployPath: '/srv' } }) });
    expect(runPlan(['m/002.sql'], dir)).toMatchObject({ code: 2, stderr: expect.stringContaining('zdd.config.json: "plan.lockTimeout" must be seconds (number) of at least 1') });
    const typo = tempTree({ 'm/001.sql': 'CREATE TABLE t (id int);', 'zdd.config.json': JSON.stringify({ dialect: 'postgres', plan: { deploypath: '/srv' } }) });
    expect(runPlan(['m/001.sql'], typo).stderr).toContain('unknown key "plan.deploypath" (known: contract, lockTimeout');
    expect(runPlan(['m/001.sql', '--contract', 'later'], typo).code).toBe(2);
    // a migration PHP would refuse is never planned (the deploy would stop at it)
    const broken = tempTree({ 'database/migrations/2024_01_01_000000_broken.php': '<?php\nreturn new class extends Migration {\n  public function up() {\n    Schema::drop(\n  }\n};\n' });
    expect(runPlan(['database/migrations/2024_01_01_000000_broken.php', '--dialect', 'mysql'], broken)).toMatchObject({
      code: 2,
      stdout: '',
      stderr: expect.stringContaining("database/migrations/2024_01_01_000000_broken.php:5: PHP syntax error: unexpected '}' (line 5, column 3)"),
    });
  });

  it('--contract post-swap drops in this release, after the swap; the flag wins over the config', () => {
    const dir = tempTree({ 'm/001.sql': 'CREATE TABLE t (id bigserial PRIMARY KEY, c int);', 'm/002.sql': 'ALTER TABLE t DROP COLUMN c;', 'zdd.config.json': JSON.stringify({ dialect: 'mariadb', plan: { contract: 'next-release' } }) });
    const plan = JSON.parse(runPlan(['m/002.sql', '--contract', 'post-swap', '--format', 'json'], dir).stdout);
    expect(plan.contract).toBe('post-swap');
    expect(plan.releases).toHaveLength(1);
    expect(plan.releases[0].steps).toEqual([expect.objectContaining({ phase: 'post-swap', kind: 'contract', op: 'drop-column', sql: ['SET SESSION lock_wait_timeout = 5', 'ALTER TABLE t DROP COLUMN c'] })]);
  });

  it('replays the earlier files of the folder for the schema, and plans only the given ones', () => {
    const dir = tempTree({ 'm/001.sql': 'CREATE TABLE t (id bigserial PRIMARY KEY, c int NOT NULL);', 'm/002.sql': 'ALTER TABLE t RENAME COLUMN c TO d;', 'm/003.sql': 'DROP TABLE t;' });
    const plan = JSON.parse(runPlan(['m/002.sql', '--dialect', 'postgres', '--format', 'json'], dir).stdout);
    expect(plan.migrations.map((m: { id: string }) => m.id)).toEqual(['002']);
    // the type comes from 001; 003 (later) is not part of this plan
    expect(plan.releases[0].steps[0].sql).toEqual(["SET lock_timeout = '5s'", 'ALTER TABLE t ADD COLUMN d integer']);
  });
});

describe('zdd-plan on a folder: the change is what zdd lint lints, a table new only in its own migration', () => {
  const steps = (plan: { releases: Array<{ release: number; steps: Array<{ kind: string; op: string; table: string; column?: string; migration: string; why: string }> }> }) =>
    plan.releases.flatMap((r) => r.steps.map((st) => ({ release: r.release, ...st })));

  it('the sample app: the rename lint reports is split, not run as-is on a table "created in this release"', () => {
    const cwd = join(ROOT, 'fixtures/laravel/rename-column');
    for (const path of ['.', 'database/migrations']) {
      const r = runPlan([path, '--format', 'json'], cwd);
      expect(r.code).toBe(0);
      const all = steps(JSON.parse(r.stdout));
      expect(all.find((st) => st.op === 'rename-column')).toBeUndefined();
      expect(all).toContainEqual(expect.objectContaining({ release: 1, kind: 'split', op: 'add-column', table: 'authors', column: 'display_name' }));
      expect(all).toContainEqual(expect.objectContaining({ release: 2, kind: 'contract', op: 'drop-column', table: 'authors', column: 'name' }));
      // authors is new only in the migration that creates it
      expect(all.filter((st) => /created in this release/.test(st.why)).map((st) => st.migration)).toEqual(['2024_01_10_000000_create_authors_table', '2024_01_10_000000_create_authors_table']);
    }
    const lint = runCli(['lint', 'database/migrations'], { cwd });
    expect(lint.code).toBe(1);
    expect(lint.stdout).toContain('error  rename-column');
  });

  it('the shop sample: rename, type change, NOT NULL add and the index build are planned safely, as lint asks', () => {
    const cwd = join(ROOT, 'fixtures/laravel/shop');
    const r = runPlan(['.', '--format', 'json'], cwd);
    expect(r.code).toBe(0);
    const rework = steps(JSON.parse(r.stdout)).filter((st) => st.migration === '2024_06_01_000000_checkout_rework');
    expect(rework.filter((st) => st.kind === 'as-is')).toEqual([]);
    expect(rework.some((st) => /created in this release/.test(st.why))).toBe(false);
    expect(rework).toContainEqual(expect.objectContaining({ release: 2, kind: 'contract', op: 'drop-column', table: 'users', column: 'name' }));
    expect(rework).toContainEqual(expect.objectContaining({ release: 2, op: 'set-not-null', table: 'orders', column: 'currency' }));
    expect(rework).toContainEqual(expect.objectContaining({ release: 2, kind: 'contract', op: 'drop-column', table: 'orders', column: 'total_cents' }));
    expect(rework.filter((st) => st.op === 'add-index')).toEqual([expect.objectContaining({ release: 1, kind: 'split', sql: [expect.stringMatching(/^CREATE INDEX CONCURRENTLY /)] })]);
  });

  it('a table one migration creates and then alters is still new in it', () => {
    const dir = tempTree({ 'm/001.sql': 'CREATE TABLE t (id bigserial PRIMARY KEY, c int);\nALTER TABLE t RENAME COLUMN c TO d;\nCREATE INDEX t_d ON t (d);' });
    const r = runPlan(['m', '--dialect', 'postgres', '--format', 'json'], dir);
    const all = steps(JSON.parse(r.stdout));
    expect(all.map((st) => `${st.release} ${st.kind} ${st.op}`)).toEqual(['1 as-is create-table', '1 as-is rename-column', '1 as-is add-index']);
    expect(all[1]!.why).toBe('On t, created in this release: nothing uses it yet.');
  });
});

describe('zdd-plan and the folders --write fills', () => {
  const files = {
    'm/001_t.sql': 'CREATE TABLE t (id bigserial PRIMARY KEY, a int);',
    'm/zdd-post-swap/001_u_zdd_01_add_c.sql': '-- zdd-plan: post-swap\nALTER TABLE t ADD COLUMN c text;',
    'm/002_rename.sql': 'ALTER TABLE t RENAME COLUMN c TO d;',
    'm/zdd-next-release/002_rename_zdd_04_drop_c.sql': '-- zdd-plan: post-swap\nALTER TABLE t DROP COLUMN c;',
  };

  it('replays the zdd-post-swap/ files of earlier deploys as history, never zdd-next-release/', () => {
    const dir = tempTree(files);
    const plan = JSON.parse(runPlan(['m/002_rename.sql', '--dialect', 'postgres', '--format', 'json'], dir).stdout);
    expect(plan.releases[0].steps[0].sql).toEqual(["SET lock_timeout = '5s'", 'ALTER TABLE t ADD COLUMN d text']);
  });

  it('a folder of the change leaves out its zdd-next-release/ files; the post-swap ones run after the swap', () => {
    const dir = tempTree(files);
    const plan = JSON.parse(runPlan(['m', '--dialect', 'postgres', '--format', 'json'], dir).stdout);
    expect(plan.migrations.map((m: { id: string }) => m.id)).toEqual(['001_t', '001_u_zdd_01_add_c', '002_rename']);
    expect(plan.releases[0].steps.filter((st: { migration: string }) => st.migration === '001_u_zdd_01_add_c')).toEqual([expect.objectContaining({ phase: 'post-swap', run: 'migration', kind: 'as-is' })]);
  });
});

describe('zdd-plan --write', () => {
  it('writes the split migration as Laravel migrations, never overwrites, and plans them as written next time', () => {
    const dir = app('fixtures/laravel/rename-column');
    const r = runPlan([RENAME, '--write'], dir);
    expect(r.code).toBe(0);
    const written = r.stdout.split('\n').filter((l) => l.startsWith('wrote '));
    expect(written).toEqual([
      'wrote database/migrations/2024_07_01_000000_rename_authors_name_to_display_name_zdd_01_add_column_authors_display_name.php (before the swap)',
      'wrote database/migrations/2024_07_01_000000_rename_authors_name_to_display_name_zdd_02_backfill_authors_display_name.php (before the swap)',
      'wrote database/migrations/2024_07_01_000000_rename_authors_name_to_display_name_zdd_03_add_index_authors.php (before the swap)',
      'wrote database/migrations/zdd-next-release/2024_07_01_000000_rename_authors_name_to_display_name_zdd_04_drop_trigger_authors_display_name.php (release 2: once release 1 is live everywhere, move it into database/migrations/zdd-post-swap/ and deploy it after the swap)',
      'wrote database/migrations/zdd-next-release/2024_07_01_000000_rename_authors_name_to_display_name_zdd_05_validate_constraint_authors_display_name.php (release 2: once release 1 is live everywhere, move it into database/migrations/zdd-post-swap/ and deploy it after the swap)',
      'wrote database/migrations/zdd-next-release/2024_07_01_000000_rename_authors_name_to_display_name_zdd_06_set_not_null_authors_display_name.php (release 2: once release 1 is live everywhere, move it into database/migrations/zdd-post-swap/ and deploy it after the swap)',
    ]);
    expect(r.stdout).toContain(`${RENAME} is replaced by the files above: delete it before you deploy (zdd never deletes files)`);
    const first = readFileSync(join(dir, 'database/migrations/2024_07_01_000000_rename_authors_name_to_display_name_zdd_01_add_column_authors_display_name.php'), 'utf8');
    expect(first).toContain('// zdd-plan: pre-swap — release 1 (this change), before the swap.');
    expect(first).toContain("        DB::unprepared('ALTER TABLE authors ADD COLUMN display_name varchar(255)');");
    expect(first.match(/SET lock_timeout/g)).toHaveLength(1);
    const index = readFileSync(join(dir, 'database/migrations/2024_07_01_000000_rename_authors_name_to_display_name_zdd_03_add_index_authors.php'), 'utf8');
    expect(index).toContain('    public $withinTransaction = false;');
    if (has('php', '-v')) {
      for (const f of readdirSync(join(dir, 'database/migrations'), { recursive: true }).map(String).filter((f) => f.includes('_zdd_'))) {
        expect(spawnSync('php', ['-l', join(dir, 'database/migrations', f)]).status).toBe(0);
      }
    }
    // again: nothing is overwritten
    const again = runPlan([RENAME, '--write'], dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exist; zdd never overwrites a file, and nothing was written');
    // the written files, planned as the change, run unchanged in the phases their markers name
    rmSync(join(dir, RENAME));
    const next = JSON.parse(runPlan(readdirSync(join(dir, 'database/migrations')).filter((f) => f.includes('_zdd_')).map((f) => `database/migrations/${f}`).concat(['--format', 'json']), dir).stdout);
    expect(next.releases).toHaveLength(1);
    expect(next.migrations.map((m: { handling: string }) => m.handling)).toEqual(['as-is', 'as-is', 'as-is']);
    expect(next.releases[0].steps.every((s: { run: string; phase: string }) => s.run === 'migration' && s.phase === 'pre-swap')).toBe(true);
    const lint = runCli(['lint', ...readdirSync(join(dir, 'database/migrations')).filter((f) => f.includes('_zdd_')).map((f) => `database/migrations/${f}`)], { cwd: dir });
    expect(lint.stdout).toBe('✔ no findings in 3 migrations\n');
  });

  it('writes SQL files with Flyway-style versions; the post-swap backfill is a loop that commits each batch', () => {
    const dir = app('fixtures/sql/shop-postgres');
    const r = runPlan(['migrations/V4__checkout_rework.sql', '--write', '--format', 'json'], dir);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'migrations/V4_1__checkout_rework_zdd_add_column_customers_display_name.sql'))).toBe(true);
    const loop = readFileSync(join(dir, 'migrations/zdd-post-swap/V4_9__checkout_rework_zdd_backfill_orders.sql'), 'utf8');
    expect(loop).toContain("    UPDATE orders SET status = 'open' WHERE (status = 'new') AND orders.id >= zdd_from AND orders.id < zdd_from + 1000;\n    COMMIT;");
    expect(r.stderr).toContain('zdd: wrote migrations/zdd-post-swap/V4_9__checkout_rework_zdd_backfill_orders.sql (after the swap and the drain');
  });
});

describe('start-up', () => {
  it('the planner loads only for zdd plan: neither dist/zdd.js nor what it imports holds it', () => {
    const read = (f: string) => readFileSync(join(ROOT, 'dist', f), 'utf8');
    const main = read('zdd.js');
    const statics = [...main.matchAll(/from "\.\/(chunks\/[^"]+)"/g)].map((m) => m[1]!);
    expect(statics.length).toBeGreaterThan(0);
    for (const text of [main, ...statics.map(read)]) {
      expect(text).not.toContain('function buildPlan(');
      expect(text).not.toContain('function formatDeployer(');
    }
    expect(statics.map(read).join('\n')).toContain('await import("./plan-command-');
  });
});
