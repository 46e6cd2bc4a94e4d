import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, tempTree } from '../helpers.js';

describe('zdd lint (built binary)', () => {
  it('lints the bundled PostgreSQL sample with its config: findings on stdout, exit 1', () => {
    const r = runCli(['lint', 'fixtures/sql/shop-postgres']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('fixtures/sql/shop-postgres/migrations/V4__checkout_rework.sql:2:1  error  rename-column');
    expect(r.stdout).toContain('fixtures/sql/shop-postgres/migrations/V4__checkout_rework.sql:10:1  error  blocking-index-build');
    expect(r.stdout).toContain('      CREATE INDEX CONCURRENTLY orders_status_index ON orders (status);');
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('✖ 5 errors, 3 warnings in 4 migrations');
  });

  it('prints the JSON contract', () => {
    const r = runCli(['lint', 'fixtures/sql/shop-postgres', '--format', 'json']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(Object.keys(json)).toEqual(['version', 'dialect', 'findings', 'summary']);
    expect(json.version).toBe(1);
    expect(json.dialect).toBe('postgres');
    expect(json.summary).toEqual({ files: 4, migrations: 4, errors: 5, warnings: 3 });
    expect(json.findings[1]).toEqual({
      rule: 'rename-column',
      severity: 'error',
      message: expect.stringContaining('Renaming customers.full_name to display_name'),
      fix: expect.stringContaining('ALTER TABLE customers ADD COLUMN display_name text;'),
      location: { file: 'fixtures/sql/shop-postgres/migrations/V4__checkout_rework.sql', line: 2, col: 1 },
      target: { table: 'customers', column: 'full_name' },
      migration: 'V4__checkout_rework',
    });
  });

  it('exits 0 when nothing reaches --fail-on, 1 when warnings count', () => {
    const dir = tempTree({ 'm/001.sql': 'CREATE TABLE t (id int);\n', 'm/002.sql': 'ALTER TABLE t ADD COLUMN c int;\n' });
    const ok = runCli(['lint', 'm', '--dialect', 'postgres'], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('⚠ 1 warning in 2 migrations');
    const strict = runCli(['lint', 'm', '--dialect', 'postgres', '--fail-on', 'warning'], { cwd: dir });
    expect(strict.code).toBe(1);
  });

  it('prints "no findings" and exits 0 on a clean migration', () => {
    const dir = tempTree({ '001.sql': "SET lock_timeout = '2s';\nCREATE TABLE t (id int);\n" });
    const r = runCli(['lint', '001.sql', '--dialect', 'mysql'], { cwd: dir });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe('✔ no findings in 1 migration\n');
  });

  it('zdd-ignore-file without rules silences the whole file; broken comments are unused-ignore findings, worded as in zdd doctor', () => {
    const dropAll = 'ALTER TABLE users DROP COLUMN legacy_id;\nTRUNCATE sessions;\n';
    const dir = tempTree({ 'm/001.sql': `-- zdd-ignore-file: one-off cleanup, run in the maintenance window\n${dropAll}`, 'm/002.sql': `-- zdd-ignore-file\n-- zdd-ignore: no rule\n${dropAll}` });
    const r = runCli(['lint', 'm', '--dialect', 'postgres', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.stdout).findings as Array<{ rule: string; message: string; location: { file: string; line: number } }>;
    expect(findings.filter((f) => f.location.file === 'm/001.sql')).toEqual([]);
    expect(findings.filter((f) => f.rule === 'unused-ignore').map((f) => [f.location.line, f.message])).toEqual([
      [1, 'zdd-ignore-file needs a reason: write `zdd-ignore-file: <why this is safe>`'],
      [2, 'zdd-ignore names no rule: write `zdd-ignore <rule>: <reason>`'],
    ]);
    expect(findings.some((f) => f.rule === 'drop-column' && f.location.file === 'm/002.sql')).toBe(true);
  });

  it('applies the dialect version: INSTANT ADD COLUMN … AFTER needs MySQL 8.0.29', () => {
    const dir = tempTree({ '1.sql': 'CREATE TABLE t (id int, a int);', '2.sql': 'SET lock_wait_timeout = 5;\nALTER TABLE t ADD COLUMN b int AFTER id, ALGORITHM=INSTANT;' });
    expect(runCli(['lint', '.', '--dialect', 'mysql', '--db-version', '8.0.35'], { cwd: dir }).code).toBe(0);
    const old = runCli(['lint', '.', '--dialect', 'mysql', '--db-version', '8.0.20', '--format', 'json'], { cwd: dir });
    expect(old.code).toBe(1);
    const [finding] = JSON.parse(old.stdout).findings;
    expect(finding.rule).toBe('table-rewrite');
    expect(finding.message).toContain('the server cannot do this with ALGORITHM=INSTANT (it needs INPLACE) and will refuse the statement');
  });

  it('bad input: unparseable SQL is a finding, a binary, missing or huge file is an error (exit 2) that hides no findings', () => {
    const dir = tempTree({
      'm/001_ok.sql': 'CREATE TABLE t (id int);\n',
      'm/002_drop.sql': "SET lock_timeout='1s';\nALTER TABLE t DROP COLUMN id;\n",
      'm/003_broken.sql': 'ALTER TABLE t ADD COLUMN;\n',
      'm/004_binary.sql': Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x01]),
    });
    writeFileSync(join(dir, 'm/005_huge.sql'), Buffer.alloc(6 * 1024 * 1024, 0x20));
    const r = runCli(['lint', 'm', 'missing.sql', '--dialect', 'postgres', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(2);
    const json = JSON.parse(r.stdout);
    expect(json.findings.map((f: { rule: string }) => f.rule)).toEqual(['drop-column', 'unparsed-statement']);
    expect(r.stderr.trim().split('\n')).toEqual([
      'zdd: missing.sql: no such file or directory',
      'zdd: m/004_binary.sql: binary file (contains NUL bytes), not a migration',
      'zdd: m/005_huge.sql: too large to be a migration (6.0 MB; the limit is 5 MB)',
    ]);
    expect(json.problems).toHaveLength(3);
  });

  it('bad input on MySQL and MariaDB: a typo is an unparsed-statement finding, never a silent skip', () => {
    const dir = tempTree({ 'm/001.sql': 'ALTER TABEL users DROP COLUMN x;\nCREATE TABLE t (id int;\n' });
    for (const dialect of ['mysql', 'mariadb']) {
      const r = runCli(['lint', 'm', '--dialect', dialect, '--format', 'json'], { cwd: dir });
      expect(r.code).toBe(0); // unparsed-statement is a warning
      expect(r.stderr).toBe('');
      const json = JSON.parse(r.stdout);
      expect(json.findings.map((f: { rule: string; location: { line: number } }) => `${f.rule} ${f.location.line}`)).toEqual(['unparsed-statement 1', 'unparsed-statement 2']);
      expect(json.findings[0].message).toContain('unknown ALTER statement "ALTER TABEL"');
      expect(json.findings[1].message).toContain('unclosed parenthesis');
    }
  });

  it('a named pipe is refused (exit 2), not read forever; the other files are still linted', () => {
    const dir = tempTree({ 'm/001.sql': 'ALTER TABLE t DROP COLUMN c;\n' });
    if (spawnSync('mkfifo', [join(dir, 'm/002_pipe.sql')]).status !== 0) return;
    const r = runCli(['lint', 'm/001.sql', 'm/002_pipe.sql', '--dialect', 'mysql', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('zdd: m/002_pipe.sql: not a regular file (a pipe, socket or device): not a migration\n');
    expect(JSON.parse(r.stdout).findings.map((f: { rule: string }) => f.rule)).toContain('drop-column');
    // in a folder, only files are migrations
    expect(runCli(['lint', 'm', '--dialect', 'mysql'], { cwd: dir }).code).toBe(0);
  });

  it('a reader that closes the pipe early ends zdd quietly', () => {
    for (const cmd of ['rules', 'explain drop-column', 'lint fixtures/laravel/shop']) {
      const r = spawnSync('bash', ['-c', `node dist/zdd.js ${cmd} | head -c 10 >/dev/null; exit \${PIPESTATUS[0]}`], { cwd: ROOT, encoding: 'utf8' });
      expect(r.stderr, cmd).toBe('');
      expect(r.status, cmd).not.toBe(2);
    }
  });

  it('an unreadable file is reported by name', () => {
    if (process.getuid?.() === 0) return; // root reads everything
    const dir = tempTree({ 'a.sql': 'SELECT 1;' });
    chmodSync(join(dir, 'a.sql'), 0o000);
    const r = runCli(['lint', 'a.sql', '--dialect', 'postgres'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('zdd: a.sql: cannot read (EACCES)');
  });

  it('usage errors: one line on stderr, exit 2, no stack trace', () => {
    const cases: Array<[string[], string]> = [
      [['lint', 'fixtures/sql/shop-postgres', '--dialect', 'oracle'], "zdd: option '--dialect <dialect>' argument 'oracle' is invalid"],
      [['lint', 'fixtures/sql/shop-postgres', '--db-version', '9.6'], 'zdd: postgres 9.6 is outside what zdd knows (PostgreSQL 12–17)'],
      [['lint', 'fixtures/sql/shop-postgres', '--format', 'xml'], "zdd: option '--format <format>' argument 'xml' is invalid"],
      [['frobnicate'], "zdd: unknown command 'frobnicate'"],
    ];
    for (const [args, expected] of cases) {
      const r = runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(expected);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('asks for the dialect when nothing tells it', () => {
    const dir = tempTree({ 'x.sql': 'SELECT 1;' });
    const r = runCli(['lint', 'x.sql'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("zdd: cannot tell which database the migrations run on: pass --dialect mysql|mariadb|postgres, set \"dialect\" in zdd.config.json, or name the database in the app's .env (DB_CONNECTION for Laravel, DATABASE_URL for Symfony)\n");
  });

  it('reports an invalid zdd.config.json clearly', () => {
    const dir = tempTree({ 'zdd.config.json': '{ "dialect": "postgres", "rules": { "drop-colum": "off" } }', 'x.sql': 'SELECT 1;' });
    const r = runCli(['lint', 'x.sql'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/zdd: .*zdd\.config\.json: unknown rule "drop-colum" in "rules" \(see `zdd rules`\)\n$/);
    const broken = tempTree({ 'zdd.config.json': '{ "dialect": ', 'x.sql': 'SELECT 1;' });
    expect(runCli(['lint', 'x.sql'], { cwd: broken }).stderr).toMatch(/zdd\.config\.json: invalid JSON/);
  });

  it('config turns rules off and changes severities', () => {
    const dir = tempTree({
      'zdd.config.json': JSON.stringify({ dialect: 'postgres', rules: { 'missing-lock-timeout': 'off', 'drop-column': 'error' } }),
      'm/1.sql': 'CREATE TABLE t (id int, a int);',
      'm/2.sql': 'ALTER TABLE t DROP COLUMN a;',
    });
    const r = runCli(['lint', 'm', '--format', 'json'], { cwd: dir });
    const json = JSON.parse(r.stdout);
    expect(json.findings.map((f: { rule: string; severity: string }) => `${f.rule}:${f.severity}`)).toEqual(['drop-column:error']);
    expect(r.code).toBe(1);
  });

  it('finds conventional migration folders when given no paths', () => {
    const dir = tempTree({ 'zdd.config.json': '{ "dialect": "mysql" }', 'db/migrations/1.sql': 'TRUNCATE users;' });
    const r = runCli(['lint', '--format', 'json'], { cwd: dir });
    expect(JSON.parse(r.stdout).findings.map((f: { rule: string }) => f.rule)).toContain('truncate-table');
    const empty = tempTree({ 'zdd.config.json': '{ "dialect": "mysql" }' });
    const e = runCli(['lint'], { cwd: empty });
    expect(e.code).toBe(2);
    expect(e.stderr).toContain('zdd: no migrations to lint');
  });

  it('github, sarif and markdown formats', () => {
    const gh = runCli(['lint', 'fixtures/sql/shop-postgres', '--format', 'github']);
    expect(gh.stdout.split('\n')[0]).toMatch(/^::warning file=fixtures\/sql\/shop-postgres\/migrations\/V4__checkout_rework\.sql,line=2,col=1,title=zdd missing-lock-timeout::/);
    const sarif = JSON.parse(runCli(['lint', 'fixtures/sql/shop-postgres', '--format', 'sarif']).stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results).toHaveLength(8);
    expect(sarif.runs[0].results[1]).toMatchObject({ ruleId: 'rename-column', level: 'error', locations: [{ physicalLocation: { region: { startLine: 2 } } }] });
    const md = runCli(['lint', 'fixtures/sql/shop-postgres', '--format', 'markdown']).stdout;
    expect(md.split('\n')[0]).toBe('### zdd lint: 5 errors, 3 warnings (postgres)');
    expect(md).toContain('| 🛑 | `rename-column` | `fixtures/sql/shop-postgres/migrations/V4__checkout_rework.sql:2` |');
  });

  it('honours NO_COLOR and colours otherwise when forced', () => {
    const plain = runCli(['lint', 'fixtures/sql/shop-postgres']);
    expect(plain.stdout).not.toContain('\u001b[');
    const coloured = runCli(['lint', 'fixtures/sql/shop-postgres'], { env: { NO_COLOR: '', FORCE_COLOR: '1' } });
    expect(coloured.stdout).toContain('\u001b[31merror\u001b[39m');
  });
});

describe('zdd rules / explain / --version', () => {
  it('lists every rule', () => {
    const r = runCli(['rules', '--format', 'json']);
    expect(r.code).toBe(0);
    const ids = JSON.parse(r.stdout).map((x: { id: string }) => x.id);
    expect(ids).toEqual(expect.arrayContaining(['drop-column', 'rename-column', 'unused-ignore', 'missing-lock-timeout']));
    expect(runCli(['rules']).stdout).toMatch(/drop-column +warning +A column is dropped/);
  });

  it('explains a rule from its doc, and rejects unknown ids', () => {
    const r = runCli(['explain', 'drop-column']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('# drop-column');
    const bad = runCli(['explain', 'drop-colum']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('zdd: unknown rule "drop-colum" (did you mean drop-column, drop-column-default, drop-table?); `zdd rules` lists them\n');
  });

  it('prints the version', () => {
    const r = runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
