import { describe, expect, it } from 'vitest';
import { afterSchema, lintSql } from '../helpers.js';

describe('add-unique-constraint', () => {
  it('fires on PostgreSQL ADD CONSTRAINT … UNIQUE with the USING INDEX recipe', async () => {
    const f = await afterSchema('postgres', 'ALTER TABLE users ADD CONSTRAINT users_email_unique UNIQUE (email);', { rule: 'add-unique-constraint' });
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'error', target: { table: 'users', constraint: 'users_email_unique' } });
    expect(f[0]!.fix).toBe(
      'Build the unique index concurrently (outside a transaction), then attach it as the constraint, which is instant.\nCREATE UNIQUE INDEX CONCURRENTLY users_email_unique ON users (email);\nALTER TABLE users ADD CONSTRAINT users_email_unique UNIQUE USING INDEX users_email_unique;\nzdd-plan: `zdd-plan` runs the concurrent build before the swap, outside the migration transaction.',
    );
  });

  it('stays quiet on ADD CONSTRAINT … UNIQUE USING INDEX', async () => {
    expect(await afterSchema('postgres', 'ALTER TABLE users ADD CONSTRAINT u UNIQUE USING INDEX users_email_idx;', { rule: 'add-unique-constraint' })).toEqual([]);
  });

  it('warns on a MySQL unique index (duplicates fail the migration and old inserts)', async () => {
    const f = await afterSchema('mysql', 'ALTER TABLE users ADD UNIQUE KEY users_email_unique (email);', { rule: 'add-unique-constraint' });
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'warning', target: { table: 'users', index: 'users_email_unique' } });
  });

  it('stays quiet on a new table', async () => {
    expect(await lintSql('postgres', 'CREATE TABLE t (a int);\nALTER TABLE t ADD CONSTRAINT t_a UNIQUE (a);', { rule: 'add-unique-constraint' })).toEqual([]);
  });
});
