import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mauticConstantMigration } from '../doctrine-helpers.js';
import { commitAll, git, ROOT, runCli, tempTree } from '../helpers.js';

const BOOKSHOP = join(ROOT, 'fixtures/doctrine/bookshop');
const NEWSROOM = join(ROOT, 'fixtures/doctrine/newsroom');

describe('zdd lint on Doctrine apps (built binary)', () => {
  it('finds the migrations and the database from the Symfony config, and prints Doctrine fixes', () => {
    const r = runCli(['lint'], { cwd: BOOKSHOP });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('migrations/Version20240305120000.php:27:9  error  add-not-null-column');
    expect(r.stdout).toContain("      $schema->getTable('book')->addColumn('stock', 'integer', ['notnull' => false]); // or a 'default'");
    expect(r.stdout).toContain('migrations/Version20240305120000.php:28:9  error  blocking-index-build');
    expect(r.stdout).toContain('      public function isTransactional(): bool { return false; } // in the migration class');
    expect(r.stdout).toContain("      $this->addSql('CREATE INDEX CONCURRENTLY idx_book_title ON book (title)');");
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('✖ 3 errors, 1 warning in 4 migrations');
  });

  it('prints the JSON contract for a Doctrine app', () => {
    const r = runCli(['lint', '--format', 'json'], { cwd: BOOKSHOP });
    const json = JSON.parse(r.stdout);
    expect(json.dialect).toBe('postgres');
    expect(json.summary).toEqual({ files: 5, migrations: 4, errors: 3, warnings: 1 });
    expect(json.findings.map((f: { rule: string; location: { line: number } }) => [f.rule, f.location.line])).toEqual([
      ['add-not-null-column', 27],
      ['blocking-index-build', 28],
      ['rename-column', 25],
      ['backfill-in-migration', 27],
    ]);
    expect(json.findings[2]).toMatchObject({
      rule: 'rename-column',
      severity: 'error',
      location: { file: 'migrations/Version20240515100000.php', line: 25, col: 32 },
      target: { table: 'book', column: 'price' },
      migration: 'Version20240515100000',
    });
  });

  it('--verbose says where the dialect came from and which PHP files are not migrations', () => {
    const r = runCli(['lint', 'migrations', '--verbose'], { cwd: BOOKSHOP });
    expect(r.stderr).toContain('zdd: dialect postgres from .env (DATABASE_URL)\n');
    expect(r.stderr).toContain('zdd: migrations/MigrationHelper.php: skipped (not a Laravel or Doctrine migration (no class with up() extending Migration or AbstractMigration))\n');
    expect(r.stderr).toContain('zdd: postgres 16; 5 files, 4 migrations\n');
  });

  it('reads an app with its own base class, table prefixes and per-platform branches', () => {
    const r = runCli(['lint', '--format', 'json', '--verbose'], { cwd: NEWSROOM });
    const json = JSON.parse(r.stdout);
    expect(json.dialect).toBe('mariadb');
    expect(json.summary).toEqual({ files: 3, migrations: 3, errors: 0, warnings: 1 });
    expect(json.findings.map((f: { rule: string; target: { table: string } }) => [f.rule, f.target.table])).toEqual([['backfill-in-migration', 'tag']]);
    expect(r.stderr).toContain('zdd: mariadb 10.11.6; 3 files, 3 migrations');
    expect(r.code).toBe(0);
    // the flag wins over the app's config
    const pg = runCli(['lint', '--dialect', 'postgres', '--format', 'json'], { cwd: NEWSROOM });
    expect(JSON.parse(pg.stdout).dialect).toBe('postgres');
  });

  it('bad input: a PHP syntax error is an input error (exit 2) naming the file and line; the other files are still linted', () => {
    const dir = tempTree({
      'composer.json': '{}',
      'migrations/Version20240101000000.php':
        "<?php\nnamespace DoctrineMigrations;\nuse Doctrine\\DBAL\\Schema\\Schema;\nuse Doctrine\\Migrations\\AbstractMigration;\nfinal class Version20240101000000 extends AbstractMigration\n{\n    public function up(Schema $schema): void\n    {\n        $this->addSql('ALTER TABLE users DROP COLUMN name')\n    }\n}\n",
      'migrations/Version20240102000000.php':
        "<?php\nnamespace DoctrineMigrations;\nuse Doctrine\\DBAL\\Schema\\Schema;\nuse Doctrine\\Migrations\\AbstractMigration;\nfinal class Version20240102000000 extends AbstractMigration\n{\n    public function up(Schema $schema): void\n    {\n        $this->addSql('SET SESSION lock_wait_timeout = 5');\n        $schema->getTable('users')->dropColumn('legacy_id');\n    }\n}\n",
    });
    const r = runCli(['lint', 'migrations', '--dialect', 'mysql', '--format', 'json'], { cwd: dir });
    expect(r.stderr).toBe("zdd: migrations/Version20240101000000.php:10: PHP syntax error: unexpected '}', expecting ';' (line 10, column 5); nothing in this file was checked, and PHP would refuse it too\n");
    expect(r.code).toBe(2);
    const json = JSON.parse(r.stdout);
    expect(json.findings.map((f: { rule: string; location: unknown; message: string }) => [f.rule, f.location, f.message])).toEqual([
      ['drop-column', { file: 'migrations/Version20240102000000.php', line: 10, col: 9 }, expect.stringContaining('Dropping users.legacy_id')],
    ]);
  });

  it('a server version from the app config that zdd has no facts for is said, not an error', () => {
    const dir = tempTree({
      'composer.json': '{}',
      '.env': 'DATABASE_URL=mysql://app@db/app?serverVersion=5.7.40\n',
      'migrations/Version20240101000000.php':
        "<?php\nnamespace DoctrineMigrations;\nuse Doctrine\\DBAL\\Schema\\Schema;\nuse Doctrine\\Migrations\\AbstractMigration;\nfinal class Version20240101000000 extends AbstractMigration\n{\n    public function up(Schema $schema): void\n    {\n        $this->addSql('CREATE TABLE t (id INT NOT NULL)');\n    }\n}\n",
    });
    const r = runCli(['lint', 'migrations'], { cwd: dir });
    expect(r.stderr).toBe('zdd: .env (DATABASE_URL) gives mysql 5.7.40, which is outside what zdd knows (MySQL 8.0–8.4); linting as mysql 8.0\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('✔ no findings in 1 migration\n');
  });
});

const MIGRATION = (cls: string, up: string, head = ''): string =>
  `<?php\nnamespace DoctrineMigrations;\nuse Doctrine\\DBAL\\Schema\\Schema;\nuse Doctrine\\Migrations\\AbstractMigration;\n${head}final class ${cls} extends AbstractMigration\n{\n    public function up(Schema $schema): void\n    {\n        ${up}\n    }\n}\n`;

describe('zdd on the shapes of real Doctrine apps (built binary)', () => {
  it("mautic: a table named by another file's class constant is unparsed, and zdd-plan writes no DDL against it", () => {
    const dir = tempTree({
      'composer.json': '{}',
      'app/migrations/Version20210217115150.php': mauticConstantMigration(),
    });
    const lint = runCli(['lint', 'app/migrations', '--dialect', 'mysql', '--format', 'json'], { cwd: dir });
    expect(JSON.parse(lint.stdout).findings.map((f: { rule: string; location: { line: number }; message: string }) => [f.rule, f.location.line, f.message])).toEqual([
      [
        'unparsed-statement',
        24,
        'zdd could not analyse this: $schema->getTable() with a table name known only at run time (call to $this->getPrefixedTableName() with constant Campaign::TABLE_NAME, of a class declared in another file). It was not checked for locks or breaking changes.',
      ],
    ]);
    const plan = runCli(['plan', 'app/migrations/Version20210217115150.php', '--dialect', 'mysql'], { cwd: dir });
    expect(plan.stderr).toBe('');
    expect(plan.stdout).not.toContain('Campaign::TABLE_NAME`');
    expect(plan.stdout).toContain('1. as-is    raw  app/migrations/Version20210217115150.php:24\n          runs the migration unchanged');
    expect(plan.stdout).toContain('  Version20210217115150  runs unchanged');
  });

  it('wallabag: an app on SQLite is told so, as a Laravel app is; --dialect lints it', () => {
    const dir = tempTree({
      'composer.json': '{}',
      '.env': 'DATABASE_URL=sqlite:///%kernel.project_dir%/data/db/wallabag.sqlite\n#DATABASE_URL=mysql://root:root@127.0.0.1:3306/wallabag?charset=utf8mb4\n',
      'app/config/config.yml': "doctrine_migrations:\n    migrations_paths:\n        'Application\\Migrations': '%kernel.project_dir%/migrations'\n",
      'migrations/Version20160401000000.php': MIGRATION('Version20160401000000', "$this->addSql('CREATE TABLE wallabag_tag (id INT NOT NULL)');"),
    });
    const r = runCli(['lint'], { cwd: dir });
    expect(r.stderr).toBe("zdd: this app's database is sqlite (.env (DATABASE_URL)); zdd knows mysql, mariadb and postgres: pass --dialect for the server you deploy to\n");
    expect(r.code).toBe(2);
    const mysql = runCli(['lint', '--dialect', 'mysql'], { cwd: dir });
    expect(mysql.code).toBe(0);
    expect(mysql.stdout).toBe('✔ no findings in 1 migration\n');
  });

  it("Sylius: a bundle's migrations folder takes the database from the app above the bundle's composer.json; the app root lints only that folder", () => {
    const dir = tempTree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      'composer.json': '{"name": "sylius/sylius"}',
      '.env': 'DATABASE_URL=mysql://root@127.0.0.1/sylius_%kernel.environment%?serverVersion=8.0.36\n',
      'bin/console': '#!/usr/bin/env php\n<?php\n',
      'config/packages/doctrine_migrations.yaml': 'doctrine_migrations:\n    storage:\n        table_storage:\n            table_name: sylius_migrations\n',
      'src/Sylius/Bundle/CoreBundle/composer.json': '{"name": "sylius/core-bundle"}',
      'src/Sylius/Bundle/CoreBundle/Form/Type/ChannelType.php': '<?php\nnamespace Sylius\\Bundle\\CoreBundle\\Form\\Type;\nfinal class ChannelType {}\n',
      'src/Sylius/Bundle/CoreBundle/Migrations/Version20201208105207.php': MIGRATION('Version20201208105207', "$this->addSql('ALTER TABLE sylius_channel DROP COLUMN theme_name');"),
    });
    const bundle = runCli(['lint', 'src/Sylius/Bundle/CoreBundle/Migrations', '--verbose'], { cwd: dir });
    expect(bundle.stderr).toContain('zdd: dialect mysql from .env (DATABASE_URL)\n');
    expect(bundle.stdout).toContain('src/Sylius/Bundle/CoreBundle/Migrations/Version20201208105207.php:9:24  warning  drop-column');
    const root = runCli(['lint', '.', '--verbose'], { cwd: dir });
    expect(root.stderr).toContain("zdd: .: a Symfony app's root; reading src/Sylius/Bundle/CoreBundle/Migrations\n");
    expect(root.stderr).not.toContain('ChannelType.php');
    expect(root.stderr).toContain('zdd: mysql 8.0.36; 1 files, 1 migrations\n');
  });

  it('release mode: the release root of a Symfony app given as a path stands for its migrations_paths, not every PHP file', () => {
    const dir = tempTree({});
    cpSync(join(ROOT, 'fixtures/doctrine/bookshop'), dir, { recursive: true });
    git(dir, 'init', '-q', '-b', 'main');
    commitAll(dir, 'bookshop');
    writeFileSync(join(dir, 'migrations/Version20240601000000.php'), MIGRATION('Version20240601000000', "$this->addSql('ALTER TABLE book DROP COLUMN subtitle');"));
    const r = runCli(['lint', '--base', 'main', '.', '--dialect', 'mysql', '--verbose', '--format', 'json'], { cwd: dir });
    expect(r.stderr).not.toContain('src/Entity/Book.php');
    expect(r.stderr).toContain('1 of 6 migration files');
    expect(JSON.parse(r.stdout).findings.map((f: { rule: string }) => f.rule)).toContain('drop-column');
  });

  it("mautic: the app root stands for the migrations_paths of its PHP config; a directory inside the app is still walked as given", () => {
    const dir = tempTree({
      'composer.json': '{}',
      'app/config/config.php': "<?php\n$container->loadFromExtension('doctrine_migrations', [\n    'migrations_paths' => [\n        'Mautic\\\\Migrations' => '%mautic.application_dir%/app/migrations',\n    ],\n]);\n",
      'app/bundles/CoreBundle/Entity/Lead.php': '<?php\nclass Lead {}\n',
      'app/migrations/Version20240101000000.php': MIGRATION('Version20240101000000', "$this->addSql('ALTER TABLE leads DROP COLUMN legacy');"),
    });
    const r = runCli(['lint', '.', '--dialect', 'mysql', '--verbose'], { cwd: dir });
    expect(r.stderr).toContain("zdd: .: a Symfony app's root; reading app/migrations\n");
    expect(r.stderr).toContain('zdd: mysql 8.0; 1 files, 1 migrations\n');
    const app = runCli(['lint', 'app', '--dialect', 'mysql', '--verbose'], { cwd: dir });
    expect(app.stderr).toContain('zdd: app/bundles/CoreBundle/Entity/Lead.php: skipped');
    expect(app.stderr).toContain('zdd: mysql 8.0; 3 files, 1 migrations\n');
    // zdd-plan reads an app root the same way
    const plan = runCli(['plan', '.', '--dialect', 'mysql', '--verbose', '--format', 'json'], { cwd: dir });
    expect(plan.stderr).toContain("zdd: .: a Symfony app's root; reading app/migrations\n");
    expect(plan.stderr).not.toContain('Lead.php');
    expect(JSON.parse(plan.stdout).migrations.map((m: { id: string }) => m.id)).toEqual(['Version20240101000000']);
  });
});
