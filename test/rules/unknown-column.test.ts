import { describe, expect, it } from 'vitest';
import { commitAll, git, gitRepo, lintSql, runCli, writeTree } from '../helpers.js';
import { lintLaravel, migration } from '../laravel-helpers.js';

const rule = { rule: 'unknown-column' };

describe('unknown-column', () => {
  it('fires on a drop of a column the replayed table does not have, naming close matches', async () => {
    const f = await lintSql('postgres', { '1.sql': 'CREATE TABLE users (id bigserial PRIMARY KEY, name text, full_name text);', '2.sql': 'ALTER TABLE users DROP COLUMN nmae;' }, rule);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'warning', target: { table: 'users', column: 'nmae' }, location: { file: '2.sql', line: 1 } });
    expect(f[0]!.message).toBe('Dropping users.nmae, but users has no column nmae after the earlier migrations (users created in 1; it has name): the statement fails when it runs, and the deploy stops half-way.');
  });

  it('fires on a rename or an alter of a column an earlier migration renamed away (MySQL)', async () => {
    const history = { '1.sql': 'CREATE TABLE users (id int PRIMARY KEY, name varchar(40) NOT NULL);', '2.sql': 'ALTER TABLE users RENAME COLUMN name TO full_name;' };
    const modify = await lintSql('mysql', { ...history, '3.sql': 'ALTER TABLE users MODIFY name varchar(80) NOT NULL;' }, rule);
    const rename = await lintSql('mysql', { ...history, '3.sql': 'ALTER TABLE users RENAME COLUMN name TO display_name;' }, rule);
    expect([...modify, ...rename].map((x) => `${x.location.file}:${x.location.line} ${x.message.split(',')[0]}`)).toEqual(['3.sql:1 Altering users.name', '3.sql:1 Renaming users.name']);
    expect(modify[0]!.message).toContain('it has full_name');
  });

  it('stays quiet when the column exists, when guarded, on tables it never saw created, and after a statement it could not analyse', async () => {
    const create = 'CREATE TABLE users (id bigserial PRIMARY KEY, name text);';
    expect(await lintSql('postgres', { '1.sql': create, '2.sql': 'ALTER TABLE users DROP COLUMN name;' }, rule)).toEqual([]);
    expect(await lintSql('postgres', { '1.sql': create, '2.sql': 'ALTER TABLE users DROP COLUMN IF EXISTS legacy;' }, rule)).toEqual([]);
    expect(await lintSql('postgres', { '1.sql': 'ALTER TABLE orders DROP COLUMN legacy;' }, rule)).toEqual([]);
    // a DO block may have added the column: replay no longer knows the table's columns for sure
    const doBlock = "DO $$ BEGIN EXECUTE 'ALTER TABLE users ADD COLUMN legacy int'; END $$;";
    expect(await lintSql('postgres', { '1.sql': create, '2.sql': doBlock, '3.sql': 'ALTER TABLE users DROP COLUMN legacy;' }, rule)).toEqual([]);
  });

  it('stays quiet on tables whose columns the statement does not spell out: AS SELECT, LIKE an unseen table, PARTITION OF, INHERITS', async () => {
    const f = await lintSql(
      'postgres',
      {
        '1.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text);\nCREATE TABLE events (id bigint, at timestamptz NOT NULL, payload text) PARTITION BY RANGE (at);',
        '2.sql': "CREATE TABLE users_copy AS SELECT id, email FROM users;\nCREATE TABLE users_like (LIKE missing_tbl INCLUDING ALL);\nCREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\nCREATE TABLE child (extra int) INHERITS (events);",
        '3.sql': "ALTER TABLE users_copy DROP COLUMN email;\nALTER TABLE users_like DROP COLUMN foo;\nALTER TABLE events_2024 ALTER COLUMN payload SET NOT NULL;\nALTER TABLE child ALTER COLUMN payload SET DEFAULT 'x';\nALTER TABLE child DROP COLUMN nope;",
      },
      rule,
    );
    // the child of a known parent has the parent's columns: only a column neither has is unknown
    expect(f.map((x) => `${x.location.file}:${x.location.line} ${x.target.table}.${x.target.column}`)).toEqual(['3.sql:5 child.nope']);
  });

  it('Laravel: a Schema::hasColumn() guard keeps it quiet; an unguarded drop of a typo fires', async () => {
    const schema = 'CREATE TABLE users (id bigserial PRIMARY KEY, email varchar(255) NOT NULL);';
    const guarded = await lintLaravel(migration(`        if (Schema::hasColumn('users', 'legacy')) {\n            Schema::table('users', function (Blueprint $table) {\n                $table->dropColumn('legacy');\n            });\n        }`), 'postgres', schema);
    expect(guarded.filter((x) => x.rule === 'unknown-column')).toEqual([]);
    const typo = await lintLaravel(migration(`        Schema::table('users', function (Blueprint $table) {\n            $table->dropColumn('emial');\n        });`), 'postgres', schema);
    expect(typo.filter((x) => x.rule === 'unknown-column').map((x) => x.message)).toEqual([expect.stringContaining('users has no column emial after the earlier migrations (users created in 0000_schema; it has email)')]);
  });
});

describe('unknown-column when an earlier migration could not be read', () => {
  const create = "CREATE TABLE users (id bigserial PRIMARY KEY, email text);";
  const drop = "SET lock_timeout = '2s';\nALTER TABLE users DROP COLUMN nickname;";

  it('release mode: an unreadable history migration makes every table uncertain (quiet), --verbose says it was not replayed', () => {
    // 002 adds users.nickname, but PHP (and zdd) refuse it: the replay is short of the column
    const php = "<?php\nuse Illuminate\\Database\\Migrations\\Migration;\nuse Illuminate\\Database\\Schema\\Blueprint;\nuse Illuminate\\Support\\Facades\\Schema;\nreturn new class extends Migration {\n    public function up(): void {\n        Schema::table('users', function (Blueprint $table) { $table->text('nickname')->nullable() });\n    }\n};\n";
    const dir = gitRepo({ 'db/001.sql': create, 'db/002.php': php });
    git(dir, 'checkout', '-q', '-b', 'feature');
    writeTree(dir, { 'db/003.sql': drop });
    commitAll(dir, 'drop');
    const r = runCli(['lint', '--base', 'main', 'db', '--dialect', 'postgres', '--format', 'json', '--verbose'], { cwd: dir });
    expect(r.stderr).toContain('zdd: db/002.php: not replayed (PHP syntax error:');
    expect(JSON.parse(r.stdout).findings.map((f: { rule: string }) => f.rule)).not.toContain('unknown-column');
    expect(r.code).toBe(0);
  });

  it('path mode: an unreadable file is a problem (exit 2) and no unknown-column is guessed from the short replay', async () => {
    const r = await lintSql('postgres', { '001.sql': create, '003.sql': drop }, rule);
    // without the unreadable file the rule does fire: the check below is about the gap only
    expect(r).toHaveLength(1);
    const dir = gitRepo({ 'db/001.sql': create, 'db/002.sql': Buffer.from([0x00, 0x01, 0x02]), 'db/003.sql': drop });
    const cli = runCli(['lint', 'db', '--dialect', 'postgres', '--format', 'json'], { cwd: dir });
    expect(cli.code).toBe(2);
    expect(JSON.parse(cli.stdout).findings.map((f: { rule: string }) => f.rule)).not.toContain('unknown-column');
  });
});
