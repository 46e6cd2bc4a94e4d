import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitAll, git, runCli, tempTree, writeTree } from '../helpers.js';

/**
 * Release mode takes the app's own config (the dialect and version, Doctrine's migrations paths,
 * Laravel's schema dump) from the new release: for `--to <ref>` the commit's tree read from git, for
 * `--staged` the index, for `--base` the work tree — not from whatever the work tree holds.
 */

const LARAVEL_INDEX = (table: string, column: string): string =>
  `<?php\n\nuse Illuminate\\Database\\Migrations\\Migration;\nuse Illuminate\\Database\\Schema\\Blueprint;\nuse Illuminate\\Support\\Facades\\Schema;\n\nreturn new class extends Migration\n{\n    public function up(): void\n    {\n        Schema::table('${table}', function (Blueprint $table) {\n            $table->index('${column}');\n        });\n    }\n};\n`;

/** A Symfony app on main (PostgreSQL 16 in .env.dist and doctrine.yaml, migrations in db/changes — no conventional folder), a new SQL migration on `feature`. */
function symfonyRepo(): string {
  const dir = tempTree({
    'composer.json': '{ "require": { "doctrine/doctrine-migrations-bundle": "^3.3" } }\n',
    'bin/console': '#!/usr/bin/env php\n<?php\n',
    '.env.dist': 'APP_ENV=prod\nDATABASE_URL="postgresql://app:secret@db:5432/app?serverVersion=16&charset=utf8"\n',
    'config/packages/doctrine.yaml': "doctrine:\n    dbal:\n        url: '%env(resolve:DATABASE_URL)%'\n        driver: pdo_pgsql\n",
    'config/packages/doctrine_migrations.yaml': "doctrine_migrations:\n    migrations_paths:\n        'DoctrineMigrations': '%kernel.project_dir%/db/changes'\n",
    'db/changes/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n',
  });
  git(dir, 'init', '-q', '-b', 'main');
  commitAll(dir, 'release 1');
  git(dir, 'checkout', '-q', '-b', 'feature');
  writeTree(dir, { 'db/changes/002_email_index.sql': 'CREATE INDEX users_email_idx ON users (email);\n' });
  commitAll(dir, 'the change');
  git(dir, 'checkout', '-q', 'main');
  return dir;
}

/** A clone with no work tree at all (a CI job that reads releases straight from git). */
function bareClone(repo: string): string {
  const clone = join(tempTree({}), 'ci');
  git(repo, 'clone', '-q', '--no-checkout', `file://${repo}`, clone);
  return clone;
}

const dialectOf = (stdout: string): string => (JSON.parse(stdout) as { dialect: string }).dialect;
const rulesOf = (stdout: string): string[] => (JSON.parse(stdout) as { findings: Array<{ rule: string; location: { file: string } }> }).findings.map((f) => `${f.rule} ${f.location.file}`);

describe("release mode reads the app's config from the new release (built binary)", () => {
  it('--to <ref> in a clone without a work tree: the dialect and migrations paths come from the commit (.env.dist, doctrine.yaml, doctrine_migrations.yaml)', () => {
    const clone = bareClone(symfonyRepo());
    const r = runCli(['lint', '--from', 'origin/main', '--to', 'origin/feature', '--format', 'json', '--verbose', '--no-cache'], { cwd: clone });
    expect(r.code).toBe(1);
    expect(dialectOf(r.stdout)).toBe('postgres');
    expect(rulesOf(r.stdout)).toEqual(['blocking-index-build db/changes/002_email_index.sql', 'missing-lock-timeout db/changes/002_email_index.sql']);
    expect(r.stderr).toContain('zdd: dialect postgres from .env.dist (DATABASE_URL)\n');
    expect(r.stderr).toMatch(/zdd: postgres 16; old release: origin\/main \(\w{12}\); new release: origin\/feature \(\w{12}\)\n/);
  });

  it("--to <ref>: the work tree's own config (another database, uncommitted) does not count; --base, whose new release is the work tree, takes it", () => {
    const dir = symfonyRepo();
    git(dir, 'checkout', '-q', 'feature');
    // a developer's local override, never committed
    writeTree(dir, { '.env.local': 'DATABASE_URL=mysql://app@127.0.0.1:3306/app?serverVersion=8.0.36\n' });
    const ref = runCli(['lint', '--from', 'main', '--to', 'feature', '--format', 'json', '--no-cache'], { cwd: dir });
    expect(ref.stderr).toBe('');
    expect(dialectOf(ref.stdout)).toBe('postgres');
    const base = runCli(['lint', '--base', 'main', '--format', 'json', '--no-cache'], { cwd: dir });
    expect(base.stderr).toBe('');
    expect(dialectOf(base.stdout)).toBe('mysql');
    // explicit --dialect still wins over the release's config
    const flag = runCli(['lint', '--from', 'main', '--to', 'feature', '--dialect', 'mysql', '--format', 'json', '--no-cache'], { cwd: dir });
    expect(dialectOf(flag.stdout)).toBe('mysql');
  });

  it('--to <ref> whose commit names no database: exit 2 with the one-line reason, even when the work tree names one', () => {
    const dir = tempTree({ 'migrations/001_users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text);\n' });
    git(dir, 'init', '-q', '-b', 'main');
    commitAll(dir, 'release 1');
    writeTree(dir, { 'migrations/002_index.sql': 'CREATE INDEX users_email_idx ON users (email);\n' });
    commitAll(dir, 'the change');
    // only the work tree says which database (untracked)
    writeTree(dir, { 'composer.json': '{}', '.env': 'DATABASE_URL=postgresql://app@db/app?serverVersion=16\n' });
    const r = runCli(['lint', '--from', 'HEAD~1', '--to', 'HEAD', '--no-cache'], { cwd: dir });
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe(
      'zdd: cannot tell which database the migrations run on: pass --dialect mysql|mariadb|postgres, set "dialect" in zdd.config.json, or name the database in the app\'s .env (DB_CONNECTION for Laravel, DATABASE_URL for Symfony)\n',
    );
    // the work tree is the new release of --base: there the .env counts
    expect(runCli(['lint', '--base', 'HEAD~1', '--format', 'json', '--no-cache'], { cwd: dir }).code).toBe(1);
  });

  it('--to <ref>, Laravel: DB_CONNECTION from the commit\'s .env.example and config/database.php, its schema dump read from git; an unsupported driver there is a clear exit 2', () => {
    const dir = tempTree({
      artisan: '#!/usr/bin/env php\n<?php\n',
      '.env.example': 'APP_NAME=Shop\nDB_CONNECTION=pgsql\n',
      'config/database.php': "<?php\n\nreturn [\n    'default' => env('DB_CONNECTION', 'mysql'),\n    'connections' => [\n        'pgsql' => ['driver' => 'pgsql'],\n        'mysql' => ['driver' => 'mysql'],\n    ],\n    'migrations' => ['table' => 'migrations'],\n];\n",
      'database/migrations/.gitkeep': '',
    });
    git(dir, 'init', '-q', '-b', 'main');
    commitAll(dir, 'release 1');
    // the app squashed its migrations (the running release has no dump) and adds an index
    writeTree(dir, {
      'database/schema/pgsql-schema.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n',
      'database/migrations/2024_06_01_000000_index_users_email.php': LARAVEL_INDEX('users', 'email'),
    });
    const sha = commitAll(dir, 'the change').slice(0, 12);
    const clone = bareClone(dir);
    // something else in the clone's work tree: not the release
    writeTree(clone, { '.env': 'DB_CONNECTION=mysql\n' });
    const r = runCli(['lint', '--from', 'origin/main~1', '--to', 'origin/main', '--format', 'json', '--verbose', '--no-cache'], { cwd: clone });
    expect(r.code).toBe(1);
    expect(dialectOf(r.stdout)).toBe('postgres');
    expect(rulesOf(r.stdout)).toEqual(['blocking-index-build database/migrations/2024_06_01_000000_index_users_email.php', 'missing-lock-timeout database/migrations/2024_06_01_000000_index_users_email.php']);
    expect(r.stderr).toContain(`zdd: schema dump database/schema/pgsql-schema.sql (origin/main (${sha})): 1 tables\n`);

    // the next commit's app says sqlite: zdd says so, as for a work tree
    writeTree(dir, { '.env.example': 'DB_CONNECTION=sqlite\n', 'database/migrations/2024_06_02_000000_index_users_id.php': LARAVEL_INDEX('users', 'id') });
    commitAll(dir, 'sqlite');
    git(clone, 'fetch', '-q', 'origin');
    const sqlite = runCli(['lint', '--from', 'origin/main~1', '--to', 'origin/main', '--no-cache'], { cwd: clone });
    expect(sqlite).toMatchObject({ code: 2, stdout: '' });
    expect(sqlite.stderr).toBe("zdd: this app's database is sqlite (DB_CONNECTION=sqlite in .env.example); zdd knows mysql, mariadb and postgres: pass --dialect for the server you deploy to\n");
  });

  it("--staged: the config as staged (an unstaged edit does not count); the work tree's untracked .env still does", () => {
    const dir = tempTree({
      artisan: '#!/usr/bin/env php\n<?php\n',
      '.gitignore': '.env\n',
      '.env.example': 'DB_CONNECTION=mysql\n',
      'config/database.php': "<?php\n\nreturn ['default' => env('DB_CONNECTION', 'mysql')];\n",
      'database/migrations/2024_01_01_000000_create_users_table.php':
        "<?php\n\nuse Illuminate\\Database\\Migrations\\Migration;\nuse Illuminate\\Database\\Schema\\Blueprint;\nuse Illuminate\\Support\\Facades\\Schema;\n\nreturn new class extends Migration\n{\n    public function up(): void\n    {\n        Schema::create('users', function (Blueprint $table) {\n            $table->id();\n            $table->string('email');\n        });\n    }\n};\n",
    });
    git(dir, 'init', '-q', '-b', 'main');
    commitAll(dir, 'release 1');
    writeTree(dir, { '.env.example': 'DB_CONNECTION=pgsql\n', 'database/migrations/2024_06_01_000000_index_users_email.php': LARAVEL_INDEX('users', 'email') });
    git(dir, 'add', '-A');
    // an edit not staged: not what gets committed
    writeTree(dir, { '.env.example': 'DB_CONNECTION=mariadb\n' });
    const staged = runCli(['lint', '--staged', '--format', 'json', '--no-cache'], { cwd: dir });
    expect(staged.stderr).toBe('');
    expect(staged.code).toBe(1);
    expect(dialectOf(staged.stdout)).toBe('postgres');
    // the work tree (--base) has the unstaged edit
    expect(dialectOf(runCli(['lint', '--base', 'main', '--format', 'json', '--no-cache'], { cwd: dir }).stdout)).toBe('mariadb');
    // a local .env git ignores is no release's file, but the one the hook runs with: it counts (Laravel reads it before .env.example)
    writeTree(dir, { '.env': 'DB_CONNECTION=mysql\n' });
    expect(dialectOf(runCli(['lint', '--staged', '--format', 'json', '--no-cache'], { cwd: dir }).stdout)).toBe('mysql');
  });
});
