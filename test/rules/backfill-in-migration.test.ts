import { describe, expect, it } from 'vitest';
import { whereEqualities } from '../../src/readers/sql/lex.js';
import { afterSchema, lintSql } from '../helpers.js';
import { lintLaravel, migration } from '../laravel-helpers.js';

describe('backfill-in-migration', () => {
  it('fires on an unbatched UPDATE of an existing table', async () => {
    const f = await afterSchema('postgres', "UPDATE users SET status = 'active' WHERE status IS NULL;", { rule: 'backfill-in-migration' });
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'warning', target: { table: 'users' } });
    expect(f[0]!.message).toBe('UPDATE on users touches every matching row in one statement: concurrent writes to those rows wait, replicas lag, and a large table can hold the deploy for minutes.');
  });

  it('fires on INSERT … SELECT and DELETE, not on INSERT … VALUES', async () => {
    const f = await afterSchema('mysql', "INSERT INTO teams (name) SELECT DISTINCT name FROM users;\nDELETE FROM posts WHERE body = '';\nINSERT INTO teams (name) VALUES ('default');", { rule: 'backfill-in-migration' });
    expect(f.map((x) => x.location.line)).toEqual([1, 2]);
    // each fix batches the same kind of write
    expect(f[0]!.fix).toContain('INSERT INTO teams (…) SELECT … FROM … WHERE id > :last_id ORDER BY id LIMIT 1000;');
    expect(f[1]!.fix).toContain('DELETE FROM posts WHERE … ORDER BY id LIMIT 1000;');
    expect(f[1]!.fix).not.toContain('UPDATE');
    const pg = await afterSchema('postgres', "DELETE FROM posts WHERE body = '';", { rule: 'backfill-in-migration' });
    expect(pg[0]!.fix).toContain('DELETE FROM posts WHERE id IN (SELECT id FROM posts WHERE … ORDER BY id LIMIT 1000);');
  });

  it('stays quiet on batched forms (MySQL LIMIT, PostgreSQL LIMIT subquery) and on new tables', async () => {
    expect(await afterSchema('mysql', "UPDATE users SET status = 'x' WHERE status = '' LIMIT 1000;", { rule: 'backfill-in-migration' })).toEqual([]);
    expect(await afterSchema('postgres', "UPDATE users SET status = 'x' WHERE id IN (SELECT id FROM users WHERE status = '' LIMIT 1000);", { rule: 'backfill-in-migration' })).toEqual([]);
    expect(await lintSql('postgres', 'CREATE TABLE t (a int);\nUPDATE t SET a = 1;', { rule: 'backfill-in-migration' })).toEqual([]);
  });

  it('says the rows stay locked when the migration runs in a transaction', async () => {
    const f = await afterSchema('postgres', 'BEGIN;\nUPDATE users SET age = 0;\nCOMMIT;', { rule: 'backfill-in-migration' });
    expect(f[0]!.message).toContain('inside the migration transaction');
  });
});

describe('backfill-in-migration and upserts', () => {
  it('stays quiet on single-row upserts, fires on INSERT … SELECT … ON CONFLICT', async () => {
    expect(await afterSchema('postgres', "INSERT INTO teams (id, name) VALUES (1, 'x') ON CONFLICT DO NOTHING;", { rule: 'backfill-in-migration' })).toEqual([]);
    expect(await afterSchema('mysql', "INSERT INTO teams (id, name) VALUES (1, 'x') ON DUPLICATE KEY UPDATE name = 'x';", { rule: 'backfill-in-migration' })).toEqual([]);
    expect(await afterSchema('postgres', 'INSERT INTO teams (name) SELECT name FROM users ON CONFLICT DO NOTHING;', { rule: 'backfill-in-migration' })).toHaveLength(1);
  });

  it('gives MySQL a batch statement MySQL accepts (ORDER BY … LIMIT, no LIMIT subquery)', async () => {
    const f = await afterSchema('mysql', "UPDATE users SET status = 'x';", { rule: 'backfill-in-migration' });
    expect(f[0]!.fix).toContain('UPDATE users SET … WHERE … ORDER BY id LIMIT 1000;');
  });
});

describe('backfill-in-migration and one-row writes', () => {
  it('reads which columns a WHERE pins to one value (plain ANDs only)', () => {
    expect(whereEqualities("DELETE FROM settings WHERE name = 'x'", 'postgres')).toEqual(['name']);
    expect(whereEqualities("UPDATE s SET v = 1 WHERE s.tenant_id = ? AND 'k' = \"key\" AND created_at > now()", 'postgres', 's')).toEqual(['tenant_id', 'key']);
    expect(whereEqualities('UPDATE t SET a = 1 WHERE id = :id ORDER BY id LIMIT 1', 'mysql')).toEqual(['id']);
    expect(whereEqualities("DELETE FROM t WHERE name = 'x' OR name = 'y'", 'mysql')).toBeUndefined();
    expect(whereEqualities('DELETE FROM t WHERE (a = 1 OR b = 2) AND c = 3', 'mysql')).toEqual(['c']);
    expect(whereEqualities('DELETE FROM t WHERE a = b', 'mysql')).toEqual([]);
    expect(whereEqualities('DELETE FROM t', 'mysql')).toBeUndefined();
    // another table's key pins nothing: joins, UPDATE … FROM, DELETE … USING, a qualifier that is not the table
    expect(whereEqualities('UPDATE accounts SET active = false FROM plans WHERE plans.id = 5 AND accounts.plan_id = plans.id', 'postgres', 'accounts')).toBeUndefined();
    expect(whereEqualities('DELETE FROM accounts USING plans WHERE plans.id = 7', 'postgres', 'accounts')).toBeUndefined();
    expect(whereEqualities('UPDATE accounts a JOIN plans p ON p.id = a.plan_id SET a.active = 0 WHERE p.id = 5', 'mysql', 'accounts')).toBeUndefined();
    expect(whereEqualities('UPDATE accounts SET active = false WHERE accounts.id = 5 AND x.id = 1', 'postgres', 'accounts')).toEqual(['id']);
  });

  it('stays quiet when the WHERE pins a unique key (a config row), fires when the column is not unique', async () => {
    const schema = 'CREATE TABLE settings (id bigserial PRIMARY KEY, name text NOT NULL UNIQUE, tenant_id int, value text); CREATE UNIQUE INDEX settings_t ON settings (tenant_id, value);';
    const lint = (sql: string) => lintSql('postgres', { '1.sql': schema, '2.sql': sql }, { rule: 'backfill-in-migration' });
    expect(await lint("DELETE FROM settings WHERE name = 'legacy.flag';")).toEqual([]);
    expect(await lint("UPDATE settings SET value = 'x' WHERE id = 3;")).toEqual([]);
    expect(await lint("UPDATE settings SET name = 'y' WHERE tenant_id = 1 AND value = 'a';")).toEqual([]);
    // not unique on its own, or widened by OR: a table's worth of rows
    expect(await lint("UPDATE settings SET value = 'x' WHERE tenant_id = 1;")).toHaveLength(1);
    expect(await lint("DELETE FROM settings WHERE name = 'a' OR name = 'b';")).toHaveLength(1);
  });

  it('Laravel: ->where(col, v) on a unique column, find(), whereKey() are one row; an orWhere is not', async () => {
    const schema = "CREATE TABLE settings (id bigserial PRIMARY KEY, name varchar(80) NOT NULL, value text); CREATE UNIQUE INDEX settings_name_unique ON settings (name);";
    const rules = async (body: string) => (await lintLaravel(migration(body), 'postgres', schema)).filter((f) => f.rule === 'backfill-in-migration').length;
    expect(await rules("        DB::table('settings')->where('name', 'legacy')->delete();")).toBe(0);
    expect(await rules("        DB::table('settings')->where('settings.name', '=', 'legacy')->update(['value' => 'x']);")).toBe(0);
    expect(await rules("        DB::table('settings')->whereKey(3)->update(['value' => 'x']);")).toBe(0);
    expect(await rules("        DB::table('settings')->where('name', 'a')->orWhere('name', 'b')->delete();")).toBe(1);
    expect(await rules("        DB::table('settings')->where('value', 'a')->delete();")).toBe(1);
    expect(await rules("        DB::table('settings')->join('users', 'users.id', '=', 'settings.id')->where('users.id', 1)->delete();")).toBe(1);
  });
});
