import type * as YamlLib from 'yaml';

/**
 * YAML through the `yaml` package (eemeli/yaml), loaded on first use into its own chunk, with a
 * LineCounter so every node knows its line and column. `YNode` is the small read-only view the
 * doctor's sources use; nothing outside this file touches the library.
 */

let lib: typeof YamlLib | undefined;

export async function loadYaml(): Promise<void> {
  if (lib) return;
  // yaml is CommonJS: bundled, its exports may sit on `default`
  const m = (await import('yaml')) as typeof YamlLib & { default?: typeof YamlLib };
  lib = typeof m.LineCounter === 'function' ? m : m.default!;
}

export interface YamlSyntaxError {
  message: string;
  line: number;
  col: number;
}

export class YNode {
  private readonly node: unknown;

  constructor(
    node: unknown,
    private readonly lc: YamlLib.LineCounter,
    private readonly src: string,
    /** Position used when the node itself has none (an empty value): its key's. */
    private readonly fallback: { line: number; col: number },
    private readonly doc?: YamlLib.Document,
  ) {
    // an alias (`*defaults`) reads as the node it names
    this.node = lib && doc && lib.isAlias(node) ? (node as YamlLib.Alias).resolve(doc) : node;
  }

  private get l(): typeof YamlLib {
    return lib!;
  }

  get kind(): 'map' | 'seq' | 'scalar' | 'null' {
    if (this.l.isMap(this.node)) return 'map';
    if (this.l.isSeq(this.node)) return 'seq';
    if (this.l.isScalar(this.node) && (this.node as YamlLib.Scalar).value !== null) return 'scalar';
    return 'null';
  }

  /** Start of the node (1-based). */
  get pos(): { line: number; col: number } {
    const range = (this.node as { range?: [number, number, number] } | null)?.range;
    if (!range) return this.fallback;
    return this.lc.linePos(range[0]);
  }

  get line(): number {
    return this.pos.line;
  }

  get col(): number {
    return this.pos.col;
  }

  /** The value of a mapping key; keys merged in with `<<: *anchor` count after the map's own. */
  get(key: string): YNode | undefined {
    if (!this.l.isMap(this.node)) return undefined;
    const merged: YNode[] = [];
    for (const pair of (this.node as YamlLib.YAMLMap).items) {
      const k = this.l.isScalar(pair.key) ? String((pair.key as YamlLib.Scalar).value) : String(pair.key);
      if (k === key) return this.child(pair.value, pair.key);
      // with merge keys on, the library gives `<<` the value Symbol(<<)
      if (k === '<<' || k === 'Symbol(<<)') {
        const v = this.child(pair.value, pair.key);
        merged.push(...(v.kind === 'seq' ? v.items() : [v]));
      }
    }
    for (const m of merged) {
      const found = m.get(key);
      if (found) return found;
    }
    return undefined;
  }

  /** Mapping entries: key, the key's position, value. */
  entries(): Array<{ key: string; line: number; col: number; value: YNode }> {
    if (!this.l.isMap(this.node)) return [];
    return (this.node as YamlLib.YAMLMap).items.map((pair) => {
      const keyNode = pair.key as YamlLib.Scalar;
      const pos = keyNode?.range ? this.lc.linePos(keyNode.range[0]) : this.pos;
      return { key: this.l.isScalar(keyNode) ? String(keyNode.value) : String(pair.key), line: pos.line, col: pos.col, value: this.child(pair.value, pair.key) };
    });
  }

  /** Sequence items (a scalar or map is not a sequence: []). */
  items(): YNode[] {
    if (!this.l.isSeq(this.node)) return [];
    return (this.node as YamlLib.YAMLSeq).items.map((it) => this.child(it, undefined));
  }

  /** A scalar's value as a string (numbers and booleans as written), else undefined. */
  str(): string | undefined {
    if (!this.l.isScalar(this.node)) return undefined;
    const v = (this.node as YamlLib.Scalar).value;
    return v === null || v === undefined ? undefined : String(v);
  }

  /** Strings of a sequence of scalars, or of a single scalar. */
  strings(): string[] {
    if (this.kind === 'seq') return this.items().flatMap((i) => (i.str() !== undefined ? [i.str()!] : []));
    const s = this.str();
    return s === undefined ? [] : [s];
  }


  /**
   * For a string scalar: maps a 1-based line/column inside its value back to the file. Exact for
   * block literals (`run: |`) and single-line scalars; the first line of a folded scalar otherwise.
   */
  locator(): (line: number, col: number) => { line: number; col: number } {
    const start = this.pos;
    const scalar = this.node as YamlLib.Scalar;
    const type = this.l.isScalar(scalar) ? scalar.type : undefined;
    if (type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED') {
      const range = scalar.range!;
      const text = this.src.slice(range[0], range[1]);
      const lines = text.split('\n');
      const firstContent = lines.slice(1).find((l) => l.trim().length);
      const indent = firstContent ? firstContent.length - firstContent.trimStart().length : 0;
      if (type === 'BLOCK_LITERAL') return (line, col) => ({ line: start.line + line, col: indent + col });
      return (line, col) => ({ line: start.line + 1, col: line === 1 ? indent + col : indent + 1 });
    }
    const quote = type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE' ? 1 : 0;
    return (line, col) => (line === 1 ? { line: start.line, col: start.col + quote + col - 1 } : { line: start.line + line - 1, col });
  }

  private child(node: unknown, key: unknown): YNode {
    const keyRange = (key as { range?: [number, number, number] } | undefined)?.range;
    return new YNode(node, this.lc, this.src, keyRange ? this.lc.linePos(keyRange[0]) : this.pos, this.doc);
  }
}

/**
 * Parses every document of a YAML stream. Helm-style `{{ … }}` template code is masked first
 * (a line holding only template code becomes a comment; inline code becomes a same-length
 * placeholder) so that chart templates parse; positions stay exact.
 */
export function parseYaml(text: string, opts: { templated?: boolean } = {}): { docs: YNode[] } | { error: YamlSyntaxError } {
  if (!lib) throw new Error('parseYaml before loadYaml');
  const src = opts.templated ? maskTemplates(text) : text;
  const lc = new lib.LineCounter();
  // merge keys (`<<: *defaults`) as GitLab CI and Compose files use them
  const docs = lib.parseAllDocuments(src, { lineCounter: lc, prettyErrors: false, uniqueKeys: false, merge: true });
  const list = Array.isArray(docs) ? docs : [docs];
  for (const d of list) {
    const err = d.errors[0];
    if (err) {
      const p = lc.linePos(err.pos[0]);
      return { error: { message: err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''), line: p.line, col: p.col } };
    }
  }
  return { docs: list.filter((d) => d.contents !== null).map((d) => new YNode(d.contents, lc, src, { line: 1, col: 1 }, d as YamlLib.Document)) };
}

/** Masks Helm/Go template code, keeping every character's position. */
export function maskTemplates(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      if (/^\s*\{\{-?.*-?\}\}\s*$/.test(line) && !/:\s/.test(line.replace(/\{\{.*?\}\}/g, ''))) {
        const only = line.replace(/\{\{.*?\}\}/g, '').trim() === '';
        if (only) return line.replace(/\S.*$/, (m) => `#${' '.repeat(m.length - 1)}`);
      }
      return line.replace(/\{\{-?.*?-?\}\}/g, (m) => `z${'_'.repeat(m.length - 1)}`);
    })
    .join('\n');
}
