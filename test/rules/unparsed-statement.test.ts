import { describe, expect, it } from 'vitest';
import { lintSql } from '../helpers.js';

describe('unparsed-statement', () => {
  it('reports PostgreSQL syntax errors with the parser message and position', async () => {
    const f = await lintSql('postgres', 'ALTER TABLE users ADD COLUMN;\nALTER TABLE users DROP COLUMN x;', { rule: 'unparsed-statement' });
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'warning', location: { line: 1, col: 1 }, target: { table: 'users' } });
    expect(f[0]!.message).toBe('zdd could not analyse this (table users): syntax error at end of input (line 1, column 28). It was not checked for locks or breaking changes.');
  });

  it('reports DO blocks and MySQL CALL as not analysed', async () => {
    expect(await lintSql('postgres', "DO $$ BEGIN EXECUTE 'ALTER TABLE x DROP COLUMN y'; END $$;", { rule: 'unparsed-statement' })).toHaveLength(1);
    const call = await lintSql('mysql', 'CALL migrate_accounts();', { rule: 'unparsed-statement' });
    expect(call[0]!.message).toContain('CALL runs a stored procedure');
  });

  it('reports a MySQL statement neither parser knows, with both reasons', async () => {
    const f = await lintSql('mysql', 'ALTER TABLE users FROBNICATE;', { rule: 'unparsed-statement' });
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('unknown ALTER TABLE clause "FROBNICATE"');
  });

  it('reports an unterminated string and keeps the statements before it', async () => {
    const f = await lintSql('postgres', "ALTER TABLE users DROP COLUMN a;\nUPDATE users SET name = 'oops;\n");
    expect(f.map((x) => x.rule)).toContain('drop-column');
    const u = f.find((x) => x.rule === 'unparsed-statement')!;
    expect(u.location.line).toBe(2);
    expect(u.message).toContain('unterminated string literal');
  });

  it('can be suppressed with a reason', async () => {
    expect(await lintSql('postgres', '-- zdd-ignore unparsed-statement: checked by hand\nDO $$ BEGIN NULL; END $$;')).toEqual([]);
  });
});
