import type { DataAction, Dialect, Operation, OpDraft, Suppression } from '../../ir/types.js';
import { nameOf, walk, type PhpNode } from '../../php/ast.js';
import { LocatedString, locatedLiteral } from '../../php/strings.js';
import { LineMap, oneLine } from '../../util/text.js';
import { postgresParserLoaded } from '../sql/postgres.js';
import { readSqlText } from '../sql/read.js';
import { lexSql } from '../sql/lex.js';
import { isKnownDoctrineType, TYPES_CONSTANTS, type DoctrineColumnOptions } from './dbal.js';
import { ALL_PLATFORMS, BIT, describeSet, dialectsOf, driverName, hasDialect, platformClass, platformName } from './platforms.js';
import { SchemaModel, type ChangeOrigin, type TableModel } from './schema.js';
import { constText, describeVal, dyn, expandChoices, partsOf, resolveParts, str, type ArrayItem, type DynVal, type QueryBuilderVal, type StrPart, type Sym, type Val } from './values.js';

/**
 * Runs a Doctrine migration's methods symbolically (no PHP is executed): follows assignments,
 * branches, loops over constant lists and calls to the class's own helper methods, and records
 * what reaches the database:
 *  - immediate: `$this->connection->executeStatement()` / insert() / update() … run while up() runs;
 *  - queued: `$this->addSql()` statements, run after up() returns;
 *  - the Schema API calls, diffed by DBAL after the queued SQL (see schema.ts).
 * Platform checks become the ops' `dialects`; other run-time conditions make ops `conditional`.
 */

interface Guard {
  /** Platforms this code runs on. */
  set: number;
  /** A run-time condition other than the platform decides whether it runs. */
  cond: boolean;
}

interface ClassInfo {
  name: string;
  methods: Map<string, PhpNode>;
  constants: Map<string, PhpNode>;
  properties: Map<string, PhpNode>;
}

export interface InterpretOptions {
  file: string;
  code: string;
  /** The dialect the migration is read for (Schema API types, the SQL parser). */
  dialect: Dialect;
  cls: ClassInfo;
  /** Platforms the base class limits the migration to. */
  baseSet: number;
  /** Constants of the other classes and interfaces declared in the same file, by short name. */
  otherConstants?: ReadonlyMap<string, ReadonlyMap<string, PhpNode>>;
  lines: LineMap;
}

/** Statement-level calls on `$this` to methods zdd cannot see that do not touch the database. */
const QUIET_HELPERS = /^(write|warnIf|log\w*|debug|info|notice|output\w*|preventEmptyMigrationWarning|suppress\w*(Warning|Error)|getDescription)$/i;
/** Helpers that guard the migration (it may be skipped): the rest becomes conditional. */
const GUARD_HELPERS = /^(skip\w*|assert\w*|check\w*|abort\w*|ensure\w*)$/i;
/** Connection methods that only read. */
const READ_METHODS = /^(fetch\w*|iterate\w*|executeQuery|query|select\w*|getSchemaManager|createSchemaManager|lastInsertId|quote\w*|getDatabase|getParams|getDriver|isTransactionActive|getTransactionNestingLevel)$/i;
const WRITE_METHODS = /^(executeStatement|executeUpdate|exec)$/i;
const NAME_LIKE = /(name|index|idx|key|fk|constraint|column|seq|sequence)s?$/i;

const MAX_DEPTH = 6;
const MAX_ITERATIONS = 500;

export class DoctrineInterpreter {
  readonly schema: SchemaModel;
  /** Connection calls, in run order (preUp, up). */
  readonly immediate: Operation[] = [];
  /** addSql statements, in order. */
  readonly queued: Operation[] = [];
  /** Connection calls in postUp (after the SQL ran). */
  readonly post: Operation[] = [];
  readonly suppressions: Suppression[] = [];
  /** Statement index → lines of the PHP statement, for `// zdd-ignore`. */
  readonly statementLines = new Map<number, { start: number; end: number }>();
  readonly notes: string[] = [];
  /** SQL statements whose run-time parts were replaced by names or placeholders. */
  substitutions = 0;
  /** Statements left out because they run only on platforms zdd does not lint (SQLite …). */
  skippedOtherPlatforms = 0;

  private guard: Guard;
  /** Platforms on which the migration is not aborted/skipped (applied to queued SQL and the schema diff at the end). */
  private runSet = ALL_PLATFORMS;
  private runConditional = false;
  private exits = 0;
  private aborts = 0;
  private vars = new Map<string, Val>();
  private readonly thisProps = new Map<string, Val>();
  private readonly statementOf = new Map<PhpNode, number>();
  private nextStatement = 0;
  private currentStatement: PhpNode | undefined;
  private phase: 'pre' | 'up' | 'post' = 'up';
  private depth = 0;
  private loopDepth = 0;
  private readonly evaluatingConstants = new Set<string>();
  /** Statement index → symbolic names the Schema-API calls of that statement used (index, key names). */
  private readonly symbolicNames = new Map<number, string[]>();

  constructor(private readonly o: InterpretOptions) {
    this.schema = new SchemaModel(o.dialect);
    this.guard = { set: o.baseSet, cond: false };
  }

  /** Runs one of the migration's methods (up, down, preUp, postUp). */
  run(method: PhpNode, phase: 'pre' | 'up' | 'post'): void {
    this.phase = phase;
    this.vars = new Map();
    const schemaParam = nameOf(method.arguments?.[0]?.name);
    if (schemaParam) this.vars.set(schemaParam, { t: 'schema' });
    this.guard = { set: this.o.baseSet & this.runSet, cond: this.runConditional };
    this.execBlock(method.body?.children ?? []);
  }

  /** Queued SQL and schema ops only run where the migration was not aborted: apply that now. */
  finish(): { schemaOps: Operation[] } {
    const schemaOps: Operation[] = [];
    for (const t of this.schema.tables.values()) {
      for (const cols of t.implicitIndexAssumed) this.notes.push(`DBAL also builds an index for the foreign key on ${cols} unless the table already has one on those columns; zdd assumes it has`);
    }
    for (const { draft, origin } of this.schema.emit()) {
      const set = dialectSetOf(origin.dialects);
      const op = this.place(draft, { line: origin.node.line, col: origin.node.col, text: origin.node.text }, origin.statement, { set, cond: !!origin.conditional });
      const symbolic = this.symbolicNames.get(origin.statement);
      if (symbolic) op.symbolicNames = symbolic;
      schemaOps.push(op);
    }
    for (const op of [...this.queued, ...schemaOps]) this.restrict(op, this.runSet, this.runConditional);
    return { schemaOps };
  }

  private restrict(op: Operation, set: number, cond: boolean): void {
    const own = dialectSetOf(op.dialects);
    const next = own & set;
    const d = dialectsOf(next);
    if (d) op.dialects = d;
    else delete op.dialects;
    if (cond) op.conditional = true;
  }

  // ───────────────────────────── statements ─────────────────────────────

  private execBlock(stmts: readonly PhpNode[]): void {
    for (const s of stmts) {
      if (this.guard.set === 0 && !this.guard.cond) return; // unreachable
      this.exec(s);
    }
  }

  private exec(s: PhpNode): void {
    // a platform-dependent value read in this statement narrows it (and only it)
    const n0 = this.narrow;
    try {
      this.execStatement(s);
    } finally {
      this.narrow = n0;
    }
  }

  private execStatement(s: PhpNode): void {
    switch (s.kind) {
      case 'expressionstatement': {
        const prev = this.currentStatement;
        this.currentStatement = s;
        this.statementExpr(s.expression);
        this.currentStatement = prev;
        return;
      }
      case 'block':
        this.execBlock(s.children ?? []);
        return;
      case 'if':
        this.execIf(s);
        return;
      case 'switch':
        this.execSwitch(s);
        return;
      case 'foreach':
        this.execForeach(s);
        return;
      case 'for':
      case 'while':
      case 'do':
        this.execLoopOnce(s.body);
        return;
      case 'try': {
        this.execBlock(s.body?.children ?? []);
        for (const c of (s.catches ?? []) as PhpNode[]) this.inConditional(() => this.execBlock(c.body?.children ?? []));
        if (s.always) this.execBlock(s.always.children ?? []);
        return;
      }
      case 'return': {
        const prev = this.currentStatement;
        this.currentStatement = s;
        if (s.expr) this.returnValue = this.evalVal(s.expr);
        this.currentStatement = prev;
        this.exitFlow();
        return;
      }
      case 'throw':
        this.abort({ set: ALL_PLATFORMS, exact: true });
        this.exitFlow();
        return;
      case 'exit':
        this.exitFlow();
        return;
      case 'break':
      case 'continue': {
        // ends the case or the iteration; the code after the switch or loop goes on from here
        const target = this.breakTargets[this.breakTargets.length - 1];
        if (target) {
          target.push({ guard: this.guard, vars: new Map(this.vars) });
          this.guard = { set: 0, cond: false };
        } else this.exitFlow();
        return;
      }
      default:
        return; // echo, unset, static, global, inline HTML, nested declarations: nothing for the database
    }
  }

  /**
   * A value that depends on the platform: the one for the dialect being read when this code can run
   * there, else the first that can run; the statement reading it is limited to those platforms.
   */
  private pickPlatform(v: { t: 'byPlatform'; options: Array<{ set: number; value: Val }> }): Val {
    const reach = this.guard.set & this.narrow;
    const options = v.options.filter((o) => o.set & reach);
    const pick = options.find((o) => hasDialect(o.set & reach, this.o.dialect)) ?? options.find((o) => o.set & (BIT.mysql | BIT.mariadb | BIT.postgres)) ?? options[0];
    if (!pick) return dyn('a value set for other platforms', 0);
    this.narrow &= pick.set;
    return pick.value;
  }

  private returnValue: Val | undefined;
  /** Flows that left a switch case or loop body by break/continue (innermost last). */
  private readonly breakTargets: Array<Array<{ guard: Guard; vars: Map<string, Val> }>> = [];
  /** Platforms the current statement is limited to by a platform-dependent value it read. */
  private narrow = ALL_PLATFORMS;
  /** Items yielded by the method being inlined (undefined once they cannot be known). */
  private yields: ArrayItem[] | undefined;

  private exitFlow(): void {
    this.exits++;
    this.guard = { set: 0, cond: false };
  }

  /** Code that may or may not run (a catch block, a loop body, a callback): what it emits is conditional. */
  private inConditional(fn: () => void): void {
    const g0 = this.guard;
    this.guard = { ...g0, cond: true };
    const e0 = this.exits;
    fn();
    // after it, the flow goes on where it did before, less what an abort inside took away
    this.guard = { set: g0.set & this.runSet, cond: this.exits !== e0 || g0.cond || this.runConditional };
  }

  private execIf(s: PhpNode): void {
    const g0 = this.guard;
    const c = this.evalCond(s.test);
    const e0 = this.exits;
    const vars0 = this.vars;
    this.vars = new Map(vars0);
    this.guard = and(g0, c);
    this.execBranch(s.body);
    const t: Flow = { guard: this.guard, vars: this.vars, cond: c };
    this.vars = new Map(vars0);
    this.guard = and(g0, not(c));
    if (s.alternate) this.execBranch(s.alternate);
    const f: Flow = { guard: this.guard, vars: this.vars, cond: not(c) };
    this.join(g0, vars0, [t, f], this.exits !== e0, c.exact);
  }

  /**
   * Where branches meet again: the flow goes on where any branch went on, and a variable that the
   * branches set differently holds a value per platform (platform branches) or one of the values
   * (other run-time conditions).
   */
  private join(g0: Guard, vars0: Map<string, Val>, flows: Flow[], exited: boolean, exact: boolean): void {
    const live = flows.filter((f) => f.guard.set !== 0 || f.guard.cond);
    if (!exact && !exited) this.guard = { set: g0.set & this.runSet, cond: g0.cond };
    else this.guard = { set: live.reduce((a, f) => a | f.guard.set, 0) & this.runSet, cond: live.some((f) => f.guard.cond) || (!exact && exited) || g0.cond };
    if (!live.length) {
      this.vars = vars0;
      return;
    }
    const merged = new Map(vars0);
    const names = new Set(live.flatMap((f) => [...f.vars.keys()]));
    for (const name of names) {
      const values = live.map((f) => f.vars.get(name) ?? vars0.get(name));
      const first = values[0];
      if (values.every((v) => v === first)) {
        if (first) merged.set(name, first);
        continue;
      }
      const defined = live.map((f, i) => ({ f, v: values[i] })).filter((x): x is { f: Flow; v: Val } => x.v !== undefined);
      if (defined.length === 1) merged.set(name, defined[0]!.v);
      else if (exact && defined.every((x) => x.f.cond.exact)) merged.set(name, { t: 'byPlatform', options: defined.flatMap((x) => platformOptions(x.v, x.f.cond.set)) });
      else if (defined.every((x) => textual(x.v))) merged.set(name, { t: 'choice', options: defined.map((x) => x.v) });
      else merged.set(name, dyn(`variable $${name} set differently in branches`, 0));
    }
    this.vars = merged;
  }

  private execBranch(node: PhpNode): void {
    if (node.kind === 'block') this.execBlock(node.children ?? []);
    else this.exec(node);
  }

  private execSwitch(s: PhpNode): void {
    const g0 = this.guard;
    const vars0 = this.vars;
    const subject = this.evalVal(s.test);
    const cases = (s.body?.children ?? []) as PhpNode[];
    let pending: Cond | undefined;
    let seen: Cond = { set: 0, exact: true };
    const e0 = this.exits;
    const flows: Flow[] = [];
    let exact = true;
    for (const c of cases) {
      const cond: Cond = c.test ? this.caseCond(subject, c.test) : not(seen);
      exact &&= cond.exact;
      pending = pending ? or(pending, cond) : cond;
      if (c.test) seen = or(seen, cond);
      const body = (c.body?.children ?? []) as PhpNode[];
      if (!body.length) continue;
      this.guard = and(g0, pending);
      this.vars = new Map(vars0);
      this.breakTargets.push([]);
      this.execBlock(body);
      const breaks = this.breakTargets.pop()!;
      for (const b of breaks) flows.push({ guard: b.guard, vars: b.vars, cond: pending });
      flows.push({ guard: this.guard, vars: this.vars, cond: pending });
      pending = undefined;
    }
    if (!cases.some((c) => !c.test)) flows.push({ guard: and(g0, not(seen)), vars: new Map(vars0), cond: not(seen) });
    this.join(g0, vars0, flows, this.exits !== e0, exact);
  }

  private caseCond(subject: Val, test: PhpNode): Cond {
    if (subject.t === 'bool' && subject.v) return this.evalCond(test);
    const v = this.evalVal(test);
    return compare(subject, v) ?? { set: ALL_PLATFORMS, exact: false };
  }

  private execForeach(s: PhpNode): void {
    const source = this.evalVal(s.source);
    const keyName = s.key?.kind === 'variable' ? nameOf(s.key) : undefined;
    const valueName = s.value?.kind === 'variable' ? nameOf(s.value) : undefined;
    const listNames = s.value?.kind === 'list' ? ((s.value.items ?? []) as PhpNode[]).map((it) => nameOf(it?.value ?? it)) : undefined;
    if (source.t === 'arr' && source.items.length <= MAX_ITERATIONS) {
      const g0 = this.guard;
      const e0 = this.exits;
      this.loopDepth++;
      this.breakTargets.push([]);
      for (const item of source.items) {
        this.guard = g0;
        if (keyName) this.vars.set(keyName, item.keyVal ?? (item.key === undefined ? dyn('array key', s.loc?.start.offset ?? 0) : typeof item.key === 'number' ? { t: 'num', v: item.key } : str(LocatedString.synthetic(item.key, s.loc?.start.offset ?? 0))));
        if (valueName) this.vars.set(valueName, item.value);
        if (listNames) {
          const inner = item.value.t === 'arr' ? item.value.items : [];
          listNames.forEach((n, i) => n && this.vars.set(n, inner[i]?.value ?? dyn(`list item ${i}`, s.loc?.start.offset ?? 0)));
        }
        this.execBranch(s.body);
      }
      this.breakTargets.pop();
      this.loopDepth--;
      this.guard = this.exits !== e0 ? { set: g0.set & this.runSet, cond: true } : { set: g0.set & this.runSet, cond: g0.cond || this.runConditional };
      return;
    }
    const at = s.source?.loc?.start.offset ?? 0;
    const what = `loop variable over ${describeVal(source)}`;
    if (keyName) this.vars.set(keyName, dyn(`${what} (key)`, at));
    if (valueName) this.vars.set(valueName, dyn(`${what}`, at));
    for (const n of listNames ?? []) if (n) this.vars.set(n, dyn(what, at));
    this.execLoopOnce(s.body);
  }

  /** A loop zdd cannot unroll: its body once, as conditional (it may run zero or many times). */
  private execLoopOnce(body: PhpNode | undefined): void {
    if (!body) return;
    // what the body changes differs from one iteration to the next: unknown inside and after the loop
    const changed = assignedVariables(body);
    const forget = (): void => {
      for (const name of changed) this.vars.set(name, dyn(`variable $${name} (changed in a loop)`, this.at(body)));
    };
    forget();
    this.loopDepth++;
    this.breakTargets.push([]);
    this.inConditional(() => this.execBranch(body));
    this.breakTargets.pop();
    this.loopDepth--;
    forget();
  }

  /** An expression used as a statement: calls do things; assignments bind. */
  private statementExpr(e: PhpNode | undefined): void {
    if (!e) return;
    if (e.kind === 'call') {
      const what = e.what as PhpNode;
      if (what.kind === 'propertylookup' || what.kind === 'nullsafepropertylookup') {
        // only `$this->x(…)` itself (looked at, not evaluated: evaluating twice would run calls twice)
        const onThis = what.what?.kind === 'variable' && nameOf(what.what) === 'this';
        if (onThis && what.offset?.kind !== 'identifier') {
          // `$this->$method()`: which method runs is decided at run time
          this.emitRaw(`calls ${this.text(what)}(), a method whose name is known only at run time: zdd cannot see what SQL it runs`, '', e, 'queued');
          return;
        }
        const name = nameOf(what.offset);
        if (onThis && name && !this.o.cls.methods.has(name.toLowerCase()) && !KNOWN_THIS_METHODS.has(name.toLowerCase()) && !isNameHelper(name)) {
          this.unknownThisCall(name, e);
          return;
        }
      }
    }
    this.evalVal(e);
  }

  private unknownThisCall(name: string, e: PhpNode): void {
    // evaluate arguments for their own effects (closures are not run)
    if (QUIET_HELPERS.test(name)) return;
    if (GUARD_HELPERS.test(name)) {
      this.runConditional = true;
      this.guard = { ...this.guard, cond: true };
      return;
    }
    this.emitRaw(`calls $this->${name}(), which is not defined in this file (a base-class helper): zdd cannot see what SQL it runs`, '', e, 'queued');
  }

  // ───────────────────────────── expressions ─────────────────────────────

  private at(node: PhpNode | undefined): number {
    return node?.loc?.start.offset ?? 0;
  }

  private text(node: PhpNode): string {
    if (!node.loc) return node.kind;
    return oneLine(this.o.code.slice(node.loc.start.offset, node.loc.end.offset), 120);
  }

  evalVal(n: PhpNode | undefined): Val {
    let v = this.evalNode(n);
    if (v.t === 'byPlatform') v = this.pickPlatform(v);
    if (v.t === 'dyn' && n && ((!v.text && !v.textOf) || n.kind === 'variable')) {
      const { text: _text, ...rest } = v;
      return { ...rest, textOf: () => this.text(n) };
    }
    return v;
  }

  private evalNode(n: PhpNode | undefined): Val {
    if (!n) return dyn('missing value', 0);
    switch (n.kind) {
      case 'string':
      case 'nowdoc':
        return str(locatedLiteral(n, this.o.code));
      case 'encapsed': {
        if (n.type === 'shell') return dyn('shell command', this.at(n));
        const parts: StrPart[] = [];
        for (const part of (n.value ?? []) as PhpNode[]) {
          const inner = part.kind === 'encapsedpart' ? part.expression : part;
          if (inner.kind === 'string') parts.push({ ls: locatedLiteral(inner, this.o.code, n) });
          else parts.push(...partsOf(this.evalVal(inner), this.at(inner)).map((p) => ('dyn' in p ? { dyn: withReason(p.dyn, `interpolated ${p.dyn.reason}`) } : p)));
        }
        return { t: 'str', parts };
      }
      case 'number':
        return { t: 'num', v: Number(n.value) };
      case 'boolean':
        return { t: 'bool', v: !!n.value };
      case 'nullkeyword':
        return { t: 'null' };
      case 'array':
        return this.evalArray(n);
      case 'variable': {
        const name = nameOf(n);
        if (name === 'this') return { t: 'this' };
        if (!name) return dyn('variable variable', this.at(n));
        const v = this.vars.get(name);
        return v ?? dyn(`variable $${name}`, this.at(n), /prefix/i.test(name) ? { kind: 'prefix' } : undefined);
      }
      case 'bin':
        return this.evalBin(n);
      case 'unary':
        if (n.type === '!') return condVal(not(this.evalCond(n.what)));
        if (n.type === '-') {
          const v = this.evalVal(n.what);
          return v.t === 'num' ? { t: 'num', v: -v.v } : dyn('negative expression', this.at(n));
        }
        return dyn(`${n.type} expression`, this.at(n));
      case 'cast': {
        const v = this.evalVal(n.expr);
        if (n.type === 'string' && (v.t === 'str' || v.t === 'num')) return v.t === 'num' ? str(LocatedString.synthetic(String(v.v), this.at(n))) : v;
        if ((n.type === 'int' || n.type === 'float') && v.t === 'num') return v;
        if (n.type === 'bool' && (v.t === 'cond' || v.t === 'bool')) return v;
        return dyn(`(${n.type}) cast`, this.at(n));
      }
      case 'retif': {
        const c = this.evalCond(n.test);
        if (c.exact && (c.set === ALL_PLATFORMS || c.set === 0)) return this.evalVal(c.set ? (n.trueExpr ?? n.test) : n.falseExpr);
        if (c.exact) return { t: 'byPlatform', options: [...platformOptions(this.evalNode(n.trueExpr ?? n.test), c.set), ...platformOptions(this.evalNode(n.falseExpr), ALL_PLATFORMS & ~c.set)] };
        {
          const a = this.evalVal(n.trueExpr ?? n.test);
          const b = this.evalVal(n.falseExpr);
          const textual = (v: Val): boolean => v.t === 'str' || v.t === 'num' || v.t === 'null' || v.t === 'choice';
          if (textual(a) && textual(b)) return { t: 'choice', options: [a, b] };
        }
        return dyn('conditional expression', this.at(n));
      }
      case 'assign':
        return this.evalAssign(n);
      case 'propertylookup':
      case 'nullsafepropertylookup':
        return this.evalProperty(n);
      case 'staticlookup':
        return this.evalStatic(n);
      case 'call':
        return this.evalCall(n);
      case 'name': {
        const nm = String(n.name ?? '');
        if (/^true$/i.test(nm)) return { t: 'bool', v: true };
        if (/^false$/i.test(nm)) return { t: 'bool', v: false };
        if (/^null$/i.test(nm)) return { t: 'null' };
        if (/prefix/i.test(nm)) return dyn(`constant ${nm}`, this.at(n), { kind: 'prefix' });
        return dyn(`constant ${nm}`, this.at(n));
      }
      case 'closure':
      case 'arrowfunc':
        return { t: 'closure', node: n };
      case 'new':
        return dyn(`new ${nameOf(n.what) ?? 'object'}`, this.at(n));
      case 'offsetlookup': {
        const base = this.evalVal(n.what);
        const key = n.offset ? this.evalVal(n.offset) : undefined;
        if (base.t === 'arr' && key) {
          const k = key.t === 'num' ? key.v : constText(key);
          const hit = base.items.find((it) => it.key === k || (typeof k === 'string' && String(it.key) === k));
          if (hit) return hit.value;
          if (typeof k === 'number' && base.items.every((it) => it.key === undefined) && base.items[k]) return base.items[k]!.value;
        }
        return dyn(`array element of ${describeVal(base)}`, this.at(n));
      }
      case 'yield': {
        const value = n.value ? this.evalVal(n.value) : { t: 'null' as const };
        const key = n.key ? this.evalVal(n.key) : undefined;
        const k = key ? (key.t === 'num' ? key.v : constText(key)) : undefined;
        this.yields?.push(k !== undefined ? { key: k, value } : { key: this.yields.length, value });
        return dyn('yield', this.at(n));
      }
      case 'yieldfrom': {
        const v = this.evalVal(n.value);
        if (v.t === 'arr') this.yields?.push(...v.items);
        else this.yields = undefined;
        return dyn('yield from', this.at(n));
      }
      case 'match':
        return dyn('match expression', this.at(n));
      default:
        return dyn(`${n.kind} expression`, this.at(n));
    }
  }

  private evalArray(n: PhpNode): Val {
    const items: ArrayItem[] = [];
    let next = 0;
    for (const it of (n.items ?? []) as PhpNode[]) {
      if (!it) continue;
      const entry: PhpNode = it.kind === 'entry' ? it : { kind: 'entry', value: it };
      if (entry.unpack) {
        const v = this.evalVal(entry.value);
        if (v.t === 'arr') items.push(...v.items);
        continue;
      }
      let key: string | number | undefined;
      let keyVal: Val | undefined;
      if (entry.key) {
        const k = this.evalVal(entry.key);
        key = k.t === 'num' ? k.v : constText(k);
        if (key === undefined) keyVal = k;
      }
      if (key === undefined && !entry.key) key = next++;
      else if (typeof key === 'number') next = key + 1;
      const value = this.evalVal(entry.value);
      items.push(keyVal ? { keyVal, value } : { key, value });
    }
    // a plain list: keys are positions
    return { t: 'arr', items };
  }

  private evalBin(n: PhpNode): Val {
    const type = String(n.type);
    if (type === '.') {
      const l = this.evalVal(n.left);
      const r = this.evalVal(n.right);
      return { t: 'str', parts: [...partsOf(l, this.at(n.left)), ...partsOf(r, this.at(n.right))] };
    }
    if (type === 'instanceof') {
      const l = this.evalVal(n.left);
      const cls = nameOf(n.right);
      if (l.t === 'platform' && cls) {
        const set = platformClass(cls);
        if (set !== undefined) return { t: 'cond', set, exact: true };
      }
      return dyn(`instanceof ${cls ?? '?'}`, this.at(n));
    }
    if (type === '&&' || type === 'and') return condVal(and2(this.evalCond(n.left), this.evalCond(n.right)));
    if (type === '||' || type === 'or') return condVal(or(this.evalCond(n.left), this.evalCond(n.right)));
    if (type === '===' || type === '==' || type === '!==' || type === '!=') {
      const c = compare(this.evalVal(n.left), this.evalVal(n.right));
      if (c) return condVal(type.startsWith('!') ? not(c) : c);
      return dyn(`${type} comparison`, this.at(n));
    }
    if (type === '??') {
      const l = this.evalVal(n.left);
      return l.t === 'dyn' || l.t === 'null' ? this.evalVal(n.right) : l;
    }
    if (type === '+' || type === '-' || type === '*') {
      const l = this.evalVal(n.left);
      const r = this.evalVal(n.right);
      if (l.t === 'num' && r.t === 'num') return { t: 'num', v: type === '+' ? l.v + r.v : type === '-' ? l.v - r.v : l.v * r.v };
    }
    return dyn(`${type} expression`, this.at(n));
  }

  private evalAssign(n: PhpNode): Val {
    const op = String(n.operator ?? '=');
    const left = n.left as PhpNode;
    let value: Val;
    if (op === '=') value = this.evalNode(n.right); // keeps a value per platform as it is
    else if (op === '.=') {
      const before = this.evalVal(left);
      const r = this.evalVal(n.right);
      value = { t: 'str', parts: [...partsOf(before, this.at(left)), ...partsOf(r, this.at(n.right))] };
    } else if (op === '??=') {
      const before = this.evalVal(left);
      value = before.t === 'dyn' || before.t === 'null' ? this.evalVal(n.right) : before;
    } else value = dyn(`${op} assignment`, this.at(n));
    this.bind(left, value);
    return value;
  }

  private bind(left: PhpNode, value: Val): void {
    if (left.kind === 'variable') {
      const name = nameOf(left);
      if (name && name !== 'this') this.vars.set(name, value);
      return;
    }
    if ((left.kind === 'propertylookup' || left.kind === 'staticlookup') && (left.what?.kind === 'variable' ? nameOf(left.what) === 'this' : ['selfreference', 'staticreference'].includes(left.what?.kind))) {
      const prop = nameOf(left.offset);
      if (prop) this.thisProps.set(prop.toLowerCase(), value);
      return;
    }
    if (left.kind === 'list' || left.kind === 'array') {
      const items = (left.items ?? []) as PhpNode[];
      items.forEach((it, i) => {
        const target = it?.kind === 'entry' ? it.value : it;
        if (!target) return;
        const v = value.t === 'arr' ? value.items[i]?.value : undefined;
        this.bind(target, v ?? dyn('list assignment', this.at(target)));
      });
      return;
    }
    if (left.kind === 'offsetlookup' && left.what?.kind === 'variable') {
      // $arr[] = x / $arr['k'] = x: extend a known array
      const name = nameOf(left.what);
      if (!name) return;
      const arr = this.vars.get(name);
      const items = arr?.t === 'arr' ? [...arr.items] : [];
      if (!left.offset) items.push({ key: items.length, value });
      else {
        const k = this.evalVal(left.offset);
        const key = k.t === 'num' ? k.v : constText(k);
        if (key === undefined) {
          this.vars.set(name, dyn(`array $${name} with a computed key`, this.at(left)));
          return;
        }
        const i = items.findIndex((it) => it.key === key);
        if (i >= 0) items[i] = { key, value };
        else items.push({ key, value });
      }
      this.vars.set(name, arr && arr.t !== 'arr' && arr.t !== 'null' ? dyn(`array $${name}`, this.at(left)) : { t: 'arr', items });
    }
  }

  private evalProperty(n: PhpNode): Val {
    const obj = this.evalVal(n.what);
    const name = nameOf(n.offset);
    if (!name) return dyn('dynamic property', this.at(n));
    if (obj.t === 'this') {
      const lower = name.toLowerCase();
      if (lower === 'connection') return { t: 'conn' };
      if (lower === 'platform') return { t: 'platform' };
      if (lower === 'sm' || lower === 'schemamanager') return dyn('the schema manager', this.at(n));
      const own = this.thisProps.get(lower);
      if (own) return own;
      const decl = this.o.cls.properties.get(lower);
      if (decl?.value) return this.evalConstant(`prop:${lower}`, decl.value);
      return dyn(`property $this->${name}`, this.at(n), propertySym(name, this.text(n)));
    }
    return dyn(`property ->${name} of ${describeVal(obj)}`, this.at(n));
  }

  private evalStatic(n: PhpNode): Val {
    const what = n.what as PhpNode;
    const cls = what.kind === 'selfreference' || what.kind === 'staticreference' ? 'self' : nameOf(what);
    const own = cls === 'self' || (cls !== undefined && cls.replace(/^.*\\/, '') === this.o.cls.name);
    if (n.offset?.kind === 'variable') {
      const prop = nameOf(n.offset)?.toLowerCase();
      if (own && prop) {
        const v = this.thisProps.get(prop);
        if (v) return v;
        const decl = this.o.cls.properties.get(prop);
        if (decl?.value) return this.evalConstant(`prop:${prop}`, decl.value);
      }
      return dyn(`static property ${cls ?? '?'}::$${nameOf(n.offset) ?? '?'}`, this.at(n));
    }
    const c = nameOf(n.offset);
    if (!c) return dyn('dynamic class constant', this.at(n));
    if (c.toLowerCase() === 'class') return own ? str(LocatedString.synthetic(this.o.cls.name, this.at(n))) : dyn(`${cls}::class`, this.at(n));
    if (own) {
      const decl = this.o.cls.constants.get(c);
      if (decl) return this.evalConstant(`const:${c}`, decl);
    }
    const short = cls?.replace(/^.*\\/, '');
    if ((short === 'Types' || short === 'Type') && TYPES_CONSTANTS[c]) return str(LocatedString.synthetic(TYPES_CONSTANTS[c]!, this.at(n)));
    // a class declared in this file: its constant is read like the migration's own
    const other = short !== undefined ? this.o.otherConstants?.get(short)?.get(c) : undefined;
    if (other) return this.evalConstant(`const:${short}::${c}`, other);
    // another class's constant: a fixed value zdd cannot see, usable as a symbolic name
    return dyn(`constant ${short ?? '?'}::${c}, of a class declared in another file`, this.at(n), /prefix/i.test(c) ? { kind: 'prefix' } : { kind: 'name', text: `${short ?? '?'}::${c}` });
  }

  private evalConstant(key: string, node: PhpNode): Val {
    if (this.evaluatingConstants.has(key)) return dyn(`recursive ${key}`, this.at(node));
    this.evaluatingConstants.add(key);
    try {
      return this.evalVal(node);
    } finally {
      this.evaluatingConstants.delete(key);
    }
  }

  /** A condition: the platforms on which it is true, and whether that is all that decides it. */
  evalCond(n: PhpNode | undefined): Cond {
    const v = this.evalVal(n);
    if (v.t === 'cond') return { set: v.set, exact: v.exact };
    if (v.t === 'bool') return { set: v.v ? ALL_PLATFORMS : 0, exact: true };
    return { set: ALL_PLATFORMS, exact: false };
  }

  // ───────────────────────────── calls ─────────────────────────────

  private evalCall(n: PhpNode): Val {
    const what = n.what as PhpNode;
    const args = (n.arguments ?? []) as PhpNode[];
    if (what.kind === 'propertylookup' || what.kind === 'nullsafepropertylookup') {
      const obj = this.evalVal(what.what);
      const name = what.offset?.kind === 'identifier' ? nameOf(what.offset) : undefined;
      if (!name) return dyn(`call to ${this.text(what)}(), a method named at run time`, this.at(n));
      return this.callMethod(obj, name, args, n);
    }
    if (what.kind === 'staticlookup') {
      const cls = what.what?.kind === 'selfreference' || what.what?.kind === 'staticreference' ? 'self' : nameOf(what.what);
      const name = nameOf(what.offset);
      if (!name) return dyn('dynamic static call', this.at(n));
      const short = cls?.replace(/^.*\\/, '');
      if ((short === 'Type' || short === 'Types') && name === 'getType') {
        const t = constText(this.evalVal(args[0]));
        return t ? { t: 'type', name: t } : dyn('Type::getType() of a computed name', this.at(n));
      }
      if ((cls === 'self' || short === this.o.cls.name) && this.o.cls.methods.has(name.toLowerCase())) return this.inline(name, args, n);
      if (cls === 'parent') return dyn(`parent::${name}()`, this.at(n));
      return dyn(`call to ${short ?? '?'}::${name}()`, this.at(n));
    }
    if (what.kind === 'name') return this.callFunction(String(what.name).replace(/^\\/, ''), args, n);
    if (what.kind === 'variable') {
      const v = this.evalVal(what);
      if (v.t === 'closure') return this.runClosure(v.node, args);
    }
    return dyn('call to a computed function', this.at(n));
  }

  private callFunction(fn: string, args: PhpNode[], n: PhpNode): Val {
    const lower = fn.toLowerCase();
    const at = this.at(n);
    switch (lower) {
      case 'sprintf':
      case 'vsprintf':
        return this.sprintf(args, n, lower === 'vsprintf');
      case 'implode':
      case 'join': {
        let sep = this.evalVal(args[0]);
        let arr = this.evalVal(args[1]);
        if (sep.t === 'arr') [sep, arr] = [arr, sep];
        if (arr.t !== 'arr') return dyn(`${fn}() of ${describeVal(arr)}`, at);
        const parts: StrPart[] = [];
        arr.items.forEach((it, i) => {
          if (i) parts.push(...partsOf(sep, at));
          parts.push(...partsOf(it.value, at));
        });
        return { t: 'str', parts };
      }
      case 'explode': {
        const sep = constText(this.evalVal(args[0]));
        const v = this.evalVal(args[1]);
        if (sep === undefined || (v.t !== 'str' && v.t !== 'num')) return dyn(`explode() of ${describeVal(v)}`, at);
        // splitting SQL text (wallabag: one statement per heredoc line): resolve its run-time parts as SQL first
        const r = resolveParts(partsOf(v, at), 'sql', this.o.dialect);
        if ('dynamic' in r) return dyn(`explode() of a string with ${r.dynamic}`, at);
        if (r.substituted) this.substitutions++;
        return { t: 'arr', items: r.ls.split(sep).map((ls, i) => ({ key: i, value: str(ls) })) };
      }
      case 'trim':
      case 'rtrim':
      case 'ltrim': {
        const v = this.evalVal(args[0]);
        // with a character list: left as it is
        return args.length > 1 ? v : this.callFunctionOnValue(lower, v, at);
      }
      case 'strtolower':
      case 'strtoupper':
        return this.callFunctionOnValue(lower, this.evalVal(args[0]), at);
      case 'str_replace': {
        const search = constText(this.evalVal(args[0]));
        const replace = constText(this.evalVal(args[1]));
        const s = this.resolvedConstant(this.evalVal(args[2]));
        if (search === undefined || replace === undefined || !s || !search) return dyn('str_replace() result', at);
        const edits: Array<{ from: number; to: number; text: string }> = [];
        for (let i = s.value.indexOf(search); i !== -1; i = s.value.indexOf(search, i + search.length)) edits.push({ from: i, to: i + search.length, text: replace });
        return str(s.edit(edits));
      }
      case 'array_merge': {
        const items: ArrayItem[] = [];
        for (const a of args) {
          const v = this.evalVal(a);
          if (v.t !== 'arr') return dyn(`array_merge() with ${describeVal(v)}`, at);
          for (const it of v.items) {
            if (typeof it.key === 'string') {
              const i = items.findIndex((x) => x.key === it.key);
              if (i >= 0) items[i] = it;
              else items.push(it);
            } else items.push({ key: items.length, value: it.value });
          }
        }
        return { t: 'arr', items };
      }
      case 'array_filter':
      case 'array_values':
      case 'array_unique': {
        const v = this.evalVal(args[0]);
        if (v.t !== 'arr') return v;
        const items = lower === 'array_filter' && args.length === 1 ? v.items.filter((it) => constText(it.value) !== '' && !(it.value.t === 'null' || (it.value.t === 'bool' && !it.value.v))) : v.items;
        return { t: 'arr', items: items.map((it, i) => ({ key: i, value: it.value })) };
      }
      case 'array_map': {
        const cb = this.evalVal(args[0]);
        const v = this.evalVal(args[1]);
        const fnName = constText(cb);
        if (v.t === 'arr' && fnName && /^(trim|rtrim|ltrim|strtolower|strtoupper)$/.test(fnName)) {
          return { t: 'arr', items: v.items.map((it) => ({ key: it.key, value: this.callFunctionOnValue(fnName, it.value, at) })) };
        }
        if (cb.t === 'closure' && v.t === 'arr' && v.items.length <= MAX_ITERATIONS) {
          return { t: 'arr', items: v.items.map((it) => ({ key: it.key, value: this.runClosureWith(cb.node, [it.value]) })) };
        }
        return dyn('array_map() result', at);
      }
      case 'array_walk': {
        const v = this.evalVal(args[0]);
        const cb = this.evalVal(args[1]);
        if (cb.t === 'closure' && v.t === 'arr') for (const it of v.items) this.runClosureWith(cb.node, [it.value, it.key === undefined ? dyn('key', at) : typeof it.key === 'number' ? { t: 'num', v: it.key } : str(LocatedString.synthetic(it.key, at))]);
        else if (cb.t === 'closure') this.inConditional(() => this.runClosureWith(cb.node, [dyn('array_walk item', at)]));
        return { t: 'bool', v: true };
      }
      case 'in_array': {
        const needle = this.evalVal(args[0]);
        const hay = this.evalVal(args[1]);
        if ((needle.t === 'platformName' || needle.t === 'platform') && hay.t === 'arr') {
          let set = 0;
          for (const it of hay.items) {
            const c = compare(needle, it.value);
            if (!c) return dyn('in_array() check', at);
            set |= c.set;
          }
          return { t: 'cond', set, exact: true };
        }
        return dyn('in_array() check', at);
      }
      case 'get_class':
        return dyn('get_class()', at);
      case 'count':
      case 'strlen':
        return dyn(`${fn}()`, at);
      case 'is_a': {
        const obj = this.evalVal(args[0]);
        const cls = constText(this.evalVal(args[1]));
        const set = cls ? platformClass(cls) : undefined;
        if (obj.t === 'platform' && set !== undefined) return { t: 'cond', set, exact: true };
        return dyn('is_a() check', at);
      }
      default:
        // a closure or callback passed to anything else may hold SQL: read it as conditional code
        for (const a of args) {
          const v = a.kind === 'closure' || a.kind === 'arrowfunc' ? a : undefined;
          if (v) this.inConditional(() => this.runClosureWith(v, []));
        }
        return dyn(`call to ${fn}()`, at);
    }
  }

  /** A string function applied to a value (a direct call, or a callback of array_map). */
  private callFunctionOnValue(fn: string, v: Val, at: number): Val {
    const s = this.resolvedConstant(v);
    // trimming a run-time string leaves what is known of it; changing its case does not
    if (!s) return fn === 'strtolower' || fn === 'strtoupper' ? dyn(`${fn}() of a run-time string`, at) : v;
    if (fn === 'trim') return str(s.trim());
    if (fn === 'rtrim') return str(s.slice(0, s.value.trimEnd().length));
    if (fn === 'ltrim') return str(s.slice(s.length - s.value.trimStart().length));
    if (fn === 'strtolower') return str(new LocatedString(s.value.toLowerCase(), s.offsets));
    if (fn === 'strtoupper') return str(new LocatedString(s.value.toUpperCase(), s.offsets));
    return dyn(`${fn}()`, at);
  }

  /** A string value with only literal parts (no substitution), with positions. */
  private resolvedConstant(v: Val): LocatedString | undefined {
    if (v.t === 'num') return LocatedString.synthetic(String(v.v), 0);
    if (v.t !== 'str') return undefined;
    if (v.parts.some((p) => 'dyn' in p && p.dyn.sym?.kind !== 'prefix')) return undefined;
    const r = resolveParts(v.parts, 'sql', this.o.dialect);
    return 'ls' in r ? r.ls : undefined;
  }

  private sprintf(args: PhpNode[], n: PhpNode, v: boolean): Val {
    const fmt = this.evalVal(args[0]);
    const fmtText = this.resolvedConstant(fmt);
    if (!fmtText) return dyn(`sprintf() with a run-time format`, this.at(n));
    let values: Val[];
    if (v) {
      const arr = this.evalVal(args[1]);
      if (arr.t !== 'arr') return dyn('vsprintf() arguments', this.at(n));
      values = arr.items.map((it) => it.value);
    } else values = args.slice(1).map((a) => this.evalVal(a));
    const parts: StrPart[] = [];
    let pos = 0;
    let next = 0;
    const re = /%(?:(\d+)\$)?[-+ 0]*(?:'.)?\d*(?:\.\d+)?([bcdeEfFgGosuxX%])/g;
    for (let m = re.exec(fmtText.value); m; m = re.exec(fmtText.value)) {
      parts.push({ ls: fmtText.slice(pos, m.index) });
      pos = m.index + m[0].length;
      if (m[2] === '%') {
        parts.push({ ls: fmtText.slice(m.index, m.index + 1) });
        continue;
      }
      const arg = m[1] ? values[Number(m[1]) - 1] : values[next++];
      const at = fmtText.fileOffset(m.index);
      if (!arg) {
        parts.push({ dyn: dyn('missing sprintf() argument', at) });
        continue;
      }
      if (m[2] === 'd' || m[2] === 'u') {
        parts.push(arg.t === 'num' ? { ls: LocatedString.synthetic(String(Math.trunc(arg.v)), at) } : { dyn: arg.t === 'dyn' ? { ...arg, sym: arg.sym?.kind === 'literal' ? undefined : arg.sym, reason: `sprintf() argument ${arg.reason}` } : dyn(`sprintf() argument ${describeVal(arg)}`, at) });
        continue;
      }
      parts.push(...partsOf(arg, at).map((p) => ('dyn' in p ? { dyn: withReason(p.dyn, `sprintf() argument ${p.dyn.reason}`) } : p)));
    }
    parts.push({ ls: fmtText.slice(pos) });
    return { t: 'str', parts };
  }

  private callMethod(obj: Val, name: string, args: PhpNode[], n: PhpNode): Val {
    const lower = name.toLowerCase();
    const at = this.at(n);
    switch (obj.t) {
      case 'this':
        return this.thisMethod(lower, name, args, n);
      case 'conn':
        return this.connMethod(lower, args, n);
      case 'platform':
        if (lower === 'getname') return { t: 'platformName' };
        if (lower === 'quoteidentifier' || lower === 'quotesingleidentifier') {
          const v = constText(this.evalVal(args[0]));
          return v ? dyn(`$platform->${name}()`, at, { kind: 'table', name: v }) : dyn(`$platform->${name}()`, at);
        }
        return dyn(`$platform->${name}()`, at);
      case 'schema':
        return this.schemaMethod(lower, name, args, n);
      case 'table':
        return this.tableMethod(obj.model, lower, name, args, n);
      case 'column':
        return this.columnMethod(obj, lower, name, args, n);
      case 'qb':
        return this.queryBuilderMethod(obj, lower, args, n);
      case 'stmt':
        if (/^(execute|executestatement|executequery)$/.test(lower)) {
          this.emitSqlValue(obj.sql, n, 'immediate', { params: true, read: lower === 'executequery' });
          return dyn('statement result', at);
        }
        return obj;
      case 'dyn':
        if (lower === 'getdatabaseplatform') return { t: 'platform' };
        if (lower === 'getname' && /getDriver/.test(obj.reason)) return { t: 'platformName', driver: true };
        return dyn(`${obj.reason}->${name}()`, at);
      default:
        return dyn(`${describeVal(obj)}->${name}()`, at);
    }
  }

  private thisMethod(lower: string, name: string, args: PhpNode[], n: PhpNode): Val {
    const at = this.at(n);
    switch (lower) {
      case 'addsql': {
        const v = this.evalVal(args[0]);
        if (v.t === 'arr') for (const it of v.items) this.emitSqlValue(it.value, n, 'queued', { params: args.length > 1 });
        else this.emitSqlValue(v, n, 'queued', { params: args.length > 1 });
        return { t: 'null' };
      }
      case 'abortif':
      case 'skipif': {
        const c = this.evalCond(args[0]);
        this.abort(c);
        return { t: 'null' };
      }
      case 'throwirreversiblemigrationexception':
        this.abort({ set: ALL_PLATFORMS, exact: true });
        this.exitFlow();
        return { t: 'null' };
      case 'write':
      case 'warnif':
        return { t: 'null' };
      default:
        break;
    }
    if (this.o.cls.methods.has(lower)) return this.inline(name, args, n);
    // name helpers of base classes: $this->getTable('entry'), $this->getIndexName(...)
    const argVals = args.map((a) => this.evalVal(a));
    if (/prefix/i.test(name) && !/table/i.test(name) && !args.length) return dyn(`call to $this->${name}()`, at, { kind: 'prefix' });
    if (/table/i.test(name) && !args.length) {
      // mautic: getPrefixedTableName() prefixes the class's TABLE_NAME constant
      const c = [...this.o.cls.constants.keys()].find((k) => /^TABLE(_NAME)?$/i.test(k));
      const v = c ? constText(this.evalConstant(`const:${c}`, this.o.cls.constants.get(c)!)) : undefined;
      if (v) return dyn(`call to $this->${name}()`, at, { kind: 'table', name: v });
    }
    if (/table/i.test(name) && argVals[0]) {
      const arg = argVals[0];
      const bare = constText(arg) ?? (arg.t === 'dyn' && arg.sym?.kind === 'table' ? arg.sym.name : undefined);
      if (bare !== undefined) return dyn(`call to $this->${name}()`, at, { kind: 'table', name: bare });
      // the table is whatever the argument holds at run time (another class's TABLE_NAME constant …):
      // a symbolic name inside SQL, never a table name for the Schema API
      return dyn(`call to $this->${name}() with ${describeVal(arg)}`, at, { kind: 'name', text: this.text(n) });
    }
    if (NAME_LIKE.test(name.replace(/^(get|generate|find|build|create)/i, '')) || /name|index|idx|fk|key/i.test(name)) {
      if (argVals.every((v) => constTextLoose(v) !== undefined || v.t === 'arr')) {
        // the call with its arguments' values, so the name reads the same wherever it is computed
        const shown = argVals.map((v) => (v.t === 'arr' ? `[${v.items.map((it) => `'${constTextLoose(it.value) ?? '?'}'`).join(', ')}]` : `'${constTextLoose(v)}'`));
        return dyn(`call to $this->${name}()`, at, { kind: 'name', text: `$this->${name}(${shown.join(', ')})` });
      }
    }
    return dyn(`call to $this->${name}()`, at);
  }

  private inline(name: string, args: PhpNode[], n: PhpNode): Val {
    const method = this.o.cls.methods.get(name.toLowerCase())!;
    if (this.depth >= MAX_DEPTH) return dyn(`call to $this->${name}() (nested too deep)`, this.at(n));
    const params = (method.arguments ?? []) as PhpNode[];
    const values = args.map((a) => this.evalVal(a));
    return this.withScope(() => {
      params.forEach((p, i) => {
        const pname = nameOf(p.name);
        if (!pname) return;
        const v = values[i] ?? (p.value ? this.evalVal(p.value) : dyn(`parameter $${pname}`, this.at(p)));
        this.vars.set(pname, v);
      });
      const typeName = params.map((p) => nameOf(p.type)).find((t) => t === 'Schema');
      if (typeName) for (const p of params) if (nameOf(p.type) === 'Schema' && nameOf(p.name)) this.vars.set(nameOf(p.name)!, { t: 'schema' });
      this.execBlock(method.body?.children ?? []);
    });
  }

  /** Runs code in a fresh variable scope (a method or closure body); returns its return value. */
  private withScope(fn: () => void, inherit?: Map<string, Val>): Val {
    const savedVars = this.vars;
    const savedGuard = this.guard;
    const savedReturn = this.returnValue;
    const savedYields = this.yields;
    this.yields = [];
    const e0 = this.exits;
    const a0 = this.aborts;
    this.vars = new Map(inherit ?? []);
    this.returnValue = undefined;
    const savedBreaks = this.breakTargets.splice(0);
    this.depth++;
    try {
      fn();
    } finally {
      this.depth--;
    }
    // a generator (yield) returns what it yields
    const ret: Val = this.yields === undefined ? dyn('generator with run-time items', 0) : this.yields.length ? { t: 'arr', items: this.yields } : (this.returnValue ?? { t: 'null' });
    this.yields = savedYields;
    this.breakTargets.push(...savedBreaks);
    this.vars = savedVars;
    this.returnValue = savedReturn;
    // a return inside the helper ends the helper only; aborts (counted in runSet/runConditional) reach the caller
    this.exits = e0 + (this.aborts - a0);
    this.guard = { set: savedGuard.set & this.runSet, cond: savedGuard.cond || this.runConditional };
    return ret;
  }

  private runClosure(node: PhpNode, args: PhpNode[]): Val {
    return this.runClosureWith(
      node,
      args.map((a) => this.evalVal(a)),
    );
  }

  private runClosureWith(node: PhpNode, values: Val[]): Val {
    if (this.depth >= MAX_DEPTH) return dyn('closure (nested too deep)', this.at(node));
    const inherit = new Map<string, Val>();
    for (const u of (node.uses ?? []) as PhpNode[]) {
      const name = nameOf(u);
      if (name && this.vars.has(name)) inherit.set(name, this.vars.get(name)!);
    }
    if (node.kind === 'arrowfunc') for (const [k, v] of this.vars) inherit.set(k, v);
    return this.withScope(() => {
      ((node.arguments ?? []) as PhpNode[]).forEach((p, i) => {
        const pname = nameOf(p.name);
        if (pname) this.vars.set(pname, nameOf(p.type) === 'Schema' ? { t: 'schema' } : (values[i] ?? dyn(`parameter $${pname}`, this.at(p))));
      });
      if (node.kind === 'arrowfunc') this.returnValue = this.evalVal(node.body);
      else this.execBlock(node.body?.children ?? []);
    }, inherit);
  }

  private connMethod(lower: string, args: PhpNode[], n: PhpNode): Val {
    const at = this.at(n);
    if (lower === 'getdatabaseplatform') return { t: 'platform' };
    if (lower === 'getdriver') return dyn('$this->connection->getDriver()', at);
    if (lower === 'createquerybuilder') return { t: 'qb', filtered: false, limited: false };
    if (lower === 'quote') return dyn('$this->connection->quote()', at, { kind: 'literal' });
    if (lower === 'prepare') return { t: 'stmt', sql: this.evalVal(args[0]), node: n };
    if (WRITE_METHODS.test(lower)) {
      this.emitSqlValue(this.evalVal(args[0]), n, 'immediate', { params: args.length > 1 });
      return dyn('number of affected rows', at);
    }
    if (lower === 'insert' || lower === 'update' || lower === 'delete') {
      const table = this.nameValue(this.evalVal(args[0]));
      const criteria = lower === 'update' ? args[2] : lower === 'delete' ? args[1] : undefined;
      const criteriaVal = criteria ? this.evalVal(criteria) : undefined;
      const filtered = !!criteriaVal && !(criteriaVal.t === 'arr' && criteriaVal.items.length === 0);
      this.emitData(lower as DataAction, table, filtered, n, 'query-builder');
      return dyn('number of affected rows', at);
    }
    if (lower === 'executequery' || lower === 'query') {
      this.emitSqlValue(this.evalVal(args[0]), n, 'immediate', { params: args.length > 1, read: true });
      return dyn(`result of $this->connection->${lower}()`, at);
    }
    if (lower === 'transactional') {
      const cb = this.evalVal(args[0]);
      if (cb.t === 'closure') this.runClosureWith(cb.node, [{ t: 'conn' }]);
      return dyn('transactional() result', at);
    }
    if (READ_METHODS.test(lower) || /^(begintransaction|commit|rollback|settransactionisolation|close|connect)$/.test(lower)) return dyn(`result of $this->connection->${lower}()`, at);
    return dyn(`result of $this->connection->${lower}()`, at);
  }

  private queryBuilderMethod(qb: QueryBuilderVal, lower: string, args: PhpNode[], n: PhpNode): Val {
    switch (lower) {
      case 'update':
      case 'delete':
      case 'insert':
        return { ...qb, action: lower, table: this.evalVal(args[0]) };
      case 'select':
      case 'addselect':
        return { ...qb, action: qb.action ?? 'select' };
      case 'from':
        return qb.action === 'delete' || qb.action === 'update' ? qb : { ...qb, action: qb.action ?? 'select', table: this.evalVal(args[0]) };
      case 'where':
      case 'andwhere':
      case 'orwhere':
        return { ...qb, filtered: true };
      case 'setmaxresults':
        return { ...qb, limited: true };
      case 'execute':
      case 'executestatement':
      case 'executequery': {
        if (qb.action && qb.action !== 'select') this.emitData(qb.action, qb.table ? this.nameValue(qb.table) : '', qb.filtered, n, 'query-builder', qb.limited);
        return dyn('query result', this.at(n));
      }
      default:
        if (/^fetch/.test(lower)) return dyn('query result', this.at(n));
        return qb;
    }
  }

  private schemaMethod(lower: string, name: string, args: PhpNode[], n: PhpNode): Val {
    const at = this.at(n);
    const tableName = (i: number): string | undefined => {
      const v = this.evalVal(args[i]);
      if (v.t === 'table') return v.model.name;
      return this.nameOf(v, 'table');
    };
    switch (lower) {
      case 'createtable': {
        const t = tableName(0);
        if (!t) return this.dynamicSchemaCall(name, args[0], n);
        if (!this.schemaApplies()) return { t: 'table', model: new SchemaModel(this.o.dialect).createTable(t, this.origin(n)) };
        return { t: 'table', model: this.schema.createTable(t, this.origin(n)) };
      }
      case 'gettable': {
        const t = tableName(0);
        if (!t) return this.dynamicSchemaCall(name, args[0], n);
        if (!this.schemaApplies()) return { t: 'table', model: new SchemaModel(this.o.dialect).getTable(t, this.origin(n)) };
        return { t: 'table', model: this.schema.getTable(t, this.origin(n)) };
      }
      case 'droptable': {
        const t = tableName(0);
        if (!t) return this.dynamicSchemaCall(name, args[0], n);
        if (this.schemaApplies()) this.schema.dropTable(t, this.origin(n));
        return { t: 'schema' };
      }
      case 'renametable': {
        const from = tableName(0);
        const to = tableName(1);
        if (!from || !to) return this.dynamicSchemaCall(name, from ? args[1] : args[0], n);
        if (this.schemaApplies()) {
          if (!this.schema.knownTable(from)) this.notes.push(`$schema->renameTable('${from}', '${to}'): DBAL 3 creates ${to} and drops ${from}; the rows are not copied`);
          this.schema.renameTable(from, to, this.origin(n));
        }
        return { t: 'schema' };
      }
      case 'hastable': {
        const t = tableName(0);
        if (t && this.schema.knownTable(t)) return { t: 'bool', v: true };
        if (t && this.schema.isDropped(t)) return { t: 'bool', v: false };
        return dyn(`$schema->hasTable(${t ?? '?'})`, at);
      }
      case 'createsequence':
      case 'dropsequence': {
        if (this.schemaApplies()) this.schema.sequences.push({ name: tableName(0) ?? '?', action: lower === 'createsequence' ? 'create' : 'drop', origin: this.origin(n) });
        return dyn('sequence', at);
      }
      default:
        return dyn(`$schema->${name}()`, at);
    }
  }

  /** Schema-API changes count only on the dialect being read (DBAL prints them for that platform). */
  private schemaApplies(): boolean {
    return hasDialect(this.guard.set & this.narrow & this.runSet, this.o.dialect);
  }

  /** The guard of what the current statement emits. */
  private emitGuard(): Guard {
    return { set: this.guard.set & this.narrow, cond: this.guard.cond };
  }

  private dynamicSchemaCall(method: string, arg: PhpNode | undefined, n: PhpNode): Val {
    const v = this.evalVal(arg);
    // preUp()'s schema is the one before the migration: Doctrine diffs only what up() changes
    if (this.phase !== 'pre') this.emitRaw(`$schema->${method}() with a table name known only at run time (${describeVal(v)})`, '', n, 'queued');
    return { t: 'table', model: new SchemaModel(this.o.dialect).getTable('?', this.origin(n)) };
  }

  private tableMethod(t: TableModel, lower: string, name: string, args: PhpNode[], n: PhpNode): Val {
    const at = this.at(n);
    const applies = this.schemaApplies();
    const origin = (): ChangeOrigin => this.origin(n);
    // index and key names may be symbolic (a name helper's call); table and column names may not
    const strArg = (i: number, kind: 'name' | 'table' = 'table'): string | undefined => this.nameOf(this.evalVal(args[i]), kind);
    const listArg = (i: number): string[] | undefined => {
      const v = this.evalVal(args[i]);
      if (v.t !== 'arr') return undefined;
      const out: string[] = [];
      for (const it of v.items) {
        const s = this.nameOf(it.value, 'table');
        if (s === undefined) return undefined;
        out.push(s);
      }
      return out;
    };
    const dynamicArg = (what: string): Val => {
      this.emitRaw(`$table->${name}() on ${t.name} with ${what} known only at run time`, t.name, n, 'queued');
      return { t: 'table', model: t };
    };
    switch (lower) {
      case 'addcolumn': {
        const col = strArg(0);
        const typeVal = this.evalVal(args[1]);
        const type = typeVal.t === 'type' ? typeVal.name : constText(typeVal);
        if (!col) return dynamicArg('a column name');
        if (!type) return dynamicArg('a column type');
        const options = this.columnOptions(args[2]);
        if (applies) t.addColumn(col, type, options, origin());
        if (!isKnownDoctrineType(type)) this.notes.push(`${t.name}.${col}: custom Doctrine type "${type}": zdd assumes its SQL type is ${type.toUpperCase()}`);
        return { t: 'column', table: t, name: col };
      }
      case 'dropcolumn': {
        const col = strArg(0);
        if (!col) return dynamicArg('a column name');
        if (applies) t.dropColumn(col, origin());
        return { t: 'table', model: t };
      }
      case 'modifycolumn':
      case 'changecolumn': {
        const col = strArg(0);
        if (!col) return dynamicArg('a column name');
        if (applies) t.modifyColumn(col, this.columnOptions(args[1]), origin());
        return { t: 'table', model: t };
      }
      case 'renamecolumn': {
        const from = strArg(0);
        const to = strArg(1);
        if (!from || !to) return dynamicArg('a column name');
        if (applies) t.renameColumn(from, to, origin());
        return { t: 'column', table: t, name: to };
      }
      case 'getcolumn': {
        const col = strArg(0);
        if (!col) return dyn(`$table->getColumn() of a run-time name`, at);
        return { t: 'column', table: t, name: col };
      }
      case 'addindex':
      case 'adduniqueindex':
      case 'adduniqueconstraint': {
        const cols = listArg(0);
        if (!cols) return dynamicArg('index columns');
        const nameVal = args[1] ? this.evalVal(args[1]) : undefined;
        const idxName = nameVal && nameVal.t !== 'null' ? this.nameOf(nameVal) : undefined;
        if (nameVal && nameVal.t !== 'null' && idxName === undefined) return dynamicArg('an index name');
        const unique = lower !== 'addindex';
        const flags = !unique && args[2] ? this.stringList(args[2]) : [];
        const options = this.evalVal(unique ? args[2] : args[3]);
        const partial = options.t === 'arr' && options.items.some((it) => it.key === 'where');
        if (lower === 'adduniqueconstraint' && !t.created) {
          this.notes.push(`${t.name}: addUniqueConstraint() on an existing table: DBAL 3's table diff ignores unique constraints, so it runs no SQL`);
          return { t: 'table', model: t };
        }
        if (applies) t.addIndex({ ...(idxName ? { name: idxName } : {}), columns: cols, unique, primary: false, flags: flags.map((f) => f.toLowerCase()), partial, origin: origin() });
        return { t: 'table', model: t };
      }
      case 'setprimarykey': {
        const cols = listArg(0);
        if (!cols) return dynamicArg('primary key columns');
        if (applies) t.addIndex({ columns: cols, unique: true, primary: true, flags: [], partial: false, origin: origin() });
        return { t: 'table', model: t };
      }
      case 'dropprimarykey':
        if (applies) t.dropPrimaryKey(origin());
        return { t: 'table', model: t };
      case 'dropindex': {
        const idx = strArg(0, 'name');
        if (!idx) return dynamicArg('an index name');
        if (applies) t.dropIndex(idx, origin());
        return { t: 'table', model: t };
      }
      case 'renameindex': {
        const from = strArg(0, 'name');
        const to = strArg(1, 'name');
        if (!from || !to) return dynamicArg('an index name');
        if (applies) t.renameIndex(from, to, origin());
        return { t: 'table', model: t };
      }
      case 'addforeignkeyconstraint': {
        const ft = this.evalVal(args[0]);
        const foreignTable = ft.t === 'table' ? ft.model.name : this.nameOf(ft, 'table');
        const local = listArg(1);
        const foreign = listArg(2);
        if (!foreignTable) return dynamicArg('a foreign table');
        if (!local || !foreign) return dynamicArg('foreign key columns');
        const fkNameVal = args[4] ? this.evalVal(args[4]) : undefined;
        const fkName = fkNameVal && fkNameVal.t !== 'null' ? this.nameOf(fkNameVal) : undefined;
        if (applies) t.addForeignKey({ ...(fkName ? { name: fkName } : {}), columns: local, foreignTable, foreignColumns: foreign, origin: origin() });
        return { t: 'table', model: t };
      }
      case 'removeforeignkey': {
        const fk = strArg(0, 'name');
        if (!fk) return dynamicArg('a foreign key name');
        if (applies) t.removeForeignKey(fk, origin());
        return { t: 'table', model: t };
      }
      case 'hascolumn': {
        const col = strArg(0);
        if (col && t.hasOwnColumn(col)) return { t: 'bool', v: true };
        if (col && t.created) return { t: 'bool', v: false };
        return dyn(`$table->hasColumn(${col ?? '?'})`, at);
      }
      case 'getname':
        return str(LocatedString.synthetic(t.name, at));
      case 'addoption':
      case 'setcomment':
        return { t: 'table', model: t };
      default:
        return dyn(`$table->${name}()`, at);
    }
  }

  private columnMethod(c: { t: 'column'; table: TableModel; name: string }, lower: string, name: string, args: PhpNode[], n: PhpNode): Val {
    const set = (o: DoctrineColumnOptions): Val => {
      if (this.schemaApplies()) c.table.modifyColumn(c.name, o, this.origin(n));
      return c;
    };
    const arg = (): Val => this.evalVal(args[0]);
    const num = (): number | null | undefined => {
      const v = arg();
      return v.t === 'num' ? v.v : v.t === 'null' ? null : undefined;
    };
    const bool = (): boolean | undefined => {
      const v = arg();
      return v.t === 'bool' ? v.v : v.t === 'num' ? v.v !== 0 : undefined;
    };
    switch (lower) {
      case 'settype': {
        const v = arg();
        const type = v.t === 'type' ? v.name : constText(v);
        if (!type) return this.dynamicColumnCall(c, name, n);
        return set({ type });
      }
      case 'setlength':
      case 'setprecision':
      case 'setscale': {
        const v = num();
        if (v === undefined) return this.dynamicColumnCall(c, name, n);
        return set({ [lower.slice(3)]: v } as DoctrineColumnOptions);
      }
      case 'setnotnull':
      case 'setunsigned':
      case 'setfixed':
      case 'setautoincrement': {
        const v = bool();
        if (v === undefined) return this.dynamicColumnCall(c, name, n);
        return set({ [lower.slice(3)]: v } as DoctrineColumnOptions);
      }
      case 'setdefault': {
        const v = arg();
        const d = scalar(v);
        if (d === undefined) return this.dynamicColumnCall(c, name, n);
        return set({ default: d });
      }
      case 'setoptions':
        return set(this.columnOptions(args[0]));
      case 'setcolumndefinition': {
        const v = constText(arg());
        return v === undefined ? this.dynamicColumnCall(c, name, n) : set({ columnDefinition: v });
      }
      case 'setcomment':
      case 'setplatformoption':
      case 'setplatformoptions':
      case 'setcustomschemaoption':
      case 'setcustomschemaoptions':
        return c;
      default:
        return dyn(`$column->${name}()`, this.at(n));
    }
  }

  private dynamicColumnCall(c: { table: TableModel; name: string }, method: string, n: PhpNode): Val {
    this.emitRaw(`${method}() on ${c.table.name}.${c.name} with a value known only at run time`, c.table.name, n, 'queued');
    return { t: 'column', table: c.table, name: c.name };
  }

  /** Column options from an array literal (`['notnull' => false, 'length' => 191]`). */
  private columnOptions(node: PhpNode | undefined): DoctrineColumnOptions {
    const o: DoctrineColumnOptions = {};
    if (!node) return o;
    const v = this.evalVal(node);
    if (v.t !== 'arr') return o;
    for (const it of v.items) {
      const key = typeof it.key === 'string' ? it.key.toLowerCase() : undefined;
      const val = it.value;
      switch (key) {
        case 'type': {
          const t = val.t === 'type' ? val.name : constText(val);
          if (t) o.type = t;
          break;
        }
        case 'length':
        case 'precision':
        case 'scale':
          if (val.t === 'num') o[key] = val.v;
          else if (val.t === 'null') o[key] = null;
          break;
        case 'notnull':
        case 'autoincrement':
        case 'unsigned':
        case 'fixed':
        case 'version':
        case 'jsonb':
          if (val.t === 'bool') o[key] = val.v;
          else if (val.t === 'num') o[key] = val.v !== 0;
          break;
        case 'default': {
          const d = scalar(val);
          if (d !== undefined) o.default = d;
          break;
        }
        case 'columndefinition': {
          const t = constText(val);
          if (t) o.columnDefinition = t;
          break;
        }
        case 'comment': {
          const t = constText(val);
          if (t !== undefined) o.comment = t;
          break;
        }
        case 'platformoptions':
        case 'customschemaoptions':
          if (val.t === 'arr' && val.items.some((x) => x.key === 'jsonb' && x.value.t === 'bool' && x.value.v)) o.jsonb = true;
          break;
        default:
          break;
      }
    }
    return o;
  }

  private stringList(node: PhpNode): string[] {
    const v = this.evalVal(node);
    if (v.t !== 'arr') return [];
    return v.items.map((it) => constText(it.value)).filter((x): x is string => x !== undefined);
  }

  /** A table/column/index name from a value (prefix helpers resolved), or undefined when run-time. */
  private nameOf(v: Val, kind: 'name' | 'table' = 'name'): string | undefined {
    if (v.t === 'table') return v.model.name;
    if (v.t !== 'str' && v.t !== 'dyn' && v.t !== 'num') return undefined;
    const parts = v.t === 'dyn' ? [{ dyn: v }] : partsOf(v, 0);
    const r = resolveParts(parts, kind, this.o.dialect);
    if (!('ls' in r)) return undefined;
    if (r.symbolic.length) {
      const idx = this.statementIndex();
      this.symbolicNames.set(idx, [...new Set([...(this.symbolicNames.get(idx) ?? []), ...r.symbolic])]);
    }
    return r.ls.value;
  }

  private nameValue(v: Val): string {
    return this.nameOf(v) ?? '';
  }

  // ───────────────────────────── guards ─────────────────────────────

  /** abortIf/skipIf/throw: the migration stops where the condition holds (queued SQL included). */
  private abort(c: Cond): void {
    if (c.exact && c.set === 0) return;
    const g = this.guard;
    this.exits++;
    this.aborts++;
    if (c.exact && !g.cond) {
      this.runSet &= ~(g.set & c.set);
      this.guard = { set: g.set & ~c.set, cond: g.cond };
    } else {
      this.runConditional = true;
      this.guard = { set: g.set, cond: true };
    }
  }

  // ───────────────────────────── emitting ops ─────────────────────────────

  private statementIndex(): number {
    const node = this.currentStatement;
    if (!node) return this.nextStatement++;
    let idx = this.statementOf.get(node);
    if (idx === undefined) {
      idx = this.nextStatement++;
      this.statementOf.set(node, idx);
      // php-parser's statement location starts at its leading comments: take the code's own start
      const code = (node.expression as PhpNode | undefined)?.loc ?? node.loc;
      if (code && node.loc) this.statementLines.set(idx, { start: code.start.line, end: node.loc.end.line });
    }
    return idx;
  }

  private origin(n: PhpNode): ChangeOrigin {
    const pos = this.o.lines.position(this.at(n));
    const node = this.currentStatement ?? n;
    const o: ChangeOrigin = { statement: this.statementIndex(), node: { line: pos.line, col: pos.col, text: this.text(node) } };
    const g = this.emitGuard();
    const d = dialectsOf(g.set);
    if (d) o.dialects = d;
    if (g.cond) o.conditional = true;
    return o;
  }

  private place(draft: OpDraft, source: { line: number; col: number; text: string }, statement: number, g: Guard): Operation {
    const op = { ...draft, source: { file: this.o.file, ...source }, statement } as Operation;
    const d = dialectsOf(g.set);
    if (d) op.dialects = d;
    if (g.cond) op.conditional = true;
    return op;
  }

  private listFor(timing: 'queued' | 'immediate'): Operation[] {
    if (timing === 'queued') return this.queued;
    return this.phase === 'post' ? this.post : this.immediate;
  }

  private emitRaw(reason: string, table: string, n: PhpNode, timing: 'queued' | 'immediate'): void {
    if (!this.runsOnZddPlatform()) return;
    const pos = this.o.lines.position(this.at(n));
    this.listFor(timing).push(this.place({ kind: 'raw', table, reason }, { line: pos.line, col: pos.col, text: this.text(this.currentStatement ?? n) }, this.statementIndex(), this.emitGuard()));
  }

  private emitData(action: DataAction, table: string, filtered: boolean, n: PhpNode, via: 'query-builder' | 'sql', limited = false): void {
    if (!this.runsOnZddPlatform()) return;
    const pos = this.o.lines.position(this.at(n));
    const draft: OpDraft = { kind: 'data', table, action, filtered, batched: limited || this.loopDepth > 0, via };
    this.listFor('immediate').push(this.place(draft, { line: pos.line, col: pos.col, text: this.text(this.currentStatement ?? n) }, this.statementIndex(), this.emitGuard()));
  }

  private runsOnZddPlatform(): boolean {
    if (this.emitGuard().set & (BIT.mysql | BIT.mariadb | BIT.postgres)) return true;
    this.skippedOtherPlatforms++;
    return false;
  }

  /** Which parser reads SQL guarded to some platforms: the target's if it is among them. */
  private parseDialect(): Dialect | undefined {
    const set = this.emitGuard().set;
    if (hasDialect(set, this.o.dialect)) return this.o.dialect;
    if (set & BIT.mysql) return 'mysql';
    if (set & BIT.mariadb) return 'mariadb';
    if (set & BIT.postgres) return postgresParserLoaded() ? 'postgres' : undefined;
    return undefined;
  }

  /** SQL handed to addSql() or a connection method: parsed with positions mapped back to the PHP file. */
  private emitSqlValue(v: Val, n: PhpNode, timing: 'queued' | 'immediate', opts: { params?: boolean; read?: boolean }): void {
    if (!this.runsOnZddPlatform()) return;
    const dialect = this.parseDialect();
    const stmt = this.statementIndex();
    const list = this.listFor(timing);
    if (v.t === 'null') return;
    const parts = v.t === 'str' ? v.parts : v.t === 'dyn' ? [{ dyn: v }] : v.t === 'choice' ? partsOf(v, this.at(n)) : undefined;
    if (!parts) {
      this.emitRaw(`SQL given as ${describeVal(v)}`, '', n, timing);
      return;
    }
    if (!dialect) {
      const pos = this.o.lines.position(this.at(n));
      list.push(
        this.place(
          { kind: 'raw', table: '', reason: `SQL for ${describeSet(this.emitGuard().set)} only, not read because the PostgreSQL parser is loaded only for a PostgreSQL target` },
          { line: pos.line, col: pos.col, text: this.text(this.currentStatement ?? n) },
          stmt,
          this.emitGuard(),
        ),
      );
      return;
    }
    const lead = parts[0] && 'ls' in parts[0] ? parts[0].ls.value.trimStart() : '';
    if (opts.read && (/^(select|show|describe|explain|with)\b/i.test(lead) || !lead) && parts.some((p) => !('ls' in p))) return; // a read built at run time needs no analysis
    const variants = expandChoices(parts);
    if (!variants) {
      this.emitRaw('SQL built at run time: too many run-time alternatives', guessTable(parts), n, timing);
      return;
    }
    const reads: Array<{ ops: Operation[]; suppressions: Suppression[]; exact: boolean; symbolic: string[] }> = [];
    for (const variant of variants) {
      const r = resolveParts(variant, 'sql', dialect);
      if ('dynamic' in r) {
        this.emitRaw(`SQL built at run time: ${r.dynamic}`, guessTable(parts), n, timing);
        return;
      }
      let sql = r.ls;
      if (opts.read && /^\s*(select|show|describe|explain)\b/i.test(sql.value)) return;
      if (r.substituted && !reads.length) this.substitutions++;
      // the op keeps the statement's text only when it is the SQL that runs: no run-time parts, no parameters
      const numbered = pgParameters(sql);
      const exact = !r.substituted && numbered === sql;
      if (dialect === 'postgres') sql = numbered;
      reads.push({
        ...readSqlText(sql.value, {
          file: this.o.file,
          dialect,
          locate: (offset: number) => this.o.lines.position(sql.fileOffset(offset)),
        }),
        exact,
        symbolic: r.symbolic,
      });
    }
    // Alternatives chosen at run time (`INT UNSIGNED` or `INT`) that do the same thing are one statement;
    // alternatives that differ (an UPDATE or an INSERT) are all kept, each conditional: one of them runs.
    const shape = (ops: Operation[]): string =>
      ops.map((op) => `${op.kind}:${op.table}:${'column' in op ? (typeof op.column === 'string' ? op.column : op.column.name) : ''}:${op.kind === 'data' ? op.action : op.kind === 'add-constraint' ? op.constraint : ''}`).join('|');
    const distinct = reads.filter((r, i) => reads.findIndex((x) => shape(x.ops) === shape(r.ops)) === i);
    const g = this.emitGuard();
    for (const res of distinct) {
      for (const op of res.ops) {
        op.statement = stmt;
        if (!res.exact || distinct.length > 1) delete op.sql;
        if (res.symbolic.length) op.symbolicNames = res.symbolic;
        const d = dialectsOf(g.set);
        if (d) op.dialects = d;
        if (g.cond || distinct.length > 1) op.conditional = true;
        if (op.kind === 'data' && this.loopDepth > 0) op.batched = true;
        list.push(op);
      }
      for (const sup of res.suppressions) this.suppressions.push(sup.statement === undefined ? sup : { ...sup, statement: stmt });
    }
  }
}

export type Cond = { set: number; exact: boolean };

/** A branch's way out: where it goes on, with what variables, under which condition it ran. */
interface Flow {
  guard: Guard;
  vars: Map<string, Val>;
  cond: Cond;
}

/** Names of the local variables a piece of code assigns (not inside nested closures). */
function assignedVariables(node: PhpNode): Set<string> {
  const out = new Set<string>();
  const target = (n: PhpNode | undefined): void => {
    if (!n) return;
    if (n.kind === 'variable' && typeof n.name === 'string') out.add(n.name);
    else if (n.kind === 'offsetlookup') target(n.what);
    else if (n.kind === 'list' || n.kind === 'array') for (const it of (n.items ?? []) as PhpNode[]) target(it?.kind === 'entry' ? it.value : it);
  };
  walk(node, (n) => {
    if (n.kind === 'closure' || n.kind === 'arrowfunc' || n.kind === 'function' || n.kind === 'class') return false;
    if (n.kind === 'assign') target(n.left);
    else if (n.kind === 'post' || n.kind === 'pre') target(n.what);
    else if (n.kind === 'foreach') {
      target(n.key);
      target(n.value);
    }
    return undefined;
  });
  return out;
}

function textual(v: Val): boolean {
  return v.t === 'str' || v.t === 'num' || v.t === 'null' || v.t === 'choice';
}

/** A value for the platforms in `set` (flattening a value that already depends on the platform). */
function platformOptions(v: Val, set: number): Array<{ set: number; value: Val }> {
  if (v.t === 'byPlatform') return v.options.map((o) => ({ set: o.set & set, value: o.value })).filter((o) => o.set);
  return [{ set, value: v }];
}

function and(g: Guard, c: Cond): Guard {
  return { set: g.set & c.set, cond: g.cond || !c.exact };
}

function and2(a: Cond, b: Cond): Cond {
  return { set: a.set & b.set, exact: a.exact && b.exact };
}

function or(a: Cond, b: Cond): Cond {
  return { set: a.set | b.set, exact: a.exact && b.exact };
}

function not(c: Cond): Cond {
  return c.exact ? { set: ALL_PLATFORMS & ~c.set, exact: true } : { set: ALL_PLATFORMS, exact: false };
}

function condVal(c: Cond): Val {
  return { t: 'cond', set: c.set, exact: c.exact };
}

/** `$platform->getName() === 'mysql'`, `$platform === …` and friends. */
function compare(a: Val, b: Val): Cond | undefined {
  const lit = (v: Val): string | undefined => constText(v);
  const pn = a.t === 'platformName' ? a : b.t === 'platformName' ? b : undefined;
  if (pn) {
    const other = lit(pn === a ? b : a);
    if (other === undefined) return undefined;
    return { set: pn.driver ? driverName(other) : platformName(other), exact: true };
  }
  const x = lit(a);
  const y = lit(b);
  if (x !== undefined && y !== undefined) return { set: x === y ? ALL_PLATFORMS : 0, exact: true };
  if (a.t === 'bool' && b.t === 'bool') return { set: a.v === b.v ? ALL_PLATFORMS : 0, exact: true };
  if (a.t === 'cond' && b.t === 'bool') return b.v ? { set: a.set, exact: a.exact } : not(a);
  if (b.t === 'cond' && a.t === 'bool') return a.v ? { set: b.set, exact: b.exact } : not(b);
  return undefined;
}

function withReason(d: DynVal, reason: string): DynVal {
  return { ...d, reason };
}

function scalar(v: Val): string | number | boolean | null | undefined {
  if (v.t === 'num') return v.v;
  if (v.t === 'bool') return v.v;
  if (v.t === 'null') return null;
  return constText(v);
}

/** A constant string, or the bare name a helper stands for. */
function constTextLoose(v: Val): string | undefined {
  const c = constText(v);
  if (c !== undefined) return c;
  if (v.t === 'dyn' && v.sym?.kind === 'table') return v.sym.name;
  if (v.t === 'dyn' && v.sym?.kind === 'name') return v.sym.text;
  return undefined;
}

function propertySym(name: string, text: string): Sym | undefined {
  if (/prefix/i.test(name)) return { kind: 'prefix' };
  if (/table/i.test(name)) return { kind: 'name', text };
  if (NAME_LIKE.test(name)) return { kind: 'name', text };
  return undefined;
}

/** `$this->getTable('entry')`-style helpers of base classes, used as values. */
function isNameHelper(name: string): boolean {
  return /^(get|generate|find|build)\w*(table|name|index|idx|key|fk|prefix)\w*$/i.test(name);
}

const KNOWN_THIS_METHODS = new Set(['addsql', 'abortif', 'skipif', 'warnif', 'write', 'throwirreversiblemigrationexception']);

function dialectSetOf(d: Dialect[] | undefined): number {
  if (!d) return ALL_PLATFORMS;
  return d.reduce((s, x) => s | BIT[x], 0) | BIT.sqlite | BIT.other;
}

/** PostgreSQL reads `$1`, not the `?` and `:name` placeholders Doctrine takes. */
function pgParameters(sql: LocatedString): LocatedString {
  const v = sql.value;
  const edits: Array<{ from: number; to: number; text: string }> = [];
  let n = 0;
  // the SQL lexer's placeholders (outside strings, dollar quotes and comments); `::` casts are not
  // names, and a `?` next to ?| ?& @? #- is a jsonb operator
  for (const t of lexSql(v, 'postgres')) {
    if (t.type !== 'param' || t.raw.startsWith('$')) continue;
    if (t.raw === '?' && (/[?|&@#-]/.test(v[t.end] ?? '') || /[?|&@#-]/.test(v[t.start - 1] ?? ''))) continue;
    edits.push({ from: t.start, to: t.end, text: `$${++n}` });
  }
  return edits.length ? sql.edit(edits) : sql;
}

/** The table a dynamic statement names, if its literal text says (for messages). */
function guessTable(parts: readonly StrPart[]): string {
  let text = '';
  for (const p of parts) text += 'ls' in p ? p.ls.value : 'dyn' in p && p.dyn.sym?.kind === 'table' ? p.dyn.sym.name : ' ? ';
  const m = /\b(?:table|into|update|from|on)\s+(?:if\s+(?:not\s+)?exists\s+)?[`"]?([\w.]+)[`"]?/i.exec(text);
  return m ? m[1]!.split('.').pop()! : '';
}

export type { ClassInfo };
