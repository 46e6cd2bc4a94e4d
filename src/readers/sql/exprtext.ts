import type { Dialect } from '../../ir/types.js';
import { lexSql } from './lex.js';

/** Words that end an expression inside a column definition. */
const COLUMN_CLAUSE_WORDS = new Set([
  'NOT',
  'NULL',
  'CONSTRAINT',
  'CHECK',
  'REFERENCES',
  'UNIQUE',
  'PRIMARY',
  'GENERATED',
  'COLLATE',
  'DEFAULT',
  'AUTO_INCREMENT',
  'COMMENT',
  'ON',
  'AFTER',
  'FIRST',
  'KEY',
  'INVISIBLE',
  'VISIBLE',
  'STORED',
  'VIRTUAL',
  'USING',
  'DEFERRABLE',
  'INITIALLY',
  'SERIAL',
  'CHARACTER',
  'CHARSET',
  'COLUMN_FORMAT',
  'STORAGE',
]);

/**
 * The text of the expression that follows `keyword` at or after `from` in `sql`: tokens at
 * parenthesis depth 0 until a column-clause keyword, a comma or an unbalanced `)`.
 * Used to recover DEFAULT and USING expressions as written.
 */
export function expressionAfter(sql: string, from: number, keyword: string, dialect: Dialect, extraStops: string[] = []): string | undefined {
  const tail = sql.slice(from);
  const tokens = lexSql(tail, dialect);
  const stops = new Set([...COLUMN_CLAUSE_WORDS, ...extraStops]);
  let k = tokens.findIndex((t) => t.type === 'word' && t.value === keyword);
  if (k === -1) return undefined;
  k++;
  // `DEFAULT NULL` / `ON UPDATE CURRENT_TIMESTAMP`: let the first token through even if it is a stop word.
  const first = k;
  let depth = 0;
  let end = k;
  for (; end < tokens.length; end++) {
    const t = tokens[end]!;
    if (t.type === 'punct') {
      if (t.value === '(') depth++;
      else if (t.value === ')') {
        if (depth === 0) break;
        depth--;
      } else if (t.value === ',' && depth === 0) break;
    } else if (t.type === 'word' && depth === 0 && end > first && stops.has(t.value)) {
      // `DEFAULT 'x'::character varying` keeps `character varying`
      const prev = tokens[end - 1];
      if (prev && prev.type === 'punct' && prev.value === '::') continue;
      break;
    }
  }
  if (end <= first) return undefined;
  return tail.slice(tokens[first]!.start, tokens[end - 1]!.end);
}

/** The text inside the parenthesised group that follows `keyword` at or after `from`. */
export function parenAfter(sql: string, from: number, keyword: string, dialect: Dialect): string | undefined {
  const tail = sql.slice(from);
  const tokens = lexSql(tail, dialect);
  const k = tokens.findIndex((t) => t.type === 'word' && t.value === keyword);
  if (k === -1) return undefined;
  const open = tokens[k + 1];
  if (!open || open.value !== '(') return undefined;
  let depth = 0;
  for (let i = k + 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type !== 'punct') continue;
    if (t.value === '(') depth++;
    else if (t.value === ')') {
      depth--;
      if (depth === 0) return tail.slice(open.end, t.start).trim();
    }
  }
  return undefined;
}
