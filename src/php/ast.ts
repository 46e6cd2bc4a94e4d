/* eslint-disable @typescript-eslint/no-explicit-any */
import { createRequire } from 'node:module';
import { fastParsePhp } from './fast-parse.js';

/**
 * PHP parsing shared by the Laravel and Doctrine readers, config files, zdd doctor and the code
 * index: zdd's own parser (`fast-parse.ts`) first, php-parser (glayzzle) with positions, loaded on
 * first use, for what it declines; plus small helpers to walk the AST, flatten method chains and
 * evaluate string expressions that are constant (literals, heredoc/nowdoc, concatenation, class
 * constants, sprintf with literal arguments, variables assigned a constant earlier).
 */

export type PhpNode = Record<string, any> & { kind: string; loc?: { start: Pos; end: Pos } };
interface Pos {
  line: number;
  column: number;
  offset: number;
}

interface PhpEngine {
  parseCode(code: string, filename?: string): PhpNode;
}

let engine: PhpEngine | undefined;

/** `ZDD_PHP_PARSER=php-parser` sends every file to php-parser (src/php/fast-parse.ts is then unused). */
export const USE_FAST_PARSER = process.env.ZDD_PHP_PARSER !== 'php-parser';

function getEngine(): PhpEngine {
  if (!engine) {
    const { Engine } = createRequire(import.meta.url)('php-parser') as { Engine: new (opts: object) => PhpEngine };
    engine = new Engine({ parser: { php8: true, version: '8.4', extractDoc: true, suppressErrors: false }, ast: { withPositions: true, withSource: false }, lexer: { short_tags: true } });
  }
  return engine;
}

export interface PhpSyntaxError {
  message: string;
  line: number;
  col: number;
}

/** A syntax error as PHP words it, without php-parser's `Parse Error : syntax error,` prefix: `unexpected '}', expecting ';'`. */
export function syntaxErrorText(e: PhpSyntaxError): string {
  return e.message.replace(/^Parse Error\s*:\s*/i, '').replace(/^syntax error,\s*/i, '');
}

/**
 * Parses PHP; a syntax error comes back as a value, never thrown. A caller that hands the text to
 * more than one reader passes the AST along (readers/index.ts) rather than parsing again; an AST
 * may be shared, so never change it.
 */
export function parsePhp(code: string, file: string): { ast: PhpNode } | { error: PhpSyntaxError } {
  // zdd's own parser first (the same AST, positions included, faster from a cold start); php-parser
  // for what it declines
  const fast = USE_FAST_PARSER ? fastParsePhp(code, { exactEnds: true }) : undefined;
  if (fast) {
    const missing = missingFinalSemicolon(code, fast);
    return missing ? { error: missing } : { ast: fast };
  }
  return parseWithPhpParser(code, file);
}

/** php-parser alone: what `parsePhp` falls back to, and the reference zdd's own parser is tested against. */
export function parseWithPhpParser(code: string, file: string): { ast: PhpNode } | { error: PhpSyntaxError } {
  try {
    const ast = getEngine().parseCode(code, file);
    const missing = missingFinalSemicolon(code, ast);
    return missing ? { error: missing } : { ast };
  } catch (e) {
    const err = e as Error & { lineNumber?: number; columnNumber?: number };
    const message = err.message.replace(/\s+on line \d+$/, '');
    return { error: { message, line: err.lineNumber ?? 1, col: (err.columnNumber ?? 0) + 1 } };
  }
}

/** Statements PHP ends with a `;` (or a closing `?>`). */
const SIMPLE_STATEMENTS = new Set(['return', 'expressionstatement', 'echo', 'global', 'static', 'unset', 'break', 'continue', 'goto', 'constantstatement']);

/**
 * php-parser accepts a file whose last statement lacks its `;` — `return new class extends
 * Migration { … }` without the final `;`, the commonest slip in an anonymous migration — where PHP
 * stops with "unexpected end of file, expecting ';'".
 */
function missingFinalSemicolon(code: string, ast: PhpNode): PhpSyntaxError | undefined {
  let list = (ast.children ?? []) as PhpNode[];
  let lastNode = list[list.length - 1];
  // `namespace X;` without braces holds the rest of the file
  while (lastNode?.kind === 'namespace' && !lastNode.withBrackets) {
    list = (lastNode.children ?? []) as PhpNode[];
    lastNode = list[list.length - 1];
  }
  if (!lastNode?.loc || !SIMPLE_STATEMENTS.has(lastNode.kind)) return undefined;
  if (code.slice(lastNode.loc.start.offset, lastNode.loc.end.offset).trimEnd().endsWith(';')) return undefined;
  // a closing tag ends a statement too, comments between them aside
  let rest = code.slice(lastNode.loc.end.offset);
  for (;;) {
    const t = rest.trimStart();
    if (t.startsWith('//') || t.startsWith('#')) {
      const eol = t.search(/\n|\?>/);
      rest = eol === -1 ? '' : t.slice(t[eol] === '\n' ? eol + 1 : eol);
    } else if (t.startsWith('/*')) {
      const close = t.indexOf('*/');
      rest = close === -1 ? '' : t.slice(close + 2);
    } else {
      rest = t;
      break;
    }
  }
  if (rest.startsWith('?>')) return undefined;
  const line = code.trimEnd().split('\n').length;
  return { message: 'syntax error, unexpected end of file, expecting ";"', line, col: 1 };
}

/** 1-based line and column of a node. */
export function posOf(node: PhpNode | undefined): { line: number; col: number } {
  if (!node?.loc) return { line: 1, col: 1 };
  return { line: node.loc.start.line, col: node.loc.start.column + 1 };
}

/** The source text of a node. */
export function textOf(code: string, node: PhpNode): string {
  if (!node.loc) return '';
  return code.slice(node.loc.start.offset, node.loc.end.offset);
}

/** Depth-first walk; `visit` returns false to skip a node's children. */
export function walk(node: unknown, visit: (n: PhpNode, parent: PhpNode | undefined) => boolean | void, parent?: PhpNode): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const child of node) walk(child, visit, parent);
    return;
  }
  const n = node as PhpNode;
  if (typeof n.kind !== 'string') return;
  if (visit(n, parent) === false) return;
  for (const k of Object.keys(n)) {
    if (k === 'loc' || k === 'leadingComments' || k === 'trailingComments') continue;
    const v = n[k];
    if (v && typeof v === 'object') walk(v, visit, n);
  }
}

/** The identifier name of `name`, `identifier` nodes (or a plain string). */
export function nameOf(node: PhpNode | string | undefined | null): string | undefined {
  if (!node) return undefined;
  if (typeof node === 'string') return node;
  if (node.kind === 'identifier' || node.kind === 'name') return typeof node.name === 'string' ? node.name : undefined;
  if (node.kind === 'variable') return typeof node.name === 'string' ? node.name : undefined;
  if (node.kind === 'selfreference') return 'self';
  if (node.kind === 'staticreference') return 'static';
  if (node.kind === 'parentreference') return 'parent';
  return undefined;
}

/** Short class name: `\\Illuminate\\Support\\Facades\\Schema` → `Schema`. */
export function shortName(name: string | undefined): string | undefined {
  return name?.replace(/^.*\\/, '');
}

export interface ChainCall {
  /** Method (or function) name. */
  name: string;
  args: PhpNode[];
  node: PhpNode;
  /** `->` (instance), `::` (static) or `?->`. */
  via: '->' | '::' | 'fn';
}

/**
 * Flattens `Base::a(x)->b()->c(y)` into base `Base` and calls [a, b, c].
 * Returns the base node (a name, variable, `new` …) and the calls in source order.
 */
export function flattenChain(node: PhpNode): { base: PhpNode; calls: ChainCall[] } {
  // found last call first: pushed, then reversed
  const calls: ChainCall[] = [];
  let cur: PhpNode = node;
  for (;;) {
    if (cur.kind === 'call') {
      const what = cur.what as PhpNode;
      if (what.kind === 'propertylookup' || what.kind === 'nullsafepropertylookup') {
        calls.push({ name: nameOf(what.offset) ?? '?', args: cur.arguments ?? [], node: cur, via: '->' });
        cur = what.what;
        continue;
      }
      if (what.kind === 'staticlookup') {
        calls.push({ name: nameOf(what.offset) ?? '?', args: cur.arguments ?? [], node: cur, via: '::' });
        cur = what.what;
        continue;
      }
      calls.push({ name: nameOf(what) ?? '?', args: cur.arguments ?? [], node: cur, via: 'fn' });
      return { base: what, calls: calls.reverse() };
    }
    return { base: cur, calls: calls.reverse() };
  }
}

/** Result of evaluating a PHP expression as a constant string. */
export type StringValue = { value: string; node: PhpNode } | { dynamic: string };

export interface EvalScope {
  /** Local variables assigned a constant earlier in the method. */
  vars?: ReadonlyMap<string, StringValue>;
  /** Class constants of the enclosing class (`self::X`, `static::X`). */
  constants?: ReadonlyMap<string, StringValue>;
  /** String properties of the enclosing class (`$this->x`). */
  props?: ReadonlyMap<string, StringValue>;
  /** Resolves calls the caller knows the value of (e.g. Laravel's `DB::getTablePrefix()`). */
  resolveCall?: (node: PhpNode) => StringValue | undefined;
  /** The array literal an expression holds, when the caller knows it (`$names` in `$names['roles']`). */
  arrayOf?: (node: PhpNode, scope: EvalScope) => PhpNode | undefined;
  /** Source, to name dynamic parts in messages. */
  code?: string;
}

/** The callee of a call as written, for messages: `Helper::t`, `$this->table`, `$repo->name`. */
function calleeText(what: PhpNode | undefined): string {
  if (!what) return 'a method';
  const name = nameOf(what.offset);
  if (what.kind === 'staticlookup') {
    const cls = what.what?.kind === 'selfreference' ? 'self' : what.what?.kind === 'staticreference' ? 'static' : what.what?.kind === 'parentreference' ? 'parent' : what.what?.kind === 'variable' && typeof what.what.name === 'string' ? `$${what.what.name}` : nameOf(what.what);
    return `${cls ?? '?'}::${name ?? '?'}`;
  }
  if (what.kind === 'propertylookup' || what.kind === 'nullsafepropertylookup') {
    const recv = what.what?.kind === 'variable' && typeof what.what.name === 'string' ? `$${what.what.name}` : '…';
    return `${recv}${what.kind === 'nullsafepropertylookup' ? '?->' : '->'}${name ?? '?'}`;
  }
  return 'a method';
}

/**
 * Evaluates a string expression when it is constant. For anything built at run time, says what was
 * dynamic (e.g. `variable $table`, `method call`), so readers can report it precisely.
 */
export function evalString(node: PhpNode | undefined, scope: EvalScope = {}): StringValue {
  if (!node) return { dynamic: 'missing argument' };
  switch (node.kind) {
    case 'string':
      return { value: String(node.value), node };
    case 'nowdoc':
      return { value: String(node.value), node };
    case 'number':
      return { value: String(node.value), node };
    case 'encapsed': {
      let out = '';
      for (const part of (node.value ?? []) as PhpNode[]) {
        const inner = part.kind === 'encapsedpart' ? part.expression : part;
        if (inner.kind === 'string') out += inner.value;
        else {
          const v = evalString(inner, scope);
          if ('dynamic' in v) return { dynamic: `interpolated ${describe(inner, scope)}` };
          out += v.value;
        }
      }
      return { value: out, node };
    }
    case 'bin': {
      if (node.type === '??') {
        // `$names['x'] ?? 'default'`: the left side when it is known; the right only when the left is
        // known to be missing (a key the known array does not have, null) — else it stays dynamic
        const l = evalString(node.left, scope);
        if ('value' in l) return l;
        const left = node.left;
        let missing = left?.kind === 'nullkeyword';
        if (left?.kind === 'offsetlookup' && left.what && left.offset) {
          const array = scope.arrayOf?.(left.what, scope);
          const key = evalString(left.offset, scope);
          missing = !!array && 'value' in key && itemAt(array, key.value) === undefined;
        }
        return missing ? evalString(node.right, scope) : l;
      }
      if (node.type !== '.') return { dynamic: `${node.type} expression` };
      const l = evalString(node.left, scope);
      if ('dynamic' in l) return l;
      const r = evalString(node.right, scope);
      if ('dynamic' in r) return r;
      return { value: l.value + r.value, node };
    }
    case 'variable': {
      const v = typeof node.name === 'string' ? scope.vars?.get(node.name) : undefined;
      return v ?? { dynamic: `variable $${node.name}` };
    }
    case 'staticlookup': {
      const cls = nameOf(node.what);
      const c = nameOf(node.offset);
      if ((cls === 'self' || cls === 'static') && c && scope.constants?.has(c)) return scope.constants.get(c)!;
      return { dynamic: `constant ${cls ?? '?'}::${c ?? '?'}` };
    }
    case 'offsetlookup': {
      const array = node.what ? scope.arrayOf?.(node.what, scope) : undefined;
      const key = node.offset ? evalString(node.offset, scope) : undefined;
      const item = array && key && 'value' in key ? itemAt(array, key.value) : undefined;
      if (!item) return { dynamic: describe(node, scope) };
      const v = evalString(item, scope);
      // the value's own node may be in another file (an app's config): report at this expression
      return 'value' in v ? { value: v.value, node } : v;
    }
    case 'propertylookup': {
      const prop = nameOf(node.offset);
      if (node.what?.kind === 'variable' && node.what.name === 'this' && prop && scope.props?.has(prop)) return scope.props.get(prop)!;
      return { dynamic: `property ->${prop ?? '?'}` };
    }
    case 'call': {
      const known = scope.resolveCall?.(node);
      if (known) return known;
      const fn = nameOf(node.what);
      if (fn === 'sprintf' && node.arguments?.length) {
        const fmt = evalString(node.arguments[0], scope);
        if ('dynamic' in fmt) return fmt;
        const args: string[] = [];
        for (const a of node.arguments.slice(1) as PhpNode[]) {
          const v = evalString(a, scope);
          if ('dynamic' in v) return { dynamic: `sprintf argument ${describe(a, scope)}` };
          args.push(v.value);
        }
        let i = 0;
        const value = fmt.value.replace(/%(?:(\d+)\$)?[-+ 0]*\d*(?:\.\d+)?([sdufF%])/g, (m, pos, conv) => {
          if (conv === '%') return '%';
          const arg = pos ? args[Number(pos) - 1] : args[i++];
          return arg ?? m;
        });
        return { value, node };
      }
      return { dynamic: `call to ${fn ?? calleeText(node.what as PhpNode | undefined)}()` };
    }
    default:
      return { dynamic: describe(node, scope) };
  }
}

function describe(node: PhpNode, scope: EvalScope): string {
  if (node.kind === 'variable') return `variable $${node.name}`;
  if (node.kind === 'propertylookup') return `property ->${nameOf(node.offset) ?? '?'}`;
  if (node.kind === 'call') return `call to ${nameOf(node.what) ?? nameOf(node.what?.offset) ?? 'a method'}()`;
  if (node.kind === 'staticlookup') return `constant ${nameOf(node.what) ?? '?'}::${nameOf(node.offset) ?? '?'}`;
  if (scope.code && node.loc) return `expression ${scope.code.slice(node.loc.start.offset, Math.min(node.loc.end.offset, node.loc.start.offset + 40))}`;
  return `${node.kind} expression`;
}

/** The value of `key` in an array literal (the last one wins, as in PHP; unkeyed items count from 0). */
export function itemAt(array: PhpNode, key: string | number): PhpNode | undefined {
  let found: PhpNode | undefined;
  let next = 0;
  for (const it of (array.items ?? []) as PhpNode[]) {
    if (!it || it.kind === 'spread' || (it.kind === 'entry' && it.unpack)) continue;
    const k = it.kind === 'entry' && it.key ? literal(it.key) : next;
    if (typeof k === 'number') next = Math.max(next, k + 1);
    if (k !== undefined && k !== null && String(k) === String(key)) found = it.kind === 'entry' ? it.value : it;
  }
  return found;
}

/** Literal scalar value of a node (string, number, bool, null), or undefined. */
export function literal(node: PhpNode | undefined): string | number | boolean | null | undefined {
  if (!node) return undefined;
  switch (node.kind) {
    case 'string':
    case 'nowdoc':
      return String(node.value);
    case 'number':
      return Number(node.value);
    case 'boolean':
      return !!node.value;
    case 'nullkeyword':
      return null;
    case 'unary':
      if (node.type === '-' && node.what?.kind === 'number') return -Number(node.what.value);
      return undefined;
    case 'name':
      if (/^(true|false)$/i.test(node.name)) return /^true$/i.test(node.name);
      if (/^null$/i.test(node.name)) return null;
      return undefined;
    default:
      return undefined;
  }
}

/** Values of a PHP array literal of strings (`['a', 'b']`); undefined entries when not constant. */
export function stringArray(node: PhpNode | undefined, scope: EvalScope = {}): Array<string | undefined> | undefined {
  if (!node || node.kind !== 'array') return undefined;
  return ((node.items ?? []) as PhpNode[]).map((it) => {
    const v = evalString(it.kind === 'entry' ? it.value : it, scope);
    return 'value' in v ? v.value : undefined;
  });
}

/** Comments of a program with their 1-based line, for zdd-ignore. */
export function commentsOf(ast: PhpNode): Array<{ text: string; line: number; endLine: number }> {
  return ((ast.comments ?? []) as PhpNode[]).map((c) => {
    const line = c.loc?.start.line ?? 1;
    // a line comment's end position is column 0 of the next line
    const end = c.loc?.end;
    const endLine = end ? (end.column === 0 && end.line > line ? end.line - 1 : end.line) : line;
    return { text: String(c.value), line, endLine };
  });
}

/**
 * Maps offsets inside a PHP string literal's value back to file positions. Exact for nowdoc/heredoc
 * lines and unescaped strings; close enough (same line) when escapes shift columns.
 */
export function stringLocator(node: PhpNode): (offset: number, value: string) => { line: number; col: number } {
  const start = posOf(node);
  const heredoc = node.kind === 'nowdoc' || (node.kind === 'encapsed' && node.type === 'heredoc');
  return (offset: number, value: string) => {
    const before = value.slice(0, offset);
    let lineInString = 0;
    for (let i = before.indexOf('\n'); i !== -1; i = before.indexOf('\n', i + 1)) lineInString++;
    const lastLine = before.length - (before.lastIndexOf('\n') + 1);
    if (heredoc) return { line: start.line + 1 + lineInString, col: lastLine + 1 };
    if (lineInString === 0) return { line: start.line, col: start.col + 1 + before.length };
    return { line: start.line + lineInString, col: lastLine + 1 };
  };
}
