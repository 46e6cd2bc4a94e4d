import { describe, expect, it } from 'vitest';
import { afterSchema, lintSql } from '../helpers.js';

describe('missing-lock-timeout', () => {
  it('fires once per migration, at the first statement taking a queueing lock (PostgreSQL)', async () => {
    const f = await afterSchema('postgres', 'ALTER TABLE users ADD COLUMN bio text;\nALTER TABLE orders ADD COLUMN paid boolean;', { rule: 'missing-lock-timeout' });
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'warning', location: { line: 1 }, target: { table: 'users' } });
    expect(f[0]!.fix).toContain("SET lock_timeout = '5s';");
    expect(f[0]!.message).toBe(
      'This migration takes ACCESS EXCLUSIVE on users without a lock_timeout: if any query or open transaction holds users, the statement waits — and every later read and write of users queues behind it, so a brief lock becomes an outage.',
    );
  });

  it('says what queues for the lock it takes: a plain CREATE INDEX (SHARE) holds up writes, not reads', async () => {
    const f = await afterSchema('postgres', 'CREATE INDEX users_age ON users (age);', { rule: 'missing-lock-timeout' });
    expect(f[0]!.message).toBe(
      'This migration takes SHARE on users without a lock_timeout: if any query or open transaction holds users, the statement waits — and every later INSERT, UPDATE and DELETE on users queues behind it (plain reads go on), so a brief lock stops every write.',
    );
  });

  it('stays quiet after SET lock_timeout, and for new tables or concurrent builds', async () => {
    expect(await afterSchema('postgres', "SET lock_timeout = '3s';\nALTER TABLE users ADD COLUMN bio text;", { rule: 'missing-lock-timeout' })).toEqual([]);
    expect(await afterSchema('postgres', 'CREATE INDEX CONCURRENTLY users_age ON users (age);', { rule: 'missing-lock-timeout' })).toEqual([]);
    expect(await lintSql('postgres', 'CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN b int;', { rule: 'missing-lock-timeout' })).toEqual([]);
  });

  it('treats lock_timeout = 0 as not set', async () => {
    expect(await afterSchema('postgres', 'SET lock_timeout = 0;\nALTER TABLE users ADD COLUMN bio text;', { rule: 'missing-lock-timeout' })).toHaveLength(1);
  });

  it('checks lock_wait_timeout on MySQL, including SET SESSION and MariaDB SET STATEMENT … FOR', async () => {
    expect(await afterSchema('mysql', 'ALTER TABLE users ADD COLUMN bio text;', { rule: 'missing-lock-timeout' })).toHaveLength(1);
    expect(await afterSchema('mysql', 'SET SESSION lock_wait_timeout = 5;\nALTER TABLE users ADD COLUMN bio text;', { rule: 'missing-lock-timeout' })).toEqual([]);
    expect(await afterSchema('mariadb', 'SET STATEMENT lock_wait_timeout = 5 FOR ALTER TABLE users ADD COLUMN bio text;', { rule: 'missing-lock-timeout' })).toEqual([]);
  });
});

describe('missing-lock-timeout scopes', () => {
  it('MariaDB SET STATEMENT covers only its own statement; SET GLOBAL covers nothing', async () => {
    const f = await afterSchema('mariadb', 'SET STATEMENT lock_wait_timeout = 5 FOR ALTER TABLE users ADD COLUMN a int;\nALTER TABLE posts ADD COLUMN b int;', { rule: 'missing-lock-timeout' });
    expect(f.map((x) => x.location.line)).toEqual([2]);
    expect(f[0]!.message).toContain('(the default is one day)');
    expect(await afterSchema('mysql', 'SET GLOBAL lock_wait_timeout = 5;\nALTER TABLE users ADD COLUMN a int;', { rule: 'missing-lock-timeout' })).toHaveLength(1);
  });

  it("treats '0s' as no timeout", async () => {
    expect(await afterSchema('postgres', "SET lock_timeout = '0s';\nALTER TABLE users ADD COLUMN bio text;", { rule: 'missing-lock-timeout' })).toHaveLength(1);
  });

  it('counts CREATE TRIGGER and LOCK TABLE as queueing locks on PostgreSQL', async () => {
    const f = await afterSchema('postgres', 'CREATE TRIGGER t BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION f();', { rule: 'missing-lock-timeout' });
    expect(f[0]!.message).toContain('takes SHARE ROW EXCLUSIVE on users');
    expect(f[0]!.message).toContain('every later INSERT, UPDATE and DELETE on users queues behind it (plain reads go on)');
    expect(await afterSchema('postgres', 'LOCK TABLE orders IN ACCESS EXCLUSIVE MODE;', { rule: 'missing-lock-timeout' })).toHaveLength(1);
  });
});
