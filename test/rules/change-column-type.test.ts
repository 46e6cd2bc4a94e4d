import { describe, expect, it } from 'vitest';
import { afterSchema, lintSql } from '../helpers.js';

describe('change-column-type', () => {
  it('fires on a PostgreSQL type change that rewrites the table', async () => {
    const f = await afterSchema('postgres', 'ALTER TABLE users ALTER COLUMN age TYPE bigint;', { rule: 'change-column-type' });
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'error', target: { table: 'users', column: 'age' } });
    expect(f[0]!.message).toBe('Changing users.age from integer to bigint. PostgreSQL rewrites the table and rebuilds its indexes while holding ACCESS EXCLUSIVE: every read and write waits until it ends.');
    expect(f[0]!.fix).toContain('ALTER TABLE users ADD COLUMN age_new bigint;');
  });

  it('fires on a narrowing that old code can overflow, with USING', async () => {
    const f = await afterSchema('postgres', 'ALTER TABLE users ALTER COLUMN email TYPE varchar(50) USING left(email, 50);', { rule: 'change-column-type' });
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('Values the old release writes may not fit varchar(50)');
  });

  it('stays quiet on binary-coercible widening (varchar 100 → 200, varchar → text)', async () => {
    const f = await afterSchema('postgres', 'ALTER TABLE users ALTER COLUMN email TYPE varchar(200);\nALTER TABLE users ALTER COLUMN status TYPE text;', { rule: 'change-column-type' });
    expect(f).toEqual([]);
  });

  it('fires on MySQL MODIFY that changes the type (ALGORITHM=COPY)', async () => {
    const f = await afterSchema('mysql', 'ALTER TABLE users MODIFY age bigint NULL;', { rule: 'change-column-type' });
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('MySQL copies the table (ALGORITHM=COPY): writes are blocked until the copy ends.');
  });

  it('fires on MySQL VARCHAR growth across the 255-byte length prefix (63 utf8mb4 characters), not beyond it', async () => {
    const across = await afterSchema('mysql', "ALTER TABLE users MODIFY status varchar(100) NOT NULL DEFAULT 'active';", { rule: 'change-column-type' });
    expect(across).toHaveLength(1);
    const within = await afterSchema('mysql', 'ALTER TABLE users MODIFY name varchar(500) NULL;', { rule: 'change-column-type' });
    expect(within).toEqual([]);
  });

  it('stays quiet on appending an ENUM member, fires on removing one', async () => {
    const append = await afterSchema('mysql', "ALTER TABLE users MODIFY kind enum('a','b','c') NOT NULL DEFAULT 'a';", { rule: 'change-column-type' });
    expect(append).toEqual([]);
    const remove = await afterSchema('mysql', "ALTER TABLE users MODIFY kind enum('a') NOT NULL DEFAULT 'a';", { rule: 'change-column-type' });
    expect(remove).toHaveLength(1);
  });

  it('warns when the previous definition is unknown', async () => {
    const f = await lintSql('mysql', 'ALTER TABLE invoices MODIFY amount decimal(12,2) NOT NULL;', { rule: 'change-column-type' });
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe('warning');
    expect(f[0]!.message).toContain('zdd has not seen its previous definition');
  });
});

describe('change-column-type on unknown tables', () => {
  it('warns on a PostgreSQL ALTER COLUMN TYPE of a column zdd has not seen', async () => {
    const f = await lintSql('postgres', 'ALTER TABLE scores ALTER COLUMN score TYPE bigint;', { rule: 'change-column-type' });
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe('warning');
    expect(f[0]!.message).toContain('scores.score gets type bigint, but zdd has not seen its previous definition');
  });
});
