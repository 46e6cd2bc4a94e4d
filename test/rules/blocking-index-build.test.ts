import { describe, expect, it } from 'vitest';
import { afterSchema, lintSql } from '../helpers.js';

describe('blocking-index-build', () => {
  it('fires on PostgreSQL CREATE INDEX without CONCURRENTLY', async () => {
    const f = await afterSchema('postgres', 'CREATE INDEX users_status_index ON users (status);', { rule: 'blocking-index-build' });
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'error', target: { table: 'users', index: 'users_status_index' }, location: { line: 1, col: 1 } });
    expect(f[0]!.fix).toContain('CREATE INDEX CONCURRENTLY users_status_index ON users (status);');
  });

  it('keeps the access method and expressions in the fix', async () => {
    const f = await afterSchema('postgres', 'CREATE INDEX users_lower_email ON users USING btree (lower(email));', { rule: 'blocking-index-build' });
    expect(f[0]!.fix).toContain('CREATE INDEX CONCURRENTLY users_lower_email ON users ((lower(email)));');
  });

  it('stays quiet on CONCURRENTLY and on tables created in the same migration', async () => {
    expect(await afterSchema('postgres', 'CREATE INDEX CONCURRENTLY users_status_index ON users (status);', { rule: 'blocking-index-build' })).toEqual([]);
    expect(await lintSql('postgres', 'CREATE TABLE t (a int);\nCREATE INDEX t_a ON t (a);', { rule: 'blocking-index-build' })).toEqual([]);
  });

  it('fires on MySQL FULLTEXT and SPATIAL, and on LOCK=SHARED', async () => {
    expect(await afterSchema('mysql', 'ALTER TABLE posts ADD FULLTEXT INDEX posts_body_fulltext (body);', { rule: 'blocking-index-build' })).toHaveLength(1);
    expect(await afterSchema('mysql', 'CREATE FULLTEXT INDEX ft ON posts (body);', { rule: 'blocking-index-build' })).toHaveLength(1);
    const locked = await afterSchema('mysql', 'ALTER TABLE users ADD INDEX users_age (age), LOCK=SHARED;', { rule: 'blocking-index-build' });
    expect(locked).toHaveLength(1);
    expect(locked[0]!.message).toContain('LOCK=SHARED');
  });

  it('stays quiet on a plain MySQL secondary index (in place, concurrent DML)', async () => {
    expect(await afterSchema('mysql', 'ALTER TABLE users ADD INDEX users_age (age);', { rule: 'blocking-index-build' })).toEqual([]);
  });
});
