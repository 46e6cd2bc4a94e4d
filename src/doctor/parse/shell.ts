/* eslint-disable @typescript-eslint/no-explicit-any */
import { createRequire } from 'node:module';

/**
 * Shell scripts through mvdan/sh's real POSIX/Bash grammar (the `mvdan-sh` package: the Go parser
 * behind shfmt, compiled to JavaScript with GopherJS). Loaded on first use only, so `zdd lint` never
 * pays for it. Gives the simple commands of a script in the order they run, with positions, quotes
 * removed and constant variables substituted; function bodies are inlined where the function is
 * called; commands in `$(…)` come before the command that uses them. Heredoc bodies and comments
 * are data, not commands.
 *
 * The tree is read through GopherJS's own objects (`__internal_object__`: struct fields as
 * properties, slices as {$array,$offset,$length}, positions as {offs}), not through the package's
 * JavaScript wrappers: measured, every wrapped field access costs ~0.25 ms and `syntax.NodeType`
 * ~0.5 ms, which made a sample project take 700 ms; the raw objects cost nothing. The package is
 * pinned to an exact version and the tests cover every node kind read here.
 */

export interface ShellWord {
  /** The word after quote removal, with known variables substituted. */
  value: string;
  line: number;
  col: number;
  /** The word was (partly) quoted. */
  quoted: boolean;
}

export interface ShellCommand {
  words: ShellWord[];
  line: number;
  col: number;
  /** Source text of the command. */
  text: string;
  /** Function the command was inlined from. */
  fn?: string;
}

export interface ShellSyntaxError {
  message: string;
  line: number;
  col: number;
}

interface Parser {
  Parse(src: string, name: string): { __internal_object__: any };
}

let parser: Parser | undefined;

function getParser(): Parser {
  if (!parser) {
    const { syntax } = createRequire(import.meta.url)('mvdan-sh') as { syntax: { NewParser(): Parser } };
    parser = syntax.NewParser(); // reusable: a new parser costs ~8 ms, a parse with an old one ~0.3 ms
  }
  return parser;
}

type Node = any;

const list = (slice: Node): Node[] => (slice && slice.$array ? slice.$array.slice(slice.$offset, slice.$offset + slice.$length) : []);
// a nil pointer is its type's `nil` object; a nil interface is GopherJS's typeless `$ifaceNil`
const isNil = (p: Node): boolean => !p || p === p.constructor?.nil || p.constructor?.string === undefined;
/** Go strings inside GopherJS objects hold UTF-8 bytes, one per JavaScript character. */
const goString = (v: unknown): string => {
  const raw = String(v ?? '');
  return /[\x80-\xff]/.test(raw) ? Buffer.from(raw, 'latin1').toString('utf8') : raw;
};
const typeOf = (n: Node): string => (isNil(n) ? '' : String(n.constructor?.string ?? '').replace(/^\*syntax\./, ''));

/** Byte offsets where a word part starts and ends. */
function partStart(p: Node): number {
  switch (typeOf(p)) {
    case 'Lit':
      return p.ValuePos.offs;
    case 'ParamExp':
      return p.Dollar.offs;
    case 'ProcSubst':
    case 'ExtGlob':
      return p.OpPos.offs;
    default:
      return p.Left?.offs ?? 0;
  }
}

function partEnd(p: Node): number {
  switch (typeOf(p)) {
    case 'Lit':
      return p.ValueEnd.offs;
    case 'ParamExp':
      return p.Short ? p.Param.ValueEnd.offs : p.Rbrace.offs + 1;
    case 'ArithmExp':
      return p.Right.offs + (p.Bracket ? 1 : 2);
    case 'ProcSubst':
      return p.Rparen.offs + 1;
    case 'ExtGlob':
      return p.OpPos.offs + 2 + String(isNil(p.Pattern) ? '' : p.Pattern.Value).length + 1;
    default:
      return (p.Right?.offs ?? 0) + 1;
  }
}

/** Parses a shell script; a syntax error comes back as a value. `vars` seeds known variables (e.g. from a Makefile or CI `env:`). */
export function parseShell(text: string, vars: ReadonlyMap<string, string> = new Map()): { commands: ShellCommand[] } | { error: ShellSyntaxError } {
  let file: Node;
  try {
    file = getParser().Parse(text, 'script').__internal_object__;
  } catch (e) {
    const msg = typeof (e as any)?.Error === 'function' ? String((e as any).Error()) : String((e as Error)?.message ?? e);
    const m = /^script:(\d+):(\d+): (.*)$/s.exec(msg);
    return { error: m ? { message: m[3]!, line: Number(m[1]), col: Number(m[2]) } : { message: msg, line: 1, col: 1 } };
  }
  const buf = Buffer.from(text, 'utf8');
  const lineStarts = [0];
  for (let i = 0; i < buf.length; i++) if (buf[i] === 10) lineStarts.push(i + 1);
  const position = (offs: number): { line: number; col: number } => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offs) lo = mid;
      else hi = mid - 1;
    }
    const start = lineStarts[lo]!;
    return { line: lo + 1, col: buf.subarray(start, offs).toString('utf8').length + 1 };
  };
  const slice = (a: number, b: number): string => buf.subarray(a, b).toString('utf8');

  const env = new Map(vars);
  const functions = new Map<string, Node>();
  const commands: ShellCommand[] = [];
  // `constant`: the word being read is known without running anything (no $(…), no unknown $VAR)
  let constant = true;
  // command substitutions met while reading a command's words run before it
  let pendingSubst: Node[] = [];

  const wordOf = (w: Node): ShellWord => {
    let value = '';
    let quoted = false;
    const part = (p: Node): void => {
      switch (typeOf(p)) {
        case 'Lit':
          value += goString(p.Value).replace(/\\(.)/g, '$1');
          break;
        case 'SglQuoted':
          value += goString(p.Value);
          quoted = true;
          break;
        case 'DblQuoted':
          quoted = true;
          for (const q of list(p.Parts)) part(q);
          break;
        case 'ParamExp': {
          const name: string = isNil(p.Param) ? '' : goString(p.Param.Value);
          const known = env.get(name);
          const plain = !p.Length && !p.Excl && isNil(p.Slice) && isNil(p.Repl) && isNil(p.Index);
          const exp = isNil(p.Exp) ? undefined : p.Exp;
          if (known !== undefined && plain) value += known;
          else if (known === undefined && plain && exp && !isNil(exp.Word) && /^(?::?-|:?=)$/.test(opName(exp.Op))) value += wordOf(exp.Word).value;
          else {
            constant = false;
            value += slice(partStart(p), partEnd(p));
          }
          break;
        }
        case 'CmdSubst':
        case 'ProcSubst':
          constant = false;
          pendingSubst.push(...list(p.Stmts));
          value += slice(partStart(p), partEnd(p));
          break;
        default:
          constant = false;
          value += slice(partStart(p), partEnd(p));
      }
    };
    for (const p of list(w.Parts)) part(p);
    const parts = list(w.Parts);
    const pos = position(parts.length ? partStart(parts[0]) : 0);
    return { value, line: pos.line, col: pos.col, quoted };
  };

  const assign = (a: Node): void => {
    // `declare -r X=1`: options are Assigns too, with no Name (a nil pointer throws on access)
    const name: string | undefined = isNil(a) || isNil(a.Name) ? undefined : goString(a.Name.Value);
    if (!name) return;
    if (!isNil(a.Value)) {
      constant = true;
      const v = wordOf(a.Value).value;
      // only values known without running anything are substituted later; $(…) stays as written
      if (constant && !a.Append) env.set(name, v);
      else env.delete(name);
    } else if (!a.Naked) env.set(name, '');
  };

  const stmts = (l: Node, fn: string | undefined, depth: number): void => {
    for (const s of list(l)) stmt(s, fn, depth);
  };
  const runSubst = (fn: string | undefined, depth: number): void => {
    const pending = pendingSubst;
    pendingSubst = [];
    for (const s of pending) stmt(s, fn, depth);
  };

  function stmt(s: Node, fn: string | undefined, depth: number): void {
    if (isNil(s)) return;
    command(s.Cmd, fn, depth);
  }

  function command(c: Node, fn: string | undefined, depth: number): void {
    switch (typeOf(c)) {
      case 'CallExpr': {
        const args = list(c.Args);
        if (!args.length) {
          for (const a of list(c.Assigns)) assign(a);
          runSubst(fn, depth);
          return;
        }
        const words = args.map(wordOf);
        runSubst(fn, depth);
        const first = list(c.Assigns)[0];
        const start = first && !isNil(first.Name) ? first.Name.ValuePos.offs : partStart(list(args[0].Parts)[0]);
        const lastParts = list(args[args.length - 1].Parts);
        const end = lastParts.length ? partEnd(lastParts[lastParts.length - 1]) : start;
        const pos = position(start);
        commands.push({ words, line: pos.line, col: pos.col, text: slice(start, end), ...(fn ? { fn } : {}) });
        const body = functions.get(words[0]!.value);
        if (body && depth < 8) stmt(body, words[0]!.value, depth + 1);
        return;
      }
      case 'BinaryCmd':
        stmt(c.X, fn, depth);
        stmt(c.Y, fn, depth);
        return;
      case 'IfClause':
        for (let clause = c; !isNil(clause); clause = clause.Else) {
          stmts(clause.Cond, fn, depth);
          stmts(clause.Then, fn, depth);
        }
        return;
      case 'WhileClause':
        stmts(c.Cond, fn, depth);
        stmts(c.Do, fn, depth);
        return;
      case 'ForClause':
        if (typeOf(c.Loop) === 'WordIter') {
          for (const w of list(c.Loop.Items)) wordOf(w);
          runSubst(fn, depth);
        }
        stmts(c.Do, fn, depth);
        return;
      case 'Block':
      case 'Subshell':
        stmts(c.Stmts, fn, depth);
        return;
      case 'CaseClause':
        wordOf(c.Word);
        runSubst(fn, depth);
        for (const item of list(c.Items)) stmts(item.Stmts, fn, depth);
        return;
      case 'FuncDecl':
        functions.set(goString(c.Name.Value), c.Body);
        return;
      case 'DeclClause':
        for (const a of list(c.Args)) assign(a);
        runSubst(fn, depth);
        return;
      case 'TimeClause':
      case 'CoprocClause':
        stmt(c.Stmt, fn, depth);
        return;
      default:
        // TestClause, ArithmCmd, LetClause: conditions and arithmetic, no commands to report
        return;
    }
  }

  // functions can be called before the line that defines them is reached (e.g. from a trap or a later
  // definition): collect every top-level definition first
  for (const s of list(file.Stmts)) if (typeOf(s.Cmd) === 'FuncDecl') functions.set(goString(s.Cmd.Name.Value), s.Cmd.Body);
  stmts(file.Stmts, undefined, 0);
  return { commands };
}

/** mvdan/sh's ParExpOperator as text; only the default-value forms matter here. */
function opName(op: unknown): string {
  // syntax.ParExpOperator in mvdan-sh 0.10.1, measured: ${A+x} 68, ${A-x} 70, ${A:-x} 71, ${A:?x} 73, ${A:=x} 75
  const codes: Record<number, string> = { 68: '+', 69: ':+', 70: '-', 71: ':-', 72: '?', 73: ':?', 74: '=', 75: ':=' };
  return typeof op === 'number' ? codes[op] ?? '' : String(op ?? '');
}
