import { describe, expect, it } from 'vitest';
import type { Operation } from '../../src/ir/types.js';
import { batchStatement } from '../../src/plan/batch.js';
import { renderOp } from '../../src/plan/sql.js';
import { prepareSqlParser, readSqlText } from '../../src/readers/sql/read.js';
import { migration, readLaravel } from '../laravel-helpers.js';

/** Ops read from Blueprint carry no SQL: the planner writes them back from the IR. */
async function rendered(up: string, dialect: 'postgres' | 'mysql'): Promise<string[]> {
  const m = await readLaravel(migration(up), dialect);
  return m.ops.flatMap((op: Operation) => renderOp(op, dialect) ?? [`<cannot render ${op.kind}>`]);
}

describe('IR → SQL (renderOp)', () => {
  it('writes Blueprint columns, keys and indexes back as PostgreSQL', async () => {
    const sql = await rendered(
      `        Schema::create('posts', function (Blueprint $table) {\n            $table->id();\n            $table->string('title', 120);\n            $table->text('body')->nullable()->comment('markdown');\n            $table->boolean('draft')->default(true);\n            $table->timestamps();\n        });\n        Schema::table('posts', function (Blueprint $table) {\n            $table->foreignId('author_id')->nullable()->constrained()->nullOnDelete();\n            $table->index(['author_id', 'draft']);\n            $table->renameColumn('title', 'headline');\n            $table->dropColumn('body');\n        });`,
      'postgres',
    );
    expect(sql).toEqual([
      "CREATE TABLE posts (id bigserial PRIMARY KEY, title varchar(120) NOT NULL, body text, draft boolean NOT NULL DEFAULT '1', created_at timestamp without time zone, updated_at timestamp without time zone)",
      "COMMENT ON COLUMN posts.body IS 'markdown'",
      'ALTER TABLE posts ADD COLUMN author_id bigint',
      'ALTER TABLE posts ADD CONSTRAINT posts_author_id_foreign FOREIGN KEY (author_id) REFERENCES authors (id) ON DELETE SET NULL',
      'CREATE INDEX posts_author_id_draft_index ON posts (author_id, draft)',
      'ALTER TABLE posts RENAME COLUMN title TO headline',
      'ALTER TABLE posts DROP COLUMN body',
    ]);
  });

  it('writes MySQL columns with NULL, UNSIGNED, AUTO_INCREMENT, positions and MODIFY', async () => {
    const sql = await rendered(
      `        Schema::table('users', function (Blueprint $table) {\n            $table->unsignedInteger('visits')->default(0)->after('email');\n            $table->string('name', 500)->nullable()->change();\n            $table->unique('email');\n            $table->dropIndex('users_name_index');\n        });`,
      'mysql',
    );
    expect(sql).toEqual([
      "ALTER TABLE users ADD COLUMN visits int unsigned NOT NULL DEFAULT '0' AFTER email",
      'ALTER TABLE users MODIFY COLUMN name varchar(500) NULL',
      'ALTER TABLE users ADD UNIQUE INDEX users_email_unique (email)',
      'ALTER TABLE users DROP INDEX users_name_index',
    ]);
  });
});

describe('IR → SQL of ops read from SQL', () => {
  it('keeps NOT VALID on a foreign key and the schema of a column comment (PostgreSQL)', async () => {
    await prepareSqlParser('postgres');
    const ops = readSqlText('ALTER TABLE billing.invoices ADD CONSTRAINT invoices_team_id_fk FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE NOT VALID;', { file: 'a.sql', dialect: 'postgres' }).ops;
    expect(ops.flatMap((op) => renderOp(op, 'postgres') ?? [])).toEqual(['ALTER TABLE billing.invoices ADD CONSTRAINT invoices_team_id_fk FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE NOT VALID']);
    const add: Operation = { kind: 'add-column', table: 'invoices', schema: 'billing', column: { name: 'note', type: { name: 'text', text: 'text' }, nullable: true, comment: "the customer's note" }, source: ops[0]!.source, statement: 0 };
    expect(renderOp(add, 'postgres')).toEqual(['ALTER TABLE billing.invoices ADD COLUMN note text', "COMMENT ON COLUMN billing.invoices.note IS 'the customer''s note'"]);
  });
});

describe('batched backfills (batchStatement)', () => {
  it('adds the key range to a single-table UPDATE or DELETE, keeping its WHERE', () => {
    expect(batchStatement("UPDATE users SET a = 1 WHERE b = 'x' OR c IS NULL", 'postgres', 'id')).toEqual({ sql: "UPDATE users SET a = 1 WHERE (b = 'x' OR c IS NULL) AND users.id >= {from} AND users.id < {to}" });
    expect(batchStatement('UPDATE users AS u SET a = (SELECT max(x) FROM t WHERE t.id = u.id)', 'postgres', 'id')).toEqual({ sql: 'UPDATE users AS u SET a = (SELECT max(x) FROM t WHERE t.id = u.id) WHERE u.id >= {from} AND u.id < {to}' });
    expect(batchStatement('DELETE FROM `audit log` WHERE created_at < NOW()', 'mysql', 'log_id')).toEqual({ sql: 'DELETE FROM `audit log` WHERE (created_at < NOW()) AND `audit log`.log_id >= {from} AND `audit log`.log_id < {to}' });
  });

  it('refuses what a key range would change the meaning of', () => {
    expect(batchStatement('UPDATE a SET x = b.y FROM b WHERE a.id = b.id', 'postgres', 'id')).toEqual({ reason: 'its FROM clause cannot be combined with key ranges' });
    expect(batchStatement('UPDATE a SET x = 1 ORDER BY id LIMIT 10', 'mysql', 'id')).toEqual({ reason: 'its ORDER clause cannot be combined with key ranges' });
    expect(batchStatement('UPDATE a JOIN b ON a.id = b.a_id SET a.x = b.y', 'mysql', 'id')).toEqual({ reason: 'a multi-table UPDATE cannot be batched automatically' });
    expect(batchStatement('INSERT INTO a SELECT * FROM b', 'postgres', 'id')).toEqual({ reason: 'only UPDATE and DELETE are batched (this is INSERT)' });
  });
});
