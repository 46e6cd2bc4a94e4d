import { describe, expect, it } from 'vitest';
import { afterSchema, lintSql } from '../helpers.js';

describe('drop-table', () => {
  it('fires on DROP TABLE of an existing table, one finding per table', async () => {
    const f = await afterSchema('mysql', 'DROP TABLE IF EXISTS teams, posts;', { rule: 'drop-table' });
    expect(f.map((x) => x.target.table)).toEqual(['teams', 'posts']);
    expect(f[0]).toMatchObject({ severity: 'warning', location: { line: 1, col: 1 } });
    expect(f[0]!.message).toContain('Dropping table teams');
    expect(f[0]!.fix).toContain('DROP TABLE teams;');
  });

  it('fires on an unknown table (unknown tables count as existing)', async () => {
    const f = await lintSql('postgres', 'DROP TABLE legacy_audit;', { rule: 'drop-table' });
    expect(f).toHaveLength(1);
  });

  it('stays quiet on a table created in the same migration', async () => {
    const f = await lintSql('postgres', 'CREATE TABLE tmp_import (id int);\nDROP TABLE tmp_import;', { rule: 'drop-table' });
    expect(f).toEqual([]);
  });
});
