import { describe, expect, it } from 'vitest';
import { afterSchema, lintSql } from '../helpers.js';

describe('truncate-table', () => {
  it('fires on TRUNCATE of an existing table', async () => {
    const f = await afterSchema('postgres', 'TRUNCATE TABLE orders CASCADE;', { rule: 'truncate-table' });
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'error', target: { table: 'orders' } });
    expect(f[0]!.message).toContain('TRUNCATE orders CASCADE deletes every row');
  });

  it('stays quiet on a table created in the same migration', async () => {
    expect(await lintSql('mysql', 'CREATE TABLE import_buffer (id int);\nTRUNCATE import_buffer;', { rule: 'truncate-table' })).toEqual([]);
  });
});
