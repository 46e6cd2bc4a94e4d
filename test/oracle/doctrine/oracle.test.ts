import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { classify, defaultTarget } from '../../../src/dialects/index.js';
import type { Operation } from '../../../src/ir/types.js';
import { readDoctrineMigration } from '../../../src/readers/doctrine.js';
import { prepareSqlParser, readSqlText } from '../../../src/readers/sql/read.js';
import { SchemaState } from '../../../src/schema/replay.js';

/**
 * Oracle: real Doctrine DBAL 3.6 (Debian's php-doctrine-dbal) prints the SQL of each fixture's
 * Schema-API calls (harness.php); zdd's SQL reader reads that SQL, and zdd's Doctrine reader reads
 * the fixture itself. Both must give the same operations — same kinds on the same tables and
 * columns, the same cost classes on the target platform — and leave the same schema behind.
 * The order of changes to columns of one table is left out: DBAL orders them by the live table's
 * column order, which a reader of the migration alone cannot know.
 */

const here = dirname(fileURLToPath(import.meta.url));
const fixtureDir = join(here, 'fixtures');
const fixtures = readdirSync(fixtureDir).filter((f) => f.endsWith('.php')).sort();
const hasPhp = spawnSync('php', ['--version'], { encoding: 'utf8' }).status === 0;

type Dbal = { base: Record<Dialect2, string[]>; fixtures: Record<string, Record<Dialect2, string[]>> };
type Dialect2 = 'mysql' | 'postgres';

let dbal: Dbal;

beforeAll(async () => {
  if (!hasPhp) return;
  await prepareSqlParser('postgres');
  const r = spawnSync('php', [join(here, 'harness.php'), ...fixtures.map((f) => join(fixtureDir, f))], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`harness.php failed: ${r.stderr || r.stdout}`);
  dbal = JSON.parse(r.stdout) as Dbal;
});

function sqlOps(statements: string[], dialect: Dialect2): Operation[] {
  return readSqlText(statements.map((s) => `${s};`).join('\n'), { file: 'dbal.sql', dialect }).ops;
}

/** What an op does, against the schema replayed so far: kind, target and cost classes. */
function describeOps(base: Operation[], ops: Operation[], dialect: Dialect2): { ops: string[]; schema: unknown } {
  const state = new SchemaState();
  for (const op of base) state.apply(op, 'base');
  const target = defaultTarget(dialect);
  const out: string[] = [];
  for (const op of ops) {
    if (op.kind === 'statement') continue; // COMMENT ON COLUMN '(DC2Type:…)'
    state.enrich(op);
    const what = 'column' in op ? (typeof op.column === 'string' ? op.column : op.column.name) : 'name' in op ? op.name : 'newName' in op ? op.newName : '';
    // PostgreSQL's DROP CONSTRAINT does not say what it drops; the Doctrine reader knows it is a foreign key (same cost)
    const classes = classify(op, { target, session: new Map(), schema: state })
      .map((c) => (dialect === 'postgres' && c === 'drop-foreign-key' ? 'drop-constraint' : c))
      .join('+');
    out.push(`${op.kind} ${op.table.toLowerCase()} ${String(what ?? '').toLowerCase()} ${classes}`);
    state.apply(op, 'change');
  }
  return { ops: out.sort(), schema: snapshot(state) };
}

function snapshot(state: SchemaState): unknown {
  const tables: Record<string, unknown> = {};
  for (const t of [...state.tables.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const columns: Record<string, string> = {};
    for (const c of t.columns.values()) {
      const def = c.default && c.default.kind !== 'null' ? ` default ${c.default.text.toLowerCase()}` : '';
      columns[c.name.toLowerCase()] = `${c.type.text}${c.type.unsigned && !/unsigned/.test(c.type.text) ? ' unsigned' : ''}${c.nullable ? ' null' : ' not null'}${def}${c.autoIncrement || c.identity ? ' auto' : ''}`;
    }
    const indexes = [...t.indexes.values()].map((i) => `${i.name.toLowerCase()}(${i.columns.join(',').toLowerCase()})${i.unique ? ' unique' : ''}`).sort();
    const constraints = [...t.constraints.values()].map((c) => `${c.type}(${c.columns.join(',').toLowerCase()})${c.references ? `->${c.references.table.toLowerCase()}` : ''}`).sort();
    tables[t.name.toLowerCase()] = { columns, indexes, constraints };
  }
  return tables;
}

describe('Doctrine Schema API against real DBAL 3.6', () => {
  it('has fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(6);
  });

  for (const file of fixtures) {
    for (const dialect of ['mysql', 'postgres'] as const) {
      it.skipIf(!hasPhp)(`${basename(file, '.php')} on ${dialect}: zdd reads the same operations as DBAL prints`, () => {
        const name = basename(file, '.php');
        const base = sqlOps(dbal.base[dialect], dialect);
        const expected = describeOps(base, sqlOps(dbal.fixtures[name]![dialect], dialect), dialect);
        const read = readDoctrineMigration(join('fixtures', file), readFileSync(join(fixtureDir, file), 'utf8'), { dialect, config: {} });
        if (!('migration' in read)) throw new Error(`not read: ${JSON.stringify(read)}`);
        const ops = read.migration.ops.filter((op) => !op.dialects || op.dialects.includes(dialect));
        expect(ops.filter((op) => op.kind === 'raw')).toEqual([]);
        const actual = describeOps(base, ops, dialect);
        expect(actual.ops).toEqual(expected.ops);
        expect(actual.schema).toEqual(expected.schema);
      });
    }
  }
});
