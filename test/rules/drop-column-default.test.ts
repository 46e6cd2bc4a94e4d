import { describe, expect, it } from 'vitest';
import { afterSchema, lintSql } from '../helpers.js';

describe('drop-column-default', () => {
  it('fires on DROP DEFAULT of a NOT NULL column (PostgreSQL)', async () => {
    const f = await afterSchema('postgres', 'ALTER TABLE users ALTER COLUMN status DROP DEFAULT;', { rule: 'drop-column-default' });
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'warning', target: { table: 'users', column: 'status' } });
  });

  it('fires on MySQL MODIFY that silently drops the default by restating the column', async () => {
    const f = await afterSchema('mysql', 'ALTER TABLE users MODIFY status varchar(40) NOT NULL;', { rule: 'drop-column-default' });
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain("MODIFY/CHANGE restates the whole column: redefining users.status without DEFAULT drops its default ('active')");
    expect(f[0]!.fix).toContain("ALTER TABLE users MODIFY status varchar(40) NOT NULL DEFAULT 'active';");
  });

  it('fires on MySQL ALTER COLUMN … DROP DEFAULT (a form node-sql-parser rejects)', async () => {
    const f = await afterSchema('mysql', 'ALTER TABLE users ALTER COLUMN status DROP DEFAULT;', { rule: 'drop-column-default' });
    expect(f).toHaveLength(1);
  });

  it('stays quiet when a column whose only default was DEFAULT NULL becomes NOT NULL (set-not-null covers it)', async () => {
    const change = 'ALTER TABLE posts CHANGE title title VARCHAR(100) NOT NULL;';
    const schema = 'CREATE TABLE posts (id INT AUTO_INCREMENT NOT NULL, title VARCHAR(100) DEFAULT NULL, PRIMARY KEY(id));';
    const f = await lintSql('mysql', { '1.sql': schema, '2.sql': `SET SESSION lock_wait_timeout = 5;\n${change}` });
    expect(f.map((x) => x.rule)).toEqual(['set-not-null']);
  });

  it('stays quiet on a nullable column, or when MODIFY keeps the default', async () => {
    expect(await afterSchema('postgres', 'ALTER TABLE users ALTER COLUMN created_at DROP DEFAULT;', { rule: 'drop-column-default' })).toEqual([]);
    expect(await afterSchema('mysql', "ALTER TABLE users MODIFY status varchar(40) NOT NULL DEFAULT 'active';", { rule: 'drop-column-default' })).toEqual([]);
  });
});
