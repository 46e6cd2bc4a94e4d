import { basename, extname } from 'node:path';
import type { Dialect, Migration } from '../ir/types.js';
import { parsePhp, syntaxErrorText, type PhpNode } from '../php/ast.js';
import type { ZddConfig } from '../lint/config.js';
import type { FileProblem } from '../util/errors.js';
import { readLaravelMigration } from './laravel.js';
import { readDoctrineMigration } from './doctrine.js';
import { prepareSqlParser, readSqlText } from './sql/read.js';

/**
 * Reader dispatch: which reader reads which file. Each reader turns a file into a Migration of IR
 * ops; none of them judges anything.
 */

export interface ReadContext {
  dialect: Dialect;
  config: ZddConfig;
  verbose?: (message: string) => void;
  /** A Laravel app's `config('a.b')` values (discover/laravel-app-config.ts). */
  appConfig?: (key: string) => PhpNode | undefined;
}

const LOOKS_DOCTRINE = /AbstractMigration|Schema\s+\$schema|->addSql\s*\(/;

/** File extensions the readers know; directories are searched for these. */
export const MIGRATION_EXTENSIONS: ReadonlySet<string> = new Set(['sql', 'php']);

/**
 * Whether reading this file can involve the SQL parser: SQL files always; PHP migrations only when
 * they hand SQL text to the database (DB::statement & co, Doctrine addSql/executeStatement).
 */
export function needsSqlParser(path: string, text: string): boolean {
  if (!path.toLowerCase().endsWith('.php')) return true;
  return /DB::|addSql|execute(?:Statement|Query|Update)|->exec\s*\(|->query\s*\(/.test(text);
}

/** Loads what the readers need for this dialect (lazy: only the parser in use). */
export async function prepareReaders(dialect: Dialect): Promise<void> {
  await prepareSqlParser(dialect);
}

export type ReadResult = { migration: Migration } | { problem: FileProblem } | { skipped: string };

export function readMigration(path: string, text: string, ctx: ReadContext): ReadResult {
  const ext = extname(path).toLowerCase();
  if (ext === '.sql') {
    const r = readSqlText(text, { file: path, dialect: ctx.dialect });
    return {
      migration: {
        id: basename(path, extname(path)),
        file: path,
        format: 'sql',
        transactional: ctx.config.sql?.transactional ?? false,
        ops: r.ops,
        suppressions: r.suppressions,
      },
    };
  }
  if (ext === '.php') {
    // Malformed PHP is bad input (exit 2), not a finding: PHP itself refuses the file, so the
    // framework's migrate command would fail on it mid-deploy. Both readers get this parse.
    const parsed = parsePhp(text, path);
    if ('error' in parsed) {
      const e = parsed.error;
      return { problem: { file: path, line: e.line, message: `PHP syntax error: ${syntaxErrorText(e)} (line ${e.line}, column ${e.col}); nothing in this file was checked, and PHP would refuse it too` } };
    }
    // The likelier reader first (parsing PHP twice for every file halved the throughput); a file one
    // reader skips goes to the other.
    const laravel = () => readLaravelMigration(text, { file: path, dialect: ctx.dialect, ...(ctx.verbose ? { verbose: ctx.verbose } : {}), ...(ctx.appConfig ? { appConfig: ctx.appConfig } : {}), ast: parsed.ast });
    const doctrine = () => readDoctrineMigration(path, text, ctx, parsed.ast);
    const [first, second] = LOOKS_DOCTRINE.test(text) ? [doctrine, laravel] : [laravel, doctrine];
    const r = first();
    if (!('skipped' in r)) return r;
    const r2 = second();
    return 'skipped' in r2 ? { skipped: 'not a Laravel or Doctrine migration (no class with up() extending Migration or AbstractMigration)' } : r2;
  }
  return { problem: { file: path, message: `not a migration zdd can read (expected ${[...MIGRATION_EXTENSIONS].map((e) => `.${e}`).join(', ')})` } };
}

/**
 * Puts Doctrine migrations in the order Doctrine runs them: by version, i.e. class name compared as
 * strings (its default AlphabeticalComparator), whatever their file names. Other migrations keep
 * their places.
 */
export function orderMigrations(migrations: Migration[]): Migration[] {
  const slots = migrations.map((m, i) => (m.format === 'doctrine' ? i : -1)).filter((i) => i >= 0);
  const sorted = slots.map((i) => migrations[i]!).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const out = [...migrations];
  slots.forEach((slot, k) => {
    out[slot] = sorted[k]!;
  });
  return out;
}
