import { describe, expect, it } from 'vitest';
import { afterSchema } from '../helpers.js';

describe('add-check-constraint', () => {
  it('fires on PostgreSQL ADD CHECK without NOT VALID', async () => {
    const f = await afterSchema('postgres', 'ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0);', { rule: 'add-check-constraint' });
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'error', target: { table: 'orders', constraint: 'orders_total_positive' } });
    expect(f[0]!.message).toContain('CHECK (total >= 0)');
    expect(f[0]!.fix).toContain('ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0) NOT VALID;');
    expect(f[0]!.fix).toContain('ALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;');
  });

  it('stays quiet on NOT VALID', async () => {
    expect(await afterSchema('postgres', 'ALTER TABLE orders ADD CONSTRAINT c CHECK (total >= 0) NOT VALID;', { rule: 'add-check-constraint' })).toEqual([]);
  });

  it('fires on MySQL enforced CHECK, quiet on NOT ENFORCED', async () => {
    expect(await afterSchema('mysql', 'ALTER TABLE users ADD CONSTRAINT age_ok CHECK (age >= 0);', { rule: 'add-check-constraint' })).toHaveLength(1);
    expect(await afterSchema('mysql', 'ALTER TABLE users ADD CONSTRAINT age_ok CHECK (age >= 0) NOT ENFORCED;', { rule: 'add-check-constraint' })).toEqual([]);
  });
});
