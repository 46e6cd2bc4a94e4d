import { posix } from 'node:path';
import { shellActions } from '../actions.js';
import type { DeployAction, DeployFlow } from '../types.js';
import type { SourceContext } from './context.js';

/**
 * Makefiles (GNU make): a flow per target, its prerequisites' recipes first. Each recipe line is
 * expanded as make expands it before handing it to the shell — `$$` is a literal `$`, `$(VAR)` and
 * `${VAR}` are the variable's value (recursive or simple flavour), `$@`/`$<`/`$^` the target and its
 * prerequisites — and only then parsed as shell. What make computes (`$(shell …)`, `$(if …)`,
 * `$(filter …)`, a variable set on the command line) is not known here: it becomes one opaque word,
 * `MAKE_<name>`, in the place it stands, so the command keeps its shape and no make syntax ever
 * reaches the shell parser. `$(error …)`, `$(warning …)`, `$(info …)` and `$(eval …)` expand to
 * nothing, as in make. Lines whose `:` sits inside a function call (`$(foreach g,…,$(eval $(g): ;))`)
 * are not rules; conditional directives (`ifdef` … `endif`) do not end a recipe, and both branches
 * are read; `define` … `endef` bodies are variables. Target-specific variables (`deploy: ENV = prod`,
 * also `export`/`override`, `:=`, `+=`, `?=`) apply to that target's recipe (not, as make would, to
 * its prerequisites' recipes too). `include`/`-include`/`sinclude` read the named files (relative to
 * the Makefile's directory, where make runs) for their variables — a `.env` file's `A=b` and
 * `export A=b` lines are make assignments; a file that is missing, or named by what make computes,
 * leaves its variables unknown (opaque). Messages show what the user wrote: each placeholder is
 * recorded with its make text (`MAKE_DEPLOY_PATH` ↔ `$(DEPLOY_PATH)`) in the flow's `placeholders`.
 */

interface MakeVar {
  value: string;
  /** `:=`/`::=`: expanded once where it is set, substituted verbatim after. */
  simple: boolean;
}

interface Recipe {
  /** The recipe line as make stores it: continuation backslash-newlines kept, the next line's tab removed. */
  text: string;
  /** File position (line, 1-based column) of each character of `text`. */
  pos: Array<{ line: number; col: number }>;
}

const SILENT = new Set(['error', 'warning', 'info', 'eval']);
const CONDITIONAL = /^ *(ifeq|ifneq|ifdef|ifndef|else|endif)(\s|$)/;
const DIRECTIVE = /^ *(-?include|sinclude|vpath|unexport|undefine|-?load)(\s|$)/;
const INCLUDE = /^ *(-?include|sinclude)\s+(.*)$/;
/** `export`, `override`, `private` alone or before names: a directive unless an assignment follows. */
const MODIFIER = /^ *(export|override|private)(\s|$)/;

/** Index of the `)`/`}` closing the reference opened at `s[open]` (`$(` or `${`), counting nested parentheses of that kind as make does; -1 if unterminated. */
function closeOf(s: string, open: number): number {
  const o = s[open + 1]!;
  const c = o === '(' ? ')' : '}';
  let depth = 0;
  for (let i = open + 1; i < s.length; i++) {
    if (s[i] === o) depth++;
    else if (s[i] === c && --depth === 0) return i;
  }
  return -1;
}

/** A placeholder word for a value make computes: letters, digits and `_` only, so it is one plain shell word. */
const placeholderOf = (name: string): string => `MAKE_${name.replace(/\W/g, '_') || 'value'}`;

/** `${X}` and `$(X)` are the same reference. */
const sameRef = (a: string, b: string): boolean => a.replace(/^\$\{(.*)\}$/s, '$($1)') === b.replace(/^\$\{(.*)\}$/s, '$($1)');

/**
 * The placeholders of one Makefile and the make text each stands for, so that messages can show
 * what the user wrote. A placeholder names one text: a second, different `$(shell …)` gets `MAKE_shell_2`.
 */
class Placeholders {
  readonly written = new Map<string, string>();

  word(name: string, text: string): string {
    const base = placeholderOf(name);
    for (let n = 1; ; n++) {
      const word = n === 1 ? base : `${base}_${n}`;
      const had = this.written.get(word);
      if (had === undefined) this.written.set(word, text);
      if (had === undefined || sameRef(had, text)) return word;
    }
  }
}

/** The function name when `inner` (the text between `$(` and `)`) is a function call: a word followed by blanks. */
const functionName = (inner: string): string | undefined => /^([a-z][\w-]*)[ \t]/.exec(inner)?.[1];

interface Expansion {
  out: string;
  /** For each character of `out`, the index in the expanded text it came from. */
  from: number[];
  error?: string;
}

class MakeExpander {
  readonly vars = new Map<string, MakeVar>();

  constructor(
    readonly placeholders = new Placeholders(),
    private readonly auto: ReadonlyMap<string, string> = new Map(),
  ) {}

  withAutomatic(auto: ReadonlyMap<string, string>): MakeExpander {
    const e = new MakeExpander(this.placeholders, auto);
    for (const [k, v] of this.vars) e.vars.set(k, v);
    return e;
  }

  private opaque(name: string, text = `$(${name})`): string {
    return this.placeholders.word(name, text);
  }

  /** Expands `s` as make does (see the module comment); `active` guards against self-referencing variables. */
  expand(s: string, active: ReadonlySet<string> = new Set()): Expansion {
    let out = '';
    const from: number[] = [];
    const put = (text: string, at: number): void => {
      out += text;
      for (let k = 0; k < text.length; k++) from.push(at);
    };
    for (let i = 0; i < s.length; i++) {
      const ch = s[i]!;
      if (ch !== '$') {
        put(ch, i);
        continue;
      }
      const next = s[i + 1];
      if (next === undefined) break; // a lone `$` at the end expands to nothing
      if (next === '$') {
        put('$', i);
        i++;
        continue;
      }
      if (next !== '(' && next !== '{') {
        // a one-character variable: $@, $<, $^, $*, $A …
        put(this.variable(next, active, `$${next}`), i);
        i++;
        continue;
      }
      const end = closeOf(s, i);
      if (end < 0) return { out, from, error: 'unterminated variable reference' };
      const inner = s.slice(i + 2, end);
      const fn = functionName(inner);
      const written = s.slice(i, end + 1);
      if (fn) put(SILENT.has(fn) ? '' : this.opaque(fn, written), i);
      else if (/^[^\s:=$()]+$/.test(inner)) put(this.variable(inner, active, written), i);
      else {
        // a substitution reference $(VAR:a=b), a computed name $($(X)_DIR): computed by make
        const name = /^[\w.-]+/.exec(inner)?.[0] ?? 'value';
        put(this.opaque(name, written), i);
      }
      i = end;
    }
    return { out, from };
  }

  private variable(name: string, active: ReadonlySet<string>, written: string): string {
    const auto = this.auto.get(name);
    if (auto !== undefined) return auto;
    const v = this.vars.get(name);
    if (!v || active.has(name)) return this.opaque(name, written);
    if (v.simple) return v.value;
    if (singleCall(v.value)) return SILENT.has(singleCall(v.value)!) ? '' : this.opaque(name, written);
    const r = this.expand(v.value, new Set([...active, name]));
    return r.error ? this.opaque(name, written) : r.out;
  }

  assign(name: string, op: string, value: string): void {
    const v = value.trim();
    const old = this.vars.get(name);
    if (op === '?=' && old) return;
    if (op === '!=') {
      this.vars.set(name, { value: this.opaque(name), simple: true });
      return;
    }
    if (op === '+=' && old) {
      const add = old.simple ? this.simpleValue(name, v) : v;
      this.vars.set(name, { value: old.value ? `${old.value} ${add}` : add, simple: old.simple });
      return;
    }
    if (op === ':=' || op === '::=') this.vars.set(name, { value: this.simpleValue(name, v), simple: true });
    else this.vars.set(name, { value: v, simple: false }); // =, ?=, :::= (its value is re-expanded on use), += on a new variable
  }

  private simpleValue(name: string, v: string): string {
    const fn = singleCall(v);
    if (fn) return SILENT.has(fn) ? '' : this.opaque(name);
    const r = this.expand(v);
    return r.error ? this.opaque(name) : r.out;
  }
}

/** The function name when the whole of `v` is one function call `$(fn …)`. */
function singleCall(v: string): string | undefined {
  if (!/^\$[({]/.test(v) || closeOf(v, 0) !== v.length - 1) return undefined;
  return functionName(v.slice(2, -1));
}

type TopLevel = { kind: 'assign'; name: string; op: string; value: string } | { kind: 'rule'; targets: string; rest: string } | { kind: 'other' };

/**
 * What a (logical, non-recipe) makefile line is, read as make reads it: the first `=` or `:` outside
 * a variable reference or function call decides (`:=`, `::=`, `:::=` assign); a `#` before either
 * starts a comment.
 */
function topLevel(line: string): TopLevel {
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '$' && (line[i + 1] === '(' || line[i + 1] === '{')) {
      const end = closeOf(line, i);
      if (end < 0) return { kind: 'other' };
      i = end;
      continue;
    }
    if (ch === '\\' && line[i + 1] === '#') {
      i++;
      continue;
    }
    if (ch === '#') return { kind: 'other' };
    if (ch === '=') {
      const op = /(:::|::|:|\?|\+|!)?$/.exec(line.slice(0, i))![1] ?? '';
      return assignment(line.slice(0, i - op.length), `${op}=`, line.slice(i + 1));
    }
    if (ch === ':') {
      const op = /^(::?)?=/.exec(line.slice(i + 1));
      if (op) return assignment(line.slice(0, i), `:${op[0]}`, line.slice(i + 1 + op[0].length));
      const dbl = line[i + 1] === ':' ? 1 : 0;
      return { kind: 'rule', targets: line.slice(0, i), rest: line.slice(i + 1 + dbl) };
    }
  }
  return { kind: 'other' };
}

function assignment(left: string, op: string, value: string): TopLevel {
  const name = left.trim().replace(/^((override|export|private)\s+)+/, '');
  if (!name || /\s/.test(name)) return { kind: 'other' };
  return { kind: 'assign', name, op, value: stripComment(value) };
}

/** A makefile comment starts at an unescaped `#` outside variable references and function calls. */
function stripComment(s: string): string {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '$' && (s[i + 1] === '(' || s[i + 1] === '{')) {
      const end = closeOf(s, i);
      if (end < 0) return s;
      i = end;
    } else if (s[i] === '\\' && s[i + 1] === '#') i++;
    else if (s[i] === '#') return s.slice(0, i);
  }
  return s;
}

/** Where a rule line's inline recipe starts: the first `;` not after a comment's `#`. */
function splitInline(rest: string): { prereqs: string; inline?: { text: string; at: number } } {
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '$' && (rest[i + 1] === '(' || rest[i + 1] === '{')) {
      const end = closeOf(rest, i);
      if (end < 0) break;
      i = end;
    } else if (rest[i] === '#') return { prereqs: rest.slice(0, i) };
    else if (rest[i] === ';') return { prereqs: rest.slice(0, i), inline: { text: rest.slice(i + 1), at: i + 1 } };
  }
  return { prereqs: rest };
}

export function makeFlows(path: string, text: string, ctx: SourceContext): DeployFlow[] {
  const make = new MakeExpander();
  // make's own variables that recipes use as commands
  make.vars.set('MAKE', { value: 'make', simple: true });
  make.vars.set('RM', { value: 'rm -f', simple: true });
  const targets = new Map<string, { prereqs: string[]; recipe: Recipe[]; line: number }>();
  /** Target-specific variables, in the order they are set. */
  const targetVars = new Map<string, Array<{ name: string; op: string; value: string }>>();
  let oneShell = false;
  /** Names as make reads them in a rule line: variables expanded, words split. */
  const names = (s: string): string[] => make.expand(s).out.trim().split(/\s+/).filter(Boolean);
  const dir = posix.dirname(path);
  const included = new Set<string>([path]);

  /** Reads one makefile: the Makefile itself (`main`), or an included file, of which only variables count. */
  const read = (text: string, main: boolean, depth: number): void => {
    const lines = text.split(/\r?\n/);
    /** The targets the recipe lines that follow belong to; in an included file, a rule's recipe is skipped. */
    let current: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const start = i + 1;
      let line = lines[i]!;
      if (line.startsWith('\t') && current.length) {
        // a recipe line: make keeps backslash-newlines for the shell and drops the next line's leading tab
        let textOf = line.slice(1);
        const pos = Array.from({ length: textOf.length }, (_, k) => ({ line: start, col: k + 2 }));
        while (textOf.endsWith('\\') && i + 1 < lines.length) {
          const nextLine = lines[++i]!;
          const cont = nextLine.startsWith('\t') ? nextLine.slice(1) : nextLine;
          const skip = nextLine.length - cont.length;
          pos.push({ line: i, col: (pos[pos.length - 1]?.col ?? 1) + 1 }); // the newline
          textOf += `\n${cont}`;
          for (let k = 0; k < cont.length; k++) pos.push({ line: i + 1, col: skip + k + 1 });
        }
        if (main) for (const t of current) targets.get(t)!.recipe.push({ text: textOf, pos });
        continue;
      }
      while (line.endsWith('\\') && i + 1 < lines.length) line = `${line.slice(0, -1)} ${lines[++i]!.trim()}`;
      if (/^\s*(#|$)/.test(line) || CONDITIONAL.test(line)) continue; // neither ends a recipe
      const define = /^\s*((?:override|export|private)\s+)*define\s+([^\s=]+)\s*(\S*=)?\s*$/.exec(line);
      if (define) {
        const body: string[] = [];
        let nest = 0;
        while (i + 1 < lines.length) {
          const l = lines[++i]!;
          if (/^\s*((override|export|private)\s+)*define\s/.test(l)) nest++;
          else if (/^\s*endef\b/.test(l) && nest-- === 0) break;
          body.push(l);
        }
        make.assign(define[2]!, define[3] ?? '=', body.join('\n'));
        current = [];
        continue;
      }
      const include = INCLUDE.exec(stripComment(line));
      if (include) {
        // make runs in the Makefile's directory; a missing file (an error for `include`, skipped by `-include`) or a name make computes leaves its variables unknown
        for (const name of names(include[2]!)) {
          if (/MAKE_\w|[*?[]/.test(name) || depth >= 5) continue;
          const file = posix.normalize(posix.join(dir, name));
          if (file.startsWith('../') || included.has(file)) continue;
          included.add(file);
          const body = ctx.readFile?.(file);
          if (body !== undefined) read(body, false, depth + 1);
        }
        current = [];
        continue;
      }
      if (DIRECTIVE.test(line) || (MODIFIER.test(line) && !stripComment(line).includes('='))) {
        current = [];
        continue;
      }
      const top = topLevel(line);
      if (top.kind === 'assign') {
        make.assign(top.name, top.op, top.value);
        current = [];
        continue;
      }
      if (top.kind === 'rule') {
        if (!main) {
          current = ['\0'];
          continue;
        }
        const split = splitInline(top.rest);
        const targetVar = topLevel(top.rest);
        if (targetVar.kind === 'assign' && !/[;:]/.test(targetVar.name)) {
          // a target-specific variable (`deploy: ENV = prod`, `deploy: export ENV := prod`): for that target's recipe, not a recipe line
          for (const n of names(top.targets)) targetVars.set(n, [...(targetVars.get(n) ?? []), targetVar]);
          current = [];
          continue;
        }
        if (/^\s*[^\s=]+\s*(:::|::|:|\?|\+|!)?=/.test(split.prereqs)) {
          // an assignment zdd cannot read (an unterminated reference in its value): not a recipe either
          current = [];
          continue;
        }
        const declared = names(top.targets);
        if (declared.includes('.ONESHELL')) oneShell = true;
        current = declared.filter((n) => !n.startsWith('.'));
        const prereqs = names(split.prereqs).filter((p) => p !== '|');
        for (const n of current) {
          const t = targets.get(n) ?? { prereqs: [], recipe: [], line: start };
          t.prereqs.push(...prereqs);
          targets.set(n, t);
          if (split.inline?.text.trim()) {
            const base = line.length - top.rest.length + split.inline.at;
            t.recipe.push({ text: split.inline.text, pos: Array.from({ length: split.inline.text.length }, (_, k) => ({ line: start, col: base + k + 1 })) });
          }
        }
        continue;
      }
      // a top-level function call ($(eval …), $(error …)), a directive or a stray line: not a rule
      current = [];
    }
  };
  read(text, true, 0);

  const recipeActions = new Map<string, DeployAction[]>();
  for (const [name, t] of targets) {
    const auto = new Map([
      ['@', name],
      ['<', t.prereqs[0] ?? ''],
      ['^', [...new Set(t.prereqs)].join(' ')],
      ['+', t.prereqs.join(' ')],
    ]);
    const expander = make.withAutomatic(auto);
    for (const v of targetVars.get(name) ?? []) expander.assign(v.name, v.op, v.value);
    const shells: Array<{ text: string; at: Array<{ line: number; col: number }> }> = [];
    for (const r of t.recipe) {
      const e = expander.expand(r.text);
      if (e.error) {
        ctx.problems.push({ file: path, line: r.pos[0]?.line ?? t.line, message: `cannot parse the recipe of target ${name}: ${e.error}`, unparsed: 'part' });
        continue;
      }
      // make strips the @, - and + prefixes after expansion (so `$(Q)cmd` with Q = @ is silent), on each line of a canned recipe
      let out = '';
      const at: Array<{ line: number; col: number }> = [];
      let lineStart = true;
      for (let k = 0; k < e.out.length; k++) {
        const ch = e.out[k]!;
        if (lineStart && /[@+\-\s]/.test(ch) && ch !== '\n') continue;
        lineStart = ch === '\n' && e.out[k - 1] !== '\\';
        out += ch;
        at.push(r.pos[e.from[k]!] ?? r.pos[r.pos.length - 1] ?? { line: t.line, col: 1 });
      }
      shells.push({ text: out, at });
    }
    // each recipe line runs in its own shell, unless .ONESHELL
    const groups = oneShell && shells.length ? [{ text: shells.map((s) => s.text).join('\n'), at: shells.flatMap((s, k) => (k ? [shells[k - 1]!.at.at(-1) ?? { line: t.line, col: 1 }, ...s.at] : s.at)) }] : shells;
    const actions: DeployAction[] = [];
    for (const g of groups) {
      const starts = [0];
      for (let k = 0; k < g.text.length; k++) if (g.text[k] === '\n') starts.push(k + 1);
      const place = (line: number, col: number): { line: number; col: number } => {
        const off = (starts[line - 1] ?? 0) + col - 1;
        return g.at[Math.min(off, g.at.length - 1)] ?? g.at[0] ?? { line: t.line, col: 1 };
      };
      const res = shellActions(g.text, { file: path, where: `target ${name}`, map: place });
      if (res.error) ctx.problems.push({ file: res.error.file, line: res.error.line, message: `cannot parse the recipe of target ${name}: ${res.error.message}`, unparsed: 'part' });
      actions.push(...res.actions);
    }
    recipeActions.set(name, actions);
  }
  // the default goal: the first target that does not start with `.`
  const defaultGoal = [...targets.keys()].find((n) => !n.startsWith('.') && !/[%$]/.test(n));
  /**
   * The goals of a recursive `$(MAKE) goal …` (or `make goal`) on this same Makefile — none when it
   * runs another one (`-C dir`, `-f file`) or names a goal this Makefile lacks. Options and
   * `VAR=value` words are skipped; no goal is the default goal.
   */
  const subMakeGoals = (argv: readonly string[]): string[] | undefined => {
    if (!/^(?:.*\/)?g?make$/.test(argv[0] ?? '')) return undefined;
    const goals: string[] = [];
    for (const w of argv.slice(1)) {
      if (/^(?:-[^-]*[Cf]|--(?:directory|file|makefile)\b)/.test(w)) return undefined;
      if (w.startsWith('-') || /^[\w.-]+[:+?!]?=/.test(w)) continue;
      goals.push(w);
    }
    if (!goals.length && defaultGoal) goals.push(defaultGoal);
    return goals.length && goals.every((g) => targets.has(g)) ? goals : undefined;
  };
  // `stack`: the targets whose recipes are running (a sub-make of one of them would recurse forever)
  const expandTarget = (name: string, seen: Set<string>, stack: ReadonlySet<string> = new Set()): DeployAction[] => {
    if (seen.has(name) || stack.has(name)) return [];
    seen.add(name);
    const t = targets.get(name);
    if (!t) return [];
    const inner = new Set([...stack, name]);
    // a recursive make runs its goals' prerequisites and recipes right there (a new make: what this one ran before runs again)
    const recipe = (recipeActions.get(name) ?? []).flatMap((a) => {
      const goals = subMakeGoals(a.argv);
      return goals ? [a, ...goals.flatMap((g) => expandTarget(g, new Set(), inner))] : [a];
    });
    return [...t.prereqs.flatMap((p) => expandTarget(p, seen, stack)), ...recipe];
  };
  const placeholders = make.placeholders.written;
  return [...targets.keys()].map((name) => ({ name: `${path}: make ${name}`, source: 'make', file: path, actions: expandTarget(name, new Set()), syntax: 'make', placeholders }));
}
