import { describe, expect, it } from 'vitest';
import { sqlRun, wrapComment } from '../../src/emit/steps.js';
import type { PlanStep } from '../../src/plan/types.js';

/** What the sh script and the Deployer recipe share: how a SQL step runs, and comment wrapping. */

const step = (over: Partial<PlanStep>): PlanStep => ({ phase: 'pre-swap', op: 'add-column', table: 'users', migration: 'm', why: '', kind: 'split', run: 'sql', transactional: true, locks: true, file: 'm.sql', line: 1, ...over });

describe('sqlRun', () => {
  it('PostgreSQL: one transaction only for more than one statement after the lock timeout and session settings; retried only when the step locks', () => {
    expect(sqlRun(step({ sql: ["SET lock_timeout = '5s'", 'SET search_path = app', 'ALTER TABLE users ADD COLUMN a int'] }), 'postgres')).toEqual({ kind: 'run', retry: true, body: "SET lock_timeout = '5s';\nSET search_path = app;\nALTER TABLE users ADD COLUMN a int;" });
    expect(sqlRun(step({ sql: ["SET lock_timeout = '5s'", 'ALTER TABLE users ADD COLUMN a int', "COMMENT ON COLUMN users.a IS 'x'"] }), 'postgres')).toEqual({ kind: 'run', retry: true, body: "BEGIN;\nSET lock_timeout = '5s';\nALTER TABLE users ADD COLUMN a int;\nCOMMENT ON COLUMN users.a IS 'x';\nCOMMIT;" });
    expect(sqlRun(step({ op: 'add-index', locks: false, transactional: false, sql: ['CREATE INDEX CONCURRENTLY i ON users (a)'] }), 'postgres')).toEqual({ kind: 'run', retry: false, body: 'CREATE INDEX CONCURRENTLY i ON users (a);' });
  });

  it('a batched step gets the range placeholders of the deploy code and quoted names; a verification its SELECT', () => {
    expect(sqlRun(step({ kind: 'backfill', locks: false, batch: { table: 'order', key: 'id', size: 500 }, sql: ['UPDATE `order` SET a = 1 WHERE id >= {from} AND id < {to}'] }), 'mysql')).toEqual({ kind: 'batched', table: '`order`', key: 'id', size: 500, body: 'UPDATE `order` SET a = 1 WHERE id >= __ZDD_FROM__ AND id < __ZDD_TO__;' });
    expect(sqlRun(step({ op: 'verify', locks: false, expect: '0', sql: ['SELECT COUNT(*) FROM users WHERE a IS NULL'] }), 'mysql')).toEqual({ kind: 'verify', expected: '0', select: 'SELECT COUNT(*) FROM users WHERE a IS NULL' });
  });
});

describe('wrapComment', () => {
  it('wraps at the width, every line with the prefix; a word longer than the width stays whole', () => {
    expect(wrapComment('#', 'one two three four', 12)).toEqual(['# one two', '# three four']);
    expect(wrapComment('//', `a ${'x'.repeat(20)} b`, 10)).toEqual(['// a', `// ${'x'.repeat(20)}`, '// b']);
    expect(wrapComment('--', '   ')).toEqual([]);
  });
});
