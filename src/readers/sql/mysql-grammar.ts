import type {
  ColumnDef,
  ColumnPosition,
  IndexDef,
  MysqlClauses,
  OpDraft,
  TableConstraint,
  TableOption,
} from '../../ir/types.js';
import { lexSql, TokenCursor, type Token } from './lex.js';
import { classifyDefault, parseTypeText } from './types.js';

/**
 * A small keyword grammar for MySQL/MariaDB DDL, on zdd's own tokens. It is the fallback for the
 * statements node-sql-parser rejects (ALTER COLUMN SET/DROP DEFAULT, RENAME INDEX, CONVERT TO
 * CHARACTER SET, MariaDB's IF [NOT] EXISTS, ALGORITHM=NOCOPY, …) and the source of column
 * definition text. What it cannot classify it reports as not understood — never a silent skip.
 */

export class NotUnderstood extends Error {}

type Dialect = 'mysql' | 'mariadb';

const TYPE_TWO_WORDS = new Set(['DOUBLE PRECISION', 'CHARACTER VARYING', 'NATIONAL CHAR', 'NATIONAL VARCHAR', 'LONG VARCHAR', 'LONG VARBINARY']);

/**
 * Parses tokens [from, to) as a column definition: `name type [attributes…]`. A CHECK written on the
 * column (MySQL 8.0.16+ and MariaDB enforce it) comes back apart, as a constraint on the column.
 */
export function parseColumnDefinition(c: TokenCursor, to: number, withName = true): { column: ColumnDef; position?: ColumnPosition; checks: TableConstraint[] } {
  const name = withName ? c.identifier() : '';
  if (name === undefined) throw new NotUnderstood('column name expected');
  // data type
  const typeStart = c.pos;
  const first = c.next();
  if (!first || first.type !== 'word') throw new NotUnderstood(`data type expected after column ${name}`);
  const second = c.peek();
  if (second?.type === 'word' && TYPE_TWO_WORDS.has(`${first.value} ${second.value}`)) c.next();
  if (c.peek()?.value === '(') c.parenGroup();
  while (c.pos < to && c.peek()?.type === 'word' && ['UNSIGNED', 'SIGNED', 'ZEROFILL'].includes(c.peek()!.value)) c.next();
  // CHARACTER SET / CHARSET / COLLATE belong to the type text
  while (c.pos < to) {
    if (c.is('CHARACTER', 'SET')) {
      c.pos += 2;
      c.acceptPunct('=');
      c.next();
    } else if (c.is('CHARSET')) {
      c.pos += 1;
      c.acceptPunct('=');
      c.next();
    } else if (c.is('COLLATE')) {
      c.pos += 1;
      c.acceptPunct('=');
      c.next();
    } else break;
  }
  const type = parseTypeText(c.textFrom(typeStart));
  const column: ColumnDef = { name, type, nullable: true };
  let position: ColumnPosition | undefined;
  const checks: TableConstraint[] = [];
  let constraintName: string | undefined;
  while (c.pos < to) {
    const t = c.peek()!;
    if (c.accept('NOT', 'NULL')) column.nullable = false;
    else if (c.accept('NULL')) column.nullable = true;
    else if (c.accept('DEFAULT')) {
      const start = c.pos;
      if (c.peek()?.value === '(') c.parenGroup();
      else {
        c.next();
        // `DEFAULT CURRENT_TIMESTAMP(6)`, `DEFAULT -1`, `DEFAULT b'0'`
        if (c.peek()?.value === '(' && c.pos < to) c.parenGroup();
        else if (c.tokens[start]!.value === '-' || c.tokens[start]!.value === '+') c.next();
      }
      column.default = classifyDefault(c.textFrom(start));
    } else if (c.accept('ON', 'UPDATE')) {
      c.next();
      if (c.peek()?.value === '(') c.parenGroup();
    } else if (c.accept('AUTO_INCREMENT')) {
      column.autoIncrement = true;
    } else if (c.accept('PRIMARY', 'KEY') || c.accept('KEY')) {
      column.primaryKey = true;
      column.nullable = false;
    } else if (c.accept('UNIQUE')) {
      c.accept('KEY');
      column.unique = true;
    } else if (c.accept('COMMENT')) {
      column.comment = c.next()?.value;
    } else if (c.accept('COLLATE') || c.accept('CHARSET')) {
      c.acceptPunct('=');
      c.next();
    } else if (c.accept('CHARACTER', 'SET')) {
      c.next();
    } else if (c.accept('GENERATED', 'ALWAYS') || c.is('AS')) {
      c.accept('AS');
      const expression = c.parenGroup() ?? '';
      column.generated = { kind: 'virtual', expression };
    } else if (c.accept('STORED') || c.accept('PERSISTENT')) {
      if (column.generated) column.generated.kind = 'stored';
    } else if (c.accept('VIRTUAL')) {
      if (column.generated) column.generated.kind = 'virtual';
    } else if (c.accept('VISIBLE') || c.accept('INVISIBLE') || c.accept('SERIAL', 'DEFAULT', 'VALUE')) {
      // no effect on the rules
    } else if (c.accept('COLUMN_FORMAT') || c.accept('STORAGE') || c.accept('ENGINE_ATTRIBUTE') || c.accept('SECONDARY_ENGINE_ATTRIBUTE')) {
      c.acceptPunct('=');
      c.next();
    } else if (c.accept('REFERENCES')) {
      const table = c.qualifiedName() ?? [''];
      const cols = c.peek()?.value === '(' ? splitNames(c.parenGroup() ?? '') : [];
      column.references = { table: table[table.length - 1]!, columns: cols, ...referenceOptions(c, to) };
    } else if (c.accept('CONSTRAINT')) {
      if (!c.is('CHECK')) constraintName = c.identifier();
    } else if (c.accept('CHECK')) {
      checks.push(checkClause(c, [name], constraintName));
      constraintName = undefined;
    } else if (c.accept('FIRST')) {
      position = { first: true };
    } else if (c.accept('AFTER')) {
      position = { after: c.identifier() ?? '' };
    } else {
      throw new NotUnderstood(`unexpected "${t.raw}" in the definition of column ${name}`);
    }
  }
  if (column.autoIncrement && column.nullable && column.primaryKey) column.nullable = false;
  return position ? { column, position, checks } : { column, checks };
}

/** `ON DELETE … ON UPDATE … MATCH …` after REFERENCES: the actions (NO ACTION, the default, is omitted). */
function referenceOptions(c: TokenCursor, to: number): { onDelete?: string; onUpdate?: string } {
  const out: { onDelete?: string; onUpdate?: string } = {};
  while (c.pos < to) {
    const which = c.accept('ON', 'DELETE') ? 'onDelete' : c.accept('ON', 'UPDATE') ? 'onUpdate' : undefined;
    if (which) {
      const action = c.accept('SET', 'NULL') ? 'SET NULL' : c.accept('SET', 'DEFAULT') ? 'SET DEFAULT' : c.accept('NO', 'ACTION') ? undefined : c.accept('CASCADE') ? 'CASCADE' : c.accept('RESTRICT') ? 'RESTRICT' : (c.next(), undefined);
      if (action) out[which] = action;
    } else if (c.accept('MATCH')) c.next();
    else break;
  }
  return out;
}

/** `a, b(10), c DESC` → ['a', 'b', 'c'] (expressions keep their text). */
export function splitNames(list: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of list) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur);
  return out
    .map((s) => s.trim())
    .map((s) => (s.startsWith('(') ? s : s.replace(/\s+(ASC|DESC)$/i, '').replace(/\(\d+\)$/, '').replace(/^[`"]|[`"]$/g, '')));
}

interface IndexHead {
  name?: string;
  method?: string;
  columns: string[];
}

/** `[IF NOT EXISTS] [name] [USING x] (parts) [USING x] [options]` */
function indexTail(c: TokenCursor, to: number): IndexHead {
  const head: IndexHead = { columns: [] };
  c.accept('IF', 'NOT', 'EXISTS');
  if (c.peek()?.value !== '(' && !c.is('USING')) head.name = c.identifier();
  if (c.accept('USING') || c.accept('TYPE')) head.method = c.next()?.value.toLowerCase();
  if (c.peek()?.value === '(') head.columns = splitNames(c.parenGroup() ?? '');
  while (c.pos < to) {
    if (c.accept('USING') || c.accept('TYPE')) head.method = c.next()?.value.toLowerCase();
    else if (c.accept('COMMENT')) c.next();
    else if (c.accept('KEY_BLOCK_SIZE') || c.accept('WITH', 'PARSER') || c.accept('ENGINE_ATTRIBUTE')) {
      c.acceptPunct('=');
      c.next();
    } else if (c.accept('VISIBLE') || c.accept('INVISIBLE') || c.accept('IGNORED') || c.accept('NOT', 'IGNORED')) {
      // no effect on the rules
    } else break;
  }
  return head;
}

function tableName(c: TokenCursor): { table: string; schema?: string } {
  const parts = c.qualifiedName();
  if (!parts) throw new NotUnderstood('table name expected');
  return parts.length > 1 ? { table: parts[parts.length - 1]!, schema: parts[parts.length - 2]! } : { table: parts[0]! };
}

const ALGORITHMS = new Set(['DEFAULT', 'INSTANT', 'INPLACE', 'COPY', 'NOCOPY']);
const LOCKS = new Set(['DEFAULT', 'NONE', 'SHARED', 'EXCLUSIVE']);

/** Parses one ALTER TABLE clause [from, to) into ops; ALGORITHM/LOCK go into `clauses`. */
function alterClause(c: TokenCursor, to: number, target: { table: string; schema?: string }, clauses: MysqlClauses): OpDraft[] {
  const first = c.peek();
  if (!first) return [];
  if (c.accept('ALGORITHM')) {
    c.acceptPunct('=');
    const v = c.next()?.value ?? '';
    if (!ALGORITHMS.has(v)) throw new NotUnderstood(`unknown ALGORITHM=${v}`);
    clauses.algorithm = v as MysqlClauses['algorithm'];
    return [];
  }
  if (c.accept('LOCK')) {
    c.acceptPunct('=');
    const v = c.next()?.value ?? '';
    if (!LOCKS.has(v)) throw new NotUnderstood(`unknown LOCK=${v}`);
    clauses.lock = v as MysqlClauses['lock'];
    return [];
  }
  if (c.accept('ADD')) {
    // constraints and indexes
    let constraintName: string | undefined;
    if (c.accept('CONSTRAINT')) {
      if (!c.is('PRIMARY') && !c.is('UNIQUE') && !c.is('FOREIGN') && !c.is('CHECK')) constraintName = c.identifier();
    }
    if (c.accept('PRIMARY', 'KEY')) {
      const h = indexTail(c, to);
      return [{ kind: 'add-constraint', ...target, constraint: 'primary', columns: h.columns, validated: true, ...(constraintName ? { name: constraintName } : {}) }];
    }
    if (c.accept('UNIQUE')) {
      if (!c.accept('INDEX')) c.accept('KEY');
      const h = indexTail(c, to);
      const name = h.name ?? constraintName;
      return [{ kind: 'add-index', ...target, columns: h.columns, unique: true, ...(name ? { name } : {}), ...(h.method ? { method: h.method } : {}) }];
    }
    if (c.accept('FOREIGN', 'KEY')) {
      const h = indexTail(c, to);
      if (!c.accept('REFERENCES')) throw new NotUnderstood('REFERENCES expected in FOREIGN KEY');
      const ref = c.qualifiedName() ?? [''];
      const refCols = c.peek()?.value === '(' ? splitNames(c.parenGroup() ?? '') : [];
      const actions = referenceOptions(c, to);
      const name = constraintName ?? h.name;
      return [{ kind: 'add-constraint', ...target, constraint: 'foreign', columns: h.columns, references: { table: ref[ref.length - 1]!, columns: refCols, ...actions }, validated: true, ...(name ? { name } : {}) }];
    }
    if (c.accept('CHECK')) return [columnCheck(target, checkClause(c, [], constraintName))];
    if (constraintName !== undefined) throw new NotUnderstood('constraint type expected after ADD CONSTRAINT');
    if (c.is('FULLTEXT') || c.is('SPATIAL')) {
      const method = c.next()!.value.toLowerCase();
      if (!c.accept('INDEX')) c.accept('KEY');
      const h = indexTail(c, to);
      return [{ kind: 'add-index', ...target, columns: h.columns, unique: false, method, ...(h.name ? { name: h.name } : {}) }];
    }
    if (c.accept('INDEX') || c.accept('KEY')) {
      const h = indexTail(c, to);
      return [{ kind: 'add-index', ...target, columns: h.columns, unique: false, ...(h.name ? { name: h.name } : {}), ...(h.method ? { method: h.method } : {}) }];
    }
    if (c.accept('PARTITION')) return [{ kind: 'table-option', ...target, option: 'other', value: 'add partition' }];
    c.accept('COLUMN');
    const ifNotExists = c.accept('IF', 'NOT', 'EXISTS');
    if (c.peek()?.value === '(') {
      // ADD COLUMN (a int, b int)
      return columnList(c.parenTokens() ?? [], c.sql).flatMap(({ column, checks }) => [{ kind: 'add-column' as const, ...target, column }, ...checks.map((k) => columnCheck(target, k))]);
    }
    const { column, position, checks } = parseColumnDefinition(c, to);
    return [{ kind: 'add-column', ...target, column, ...(position ? { position } : {}), ...(ifNotExists ? { ifNotExists } : {}) }, ...checks.map((k) => columnCheck(target, k))];
  }
  if (c.accept('DROP')) {
    if (c.accept('PRIMARY', 'KEY')) return [{ kind: 'drop-constraint', ...target, name: 'PRIMARY', constraint: 'primary' }];
    if (c.accept('FOREIGN', 'KEY')) {
      const ifExists = c.accept('IF', 'EXISTS');
      return [{ kind: 'drop-constraint', ...target, name: c.identifier() ?? '', constraint: 'foreign', ...(ifExists ? { ifExists } : {}) }];
    }
    if (c.accept('INDEX') || c.accept('KEY')) {
      const ifExists = c.accept('IF', 'EXISTS');
      return [{ kind: 'drop-index', ...target, name: c.identifier() ?? '', ...(ifExists ? { ifExists } : {}) }];
    }
    if (c.accept('CHECK') || c.accept('CONSTRAINT')) {
      const ifExists = c.accept('IF', 'EXISTS');
      const isCheck = first && c.tokens[c.pos - 1]?.value === 'CHECK';
      return [{ kind: 'drop-constraint', ...target, name: c.identifier() ?? '', ...(isCheck ? { constraint: 'check' as const } : {}), ...(ifExists ? { ifExists } : {}) }];
    }
    if (c.accept('PARTITION')) return [{ kind: 'table-option', ...target, option: 'other', value: 'drop partition' }];
    c.accept('COLUMN');
    const ifExists = c.accept('IF', 'EXISTS');
    const column = c.identifier();
    if (!column) throw new NotUnderstood('column name expected after DROP');
    c.accept('CASCADE');
    c.accept('RESTRICT');
    return [{ kind: 'drop-column', ...target, column, ...(ifExists ? { ifExists } : {}) }];
  }
  if (c.accept('MODIFY')) {
    c.accept('COLUMN');
    c.accept('IF', 'EXISTS');
    const { column, position } = parseColumnDefinition(c, to);
    return [restate(target, column.name, column, position)];
  }
  if (c.accept('CHANGE')) {
    c.accept('COLUMN');
    c.accept('IF', 'EXISTS');
    const old = c.identifier();
    if (!old) throw new NotUnderstood('column name expected after CHANGE');
    const { column, position } = parseColumnDefinition(c, to);
    const ops: OpDraft[] = [];
    if (column.name !== old) ops.push({ kind: 'rename-column', ...target, column: old, newName: column.name });
    ops.push(restate(target, column.name, column, position));
    return ops;
  }
  if (c.accept('ALTER')) {
    if (c.accept('INDEX')) {
      const name = c.identifier() ?? '';
      return [{ kind: 'statement', ...target, statementKind: `alter-index ${name} ${c.next()?.value.toLowerCase() ?? ''}`.trim() }];
    }
    if (c.accept('CHECK') || c.accept('CONSTRAINT')) {
      return [{ kind: 'statement', ...target, statementKind: 'alter-constraint' }];
    }
    c.accept('COLUMN');
    const column = c.identifier();
    if (!column) throw new NotUnderstood('column name expected after ALTER');
    if (c.accept('SET', 'DEFAULT')) {
      const start = c.pos;
      if (c.peek()?.value === '(') c.parenGroup();
      else {
        c.next();
        if (c.tokens[start]!.value === '-') c.next();
      }
      return [{ kind: 'alter-column', ...target, column, default: classifyDefault(c.textFrom(start)) }];
    }
    if (c.accept('DROP', 'DEFAULT')) return [{ kind: 'alter-column', ...target, column, default: null }];
    if (c.accept('SET', 'VISIBLE') || c.accept('SET', 'INVISIBLE')) return [{ kind: 'statement', ...target, statementKind: 'alter-column-visibility' }];
    throw new NotUnderstood(`unsupported ALTER COLUMN ${column} action`);
  }
  if (c.accept('RENAME')) {
    if (c.accept('COLUMN')) {
      const column = c.identifier() ?? '';
      c.accept('TO');
      return [{ kind: 'rename-column', ...target, column, newName: c.identifier() ?? '' }];
    }
    if (c.accept('INDEX') || c.accept('KEY')) {
      const name = c.identifier() ?? '';
      c.accept('TO');
      return [{ kind: 'rename-index', ...target, name, newName: c.identifier() ?? '' }];
    }
    if (!c.accept('TO')) c.accept('AS');
    const to2 = tableName(c);
    return [{ kind: 'rename-table', ...target, newName: to2.table }];
  }
  if (c.accept('CONVERT', 'TO', 'CHARACTER', 'SET') || c.accept('CONVERT', 'TO', 'CHARSET')) {
    const value = c.next()?.raw ?? '';
    c.pos = to; // COLLATE …
    return [{ kind: 'table-option', ...target, option: 'convert-charset', value }];
  }
  if (c.accept('FORCE')) return [{ kind: 'table-option', ...target, option: 'force' }];
  // Table options: several may follow each other without commas; each consumes the rest of the clause.
  const tableOption = (option: TableOption, value?: string): OpDraft[] => {
    c.pos = to;
    return [{ kind: 'table-option', ...target, option, ...(value !== undefined ? { value } : {}) }];
  };
  const optionValue = (): string => {
    c.acceptPunct('=');
    return c.peek()?.raw ?? '';
  };
  if (c.accept('DEFAULT') || c.is('CHARACTER', 'SET') || c.is('CHARSET') || c.is('COLLATE')) return tableOption('default-charset');
  if (c.accept('ENGINE')) return tableOption('engine', optionValue().toLowerCase());
  if (c.accept('ROW_FORMAT') || c.accept('KEY_BLOCK_SIZE')) return tableOption('row-format', optionValue());
  if (c.accept('AUTO_INCREMENT')) return tableOption('auto-increment', optionValue());
  if (c.accept('COMMENT')) return tableOption('comment');
  if (c.accept('ORDER', 'BY')) return tableOption('force', 'order by');
  if (c.is('DISABLE', 'KEYS') || c.is('ENABLE', 'KEYS') || c.is('WITH', 'VALIDATION') || c.is('WITHOUT', 'VALIDATION') || c.is('STATS_PERSISTENT') || c.is('PACK_KEYS') || c.is('CHECKSUM')) {
    return tableOption('other', first.raw.toLowerCase());
  }
  if (c.is('PARTITION') || c.is('COALESCE') || c.is('REORGANIZE') || c.is('TRUNCATE') || c.is('REMOVE', 'PARTITIONING') || c.is('EXCHANGE')) {
    return tableOption('other', 'partitioning');
  }
  throw new NotUnderstood(`unknown ALTER TABLE clause "${first.raw}"`);
}

function restate(target: { table: string; schema?: string }, name: string, column: ColumnDef, position?: ColumnPosition): OpDraft {
  const op: OpDraft = {
    kind: 'alter-column',
    ...target,
    column: name,
    type: column.type,
    nullable: column.nullable,
    default: column.default ?? null,
    restatesColumn: true,
    definition: column,
  };
  if (position) op.position = position;
  return op;
}

/** The column definitions of `ADD (a int, b int)`: the tokens inside the parentheses, offsets into `sql`. */
function columnList(tokens: Token[], sql: string): Array<{ column: ColumnDef; checks: TableConstraint[] }> {
  const c = new TokenCursor(tokens, sql);
  return c.splitTopLevel().map(([a, b]) => {
    const sub = new TokenCursor(tokens.slice(0, b), sql);
    sub.pos = a;
    return parseColumnDefinition(sub, b);
  });
}

/** A CHECK written on a column of ADD COLUMN: the op that adds it, after the column. */
/** After CHECK: `(expr) [NOT] ENFORCED`, as a constraint on `columns`. */
function checkClause(c: TokenCursor, columns: string[], name: string | undefined): TableConstraint {
  const expression = c.parenGroup() ?? '';
  const notEnforced = c.accept('NOT', 'ENFORCED');
  c.accept('ENFORCED');
  return { type: 'check', columns, expression, ...(name ? { name } : {}), ...(notEnforced ? { validated: false } : {}) };
}

function columnCheck(target: { table: string; schema?: string }, k: TableConstraint): OpDraft {
  return { kind: 'add-constraint', ...target, constraint: 'check', columns: k.columns, expression: k.expression ?? '', validated: k.validated !== false, ...(k.name ? { name: k.name } : {}) };
}

/** CREATE TABLE body: column definitions, keys, constraints (the tokens inside its parentheses, offsets into `sql`). */
function createTableBody(tokens: Token[], sql: string): { columns: ColumnDef[]; constraints: TableConstraint[]; indexes: IndexDef[] } {
  const whole = new TokenCursor(tokens, sql);
  const columns: ColumnDef[] = [];
  const constraints: TableConstraint[] = [];
  const indexes: IndexDef[] = [];
  for (const [a, b] of whole.splitTopLevel()) {
    const c = new TokenCursor(tokens.slice(0, b), sql);
    c.pos = a;
    let name: string | undefined;
    if (c.accept('CONSTRAINT')) {
      if (!c.is('PRIMARY') && !c.is('UNIQUE') && !c.is('FOREIGN') && !c.is('CHECK')) name = c.identifier();
    }
    if (c.accept('PRIMARY', 'KEY')) {
      const h = indexTail(c, b);
      constraints.push({ type: 'primary', columns: h.columns, ...(name ? { name } : {}) });
    } else if (c.accept('UNIQUE')) {
      if (!c.accept('INDEX')) c.accept('KEY');
      const h = indexTail(c, b);
      indexes.push({ columns: h.columns, unique: true, ...(h.name ?? name ? { name: h.name ?? name } : {}) });
    } else if (c.accept('FOREIGN', 'KEY')) {
      const h = indexTail(c, b);
      c.accept('REFERENCES');
      const ref = c.qualifiedName() ?? [''];
      const refCols = c.peek()?.value === '(' ? splitNames(c.parenGroup() ?? '') : [];
      constraints.push({ type: 'foreign', columns: h.columns, references: { table: ref[ref.length - 1]!, columns: refCols, ...referenceOptions(c, b) }, ...(name ? { name } : {}) });
    } else if (c.accept('CHECK')) {
      constraints.push({ type: 'check', columns: [], expression: c.parenGroup() ?? '', ...(name ? { name } : {}) });
    } else if (c.is('FULLTEXT') || c.is('SPATIAL')) {
      const method = c.next()!.value.toLowerCase();
      if (!c.accept('INDEX')) c.accept('KEY');
      const h = indexTail(c, b);
      indexes.push({ columns: h.columns, unique: false, method, ...(h.name ? { name: h.name } : {}) });
    } else if (c.accept('INDEX') || c.accept('KEY')) {
      const h = indexTail(c, b);
      indexes.push({ columns: h.columns, unique: false, ...(h.name ? { name: h.name } : {}) });
    } else if (c.accept('PERIOD', 'FOR')) {
      // MariaDB system versioning
    } else {
      const def = parseColumnDefinition(c, b);
      columns.push(def.column);
      constraints.push(...def.checks);
    }
  }
  return { columns, constraints, indexes };
}

const SESSION_SCOPES = new Set(['SESSION', 'LOCAL', 'GLOBAL', 'PERSIST', 'PERSIST_ONLY']);

/** Statement → ops with the keyword grammar. Throws NotUnderstood when it cannot classify. */
export function parseMysqlWithGrammar(sql: string, dialect: Dialect, tokens?: Token[]): { ops: OpDraft[]; transaction?: 'begin' | 'commit' } {
  const toks = tokens ?? lexSql(sql, dialect);
  const c = new TokenCursor(toks, sql);
  const head = c.peek();
  if (!head) return { ops: [] };
  if (head.type !== 'word') throw new NotUnderstood(`statement starts with "${head.raw}"`);
  const end = toks.length;
  let depth = 0;
  for (const t of toks) {
    if (t.type !== 'punct') continue;
    if (t.value === '(') depth++;
    else if (t.value === ')' && --depth < 0) break;
  }
  if (depth !== 0) throw new NotUnderstood(depth > 0 ? 'unclosed parenthesis' : 'unmatched closing parenthesis');

  if (c.accept('ALTER')) {
    c.accept('ONLINE');
    c.accept('IGNORE');
    if (!c.accept('TABLE')) {
      const word = c.peek();
      if (!word || word.type !== 'word' || !ALTER_OBJECTS.has(word.value)) throw new NotUnderstood(`unknown ALTER statement "ALTER ${word?.raw ?? ''}"`);
      const what = c.next()!.value.toLowerCase();
      return { ops: [{ kind: 'statement', table: c.identifier() ?? '', statementKind: `alter-${what}` }] };
    }
    c.accept('IF', 'EXISTS');
    const target = tableName(c);
    c.accept('WAIT');
    c.accept('NOWAIT');
    const clauses: MysqlClauses = {};
    const ops: OpDraft[] = [];
    for (const [a, b] of c.splitTopLevel()) {
      const sub = new TokenCursor(toks.slice(0, b), sql);
      sub.pos = a;
      ops.push(...alterClause(sub, b, target, clauses));
      if (sub.pos < b) throw new NotUnderstood(`unexpected "${toks[sub.pos]!.raw}" in ALTER TABLE ${target.table}`);
    }
    if (clauses.algorithm || clauses.lock) for (const op of ops) op.mysql = { ...clauses };
    return { ops: ops.length ? ops : [{ kind: 'table-option', ...target, option: 'other', mysql: clauses }] };
  }

  if (c.accept('CREATE')) {
    c.accept('OR', 'REPLACE');
    const temporary = c.accept('TEMPORARY');
    if (c.accept('TABLE')) {
      const ifNotExists = c.accept('IF', 'NOT', 'EXISTS');
      const target = tableName(c);
      if (c.accept('LIKE') || (c.peek()?.value === '(' && c.peek(1)?.value === 'LIKE')) {
        const like = c.qualifiedName()?.pop();
        return { ops: [{ kind: 'create-table', ...target, columns: [], constraints: [], indexes: [], like, ...(ifNotExists ? { ifNotExists } : {}), ...(temporary ? { temporary } : {}) }] };
      }
      let body = { columns: [] as ColumnDef[], constraints: [] as TableConstraint[], indexes: [] as IndexDef[] };
      if (c.peek()?.value === '(') body = createTableBody(c.parenTokens() ?? [], sql);
      const asSelect = toks.slice(c.pos).some((t) => t.type === 'word' && t.value === 'SELECT');
      return { ops: [{ kind: 'create-table', ...target, ...body, ...(ifNotExists ? { ifNotExists } : {}), ...(temporary ? { temporary } : {}), ...(asSelect ? { asSelect } : {}) }] };
    }
    const unique = c.accept('UNIQUE');
    let method: string | undefined;
    if (c.is('FULLTEXT') || c.is('SPATIAL')) method = c.next()!.value.toLowerCase();
    if (c.accept('INDEX')) {
      const ifNotExists = c.accept('IF', 'NOT', 'EXISTS');
      const name = c.identifier();
      if (c.accept('USING') || c.accept('TYPE')) method = c.next()?.value.toLowerCase();
      if (!c.accept('ON')) throw new NotUnderstood('ON expected in CREATE INDEX');
      const target = tableName(c);
      const h = indexTail(c, end);
      const clauses: MysqlClauses = {};
      while (!c.done) {
        if (c.accept('ALGORITHM')) {
          c.acceptPunct('=');
          clauses.algorithm = c.next()?.value as MysqlClauses['algorithm'];
        } else if (c.accept('LOCK')) {
          c.acceptPunct('=');
          clauses.lock = c.next()?.value as MysqlClauses['lock'];
        } else throw new NotUnderstood(`unexpected "${c.peek()!.raw}" in CREATE INDEX`);
      }
      const op: OpDraft = { kind: 'add-index', ...target, columns: h.columns, unique, ...(name ? { name } : {}) };
      if (method ?? h.method) op.method = method ?? h.method;
      if (ifNotExists) op.ifNotExists = true;
      if (clauses.algorithm || clauses.lock) op.mysql = clauses;
      return { ops: [op] };
    }
    // CREATE [DEFINER=…] VIEW/TRIGGER/PROCEDURE/FUNCTION/EVENT/DATABASE/USER …
    const words = toks.slice(1, 12).filter((t) => t.type === 'word').map((t) => t.value);
    const what = words.find((w) => ['VIEW', 'TRIGGER', 'PROCEDURE', 'FUNCTION', 'EVENT', 'DATABASE', 'SCHEMA', 'USER', 'ROLE', 'SEQUENCE', 'SERVER', 'TABLESPACE'].includes(w));
    if (what) {
      let table = '';
      if (what === 'TRIGGER') {
        const on = toks.findIndex((t) => t.type === 'word' && t.value === 'ON');
        if (on !== -1) {
          const sub = new TokenCursor(toks, sql);
          sub.pos = on + 1;
          table = sub.qualifiedName()?.pop() ?? '';
        }
      }
      return { ops: [{ kind: 'statement', table, statementKind: `create-${what.toLowerCase()}` }] };
    }
    throw new NotUnderstood('unknown CREATE statement');
  }

  if (c.accept('DROP')) {
    c.accept('TEMPORARY');
    if (c.accept('TABLE') || c.accept('TABLES')) {
      const ifExists = c.accept('IF', 'EXISTS');
      const ops: OpDraft[] = [];
      do {
        ops.push({ kind: 'drop-table', ...tableName(c), ...(ifExists ? { ifExists } : {}) });
      } while (c.acceptPunct(','));
      const cascade = c.accept('CASCADE');
      if (cascade) for (const op of ops) if (op.kind === 'drop-table') op.cascade = true;
      return { ops };
    }
    if (c.accept('INDEX')) {
      const ifExists = c.accept('IF', 'EXISTS');
      const name = c.identifier() ?? '';
      if (!c.accept('ON')) throw new NotUnderstood('ON expected in DROP INDEX');
      const target = tableName(c);
      const clauses: MysqlClauses = {};
      while (!c.done) {
        if (c.accept('ALGORITHM')) {
          c.acceptPunct('=');
          clauses.algorithm = c.next()?.value as MysqlClauses['algorithm'];
        } else if (c.accept('LOCK')) {
          c.acceptPunct('=');
          clauses.lock = c.next()?.value as MysqlClauses['lock'];
        } else break;
      }
      const op: OpDraft = { kind: 'drop-index', ...target, name, ...(ifExists ? { ifExists } : {}) };
      if (clauses.algorithm || clauses.lock) op.mysql = clauses;
      return { ops: [op] };
    }
    const word = c.peek();
    if (!word || word.type !== 'word' || !DROP_OBJECTS.has(word.value)) throw new NotUnderstood(`unknown DROP statement "DROP ${word?.raw ?? ''}"`);
    const what = c.next()!.value.toLowerCase();
    c.accept('IF', 'EXISTS');
    return { ops: [{ kind: 'statement', table: c.identifier() ?? '', statementKind: `drop-${what}` }] };
  }

  if (c.accept('RENAME')) {
    if (!c.accept('TABLE') && !c.accept('TABLES')) {
      if (!c.is('USER')) throw new NotUnderstood(`unknown RENAME statement "RENAME ${c.peek()?.raw ?? ''}"`);
      return { ops: [{ kind: 'statement', table: '', statementKind: `rename-${c.next()?.value.toLowerCase() ?? ''}` }] };
    }
    const ops: OpDraft[] = [];
    do {
      const from = tableName(c);
      if (!c.accept('TO')) throw new NotUnderstood('TO expected in RENAME TABLE');
      const to = tableName(c);
      ops.push({ kind: 'rename-table', ...from, newName: to.table });
    } while (c.acceptPunct(','));
    return { ops };
  }

  if (c.accept('TRUNCATE')) {
    c.accept('TABLE');
    return { ops: [{ kind: 'truncate', ...tableName(c) }] };
  }

  if (c.accept('OPTIMIZE')) {
    c.accept('NO_WRITE_TO_BINLOG');
    c.accept('LOCAL');
    c.accept('TABLE');
    const ops: OpDraft[] = [];
    do ops.push({ kind: 'table-option', ...tableName(c), option: 'force', value: 'optimize' });
    while (c.acceptPunct(','));
    return { ops };
  }

  if (c.accept('SET')) {
    if (c.accept('STATEMENT')) {
      // MariaDB: SET STATEMENT var=value[, …] FOR <statement>
      const forIdx = toks.findIndex((t) => t.type === 'word' && t.value === 'FOR');
      if (forIdx === -1) throw new NotUnderstood('FOR expected in SET STATEMENT');
      const settings = sessionAssignments(new TokenCursor(toks.slice(0, forIdx), sql), 2).map((o) => (o.kind === 'session' ? { ...o, scope: 'statement' as const } : o));
      const inner = sql.slice(toks[forIdx + 1]?.start ?? sql.length);
      const rest = parseMysqlWithGrammar(inner, dialect);
      return { ops: [...settings, ...rest.ops] };
    }
    if (c.is('NAMES') || c.is('CHARACTER') || c.is('TRANSACTION') || c.is('PASSWORD') || c.is('ROLE') || c.is('DEFAULT', 'ROLE')) {
      return { ops: [{ kind: 'statement', table: '', statementKind: 'set' }] };
    }
    return { ops: sessionAssignments(c, c.pos) };
  }

  if (c.is('UPDATE') || c.is('DELETE') || c.is('INSERT') || c.is('REPLACE')) {
    const verb = c.next()!.value;
    while (c.accept('LOW_PRIORITY') || c.accept('QUICK') || c.accept('IGNORE') || c.accept('DELAYED') || c.accept('HIGH_PRIORITY')) {
      // modifiers
    }
    if (verb !== 'UPDATE') c.accept('INTO') || c.accept('FROM');
    const target = tableName(c);
    const words = new Set(toks.filter((t) => t.type === 'word').map((t) => t.value));
    dmlShape(verb, toks, words);
    const filtered = words.has('WHERE');
    const batched = words.has('LIMIT');
    if (verb === 'UPDATE') return { ops: [{ kind: 'data', ...target, action: 'update', via: 'sql', filtered, batched }] };
    if (verb === 'DELETE') return { ops: [{ kind: 'data', ...target, action: 'delete', via: 'sql', filtered, batched }] };
    const fromSelect = words.has('SELECT');
    const upsert = verb === 'REPLACE' || (words.has('DUPLICATE') && words.has('ON'));
    return { ops: [{ kind: 'data', ...target, action: fromSelect ? 'insert-select' : upsert ? 'upsert' : 'insert', via: 'sql', filtered: fromSelect && filtered, batched: fromSelect && batched }] };
  }

  if (c.is('BEGIN') || c.is('START', 'TRANSACTION')) return { ops: [{ kind: 'statement', table: '', statementKind: 'begin' }], transaction: 'begin' };
  if (c.is('COMMIT') || c.is('ROLLBACK')) return { ops: [{ kind: 'statement', table: '', statementKind: head.value.toLowerCase() }], transaction: 'commit' };
  if (c.is('CALL')) throw new NotUnderstood('CALL runs a stored procedure whose statements zdd cannot see');
  if (['SELECT', 'USE', 'LOCK', 'UNLOCK', 'GRANT', 'REVOKE', 'ANALYZE', 'FLUSH', 'DO', 'SHOW', 'DESCRIBE', 'EXPLAIN', 'CHECK', 'PREPARE', 'EXECUTE', 'DEALLOCATE', 'SAVEPOINT', 'RELEASE', 'XA', 'INSTALL', 'UNINSTALL', 'HANDLER', 'CHECKSUM', 'REPAIR'].includes(head.value)) {
    if (head.value === 'EXECUTE' || head.value === 'PREPARE') throw new NotUnderstood(`${head.value} runs dynamic SQL that zdd cannot see`);
    return { ops: [{ kind: 'statement', table: '', statementKind: head.value.toLowerCase() }] };
  }
  throw new NotUnderstood(`unknown statement "${head.raw}"`);
}

/** Object kinds of ALTER / DROP statements other than TABLE that zdd records without analysing. */
const ALTER_OBJECTS = new Set(['DATABASE', 'SCHEMA', 'VIEW', 'EVENT', 'FUNCTION', 'PROCEDURE', 'USER', 'ROLE', 'SEQUENCE', 'SERVER', 'TABLESPACE', 'INSTANCE', 'LOGFILE', 'RESOURCE', 'UNDO', 'DEFINER', 'ALGORITHM', 'SQL']);
const DROP_OBJECTS = new Set(['DATABASE', 'SCHEMA', 'VIEW', 'TRIGGER', 'PROCEDURE', 'FUNCTION', 'EVENT', 'USER', 'ROLE', 'SEQUENCE', 'SERVER', 'TABLESPACE', 'LOGFILE', 'RESOURCE', 'UNDO', 'PREPARE', 'SPATIAL', 'PACKAGE']);
/** Words that cannot start a value: an assignment or a list followed by one of them is cut short. */
const NOT_A_VALUE = new Set(['WHERE', 'ORDER', 'LIMIT', 'SET', 'FROM', 'VALUES', 'ON', 'JOIN']);

/**
 * The shape of a data statement the fallback reads by keywords (node-sql-parser rejected it): enough
 * structure that a typo is reported, not read as a harmless write.
 */
function dmlShape(verb: string, toks: Token[], words: Set<string>): void {
  // what a statement cannot end with: a dangling condition, and in an UPDATE any keyword that wants something after it
  const dangling = (w: string): boolean => w === 'WHERE' || w === 'AND' || w === 'OR' || (verb === 'UPDATE' && NOT_A_VALUE.has(w));
  if (verb === 'UPDATE') {
    const set = toks.findIndex((t) => t.type === 'word' && t.value === 'SET');
    if (set === -1) throw new NotUnderstood('SET expected in UPDATE');
    for (let i = set + 1; i < toks.length; i++) {
      const t = toks[i]!;
      if (t.type === 'word' && (t.value === 'WHERE' || t.value === 'ORDER' || t.value === 'LIMIT')) break;
      if (t.type === 'punct' && t.value === '=') {
        const next = toks[i + 1];
        if (!next || (next.type === 'word' && NOT_A_VALUE.has(next.value)) || (next.type === 'punct' && (next.value === ',' || next.value === ';'))) throw new NotUnderstood('value expected after = in UPDATE … SET');
      }
    }
  } else if (verb === 'DELETE') {
    if (!words.has('FROM')) throw new NotUnderstood('FROM expected in DELETE');
  } else if (!words.has('VALUES') && !words.has('VALUE') && !words.has('SELECT') && !words.has('SET') && !words.has('TABLE')) {
    // INSERT … TABLE other (MySQL 8.0.19+) copies a table
    throw new NotUnderstood(`VALUES, SET, SELECT or TABLE expected in ${verb}`);
  }
  const last = toks[toks.length - 1]!;
  if (last.type === 'word' && dangling(last.value)) throw new NotUnderstood(`statement ends with ${last.raw}`);
}

function sessionAssignments(c: TokenCursor, from: number): OpDraft[] {
  const ops: OpDraft[] = [];
  const sub = new TokenCursor(c.tokens, c.sql);
  sub.pos = from;
  for (const [a, b] of sub.splitTopLevel()) {
    const s = new TokenCursor(c.tokens.slice(0, b), c.sql);
    s.pos = a;
    let scope = '';
    if (s.peek()?.type === 'word' && SESSION_SCOPES.has(s.peek()!.value)) scope = s.next()!.value;
    // @@session.x / @@x / @x
    let t = s.next();
    if (t?.type === 'punct' && t.value === '@') {
      if (s.peek()?.value !== '@') {
        ops.push({ kind: 'statement', table: '', statementKind: 'set-variable' });
        continue;
      }
      s.next();
      t = s.next();
      if (t && SESSION_SCOPES.has(t.value) && s.peek()?.value === '.') {
        scope = t.value;
        s.next();
        t = s.next();
      }
    }
    const name = t?.raw ?? '';
    if (!s.acceptPunct('=')) {
      if (!(s.peek()?.value === ':' && s.peek(1)?.value === '=')) throw new NotUnderstood('= expected in SET');
      s.pos += 2;
    }
    const value = c.sql.slice(s.peek()?.start ?? c.sql.length, c.tokens[b - 1]?.end ?? c.sql.length).replace(/^'|'$/g, '');
    ops.push({ kind: 'session', table: '', setting: name.toLowerCase(), value, ...(scope === 'GLOBAL' || scope === 'PERSIST' || scope === 'PERSIST_ONLY' ? { scope: 'global' as const } : {}) });
  }
  return ops;
}
