import { describe, expect, it } from 'vitest';
import type { Dialect, Migration } from '../../src/ir/types.js';
import { prepareSqlParser, readSqlText } from '../../src/readers/sql/read.js';
import { migration, readLaravel } from '../laravel-helpers.js';
import { outline, plan, planSql } from '../plan-helpers.js';

/**
 * A split ADD COLUMN keeps everything the migration wrote on the column — its comment, its inline
 * index or UNIQUE, its foreign key (with its actions) and its CHECK — each in the step where it is
 * safe, and nothing the migration did not ask for. Exact SQL of every step.
 */

const teamOwner = (table: string) => `        Schema::table('${table}', function (Blueprint $table) {\n            $table->foreignId('team_id')->nullable()->constrained()->comment('owner team');\n        });`;
const publicCode = `        Schema::table('teams', function (Blueprint $table) {\n            $table->string('code', 20)->unique()->comment('public code');\n        });`;

async function sqlFile(name: string, sql: string, dialect: Dialect): Promise<Migration> {
  await prepareSqlParser(dialect);
  const r = readSqlText(sql, { file: name, dialect });
  return { id: name.replace(/\.sql$/, ''), file: name, format: 'sql', transactional: false, ops: r.ops, suppressions: r.suppressions };
}

describe('a split ADD COLUMN on PostgreSQL', () => {
  it('foreignId()->nullable()->constrained()->comment(): the column with its comment, then the key NOT VALID and validated after the swap', async () => {
    const p = await planSql('postgres', { '2024_05_01_000000_add_team_to_orders.php': migration(teamOwner('orders')) });
    expect(outline(p)).toEqual([
      "1 pre-swap as-is add-column: SET lock_timeout = '5s' ; ALTER TABLE orders ADD COLUMN team_id bigint ; COMMENT ON COLUMN orders.team_id IS 'owner team'",
      "1 pre-swap split add-constraint: SET lock_timeout = '5s' ; ALTER TABLE orders ADD CONSTRAINT orders_team_id_foreign FOREIGN KEY (team_id) REFERENCES teams (id) NOT VALID",
      '1 post-swap split validate-constraint: ALTER TABLE orders VALIDATE CONSTRAINT orders_team_id_foreign',
    ]);
  });

  it('string()->unique()->comment(), NOT NULL: the comment stays with the nullable column; the UNIQUE index is built concurrently', async () => {
    const p = await planSql('postgres', { '2024_05_01_000000_add_code_to_teams.php': migration(publicCode) });
    expect(outline(p)).toEqual([
      "1 pre-swap split add-column: SET lock_timeout = '5s' ; ALTER TABLE teams ADD COLUMN code varchar(20) ; COMMENT ON COLUMN teams.code IS 'public code'",
      '1 pre-swap split add-index: CREATE UNIQUE INDEX CONCURRENTLY teams_code_unique ON teams (code)',
      "1 pre-swap split add-constraint: SET lock_timeout = '5s' ; ALTER TABLE teams ADD CONSTRAINT teams_code_unique UNIQUE USING INDEX teams_code_unique",
      "2 post-swap split add-constraint: SET lock_timeout = '5s' ; ALTER TABLE teams ADD CONSTRAINT teams_code_not_null CHECK (code IS NOT NULL) NOT VALID",
      '2 post-swap split validate-constraint: ALTER TABLE teams VALIDATE CONSTRAINT teams_code_not_null',
      "2 post-swap split set-not-null: SET lock_timeout = '5s' ; ALTER TABLE teams ALTER COLUMN code SET NOT NULL",
      "2 post-swap split drop-constraint: SET lock_timeout = '5s' ; ALTER TABLE teams DROP CONSTRAINT teams_code_not_null",
    ]);
  });

  it('ADD COLUMN … NOT NULL DEFAULT … CHECK … REFERENCES … ON DELETE: NOT NULL and the default stay; key and CHECK NOT VALID under the names PostgreSQL gives them', async () => {
    const p = await planSql('postgres', 'ALTER TABLE orders ADD COLUMN team_id bigint NOT NULL DEFAULT 1 CHECK (team_id > 0) REFERENCES teams (id) ON DELETE CASCADE;');
    expect(outline(p)).toEqual([
      "1 pre-swap split add-column: SET lock_timeout = '5s' ; ALTER TABLE orders ADD COLUMN team_id bigint NOT NULL DEFAULT 1",
      "1 pre-swap split add-constraint: SET lock_timeout = '5s' ; ALTER TABLE orders ADD CONSTRAINT orders_team_id_foreign FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE NOT VALID",
      "1 pre-swap split add-constraint: SET lock_timeout = '5s' ; ALTER TABLE orders ADD CONSTRAINT orders_team_id_check CHECK (team_id > 0) NOT VALID",
      '1 post-swap split validate-constraint: ALTER TABLE orders VALIDATE CONSTRAINT orders_team_id_foreign',
      '1 post-swap split validate-constraint: ALTER TABLE orders VALIDATE CONSTRAINT orders_team_id_check',
    ]);
  });

  it('a key the migration adds NOT VALID in the same statement as a split column stays NOT VALID', async () => {
    const p = await planSql('postgres', 'ALTER TABLE orders ADD COLUMN team_id bigint, ADD COLUMN currency char(3) NOT NULL, ADD CONSTRAINT orders_team_id_fk FOREIGN KEY (team_id) REFERENCES teams (id) NOT VALID;');
    expect(outline(p).slice(0, 3)).toEqual([
      "1 pre-swap as-is add-column: SET lock_timeout = '5s' ; ALTER TABLE orders ADD COLUMN team_id bigint",
      "1 pre-swap split add-column: SET lock_timeout = '5s' ; ALTER TABLE orders ADD COLUMN currency char(3)",
      "1 pre-swap as-is add-constraint: SET lock_timeout = '5s' ; ALTER TABLE orders ADD CONSTRAINT orders_team_id_fk FOREIGN KEY (team_id) REFERENCES teams (id) NOT VALID",
    ]);
  });

  it('a renamed column keeps its comment on the new column', async () => {
    const history = await readLaravel(migration(`        Schema::create('invoices', function (Blueprint $table) {\n            $table->id();\n            $table->string('ref', 40)->nullable()->comment('customer reference');\n        });`), 'postgres', 'database/migrations/2024_01_01_000000_create_invoices.php');
    const change = await sqlFile('0002_rename.sql', 'ALTER TABLE invoices RENAME COLUMN ref TO reference;', 'postgres');
    expect(outline(plan('postgres', [history], [change]))[0]).toBe("1 pre-swap split add-column: SET lock_timeout = '5s' ; ALTER TABLE invoices ADD COLUMN reference varchar(40) ; COMMENT ON COLUMN invoices.reference IS 'customer reference'");
  });
});

describe('a split ADD COLUMN on MySQL and MariaDB', () => {
  it('foreignId()->nullable()->constrained()->comment(): the column with its COMMENT, the key checked then added in place', async () => {
    const p = await planSql('mysql', { '2024_05_01_000000_add_team_to_posts.php': migration(teamOwner('posts')) });
    expect(outline(p)).toEqual([
      "1 pre-swap as-is add-column: SET SESSION lock_wait_timeout = 5 ; ALTER TABLE posts ADD COLUMN team_id bigint unsigned NULL COMMENT 'owner team'",
      '1 pre-swap split verify: SELECT COUNT(*) FROM posts c LEFT JOIN teams p ON p.id = c.team_id WHERE c.team_id IS NOT NULL AND p.id IS NULL',
      '1 pre-swap split add-constraint: SET SESSION lock_wait_timeout = 5 ; SET foreign_key_checks = 0 ; ALTER TABLE posts ADD CONSTRAINT posts_team_id_foreign FOREIGN KEY (team_id) REFERENCES teams (id), ALGORITHM=INPLACE, LOCK=NONE ; SET foreign_key_checks = 1',
    ]);
  });

  it('ADD COLUMN … NOT NULL UNIQUE CHECK … COMMENT …: UNIQUE and COMMENT stay on the nullable column, the CHECK follows it, NOT NULL in release 2', async () => {
    const p = await planSql('mysql', "ALTER TABLE posts ADD COLUMN rating tinyint NOT NULL UNIQUE CHECK (rating BETWEEN 1 AND 5) COMMENT 'stars' AFTER body;");
    expect(outline(p)).toEqual([
      "1 pre-swap split add-column: SET SESSION lock_wait_timeout = 5 ; ALTER TABLE posts ADD COLUMN rating tinyint NULL UNIQUE COMMENT 'stars' AFTER body",
      '1 pre-swap as-is add-constraint: SET SESSION lock_wait_timeout = 5 ; ALTER TABLE posts ADD CHECK (rating BETWEEN 1 AND 5)',
      '2 post-swap split verify: SELECT COUNT(*) FROM posts WHERE rating IS NULL',
      "2 post-swap split set-not-null: SET SESSION lock_wait_timeout = 5 ; ALTER TABLE posts MODIFY COLUMN rating tinyint NOT NULL COMMENT 'stars', ALGORITHM=INPLACE, LOCK=NONE",
    ]);
  });

  it('MariaDB: an inline REFERENCES becomes a key added after the column, which keeps its comment', async () => {
    const p = await planSql('mariadb', "ALTER TABLE posts ADD COLUMN team_id bigint unsigned NULL REFERENCES teams (id) ON DELETE SET NULL COMMENT 'owner team';");
    expect(outline(p)).toEqual([
      "1 pre-swap split add-column: SET SESSION lock_wait_timeout = 5 ; ALTER TABLE posts ADD COLUMN team_id bigint unsigned NULL COMMENT 'owner team'",
      '1 pre-swap split add-constraint: SET SESSION lock_wait_timeout = 5 ; SET foreign_key_checks = 0 ; ALTER TABLE posts ADD CONSTRAINT posts_team_id_foreign FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE SET NULL, ALGORITHM=INPLACE, LOCK=NONE ; SET foreign_key_checks = 1',
    ]);
  });

  it('a renamed column keeps its COMMENT on the new column', async () => {
    const history = await sqlFile('0001_schema.sql', "CREATE TABLE invoices (id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, ref varchar(40) NULL COMMENT 'customer reference') ENGINE=InnoDB;", 'mysql');
    const change = await sqlFile('0002_rename.sql', 'ALTER TABLE invoices RENAME COLUMN ref TO reference;', 'mysql');
    expect(outline(plan('mysql', [history], [change]))[0]).toBe("1 pre-swap split add-column: SET SESSION lock_wait_timeout = 5 ; ALTER TABLE invoices ADD COLUMN reference varchar(40) NULL COMMENT 'customer reference'");
  });
});
