import { describe, expect, it } from 'vitest';
import { afterSchema, lintSql } from '../helpers.js';

describe('add-not-null-column', () => {
  it('fires on PostgreSQL ADD COLUMN … NOT NULL without a default', async () => {
    const f = await afterSchema('postgres', 'ALTER TABLE orders ADD COLUMN currency char(3) NOT NULL;', { rule: 'add-not-null-column' });
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'error', target: { table: 'orders', column: 'currency' } });
    expect(f[0]!.message).toContain('fails outright if orders has any rows');
    expect(f[0]!.fix).toContain('ALTER TABLE orders ADD COLUMN currency char(3) NULL;');
  });

  it('fires on MySQL with the strict-mode insert failure in the message', async () => {
    const f = await afterSchema('mysql', 'ALTER TABLE users ADD COLUMN locale varchar(5) NOT NULL AFTER email;', { rule: 'add-not-null-column' });
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain("Field 'locale' doesn't have a default value");
  });

  it('stays quiet with a default, when nullable, or on a new table', async () => {
    expect(await afterSchema('postgres', "ALTER TABLE orders ADD COLUMN currency char(3) NOT NULL DEFAULT 'EUR';", { rule: 'add-not-null-column' })).toEqual([]);
    expect(await afterSchema('postgres', 'ALTER TABLE orders ADD COLUMN currency char(3);', { rule: 'add-not-null-column' })).toEqual([]);
    expect(await lintSql('postgres', 'CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN c int NOT NULL;', { rule: 'add-not-null-column' })).toEqual([]);
  });
});
