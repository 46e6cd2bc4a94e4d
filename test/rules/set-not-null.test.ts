import { describe, expect, it } from 'vitest';
import { afterSchema } from '../helpers.js';

describe('set-not-null', () => {
  it('fires on PostgreSQL SET NOT NULL with the CHECK NOT VALID recipe', async () => {
    const f = await afterSchema('postgres', 'ALTER TABLE users ALTER COLUMN name SET NOT NULL;', { rule: 'set-not-null' });
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'error', target: { table: 'users', column: 'name' } });
    expect(f[0]!.fix).toContain('ALTER TABLE users ADD CONSTRAINT users_name_not_null CHECK (name IS NOT NULL) NOT VALID;');
    expect(f[0]!.fix).toContain('ALTER TABLE users VALIDATE CONSTRAINT users_name_not_null;');
  });

  it('stays quiet when a validated CHECK (col IS NOT NULL) exists (PostgreSQL 12+ skips the scan)', async () => {
    const f = await afterSchema(
      'postgres',
      'ALTER TABLE users ADD CONSTRAINT users_name_nn CHECK (name IS NOT NULL) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT users_name_nn;\nALTER TABLE users ALTER COLUMN name SET NOT NULL;',
      { rule: 'set-not-null' },
    );
    expect(f).toEqual([]);
  });

  it('warns on MySQL MODIFY that makes a nullable column NOT NULL', async () => {
    const f = await afterSchema('mysql', 'ALTER TABLE users MODIFY name varchar(255) NOT NULL;', { rule: 'set-not-null' });
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe('warning');
    expect(f[0]!.message).toContain('fails if any row still holds NULL');
  });

  it('stays quiet on MySQL MODIFY restating a column that is already NOT NULL', async () => {
    const f = await afterSchema('mysql', "ALTER TABLE users MODIFY status varchar(20) NOT NULL DEFAULT 'active';", { rule: 'set-not-null' });
    expect(f).toEqual([]);
  });
});

describe('set-not-null with an unvalidated CHECK', () => {
  it('still fires when the CHECK (col IS NOT NULL) is NOT VALID and never validated', async () => {
    const f = await afterSchema('postgres', 'ALTER TABLE users ADD CONSTRAINT users_name_nn CHECK (name IS NOT NULL) NOT VALID;\nALTER TABLE users ALTER COLUMN name SET NOT NULL;', { rule: 'set-not-null' });
    expect(f).toHaveLength(1);
  });
});
