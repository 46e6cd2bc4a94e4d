import { describe, expect, it } from 'vitest';
import type { Dependent } from '../../src/lint/types.js';
import { PlanRefusal } from '../../src/plan/build.js';
import { migration } from '../laravel-helpers.js';
import { afterSchema } from '../helpers.js';
import { migrationClass, readDoctrine } from '../doctrine-helpers.js';
import { outline, plan, planSql } from '../plan-helpers.js';
import { readSqlText, prepareSqlParser } from '../../src/readers/sql/read.js';
import { MYSQL_SCHEMA } from '../helpers.js';

describe('zdd-plan: how each migration runs', () => {
  it('runs a safe migration unchanged; on PostgreSQL the deploy gives its connection the lock timeout', async () => {
    const p = await planSql('postgres', 'ALTER TABLE users ADD COLUMN nickname text;');
    expect(p.migrations).toEqual([{ id: '0002_change', file: '0002_change.sql', format: 'sql', handling: 'as-is', transactional: false, lockTimeout: 'injected' }]);
    expect(p.releases[0]!.steps[0]).toMatchObject({ phase: 'pre-swap', kind: 'as-is', run: 'migration', op: 'add-column', table: 'users', column: 'nickname' });
    expect(p.releases[0]!.steps[0]!.sql).toBeUndefined();
  });

  it('says when the migration sets its own lock timeout, and when it needs none', async () => {
    const own = await planSql('postgres', "SET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN nickname text;");
    expect(own.migrations[0]).toMatchObject({ handling: 'as-is', lockTimeout: 'migration' });
    const fresh = await planSql('postgres', 'CREATE TABLE tags (id bigserial PRIMARY KEY, name text);\nCREATE INDEX tags_name ON tags (name);');
    expect(fresh.migrations[0]).toMatchObject({ handling: 'as-is', lockTimeout: 'none' });
    expect(outline(fresh)).toEqual(['1 pre-swap as-is create-table (migration)', '1 pre-swap as-is add-index (migration)']);
  });

  it('runs a migration as SQL when its lock timeout cannot be injected: CONCURRENTLY next to a locking ALTER', async () => {
    const p = await planSql('postgres', 'ALTER TABLE users ADD COLUMN nickname text;\nCREATE INDEX CONCURRENTLY users_nickname ON users (nickname);');
    expect(p.migrations[0]!.handling).toBe('split');
    expect(p.migrations[0]!.reason).toContain('lock timeout');
    expect(outline(p)).toEqual([
      "1 pre-swap as-is add-column: SET lock_timeout = '5s' ; ALTER TABLE users ADD COLUMN nickname text",
      '1 pre-swap as-is add-index: CREATE INDEX CONCURRENTLY users_nickname ON users (nickname)',
    ]);
    expect(p.releases[0]!.steps.map((s) => s.transactional)).toEqual([true, false]);
  });

  it('Laravel on MySQL: the framework connection cannot get lock_wait_timeout, so zdd runs the Blueprint as SQL', async () => {
    const code = migration(`        Schema::table('users', function (Blueprint $table) {\n            $table->string('nickname', 50)->nullable()->after('email');\n        });`);
    const p = await planSql('mysql', { '2024_07_01_000000_nickname.php': code });
    expect(p.migrations[0]).toMatchObject({ format: 'laravel', handling: 'split' });
    expect(outline(p)).toEqual(['1 pre-swap as-is add-column: SET SESSION lock_wait_timeout = 5 ; ALTER TABLE users ADD COLUMN nickname varchar(50) NULL AFTER email']);
  });

  it('keeps the migration\'s other session settings in every step it runs as SQL', async () => {
    const p = await planSql('postgres', "SET search_path = public;\nSET lock_timeout = '1s';\nALTER TABLE users ALTER COLUMN age SET NOT NULL;");
    expect(p.releases[0]!.steps[0]!.sql).toEqual(["SET lock_timeout = '5s'", 'SET search_path = public', 'ALTER TABLE users ADD CONSTRAINT users_age_not_null CHECK (age IS NOT NULL) NOT VALID']);
  });

  it('keeps the statements of a BEGIN … COMMIT block in one transactional step', async () => {
    const p = await planSql('postgres', 'BEGIN;\nALTER TABLE users ADD COLUMN a text;\nALTER TABLE users ADD COLUMN b text;\nCOMMIT;\nALTER TABLE orders DROP COLUMN note;');
    expect(outline(p)).toEqual([
      "1 pre-swap as-is add-column: SET lock_timeout = '5s' ; ALTER TABLE users ADD COLUMN a text ; ALTER TABLE users ADD COLUMN b text",
      "2 post-swap contract drop-column: SET lock_timeout = '5s' ; ALTER TABLE orders DROP COLUMN note",
    ]);
    expect(p.releases[0]!.steps[0]!.transactional).toBe(true);
  });

  it('honours the lock timeout and batch size options', async () => {
    const p = await planSql('postgres', 'ALTER TABLE users RENAME COLUMN email TO email_address;', { lockTimeoutSeconds: 2, batchSize: 500 });
    const [add, , backfill] = p.releases[0]!.steps;
    expect(add!.sql![0]).toBe("SET lock_timeout = '2s'");
    expect(backfill).toMatchObject({ kind: 'backfill', batched: true, batch: { table: 'users', key: 'id', size: 500 }, transactional: true });
  });
});

describe('zdd-plan: contract steps and the code index', () => {
  const ref = (release: 'old' | 'new', file: string): Dependent => ({ release, file, line: 7, text: "$user->name", confidence: 'high', production: true });

  it('--contract post-swap drops after the swap of this release', async () => {
    const p = await planSql('postgres', 'ALTER TABLE orders DROP COLUMN note;', { contract: 'post-swap' });
    expect(outline(p)).toEqual(["1 post-swap contract drop-column: SET lock_timeout = '5s' ; ALTER TABLE orders DROP COLUMN note"]);
    expect(p.releases[0]!.steps[0]!.why).toContain('rolling back to the previous release breaks it');
    expect(p.contract).toBe('post-swap');
  });

  it('--contract post-swap is refused when the new release still references the column', async () => {
    const dependents = (t: string, c?: string) => (t === 'orders' && c === 'note' ? [ref('new', 'app/Models/Order.php')] : []);
    await expect(planSql('postgres', 'ALTER TABLE orders DROP COLUMN note;', { contract: 'post-swap', dependents })).rejects.toThrow(PlanRefusal);
    await expect(planSql('postgres', 'ALTER TABLE orders DROP COLUMN note;', { contract: 'post-swap', dependents })).rejects.toThrow(
      "--contract post-swap: orders.note cannot be dropped in this release: the new release's code still references it (app/Models/Order.php:7)",
    );
  });

  it('drops in release 1 after the swap when the running release does not reference the column either', async () => {
    const p = await planSql('postgres', 'ALTER TABLE orders DROP COLUMN note;', { dependents: () => [] });
    expect(outline(p)).toEqual(["1 post-swap contract drop-column: SET lock_timeout = '5s' ; ALTER TABLE orders DROP COLUMN note"]);
    expect(p.releases[0]!.checks).toEqual([{ condition: 'No code of release 1 references orders.note (it is dropped after the swap).', status: 'satisfied' }]);
  });

  it('marks a requirement unsatisfied, with the lines, when the new release still uses the old name', async () => {
    const lines = [ref('old', 'app/Models/User.php'), ref('new', 'app/Http/Controllers/ProfileController.php')];
    const p = await planSql('postgres', 'ALTER TABLE users RENAME COLUMN name TO full_name;', { dependents: (t, c) => (t === 'users' && c === 'name' ? lines : []) });
    expect(p.releases[0]!.checks).toEqual([
      {
        condition: 'The code of release 1 reads and writes users.full_name and no longer references users.name (release 2 drops it).',
        status: 'unsatisfied',
        references: [lines[1]],
      },
    ]);
    expect(p.releases[1]!.checks).toEqual([]);
  });

  it('lists requirements unchecked without a code index', async () => {
    const p = await planSql('postgres', 'ALTER TABLE orders DROP COLUMN note;');
    expect(p.releases[0]!.checks[0]!.status).toBe('unchecked');
    // nothing was indexed: the why claims no use it has not seen
    expect(p.releases[1]!.steps[0]!.why).toBe('Without the code index (path mode) zdd cannot tell whether the running release uses orders.note, and rolling back to it must keep working: orders.note is dropped in release 2, after its swap.');
  });

  it('the running release referencing the column keeps the drop in release 2, naming the line', async () => {
    const p = await planSql('postgres', 'ALTER TABLE orders DROP COLUMN note;', { dependents: () => [ref('old', 'app/Models/Order.php')] });
    expect(p.releases.map((r) => r.release)).toEqual([1, 2]);
    expect(p.releases[1]!.steps[0]!.why).toContain('The running release uses orders.note (app/Models/Order.php:7)');
  });
});

describe('zdd-plan: what stays as it is', () => {
  it('ops on a table created in this release, and drops of columns added in it, are as-is', async () => {
    const p = await planSql('postgres', {
      '0002_tags.sql': 'CREATE TABLE tags (id bigserial PRIMARY KEY, name text);',
      '0003_more.sql': "SET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN nick text;\nALTER TABLE users DROP COLUMN nick;\nALTER TABLE tags RENAME COLUMN name TO label;",
    });
    expect(outline(p)).toEqual(['1 pre-swap as-is create-table (migration)', '1 pre-swap as-is add-column (migration)', '1 pre-swap as-is drop-column (migration)', '1 pre-swap as-is rename-column (migration)']);
    expect(p.releases[0]!.steps[2]!.why).toBe('users.nick was added in this release: nothing deployed uses it.');
  });

  it('path mode (newTableScope migration, as zdd lint): only the creating migration\'s own ops are on a new table', async () => {
    const p = await planSql('postgres', {
      '0002_tags.sql': 'CREATE TABLE tags (id bigserial PRIMARY KEY, name text);\nALTER TABLE tags ADD COLUMN slug text;\nALTER TABLE tags DROP COLUMN slug;',
      '0003_more.sql': 'ALTER TABLE tags ADD COLUMN nick text;\nALTER TABLE tags RENAME COLUMN name TO label;\nALTER TABLE tags DROP COLUMN nick;',
    }, { newTableScope: 'migration' });
    const lines = outline(p);
    expect(lines.slice(0, 3)).toEqual(['1 pre-swap as-is create-table (migration)', '1 pre-swap as-is add-column (migration)', '1 pre-swap as-is drop-column (migration)']);
    expect(p.releases[0]!.steps[1]!.why).toBe('On tags, created in this release: nothing uses it yet.');
    // 0002 may have run already: the rename in 0003 is an expand/contract; a column 0003 adds is its own
    expect(p.migrations.map((m) => m.handling)).toEqual(['as-is', 'split']);
    expect(p.releases[0]!.steps.filter((s) => s.migration === '0003_more').map((s) => `${s.kind} ${s.op}`)).toEqual(['as-is add-column', 'split add-column', 'split create-trigger', 'backfill backfill', 'as-is drop-column']);
    expect(p.releases[0]!.steps.at(-1)!.why).toBe('tags.nick was added in this release: nothing deployed uses it.');
    expect(p.releases[1]!.steps.find((s) => s.op === 'drop-column')).toMatchObject({ kind: 'contract', column: 'name' });
  });

  it('an unparsed statement stays in release 1 before the swap, marked as not analysed', async () => {
    const raw = await planSql('postgres', 'ALTER TABLE users ADD COLUMN;');
    expect(raw.releases[0]!.steps[0]).toMatchObject({ phase: 'pre-swap', kind: 'as-is', op: 'raw' });
    expect(raw.releases[0]!.steps[0]!.why).toMatch(/^zdd could not analyse this \(.*\): it runs as written, unchecked/);
  });

  it('an operation zdd has no online rewrite for runs as written, with the cost in its why', async () => {
    const p = await planSql('mysql', 'ALTER TABLE posts ADD FULLTEXT INDEX posts_body_fulltext (body);');
    expect(outline(p)).toEqual(['1 pre-swap as-is add-index (migration)']);
    expect(p.releases[0]!.steps[0]!.why).toMatch(/^Runs as written, but it blocks writes on posts while it runs .*gh-ost/);
  });
});

describe('zdd-plan: decompositions that need more than the statement', () => {
  it('a column zdd never saw created cannot be renamed safely without its type: a manual step', async () => {
    const p = await planSql('postgres', 'ALTER TABLE ghosts RENAME COLUMN a TO b;');
    expect(p.releases[0]!.steps[0]).toMatchObject({ kind: 'manual', op: 'rename-column', table: 'ghosts', column: 'a' });
    expect(p.releases[0]!.steps[0]!.why).toContain('zdd does not know the definition of ghosts.a');
  });

  it('a drop, rename or type change of a column the table does not have fails when it runs: a manual step that says so, never a plan that ships', async () => {
    for (const contract of ['post-swap', 'next-release'] as const) {
      const p = await planSql('postgres', 'ALTER TABLE orders DROP COLUMN nonexist;', { contract });
      expect(p.releases.map((r) => r.release)).toEqual([1]);
      expect(p.releases[0]!.steps).toEqual([expect.objectContaining({ kind: 'manual', op: 'drop-column', table: 'orders', column: 'nonexist', phase: 'pre-swap' })]);
      expect(p.releases[0]!.steps[0]!.why).toBe(
        'Dropping orders.nonexist, but replaying the earlier migrations gives orders no column nonexist: the statement fails when it runs and stops the deploy half-way (zdd lint: unknown-column). Fix the migration — name a column the table has, or guard the statement if the column may be missing on some servers — and plan again.',
      );
      expect(p.releases[0]!.requires).toEqual([]);
      expect(p.migrations[0]).toMatchObject({ handling: 'split', reason: 'fails as written (orders has no column nonexist): fix it before deploying' });
    }
    const rename = await planSql('postgres', 'ALTER TABLE orders RENAME COLUMN nots TO notes;');
    expect(outline(rename)).toEqual(['1 pre-swap manual rename-column']);
    expect(outline(await planSql('mysql', 'ALTER TABLE posts MODIFY bdy text NULL;'))).toEqual(['1 pre-swap manual alter-column']);
    // IF EXISTS runs either way; a table replay does not know is not judged
    expect(outline(await planSql('postgres', 'ALTER TABLE orders DROP COLUMN IF EXISTS nonexist;'))[0]).toMatch(/^2 post-swap contract drop-column/);
    expect(outline(await planSql('postgres', 'ALTER TABLE ghosts DROP COLUMN a;'))[0]).toMatch(/^2 post-swap contract drop-column/);
    // zdd-ignore unknown-column (a package's migration adds it): planned as lint then takes it
    expect(outline(await planSql('postgres', '-- zdd-ignore unknown-column: laravel/cashier adds it\nALTER TABLE orders DROP COLUMN stripe_id;'))[0]).toMatch(/^2 post-swap contract drop-column/);
  });

  it('a rename rebuilds the indexes that cover the old column on the new one', async () => {
    const p = await planSql('postgres', 'ALTER TABLE orders RENAME COLUMN user_id TO customer_id;');
    expect(p.releases[0]!.steps.find((s) => s.op === 'add-index')).toMatchObject({
      sql: ['CREATE INDEX CONCURRENTLY orders_customer_id_index ON orders (customer_id)'],
      transactional: false,
      phase: 'pre-swap',
    });
  });

  it('a backfill zdd cannot batch runs once after the swap, saying why', async () => {
    const p = await planSql('postgres', 'UPDATE users u SET status = t.name FROM teams t WHERE t.id = u.team_id;');
    expect(outline(p)).toEqual(['1 post-swap backfill backfill: UPDATE users u SET status = t.name FROM teams t WHERE t.id = u.team_id']);
    expect(p.releases[0]!.steps[0]!.why).toContain('as one statement, since its FROM clause cannot be combined with key ranges');
  });

  it('a MariaDB foreign key on a new, empty column needs no verification query', async () => {
    const p = await planSql('mariadb', 'ALTER TABLE users ADD COLUMN squad_id bigint unsigned NULL REFERENCES teams (id) ON DELETE SET NULL;');
    expect(outline(p)).toEqual([
      '1 pre-swap split add-column: SET SESSION lock_wait_timeout = 5 ; ALTER TABLE users ADD COLUMN squad_id bigint unsigned NULL',
      '1 pre-swap split add-constraint: SET SESSION lock_wait_timeout = 5 ; SET foreign_key_checks = 0 ; ALTER TABLE users ADD CONSTRAINT users_squad_id_foreign FOREIGN KEY (squad_id) REFERENCES teams (id) ON DELETE SET NULL, ALGORITHM=INPLACE, LOCK=NONE ; SET foreign_key_checks = 1',
    ]);
  });

  it('a MySQL foreign key is checked by a query that must return 0 before it is added without the copy', async () => {
    const p = await planSql('mysql', 'ALTER TABLE posts ADD CONSTRAINT posts_user_id_foreign FOREIGN KEY (user_id) REFERENCES users (id);');
    expect(p.releases[0]!.steps[0]).toMatchObject({ op: 'verify', expect: '0', run: 'sql' });
  });

  it('a PostgreSQL DROP DEFAULT of a NOT NULL column waits until after the swap', async () => {
    const p = await planSql('postgres', 'ALTER TABLE users ALTER COLUMN status DROP DEFAULT;');
    expect(outline(p)).toEqual(["1 post-swap as-is alter-column: SET lock_timeout = '5s' ; ALTER TABLE users ALTER COLUMN status DROP DEFAULT"]);
    expect(p.releases[0]!.requires).toEqual(['The code of release 1 writes users.status on every insert (its default is dropped after the swap).']);
  });

  it('REINDEX becomes REINDEX CONCURRENTLY; TRUNCATE waits for release 2', async () => {
    expect(outline(await planSql('postgres', 'REINDEX TABLE users;'))).toEqual(['1 pre-swap split reindex: REINDEX TABLE CONCURRENTLY users']);
    expect(outline(await planSql('postgres', 'TRUNCATE orders;'))).toEqual(["2 post-swap contract truncate: SET lock_timeout = '5s' ; TRUNCATE orders"]);
  });

  it('inline UNIQUE and REFERENCES of a new PostgreSQL column are added online', async () => {
    const p = await planSql('postgres', 'ALTER TABLE orders ADD COLUMN ref text UNIQUE, ADD COLUMN team_id bigint REFERENCES teams (id);');
    expect(outline(p)).toEqual([
      "1 pre-swap split add-column: SET lock_timeout = '5s' ; ALTER TABLE orders ADD COLUMN ref text",
      '1 pre-swap split add-index: CREATE UNIQUE INDEX CONCURRENTLY orders_ref_unique ON orders (ref)',
      "1 pre-swap split add-constraint: SET lock_timeout = '5s' ; ALTER TABLE orders ADD CONSTRAINT orders_ref_unique UNIQUE USING INDEX orders_ref_unique",
      "1 pre-swap split add-column: SET lock_timeout = '5s' ; ALTER TABLE orders ADD COLUMN team_id bigint",
      "1 pre-swap split add-constraint: SET lock_timeout = '5s' ; ALTER TABLE orders ADD CONSTRAINT orders_team_id_foreign FOREIGN KEY (team_id) REFERENCES teams (id) NOT VALID",
      '1 post-swap split validate-constraint: ALTER TABLE orders VALIDATE CONSTRAINT orders_team_id_foreign',
    ]);
  });

  it('an identity primary key: sequence, backfill, NOT NULL, then the key from a concurrent index, after the swap', async () => {
    const p = await planSql('postgres', 'ALTER TABLE teams DROP CONSTRAINT teams_pkey;\nALTER TABLE teams ADD COLUMN num bigserial PRIMARY KEY;');
    expect(outline(p).slice(-3)).toEqual([
      "1 post-swap split drop-constraint: SET lock_timeout = '5s' ; ALTER TABLE teams DROP CONSTRAINT teams_num_not_null",
      '1 post-swap split add-index: CREATE UNIQUE INDEX CONCURRENTLY teams_pkey ON teams (num)',
      "1 post-swap split add-constraint: SET lock_timeout = '5s' ; ALTER TABLE teams ADD CONSTRAINT teams_pkey PRIMARY KEY USING INDEX teams_pkey",
    ]);
  });

  it('an identity column gets its values from a sequence, backfilled in batches', async () => {
    const p = await planSql('postgres', 'ALTER TABLE orders ADD COLUMN seq bigserial;');
    expect(outline(p).slice(0, 5)).toEqual([
      '1 pre-swap split create-sequence: CREATE SEQUENCE orders_seq_seq',
      "1 pre-swap split add-column: SET lock_timeout = '5s' ; ALTER TABLE orders ADD COLUMN seq bigint",
      "1 pre-swap split set-default: SET lock_timeout = '5s' ; ALTER TABLE orders ALTER COLUMN seq SET DEFAULT nextval('orders_seq_seq')",
      "1 pre-swap backfill backfill: UPDATE orders SET seq = nextval('orders_seq_seq') WHERE seq IS NULL AND id >= {from} AND id < {to}",
      '1 pre-swap split alter-sequence: ALTER SEQUENCE orders_seq_seq OWNED BY orders.seq',
    ]);
  });
});

describe('zdd-plan: Laravel migrations', () => {
  it('renders Blueprint foreign keys with their actions, NOT VALID, then VALIDATE after the swap', async () => {
    const code = migration(`        Schema::table('users', function (Blueprint $table) {\n            $table->foreign('team_id')->references('id')->on('teams')->cascadeOnDelete();\n        });`);
    const p = await planSql('postgres', { '2024_07_01_000000_team_fk.php': code });
    expect(outline(p)).toEqual([
      "1 pre-swap split add-constraint: SET lock_timeout = '5s' ; ALTER TABLE users ADD CONSTRAINT users_team_id_foreign FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE NOT VALID",
      '1 post-swap split validate-constraint: ALTER TABLE users VALIDATE CONSTRAINT users_team_id_foreign',
    ]);
  });

  it('a query-builder backfill with literal values runs after the swap, in batches', async () => {
    const code = migration(`        DB::table('users')->where('status', 'new')->whereNotNull('email')->update(['status' => 'active', 'age' => DB::raw('age + 1')]);`);
    const p = await planSql('postgres', { '2024_07_01_000000_statuses.php': code });
    expect(outline(p)).toEqual(["1 post-swap backfill backfill: UPDATE users SET status = 'active', age = age + 1 WHERE (status = 'new' AND email IS NOT NULL) AND users.id >= {from} AND users.id < {to}"]);
  });

  it('an Eloquent backfill (it adds updated_at, honours soft deletes) stays PHP: a manual step', async () => {
    const code = migration(`        \\App\\Models\\User::where('status', 'new')->update(['status' => 'active']);`);
    const p = await planSql('postgres', { '2024_07_01_000000_statuses.php': code });
    expect(p.releases[0]!.steps).toEqual([
      expect.objectContaining({ phase: 'post-swap', kind: 'manual', op: 'backfill', table: 'users', file: '2024_07_01_000000_statuses.php', line: 12 }),
    ]);
    expect(p.releases[0]!.steps[0]!.why).toContain('zdd cannot turn this eloquent call into SQL');
  });

  it('a migration zdd-plan wrote runs unchanged in the phase its marker names', async () => {
    const code = migration(`        DB::statement('ALTER TABLE users VALIDATE CONSTRAINT users_team_id_foreign');`);
    const p = await planSql('postgres', { '2024_07_01_000000_zdd_02.php': code }, { marked: { '2024_07_01_000000_zdd_02': 'post-swap' } });
    expect(outline(p)).toEqual(['1 post-swap as-is validate-constraint (migration)']);
    expect(p.migrations[0]).toMatchObject({ handling: 'as-is' });
  });
});

describe('zdd-plan: what only the migration has (a run-time guard, names computed at run time)', () => {
  const guarded = migration(`        if (! Schema::hasColumn('users', 'nickname')) {\n            Schema::table('users', function (Blueprint $table) {\n                $table->string('nickname')->nullable();\n            });\n        }`);

  it('a guarded op the framework runs keeps its guard: the migration runs unchanged', async () => {
    const p = await planSql('postgres', { '2024_07_01_000000_nickname.php': guarded });
    expect(outline(p)).toEqual(['1 pre-swap as-is add-column (migration)']);
  });

  it('a guarded op zdd would run as SQL (MySQL needs the lock timeout) is a manual step, not unguarded SQL', async () => {
    const p = await planSql('mysql', { '2024_07_01_000000_nickname.php': guarded });
    expect(p.migrations[0]).toMatchObject({ handling: 'split' });
    expect(p.releases[0]!.steps).toEqual([expect.objectContaining({ phase: 'pre-swap', kind: 'manual', op: 'add-column', table: 'users', column: 'nickname', run: 'sql', line: 14 })]);
    expect(p.releases[0]!.steps[0]!.sql).toBeUndefined();
    expect(p.releases[0]!.steps[0]!.why).toContain('only when a run-time check lets it');
  });

  it("Doctrine: SQL naming a table by another class's constant is not rewritten against that symbolic name", async () => {
    await prepareSqlParser('mysql');
    const history = readSqlText(MYSQL_SCHEMA, { file: '0001_schema.sql', dialect: 'mysql' });
    const up = [
      '$users = $this->generateTableName(User::TABLE_NAME);',
      "$this->addSql('ALTER TABLE posts ADD CONSTRAINT fk_posts_user FOREIGN KEY (user_id) REFERENCES `' . $users . '` (id)');",
      "$this->addSql('ALTER TABLE posts ADD title VARCHAR(255) DEFAULT NULL');",
    ].join('\n');
    const m = await readDoctrine('mysql', migrationClass('Version20240701000000', up));
    const p = plan('mysql', [{ id: '0001_schema', file: '0001_schema.sql', format: 'sql', transactional: false, ops: history.ops, suppressions: [] }], [m]);
    expect(outline(p)).toEqual([
      '1 pre-swap manual verify',
      '1 pre-swap manual add-constraint',
      '1 pre-swap as-is add-column: SET SESSION lock_wait_timeout = 5 ; ALTER TABLE posts ADD title VARCHAR(255) DEFAULT NULL',
    ]);
    expect(p.releases[0]!.steps[1]!.why).toContain('Its names are computed at run time ($this->generateTableName(User::TABLE_NAME))');
  });
});

describe('what the rules promise is what the plan runs', () => {
  it('rename-column: the fix shows the same sync trigger the plan creates', async () => {
    const [finding] = await afterSchema('postgres', 'ALTER TABLE users RENAME COLUMN email TO email_address;', { rule: 'rename-column' });
    const p = await planSql('postgres', 'ALTER TABLE users RENAME COLUMN email TO email_address;');
    for (const sql of p.releases[0]!.steps.find((s) => s.op === 'create-trigger')!.sql!.slice(1)) expect(finding!.fix).toContain(sql);
    expect(finding!.fix).toContain('drop email in release 2');
  });

  it('set-not-null: CHECK … NOT VALID → VALIDATE → SET NOT NULL → DROP CONSTRAINT, as separate steps', async () => {
    const [finding] = await afterSchema('postgres', 'ALTER TABLE users ALTER COLUMN age SET NOT NULL;', { rule: 'set-not-null' });
    const p = await planSql('postgres', 'ALTER TABLE users ALTER COLUMN age SET NOT NULL;');
    const planned = p.releases[0]!.steps.map((s) => s.sql![s.sql!.length - 1]);
    for (const sql of planned) expect(finding!.fix).toContain(sql);
    expect(planned).toHaveLength(4);
  });
});
