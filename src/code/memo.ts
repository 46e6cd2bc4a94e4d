import type { ClassInfo } from './classmap.js';
import type { FoundRef } from './php-refs.js';

/**
 * Work the two releases of one deploy share when they are indexed in the same thread. Most candidate
 * files are the same in both releases, so a file's slice and its analysis are done once: the second
 * release reuses the first one's references when every question the analysis asked of the release's
 * classes (is `App\Models\User` a model, which table does it map, which class does `team()` relate
 * to, …) gets the same answer from its own class map. The analysis only sees the classes through
 * `ClassLookup`, and the recording wrapper below is the only thing handed to it, so no question
 * escapes the check. Nothing else the analysis reads differs between the releases (targets, dialect,
 * column owners are the deploy's; the file's text and production flag are part of the key).
 */

/** What the analyser asks about the release's classes (`ClassMap` answers it). */
export interface ClassLookup {
  find(fqcn: string): Pick<ClassInfo, 'fqcn' | 'entity' | 'parent'> | undefined;
  tablesOf(fqcn: string): string[];
  relation(fqcn: string, method: string): { found: boolean; related?: string };
  hasScope(fqcn: string, method: string): boolean;
}

/** Variable name (lower case) → tables of the model it is named after. */
export interface NameHints {
  get(name: string): string[] | undefined;
}

export type AnalysisResult = { refs: FoundRef[] } | { error: string; line: number };

/** One question and its answer, as text (answers are compared, not interpreted). */
type Question = [kind: 'f' | 't' | 'r' | 's' | 'h', a: string, b: string, answer: string];

const answers = {
  f: (l: ClassLookup, a: string): string => {
    const c = l.find(a);
    return c ? `${c.fqcn}\u0000${c.entity ?? ''}\u0000${c.parent ?? ''}` : '';
  },
  t: (l: ClassLookup, a: string): string => l.tablesOf(a).join('\u0000'),
  r: (l: ClassLookup, a: string, b: string): string => {
    const r = l.relation(a, b);
    return r.found ? `+${r.related ?? ''}` : '-';
  },
  s: (l: ClassLookup, a: string, b: string): string => (l.hasScope(a, b) ? '+' : '-'),
};

/** Records every question an analysis asks (and answers it from the real lookup). */
export class Recorder implements ClassLookup, NameHints {
  readonly questions: Question[] = [];
  private readonly asked = new Set<string>();
  constructor(
    private readonly classes: ClassLookup,
    private readonly hints: NameHints,
  ) {}

  find(fqcn: string): Pick<ClassInfo, 'fqcn' | 'entity' | 'parent'> | undefined {
    const c = this.classes.find(fqcn);
    this.ask('f', fqcn, '', () => answers.f(this.classes, fqcn));
    return c && { fqcn: c.fqcn, ...(c.entity ? { entity: c.entity } : {}), ...(c.parent ? { parent: c.parent } : {}) };
  }

  tablesOf(fqcn: string): string[] {
    const t = this.classes.tablesOf(fqcn);
    this.ask('t', fqcn, '', () => t.join('\u0000'));
    return t;
  }

  relation(fqcn: string, method: string): { found: boolean; related?: string } {
    const r = this.classes.relation(fqcn, method);
    this.ask('r', fqcn, method, () => (r.found ? `+${r.related ?? ''}` : '-'));
    return r;
  }

  hasScope(fqcn: string, method: string): boolean {
    const s = this.classes.hasScope(fqcn, method);
    this.ask('s', fqcn, method, () => (s ? '+' : '-'));
    return s;
  }

  private ask(kind: Question[0], a: string, b: string, answer: () => string): void {
    const key = `${kind}\u0000${a}\u0000${b}`;
    if (this.asked.has(key)) return;
    this.asked.add(key);
    this.questions.push([kind, a, b, answer()]);
  }

  get(name: string): string[] | undefined {
    const h = this.hints.get(name);
    this.ask('h', name, '', () => (h ? `+${h.join('\u0000')}` : '-'));
    return h;
  }
}

interface Entry {
  questions: Question[];
  result: AnalysisResult;
}

export class IndexShare {
  /** Sliced code by file text and relevance pattern. */
  readonly slices = new Map<string, string>();
  private readonly analyses = new Map<string, Entry[]>();

  /** An earlier analysis of the same key whose every question gets the same answer here. */
  reuse(key: string, classes: ClassLookup, hints: NameHints): AnalysisResult | undefined {
    const entries = this.analyses.get(key);
    if (!entries) return undefined;
    const memo = new Map<string, string>();
    const answer = (q: Question): string => {
      const k = `${q[0]}\u0000${q[1]}\u0000${q[2]}`;
      let a = memo.get(k);
      if (a === undefined) {
        if (q[0] === 'h') {
          const h = hints.get(q[1]);
          a = h ? `+${h.join('\u0000')}` : '-';
        } else a = answers[q[0]](classes, q[1], q[2]);
        memo.set(k, a);
      }
      return a;
    };
    return entries.find((e) => e.questions.every((q) => answer(q) === q[3]))?.result;
  }

  remember(key: string, recorder: Recorder, result: AnalysisResult): void {
    const list = this.analyses.get(key) ?? [];
    list.push({ questions: recorder.questions, result });
    this.analyses.set(key, list);
  }
}
