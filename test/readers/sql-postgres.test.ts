import { beforeAll, describe, expect, it } from 'vitest';
import { prepareSqlParser, readSqlText } from '../../src/readers/sql/read.js';

const ops = (sql: string) => readSqlText(sql, { file: 'x.sql', dialect: 'postgres' }).ops.map(({ source, statement, sql, ...rest }) => rest);

describe('PostgreSQL reader', () => {
  beforeAll(() => prepareSqlParser('postgres'));

  it('maps every ALTER TABLE subcommand of one statement', () => {
    expect(ops("ALTER TABLE public.users ADD COLUMN a int NOT NULL DEFAULT 0, ALTER COLUMN b TYPE bigint USING b::bigint, ALTER COLUMN c SET NOT NULL, ALTER COLUMN d DROP NOT NULL, ALTER COLUMN e SET DEFAULT 'x'::text, ALTER COLUMN f DROP DEFAULT, DROP COLUMN IF EXISTS g CASCADE")).toEqual([
      { kind: 'add-column', table: 'users', schema: 'public', column: { name: 'a', type: { name: 'integer', text: 'integer' }, nullable: false, default: { kind: 'constant', text: '0' } }, ifNotExists: false },
      { kind: 'alter-column', table: 'users', schema: 'public', column: 'b', type: { name: 'bigint', text: 'bigint' }, using: 'b::bigint' },
      { kind: 'alter-column', table: 'users', schema: 'public', column: 'c', nullable: false },
      { kind: 'alter-column', table: 'users', schema: 'public', column: 'd', nullable: true },
      { kind: 'alter-column', table: 'users', schema: 'public', column: 'e', default: { kind: 'constant', text: "'x'::text" } },
      { kind: 'alter-column', table: 'users', schema: 'public', column: 'f', default: null },
      { kind: 'drop-column', table: 'users', schema: 'public', column: 'g', ifExists: true, cascade: true },
    ]);
  });

  it('keeps each statement\'s exact text on its ops (for zdd-plan), shared by the ops of one statement', () => {
    const r = readSqlText("SET lock_timeout = '5s';\nALTER TABLE t\n  ADD COLUMN a int,\n  DROP COLUMN b; -- done\n", { file: 'x.sql', dialect: 'postgres' });
    expect(r.ops.map((o) => o.sql)).toEqual(["SET lock_timeout = '5s'", 'ALTER TABLE t\n  ADD COLUMN a int,\n  DROP COLUMN b', 'ALTER TABLE t\n  ADD COLUMN a int,\n  DROP COLUMN b']);
  });

  it('reads constraints: NOT VALID, VALIDATE, USING INDEX, DROP CONSTRAINT', () => {
    expect(ops('ALTER TABLE o ADD CONSTRAINT fk FOREIGN KEY (u) REFERENCES users (id) ON DELETE CASCADE ON UPDATE SET NULL NOT VALID; ALTER TABLE o VALIDATE CONSTRAINT fk; ALTER TABLE o ADD CONSTRAINT pk PRIMARY KEY USING INDEX o_idx; ALTER TABLE o DROP CONSTRAINT IF EXISTS c;')).toEqual([
      { kind: 'add-constraint', table: 'o', constraint: 'foreign', columns: ['u'], validated: false, name: 'fk', references: { table: 'users', columns: ['id'], onDelete: 'CASCADE', onUpdate: 'SET NULL' } },
      { kind: 'validate-constraint', table: 'o', name: 'fk' },
      { kind: 'add-constraint', table: 'o', constraint: 'primary', columns: [], validated: true, name: 'pk', usingIndex: 'o_idx' },
      { kind: 'drop-constraint', table: 'o', name: 'c', ifExists: true },
    ]);
  });

  it('reads indexes with CONCURRENTLY, UNIQUE, method, expressions and partial predicates', () => {
    expect(ops('CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS u_email ON users USING gin (lower(email), id) WHERE deleted_at IS NULL; DROP INDEX CONCURRENTLY IF EXISTS a, s.b;')).toEqual([
      { kind: 'add-index', table: 'users', columns: ['(lower(email))', 'id'], unique: true, concurrently: true, name: 'u_email', method: 'gin', ifNotExists: true, partial: true },
      { kind: 'drop-index', table: '', name: 'a', concurrently: true, ifExists: true },
      { kind: 'drop-index', table: '', name: 'b', schema: 's', concurrently: true, ifExists: true },
    ]);
  });

  it('reads renames, SET lock_timeout, transactions, volatile defaults and data changes', () => {
    const r = readSqlText("SET lock_timeout = '2s'; BEGIN; ALTER TABLE a RENAME TO b; ALTER TABLE b RENAME COLUMN x TO y; ALTER INDEX i RENAME TO j; ALTER TABLE b ADD COLUMN u uuid DEFAULT gen_random_uuid(); UPDATE b SET y = 1; COMMIT; INSERT INTO b (y) SELECT 1 FROM c;", { file: 'x.sql', dialect: 'postgres' });
    expect(r.ops.map((o) => [o.kind, o.inTransactionBlock ?? false])).toEqual([
      ['session', false],
      ['statement', false],
      ['rename-table', true],
      ['rename-column', true],
      ['rename-index', true],
      ['add-column', true],
      ['data', true],
      ['statement', false],
      ['data', false],
    ]);
    expect(r.ops[0]).toMatchObject({ setting: 'lock_timeout', value: '2s' });
    expect(r.ops[5]).toMatchObject({ column: { default: { kind: 'volatile', text: 'gen_random_uuid()' } } });
    expect(r.ops[8]).toMatchObject({ action: 'insert-select', table: 'b' });
  });

  it('reads CREATE TABLE columns, serial identity, generated columns and table constraints', () => {
    const [op] = ops('CREATE TABLE IF NOT EXISTS t (id bigserial PRIMARY KEY, e varchar(20) NOT NULL UNIQUE, n numeric(10,2)[] DEFAULT \'{}\', g int GENERATED ALWAYS AS (id * 2) STORED, CONSTRAINT c CHECK (n IS NOT NULL))');
    expect(op).toMatchObject({
      kind: 'create-table',
      table: 't',
      ifNotExists: true,
      columns: [
        { name: 'id', type: { name: 'bigint' }, identity: true, primaryKey: true, nullable: false },
        { name: 'e', type: { name: 'varchar', length: 20 }, nullable: false, unique: true },
        { name: 'n', type: { name: 'decimal', precision: 10, scale: 2, array: true }, default: { kind: 'constant' } },
        { name: 'g', generated: { kind: 'stored', expression: 'id * 2' } },
      ],
      constraints: [{ type: 'check', name: 'c', expression: 'n IS NOT NULL' }],
    });
  });

  it('maps statements it understands but rules do not judge to `statement`, and DO blocks to `raw`', () => {
    expect(ops("CREATE VIEW v AS SELECT 1; COMMENT ON TABLE t IS 'x'; CREATE EXTENSION IF NOT EXISTS pgcrypto; DO $$ BEGIN NULL; END $$;").map((o) => o.kind)).toEqual(['statement', 'statement', 'statement', 'raw']);
  });

  it('locates statements and errors by line and column', () => {
    const r = readSqlText('\n\n  ALTER TABLE a ADD COLUMN b int;\n  ALTER TABLE a ADD COLUMN;', { file: 'x.sql', dialect: 'postgres' });
    expect(r.ops.map((o) => [o.source.line, o.source.col])).toEqual([
      [3, 3],
      [4, 3],
    ]);
    expect(r.ops[1]).toMatchObject({ kind: 'raw', reason: 'syntax error at end of input (line 4, column 26)' });
  });
});
