import { describe, expect, it } from 'vitest';
import { NotUnderstood, parseMysqlWithGrammar } from '../../src/readers/sql/mysql-grammar.js';
import { parseMysqlStatement, parseWithNodeSqlParser } from '../../src/readers/sql/mysql.js';
import { lexSql, TokenCursor } from '../../src/readers/sql/lex.js';
import { readSqlText } from '../../src/readers/sql/read.js';
import { SchemaState } from '../../src/schema/replay.js';

const ops = (sql: string, dialect: 'mysql' | 'mariadb' = 'mysql') => readSqlText(sql, { file: 'x.sql', dialect }).ops.map(({ source, statement, sql, ...rest }) => rest);

/** Statements node-sql-parser accepts: the keyword grammar must read them identically. */
const BATTERY = [
  'ALTER TABLE users ADD COLUMN sku varchar(255) NULL AFTER name',
  'ALTER TABLE `users` ADD `x` INT UNSIGNED NOT NULL DEFAULT 0 FIRST',
  'ALTER TABLE users DROP COLUMN legacy, DROP INDEX users_legacy_index, DROP FOREIGN KEY users_team_id_foreign',
  'ALTER TABLE users CHANGE name full_name varchar(100) NOT NULL',
  "ALTER TABLE t MODIFY COLUMN c enum('a','b','c') NOT NULL DEFAULT 'a'",
  'ALTER TABLE t MODIFY c int unsigned not null default 0',
  'ALTER TABLE t ADD INDEX idx (a, b), ALGORITHM=INPLACE, LOCK=NONE',
  'ALTER TABLE t ADD UNIQUE INDEX u (a)',
  'ALTER TABLE t ADD KEY k (a)',
  'ALTER TABLE t ADD PRIMARY KEY (id)',
  'ALTER TABLE t DROP PRIMARY KEY',
  'ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES b (id) ON DELETE CASCADE',
  'ALTER TABLE t ADD FULLTEXT INDEX ft (body)',
  'ALTER TABLE t ADD SPATIAL INDEX sp (g)',
  'ALTER TABLE t RENAME TO u',
  'ALTER TABLE t RENAME COLUMN a TO b',
  'ALTER TABLE t ADD COLUMN g int GENERATED ALWAYS AS (a + 1) STORED',
  'ALTER TABLE t ENGINE=InnoDB',
  'ALTER TABLE t AUTO_INCREMENT = 5',
  'CREATE FULLTEXT INDEX ft ON posts (body)',
  'CREATE UNIQUE INDEX u ON posts (slug)',
  'DROP INDEX i ON t',
  'DROP TABLE IF EXISTS a, b',
  'RENAME TABLE a TO b, c TO d',
  'TRUNCATE TABLE t',
  'UPDATE users SET a = 1 WHERE id < 100 LIMIT 1000',
  'DELETE FROM t WHERE a IS NULL',
  'INSERT INTO t (a) SELECT a FROM u',
  'INSERT INTO t VALUES (1) ON DUPLICATE KEY UPDATE a = 1',
  'REPLACE INTO t VALUES (1)',
  "CREATE TABLE t (id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, email varchar(255) NOT NULL, status enum('a','b') DEFAULT 'a', UNIQUE KEY u (email), KEY k (status), CONSTRAINT fk FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE) ENGINE=InnoDB",
];

describe('MySQL reader', () => {
  it('reads a quoted charset or collation (Laravel writes collate \'utf8mb4_unicode_ci\') as part of the type', () => {
    const [op] = ops("CREATE TABLE e (`code` varchar(20) character set utf8mb4 collate 'utf8mb4_unicode_ci' not null comment 'x', b text COLLATE `utf8mb4_bin`);");
    const cols = (op as { columns: Array<{ name: string; type: { name: string; length?: number; charset?: string; collation?: string }; nullable: boolean }> }).columns;
    expect(cols.map((c) => [c.name, c.type.name, c.type.length, c.type.charset, c.type.collation, c.nullable])).toEqual([
      ['code', 'varchar', 20, 'utf8mb4', 'utf8mb4_unicode_ci', false],
      ['b', 'text', undefined, undefined, 'utf8mb4_bin', true],
    ]);
    // words inside an enum's values are values, not a collation
    const [e] = ops("CREATE TABLE loans (kind ENUM('cash','collateral','charset x') COLLATE utf8mb4_bin NOT NULL);");
    const kind = (e as { columns: Array<{ type: { name: string; values?: string[]; collation?: string } }> }).columns[0]!.type;
    expect([kind.name, kind.values, kind.collation]).toEqual(['enum', ['cash', 'collateral', 'charset x'], 'utf8mb4_bin']);
  });

  it('never skips a statement it cannot read: typos and cut-short statements are raw ops with the reason', () => {
    const cases: Array<[string, string]> = [
      ['ALTER TABEL users DROP COLUMN x', 'unknown ALTER statement "ALTER TABEL"'],
      ['DROP TABEL users', 'unknown DROP statement "DROP TABEL"'],
      ['ALTER TABLEE users FOO BAR', 'unknown ALTER statement "ALTER TABLEE"'],
      ['RENAME TABEL a TO b', 'unknown RENAME statement "RENAME TABEL"'],
      ['CREATE TABLE x (id int', 'unclosed parenthesis'],
      ['ALTER TABLE users ADD COLUMN (', 'unclosed parenthesis'],
      ['ALTER TABLE users DROP COLUMN', 'column name expected after DROP'],
      ['UPDATE users SET a = WHERE', 'value expected after = in UPDATE … SET'],
      ['DELETE users WHERE id = 1', 'FROM expected in DELETE'],
      ['INSERT INTO users (a)', 'VALUES, SET, SELECT or TABLE expected in INSERT'],
    ];
    for (const dialect of ['mysql', 'mariadb'] as const) {
      for (const [sql, reason] of cases) {
        const [op, ...rest] = ops(`${sql};`, dialect);
        expect(rest, sql).toEqual([]);
        expect(op?.kind, sql).toBe('raw');
        expect((op as { reason: string }).reason, sql).toContain(reason);
      }
    }
    // the forms zdd records without analysing still read
    expect(ops('ALTER VIEW v AS SELECT 1; DROP VIEW IF EXISTS v; ALTER DEFINER=root VIEW v AS SELECT 1; RENAME USER a TO b;').map((o) => o.kind)).toEqual(['statement', 'statement', 'statement', 'statement']);
    expect(ops('INSERT INTO t TABLE s; REPLACE INTO t TABLE s;').map((o) => o.kind)).toEqual(['data', 'data']);
    expect(ops('DROP PACKAGE p;', 'mariadb').map((o) => o.kind)).toEqual(['statement']);
  });

  it.each(BATTERY)('node-sql-parser and the keyword grammar agree on %s', (sql) => {
    const parsed = parseWithNodeSqlParser(sql, 'mysql');
    expect(parsed.error).toBeUndefined();
    const grammar = parseMysqlWithGrammar(sql, 'mysql');
    expect(grammar.ops).toEqual(parsed.result!.ops);
  });

  it('reads referential actions of foreign keys with both parsers', () => {
    const sql = 'ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES b (id) ON DELETE SET NULL ON UPDATE CASCADE';
    const want = [{ kind: 'add-constraint', table: 't', constraint: 'foreign', columns: ['a'], references: { table: 'b', columns: ['id'], onDelete: 'SET NULL', onUpdate: 'CASCADE' }, validated: true, name: 'fk' }];
    expect(parseMysqlWithGrammar(sql, 'mysql').ops).toEqual(want);
    expect(parseWithNodeSqlParser(sql, 'mysql').result!.ops).toEqual(want);
    const create = ops('CREATE TABLE c (id int, p int REFERENCES b (id) ON DELETE NO ACTION)')[0] as { columns: Array<{ references?: unknown }> };
    expect(create.columns[1]!.references).toEqual({ table: 'b', columns: ['id'] });
  });

  it('reads DML with node-sql-parser first and DDL with the grammar first', () => {
    expect(parseMysqlStatement('UPDATE users SET a = 1 WHERE id IN (SELECT id FROM t LIMIT 10)', 'mysql')).toMatchObject({ via: 'node-sql-parser', ops: [{ kind: 'data', batched: false, filtered: true }] });
    expect(parseMysqlStatement('ALTER TABLE users ADD COLUMN a int', 'mysql').via).toBe('grammar');
  });

  it('reads the statements node-sql-parser rejects with the keyword grammar', () => {
    const forms = [
      "ALTER TABLE users ALTER COLUMN status SET DEFAULT 'active'",
      'ALTER TABLE users ALTER COLUMN status DROP DEFAULT',
      'ALTER TABLE users RENAME INDEX a TO b',
      'ALTER TABLE users CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci',
      'ALTER TABLE users FORCE',
      'OPTIMIZE TABLE users',
    ];
    for (const sql of forms) expect(parseWithNodeSqlParser(sql, 'mysql').result, sql).toBeUndefined();
    expect(ops(forms.join(';\n'))).toEqual([
      { kind: 'alter-column', table: 'users', column: 'status', default: { kind: 'constant', text: "'active'" } },
      { kind: 'alter-column', table: 'users', column: 'status', default: null },
      { kind: 'rename-index', table: 'users', name: 'a', newName: 'b' },
      { kind: 'table-option', table: 'users', option: 'convert-charset', value: 'utf8mb4' },
      { kind: 'table-option', table: 'users', option: 'force' },
      { kind: 'table-option', table: 'users', option: 'force', value: 'optimize' },
    ]);
  });

  it('reads MariaDB-only forms: IF [NOT] EXISTS, ALGORITHM=NOCOPY, SET STATEMENT … FOR', () => {
    expect(ops('ALTER TABLE t DROP COLUMN IF EXISTS c, ADD COLUMN IF NOT EXISTS d int, ALGORITHM=NOCOPY; CREATE INDEX IF NOT EXISTS i ON t (a); SET STATEMENT lock_wait_timeout=5 FOR ALTER TABLE t ADD COLUMN e int', 'mariadb')).toEqual([
      { kind: 'drop-column', table: 't', column: 'c', ifExists: true, mysql: { algorithm: 'NOCOPY' } },
      { kind: 'add-column', table: 't', column: { name: 'd', type: { name: 'integer', text: 'int' }, nullable: true }, ifNotExists: true, mysql: { algorithm: 'NOCOPY' } },
      { kind: 'add-index', table: 't', columns: ['a'], unique: false, name: 'i', ifNotExists: true },
      { kind: 'session', table: '', setting: 'lock_wait_timeout', value: '5', scope: 'statement' },
      { kind: 'add-column', table: 't', column: { name: 'e', type: { name: 'integer', text: 'int' }, nullable: true } },
    ]);
  });

  it('reads session settings in every spelling', () => {
    expect(ops('SET SESSION lock_wait_timeout = 5; SET @@session.lock_wait_timeout = 6; SET foreign_key_checks=0; SET NAMES utf8mb4; SET @x = 1').map((o) => (o.kind === 'session' ? `${o.setting}=${o.value}` : o.kind))).toEqual([
      'lock_wait_timeout=5',
      'lock_wait_timeout=6',
      'foreign_key_checks=0',
      'statement',
      'statement',
    ]);
  });

  it('keeps trigger and procedure bodies as one statement', () => {
    const r = ops('DELIMITER //\nCREATE TRIGGER t BEFORE INSERT ON users FOR EACH ROW BEGIN\n  IF NEW.a IS NULL THEN SET NEW.a = 1; END IF;\nEND//\nDELIMITER ;\nALTER TABLE users ADD COLUMN b int;');
    expect(r.map((o) => o.kind)).toEqual(['statement', 'add-column']);
    expect(r[0]).toMatchObject({ statementKind: 'create-trigger', table: 'users' });
  });
});

describe('CHECK written on a column (MySQL 8.0.16+ and MariaDB enforce it)', () => {
  it('ADD COLUMN gives the column, then an add-constraint on it with the CHECK name when there is one', () => {
    expect(ops("ALTER TABLE posts ADD COLUMN rating tinyint NOT NULL CONSTRAINT posts_rating_range CHECK (rating BETWEEN 1 AND 5) COMMENT 'stars', ADD COLUMN weight int CHECK (weight > 0) NOT ENFORCED")).toEqual([
      { kind: 'add-column', table: 'posts', column: { name: 'rating', type: { name: 'tinyint', text: 'tinyint' }, nullable: false, comment: 'stars' } },
      { kind: 'add-constraint', table: 'posts', constraint: 'check', columns: ['rating'], expression: 'rating BETWEEN 1 AND 5', validated: true, name: 'posts_rating_range' },
      { kind: 'add-column', table: 'posts', column: { name: 'weight', type: { name: 'integer', text: 'int' }, nullable: true } },
      { kind: 'add-constraint', table: 'posts', constraint: 'check', columns: ['weight'], expression: 'weight > 0', validated: false },
    ]);
  });

  it('CREATE TABLE keeps it among the table constraints', () => {
    const [op] = ops('CREATE TABLE reviews (id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, stars tinyint NOT NULL CHECK (stars BETWEEN 1 AND 5))');
    expect(op?.kind === 'create-table' ? op.constraints : undefined).toEqual([{ type: 'check', columns: ['stars'], expression: 'stars BETWEEN 1 AND 5' }]);
  });
});

describe('schema dumps (schemaOnly): data statements the grammar reads skip node-sql-parser', () => {
  // the shape of `php artisan schema:dump` for MySQL: mysqldump's conditional comments, the tables,
  // then the migrations table's rows
  const DUMP = [
    '/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;',
    '/*!40101 SET @saved_cs_client     = @@character_set_client */;',
    'DROP TABLE IF EXISTS `users`;',
    'CREATE TABLE `users` (',
    '  `id` bigint unsigned NOT NULL AUTO_INCREMENT,',
    '  `email` varchar(191) COLLATE utf8mb4_unicode_ci NOT NULL,',
    '  PRIMARY KEY (`id`),',
    '  UNIQUE KEY `users_email_unique` (`email`)',
    ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;',
    'CREATE TABLE `migrations` (`id` int unsigned NOT NULL AUTO_INCREMENT, `migration` varchar(255) NOT NULL, `batch` int NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB;',
    'CREATE TABLE `teams` (`id` bigint unsigned NOT NULL AUTO_INCREMENT, PRIMARY KEY (`id`)) ENGINE=InnoDB;',
    '/*!40101 SET character_set_client = @saved_cs_client */;',
    "INSERT INTO `migrations` (`id`, `migration`, `batch`) VALUES (1,'2014_10_12_000000_create_users_table',1);",
    "INSERT INTO `migrations` (`id`, `migration`, `batch`) VALUES (2,'2019_08_19_000000_create_failed_jobs_table',1);",
    "UPDATE `migrations` SET `batch` = 2 WHERE `id` = 2;",
    // neither parser reads it: a raw op, which leaves the table's columns unsure — also when schemaOnly
    'INSERT INTO `teams` (`id`);',
  ].join('\n');

  const replay = (schemaOnly: boolean) => {
    const schema = new SchemaState();
    for (const op of readSqlText(DUMP, { file: 'mysql-schema.sql', dialect: 'mysql', schemaOnly }).ops) schema.apply(op, undefined);
    return schema;
  };

  it('reads a dump row with the grammar, and only with schemaOnly', () => {
    const row = "INSERT INTO `migrations` (`id`, `migration`, `batch`) VALUES (1,'2014_10_12_000000_create_users_table',1)";
    expect(parseMysqlStatement(row, 'mysql', undefined, { schemaOnly: true })).toMatchObject({ via: 'grammar', ops: [{ kind: 'data', table: 'migrations', action: 'insert' }] });
    expect(parseMysqlStatement(row, 'mysql').via).toBe('node-sql-parser');
    // a WITH may be anything: never taken for a data statement
    expect(() => parseMysqlStatement('WITH x AS (SELECT 1) DROP TABLE t', 'mysql', undefined, { schemaOnly: true })).toThrow(NotUnderstood);
  });

  it('a statement the grammar cannot read goes the usual way: node-sql-parser, then a raw op', () => {
    const read = (schemaOnly: boolean) => readSqlText('INSERT INTO `teams` (`id`);', { file: 'x.sql', dialect: 'mysql', schemaOnly }).ops;
    expect(read(true)).toEqual(read(false));
    expect(read(true)).toMatchObject([{ kind: 'raw', table: 'teams' }]);
  });

  it('replays to the same schema as the full reading', () => {
    const fast = replay(true);
    expect(fast).toEqual(replay(false));
    expect([...fast.tables.keys()]).toEqual(['users', 'migrations', 'teams']);
    expect(fast.knowsColumnsOf('users')).toBe(true);
    expect(fast.knowsColumnsOf('teams')).toBe(false);
  });
});

describe('lexing', () => {
  it('quoted names and strings: escapes, doubled quotes and unterminated text read as before', () => {
    const t = (sql: string) => lexSql(sql, 'mysql').map(({ type, value, raw }) => ({ type, value, raw }));
    expect(t("`a``b` 'it''s' 'back\\\\slash\\'' \"dq\" `plain`")).toEqual([
      { type: 'ident', value: 'a`b', raw: '`a``b`' },
      { type: 'string', value: "it's", raw: "'it''s'" },
      { type: 'string', value: "back\\slash'", raw: "'back\\\\slash\\''" },
      { type: 'string', value: 'dq', raw: '"dq"' },
      { type: 'ident', value: 'plain', raw: '`plain`' },
    ]);
    expect(t("'open")).toEqual([{ type: 'string', value: 'open', raw: "'open" }]);
    expect(lexSql("E'a\\'b'", 'postgres')[0]).toMatchObject({ type: 'string', value: "a'b" });
  });

  it('the tokens of a parenthesised group are those of its text lexed alone', () => {
    for (const sql of [
      "CREATE TABLE `t` (`id` bigint unsigned NOT NULL AUTO_INCREMENT, `n` decimal(10,2) DEFAULT '0.00' COMMENT 'a, (b)', KEY `k` (`n`(10)), CONSTRAINT `f` FOREIGN KEY (`id`) REFERENCES `u` (`id`) ON DELETE CASCADE) ENGINE=InnoDB",
      'ALTER TABLE t ADD (a int -- trailing comment\n, b varchar(5) /* c */ NOT NULL, c int DEFAULT -1)',
      "ALTER TABLE t ADD (a enum('x','y'), b json CHECK (json_valid(b)), c int)",
    ]) {
      const tokens = lexSql(sql, 'mysql');
      const c = new TokenCursor(tokens, sql);
      while (c.peek()?.value !== '(') c.next();
      const at = c.pos;
      const text = c.parenGroup()!;
      const textEnd = c.pos;
      c.pos = at;
      const inner = c.parenTokens()!;
      expect(c.pos).toBe(textEnd);
      const offset = tokens[at]!.end;
      expect(inner.map((k) => ({ ...k, start: k.start - offset, end: k.end - offset }))).toEqual(lexSql(text, 'mysql'));
    }
  });
});
