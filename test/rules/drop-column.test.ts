import { describe, expect, it } from 'vitest';
import { afterSchema, lintSql, PG_SCHEMA } from '../helpers.js';

describe('drop-column', () => {
  it('fires on ALTER TABLE … DROP COLUMN of an existing table (PostgreSQL)', async () => {
    const f = await afterSchema('postgres', "SET lock_timeout = '2s';\nALTER TABLE users DROP COLUMN name;", { rule: 'drop-column' });
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({
      rule: 'drop-column',
      severity: 'warning',
      location: { file: '0002_change.sql', line: 2, col: 1 },
      target: { table: 'users', column: 'name' },
      migration: '0002_change',
    });
    expect(f[0]!.message).toContain('Dropping users.name');
    expect(f[0]!.fix).toContain('ALTER TABLE users DROP COLUMN name;');
    expect(f[0]!.fix).toContain("zdd-plan: release 1 ships the code without name; release 2 drops it post-swap (the default, `--contract next-release`). With the code index (`--base`, `--from/--to`), a drop neither release's code references goes in this deploy, after the swap.");
  });

  it('fires on MySQL DROP without the COLUMN keyword, once per dropped column', async () => {
    const f = await afterSchema('mysql', 'ALTER TABLE `users` DROP `name`, DROP COLUMN age;', { rule: 'drop-column' });
    expect(f.map((x) => x.target)).toEqual([
      { table: 'users', column: 'name' },
      { table: 'users', column: 'age' },
    ]);
  });

  it('stays quiet when the table was created in the same migration', async () => {
    const f = await lintSql('postgres', 'CREATE TABLE drafts (id bigint, body text);\nALTER TABLE drafts DROP COLUMN body;', { rule: 'drop-column' });
    expect(f).toEqual([]);
  });

  it('stays quiet on adding a column', async () => {
    const f = await afterSchema('postgres', 'ALTER TABLE users ADD COLUMN nickname text;', { rule: 'drop-column' });
    expect(f).toEqual([]);
  });

  it('counts a table created by an earlier migration as existing', async () => {
    const f = await lintSql('postgres', { '1.sql': PG_SCHEMA, '2.sql': 'ALTER TABLE orders DROP COLUMN note;' }, { rule: 'drop-column' });
    expect(f).toHaveLength(1);
  });
});
