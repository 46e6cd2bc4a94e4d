import { describe, expect, it } from 'vitest';
import { afterSchema } from '../helpers.js';

describe('unused-ignore', () => {
  it('a used ignore with a reason suppresses the finding and reports nothing', async () => {
    const f = await afterSchema('postgres', "SET lock_timeout = '2s';\n-- zdd-ignore drop-column: column unused since v3.2\nALTER TABLE users DROP COLUMN name;");
    expect(f).toEqual([]);
  });

  it('a trailing ignore comment applies to the statement on its line', async () => {
    const f = await afterSchema('postgres', "SET lock_timeout = '2s';\nALTER TABLE users DROP COLUMN name; -- zdd-ignore drop-column: unused since v3.2");
    expect(f).toEqual([]);
  });

  it('reports an ignore that suppresses nothing', async () => {
    const f = await afterSchema('postgres', "SET lock_timeout = '2s';\n-- zdd-ignore drop-table: not needed\nALTER TABLE users DROP COLUMN name;");
    expect(f.map((x) => [x.rule, x.location.line])).toEqual([
      ['unused-ignore', 2],
      ['drop-column', 3],
    ]);
    expect(f[0]!.message).toBe('zdd-ignore drop-table suppresses nothing: no such finding on the next statement');
  });

  it('an ignore without a reason does not suppress, and says a reason is required', async () => {
    const f = await afterSchema('postgres', "SET lock_timeout = '2s';\n-- zdd-ignore drop-column\nALTER TABLE users DROP COLUMN name;");
    expect(f.map((x) => x.rule)).toEqual(['unused-ignore', 'drop-column']);
    expect(f[0]!.message).toContain('zdd-ignore needs a reason');
  });

  it('reports unknown rule names', async () => {
    const f = await afterSchema('postgres', "SET lock_timeout = '2s';\n-- zdd-ignore drop-colum: typo\nALTER TABLE users DROP COLUMN name;", { rule: 'unused-ignore' });
    expect(f[0]!.message).toBe('zdd-ignore names an unknown rule: drop-colum (see `zdd rules`)');
  });

  it('several rules in one comment, and a file-wide ignore', async () => {
    expect(await afterSchema('postgres', '-- zdd-ignore drop-column, missing-lock-timeout: contract step of PR #41\nALTER TABLE users DROP COLUMN name;')).toEqual([]);
    expect(await afterSchema('postgres', '-- zdd-ignore-file missing-lock-timeout: run with a session default\nALTER TABLE users ADD COLUMN a int;\nALTER TABLE orders ADD COLUMN b int;')).toEqual([]);
  });
});

describe('unused-ignore for file-wide comments', () => {
  it('names the file-wide comment', async () => {
    const f = await afterSchema('postgres', "-- zdd-ignore-file truncate-table: nightly reset\nSET lock_timeout = '1s';\nALTER TABLE users ADD COLUMN a int;", { rule: 'unused-ignore' });
    expect(f[0]!.message).toBe('zdd-ignore-file truncate-table suppresses nothing: no such finding in this file');
  });
});
