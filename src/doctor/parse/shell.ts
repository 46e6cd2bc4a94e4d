/* eslint-disable @typescript-eslint/no-explicit-any */
import { createRequire } from 'node:module';

/**
 * Shell scripts through mvdan/sh's real POSIX/Bash grammar (the `mvdan-sh` package: the Go parser
 * behind shfmt, compiled to JavaScript). Loaded on first use only: it costs ~130 ms to load, which
 * `zdd lint` never pays. Gives the simple commands of a script in the order they run, with
 * positions, quotes removed and constant variables substituted; function bodies are inlined where
 * the function is called. Heredoc bodies and comments are data, not commands.
 */

export interface ShellWord {
  /** The word after quote removal, with known variables substituted. */
  value: string;
  line: number;
  col: number;
  /** The word was (partly) quoted. */
  quoted: boolean;
  /** The word is one literal string, so `value` maps back to the source character for character. */
  literal: boolean;
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

interface MvdanSyntax {
  NewParser(...opts: unknown[]): { Parse(src: string, name: string): any };
  Walk(node: any, f: (n: any) => boolean): void;
  NodeType(node: any): string;
}

let syntax: MvdanSyntax | undefined;

function getSyntax(): MvdanSyntax {
  if (!syntax) syntax = (createRequire(import.meta.url)('mvdan-sh') as { syntax: MvdanSyntax }).syntax;
  return syntax;
}

/** Parses a shell script; a syntax error comes back as a value. `vars` seeds known variables (e.g. from a Makefile or CI `env:`). */
export function parseShell(text: string, vars: ReadonlyMap<string, string> = new Map()): { commands: ShellCommand[] } | { error: ShellSyntaxError } {
  const sx = getSyntax();
  let file: any;
  try {
    file = sx.NewParser().Parse(text, 'script');
  } catch (e) {
    const msg = typeof (e as any)?.Error === 'function' ? String((e as any).Error()) : String((e as Error)?.message ?? e);
    const m = /^script:(\d+):(\d+): (.*)$/s.exec(msg);
    return { error: m ? { message: m[3]!, line: Number(m[1]), col: Number(m[2]) } : { message: msg, line: 1, col: 1 } };
  }
  const buf = Buffer.from(text, 'utf8');
  const slice = (n: any): string => buf.subarray(n.Pos().Offset(), n.End().Offset()).toString('utf8');
  const env = new Map(vars);
  const functions = new Map<string, any>();
  sx.Walk(file, (n) => {
    if (n && sx.NodeType(n) === 'FuncDecl') functions.set(n.Name.Value, n.Body);
    return true;
  });

  // `constant`: the word's value is known without running anything (no $(…), no unknown $VAR)
  let constant = true;
  const wordOf = (w: any): ShellWord => {
    let value = '';
    let quoted = false;
    let literal = true;
    const part = (p: any): void => {
      switch (sx.NodeType(p)) {
        case 'Lit':
          value += String(p.Value).replace(/\\(.)/g, '$1');
          if (String(p.Value).includes('\\')) literal = false;
          break;
        case 'SglQuoted':
          value += p.Value;
          quoted = true;
          break;
        case 'DblQuoted':
          quoted = true;
          for (const q of p.Parts) part(q);
          break;
        case 'ParamExp': {
          literal = false;
          const name: string = p.Param?.Value ?? '';
          const known = env.get(name);
          const exp = p.Exp;
          if (known !== undefined && !p.Length && !p.Excl && !p.Slice && !p.Repl) value += known;
          else if (known === undefined && exp && exp.Word && /^(?::?-|:?=)$/.test(opName(exp.Op))) value += wordOf(exp.Word).value;
          else {
            constant = false;
            value += slice(p);
          }
          break;
        }
        default:
          literal = false;
          constant = false;
          value += slice(p);
      }
    };
    for (const p of w.Parts) part(p);
    return { value, line: w.Pos().Line(), col: w.Pos().Col(), quoted, literal: literal && !quoted ? true : literal };
  };

  const commands: ShellCommand[] = [];
  const visit = (root: any, fn: string | undefined, depth: number): void => {
    sx.Walk(root, (n) => {
      if (!n) return true;
      const type = sx.NodeType(n);
      if (type === 'FuncDecl' && n !== root) return false;
      if (type === 'DeclClause') {
        for (const a of n.Args ?? []) assign(a);
        return true;
      }
      if (type === 'CallExpr') {
        const args: any[] = n.Args ?? [];
        if (!args.length) {
          for (const a of n.Assigns ?? []) assign(a);
          return true;
        }
        const words = args.map(wordOf);
        commands.push({ words, line: n.Pos().Line(), col: n.Pos().Col(), text: slice(n), ...(fn ? { fn } : {}) });
        const body = functions.get(words[0]!.value);
        if (body && depth < 8) visit(body, words[0]!.value, depth + 1);
        return true;
      }
      return true;
    });
  };
  const assign = (a: any): void => {
    if (!a?.Name?.Value) return;
    if (a.Value) {
      constant = true;
      const v = wordOf(a.Value).value;
      // only values known without running anything are substituted later; $(…) stays as written
      if (constant && !a.Append) env.set(a.Name.Value, v);
      else env.delete(a.Name.Value);
    } else if (!a.Naked) env.set(a.Name.Value, '');
  };
  visit(file, undefined, 0);
  return { commands };
}

/** mvdan/sh's ParExpOperator as text; only the default-value forms matter here. */
function opName(op: unknown): string {
  // syntax.ParExpOperator in mvdan-sh 0.10.1, measured: ${A+x} 68, ${A-x} 70, ${A:-x} 71, ${A:?x} 73, ${A:=x} 75
  const codes: Record<number, string> = { 68: '+', 69: ':+', 70: '-', 71: ':-', 72: '?', 73: ':?', 74: '=', 75: ':=' };
  return typeof op === 'number' ? codes[op] ?? '' : String(op ?? '');
}
