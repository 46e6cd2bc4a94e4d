import type { ClassInfo } from './classmap.js';
import type { EntityMapping } from './mappings.js';
import type { FoundRef } from './php-refs.js';

/**
 * Work the two releases of one deploy share when they are indexed in the same thread. Most candidate
 * files are the same in both releases, so a file's analysis is done once: the second release reuses
 * the first one's references when every question the analysis asked of the release's classes (is
 * `App\Models\User` a model, which table does it map, which class does `team()` relate to, …) gets
 * the same answer from its own class map. The analysis only sees the classes through `ClassLookup`,
 * and the recording wrapper below is the only thing handed to it, so no question escapes the check.
 * Nothing else the analysis reads differs between the releases (targets, dialect, column owners are
 * the deploy's); the file's text, the slicer's relevance pattern, the production flag and whether
 * the file declares a relationship by convention are the key. The column owners are recorded too:
 * the index cache (cache.ts) keeps these entries across runs, where the schema can differ.
 */

/** What the analyser asks about the release's classes (`ClassMap` answers it). */
export interface ClassLookup {
  find(fqcn: string): Pick<ClassInfo, 'fqcn' | 'entity' | 'parent'> | undefined;
  tablesOf(fqcn: string): string[];
  relation(fqcn: string, method: string): { found: boolean; related?: string };
  hasScope(fqcn: string, method: string): boolean;
  returnsSelf(fqcn: string, method: string): boolean;
  isComputed(fqcn: string, attr: string): boolean;
}

/** Variable name (lower case) → tables of the model it is named after. */
export interface NameHints {
  get(name: string): string[] | undefined;
}

export type AnalysisResult = { refs: FoundRef[] } | { error: string; line: number };

/** Which tables have a column of this name (IndexOptions.columnOwners): the schema's answer, not the code's. */
export type ColumnOwners = (column: string) => ReadonlySet<string> | undefined;

type Kind = 'find' | 'tablesOf' | 'relation' | 'hasScope' | 'returnsSelf' | 'computed' | 'hint' | 'owners';

/** One question and its answer, as text (answers are compared, not interpreted). */
export interface Question {
  kind: Kind;
  a: string;
  b: string;
  answer: string;
}

/** Each question asked of a lookup, its answer as text. */
function ask(classes: ClassLookup, hints: NameHints, owners: ColumnOwners | undefined, kind: Kind, a: string, b: string): string {
  switch (kind) {
    case 'find': {
      const c = classes.find(a);
      return c ? `${c.fqcn}\u0000${c.entity ?? ''}\u0000${c.parent ?? ''}` : '';
    }
    case 'tablesOf':
      return classes.tablesOf(a).join('\u0000');
    case 'relation': {
      const r = classes.relation(a, b);
      return r.found ? `+${r.related ?? ''}` : '-';
    }
    case 'hasScope':
      return classes.hasScope(a, b) ? '+' : '-';
    case 'returnsSelf':
      return classes.returnsSelf(a, b) ? '+' : '-';
    case 'computed':
      return classes.isComputed(a, b) ? '+' : '-';
    case 'hint': {
      const h = hints.get(a);
      return h ? `+${h.join('\u0000')}` : '-';
    }
    case 'owners': {
      const o = owners?.(a);
      return o ? `+${[...o].sort().join('\u0000')}` : '-';
    }
  }
}

/** Whether every recorded question gets the same answer from these lookups. */
export function sameAnswers(questions: readonly Question[], classes: ClassLookup, hints: NameHints, owners: ColumnOwners | undefined): boolean {
  return questions.every((q) => ask(classes, hints, owners, q.kind, q.a, q.b) === q.answer);
}

/** Answers the analyser from the release and writes every distinct question down. */
export class Recorder implements ClassLookup, NameHints {
  readonly questions: Question[] = [];
  private readonly asked = new Set<string>();
  constructor(
    private readonly classes: ClassLookup,
    private readonly hints: NameHints,
    private readonly columnOwners?: ColumnOwners,
  ) {}

  private note(kind: Kind, a: string, b = ''): void {
    const key = `${kind}\u0000${a}\u0000${b}`;
    if (this.asked.has(key)) return;
    this.asked.add(key);
    this.questions.push({ kind, a, b, answer: ask(this.classes, this.hints, this.columnOwners, kind, a, b) });
  }

  /** The schema's owners of a column name, recorded: a cached analysis (cache.ts) outlives the schema it ran with. */
  readonly owners: ColumnOwners = (column) => {
    this.note('owners', column);
    return this.columnOwners?.(column);
  };

  find(fqcn: string): Pick<ClassInfo, 'fqcn' | 'entity' | 'parent'> | undefined {
    this.note('find', fqcn);
    const c = this.classes.find(fqcn);
    // only what the answer records reaches the analysis
    return c && { fqcn: c.fqcn, ...(c.entity ? { entity: c.entity } : {}), ...(c.parent ? { parent: c.parent } : {}) };
  }

  tablesOf(fqcn: string): string[] {
    this.note('tablesOf', fqcn);
    return this.classes.tablesOf(fqcn);
  }

  relation(fqcn: string, method: string): { found: boolean; related?: string } {
    this.note('relation', fqcn, method);
    return this.classes.relation(fqcn, method);
  }

  hasScope(fqcn: string, method: string): boolean {
    this.note('hasScope', fqcn, method);
    return this.classes.hasScope(fqcn, method);
  }

  returnsSelf(fqcn: string, method: string): boolean {
    this.note('returnsSelf', fqcn, method);
    return this.classes.returnsSelf(fqcn, method);
  }

  isComputed(fqcn: string, attr: string): boolean {
    this.note('computed', fqcn, attr);
    return this.classes.isComputed(fqcn, attr);
  }

  get(name: string): string[] | undefined {
    this.note('hint', name);
    return this.hints.get(name);
  }
}

export interface Entry {
  /** The relevance pattern and production flag the analysis ran with. */
  context: string;
  questions: Question[];
  result: AnalysisResult;
}

/** What the first pass made of a file: its classes, its Doctrine mappings, its text if it is a candidate. */
export interface ScannedFile {
  classes?: readonly ClassInfo[];
  mappings?: readonly EntityMapping[];
  text?: string;
  /** Its name filter, when the index cache is on (grams.ts). */
  grams?: Int32Array;
}

export class IndexShare {
  /** Analyses by the file's text (the candidate's own string: no copy is made for the key). */
  private readonly analyses = new Map<string, Entry[]>();
  /** The first pass over files `same` says both releases hold alike, by path. */
  private readonly scanned = new Map<string, ScannedFile>();
  private firstRead?: Promise<void>;
  private endFirstRead?: () => void;

  /**
   * `same`: which paths hold the same content in both releases, when git can tell without reading
   * them (ReleasePair.sameContent). The first release to read them records its first pass over
   * them; the other one waits for it and takes that instead of reading them again.
   */
  constructor(readonly same?: (path: string) => boolean) {}

  /**
   * 'record' for the first release to ask (it must call `recorded()` when its first pass is done,
   * whatever happens), 'replay' for the second (once the first pass is recorded), 'none' when
   * nothing is known to be the same.
   */
  async readRole(): Promise<'record' | 'replay' | 'none'> {
    if (!this.same) return 'none';
    if (!this.firstRead) {
      this.firstRead = new Promise((resolve) => (this.endFirstRead = resolve));
      return 'record';
    }
    await this.firstRead;
    return 'replay';
  }

  record(path: string, file: ScannedFile): void {
    this.scanned.set(path, file);
  }

  recorded(): void {
    this.endFirstRead?.();
  }

  /** The recorded first pass over `path` (only files both releases hold alike are recorded). */
  scannedFile(path: string): ScannedFile | undefined {
    return this.scanned.get(path);
  }

  /** An earlier analysis of the same text and context whose every question gets the same answer here. */
  reuse(code: string, context: string, classes: ClassLookup, hints: NameHints, owners?: ColumnOwners): AnalysisResult | undefined {
    const entries = this.analyses.get(code);
    return entries?.find((e) => e.context === context && sameAnswers(e.questions, classes, hints, owners))?.result;
  }

  remember(code: string, context: string, recorder: Recorder, result: AnalysisResult): void {
    const list = this.analyses.get(code) ?? [];
    list.push({ context, questions: recorder.questions, result });
    this.analyses.set(code, list);
  }
}
