import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMigration, prepareReaders } from '../../src/readers/index.js';
import { readDoctrineMigration } from '../../src/readers/doctrine.js';
import { ROOT } from '../helpers.js';
import { lintDoctrine, mauticConstantMigration, migrationClass, readDoctrine, shapes } from '../doctrine-helpers.js';

describe('Doctrine reader: addSql strings', () => {
  it('reads a literal and reports the statement at its position in the PHP file', async () => {
    const m = await readDoctrine('postgres', migrationClass('Version20240101000000', `$this->addSql('ALTER TABLE users DROP COLUMN legacy_id');`));
    expect(m.id).toBe('Version20240101000000');
    expect(m.format).toBe('doctrine');
    expect(m.transactional).toBe(true);
    expect(shapes(m.ops)).toEqual([{ kind: 'drop-column', table: 'users', column: 'legacy_id', ifExists: false, cascade: false }]);
    expect(m.ops[0]!.source).toEqual({ file: 'migrations/Version20240101000000.php', line: 17, col: 24, text: 'ALTER TABLE users DROP COLUMN legacy_id' });
  });

  it('reads heredoc and nowdoc with several statements, each at its own line and column', async () => {
    const up = [
      "$this->addSql(<<<'SQL'",
      '    ALTER TABLE users ADD COLUMN nickname VARCHAR(64) DEFAULT NULL;',
      '    CREATE INDEX users_nickname_idx ON users (nickname);',
      '    SQL);',
      '$this->addSql(<<<SQL',
      "    UPDATE users SET status = 'active' WHERE status IS NULL",
      '    SQL);',
    ].join('\n');
    const m = await readDoctrine('postgres', migrationClass('Version20240101000000', up));
    expect(m.ops.map((op) => [op.kind, op.source.line, op.source.col])).toEqual([
      ['add-column', 18, 13],
      ['add-index', 19, 13],
      ['data', 22, 13],
    ]);
    // one PHP call: one statement for suppressions
    expect(m.ops[0]!.statement).toBe(m.ops[1]!.statement);
  });

  it('resolves concatenation with class constants, sprintf with literal arguments and local variables', async () => {
    const up = [
      "$table = 'orders';",
      "$column = self::COLUMN;",
      "$this->addSql('ALTER TABLE ' . $table . ' DROP COLUMN ' . $column);",
      "$this->addSql(sprintf('CREATE INDEX %s ON %s (%s)', 'orders_total_idx', self::TABLE, 'total'));",
      "$sql = 'UPDATE orders';",
      "$sql .= \" SET note = '' WHERE note IS NULL\";",
      '$this->addSql($sql);',
    ].join('\n');
    const extra = "\n    private const TABLE = 'orders';\n    private const COLUMN = 'legacy_code';\n";
    const m = await readDoctrine('mysql', migrationClass('Version20240101000000', up, extra));
    expect(shapes(m.ops).map((o) => [o.kind, o.table, o.column ?? o.name ?? o.action])).toEqual([
      ['drop-column', 'orders', 'legacy_code'],
      ['add-index', 'orders', 'orders_total_idx'],
      ['data', 'orders', 'update'],
    ]);
    expect(m.ops[1]!.source).toMatchObject({ line: 20, col: 32 });
  });

  it('reads arrays of statements and loops over constant lists', async () => {
    const up = [
      "$this->addSql(['ALTER TABLE users DROP COLUMN a', 'ALTER TABLE users DROP COLUMN b']);",
      "foreach (['c', 'd'] as $column) {",
      "    $this->addSql(\"ALTER TABLE users DROP COLUMN {$column}\");",
      '}',
    ].join('\n');
    const m = await readDoctrine('postgres', migrationClass('Version20240101000000', up));
    expect(m.ops.map((op) => (op.kind === 'drop-column' ? op.column : op.kind))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('reads statements with parameters (? and :name become PostgreSQL placeholders)', async () => {
    const up = "$this->addSql('UPDATE users SET status = ? WHERE id = :id AND meta::text <> ?', ['x', 'id' => 3, 'y']);";
    const m = await readDoctrine('postgres', migrationClass('Version20240101000000', up));
    expect(shapes(m.ops)).toEqual([{ kind: 'data', table: 'users', action: 'update', via: 'sql', filtered: true, keyEquals: ['id'], batched: false }]);
  });

  it('keeps the statement as SQL the planner can run only when it is exactly what runs (no parameters)', async () => {
    const up = "$this->addSql('ALTER TABLE users DROP COLUMN legacy_id');\n$this->addSql('UPDATE users SET status = ? WHERE id = 1', ['x']);";
    const m = await readDoctrine('postgres', migrationClass('Version20240101000000', up));
    expect(m.ops.map((o) => o.sql)).toEqual(['ALTER TABLE users DROP COLUMN legacy_id', undefined]);
  });

  it('a ? or :name in a comment, a string (E\'…\' escapes too) or a jsonb operator is not a parameter', async () => {
    const up = "$this->addSql(<<<'SQL'\nUPDATE users SET meta = meta - 'a:b' /* why? :x */ WHERE tags ?| array['x'] AND note = E'it\\'s?' AND id = $1\nSQL);";
    const m = await readDoctrine('postgres', migrationClass('Version20240101000000', up));
    // nothing was numbered, so the statement is kept as the SQL that runs
    expect(m.ops.map((o) => o.sql)).toEqual(["UPDATE users SET meta = meta - 'a:b' /* why? :x */ WHERE tags ?| array['x'] AND note = E'it\\'s?' AND id = $1"]);
  });

  it('names what was dynamic when SQL is built at run time', async () => {
    const up = ['$definition = $this->columnDefinition();', "$this->addSql('ALTER TABLE users ADD ' . $definition);", '$this->addSql($this->buildSql());'].join('\n');
    const m = await readDoctrine('mysql', migrationClass('Version20240101000000', up));
    expect(shapes(m.ops)).toEqual([
      { kind: 'raw', table: 'users', reason: 'SQL built at run time: call to $this->columnDefinition()' },
      { kind: 'raw', table: '', reason: 'SQL built at run time: call to $this->buildSql()' },
    ]);
    expect(m.ops[0]!.source).toMatchObject({ line: 18, col: 9, text: "$this->addSql('ALTER TABLE users ADD ' . $definition);" });
  });

  it('strtolower() of a run-time name, called directly or through array_map, stays a symbolic name', async () => {
    const up = [
      "$this->addSql('ALTER TABLE users DROP ' . strtolower($this->column()));",
      "foreach (array_map('strtolower', [$this->column()]) as $c) { $this->addSql('ALTER TABLE users DROP ' . $c); }",
    ].join('\n');
    const m = await readDoctrine('mysql', migrationClass('Version20240101000000', up));
    expect(shapes(m.ops)).toEqual([
      { kind: 'drop-column', table: 'users', column: 'strtolower($this->column())', symbolicNames: ['strtolower($this->column())'] },
      { kind: 'drop-column', table: 'users', column: '$c', symbolicNames: ['$c'] },
    ]);
  });

  it('a helper method that returns a run-time value: the statement is dynamic, reported where addSql is called', async () => {
    const up = ["$this->addSql('ALTER TABLE ' . $this->tableName());", '$this->addSql($this->tableName());'].join('\n');
    for (const dialect of ['mysql', 'postgres'] as const) {
      const m = await readDoctrine(dialect, migrationClass('Version20240101000000', up, "    private function tableName(): string { return $_ENV['X']; }\n"));
      expect(shapes(m.ops), dialect).toEqual([
        { kind: 'raw', table: '', reason: 'SQL built at run time: array element of variable $_ENV' },
        { kind: 'raw', table: '', reason: 'SQL built at run time: array element of variable $_ENV' },
      ]);
      expect(m.ops.map((o) => o.source.text)).toEqual(["$this->addSql('ALTER TABLE ' . $this->tableName());", '$this->addSql($this->tableName());']);
    }
  });

  it('reads table-prefix helpers as the bare table name, and values inside SQL literals as data', async () => {
    const up = [
      "$this->addSql('ALTER TABLE ' . $this->getTable('entry') . ' ADD archived_at DATETIME DEFAULT NULL');",
      "$this->addSql(\"UPDATE {$this->prefix}leads SET state = 'x' WHERE id = '{$this->lastId}'\");",
    ].join('\n');
    const m = await readDoctrine('mysql', migrationClass('Version20240101000000', up));
    expect(shapes(m.ops).map((o) => [o.kind, o.table])).toEqual([
      ['add-column', 'entry'],
      ['data', 'leads'],
    ]);
    expect(m.notes).toContain('2 statement(s) name tables or indexes through run-time helpers or prefixes; zdd read them with the bare names');
  });

  it('reads SQL chosen at run time: one statement when every choice does the same thing, each choice otherwise', async () => {
    const up = ["$unsigned = $this->isUnsigned() ? 'UNSIGNED' : '';", '$this->addSql("ALTER TABLE users ADD score INT {$unsigned} DEFAULT NULL");'].join('\n');
    const m = await readDoctrine('mysql', migrationClass('Version20240101000000', up));
    expect(shapes(m.ops).map((o) => o.kind)).toEqual(['add-column']);
    // alternatives that do different things are all kept, each conditional: one of them runs
    const differ = ["$sql = $this->exists() ? 'UPDATE settings SET v = 1 WHERE k = 2' : 'INSERT INTO settings (k, v) VALUES (2, 1)';", '$this->addSql($sql);'].join('\n');
    const m2 = await readDoctrine('postgres', migrationClass('Version20240101000000', differ));
    expect(shapes(m2.ops).map((o) => [o.kind, o.action, o.conditional])).toEqual([
      ['data', 'update', true],
      ['data', 'insert', true],
    ]);
  });
});

describe('Doctrine reader: Schema API', () => {
  it('maps Doctrine types to the platform SQL types DBAL declares', async () => {
    const up = [
      '$t = $schema->getTable(\'users\');',
      "$t->addColumn('bio', Types::TEXT, ['notnull' => false]);",
      "$t->addColumn('active', Types::BOOLEAN, ['default' => true]);",
      "$t->addColumn('seen_at', Types::DATETIME_IMMUTABLE, ['notnull' => false]);",
      "$t->addColumn('meta', 'json', ['notnull' => false]);",
      "$t->addColumn('code', 'string', ['length' => 8, 'fixed' => true]);",
    ].join('\n');
    const types = async (d: 'mysql' | 'mariadb' | 'postgres'): Promise<string[]> =>
      (await readDoctrine(d, migrationClass('Version20240101000000', up))).ops.map((op) => (op.kind === 'add-column' ? `${op.column.type.text}${op.column.default ? ` default ${op.column.default.text}` : ''}` : op.kind));
    expect(await types('mysql')).toEqual(['longtext', 'tinyint(1) default 1', 'datetime', 'json', 'char(8)']);
    expect(await types('mariadb')).toEqual(['longtext', 'tinyint(1) default 1', 'datetime', 'longtext', 'char(8)']);
    expect(await types('postgres')).toEqual(['text', 'boolean default true', 'timestamp(0)', 'json', 'char(8)']);
  });

  it('emits what DBAL emits, in its order: new tables, their keys, dropped tables, then changed tables', async () => {
    const up = [
      "$users = $schema->getTable('users');",
      "$users->dropColumn('legacy_id');",
      "$schema->dropTable('sessions');",
      "$t = $schema->createTable('invoices');",
      "$t->addColumn('id', 'integer', ['autoincrement' => true]);",
      "$t->addColumn('user_id', 'integer');",
      "$t->setPrimaryKey(['id']);",
      "$t->addForeignKeyConstraint('users', ['user_id'], ['id']);",
    ].join('\n');
    const m = await readDoctrine('mysql', migrationClass('Version20240101000000', up));
    expect(shapes(m.ops)).toEqual([
      {
        kind: 'create-table',
        table: 'invoices',
        columns: [
          { name: 'id', type: { name: 'integer', text: 'int' }, nullable: false, autoIncrement: true },
          { name: 'user_id', type: { name: 'integer', text: 'int' }, nullable: false },
        ],
        constraints: [{ type: 'primary', columns: ['id'] }],
        // DBAL's index for the foreign key, named as DBAL names it
        indexes: [{ name: 'IDX_6A2F2F95A76ED395', columns: ['user_id'], unique: false }],
      },
      { kind: 'add-constraint', table: 'invoices', constraint: 'foreign', name: 'FK_6A2F2F95A76ED395', columns: ['user_id'], references: { table: 'users', columns: ['id'] }, validated: true },
      { kind: 'drop-table', table: 'sessions' },
      { kind: 'drop-column', table: 'users', column: 'legacy_id' },
    ]);
    expect(m.ops[3]!.source).toMatchObject({ line: 18, col: 9, text: "$users->dropColumn('legacy_id');" });
  });

  it('reads column changes through modifyColumn, changeColumn and getColumn()->setX()', async () => {
    const up = [
      "$t = $schema->getTable('users');",
      "$t->modifyColumn('email', ['notnull' => true, 'length' => 255]);",
      "$t->changeColumn('status', ['default' => 'new']);",
      "$t->getColumn('age')->setType(Type::getType(Types::BIGINT))->setNotnull(false);",
    ].join('\n');
    const m = await readDoctrine('postgres', migrationClass('Version20240101000000', up));
    expect(shapes(m.ops)).toEqual([
      { kind: 'alter-column', table: 'users', column: 'email', typeChange: { length: 255 }, nullable: false },
      { kind: 'alter-column', table: 'users', column: 'status', default: { kind: 'constant', text: "'new'" } },
      { kind: 'alter-column', table: 'users', column: 'age', type: { name: 'bigint', text: 'bigint' }, nullable: true },
    ]);
  });

  it('renameColumn (DBAL 4; Debian\'s DBAL 3.6 has no Table::renameColumn, so the oracle cannot check it) is a rename-column op, and lints as one', async () => {
    const up = "$schema->getTable('users')->renameColumn('name', 'full_name');";
    for (const dialect of ['mysql', 'postgres'] as const) {
      const m = await readDoctrine(dialect, migrationClass('Version20240101000000', up));
      expect(shapes(m.ops), dialect).toEqual([{ kind: 'rename-column', table: 'users', column: 'name', newName: 'full_name' }]);
      const f = await lintDoctrine(dialect, migrationClass('Version20240101000000', up));
      expect(f.filter((x) => x.rule === 'rename-column').map((x) => `${x.severity} ${x.target.table}.${x.target.column}`), dialect).toEqual(['error users.name']);
    }
  });

  it('renameTable is a new table plus a dropped one in DBAL 3 (the data is not moved)', async () => {
    const m = await readDoctrine('postgres', migrationClass('Version20240101000000', "$schema->renameTable('teams', 'squads');"));
    expect(shapes(m.ops)).toEqual([
      { kind: 'create-table', table: 'squads', columns: [], constraints: [], indexes: [], like: 'teams', likeIncludesKeys: true },
      { kind: 'drop-table', table: 'teams' },
    ]);
  });

  it('reports Schema-API calls whose names are known only at run time', async () => {
    const m = await readDoctrine('postgres', migrationClass('Version20240101000000', "$schema->getTable('users')->dropColumn($this->columnToDrop());"));
    expect(shapes(m.ops)).toEqual([{ kind: 'raw', table: 'users', reason: '$table->dropColumn() on users with a column name known only at run time' }]);
  });
});

describe('Doctrine reader: connection calls and lifecycle', () => {
  it('reads executeStatement, insert/update/delete and query builders as data ops, in the order Doctrine runs them', async () => {
    const up = [
      "$this->addSql('ALTER TABLE users ADD COLUMN score INT DEFAULT NULL');",
      "$this->connection->executeStatement('UPDATE users SET score = 0');",
      "$this->connection->update('users', ['status' => 'active'], ['status' => 'new']);",
      "$this->connection->delete('sessions', []);",
      "$this->connection->createQueryBuilder()->update('orders')->set('note', ':n')->where('note IS NULL')->executeStatement();",
      "$this->connection->fetchAllAssociative('SELECT id FROM users');",
    ].join('\n');
    const extra = "\n    public function preUp(Schema $schema): void\n    {\n        $this->connection->insert('audit', ['event' => 'migrating']);\n    }\n";
    const m = await readDoctrine('mysql', migrationClass('Version20240101000000', up, extra));
    expect(shapes(m.ops).map((o) => [o.kind, o.table, o.action ?? '', o.filtered ?? ''])).toEqual([
      ['data', 'audit', 'insert', false],
      ['data', 'users', 'update', false],
      ['data', 'users', 'update', true],
      ['data', 'sessions', 'delete', false],
      ['data', 'orders', 'update', true],
      // addSql runs after up() returns
      ['add-column', 'users', '', ''],
    ]);
  });

  it('runs a call once even when a method is chained on its result', async () => {
    const m = await readDoctrine('mysql', migrationClass('Version20240101000000', "$this->connection->executeQuery('UPDATE users SET score = 0')->rowCount();"));
    expect(shapes(m.ops)).toEqual([{ kind: 'data', table: 'users', action: 'update', via: 'sql', filtered: false, batched: false }]);
  });

  it('marks writes in a loop as batched', async () => {
    const up = ["foreach ($this->connection->fetchAllAssociative('SELECT id FROM users') as $row) {", "    $this->connection->update('users', ['slug' => 'x'], ['id' => $row['id']]);", '}'].join('\n');
    const m = await readDoctrine('mysql', migrationClass('Version20240101000000', up));
    expect(shapes(m.ops)).toEqual([{ kind: 'data', table: 'users', action: 'update', filtered: true, batched: true, via: 'query-builder', conditional: true }]);
  });

  it('reads down() for the planner', async () => {
    const extra = "\n    public function down(Schema $schema): void\n    {\n        $schema->getTable('users')->dropColumn('nickname');\n    }\n";
    const m = await readDoctrine('mysql', migrationClass('Version20240101000000', "$schema->getTable('users')->addColumn('nickname', 'string', ['length' => 64, 'notnull' => false]);", extra));
    expect(shapes(m.down!)).toEqual([{ kind: 'drop-column', table: 'users', column: 'nickname' }]);
  });
});

describe('Doctrine reader: names known only at run time (mautic)', () => {
  /** mautic's Version20210217115150: table names from entity constants, a preUp() that skips the migration. */

  it("another file's class constant is no table name: the Schema-API change is unparsed, naming it, and conditional under preUp's SkipMigration", async () => {
    const m = await readDoctrine('mysql', mauticConstantMigration(), 'app/migrations/Version20210217115150.php');
    expect(shapes(m.ops)).toEqual([
      {
        kind: 'raw',
        table: '',
        reason: '$schema->getTable() with a table name known only at run time (call to $this->getPrefixedTableName() with constant Campaign::TABLE_NAME, of a class declared in another file)',
        conditional: true,
      },
    ]);
    // reported at up()'s call, not at preUp()'s read of the same table
    expect(m.ops[0]!.source.line).toBe(24);
  });

  it('a class declared in the same file: its constant is read', async () => {
    const m = await readDoctrine('mysql', mauticConstantMigration("\nfinal class Campaign\n{\n    public const TABLE_NAME = 'campaigns';\n}\n").replace('use Mautic\\CampaignBundle\\Entity\\Campaign;\n', ''), 'app/migrations/Version20210217115150.php');
    expect(shapes(m.ops)).toEqual([{ kind: 'add-column', table: 'campaigns', column: { name: 'deleted', type: { name: 'datetime', text: 'datetime' }, nullable: true }, conditional: true }]);
  });

  it('a column name from another class is unparsed; an index name from a name helper stays symbolic and is marked so', async () => {
    const up = [
      "$schema->getTable('leads')->addColumn(Lead::FIELD, 'string', ['notnull' => false]);",
      "$schema->getTable('leads')->addIndex(['email'], $this->generatePropertyName('leads', 'idx', ['email']));",
    ].join('\n');
    const m = await readDoctrine('mysql', migrationClass('Version20240101000000', up));
    expect(shapes(m.ops)).toEqual([
      { kind: 'raw', table: 'leads', reason: '$table->addColumn() on leads with a column name known only at run time' },
      {
        kind: 'add-index',
        table: 'leads',
        name: "$this->generatePropertyName('leads', 'idx', ['email'])",
        columns: ['email'],
        unique: false,
        concurrently: false,
        symbolicNames: ["$this->generatePropertyName('leads', 'idx', ['email'])"],
      },
    ]);
  });

  it('a method called by a run-time name is said to be one (mautic\'s AbstractMauticMigration)', async () => {
    const up = ["$function = $this->platform . 'Up';", 'if (method_exists($this, $function)) {', '    $this->$function($schema);', '}', '$sql = $this->$function($schema);', '$this->addSql($sql);'].join('\n');
    const m = await readDoctrine('mysql', migrationClass('Version20240101000000', up));
    expect(shapes(m.ops)).toEqual([
      { kind: 'raw', table: '', reason: 'calls $this->$function(), a method whose name is known only at run time: zdd cannot see what SQL it runs', conditional: true },
      { kind: 'raw', table: '', reason: 'SQL built at run time: call to $this->$function(), a method named at run time' },
    ]);
    expect(m.ops[0]!.source).toMatchObject({ line: 19, col: 13, text: '$this->$function($schema);' });
  });

  it('SQL naming a table by another class\'s constant reads it symbolically, and says which names are symbolic', async () => {
    const up = [
      '$group = $this->generateTableName(Group::TABLE_NAME);',
      '$this->addSql("ALTER TABLE points ADD CONSTRAINT fk_points_group FOREIGN KEY (group_id) REFERENCES `{$group}` (id)");',
      '$this->addSql("ALTER TABLE points ADD group_id INT UNSIGNED DEFAULT NULL");',
    ].join('\n');
    const m = await readDoctrine('mysql', migrationClass('Version20240101000000', up));
    expect(m.ops.map((o) => [o.kind, o.table, o.symbolicNames])).toEqual([
      ['add-constraint', 'points', ['$this->generateTableName(Group::TABLE_NAME)']],
      ['add-column', 'points', undefined],
    ]);
    expect(m.ops[0]).toMatchObject({ references: { table: '$this->generateTableName(Group::TABLE_NAME)' } });
  });

  it('a finding on an op named by run-time expressions says those are not the real names', async () => {
    const up = "$this->addSql('ALTER TABLE ' . Lead::TABLE_NAME . ' DROP COLUMN qux');";
    const f = await lintDoctrine('postgres', migrationClass('Version20240101000000', up));
    const drop = f.find((x) => x.rule === 'drop-column')!;
    expect(drop.message).toMatch(/^Dropping Lead::TABLE_NAME\.qux: .* \(Lead::TABLE_NAME: a name known only at run time, written as in the migration\.\)$/);
  });
});

describe('Doctrine reader: platform guards and transactions', () => {
  it('abortIf(!platform instanceof X) limits the whole migration, queued SQL included', async () => {
    const up = ["$this->addSql('CREATE INDEX CONCURRENTLY users_email_idx ON users (email)');", "$this->abortIf(!$this->connection->getDatabasePlatform() instanceof PostgreSQLPlatform, 'PostgreSQL only');"].join('\n');
    const m = await readDoctrine('postgres', migrationClass('Version20240101000000', up));
    expect(m.ops.map((op) => [op.kind, op.dialects])).toEqual([['add-index', ['postgres']]]);
  });

  it('reads the generated getName() guard and skipIf', async () => {
    const up = ["$this->abortIf('mysql' !== $this->connection->getDatabasePlatform()->getName(), 'Migration can only be executed safely on \\'mysql\\'.');", "$this->addSql('ALTER TABLE users DROP legacy_id');"].join('\n');
    const m = await readDoctrine('mysql', migrationClass('Version20240101000000', up));
    expect(m.ops.map((op) => op.dialects)).toEqual([['mysql', 'mariadb']]);
    const skip = await readDoctrine('mysql', migrationClass('Version20240101000000', "$this->skipIf($schema->hasTable('invoices'), 'done');\n$this->addSql('CREATE TABLE invoices (id INT NOT NULL)');"));
    expect(skip.ops.map((op) => [op.kind, op.conditional])).toEqual([['create-table', true]]);
  });

  it('branches per platform: if/else, switch (true), a platform variable; SQLite branches are left out', async () => {
    const up = [
      '$platform = $this->connection->getDatabasePlatform();',
      'if ($platform instanceof PostgreSQLPlatform) {',
      "    $this->addSql('ALTER TABLE users ALTER COLUMN name TYPE TEXT');",
      '} else {',
      "    $this->addSql('ALTER TABLE users MODIFY name LONGTEXT DEFAULT NULL');",
      '}',
      'switch (true) {',
      '    case $platform instanceof SqlitePlatform:',
      "        $this->addSql('sqlite only');",
      '        break;',
      '    case $platform instanceof MySQLPlatform:',
      "        $this->addSql('ALTER TABLE users DROP INDEX idx_name');",
      '        break;',
      '}',
    ].join('\n');
    const m = await readDoctrine('postgres', migrationClass('Version20240101000000', up));
    expect(m.ops.map((op) => [op.kind, op.dialects])).toEqual([
      ['alter-column', ['postgres']],
      ['alter-column', ['mysql', 'mariadb']],
      ['drop-index', ['mysql', 'mariadb']],
    ]);
    expect(m.notes).toContain('1 statement(s) run only on SQLite or other platforms zdd does not lint');
  });

  it('isTransactional(): false, or false only on some platforms', async () => {
    const off = "\n    public function isTransactional(): bool\n    {\n        return false;\n    }\n";
    expect((await readDoctrine('postgres', migrationClass('Version20240101000000', '', off))).transactional).toBe(false);
    const perPlatform = "\n    public function isTransactional(): bool\n    {\n        return !($this->connection->getDatabasePlatform() instanceof MySQLPlatform);\n    }\n";
    expect((await readDoctrine('postgres', migrationClass('Version20240101000000', '', perPlatform))).transactional).toBe(true);
    expect((await readDoctrine('mysql', migrationClass('Version20240101000000', '', perPlatform))).transactional).toBe(false);
  });

  it('reads a base class named for one platform as that platform only', async () => {
    const code = migrationClass('Version20240101000000', "$this->addSql('ALTER TABLE users ADD x INT');").replace('extends AbstractMigration', 'extends AbstractPostgreSQLMigration').replace('up(Schema $schema)', 'up(Schema $schema)');
    const m = await readDoctrine('mysql', code);
    expect(m.ops.map((op) => op.dialects)).toEqual([['postgres']]);
  });
});

describe('Doctrine reader: what is not a Doctrine migration', () => {
  it('skips other PHP files with a reason', async () => {
    await prepareReaders('mysql');
    const laravel = "<?php\nuse Illuminate\\Database\\Migrations\\Migration;\nreturn new class extends Migration { public function up(): void {} };\n";
    expect(readDoctrineMigration('database/migrations/2024_01_01_000000_x.php', laravel, { dialect: 'mysql', config: {} })).toEqual({
      skipped: 'not a Doctrine migration (no class extending AbstractMigration, or a *Migration base class with up(Schema $schema))',
    });
    // the dispatcher hands it to the Laravel reader instead
    expect(readMigration('database/migrations/2024_01_01_000000_x.php', laravel, { dialect: 'mysql', config: {} })).toHaveProperty('migration.format', 'laravel');
    expect(readMigration('config/bundles.php', "<?php\nreturn ['a' => 1];\n", { dialect: 'mysql', config: {} })).toEqual({ skipped: 'not a Laravel or Doctrine migration (no class with up() extending Migration or AbstractMigration)' });
  });

  it('a PHP syntax error is a file problem naming the line, not a migration', async () => {
    await prepareReaders('mysql');
    const code = "<?php\nnamespace DoctrineMigrations;\nuse Doctrine\\Migrations\\AbstractMigration;\nfinal class Version1 extends AbstractMigration {\n  public function up(Schema $schema): void {\n    $this->addSql('x')\n  }\n}\n";
    expect(readMigration('migrations/Version1.php', code, { dialect: 'mysql', config: {} })).toEqual({
      problem: { file: 'migrations/Version1.php', line: 7, message: "PHP syntax error: unexpected '}', expecting ';' (line 7, column 3); nothing in this file was checked, and PHP would refuse it too" },
    });
  });
});

describe('Doctrine reader: the shapes of real apps (fixtures/doctrine/newsroom)', () => {
  const dir = join(ROOT, 'fixtures/doctrine/newsroom/migrations');
  const read = async (dialect: 'mariadb' | 'postgres', file: string) => readDoctrine(dialect, readFileSync(join(dir, file), 'utf8'), `migrations/${file}`);

  it('reads every statement of every migration (no unknowns), on both platforms the app supports', async () => {
    for (const dialect of ['mariadb', 'postgres'] as const) {
      for (const file of readdirSync(dir)) {
        const m = await read(dialect, file);
        expect(m.ops.filter((op) => op.kind === 'raw'), `${dialect} ${file}`).toEqual([]);
      }
    }
  });

  it('a heredoc per platform in switch (true), split on newlines after the switch, under a skipIf guard', async () => {
    const maria = await read('mariadb', 'Version20230102000000.php');
    expect(maria.ops.map((op) => [op.kind, op.table, op.dialects, op.conditional, op.source.line])).toEqual([
      ['create-table', 'article', ['mysql', 'mariadb'], true, 30],
      ['create-table', 'tag', ['mysql', 'mariadb'], true, 31],
    ]);
    const pg = await read('postgres', 'Version20230102000000.php');
    expect(pg.ops.map((op) => [op.kind, op.table, op.dialects])).toEqual([
      ['create-table', 'article', ['postgres']],
      ['create-table', 'tag', ['postgres']],
      ['add-index', 'tag', ['postgres']],
    ]);
  });

  it('prefix properties and helpers, a symbolic index name, and row-by-row updates in postUp', async () => {
    const m = await read('mariadb', 'Version20230601000000.php');
    expect(shapes(m.ops).map((o) => [o.kind, o.table, o.name ?? o.action ?? '', o.batched ?? ''])).toEqual([
      ['session', '', '', ''],
      ['add-column', 'article', '', ''],
      ['add-index', 'article', "$this->indexName('article', 'slug')", ''],
      ['data', 'article', 'update', true],
    ]);
  });

  it('a generator of (table, column, length), Schema API on prefixed tables, a run-time UNSIGNED and a query builder', async () => {
    const m = await read('mariadb', 'Version20231115000000.php');
    expect(shapes(m.ops).map((o) => [o.kind, o.table, typeof o.column === 'string' ? o.column : (o.column as { name?: string } | undefined)?.name ?? o.action])).toEqual([
      ['data', 'tag', 'update'],
      ['session', '', undefined],
      ['add-column', 'tag', 'usage_count'],
      ['add-column', 'article', 'word_count'],
      ['alter-column', 'article', 'title'],
      ['alter-column', 'tag', 'label'],
    ]);
  });
});
