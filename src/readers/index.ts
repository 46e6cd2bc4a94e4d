import { basename, extname } from 'node:path';
import type { Dialect, Migration } from '../ir/types.js';
import type { ZddConfig } from '../lint/config.js';
import type { FileProblem } from '../util/errors.js';
import { readLaravelMigration } from './laravel.js';
import { prepareSqlParser, readSqlText } from './sql/read.js';

/**
 * Reader dispatch: which reader reads which file. Each reader turns a file into a Migration of IR
 * ops; none of them judges anything.
 */

export interface ReadContext {
  dialect: Dialect;
  config: ZddConfig;
  verbose?: (message: string) => void;
}

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
    if (isDoctrineMigration(text)) return { skipped: 'a Doctrine migration (AbstractMigration)' };
    return readLaravelMigration(text, { file: path, dialect: ctx.dialect, ...(ctx.verbose ? { verbose: ctx.verbose } : {}) });
  }
  return { problem: { file: path, message: `not a migration zdd can read (expected ${[...MIGRATION_EXTENSIONS].map((e) => `.${e}`).join(', ')})` } };
}

/** Doctrine migrations extend AbstractMigration (directly or through a project base class) and take a Schema. */
export function isDoctrineMigration(code: string): boolean {
  return /extends\s+\?(?:[\w\\]*\\)?AbstractMigration\b/.test(code) || /function\s+(?:up|down)\s*\(\s*Schema\s+\$/.test(code);
}
