/* eslint-disable @typescript-eslint/no-explicit-any */
import { createRequire } from 'node:module';
import type { ColumnDef, ColumnPosition, ForeignRef, IndexDef, MysqlClauses, OpDraft, TableConstraint } from '../../ir/types.js';
import { classifyDefault, parseTypeText } from './types.js';
import { NotUnderstood, parseMysqlWithGrammar } from './mysql-grammar.js';
import type { Token } from './lex.js';

/**
 * MySQL / MariaDB statements → IR, with two parsers, each where it is strongest:
 * - DDL and session statements (ALTER, CREATE, DROP, RENAME, TRUNCATE, SET, transaction control) are
 *   read by zdd's keyword grammar (mysql-grammar.ts), which knows every ALTER TABLE clause of MySQL 8
 *   and MariaDB and runs ~14x faster than node-sql-parser on a cold process (bench/README.md);
 * - DML (UPDATE, DELETE, INSERT, REPLACE, WITH …) is read by node-sql-parser's MySQL build (then its
 *   MariaDB build), whose full AST tells a top-level LIMIT or WHERE from one in a subquery.
 * When the first choice cannot read a statement, the other one tries; a statement neither can read
 * becomes a `raw` op with both reasons. Only the builds for the dialect in use are loaded, on first use.
 */

type Node = Record<string, any>;
type Dialect = 'mysql' | 'mariadb';

interface SqlParser {
  astify(sql: string): Node | Node[];
  exprToSQL(expr: Node): string;
}

const require = createRequire(import.meta.url);
const parsers: Partial<Record<Dialect, SqlParser>> = {};

function parser(build: Dialect): SqlParser {
  let p = parsers[build];
  if (!p) {
    const mod = require(`node-sql-parser/build/${build}`) as { Parser: new () => SqlParser };
    p = new mod.Parser();
    parsers[build] = p;
  }
  return p;
}

/** Thrown by the AST mapping for forms it leaves to the grammar. Not an Error: no stack to capture on a hot path. */
class Unmapped {
  constructor(readonly what: string) {}
}

/** Keywords node-sql-parser takes for a name when the name is missing (`DROP COLUMN;`). */
const KEYWORD_AS_NAME = new Set(['COLUMN', 'TABLE', 'INDEX', 'KEY', 'WHERE', 'SET', 'FROM', 'ADD', 'DROP', 'CONSTRAINT']);
/** Statements node-sql-parser reads first. */
const DML_HEAD = /^\s*(?:UPDATE|DELETE|INSERT|REPLACE|WITH)\b/i;
/** Data statements whose every reading is a `data` op (a WITH may hold anything: not among them). */
const DATA_HEAD = /^\s*(?:UPDATE|DELETE|INSERT|REPLACE)\b/i;

export interface MysqlParseResult {
  ops: OpDraft[];
  transaction?: 'begin' | 'commit';
  /** Which parser produced the ops. */
  via: 'node-sql-parser' | 'grammar';
}

/**
 * Parses one statement with node-sql-parser only (MySQL build, then the MariaDB build for MariaDB).
 * Returns undefined when it cannot parse or map the statement; `error` holds its message.
 */
export function parseWithNodeSqlParser(sql: string, dialect: Dialect): { result?: MysqlParseResult; error?: string } {
  let error: string | undefined;
  const builds: Dialect[] = dialect === 'mariadb' ? ['mysql', 'mariadb'] : ['mysql'];
  for (const build of builds) {
    let ast: Node | Node[];
    try {
      ast = parser(build).astify(sql);
    } catch (e) {
      error ??= (e as Error).message;
      continue;
    }
    try {
      const list = Array.isArray(ast) ? ast : [ast];
      const ops: OpDraft[] = [];
      let transaction: MysqlParseResult['transaction'];
      for (const node of list) {
        const r = mapNode(node, parser(build));
        ops.push(...r.ops);
        transaction ??= r.transaction;
      }
      return { result: { ops, via: 'node-sql-parser', ...(transaction ? { transaction } : {}) } };
    } catch (e) {
      if (!(e instanceof Unmapped)) throw e;
      return { error: `node-sql-parser parsed it but zdd does not map "${e.what}"` };
    }
  }
  return { error };
}

/**
 * Parses one statement. Throws NotUnderstood (with both parsers' reasons) when neither can read it.
 *
 * `schemaOnly`: the ops feed a schema replay and nothing else (a schema dump). A data statement the
 * keyword grammar reads then skips node-sql-parser: whichever parser reads an UPDATE, DELETE,
 * INSERT or REPLACE makes it a `data` op, which replay ignores, so the schema is the same — and a
 * dump's hundreds of `INSERT INTO migrations` rows no longer load and run node-sql-parser. A
 * statement the grammar cannot read takes the usual way (node-sql-parser, then `raw`).
 */
export function parseMysqlStatement(sql: string, dialect: Dialect, tokens?: Token[], opts: { schemaOnly?: boolean } = {}): MysqlParseResult {
  if (opts.schemaOnly && DATA_HEAD.test(sql) && !sql.includes(';')) {
    try {
      const r = parseMysqlWithGrammar(sql, dialect, tokens);
      if (r.ops.length && r.ops.every((op) => op.kind === 'data')) return { ...r, via: 'grammar' };
    } catch (e) {
      if (!(e instanceof NotUnderstood)) throw e;
    }
  }
  if (DML_HEAD.test(sql)) {
    const r = parseWithNodeSqlParser(sql, dialect);
    if (r.result) return r.result;
    try {
      return { ...parseMysqlWithGrammar(sql, dialect, tokens), via: 'grammar' };
    } catch (e) {
      if (e instanceof NotUnderstood && r.error) throw new NotUnderstood(`${e.message} (parser: ${shortParserMessage(r.error)})`);
      throw e;
    }
  }
  try {
    return { ...parseMysqlWithGrammar(sql, dialect, tokens), via: 'grammar' };
  } catch (e) {
    if (!(e instanceof NotUnderstood)) throw e;
    const r = parseWithNodeSqlParser(sql, dialect);
    // node-sql-parser reads `DROP COLUMN;` as dropping a column named COLUMN: a keyword where a
    // name belongs means the statement is cut short, whatever the parser made of it
    const bogus = r.result?.ops.find((op) => [op.table, 'column' in op ? op.column : undefined].some((n) => typeof n === 'string' && KEYWORD_AS_NAME.has(n.toUpperCase()) && !sql.toLowerCase().includes(`\`${n.toLowerCase()}\``)));
    if (r.result && !bogus) return r.result;
    throw new NotUnderstood(r.error ? `${e.message} (parser: ${shortParserMessage(r.error)})` : e.message);
  }
}

function shortParserMessage(m: string): string {
  const found = /but (.+) found\.?$/.exec(m);
  return found ? `unexpected ${found[1]}` : m.slice(0, 120);
}

function tableRef(t: Node | undefined): { table: string; schema?: string } {
  if (!t) return { table: '' };
  return t.db ? { table: t.table, schema: t.db } : { table: t.table };
}

function colName(c: Node | string | undefined): string {
  if (!c) return '';
  if (typeof c === 'string') return c;
  if (typeof c.column === 'string') return c.column;
  if (c.column?.expr?.value) return c.column.expr.value;
  if (c.expr?.value) return c.expr.value;
  return String(c.value ?? '');
}

function typeText(def: Node, p: SqlParser): string {
  let text = String(def.dataType ?? '').toLowerCase();
  if (def.expr?.type === 'expr_list' && Array.isArray(def.expr.value)) {
    text += `(${def.expr.value.map((v: Node) => `'${String(v.value).replace(/'/g, "''")}'`).join(',')})`;
  } else if (def.length !== undefined && def.length !== null) {
    text += def.scale !== undefined && def.scale !== null ? `(${def.length},${def.scale})` : `(${def.length})`;
  }
  const suffix = Array.isArray(def.suffix) ? def.suffix : [];
  for (const s of suffix) if (typeof s === 'string') text += ` ${s.toLowerCase()}`;
  void p;
  return text;
}

function columnFromAst(e: Node, p: SqlParser): { column: ColumnDef; position?: ColumnPosition } {
  const def = e.definition as Node;
  if (!def || !def.dataType) throw new Unmapped('column definition');
  const type = parseTypeText(typeText(def, p));
  if (e.character_set?.value?.value) type.charset = e.character_set.value.value;
  if (e.collate?.collate?.name) type.collation = e.collate.collate.name;
  const column: ColumnDef = { name: colName(e.column), type, nullable: true };
  if (e.nullable?.type === 'not null') column.nullable = false;
  if (e.default_val?.value) {
    const v = e.default_val.value as Node;
    let text = p.exprToSQL(v);
    if (v.type === 'function' && v.over?.type === 'on update') text = text.replace(/\s+ON UPDATE.*$/i, '');
    column.default = classifyDefault(text.replace(/`/g, ''));
  }
  if (e.auto_increment) column.autoIncrement = true;
  if (e.primary_key) {
    column.primaryKey = true;
    column.nullable = false;
  }
  if (e.unique || e.unique_or_primary === 'unique') column.unique = true;
  if (e.generated) column.generated = { kind: e.generated.storage_type === 'stored' ? 'stored' : 'virtual', expression: p.exprToSQL(e.generated.expr).replace(/`/g, '') };
  if (e.comment?.value?.value !== undefined) column.comment = String(e.comment.value.value);
  if (e.reference_definition) {
    const r = e.reference_definition;
    column.references = foreignRef(r);
  }
  let position: ColumnPosition | undefined;
  const sfx = e.suffix as Node | null;
  if (sfx && !Array.isArray(sfx)) {
    if (String(sfx.keyword).toUpperCase() === 'FIRST') position = { first: true };
    else if (String(sfx.keyword).toUpperCase() === 'AFTER') position = { after: colName(sfx.expr) };
  }
  return position ? { column, position } : { column };
}

/** node-sql-parser's reference_definition → table, columns and ON DELETE / ON UPDATE actions. */
function foreignRef(r: Node | undefined): ForeignRef {
  const ref: ForeignRef = { table: r?.table?.[0]?.table ?? '', columns: (r?.definition ?? []).map(colName) };
  for (const a of (r?.on_action ?? []) as Node[]) {
    const value = String(a.value?.value ?? '').toUpperCase();
    if (!value || value === 'NO ACTION') continue;
    if (a.type === 'on delete') ref.onDelete = value;
    else if (a.type === 'on update') ref.onUpdate = value;
  }
  return ref;
}

function indexCols(defs: Node[] | undefined, p: SqlParser): string[] {
  return (defs ?? []).map((d) => (d.type === 'column_ref' ? colName(d) : `(${p.exprToSQL(d)})`));
}

function indexMethod(e: Node): string | undefined {
  const kw = String(e.keyword ?? '').toLowerCase();
  if (kw.startsWith('fulltext')) return 'fulltext';
  if (kw.startsWith('spatial')) return 'spatial';
  const using = (e.index_options ?? []).find((o: Node) => o.keyword === 'using') ?? e.index_using;
  const m = using?.type ? String(using.type).toLowerCase() : undefined;
  return m && m !== 'btree' ? m : undefined;
}

function constraintFromAst(cd: Node, target: { table: string; schema?: string }, p: SqlParser): OpDraft {
  const t = String(cd.constraint_type ?? '').toLowerCase();
  const name = cd.constraint ?? cd.index ?? undefined;
  if (t === 'primary key') return { kind: 'add-constraint', ...target, constraint: 'primary', columns: indexCols(cd.definition, p), validated: true, ...(cd.constraint ? { name: cd.constraint } : {}) };
  if (t.startsWith('unique')) return { kind: 'add-index', ...target, columns: indexCols(cd.definition, p), unique: true, ...(name ? { name } : {}) };
  if (t === 'foreign key') {
    const r = cd.reference_definition as Node;
    return {
      kind: 'add-constraint',
      ...target,
      constraint: 'foreign',
      columns: indexCols(cd.definition, p),
      references: foreignRef(r),
      validated: true,
      ...(name ? { name } : {}),
    };
  }
  if (t === 'check') {
    return { kind: 'add-constraint', ...target, constraint: 'check', columns: [], expression: (cd.definition ?? []).map((d: Node) => p.exprToSQL(d)).join(' '), validated: true, ...(name ? { name } : {}) };
  }
  throw new Unmapped(`constraint ${t}`);
}

function mapAlter(node: Node, p: SqlParser): OpDraft[] {
  const target = tableRef(node.table?.[0]);
  const ops: OpDraft[] = [];
  const clauses: MysqlClauses = {};
  for (const e of (node.expr ?? []) as Node[]) {
    const action = String(e.action ?? '').toLowerCase();
    const resource = String(e.resource ?? '').toLowerCase();
    if (resource === 'algorithm') {
      clauses.algorithm = String(e.algorithm).toUpperCase() as MysqlClauses['algorithm'];
      continue;
    }
    if (resource === 'lock') {
      clauses.lock = String(e.lock).toUpperCase() as MysqlClauses['lock'];
      continue;
    }
    if (resource === 'engine') {
      ops.push({ kind: 'table-option', ...target, option: 'engine', value: String(e.engine).toLowerCase() });
      continue;
    }
    if (resource === 'auto_increment') {
      ops.push({ kind: 'table-option', ...target, option: 'auto-increment', value: String(e.auto_increment) });
      continue;
    }
    if (action === 'add' && resource === 'column') {
      const { column, position } = columnFromAst(e, p);
      ops.push({ kind: 'add-column', ...target, column, ...(position ? { position } : {}) });
    } else if (action === 'add' && resource === 'index') {
      const method = indexMethod(e);
      ops.push({ kind: 'add-index', ...target, columns: indexCols(e.definition, p), unique: false, ...(e.index ? { name: e.index } : {}), ...(method ? { method } : {}) });
    } else if (action === 'add' && resource === 'constraint') {
      ops.push(constraintFromAst(e.create_definitions, target, p));
    } else if (action === 'drop' && resource === 'column') {
      ops.push({ kind: 'drop-column', ...target, column: colName(e.column) });
    } else if (action === 'drop' && (resource === 'index' || resource === 'key')) {
      const kw = String(e.keyword ?? '').toLowerCase();
      if (kw === 'primary key') ops.push({ kind: 'drop-constraint', ...target, name: 'PRIMARY', constraint: 'primary' });
      else if (kw === 'foreign key') ops.push({ kind: 'drop-constraint', ...target, name: e.key ?? e.index, constraint: 'foreign' });
      else ops.push({ kind: 'drop-index', ...target, name: e.index ?? e.key });
    } else if (action === 'drop' && resource === 'constraint') {
      const kw = String(e.keyword ?? '').toLowerCase();
      ops.push({ kind: 'drop-constraint', ...target, name: e.constraint, ...(kw === 'check' ? { constraint: 'check' as const } : {}) });
    } else if (action === 'modify' && resource === 'column') {
      const { column, position } = columnFromAst(e, p);
      ops.push(restate(target, column.name, column, position));
    } else if (action === 'change' && resource === 'column') {
      const { column, position } = columnFromAst(e, p);
      const old = colName(e.old_column);
      if (old && old !== column.name) ops.push({ kind: 'rename-column', ...target, column: old, newName: column.name });
      ops.push(restate(target, column.name, column, position));
    } else if (action === 'rename' && resource === 'column') {
      ops.push({ kind: 'rename-column', ...target, column: colName(e.old_column), newName: colName(e.column) });
    } else if (action === 'rename' && resource === 'table') {
      ops.push({ kind: 'rename-table', ...target, newName: typeof e.table === 'string' ? e.table : e.table?.table });
    } else {
      throw new Unmapped(`${action} ${resource}`);
    }
  }
  if (clauses.algorithm || clauses.lock) for (const op of ops) op.mysql = { ...clauses };
  if (ops.length === 0) return [{ kind: 'table-option', ...target, option: 'other', ...(clauses.algorithm || clauses.lock ? { mysql: clauses } : {}) }];
  return ops;
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

function mapCreate(node: Node, p: SqlParser): OpDraft[] {
  const kw = String(node.keyword ?? '').toLowerCase();
  if (kw === 'table') {
    const target = tableRef(node.table?.[0]);
    const columns: ColumnDef[] = [];
    const constraints: TableConstraint[] = [];
    const indexes: IndexDef[] = [];
    for (const d of (node.create_definitions ?? []) as Node[]) {
      const res = String(d.resource ?? '').toLowerCase();
      if (res === 'column') columns.push(columnFromAst(d, p).column);
      else if (res === 'index') {
        const method = indexMethod(d);
        indexes.push({ columns: indexCols(d.definition, p), unique: false, ...(d.index ? { name: d.index } : {}), ...(method ? { method } : {}) });
      } else if (res === 'constraint') {
        const op = constraintFromAst(d, target, p);
        if (op.kind === 'add-index') indexes.push({ columns: op.columns, unique: true, ...(op.name ? { name: op.name } : {}) });
        else if (op.kind === 'add-constraint') {
          const c: TableConstraint = { type: op.constraint, columns: op.columns };
          if (op.name) c.name = op.name;
          if (op.references) c.references = op.references;
          if (op.expression) c.expression = op.expression;
          constraints.push(c);
        }
      } else throw new Unmapped(`create table ${res}`);
    }
    const op: OpDraft = { kind: 'create-table', ...target, columns, constraints, indexes };
    if (node.if_not_exists) op.ifNotExists = true;
    if (node.temporary) op.temporary = true;
    if (node.like) op.like = node.like.table?.[0]?.table;
    if (node.query_expr) op.asSelect = true;
    return [op];
  }
  if (kw === 'index') {
    const method = indexMethod({ keyword: node.index_type ?? '', index_using: node.index_using, index_options: node.index_options });
    const op: OpDraft = {
      kind: 'add-index',
      ...tableRef(node.table),
      columns: indexCols(node.index_columns, p),
      unique: String(node.index_type ?? '').toLowerCase() === 'unique',
      ...(node.index ? { name: node.index } : {}),
    };
    if (method) op.method = method;
    const clauses: MysqlClauses = {};
    if (node.algorithm_option) clauses.algorithm = String(node.algorithm_option.algorithm).toUpperCase() as MysqlClauses['algorithm'];
    if (node.lock_option) clauses.lock = String(node.lock_option.lock).toUpperCase() as MysqlClauses['lock'];
    if (clauses.algorithm || clauses.lock) op.mysql = clauses;
    return [op];
  }
  throw new Unmapped(`create ${kw}`);
}

function mapNode(node: Node, p: SqlParser): { ops: OpDraft[]; transaction?: 'begin' | 'commit' } {
  const type = String(node.type ?? '').toLowerCase();
  switch (type) {
    case 'alter':
      return { ops: mapAlter(node, p) };
    case 'create':
      return { ops: mapCreate(node, p) };
    case 'drop': {
      const kw = String(node.keyword ?? '').toLowerCase();
      if (kw === 'table') {
        const ifExists = String(node.prefix ?? '').toLowerCase() === 'if exists';
        return { ops: (node.name ?? []).map((t: Node) => ({ kind: 'drop-table', ...tableRef(t), ...(ifExists ? { ifExists } : {}) })) };
      }
      if (kw === 'index') {
        const op: OpDraft = { kind: 'drop-index', ...tableRef(node.table), name: colName(node.name) };
        return { ops: [op] };
      }
      throw new Unmapped(`drop ${kw}`);
    }
    case 'rename':
      return { ops: (node.table ?? []).map((pair: Node[]) => ({ kind: 'rename-table', ...tableRef(pair[0]), newName: pair[1]?.table })) };
    case 'truncate':
      return { ops: (node.name ?? []).map((t: Node) => ({ kind: 'truncate', ...tableRef(t) })) };
    case 'update':
      return { ops: [{ kind: 'data', ...tableRef(node.table?.[0]), action: 'update', via: 'sql', filtered: !!node.where, batched: !!node.limit?.value?.length }] };
    case 'delete': {
      const t = (node.from ?? node.table)?.[0];
      return { ops: [{ kind: 'data', ...tableRef(t), action: 'delete', via: 'sql', filtered: !!node.where, batched: !!node.limit?.value?.length }] };
    }
    case 'insert':
    case 'replace': {
      const fromSelect = node.values?.type === 'select';
      const upsert = type === 'replace' || !!node.on_duplicate_update;
      return {
        ops: [{
          kind: 'data',
          ...tableRef(node.table?.[0]),
          action: fromSelect ? 'insert-select' : upsert ? 'upsert' : 'insert',
          via: 'sql',
          filtered: fromSelect && !!node.values?.where,
          batched: fromSelect && !!node.values?.limit?.value?.length,
        }],
      };
    }
    case 'set':
    case 'transaction':
    case 'select':
    case 'use':
    case 'lock':
    case 'unlock':
    case 'grant':
    case 'call':
    case 'show':
    case 'desc':
    case 'explain':
      throw new Unmapped(type); // the grammar classifies these (session settings, transactions, CALL)
    default:
      throw new Unmapped(type);
  }
}
