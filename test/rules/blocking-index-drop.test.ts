import { describe, expect, it } from 'vitest';
import { afterSchema } from '../helpers.js';

describe('blocking-index-drop', () => {
  it('fires on DROP INDEX without CONCURRENTLY and resolves the table from replay', async () => {
    const f = await afterSchema('postgres', 'DROP INDEX orders_user_id_index;', { rule: 'blocking-index-drop' });
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'warning', target: { table: 'orders', index: 'orders_user_id_index' } });
    expect(f[0]!.fix).toContain('DROP INDEX CONCURRENTLY orders_user_id_index;');
  });

  it('stays quiet on DROP INDEX CONCURRENTLY, and on MySQL', async () => {
    expect(await afterSchema('postgres', 'DROP INDEX CONCURRENTLY IF EXISTS orders_user_id_index;', { rule: 'blocking-index-drop' })).toEqual([]);
    expect(await afterSchema('mysql', 'DROP INDEX posts_user_id_index ON posts;', { rule: 'blocking-index-drop' })).toEqual([]);
  });
});
