import type { Dialect } from '../../ir/types.js';

/**
 * Splits a SQL script into statements the way the database's own client would: it honours
 * quotes, comments (`--`, `#` on MySQL, nested block comments on PostgreSQL), PostgreSQL dollar
 * quoting, the MySQL client's `DELIMITER` directive, and MySQL compound statements
 * (`CREATE TRIGGER … BEGIN … END`) that contain semicolons.
 */

export interface SplitStatement {
  /** Statement text without the delimiter. */
  text: string;
  /** Offset of the first character of the statement in the script. */
  offset: number;
}

export interface SplitComment {
  text: string;
  offset: number;
}

export interface SplitResult {
  statements: SplitStatement[];
  comments: SplitComment[];
  /** A quote, comment or dollar-quote that never closed: the scan stopped there. */
  unterminated?: { what: string; offset: number };
}

const isWordChar = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c > 127;
const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;

/** Words that open a block closed by END inside MySQL stored programs. */
const BLOCK_OPENERS = new Set(['BEGIN', 'CASE', 'IF', 'LOOP', 'WHILE', 'REPEAT']);

export function splitSql(sql: string, dialect: Dialect): SplitResult {
  const mysql = dialect !== 'postgres';
  const statements: SplitStatement[] = [];
  const comments: SplitComment[] = [];
  let delimiter = ';';
  let stmtStart = -1; // offset of first significant char of the current statement
  let i = 0;
  const n = sql.length;

  // Stored-program tracking (MySQL CREATE TRIGGER/PROCEDURE/FUNCTION/EVENT; PG BEGIN ATOMIC).
  let words: string[] = []; // first significant words of the current statement
  let isRoutine = false;
  let depth = 0;
  let prevWord = '';
  let prevSignificant = ''; // last significant char or word of the statement

  const flush = (end: number): void => {
    if (stmtStart >= 0) {
      const text = sql.slice(stmtStart, end).replace(/\s+$/, '');
      if (text.length > 0) statements.push({ text, offset: stmtStart });
    }
    stmtStart = -1;
    words = [];
    isRoutine = false;
    depth = 0;
    prevWord = '';
    prevSignificant = '';
  };
  const begin = (at: number): void => {
    if (stmtStart < 0) stmtStart = at;
  };

  while (i < n) {
    const c = sql.charCodeAt(i);

    // MySQL client DELIMITER directive, only at the start of a statement.
    if (mysql && stmtStart < 0 && (c === 68 || c === 100) && /^delimiter[ \t]/i.test(sql.slice(i, i + 10))) {
      const eol = sql.indexOf('\n', i);
      const line = sql.slice(i + 9, eol === -1 ? n : eol).trim();
      if (line.length > 0) delimiter = line.split(/\s+/)[0]!;
      i = eol === -1 ? n : eol + 1;
      continue;
    }

    // Delimiter.
    if (depth === 0 && sql.startsWith(delimiter, i)) {
      const stmtText = stmtStart >= 0 ? sql.slice(stmtStart, i) : '';
      flush(i);
      i += delimiter.length;
      // pg_dump data: `COPY t (…) FROM stdin;` is followed by rows up to a line `\.`
      if (!mysql && /^\s*COPY\b[\s\S]*\bFROM\s+stdin\b/i.test(stmtText)) {
        const end = sql.indexOf('\n\\.', i);
        i = end === -1 ? n : end + 3;
      }
      continue;
    }

    if (isSpace(c)) {
      i++;
      continue;
    }

    // Comments.
    if (c === 45 && sql.charCodeAt(i + 1) === 45 && (!mysql || i + 2 >= n || isSpace(sql.charCodeAt(i + 2)))) {
      const eol = sql.indexOf('\n', i);
      const end = eol === -1 ? n : eol;
      comments.push({ text: sql.slice(i, end), offset: i });
      i = end;
      continue;
    }
    if (c === 35 && mysql) {
      const eol = sql.indexOf('\n', i);
      const end = eol === -1 ? n : eol;
      comments.push({ text: sql.slice(i, end), offset: i });
      i = end;
      continue;
    }
    if (c === 47 && sql.charCodeAt(i + 1) === 42) {
      const start = i;
      let nest = 1;
      i += 2;
      while (i < n && nest > 0) {
        if (sql.charCodeAt(i) === 42 && sql.charCodeAt(i + 1) === 47) {
          nest--;
          i += 2;
        } else if (!mysql && sql.charCodeAt(i) === 47 && sql.charCodeAt(i + 1) === 42) {
          nest++;
          i += 2;
        } else i++;
      }
      if (nest > 0) return { statements, comments, unterminated: { what: 'block comment', offset: start } };
      comments.push({ text: sql.slice(start, i), offset: start });
      continue;
    }

    begin(i);

    // Quoted strings and identifiers.
    if (c === 39 || c === 34 || (c === 96 && mysql)) {
      const start = i;
      const backslash =
        mysql || (c === 39 && i > 0 && (sql.charCodeAt(i - 1) === 69 || sql.charCodeAt(i - 1) === 101) && !isWordChar(sql.charCodeAt(i - 2)));
      i++;
      let closed = false;
      while (i < n) {
        const d = sql.charCodeAt(i);
        if (backslash && d === 92 && c !== 96) {
          i += 2;
          continue;
        }
        if (d === c) {
          if (sql.charCodeAt(i + 1) === c) {
            i += 2;
            continue;
          }
          i++;
          closed = true;
          break;
        }
        i++;
      }
      if (!closed) {
        const what = c === 39 ? 'string literal' : c === 34 ? 'double-quoted identifier' : 'backtick identifier';
        return { statements, comments, unterminated: { what, offset: start } };
      }
      prevSignificant = "'";
      continue;
    }

    // PostgreSQL dollar quoting: $tag$ … $tag$
    if (c === 36 && !mysql && !isWordChar(sql.charCodeAt(i - 1) || 0)) {
      const m = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(sql.slice(i, i + 64));
      if (m) {
        const tag = m[0];
        const close = sql.indexOf(tag, i + tag.length);
        if (close === -1) return { statements, comments, unterminated: { what: `dollar-quoted string ${tag}`, offset: i } };
        i = close + tag.length;
        prevSignificant = "'";
        continue;
      }
    }

    // Words: track stored-program blocks.
    if (isWordChar(c)) {
      let j = i + 1;
      const customDelimiter = delimiter !== ';';
      while (j < n && isWordChar(sql.charCodeAt(j)) && !(customDelimiter && sql.startsWith(delimiter, j))) j++;
      const word = sql.slice(i, j).toUpperCase();
      if (words.length < 8) {
        words.push(word);
        if (!isRoutine && words[0] === 'CREATE') {
          // CREATE [OR REPLACE] [DEFINER = x] [AGGREGATE] TRIGGER|PROCEDURE|FUNCTION|EVENT
          if (word === 'TRIGGER' || word === 'PROCEDURE' || word === 'FUNCTION' || word === 'EVENT') isRoutine = true;
        }
      }
      if (isRoutine) {
        if (mysql) {
          if (word === 'END') {
            // END IF / END LOOP / END CASE … close their own opener.
            const m = /^\s+(IF|LOOP|WHILE|REPEAT|CASE)\b/i.exec(sql.slice(j, j + 16));
            if (depth > 0) depth--;
            if (m) j += m[0].length;
          } else if (BLOCK_OPENERS.has(word)) {
            const atStatementStart = prevSignificant === '' || prevSignificant === ';' || prevSignificant === ':' ||
              ['BEGIN', 'THEN', 'ELSE', 'DO', 'EACH', 'ROW', 'LOOP', 'REPEAT'].includes(prevWord) ||
              prevSignificant === ')' && prevWord === 'ROW';
            if (word === 'BEGIN' || word === 'CASE' || (atStatementStart && word !== 'CASE')) {
              if (!(word === 'IF' && sql.charCodeAt(j) === 40 && !atStatementStart)) depth++;
            }
          }
        } else if (word === 'ATOMIC' && prevWord === 'BEGIN') {
          depth++;
        } else if (word === 'END' && depth > 0) {
          depth--;
        } else if (word === 'CASE' && depth > 0) {
          depth++;
        }
      }
      prevWord = word;
      prevSignificant = word;
      i = j;
      continue;
    }

    prevSignificant = sql[i]!;
    if (c === 59) prevWord = ';';
    i++;
  }
  flush(n);
  return { statements, comments };
}
