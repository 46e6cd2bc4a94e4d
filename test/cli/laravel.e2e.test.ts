import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runCli, tempTree } from '../helpers.js';

const mkdirp = (file: string): string => (mkdirSync(dirname(file), { recursive: true }), file);

const MIGRATION = (body: string) => `<?php
use Illuminate\\Database\\Migrations\\Migration;
use Illuminate\\Database\\Schema\\Blueprint;
use Illuminate\\Support\\Facades\\Schema;

return new class extends Migration
{
    public function up(): void
    {
${body}
    }
};
`;

describe('zdd lint on Laravel apps (built binary)', () => {
  it('lints the bundled Laravel sample: dialect from .env.example, findings with Laravel fixes', () => {
    const r = runCli(['lint', 'fixtures/laravel/shop/database/migrations', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.dialect).toBe('postgres');
    expect(json.findings.map((f: { rule: string; location: { line: number } }) => `${f.location.line} ${f.rule}`)).toEqual([
      '14 missing-lock-timeout',
      '14 rename-column',
      '18 add-not-null-column',
      '19 change-column-type',
      '20 blocking-index-build',
      '21 drop-column',
      '24 backfill-in-migration',
    ]);
    expect(json.summary).toEqual({ files: 4, migrations: 4, errors: 4, warnings: 3 });
    const rename = json.findings[1];
    expect(rename.location.file).toBe('fixtures/laravel/shop/database/migrations/2024_06_01_000000_checkout_rework.php');
    expect(rename.migration).toBe('2024_06_01_000000_checkout_rework');
    expect(rename.fix).toContain("$table->string('full_name')->nullable();");
  });

  it('--dialect overrides the app, and MySQL costs differ', () => {
    const r = runCli(['lint', 'fixtures/laravel/shop/database/migrations', '--dialect', 'mysql', '--format', 'json']);
    const rules = JSON.parse(r.stdout).findings.map((f: { rule: string }) => f.rule);
    expect(rules).not.toContain('blocking-index-build');
    expect(rules).toContain('rename-column');
  });

  it('detects the dialect from .env, then .env.example, then config/database.php', () => {
    const migrations = { 'database/migrations/2024_01_01_000000_a.php': MIGRATION("        Schema::table('users', fn (Blueprint $t) => $t->index('email'));") };
    const withEnv = tempTree({ artisan: '', '.env': 'DB_CONNECTION=pgsql\n', '.env.example': 'DB_CONNECTION=mysql\n', ...migrations });
    expect(JSON.parse(runCli(['lint', 'database/migrations', '--format', 'json'], { cwd: withEnv }).stdout).dialect).toBe('postgres');
    const example = tempTree({ artisan: '', '.env.example': 'DB_CONNECTION="mariadb"\n', ...migrations });
    expect(JSON.parse(runCli(['lint', 'database/migrations', '--format', 'json'], { cwd: example }).stdout).dialect).toBe('mariadb');
    const config = tempTree({ 'config/database.php': "<?php return ['default' => env('DB_CONNECTION', 'pgsql')];", ...migrations });
    expect(JSON.parse(runCli(['lint', 'database/migrations', '--format', 'json'], { cwd: config }).stdout).dialect).toBe('postgres');
  });

  it('an app on SQLite gets a clear error unless --dialect says what production runs', () => {
    const dir = tempTree({ artisan: '', '.env.example': 'DB_CONNECTION=sqlite\n', 'database/migrations/2024_01_01_000000_a.php': MIGRATION('') });
    const r = runCli(['lint', 'database/migrations'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("zdd: this app's database is sqlite (DB_CONNECTION=sqlite in .env.example); zdd knows mysql, mariadb and postgres: pass --dialect for the server you deploy to\n");
    expect(runCli(['lint', 'database/migrations', '--dialect', 'mysql'], { cwd: dir }).code).toBe(0);
  });

  it('starts the replay from a schema dump (php artisan schema:dump)', () => {
    const files = {
      artisan: '',
      '.env.example': 'DB_CONNECTION=pgsql\n',
      'database/schema/pgsql-schema.sql': "SET statement_timeout = 0;\nCREATE TABLE public.users (id bigint NOT NULL, age integer);\nCOPY public.migrations (id, migration, batch) FROM stdin;\n1\t2014_10_12_000000_create_users_table\t1\n\\.\n",
      'database/migrations/2024_01_01_000000_a.php': MIGRATION("        DB::statement(\"SET lock_timeout = '1s'\");\n        Schema::table('users', fn (Blueprint $t) => $t->bigInteger('age')->nullable()->change());"),
    };
    const r = runCli(['lint', 'database/migrations', '--format', 'json', '--verbose'], { cwd: tempTree(files) });
    const f = JSON.parse(r.stdout).findings;
    expect(f.map((x: { rule: string }) => x.rule)).toEqual(['change-column-type']);
    expect(f[0].message).toContain('Changing users.age from integer to bigint');
    expect(r.stderr).toContain('zdd: schema dump database/schema/pgsql-schema.sql: 1 tables');
  });

  it('replays on top of a schema dump only the migrations its migrations table does not list, as `php artisan migrate` runs them', () => {
    // the dump has users.age as a nullable bigint; the migration it lists created it as integer NOT NULL DEFAULT 22
    const files = {
      artisan: '',
      '.env.example': 'DB_CONNECTION=pgsql\n',
      'database/schema/pgsql-schema.sql': 'CREATE TABLE public.users (id bigint NOT NULL, age bigint);\nCOPY public.migrations (id, migration, batch) FROM stdin;\n1\t2020_01_01_000000_create_users\t1\n\\.\n',
      'database/migrations/2020_01_01_000000_create_users.php': MIGRATION("        Schema::create('users', function (Blueprint $table) {\n            $table->id();\n            $table->integer('age')->default(22);\n        });"),
      'database/migrations/2024_02_01_000000_change_age.php': MIGRATION("        DB::statement(\"SET lock_timeout = '1s'\");\n        Schema::table('users', function (Blueprint $table) {\n            $table->bigInteger('age')->change();\n        });"),
    };
    const dir = tempTree(files);
    const r = runCli(['lint', 'database/migrations/2024_02_01_000000_change_age.php', '--format', 'json', '--verbose'], { cwd: dir });
    // the schema the dump loads: age is already bigint, but nullable — change() without nullable() makes it NOT NULL
    expect(JSON.parse(r.stdout).findings.map((f: { rule: string }) => f.rule)).toEqual(['set-not-null']);
    expect(r.stderr).toContain('zdd: schema dump database/schema/pgsql-schema.sql: 1 tables, 1 migrations recorded as run\n');
    expect(r.stderr).toContain('zdd: 1 earlier migrations are in the schema dump (its migrations table lists them): not replayed\n');
    // zdd-plan starts from the same schema
    const plan = runCli(['plan', 'database/migrations/2024_02_01_000000_change_age.php', '--format', 'json', '--verbose'], { cwd: dir });
    expect(plan.stderr).toContain('zdd: 1 earlier migrations are in the schema dump (its migrations table lists them): not replayed\n');
    expect(plan.stderr).toContain('postgres 16; 1 migrations planned, 0 replayed');
  });

  it("an app whose default connection is sqlite (its tests) keeps the dump of the connection --dialect stands for", () => {
    const files = {
      'config/database.php': "<?php return ['default' => env('DB_CONNECTION', 'sqlite'), 'connections' => ['sqlite' => ['driver' => 'sqlite'], 'mysql' => ['driver' => 'mysql']]];",
      'database/schema/mysql-schema.sql': "CREATE TABLE `users` (`id` bigint NOT NULL, `age` int);\nINSERT INTO `migrations` VALUES (1,'2020_01_01_000000_create_users',1);\n",
      'database/migrations/2020_01_01_000000_create_users.php': MIGRATION("        Schema::create('users', function (Blueprint $table) {\n            $table->id();\n        });"),
      'database/migrations/2024_02_01_000000_drop_age.php': MIGRATION("        Schema::table('users', function (Blueprint $table) {\n            $table->dropColumn('age');\n        });"),
    };
    const r = runCli(['lint', 'database/migrations/2024_02_01_000000_drop_age.php', '--dialect', 'mysql', '--format', 'json', '--verbose'], { cwd: tempTree(files) });
    expect(r.stderr).toContain('zdd: schema dump database/schema/mysql-schema.sql: 1 tables, 1 migrations recorded as run\n');
    // age is known from the dump: no unknown-column warning
    expect(JSON.parse(r.stdout).findings.map((f: { rule: string }) => f.rule)).toEqual(['drop-column', 'missing-lock-timeout']);
  });

  it('a schema dump that lists the linted migration was taken after it: the earlier migrations are replayed instead', () => {
    const files = {
      artisan: '',
      '.env.example': 'DB_CONNECTION=mysql\n',
      'database/schema/mysql-schema.sql': "CREATE TABLE `users` (`id` bigint NOT NULL);\nINSERT INTO `migrations` VALUES (1,'2020_01_01_000000_create_users',1);\nINSERT INTO `migrations` VALUES (2,'2024_02_01_000000_drop_age',2);\n",
      'database/migrations/2020_01_01_000000_create_users.php': MIGRATION("        Schema::create('users', function (Blueprint $table) {\n            $table->id();\n            $table->integer('age');\n        });"),
      'database/migrations/2024_02_01_000000_drop_age.php': MIGRATION("        Schema::table('users', function (Blueprint $table) {\n            $table->dropColumn('age');\n        });"),
    };
    const r = runCli(['lint', 'database/migrations/2024_02_01_000000_drop_age.php', '--format', 'json', '--verbose'], { cwd: tempTree(files) });
    // from the dump users would have no age column (unknown-column); from the replay the drop is what it is
    expect(JSON.parse(r.stdout).findings.map((f: { rule: string }) => f.rule)).toEqual(['drop-column', 'missing-lock-timeout']);
    expect(r.stderr).toContain('zdd: the schema dump records 2024_02_01_000000_drop_age, a migration of the change, as run: taken after the change, it is not used; the earlier migrations are replayed instead\n');
    expect(r.stderr).toContain('zdd: replayed 1 of 1 earlier migrations of the same folders for the schema');
  });

  it('a PHP syntax error is an input error (exit 2) naming file and line; other files are still linted; non-migrations are skipped (--verbose says so)', () => {
    const dir = tempTree({
      artisan: '',
      '.env.example': 'DB_CONNECTION=mysql\n',
      'database/migrations/2024_01_01_000000_broken.php': '<?php\nreturn new class extends Migration {\n  public function up() {\n    Schema::drop(\n  }\n};\n',
      'database/migrations/2024_01_02_000000_drop.php': MIGRATION("        Schema::dropIfExists('legacy');"),
      'database/migrations/helpers.php': '<?php\nfunction helper() { return 1; }\n',
    });
    const r = runCli(['lint', 'database/migrations', '--format', 'json', '--verbose'], { cwd: dir });
    const json = JSON.parse(r.stdout);
    expect(json.findings.map((f: { rule: string; location: { file: string; line: number } }) => `${f.location.file}:${f.location.line} ${f.rule}`)).toEqual([
      'database/migrations/2024_01_02_000000_drop.php:10 drop-table',
      'database/migrations/2024_01_02_000000_drop.php:10 missing-lock-timeout',
    ]);
    // malformed PHP is bad input: one line on stderr naming file and line, in the JSON's problems, exit 2
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("zdd: database/migrations/2024_01_01_000000_broken.php:5: PHP syntax error: unexpected '}' (line 5, column 3); nothing in this file was checked, and PHP would refuse it too");
    expect(json.problems).toEqual([{ file: 'database/migrations/2024_01_01_000000_broken.php', line: 5, message: "PHP syntax error: unexpected '}' (line 5, column 3); nothing in this file was checked, and PHP would refuse it too" }]);
    expect(r.stderr).toContain('zdd: database/migrations/helpers.php: skipped (not a Laravel or Doctrine migration (no class with up() extending Migration or AbstractMigration))');
  });
});

describe('a migration file linted on its own (a lint-staged hook)', () => {
  it("replays the earlier migrations of its folder that name its tables, so the column's previous default is known; only the given file is linted", () => {
    const dir = tempTree({
      artisan: '',
      '.env.example': 'DB_CONNECTION=pgsql\n',
      'database/migrations/2024_01_01_000000_create_servers.php': MIGRATION("        Schema::create('servers', function (Blueprint $table) {\n            $table->id();\n            $table->bigInteger('port')->default(22);\n        });"),
      'database/migrations/2024_01_02_000000_create_users.php': MIGRATION("        Schema::create('users', function (Blueprint $table) {\n            $table->id();\n        });\n        Schema::table('servers', function (Blueprint $table) {\n            $table->dropColumn('legacy');\n        });"),
      'database/migrations/2024_02_01_000000_change_port.php': MIGRATION("        DB::statement(\"SET lock_timeout = '2s'\");\n        Schema::table('servers', function (Blueprint $table) {\n            $table->bigInteger('port')->change();\n        });"),
    });
    const r = runCli(['lint', 'database/migrations/2024_02_01_000000_change_port.php', '--format', 'json', '--verbose'], { cwd: dir });
    const json = JSON.parse(r.stdout);
    // the default 22 from the earlier migration: a precise finding, not "zdd has not seen its previous definition"
    expect(json.findings.map((f: { rule: string; location: { file: string } }) => `${f.rule} ${f.location.file}`)).toEqual(['drop-column-default database/migrations/2024_02_01_000000_change_port.php']);
    expect(json.findings[0].message).toContain("drops its default ('22')");
    expect(json.summary).toMatchObject({ files: 1, migrations: 1 });
    expect(r.stderr).toContain('zdd: replayed 2 of 2 earlier migrations of the same folders for the schema: those naming servers (or a table at run time)');
  });
});

describe("table names from the app's config/*.php (package migrations such as spatie/laravel-permission's)", () => {
  const CREATE = MIGRATION(`        $tableNames = config('permission.table_names');
        Schema::create($tableNames['roles'], function (Blueprint $table) {
            $table->bigIncrements('id');
            $table->string('name');
            $table->string('guard_name');
        });`);
  const DROP = MIGRATION(`        $tableNames = config('permission.table_names');
        Schema::table($tableNames['roles'], function (Blueprint $table) {
            $table->dropColumn('guard_name');
        });`);
  const app = (withDrop: boolean) => ({
    artisan: '',
    '.env.example': 'DB_CONNECTION=mysql\n',
    'config/permission.php': "<?php\nreturn ['table_names' => ['roles' => env('PERMISSION_ROLES_TABLE', 'acl_roles')]];\n",
    'app/Models/Role.php': "<?php\nnamespace App\\Models;\nuse Illuminate\\Database\\Eloquent\\Model;\nclass Role extends Model\n{\n    protected $table = 'acl_roles';\n    protected $fillable = ['name', 'guard_name'];\n}\n",
    'database/migrations/2024_01_01_000000_create_permission_tables.php': CREATE,
    ...(withDrop ? { 'database/migrations/2024_02_01_000000_drop_guard_name.php': DROP } : {}),
  });
  const rules = (stdout: string) => JSON.parse(stdout).findings.map((f: { rule: string; severity: string; target: { table: string; column?: string } }) => `${f.rule} ${f.severity} ${f.target.table}.${f.target.column ?? ''}`);

  it('path mode: the table the config names, not an unknown op', () => {
    const dir = tempTree(app(true));
    const r = runCli(['lint', 'database/migrations', '--format', 'json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(rules(r.stdout)).toContain('drop-column warning acl_roles.guard_name');
    // a config file that does not parse: its values are unknown (the ops say so), and --verbose says why
    const broken = tempTree({ ...app(true), 'config/permission.php': "<?php\nreturn ['table_names' => ['roles' => 'acl_roles' 'x']];\n" });
    const b = runCli(['lint', 'database/migrations', '--format', 'json', '--verbose'], { cwd: broken });
    expect(b.stderr).toContain("zdd: config/permission.php: PHP syntax error: unexpected ''x'' (T_CONSTANT_ENCAPSED_STRING), expecting ']' (line 2); the config() values it holds are unknown");
    expect(rules(b.stdout)).not.toContain('drop-column warning acl_roles.guard_name');
  });

  it('release mode (--from/--to): config read from the new release; the model still using the column makes it an error', () => {
    const root = tempTree({});
    for (const [side, files] of [['current', app(false)], ['next', app(true)]] as const) for (const [rel, text] of Object.entries(files)) writeFileSync(mkdirp(join(root, side, rel)), text);
    const r = runCli(['lint', '--from', 'current', '--to', 'next', '--format', 'json'], { cwd: root });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(rules(r.stdout)).toContain('drop-column error acl_roles.guard_name');
    const drop = JSON.parse(r.stdout).findings.find((f: { rule: string }) => f.rule === 'drop-column');
    expect(drop.dependents.map((d: { release: string; file: string; line: number }) => `${d.release} ${d.file}:${d.line}`)).toEqual(['new app/Models/Role.php:7', 'old app/Models/Role.php:7']);
  });
});

describe('the README first command', () => {
  it('`zdd lint fixtures/laravel/shop` lints the app root as its database/migrations', () => {
    const r = runCli(['lint', 'fixtures/laravel/shop']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('fixtures/laravel/shop/database/migrations/2024_06_01_000000_checkout_rework.php:20:13  error  blocking-index-build');
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('✖ 4 errors, 3 warnings in 4 migrations');
  });
});
