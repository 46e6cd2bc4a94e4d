import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, tempTree } from '../helpers.js';

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
