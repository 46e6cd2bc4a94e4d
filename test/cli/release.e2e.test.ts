import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitAll, git, releaseRepo, ROOT, runCli, tempTree } from '../helpers.js';

const V1 = join(ROOT, 'fixtures/releases/laravel/v1');
const V2 = join(ROOT, 'fixtures/releases/laravel/v2');

interface JsonFinding {
  rule: string;
  severity: string;
  message: string;
  target: { table: string; column?: string };
  location: { file: string; line: number };
  dependents?: Array<{ release: string; file: string; line: number; text: string; confidence: string; production: boolean; kind: string; migration?: boolean }>;
}

/** The deployed release (v1) committed on main; `v2` (the change) on a feature branch, committed unless `commit` is false. */
const laravelRepo = (commit = true): string => releaseRepo(V1, V2, commit);

const compact = (f: JsonFinding): string[] => (f.dependents ?? []).map((d) => `${d.release} ${d.file}:${d.line} ${d.confidence}${d.production ? '' : ' non-prod'}${d.migration ? ' migration' : ''} ${d.kind}`);

const LEGACY_ID_OLD = [
  'old app/Http/Controllers/UserController.php:21 high query',
  'old app/Http/Controllers/UserController.php:40 high raw-sql',
  'old app/Models/User.php:18 high model-property',
  'old app/Services/LegacySync.php:12 high query',
  'new database/factories/UserFactory.php:16 low non-prod attribute-write',
  'new tests/Feature/UserTest.php:12 low non-prod attribute-write',
  'old database/factories/UserFactory.php:16 low non-prod attribute-write',
  'old tests/Feature/UserTest.php:12 low non-prod attribute-write',
  'new database/migrations/2024_01_01_000000_create_users_table.php:18 low non-prod migration schema',
  'old database/migrations/2024_01_01_000000_create_users_table.php:18 low non-prod migration schema',
];

function expectLaravelFindings(stdout: string): void {
  const json = JSON.parse(stdout) as { findings: JsonFinding[]; summary: object };
  const drops = json.findings.filter((f) => f.rule === 'drop-column');
  expect(drops.map((f) => `${f.severity} ${f.target.table}.${f.target.column}`)).toEqual(['error users.legacy_id', 'error users.nickname', 'warning teams.status']);
  const [legacy, nickname, status] = drops as [JsonFinding, JsonFinding, JsonFinding];
  // the old release still reads legacy_id: the drop must wait for a later release
  expect(legacy.message).toMatch(/^The running release uses users\.legacy_id \(app\/Http\/Controllers\/UserController\.php:21: return User::where\('legacy_id', \$legacy\)->firstOrFail\(\);\) \(and 3 more\): its requests fail from the moment this migration runs until the swap, and old workers keep failing until they restart\. Ship the code without it first, then drop the column in a later release\. Dropping users\.legacy_id:/);
  expect(compact(legacy)).toEqual(LEGACY_ID_OLD);
  expect(legacy.dependents![0]).toEqual({ release: 'old', file: 'app/Http/Controllers/UserController.php', line: 21, text: "return User::where('legacy_id', $legacy)->firstOrFail();", confidence: 'high', production: true, kind: 'query' });
  // the new release still uses nickname: this deploy is simply broken
  expect(nickname.message).toMatch(/^The new release still uses users\.nickname \(app\/Http\/Controllers\/UserController\.php:21: \$user->nickname = \$request->nickname;\) \(and 2 more\): this deploy breaks it\. Remove that use first, ship it, and drop the column in a later release\./);
  expect(compact(nickname).slice(0, 6)).toEqual([
    'new app/Http/Controllers/UserController.php:21 high attribute-write',
    'new app/Models/User.php:28 high model-property',
    'new app/Models/User.php:43 high attribute-read',
    'old app/Http/Controllers/UserController.php:26 high attribute-write',
    'old app/Models/User.php:29 high model-property',
    'old app/Models/User.php:44 high attribute-read',
  ]);
  // teams.status: only the migration that created it names it (orders.status, $order->status are another table's): the contract step stays a warning
  expect(status.message).toMatch(/^Dropping teams\.status:/);
  expect(compact(status)).toEqual([
    'new database/migrations/2024_01_01_000001_create_teams_table.php:14 low non-prod migration schema',
    'old database/migrations/2024_01_01_000001_create_teams_table.php:14 low non-prod migration schema',
  ]);
  expect(json.summary).toEqual({ files: 1, migrations: 1, errors: 2, warnings: 2 });
}

/** Two release directories: `current` (V1) and `next` (V1 with V2 over it). */
function currentAndNext(): string {
  const root = tempTree({});
  cpSync(V1, join(root, 'current'), { recursive: true });
  cpSync(V1, join(root, 'next'), { recursive: true });
  cpSync(V2, join(root, 'next'), { recursive: true });
  return root;
}

describe('zdd lint in release mode (built binary)', () => {
  it('--base: lints the migrations added since the merge-base, with the dependents of both releases', () => {
    const dir = laravelRepo();
    const r = runCli(['lint', '--base', 'main', '--format', 'json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expectLaravelFindings(r.stdout);
  });

  it('--base: pretty output names the dependents and marks non-production ones', () => {
    const dir = laravelRepo(false);
    const r = runCli(['lint', '--base', 'main'], { cwd: join(dir, 'app') });
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    const at = lines.findIndex((l) => l.endsWith('error  drop-column'));
    expect(lines.slice(at, at + 8)).toEqual([
      'database/migrations/2024_06_01_000000_drop_legacy_columns.php:12:13  error  drop-column',
      expect.stringMatching(/^ {2}The running release uses users\.legacy_id/),
      "  old release: app/Http/Controllers/UserController.php:21  return User::where('legacy_id', $legacy)->firstOrFail();",
      "  old release: app/Http/Controllers/UserController.php:40  $rows = DB::select('select id, legacy_id from users where legacy_id is not null');",
      "  old release: app/Models/User.php:18  'legacy_id',",
      "  old release: app/Services/LegacySync.php:12  ->whereNull('legacy_id')",
      "  new release: database/factories/UserFactory.php:16  'legacy_id' => Str::random(8), (not production code)",
      '  … and 5 more references (--format json lists them all)',
    ]);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('✖ 2 errors, 2 warnings in 1 migration');
  });

  it('a code file the index cannot parse is named on stderr (its uses are unknown), and the lint goes on', () => {
    const dir = laravelRepo(false);
    const controller = join(dir, 'app/Http/Controllers/UserController.php');
    writeFileSync(controller, readFileSync(controller, 'utf8').replace(/;\n/, '\n'));
    const r = runCli(['lint', '--base', 'main', '--format', 'json', '--no-cache'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^zdd: app\/Http\/Controllers\/UserController\.php:\d+: cannot parse this file of the new release \(work tree\): its uses of the changed tables are not known \(.+\)\n$/);
    const nickname = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings.find((f) => f.target.column === 'nickname')!;
    expect(compact(nickname).filter((d) => d.startsWith('new app/Http/Controllers/'))).toEqual([]);
  });

  it('an app in a subfolder of the repository (backend/): release modes run from there find its migrations and its .env', () => {
    const dir = tempTree({ 'README.md': '# monorepo\n', 'frontend/package.json': '{}\n' });
    cpSync(V1, join(dir, 'backend'), { recursive: true });
    git(dir, 'init', '-q', '-b', 'main');
    commitAll(dir, 'release 1');
    git(dir, 'checkout', '-q', '-b', 'feature');
    cpSync(V2, join(dir, 'backend'), { recursive: true });
    commitAll(dir, 'the change');
    for (const cwd of [join(dir, 'backend'), join(dir, 'backend/app')]) {
      const r = runCli(['lint', '--base', 'main', '--format', 'json', '--no-cache'], { cwd });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(1);
      const drops = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings.filter((f) => f.rule === 'drop-column');
      expect(drops.map((f) => `${f.severity} ${f.target.table}.${f.target.column}`)).toEqual(['error users.legacy_id', 'error users.nickname', 'warning teams.status']);
      expect(drops[0]!.dependents![0]).toMatchObject({ release: 'old', file: 'backend/app/Http/Controllers/UserController.php', line: 21 });
    }
    // from the repository root, nothing says which app: the error says where zdd looked
    const root = runCli(['lint', '--base', 'main'], { cwd: dir });
    expect(root.code).toBe(2);
    expect(root.stderr).toMatch(/^zdd: no migrations to lint in the new release \(work tree\): pass directories, or set "paths\.migrations" in zdd\.config\.json \(looked for database\/migrations, .*\)\n$/);
    expect(runCli(['lint', '--base', 'main', 'backend/database/migrations', '--format', 'json', '--no-cache'], { cwd: dir }).code).toBe(1);
  });

  it('--staged: the staged migrations against HEAD, read from the index (pre-commit hook)', () => {
    const dir = laravelRepo(false);
    git(dir, 'add', '-A');
    // an unstaged edit in the work tree must not count: the index is what gets committed
    writeFileSync(join(dir, 'app/Models/User.php'), '<?php\n// being rewritten\n');
    const r = runCli(['lint', '--staged', '--format', 'json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expectLaravelFindings(r.stdout);

    commitAll(dir, 'v2');
    const clean = runCli(['lint', '--staged'], { cwd: dir });
    expect(clean).toMatchObject({ code: 0, stderr: '', stdout: '✔ no findings in 0 migrations\n' });
  });

  it('--staged twice: the second run takes the index cache (--cache-dir), with the same output; --no-cache and a broken cache change nothing', () => {
    const dir = laravelRepo(false);
    git(dir, 'add', '-A');
    const cacheDir = join(tempTree({}), 'cache');
    const args = ['lint', '--staged', '--format', 'json', '--verbose', '--cache-dir', cacheDir];
    const cacheNote = (stderr: string): string[] => [...stderr.matchAll(/code index \((old|new) release[^\n]*cache: (\d+) files known, (\d+) not read, (\d+) analyses reused/g)].map((m) => `${m[1]} ${m[2]} ${m[3]} ${m[4]}`).sort();
    const first = runCli(args, { cwd: dir });
    expect(first.code).toBe(1);
    expectLaravelFindings(first.stdout);
    expect(cacheNote(first.stderr)).toEqual(['new 0 0 0', 'old 0 0 0']);
    expect(readdirSync(cacheDir)).toEqual([expect.stringMatching(/^index-[0-9a-f]{16}\.bin$/)]);
    const second = runCli(args, { cwd: dir });
    expect(second.code).toBe(1);
    expect(second.stdout).toBe(first.stdout);
    // the old release (HEAD) knows every file; the new one (the index) takes the files both hold from it
    const [neu, old] = cacheNote(second.stderr);
    expect(old).toMatch(/^old [1-9]\d* [1-9]\d* [1-9]\d*$/);
    expect(neu).toMatch(/^new \d+ \d+ [1-9]\d*$/);
    const cacheFile = join(cacheDir, readdirSync(cacheDir)[0]!);
    writeFileSync(cacheFile, 'garbage');
    const broken = runCli(args, { cwd: dir });
    expect(broken.stdout).toBe(first.stdout);
    expect(broken.stderr).toMatch(/zdd: index cache .*: not a zdd index cache; starting afresh/);
    const none = join(tempTree({}), 'none');
    const off = runCli(['lint', '--staged', '--format', 'json', '--verbose', '--no-cache', '--cache-dir', none], { cwd: dir });
    expect(off.stdout).toBe(first.stdout);
    expect(off.stderr).not.toMatch(/cache:/);
    expect(existsSync(none)).toBe(false);
  });

  it('a change with nothing destructive replays only the earlier migrations that name its tables (pre-commit speed), with the same findings', () => {
    const dir = laravelRepo(false);
    rmSync(join(dir, 'database/migrations/2024_06_01_000000_drop_legacy_columns.php'));
    const add = "<?php\n\nuse Illuminate\\Database\\Migrations\\Migration;\nuse Illuminate\\Database\\Schema\\Blueprint;\nuse Illuminate\\Support\\Facades\\Schema;\n\nreturn new class extends Migration\n{\n    public function up(): void\n    {\n        Schema::table('orders', function (Blueprint $table) {\n            $table->string('status', 20)->default(null)->change();\n        });\n    }\n};\n";
    writeFileSync(join(dir, 'database/migrations/2024_06_02_000000_orders_status.php'), add.replace("->string('status', 20)->default(null)->change()", "->index('status')"));
    git(dir, 'add', '-A');
    const r = runCli(['lint', '--staged', '--dialect', 'postgres', '--format', 'json', '--verbose'], { cwd: dir });
    expect(r.stderr).toContain('zdd: read 1 of 3 earlier migrations for the schema: those naming orders (or a table at run time)\n');
    expect(JSON.parse(r.stdout).findings.map((f: { rule: string }) => f.rule)).toEqual(['blocking-index-build', 'missing-lock-timeout']);
    // a default dropped from a NOT NULL column: known only from the migration that created orders
    writeFileSync(join(dir, 'database/migrations/2024_06_02_000000_orders_status.php'), add);
    git(dir, 'add', '-A');
    const d = runCli(['lint', '--staged', '--dialect', 'mysql', '--format', 'json'], { cwd: dir });
    expect(JSON.parse(d.stdout).findings.map((f: { rule: string }) => f.rule)).toContain('drop-column-default');
  });

  it("--staged starts from HEAD's schema dump (a dump staged with the change was taken after it), replaying only the migrations it does not list", () => {
    const dir = laravelRepo(false);
    rmSync(join(dir, 'database/migrations/2024_06_01_000000_drop_legacy_columns.php'));
    const listed = ['2024_01_01_000000_create_users_table', '2024_01_01_000001_create_teams_table', '2024_01_01_000002_create_orders_table'];
    const rows = (names: string[]): string => names.map((n, i) => `INSERT INTO \`migrations\` VALUES (${i + 1},'${n}',1);\n`).join('');
    // the squashed schema: orders.status defaults to 'pending' (the migrations alone would say 'open')
    const dump = (status: string, names: string[]): string => `CREATE TABLE \`users\` (\`id\` bigint unsigned NOT NULL AUTO_INCREMENT, PRIMARY KEY (\`id\`));\nCREATE TABLE \`orders\` (\`id\` bigint unsigned NOT NULL AUTO_INCREMENT, \`status\` ${status}, PRIMARY KEY (\`id\`));\n${rows(names)}`;
    mkdirSync(join(dir, 'database/schema'));
    writeFileSync(join(dir, 'database/schema/mysql-schema.sql'), dump("varchar(20) NOT NULL DEFAULT 'pending'", listed));
    commitAll(dir, 'schema dump');
    const change = '2024_06_02_000000_orders_status';
    writeFileSync(join(dir, `database/migrations/${change}.php`), "<?php\n\nuse Illuminate\\Database\\Migrations\\Migration;\nuse Illuminate\\Database\\Schema\\Blueprint;\nuse Illuminate\\Support\\Facades\\Schema;\n\nreturn new class extends Migration\n{\n    public function up(): void\n    {\n        Schema::table('orders', function (Blueprint $table) {\n            $table->string('status', 20)->default(null)->change();\n        });\n    }\n};\n");
    writeFileSync(join(dir, 'database/schema/mysql-schema.sql'), dump('varchar(20) NOT NULL', [...listed, change]));
    git(dir, 'add', '-A');
    const head = git(dir, 'rev-parse', '--short=12', 'HEAD');
    const r = runCli(['lint', '--staged', '--dialect', 'mysql', '--format', 'json', '--verbose'], { cwd: dir });
    expect(r.stderr).toContain(`zdd: schema dump database/schema/mysql-schema.sql (HEAD ${head}): 2 tables, 3 migrations recorded as run\n`);
    expect(r.stderr).toContain('zdd: 3 earlier migrations are in the schema dump (its migrations table lists them): not replayed\n');
    const f = JSON.parse(r.stdout).findings.find((x: JsonFinding) => x.rule === 'drop-column-default');
    expect(f.message).toContain("drops its default ('pending')");
    // an edited migration HEAD has too (it ran before the dump was taken) does not make the dump a later one
    writeFileSync(join(dir, 'database/migrations/2024_01_01_000001_create_teams_table.php'), `${readFileSync(join(dir, 'database/migrations/2024_01_01_000001_create_teams_table.php'), 'utf8')}// edited\n`);
    git(dir, 'add', '-A');
    const edited = runCli(['lint', '--staged', '--dialect', 'mysql', '--format', 'json', '--verbose'], { cwd: dir });
    expect(edited.stderr).toContain(`zdd: schema dump database/schema/mysql-schema.sql (HEAD ${head}): 2 tables, 3 migrations recorded as run\n`);
    expect(edited.stderr).toContain('zdd: 2 earlier migrations are in the schema dump (its migrations table lists them): not replayed\n');
    expect(edited.stderr).not.toContain('taken after the change');
  });

  it('the history read for the schema follows a table to its old name (a rename earlier)', () => {
    const dir = tempTree({
      'migrations/001_create_members.sql': 'CREATE TABLE members (id bigint PRIMARY KEY, email text);\n',
      'migrations/002_rename.sql': 'ALTER TABLE members RENAME TO users;\n',
      'migrations/003_check.sql': "SET lock_timeout = '2s';\nALTER TABLE Users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL) NOT VALID;\n",
      'migrations/004_validate.sql': 'ALTER TABLE users VALIDATE CONSTRAINT users_email_nn;\n',
    });
    git(dir, 'init', '-q', '-b', 'main');
    commitAll(dir, 'history');
    writeFileSync(join(dir, 'migrations/005_not_null.sql'), "SET lock_timeout = '2s';\nALTER TABLE users ALTER COLUMN email SET NOT NULL;\n");
    git(dir, 'add', '-A');
    const r = runCli(['lint', '--staged', '--dialect', 'postgres', '--format', 'json', '--verbose'], { cwd: dir });
    expect(r.stderr).toContain('zdd: read 4 of 4 earlier migrations for the schema: those naming users, members (or a table at run time)\n');
    // the validated CHECK lets SET NOT NULL skip its scan: nothing to report
    expect(JSON.parse(r.stdout).findings).toEqual([]);
  });

  it('--from a directory that is not a release of the app (shared/, the deploy root) is an input error, for lint and zdd-plan', () => {
    const root = currentAndNext();
    mkdirSync(join(root, 'shared/storage'), { recursive: true });
    writeFileSync(join(root, 'shared/storage/.gitkeep'), '');
    for (const from of ['shared', '.']) {
      const r = runCli(['lint', '--from', from, '--to', 'next', '--dialect', 'mysql'], { cwd: root });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`zdd: --from ${from}: not a release of this app: it has nothing in database/migrations, where the new release has 4 migrations (name the running release's directory, e.g. current/; for an app's first migrations, lint the new release without --from)\n`);
    }
    // a path naming a new migration file (or a folder new in this release) is fine: its folder is the release's
    const file = runCli(['lint', '--from', 'current', '--to', 'next', '--dialect', 'mysql', '--format', 'json', '--no-cache', 'database/migrations/2024_06_01_000000_drop_legacy_columns.php'], { cwd: root });
    expect(file.stderr).toBe('');
    expect(file.code).toBe(1);
    const p = spawnSync(process.execPath, [join(ROOT, 'dist', 'zdd-plan.js'), '--from', 'shared', '--to', 'next', '--dialect', 'mysql'], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(p.status).toBe(2);
    expect(p.stderr).toContain(': --from shared: not a release of this app');
  });

  it('--from/--to with two release directories (the running current/ and the new build), no git needed', () => {
    const root = tempTree({});
    const current = join(root, 'releases/1');
    const next = join(root, 'releases/2');
    cpSync(V1, current, { recursive: true });
    cpSync(V1, next, { recursive: true });
    cpSync(V2, next, { recursive: true });
    const r = runCli(['lint', '--from', 'releases/1', '--to', 'releases/2', '--format', 'json'], { cwd: root });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expectLaravelFindings(r.stdout);
  });

  it('on a deploy server, the next deploy finds in the cache the release this one deployed (the cache belongs to releases/)', async () => {
    const root = tempTree({});
    cpSync(V1, join(root, 'releases/1'), { recursive: true });
    cpSync(V1, join(root, 'releases/2'), { recursive: true });
    cpSync(V2, join(root, 'releases/2'), { recursive: true });
    // files written within the last clock tick are not cached
    await new Promise((resolve) => setTimeout(resolve, 150));
    const cacheDir = join(tempTree({}), 'zc');
    const known = (stderr: string, side: string): number => Number(new RegExp(`code index \\(${side} release[^\\n]*cache: (\\d+) files known`).exec(stderr)?.[1]);
    const args = (from: string, to: string): string[] => ['lint', '--from', from, '--to', to, '--format', 'json', '--verbose', '--cache-dir', cacheDir];
    const deploy1 = runCli(args('releases/1', 'releases/2'), { cwd: root, env: { ZDD_WORKERS: '0' } });
    expect(deploy1.code).toBe(1);
    expect([known(deploy1.stderr, 'old'), known(deploy1.stderr, 'new')]).toEqual([0, 0]);
    cpSync(join(root, 'releases/2'), join(root, 'releases/3'), { recursive: true });
    // the next deploy's migration
    writeFileSync(
      join(root, 'releases/3/database/migrations/2099_01_01_000000_drop_users_email.php'),
      "<?php\n\nuse Illuminate\\Database\\Migrations\\Migration;\nuse Illuminate\\Database\\Schema\\Blueprint;\nuse Illuminate\\Support\\Facades\\Schema;\n\nreturn new class extends Migration\n{\n    public function up(): void\n    {\n        Schema::table('users', function (Blueprint $table) {\n            $table->dropColumn('email');\n        });\n    }\n};\n",
    );
    const deploy2 = runCli(args('releases/2', 'releases/3'), { cwd: root, env: { ZDD_WORKERS: '0' } });
    // releases/2 was the new release of the first deploy; releases/3 was just written
    expect(known(deploy2.stderr, 'old')).toBeGreaterThan(0);
    expect(known(deploy2.stderr, 'new')).toBe(0);
    expect(readdirSync(cacheDir)).toHaveLength(1);
    const plain = runCli(['lint', '--from', 'releases/2', '--to', 'releases/3', '--format', 'json', '--no-cache'], { cwd: root });
    expect(deploy2.stdout).toBe(plain.stdout);
  });

  it('indexes the old release in a worker thread when forced (ZDD_WORKERS=1): same output as one thread', () => {
    const root = currentAndNext();
    const args = ['lint', '--from', 'current', '--to', 'next', '--format', 'json', '--verbose'];
    const two = runCli(args, { cwd: root, env: { ZDD_WORKERS: '1' } });
    const one = runCli(args, { cwd: root, env: { ZDD_WORKERS: '0' } });
    expect(two.stderr).toContain('code index: 3 targets, 2 threads; 24 references');
    expect(one.stderr).toContain('code index: 3 targets, 1 thread; 24 references');
    expect(two.stdout).toBe(one.stdout);
    expectLaravelFindings(two.stdout);
  });

  it('ZDD_PHP_PARSER=php-parser parses the code index with php-parser alone: the same output as zdd\'s own parser', () => {
    const root = currentAndNext();
    // --no-cache: both runs parse (a cached analysis parses nothing)
    const args = ['lint', '--from', 'current', '--to', 'next', '--format', 'json', '--verbose', '--no-cache'];
    const own = runCli(args, { cwd: root, env: { ZDD_WORKERS: '0' } });
    const theirs = runCli(args, { cwd: root, env: { ZDD_WORKERS: '0', ZDD_PHP_PARSER: 'php-parser' } });
    // --verbose counts the parses php-parser did: none of this app's with zdd's parser, all of them without
    const byPhpParser = (stderr: string): string[] => [...stderr.matchAll(/code index \((old|new) release[^)]*\): \d+ files, (\d+) parsed .*?parse \d+(?: \((\d+) by php-parser\))?,/g)].map((m) => `${m[1]} ${m[3] ?? 0}`).sort();
    expect(byPhpParser(own.stderr)).toEqual(['new 0', 'old 0']);
    const all = byPhpParser(theirs.stderr);
    expect(all).toHaveLength(2);
    expect(all.every((l) => !l.endsWith(' 0'))).toBe(true);
    expect(theirs.stdout).toBe(own.stdout);
    expectLaravelFindings(theirs.stdout);
  });

  it('--from/--to with git refs', () => {
    const dir = laravelRepo();
    git(dir, 'tag', 'v2');
    const r = runCli(['lint', '--from', 'main', '--to', 'v2', '--format', 'json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expectLaravelFindings(r.stdout);
  });

  it('Doctrine app (Doctrine migrations, dialect from .env): a column still mapped (attributes, annotations, XML) breaks every query on the entity; DBAL SQL counts; other tables\' status does not', () => {
    const root = tempTree({});
    const D1 = join(ROOT, 'fixtures/releases/doctrine/v1');
    const D2 = join(ROOT, 'fixtures/releases/doctrine/v2');
    cpSync(D1, join(root, 'current'), { recursive: true });
    cpSync(D1, join(root, 'next'), { recursive: true });
    cpSync(D2, join(root, 'next'), { recursive: true });
    const r = runCli(['lint', '--from', 'current', '--to', 'next', '--format', 'json'], { cwd: root });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as { dialect: string; findings: JsonFinding[]; summary: object };
    expect(json.dialect).toBe('postgres');
    const created = (table: string): string[] => {
      const line = { customers: 19, invoices: 20, products: 21 }[table];
      return [`new migrations/Version20240101000000.php:${line} low non-prod migration raw-sql`, `old migrations/Version20240101000000.php:${line} low non-prod migration raw-sql`];
    };
    const got = json.findings.map((f) => [`${f.rule} ${f.severity} ${f.target.table}.${f.target.column} ${f.location.file}:${f.location.line}`, ...compact(f)]);
    expect(got).toEqual([
      [
        'drop-column error customers.legacy_code migrations/Version20240601000000.php:20',
        'new src/Repository/CustomerRepository.php:21 high raw-sql',
        'old src/Entity/Customer.php:23 high entity-mapping',
        'old src/Repository/CustomerRepository.php:21 high raw-sql',
        ...created('customers'),
      ],
      ['drop-column error invoices.notes migrations/Version20240601000000.php:21', 'old src/Entity/Invoice.php:34 high entity-mapping', ...created('invoices')],
      ['drop-column warning invoices.legacy_total migrations/Version20240601000000.php:22', ...created('invoices')],
      ['rename-column error products.sku migrations/Version20240601000000.php:23', 'new config/doctrine/Product.orm.xml:9 high entity-mapping', 'old config/doctrine/Product.orm.xml:9 high entity-mapping', ...created('products')],
      [
        'drop-column error invoices.status migrations/Version20240601000000.php:24',
        'new src/Controller/InvoiceController.php:16 high raw-sql',
        'new src/Entity/Invoice.php:34 high entity-mapping',
        'old src/Controller/InvoiceController.php:16 high raw-sql',
        'old src/Entity/Invoice.php:39 high entity-mapping',
        ...created('invoices'),
      ],
    ]);
    expect(json.findings[1]!.message).toMatch(/^The running release uses invoices\.notes \(src\/Entity\/Invoice\.php:34: private \$notes;\): its requests fail/);
    // a drop that only the creating migration names stays the warning of a correct contract step
    expect(json.findings[2]!.message).toMatch(/^Dropping invoices\.legacy_total:/);
    expect(json.summary).toEqual({ files: 1, migrations: 1, errors: 4, warnings: 1 });
  });

  it('SQL migrations too: a renamed column is an error when raw SQL or a model of the running release uses it', () => {
    const dir = tempTree({
      'zdd.config.json': '{ "dialect": "postgres" }',
      'db/migrations/V1__users.sql': 'CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL, full_name text);\n',
      'src/Report.php': "<?php\nclass Report\n{\n    public function rows(\\PDO $pdo): array\n    {\n        return $pdo->query('SELECT id, full_name FROM users ORDER BY full_name')->fetchAll();\n    }\n}\n",
    });
    git(dir, 'init', '-q', '-b', 'main');
    commitAll(dir, 'one');
    writeFileSync(join(dir, 'db/migrations/V2__rename.sql'), "SET lock_timeout = '2s';\nALTER TABLE users RENAME COLUMN full_name TO display_name;\n");
    const r = runCli(['lint', '--base', 'main', '--format', 'json'], { cwd: dir });
    const [finding] = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
    expect(finding!.rule).toBe('rename-column');
    expect(finding!.message).toMatch(/^The new release still uses users\.full_name \(src\/Report\.php:6: return \$pdo->query\('SELECT id, full_name FROM users ORDER BY full_name'\)->fetchAll\(\);\): this deploy breaks it\. Remove that use first, ship it, and rename it in steps across releases \(see the fix\)\. Renaming users\.full_name to display_name:/);
    expect(compact(finding!)).toEqual(['new src/Report.php:6 high raw-sql', 'old src/Report.php:6 high raw-sql']);
  });

  it('no new migration since the base: nothing to say, exit 0', () => {
    const dir = laravelRepo();
    const r = runCli(['lint', '--base', 'HEAD'], { cwd: dir });
    expect(r).toMatchObject({ code: 0, stderr: '', stdout: '✔ no findings in 0 migrations\n' });
  });

  it('input errors: one line on stderr, exit 2', () => {
    const plain = tempTree({ 'database/migrations/1.sql': 'SELECT 1;' });
    const cases: Array<[string[], string, string?]> = [
      [['lint', '--base', 'main'], `zdd: --base needs a git repository, and ${plain} is not inside one (for two release directories, use --from <dir> --to <dir>)\n`],
      [['lint', '--staged'], `zdd: --staged needs a git repository, and ${plain} is not inside one (for two release directories, use --from <dir> --to <dir>)\n`],
      [['lint', '--from', 'nowhere', '--to', '.'], `zdd: --from nowhere: no such directory (and ${plain} is not a git repository, so it cannot be a git ref)\n`],
      [['lint', '--from', '.'], 'zdd: --from and --to go together: --from <running release dir|ref> --to <new release dir|ref>\n'],
      [['lint', '--staged', '--base', 'main'], 'zdd: --base and --staged cannot be combined: pick one release mode\n'],
    ];
    for (const [args, stderr] of cases) expect(runCli(args, { cwd: plain })).toMatchObject({ code: 2, stdout: '', stderr });
    const repo = laravelRepo();
    const unknown = runCli(['lint', '--base', 'origin/main'], { cwd: repo });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^zdd: --base origin\/main: unknown git ref \(not a branch, tag or commit of .+\)\n$/);
  });

  it('a shallow CI checkout without the merge-base: says how to fetch it', () => {
    const repo = laravelRepo();
    const clone = join(tempTree({}), 'ci');
    git(repo, 'clone', '-q', '--depth', '1', '--branch', 'feature', `file://${repo}`, clone);
    git(clone, 'fetch', '-q', '--depth', '1', 'origin', 'main:refs/remotes/origin/main');
    const r = runCli(['lint', '--base', 'origin/main'], { cwd: clone });
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe('zdd: --base origin/main: the merge-base of origin/main and HEAD is not in this shallow clone; fetch more history: `git fetch --unshallow` (or `git fetch --deepen=<n>`; in GitHub Actions, `fetch-depth: 0` on actions/checkout)\n');
    git(clone, 'fetch', '-q', '--unshallow', 'origin');
    expect(runCli(['lint', '--base', 'origin/main'], { cwd: clone }).code).toBe(1);
  });

  it('a migration file that is too large or binary in the new release is a problem (exit 2); findings are still printed', () => {
    const dir = laravelRepo();
    mkdirSync(join(dir, 'database/migrations'), { recursive: true });
    writeFileSync(join(dir, 'database/migrations/2024_07_01_000000_blob.php'), Buffer.from([0x3c, 0x3f, 0x00, 0x01]));
    const r = runCli(['lint', '--base', 'main', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('zdd: database/migrations/2024_07_01_000000_blob.php: binary file (contains NUL bytes), not a migration\n');
    expect((JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings.filter((f) => f.rule === 'drop-column')).toHaveLength(3);
  });
});
