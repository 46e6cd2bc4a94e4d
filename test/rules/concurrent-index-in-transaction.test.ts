import { describe, expect, it } from 'vitest';
import { afterSchema } from '../helpers.js';

describe('concurrent-index-in-transaction', () => {
  it('fires on CREATE INDEX CONCURRENTLY inside BEGIN … COMMIT', async () => {
    const f = await afterSchema('postgres', 'BEGIN;\nCREATE INDEX CONCURRENTLY users_age ON users (age);\nCOMMIT;', { rule: 'concurrent-index-in-transaction' });
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'error', location: { line: 2 }, target: { table: 'users', index: 'users_age' } });
    expect(f[0]!.message).toContain('it sits inside a BEGIN … COMMIT block');
  });

  it('fires when the SQL runner wraps files in a transaction (sql.transactional)', async () => {
    const f = await afterSchema('postgres', 'DROP INDEX CONCURRENTLY orders_user_id_index;', { rule: 'concurrent-index-in-transaction', config: { sql: { transactional: true } } });
    expect(f).toHaveLength(1);
  });

  it('stays quiet outside a transaction', async () => {
    expect(await afterSchema('postgres', 'BEGIN;\nALTER TABLE users ADD COLUMN x int;\nCOMMIT;\nCREATE INDEX CONCURRENTLY users_age ON users (age);', { rule: 'concurrent-index-in-transaction' })).toEqual([]);
  });
});
