import type { Dialect } from '../ir/types.js';
import { evalString, flattenChain, nameOf, parseWithPhpParser, stringLocator, USE_FAST_PARSER, type ChainCall, type EvalScope, type PhpNode, type StringValue } from '../php/ast.js';
import { fastParsePhp } from '../php/fast-parse.js';
import { resolveName, type FileNames } from './classmap.js';
import type { ClassLookup, NameHints } from './memo.js';
import { snake } from '../util/inflect.js';
import { doctrineColumns, doctrineJoinColumns, shortClass } from './names.js';
import { looksLikeStatement, sqlReferences } from './sql-refs.js';
import type { Confidence, ReferenceKind } from './types.js';

/**
 * References to target tables/columns in one PHP file, from its AST. A light type inference follows
 * what each expression is — a model instance, a query builder on some tables, a collection of
 * models, a Schema blueprint, a database connection — through variables (typed parameters, `new X`,
 * `X::find()`, `@var`), properties, relationships and method chains, so that `$order->status` is
 * tied to `orders` and never counted against `users.status`.
 */

export interface Targets {
  /** Tables targeted as a whole (drop/rename table). */
  tables: ReadonlySet<string>;
  /** Column → tables for which that column is targeted. */
  columns: ReadonlyMap<string, ReadonlySet<string>>;
}

export interface FoundRef {
  line: number;
  table: string;
  column?: string;
  confidence: Confidence;
  kind: ReferenceKind;
}

export interface AnalyzeContext {
  file: string;
  code: string;
  production: boolean;
  classes: ClassLookup;
  targets: Targets;
  dialect: Dialect;
  columnOwners?: (column: string) => ReadonlySet<string> | undefined;
  /** Variable/property name (lower case) → tables of the model it is named after (`$user` → users). */
  modelByName: NameHints;
  /** Milliseconds spent parsing and analysing, added up across files. */
  /** Milliseconds parsing and analysing; `byPhpParser`: parses zdd's own parser declined (or all, with ZDD_PHP_PARSER=php-parser). */
  timing?: { parse: number; analyze: number; byPhpParser?: number };
}

type Type =
  | { k: 'model'; cls: string; tables: string[] }
  | { k: 'builder'; tables: string[]; cls?: string; sure: boolean; aliases?: Map<string, string> }
  | { k: 'collection'; cls: string; tables: string[] }
  | { k: 'blueprint'; table?: string }
  | { k: 'schema' }
  | { k: 'db' }
  | { k: 'rule' }
  | { k: 'class'; cls: string }
  /**
   * An array variable whose keys the code wrote (`$data = ['col' => …]`, `$data['col'] = …`,
   * `$request->only(['col'])`): when handed to `Model::create($data)` & co. they are columns.
   * `names`: the string nodes naming them.
   */
  | { k: 'array'; names: readonly PhpNode[] }
  | undefined;

class Scope {
  private readonly vars = new Map<string, Type>();
  constructor(private readonly parent?: Scope) {}
  get(name: string): Type {
    const t = this.vars.get(name);
    if (t !== undefined || this.vars.has(name)) return t;
    return this.parent?.get(name);
  }
  set(name: string, t: Type): void {
    this.vars.set(name, t);
  }
}

interface ClassCtx {
  fqcn: string;
  names: FileNames;
  /** Tables when the class is an Eloquent model or a Doctrine entity. */
  tables: string[];
  model: boolean;
  entity: boolean;
  props: Map<string, Type>;
  constants: Map<string, StringValue>;
  /** `constants` as an evaluation scope. */
  scope: EvalScope;
}

/** The evaluation scope outside classes. */
const NO_CONSTANTS: EvalScope = { constants: new Map() };

const WHERE_COLUMN = new Set(
  [
    'where', 'orWhere', 'whereNot', 'orWhereNot', 'whereIn', 'whereNotIn', 'orWhereIn', 'orWhereNotIn', 'whereIntegerInRaw', 'whereIntegerNotInRaw',
    'whereNull', 'whereNotNull', 'orWhereNull', 'orWhereNotNull', 'whereBetween', 'whereNotBetween', 'orWhereBetween', 'orWhereNotBetween',
    'whereBetweenColumns', 'whereDate', 'whereMonth', 'whereDay', 'whereYear', 'whereTime', 'orWhereDate', 'orWhereMonth', 'orWhereDay', 'orWhereYear',
    'orWhereTime', 'whereJsonContains', 'whereJsonDoesntContain', 'whereJsonLength', 'whereJsonContainsKey', 'whereLike', 'whereNotLike', 'orWhereLike',
    'orWhereNotLike', 'having', 'orHaving', 'havingNull', 'havingNotNull', 'havingBetween', 'orderBy', 'orderByDesc', 'latest', 'oldest', 'value',
    'sum', 'avg', 'average', 'min', 'max', 'firstWhere', 'pluck', 'implode', 'whereColumn', 'orWhereColumn', 'chunkById', 'lazyById', 'eachById',
    'count', 'keyBy', 'sortBy', 'sortByDesc', 'groupBy', 'unique', 'whereStrict', 'whereInStrict', 'whereNotInStrict', 'whereFullText', 'orWhereFullText',
    'getAttribute', 'getOriginal', 'getRawOriginal', 'isDirty', 'isClean', 'wasChanged', 'getAttributeValue', 'only', 'except', 'makeHidden',
    'makeVisible', 'select', 'addSelect', 'distinct', 'reorder', 'cursorPaginate',
  ],
);
/** Methods whose every string argument is a column (not just the first). */
const ALL_ARGS = new Set(['select', 'addSelect', 'groupBy', 'distinct', 'only', 'except', 'makeHidden', 'makeVisible', 'whereColumn', 'orWhereColumn', 'pluck', 'whereFullText', 'orWhereFullText']);
/** Column arguments by position when not the first. */
// Lookup tables are Maps: method names such as `constructor` or `toString` must not hit Object.prototype.
const COLUMN_AT = new Map<string, number[]>(Object.entries({ chunkById: [2], lazyById: [1], eachById: [2], implode: [0], cursorPaginate: [1] }));
const WRITE_COLUMN = new Set(['increment', 'decrement', 'incrementQuietly', 'decrementQuietly', 'setAttribute', 'incrementEach', 'decrementEach']);
/** Array-keyed writes: keys are columns. Value: which arguments hold such arrays. */
/** Methods writing the keys of their array arguments (by position) as columns; the slicer keeps calls of them (slice.ts). */
export const ARRAY_KEYS = new Map<string, number[]>(Object.entries({
  update: [0], create: [0], forceCreate: [0], createQuietly: [0], forceCreateQuietly: [0], insert: [0], insertOrIgnore: [0], insertGetId: [0],
  fill: [0], forceFill: [0], make: [0], firstOrCreate: [0, 1], firstOrNew: [0, 1], updateOrCreate: [0, 1], updateOrInsert: [0, 1], upsert: [0],
  updateQuietly: [0], newInstance: [0], createOrFirst: [0, 1], incrementEach: [0], decrementEach: [0], saveQuietly: [], updateExistingPivot: [1],
}));
const RAW_METHODS = new Set(['whereRaw', 'orWhereRaw', 'selectRaw', 'havingRaw', 'orHavingRaw', 'orderByRaw', 'groupByRaw', 'fromRaw', 'raw', 'joinRaw']);
/** Methods that run a SQL statement given as the first argument (Laravel DB/connection, PDO, Doctrine DBAL, Doctrine migrations). */
const SQL_METHODS = new Set([
  'select', 'selectOne', 'selectFromWriteConnection', 'scalar', 'statement', 'insert', 'update', 'delete', 'unprepared', 'cursor', 'affectingStatement',
  'selectResultSets', 'executeQuery', 'executeStatement', 'executeUpdate', 'fetchAllAssociative', 'fetchAssociative', 'fetchOne', 'fetchNumeric',
  'fetchAllNumeric', 'fetchFirstColumn', 'fetchAllKeyValue', 'fetchAllAssociativeIndexed', 'iterateAssociative', 'iterateNumeric', 'iterateColumn',
  'fetchAll', 'fetchAssoc', 'fetchColumn', 'fetchArray', 'prepare', 'query', 'exec', 'addSql', 'executeCacheQuery',
]);
const TO_MODEL = new Set(['first', 'find', 'findOrFail', 'firstOrFail', 'sole', 'create', 'forceCreate', 'firstOrCreate', 'firstOrNew', 'updateOrCreate', 'make', 'findOrNew', 'firstWhere', 'fresh', 'replicate', 'createQuietly', 'createOrFirst', 'firstOr', 'findOr', 'newInstance', 'newModelInstance', 'refresh', 'last']);
/** Builder methods that run the query and return a collection of models. */
const TO_COLLECTION = new Set(['get', 'all', 'paginate', 'simplePaginate', 'cursorPaginate', 'cursor', 'lazy', 'lazyById', 'findMany', 'hydrate']);
/** Collection methods that return a collection of the same models. */
const COLLECTION_KEEP = new Set(['filter', 'reject', 'sortBy', 'sortByDesc', 'values', 'where', 'whereIn', 'whereNotIn', 'whereNull', 'whereNotNull', 'unique', 'take', 'skip', 'slice', 'reverse', 'shuffle', 'merge', 'concat', 'each', 'sort', 'keyBy', 'collect', 'load', 'loadMissing', 'fresh']);
const BUILDER_KEEP = new Set([
  'query', 'newQuery', 'newModelQuery', 'toBase', 'withTrashed', 'withoutTrashed', 'onlyTrashed', 'with', 'withCount', 'withSum', 'withMax', 'withMin', 'withAvg',
  'withExists', 'without', 'has', 'orHas', 'doesntHave', 'orDoesntHave', 'whereHas', 'orWhereHas', 'whereDoesntHave', 'orWhereDoesntHave', 'whereRelation',
  'orWhereRelation', 'whereBelongsTo', 'limit', 'take', 'skip', 'offset', 'forPage', 'lockForUpdate', 'sharedLock', 'when', 'unless', 'tap', 'clone',
  'inRandomOrder', 'withoutGlobalScope', 'withoutGlobalScopes', 'withGlobalScope', 'scopes', 'useWritePCO', 'useWritePdo', 'whereKey', 'whereKeyNot',
  'orderByRaw', 'whereRaw', 'orWhereRaw', 'selectRaw', 'havingRaw', 'groupByRaw', 'join', 'leftJoin', 'rightJoin', 'crossJoin', 'joinSub', 'leftJoinSub',
  'from', 'union', 'unionAll', 'whereExists', 'whereNotExists', 'latest', 'oldest', 'reorder', 'distinct', 'select', 'addSelect', 'groupBy', 'having',
  'orderBy', 'orderByDesc', 'lazy', 'each', 'chunk', 'chunkById', 'whereAll', 'whereAny', 'whereNone',
]);
/** Builder methods whose closure argument receives the same builder. */
const SAME_BUILDER_CLOSURE = new Set(['where', 'orWhere', 'whereNot', 'orWhereNot', 'when', 'unless', 'tap', 'having', 'orHaving', 'whereExists', 'whereNested']);
/** Builder methods whose closure receives the related model's builder; the relation is the first argument. */
const RELATED_CLOSURE = new Set(['whereHas', 'orWhereHas', 'whereDoesntHave', 'orWhereDoesntHave', 'has', 'orHas', 'doesntHave', 'withCount', 'whereRelation', 'orWhereRelation']);
/** Methods whose closure receives one model of a collection/builder. */
const ITEM_CLOSURE = new Set(['each', 'map', 'filter', 'reject', 'first', 'last', 'contains', 'every', 'sortBy', 'sortByDesc', 'groupBy', 'keyBy', 'flatMap', 'transform', 'partition', 'sum', 'mapWithKeys', 'search', 'firstWhere', 'lazy', 'eachById']);
const CHUNK_CLOSURE = new Set(['chunk', 'chunkById', 'chunkMap']);
/** Blueprint methods whose arguments are not column names. */
const NOT_BLUEPRINT_COLUMNS = new Set(['references', 'on', 'constrained', 'comment', 'default', 'charset', 'collation', 'addForeignKeyConstraint', 'foreignIdFor', 'foreignUuidFor']);
/** Builder methods whose first argument is a table. */
const TABLE_CALLS = new Set(['join', 'leftJoin', 'rightJoin', 'crossJoin', 'innerJoin', 'from', 'update', 'insert', 'delete']);
/** Model methods that return the model. */
const MODEL_KEEP = new Set(['save', 'update', 'delete', 'refresh', 'load', 'loadMissing', 'touch', 'fill', 'forceFill', 'setAttribute', 'push', 'loadCount', 'makeHidden', 'makeVisible', 'setRelation', 'unsetRelation']);
const RELATIONSHIPS = new Set(['belongsTo', 'belongsToMany', 'hasMany', 'hasOne', 'hasManyThrough', 'hasOneThrough', 'morphMany', 'morphOne', 'morphTo', 'morphToMany', 'morphedByMany']);

const MODEL_ARRAY_PROPS = new Map<string, Confidence>(Object.entries({ fillable: 'high', dates: 'high', guarded: 'low', hidden: 'low', visible: 'low', appends: 'low' }) as Array<[string, Confidence]>);
/** Keyed by column: casts and default attributes reach the database; `$rules` (validating models) name the columns. */
const MODEL_KEYED_PROPS = new Map<string, Confidence>(Object.entries({ casts: 'high', attributes: 'high', rules: 'medium' }) as Array<[string, Confidence]>);
const MODEL_CONSTANTS = new Set(['CREATED_AT', 'UPDATED_AT', 'DELETED_AT']);

const DB_CLASSES = new Set(['Illuminate\\Support\\Facades\\DB', 'DB', 'PDO', 'Doctrine\\DBAL\\Connection', 'Illuminate\\Database\\Connection', 'Illuminate\\Database\\ConnectionInterface', 'Illuminate\\Database\\DatabaseManager', 'Doctrine\\DBAL\\Driver\\Connection']);
const SCHEMA_CLASSES = new Set(['Illuminate\\Support\\Facades\\Schema', 'Schema', 'Doctrine\\DBAL\\Schema\\Schema', 'Illuminate\\Database\\Schema\\Builder']);
const BLUEPRINT_CLASSES = new Set(['Illuminate\\Database\\Schema\\Blueprint', 'Doctrine\\DBAL\\Schema\\Table']);
const RULE_CLASSES = new Set(['Illuminate\\Validation\\Rule', 'Rule']);
/**
 * The router: `Route::get('genres/{genre}', …)->where('genre', '.*')` constrains a route parameter,
 * not a column. Every call on it (fluent route definitions) stays on the router.
 */
const ROUTER = 'Illuminate\\Routing\\Router';
const ROUTER_CLASSES = new Set(['Illuminate\\Support\\Facades\\Route', 'Route', ROUTER, 'Illuminate\\Routing\\Route', 'Illuminate\\Routing\\RouteRegistrar', 'Illuminate\\Contracts\\Routing\\Registrar']);
const ATTRIBUTE_CAST = /(?:^|\\)Attribute$/;
/** Global aliases of facades and PHP classes, for names used without an import. */
const FACADE_ALIASES = new Map<string, string>(Object.entries({
  DB: 'Illuminate\\Support\\Facades\\DB',
  Schema: 'Illuminate\\Support\\Facades\\Schema',
  Rule: 'Illuminate\\Validation\\Rule',
  Route: 'Illuminate\\Support\\Facades\\Route',
  PDO: 'PDO',
  Blueprint: 'Illuminate\\Database\\Schema\\Blueprint',
}));

const IDENT = /^[A-Za-z_][\w]*$/;
const COLUMN_STRING = /^\s*(?:([A-Za-z_][\w]*)\.)?([A-Za-z_][\w]*)(?:->[\w\->]+)?(?:\s+as\s+\w+)?\s*$/i;
const VALIDATION_RULE = /(?:^|\|)\s*(exists|unique):([^,|]+)(?:,([^,|]+))?/g;

export function analyzePhp(ctx: AnalyzeContext): { refs: FoundRef[] } | { error: string; line: number } {
  const t0 = performance.now();
  // the fast parser first (it declines what it does not handle), php-parser for the rest and for errors
  const fast = USE_FAST_PARSER ? fastParsePhp(ctx.code) : undefined;
  const parsed = fast ? { ast: fast } : parseWithPhpParser(ctx.code, ctx.file);
  const t1 = performance.now();
  if (ctx.timing) {
    ctx.timing.parse += t1 - t0;
    if (!fast) ctx.timing.byPhpParser = (ctx.timing.byPhpParser ?? 0) + 1;
  }
  if ('error' in parsed) return { error: parsed.error.message, line: parsed.error.line };
  const refs = new Analyzer(ctx).analyse(parsed.ast);
  if (ctx.timing) ctx.timing.analyze += performance.now() - t1;
  return { refs };
}

/** The targeted column names (the same set for every file of an index run). */
const columnSets = new WeakMap<Targets, ReadonlySet<string>>();
function targetColumns(t: Targets): ReadonlySet<string> {
  let set = columnSets.get(t);
  if (!set) columnSets.set(t, (set = new Set(t.columns.keys())));
  return set;
}

class Analyzer {
  readonly refs: FoundRef[] = [];
  private readonly seen = new Set<string>();
  private names: FileNames = { namespace: '', uses: new Map() };
  private cls?: ClassCtx;
  /** String nodes already read as SQL, columns or rules (not to be read again as generic strings). */
  private readonly handled = new Set<object>(); // (a Set: the analysis is short-lived, and a WeakSet costs the GC more)
  /** Tables of the builder whose arguments are being visited (for DB::raw inside select()). */
  private rawTables?: string[];
  /** The array key whose value is being visited (validation rules without a column). */
  private ruleKey?: string;
  private readonly allColumns: ReadonlySet<string>;

  private readonly classes: ClassLookup;

  constructor(private readonly ctx: AnalyzeContext) {
    this.classes = ctx.classes;
    this.allColumns = targetColumns(ctx.targets);
  }

  analyse(ast: PhpNode): FoundRef[] {
    this.block(ast.children ?? [], new Scope());
    return this.refs;
  }

  // ---- emitting -------------------------------------------------------------------------------

  private emit(line: number, table: string, column: string | undefined, confidence: Confidence, kind: ReferenceKind): void {
    if (column === undefined ? !this.ctx.targets.tables.has(table) : !this.ctx.targets.columns.get(column)?.has(table)) return;
    const conf: Confidence = this.ctx.production ? confidence : 'low';
    const key = `${line}\0${table}\0${column ?? ''}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.refs.push({ line, table, ...(column !== undefined ? { column } : {}), confidence: conf, kind });
  }

  private emitTables(line: number, tables: readonly string[], confidence: Confidence, kind: ReferenceKind): void {
    for (const t of tables) this.emit(line, t, undefined, confidence, kind);
  }

  /**
   * A column on known tables, or — when the receiver is unknown — on the target table only if a
   * hint says so: a variable named after its model (medium), a column no other table has (medium),
   * a column the schema does not know (low). A name other tables also have is not counted.
   */
  private emitColumn(line: number, tables: readonly string[] | undefined, column: string, confidence: Confidence, kind: ReferenceKind, hint?: string): void {
    const targeted = this.ctx.targets.columns.get(column);
    if (!targeted) return;
    if (tables) {
      for (const t of tables) this.emit(line, t, column, confidence, kind);
      return;
    }
    if (hint) {
      const hinted = this.ctx.modelByName.get(hint.toLowerCase()) ?? this.ctx.modelByName.get(singularHint(hint));
      if (hinted) {
        for (const t of hinted) this.emit(line, t, column, 'medium', kind);
        return;
      }
    }
    const owners = this.ctx.columnOwners?.(column);
    for (const t of targeted) {
      if (!owners || owners.size === 0) this.emit(line, t, column, 'low', kind);
      else if (owners.size === 1 && owners.has(t)) this.emit(line, t, column, 'medium', kind);
    }
  }

  // ---- statements and scopes ------------------------------------------------------------------

  private block(nodes: PhpNode[], scope: Scope): void {
    for (const n of nodes) this.statement(n, scope);
  }

  private statement(n: PhpNode, scope: Scope): void {
    if (!n || typeof n !== 'object') return;
    const docs = (n.leadingComments ?? []) as PhpNode[];
    for (const c of docs) this.docVars(String(c.value), scope);
    this.statementBody(n, scope);
    // `/** @var User $u */ $u = cache('u');` types the variable the statement assigns
    for (const c of docs) this.docVars(String(c.value), scope);
  }

  private statementBody(n: PhpNode, scope: Scope): void {
    switch (n.kind) {
      case 'namespace':
        this.names = { namespace: String(n.name ?? ''), uses: new Map() };
        this.block(n.children ?? [], scope);
        return;
      case 'usegroup':
        for (const item of (n.items ?? []) as PhpNode[]) {
          const full = n.name ? `${n.name}\\${item.name}` : String(item.name);
          this.names.uses.set(nameOf(item.alias) ?? shortClass(full), full.replace(/^\\/, ''));
        }
        return;
      case 'class':
      case 'trait':
        this.classNode(n, scope);
        return;
      case 'function':
        this.fn(n, scope, false);
        return;
      case 'foreach': {
        const t = this.ev(n.source, scope);
        if (n.value?.kind === 'variable' && typeof n.value.name === 'string') {
          scope.set(n.value.name, t?.k === 'collection' ? { k: 'model', cls: t.cls, tables: t.tables } : t?.k === 'builder' && t.cls ? { k: 'model', cls: t.cls, tables: t.tables } : undefined);
        }
        this.anyChildren(n.body, scope);
        return;
      }
      default:
        this.ev(n, scope);
    }
  }

  /** `/** @var User $user *\/` */
  private docVars(doc: string, scope: Scope): void {
    if (!doc.includes('@var')) return;
    for (const m of doc.matchAll(/@var\s+\\?([\w\\]+)(?:\[\])?(?:\|null)?\s+\$(\w+)/g)) scope.set(m[2]!, this.typeOfClass(this.resolve(m[1]!)));
  }

  private resolve(name: string): string {
    return resolveName(name, this.names);
  }

  /** Types of classes asked already in this file, by name (instance, then builder). */
  private readonly classTypes = new Map<string, Type>();
  private readonly builderTypes = new Map<string, Type>();

  /** The type of an instance of a class (types are never changed: one object serves every use). */
  private typeOfClass(fqcn: string, builder = false): Type {
    const cache = builder ? this.builderTypes : this.classTypes;
    let t = cache.get(fqcn);
    if (t === undefined && !cache.has(fqcn)) {
      t = this.classType(fqcn, builder);
      cache.set(fqcn, t);
    }
    return t;
  }

  private classType(fqcn: string, builder: boolean): Type {
    // Facades are often used through their global alias (`DB::`, `\Schema::`) without an import.
    const known = this.classes.find(fqcn);
    const name = known ? fqcn : FACADE_ALIASES.get(shortClass(fqcn)) ?? fqcn;
    if (DB_CLASSES.has(name)) return { k: 'db' };
    if (SCHEMA_CLASSES.has(name)) return { k: 'schema' };
    if (BLUEPRINT_CLASSES.has(name)) return { k: 'blueprint' };
    if (RULE_CLASSES.has(name)) return { k: 'rule' };
    if (ROUTER_CLASSES.has(name)) return { k: 'class', cls: ROUTER };
    const tables = this.classes.tablesOf(fqcn);
    if (tables.length) {
      const cls = this.classes.find(fqcn)?.fqcn ?? fqcn;
      return builder ? { k: 'builder', tables, cls, sure: true } : { k: 'model', cls, tables };
    }
    return { k: 'class', cls: fqcn };
  }

  private typeNode(t: PhpNode | undefined): Type {
    if (!t) return undefined;
    if (t.kind === 'name') return this.typeOfClass(this.resolve(String(t.name)));
    if (t.kind === 'uniontype' || t.kind === 'intersectiontype') {
      // `Invoice|Quote $doc`: an instance of any of the models, so a column on any of their tables
      let model: Type;
      let other: Type;
      for (const x of (t.types ?? []) as PhpNode[]) {
        const r = this.typeNode(x);
        if (r?.k === 'model') model = model?.k === 'model' ? { k: 'model', cls: model.cls, tables: [...new Set([...model.tables, ...r.tables])] } : r;
        else if (r && r.k !== 'class') other ??= r;
      }
      return model ?? other;
    }
    return undefined;
  }

  private classNode(n: PhpNode, scope: Scope): void {
    const short = nameOf(n.name);
    const outer = this.cls;
    const fqcn = short ? (this.names.namespace ? `${this.names.namespace}\\${short}` : short) : '';
    const classes = this.classes;
    const tables = fqcn ? classes.tablesOf(fqcn) : [];
    const info = fqcn ? classes.find(fqcn) : undefined;
    const entity = info?.entity !== undefined;
    const model = !entity && tables.length > 0;
    const constants = new Map<string, StringValue>();
    const c: ClassCtx = { fqcn, names: this.names, tables, model, entity, props: new Map(), constants, scope: { constants } };
    this.cls = c;
    const line = n.loc?.start.line ?? 1;
    if (tables.length) this.emitTables(line, tables, 'high', entity ? 'entity-mapping' : 'model');
    if (entity) this.entityClassMapping(n, c);
    // constants first: they feed string evaluation in the methods
    for (const m of (n.body ?? []) as PhpNode[]) {
      if (m.kind !== 'classconstant') continue;
      for (const k of (m.constants ?? []) as PhpNode[]) {
        const name = nameOf(k.name);
        if (!name) continue;
        const v = evalString(k.value, c.scope);
        c.constants.set(name, v);
        if (model && MODEL_CONSTANTS.has(name) && 'value' in v) this.emitColumn(k.loc?.start.line ?? line, tables, v.value, 'high', 'model-property');
      }
    }
    for (const m of (n.body ?? []) as PhpNode[]) {
      if (m.kind === 'propertystatement') {
        for (const p of (m.properties ?? []) as PhpNode[]) {
          const pname = nameOf(p.name);
          if (!pname) continue;
          if (p.type) c.props.set(pname, this.typeNode(p.type));
          if (model) this.modelProperty(pname, p.value);
          if (entity) this.entityProperty(pname, p, m);
          if (p.value) this.ev(p.value, scope);
        }
      } else if (m.kind === 'method') {
        const mname = nameOf(m.name) ?? '';
        if (model) this.modelMethod(mname, m);
        if (mname === 'definition' && info?.parent === 'Illuminate\\Database\\Eloquent\\Factories\\Factory') {
          const factoryTables = this.factoryTables(n, short ?? '');
          for (const ret of findReturns(m.body)) if (ret.kind === 'array') this.arrayKeys(ret, factoryTables, 'high', 'attribute-write');
        }
        if (mname === '__construct') {
          for (const p of (m.arguments ?? []) as PhpNode[]) {
            if (!p.flags) continue; // promoted constructor parameters are properties
            const pname = nameOf(p.name);
            if (pname && p.type) c.props.set(pname, this.typeNode(p.type));
            if (entity && pname) this.entityProperty(pname, p, p);
          }
        }
        this.fn(m, scope, true, mname);
      } else if (m.kind !== 'classconstant') this.ev(m, scope);
    }
    this.cls = outer;
  }

  /** The table a model factory fills: `protected $model = X::class`, else the class name without `Factory`. */
  private factoryTables(n: PhpNode, short: string): string[] {
    for (const m of (n.body ?? []) as PhpNode[]) {
      if (m.kind !== 'propertystatement') continue;
      for (const p of (m.properties ?? []) as PhpNode[]) {
        const cls = nameOf(p.name) === 'model' && p.value ? this.classConst(p.value) : undefined;
        if (cls) return this.classes.tablesOf(cls);
      }
    }
    const model = short.replace(/Factory$/, '');
    const found = model ? this.classes.find(model) : undefined;
    return found ? this.classes.tablesOf(found.fqcn) : [];
  }

  /** Functions, methods, closures, arrow functions: a scope with typed parameters. */
  private fn(n: PhpNode, outer: Scope, isMethod: boolean, methodName?: string, paramTypes?: Type[]): void {
    const scope = n.kind === 'arrowfunc' ? new Scope(outer) : new Scope();
    if (n.kind === 'closure') for (const u of (n.uses ?? []) as PhpNode[]) if (typeof u.name === 'string') scope.set(u.name, outer.get(u.name));
    if (n.kind === 'closure' || n.kind === 'arrowfunc') scope.set('this', outer.get('this'));
    else if (this.cls) scope.set('this', this.cls.tables.length && !this.cls.entity ? { k: 'model', cls: this.cls.fqcn, tables: this.cls.tables } : { k: 'class', cls: this.cls.fqcn });
    const params = (n.arguments ?? []) as PhpNode[];
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!;
      const pname = nameOf(p.name);
      if (!pname) continue;
      let t = this.typeNode(p.type);
      // what the caller passes (a where() closure's builder, a Schema::table closure's blueprint) is more precise than a declared `Builder`/`Blueprint`
      const given = paramTypes?.[i];
      if (given && (!t || t.k === 'class' || t.k === given.k)) t = given;
      // a model's local scope receives a builder on the model's table
      if (isMethod && i === 0 && this.cls?.model && methodName && /^scope[A-Z]/.test(methodName)) t = { k: 'builder', tables: this.cls.tables, cls: this.cls.fqcn, sure: true };
      // a model-typed parameter: route model binding loads it, callers pass it loaded
      else if (t?.k === 'model' && p.type && !given) this.emitTables(p.loc?.start.line ?? 1, t.tables, 'medium', 'query');
      scope.set(pname, t);
      if (p.value) this.ev(p.value, scope);
    }
    const body = n.body;
    if (!body) return;
    if (body.kind === 'block') this.block(body.children ?? [], scope);
    else this.ev(body, scope);
  }

  private anyChildren(n: PhpNode | undefined, scope: Scope): void {
    if (!n) return;
    if (n.kind === 'block') this.block(n.children ?? [], scope);
    else this.statement(n, scope);
  }

  // ---- expressions ----------------------------------------------------------------------------

  private ev(n: PhpNode | undefined, scope: Scope): Type {
    if (!n || typeof n !== 'object' || typeof n.kind !== 'string') return undefined;
    switch (n.kind) {
      case 'variable':
        return typeof n.name === 'string' ? scope.get(n.name) : undefined;
      case 'propertylookup':
      case 'nullsafepropertylookup': {
        const recv = this.ev(n.what, scope);
        const prop = nameOf(n.offset);
        if (!prop) {
          this.ev(n.offset, scope);
          return undefined;
        }
        return this.attribute(recv, prop, n, false, n.what);
      }
      case 'call':
        return this.call(n, scope);
      case 'string':
      case 'nowdoc':
      case 'encapsed':
        if (this.genericString(n)) markStrings(n, this.handled);
        if (n.kind === 'encapsed') for (const p of (n.value ?? []) as PhpNode[]) this.ev(p.kind === 'encapsedpart' ? p.expression : p, scope);
        return undefined;
      case 'expressionstatement':
        return this.ev(n.expression, scope);
      case 'assign': {
        const t = this.ev(n.right, scope);
        const left = n.left as PhpNode;
        if (left.kind === 'variable' && typeof left.name === 'string') scope.set(left.name, n.operator === '=' ? t ?? this.arrayNames(n.right, scope) : undefined);
        else if (left.kind === 'propertylookup' || left.kind === 'nullsafepropertylookup') {
          const recv = this.ev(left.what, scope);
          const prop = nameOf(left.offset);
          if (prop) this.attribute(recv, prop, left, true, left.what);
          if (prop && left.what?.kind === 'variable' && left.what.name === 'this' && this.cls && t && t.k !== 'class') this.cls.props.set(prop, t);
        } else if (left.kind === 'list' || left.kind === 'array') {
          // `[$data, $x] = …`: whatever the variables held before is gone
          this.forgetAssigned(left, scope);
          this.ev(left, scope);
        } else if (left.kind === 'offsetlookup') {
          const base = left.what as PhpNode;
          // `$data['col'] = …`: a key of the array (an unknown variable becomes one: PHP creates it)
          if (base?.kind === 'variable' && typeof base.name === 'string' && base.name !== 'this' && left.offset) {
            const was = scope.get(base.name);
            if (was === undefined || was.k === 'array') scope.set(base.name, { k: 'array', names: [...(was?.names ?? []), left.offset as PhpNode] });
          }
          this.offset(left, scope, true);
        } else this.ev(left, scope);
        return t;
      }
      case 'block':
        this.block(n.children ?? [], scope);
        return undefined;
      case 'bin':
        if (n.type === '.' && this.genericString(n)) markStrings(n, this.handled);
        this.ev(n.left, scope);
        this.ev(n.right, scope);
        return undefined;
      case 'staticlookup':
        return undefined;
      case 'return':
        return this.ev(n.expr, scope);
      case 'offsetlookup':
        return this.offset(n, scope, false);
      case 'array':
        this.arrayNode(n, scope);
        return undefined;
      case 'new': {
        const what = n.what as PhpNode;
        let t: Type;
        if (what?.kind === 'name') {
          t = this.typeOfClass(this.resolve(String(what.name)));
          if (t?.k === 'model') this.emitTables(what.loc?.start.line ?? 1, t.tables, 'high', 'query');
        }
        else if (what?.kind === 'selfreference' || what?.kind === 'staticreference') t = this.cls ? this.typeOfClass(this.cls.fqcn) : undefined;
        else this.ev(what, scope);
        const args = (n.arguments ?? []) as PhpNode[];
        if (t?.k === 'model' && args[0]?.kind === 'array') this.arrayKeys(args[0], t.tables, 'high', 'attribute-write');
        for (const a of args) this.ev(a, scope);
        return t;
      }
      case 'retif': {
        this.ev(n.test, scope);
        const a = this.ev(n.trueExpr, scope);
        const b = this.ev(n.falseExpr, scope);
        return a ?? b;
      }
      case 'closure':
      case 'arrowfunc':
        this.fn(n, scope, false);
        return undefined;
      case 'class':
      case 'function':
      case 'foreach':
      case 'namespace':
      case 'usegroup':
        this.statement(n, scope);
        return undefined;
      // (`@expr` is the value of expr; a cast's operand is `expr` too, the others' `what`)
      case 'silent':
        return this.ev(n.expr, scope);
      case 'cast':
        this.ev(n.expr, scope);
        return undefined;
      case 'unary':
      case 'post':
      case 'pre':
        this.ev(n.what, scope);
        return undefined;
      case 'unset':
        // `unset($data['col'])`: the key is no longer written (a dynamic key: nothing is known)
        for (const v of (n.variables ?? []) as PhpNode[]) {
          if (v?.kind === 'variable' && typeof v.name === 'string') scope.set(v.name, undefined);
          else if (v?.kind === 'offsetlookup' && v.what?.kind === 'variable' && typeof v.what.name === 'string') {
            const t = scope.get(v.what.name);
            if (t?.k !== 'array') continue;
            const key = v.offset ? this.stringOf(v.offset as PhpNode) : undefined;
            scope.set(v.what.name, key?.exact ? { k: 'array', names: t.names.filter((x) => this.stringOf(x)?.text !== key.text) } : undefined);
          }
        }
        this.children(n, scope);
        return undefined;
      case 'match':
        this.ev(n.cond, scope);
        for (const arm of (n.arms ?? []) as PhpNode[]) {
          for (const c of (arm.conds ?? []) as PhpNode[]) this.ev(c, scope);
          this.ev(arm.body, scope);
        }
        return undefined;
      default:
        this.children(n, scope);
        return undefined;
    }
  }

  /** Visits every child node (statements keep their leading @var comments). */
  private children(n: PhpNode, scope: Scope): void {
    // own keys: a for-in also walks the node classes' prototypes (methods only), slowly
    for (const k of Object.keys(n)) {
      if (k === 'loc' || k === 'leadingComments' || k === 'trailingComments' || k === 'kind') continue;
      const v = n[k];
      if (!v || typeof v !== 'object') continue;
      if (Array.isArray(v)) {
        for (const x of v) if (x && typeof x === 'object' && typeof x.kind === 'string') this.statement(x, scope);
      } else if (typeof (v as PhpNode).kind === 'string') this.statement(v as PhpNode, scope);
    }
  }

  /** `$recv->prop` read or write. Returns the property's type (a related model, a typed property). */
  private attribute(recv: Type, prop: string, node: PhpNode, write: boolean, what: PhpNode): Type {
    const line = node.loc?.start.line ?? 1;
    const kind: ReferenceKind = write ? 'attribute-write' : 'attribute-read';
    if (recv?.k === 'model') {
      // (reading an attribute an accessor computes without the column does not read the column)
      if (this.allColumns.has(prop) && (write || !this.classes.isComputed(recv.cls, prop))) this.emitColumn(line, recv.tables, prop, 'high', kind);
      const rel = this.classes.relation(recv.cls, prop);
      if (rel.found && rel.related) {
        const t = this.typeOfClass(rel.related);
        return t?.k === 'model' ? t : undefined;
      }
      return undefined;
    }
    if (what.kind === 'variable' && what.name === 'this' && this.cls) return this.cls.props.get(prop);
    if (recv === undefined && this.allColumns.has(prop)) {
      const hint = what.kind === 'variable' && typeof what.name === 'string' ? what.name : what.kind === 'propertylookup' ? nameOf(what.offset) : undefined;
      if (hint && hint !== 'this' && !/^(request|req|input|inputs|data|payload|params|options|config|settings|response|json|args|event)$/i.test(hint)) this.emitColumn(line, undefined, prop, 'high', kind, hint);
    }
    return undefined;
  }

  /** `$model['col']`, `$this->attributes['col']`. */
  private offset(n: PhpNode, scope: Scope, write: boolean): Type {
    const what = n.what as PhpNode;
    const key = n.offset ? evalString(n.offset, this.evalScope()) : undefined;
    const line = n.loc?.start.line ?? 1;
    if (key && 'value' in key && n.offset) this.handled.add(n.offset);
    if (what?.kind === 'propertylookup' && what.what?.kind === 'variable' && what.what.name === 'this' && nameOf(what.offset) === 'attributes' && this.cls?.model) {
      if (key && 'value' in key) this.emitColumn(line, this.cls.tables, key.value, 'high', write ? 'attribute-write' : 'attribute-read');
      return undefined;
    }
    const recv = this.ev(what, scope);
    if (n.offset && !(key && 'value' in key)) this.ev(n.offset, scope);
    if (recv?.k === 'model' && key && 'value' in key) this.emitColumn(line, recv.tables, key.value, 'high', write ? 'attribute-write' : 'attribute-read');
    return undefined;
  }

  /** Class constants for `self::X` in strings and offsets. */
  private evalScope(): EvalScope {
    return this.cls?.scope ?? NO_CONSTANTS;
  }

  // ---- calls and chains -----------------------------------------------------------------------

  private call(n: PhpNode, scope: Scope): Type {
    const { base, calls } = flattenChain(n);
    let cur: Type;
    let hint: string | undefined;
    const first = calls[0]!;
    if (first.via === '::') {
      cur = this.staticBase(base);
    } else if (first.via === 'fn') {
      // a function call starts the chain (helpers such as auth(), collect(), app()): unknown type
      if (base.kind !== 'name') this.ev(base, scope);
      this.args(first, undefined, scope);
      calls.shift();
      cur = undefined;
    } else {
      cur = this.ev(base, scope);
      if (base.kind === 'variable' && typeof base.name === 'string' && base.name !== 'this') hint = base.name;
      else if (base.kind === 'propertylookup') hint = nameOf(base.offset);
    }
    const aliases = chainAliases(calls, this.stringText);
    for (const c of calls) {
      if (aliases && cur?.k === 'builder') cur = { ...cur, aliases: new Map([...aliases, ...(cur.aliases ?? [])]) };
      cur = this.apply(cur, c, scope, hint);
      hint = undefined;
    }
    return cur;
  }

  private staticBase(base: PhpNode): Type {
    if (base.kind === 'selfreference' || base.kind === 'staticreference') {
      if (this.cls?.tables.length) return { k: 'builder', tables: this.cls.tables, cls: this.cls.fqcn, sure: true };
      return this.cls ? { k: 'class', cls: this.cls.fqcn } : undefined;
    }
    if (base.kind === 'parentreference') {
      if (this.cls?.tables.length) return { k: 'builder', tables: this.cls.tables, cls: this.cls.fqcn, sure: true };
      return undefined;
    }
    if (base.kind !== 'name') return undefined;
    const t = this.typeOfClass(this.resolve(String(base.name)), true);
    // User::where(…), User::find(…): a query on the model's table
    if (t?.k === 'builder') this.emitTables(base.loc?.start.line ?? 1, t.tables, 'high', 'query');
    return t;
  }

  /** Visits a call's arguments; closures get typed parameters. */
  private args(c: ChainCall, recv: Type, scope: Scope, paramTypes?: Type[]): void {
    const saved = this.rawTables;
    if (recv?.k === 'builder' || recv?.k === 'model' || recv?.k === 'collection') this.rawTables = recv.tables;
    for (const a of c.args) {
      const v = a.kind === 'namedargument' ? a.value : a;
      if (v?.kind === 'closure' || v?.kind === 'arrowfunc') this.fn(v, scope, false, undefined, paramTypes);
      else this.ev(v, scope);
    }
    this.rawTables = saved;
  }

  private apply(cur: Type, c: ChainCall, scope: Scope, hint: string | undefined): Type {
    // the line of the method name (a chain's call node starts where the chain starts)
    const line = c.node.what?.offset?.loc?.start.line ?? c.node.loc?.start.line ?? 1;
    const name = c.name;
    const args = plainArgs(c.args);

    // A SQL statement handed to a connection (or to anything with a SQL-running method name).
    if (SQL_METHODS.has(name) && args[0] && (cur?.k === 'db' || cur?.k === 'class' || cur === undefined || name === 'addSql')) {
      const sql = this.stringOf(args[0]);
      if (sql && (cur?.k === 'db' || name === 'addSql' || looksLikeStatement(sql.text))) {
        this.sql(sql, args[0], undefined, false);
        this.args(c, cur, scope);
        return name === 'prepare' || name === 'query' ? { k: 'db' } : undefined;
      }
    }

    switch (cur?.k) {
      case 'db':
        return this.applyDb(cur, c, args, line, scope);
      case 'schema':
        return this.applySchema(c, args, line, scope);
      case 'blueprint': {
        this.blueprintArgs(cur.table, name, args, line);
        this.args(c, cur, scope);
        return name === 'after' || name === 'change' || name === 'nullable' ? cur : { k: 'blueprint', ...(cur.table ? { table: cur.table } : {}) };
      }
      case 'rule':
        if ((name === 'unique' || name === 'exists') && args[0]) {
          const t = this.stringOf(args[0]);
          const col = args[1] ? this.stringOf(args[1]) : undefined;
          const tables = t ? this.tablesOfRuleTarget(t.text, args[0]) : [];
          if (t && args[0]) this.handled.add(args[0]);
          if (args[1]) this.handled.add(args[1]);
          this.emitTables(line, tables, 'medium', 'validation');
          const column = col?.text ?? this.ruleKey;
          if (column && tables.length) this.emitColumn(line, tables, column, 'medium', 'validation');
        }
        this.args(c, cur, scope);
        return undefined;
      case 'builder':
      case 'model':
      case 'collection':
        return this.applyEloquent(cur, c, args, line, scope);
      case 'class':
      case undefined:
      default: {
        // unknown receiver: column-named query methods still count when a hint ties them to a table
        if (this.allColumns.size && (WHERE_COLUMN.has(name) || ARRAY_KEYS.has(name) || WRITE_COLUMN.has(name) || RAW_METHODS.has(name))) {
          if (cur?.k !== 'class' || /Builder|Relation|Collection/.test(cur.cls)) this.columnArgs(undefined, c, args, line, hint, false, undefined, scope);
        }
        this.args(c, cur, scope);
        return cur?.k === 'class' && cur.cls === ROUTER ? cur : undefined;
      }
    }
  }

  private applyDb(cur: Type, c: ChainCall, args: PhpNode[], line: number, scope: Scope): Type {
    const name = c.name;
    if (name === 'table' && args[0]) {
      const t = this.stringOf(args[0]);
      this.args(c, cur, scope);
      if (t && IDENT.test(t.text.split(/\s+as\s+/i)[0]!.trim())) {
        this.handled.add(args[0]);
        const table = t.text.split(/\s+as\s+/i)[0]!.trim();
        const alias = /\s+as\s+(\w+)/i.exec(t.text)?.[1];
        this.emit(line, table, undefined, 'high', 'query');
        return { k: 'builder', tables: [table], sure: true, ...(alias ? { aliases: new Map([[alias, table]]) } : {}) };
      }
      return { k: 'builder', tables: [], sure: false };
    }
    if (name === 'raw' && args[0]) {
      const sql = this.stringOf(args[0]);
      if (sql) this.sql(sql, args[0], this.rawTables, true);
      this.args(c, cur, scope);
      return undefined;
    }
    this.args(c, cur, scope);
    if (name === 'connection' || name === 'getPdo' || name === 'getConnection' || name === 'getDoctrineConnection' || name === 'prepare' || name === 'query') return { k: 'db' };
    if (name === 'createQueryBuilder') return { k: 'builder', tables: [], sure: false };
    return undefined;
  }

  private applySchema(c: ChainCall, args: PhpNode[], line: number, scope: Scope): Type {
    const name = c.name;
    const s0 = args[0] ? this.stringOf(args[0]) : undefined;
    const table = s0 && IDENT.test(s0.text) ? s0.text : undefined;
    if (args[0] && table) this.handled.add(args[0]);
    const conf: Confidence = 'low';
    switch (name) {
      case 'table':
      case 'create':
      case 'getTable':
      case 'createTable':
        if (table) this.emit(line, table, undefined, conf, 'schema');
        this.args(c, undefined, scope, [{ k: 'blueprint', ...(table ? { table } : {}) }]);
        return { k: 'blueprint', ...(table ? { table } : {}) };
      case 'hasColumn':
      case 'hasColumns':
      case 'dropColumns':
      case 'dropColumn':
      case 'whenTableHasColumn':
      case 'whenTableDoesntHaveColumn':
      case 'getColumnType':
        if (table) {
          this.emit(line, table, undefined, conf, 'schema');
          for (const col of this.stringsIn(args[1])) this.emitColumn(line, [table], col, conf, 'schema');
        }
        break;
      case 'rename':
      case 'renameTable':
      case 'drop':
      case 'dropIfExists':
      case 'dropTable':
      case 'hasTable':
      case 'getColumnListing':
      case 'getColumns':
        if (table) this.emit(line, table, undefined, conf, 'schema');
        break;
      default:
        break;
    }
    this.args(c, undefined, scope);
    return undefined;
  }

  /** Column names given to a Schema blueprint / Doctrine Table (migrations). */
  private blueprintArgs(table: string | undefined, name: string, args: PhpNode[], line: number): void {
    if (!table) return;
    if (NOT_BLUEPRINT_COLUMNS.has(name)) return;
    for (const a of name === 'addColumn' || name === 'dropColumn' || name === 'renameColumn' ? args : args.slice(0, 1)) {
      for (const col of this.stringsIn(a)) this.emitColumn(line, [table], col, 'low', 'schema');
      this.handled.add(a);
    }
  }

  private applyEloquent(cur: NonNullable<Type> & { k: 'builder' | 'model' | 'collection' }, c: ChainCall, args: PhpNode[], line: number, scope: Scope): Type {
    const name = c.name;
    const classes = this.classes;
    const cls = cur.cls;
    const tables = cur.tables;
    const sure = cur.k !== 'builder' || cur.sure;

    // joins and from(): tables and aliases for qualified names
    if (TABLE_CALLS.has(name) && args[0] && cur.k === 'builder') {
      const t = this.stringOf(args[0]);
      const isTable = t && /^\s*[A-Za-z_][\w]*(\s+as\s+\w+)?\s*$/i.test(t.text);
      // DBAL: join(fromAlias, table, alias, condition); Laravel: join(table, first, op, second)
      const dbal = cur.aliases && JOIN_ALIAS_CALLS.has(name) && args[1] && args.length >= 3 && cur.aliases.has(t?.text ?? '');
      if (isTable && !dbal) {
        const [tbl, alias] = t.text.split(/\s+as\s+/i).map((s) => s.trim());
        const aliases = new Map(cur.aliases ?? []);
        const alias2 = alias ?? (args[1] && name !== 'update' && name !== 'insert' ? this.stringOf(args[1])?.text : undefined);
        if (alias2 && IDENT.test(alias2) && (name === 'from' || name === 'update' || name === 'delete')) aliases.set(alias2, tbl!);
        else if (alias) aliases.set(alias, tbl!);
        this.handled.add(args[0]);
        this.emit(line, tbl!, undefined, 'high', 'query');
        const next: Type = { k: 'builder', tables: name === 'from' || (!tables.length && (name === 'update' || name === 'insert' || name === 'delete')) ? [tbl!] : [...tables, tbl!], sure: cur.k === 'builder' ? cur.sure || name === 'from' : true, ...(cls ? { cls } : {}), aliases };
        for (const a of args.slice(1)) this.qualifiedOrFragment(next, a, line, false);
        this.args(c, cur, scope);
        return next;
      }
      if (dbal && args[1]) {
        const t2 = this.stringOf(args[1]);
        const alias = args[2] ? this.stringOf(args[2])?.text : undefined;
        if (t2 && IDENT.test(t2.text)) {
          const aliases = new Map(cur.aliases ?? []);
          if (alias) aliases.set(alias, t2.text);
          this.emit(line, t2.text, undefined, 'high', 'query');
          const next: Type = { k: 'builder', tables: [...tables, t2.text], sure: true, aliases };
          if (args[3]) this.qualifiedOrFragment(next, args[3], line, false);
          for (const a of args) this.handled.add(a);
          this.args(c, cur, scope);
          return next;
        }
      }
    }

    // relationship definitions inside a model: keys and related tables
    if (cur.k === 'model' && RELATIONSHIPS.has(name) && this.cls?.model && cls === this.cls.fqcn) {
      this.relationship(name, args, line);
      this.args(c, cur, scope);
      const related = args[0] ? this.classConst(args[0]) : undefined;
      const rt = related ? classes.tablesOf(related) : [];
      return rt.length ? { k: 'builder', tables: rt, cls: related!, sure: true } : undefined;
    }

    // unqualified names are less sure when the builder may be on another table (a guessed scope) or joins several
    this.columnArgs(tables, c, args, line, undefined, !sure || tables.length > 1, cur, scope);

    // closures: same builder, related builder, or models of the result
    let paramTypes: Type[] | undefined;
    if (SAME_BUILDER_CLOSURE.has(name) && cur.k !== 'collection') paramTypes = [{ k: 'builder', tables, ...(cls ? { cls } : {}), sure }];
    else if (RELATED_CLOSURE.has(name) && cls && args[0]) {
      const rel = this.stringOf(args[0]);
      const related = rel ? classes.relation(cls, rel.text.split('.')[0]!).related : undefined;
      const rt = related ? classes.tablesOf(related) : [];
      if (rt.length) paramTypes = [{ k: 'builder', tables: rt, cls: related!, sure: true }];
    } else if (ITEM_CLOSURE.has(name) && cur.k !== 'model') paramTypes = [{ k: 'model', cls: cls ?? '', tables }];
    else if (CHUNK_CLOSURE.has(name)) paramTypes = [{ k: 'collection', cls: cls ?? '', tables }];
    this.args(c, cur, scope, paramTypes);

    // what the call returns
    if (cur.k === 'collection') {
      if (name === 'first' || name === 'last' || name === 'find' || name === 'firstWhere' || name === 'pop' || name === 'shift' || name === 'get') return { k: 'model', cls: cur.cls, tables };
      return COLLECTION_KEEP.has(name) ? cur : undefined;
    }
    // rows of a DB::table() query are tied to its table like models (cls '')
    if (TO_MODEL.has(name) && tables.length) return { k: 'model', cls: cls ?? '', tables };
    if (TO_COLLECTION.has(name) && cur.k === 'builder' && tables.length) return { k: 'collection', cls: cls ?? '', tables };
    if (cur.k === 'model') {
      if (MODEL_KEEP.has(name) || classes.returnsSelf(cur.cls, name)) return cur;
      if (name === 'newQuery' || name === 'query' || name === 'newModelQuery') return { k: 'builder', tables, cls: cur.cls, sure: true };
      const rel = classes.relation(cur.cls, name);
      if (rel.found) {
        const rt = rel.related ? classes.tablesOf(rel.related) : [];
        return rt.length ? { k: 'builder', tables: rt, cls: rel.related!, sure: true } : undefined;
      }
      return undefined;
    }
    // builder
    if (BUILDER_KEEP.has(name) || WHERE_COLUMN.has(name) || RAW_METHODS.has(name) || /^(or)?[Ww]here[A-Z]/.test(name)) return cur;
    // `Setting::getSettings(): ?self`: the model itself
    if (cls && classes.returnsSelf(cls, name)) return { k: 'model', cls, tables };
    if (cls && classes.hasScope(cls, name)) return cur;
    if (cls) {
      const rel = classes.relation(cls, name);
      if (rel.found) return undefined;
      // probably a local scope or macro zdd did not see: keep the table, less sure
      return { ...cur, sure: false };
    }
    return undefined;
  }

  /**
   * Column arguments of a query/attribute method. `tables` undefined: unknown receiver (hint rules
   * apply). `loose`: the builder is not surely on those tables (joins, guessed scopes).
   */
  private columnArgs(known: string[] | undefined, c: ChainCall, args: PhpNode[], callLine: number, hint: string | undefined, loose: boolean, cur?: Type, scope?: Scope): void {
    const line = callLine;
    const name = c.name;
    const tables = known?.length ? known : undefined;
    const conf: Confidence = loose ? 'medium' : 'high';
    const builder = cur?.k === 'builder' ? cur : undefined;
    const col = (node: PhpNode | undefined, kind: ReferenceKind): void => {
      if (!node) return;
      if (node.kind === 'array') {
        for (const it of (node.items ?? []) as PhpNode[]) col(it.kind === 'entry' ? it.value : it, kind);
        return;
      }
      const s = this.stringOf(node);
      if (!s) return;
      const line = node.loc?.start.line ?? callLine;
      this.handled.add(node);
      const m = COLUMN_STRING.exec(s.text);
      if (m) {
        const [, qual, column] = m;
        if (qual) {
          if (this.allColumns.has(column!)) this.emitColumn(line, [builder?.aliases?.get(qual) ?? qual], column!, builder?.sure === false && !builder.aliases?.has(qual) ? 'medium' : 'high', kind);
        } else if (this.allColumns.has(column!)) this.emitColumn(line, tables, column!, conf, kind, hint);
        return;
      }
      // not a plain column: an expression (DBAL where('u.x = :x'), orderBy('x desc'))
      if (tables || hint) this.sql(s, node, tables, true, builder?.aliases);
    };
    if (RAW_METHODS.has(name)) {
      if (args[0]) {
        const s = this.stringOf(args[0]);
        if (s) this.sql(s, args[0], tables, true, builder?.aliases);
      }
      return;
    }
    const keyed = ARRAY_KEYS.get(name);
    if (keyed && scope) {
      // an array built before the call, or a request's `only([...])`
      for (const i of keyed) {
        if (args[i]?.kind === 'array') continue;
        const named = this.arrayNames(args[i], scope);
        if (named) this.namedKeys(named.names, tables, conf, 'attribute-write', hint, line);
      }
    }
    if (keyed && keyed.some((i) => args[i]?.kind === 'array')) {
      // firstOrCreate & co. insert the attributes they search by when no row matches: all writes
      const kind: ReferenceKind = 'attribute-write';
      for (const i of keyed) if (args[i]?.kind === 'array') this.arrayKeys(args[i]!, tables, conf, kind, hint);
      if (name === 'upsert') {
        col(args[1], 'query');
        col(args[2], 'attribute-write');
      }
      return;
    }
    if (WRITE_COLUMN.has(name)) {
      col(args[0], 'attribute-write');
      return;
    }
    if (name === 'where' || name === 'orWhere' || name === 'whereNot' || name === 'orWhereNot') {
      if (args[0]?.kind === 'array') {
        const items = (args[0].items ?? []) as PhpNode[];
        if (items.some((it) => it.kind === 'entry' && it.key)) this.arrayKeys(args[0], tables, conf, 'query', hint);
        else for (const it of items) if ((it.value ?? it).kind === 'array') col(((it.value ?? it).items?.[0] as PhpNode | undefined)?.value, 'query');
        return;
      }
    }
    if (WHERE_COLUMN.has(name)) {
      if (ALL_ARGS.has(name)) for (const a of args) col(a, 'query');
      else {
        const at = COLUMN_AT.get(name) ?? [0];
        for (const i of at) col(args[i], 'query');
      }
      return;
    }
    // dynamic wheres: whereLegacyId($v), orWhereEmailAndName(...)
    const dyn = /^(?:or)?[Ww]here([A-Z]\w*)$/.exec(name);
    if (dyn && (tables || hint)) {
      for (const part of dyn[1]!.split(/And(?=[A-Z])|Or(?=[A-Z])/)) {
        const column = snake(part);
        if (this.allColumns.has(column)) this.emitColumn(line, tables, column, loose ? 'medium' : 'high', 'query', hint);
      }
    }
  }

  /** Qualified column strings (`users.id`) or conditions in join arguments. */
  private qualifiedOrFragment(cur: Type, node: PhpNode, line: number, write: boolean): void {
    if (cur?.k !== 'builder') return;
    const s = this.stringOf(node);
    if (!s) return;
    this.handled.add(node);
    const m = COLUMN_STRING.exec(s.text);
    if (m) {
      if (m[1] && this.allColumns.has(m[2]!)) this.emitColumn(line, [cur.aliases?.get(m[1]) ?? m[1]], m[2]!, 'high', write ? 'attribute-write' : 'query');
      return;
    }
    this.sql(s, node, cur.tables, true, cur.aliases);
  }

  /** Keys of an array literal as columns. */
  /** The variables a list assignment's left side names (`[$a, 'k' => $b] = …`, `list($a) = …`): unknown after it. */
  private forgetAssigned(left: PhpNode, scope: Scope): void {
    for (const it of (left.items ?? []) as PhpNode[]) {
      const v = it?.kind === 'entry' ? (it.value as PhpNode) : it;
      if (v?.kind === 'variable' && typeof v.name === 'string') scope.set(v.name, undefined);
      else if (v?.kind === 'list' || v?.kind === 'array') this.forgetAssigned(v, scope);
    }
  }

  /**
   * The column names an array expression carries as keys, when the code says: an array literal's
   * string keys, an array variable's (Type 'array'), `$request->only(['a', 'b'])` / `only('a', 'b')`,
   * `$request->validate(['a' => …])`. Undefined when it does not say.
   */
  private arrayNames(node: PhpNode | undefined, scope: Scope): { k: 'array'; names: readonly PhpNode[] } | undefined {
    if (!node) return undefined;
    if (node.kind === 'array') return { k: 'array', names: stringKeys(node) };
    if (node.kind === 'variable' && typeof node.name === 'string') {
      const t = scope.get(node.name);
      return t?.k === 'array' ? t : undefined;
    }
    if (node.kind === 'call' && (node.what?.kind === 'propertylookup' || node.what?.kind === 'nullsafepropertylookup')) {
      const method = nameOf(node.what.offset);
      const args = plainArgs((node.arguments ?? []) as PhpNode[]);
      if (method === 'only' && args.length) {
        const list = args[0]!.kind === 'array' ? ((args[0]!.items ?? []) as PhpNode[]).map((it) => (it?.kind === 'entry' ? (it.key ? undefined : it.value) : it)) : args;
        return { k: 'array', names: list.filter((x): x is PhpNode => !!x) };
      }
      if ((method === 'validate' || method === 'validateWithBag') && args[method === 'validate' ? 0 : 1]?.kind === 'array') return this.arrayNames(args[method === 'validate' ? 0 : 1], scope);
    }
    return undefined;
  }

  /** Column names among `names` (string nodes: array keys, `only([...])` items) as references of `kind`. */
  private namedKeys(names: readonly PhpNode[], tables: readonly string[] | undefined, conf: Confidence, kind: ReferenceKind, hint: string | undefined, line: number): void {
    for (const key of names) {
      const k = this.stringOf(key);
      if (!k) continue;
      this.handled.add(key);
      const m = COLUMN_STRING.exec(k.text);
      if (!m || !this.allColumns.has(m[2]!)) continue;
      this.emitColumn(key.loc?.start.line ?? line, m[1] ? [m[1]] : (tables as string[] | undefined), m[2]!, conf, kind, hint);
    }
  }

  /** The string keys of an array literal as references of `kind`. */
  private arrayKeys(arr: PhpNode, tables: readonly string[] | undefined, conf: Confidence, kind: ReferenceKind, hint?: string): void {
    this.namedKeys(stringKeys(arr), tables, conf, kind, hint, arr.loc?.start.line ?? 1);
  }

  private relationship(name: string, args: PhpNode[], line: number): void {
    const cls = this.cls!;
    const classes = this.classes;
    const related = args[0] ? this.classConst(args[0]) : undefined;
    const rt = related ? classes.tablesOf(related) : [];
    const own = cls.tables;
    const s = (i: number): string | undefined => {
      const v = args[i] ? this.stringOf(args[i]!) : undefined;
      if (v && args[i]) this.handled.add(args[i]!);
      return v && IDENT.test(v.text) ? v.text : undefined;
    };
    this.emitTables(line, rt, 'high', 'relationship');
    const method = this.methodName;
    const ownShort = snake(shortClass(cls.fqcn));
    switch (name) {
      case 'belongsTo': {
        const fk = s(1);
        if (fk) this.emitColumn(line, own, fk, 'high', 'relationship');
        else if (method) this.emitColumn(line, own, `${snake(method)}_id`, 'medium', 'relationship');
        const ok = s(2);
        if (ok) this.emitColumn(line, rt, ok, 'high', 'relationship');
        break;
      }
      case 'hasMany':
      case 'hasOne': {
        const fk = s(1);
        if (fk) this.emitColumn(line, rt, fk, 'high', 'relationship');
        else this.emitColumn(line, rt, `${ownShort}_id`, 'medium', 'relationship');
        const lk = s(2);
        if (lk) this.emitColumn(line, own, lk, 'high', 'relationship');
        break;
      }
      case 'belongsToMany': {
        const pivot = s(1) ?? (related ? [ownShort, snake(shortClass(related))].sort().join('_') : undefined);
        if (pivot) {
          this.emit(line, pivot, undefined, s(1) ? 'high' : 'medium', 'relationship');
          this.emitColumn(line, [pivot], s(2) ?? `${ownShort}_id`, s(2) ? 'high' : 'medium', 'relationship');
          if (related) this.emitColumn(line, [pivot], s(3) ?? `${snake(shortClass(related))}_id`, s(3) ? 'high' : 'medium', 'relationship');
        }
        const pk = s(4);
        if (pk) this.emitColumn(line, own, pk, 'high', 'relationship');
        const rk = s(5);
        if (rk) this.emitColumn(line, rt, rk, 'high', 'relationship');
        break;
      }
      case 'hasManyThrough':
      case 'hasOneThrough': {
        const through = args[1] ? this.classConst(args[1]) : undefined;
        const tt = through ? classes.tablesOf(through) : [];
        this.emitTables(line, tt, 'high', 'relationship');
        const k1 = s(2);
        if (k1) this.emitColumn(line, tt, k1, 'high', 'relationship');
        const k2 = s(3);
        if (k2) this.emitColumn(line, rt, k2, 'high', 'relationship');
        const k3 = s(4);
        if (k3) this.emitColumn(line, own, k3, 'high', 'relationship');
        const k4 = s(5);
        if (k4) this.emitColumn(line, tt, k4, 'high', 'relationship');
        break;
      }
      case 'morphMany':
      case 'morphOne': {
        const morph = s(1);
        if (morph) for (const suffix of ['_id', '_type']) this.emitColumn(line, rt, `${morph}${suffix}`, 'medium', 'relationship');
        break;
      }
      case 'morphTo': {
        const morph = (args[0] && this.stringOf(args[0])?.text) ?? (method ? snake(method) : undefined);
        if (morph) for (const suffix of ['_id', '_type']) this.emitColumn(line, own, `${morph}${suffix}`, 'medium', 'relationship');
        break;
      }
      default:
        break;
    }
  }

  /** The method being analysed, for relationship default keys. */
  private methodName?: string;

  private modelProperty(name: string, value: PhpNode | undefined): void {
    const tables = this.cls!.tables;
    if (!value) return;
    const line = (n: PhpNode): number => n.loc?.start.line ?? value.loc?.start.line ?? 1;
    const arrayConf = MODEL_ARRAY_PROPS.get(name);
    const keyedConf = MODEL_KEYED_PROPS.get(name);
    if (arrayConf && value.kind === 'array') {
      for (const it of (value.items ?? []) as PhpNode[]) {
        const v = it.kind === 'entry' ? it.value : it;
        const s = this.stringOf(v);
        if (s) {
          this.handled.add(v);
          this.emitColumn(line(v), tables, s.text, arrayConf, 'model-property');
        }
      }
    } else if (keyedConf && value.kind === 'array') {
      for (const it of (value.items ?? []) as PhpNode[]) {
        if (it.kind !== 'entry' || !it.key) continue;
        const s = this.stringOf(it.key);
        if (s) {
          this.handled.add(it.key);
          this.emitColumn(line(it.key), tables, s.text, keyedConf, 'model-property');
        }
      }
    } else if (name === 'primaryKey') {
      const s = this.stringOf(value);
      if (s) this.emitColumn(line(value), tables, s.text, 'high', 'model-property');
    }
  }

  private modelMethod(name: string, m: PhpNode): void {
    const tables = this.cls!.tables;
    const line = m.loc?.start.line ?? 1;
    const acc = /^([gs])et([A-Z]\w*)Attribute$/.exec(name);
    // (an accessor computing the attribute without the column does not use it: ClassInfo.computed)
    if (acc) {
      if (acc[1] === 's' || !this.classes.isComputed(this.cls!.fqcn, snake(acc[2]!))) this.emitColumn(line, tables, snake(acc[2]!), 'medium', 'accessor');
    } else if (m.type?.kind === 'name' && ATTRIBUTE_CAST.test(this.resolve(String(m.type.name))) && !this.classes.isComputed(this.cls!.fqcn, snake(name))) this.emitColumn(line, tables, snake(name), 'medium', 'accessor');
    if (name === 'casts') {
      for (const ret of findReturns(m.body)) if (ret.kind === 'array') this.modelProperty('casts', ret);
    }
    this.methodName = name;
  }

  // ---- Doctrine entities ----------------------------------------------------------------------

  private entityClassMapping(n: PhpNode, c: ClassCtx): void {
    // indexes / unique constraints on Table(…): column lists
    for (const g of (n.attrGroups ?? []) as PhpNode[]) {
      for (const attr of (g.attrs ?? []) as PhpNode[]) {
        const an = shortClass(String(attr.name ?? ''));
        if (an === 'Index' || an === 'UniqueConstraint' || an === 'Table') {
          walkStrings(attr.args, (s, node) => {
            if (this.allColumns.has(s)) this.emitColumn(node.loc?.start.line ?? 1, c.tables, s, 'high', 'entity-mapping');
          });
        }
      }
    }
    for (const doc of docsOf(n)) {
      for (const m of doc.text.matchAll(/columns\s*=\s*\{([^}]*)\}/g)) {
        for (const col of m[1]!.matchAll(/["'](\w+)["']/g)) if (this.allColumns.has(col[1]!)) this.emitColumn(doc.line + lineOffset(doc.text, m.index!), c.tables, col[1]!, 'high', 'entity-mapping');
      }
    }
  }

  /** A mapped property (attributes or docblock annotations) → its column on the entity's tables. */
  private entityProperty(prop: string, p: PhpNode, stmt: PhpNode): void {
    const c = this.cls!;
    if (!prop) return;
    const line = p.loc?.start.line ?? 1;
    const attrs: Array<{ name: string; args: Map<string, PhpNode>; line: number }> = [];
    for (const g of [...((stmt.attrGroups ?? []) as PhpNode[]), ...(stmt !== p ? ((p.attrGroups ?? []) as PhpNode[]) : [])]) {
      for (const attr of (g.attrs ?? []) as PhpNode[]) {
        const args = new Map<string, PhpNode>();
        ((attr.args ?? []) as PhpNode[]).forEach((a, i) => args.set(a.kind === 'namedargument' ? String(a.name) : `#${i}`, a.kind === 'namedargument' ? a.value : a));
        attrs.push({ name: shortClass(String(attr.name ?? '')), args, line: attr.loc?.start.line ?? line });
      }
    }
    const docs = docsOf(stmt).concat(stmt !== p ? docsOf(p) : []).concat(((stmt.attrGroups ?? []) as PhpNode[]).flatMap((g) => docsOf(g)));
    const tables = c.tables;
    const has = (n: string): boolean => attrs.some((a) => a.name === n) || docs.some((d) => new RegExp(`@(?:ORM\\\\)?${n}\\b`).test(d.text));
    const emitNames = (names: string[], at: number): void => {
      for (const col of names) if (this.allColumns.has(col)) this.emitColumn(at, tables, col, 'high', 'entity-mapping');
    };
    // explicit column names
    let explicit = false;
    for (const a of attrs) {
      if (a.name === 'Column' || a.name === 'JoinColumn' || a.name === 'Id') {
        const n = a.args.get('name') ?? (a.name !== 'Id' ? a.args.get('#0') : undefined);
        const s = n ? this.stringOf(n) : undefined;
        if (s) {
          explicit = explicit || a.name === 'Column' || a.name === 'JoinColumn';
          emitNames([s.text], n!.loc?.start.line ?? a.line);
        }
      }
      if (a.name === 'JoinTable') {
        const n = a.args.get('name') ?? a.args.get('#0');
        const s = n ? this.stringOf(n) : undefined;
        if (s) this.emit(a.line, s.text, undefined, 'high', 'entity-mapping');
      }
    }
    for (const d of docs) {
      for (const m of d.text.matchAll(/@(?:ORM\\)?(Column|JoinColumn)\s*\(([^)]*)\)/g)) {
        const nm = /\bname\s*=\s*"([^"]+)"/.exec(m[2]!);
        if (nm) {
          explicit = true;
          emitNames([nm[1]!], d.line + lineOffset(d.text, m.index!));
        }
      }
      for (const m of d.text.matchAll(/@(?:ORM\\)?JoinTable\s*\(\s*name\s*=\s*"([^"]+)"/g)) this.emit(d.line + lineOffset(d.text, m.index!), m[1]!, undefined, 'high', 'entity-mapping');
    }
    if (explicit) return;
    if (has('Column') || has('Id')) emitNames(doctrineColumns(prop), line);
    else if ((has('ManyToOne') || has('OneToOne')) && !docs.some((d) => /mappedBy/.test(d.text)) && !attrs.some((a) => a.args.has('mappedBy'))) emitNames(doctrineJoinColumns(prop), line);
  }

  // ---- strings: SQL, validation rules ---------------------------------------------------------

  private readonly stringText = (node: PhpNode): string | undefined => this.stringOf(node)?.text;

  /** The text of a string expression: exact when constant, else with `?` for the dynamic parts. */
  private stringOf(node: PhpNode | undefined): { text: string; exact: boolean } | undefined {
    if (!node) return undefined;
    if (node.kind === 'string' || node.kind === 'nowdoc') return { text: String(node.value), exact: true };
    if (node.kind === 'encapsed' || node.kind === 'bin' || node.kind === 'staticlookup') {
      const v = evalString(node, this.cls?.scope ?? NO_CONSTANTS);
      if ('value' in v) return { text: v.value, exact: true };
      if (node.kind === 'staticlookup') return undefined;
      return { text: approx(node), exact: false };
    }
    return undefined;
  }

  /** Constant strings of a node: a string, or the strings of an array literal. */
  private stringsIn(node: PhpNode | undefined): string[] {
    if (!node) return [];
    if (node.kind === 'array') return ((node.items ?? []) as PhpNode[]).flatMap((it) => this.stringsIn(it.kind === 'entry' ? it.value : it));
    const s = this.stringOf(node);
    if (!s?.exact) return [];
    this.handled.add(node);
    return [s.text];
  }

  /** `X::class` → resolved class name. */
  private classConst(node: PhpNode): string | undefined {
    if (node.kind === 'staticlookup' && nameOf(node.offset)?.toLowerCase() === 'class' && node.what?.kind === 'name') return this.classes.find(this.resolve(String(node.what.name)))?.fqcn ?? this.resolve(String(node.what.name));
    const s = this.stringOf(node);
    if (s && /^[\w\\]+$/.test(s.text) && s.text.includes('\\')) return s.text.replace(/^\\/, '');
    return undefined;
  }

  /** Table names of a validation rule's table part: a table, `connection.table`, or a model class. */
  private tablesOfRuleTarget(text: string, node?: PhpNode): string[] {
    if (node) {
      const cc = this.classConst(node);
      if (cc) {
        const t = this.classes.tablesOf(cc);
        if (t.length) return t;
      }
    }
    if (text.includes('\\')) return this.classes.tablesOf(text.replace(/^\\/, ''));
    const t = text.includes('.') ? text.slice(text.lastIndexOf('.') + 1) : text;
    return IDENT.test(t) ? [t] : [];
  }

  private sql(s: { text: string; exact: boolean }, node: PhpNode, tables: readonly string[] | undefined, fragment: boolean, aliases?: Map<string, string>): void {
    this.handled.add(node);
    if (!this.mentionsTarget(s.text)) return;
    const text = aliases?.size ? expandAliases(s.text, aliases) : s.text;
    // a whole statement is parsed (slow): not when nothing it can yield would be reported
    if (!fragment && !tables && !this.statementCanReport(text)) return;
    const refs = sqlReferences(text, { dialect: this.ctx.dialect, columns: this.allColumns, ...(tables ? { defaultTables: tables } : {}), fragment });
    const loc = s.exact && (node.kind === 'string' || node.kind === 'nowdoc' || node.kind === 'encapsed') ? stringLocator(node) : undefined;
    const start = node.loc?.start.line ?? 1;
    for (const r of refs) {
      const line = loc ? loc(r.offset, s.text).line : start + countLines(s.text, r.offset);
      const conf: Confidence = r.parsed ? 'high' : 'medium';
      if (r.column === undefined) {
        if (r.table) this.emit(line, r.table, undefined, conf, 'raw-sql');
        continue;
      }
      if (r.table) this.emitColumn(line, [r.table], r.column, conf, 'raw-sql');
      else if (r.tables.length) {
        // unqualified in a multi-table statement: the target table's, if no other table of the statement has it
        const owners = this.ctx.columnOwners?.(r.column);
        const candidates = r.tables.filter((t) => !owners || owners.has(t));
        if (candidates.length === 1) this.emitColumn(line, candidates, r.column, 'medium', 'raw-sql');
      } else this.emitColumn(line, undefined, r.column, 'medium', 'raw-sql');
    }
  }

  /**
   * Can a statement (no tables given by the code around it) yield a reference `sql` reports? The
   * tables and columns the SQL parser and the token scan report are names written in the text (up to
   * case and quotes), and a reference is reported for a target table, for a targeted column on one of
   * its target tables, or — for a column with no table — by the column's owners (as `emitColumn`
   * does without tables). So: a target table in the text, a targeted column in the text with one of
   * its target tables, or with owners that would let `emitColumn` report it on its own.
   */
  private statementCanReport(text: string): boolean {
    const plain = text.toLowerCase().replace(/[`"[\]]/g, '');
    for (const t of this.ctx.targets.tables) if (plain.includes(t.toLowerCase())) return true;
    for (const [column, tables] of this.ctx.targets.columns) {
      if (!plain.includes(column.toLowerCase())) continue;
      for (const t of tables) if (plain.includes(t.toLowerCase())) return true;
      const owners = this.ctx.columnOwners?.(column);
      if (!owners || owners.size === 0) return true;
      if (owners.size === 1) for (const t of tables) if (owners.has(t)) return true;
    }
    return false;
  }

  private mentionsTarget(text: string): boolean {
    for (const c of this.allColumns) if (text.includes(c)) return true;
    for (const t of this.ctx.targets.tables) if (text.includes(t)) return true;
    return false;
  }

  /** A string not consumed by a call: SQL statements, validation rules. */
  /** Returns true when the string was read as SQL. */
  private genericString(n: PhpNode): boolean {
    if (this.handled.has(n)) return false;
    const s = this.stringOf(n);
    if (!s) return false;
    this.handled.add(n);
    if (s.text.length < 6) return false;
    if (looksLikeStatement(s.text)) {
      this.sql(s, n, undefined, false);
      return true;
    }
    if (s.text.includes('exists:') || s.text.includes('unique:')) {
      const line = n.loc?.start.line ?? 1;
      for (const m of s.text.matchAll(VALIDATION_RULE)) {
        const tables = this.tablesOfRuleTarget(m[2]!.trim());
        this.emitTables(line, tables, 'medium', 'validation');
        const column = m[3]?.trim() || this.ruleKey;
        if (column && tables.length) this.emitColumn(line, tables, column, 'medium', 'validation');
      }
    }
    return false;
  }

  private arrayNode(n: PhpNode, scope: Scope): void {
    for (const it of (n.items ?? []) as PhpNode[]) {
      if (it.kind !== 'entry') {
        this.ev(it, scope);
        continue;
      }
      const key = it.key ? this.stringOf(it.key) : undefined;
      if (it.key) this.ev(it.key, scope);
      const saved = this.ruleKey;
      if (key && IDENT.test(key.text)) this.ruleKey = key.text;
      this.ev(it.value, scope);
      this.ruleKey = saved;
    }
  }
}

/** Marks every string inside `n` as read. */
function markStrings(n: unknown, handled: Set<object>): void {
  if (!n || typeof n !== 'object') return;
  if (Array.isArray(n)) {
    for (const x of n) markStrings(x, handled);
    return;
  }
  const node = n as PhpNode;
  if (node.kind === 'string' || node.kind === 'encapsed' || node.kind === 'nowdoc' || node.kind === 'bin') handled.add(node);
  for (const k of Object.keys(node)) {
    const v = node[k];
    if (k !== 'loc' && v && typeof v === 'object') markStrings(v, handled);
  }
}

/**
 * Aliases a whole chain declares (`->select('u.x')->from('users', 'u')`: DBAL declares them after
 * use), so that every call of the chain can resolve them.
 */
function chainAliases(calls: ChainCall[], str: (n: PhpNode) => string | undefined): Map<string, string> | undefined {
  let out: Map<string, string> | undefined;
  for (const c of calls) {
    const name = c.name;
    const fromLike = name === 'from' || name === 'update' || name === 'delete';
    const joinLike = JOIN_ALIAS_CALLS.has(name);
    const asLike = AS_ALIAS_CALLS.has(name);
    if (!fromLike && !joinLike && !asLike) continue; // (reading the arguments has no effect)
    const a = plainArgs(c.args);
    if (fromLike && a[0] && a[1]) {
      const t = str(a[0]);
      const alias = str(a[1]);
      if (t && alias && IDENT.test(t) && IDENT.test(alias)) (out ??= new Map()).set(alias, t);
    } else if (joinLike && a.length >= 3) {
      const t = str(a[1]!);
      const alias = str(a[2]!);
      if (t && alias && IDENT.test(t) && IDENT.test(alias) && a.length === 4) (out ??= new Map()).set(alias, t);
    }
    if (asLike && a.length) {
      const s = str(a[0]!);
      const m = s ? /^\s*([A-Za-z_]\w*)\s+as\s+([A-Za-z_]\w*)\s*$/i.exec(s) : null;
      if (m) (out ??= new Map()).set(m[2]!, m[1]!);
    }
  }
  return out;
}

const JOIN_ALIAS_CALLS = new Set(['join', 'innerJoin', 'leftJoin', 'rightJoin']);
const AS_ALIAS_CALLS = new Set(['from', 'table', 'join', 'leftJoin', 'rightJoin']);

/** An array literal's key nodes (`['a' => 1, 2]` → the node of 'a'). */
function stringKeys(arr: PhpNode): PhpNode[] {
  return ((arr.items ?? []) as PhpNode[]).filter((it) => it?.kind === 'entry' && it.key).map((it) => it.key as PhpNode);
}

/** Arguments with named ones replaced by their values (the array itself when none is named). */
function plainArgs(args: PhpNode[]): PhpNode[] {
  for (let i = 0; i < args.length; i++) if (args[i]!.kind === 'namedargument') return args.map((a) => (a.kind === 'namedargument' ? a.value : a)) as PhpNode[];
  return args;
}

function singularHint(hint: string): string {
  return hint.toLowerCase().replace(/s$/, '');
}

/** Return expressions of a method body. */
function findReturns(body: PhpNode | undefined): PhpNode[] {
  const out: PhpNode[] = [];
  const visit = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(visit);
    const node = n as PhpNode;
    if (node.kind === 'closure' || node.kind === 'arrowfunc' || node.kind === 'class') return;
    if (node.kind === 'return' && node.expr) out.push(node.expr);
    for (const k of Object.keys(node)) {
      const v = node[k];
      if (k !== 'loc' && v && typeof v === 'object') visit(v);
    }
  };
  visit(body);
  return out;
}

/** Docblocks attached to a node (php-parser's leadingComments), with their first line. */
function docsOf(n: PhpNode): Array<{ text: string; line: number }> {
  return ((n.leadingComments ?? []) as PhpNode[]).filter((c) => c.kind === 'commentblock').map((c) => ({ text: String(c.value), line: c.loc?.start.line ?? n.loc?.start.line ?? 1 }));
}

function lineOffset(text: string, offset: number): number {
  return countLines(text, offset);
}

function countLines(text: string, offset: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function walkStrings(node: unknown, visit: (s: string, node: PhpNode) => void): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) return node.forEach((n) => walkStrings(n, visit));
  const n = node as PhpNode;
  if (n.kind === 'string') visit(String(n.value), n);
  for (const k of Object.keys(n)) {
    const v = n[k];
    if (k !== 'loc' && v && typeof v === 'object') walkStrings(v, visit);
  }
}

/** A string expression with its dynamic parts replaced by `?` (enough to find names in it). */
function approx(node: PhpNode): string {
  switch (node.kind) {
    case 'string':
    case 'nowdoc':
      return String(node.value);
    case 'encapsed':
      return ((node.value ?? []) as PhpNode[]).map((p) => {
        const e = p.kind === 'encapsedpart' ? p.expression : p;
        return e.kind === 'string' ? String(e.value) : '?';
      }).join('');
    case 'bin':
      return node.type === '.' ? approx(node.left) + approx(node.right) : '?';
    default:
      return '?';
  }
}

/** DBAL conditions use aliases (`u.legacy_id`): rewrite them to table names for the scanner. */
function expandAliases(text: string, aliases: Map<string, string>): string {
  return text.replace(/\b([A-Za-z_]\w*)\.(?=[A-Za-z_`"])/g, (m, a: string) => (aliases.has(a) ? `${aliases.get(a)}.` : m));
}
