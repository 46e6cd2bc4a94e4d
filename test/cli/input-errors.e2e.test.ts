import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, tempTree } from '../helpers.js';

/** What a new user gets wrong first: paths that hold no migration, typos, usage errors — each one line on stderr, exit 2. */

const PLAN_BIN = join(ROOT, 'dist', 'zdd-plan.js');
function runPlan(args: string[], cwd: string): { stdout: string; stderr: string; code: number | null } {
  const r = spawnSync(process.execPath, [PLAN_BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8', timeout: 60_000 });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

const MIGRATION = `<?php
use Illuminate\\Database\\Migrations\\Migration;
use Illuminate\\Database\\Schema\\Blueprint;
use Illuminate\\Support\\Facades\\Schema;

return new class extends Migration
{
    public function up(): void
    {
        Schema::create('users', function (Blueprint $table) {
            $table->id();
            $table->string('email');
        });
    }
};
`;

const MODEL = `<?php
namespace App\\Models;

use Illuminate\\Database\\Eloquent\\Model;

class User extends Model
{
    protected $fillable = ['email'];
}
`;

const CONFIG_DATABASE = `<?php
return [
    'default' => env('DB_CONNECTION', 'mysql'),
    'connections' => ['pgsql' => ['driver' => 'pgsql'], 'mysql' => ['driver' => 'mysql']],
];
`;

/** A Laravel app: artisan, .env, config/database.php, app/Models, one migration. */
function laravelApp(extra: Record<string, string> = {}): string {
  return tempTree({
    artisan: '<?php\n',
    '.env': 'DB_CONNECTION=pgsql\n',
    'config/database.php': CONFIG_DATABASE,
    'app/Models/User.php': MODEL,
    'app/Http/Kernel.php': '<?php\nnamespace App\\Http;\n\nclass Kernel {}\n',
    'database/migrations/2024_01_01_000000_create_users.php': MIGRATION,
    ...extra,
  });
}

describe('input errors (built binaries)', () => {
  it('1: paths that hold no migration are an input error (exit 2), not a clean pass; a non-migration among migrations is left out', () => {
    const app = laravelApp({ 'database/migrations/helpers.php': '<?php\nfunction helper() { return 1; }\n' });
    expect(runCli(['lint', 'app'], { cwd: app })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'zdd: no migrations in app: none of its 2 PHP files is a Laravel or Doctrine migration (no class with up() extending Migration or AbstractMigration); pass the migrations folder\n',
    });
    expect(runCli(['lint', 'config/database.php'], { cwd: app })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'zdd: config/database.php: not a Laravel or Doctrine migration (no class with up() extending Migration or AbstractMigration)\n',
    });
    expect(runCli(['lint', 'app/Models'], { cwd: app })).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/^zdd: no migrations in app\/Models: its one PHP file is not a Laravel or Doctrine migration/) });
    // the same check with no paths: the folder found holds nothing zdd can read
    const noClass = tempTree({ artisan: '<?php\n', '.env': 'DB_CONNECTION=mysql\n', 'database/migrations/helpers.php': '<?php\nfunction helper() {}\n' });
    expect(runCli(['lint'], { cwd: noClass })).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/^zdd: no migrations in database\/migrations: its one PHP file is not a Laravel or Doctrine migration \(no class/) });
    // among real migrations, a PHP file that is not one is left out (--verbose says so), as before
    const ok = runCli(['lint', 'database/migrations', '--verbose'], { cwd: app });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('✔ no findings in 1 migration\n');
    expect(ok.stderr).toContain('zdd: database/migrations/helpers.php: skipped (not a Laravel or Doctrine migration');
    // a .sql file is always a migration, even an empty one
    const sql = tempTree({ 'm/001.sql': '' });
    expect(runCli(['lint', 'm', '--dialect', 'mysql'], { cwd: sql })).toEqual({ code: 0, stdout: '✔ no findings in 1 migration\n', stderr: '' });
    // zdd-plan says the same as before
    expect(runPlan(['app'], app)).toMatchObject({ code: 2, stdout: '', stderr: 'zdd: no migrations to plan in app\n' });
  });

  it('2: path errors come before what zdd cannot tell without the files (the dialect)', () => {
    const dir = tempTree({ 'x.sql': 'SELECT 1;\n', 'empty/.keep': '' });
    for (const args of [['nope'], ['nope', '--dialect', 'postgres'], ['nope', 'x.sql'], ['nope', 'empty']]) {
      expect(runCli(['lint', ...args], { cwd: dir }), args.join(' ')).toEqual({ code: 2, stdout: '', stderr: 'zdd: nope: no such file or directory\n' });
    }
    expect(runCli(['lint', 'empty'], { cwd: dir })).toEqual({ code: 2, stdout: '', stderr: 'zdd: no migration files found in empty\n' });
    // with the dialect known, the paths that exist are linted and the missing one is a problem (exit 2), as before
    const some = runCli(['lint', 'nope', 'x.sql', '--dialect', 'postgres'], { cwd: dir });
    expect(some.code).toBe(2);
    expect(some.stderr).toBe('zdd: nope: no such file or directory\n');
    expect(some.stdout).toContain('in 1 migration');
    // zdd-plan too
    expect(runPlan(['nope'], dir)).toEqual({ code: 2, stdout: '', stderr: 'zdd: nope: no such file or directory\n' });
    expect(runPlan(['empty'], dir)).toEqual({ code: 2, stdout: '', stderr: 'zdd: no migration files found in empty\n' });
  });

  it('4: commander usage errors are one line on stderr, exit 2, in both bins; no command prints the help on stderr, exit 2', () => {
    const dir = tempTree({ 'x.sql': 'SELECT 1;\n' });
    const cases: Array<[string[], string]> = [
      [['lint', '--bogus'], "zdd: unknown option '--bogus' (run zdd lint --help for usage)\n"],
      [['--bogus'], "zdd: unknown option '--bogus' (run zdd --help for usage)\n"],
      [['lint', '--dialekt', 'mysql'], "zdd: unknown option '--dialekt' (did you mean --dialect?) (run zdd lint --help for usage)\n"],
      [['lint', '--dialect', 'oracle'], "zdd: option '--dialect <dialect>' argument 'oracle' is invalid. Allowed choices are mysql, mariadb, postgres (run zdd lint --help for usage)\n"],
      [['frobnicate'], "zdd: unknown command 'frobnicate' (run zdd --help for usage)\n"],
      [['explain'], "zdd: missing required argument 'rule' (run zdd explain --help for usage)\n"],
      [['plan', '--bogus'], "zdd: unknown option '--bogus' (run zdd plan --help for usage)\n"],
    ];
    for (const [args, stderr] of cases) expect(runCli(args, { cwd: dir }), args.join(' ')).toEqual({ code: 2, stdout: '', stderr });
    expect(runPlan(['--bogus'], dir)).toEqual({ code: 2, stdout: '', stderr: "zdd: unknown option '--bogus' (run zdd-plan --help for usage)\n" });
    const none = runCli([], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/^Usage: zdd \[options\] \[command\]\n/);
    for (const args of [['--help'], ['help'], ['lint', '--help']]) {
      const r = runCli(args, { cwd: dir });
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^Usage: zdd /);
    }
    const planHelp = runPlan(['--help'], dir);
    expect(planHelp).toMatchObject({ code: 0, stderr: '', stdout: expect.stringMatching(/^Usage: zdd-plan /) });
  });

  it('3: an app that is Laravel by its migrations (no artisan, no config/database.php) takes DB_CONNECTION from .env, else .env.example', () => {
    const files = { 'app/Models/User.php': MODEL, 'database/migrations/2024_01_01_000000_create_users.php': MIGRATION };
    const app = tempTree({ '.env': 'DB_CONNECTION=pgsql\n', '.env.example': 'DB_CONNECTION=mysql\n', ...files });
    for (const args of [['database/migrations'], ['database/migrations/2024_01_01_000000_create_users.php'], ['.'], []]) {
      const r = runCli(['lint', ...args, '--format', 'json'], { cwd: app });
      expect(r.stderr, args.join(' ')).toBe('');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ dialect: 'postgres', summary: { migrations: 1 } });
    }
    const example = tempTree({ '.env.example': 'DB_CONNECTION=mariadb\n', ...files });
    expect(JSON.parse(runCli(['lint', 'database/migrations', '--format', 'json'], { cwd: example }).stdout).dialect).toBe('mariadb');
    // --dialect and zdd.config.json still come first
    expect(JSON.parse(runCli(['lint', 'database/migrations', '--dialect', 'mysql', '--format', 'json'], { cwd: app }).stdout).dialect).toBe('mysql');
    // SQL files next to a .env are not a Laravel app: zdd still refuses to guess
    const sql = tempTree({ '.env': 'DB_CONNECTION=pgsql\n', 'database/migrations/001.sql': 'CREATE TABLE t (id int);\n' });
    const r = runCli(['lint', 'database/migrations'], { cwd: sql });
    expect(r).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/^zdd: cannot tell which database the migrations run on/) });
  });

  it('5: --from/--to naming a file says it is not a directory (not "no such directory"), in and out of a git repository', () => {
    const tree = { 'releases/r1/.keep': '', 'releases/r2/artisan': '<?php\n', 'releases/r2/database/migrations/2024_01_01_000000_create_users.php': MIGRATION };
    const plain = tempTree(tree);
    const stderr = 'zdd: --to releases/r2/artisan: not a directory (a release is a directory or a git ref)\n';
    expect(runCli(['lint', '--from', 'releases/r1', '--to', 'releases/r2/artisan'], { cwd: plain })).toEqual({ code: 2, stdout: '', stderr });
    expect(runPlan(['--from', 'releases/r1', '--to', 'releases/r2/artisan'], plain)).toEqual({ code: 2, stdout: '', stderr });
    const repo = tempTree(tree);
    spawnSync('git', ['init', '-q', repo]);
    expect(runCli(['lint', '--from', 'releases/r1', '--to', 'releases/r2/artisan'], { cwd: repo })).toEqual({ code: 2, stdout: '', stderr });
    expect(runCli(['lint', '--from', 'releases/r2/artisan', '--to', 'releases/r2'], { cwd: repo })).toEqual({ code: 2, stdout: '', stderr: 'zdd: --from releases/r2/artisan: not a directory (a release is a directory or a git ref)\n' });
  });

  it('6: without paths, the conventional migration folders are found from the working directory up, stopping at the git root', () => {
    const app = laravelApp();
    spawnSync('git', ['init', '-q', app]);
    const r = runCli(['lint', '--format', 'json', '--verbose'], { cwd: join(app, 'app', 'Models') });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ dialect: 'postgres', summary: { files: 1, migrations: 1 } });
    expect(r.stderr).toContain(`zdd: migrations found in ${app}: database/migrations\n`);
    // inside database/: its migrations/ is the nearest
    expect(JSON.parse(runCli(['lint', '--format', 'json'], { cwd: join(app, 'database') }).stdout).summary).toMatchObject({ migrations: 1 });
    // a repository inside it is searched up to its own root, and the message says where zdd looked
    const inner = join(app, 'packages', 'tool');
    spawnSync('mkdir', ['-p', join(inner, 'src')]);
    spawnSync('git', ['init', '-q', inner]);
    const none = runCli(['lint', '--dialect', 'mysql'], { cwd: join(inner, 'src') });
    expect(none).toEqual({
      code: 2,
      stdout: '',
      stderr: `zdd: no migrations to lint: pass files or directories, or set "paths.migrations" in zdd.config.json (looked for database/migrations, migrations, src/Migrations, app/DoctrineMigrations, db/migrations, sql/migrations in ${join(inner, 'src')} and up to ${inner})\n`,
    });
  });
});
