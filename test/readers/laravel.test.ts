import { describe, expect, it } from 'vitest';
import { LaravelAppConfig } from '../../src/discover/laravel-app-config.js';
import { readLaravelMigration } from '../../src/readers/laravel.js';
import { bare, lintLaravel, migration, readLaravel } from '../laravel-helpers.js';

describe('Laravel reader: migration classes', () => {
  it('reads anonymous-class migrations, up() only, and keeps down() for the planner', async () => {
    const m = await readLaravel(
      migration(`        Schema::table('users', function (Blueprint $table) {\n            $table->dropColumn('bio');\n        });`).replace(
        '    }\n};',
        "    }\n\n    public function down(): void\n    {\n        Schema::table('users', fn (Blueprint $table) => $table->text('bio')->nullable());\n    }\n};",
      ),
    );
    expect(m).toMatchObject({ id: '2024_01_01_000000_test', format: 'laravel', transactional: true });
    expect(bare(m.ops)).toEqual([{ kind: 'drop-column', table: 'users', column: 'bio' }]);
    expect(bare(m.down!)).toEqual([{ kind: 'add-column', table: 'users', column: { name: 'bio', type: { name: 'text', text: 'text' }, nullable: true } }]);
    expect(m.ops[0]!.source).toMatchObject({ line: 13, col: 13, text: "$table->dropColumn('bio');" });
  });

  it('reads named-class migrations', async () => {
    const code = `<?php\nuse Illuminate\\Database\\Migrations\\Migration;\nclass DropLegacy extends Migration\n{\n    public function up()\n    {\n        Schema::drop('legacy');\n    }\n}\n`;
    expect(bare((await readLaravel(code)).ops)).toEqual([{ kind: 'drop-table', table: 'legacy' }]);
  });

  it('$withinTransaction = false makes a PostgreSQL migration non-transactional; MySQL never is', async () => {
    const code = migration(`        DB::statement('CREATE INDEX CONCURRENTLY i ON users (email)');`, '\n    public $withinTransaction = false;\n');
    expect((await readLaravel(code)).transactional).toBe(false);
    expect((await readLaravel(migration(''))).transactional).toBe(true);
    expect((await readLaravel(migration(''), 'mysql')).transactional).toBe(false);
  });

  it('skips PHP files that are not migrations, and reports PHP syntax errors with the line', async () => {
    const { readLaravelMigration } = await import('../../src/readers/laravel.js');
    expect(readLaravelMigration('<?php\nclass Helper { public function run() {} }\n', { file: 'x.php', dialect: 'mysql' })).toEqual({ skipped: 'not a Laravel migration (no class with up() extending Migration)' });
    const m = await readLaravel('<?php\nreturn new class extends Migration {\n  public function up() {\n    Schema::table(\'x\', function ($t) {\n      $t->dropColumn(\n  }\n};\n');
    expect(m.ops).toHaveLength(1);
    expect(m.ops[0]).toMatchObject({ kind: 'raw', source: { line: 6 } });
    expect((m.ops[0] as { reason: string }).reason).toMatch(/^PHP syntax error: .* \(line 6\)$/);
  });
});

describe('Laravel reader: Schema facade', () => {
  it('create, table, drop, dropIfExists, rename, dropColumns', async () => {
    const m = await readLaravel(
      migration(`        Schema::create('tags', function (Blueprint $table) {\n            $table->id();\n            $table->string('name', 50)->unique();\n        });\n        Schema::rename('tags', 'labels');\n        Schema::dropColumns('users', ['bio', 'age']);\n        Schema::drop('old_a');\n        Schema::dropIfExists('old_b');`),
      'mysql',
    );
    expect(bare(m.ops)).toEqual([
      {
        kind: 'create-table',
        table: 'tags',
        columns: [
          { name: 'id', type: { name: 'bigint', text: 'bigint unsigned', unsigned: true }, nullable: false, autoIncrement: true, primaryKey: true },
          { name: 'name', type: { name: 'varchar', text: 'varchar(50)', length: 50 }, nullable: false },
        ],
        constraints: [],
        indexes: [],
      },
      { kind: 'add-index', table: 'tags', columns: ['name'], unique: true, name: 'tags_name_unique' },
      { kind: 'rename-table', table: 'tags', newName: 'labels' },
      { kind: 'drop-column', table: 'users', column: 'bio' },
      { kind: 'drop-column', table: 'users', column: 'age' },
      { kind: 'drop-table', table: 'old_a' },
      { kind: 'drop-table', table: 'old_b', ifExists: true },
    ]);
  });

  it('Schema::connection() and the $connection property set the migration connection', async () => {
    const m = await readLaravel(migration(`        Schema::connection('reporting')->table('events', function (Blueprint $table) {\n            $table->dropColumn('payload');\n        });`, "\n    protected $connection = 'analytics';\n"));
    expect(m.connection).toBe('analytics');
    expect(bare(m.ops)).toEqual([{ kind: 'drop-column', table: 'events', column: 'payload' }]);
  });

  it('disableForeignKeyConstraints() turns foreign_key_checks off on MySQL', async () => {
    const m = await readLaravel(migration(`        Schema::disableForeignKeyConstraints();\n        Schema::table('orders', fn (Blueprint $t) => $t->foreign('user_id')->references('id')->on('users'));\n        Schema::enableForeignKeyConstraints();`), 'mysql');
    expect(bare(m.ops).map((o) => o.kind)).toEqual(['session', 'add-constraint', 'session']);
    const f = await lintLaravel(migration(`        Schema::disableForeignKeyConstraints();\n        Schema::table('orders', fn (Blueprint $t) => $t->foreign('user_id')->references('id')->on('users'));`), 'mysql');
    expect(f.filter((x) => x.rule === 'validating-foreign-key')).toEqual([]);
  });

  it('ops under Schema::hasTable / hasColumn guards are marked conditional, not dropped', async () => {
    const m = await readLaravel(migration(`        if (Schema::hasColumn('users', 'bio')) {\n            Schema::table('users', function (Blueprint $table) {\n                $table->dropColumn('bio');\n            });\n        }\n        if (! Schema::hasTable('audits')) {\n            Schema::create('audits', fn (Blueprint $t) => $t->id());\n        }`));
    expect(m.ops.map((o) => [o.kind, o.conditional])).toEqual([
      ['drop-column', true],
      ['create-table', true],
    ]);
  });

  it('driver checks limit ops to dialects (if/else, early return, match)', async () => {
    const code = migration(`        if (DB::getDriverName() === 'sqlite') {\n            return;\n        }\n        if (DB::connection()->getDriverName() === 'pgsql') {\n            DB::statement('CREATE INDEX CONCURRENTLY a ON users (email)');\n        } else {\n            DB::statement('ALTER TABLE users ADD INDEX a (email)');\n        }\n        match (config('database.default')) {\n            'mysql' => DB::statement('ALTER TABLE users ALGORITHM=INPLACE, LOCK=NONE'),\n            default => null,\n        };`);
    const m = await readLaravel(code);
    // SQL meant for MySQL is not parsed with PostgreSQL's grammar: on a PostgreSQL target it never runs.
    expect(m.ops.map((o) => [o.kind, o.dialects])).toEqual([['add-index', ['postgres']]]);
    const my = await readLaravel(code, 'mysql');
    expect(my.ops.map((o) => [o.kind, o.dialects])).toEqual([
      ['add-index', ['mysql', 'mariadb']],
      ['table-option', ['mysql', 'mariadb']],
    ]);
  });
});

describe('Laravel reader: Blueprint columns per driver', () => {
  const cases: Array<[string, string, string]> = [
    // call, MySQL type, PostgreSQL type
    ["$table->string('a')", 'varchar(255)', 'varchar(255)'],
    ["$table->string('a', 40)", 'varchar(40)', 'varchar(40)'],
    ["$table->char('a', 2)", 'char(2)', 'char(2)'],
    ["$table->text('a')", 'text', 'text'],
    ["$table->mediumText('a')", 'mediumtext', 'text'],
    ["$table->longText('a')", 'longtext', 'text'],
    ["$table->integer('a')", 'int', 'integer'],
    ["$table->unsignedInteger('a')", 'int unsigned', 'integer'],
    ["$table->tinyInteger('a')", 'tinyint', 'smallint'],
    ["$table->smallInteger('a')", 'smallint', 'smallint'],
    ["$table->bigInteger('a')", 'bigint', 'bigint'],
    ["$table->unsignedBigInteger('a')", 'bigint unsigned', 'bigint'],
    ["$table->decimal('a', 10, 2)", 'decimal(10,2)', 'decimal(10,2)'],
    ["$table->decimal('a')", 'decimal(8,2)', 'decimal(8,2)'],
    ["$table->float('a')", 'float(53)', 'float(53)'],
    ["$table->double('a')", 'double', 'double precision'],
    ["$table->boolean('a')", 'tinyint(1)', 'boolean'],
    ["$table->date('a')", 'date', 'date'],
    ["$table->dateTime('a')", 'datetime', 'timestamp without time zone'],
    ["$table->dateTimeTz('a', 3)", 'datetime(3)', 'timestamp(3) with time zone'],
    ["$table->timestamp('a')", 'timestamp', 'timestamp without time zone'],
    ["$table->timestampTz('a')", 'timestamp', 'timestamp with time zone'],
    ["$table->time('a')", 'time', 'time without time zone'],
    ["$table->year('a')", 'year', 'integer'],
    ["$table->json('a')", 'json', 'json'],
    ["$table->jsonb('a')", 'json', 'jsonb'],
    ["$table->uuid('a')", 'char(36)', 'uuid'],
    ["$table->ulid('a')", 'char(26)', 'char(26)'],
    ["$table->enum('a', ['x', 'y'])", "enum('x','y')", 'varchar(255)'],
    ["$table->set('a', ['x', 'y'])", "set('x','y')", "set('x','y')"],
    ["$table->binary('a')", 'blob', 'bytea'],
    ["$table->ipAddress('a')", 'varchar(45)', 'inet'],
    ["$table->macAddress('a')", 'varchar(17)', 'macaddr'],
    ["$table->foreignUuid('a')", 'char(36)', 'uuid'],
  ];
  it.each(cases)('%s → MySQL %s, PostgreSQL %s', async (call, my, pg) => {
    for (const [dialect, expected] of [['mysql', my], ['postgres', pg]] as const) {
      const m = await readLaravel(migration(`        Schema::table('t', function (Blueprint $table) {\n            ${call}->nullable();\n        });`), dialect);
      const op = m.ops.find((o) => o.kind === 'add-column')!;
      expect(op.kind === 'add-column' && op.column.type.text, `${dialect} ${call}`).toBe(expected);
    }
  });

  it('columns are NOT NULL unless nullable(); modifiers: default, useCurrent, after, first, comment, charset, collation', async () => {
    const m = await readLaravel(
      migration(`        Schema::table('users', function (Blueprint $table) {\n            $table->string('locale', 5)->default('en')->after('email')->comment('UI language')->charset('utf8mb4')->collation('utf8mb4_bin');\n            $table->timestamp('seen_at')->useCurrent()->first();\n            $table->boolean('admin')->default(false);\n            $table->integer('score')->default(DB::raw('0'));\n        });`),
      'mysql',
    );
    expect(bare(m.ops)).toEqual([
      { kind: 'add-column', table: 'users', column: { name: 'locale', type: { name: 'varchar', text: 'varchar(5)', length: 5, charset: 'utf8mb4', collation: 'utf8mb4_bin' }, nullable: false, default: { kind: 'constant', text: "'en'" }, comment: 'UI language' }, position: { after: 'email' } },
      { kind: 'add-column', table: 'users', column: { name: 'seen_at', type: { name: 'timestamp', text: 'timestamp' }, nullable: false, default: { kind: 'expression', text: 'CURRENT_TIMESTAMP' } }, position: { first: true } },
      { kind: 'add-column', table: 'users', column: { name: 'admin', type: { name: 'tinyint', text: 'tinyint(1)', length: 1 }, nullable: false, default: { kind: 'constant', text: "'0'" } } },
      { kind: 'add-column', table: 'users', column: { name: 'score', type: { name: 'integer', text: 'int' }, nullable: false, default: { kind: 'constant', text: '0' } } },
    ]);
  });

  it('helpers: id, timestamps, softDeletes, rememberToken, morphs, nullableMorphs, uuidMorphs', async () => {
    const m = await readLaravel(migration(`        Schema::create('comments', function (Blueprint $table) {\n            $table->id();\n            $table->morphs('commentable');\n            $table->nullableMorphs('author');\n            $table->uuidMorphs('subject');\n            $table->rememberToken();\n            $table->softDeletes();\n            $table->timestamps();\n        });`), 'postgres');
    const create = m.ops[0]!;
    expect(create.kind === 'create-table' && create.columns.map((c) => `${c.name} ${c.type.text}${c.nullable ? ' null' : ''}`)).toEqual([
      'id bigserial',
      'commentable_type varchar(255)',
      'commentable_id bigint',
      'author_type varchar(255) null',
      'author_id bigint null',
      'subject_type varchar(255)',
      'subject_id uuid',
      'remember_token varchar(100) null',
      'deleted_at timestamp without time zone null',
      'created_at timestamp without time zone null',
      'updated_at timestamp without time zone null',
    ]);
    expect(bare(m.ops.slice(1)).map((o) => o.name)).toEqual(['comments_commentable_type_commentable_id_index', 'comments_author_type_author_id_index', 'comments_subject_type_subject_id_index']);
  });

  it('foreignId()->constrained(), foreignIdFor(), foreign()->references()->on(), notValid()', async () => {
    const m = await readLaravel(
      migration(`        Schema::table('orders', function (Blueprint $table) {\n            $table->foreignId('team_id')->nullable()->constrained()->cascadeOnDelete();\n            $table->foreignIdFor(\\App\\Models\\Category::class)->constrained();\n            $table->foreign('user_id')->references('id')->on('users')->notValid()->onDelete('set null')->cascadeOnUpdate();\n        });`),
    );
    expect(bare(m.ops)).toEqual([
      { kind: 'add-column', table: 'orders', column: { name: 'team_id', type: { name: 'bigint', text: 'bigint' }, nullable: true } },
      { kind: 'add-constraint', table: 'orders', constraint: 'foreign', columns: ['team_id'], name: 'orders_team_id_foreign', references: { table: 'teams', columns: ['id'], onDelete: 'CASCADE' }, validated: true },
      { kind: 'add-column', table: 'orders', column: { name: 'category_id', type: { name: 'bigint', text: 'bigint' }, nullable: false } },
      { kind: 'add-constraint', table: 'orders', constraint: 'foreign', columns: ['category_id'], name: 'orders_category_id_foreign', references: { table: 'categories', columns: ['id'] }, validated: true },
      { kind: 'add-constraint', table: 'orders', constraint: 'foreign', columns: ['user_id'], name: 'orders_user_id_foreign', references: { table: 'users', columns: ['id'], onDelete: 'SET NULL', onUpdate: 'CASCADE' }, validated: false },
    ]);
  });

  it('->change() restates the column; storedAs/virtualAs; autoIncrement; inline index modifiers', async () => {
    const m = await readLaravel(
      migration(`        Schema::table('users', function (Blueprint $table) {\n            $table->string('name', 500)->nullable()->change();\n            $table->string('email')->index()->change();\n            $table->integer('total')->storedAs('price * qty');\n            $table->string('search')->virtualAs("concat(name, ' ', email)")->nullable();\n            $table->string('code', 8)->unique('users_code_uq');\n            $table->text('body')->fulltext();\n        });`),
      'mysql',
    );
    expect(bare(m.ops).map((o) => `${o.kind}:${(o.column as { name?: string })?.name ?? o.column ?? o.name ?? ''}`)).toEqual([
      'alter-column:name',
      'alter-column:email',
      'add-index:users_email_index',
      'add-column:total',
      'add-column:search',
      'add-column:code',
      'add-index:users_code_uq',
      'add-column:body',
      'add-index:users_body_fulltext',
    ]);
    expect(m.ops[0]).toMatchObject({ kind: 'alter-column', restatesColumn: true, nullable: true, type: { text: 'varchar(500)' }, default: null });
    expect(m.ops[3]).toMatchObject({ column: { generated: { kind: 'stored', expression: 'price * qty' } } });
    expect(m.ops[8]).toMatchObject({ method: 'fulltext' });
  });
});

describe('Laravel reader: indexes, keys, drops', () => {
  it('index/unique/primary/fullText/spatialIndex and their drops, renameIndex, with Laravel names', async () => {
    const m = await readLaravel(
      migration(`        Schema::table('posts', function (Blueprint $table) {\n            $table->index(['user_id', 'created_at']);\n            $table->unique('slug');\n            $table->primary('id');\n            $table->fullText('body');\n            $table->spatialIndex('location');\n            $table->dropIndex(['user_id', 'created_at']);\n            $table->dropUnique('posts_slug_unique');\n            $table->dropPrimary();\n            $table->dropForeign(['user_id']);\n            $table->renameIndex('a', 'b');\n        });`),
      'postgres',
    );
    expect(bare(m.ops)).toEqual([
      { kind: 'add-index', table: 'posts', columns: ['user_id', 'created_at'], unique: false, name: 'posts_user_id_created_at_index' },
      { kind: 'add-constraint', table: 'posts', constraint: 'unique', columns: ['slug'], validated: true, name: 'posts_slug_unique' },
      { kind: 'add-constraint', table: 'posts', constraint: 'primary', columns: ['id'], validated: true },
      { kind: 'add-index', table: 'posts', columns: ['body'], unique: false, method: 'gin', name: 'posts_body_fulltext' },
      { kind: 'add-index', table: 'posts', columns: ['location'], unique: false, method: 'gist', name: 'posts_location_spatialindex' },
      { kind: 'drop-index', table: 'posts', name: 'posts_user_id_created_at_index' },
      { kind: 'drop-constraint', table: 'posts', name: 'posts_slug_unique', constraint: 'unique' },
      { kind: 'drop-constraint', table: 'posts', name: 'posts_pkey', constraint: 'primary' },
      { kind: 'drop-constraint', table: 'posts', name: 'posts_user_id_foreign', constraint: 'foreign' },
      { kind: 'rename-index', table: 'posts', name: 'a', newName: 'b' },
    ]);
  });

  it('->online() builds PostgreSQL indexes concurrently (Laravel 12.23+)', async () => {
    const m = await readLaravel(migration(`        Schema::table('posts', function (Blueprint $table) {\n            $table->index('slug')->online();\n            $table->unique('code')->online();\n        });`));
    expect(bare(m.ops)).toEqual([
      { kind: 'add-index', table: 'posts', columns: ['slug'], unique: false, name: 'posts_slug_index', concurrently: true },
      { kind: 'add-index', table: 'posts', columns: ['code'], unique: true, concurrently: true, name: 'posts_code_unique' },
      { kind: 'add-constraint', table: 'posts', constraint: 'unique', columns: ['code'], validated: true, name: 'posts_code_unique', usingIndex: 'posts_code_unique' },
    ]);
  });

  it('dropColumn with a string, an array or several arguments; drop helpers', async () => {
    const m = await readLaravel(
      migration(`        Schema::table('users', function (Blueprint $table) {\n            $table->dropColumn('a');\n            $table->dropColumn(['b', 'c']);\n            $table->dropColumn('d', 'e');\n            $table->dropTimestamps();\n            $table->dropSoftDeletes();\n            $table->dropRememberToken();\n            $table->dropMorphs('taggable');\n            $table->dropConstrainedForeignId('team_id');\n            $table->renameColumn('x', 'y');\n        });`),
      'mysql',
    );
    expect(bare(m.ops).map((o) => `${o.kind} ${o.column ?? o.name}${o.newName ? ` → ${o.newName}` : ''}`)).toEqual([
      'drop-column a',
      'drop-column b',
      'drop-column c',
      'drop-column d',
      'drop-column e',
      'drop-column created_at',
      'drop-column updated_at',
      'drop-column deleted_at',
      'drop-column remember_token',
      'drop-index users_taggable_type_taggable_id_index',
      'drop-column taggable_type',
      'drop-column taggable_id',
      'drop-constraint users_team_id_foreign',
      'drop-column team_id',
      'rename-column x → y',
    ]);
  });

  it("`->nullable;` (a property read, not a call) still adds the column, NOT NULL, as PHP runs it", async () => {
    const m = await readLaravel(migration(`        Schema::create('contacts', function (Blueprint $table) {\n            $table->integer('first_parent_id')->nullable;\n        });`), 'mysql');
    const create = m.ops[0] as { kind: string; columns: Array<{ name: string; nullable: boolean }> };
    expect(create.kind).toBe('create-table');
    expect(create.columns.map((c) => [c.name, c.nullable])).toEqual([['first_parent_id', false]]);
  });

  it('unknown Blueprint methods and run-time names are reported, never dropped', async () => {
    const m = await readLaravel(migration(`        Schema::table($name, function (Blueprint $table) {});\n        Schema::table('users', function (Blueprint $table) {\n            $table->schemalessAttributes('extra');\n        });`));
    expect(bare(m.ops)).toEqual([
      { kind: 'raw', table: '', reason: 'Schema::table() on a table name built at run time (variable $name)' },
      { kind: 'raw', table: 'users', reason: 'unknown Blueprint method schemalessAttributes()' },
    ]);
  });

  it("table and column names from the app's config: config() values, arrays held in variables, ?? defaults (spatie/laravel-permission's published migration)", async () => {
    const CONFIG = "<?php\nreturn ['table_names' => ['roles' => 'acl_roles', 'permissions' => env('PERMISSIONS_TABLE', 'acl_permissions')], 'column_names' => ['model_morph_key' => 'subject_id']];";
    const config = new LaravelAppConfig((name) => (name === 'permission' ? CONFIG : undefined));
    const code = migration(
      `        $tableNames = config('permission.table_names');\n        $columnNames = config('permission.column_names');\n        $pivot = $columnNames['role_pivot_key'] ?? 'role_id';\n        Schema::table($tableNames['roles'], function (Blueprint $table) use ($columnNames, $pivot) {\n            $table->dropColumn([$columnNames['model_morph_key'], $pivot]);\n        });\n        Schema::drop($tableNames['permissions']);\n        Schema::drop(config('audit.drivers.database.table', 'audits'));\n        Schema::drop(config('activitylog.table_name'));\n        Schema::drop($tableNames['model_has_roles']);`,
    );
    const r = readLaravelMigration(code, { file: 'database/migrations/2024_01_01_000000_permissions.php', dialect: 'mysql', appConfig: (k) => config.get(k) });
    // the database connection stays a driver check even when the app's config/database.php names a default
    const database = new LaravelAppConfig((name) => (name === 'database' ? "<?php return ['default' => env('DB_CONNECTION', 'mysql')];" : undefined));
    const guarded = readLaravelMigration(migration(`        $driver = config('database.default');\n        if ($driver === 'pgsql' || env('DB_CONNECTION', 'mysql') === 'pgsql') {\n            Schema::table('users', function (Blueprint $table) {\n                $table->dropColumn('legacy');\n            });\n        }`), { file: 'database/migrations/2024_01_01_000000_ext.php', dialect: 'postgres', appConfig: (k) => database.get(k) });
    if (!('migration' in guarded)) throw new Error(guarded.skipped);
    expect(guarded.migration.ops.map((o) => [o.kind, [...(o.dialects ?? [])]])).toEqual([['drop-column', ['postgres']]]);
    if (!('migration' in r)) throw new Error(r.skipped);
    expect(bare(r.migration.ops)).toEqual([
      { kind: 'drop-column', table: 'acl_roles', column: 'subject_id' },
      { kind: 'drop-column', table: 'acl_roles', column: 'role_id' },
      { kind: 'drop-table', table: 'acl_permissions' },
      // no config/audit.php: the call's own default
      { kind: 'drop-table', table: 'audits' },
      // neither the config nor the call says: still reported, never guessed
      { kind: 'raw', table: '', reason: 'Schema::drop() on a table name built at run time (call to config())' },
      { kind: 'raw', table: '', reason: "Schema::drop() on a table name built at run time (expression $tableNames['model_has_roles'])" },
    ]);
    // `?? 'x'` is x only when the left side is known to be missing, never a guess for a dynamic one
    const dyn = readLaravelMigration(migration("        Schema::drop($this->name() ?? 'users');"), { file: 'database/migrations/2024_01_01_000000_d.php', dialect: 'mysql' });
    if (!('migration' in dyn)) throw new Error(dyn.skipped);
    expect(dyn.migration.ops.map((o) => o.kind)).toEqual(['raw']);
  });

  it('resolves loops over literal arrays, class properties and constants, and the table prefix', async () => {
    const code = migration(
      `        foreach ($this->tables as $table => $columns) {\n            foreach ($columns as $column) {\n                Schema::table($table, function (Blueprint $t) use ($column) {\n                    $t->dropColumn($column);\n                });\n            }\n        }\n        DB::statement('ALTER TABLE '.DB::getTablePrefix().self::TABLE.' DROP COLUMN legacy');`,
      "\n    private array $tables = ['users' => ['a', 'b'], 'orders' => ['c']];\n    private const TABLE = 'teams';\n",
    );
    expect(bare((await readLaravel(code)).ops).map((o) => `${o.table}.${o.column}`)).toEqual(['users.a', 'users.b', 'orders.c', 'teams.legacy']);
  });
});

describe('Laravel reader: raw SQL and data changes', () => {
  it('DB::statement, DB::unprepared and heredocs go through the SQL reader, located in the PHP file', async () => {
    const m = await readLaravel(migration(`        DB::statement('ALTER TABLE users DROP COLUMN bio');\n        DB::unprepared(<<<'SQL'\n            CREATE INDEX users_age ON users (age);\n            ALTER TABLE users ALTER COLUMN age SET NOT NULL;\n            SQL);`));
    expect(m.ops.map((o) => [o.kind, o.source.line, o.source.col])).toEqual([
      ['drop-column', 12, 24],
      ['add-index', 14, 1],
      ['alter-column', 15, 1],
    ]);
  });

  it('a table name from a static call is reported naming the call', async () => {
    const m = await readLaravel(migration(`        Schema::table(Helper::t('users'), function (Blueprint $table) {\n            $table->dropColumn('x');\n        });\n        Schema::drop(self::name());`));
    expect(bare(m.ops)).toEqual([
      { kind: 'raw', table: '', reason: 'Schema::table() on a table name built at run time (call to Helper::t())' },
      { kind: 'raw', table: '', reason: 'Schema::drop() on a table name built at run time (call to self::name())' },
    ]);
  });

  it('SQL built at run time is reported with what was dynamic', async () => {
    const m = await readLaravel(migration(`        DB::statement("ALTER TABLE {$this->table()} DROP COLUMN x");`));
    expect(bare(m.ops)).toEqual([{ kind: 'raw', table: '', reason: 'SQL built at run time (interpolated call to table()) in DB::statement()' }]);
  });

  it('query-builder and Eloquent writes become data ops, batched or not', async () => {
    const m = await readLaravel(
      migration(`        DB::table('users')->whereNull('locale')->update(['locale' => 'en']);\n        DB::table('audits')->delete();\n        DB::table('settings')->insert(['key' => 'x']);\n        DB::table('users')->orderBy('id')->chunkById(500, function ($users) {});\n        User::query()->where('active', false)->update(['status' => 'inactive']);\n        Order::chunk(100, function ($orders) {});\n        Setting::create(['key' => 'y']);`),
    );
    expect(bare(m.ops)).toEqual([
      { kind: 'data', table: 'users', action: 'update', batched: false, filtered: true, via: 'query-builder' },
      { kind: 'data', table: 'audits', action: 'delete', batched: false, filtered: false, via: 'query-builder' },
      { kind: 'data', table: 'settings', action: 'insert', batched: false, filtered: false, via: 'query-builder' },
      { kind: 'data', table: 'users', action: 'update', batched: true, filtered: false, via: 'query-builder' },
      { kind: 'data', table: 'users', action: 'update', batched: false, filtered: true, keyEquals: ['active'], via: 'eloquent' },
      { kind: 'data', table: 'orders', action: 'update', batched: true, filtered: false, via: 'eloquent' },
      { kind: 'data', table: 'settings', action: 'insert', batched: false, filtered: false, via: 'eloquent' },
    ]);
  });

  it('simple query-builder writes carry the SQL Laravel sends (for the planner); the rest stays PHP', async () => {
    const m = await readLaravel(
      migration(
        `        DB::table('users')->whereNull('locale')->update(['locale' => 'en']);\n        DB::table('orders')->where('status', '<>', 'paid')->whereIn('kind', ['a', 'b'])->where(['archived' => true])->delete();\n        DB::table('users')->where('n', 1)->update(['n' => DB::raw('n + 1'), 'note' => null]);\n        DB::table('users')->whereRaw('x > 1')->update(['x' => 1]);\n        User::query()->where('active', false)->update(['status' => 'inactive']);`,
      ),
    );
    expect(m.ops.map((o) => o.sql)).toEqual([
      "UPDATE users SET locale = 'en' WHERE locale IS NULL",
      "DELETE FROM orders WHERE status <> 'paid' AND kind IN ('a', 'b') AND archived = TRUE",
      'UPDATE users SET n = n + 1, note = NULL WHERE n = 1',
      undefined,
      undefined,
    ]);
  });

  it('DB::raw() inside Blueprint calls is taken as SQL', async () => {
    const m = await readLaravel(migration(`        Schema::table('users', function (Blueprint $table) {\n            $table->uuid('public_id')->default(DB::raw('gen_random_uuid()'));\n        });`));
    expect(m.ops[0]).toMatchObject({ column: { default: { kind: 'volatile', text: 'gen_random_uuid()' } } });
  });

  it('Artisan::call is reported as not analysable', async () => {
    const m = await readLaravel(migration(`        Artisan::call('db:seed', ['--class' => 'RolesSeeder']);`));
    expect(bare(m.ops)).toEqual([{ kind: 'raw', table: '', reason: "Artisan::call('db:seed') runs a console command whose database changes zdd cannot see" }]);
  });
});

describe('Laravel migrations through the rules', () => {
  it('Blueprint ops cost what the driver does: ->index() blocks writes on PostgreSQL, not on MySQL', async () => {
    const code = migration(`        Schema::table('users', function (Blueprint $table) {\n            $table->index('age');\n        });`);
    expect((await lintLaravel(code, 'postgres')).map((f) => f.rule)).toEqual(['blocking-index-build', 'missing-lock-timeout']);
    expect((await lintLaravel(code, 'mysql')).map((f) => f.rule)).toEqual(['missing-lock-timeout']);
  });

  it('Eloquent writes on model instances are data ops, one row per statement (never skipped)', async () => {
    const m = await readLaravel(
      migration(
        [
          '        foreach (CustomField::all() as $field) {',
          '            $field->format = strtoupper($field->format);',
          '            $field->save();',
          '        }',
          '        $s = new Setting;',
          '        $s->save();',
          '        $u = User::where(\'email\', \'a@b.c\')->first();',
          '        $u->delete();',
          '        $thing->save();',
          '        $collection->push(1);',
        ].join('\n'),
      ),
      'mysql',
    );
    expect(m.ops.map((o) => (o.kind === 'data' ? `${o.action} ${o.table || '?'} line ${o.source.line} batched=${o.batched}` : o.kind))).toEqual([
      'update custom_fields line 14 batched=true',
      'insert settings line 17 batched=true',
      'delete users line 19 batched=true',
      'update ? line 20 batched=true',
    ]);
  });

  it('instance writes: a relation write is not the instance\'s table, a builder in a variable is a query, a loop over other things forgets the model', async () => {
    const m = await readLaravel(
      migration(
        [
          '        $user = User::first();',
          '        $user->posts()->delete();',
          "        $q = User::where('active', 0);",
          "        $q->update(['flag' => 1]);",
          '        foreach (User::all() as $row) {',
          '            $row->touch();',
          '        }',
          '        foreach ($this->items() as $row) {',
          '            $row->delete();',
          '        }',
        ].join('\n'),
      ),
      'mysql',
    );
    expect(m.ops.map((o) => (o.kind === 'data' ? `${o.action} ${o.table || '?'} batched=${o.batched}` : o.kind))).toEqual(['update users batched=false', 'update users batched=true']);
  });

  it('fixes are written as Laravel code', async () => {
    const f = await lintLaravel(migration(`        DB::statement("SET lock_timeout = '2s'");\n        Schema::table('users', function (Blueprint $table) {\n            $table->index('age');\n        });`));
    expect(f[0]!.fix).toBe(
      [
        'Build it with CONCURRENTLY, outside a transaction (writes go on; if it fails, drop the INVALID index and retry).',
        'public $withinTransaction = false; // in the migration class',
        "Schema::table('users', function (Blueprint $table) {",
        "    $table->index('age', 'users_age_index')->online(); // Laravel 12.23+",
        '});',
        "// before Laravel 12.23: DB::statement('CREATE INDEX CONCURRENTLY users_age_index ON users (age)');",
        'zdd-plan: `zdd-plan` runs the concurrent build before the swap, outside the migration transaction.',
      ].join('\n'),
    );
  });

  it('default(null) writes no DEFAULT clause, as Laravel does: a NOT NULL column without one, a ->change() that drops the old default', async () => {
    for (const dialect of ['postgres', 'mysql'] as const) {
      const f = await lintLaravel(
        migration(`        DB::statement("${dialect === 'postgres' ? "SET lock_timeout = '2s'" : 'SET SESSION lock_wait_timeout = 2'}");\n        Schema::table('users', function (Blueprint $table) {\n            $table->string('status', 40)->default(null)->change();\n            $table->string('nick')->default(null);\n        });`),
        dialect,
      );
      expect(f.map((x) => `${x.rule} ${x.target.column}`), dialect).toEqual(['drop-column-default status', 'add-not-null-column nick']);
      // the fix restores the default the Laravel way, on either database
      expect(f[0]!.fix.split('\n').slice(1, 4)).toEqual(["Schema::table('users', function (Blueprint $table) {", "    $table->string('status', 40)->default('active')->change();", '});']);
    }
  });

  it("a number default stays a number in the Laravel fix (Laravel quotes every default: ->default(22) is default '22')", async () => {
    const schema = "CREATE TABLE servers (id bigserial PRIMARY KEY, port bigint NOT NULL DEFAULT '22', name varchar(40) NOT NULL DEFAULT '22');";
    const f = await lintLaravel(migration(`        DB::statement("SET lock_timeout = '2s'");\n        Schema::table('servers', function (Blueprint $table) {\n            $table->bigInteger('port')->change();\n            $table->string('name', 40)->change();\n        });`), 'postgres', schema);
    const fixes = f.filter((x) => x.rule === 'drop-column-default').map((x) => x.fix.split('\n')[2]);
    // the string column keeps a string
    expect(fixes).toEqual(["    $table->bigInteger('port')->default(22)->change();", "    $table->string('name', 40)->default('22')->change();"]);
  });

  it('CONCURRENTLY in a migration that Laravel wraps in a transaction', async () => {
    const f = await lintLaravel(migration(`        DB::statement('CREATE INDEX CONCURRENTLY users_age ON users (age)');`));
    expect(f.map((x) => x.rule)).toEqual(['concurrent-index-in-transaction']);
    expect(f[0]!.message).toContain('Laravel wraps each migration in a transaction on PostgreSQL');
    expect(f[0]!.fix).toContain('public $withinTransaction = false; // in the migration class');
  });

  it('`// zdd-ignore` on the line before a Blueprint call, or before Schema::table, suppresses', async () => {
    const inner = migration(`        DB::statement("SET lock_timeout = '2s'");\n        Schema::table('users', function (Blueprint $table) {\n            // zdd-ignore drop-column: bio moved to profiles in release 41\n            $table->dropColumn('bio');\n            $table->dropColumn('age');\n        });`);
    expect((await lintLaravel(inner)).map((f) => `${f.rule}:${f.target.column}`)).toEqual(['drop-column:age']);
    const outer = migration(`        DB::statement("SET lock_timeout = '2s'");\n        // zdd-ignore drop-column: contract step of the profiles move\n        Schema::table('users', function (Blueprint $table) {\n            $table->dropColumn('bio');\n            $table->dropColumn('age');\n        });`);
    expect(await lintLaravel(outer)).toEqual([]);
  });

  it('the NOT NULL default of Laravel columns is caught on existing tables', async () => {
    const f = await lintLaravel(migration(`        Schema::table('users', function (Blueprint $table) {\n            $table->string('locale', 5);\n        });`), 'mysql');
    expect(f.map((x) => x.rule)).toEqual(['add-not-null-column', 'missing-lock-timeout']);
    expect(f[0]!.fix).toContain("$table->string('locale', 5)->nullable(); // or ->default(...)");
  });

  it('PostgreSQL enum() adds a validating CHECK', async () => {
    const f = await lintLaravel(migration(`        Schema::table('users', function (Blueprint $table) {\n            $table->enum('role', ['admin', 'member'])->default('member');\n        });`));
    expect(f.map((x) => x.rule)).toContain('add-check-constraint');
  });
});

describe('Laravel ->change() restates the whole column', () => {
  it('a change() without nullable() makes the column NOT NULL (Laravel 11+): set-not-null, one rewrite finding', async () => {
    const f = await lintLaravel(migration(`        DB::statement("SET lock_timeout = '2s'");\n        Schema::table('users', function (Blueprint $table) {\n            $table->bigInteger('age')->change();\n        });`));
    expect(f.map((x) => x.rule)).toEqual(['change-column-type', 'set-not-null']);
  });
});

describe('findings from loops', () => {
  it('a loop running the same write for several values is reported once per table', async () => {
    const code = migration(
      `        foreach ($this->tables as $table => $column) {\n            foreach (['A' => 'a', 'B' => 'b'] as $old => $new) {\n                DB::table($table)->where([$column => $old])->update([$column => $new]);\n            }\n        }`,
      "\n    protected $tables = ['users' => 'status', 'orders' => 'note'];\n",
    );
    const f = await lintLaravel(code);
    expect(f.filter((x) => x.rule === 'backfill-in-migration').map((x) => x.target.table)).toEqual(['users', 'orders']);
  });
});

describe('Laravel reader: Blueprint callbacks held in variables', () => {
  // BookStack's 2022_10_08_104202_drop_entity_restricted_field.php and 2023_12_17_140913_add_description_html_to_entities.php
  const BOOKSTACK = `<?php

use Illuminate\\Database\\Migrations\\Migration;
use Illuminate\\Database\\Schema\\Blueprint;
use Illuminate\\Support\\Facades\\DB;
use Illuminate\\Support\\Facades\\Schema;

return new class extends Migration
{
    public function up(): void
    {
        // Remove entity-permissions on non-restricted entities
        $deleteInactiveEntityPermissions = function (string $table, string $morphClass) {
            DB::table('entity_permissions')->where('entity_type', '=', $morphClass)->delete();
        };
        $deleteInactiveEntityPermissions('pages', 'page');

        // Drop restricted columns
        $dropRestrictedColumn = fn(Blueprint $table) => $table->dropColumn('restricted');
        Schema::table('pages', $dropRestrictedColumn);
        Schema::table('chapters', $dropRestrictedColumn);

        $addColumn = function (Blueprint $table) {
            $table->text('description_html');
        };
        Schema::table('books', $addColumn);

        $columns = function (Blueprint $table) {
            $table->id();
            $table->string('name', 100)->unique();
        };
        Schema::create('shelves', $columns);
    }

    public function down(): void
    {
        $removeColumn = fn(Blueprint $table) => $table->removeColumn('description_html');
        Schema::table('books', $removeColumn);
    }
};
`;

  it('Schema::table/create with a closure or arrow function assigned earlier read as if written there, per table', async () => {
    const m = await readLaravel(BOOKSTACK, 'mysql');
    expect(bare(m.ops)).toEqual([
      // a closure called through its variable runs its body
      { kind: 'data', table: 'entity_permissions', action: 'delete', batched: false, filtered: true, keyEquals: ['entity_type'], via: 'query-builder' },
      { kind: 'drop-column', table: 'pages', column: 'restricted' },
      { kind: 'drop-column', table: 'chapters', column: 'restricted' },
      { kind: 'add-column', table: 'books', column: { name: 'description_html', type: { name: 'text', text: 'text' }, nullable: false } },
      {
        kind: 'create-table',
        table: 'shelves',
        columns: [
          { name: 'id', type: { name: 'bigint', text: 'bigint unsigned', unsigned: true }, nullable: false, autoIncrement: true, primaryKey: true },
          { name: 'name', type: { name: 'varchar', text: 'varchar(100)', length: 100 }, nullable: false },
        ],
        constraints: [],
        indexes: [],
      },
      { kind: 'add-index', table: 'shelves', columns: ['name'], unique: true, name: 'shelves_name_unique' },
    ]);
    expect(bare(m.down!)).toEqual([{ kind: 'drop-column', table: 'books', column: 'description_html' }]);
    // located at the Blueprint call in the closure; each run belongs to the Schema call that runs it
    expect(m.ops.slice(1, 3).map((o) => o.source)).toMatchObject([
      { line: 19, text: "$table->dropColumn('restricted')" },
      { line: 19, text: "$table->dropColumn('restricted')" },
    ]);
    expect(m.ops[1]!.statement).not.toBe(m.ops[2]!.statement);
  });

  it('the closure keeps the variables it saw where it was written; a helper method may be handed one', async () => {
    const code = migration(
      `        $column = 'legacy';\n        $drop = function (Blueprint $table) use ($column) {\n            $table->dropColumn($column);\n        };\n        $column = 'other';\n        Schema::table('users', $drop);\n        $this->alter('orders', fn (Blueprint $t) => $t->dropColumn('note'));\n        $this->alter('teams', $drop);\n        Schema::table('users', function (Blueprint $table) {\n            $addFlags = fn (Blueprint $t) => $t->boolean('active')->default(true);\n            $addFlags($table);\n        });`,
      "\n    private function alter(string $table, Closure $callback): void\n    {\n        Schema::table($table, $callback);\n    }\n",
    );
    expect(bare((await readLaravel(code, 'mysql')).ops)).toEqual([
      { kind: 'drop-column', table: 'users', column: 'legacy' },
      { kind: 'drop-column', table: 'orders', column: 'note' },
      { kind: 'drop-column', table: 'teams', column: 'legacy' },
      { kind: 'add-column', table: 'users', column: { name: 'active', type: { name: 'tinyint', text: 'tinyint(1)', length: 1 }, nullable: false, default: { kind: 'constant', text: "'1'" } } },
    ]);
  });

  it('a callback zdd cannot read is reported with the table, never skipped', async () => {
    const code = migration(
      `        $drop = $this->dropper();\n        Schema::table('pages', $drop);\n        Schema::create('tags', $columns);\n        Schema::table('books', [$this, 'alterBooks']);\n        $this->alter('orders', $this->dropper());`,
      "\n    private function alter(string $table, $callback): void\n    {\n        Schema::table($table, $callback);\n    }\n",
    );
    expect(bare((await readLaravel(code, 'mysql')).ops)).toEqual([
      { kind: 'raw', table: 'pages', reason: "Schema::table('pages') with a Blueprint callback zdd cannot read (variable $drop, not assigned a closure earlier in this method)" },
      { kind: 'raw', table: 'tags', reason: "Schema::create('tags') with a Blueprint callback zdd cannot read (variable $columns, not assigned a closure earlier in this method)" },
      { kind: 'raw', table: 'books', reason: "Schema::table('books') with a Blueprint callback zdd cannot read (callable array)" },
      { kind: 'raw', table: 'orders', reason: "Schema::table('orders') with a Blueprint callback zdd cannot read (variable $callback, not assigned a closure earlier in this method)" },
    ]);
    const f = await lintLaravel(code, 'mysql');
    // in line order: the helper method's Schema::table comes first in the file
    expect(f.filter((x) => x.rule === 'unparsed-statement').map((x) => x.target.table)).toEqual(['orders', 'pages', 'tags', 'books']);
  });

  it('`// zdd-ignore` before the Schema call that runs a closure variable suppresses its ops for that table only', async () => {
    const code = migration(`        DB::statement("SET lock_timeout = '2s'");\n        $drop = function (Blueprint $table) {\n            $table->dropColumn('note');\n        };\n        // zdd-ignore drop-column: orders.note is unused since release 40\n        Schema::table('orders', $drop);\n        Schema::table('users', fn (Blueprint $t) => $t->dropColumn('bio'));`);
    expect((await lintLaravel(code)).map((f) => `${f.rule}:${f.target.table}.${f.target.column}`)).toEqual(['drop-column:users.bio']);
  });
});

describe('Laravel reader: loops over what a method of the migration returns', () => {
  // snipe-it 2024_09_17_204302_change_user_id_to_created_by.php (commit 1582d81e5b), abridged
  const SNIPE_IT = `<?php

use Illuminate\\Database\\Migrations\\Migration;
use Illuminate\\Database\\Schema\\Blueprint;
use Illuminate\\Support\\Facades\\Schema;

return new class extends Migration
{
    public function up(): void
    {
        foreach ($this->add_to_table_list() as $add_table) {
            if (!Schema::hasColumn($add_table, 'created_by')) {
                Schema::table($add_table, function (Blueprint $add_table) {
                    $add_table->unsignedBigInteger('created_by')->nullable()->before('created_at');
                });
            }
        }

        foreach ($this->existing_table_list() as $table) {
            if (Schema::hasColumn($table, 'user_id')) {
                Schema::table($table, function (Blueprint $table) {
                    $table->renameColumn('user_id', 'created_by');
                });
            }
        }
    }

    public function down(): void
    {
        foreach ($this->existing_table_list() as $table) {
            if (Schema::hasColumn($table, 'user_id')) {
                Schema::table($table, function (Blueprint $table) {
                    $table->renameColumn('created_by', 'user_id');
                });
            }
        }
    }

    public function existing_table_list() {
        return [
            'accessories',
            'action_logs',
            'assets',
            'users',
        ];
    }

    public function add_to_table_list() {
        return [
            'companies',
            'kits',
        ];
    }
};
`;

  it("foreach ($this->tables() as $t) over a method returning a literal array: snipe-it's user_id → created_by", async () => {
    const m = await readLaravel(SNIPE_IT, 'mysql');
    const createdBy = { name: 'created_by', type: { name: 'bigint', text: 'bigint unsigned', unsigned: true }, nullable: true };
    expect(bare(m.ops)).toEqual([
      { kind: 'add-column', table: 'companies', column: createdBy, conditional: true },
      { kind: 'add-column', table: 'kits', column: createdBy, conditional: true },
      ...['accessories', 'action_logs', 'assets', 'users'].map((table) => ({ kind: 'rename-column', table, column: 'user_id', newName: 'created_by', conditional: true })),
    ]);
    expect(bare(m.down!).map((o) => `${o.kind} ${o.table}`)).toEqual(['rename-column accessories', 'rename-column action_logs', 'rename-column assets', 'rename-column users']);
    const f = await lintLaravel(SNIPE_IT, 'mysql');
    expect(f.filter((x) => x.rule === 'unparsed-statement')).toEqual([]);
    expect(f.filter((x) => x.rule === 'rename-column').map((x) => x.target.table)).toEqual(['accessories', 'action_logs', 'assets', 'users']);
  });

  it('methods returning a constant or property, called through self::/static::, or held in a variable; methods with parameters or more than a return are not followed', async () => {
    const code = migration(
      `        foreach (self::legacy() as $table) {\n            Schema::table($table, fn (Blueprint $t) => $t->dropColumn('legacy'));\n        }\n        $tables = $this->columns();\n        foreach ($tables as $table => $column) {\n            Schema::table($table, fn (Blueprint $t) => $t->dropColumn($column));\n        }\n        foreach (static::TABLES as $table) {\n            Schema::drop($table);\n        }\n        foreach ($this->prefixed('x_') as $table) {\n            Schema::drop($table);\n        }\n        foreach ($this->computed() as $table) {\n            Schema::drop($table);\n        }`,
      "\n    private const TABLES = ['old_a', 'old_b'];\n    private array $columns = ['users' => 'bio', 'orders' => 'note'];\n\n    private static function legacy(): array\n    {\n        return self::TABLES;\n    }\n\n    private function columns(): array\n    {\n        return $this->columns;\n    }\n\n    private function prefixed(string $prefix): array\n    {\n        return [$prefix.'a'];\n    }\n\n    private function computed(): array\n    {\n        $t = ['c'];\n        return $t;\n    }\n",
    );
    expect(bare((await readLaravel(code, 'mysql')).ops)).toEqual([
      { kind: 'drop-column', table: 'old_a', column: 'legacy' },
      { kind: 'drop-column', table: 'old_b', column: 'legacy' },
      { kind: 'drop-column', table: 'users', column: 'bio' },
      { kind: 'drop-column', table: 'orders', column: 'note' },
      { kind: 'drop-table', table: 'old_a' },
      { kind: 'drop-table', table: 'old_b' },
      // a loop over data zdd cannot list runs conditionally
      { kind: 'raw', table: '', reason: 'Schema::drop() on a table name built at run time (variable $table)', conditional: true },
      { kind: 'raw', table: '', reason: 'Schema::drop() on a table name built at run time (variable $table)', conditional: true },
    ]);
  });
});
