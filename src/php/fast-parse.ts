/* eslint-disable @typescript-eslint/no-explicit-any */
import type { PhpNode } from './ast.js';

/**
 * A fast PHP parser for the code index, written for cold starts: php-parser needs its JIT warm-up
 * and parses ~1 MB/s for the first megabyte, which made parsing the largest cost of an index run.
 *
 * It builds the same node shapes as php-parser (kinds, fields, field order, `loc.start`,
 * `leadingComments` on statements and class members) for the code it accepts, and DECLINES
 * (returns undefined) on anything else: syntax errors, rare constructs (alternative syntax, `goto`,
 * `declare`, `?>` and inline HTML, property hooks …) and comments in places other than before a
 * statement or a class member. The caller then parses with php-parser, so error messages and rare
 * constructs still come from it. `loc.end` is this parser's own (the end of the node's last token):
 * the analyser reads only `loc.start`.
 *
 * Design: one pass of a char-code lexer into typed arrays, then recursive descent for statements
 * and precedence climbing for expressions.
 */

class Bail extends Error {}
/** Prefix operators php-parser parses over the rest of the expression, then regroups. */
const PREFIX_OPS = new Set(['unary', 'silent', 'cast']);
const BAIL = new Bail('fast-parse: declined');
/** Debugging hook: told where (a stack trace) each decline happens. */
let onBail: ((where: string) => void) | undefined;
export function setBailHook(hook: ((where: string) => void) | undefined): void {
  onBail = hook;
}
function bail(): never {
  if (onBail) onBail(new Error().stack ?? '');
  throw BAIL;
}

// ---- tokens -----------------------------------------------------------------------------------

const T_EOF = 0;
const T_VAR = 1; // $name
const T_IDENT = 2; // name or keyword, no backslash
const T_NAME = 3; // qualified, fully qualified or namespace-relative name
const T_NUM = 4;
const T_SQ = 5; // 'string'
const T_DQ = 6; // "string" (maybe interpolated)
const T_HEREDOC = 7;
const T_NOWDOC = 8;
const T_OP = 9; // punctuation; text in `tv`
const T_CAST = 10; // `(int)`, `( string )`: the cast word lower-cased in `tv`

interface Comment {
  start: number;
  end: number;
  block: boolean;
  /** Index of the token the comment precedes. */
  tok: number;
  used: boolean;
  /** Right after the token before it, without a blank (`f();// x`). */
  glued: boolean;
}

/** Operators, longest first within each first character. */
const OPS: Record<string, string[]> = {
  '!': ['!==', '!=', '!'],
  '%': ['%=', '%'],
  '&': ['&&', '&=', '&'],
  '(': ['('],
  ')': [')'],
  '*': ['**=', '**', '*=', '*'],
  '+': ['++', '+=', '+'],
  ',': [','],
  '-': ['--', '-=', '->', '-'],
  '.': ['...', '.=', '.'],
  '/': ['/=', '/'],
  ':': ['::', ':'],
  ';': [';'],
  '<': ['<=>', '<<=', '<<', '<=', '<>', '<'],
  '=': ['===', '==', '=>', '='],
  '>': ['>>=', '>=', '>>', '>'],
  '?': ['??=', '?->', '??', '?'],
  '@': ['@'],
  '[': ['['],
  ']': [']'],
  '^': ['^=', '^'],
  '{': ['{'],
  '|': ['||', '|=', '|'],
  '}': ['}'],
  '~': ['~'],
  '#': ['#['],
};

function isIdStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 128;
}
function isIdChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c >= 48 && c <= 57) || c >= 128;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13 || c === 11 || c === 12;
}

class Lexer {
  tt: number[] = [];
  ts: number[] = [];
  te: number[] = [];
  tv: string[] = [];
  /** Lower-case text of identifiers (keywords are case-insensitive), '' for other tokens. */
  tk: string[] = [];
  comments: Comment[] = [];
  constructor(readonly src: string, from: number, to: number) {
    this.run(from, to);
  }

  private push(t: number, s: number, e: number, v: string, k = ''): void {
    this.tt.push(t);
    this.ts.push(s);
    this.te.push(e);
    this.tv.push(v);
    this.tk.push(k);
  }

  private run(from: number, to: number): void {
    const src = this.src;
    let i = from;
    while (i < to) {
      let c = src.charCodeAt(i);
      // a tight loop for blanks: sliced code is half newlines
      while (c === 10 || c === 32 || c === 9 || c === 13 || c === 11 || c === 12) c = src.charCodeAt(++i);
      if (i >= to) break;
      if (c === 36 /* $ */) {
        const n = src.charCodeAt(i + 1);
        if (isIdStart(n)) {
          let j = i + 2;
          while (j < to && isIdChar(src.charCodeAt(j))) j++;
          this.push(T_VAR, i, j, src.slice(i + 1, j));
          i = j;
          continue;
        }
        this.push(T_OP, i, i + 1, '$');
        i++;
        continue;
      }
      if (isIdStart(c) || c === 92 /* \ */) {
        let j = i;
        let qualified = false;
        let upper = false;
        for (;;) {
          if (src.charCodeAt(j) === 92) {
            qualified = true;
            j++;
            if (!isIdStart(src.charCodeAt(j))) bail();
          }
          for (;;) {
            const d = src.charCodeAt(j);
            if (j >= to || !isIdChar(d)) break;
            if (d >= 65 && d <= 90) upper = true;
            j++;
          }
          if (src.charCodeAt(j) === 92 && isIdStart(src.charCodeAt(j + 1))) continue;
          break;
        }
        // b"…" / b'…' binary strings and heredoc-like prefixes are rare: decline
        if (j === i + 1 && (c === 98 || c === 66) && (src.charCodeAt(j) === 34 || src.charCodeAt(j) === 39)) bail();
        const text = src.slice(i, j);
        this.push(qualified ? T_NAME : T_IDENT, i, j, text, qualified ? '' : upper ? text.toLowerCase() : text);
        i = j;
        continue;
      }
      if (isDigit(c) || (c === 46 && isDigit(src.charCodeAt(i + 1)))) {
        i = this.number(i, to);
        continue;
      }
      if (c === 39 /* ' */) {
        let j = i + 1;
        for (;;) {
          if (j >= to) bail();
          const d = src.charCodeAt(j);
          if (d === 92) j += 2;
          else if (d === 39) break;
          else j++;
        }
        this.push(T_SQ, i, j + 1, '');
        i = j + 1;
        continue;
      }
      if (c === 34 /* " */) {
        const j = skipDq(src, i + 1, to, 34);
        this.push(T_DQ, i, j, '');
        i = j;
        continue;
      }
      if (c === 47 /* / */ && src.charCodeAt(i + 1) === 42 /* * */) {
        const close = src.indexOf('*/', i + 2);
        if (close === -1 || close + 2 > to) bail();
        this.comments.push({ start: i, end: close + 2, block: true, tok: this.tt.length, used: false, glued: this.glued(i) });
        i = close + 2;
        continue;
      }
      if ((c === 47 && src.charCodeAt(i + 1) === 47) || (c === 35 && src.charCodeAt(i + 1) !== 91)) {
        const glued = this.glued(i);
        let j = i;
        while (j < to && src.charCodeAt(j) !== 10) {
          // `?>` ends a line comment (and the PHP block): decline
          if (src.charCodeAt(j) === 63 && src.charCodeAt(j + 1) === 62) bail();
          j++;
        }
        this.comments.push({ start: i, end: j < to ? j + 1 : j, block: false, tok: this.tt.length, used: false, glued });
        i = j < to ? j + 1 : j;
        continue;
      }
      if (c === 60 && src.startsWith('<<<', i)) {
        i = this.heredoc(i, to);
        continue;
      }
      if (c === 63 && src.charCodeAt(i + 1) === 62) bail(); // ?>
      // `(int)` is one token for PHP, wherever it stands
      if (c === 40) {
        const end = this.cast(i, to);
        if (end) {
          i = end;
          continue;
        }
      }
      if (c === 96 /* ` */) bail(); // shell exec
      const ops = OPS[src[i]!];
      if (!ops) bail();
      let op: string | undefined;
      for (const o of ops) {
        if (src.startsWith(o, i)) {
          op = o;
          break;
        }
      }
      if (!op) bail();
      // `?->` needs the `?` alone before `->` only; `(int)`-style casts are found by the parser
      this.push(T_OP, i, i + op.length, op);
      i += op.length;
    }
    this.push(T_EOF, to, to, '');
  }

  /** Is a comment at `i` glued to the token before it? Only after `;` and `}` (see `Parser.gluedAfter`); else declined. */
  private glued(i: number): boolean {
    const n = this.te.length;
    if (!n || this.te[n - 1] !== i) return false;
    if (this.tt[n - 1] === T_OP && (this.tv[n - 1] === ';' || this.tv[n - 1] === '}')) return true;
    bail();
  }

  /** A cast token at `(`: pushes it and returns its end, or returns 0. */
  private cast(i: number, to: number): number {
    const src = this.src;
    let j = i + 1;
    while (src.charCodeAt(j) === 32 || src.charCodeAt(j) === 9) j++;
    const ws = j;
    while (j < to && isIdChar(src.charCodeAt(j))) j++;
    if (j === ws || j - ws > 7) return 0;
    const word = src.slice(ws, j).toLowerCase();
    while (src.charCodeAt(j) === 32 || src.charCodeAt(j) === 9) j++;
    if (src.charCodeAt(j) !== 41 || !(CASTS.has(word) || word === 'unset')) return 0;
    this.push(T_CAST, i, j + 1, word);
    return j + 1;
  }

  private number(i: number, to: number): number {
    const src = this.src;
    let j = i;
    const c1 = src.charCodeAt(i + 1);
    if (src.charCodeAt(i) === 48 && (c1 === 120 || c1 === 88 || c1 === 98 || c1 === 66 || c1 === 111 || c1 === 79)) {
      j = i + 2;
      while (j < to && (isIdChar(src.charCodeAt(j)))) j++;
    } else {
      while (j < to && (isDigit(src.charCodeAt(j)) || src.charCodeAt(j) === 95)) j++;
      if (src.charCodeAt(j) === 46 && isDigit(src.charCodeAt(j + 1))) {
        j++;
        while (j < to && (isDigit(src.charCodeAt(j)) || src.charCodeAt(j) === 95)) j++;
      } else if (src.charCodeAt(j) === 46 && !isIdStart(src.charCodeAt(j + 1)) && src.charCodeAt(j + 1) !== 46 && src.charCodeAt(j + 1) !== 61) {
        // `1.` is a float; `1..` / `1.=` / `1.x` are rare: decline
        bail();
      }
      const e = src.charCodeAt(j);
      if (e === 101 || e === 69) {
        let k = j + 1;
        if (src.charCodeAt(k) === 43 || src.charCodeAt(k) === 45) k++;
        if (!isDigit(src.charCodeAt(k))) bail();
        while (k < to && isDigit(src.charCodeAt(k))) k++;
        j = k;
      }
    }
    if (isIdChar(src.charCodeAt(j))) bail();
    this.push(T_NUM, i, j, src.slice(i, j));
    return j;
  }

  private heredoc(i: number, to: number): number {
    const src = this.src;
    let j = i + 3;
    while (src.charCodeAt(j) === 32 || src.charCodeAt(j) === 9) j++;
    let quote = 0;
    if (src.charCodeAt(j) === 39 || src.charCodeAt(j) === 34) quote = src.charCodeAt(j++);
    const ls = j;
    if (!isIdStart(src.charCodeAt(j))) bail();
    while (isIdChar(src.charCodeAt(j))) j++;
    const label = src.slice(ls, j);
    if (quote) {
      if (src.charCodeAt(j) !== quote) bail();
      j++;
    }
    if (src.charCodeAt(j) !== 10) bail();
    // the closing label: first line whose first non-blank characters are the label, not followed by an identifier character
    let lineStart = j + 1;
    for (;;) {
      if (lineStart >= to) bail();
      let k = lineStart;
      while (src.charCodeAt(k) === 32 || src.charCodeAt(k) === 9) k++;
      if (src.startsWith(label, k) && !isIdChar(src.charCodeAt(k + label.length))) {
        const end = k + label.length;
        this.push(quote === 39 ? T_NOWDOC : T_HEREDOC, i, end, label);
        return end;
      }
      const nl = src.indexOf('\n', lineStart);
      if (nl === -1 || nl >= to) bail();
      lineStart = nl + 1;
    }
  }
}

/** End (after the closing quote) of a double-quoted string starting after its quote at `i`. */
function skipDq(src: string, i: number, to: number, quote: number): number {
  let j = i;
  for (;;) {
    if (j >= to) bail();
    const d = src.charCodeAt(j);
    if (d === 92) j += 2;
    else if (d === quote) return j + 1;
    else if (d === 123 /* { */ && src.charCodeAt(j + 1) === 36) j = skipBraces(src, j + 1, to);
    else j++;
  }
}

/** Skips a `{$…}` interpolation: returns the index after its closing brace. */
function skipBraces(src: string, i: number, to: number): number {
  let depth = 1;
  let j = i;
  while (j < to) {
    const d = src.charCodeAt(j);
    if (d === 123) depth++;
    else if (d === 125) {
      if (--depth === 0) return j + 1;
    } else if (d === 39) {
      j++;
      while (j < to && src.charCodeAt(j) !== 39) j += src.charCodeAt(j) === 92 ? 2 : 1;
    } else if (d === 34) {
      j = skipDq(src, j + 1, to, 34) - 1;
    } else if (d === 10 || (d === 47 && (src.charCodeAt(j + 1) === 42 || src.charCodeAt(j + 1) === 47)) || d === 35 || d === 60) bail();
    j++;
  }
  bail();
}

// ---- positions ----------------------------------------------------------------------------------

interface Pos {
  line: number;
  column: number;
  offset: number;
}

class Lines {
  private readonly starts: number[] = [0];
  constructor(src: string) {
    for (let i = src.indexOf('\n'); i !== -1; i = src.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  /** The line (0-based) of the last position asked: positions come mostly in order, close together. */
  private last = 0;
  pos(offset: number): Pos {
    const s = this.starts;
    let k = this.last;
    if (s[k]! <= offset) {
      const stop = Math.min(k + 8, s.length - 1);
      while (k < stop && s[k + 1]! <= offset) k++;
      if (k === s.length - 1 || s[k + 1]! > offset) {
        this.last = k;
        return { line: k + 1, column: offset - s[k]!, offset };
      }
    }
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    this.last = lo;
    return { line: lo + 1, column: offset - s[lo]!, offset };
  }
}

// ---- expressions: precedence --------------------------------------------------------------------

const P_OR = 1;
const P_XOR = 2;
const P_AND = 3;
const P_TERNARY = 5;
const P_COALESCE = 6;
const P_BOOL_OR = 7;
const P_BOOL_AND = 8;
const P_BIT_OR = 9;
const P_BIT_XOR = 10;
const P_BIT_AND = 11;
const P_EQUALITY = 12;
const P_COMPARE = 13;
// php-parser keeps PHP 7's order here: `.` binds like `+`/`-`, and tighter than `<<`/`>>`
const P_SHIFT = 15;
const P_ADD = 16;
const P_CONCAT = P_ADD;
const P_MUL = 17;
const P_INSTANCEOF = 19;
const P_POW = 21;

const BINARY = new Map<string, number>([
  ['or', P_OR], ['xor', P_XOR], ['and', P_AND],
  ['??', P_COALESCE], ['||', P_BOOL_OR], ['&&', P_BOOL_AND], ['|', P_BIT_OR], ['^', P_BIT_XOR], ['&', P_BIT_AND],
  ['==', P_EQUALITY], ['!=', P_EQUALITY], ['===', P_EQUALITY], ['!==', P_EQUALITY], ['<>', P_EQUALITY], ['<=>', P_EQUALITY],
  ['<', P_COMPARE], ['<=', P_COMPARE], ['>', P_COMPARE], ['>=', P_COMPARE],
  ['.', P_CONCAT], ['<<', P_SHIFT], ['>>', P_SHIFT], ['+', P_ADD], ['-', P_ADD], ['*', P_MUL], ['/', P_MUL], ['%', P_MUL],
  ['instanceof', P_INSTANCEOF], ['**', P_POW],
]);
const ASSIGN_OPS = new Set(['=', '+=', '-=', '*=', '**=', '/=', '.=', '%=', '&=', '|=', '^=', '<<=', '>>=', '??=']);
const CASTS = new Map<string, string>([
  ['int', 'int'], ['integer', 'int'], ['bool', 'bool'], ['boolean', 'bool'], ['float', 'float'], ['double', 'float'], ['real', 'float'],
  ['string', 'string'], ['array', 'array'], ['object', 'object'], ['binary', 'binary'],
]);
const MAGIC = new Set(['__DIR__', '__FILE__', '__LINE__', '__CLASS__', '__FUNCTION__', '__METHOD__', '__NAMESPACE__', '__TRAIT__']);
/** Type names php-parser reads as `typereference`. */
const BUILTIN_TYPES = new Set(['int', 'float', 'string', 'bool', 'array', 'callable', 'iterable', 'object', 'mixed', 'void', 'null', 'never', 'false', 'true', 'static']);
/** Reserved words that never start a name in an expression. */
const RESERVED = new Set([
  'abstract', 'and', 'array', 'as', 'break', 'callable', 'case', 'catch', 'class', 'clone', 'const', 'continue', 'declare', 'default', 'do', 'echo', 'else',
  'elseif', 'empty', 'enddeclare', 'endfor', 'endforeach', 'endif', 'endswitch', 'endwhile', 'eval', 'exit', 'die', 'extends', 'final', 'finally', 'fn', 'for',
  'foreach', 'function', 'global', 'goto', 'if', 'implements', 'include', 'include_once', 'instanceof', 'insteadof', 'interface', 'isset', 'list', 'match',
  'namespace', 'new', 'or', 'print', 'private', 'protected', 'public', 'readonly', 'require', 'require_once', 'return', 'static', 'switch', 'throw', 'trait',
  'try', 'unset', 'use', 'var', 'while', 'xor', 'yield', '__halt_compiler',
]);

// ---- the parser ---------------------------------------------------------------------------------

class Parser {
  private readonly tt: number[];
  private readonly ts: number[];
  private readonly te: number[];
  private readonly tv: string[];
  private readonly tk: string[];
  private readonly comments: Comment[];
  /** Index of the first comment before each token, -1 for none. */
  private readonly firstComment: Int32Array;
  private p = 0;
  /**
   * Where binary operators and assignments start when their left operand starts elsewhere than its
   * loc: at the `(` of a parenthesized expression, at the base of `$a[]`.
   */
  private readonly parenStart = new Map<object, number>();

  constructor(private readonly src: string, private readonly lines: Lines, lex: Lexer) {
    this.tt = lex.tt;
    this.ts = lex.ts;
    this.te = lex.te;
    this.tv = lex.tv;
    this.tk = lex.tk;
    this.comments = lex.comments;
    this.firstComment = new Int32Array(lex.tt.length + 1).fill(-1);
    for (let i = lex.comments.length - 1; i >= 0; i--) this.firstComment[lex.comments[i]!.tok] = i;
  }

  // -- token helpers

  private isOp(v: string): boolean {
    return this.tt[this.p] === T_OP && this.tv[this.p] === v;
  }
  private isOpAt(k: number, v: string): boolean {
    return this.tt[k] === T_OP && this.tv[k] === v;
  }
  /** Keyword test (case-insensitive). */
  private isKw(v: string): boolean {
    return this.tk[this.p] === v;
  }
  private kwAt(k: number): string {
    return this.tk[k]!;
  }
  private eat(v: string): boolean {
    if (this.isOp(v)) {
      this.p++;
      return true;
    }
    return false;
  }
  private expect(v: string): number {
    if (!this.isOp(v)) bail();
    return this.p++;
  }
  private expectKw(v: string): void {
    if (!this.isKw(v)) bail();
    this.p++;
  }
  private get start(): number {
    return this.ts[this.p]!;
  }
  /** End offset of the last consumed token. */
  private get prevEnd(): number {
    return this.te[this.p - 1]!;
  }

  // -- nodes

  private loc(start: number, end: number): { source: null; start: Pos; end: Pos } {
    return { source: null, start: this.lines.pos(start), end: this.lines.pos(end) };
  }

  /** A node with its kind and loc (end filled by `done`). */
  private node(kind: string, start: number, docs?: PhpNode[]): any {
    if (docs) return { kind, leadingComments: docs, loc: start as any };
    return { kind, loc: start as any };
  }
  private done<T extends { loc: any }>(n: T, end = this.prevEnd): T {
    n.loc = this.loc(n.loc as number, end);
    return n;
  }
  /**
   * Consumes the `;` of a declaration php-parser ends before it — use, class constant, property,
   * enum case, a method without a body — and returns that end for `done`.
   */
  private endBeforeSemicolon(): number {
    const end = this.prevEnd;
    this.expect(';');
    return end;
  }

  /** Comments before the current token, taken as a statement's or member's leading comments. */
  private leading(): PhpNode[] | undefined {
    let i = this.firstComment[this.p]!;
    if (i === -1) return undefined;
    let out: PhpNode[] | undefined;
    for (const cs = this.comments; i < cs.length && cs[i]!.tok === this.p; i++) {
      const c = cs[i]!;
      if (c.glued && !c.used) bail();
      if (!c.used) {
        c.used = true;
        (out ??= []).push(this.commentNode(c));
      }
    }
    return out;
  }
  private commentNode(c: Comment): PhpNode {
    return { kind: c.block ? 'commentblock' : 'commentline', loc: this.loc(c.start, c.end), value: this.src.slice(c.start, c.end), offset: c.start };
  }
  /**
   * Comments after the last statement of a list (before its `}` or the end of the file): php-parser
   * keeps them as `trailingComments` of the statement before, which nothing reads (the analyser and
   * `walk` skip them), so they are dropped. An empty list's comments decline.
   */
  private trailing(statements: number, emptyToo = false): void {
    if (!this.hasCommentsBefore(this.p)) return;
    if (!statements && !emptyToo) bail();
    for (let i = this.firstComment[this.p]!; i < this.comments.length && this.comments[i]!.tok === this.p; i++) this.comments[i]!.used = true;
  }

  /**
   * A comment glued after the statement before (`f();// x`): php-parser makes it a trailing comment
   * of that statement, which nothing reads (dropped), but after `use`, `namespace` and a bare
   * `return;` it leads the next statement (declined, as is any other glued comment).
   */
  private gluedAfter(prev: PhpNode | undefined): void {
    const i = this.firstComment[this.p]!;
    if (i === -1) return;
    const c = this.comments[i]!;
    if (!c.glued || c.used) return;
    if (!prev || prev.kind === 'usegroup' || prev.kind === 'namespace' || (prev.kind === 'return' && !prev.expr)) bail();
    c.used = true;
  }

  private hasCommentsBefore(k: number): boolean {
    let i = this.firstComment[k]!;
    if (i === -1) return false;
    for (; i < this.comments.length && this.comments[i]!.tok === k; i++) if (!this.comments[i]!.used) return true;
    return false;
  }

  /** Where a binary operator or assignment with left operand `n` starts (php-parser's rule, observed). */
  private startOf(n: any): number {
    const s = this.parenStart.get(n);
    if (s !== undefined) return s;
    const k = n.kind;
    // php-parser reads `x instanceof Y` as one operand: the operator after it starts where it is
    if (k === 'bin' && n.type === 'instanceof') return this.ts[this.p]!;
    if (k === 'propertylookup' || k === 'nullsafepropertylookup' || k === 'staticlookup' || k === 'offsetlookup' || k === 'call') return this.startOf(n.what);
    return n.loc.start.offset;
  }

  // -- program and statements

  program(): PhpNode {
    const children: PhpNode[] = [];
    let prev: PhpNode | undefined;
    while (this.tt[this.p] !== T_EOF) {
      if (prev) this.gluedAfter(prev);
      if (this.isKw('namespace')) {
        children.push(this.namespace());
        continue;
      }
      const s = this.statement(true);
      if (s) children.push(s);
      prev = s;
    }
    // a file of comments only: php-parser holds them in a `noop` at the start of the file
    if (!children.length && this.hasCommentsBefore(this.p)) {
      const n = this.node('noop', 0, this.leading());
      children.push(this.done(n, this.src.length));
    }
    this.trailing(children.length);
    // a comment anywhere else (inside an expression …): php-parser attaches it somewhere of its own
    for (const c of this.comments) {
      if (c.used) continue;
      onBail?.(`unused comment ${JSON.stringify(this.src.slice(c.start, c.end))}`);
      bail();
    }
    return {
      kind: 'program',
      loc: this.loc(0, this.src.length),
      children,
      errors: [],
      comments: this.comments.map((c) => this.commentNode(c)),
    };
  }

  private namespace(): PhpNode {
    const docs = this.leading();
    const n = this.node('namespace', this.start, docs);
    this.p++;
    if (this.tt[this.p] !== T_IDENT && this.tt[this.p] !== T_NAME) bail();
    const name = this.tv[this.p++]!;
    if (name.startsWith('\\')) bail();
    if (!this.isOp(';')) bail(); // braced namespaces: rare
    this.p++;
    const children: PhpNode[] = [];
    let prev: PhpNode | undefined = n;
    while (this.tt[this.p] !== T_EOF) {
      if (this.isKw('namespace')) bail();
      this.gluedAfter(prev);
      const s = this.statement(true);
      if (s) children.push(s);
      prev = s;
    }
    n.children = children;
    n.name = name;
    n.withBrackets = false;
    return this.done(n);
  }

  private statements(): PhpNode[] {
    const out: PhpNode[] = [];
    // comments alone in a block: php-parser holds them in a `noop` statement
    if (this.isOp('}') && this.hasCommentsBefore(this.p)) {
      const n = this.node('noop', this.prevEnd, this.leading());
      out.push(this.done(n, this.ts[this.p]));
      return out;
    }
    let prev: PhpNode | undefined;
    while (!this.isOp('}')) {
      if (this.tt[this.p] === T_EOF) bail();
      if (prev) this.gluedAfter(prev);
      const s = this.statement(false);
      if (s) out.push(s);
      prev = s;
    }
    if (prev) this.gluedAfter(prev);
    this.trailing(out.length);
    return out;
  }

  private block(docs?: PhpNode[]): PhpNode {
    const n = this.node('block', this.start, docs);
    this.expect('{');
    n.children = this.statements();
    this.p++;
    return this.done(n);
  }

  /** A statement; undefined for an empty `;`. */
  private statement(top: boolean): PhpNode | undefined {
    const docs = this.leading();
    const t = this.tt[this.p];
    const start = this.start;
    if (t === T_OP) {
      const v = this.tv[this.p];
      if (v === '{') {
        if (docs) bail();
        return this.block();
      }
      if (v === ';') {
        if (docs) bail();
        this.p++;
        return undefined;
      }
      if (v === '#[') return this.attributed(docs);
    } else if (t === T_IDENT) {
      const kw = this.tk[this.p]!;
      const next = this.tt[this.p + 1] === T_OP ? this.tv[this.p + 1] : '';
      // a label (`name:`) is a goto target: decline
      if (next === ':' && !RESERVED.has(kw)) bail();
      switch (kw) {
        case 'if':
          return this.ifStatement(docs);
        case 'return': {
          const n = this.node('return', start, docs);
          this.p++;
          n.expr = this.isOp(';') ? null : this.expr();
          this.expect(';');
          return this.done(n);
        }
        case 'foreach':
          return this.foreachStatement(docs);
        case 'for':
          return this.forStatement(docs);
        case 'while': {
          const n = this.node('while', start, docs);
          this.p++;
          this.expect('(');
          n.test = this.expr();
          this.expect(')');
          n.body = this.body();
          n.shortForm = false;
          return this.done(n);
        }
        case 'do': {
          const n = this.node('do', start, docs);
          this.p++;
          const body = this.body();
          this.expectKw('while');
          this.expect('(');
          n.test = this.expr();
          this.expect(')');
          this.expect(';');
          n.body = body;
          return this.done(n);
        }
        case 'switch':
          return this.switchStatement(docs);
        case 'try':
          return this.tryStatement(docs);
        case 'break':
        case 'continue': {
          const n = this.node(kw, start, docs);
          this.p++;
          n.level = this.isOp(';') ? null : this.expr();
          this.expect(';');
          return this.done(n);
        }
        case 'echo': {
          const n = this.node('echo', start, docs);
          this.p++;
          n.shortForm = false;
          n.expressions = this.exprList(';');
          this.expect(';');
          return this.done(n);
        }
        case 'unset': {
          if (next !== '(') bail();
          const n = this.node('unset', start, docs);
          this.p += 2;
          n.variables = this.exprList(')');
          for (const v of n.variables) if (!isVariableLike(v)) bail();
          this.expect(')');
          this.expect(';');
          return this.done(n);
        }
        case 'global': {
          const n = this.node('global', start, docs);
          this.p++;
          const items: PhpNode[] = [];
          do {
            if (this.tt[this.p] !== T_VAR) bail();
            items.push(this.variable());
          } while (this.eat(','));
          this.expect(';');
          n.items = items;
          return this.done(n);
        }
        case 'static':
          if (this.tt[this.p + 1] === T_VAR) return this.staticStatement(docs);
          break;
        case 'function':
          if (this.tt[this.p + 1] === T_IDENT || (next === '&' && this.tt[this.p + 2] === T_IDENT)) return this.functionDecl(docs, start, []);
          break;
        case 'abstract':
        case 'final':
        case 'readonly':
        case 'class':
          if (kw !== 'class' || this.tt[this.p + 1] === T_IDENT) return this.classDecl(docs, [], start);
          break;
        case 'interface':
          return this.interfaceDecl(docs, [], start);
        case 'trait':
          return this.traitDecl(docs, [], start);
        case 'enum':
          if (this.tt[this.p + 1] === T_IDENT) return this.enumDecl(docs, [], start);
          break;
        case 'use':
          if (!top) bail();
          return this.useStatement(docs);
        case 'const': {
          if (!top) bail();
          const n = this.node('constantstatement', start, docs);
          this.p++;
          n.constants = this.constants();
          this.expect(';');
          return this.done(n);
        }
        case 'declare':
          if (next === '(') return this.declareStatement(docs);
          bail();
          break;
        case 'namespace':
        case 'goto':
        case '__halt_compiler':
        case 'else':
        case 'elseif':
        case 'case':
        case 'default':
        case 'endif':
        case 'endforeach':
        case 'endwhile':
        case 'endfor':
        case 'endswitch':
        case 'enddeclare':
          bail();
      }
      // (php-parser has a `throw` statement besides the expression)
      if (kw === 'throw') {
        const n = this.node('throw', start, docs);
        this.p++;
        n.what = this.expr();
        this.expect(';');
        return this.done(n);
      }
    }
    const n = this.node('expressionstatement', start, docs);
    n.expression = this.expr();
    if (n.expression.parenthesizedExpression || n.expression.kind === 'bin' || n.expression.kind === 'retif') this.unsureEnds = true;
    n.loc = n.expression.loc.start.offset;
    this.expect(';');
    this.done(n);
    // (php-parser ends the statement's expression at its `;` too)
    n.expression.loc.end = { ...n.loc.end };
    return n;
  }

  /** Statement declarations with attributes: functions and classes. */
  private attributed(docs: PhpNode[] | undefined): PhpNode {
    const groups = this.attrGroups(docs);
    const kw = this.kwAt(this.p);
    const start = this.start;
    if (kw === 'function' && this.tt[this.p + 1] === T_IDENT) return this.functionDecl(undefined, start, groups);
    if (kw === 'class' || kw === 'abstract' || kw === 'final' || kw === 'readonly') return this.classDecl(undefined, groups, start);
    if (kw === 'interface') return this.interfaceDecl(undefined, groups, start);
    if (kw === 'trait') return this.traitDecl(undefined, groups, start);
    if (kw === 'enum') return this.enumDecl(undefined, groups, start);
    bail();
  }

  /** `if` statement (and `elseif` chain). */
  private ifStatement(docs: PhpNode[] | undefined): PhpNode {
    const n = this.node('if', this.start, docs);
    this.p++;
    this.expect('(');
    n.test = this.expr();
    this.expect(')');
    if (this.isOp(':')) bail();
    n.body = this.body();
    n.alternate = null;
    if (this.isKw('elseif')) {
      n.alternate = this.ifStatement(this.leading());
    } else if (this.isKw('else')) {
      // comments around `else` lead the `if` or block that follows
      const before = this.leading();
      this.p++;
      if (this.isOp(':')) bail();
      const after = this.leading();
      const docs = before && after ? before.concat(after) : before ?? after;
      if (this.isKw('if')) n.alternate = this.ifStatement(docs);
      else if (this.isOp('{')) n.alternate = this.block(docs);
      else if (docs) bail();
      else n.alternate = this.body();
    }
    n.shortForm = false;
    return this.done(n);
  }

  /** The body of a control statement: a block or a single statement. */
  private body(): PhpNode {
    if (this.isOp(':')) bail();
    if (this.isOp('{')) {
      if (this.hasCommentsBefore(this.p)) bail();
      return this.block();
    }
    const s = this.statement(false);
    if (!s) bail(); // `while (x);`
    return s;
  }

  private foreachStatement(docs: PhpNode[] | undefined): PhpNode {
    const n = this.node('foreach', this.start, docs);
    this.p++;
    this.expect('(');
    n.source = this.expr();
    this.expectKw('as');
    let first = this.foreachTarget();
    let key: PhpNode | null = null;
    if (this.eat('=>')) {
      key = first;
      first = this.foreachTarget();
    }
    this.expect(')');
    n.key = key;
    n.value = first;
    n.shortForm = false;
    n.body = this.body();
    return this.done(n);
  }

  private foreachTarget(): PhpNode {
    if (this.isOp('&')) {
      const amp = this.start;
      this.p++;
      if (this.tt[this.p] !== T_VAR) bail();
      const v = this.variable();
      (v as any).loc.start = this.lines.pos(amp);
      v.byref = true;
      return v;
    }
    // a variable, a lookup or a list: no operators, no assignment
    const e = this.postfix(this.primary(), false);
    if (e.parenthesizedExpression) bail();
    const k = e.kind;
    if (k === 'array' || k === 'list') return this.toList(e);
    if (k !== 'variable' && k !== 'propertylookup' && k !== 'staticlookup' && k !== 'offsetlookup') bail();
    return e;
  }

  private forStatement(docs: PhpNode[] | undefined): PhpNode {
    const n = this.node('for', this.start, docs);
    this.p++;
    this.expect('(');
    n.init = this.exprList(';');
    this.expect(';');
    n.test = this.exprList(';');
    this.expect(';');
    n.increment = this.exprList(')');
    this.expect(')');
    n.shortForm = false;
    n.body = this.body();
    return this.done(n);
  }

  private switchStatement(docs: PhpNode[] | undefined): PhpNode {
    const n = this.node('switch', this.start, docs);
    this.p++;
    this.expect('(');
    n.test = this.expr();
    this.expect(')');
    const body = this.node('block', this.start);
    this.expect('{');
    const cases: PhpNode[] = [];
    while (!this.isOp('}')) {
      const cdocs = this.leading();
      const c = this.node('case', this.start, cdocs);
      if (this.isKw('case')) {
        this.p++;
        c.test = this.expr();
      } else if (this.isKw('default')) {
        this.p++;
        c.test = null;
      } else bail();
      if (!this.eat(':') && !this.eat(';')) bail();
      const colonEnd = this.prevEnd;
      // comments before a case's first statement lead the case's block
      const bdocs = this.leading();
      const b = this.node('block', this.isOp('}') || this.isKw('case') || this.isKw('default') ? colonEnd : this.start, bdocs);
      const stmts: PhpNode[] = [];
      let prev: PhpNode | undefined;
      while (!this.isOp('}') && !this.isKw('case') && !this.isKw('default')) {
        if (this.tt[this.p] === T_EOF) bail();
        if (prev) this.gluedAfter(prev);
        const s = this.statement(false);
        if (s) stmts.push(s);
        prev = s;
      }
      if (prev) this.gluedAfter(prev);
      // comments before the next case lead it; before the switch's `}` they trail this case
      if (this.isOp('}')) this.trailing(1);
      b.children = stmts;
      // (an empty case: php-parser's block runs up to the next token)
      c.body = this.done(b, stmts.length ? this.prevEnd : this.start);
      cases.push(this.done(c));
    }
    this.p++;
    body.children = cases;
    n.body = this.done(body);
    n.shortForm = false;
    return this.done(n);
  }

  private tryStatement(docs: PhpNode[] | undefined): PhpNode {
    const n = this.node('try', this.start, docs);
    this.p++;
    n.body = this.block();
    const catches: PhpNode[] = [];
    while (this.isKw('catch')) {
      if (this.hasCommentsBefore(this.p)) bail();
      const c = this.node('catch', this.start);
      this.p++;
      this.expect('(');
      const what: PhpNode[] = [];
      do what.push(this.name());
      while (this.eat('|'));
      const variable = this.tt[this.p] === T_VAR ? this.variable() : null;
      this.expect(')');
      c.body = this.block();
      c.what = what;
      c.variable = variable;
      catches.push(this.done(c));
    }
    n.catches = catches;
    n.always = null;
    if (this.isKw('finally')) {
      if (this.hasCommentsBefore(this.p)) bail();
      this.p++;
      n.always = this.block();
    }
    if (!catches.length && !n.always) bail();
    return this.done(n);
  }

  /** `declare(strict_types=1);` (the block and `:` forms decline). */
  private declareStatement(docs: PhpNode[] | undefined): PhpNode {
    const n = this.node('declare', this.start, docs);
    this.p += 2;
    const directives: PhpNode[] = [];
    do {
      const d = this.node('declaredirective', this.start);
      d.key = this.identifier();
      this.expect('=');
      d.value = this.expr();
      directives.push(this.done(d));
    } while (this.eat(','));
    this.expect(')');
    this.expect(';');
    n.children = [];
    n.directives = directives;
    n.mode = 'none';
    return this.done(n);
  }

  private staticStatement(docs: PhpNode[] | undefined): PhpNode {
    const n = this.node('static', this.start, docs);
    this.p++;
    const vars: PhpNode[] = [];
    do {
      if (this.tt[this.p] !== T_VAR) bail();
      const v = this.variable();
      if (this.eat('=')) {
        const sv = this.node('staticvariable', (v as any).loc.start.offset);
        sv.variable = v;
        sv.defaultValue = this.expr();
        vars.push(this.done(sv));
      } else vars.push(v);
    } while (this.eat(','));
    this.expect(';');
    n.variables = vars;
    return this.done(n);
  }

  private useStatement(docs: PhpNode[] | undefined): PhpNode {
    const n = this.node('usegroup', this.start, docs);
    this.p++;
    let type: string | null = null;
    if ((this.isKw('function') || this.isKw('const')) && (this.tt[this.p + 1] === T_IDENT || this.tt[this.p + 1] === T_NAME)) type = this.tk[this.p++]!;
    const items: PhpNode[] = [];
    // group use: `use A\{B, C as D};` (the lexer stops the name before `\{`)
    if ((this.tt[this.p] === T_NAME || this.tt[this.p] === T_IDENT) && this.isOpAt(this.p + 1, '{')) bail();
    do {
      if (this.tt[this.p] !== T_NAME && (this.tt[this.p] !== T_IDENT || RESERVED.has(this.tk[this.p]!))) bail();
      const it = this.node('useitem', this.start);
      it.name = this.tv[this.p++]!;
      it.alias = null;
      if (this.isKw('as')) {
        this.p++;
        it.alias = this.identifier();
      }
      it.type = null;
      items.push(this.done(it));
    } while (this.eat(','));
    const end = this.endBeforeSemicolon();
    n.name = null; // (group use declines)
    n.type = type;
    n.items = items;
    return this.done(n, end);
  }

  // -- declarations

  private functionDecl(docs: PhpNode[] | undefined, start: number, attrGroups: PhpNode[]): PhpNode {
    const n = this.node('function', start, docs);
    this.p++;
    const byref = this.eat('&');
    n.name = this.identifier();
    n.arguments = this.params();
    n.byref = byref;
    this.returnType(n);
    n.body = this.block();
    n.attrGroups = attrGroups;
    return this.done(n);
  }

  /** `: type` of a function: sets `type` and `nullable` in that order. */
  private returnType(n: any): void {
    n.type = null;
    n.nullable = false;
    if (this.eat(':')) {
      if (this.eat('?')) n.nullable = true;
      n.type = this.type();
    }
  }

  private classDecl(docs: PhpNode[] | undefined, attrGroups: PhpNode[], start: number): PhpNode {
    const n = this.node('class', start, docs);
    let isAbstract = false;
    let isFinal = false;
    let isReadonly = false;
    for (;;) {
      const kw = this.kwAt(this.p);
      // (a repeated modifier is an error)
      if (kw === 'abstract' && !isAbstract) isAbstract = true;
      else if (kw === 'final' && !isFinal) isFinal = true;
      else if (kw === 'readonly' && !isReadonly) isReadonly = true;
      else if (kw === 'abstract' || kw === 'final' || kw === 'readonly') bail();
      else break;
      this.p++;
    }
    this.expectKw('class');
    n.name = this.identifier();
    n.isAnonymous = false;
    this.classTail(n);
    n.attrGroups = attrGroups;
    n.isAbstract = isAbstract;
    n.isFinal = isFinal;
    n.isReadonly = isReadonly;
    return this.done(n);
  }

  /** `extends … implements … { body }` */
  private classTail(n: any): void {
    n.extends = null;
    if (this.isKw('extends')) {
      this.p++;
      n.extends = this.name();
    }
    n.implements = this.namesAfter('implements');
    n.body = this.classBody();
  }

  private nameList(): PhpNode[] {
    const out: PhpNode[] = [];
    do out.push(this.name());
    while (this.eat(','));
    return out;
  }

  /** `implements A, B` / an interface's `extends A, B`: the names, or null without the keyword. */
  private namesAfter(keyword: string): PhpNode[] | null {
    if (!this.isKw(keyword)) return null;
    this.p++;
    return this.nameList();
  }

  private interfaceDecl(docs: PhpNode[] | undefined, attrGroups: PhpNode[], start: number): PhpNode {
    return this.typeDecl('interface', docs, attrGroups, start, (n) => {
      n.extends = this.namesAfter('extends');
    });
  }

  private traitDecl(docs: PhpNode[] | undefined, attrGroups: PhpNode[], start: number): PhpNode {
    return this.typeDecl('trait', docs, attrGroups, start, () => {});
  }

  private enumDecl(docs: PhpNode[] | undefined, attrGroups: PhpNode[], start: number): PhpNode {
    return this.typeDecl('enum', docs, attrGroups, start, (n) => {
      n.valueType = null;
      if (this.eat(':')) n.valueType = this.name();
      n.implements = this.namesAfter('implements');
    });
  }

  /** An interface, trait or enum: keyword, name, what `head` reads after it, body — fields in php-parser's order. */
  private typeDecl(kind: string, docs: PhpNode[] | undefined, attrGroups: PhpNode[], start: number, head: (n: any) => void): PhpNode {
    const n = this.node(kind, start, docs);
    this.p++;
    n.name = this.identifier();
    head(n);
    n.body = this.classBody();
    n.attrGroups = attrGroups;
    return this.done(n);
  }

  private classBody(): PhpNode[] {
    this.expect('{');
    const out: PhpNode[] = [];
    while (!this.isOp('}')) {
      if (this.tt[this.p] === T_EOF) bail();
      out.push(this.member());
    }
    // (in an empty class they trail its name)
    this.trailing(out.length, true);
    this.p++;
    return out;
  }

  private member(): PhpNode {
    let docs = this.leading();
    let attrGroups: PhpNode[] = [];
    // a member starts at its attributes
    const start = this.start;
    if (this.isOp('#[')) {
      attrGroups = this.attrGroups(docs);
      docs = undefined;
    }
    const kw = this.kwAt(this.p);
    if (kw === 'use') {
      if (attrGroups.length) bail();
      const n = this.node('traituse', start, docs);
      this.p++;
      n.traits = this.nameList();
      if (this.isOp('{')) bail();
      this.expect(';');
      n.adaptations = null;
      return this.done(n);
    }
    if (kw === 'case') {
      if (attrGroups.length) bail();
      const n = this.node('enumcase', start, docs);
      this.p++;
      const id = this.identifier();
      (id as any).loc.start = this.lines.pos(start);
      n.name = id;
      n.value = this.eat('=') ? this.expr() : null;
      return this.done(n, this.endBeforeSemicolon());
    }
    let visibility = '';
    let isStatic = false;
    let isAbstract = false;
    let isFinal = false;
    let isReadonly = false;
    let isVar = false;
    for (;;) {
      const m = this.kwAt(this.p);
      if (m === 'public' || m === 'protected' || m === 'private') {
        if (visibility || this.isOpAt(this.p + 1, '(')) bail(); // asymmetric visibility: rare
        visibility = m;
      } else if (m === 'static' && !isStatic) isStatic = true;
      else if (m === 'abstract' && !isAbstract) isAbstract = true;
      else if (m === 'final' && !isFinal) isFinal = true;
      else if (m === 'readonly' && !isReadonly) isReadonly = true;
      else if (m === 'var' && !isVar) isVar = true;
      else if (m === 'static' || m === 'abstract' || m === 'final' || m === 'readonly' || m === 'var') bail();
      else break;
      this.p++;
    }
    const what = this.kwAt(this.p);
    if (what === 'function') {
      if (isVar) bail();
      const n = this.node('method', start, docs);
      this.p++;
      const byref = this.eat('&');
      n.name = this.identifier(true);
      n.arguments = this.params();
      n.byref = byref;
      this.returnType(n);
      // (a method without a body ends before its `;`)
      let end = -1;
      if (this.isOp(';')) {
        end = this.endBeforeSemicolon();
        n.body = null;
      } else n.body = this.block();
      n.attrGroups = attrGroups;
      n.isAbstract = isAbstract;
      n.isFinal = isFinal;
      n.isReadonly = isReadonly;
      n.visibility = visibility;
      n.isStatic = isStatic;
      n.visibilitySet = null;
      return this.done(n, end === -1 ? this.prevEnd : end);
    }
    if (what === 'const') {
      if (isStatic || isAbstract || isReadonly || isVar) bail();
      const n = this.node('classconstant', start, docs);
      this.p++;
      let type: PhpNode | null = null;
      let nullable = false;
      // a typed constant: a type before the name
      if (!(this.tt[this.p] === T_IDENT && this.isOpAt(this.p + 1, '='))) {
        if (this.eat('?')) nullable = true;
        type = this.type();
      }
      n.constants = this.constants();
      const end = this.endBeforeSemicolon();
      n.visibility = visibility;
      n.final = isFinal;
      n.nullable = nullable;
      n.type = type;
      n.attrGroups = attrGroups;
      return this.done(n, end);
    }
    // a property statement
    if (isAbstract) bail();
    if (!visibility && !isStatic && !isReadonly && !isVar && !isFinal) bail();
    const n = this.node('propertystatement', start, docs);
    let type: PhpNode | null = null;
    let nullable = false;
    const propStart = this.start;
    if (this.tt[this.p] !== T_VAR) {
      if (this.eat('?')) nullable = true;
      type = this.type();
    }
    const props: PhpNode[] = [];
    let first = true;
    do {
      if (this.tt[this.p] !== T_VAR) bail();
      const pr = this.node('property', first ? propStart : this.start);
      pr.name = this.varIdentifier();
      pr.value = this.eat('=') ? this.expr() : null;
      if (this.isOp('{')) bail(); // property hooks
      // (php-parser gives the type to the first property of a statement only)
      pr.readonly = isReadonly;
      pr.nullable = first ? nullable : false;
      pr.type = first ? type : null;
      pr.attrGroups = attrGroups;
      pr.hooks = [];
      props.push(this.done(pr));
      if (!first && attrGroups.length) bail();
      first = false;
    } while (this.eat(','));
    const end = this.endBeforeSemicolon();
    n.properties = props;
    n.visibility = isVar && !visibility ? null : visibility;
    n.isStatic = isStatic;
    n.isAbstract = false;
    n.isFinal = isFinal;
    n.visibilitySet = null;
    return this.done(n, end);
  }

  private constants(): PhpNode[] {
    const out: PhpNode[] = [];
    do {
      const c = this.node('constant', this.start);
      c.name = this.identifier(true);
      this.expect('=');
      c.value = this.expr();
      out.push(this.done(c));
    } while (this.eat(','));
    return out;
  }

  private attrGroups(docs: PhpNode[] | undefined): PhpNode[] {
    const out: PhpNode[] = [];
    while (this.isOp('#[')) {
      if (out.length && this.hasCommentsBefore(this.p)) bail();
      const g = this.node('attrgroup', this.start, out.length ? undefined : docs);
      this.p++;
      const attrs: PhpNode[] = [];
      do {
        if (this.isOp(']')) break;
        if (this.tt[this.p] !== T_IDENT && this.tt[this.p] !== T_NAME) bail();
        const a = this.node('attribute', this.start);
        a.name = this.tv[this.p++];
        a.args = this.isOp('(') ? this.args() : [];
        attrs.push(this.done(a));
      } while (this.eat(','));
      this.expect(']');
      g.attrs = attrs;
      out.push(this.done(g));
    }
    if (this.hasCommentsBefore(this.p)) bail();
    return out;
  }

  private params(): PhpNode[] {
    this.expect('(');
    const out: PhpNode[] = [];
    while (!this.isOp(')')) {
      const start = this.start;
      const attrGroups = this.isOp('#[') ? this.attrGroups(undefined) : [];
      const n = this.node('parameter', start);
      let flags = 0;
      let readonly = false;
      for (;;) {
        const m = this.kwAt(this.p);
        if ((m === 'public' || m === 'protected' || m === 'private') && flags) bail();
        if (m === 'readonly' && readonly) bail();
        if (m === 'public') flags = 1;
        else if (m === 'protected') flags = 2;
        else if (m === 'private') flags = 4;
        else if (m === 'readonly') readonly = true;
        else break;
        if (this.isOpAt(this.p + 1, '(')) bail();
        this.p++;
      }
      let type: PhpNode | null = null;
      let nullable = false;
      if (this.tt[this.p] !== T_VAR && !this.isOp('&') && !this.isOp('...')) {
        if (this.eat('?')) nullable = true;
        type = this.type();
      }
      const byref = this.eat('&');
      const variadic = this.eat('...');
      if (this.tt[this.p] !== T_VAR) bail();
      n.name = this.varIdentifier();
      n.value = this.eat('=') ? this.expr() : null;
      if (this.isOp('{')) bail();
      n.type = type;
      n.byref = byref;
      n.variadic = variadic;
      n.readonly = readonly;
      n.nullable = nullable;
      n.flags = flags;
      n.hooks = [];
      n.flagsSet = 0;
      n.attrGroups = attrGroups;
      out.push(this.done(n));
      if (!this.eat(',')) break;
    }
    this.expect(')');
    return out;
  }

  /** A type: a name, builtin, union or intersection (DNF types decline). */
  private type(): PhpNode {
    const start = this.start;
    const first = this.singleType();
    if (this.isOp('|') || (this.isOp('&') && this.tt[this.p + 1] !== T_VAR && !this.isOpAt(this.p + 1, '...') && !this.isOpAt(this.p + 1, '&'))) {
      const op = this.tv[this.p];
      const n = this.node(op === '|' ? 'uniontype' : 'intersectiontype', start);
      const types = [first];
      while (this.isOp(op!) && !(op === '&' && (this.tt[this.p + 1] === T_VAR || this.isOpAt(this.p + 1, '...')))) {
        this.p++;
        types.push(this.singleType());
      }
      if (this.isOp('|') || this.isOp('&')) bail();
      n.name = null;
      n.types = types;
      return this.done(n);
    }
    return first;
  }

  private singleType(): PhpNode {
    if (this.isOp('(')) bail();
    const t = this.tt[this.p];
    if (t === T_NAME) return this.name();
    if (t !== T_IDENT) bail();
    const raw = this.tv[this.p]!;
    const lower = this.tk[this.p]!;
    if (lower === 'self' || lower === 'parent') {
      const n = this.node(lower === 'self' ? 'selfreference' : 'parentreference', this.start);
      this.p++;
      n.raw = raw;
      return this.done(n);
    }
    if (BUILTIN_TYPES.has(lower)) {
      const n = this.node('typereference', this.start);
      this.p++;
      n.name = lower;
      n.raw = raw;
      return this.done(n);
    }
    if (RESERVED.has(lower)) bail();
    return this.name();
  }

  // -- names

  private identifier(keywordsOk = true): PhpNode {
    if (this.tt[this.p] !== T_IDENT) bail();
    if (!keywordsOk && RESERVED.has(this.tk[this.p]!)) bail();
    const n = this.node('identifier', this.start);
    n.name = this.tv[this.p++];
    return this.done(n);
  }
  /** `$x` as an identifier named `x` (parameters, properties). */
  private varIdentifier(): PhpNode {
    const n = this.node('identifier', this.start);
    n.name = this.tv[this.p++];
    return this.done(n);
  }

  private name(): PhpNode {
    const t = this.tt[this.p];
    if (t !== T_IDENT && t !== T_NAME) bail();
    const raw = this.tv[this.p]!;
    const n = this.node('name', this.start);
    this.p++;
    if (t === T_IDENT) {
      n.name = raw;
      n.resolution = 'uqn';
    } else if (raw.startsWith('\\')) {
      n.name = raw;
      n.resolution = 'fqn';
    } else if (raw.toLowerCase().startsWith('namespace\\')) {
      n.name = raw.slice(10);
      n.resolution = 'rn';
    } else {
      n.name = raw;
      n.resolution = 'qn';
    }
    return this.done(n);
  }

  private variable(): PhpNode {
    const n = this.node('variable', this.start);
    n.name = this.tv[this.p++];
    n.curly = false;
    return this.done(n);
  }

  /** `$$name` (and `$$$name`): a variable named by another; `${expr}` declines. */
  private variableVariable(): PhpNode {
    const n = this.node('variable', this.start);
    const next = this.p + 1;
    // directly followed by `$name` or another `$`
    if (this.ts[next] !== this.te[this.p]) bail();
    this.p++;
    if (this.tt[this.p] === T_VAR) n.name = this.variable();
    else if (this.tt[this.p] === T_OP && this.tv[this.p] === '$') n.name = this.variableVariable();
    else bail();
    n.curly = false;
    return this.done(n);
  }

  // -- expressions

  private exprList(close: string): PhpNode[] {
    const out: PhpNode[] = [];
    if (this.isOp(close)) return out;
    do {
      if (this.isOp(close)) bail();
      out.push(this.expr());
    } while (this.eat(','));
    return out;
  }

  /** Binary and ternary nodes of the expression being parsed, in the order they were finished. */
  private chain: any[] = [];
  /**
   * Set when the file holds an expression whose `loc.end` (and, for a few, whose shape) php-parser
   * gives in ways this parser does not follow (observed on generated expressions, never in the
   * corpus): an operator after a prefix operator, a prefix operator over a binary or
   * parenthesized operand, `instanceof` after an operator, an
   * assignment inside an operator chain, `and`/`or`/`xor` mixed with `?:`, an expression statement
   * that is an operator or parenthesized. `loc.start` is not affected.
   */
  unsureEnds = false;

  /**
   * An expression. Where php-parser starts its binary and ternary operators, as observed: an
   * operator whose left operand is itself an operator of the expression starts where that operand
   * does; one whose left operand is a plain operand starts where that operand's text starts (at its
   * `(`, or after `x instanceof Y` at the operator) when every operator after it binds tighter —
   * the operators on the expression's right edge — and else where the operand's node starts.
   * (That is what parsing the rest of the expression first, then regrouping by precedence, gives.)
   */
  expr(min = 0): PhpNode {
    const saved = this.chain;
    const chain: any[] = (this.chain = []);
    const n: any = this.binary(min);
    this.chain = saved;
    if (chain.length) {
      const inChain = new Set(chain);
      const edge = new Set<any>();
      for (let e: any = n; inChain.has(e); e = e.kind === 'retif' ? e.falseExpr : e.right) edge.add(e);
      // children are finished before their parents: a left operand's start is final when read.
      // Such a regrouped operator also ends where its last operand's node ends (before the `)` of
      // a parenthesized one), where an operator on the right edge ends at its last token.
      let keywordOp = false;
      let ternary = false;
      for (const b of chain) {
        const left = b.kind === 'retif' ? b.test : b.left;
        const last = b.kind === 'retif' ? b.falseExpr : b.right;
        if (b.kind === 'retif') ternary = true;
        else if (b.type === 'and' || b.type === 'or' || b.type === 'xor') keywordOp = true;
        if (inChain.has(left) || !edge.has(b)) {
          b.loc.start = { ...left.loc.start };
          b.loc.end = { ...last.loc.end };
        }
        if (PREFIX_OPS.has(left.kind)) this.unsureEnds = true;
      }
      if (keywordOp && ternary) this.unsureEnds = true;
    }
    return n;
  }

  /** The operand of a prefix operator (`!`, `-`, `@`, a cast). */
  private prefixOperand(min: number): PhpNode {
    const e: any = this.expr(min);
    if (e.parenthesizedExpression || e.kind === 'bin' || e.kind === 'retif' || e.kind === 'assign') this.unsureEnds = true;
    return e;
  }

  private binary(min: number): PhpNode {
    let left = this.unary();
    for (;;) {
      const t = this.tt[this.p];
      let op: string;
      if (t === T_OP) op = this.tv[this.p]!;
      else if (t === T_IDENT) {
        op = this.tk[this.p]!;
        if (op !== 'and' && op !== 'or' && op !== 'xor' && op !== 'instanceof') break;
      } else break;
      if (op === '?') {
        if (min > P_TERNARY) break;
        // nested ternaries: PHP 8 refuses them but for `a ?: b ?: c`
        if (left.kind === 'retif' && !left.parenthesizedExpression && (left.trueExpr !== null || !this.isOpAt(this.p + 1, ':'))) bail();
        const n = this.node('retif', this.startOf(left));
        this.p++;
        n.test = left;
        if (this.eat(':')) n.trueExpr = null;
        else {
          n.trueExpr = this.expr();
          this.expect(':');
        }
        n.falseExpr = this.binary(P_TERNARY + 1);
        left = this.done(n);
        this.chain.push(left);
        continue;
      }
      const prec = BINARY.get(op);
      if (prec === undefined || prec < min) break;
      if (op === '.' && this.tt[this.p + 1] === T_NUM) {
        // `1 . 2` is fine, but `.5` lexes as a number: `$a .5` — rare, decline
        if (this.ts[this.p + 1] === this.te[this.p]) bail();
      }
      // php-parser groups `$a = $b and $c xor $d` in ways of its own: keyword operators next to an assignment decline
      const keywordOp = prec <= P_AND;
      if (keywordOp && (left.kind === 'assign' || left.kind === 'assignref') && !left.parenthesizedExpression) bail();
      const n = this.node('bin', this.startOf(left));
      this.p++;
      n.type = op === '<>' ? '!=' : op;
      n.left = left;
      if (op === 'instanceof') {
        if (PREFIX_OPS.has(left.kind) || left.kind === 'bin' || left.kind === 'retif') this.unsureEnds = true;
        n.right = this.instanceofRight();
      } else {
        // right associative: `??` and `**`; the others are left associative
        const nextMin = op === '??' || op === '**' ? prec : prec + 1;
        n.right = this.binary(nextMin);
        if (keywordOp && (n.right.kind === 'assign' || n.right.kind === 'assignref') && !n.right.parenthesizedExpression) bail();
        // `$a ?? $b = 1 …`: an assignment inside an operator chain
        if ((n.right.kind === 'assign' || n.right.kind === 'assignref') && !n.right.parenthesizedExpression) this.unsureEnds = true;
        if ((prec === P_EQUALITY || prec === P_COMPARE) && BINARY.get(this.tv[this.p]!) === prec && this.tt[this.p] === T_OP) bail(); // non-associative
      }
      left = this.done(n);
      if (op !== 'instanceof') this.chain.push(left);
    }
    return left;
  }

  private instanceofRight(): PhpNode {
    const t = this.tt[this.p];
    if (t === T_IDENT || t === T_NAME) {
      const lower = this.tk[this.p]!;
      if (lower === 'self' || lower === 'static' || lower === 'parent') bail();
      return this.name();
    }
    if (t === T_VAR) return this.postfix(this.variable(), false);
    bail();
  }

  private unary(): PhpNode {
    const t = this.tt[this.p];
    const start = this.start;
    if (t === T_OP) {
      const v = this.tv[this.p]!;
      switch (v) {
        case '!': {
          this.p++;
          const n = this.node('unary', start);
          n.type = '!';
          n.what = this.prefixOperand(P_INSTANCEOF);
          return this.done(n);
        }
        case '-':
        case '+':
        case '~': {
          this.p++;
          const n = this.node('unary', start);
          n.type = v;
          n.what = this.prefixOperand(P_POW);
          return this.done(n);
        }
        case '@': {
          this.p++;
          const n = this.node('silent', start);
          n.expr = this.prefixOperand(P_POW);
          return this.done(n);
        }
        case '++':
        case '--': {
          this.p++;
          const n = this.node('pre', start);
          n.type = v[0];
          n.what = this.postfix(this.primary(), true);
          return this.done(n);
        }
        case '&':
          bail();
          break;
      }
    } else if (t === T_CAST) {
      const type = CASTS.get(this.tv[this.p]!);
      if (!type) bail(); // (unset)
      const n = this.node('cast', start);
      this.p++;
      n.type = type;
      n.raw = this.src.slice(start, this.prevEnd);
      n.expr = this.prefixOperand(P_POW);
      return this.done(n);
    } else if (t === T_IDENT) {
      const kw = this.tk[this.p]!;
      switch (kw) {
        case 'new':
          return this.postfix(this.newExpr(), true);
        case 'clone': {
          this.p++;
          const n = this.node('clone', start);
          n.what = this.expr(P_POW);
          return this.done(n);
        }
        case 'print': {
          this.p++;
          const n = this.node('print', start);
          n.expression = this.expr(P_AND + 1);
          return this.done(n);
        }
        case 'throw': {
          this.p++;
          const n = this.node('throw', start);
          n.what = this.expr();
          return this.done(n);
        }
        case 'include':
        case 'include_once':
        case 'require':
        case 'require_once': {
          this.p++;
          const n = this.node('include', start);
          n.once = kw.endsWith('_once');
          n.require = kw.startsWith('require');
          n.target = this.expr(P_AND + 1);
          return this.done(n);
        }
        case 'yield':
          return this.yieldExpr();
      }
    }
    return this.postfix(this.primary(), true);
  }

  private yieldExpr(): PhpNode {
    const start = this.start;
    this.p++;
    if (this.isKw('from')) {
      this.p++;
      const n = this.node('yieldfrom', start);
      n.value = this.expr(P_TERNARY);
      return this.done(n);
    }
    const n = this.node('yield', start);
    if (this.isOp(';') || this.isOp(')') || this.isOp(',') || this.isOp(']')) {
      n.value = null;
      n.key = null;
      return this.done(n);
    }
    let value = this.expr(P_TERNARY);
    let key: PhpNode | null = null;
    if (this.eat('=>')) {
      key = value;
      value = this.expr(P_TERNARY);
    }
    n.value = value;
    n.key = key;
    return this.done(n);
  }

  private newExpr(): PhpNode {
    const start = this.start;
    this.p++;
    const n = this.node('new', start);
    const t = this.tt[this.p];
    if (t === T_IDENT && this.isKw('class')) {
      const cls = this.node('class', this.start);
      this.p++;
      const args = this.isOp('(') ? this.args() : [];
      cls.name = null;
      cls.isAnonymous = true;
      this.classTail(cls);
      cls.attrGroups = [];
      cls.isAbstract = false;
      cls.isFinal = false;
      cls.isReadonly = false;
      n.what = this.done(cls);
      n.arguments = args;
      return this.done(n);
    }
    if (t === T_IDENT || t === T_NAME) {
      const lower = this.tk[this.p]!;
      if (t === T_IDENT && (lower === 'static' || lower === 'self' || lower === 'parent')) {
        const r = this.node(lower === 'static' ? 'staticreference' : lower === 'self' ? 'selfreference' : 'parentreference', this.start);
        r.raw = this.tv[this.p++];
        n.what = this.done(r);
      } else {
        if (t === T_IDENT && RESERVED.has(lower)) bail();
        n.what = this.name();
      }
      if (this.isOp('::')) bail(); // `new A::b()`
    } else if (t === T_VAR) {
      // `new $class`, `new $this->cls`, `new $map['x']`, `new $x::$cls`: no calls in a dynamic class name
      let what: any = this.variable();
      const start = what.loc.start.offset;
      for (;;) {
        if (this.isOp('->') && (this.tt[this.p + 1] === T_IDENT || this.tt[this.p + 1] === T_VAR)) {
          const l = this.node('propertylookup', start);
          this.p++;
          l.what = what;
          l.offset = this.tt[this.p] === T_IDENT ? this.identifier() : this.variable();
          what = this.done(l);
        } else if (this.isOp('[') && !this.isOpAt(this.p + 1, ']')) {
          const l = this.node('offsetlookup', start);
          this.p++;
          l.what = what;
          l.offset = this.expr();
          this.expect(']');
          what = this.done(l);
        } else if (this.isOp('::') && this.tt[this.p + 1] === T_VAR) {
          const l = this.node('staticlookup', start);
          this.p++;
          l.what = what;
          l.offset = this.variable();
          what = this.done(l);
        } else break;
      }
      n.what = what;
      if (!this.isOp('(') && !this.isOp(';') && !this.isOp(')') && !this.isOp(',') && !this.isOp(']')) bail();
    } else bail();
    n.arguments = this.isOp('(') ? this.args() : [];
    return this.done(n);
  }

  private args(): PhpNode[] {
    this.expect('(');
    const out: PhpNode[] = [];
    if (this.isOp('...') && this.isOpAt(this.p + 1, ')')) {
      const n = this.node('variadicplaceholder', this.start);
      this.p += 2;
      out.push(this.done(n, this.te[this.p - 2]));
      return out;
    }
    let spread = false;
    while (!this.isOp(')')) {
      if (this.isOp('...')) {
        spread = true;
        const n = this.node('variadic', this.start);
        this.p++;
        n.what = this.expr();
        out.push(this.done(n));
      } else if (spread) {
        bail(); // php-parser refuses an argument after an unpacked one
      } else if (this.tt[this.p] === T_IDENT && this.isOpAt(this.p + 1, ':')) {
        const n = this.node('namedargument', this.start);
        n.name = this.tv[this.p];
        this.p += 2;
        n.value = this.expr();
        out.push(this.done(n));
      } else out.push(this.expr());
      if (!this.eat(',')) break;
    }
    this.expect(')');
    return out;
  }

  private primary(): PhpNode {
    const t = this.tt[this.p];
    const start = this.start;
    switch (t) {
      case T_VAR:
        return this.variable();
      case T_NUM: {
        const n = this.node('number', start);
        n.value = this.tv[this.p++];
        return this.done(n);
      }
      case T_SQ:
        return this.sqString();
      case T_DQ:
        return this.dqString();
      case T_HEREDOC:
        return this.heredoc();
      case T_NOWDOC:
        return this.nowdoc();
      case T_NAME:
        return this.name();
      case T_IDENT:
        return this.identExpr();
      case T_OP:
        break;
      default:
        bail();
    }
    const v = this.tv[this.p];
    if (v === '(') {
      this.p++;
      const inner = this.expr();
      this.expect(')');
      if (inner.parenthesizedExpression) bail(); // `((x))`: rare
      inner.parenthesizedExpression = true;
      this.parenStart.set(inner, start);
      return inner;
    }
    if (v === '[') return this.arrayLiteral(true);
    if (v === '$') return this.variableVariable();
    if (v === '&') bail();
    bail();
  }

  private identExpr(): PhpNode {
    const raw = this.tv[this.p]!;
    const lower = this.tk[this.p]!;
    const start = this.start;
    const next = this.tt[this.p + 1] === T_OP ? this.tv[this.p + 1] : '';
    switch (lower) {
      case 'true':
      case 'false': {
        if (next === '::' || next === '(') bail();
        const n = this.node('boolean', start);
        this.p++;
        n.value = lower === 'true';
        n.raw = raw;
        return this.done(n);
      }
      case 'null': {
        if (next === '::' || next === '(') bail();
        const n = this.node('nullkeyword', start);
        this.p++;
        n.raw = raw;
        return this.done(n);
      }
      case 'self':
      case 'static':
      case 'parent': {
        if (lower === 'static' && (this.kwAt(this.p + 1) === 'function' || this.kwAt(this.p + 1) === 'fn')) {
          // a static closure starts at `function` / `fn`
          this.p++;
          return this.kwAt(this.p) === 'fn' ? this.arrowFn(true) : this.closure(this.start, true);
        }
        if (next !== '::') bail();
        const n = this.node(lower === 'self' ? 'selfreference' : lower === 'static' ? 'staticreference' : 'parentreference', start);
        this.p++;
        n.raw = raw;
        return this.done(n);
      }
      case 'array':
        if (next === '(') return this.arrayLiteral(false);
        bail();
        break;
      case 'list':
        if (next === '(') return this.toList(this.arrayLiteral(false));
        bail();
        break;
      case 'isset': {
        const n = this.node('isset', start);
        this.p++;
        this.expect('(');
        n.variables = this.exprList(')');
        if (!n.variables.length) bail();
        for (const v of n.variables) if (!isVariableLike(v)) bail();
        this.eat(',');
        this.expect(')');
        return this.done(n);
      }
      case 'empty': {
        const n = this.node('empty', start);
        this.p++;
        this.expect('(');
        n.expression = this.expr();
        this.expect(')');
        return this.done(n);
      }
      case 'exit':
      case 'die': {
        const n = this.node('exit', start);
        this.p++;
        n.expression = null;
        if (this.eat('(')) {
          if (!this.isOp(')')) n.expression = this.expr();
          this.expect(')');
        }
        n.useDie = lower === 'die';
        return this.done(n);
      }
      case 'function':
        return this.closure(start, false);
      case 'fn':
        return this.arrowFn(false);
      case 'match':
        if (next === '(') return this.matchExpr();
        break;
    }
    if (lower.startsWith('__') && MAGIC.has(raw.toUpperCase())) {
      const n = this.node('magic', start);
      this.p++;
      n.value = raw.toUpperCase();
      n.raw = raw;
      return this.done(n);
    }
    if (RESERVED.has(lower)) bail();
    return this.name();
  }

  private closure(start: number, isStatic: boolean): PhpNode {
    const n = this.node('closure', start);
    this.expectKw('function');
    const byref = this.eat('&');
    const args = this.params();
    const uses: PhpNode[] = [];
    if (this.isKw('use')) {
      this.p++;
      this.expect('(');
      while (!this.isOp(')')) {
        if (this.isOp('&')) {
          this.p++;
          if (this.tt[this.p] !== T_VAR) bail();
          const v = this.variable();
          (v as any).loc.start = this.lines.pos(this.ts[this.p - 2]!);
          v.byref = true;
          uses.push(v);
        } else {
          if (this.tt[this.p] !== T_VAR) bail();
          uses.push(this.variable());
        }
        if (!this.eat(',')) break;
      }
      this.expect(')');
    }
    n.uses = uses;
    n.arguments = args;
    n.byref = byref;
    this.returnType(n);
    n.isStatic = isStatic;
    n.body = this.block();
    n.attrGroups = [];
    return this.done(n);
  }

  private arrowFn(isStatic: boolean): PhpNode {
    const n = this.node('arrowfunc', this.start);
    this.p++;
    const byref = this.eat('&');
    n.arguments = this.params();
    n.byref = byref;
    const holder: any = {};
    this.returnType(holder);
    this.expect('=>');
    n.body = this.expr();
    n.type = holder.type;
    n.nullable = holder.nullable;
    n.isStatic = isStatic;
    n.attrGroups = [];
    return this.done(n);
  }

  private matchExpr(): PhpNode {
    const n = this.node('match', this.start);
    this.p++;
    this.expect('(');
    n.cond = this.expr();
    this.expect(')');
    this.expect('{');
    const arms: PhpNode[] = [];
    while (!this.isOp('}')) {
      const arm = this.node('matcharm', this.start);
      if (this.isKw('default') && (this.isOpAt(this.p + 1, '=>') || this.isOpAt(this.p + 1, ','))) {
        this.p++;
        this.eat(',');
        arm.conds = null;
      } else {
        const conds: PhpNode[] = [];
        do {
          if (this.isOp('=>')) break;
          conds.push(this.expr());
        } while (this.eat(','));
        arm.conds = conds;
      }
      this.expect('=>');
      arm.body = this.expr();
      arms.push(this.done(arm));
      if (!this.eat(',')) break;
    }
    this.expect('}');
    n.arms = arms;
    return this.done(n);
  }

  /** `[…]` or `array(…)`; empty slots (list syntax) become `noop`. */
  private arrayLiteral(short: boolean): PhpNode {
    const n = this.node('array', this.start);
    this.p += short ? 1 : 2;
    const close = short ? ']' : ')';
    const items: PhpNode[] = [];
    while (!this.isOp(close)) {
      if (this.isOp(',') || this.isOp(close)) {
        if (this.hasCommentsBefore(this.p)) bail();
        if (this.isOp(close)) break;
        const noop = this.node('noop', this.prevEnd);
        items.push(this.done(noop, this.prevEnd));
        this.p++;
        continue;
      }
      // comments before an item are its leading comments
      const e = this.node('entry', this.start, this.leading());
      let key: PhpNode | null = null;
      let value: PhpNode;
      let byRef = false;
      let unpack = false;
      if (this.eat('...')) {
        unpack = true;
        value = this.expr();
      } else if (this.eat('&')) {
        byRef = true;
        value = this.refTarget();
      } else {
        value = this.expr();
        if (this.eat('=>')) {
          key = value;
          if (this.eat('&')) {
            byRef = true;
            value = this.refTarget();
          } else value = this.expr();
        }
      }
      e.key = key;
      e.value = value;
      e.byRef = byRef;
      e.unpack = unpack;
      items.push(this.done(e));
      if (!this.eat(',')) break;
    }
    // (in an empty array they trail the node before it)
    this.trailing(items.length, true);
    this.expect(close);
    n.items = items;
    n.shortForm = short;
    return this.done(n);
  }

  private refTarget(): PhpNode {
    if (this.tt[this.p] !== T_VAR) bail();
    return this.postfix(this.variable(), false);
  }

  /** An array literal used as a destructuring target. */
  private toList(a: any): PhpNode {
    a.kind = 'list';
    for (const it of a.items) if (it.kind === 'entry' && (it.value.kind === 'array')) it.value = this.toList(it.value);
    return a;
  }

  /** Calls, lookups, offsets, `++`/`--` and assignment after a primary. */
  private postfix(base: PhpNode, assignable: boolean): PhpNode {
    let n: any = base;
    for (;;) {
      if (this.tt[this.p] !== T_OP) break;
      const v = this.tv[this.p]!;
      if (v === '->' || v === '?->') {
        // `A->b`, `$a->b::C->d`: php-parser reads these otherwise, or refuses them (`A::B->c` is fine)
        if (n.kind === 'name') bail();
        if (n.kind === 'staticlookup' && n.offset.kind === 'identifier') {
          const w = n.what.kind;
          if (w !== 'name' && w !== 'variable' && w !== 'selfreference' && w !== 'staticreference' && w !== 'parentreference') bail();
        }
        // lookups, calls and offsets start where their base does, inside its parentheses
        const start = n.loc.start.offset;
        this.p++;
        const l = this.node(v === '->' ? 'propertylookup' : 'nullsafepropertylookup', start);
        l.what = n;
        const t = this.tt[this.p];
        if (t === T_IDENT) l.offset = this.identifier();
        else if (t === T_VAR) l.offset = this.variable();
        else if (this.isOp('{')) {
          const ep = this.node('encapsedpart', this.start);
          this.p++;
          ep.expression = this.expr();
          this.expect('}');
          ep.syntax = 'complex';
          ep.curly = false;
          l.offset = this.done(ep);
        } else bail();
        n = this.done(l);
      } else if (v === '::') {
        const start = n.loc.start.offset;
        this.p++;
        const l = this.node('staticlookup', start);
        l.what = n;
        const t = this.tt[this.p];
        if (t === T_IDENT) {
          // `A::B::class` (php-parser starts it elsewhere), `A::b::for(…)` (refused)
          if (n.kind === 'staticlookup' && n.offset.kind === 'identifier' && (this.tk[this.p] === 'class' || RESERVED.has(this.tk[this.p]!))) bail();
          // a keyword after `::` only on a class name (`A::new()`; `$a->b::new()` is refused), `::class` on
          // a name or a variable (php-parser starts `$a->b::class` at the `::`)
          const nk = n.kind;
          const named = nk === 'name' || nk === 'selfreference' || nk === 'staticreference' || nk === 'parentreference';
          if (this.tk[this.p] === 'class' ? !named && nk !== 'variable' : RESERVED.has(this.tk[this.p]!) && !named) bail();
          l.offset = this.identifier();
        } else if (t === T_VAR) {
          l.offset = this.variable();
          if (this.isOp('(')) bail();
        } else bail();
        n = this.done(l);
      } else if (v === '[') {
        const start = n.loc.start.offset;
        const bracket = this.start;
        this.p++;
        if (this.isOp(']')) {
          // `$a[] = …`: php-parser starts the node at the bracket
          const l = this.node('offsetlookup', bracket);
          this.p++;
          l.what = n;
          l.offset = false;
          n = this.done(l);
          // an assignment to it starts at its base
          this.parenStart.set(n, this.startOf(l.what));
          if (!this.isOp('=') && !this.isOp('[') && !this.isOp('->')) bail();
          continue;
        }
        const l = this.node('offsetlookup', start);
        l.what = n;
        l.offset = this.expr();
        this.expect(']');
        n = this.done(l);
      } else if (v === '{') {
        break;
      } else if (v === '(') {
        if (n.kind === 'number' || n.kind === 'string' || n.kind === 'array' || n.kind === 'boolean' || n.kind === 'nullkeyword' || n.kind === 'encapsed' || n.kind === 'magic') bail();
        const c = this.node('call', n.loc.start.offset);
        c.what = n;
        c.arguments = this.args();
        n = this.done(c);
      } else if (v === '++' || v === '--') {
        const p = this.node('post', this.startOf(n));
        this.p++;
        p.type = v[0];
        p.what = n;
        n = this.done(p);
      } else if (assignable && ASSIGN_OPS.has(v)) {
        if (n.parenthesizedExpression) bail();
        const k = n.kind;
        if (k !== 'variable' && k !== 'propertylookup' && k !== 'nullsafepropertylookup' && k !== 'staticlookup' && k !== 'offsetlookup' && k !== 'array' && k !== 'list') bail();
        if ((k === 'array' || k === 'list') && v !== '=') bail();
        if (k === 'staticlookup' && n.offset.kind !== 'variable') bail(); // `A::B = 1`: refused by php-parser
        // `['a']['b'] = 1`, `"x"[0] = 1`: refused too
        let root = n;
        while (root.kind === 'offsetlookup' || root.kind === 'propertylookup' || root.kind === 'nullsafepropertylookup' || root.kind === 'staticlookup') root = root.what;
        if (root !== n && (root.kind === 'array' || root.kind === 'string' || root.kind === 'encapsed' || root.kind === 'nowdoc' || root.kind === 'number' || root.kind === 'magic' || root.kind === 'boolean' || root.kind === 'nullkeyword' || root.parenthesizedExpression)) bail();
        const left = k === 'array' ? this.toList(n) : n;
        this.p++;
        if (v === '=' && this.isOp('&')) {
          this.p++;
          const a = this.node('assignref', this.startOf(left));
          a.left = left;
          a.right = this.expr(P_AND + 1);
          // a reference to a variable, a lookup or a call's result only
          const rk = a.right.kind;
          if (a.right.parenthesizedExpression || (rk !== 'variable' && rk !== 'propertylookup' && rk !== 'staticlookup' && rk !== 'offsetlookup' && rk !== 'call')) bail();
          return this.done(a);
        }
        const a = this.node('assign', this.startOf(left));
        a.left = left;
        a.right = this.expr(P_AND + 1);
        a.operator = v;
        return this.done(a);
      } else break;
    }
    if (n.kind === 'array' && n.items.some((it: any) => it.kind === 'noop')) bail();
    return n;
  }

  // -- strings

  private sqString(): PhpNode {
    const s = this.start;
    const e = this.te[this.p]!;
    this.p++;
    const raw = this.src.slice(s, e);
    const n = this.node('string', s);
    const body = raw.slice(1, -1);
    n.value = body.includes('\\') ? body.replace(/\\([\\'])/g, '$1') : body;
    n.raw = raw;
    n.unicode = false;
    n.isDoubleQuote = false;
    return this.done(n);
  }

  private dqString(): PhpNode {
    const s = this.start;
    const e = this.te[this.p]!;
    this.p++;
    const raw = this.src.slice(s, e);
    if (!hasInterpolation(this.src, s + 1, e - 1)) {
      const n = this.node('string', s);
      n.value = unescapeDq(raw.slice(1, -1));
      n.raw = raw;
      n.unicode = false;
      n.isDoubleQuote = true;
      return this.done(n, e);
    }
    const n = this.node('encapsed', s);
    n.value = this.parts(s + 1, e - 1, true, 0);
    n.raw = this.src.slice(s, this.spaceAfter(e));
    n.type = 'string';
    return this.done(n, e);
  }

  /** php-parser's `raw` of an interpolated string, heredoc or nowdoc runs on over the whitespace after it. */
  private spaceAfter(e: number): number {
    while (e < this.src.length && isSpace(this.src.charCodeAt(e))) e++;
    return e;
  }

  /**
   * A heredoc or nowdoc token: where its body starts, its closing label's line and indentation.
   * An empty one, or one indented with tabs, declines.
   */
  private docBounds(): { s: number; e: number; label: string; bodyStart: number; closeLine: number; indent: number } {
    const s = this.start;
    const e = this.te[this.p]!;
    const label = this.tv[this.p]!;
    this.p++;
    const bodyStart = this.src.indexOf('\n', s) + 1;
    const closeLine = this.src.lastIndexOf('\n', e - 1);
    const indent = e - label.length - (closeLine + 1);
    if (closeLine < bodyStart) bail(); // empty
    // indentation must be only spaces or only tabs, the same on every line: else decline
    if (this.src.slice(closeLine + 1, closeLine + 1 + indent).includes('\t')) bail();
    return { s, e, label, bodyStart, closeLine, indent };
  }

  private heredoc(): PhpNode {
    const { s, e, label, bodyStart, closeLine, indent } = this.docBounds();
    const n = this.node('encapsed', s);
    // the last part runs on to the closing label (its newline and indentation dropped from the value)
    n.value = this.parts(bodyStart, closeLine + 1 + indent, false, indent);
    if (n.value.length === 0) bail();
    n.raw = this.src.slice(s, this.spaceAfter(e));
    n.type = 'heredoc';
    n.label = label;
    return this.done(n, e);
  }

  private nowdoc(): PhpNode {
    const { s, e, label, bodyStart, closeLine, indent } = this.docBounds();
    const n = this.node('nowdoc', s);
    n.value = dedent(this.src.slice(bodyStart, closeLine), indent, true);
    n.raw = this.src.slice(s, this.spaceAfter(e));
    n.label = label;
    return this.done(n, e);
  }

  /** Parts of an interpolated string body [from, to). */
  private parts(from: number, to: number, dq: boolean, indent: number): PhpNode[] {
    const src = this.src;
    const out: PhpNode[] = [];
    let textStart = from;
    let i = from;
    const flush = (end: number): void => {
      if (end <= textStart) return;
      const raw = src.slice(textStart, end);
      let text = raw;
      if (!dq) {
        text = dedent(text, indent, textStart === from);
        if (end === to) text = text.endsWith('\n') ? text.slice(0, -1) : bail();
      }
      const str = this.node('string', textStart);
      str.value = unescapeDq(text);
      str.raw = raw;
      str.unicode = false;
      str.isDoubleQuote = false;
      this.done(str, end);
      const ep = this.node('encapsedpart', textStart);
      ep.expression = str;
      ep.syntax = null;
      ep.curly = false;
      out.push(this.done(ep, end));
    };
    while (i < to) {
      const c = src.charCodeAt(i);
      if (c === 92) {
        i += 2;
        continue;
      }
      if (c === 36 && isIdStart(src.charCodeAt(i + 1))) {
        flush(i);
        const ep = this.node('encapsedpart', i);
        const { node, end } = this.simpleInterpolation(i, to);
        ep.expression = node;
        ep.syntax = 'simple';
        ep.curly = false;
        out.push(this.done(ep, end));
        i = textStart = end;
        continue;
      }
      if (c === 123 && src.charCodeAt(i + 1) === 36) {
        flush(i);
        const close = skipBraces(src, i + 1, to);
        const sub = new Parser(src, this.lines, new Lexer(src, i + 1, close - 1));
        const ep = this.node('encapsedpart', i);
        ep.expression = sub.expr();
        if (sub.tt[sub.p] !== T_EOF || sub.comments.length) bail();
        // php-parser takes only variables, lookups and calls in `{$…}`
        const k = ep.expression.kind;
        if (ep.expression.parenthesizedExpression || (k !== 'variable' && k !== 'propertylookup' && k !== 'nullsafepropertylookup' && k !== 'offsetlookup' && k !== 'call' && k !== 'staticlookup')) bail();
        ep.syntax = 'complex';
        ep.curly = false;
        out.push(this.done(ep, close));
        i = textStart = close;
        continue;
      }
      if (c === 36 && src.charCodeAt(i + 1) === 123) {
        // `${name}`
        flush(i);
        let j = i + 2;
        if (!isIdStart(src.charCodeAt(j))) bail();
        while (isIdChar(src.charCodeAt(j))) j++;
        if (src.charCodeAt(j) !== 125) bail();
        const v = this.node('variable', i + 2);
        v.name = src.slice(i + 2, j);
        v.curly = false;
        this.done(v, j);
        const ep = this.node('encapsedpart', i);
        ep.expression = v;
        ep.syntax = 'simple';
        ep.curly = true;
        out.push(this.done(ep, j + 1));
        i = textStart = j + 1;
        continue;
      }
      i++;
    }
    flush(to);
    if (!dq && (out.length === 0 || out[out.length - 1]!.expression.kind !== 'string')) bail();
    return out;
  }

  /** `$x`, `$x[…]`, `$x->y` inside a string. */
  private simpleInterpolation(i: number, to: number): { node: PhpNode; end: number } {
    const src = this.src;
    let j = i + 1;
    while (j < to && isIdChar(src.charCodeAt(j))) j++;
    const v = this.node('variable', i);
    v.name = src.slice(i + 1, j);
    v.curly = false;
    this.done(v, j);
    const c = src.charCodeAt(j);
    if (c === 91 /* [ */) {
      const l = this.node('offsetlookup', i);
      l.what = v;
      let k = j + 1;
      const d = src.charCodeAt(k);
      if (d === 36 && isIdStart(src.charCodeAt(k + 1))) {
        let m = k + 1;
        while (isIdChar(src.charCodeAt(m))) m++;
        const o = this.node('variable', k);
        o.name = src.slice(k + 1, m);
        o.curly = false;
        l.offset = this.done(o, m);
        k = m;
      } else if (isIdStart(d)) {
        let m = k;
        while (isIdChar(src.charCodeAt(m))) m++;
        const o = this.node('identifier', k);
        o.name = src.slice(k, m);
        l.offset = this.done(o, m);
        k = m;
      } else if (isDigit(d) && (d !== 48 || src.charCodeAt(k + 1) === 93)) {
        let m = k;
        while (isDigit(src.charCodeAt(m))) m++;
        const o = this.node('number', k);
        o.value = src.slice(k, m);
        l.offset = this.done(o, m);
        k = m;
      } else bail();
      if (src.charCodeAt(k) !== 93) bail();
      return { node: this.done(l, k + 1), end: k + 1 };
    }
    if (c === 45 && src.charCodeAt(j + 1) === 62 && isIdStart(src.charCodeAt(j + 2))) {
      let m = j + 2;
      while (isIdChar(src.charCodeAt(m))) m++;
      const l = this.node('propertylookup', i);
      l.what = v;
      const o = this.node('identifier', j + 2);
      o.name = src.slice(j + 2, m);
      l.offset = this.done(o, m);
      return { node: this.done(l, m), end: m };
    }
    if (c === 63 && src.startsWith('?->', j)) bail();
    return { node: v, end: j };
  }
}

/** What `isset()` and `unset()` take: variables and lookups. */
function isVariableLike(n: any): boolean {
  if (n.parenthesizedExpression) return false;
  const k = n.kind;
  return k === 'variable' || k === 'propertylookup' || k === 'nullsafepropertylookup' || k === 'staticlookup' || k === 'offsetlookup';
}

function hasInterpolation(src: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = src.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 36) {
      const n = src.charCodeAt(i + 1);
      if (isIdStart(n) || n === 123) return true;
    } else if (c === 123 && src.charCodeAt(i + 1) === 36) return true;
  }
  return false;
}

/** Removes a heredoc's closing indentation from the start of each line. */
function dedent(text: string, indent: number, atLineStart: boolean): string {
  if (indent === 0) return text;
  let out = '';
  let i = 0;
  if (!atLineStart) {
    const nl = text.indexOf('\n');
    if (nl === -1) return text;
    out = text.slice(0, nl + 1);
    i = nl + 1;
  }
  while (i <= text.length) {
    let k = 0;
    while (k < indent && text.charCodeAt(i + k) === 32) k++;
    // a line with less indentation than the closing label is an error, unless it is empty
    if (k < indent && i + k < text.length && text.charCodeAt(i + k) !== 10) bail();
    const nl = text.indexOf('\n', i);
    if (nl === -1) {
      out += text.slice(i + k);
      break;
    }
    out += text.slice(i + k, nl + 1);
    i = nl + 1;
    if (i === text.length) break;
  }
  return out;
}

/** Escape sequences of double-quoted strings and heredocs. */
function unescapeDq(s: string): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\' || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const n = s[++i]!;
    switch (n) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case 'v': out += '\v'; break;
      case 'e': out += '\x1b'; break;
      case 'f': out += '\f'; break;
      case '\\': out += '\\'; break;
      case '$': out += '$'; break;
      case '"':
        out += '"';
        break;
      case 'u': {
        if (s[i + 1] !== '{') {
          out += '\\u';
          break;
        }
        const close = s.indexOf('}', i + 2);
        const hex = close === -1 ? '' : s.slice(i + 2, close);
        if (!/^[0-9a-fA-F]{1,6}$/.test(hex)) bail();
        const cp = parseInt(hex, 16);
        if (cp > 0x10ffff) bail();
        out += String.fromCodePoint(cp);
        i = close;
        break;
      }
      case 'x': {
        let k = i + 1;
        while (k < i + 3 && k < s.length && /[0-9a-fA-F]/.test(s[k]!)) k++;
        if (k === i + 1) out += '\\x';
        else {
          out += String.fromCharCode(parseInt(s.slice(i + 1, k), 16));
          i = k - 1;
        }
        break;
      }
      default:
        if (n >= '0' && n <= '7') {
          let k = i;
          while (k < i + 3 && k < s.length && s[k]! >= '0' && s[k]! <= '7') k++;
          const code = parseInt(s.slice(i, k), 8);
          if (code > 255) bail();
          out += String.fromCharCode(code);
          i = k - 1;
          break;
        }
        out += '\\' + n;
    }
  }
  return out;
}

/**
 * Parses PHP source into php-parser's AST shapes, or returns undefined when the code uses
 * something this parser does not handle (the caller then uses php-parser). With `exactEnds`, also
 * when some node's `loc.end` may differ from php-parser's (`Parser.unsureEnds`).
 */
export function fastParsePhp(code: string, opts: { exactEnds?: boolean } = {}): PhpNode | undefined {
  try {
    if (!code.startsWith('<?php') || !isSpace(code.charCodeAt(5))) return undefined;
    if (code.includes('\r')) return undefined;
    const lex = new Lexer(code, 6, code.length);
    const parser = new Parser(code, new Lines(code), lex);
    const ast = parser.program();
    // callers that read source text by `loc.end` (the migration readers) take php-parser's then
    if (opts.exactEnds && parser.unsureEnds) return undefined;
    return ast;
  } catch (e) {
    if (e === BAIL) return undefined;
    // a bug of this parser (a read past the tokens …) declines too: php-parser decides
    return undefined;
  }
}
