import { describe, expect, it } from 'vitest';
import { afterSchema, lintSql } from '../helpers.js';

describe('table-rewrite', () => {
  it('fires on PostgreSQL ADD COLUMN with a volatile default', async () => {
    const f = await afterSchema('postgres', 'ALTER TABLE users ADD COLUMN public_id uuid DEFAULT gen_random_uuid();', { rule: 'table-rewrite' });
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'error', target: { table: 'users', column: 'public_id' } });
    expect(f[0]!.fix).toContain('ALTER TABLE users ALTER COLUMN public_id SET DEFAULT gen_random_uuid();');
  });

  it('stays quiet on a constant or now() default (PG 11+ fast default)', async () => {
    expect(await afterSchema('postgres', "ALTER TABLE users ADD COLUMN plan text DEFAULT 'free' NOT NULL;\nALTER TABLE users ADD COLUMN seen_at timestamptz DEFAULT now();", { rule: 'table-rewrite' })).toEqual([]);
  });

  it('fires on VACUUM FULL, SET LOGGED and CLUSTER', async () => {
    const f = await afterSchema('postgres', 'VACUUM FULL users;\nALTER TABLE orders SET LOGGED;\nCLUSTER orders USING orders_user_id_index;', { rule: 'table-rewrite' });
    expect(f.map((x) => x.location.line)).toEqual([1, 2, 3]);
  });

  it('fires on MySQL CONVERT TO CHARACTER SET (copy) and on an explicit ALGORITHM=COPY', async () => {
    expect(await afterSchema('mysql', 'ALTER TABLE users CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;', { rule: 'table-rewrite' })).toHaveLength(1);
    expect(await afterSchema('mysql', 'ALTER TABLE users ADD COLUMN bio text NULL, ALGORITHM=COPY;', { rule: 'table-rewrite' })).toHaveLength(1);
  });

  it('reports an ALGORITHM=INSTANT the server cannot honour (the statement would fail)', async () => {
    const f = await afterSchema('mysql', 'ALTER TABLE users ADD INDEX users_age (age), ALGORITHM=INSTANT;', { rule: 'table-rewrite' });
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('cannot do this with ALGORITHM=INSTANT (it needs INPLACE)');
  });

  it('stays quiet on an instant MySQL ADD COLUMN and on new tables', async () => {
    expect(await afterSchema('mysql', 'ALTER TABLE users ADD COLUMN bio text NULL, ALGORITHM=INSTANT;', { rule: 'table-rewrite' })).toEqual([]);
    expect(await lintSql('postgres', 'CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN u uuid DEFAULT gen_random_uuid();', { rule: 'table-rewrite' })).toEqual([]);
  });
});

describe('table-rewrite per operation', () => {
  it('REINDEX blocks writes only and suggests CONCURRENTLY', async () => {
    const f = await afterSchema('postgres', 'REINDEX TABLE orders;', { rule: 'table-rewrite' });
    expect(f[0]!.message).toBe('REINDEX rebuilds the indexes on orders while holding SHARE on the table: writes to the table wait until it ends, and queries that need the rebuilt indexes wait too.');
    expect(f[0]!.fix).toContain('REINDEX TABLE CONCURRENTLY orders;');
  });

  it('adding a serial primary key: one finding with a sequence-based recipe', async () => {
    const f = await afterSchema('postgres', 'ALTER TABLE teams ADD COLUMN legacy_id bigserial PRIMARY KEY;');
    expect(f.map((x) => x.rule).filter((r) => r !== 'missing-lock-timeout')).toEqual(['table-rewrite']);
    expect(f.find((x) => x.rule === 'table-rewrite')!.fix).toContain("ALTER TABLE teams ALTER COLUMN legacy_id SET DEFAULT nextval('teams_legacy_id_seq');");
  });

  it('VACUUM FULL message names the lock once', async () => {
    const f = await afterSchema('postgres', 'VACUUM FULL users;', { rule: 'table-rewrite' });
    expect(f[0]!.message).toBe('The whole table is rewritten while users is held with ACCESS EXCLUSIVE: every read and write of the table waits until it ends.');
  });
});
