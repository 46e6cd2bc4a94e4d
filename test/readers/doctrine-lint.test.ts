import { describe, expect, it } from 'vitest';
import { lintDoctrine, migrationClass } from '../doctrine-helpers.js';

/**
 * Doctrine migrations through the whole lint: the exact finding for each form, with its fix written
 * as Doctrine migration code. The schema before them is DOCTRINE_BASE (users, teams, orders).
 */

const FILE = 'migrations/Version20240101000000.php';
const at = (line: number, col: number) => ({ file: FILE, line, col });
const lockTimeout = "$this->addSql(\"SET lock_timeout = '5s'\");";
const withTimeout = (up: string): string => `${lockTimeout}\n${up}`;

describe('Doctrine migrations: findings and Doctrine fixes', () => {
  it('Schema API: a NOT NULL column without a default on an existing table (PostgreSQL)', async () => {
    const f = await lintDoctrine('postgres', migrationClass('Version20240201000000', withTimeout("$schema->getTable('users')->addColumn('nickname', Types::STRING, ['length' => 64]);")));
    expect(f).toEqual([
      {
        rule: 'add-not-null-column',
        severity: 'error',
        message: 'Adding users.nickname as NOT NULL without a default fails outright if users has any rows, and once it exists every INSERT from the old release (which does not know the column) fails.',
        fix: [
          'Add the column as nullable (or with a default), make the new code always write it, backfill in batches, then add NOT NULL in a later release.',
          "$schema->getTable('users')->addColumn('nickname', 'string', ['length' => 64, 'notnull' => false]); // or a 'default'",
          '// make the new code always write nickname, backfill in batches, then in a later release:',
          "$this->addSql('ALTER TABLE users ADD CONSTRAINT users_nickname_not_null CHECK (nickname IS NOT NULL) NOT VALID');",
          "$this->addSql('ALTER TABLE users VALIDATE CONSTRAINT users_nickname_not_null');",
          "$this->addSql('ALTER TABLE users ALTER COLUMN nickname SET NOT NULL');",
          "$this->addSql('ALTER TABLE users DROP CONSTRAINT users_nickname_not_null');",
          'zdd-plan: `zdd-plan` adds it nullable before the swap and sets NOT NULL in release 2, once release 1 writes it and the older rows are backfilled (a requirement it lists: zdd cannot know the value).',
        ].join('\n'),
        location: at(18, 9),
        target: { table: 'users', column: 'nickname' },
        migration: 'Version20240201000000',
      },
    ]);
  });

  it('Schema API: dropColumn is the contract step, with the Schema-API drop for a later release', async () => {
    const f = await lintDoctrine('mysql', migrationClass('Version20240201000000', "$this->addSql('SET SESSION lock_wait_timeout = 5');\n$schema->getTable('users')->dropColumn('name');"));
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ rule: 'drop-column', severity: 'warning', location: at(18, 9), target: { table: 'users', column: 'name' } });
    expect(f[0]!.fix.split('\n').slice(1, 3)).toEqual([
      '// in a migration of a later release, once no deployed code (entity mappings included) uses the column:',
      "$schema->getTable('users')->dropColumn('name');",
    ]);
  });

  it('Schema API: getColumn()->setLength() shrinking a column of known type (MySQL copies the table)', async () => {
    const f = await lintDoctrine('mysql', migrationClass('Version20240201000000', "$this->addSql('SET SESSION lock_wait_timeout = 5');\n$schema->getTable('users')->getColumn('email')->setLength(100);"));
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({
      rule: 'change-column-type',
      severity: 'error',
      message:
        'Changing users.email from varchar(180) to varchar(100). MySQL copies the table (ALGORITHM=COPY): writes are blocked until the copy ends. Values the old release writes may not fit varchar(100), and it reads the column as varchar(180).',
      location: at(18, 9),
    });
    expect(f[0]!.fix).toContain("$schema->getTable('users')->addColumn('email_new', 'string', ['length' => 100, 'notnull' => false]);");
  });

  it('Schema API: addIndex on PostgreSQL blocks writes; the fix builds it CONCURRENTLY in a non-transactional migration', async () => {
    const f = await lintDoctrine('postgres', migrationClass('Version20240201000000', withTimeout("$schema->getTable('orders')->addIndex(['total'], 'idx_orders_total');")));
    expect(f).toEqual([
      expect.objectContaining({
        rule: 'blocking-index-build',
        location: at(18, 9),
        fix: [
          'Build it with CONCURRENTLY, outside a transaction (writes go on; if it fails, drop the INVALID index and retry).',
          'public function isTransactional(): bool { return false; } // in the migration class',
          "$this->addSql('CREATE INDEX CONCURRENTLY idx_orders_total ON orders (total)');",
          'zdd-plan: `zdd-plan` runs the concurrent build before the swap, outside the migration transaction.',
        ].join('\n'),
      }),
    ]);
  });

  it('CONCURRENTLY in a transactional Doctrine migration fails; isTransactional() false makes it right', async () => {
    const up = withTimeout("$this->addSql('CREATE INDEX CONCURRENTLY idx_orders_total ON orders (total)');");
    const f = await lintDoctrine('postgres', migrationClass('Version20240201000000', up));
    expect(f).toEqual([
      {
        rule: 'concurrent-index-in-transaction',
        severity: 'error',
        message: 'CREATE INDEX CONCURRENTLY cannot run inside a transaction block, and Doctrine runs each migration in a transaction unless isTransactional() returns false: PostgreSQL rejects the statement and the migration fails.',
        fix: 'Make this migration non-transactional, and keep the concurrent statement alone in it.\npublic function isTransactional(): bool\n{\n    return false;\n}',
        location: at(18, 24),
        target: { table: 'orders', index: 'idx_orders_total' },
        migration: 'Version20240201000000',
      },
    ]);
    const off = "\n    public function isTransactional(): bool\n    {\n        return false;\n    }\n";
    expect(await lintDoctrine('postgres', migrationClass('Version20240201000000', up, off))).toEqual([]);
  });

  it('connection->executeStatement(UPDATE …) is a backfill in the migration', async () => {
    const f = await lintDoctrine('mysql', migrationClass('Version20240201000000', "$this->connection->executeStatement(\"UPDATE users SET status = 'active' WHERE status IS NULL\");"));
    expect(f).toEqual([
      expect.objectContaining({
        rule: 'backfill-in-migration',
        location: at(17, 46),
        fix: expect.stringContaining("$this->connection->executeStatement('UPDATE users SET … WHERE … ORDER BY id LIMIT 1000');"),
      }),
    ]);
  });

  it('renameTable() is a drop of the old table in DBAL 3', async () => {
    const f = await lintDoctrine('postgres', migrationClass('Version20240201000000', withTimeout("$schema->renameTable('teams', 'squads');")));
    expect(f.map((x) => [x.rule, x.target.table, x.location.line])).toEqual([['drop-table', 'teams', 18]]);
    expect(f[0]!.fix).toContain("$schema->dropTable('teams');");
  });

  it('a migration guarded to PostgreSQL says nothing on MySQL', async () => {
    const up = "$this->abortIf(!$this->connection->getDatabasePlatform() instanceof PostgreSQLPlatform, 'PostgreSQL only');\n$this->addSql('ALTER TABLE users DROP COLUMN name');";
    expect(await lintDoctrine('mysql', migrationClass('Version20240201000000', up))).toEqual([]);
    expect((await lintDoctrine('postgres', migrationClass('Version20240201000000', up))).map((x) => x.rule)).toEqual(['drop-column', 'missing-lock-timeout']);
  });

  it('dynamic SQL is reported by unparsed-statement, naming what was dynamic', async () => {
    const f = await lintDoctrine('mysql', migrationClass('Version20240201000000', "$this->addSql('ALTER TABLE users ADD ' . $this->definition());"));
    expect(f).toEqual([
      expect.objectContaining({
        rule: 'unparsed-statement',
        message: 'zdd could not analyse this (table users): SQL built at run time: call to $this->definition(). It was not checked for locks or breaking changes.',
        fix: 'Check it by hand. If it is safe, say why with an ignore comment on the line before it.\n// zdd-ignore unparsed-statement: <why this is safe>',
        location: at(17, 9),
      }),
    ]);
  });
});

describe('Doctrine migrations: suppressions in PHP comments', () => {
  it('a // zdd-ignore on the line before a Schema-API call or addSql suppresses its finding', async () => {
    const up = [
      "$this->addSql('SET SESSION lock_wait_timeout = 5');",
      '// zdd-ignore drop-column: nothing has read users.name since release 41',
      "$schema->getTable('users')->dropColumn('name');",
      "$this->addSql('ALTER TABLE orders DROP COLUMN note'); // zdd-ignore drop-column: unmapped in release 40",
    ].join('\n');
    expect(await lintDoctrine('mysql', migrationClass('Version20240201000000', up))).toEqual([]);
  });

  it('-- zdd-ignore inside the SQL string, and zdd-ignore-file, work too', async () => {
    const inSql = ["$this->addSql('SET SESSION lock_wait_timeout = 5');", '$this->addSql(<<<SQL', '    -- zdd-ignore drop-column: unmapped since release 40', '    ALTER TABLE orders DROP COLUMN note', '    SQL);'].join('\n');
    expect(await lintDoctrine('mysql', migrationClass('Version20240201000000', inSql))).toEqual([]);
    const file = migrationClass('Version20240201000000', "$schema->getTable('users')->dropColumn('name');").replace('<?php\n', '<?php\n// zdd-ignore-file drop-column, missing-lock-timeout: contract migration of release 42\n');
    expect(await lintDoctrine('mysql', file)).toEqual([]);
  });

  it('an ignore without a reason, or one that suppresses nothing, is reported', async () => {
    const up = ["$this->addSql('SET SESSION lock_wait_timeout = 5');", '// zdd-ignore drop-column', "$schema->getTable('users')->dropColumn('name');", '// zdd-ignore drop-table: not needed', "$schema->getTable('users')->addColumn('x', 'integer', ['notnull' => false]);"].join('\n');
    const f = await lintDoctrine('mysql', migrationClass('Version20240201000000', up));
    expect(f.map((x) => [x.rule, x.location.line, x.message])).toEqual([
      ['unused-ignore', 18, 'zdd-ignore needs a reason: write `zdd-ignore drop-column: <why this is safe>`'],
      ['drop-column', 19, expect.stringContaining('Dropping users.name')],
      ['unused-ignore', 20, 'zdd-ignore drop-table suppresses nothing: no such finding on the next statement'],
    ]);
  });
});

describe('Doctrine migrations: order', () => {
  it('runs by version (class name), not by file name', async () => {
    const create = migrationClass('Version20240101000001', "$t = $schema->createTable('accounts');\n$t->addColumn('id', 'integer');\n$t->addColumn('email', 'string', ['length' => 100]);");
    const shrink = migrationClass('Version20240101000002', "$this->addSql('SET SESSION lock_wait_timeout = 5');\n$schema->getTable('accounts')->getColumn('email')->setLength(50);");
    // file names in the opposite order: the shrink only has a known previous type when it runs second
    const f = await lintDoctrine('mysql', { 'migrations/a_shrink.php': shrink, 'migrations/b_create.php': create }, { base: false });
    expect(f.map((x) => [x.rule, x.migration])).toEqual([['change-column-type', 'Version20240101000002']]);
    expect(f[0]!.message).toContain('from varchar(100) to varchar(50)');
  });
});
