import { RULES } from '../rules/index.js';
import { defaultTarget } from '../src/dialects/index.js';
import type { Dialect, Migration, Operation } from '../src/ir/types.js';
import { lintMigrations } from '../src/lint/run.js';
import type { Finding, MigrationRule } from '../src/lint/types.js';
import { readLaravelMigration } from '../src/readers/laravel.js';
import { prepareSqlParser, readSqlText } from '../src/readers/sql/read.js';

/** Wraps Blueprint/DB code in an anonymous-class migration's up(). */
export function migration(up: string, extra = ''): string {
  return `<?php

use Illuminate\\Database\\Migrations\\Migration;
use Illuminate\\Database\\Schema\\Blueprint;
use Illuminate\\Support\\Facades\\DB;
use Illuminate\\Support\\Facades\\Schema;

return new class extends Migration
{${extra}
    public function up(): void
    {
${up}
    }
};
`;
}

export async function readLaravel(code: string, dialect: Dialect = 'postgres', file = 'database/migrations/2024_01_01_000000_test.php'): Promise<Migration> {
  await prepareSqlParser(dialect);
  const r = readLaravelMigration(code, { file, dialect });
  if (!('migration' in r)) throw new Error(`skipped: ${r.skipped}`);
  return r.migration;
}

/** Ops without source locations, for exact comparisons. */
export function bare(ops: Operation[]): Array<Record<string, unknown>> {
  return ops.map(({ source, statement, ...rest }) => rest);
}

/** Lints a Laravel migration after an SQL schema (tables users, teams, orders). */
export async function lintLaravel(code: string, dialect: Dialect = 'postgres', schemaSql?: string): Promise<Finding[]> {
  const m = await readLaravel(code, dialect);
  const schema = schemaSql ?? (dialect === 'postgres'
    ? 'CREATE TABLE users (id bigserial PRIMARY KEY, email varchar(255) NOT NULL, name varchar(255) NOT NULL, status varchar(20) NOT NULL DEFAULT \'active\', bio text, age integer); CREATE TABLE teams (id bigserial PRIMARY KEY, name text NOT NULL); CREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint NOT NULL, total integer NOT NULL, note text);'
    : "CREATE TABLE users (id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, email varchar(255) NOT NULL, name varchar(255) NOT NULL, status varchar(20) NOT NULL DEFAULT 'active', bio text NULL, age int NULL); CREATE TABLE teams (id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, name varchar(255) NOT NULL); CREATE TABLE orders (id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, user_id bigint unsigned NOT NULL, total int NOT NULL, note text NULL);");
  const base = readSqlText(schema, { file: 'schema.sql', dialect });
  const first: Migration = { id: '0000_schema', file: 'schema.sql', format: 'sql', transactional: false, ops: base.ops, suppressions: [] };
  return lintMigrations([first, m], { target: defaultTarget(dialect), rules: RULES.filter((r): r is MigrationRule => r.scope === 'migration'), config: {} });
}
