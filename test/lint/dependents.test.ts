import { describe, expect, it } from 'vitest';
import { defaultTarget } from '../../src/dialects/index.js';
import type { Migration } from '../../src/ir/types.js';
import { lintMigrations } from '../../src/lint/run.js';
import type { Dependent, Finding } from '../../src/lint/types.js';
import { prepareSqlParser, readSqlText } from '../../src/readers/sql/read.js';
import { MIGRATION_RULES, PG_SCHEMA } from '../helpers.js';

/** Lints `change` after the shared schema, in release mode, with these code dependents. */
async function lintWith(change: string, deps: Record<string, Dependent[]>, rule: string): Promise<Finding[]> {
  await prepareSqlParser('postgres');
  const migrations: Migration[] = Object.entries({ '0001_schema.sql': PG_SCHEMA, '0002_change.sql': `SET lock_timeout = '2s';\n${change}` }).map(([name, sql]) => {
    const r = readSqlText(sql, { file: name, dialect: 'postgres' });
    return { id: name.replace('.sql', ''), file: name, format: 'sql', transactional: false, ops: r.ops, suppressions: r.suppressions };
  });
  const findings = lintMigrations(migrations, {
    target: defaultTarget('postgres'),
    rules: MIGRATION_RULES,
    config: {},
    changed: new Set(['0002_change']),
    newTableScope: 'release',
    dependents: (table, column) => deps[column ? `${table}.${column}` : table] ?? [],
  });
  return findings.filter((f) => f.rule === rule);
}

const dep = (release: 'old' | 'new', file: string, line: number, text: string, extra: Partial<Dependent> = {}): Dependent => ({ release, file, line, text, confidence: 'high', production: true, kind: 'query', ...extra });

describe('dependents make destructive changes errors', () => {
  it('a drop nobody references stays a warning: it is the contract step', async () => {
    const [f] = await lintWith('ALTER TABLE users DROP COLUMN age;', {}, 'drop-column');
    expect(f).toMatchObject({ severity: 'warning', message: expect.stringMatching(/^Dropping users\.age:/) });
    expect(f!.dependents).toBeUndefined();
  });

  it('the running release using it: error, naming the line and what to do', async () => {
    const d = dep('old', 'app/Models/User.php', 12, "protected $fillable = ['age'];", { kind: 'model-property' });
    const [f] = await lintWith('ALTER TABLE users DROP COLUMN age;', { 'users.age': [d] }, 'drop-column');
    expect(f!.severity).toBe('error');
    expect(f!.message).toMatch(/^The running release uses users\.age \(app\/Models\/User\.php:12: protected \$fillable = \['age'\];\): its requests fail from the moment this migration runs until the swap, and old workers keep failing until they restart\. Ship the code without it first, then drop the column in a later release\. Dropping users\.age:/);
    expect(f!.dependents).toEqual([d]);
  });

  it('the new release using it: this deploy breaks it; named before the old release', async () => {
    const deps = [dep('old', 'a.php', 1, 'old use'), dep('new', 'b.php', 2, 'new use'), dep('new', 'c.php', 3, 'another')];
    const [f] = await lintWith('DROP TABLE teams;', { teams: [deps[1]!, deps[2]!, deps[0]!] }, 'drop-table');
    expect(f!.severity).toBe('error');
    expect(f!.message).toMatch(/^The new release still uses table teams \(b\.php:2: new use\) \(and 1 more\): this deploy breaks it\. Remove that use first, ship it, and drop the table in a later release\./);
  });

  it('only tests, seeders, weak matches or other migrations: listed, the severity stays', async () => {
    const test = dep('new', 'tests/UserTest.php', 5, "User::factory()->create(['age' => 3])", { production: false, confidence: 'low' });
    const template = dep('old', 'resources/views/u.blade.php', 2, '{{ $user->age }}', { confidence: 'low', kind: 'template' });
    const [f] = await lintWith('ALTER TABLE users DROP COLUMN age;', { 'users.age': [test, template] }, 'drop-column');
    expect(f!.severity).toBe('warning');
    expect(f!.message).toMatch(/^Only tests, seeders or weak matches mention users\.age \(tests\/UserTest\.php:5: User::factory\(\)->create\(\['age' => 3\]\)\) \(and 1 more\): update them with this change\./);

    const created = dep('old', 'db/0001.sql', 1, 'CREATE TABLE users (…)', { production: false, confidence: 'low', migration: true, kind: 'raw-sql' });
    const [g] = await lintWith('ALTER TABLE users DROP COLUMN age;', { 'users.age': [created] }, 'drop-column');
    expect(g).toMatchObject({ severity: 'warning', message: expect.stringMatching(/^Dropping users\.age:/), dependents: [created] });
  });

  it('a type change lists the code that uses the column without changing its severity', async () => {
    const d = dep('old', 'app/Report.php', 7, 'SELECT sum(age) FROM users');
    const [f] = await lintWith('ALTER TABLE users ALTER COLUMN age TYPE bigint;', { 'users.age': [d] }, 'change-column-type');
    expect(f!.severity).toBe('error');
    expect(f!.message).toMatch(/^Code uses users\.age in the running release \(app\/Report\.php:7: SELECT sum\(age\) FROM users\): check that it reads and writes values of the new type\. Changing users\.age from integer to bigint\./);
  });
});
