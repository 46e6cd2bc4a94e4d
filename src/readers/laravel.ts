/* eslint-disable @typescript-eslint/no-explicit-any */
import { basename, extname } from 'node:path';
import type { ColumnDef, ColumnDefault, Dialect, ForeignRef, Migration, Operation, OpDraft, SourceLocation } from '../ir/types.js';
import { DIALECTS } from '../ir/types.js';
import { evalString, flattenChain, itemAt, literal, nameOf, parsePhp, posOf, shortName, stringLocator, textOf, walk, type ChainCall, type EvalScope, type PhpNode, type StringValue } from '../php/ast.js';
import { plural, snake, tableForModel } from '../util/inflect.js';
import { oneLine, sqlIdent, sqlString } from '../util/text.js';
import { COLUMN_METHODS, indexName, sqlTypeFor, type ColumnSpec } from './laravel/blueprint-types.js';
import { phpSuppressions } from './php-suppress.js';
import { readSqlText } from './sql/read.js';
import { classifyDefault, parseTypeText } from './sql/types.js';

/**
 * Laravel migrations → IR, as Laravel itself would run them: the Blueprint calls of `up()` compiled
 * with the grammar of the target driver (types, index kinds, foreign keys), `DB::statement` and
 * friends through the SQL reader, query-builder and Eloquent writes as `data` ops. `down()` is kept
 * for the planner. Driver checks (`DB::getDriverName() === 'pgsql'`) limit ops to dialects;
 * `Schema::hasTable/hasColumn` guards mark ops conditional.
 */

export interface LaravelReadOptions {
  file: string;
  dialect: Dialect;
  verbose?: (message: string) => void;
  /** The app's `config('a.b')` values (discover/laravel-app-config.ts), for names migrations take from config. */
  appConfig?: (key: string) => PhpNode | undefined;
  /** The file's AST, when the caller has parsed it already. */
  ast?: PhpNode;
}

export type LaravelReadResult = { migration: Migration } | { skipped: string };

const FACADES_IGNORED = new Set([
  'Log', 'Cache', 'Config', 'Storage', 'Str', 'Arr', 'Carbon', 'Hash', 'Event', 'Queue', 'App', 'File', 'Lang', 'URL', 'Route', 'Mail', 'Notification',
  'Crypt', 'Date', 'Validator', 'View', 'Session', 'Cookie', 'Request', 'Response', 'Gate', 'Auth', 'Bus', 'Http', 'Process', 'Redis', 'Collection',
  'Uuid', 'Ulid', 'CarbonImmutable', 'Closure', 'Exception', 'RuntimeException', 'InvalidArgumentException', 'Throwable', 'Symfony', 'Console',
  'Output', 'Command', 'Blueprint', 'Migration', 'Builder', 'Expression', 'Fluent', 'Container', 'Facade', 'Validator', 'Lottery', 'Sleep',
  'Benchmark', 'Context', 'Number', 'Once', 'Pipeline', 'RateLimiter', 'Vite', 'Password', 'Broadcast', 'Schedule', 'Js', 'Blade', 'Concurrency',
  'self', 'static', 'parent', 'PHP_EOL', 'ini_set', 'set_time_limit',
]);

/** Eloquent/query-builder methods that read only. */
const READ_METHODS = new Set(['get', 'first', 'firstOrFail', 'find', 'findOrFail', 'pluck', 'value', 'exists', 'doesntExist', 'count', 'sum', 'max', 'min', 'avg', 'toSql', 'dump', 'dd', 'select', 'all', 'sole', 'paginate', 'cursor', 'lazy', 'lazyById', 'keys']);
const LOOP_METHODS = new Set(['chunk', 'chunkById', 'chunkByIdDesc', 'chunkMap', 'each', 'eachById', 'lazy', 'lazyById', 'lazyByIdDesc', 'cursor']);
const INSERT_METHODS = new Set(['insert', 'insertOrIgnore', 'insertGetId', 'create', 'forceCreate', 'firstOrCreate', 'updateOrCreate', 'updateOrInsert', 'createMany', 'make', 'save', 'saveQuietly', 'createQuietly']);
const UPSERT_METHODS = new Set(['upsert', 'updateOrInsert']);
const UPDATE_METHODS = new Set(['update', 'increment', 'decrement', 'incrementEach', 'decrementEach', 'touch', 'updateQuietly', 'restore', 'forceUpdate']);
const DELETE_METHODS = new Set(['delete', 'forceDelete', 'destroy']);
/** Eloquent methods that write a model instance's row. */
const INSTANCE_WRITES = new Set(['save', 'saveQuietly', 'update', 'updateQuietly', 'forceFill', 'increment', 'decrement', 'touch', 'delete', 'forceDelete', 'deleteQuietly', 'restore', 'push']);
/** Eloquent calls that return models of their class (or a collection / cursor of them)… */
const MODEL_RESULTS = /^(all|get|find|findOrFail|findMany|first|firstOrFail|firstWhere|firstOrNew|cursor|lazy|lazyById|sole|make|create|firstOrCreate|updateOrCreate)$/;
/** …and the query-builder steps before them. */
const BUILDER_STEPS = /^(where\w*|orWhere\w*|with|withTrashed|onlyTrashed|query|orderBy\w*|latest|oldest|select|take|limit|has|whereHas|doesntHave)$/;

/**
 * The model an expression yields: `Field::all()`, `Field::where(…)->get()`, `Field::find(1)`,
 * `new Field(...)` (created: a save() inserts). Undefined for anything else.
 */
function modelOf(node: PhpNode | undefined): { model: string; created: boolean; builder?: boolean } | undefined {
  if (!node) return undefined;
  if (node.kind === 'new') {
    const n = node.what?.kind === 'name' ? shortName(nameOf(node.what)) : undefined;
    return n && /^[A-Z]/.test(n) && !FACADES_IGNORED.has(n) ? { model: n, created: true } : undefined;
  }
  if (node.kind !== 'call') return undefined;
  const { base, calls } = flattenChain(node);
  if (base.kind !== 'name' || !calls.length) return undefined;
  const n = shortName(nameOf(base)) ?? '';
  if (!/^[A-Z]/.test(n) || FACADES_IGNORED.has(n) || n === 'Schema' || n === 'DB' || n === 'self' || n === 'static' || n === 'parent') return undefined;
  if (!calls.every((c) => MODEL_RESULTS.test(c.name) || BUILDER_STEPS.test(c.name))) return undefined;
  // ending on a builder step: a query, not models ($q->update() writes every row it matches)
  const builder = !MODEL_RESULTS.test(calls[calls.length - 1]!.name);
  return { model: n, created: false, ...(builder ? { builder } : {}) };
}
const QUERY_START = new Set(['query', 'where', 'whereIn', 'whereNotIn', 'whereNull', 'whereNotNull', 'whereHas', 'whereDoesntHave', 'withTrashed', 'onlyTrashed', 'withoutGlobalScopes', 'withoutGlobalScope', 'orderBy', 'latest', 'oldest', 'has', 'doesntHave', 'whereBetween', 'whereDate', 'whereRaw', 'whereKey', 'on', 'select', 'with', 'limit', 'take', 'skip', 'whereJsonContains', 'whereLike', 'whereColumn', 'whereExists', 'firstWhere', 'orWhere']);

type DriverSet = ReadonlySet<Dialect>;
const ALL: DriverSet = new Set(DIALECTS);

interface Guard {
  dialects?: DriverSet;
  conditional?: boolean;
}

interface Scope extends EvalScope {
  vars: Map<string, StringValue>;
  /** Variables (and `$this->prop`) holding an array literal, for foreach. */
  arrays: Map<string, PhpNode>;
  /** Variables holding a closure or arrow function (`$drop = fn (Blueprint $t) => …`), for `Schema::table('t', $drop)`. */
  closures: Map<string, Callback>;
  /**
   * Running a closure held in a variable (`Schema::table('pages', $drop)`, `$deleteFor('pages')`): its
   * ops belong to the statement that runs it, where a `// zdd-ignore` for that table is written.
   */
  inline?: boolean;
  /** The migration class's methods, by lower-case name: `foreach ($this->tables() as $t)` reads what one returns. */
  methods?: ReadonlyMap<string, PhpNode>;
  /** Variables holding the driver name (`$driver = DB::getDriverName()`). */
  driverVars: Set<string>;
  guard: Guard;
  /** Blueprint closure being read. */
  blueprint?: BlueprintCtx;
  connection?: string;
  depth: number;
  /** The app's config values, when known. */
  appConfig?: (key: string) => PhpNode | undefined;
}

/** A closure held in a variable, with the variables it saw where it was written (PHP binds `use` and `fn` values then). */
interface Callback {
  fn: PhpNode;
  vars: Map<string, StringValue>;
  arrays: Map<string, PhpNode>;
}

interface BlueprintCtx {
  variable: string;
  table: string;
  creating: boolean;
  /** CREATE TABLE being assembled (creating only). */
  create?: Extract<OpDraft, { kind: 'create-table' }> & { node: PhpNode };
  after: Array<{ draft: OpDraft; node: PhpNode; statement: number; guard: Guard }>;
}

class LaravelReader {
  readonly ops: Operation[] = [];
  readonly statementLines = new Map<number, { start: number; end: number }>();
  private nextStatement = 0;
  private methods = new Map<string, PhpNode>();
  private currentStatement = 0;
  private currentStatementNode: PhpNode | undefined;
  /**
   * Variables holding an Eloquent model, by the model's class (`foreach (Field::all() as $f)`,
   * `$f = Field::find(1)`, `$f = new Field`): `$f->save()` then writes its table. `new` marks an insert.
   */
  private modelVars = new Map<string, { model: string; created: boolean; builder?: boolean }>();
  notes: string[] = [];

  constructor(
    readonly code: string,
    readonly file: string,
    readonly dialect: Dialect,
    readonly transactional: boolean,
  ) {}

  setMethods(methods: Map<string, PhpNode>): void {
    this.methods = methods;
  }

  // ---------- op emission ----------

  private source(node: PhpNode): SourceLocation {
    const p = posOf(node);
    return { file: this.file, line: p.line, col: p.col, text: oneLine(textOf(this.code, node), 400) };
  }

  private beginStatement(node: PhpNode): number {
    const idx = this.nextStatement++;
    const start = posOf(node).line;
    const end = node.loc?.end.line ?? start;
    this.statementLines.set(idx, { start, end });
    this.currentStatement = idx;
    this.currentStatementNode = node;
    return idx;
  }

  emit(draft: OpDraft, node: PhpNode, scope: Scope, statement = this.currentStatement): void {
    const op = { ...draft, source: this.source(node), statement } as Operation;
    applyGuard(op, scope.guard);
    this.ops.push(op);
  }

  raw(reason: string, node: PhpNode, scope: Scope, table = ''): void {
    this.emit({ kind: 'raw', table, reason }, node, scope);
  }

  // ---------- statements ----------

  execBlock(children: PhpNode[] | undefined, scope: Scope): 'returned' | undefined {
    let guard = scope.guard;
    for (const stmt of children ?? []) {
      const s: Scope = { ...scope, guard };
      const r = this.execStatement(stmt, s);
      if (r === 'returned') return 'returned';
      if (r && typeof r === 'object') guard = r; // early return narrowed the guard
    }
    return undefined;
  }

  /** Returns 'returned' when the statement returns unconditionally, or a narrowed guard after `if (…) return;`. */
  execStatement(stmt: PhpNode, scope: Scope): 'returned' | Guard | undefined {
    switch (stmt.kind) {
      case 'expressionstatement': {
        if (!scope.inline) this.beginStatement(stmt);
        this.execExpr(stmt.expression, scope, stmt);
        return undefined;
      }
      case 'return':
        if (stmt.expr) {
          if (!scope.inline) this.beginStatement(stmt);
          this.execExpr(stmt.expr, scope, stmt);
        }
        return 'returned';
      case 'block':
        return this.execBlock(stmt.children, scope);
      case 'if':
        return this.execIf(stmt, scope);
      case 'foreach':
        this.execForeach(stmt, scope);
        return undefined;
      case 'for':
      case 'while':
      case 'do':
        this.execBody(stmt.body, { ...scope, guard: { ...scope.guard, conditional: true } });
        return undefined;
      case 'try':
        this.execBody(stmt.body, scope);
        return undefined;
      case 'switch':
        for (const c of (stmt.body?.children ?? []) as PhpNode[]) this.execBody(c.body, { ...scope, guard: { ...scope.guard, conditional: true } });
        return undefined;
      case 'echo':
      case 'inline':
      case 'global':
      case 'static':
      case 'unset':
      case 'function':
      case 'class':
      case 'noop':
      case 'throw':
        return undefined;
      default:
        return undefined;
    }
  }

  private execBody(body: PhpNode | undefined, scope: Scope): void {
    if (!body) return;
    if (body.kind === 'block') this.execBlock(body.children, scope);
    else this.execStatement(body, scope);
  }

  private execIf(stmt: PhpNode, scope: Scope): Guard | 'returned' | undefined {
    const cond = this.evalCondition(stmt.test, scope);
    const thenGuard = narrow(scope.guard, cond, true);
    const elseGuard = narrow(scope.guard, cond, false);
    const thenReturns = bodyReturns(stmt.body);
    if (thenGuard) this.execBody(stmt.body, { ...scope, guard: thenGuard });
    if (stmt.alternate && elseGuard) {
      if (stmt.alternate.kind === 'if') this.execIf(stmt.alternate, { ...scope, guard: elseGuard });
      else this.execBody(stmt.alternate, { ...scope, guard: elseGuard });
    }
    if (thenReturns && !stmt.alternate) {
      // `if (driver is sqlite) return;` — what follows runs only when the condition is false
      if (!elseGuard) return 'returned';
      return elseGuard;
    }
    return undefined;
  }

  private execForeach(stmt: PhpNode, scope: Scope): void {
    const valueVar = nameOf(stmt.value);
    const keyVar = nameOf(stmt.key);
    const source = resolveArray(stmt.source as PhpNode, scope);
    if (source && valueVar) {
      const items = (source.items ?? []) as PhpNode[];
      const entries = items.map((it) => {
        const valueNode = (it.kind === 'entry' ? it.value : it) as PhpNode;
        return { key: it.key ? evalString(it.key, scope) : undefined, valueNode, value: evalString(valueNode, scope), array: resolveArray(valueNode, scope) };
      });
      // Iterate when every element is known: a string, or an array (['users' => ['a', 'b']]).
      if (entries.length && entries.every((e) => 'value' in e.value || e.array)) {
        for (const e of entries) {
          const vars = new Map(scope.vars);
          const arrays = new Map(scope.arrays);
          if ('value' in e.value) vars.set(valueVar, e.value);
          else if (e.array) arrays.set(valueVar, e.array);
          if (keyVar && e.key && 'value' in e.key) vars.set(keyVar, e.key);
          this.execBody(stmt.body, { ...scope, vars, arrays });
        }
        return;
      }
    }
    // Loop over runtime data (a query, a collection): the body's DB writes are row-by-row.
    const model = modelOf(stmt.source as PhpNode);
    if (valueVar) {
      // each element of a query's result is a model; of anything else, zdd cannot tell
      if (model) this.modelVars.set(valueVar, { model: model.model, created: false });
      else this.modelVars.delete(valueVar);
    }
    this.execBody(stmt.body, { ...scope, guard: { ...scope.guard, conditional: true } });
  }

  // ---------- conditions ----------

  /** The dialects for which a condition is true; 'schema' for Schema::has* checks; undefined when unknown. */
  private evalCondition(node: PhpNode | undefined, scope: Scope): DriverSet | 'schema' | undefined {
    if (!node) return undefined;
    if (node.kind === 'parenthesis' || node.kind === 'cast') return this.evalCondition(node.inner ?? node.expr, scope);
    if (node.kind === 'unary' && node.type === '!') {
      const inner = this.evalCondition(node.what, scope);
      if (inner === 'schema' || inner === undefined) return inner;
      return new Set(DIALECTS.filter((d) => !inner.has(d)));
    }
    if (node.kind === 'bin') {
      if (node.type === '&&' || node.type === 'and' || node.type === '||' || node.type === 'or') {
        const l = this.evalCondition(node.left, scope);
        const r = this.evalCondition(node.right, scope);
        const and = node.type === '&&' || node.type === 'and';
        if (l instanceof Set && r instanceof Set) return new Set(DIALECTS.filter((d) => (and ? l.has(d) && r.has(d) : l.has(d) || r.has(d))));
        if (and && l instanceof Set) return l;
        if (and && r instanceof Set) return r;
        if (l === 'schema' || r === 'schema') return 'schema';
        return undefined;
      }
      if (['===', '==', '!==', '!=', '<>'].includes(node.type)) {
        const eq = node.type === '===' || node.type === '==';
        let lit: unknown;
        let isDriver = false;
        if (this.isDriverExpr(node.left, scope)) {
          isDriver = true;
          lit = literal(node.right);
        } else if (this.isDriverExpr(node.right, scope)) {
          isDriver = true;
          lit = literal(node.left);
        }
        if (isDriver && typeof lit === 'string') {
          const set = driverDialects(lit);
          return eq ? set : new Set(DIALECTS.filter((d) => !set.has(d)));
        }
        return undefined;
      }
      return undefined;
    }
    if (node.kind === 'call') {
      const fn = nameOf(node.what);
      if (fn === 'in_array' && node.arguments?.length >= 2 && this.isDriverExpr(node.arguments[0], scope) && node.arguments[1].kind === 'array') {
        const out = new Set<Dialect>();
        for (const it of node.arguments[1].items ?? []) {
          const v = literal(it.value ?? it);
          if (typeof v === 'string') for (const d of driverDialects(v)) out.add(d);
        }
        return out;
      }
      const { base, calls } = flattenChain(node);
      const cls = shortName(nameOf(base));
      if (cls === 'Schema' && calls.some((c) => /^has(Table|Column|Columns|Index|View)$/.test(c.name))) return 'schema';
      if (cls === 'DB' && calls.some((c) => c.name === 'getSchemaBuilder')) return 'schema';
      if (calls.some((c) => /^has(Table|Column|Columns|Index)$/.test(c.name))) return 'schema';
      // $this->isPostgres()-style helpers: unknown
      return undefined;
    }
    if (node.kind === 'isset' || node.kind === 'empty') return undefined;
    return undefined;
  }

  /** `DB::getDriverName()`, `DB::connection()->getDriverName()`, `config('database.default')`, `$driver` … */
  private isDriverExpr(node: PhpNode | undefined, scope: Scope): boolean {
    if (!node) return false;
    if (node.kind === 'variable' && typeof node.name === 'string') return scope.driverVars.has(node.name);
    if (node.kind !== 'call') return false;
    const fn = nameOf(node.what);
    if (fn === 'config' || fn === 'env') {
      const key = literal(node.arguments?.[0]);
      if (typeof key === 'string' && (key === 'database.default' || key === 'DB_CONNECTION' || /^database\.connections\..*\.driver$/.test(key))) return true;
      if (node.arguments?.[0]?.kind === 'bin') return true; // config('database.connections.'.config('database.default').'.driver')
      return false;
    }
    const { calls } = flattenChain(node);
    const last = calls[calls.length - 1]?.name;
    if (last === 'getDriverName' || last === 'getDefaultConnection' || last === 'getDriver') return true;
    if (last === 'getConfig' && literal(calls[calls.length - 1]!.args[0]) === 'driver') return true;
    if (last === 'getName' && calls.some((c) => c.name === 'getDatabasePlatform')) return true;
    return false;
  }

  // ---------- expressions ----------

  execExpr(expr: PhpNode | undefined, scope: Scope, stmt: PhpNode): void {
    if (!expr) return;
    switch (expr.kind) {
      case 'assign': {
        const name = nameOf(expr.left);
        if (expr.left?.kind === 'variable' && name) {
          if (this.isDriverExpr(expr.right, scope)) scope.driverVars.add(name);
          const v = evalString(expr.right, scope);
          if ('value' in v) scope.vars.set(name, v);
          else scope.vars.delete(name);
          const array = resolveArray(expr.right, scope);
          if (array) scope.arrays.set(name, array);
          else scope.arrays.delete(name);
          const model = modelOf(expr.right);
          if (model) this.modelVars.set(name, model);
          else this.modelVars.delete(name);
          const callback = callbackOf(expr.right, scope);
          if (callback) scope.closures.set(name, callback);
          else scope.closures.delete(name);
        }
        this.execExpr(expr.right, scope, stmt);
        return;
      }
      case 'match':
        this.execMatch(expr, scope, stmt);
        return;
      case 'call':
        this.execCall(expr, scope, stmt);
        return;
      case 'retif':
        this.execExpr(expr.trueExpr, { ...scope, guard: { ...scope.guard, conditional: true } }, stmt);
        this.execExpr(expr.falseExpr, { ...scope, guard: { ...scope.guard, conditional: true } }, stmt);
        return;
      case 'bin':
        this.execExpr(expr.left, scope, stmt);
        this.execExpr(expr.right, { ...scope, guard: { ...scope.guard, conditional: true } }, stmt);
        return;
      case 'propertylookup':
      case 'nullsafepropertylookup':
        // `$table->integer('parent_id')->nullable;` (a property read, not a call): the calls before
        // it still run — the column is added, and NOT NULL, as PHP runs it
        if (expr.what?.kind === 'call') this.execExpr(expr.what, scope, stmt);
        return;
      case 'closure':
      case 'arrowfunc':
        return;
      default:
        return;
    }
  }

  private execMatch(expr: PhpNode, scope: Scope, stmt: PhpNode): void {
    const onDriver = this.isDriverExpr(expr.cond, scope);
    const seen = new Set<Dialect>();
    for (const arm of (expr.arms ?? []) as PhpNode[]) {
      let guard: Guard = { ...scope.guard, conditional: true };
      if (onDriver) {
        if (arm.conds) {
          const set = new Set<Dialect>();
          for (const c of arm.conds as PhpNode[]) {
            const v = literal(c);
            if (typeof v === 'string') for (const d of driverDialects(v)) set.add(d);
          }
          for (const d of set) seen.add(d);
          guard = { ...scope.guard, dialects: intersect(scope.guard.dialects, set) };
        } else {
          guard = { ...scope.guard, dialects: intersect(scope.guard.dialects, new Set(DIALECTS.filter((d) => !seen.has(d)))) };
        }
        if (guard.dialects && guard.dialects.size === 0) continue;
      }
      const body = arm.body as PhpNode;
      if (body.kind === 'closure' || body.kind === 'arrowfunc') continue;
      this.execExpr(body, { ...scope, guard }, stmt);
    }
  }

  private execCall(node: PhpNode, scope: Scope, stmt: PhpNode): void {
    const { base, calls } = flattenChain(node);
    if (!calls.length) return;
    // Blueprint calls inside a Schema closure
    if (scope.blueprint && base.kind === 'variable' && base.name === scope.blueprint.variable) {
      this.blueprintCall(calls, scope, stmt);
      return;
    }
    const baseName = base.kind === 'name' ? shortName(nameOf(base)) : undefined;
    if (base.kind === 'variable' && base.name === 'this') {
      const first = calls[0]!;
      const method = this.methods.get(first.name.toLowerCase());
      if (method && scope.depth < 4) {
        this.execBlock(method.body?.children, { ...scope, depth: scope.depth + 1, vars: bindParams(method, first.args, scope), closures: bindCallbacks(method, first.args, scope) });
        return;
      }
      if (first.name === 'schema' || first.name === 'db') return; // rare helpers
      return;
    }
    if (baseName === 'Schema') return this.schemaCall(calls, scope, stmt);
    if (baseName === 'DB') return this.dbCall(calls, scope, stmt);
    if (baseName === 'Artisan') {
      if (calls.some((c) => c.name === 'call' || c.name === 'callSilent' || c.name === 'queue')) {
        const cmd = evalString(calls[0]!.args[0], scope);
        this.raw(`Artisan::call(${'value' in cmd ? `'${cmd.value}'` : '…'}) runs a console command whose database changes zdd cannot see`, calls[0]!.node, scope);
      }
      return;
    }
    if (baseName === 'self' || baseName === 'static') {
      const method = this.methods.get(calls[0]!.name.toLowerCase());
      if (method && scope.depth < 4) this.execBlock(method.body?.children, { ...scope, depth: scope.depth + 1, vars: bindParams(method, calls[0]!.args, scope), closures: bindCallbacks(method, calls[0]!.args, scope) });
      return;
    }
    if (base.kind === 'name' && baseName && !FACADES_IGNORED.has(baseName) && /^[A-Z]/.test(baseName)) {
      this.modelCall(baseName, calls, scope, stmt);
      return;
    }
    if (base.kind === 'call' && nameOf(base.what) === 'app') return;
    // a closure held in a variable, called: `$deleteFor('pages', 'page')` runs its body
    if (base.kind === 'variable' && typeof base.name === 'string' && calls[0]!.via === 'fn' && scope.closures.has(base.name)) {
      if (scope.depth < 4) this.invokeCallback(scope.closures.get(base.name)!, calls[0]!.args, scope);
      return;
    }
    // Eloquent writes on a model instance: $field->save(), $user->update([...]), $post->delete()
    if (base.kind === 'variable' && typeof base.name === 'string') {
      const known = this.modelVars.get(base.name);
      // a query builder in a variable ($q = User::where(…); $q->update([…])): the chain goes on from it
      if (known?.builder) {
        this.queryChain(tableForModel(known.model), calls, scope, 'eloquent');
        return;
      }
      // the instance's own write: $user->save(), not $user->posts()->delete() (another table)
      const write = INSTANCE_WRITES.has(calls[0]!.name) ? calls[0]! : undefined;
      // save() is Eloquent's own name: a write even when zdd cannot tell the variable's model
      if (write && (known || write.name === 'save' || write.name === 'saveQuietly')) {
        const table = known ? tableForModel(known.model) : '';
        const action = DELETE_METHODS.has(write.name) ? 'delete' : known?.created && (write.name === 'save' || write.name === 'saveQuietly') ? 'insert' : 'update';
        if (!known) this.notes.push(`$${base.name}->${write.name}() at line ${posOf(write.node).line}: an Eloquent write on a model zdd cannot name`);
        // one row per statement (a loop over a query writes row by row, like chunk())
        this.emit({ kind: 'data', table, action, batched: true, filtered: true, via: 'eloquent' }, write.node, scope);
        return;
      }
    }
    // Closures passed to DB::transaction etc. are handled by their callers; other calls do not touch the database.
    for (const c of calls) for (const a of c.args) if (a.kind === 'closure' || a.kind === 'arrowfunc') this.execClosureBody(a, scope);
  }

  /** Runs a closure's body with its parameters bound to the call's arguments, over the variables it saw where it was written. */
  private invokeCallback(callback: Callback, args: PhpNode[], scope: Scope): void {
    const vars = new Map(callback.vars);
    const arrays = new Map(callback.arrays);
    const closures = new Map(scope.closures);
    let blueprint = scope.blueprint;
    ((callback.fn.arguments ?? []) as PhpNode[]).forEach((p, i) => {
      const name = nameOf(p.name);
      if (!name) return;
      const arg = args[i] ?? p.value;
      const v = evalString(arg, scope);
      if ('value' in v) vars.set(name, v);
      else vars.delete(name);
      const array = resolveArray(arg, scope);
      if (array) arrays.set(name, array);
      else arrays.delete(name);
      const inner = callbackOf(arg, scope);
      if (inner) closures.set(name, inner);
      else closures.delete(name);
      // the Blueprint handed on: `$addColumns($table)` inside a Schema closure
      if (scope.blueprint && arg?.kind === 'variable' && arg.name === scope.blueprint.variable) blueprint = { ...scope.blueprint, variable: name };
    });
    const inner: Scope = { ...scope, vars, arrays, closures, depth: scope.depth + 1, inline: true };
    if (blueprint) inner.blueprint = blueprint;
    this.execClosureBody(callback.fn, inner);
  }

  private execClosureBody(fn: PhpNode, scope: Scope): void {
    if (fn.kind === 'arrowfunc') this.execExpr(fn.body, scope, fn);
    else this.execBlock(fn.body?.children, scope);
  }

  // ---------- Schema facade ----------

  private schemaCall(calls: ChainCall[], scope: Scope, stmt: PhpNode): void {
    let i = 0;
    let connection = scope.connection;
    while (i < calls.length && (calls[i]!.name === 'connection' || calls[i]!.name === 'setConnection')) {
      const v = evalString(calls[i]!.args[0], scope);
      if ('value' in v) connection = v.value;
      i++;
    }
    const call = calls[i];
    if (!call) return;
    const s: Scope = { ...scope, ...(connection ? { connection } : {}) };
    const arg = (k: number) => evalString(call.args[k], s);
    const tableArg = (): string | undefined => {
      const v = arg(0);
      if ('value' in v) return v.value;
      this.raw(`Schema::${call.name}() on a table name built at run time (${v.dynamic})`, call.node, s);
      return undefined;
    };
    switch (call.name) {
      case 'create':
      case 'table': {
        const table = tableArg();
        if (table === undefined) return;
        const fn = call.args[1];
        if (!fn) {
          if (call.name === 'create') this.emit({ kind: 'create-table', table, columns: [], constraints: [], indexes: [] }, call.node, s);
          return;
        }
        const callback = this.schemaCallback(call, fn, table, s);
        if (callback) this.blueprintClosure(table, callback.fn, call.name === 'create', callback.scope, call.node);
        return;
      }
      case 'whenTableHasColumn':
      case 'whenTableDoesntHaveColumn':
      case 'whenTableHasIndex':
      case 'whenTableDoesntHaveIndex': {
        const table = tableArg();
        const fn = call.args[2];
        if (table === undefined || !fn) return;
        const callback = this.schemaCallback(call, fn, table, { ...s, guard: { ...s.guard, conditional: true } });
        if (callback) this.blueprintClosure(table, callback.fn, false, callback.scope, call.node);
        return;
      }
      case 'drop':
      case 'dropIfExists': {
        const table = tableArg();
        if (table !== undefined) this.emit({ kind: 'drop-table', table, ...(call.name === 'dropIfExists' ? { ifExists: true } : {}) }, call.node, s);
        return;
      }
      case 'rename': {
        const from = arg(0);
        const to = arg(1);
        if ('value' in from && 'value' in to) this.emit({ kind: 'rename-table', table: from.value, newName: to.value }, call.node, s);
        else this.raw(`Schema::rename() with a table name built at run time`, call.node, s);
        return;
      }
      case 'dropColumns': {
        const table = tableArg();
        if (table === undefined) return;
        for (const c of this.columnList(call.args.slice(1), s, call.node)) this.emit({ kind: 'drop-column', table, column: c }, call.node, s);
        return;
      }
      case 'disableForeignKeyConstraints':
        this.emit(this.dialect === 'postgres' ? { kind: 'statement', table: '', statementKind: 'set-constraints-deferred' } : { kind: 'session', table: '', setting: 'foreign_key_checks', value: '0' }, call.node, s);
        return;
      case 'enableForeignKeyConstraints':
        this.emit(this.dialect === 'postgres' ? { kind: 'statement', table: '', statementKind: 'set-constraints-immediate' } : { kind: 'session', table: '', setting: 'foreign_key_checks', value: '1' }, call.node, s);
        return;
      case 'withoutForeignKeyConstraints': {
        if (this.dialect !== 'postgres') this.emit({ kind: 'session', table: '', setting: 'foreign_key_checks', value: '0' }, call.node, s);
        const fn = call.args[0];
        if (fn) this.execClosureBody(fn, s);
        if (this.dialect !== 'postgres') this.emit({ kind: 'session', table: '', setting: 'foreign_key_checks', value: '1' }, call.node, s);
        return;
      }
      case 'hasTable':
      case 'hasColumn':
      case 'hasColumns':
      case 'hasIndex':
      case 'hasView':
      case 'getColumnListing':
      case 'getColumns':
      case 'getIndexes':
      case 'getForeignKeys':
      case 'getTables':
      case 'getColumnType':
      case 'getConnection':
      case 'defaultStringLength':
      case 'morphUsingUuids':
      case 'morphUsingUlids':
      case 'defaultMorphKeyType':
        return;
      case 'createView':
      case 'dropView':
        this.emit({ kind: 'statement', table: '', statementKind: call.name }, call.node, s);
        return;
      default:
        this.raw(`Schema::${call.name}() is not a schema call zdd knows`, call.node, s);
    }
  }

  /**
   * The Blueprint callback of `Schema::table('t', …)`: a closure written there, or a variable holding
   * one (`$drop = fn (Blueprint $t) => $t->dropColumn('x'); Schema::table('pages', $drop);`), read
   * with the variables it saw where it was written. Anything else is reported, never skipped.
   */
  private schemaCallback(call: ChainCall, fn: PhpNode, table: string, scope: Scope): { fn: PhpNode; scope: Scope } | undefined {
    const callback = callbackOf(fn, scope);
    if (callback) return { fn: callback.fn, scope: fn.kind === 'variable' ? { ...scope, vars: new Map(callback.vars), arrays: new Map(callback.arrays), inline: true } : scope };
    const what = fn.kind === 'variable' && typeof fn.name === 'string' ? `variable $${fn.name}, not assigned a closure earlier in this method` : callbackText(fn, this.code);
    this.raw(`Schema::${call.name}('${table}') with a Blueprint callback zdd cannot read (${what})`, call.node, scope, table);
    return undefined;
  }

  private columnList(args: PhpNode[], scope: Scope, node: PhpNode): string[] {
    const out: string[] = [];
    for (const arg of args) {
      const a = pickBranch(arg, scope);
      if (a.kind === 'array') {
        for (const it of (a.items ?? []) as PhpNode[]) {
          const v = evalString(it.value ?? it, scope);
          if ('value' in v) out.push(v.value);
          else this.raw(`column name built at run time (${v.dynamic})`, node, scope);
        }
      } else {
        const v = evalString(a, scope);
        if ('value' in v) out.push(v.value);
        else this.raw(`column name built at run time (${v.dynamic})`, node, scope);
      }
    }
    return out;
  }

  // ---------- Blueprint ----------

  private blueprintClosure(table: string, fn: PhpNode, creating: boolean, scope: Scope, schemaNode: PhpNode): void {
    const variable = nameOf(fn.arguments?.[0]?.name) ?? 'table';
    const bp: BlueprintCtx = { variable, table, creating, after: [] };
    if (creating) {
      bp.create = { kind: 'create-table', table, columns: [], constraints: [], indexes: [], node: schemaNode };
    }
    const createStatement = this.currentStatement;
    const firstOp = this.ops.length;
    const inner: Scope = { ...scope, blueprint: bp, vars: new Map(scope.vars), arrays: new Map(scope.arrays), closures: new Map(scope.closures) };
    if (fn.kind === 'arrowfunc') this.execExpr(fn.body, inner, fn.body);
    else this.execBlock(fn.body?.children, inner);
    if (creating && bp.create) {
      // CREATE TABLE runs first; the index and key commands of the closure follow it.
      const { node, ...draft } = bp.create;
      this.emit(draft, node, scope, createStatement);
      this.ops.splice(firstOp, 0, this.ops.pop()!);
    }
  }

  private emitBlueprint(draft: OpDraft, node: PhpNode, scope: Scope): void {
    this.emit(draft, node, scope);
  }

  private blueprintCall(calls: ChainCall[], scope: Scope, stmt: PhpNode): void {
    const bp = scope.blueprint!;
    const [first, ...rawMods] = calls;
    if (!first) return;
    // PHP method names are case-insensitive: `$table->datetime()` is dateTime().
    const m = canonicalMethod(first.name);
    const mods = rawMods.map((c) => ({ ...c, name: canonicalMethod(c.name) }));
    const args = first.args;
    const str = (k: number): string | undefined => {
      const v = evalString(args[k], scope);
      return 'value' in v ? v.value : undefined;
    };
    const table = bp.table;
    const node = first.node;

    // Column-defining methods
    if (COLUMN_METHODS[m] || m === 'addColumn' || MORPH_METHODS.has(m) || m === 'timestamps' || m === 'nullableTimestamps' || m === 'timestampsTz' || m === 'nullableTimestampsTz' || m === 'datetimes' || m === 'foreignIdFor' || m === 'foreignUuidFor' || m === 'foreignUlidFor' || m === 'rawColumn') {
      for (const spec of this.columnSpecs(m, args, scope, node)) this.column(spec, mods, scope, node, stmt);
      return;
    }
    switch (m) {
      case 'index':
      case 'unique':
      case 'primary':
      case 'fullText':
      case 'fulltext':
      case 'spatialIndex':
      case 'rawIndex': {
        const cols = m === 'rawIndex' ? [`(${str(0) ?? '…'})`] : this.columnList([args[0]!].filter(Boolean), scope, node);
        const kind = m === 'fullText' || m === 'fulltext' ? 'fulltext' : m === 'spatialIndex' ? 'spatialindex' : m === 'rawIndex' ? 'index' : m;
        const name = str(1) ?? (m === 'rawIndex' ? undefined : indexName(table, cols, kind as 'index'));
        const opts = indexModifiers(mods, scope);
        if (args[2]) opts.algorithm = str(2);
        this.indexOp(kind, cols, name, opts, scope, node);
        return;
      }
      case 'foreign': {
        const cols = this.columnList([args[0]!].filter(Boolean), scope, node);
        const fk = foreignModifiers(mods, scope);
        const name = str(1) ?? indexName(table, cols, 'foreign');
        this.emitBlueprint({ kind: 'add-constraint', table, constraint: 'foreign', columns: cols, name, references: fkRef(fk), validated: !fk.notValid }, node, scope);
        return;
      }
      case 'dropColumn':
      case 'removeColumn': {
        for (const c of this.columnList(args, scope, node)) this.emitBlueprint(dropColumnDraft(table, c, mods, scope), node, scope);
        return;
      }
      case 'dropTimestamps':
      case 'dropTimestampsTz':
        for (const c of ['created_at', 'updated_at']) this.emitBlueprint({ kind: 'drop-column', table, column: c }, node, scope);
        return;
      case 'dropSoftDeletes':
      case 'dropSoftDeletesTz':
        this.emitBlueprint({ kind: 'drop-column', table, column: str(0) ?? 'deleted_at' }, node, scope);
        return;
      case 'dropRememberToken':
        this.emitBlueprint({ kind: 'drop-column', table, column: 'remember_token' }, node, scope);
        return;
      case 'dropMorphs': {
        const name = str(0) ?? 'morphable';
        this.emitBlueprint({ kind: 'drop-index', table, name: str(1) ?? indexName(table, [`${name}_type`, `${name}_id`], 'index') }, node, scope);
        for (const c of [`${name}_type`, `${name}_id`]) this.emitBlueprint({ kind: 'drop-column', table, column: c }, node, scope);
        return;
      }
      case 'renameColumn': {
        const from = str(0);
        const to = str(1);
        if (from && to) this.emitBlueprint({ kind: 'rename-column', table, column: from, newName: to }, node, scope);
        else this.raw('renameColumn() with a column name built at run time', node, scope, table);
        return;
      }
      case 'dropIndex':
      case 'dropUnique':
      case 'dropPrimary':
      case 'dropFullText':
      case 'dropSpatialIndex':
      case 'dropForeign': {
        const kind = { dropIndex: 'index', dropUnique: 'unique', dropPrimary: 'primary', dropFullText: 'fulltext', dropSpatialIndex: 'spatialindex', dropForeign: 'foreign' }[m] as 'index';
        let name: string | undefined;
        if (args[0]?.kind === 'array') name = indexName(table, this.columnList([args[0]], scope, node), kind);
        // MySQL has one primary key, always named PRIMARY: Laravel writes `drop primary key` whatever name it is given
        else if (m === 'dropPrimary' && this.dialect !== 'postgres') name = 'PRIMARY';
        else name = str(0) ?? (m === 'dropPrimary' ? `${table}_pkey` : undefined);
        if (name === undefined) {
          this.raw(`${m}() with an index name built at run time`, node, scope, table);
          return;
        }
        if (m === 'dropForeign') this.emitBlueprint({ kind: 'drop-constraint', table, name, constraint: 'foreign' }, node, scope);
        else if (m === 'dropPrimary') this.emitBlueprint({ kind: 'drop-constraint', table, name, constraint: 'primary' }, node, scope);
        else if (m === 'dropUnique' && this.dialect === 'postgres') this.emitBlueprint({ kind: 'drop-constraint', table, name, constraint: 'unique' }, node, scope);
        else this.emitBlueprint({ kind: 'drop-index', table, name }, node, scope);
        return;
      }
      case 'dropConstrainedForeignId':
      case 'dropForeignIdFor':
      case 'dropConstrainedForeignIdFor': {
        const col = m === 'dropConstrainedForeignId' ? str(0) : str(1) ?? foreignIdColumn(args[0], scope);
        if (!col) {
          this.raw(`${m}() with a column built at run time`, node, scope, table);
          return;
        }
        // dropForeignIdFor drops the column only; the constrained variants drop the key first.
        if (m !== 'dropForeignIdFor') this.emitBlueprint({ kind: 'drop-constraint', table, name: indexName(table, [col], 'foreign'), constraint: 'foreign' }, node, scope);
        this.emitBlueprint({ kind: 'drop-column', table, column: col }, node, scope);
        return;
      }
      case 'renameIndex': {
        const from = str(0);
        const to = str(1);
        if (from && to) this.emitBlueprint({ kind: 'rename-index', table, name: from, newName: to }, node, scope);
        return;
      }
      case 'rename': {
        const to = str(0);
        if (to) this.emitBlueprint({ kind: 'rename-table', table, newName: to }, node, scope);
        return;
      }
      case 'drop':
      case 'dropIfExists':
        this.emitBlueprint({ kind: 'drop-table', table, ...(m === 'dropIfExists' ? { ifExists: true } : {}) }, node, scope);
        return;
      case 'engine':
      case 'innoDb':
      case 'charset':
      case 'collation':
      case 'temporary':
      case 'comment':
        if (bp.creating && m === 'temporary' && bp.create) bp.create.temporary = true;
        if (!bp.creating && (m === 'charset' || m === 'collation' || m === 'engine')) this.emitBlueprint({ kind: 'table-option', table, option: m === 'engine' ? 'engine' : 'default-charset', value: str(0) ?? '' }, node, scope);
        return;
      case 'after': {
        // $table->after('col', function ($table) { … })
        const fn = args[1];
        if (fn) this.execClosureBody(fn, scope);
        return;
      }
      default:
        this.raw(`unknown Blueprint method ${m}()`, node, scope, table);
    }
  }

  /** The column(s) a Blueprint column method defines. */
  private columnSpecs(m: string, args: PhpNode[], scope: Scope, node: PhpNode): ColumnSpec[] {
    const str = (k: number): string | undefined => {
      const v = evalString(args[k], scope);
      return 'value' in v ? v.value : undefined;
    };
    const lit = (k: number) => {
      const n = args[k];
      if (n?.kind === 'array') return ((n.items ?? []) as PhpNode[]).map((it) => String(literal(it.value ?? it) ?? evalStringValue(it.value ?? it, scope) ?? ''));
      return literal(n) ?? str(k);
    };
    if (m === 'timestamps' || m === 'nullableTimestamps' || m === 'timestampsTz' || m === 'nullableTimestampsTz' || m === 'datetimes') {
      const type = m === 'timestampsTz' || m === 'nullableTimestampsTz' ? 'timestampTz' : m === 'datetimes' ? 'dateTime' : 'timestamp';
      const precision = typeof literal(args[0]) === 'number' ? (literal(args[0]) as number) : undefined;
      return ['created_at', 'updated_at'].map((name) => ({ name, type, nullable: true, ...(precision !== undefined ? { precision } : {}) }));
    }
    if (MORPH_METHODS.has(m)) {
      const name = str(0) ?? 'morphable';
      const nullable = m.startsWith('nullable');
      const kind = /uuid/i.test(m) ? 'uuid' : /ulid/i.test(m) ? 'ulid' : 'numeric';
      const id: ColumnSpec = kind === 'uuid' ? { name: `${name}_id`, type: 'uuid' } : kind === 'ulid' ? { name: `${name}_id`, type: 'char', length: 26 } : { name: `${name}_id`, type: 'bigInteger', unsigned: true };
      const specs: ColumnSpec[] = [
        { name: `${name}_type`, type: 'string', length: 255, nullable },
        { ...id, nullable },
      ];
      // the index on (type, id) is created after the second column
      (specs[1] as any).__morphIndexAfter = { name: str(1) ?? indexName(scope.blueprint!.table, [`${name}_type`, `${name}_id`], 'index'), columns: [`${name}_type`, `${name}_id`] };
      return specs;
    }
    if (m === 'foreignIdFor' || m === 'foreignUuidFor' || m === 'foreignUlidFor') {
      const col = str(1) ?? foreignIdColumn(args[0], scope);
      if (!col) {
        this.raw(`${m}() with a model zdd cannot resolve`, node, scope, scope.blueprint!.table);
        return [];
      }
      const model = shortName(nameOf(args[0]?.what ?? args[0]?.class ?? args[0]));
      const spec: ColumnSpec = m === 'foreignUuidFor' ? { name: col, type: 'uuid' } : m === 'foreignUlidFor' ? { name: col, type: 'char', length: 26 } : { name: col, type: 'bigInteger', unsigned: true };
      (spec as any).__foreignTable = model ? tableForModel(model) : undefined;
      return [spec];
    }
    if (m === 'addColumn') {
      const type = str(0) ?? 'string';
      const name = str(1) ?? '?';
      const params = args[2];
      const spec: ColumnSpec = { name, type };
      if (params?.kind === 'array') {
        for (const it of (params.items ?? []) as PhpNode[]) {
          const k = literal(it.key);
          const v = literal(it.value);
          if (typeof k === 'string' && (typeof v === 'number' || typeof v === 'boolean')) (spec as any)[k] = v;
        }
      }
      return [spec];
    }
    if (m === 'rawColumn') {
      const name = str(0) ?? '?';
      return [{ name, type: `raw:${str(1) ?? 'unknown'}` }];
    }
    const def = COLUMN_METHODS[m]!;
    const name = def.name && args.length === 0 ? def.name : str(0) ?? def.name;
    if (!name) {
      this.raw(`${m}() with a column name built at run time`, node, scope, scope.blueprint!.table);
      return [];
    }
    const spec: ColumnSpec = { name, type: def.type, ...def.implied };
    const argValues = args.slice(def.name && args.length === 0 ? 0 : 1).map((_, k) => lit(k + 1) as any);
    if (def.args) Object.assign(spec, Object.fromEntries(Object.entries(def.args(argValues)).filter(([, v]) => v !== undefined)));
    if (m === 'computed') spec.type = 'computed';
    return [spec];
  }

  private column(spec: ColumnSpec, mods: ChainCall[], scope: Scope, node: PhpNode, _stmt: PhpNode): void {
    const bp = scope.blueprint!;
    const table = bp.table;
    const pg = this.dialect === 'postgres';
    let nullable = spec.nullable ?? false;
    let def: ColumnDefault | undefined;
    let change = false;
    let position: { first: true } | { after: string } | undefined;
    let generated: ColumnDef['generated'];
    let comment: string | undefined;
    let charset: string | undefined;
    let collation: string | undefined;
    let using: string | undefined;
    let autoIncrement = !!spec.autoIncrement;
    let unsigned = !!spec.unsigned;
    let primary = autoIncrement && spec.type !== 'computed'; // increments()/id() are primary keys
    const inlineIndexes: Array<{ kind: 'index' | 'unique' | 'primary' | 'fulltext' | 'spatialindex'; name?: string }> = [];
    let fk: FkSpec | undefined;
    const mysql: { algorithm?: 'INSTANT'; lock?: 'NONE' | 'SHARED' | 'EXCLUSIVE' | 'DEFAULT' } = {};
    let useCurrent = false;
    for (const mod of mods) {
      const a0 = mod.args[0];
      switch (mod.name) {
        case 'nullable':
          nullable = a0 === undefined ? true : literal(a0) !== false;
          break;
        case 'default': {
          // Laravel writes no DEFAULT clause for default(null) (Grammar::modifyDefault skips null)
          const d = defaultFrom(a0, scope);
          def = d.kind === 'null' ? undefined : d;
          break;
        }
        case 'useCurrent':
          useCurrent = true;
          break;
        case 'unsigned':
          unsigned = a0 === undefined ? true : literal(a0) !== false;
          break;
        case 'autoIncrement':
          autoIncrement = true;
          primary = true;
          break;
        case 'after': {
          const v = evalString(a0, scope);
          if ('value' in v) position = { after: v.value };
          break;
        }
        case 'first':
          position = { first: true };
          break;
        case 'change':
          change = true;
          break;
        case 'comment':
          comment = evalStringValue(a0, scope);
          break;
        case 'charset':
          charset = evalStringValue(a0, scope);
          break;
        case 'collation':
          collation = evalStringValue(a0, scope);
          break;
        case 'storedAs':
          generated = { kind: 'stored', expression: expressionText(a0, scope) };
          break;
        case 'virtualAs':
          generated = { kind: 'virtual', expression: expressionText(a0, scope) };
          break;
        case 'generatedAs':
          autoIncrement = true;
          break;
        case 'using':
          using = expressionText(a0, scope);
          break;
        case 'unique':
        case 'index':
        case 'primary':
        case 'fulltext':
        case 'fullText':
        case 'spatialIndex': {
          if (a0 && literal(a0) === false) break;
          const kind = mod.name === 'fullText' || mod.name === 'fulltext' ? 'fulltext' : mod.name === 'spatialIndex' ? 'spatialindex' : mod.name;
          const n = a0 && a0.kind !== 'boolean' ? evalStringValue(a0, scope) : undefined;
          if (kind === 'primary') primary = true;
          else inlineIndexes.push({ kind: kind as 'index', ...(n ? { name: n } : {}) });
          break;
        }
        case 'constrained': {
          const t = evalStringValue(a0, scope);
          const c = evalStringValue(mod.args[1], scope) ?? 'id';
          fk = { on: t ?? (spec as any).__foreignTable ?? plural(spec.name.replace(new RegExp(`_${c}$`), '')), references: [c] };
          break;
        }
        case 'references': {
          fk ??= { references: [] };
          fk.references = this.columnList([a0!].filter(Boolean), scope, node);
          break;
        }
        case 'on':
          if (fk) fk.on = evalStringValue(a0, scope);
          break;
        case 'notValid':
          if (fk) fk.notValid = true;
          break;
        case 'instant':
          mysql.algorithm = 'INSTANT';
          break;
        case 'lock': {
          const v = evalStringValue(a0, scope);
          if (v) mysql.lock = v.toUpperCase() as 'NONE';
          break;
        }
        default:
          if (fk) foreignAction(mod, scope, fk);
          break; // invisible, from, startingValue, always, persisted, type …
      }
    }
    if (useCurrent) def = { kind: 'expression', text: spec.type === 'date' ? (pg ? 'CURRENT_DATE' : '(CURDATE())') : 'CURRENT_TIMESTAMP' };
    const specFinal: ColumnSpec = { ...spec, unsigned, autoIncrement: autoIncrement && !change };
    const typeText = spec.type.startsWith('raw:') ? spec.type.slice(4) : sqlTypeFor(specFinal, this.dialect);
    const type = parseTypeText(typeText);
    if ((spec.type === 'enum' || spec.type === 'set') && !pg) type.values = spec.allowed ?? [];
    if (charset) type.charset = charset;
    if (collation) type.collation = collation;
    const column: ColumnDef = { name: spec.name, type, nullable: primary ? false : nullable };
    if (def) column.default = def;
    if (autoIncrement && !change) {
      if (pg) column.identity = true;
      else column.autoIncrement = true;
    }
    if (primary && !change) column.primaryKey = true;
    if (generated) column.generated = generated;
    if (comment !== undefined) column.comment = comment;
    const clauses = mysql.algorithm || mysql.lock ? { mysql } : {};

    if (bp.creating && bp.create && !change) {
      bp.create.columns.push(column);
      if (pg && spec.type === 'enum') bp.create.constraints.push({ type: 'check', columns: [spec.name], expression: `${spec.name} in (${(spec.allowed ?? []).map((a) => `'${a}'`).join(', ')})` });
    } else if (change) {
      const op: OpDraft = { kind: 'alter-column', table, column: spec.name, type, nullable: column.nullable, default: def ?? null, restatesColumn: true, definition: column, ...clauses };
      if (using) op.using = using;
      if (position) op.position = position;
      this.emitBlueprint(op, node, scope);
    } else {
      this.emitBlueprint({ kind: 'add-column', table, column, ...(position && !pg ? { position } : {}), ...clauses }, node, scope);
      if (pg && spec.type === 'enum') {
        this.emitBlueprint({ kind: 'add-constraint', table, constraint: 'check', columns: [spec.name], expression: `${spec.name} in (${(spec.allowed ?? []).map((a) => `'${a}'`).join(', ')})`, validated: true }, node, scope);
      }
    }
    for (const idx of inlineIndexes) this.indexOp(idx.kind, [spec.name], idx.name ?? indexName(table, [spec.name], idx.kind), {}, scope, node);
    if (primary && change) this.indexOp('primary', [spec.name], undefined, {}, scope, node);
    if (fk) {
      this.emitBlueprint({ kind: 'add-constraint', table, constraint: 'foreign', columns: [spec.name], name: indexName(table, [spec.name], 'foreign'), references: fkRef(fk), validated: !fk.notValid }, node, scope);
    }
    // morphs(): the index on type + id comes after the second column
    const morphIndex = (spec as any).__morphIndexAfter as { name: string; columns: string[] } | undefined;
    if (morphIndex) this.indexOp('index', morphIndex.columns, morphIndex.name, {}, scope, node);
  }

  private indexOp(kind: string, columns: string[], name: string | undefined, opts: IndexOpts, scope: Scope, node: PhpNode): void {
    const table = scope.blueprint!.table;
    const pg = this.dialect === 'postgres';
    const clauses = opts.lock ? { mysql: { lock: opts.lock.toUpperCase() as 'NONE' } } : {};
    switch (kind) {
      case 'primary':
        // Both grammars ignore the index name for a primary key (`add primary key (…)`).
        this.emitBlueprint({ kind: 'add-constraint', table, constraint: 'primary', columns, validated: true, ...clauses }, node, scope);
        return;
      case 'unique':
        if (pg && !opts.online) {
          this.emitBlueprint({ kind: 'add-constraint', table, constraint: 'unique', columns, validated: true, ...(name ? { name } : {}) }, node, scope);
        } else if (pg) {
          this.emitBlueprint({ kind: 'add-index', table, columns, unique: true, concurrently: true, ...(name ? { name } : {}) }, node, scope);
          this.emitBlueprint({ kind: 'add-constraint', table, constraint: 'unique', columns, validated: true, ...(name ? { name, usingIndex: name } : {}) }, node, scope);
        } else this.emitBlueprint({ kind: 'add-index', table, columns, unique: true, ...(name ? { name } : {}), ...clauses }, node, scope);
        return;
      case 'fulltext':
        this.emitBlueprint({ kind: 'add-index', table, columns, unique: false, method: pg ? 'gin' : 'fulltext', ...(pg && opts.online ? { concurrently: true } : {}), ...(name ? { name } : {}), ...clauses }, node, scope);
        return;
      case 'spatialindex':
        this.emitBlueprint({ kind: 'add-index', table, columns, unique: false, method: pg ? 'gist' : 'spatial', ...(pg && opts.online ? { concurrently: true } : {}), ...(name ? { name } : {}), ...clauses }, node, scope);
        return;
      default:
        this.emitBlueprint(
          {
            kind: 'add-index',
            table,
            columns,
            unique: false,
            ...(name ? { name } : {}),
            ...(opts.algorithm && opts.algorithm.toLowerCase() !== 'btree' ? { method: opts.algorithm.toLowerCase() } : {}),
            ...(pg && opts.online ? { concurrently: true } : {}),
            ...clauses,
          },
          node,
          scope,
        );
    }
  }

  // ---------- DB facade ----------

  private dbCall(calls: ChainCall[], scope: Scope, stmt: PhpNode): void {
    let i = 0;
    while (i < calls.length && calls[i]!.name === 'connection') i++;
    const call = calls[i];
    if (!call) return;
    const rest = calls.slice(i);
    switch (call.name) {
      case 'statement':
      case 'unprepared':
      case 'update':
      case 'delete':
      case 'insert':
      case 'affectingStatement':
        this.sqlArg(call, scope);
        return;
      case 'select':
      case 'selectOne':
      case 'scalar':
      case 'cursor':
        return;
      case 'table': {
        const t = evalString(call.args[0], scope);
        if (!('value' in t)) {
          this.raw(`DB::table() on a table name built at run time (${t.dynamic})`, call.node, scope);
          return;
        }
        this.queryChain(t.value.replace(/\s+as\s+\w+$/i, ''), rest.slice(1), scope, 'query-builder');
        return;
      }
      case 'transaction': {
        const fn = call.args[0];
        if (fn) this.execClosureBody(fn, scope);
        return;
      }
      case 'raw':
      case 'getDriverName':
      case 'getPdo':
      case 'beginTransaction':
      case 'commit':
      case 'rollBack':
      case 'getSchemaBuilder':
      case 'getTablePrefix':
      case 'disableQueryLog':
      case 'enableQueryLog':
      case 'getQueryLog':
      case 'setDefaultConnection':
      case 'getDefaultConnection':
      case 'listen':
      case 'reconnect':
      case 'purge':
      case 'disconnect':
      case 'getDoctrineSchemaManager':
      case 'getDatabaseName':
      case 'getConfig':
      case 'escape':
        return;
      default:
        this.raw(`DB::${call.name}() is not a database call zdd knows`, call.node, scope);
    }
  }

  /** SQL passed to DB::statement & co: through the SQL reader, located in the PHP file. */
  private sqlArg(call: ChainCall, scope: Scope): void {
    // SQL for another driver (the else branch of a driver check) is not parsed with this one's grammar.
    if (scope.guard.dialects && !scope.guard.dialects.has(this.dialect)) return;
    const argNode = call.args[0];
    if (argNode?.kind === 'call' && shortName(nameOf(argNode.what?.what)) === 'DB' && nameOf(argNode.what?.offset) === 'raw') {
      return this.sqlArg({ ...call, args: argNode.arguments ?? [] }, scope);
    }
    const v = evalString(argNode, { ...scope, code: this.code });
    if (!('value' in v)) {
      this.raw(`SQL built at run time (${v.dynamic}) in DB::${call.name}()`, call.node, scope);
      return;
    }
    const locator = stringLocator(v.node);
    const statementNode = this.currentStatementNode ?? call.node;
    const r = readSqlText(v.value, {
      file: this.file,
      dialect: this.dialect,
      locate: (o) => locator(o, v.value),
      firstStatement: this.nextStatement,
    });
    const lines = { start: posOf(statementNode).line, end: statementNode.loc?.end.line ?? posOf(statementNode).line };
    for (let k = 0; k < r.statements; k++) this.statementLines.set(this.nextStatement + k, lines);
    this.nextStatement += r.statements;
    for (const op of r.ops) {
      applyGuard(op, scope.guard);
      this.ops.push(op);
    }
    for (const s of r.suppressions) this.sqlSuppressions.push(s);
  }

  readonly sqlSuppressions: Migration['suppressions'] = [];

  /** A query-builder or Eloquent chain on `table`: which write, if any, and whether it is batched. */
  private queryChain(table: string, calls: ChainCall[], scope: Scope, via: 'query-builder' | 'eloquent'): void {
    let filtered = false;
    let limited = false;
    // columns pinned to one value by ->where('col', v) / ->where('col', '=', v) / whereKey / find, unless an orWhere widens it
    const pinned = new Set<string>();
    let widened = false;
    const keyEquals = (): { keyEquals?: string[] } => (pinned.size && !widened ? { keyEquals: [...pinned] } : {});
    for (const c of calls) {
      const n = c.name;
      if (/^(where|orWhere|whereIn|whereNot|whereNull|whereNotNull|whereBetween|whereKey|whereRaw|whereHas|whereDate|whereColumn|whereExists|whereJson|whereLike|has|doesntHave|find)/.test(n)) filtered = true;
      if (/^or[A-Z]/.test(n) || /join/i.test(n)) widened = true;
      else if (n === 'where' && (c.args.length === 2 || (c.args.length === 3 && literal(c.args[1]) === '='))) {
        const col = literal(c.args[0]);
        const value = c.args[c.args.length - 1]!;
        // `t.col` counts only when t is this table (another table's key pins nothing here)
        const own = typeof col === 'string' && (!col.includes('.') || col.slice(0, col.lastIndexOf('.')).toLowerCase() === table.toLowerCase());
        if (typeof col === 'string' && own && /^[\w.]+$/.test(col) && value.kind !== 'closure' && value.kind !== 'arrowfunc' && value.kind !== 'array' && value.kind !== 'nullkeyword') pinned.add(col.slice(col.lastIndexOf('.') + 1).toLowerCase());
      } else if ((n === 'whereKey' || n === 'find') && c.args.length === 1 && c.args[0]!.kind !== 'array') pinned.add('id');
      if (n === 'limit' || n === 'take' || n === 'forPage') limited = true;
      if (LOOP_METHODS.has(n)) {
        // chunk/each/lazy: rows are processed in batches; what the closure writes is row-by-row.
        const fn = c.args.find((a) => a.kind === 'closure' || a.kind === 'arrowfunc');
        this.emit({ kind: 'data', table, action: 'update', batched: true, filtered, via }, c.node, scope);
        if (fn) this.execClosureBody(fn, { ...scope, guard: { ...scope.guard, conditional: true } });
        return;
      }
      if (UPDATE_METHODS.has(n)) {
        const sql = via === 'query-builder' ? compileWrite(table, calls, c, this.dialect, scope) : undefined;
        this.emit({ kind: 'data', table, action: 'update', batched: limited, filtered, ...keyEquals(), via, ...(sql ? { sql } : {}) }, c.node, scope);
        return;
      }
      if (DELETE_METHODS.has(n)) {
        const sql = via === 'query-builder' ? compileWrite(table, calls, c, this.dialect, scope) : undefined;
        this.emit({ kind: 'data', table, action: 'delete', batched: limited, filtered, ...keyEquals(), via, ...(sql ? { sql } : {}) }, c.node, scope);
        return;
      }
      if (n === 'truncate') {
        this.emit({ kind: 'truncate', table }, c.node, scope);
        return;
      }
      if (n === 'insertUsing') {
        this.emit({ kind: 'data', table, action: 'insert-select', batched: false, filtered, via }, c.node, scope);
        return;
      }
      if (UPSERT_METHODS.has(n)) {
        this.emit({ kind: 'data', table, action: 'upsert', batched: false, filtered, via }, c.node, scope);
        return;
      }
      if (INSERT_METHODS.has(n)) {
        this.emit({ kind: 'data', table, action: 'insert', batched: false, filtered, via }, c.node, scope);
        return;
      }
      if (READ_METHODS.has(n) && n !== 'select') {
        // get()/all() return a collection: a following each()/map() walks it row by row
        const rest = calls.slice(calls.indexOf(c) + 1);
        const fn = rest.flatMap((x) => x.args).find((a) => a.kind === 'closure' || a.kind === 'arrowfunc');
        if (fn && rest.some((x) => ['each', 'map', 'filter', 'transform', 'eachSpread'].includes(x.name))) {
          this.execClosureBody(fn, { ...scope, guard: { ...scope.guard, conditional: true } });
        }
        return;
      }
    }
  }

  private modelCall(model: string, calls: ChainCall[], scope: Scope, _stmt: PhpNode): void {
    const first = calls[0]!.name;
    const eloquent = QUERY_START.has(first) || UPDATE_METHODS.has(first) || DELETE_METHODS.has(first) || INSERT_METHODS.has(first) || LOOP_METHODS.has(first) || READ_METHODS.has(first) || first === 'truncate' || first === 'unguard' || first === 'reguard';
    if (!eloquent) {
      this.notes.push(`${model}::${first}() at line ${posOf(calls[0]!.node).line}: not a known Eloquent call, not read`);
      return;
    }
    if (first === 'unguard' || first === 'reguard') return;
    this.queryChain(tableForModel(model), calls, scope, 'eloquent');
  }
}

// ---------- helpers ----------

const MORPH_METHODS = new Set(['morphs', 'nullableMorphs', 'numericMorphs', 'nullableNumericMorphs', 'uuidMorphs', 'nullableUuidMorphs', 'ulidMorphs', 'nullableUlidMorphs']);

const KNOWN_METHODS = [
  ...Object.keys(COLUMN_METHODS),
  'addColumn', 'morphs', 'nullableMorphs', 'numericMorphs', 'nullableNumericMorphs', 'uuidMorphs', 'nullableUuidMorphs', 'ulidMorphs', 'nullableUlidMorphs',
  'timestamps', 'nullableTimestamps', 'timestampsTz', 'nullableTimestampsTz', 'datetimes', 'foreignIdFor', 'foreignUuidFor', 'foreignUlidFor', 'rawColumn',
  'index', 'unique', 'primary', 'fullText', 'spatialIndex', 'rawIndex', 'foreign', 'dropColumn', 'removeColumn', 'dropTimestamps', 'dropTimestampsTz',
  'dropSoftDeletes', 'dropSoftDeletesTz', 'dropRememberToken', 'dropMorphs', 'renameColumn', 'dropIndex', 'dropUnique', 'dropPrimary', 'dropFullText',
  'dropSpatialIndex', 'dropForeign', 'dropConstrainedForeignId', 'dropForeignIdFor', 'dropConstrainedForeignIdFor', 'renameIndex', 'rename', 'drop',
  'dropIfExists', 'engine', 'innoDb', 'charset', 'collation', 'temporary', 'comment', 'after',
  'nullable', 'default', 'useCurrent', 'useCurrentOnUpdate', 'unsigned', 'autoIncrement', 'first', 'change', 'storedAs', 'virtualAs', 'generatedAs', 'using',
  'constrained', 'references', 'on', 'notValid', 'instant', 'lock', 'online', 'algorithm', 'cascadeOnDelete', 'cascadeOnUpdate', 'nullOnDelete', 'restrictOnDelete',
  'onDelete', 'onUpdate', 'restrictOnUpdate', 'nullOnUpdate', 'noActionOnDelete', 'noActionOnUpdate', 'invisible', 'startingValue', 'from', 'always', 'fulltext',
];
const CANONICAL_METHOD = new Map(KNOWN_METHODS.map((n) => [n.toLowerCase(), n]));
/** `fulltext` and `fullText` are both Laravel methods; everything else is matched without case. */
function canonicalMethod(name: string): string {
  if (name === 'fulltext' || name === 'fullText') return name;
  return CANONICAL_METHOD.get(name.toLowerCase()) ?? name;
}

/** `$name === 'accounts' ? ['uuid'] : ['account_id', 'uuid']`: the branch a known comparison selects. */
function pickBranch(node: PhpNode, scope: Scope): PhpNode {
  if (node?.kind !== 'retif' || node.test?.kind !== 'bin' || !['===', '==', '!==', '!='].includes(node.test.type)) return node;
  const l = evalString(node.test.left, scope);
  const r = evalString(node.test.right, scope);
  if (!('value' in l) || !('value' in r)) return node;
  const equal = l.value === r.value;
  const truthy = node.test.type === '===' || node.test.type === '==' ? equal : !equal;
  return pickBranch(truthy ? node.trueExpr : node.falseExpr, scope);
}

/** A closure or arrow function written here, or a variable holding one. */
function callbackOf(node: PhpNode | undefined, scope: Scope): Callback | undefined {
  if (!node) return undefined;
  if (node.kind === 'closure' || node.kind === 'arrowfunc') return { fn: node, vars: new Map(scope.vars), arrays: new Map(scope.arrays) };
  if (node.kind === 'variable' && typeof node.name === 'string') return scope.closures.get(node.name);
  return undefined;
}

/** How a callback zdd cannot read is written, for the message. */
function callbackText(node: PhpNode, code: string): string {
  if (node.kind === 'call') return `call to ${nameOf(node.what) ?? nameOf(node.what?.offset) ?? 'a method'}()`;
  if (node.kind === 'array') return 'callable array';
  if (node.loc) return `expression ${code.slice(node.loc.start.offset, Math.min(node.loc.end.offset, node.loc.start.offset + 40))}`;
  return `${node.kind} expression`;
}

/**
 * `$this->tables()`, `self::tables()`: the method of the migration class it calls, when its body is
 * a single `return <expression>;` (the expression then read in its place).
 */
function returnedBy(node: PhpNode, scope: Scope): { expr: PhpNode; scope: Scope } | undefined {
  if (node.kind !== 'call' || !scope.methods || scope.depth >= 4) return undefined;
  const what = node.what as PhpNode | undefined;
  const onThis = what?.kind === 'propertylookup' && what.what?.kind === 'variable' && what.what.name === 'this';
  const onSelf = what?.kind === 'staticlookup' && ['self', 'static'].includes(nameOf(what.what) ?? '');
  if (!onThis && !onSelf) return undefined;
  const method = scope.methods.get((nameOf(what!.offset) ?? '').toLowerCase());
  const body = (method?.body?.children ?? []) as PhpNode[];
  // without parameters: the array's elements are then read where the call is, as the class's own values
  if (!method || method.arguments?.length || body.length !== 1 || body[0]!.kind !== 'return' || !body[0]!.expr) return undefined;
  return { expr: body[0]!.expr, scope: { ...scope, depth: scope.depth + 1 } };
}

/** An array literal a foreach can iterate: a literal, a variable or `$this->prop` holding one, a method of the class returning one. */
function resolveArray(node: PhpNode | undefined, scope: Scope): PhpNode | undefined {
  if (!node) return undefined;
  if (node.kind === 'array') return node;
  if (node.kind === 'call') {
    const returned = returnedBy(node, scope);
    if (returned) return resolveArray(returned.expr, returned.scope);
  }
  if (node.kind === 'variable' && typeof node.name === 'string') return scope.arrays.get(node.name);
  if (node.kind === 'propertylookup' && node.what?.kind === 'variable' && node.what.name === 'this') return scope.arrays.get(`this->${nameOf(node.offset)}`);
  if (node.kind === 'staticlookup' && ['self', 'static'].includes(nameOf(node.what) ?? '')) return scope.arrays.get(`self::${nameOf(node.offset)}`);
  const configured = configValue(node, scope);
  if (configured?.kind === 'array') return configured;
  if (node.kind === 'offsetlookup' && node.what && node.offset) {
    // $columnNames['pivot'] where $columnNames holds an array of arrays
    const outer = resolveArray(node.what, scope);
    const key = evalString(node.offset, scope);
    const item = outer && 'value' in key ? itemAt(outer, key.value) : undefined;
    if (item?.kind === 'array') return item;
  }
  return undefined;
}

/**
 * `config('permission.table_names')` (or `config('audit.table', 'audits')`): the value the app's
 * config/*.php gives, else the call's default argument; undefined when neither says.
 */
function configValue(node: PhpNode, scope: Scope): PhpNode | undefined {
  if (node.kind !== 'call' || nameOf(node.what)?.replace(/^\\/, '') !== 'config') return undefined;
  const key = literal(node.arguments?.[0]);
  // database.* (the default connection, drivers) differs per server: zdd reads it as a driver check, never as a value
  if (typeof key !== 'string' || key.startsWith('database.')) return undefined;
  return scope.appConfig?.(key) ?? node.arguments?.[1];
}

/** A config value (or `env()`'s default) as a string (nested `config()` calls in config files are not followed). */
function configString(node: PhpNode, scope: Scope): StringValue | undefined {
  if (node.kind === 'call' && nameOf(node.what)?.replace(/^\\/, '') === 'env' && node.arguments?.[1] && !/^DB_/.test(String(literal(node.arguments[0])))) {
    // env('X', 'default'), in a migration or in an app's config array: the default, as config values are read
    const d = evalString(node.arguments[1], {});
    return 'value' in d ? { value: d.value, node } : undefined;
  }
  const v = configValue(node, scope);
  if (!v) return undefined;
  const s = evalString(v, {});
  return 'value' in s ? { value: s.value, node } : undefined;
}

/** Laravel's table prefix is '' unless configured; zdd reads migrations as for an unprefixed connection. */
function resolveLaravelCall(node: PhpNode): StringValue | undefined {
  const { base, calls } = flattenChain(node);
  const last = calls[calls.length - 1]?.name;
  if (last === 'getTablePrefix') return { value: '', node };
  if (base.kind === 'name' && nameOf(base) === 'config' && calls.length === 1) {
    const key = literal(calls[0]!.args[0]);
    if (typeof key === 'string' && /^database\.connections\.[\w-]+\.prefix$/.test(key)) return { value: '', node };
  }
  return undefined;
}

interface IndexOpts {
  algorithm?: string;
  lock?: string;
  online?: boolean;
}

function indexModifiers(mods: ChainCall[], scope: Scope): IndexOpts {
  const o: IndexOpts = {};
  for (const m of mods) {
    if (m.name === 'algorithm') o.algorithm = evalStringValue(m.args[0], scope);
    else if (m.name === 'lock') o.lock = evalStringValue(m.args[0], scope);
    else if (m.name === 'online') o.online = m.args[0] === undefined || literal(m.args[0]) !== false;
  }
  return o;
}

/** Laravel's referential-action modifiers (ForeignKeyDefinition): cascadeOnDelete() … noActionOnUpdate(). */
const FK_ACTION_METHODS: Record<string, ['onDelete' | 'onUpdate', string]> = {
  cascadeOnDelete: ['onDelete', 'CASCADE'],
  restrictOnDelete: ['onDelete', 'RESTRICT'],
  nullOnDelete: ['onDelete', 'SET NULL'],
  noActionOnDelete: ['onDelete', 'NO ACTION'],
  cascadeOnUpdate: ['onUpdate', 'CASCADE'],
  restrictOnUpdate: ['onUpdate', 'RESTRICT'],
  nullOnUpdate: ['onUpdate', 'SET NULL'],
  noActionOnUpdate: ['onUpdate', 'NO ACTION'],
};

/** onDelete('cascade'), cascadeOnDelete() …: the action, upper-case; NO ACTION (the default) is omitted. */
function foreignAction(m: ChainCall, scope: Scope, fk: FkSpec): void {
  const known = FK_ACTION_METHODS[m.name];
  let which: 'onDelete' | 'onUpdate' | undefined;
  let action: string | undefined;
  if (known) [which, action] = known;
  else if (m.name === 'onDelete' || m.name === 'onUpdate') {
    which = m.name;
    action = evalStringValue(m.args[0], scope)?.toUpperCase();
  }
  if (!which) return;
  if (action && action !== 'NO ACTION') fk[which] = action;
  else delete fk[which];
}

interface FkSpec {
  on?: string;
  references: string[];
  notValid?: boolean;
  onDelete?: string;
  onUpdate?: string;
}

function fkRef(fk: FkSpec): ForeignRef {
  return { table: fk.on ?? '', columns: fk.references.length ? fk.references : ['id'], ...(fk.onDelete ? { onDelete: fk.onDelete } : {}), ...(fk.onUpdate ? { onUpdate: fk.onUpdate } : {}) };
}

function foreignModifiers(mods: ChainCall[], scope: Scope): FkSpec {
  const fk: FkSpec = { references: [], notValid: false };
  for (const m of mods) {
    foreignAction(m, scope, fk);
    if (m.name === 'references') {
      const a = m.args[0];
      if (a?.kind === 'array') fk.references = ((a.items ?? []) as PhpNode[]).map((it) => evalStringValue(it.value ?? it, scope) ?? '?');
      else fk.references = [evalStringValue(a, scope) ?? '?'];
    } else if (m.name === 'on') fk.on = evalStringValue(m.args[0], scope);
    else if (m.name === 'notValid') fk.notValid = true;
  }
  return fk;
}

function dropColumnDraft(table: string, column: string, mods: ChainCall[], scope: Scope): OpDraft {
  const op: OpDraft = { kind: 'drop-column', table, column };
  for (const m of mods) {
    if (m.name === 'instant') op.mysql = { ...op.mysql, algorithm: 'INSTANT' };
    if (m.name === 'lock') op.mysql = { ...op.mysql, lock: (evalStringValue(m.args[0], scope) ?? 'default').toUpperCase() as 'NONE' };
  }
  return op;
}

/** `foreignIdFor(User::class)` → `user_id`. */
function foreignIdColumn(arg: PhpNode | undefined, _scope: Scope): string | undefined {
  if (!arg) return undefined;
  if (arg.kind === 'staticlookup' && nameOf(arg.offset) === 'class') {
    const cls = shortName(nameOf(arg.what));
    return cls ? `${snake(cls)}_id` : undefined;
  }
  if (arg.kind === 'new') {
    const cls = shortName(nameOf(arg.what));
    return cls ? `${snake(cls)}_id` : undefined;
  }
  const s = literal(arg);
  if (typeof s === 'string') return `${snake(shortName(s) ?? s)}_id`;
  return undefined;
}

function evalStringValue(node: PhpNode | undefined, scope: Scope): string | undefined {
  const v = evalString(node, scope);
  return 'value' in v ? v.value : undefined;
}

const COMPARISONS = new Set(['=', '<', '>', '<=', '>=', '<>', '!=', 'like', 'not like']);

/**
 * `DB::table('t')->where(…)->update([…])` / `->delete()` as the SQL Laravel sends, when the chain
 * holds only literal values: plain wheres (`where`, `whereIn`, `whereNull` and their negations) and
 * literal or `DB::raw` assignments. The planner runs it outside the migration; anything else stays
 * PHP (undefined). Eloquent writes are not compiled: they add `updated_at` and honour soft deletes.
 */
function compileWrite(table: string, calls: ChainCall[], write: ChainCall, dialect: Dialect, scope: Scope): string | undefined {
  const value = (n: PhpNode | undefined): string | undefined => {
    if (!n) return undefined;
    if (n.kind === 'call' && nameOf(n.what?.offset) === 'raw' && shortName(nameOf(n.what?.what)) === 'DB') return evalStringValue(n.arguments?.[0], scope);
    const l = literal(n);
    if (l === null) return 'NULL';
    if (typeof l === 'number') return String(l);
    if (typeof l === 'boolean') return dialect === 'postgres' ? (l ? 'TRUE' : 'FALSE') : l ? '1' : '0';
    const str = evalStringValue(n, scope);
    return str === undefined ? undefined : sqlString(str);
  };
  const column = (n: PhpNode | undefined): string | undefined => {
    const c = evalStringValue(n, scope);
    return c && /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)?$/.test(c) ? c.split('.').map((p) => sqlIdent(p, dialect)).join('.') : undefined;
  };
  const conditions: string[] = [];
  const equal = (c: string, v: string): string => (v === 'NULL' ? `${c} IS NULL` : `${c} = ${v}`);
  for (const call of calls) {
    if (call === write) break;
    const [a0, a1, a2] = call.args;
    switch (call.name) {
      case 'where': {
        if (call.args.length === 1 && a0?.kind === 'array') {
          for (const item of (a0.items ?? []) as PhpNode[]) {
            const c = column(item.key);
            const v = value(item.value);
            if (!c || v === undefined) return undefined;
            conditions.push(equal(c, v));
          }
        } else if (call.args.length === 2) {
          const c = column(a0);
          const v = value(a1);
          if (!c || v === undefined) return undefined;
          conditions.push(equal(c, v));
        } else if (call.args.length === 3) {
          const c = column(a0);
          const op = evalStringValue(a1, scope)?.toLowerCase();
          const v = value(a2);
          if (!c || !op || !COMPARISONS.has(op) || v === undefined || v === 'NULL') return undefined;
          conditions.push(`${c} ${op.toUpperCase()} ${v}`);
        } else return undefined;
        break;
      }
      case 'whereIn':
      case 'whereNotIn': {
        const c = column(a0);
        const items = a1?.kind === 'array' ? ((a1.items ?? []) as PhpNode[]).map((it) => value(it.value ?? it)) : undefined;
        if (!c || !items?.length || items.some((v) => v === undefined || v === 'NULL')) return undefined;
        conditions.push(`${c} ${call.name === 'whereIn' ? 'IN' : 'NOT IN'} (${items.join(', ')})`);
        break;
      }
      case 'whereNull':
      case 'whereNotNull': {
        const c = column(a0);
        if (!c || call.args.length !== 1) return undefined;
        conditions.push(`${c} IS ${call.name === 'whereNull' ? '' : 'NOT '}NULL`);
        break;
      }
      default:
        return undefined;
    }
  }
  const where = conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '';
  const t = sqlIdent(table, dialect);
  if (write.name === 'delete' && write.args.length === 0) return `DELETE FROM ${t}${where}`;
  if (write.name !== 'update' || write.args.length !== 1 || write.args[0]!.kind !== 'array') return undefined;
  const sets: string[] = [];
  for (const item of (write.args[0]!.items ?? []) as PhpNode[]) {
    const c = column(item.key);
    const v = value(item.value);
    if (!c || v === undefined || c.includes('.')) return undefined;
    sets.push(`${c} = ${v}`);
  }
  return sets.length ? `UPDATE ${t} SET ${sets.join(', ')}${where}` : undefined;
}

/** DB::raw('now()'), new Expression('…'), a string: the SQL expression text. */
function expressionText(node: PhpNode | undefined, scope: Scope): string {
  if (!node) return '';
  if (node.kind === 'call' && nameOf(node.what?.offset) === 'raw') return evalStringValue(node.arguments?.[0], scope) ?? '…';
  if (node.kind === 'new') return evalStringValue(node.arguments?.[0], scope) ?? '…';
  return evalStringValue(node, scope) ?? '…';
}

function defaultFrom(node: PhpNode | undefined, scope: Scope): ColumnDefault {
  if (!node) return { kind: 'null', text: 'NULL' };
  if ((node.kind === 'call' && nameOf(node.what?.offset) === 'raw') || node.kind === 'new') return classifyDefault(expressionText(node, scope));
  const lit = literal(node);
  if (lit === null) return { kind: 'null', text: 'NULL' };
  // Laravel's grammar writes booleans as '1' / '0' on every driver (Grammar::getDefaultValue).
  if (typeof lit === 'boolean') return { kind: 'constant', text: `'${lit ? 1 : 0}'` };
  if (typeof lit === 'number') return { kind: 'constant', text: `'${lit}'` };
  if (typeof lit === 'string') return { kind: 'constant', text: `'${lit.replace(/'/g, "''")}'` };
  const v = evalString(node, scope);
  if ('value' in v) return { kind: 'constant', text: `'${v.value.replace(/'/g, "''")}'` };
  // an enum case, a constant, a method call: a constant value computed by PHP before the SQL is sent
  return { kind: 'constant', text: `'<${v.dynamic}>'` };
}

function driverDialects(driver: string): Set<Dialect> {
  switch (driver.toLowerCase()) {
    case 'mysql':
      return new Set(['mysql', 'mariadb']);
    case 'mariadb':
      return new Set(['mariadb']);
    case 'pgsql':
    case 'postgres':
    case 'postgresql':
      return new Set(['postgres']);
    default:
      return new Set();
  }
}

function intersect(a: DriverSet | undefined, b: DriverSet): DriverSet {
  if (!a) return b;
  return new Set([...a].filter((d) => b.has(d)));
}

/** The guard for the branch where `cond` is (not) true; undefined when the branch can never run. */
function narrow(guard: Guard, cond: DriverSet | 'schema' | undefined, truthy: boolean): Guard | undefined {
  if (cond === undefined || cond === 'schema') return { ...guard, conditional: true };
  const set = truthy ? cond : new Set(DIALECTS.filter((d) => !cond.has(d)));
  const dialects = intersect(guard.dialects, set);
  if (dialects.size === 0) return undefined;
  return { ...guard, dialects: dialects.size === ALL.size && !guard.dialects ? undefined : dialects };
}

function applyGuard(op: Operation, guard: Guard): void {
  if (guard.conditional) op.conditional = true;
  if (guard.dialects) op.dialects = op.dialects ? op.dialects.filter((d) => guard.dialects!.has(d)) : [...guard.dialects];
}

function bodyReturns(body: PhpNode | undefined): boolean {
  if (!body) return false;
  if (body.kind === 'return') return true;
  if (body.kind === 'block') return ((body.children ?? []) as PhpNode[]).some((c) => c.kind === 'return');
  return false;
}

function bindParams(method: PhpNode, args: PhpNode[], scope: Scope): Map<string, StringValue> {
  const vars = new Map(scope.vars);
  ((method.arguments ?? []) as PhpNode[]).forEach((p, i) => {
    const name = nameOf(p.name);
    if (!name) return;
    const arg = args[i] ?? p.value;
    const v = evalString(arg, scope);
    if ('value' in v) vars.set(name, v);
  });
  return vars;
}

/** A helper's parameters given a closure (`$this->alter('users', fn (Blueprint $t) => …)`); the others hold none. */
function bindCallbacks(method: PhpNode, args: PhpNode[], scope: Scope): Map<string, Callback> {
  const closures = new Map(scope.closures);
  ((method.arguments ?? []) as PhpNode[]).forEach((p, i) => {
    const name = nameOf(p.name);
    if (!name) return;
    const callback = callbackOf(args[i], scope);
    if (callback) closures.set(name, callback);
    else closures.delete(name);
  });
  return closures;
}

function findMigrationClass(ast: PhpNode): PhpNode | undefined {
  let found: PhpNode | undefined;
  walk(ast, (n) => {
    if (found) return false;
    if (n.kind === 'class') {
      const methods = ((n.body ?? []) as PhpNode[]).filter((b) => b.kind === 'method').map((b) => nameOf(b.name)?.toLowerCase());
      const ext = shortName(nameOf(n.extends)) ?? '';
      if (methods.includes('up') && (/Migration$/.test(ext) || n.isAnonymous)) found = n;
      return false;
    }
    return undefined;
  });
  return found;
}

/** Reads a Laravel migration file. */
export function readLaravelMigration(code: string, opts: LaravelReadOptions): LaravelReadResult {
  const id = basename(opts.file, extname(opts.file));
  const parsed = opts.ast ? { ast: opts.ast } : parsePhp(code, opts.file);
  if ('error' in parsed) {
    const e = parsed.error;
    return {
      migration: {
        id,
        file: opts.file,
        format: 'laravel',
        transactional: false,
        ops: [{ kind: 'raw', table: '', reason: `PHP syntax error: ${e.message} (line ${e.line})`, source: { file: opts.file, line: e.line, col: e.col, text: oneLine(code.split('\n')[e.line - 1] ?? '') }, statement: 0 }],
        suppressions: [],
      },
    };
  }
  const cls = findMigrationClass(parsed.ast);
  if (!cls) return { skipped: 'not a Laravel migration (no class with up() extending Migration)' };

  let withinTransaction = true;
  let connection: string | undefined;
  const methods = new Map<string, PhpNode>();
  const props = new Map<string, StringValue>();
  const constants = new Map<string, StringValue>();
  const arrays = new Map<string, PhpNode>();
  for (const member of (cls.body ?? []) as PhpNode[]) {
    if (member.kind === 'propertystatement') {
      for (const p of (member.properties ?? []) as PhpNode[]) {
        const name = nameOf(p.name);
        if (name === 'withinTransaction') withinTransaction = literal(p.value) !== false;
        if (name === 'connection') {
          const v = literal(p.value);
          if (typeof v === 'string') connection = v;
        }
        if (!name || !p.value) continue;
        if (p.value.kind === 'array') arrays.set(`this->${name}`, p.value);
        else {
          const v = evalString(p.value, {});
          if ('value' in v) props.set(name, v);
        }
      }
    } else if (member.kind === 'classconstant') {
      for (const c of (member.constants ?? []) as PhpNode[]) {
        const name = nameOf(c.name);
        if (!name || !c.value) continue;
        if (c.value.kind === 'array') arrays.set(`self::${name}`, c.value);
        else {
          const v = evalString(c.value, {});
          if ('value' in v) constants.set(name, v);
        }
      }
    } else if (member.kind === 'method') {
      const name = nameOf(member.name);
      if (name) methods.set(name.toLowerCase(), member);
    }
  }
  const transactional = opts.dialect === 'postgres' && withinTransaction;
  const readMethod = (name: string): { reader: LaravelReader } => {
    const reader = new LaravelReader(code, opts.file, opts.dialect, transactional);
    reader.setMethods(methods);
    const m = methods.get(name);
    const scope: Scope = {
      vars: new Map(),
      arrays: new Map(arrays),
      closures: new Map(),
      methods,
      driverVars: new Set(),
      guard: {},
      depth: 0,
      code,
      props,
      constants,
      resolveCall: (node) => resolveLaravelCall(node) ?? configString(node, scope),
      arrayOf: (node, s) => resolveArray(node, s as Scope),
      ...(opts.appConfig ? { appConfig: opts.appConfig } : {}),
      ...(connection ? { connection } : {}),
    };
    if (m) reader.execBlock(m.body?.children, scope);
    return { reader };
  };
  const up = readMethod('up').reader;
  const down = readMethod('down').reader;
  const suppressions = [...phpSuppressions(parsed.ast, up.statementLines), ...up.sqlSuppressions];
  const migration: Migration = {
    id,
    file: opts.file,
    format: 'laravel',
    transactional,
    ops: up.ops,
    suppressions,
    down: down.ops,
  };
  if (connection) migration.connection = connection;
  if (up.notes.length) {
    migration.notes = up.notes;
  }
  return { migration };
}

