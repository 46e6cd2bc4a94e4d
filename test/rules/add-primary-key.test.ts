import { describe, expect, it } from 'vitest';
import { afterSchema, lintSql } from '../helpers.js';

describe('add-primary-key', () => {
  it('fires on PostgreSQL ADD PRIMARY KEY with the USING INDEX recipe', async () => {
    const f = await lintSql('postgres', { '1.sql': 'CREATE TABLE events (id bigint NOT NULL, payload jsonb);', '2.sql': 'ALTER TABLE events ADD PRIMARY KEY (id);' }, { rule: 'add-primary-key' });
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'error', target: { table: 'events' }, migration: '2' });
    expect(f[0]!.fix).toContain('CREATE UNIQUE INDEX CONCURRENTLY events_pkey ON events (id);');
    expect(f[0]!.fix).toContain('ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_pkey;');
  });

  it('stays quiet on PRIMARY KEY USING INDEX', async () => {
    expect(await afterSchema('postgres', 'ALTER TABLE orders ADD CONSTRAINT orders_pk PRIMARY KEY USING INDEX orders_pk_idx;', { rule: 'add-primary-key' })).toEqual([]);
  });

  it('warns on MySQL (in-place rebuild with concurrent DML)', async () => {
    const f = await lintSql('mysql', { '1.sql': 'CREATE TABLE events (id bigint NOT NULL);', '2.sql': 'ALTER TABLE events ADD PRIMARY KEY (id);' }, { rule: 'add-primary-key' });
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe('warning');
  });
});
