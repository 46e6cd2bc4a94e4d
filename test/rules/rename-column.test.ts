import { describe, expect, it } from 'vitest';
import { afterSchema } from '../helpers.js';

describe('rename-column', () => {
  it('fires on PostgreSQL RENAME COLUMN with an expand/contract fix that keeps the type', async () => {
    const f = await afterSchema('postgres', 'ALTER TABLE users RENAME COLUMN email TO email_address;', { rule: 'rename-column' });
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'error', target: { table: 'users', column: 'email' }, location: { line: 1 } });
    expect(f[0]!.message).toContain('Renaming users.email to email_address');
    expect(f[0]!.fix).toContain('ALTER TABLE users ADD COLUMN email_address varchar(100);');
    expect(f[0]!.fix).toContain('CREATE TRIGGER users_sync_email_address BEFORE INSERT OR UPDATE ON users');
    expect(f[0]!.fix).toContain('ALTER TABLE users DROP COLUMN email;');
  });

  it('fires on MySQL CHANGE old new (a rename inside a column redefinition)', async () => {
    const f = await afterSchema('mysql', 'ALTER TABLE users CHANGE name full_name varchar(255) NULL;', { rule: 'rename-column' });
    expect(f).toHaveLength(1);
    expect(f[0]!.target).toEqual({ table: 'users', column: 'name' });
    expect(f[0]!.fix).toContain('CREATE TRIGGER users_full_name_ins BEFORE INSERT ON users FOR EACH ROW SET NEW.full_name = COALESCE(NEW.full_name, NEW.name), NEW.name = COALESCE(NEW.name, NEW.full_name);');
  });

  it('stays quiet on MySQL CHANGE that keeps the name', async () => {
    const f = await afterSchema('mysql', 'ALTER TABLE users CHANGE name name varchar(255) NULL;', { rule: 'rename-column' });
    expect(f).toEqual([]);
  });
});
