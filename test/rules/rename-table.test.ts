import { describe, expect, it } from 'vitest';
import { afterSchema, lintSql } from '../helpers.js';

describe('rename-table', () => {
  it('fires on ALTER TABLE … RENAME TO with a compatibility-view fix (PostgreSQL)', async () => {
    const f = await afterSchema('postgres', 'ALTER TABLE teams RENAME TO organizations;', { rule: 'rename-table' });
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'error', target: { table: 'teams' } });
    expect(f[0]!.fix).toContain('CREATE VIEW teams AS SELECT * FROM organizations;');
  });

  it('fires on each pair of MySQL RENAME TABLE', async () => {
    const f = await afterSchema('mysql', 'RENAME TABLE teams TO organizations, posts TO articles;', { rule: 'rename-table' });
    expect(f.map((x) => x.target.table)).toEqual(['teams', 'posts']);
  });

  it('stays quiet when the table is new in this migration', async () => {
    const f = await lintSql('mysql', 'CREATE TABLE staging (id int);\nRENAME TABLE staging TO imports;', { rule: 'rename-table' });
    expect(f).toEqual([]);
  });
});
