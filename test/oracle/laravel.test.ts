import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ColumnDef, Operation } from '../../src/ir/types.js';
import { prepareSqlParser, readSqlText } from '../../src/readers/sql/read.js';
import { ROOT } from '../helpers.js';
import { readLaravel } from '../laravel-helpers.js';

/**
 * Oracle: real Laravel (Debian's php-laravel-framework, Laravel 8 — `.ci/run` installs it with apt)
 * compiles each fixture's Blueprint calls to SQL for MySQL and PostgreSQL; zdd's SQL reader turns
 * that SQL into ops; zdd's Laravel reader must yield the same ops from the PHP.
 *
 * Where Laravel 8 differs from current Laravel, zdd follows current Laravel and the comparison
 * ignores the difference: timestamp precision (Laravel 8 writes timestamp(0), Laravel 11+ plain
 * timestamp), float() (Laravel 8: double; Laravel 11+: float(precision)). Column comments, positions
 * (->first(), ->after()) and generated-column expressions are not compared.
 */

const DIR = join(ROOT, 'test/oracle/laravel');
const AUTOLOAD = '/usr/share/php/Illuminate/autoload.php';
const hasLaravel = spawnSync('php', ['--version']).status === 0 && existsSync(AUTOLOAD);

function typeSig(c: ColumnDef): string {
  const t = c.type;
  // Laravel 8 writes float() as double / double precision; current Laravel as float(precision)
  let s = t.name === 'double' ? 'float' : t.name;
  if (t.length !== undefined && (t.name === 'varchar' || t.name === 'char' || t.name === 'tinyint')) s += `(${t.length})`;
  if (t.name === 'decimal') s += `(${t.precision},${t.scale})`;
  if (t.values) s += `[${t.values.join(',')}]`;
  if (t.unsigned) s += ' unsigned';
  return s;
}

function colSig(table: string, c: ColumnDef): string {
  return `column ${table}.${c.name} ${typeSig(c)} ${c.nullable ? 'null' : 'not null'}${c.default ? ` default ${c.default.text}` : ''}${c.primaryKey ? ' pk' : ''}${c.autoIncrement || c.identity ? ' auto' : ''}`;
}

function signatures(ops: Operation[]): string[] {
  const out: string[] = [];
  for (const op of ops) {
    switch (op.kind) {
      case 'create-table':
        out.push(`create ${op.table}`);
        for (const c of op.columns) out.push(colSig(op.table, c));
        for (const c of op.constraints) out.push(`constraint ${op.table} ${c.type} (${c.columns.join(',')})${c.references ? ` → ${c.references.table}(${c.references.columns.join(',')})` : ''}`);
        for (const i of op.indexes) out.push(`index ${op.table} ${i.name} (${i.columns.join(',')})${i.unique ? ' unique' : ''}`);
        break;
      case 'add-column':
        out.push(`add ${colSig(op.table, op.column)}`);
        break;
      case 'add-index':
        // PostgreSQL full-text: Laravel indexes to_tsvector(column); compare name and method.
        out.push(op.method === 'gin' ? `index ${op.table} ${op.name} gin` : `index ${op.table} ${op.name} (${op.columns.join(',')})${op.unique ? ' unique' : ''}${op.method ? ` ${op.method}` : ''}`);
        break;
      case 'add-constraint':
        out.push(
          `constraint ${op.table} ${op.constraint}${op.name ? ` ${op.name}` : ''} (${op.columns.join(',')})${op.references ? ` → ${op.references.table}(${op.references.columns.join(',')})` : ''}${op.validated ? '' : ' not valid'}`,
        );
        break;
      case 'drop-column':
        out.push(`drop column ${op.table}.${op.column}`);
        break;
      case 'drop-index':
        out.push(`drop index ${op.name}`);
        break;
      case 'drop-constraint':
        out.push(`drop constraint ${op.table}.${op.name}`);
        break;
      case 'drop-table':
        out.push(`drop table ${op.table}${op.ifExists ? ' if exists' : ''}`);
        break;
      case 'rename-table':
        out.push(`rename table ${op.table} → ${op.newName}`);
        break;
      case 'rename-index':
        // PostgreSQL's ALTER INDEX names no table (replay finds it); compare the names
        out.push(`rename index ${op.name} → ${op.newName}`);
        break;
      case 'statement':
        // COMMENT ON COLUMN (PostgreSQL's ->comment()): comments are not compared
        if (op.statementKind !== 'comment') out.push(`statement ${op.statementKind}`);
        break;
      default:
        out.push(`${op.kind} ${op.table}`);
    }
  }
  return out.sort();
}

const fixtures = existsSync(join(DIR, 'fixtures')) ? readdirSync(join(DIR, 'fixtures')).filter((f) => f.endsWith('.php')) : [];

describe.skipIf(!hasLaravel)('Laravel oracle: zdd reads Blueprint calls as Laravel compiles them', () => {
  for (const fixture of fixtures) {
    for (const [driver, dialect] of [['mysql', 'mysql'], ['pgsql', 'postgres']] as const) {
      it(`${fixture} on ${dialect}`, async () => {
        const path = join(DIR, 'fixtures', fixture);
        const statements = JSON.parse(execFileSync('php', [join(DIR, 'compile.php'), driver, path], { encoding: 'utf8' })) as string[];
        expect(statements.length).toBeGreaterThan(0);
        await prepareSqlParser(dialect);
        const fromLaravel = statements.flatMap((sql) => readSqlText(sql, { file: fixture, dialect }).ops);
        expect(fromLaravel.filter((o) => o.kind === 'raw')).toEqual([]);
        const fromZdd = (await readLaravel(readFileSync(path, 'utf8'), dialect, fixture)).ops;
        expect(signatures(fromZdd)).toEqual(signatures(fromLaravel));
      });
    }
  }
});
