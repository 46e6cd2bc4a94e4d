import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync, writevSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ClassInfo } from './classmap.js';
import type { EntityMapping } from './mappings.js';
import type { Entry } from './memo.js';

/**
 * The code index's cache, kept between runs (like PHPStan's result cache or php-cs-fixer's
 * `.php-cs-fixer.cache`): what the index learnt of each file, keyed by the file's identity
 * (`Release.identify`: its git blob id, or for a file on disk its path, size, modification and
 * change times, device and inode). A pre-commit run repeats the last run's work on nearly the same
 * trees; with the cache it reads only the files that changed and those that may name the targets.
 *
 * Per file:
 * - the first pass: the classes `classmap.ts` scans, Doctrine XML/YAML mappings;
 * - its name filter (grams.ts: which target names it certainly lacks, so most files are not read);
 * - `misses`: prefilter patterns its filter let through but its text did not match, and patterns
 *   it matched but whose tie filter (under the tie names recorded with it) dropped it;
 * - the analyses of the candidate (memo.ts entries), reused only when every question the analysis
 *   asked — of the classes, the variable-name hints and the schema's column owners — gets the same
 *   answer in this run; the key also holds the targets, dialect, relevance pattern and tie names.
 *
 * One file per project under the cache directory; written whole (to a temporary file, then renamed)
 * after a run that learnt something; anything unreadable, malformed, from another zdd build or of
 * another format is ignored and rebuilt. Entries no run used for a week are dropped, and so are the
 * oldest unused ones beyond three times what the run used.
 */

const MAGIC = 'zdd-index-cache 5\n';
/** Days an entry outlives its last use. */
const KEEP_DAYS = 7;
/** Entries kept beyond those this run used, as a multiple of those (a cache does not outgrow its project). */
const KEEP_FACTOR = 3;
/** Analyses kept per file (different target sets). */
const KEEP_ANALYSES = 4;

/** What the first pass made of one file. */
export interface CachedFile {
  classes?: readonly ClassInfo[];
  mappings?: readonly EntityMapping[];
  grams: Int32Array;
  /**
   * Newest first: prefilter patterns its filter let through but its text did not match, and
   * (`pattern\0tie names`) patterns it matched but the tie filter under those names dropped.
   */
  misses?: string[];
}

/** Patterns kept per file in `misses`. */
const KEEP_MISSES = 6;

interface Stored {
  file: CachedFile;
  /** The day (since 1970) a run last used it. */
  day: number;
  /** Used in this run. */
  used?: boolean;
  analyses: Array<Entry & { key: string }>;
}

/** ClassInfo as JSON (sets and maps as arrays). */
interface ClassJson extends Omit<ClassInfo, 'scopes' | 'relations' | 'file'> {
  scopes: string[];
  relations: Array<[string, { kind: string; related: string }]>;
}

/** An analysis: its key and its questions (kind, a, b, answer) as indexes into the header's strings, and its result. */
type AnalysisJson = [key: number, questions: number[], result: Entry['result']];

interface FileJson {
  id: string;
  day: number;
  /** Offset and length of the name filter in 32-bit words, in the data after the header. */
  at: number;
  words: number;
  classes?: ClassJson[];
  mappings?: readonly EntityMapping[];
  analyses?: AnalysisJson[];
  /** CachedFile.misses, as indexes into the header's strings. */
  misses?: number[];
}

interface HeaderJson {
  build: string;
  /** The analyses' keys and questions, each string once (relevance patterns and class names repeat). */
  strings: string[];
  files: FileJson[];
}

const isPowerOfTwo = (n: number): boolean => Number.isInteger(n) && n >= 16 && (n & (n - 1)) === 0;

/** A name filter as grams.ts makes it: its trigram bits, then a table of word hashes, both powers of two. */
function wellFormed(g: Int32Array): boolean {
  const t = g[0];
  if (t === undefined || !isPowerOfTwo(t) || g.length < 2 + t) return false;
  const size = g[1 + t]!;
  return isPowerOfTwo(size) && g.length === 2 + t + size;
}

function isResult(r: unknown): r is Entry['result'] {
  if (typeof r !== 'object' || r === null) return false;
  if ('refs' in r) return Array.isArray(r.refs) && r.refs.every((x: unknown) => typeof x === 'object' && x !== null && typeof (x as { line?: unknown }).line === 'number' && typeof (x as { table?: unknown }).table === 'string');
  return 'error' in r && typeof r.error === 'string' && 'line' in r && typeof r.line === 'number';
}

/** The default cache directory: $ZDD_CACHE_DIR, else $XDG_CACHE_HOME/zdd, else ~/.cache/zdd. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ZDD_CACHE_DIR) return resolve(env.ZDD_CACHE_DIR);
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'zdd');
}

export class IndexCache {
  private readonly entries = new Map<string, Stored>();
  private readonly today = Math.floor(Date.now() / 86_400_000);
  private changed = false;

  private constructor(
    /** The cache file. */
    readonly path: string,
    private readonly build: string,
  ) {}

  /**
   * The cache of the project at `root` (one file per project directory) under `dir`, for this
   * build of zdd. Never throws: a cache that cannot be read is an empty one (`note` says why).
   */
  static open(dir: string, root: string, build: string, note?: (message: string) => void): IndexCache {
    const name = createHash('sha1').update(resolve(root)).digest('hex').slice(0, 16);
    const cache = new IndexCache(join(dir, `index-${name}.bin`), build);
    let data: Buffer;
    try {
      data = readFileSync(cache.path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') note?.(`index cache ${cache.path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); starting afresh`);
      return cache;
    }
    try {
      cache.load(data);
    } catch (e) {
      cache.entries.clear();
      note?.(`index cache ${cache.path}: ${(e as Error).message}; starting afresh`);
    }
    return cache;
  }

  private load(data: Buffer): void {
    if (data.toString('latin1', 0, MAGIC.length) !== MAGIC) throw new Error('not a zdd index cache');
    const headerLength = data.readUInt32LE(MAGIC.length);
    const start = MAGIC.length + 4;
    const header = JSON.parse(data.toString('utf8', start, start + headerLength)) as HeaderJson;
    // another build of zdd may scan or analyse differently: its cache is not used
    if (header.build !== this.build) return;
    const dataAt = start + headerLength;
    if (dataAt > data.length) throw new Error('truncated');
    const words = (data.length - dataAt) >>> 2;
    // the filters where they were read, when aligned (else a copy: a small file's buffer may start anywhere)
    let all: Int32Array;
    if ((data.byteOffset + dataAt) % 4 === 0) all = new Int32Array(data.buffer, data.byteOffset + dataAt, words);
    else {
      all = new Int32Array(words);
      new Uint8Array(all.buffer).set(data.subarray(dataAt, dataAt + words * 4));
    }
    const str = (i: number): string => {
      const v = header.strings[i];
      if (v === undefined) throw new Error('a string index out of range');
      return v;
    };
    for (const f of header.files) {
      if (!(Number.isInteger(f.at) && Number.isInteger(f.words) && f.at >= 0 && f.at + f.words <= words)) throw new Error('truncated');
      const grams = all.subarray(f.at, f.at + f.words);
      if (!wellFormed(grams)) throw new Error('a malformed name filter');
      const file: CachedFile = { grams };
      if (f.classes) file.classes = f.classes.map((c) => ({ ...c, file: '', scopes: new Set(c.scopes), relations: new Map(c.relations) }));
      if (f.mappings) file.mappings = f.mappings;
      if (f.misses) file.misses = f.misses.map(str);
      const analyses = (f.analyses ?? []).map(([key, q, result]) => {
        if (!isResult(result)) throw new Error('a malformed analysis');
        const questions: Entry['questions'] = [];
        for (let i = 0; i + 3 < q.length; i += 4) questions.push({ kind: str(q[i]!) as Entry['questions'][number]['kind'], a: str(q[i + 1]!), b: str(q[i + 2]!), answer: str(q[i + 3]!) });
        const k = str(key);
        return { key: k, context: k, questions, result };
      });
      this.entries.set(f.id, { file, day: f.day, analyses });
    }
  }

  /** The first pass over the file of this identity, for the file at `path` (classes name their file). */
  file(id: string, path: string): CachedFile | undefined {
    const e = this.entries.get(id);
    if (!e) return undefined;
    this.touch(e);
    const f = e.file;
    // the class map adds copies (ClassMap.addScanned): only the file is this path's own
    return f.classes ? { ...f, classes: f.classes.map((c) => ({ ...c, file: path })) } : f;
  }

  setFile(id: string, file: CachedFile): void {
    const old = this.entries.get(id);
    this.entries.set(id, { file, day: this.today, used: true, analyses: old?.analyses ?? [] });
    this.changed = true;
  }

  /** Records that the file of this identity does not match a prefilter `pattern` its filter lets through (or the tie filter after it, see CachedFile.misses). */
  addMiss(id: string, pattern: string): void {
    const e = this.entries.get(id);
    if (!e || e.file.misses?.includes(pattern)) return;
    e.file.misses = [pattern, ...(e.file.misses ?? [])].slice(0, KEEP_MISSES);
    this.changed = true;
  }

  /** The analyses recorded for the file of this identity under `key` (newest first). */
  analyses(id: string, key: string): Entry[] {
    const e = this.entries.get(id);
    if (!e) return [];
    this.touch(e);
    return e.analyses.filter((a) => a.key === key);
  }

  /** Records an analysis of the file of this identity (only files with a first-pass entry keep analyses). */
  addAnalysis(id: string, key: string, entry: Entry): void {
    const e = this.entries.get(id);
    if (!e) return;
    e.analyses = [{ ...entry, key }, ...e.analyses].slice(0, KEEP_ANALYSES);
    this.touch(e);
    this.changed = true;
  }

  private touch(e: Stored): void {
    e.used = true;
    if (e.day !== this.today) {
      e.day = this.today;
      this.changed = true;
    }
  }

  /** Writes the cache (a temporary file renamed over it). Never throws: `note` says why it could not. */
  save(note?: (message: string) => void): void {
    let used = 0;
    for (const e of this.entries.values()) if (e.used) used++;
    // what this run used, then the most recently used of the rest
    const unused = [...this.entries].filter(([, e]) => !e.used && e.day > this.today - KEEP_DAYS).sort(([, a], [, b]) => b.day - a.day);
    const kept = [...[...this.entries].filter(([, e]) => e.used), ...unused.slice(0, used * KEEP_FACTOR)];
    if (!this.changed && kept.length === this.entries.size) return;
    const files: FileJson[] = [];
    const filters: Int32Array[] = [];
    const strings: string[] = [];
    const index = new Map<string, number>();
    const id = (v: string): number => {
      let i = index.get(v);
      if (i === undefined) index.set(v, (i = strings.push(v) - 1));
      return i;
    };
    let at = 0;
    for (const [fileId, e] of kept) {
      const f: FileJson = { id: fileId, day: e.day, at, words: e.file.grams.length };
      if (e.file.classes?.length) f.classes = e.file.classes.map(({ file: _file, scopes, relations, ...rest }) => ({ ...rest, scopes: [...scopes], relations: [...relations] }));
      if (e.file.mappings?.length) f.mappings = e.file.mappings;
      if (e.file.misses?.length) f.misses = e.file.misses.map(id);
      if (e.analyses.length) f.analyses = e.analyses.map((a) => [id(a.key), a.questions.flatMap((q) => [id(q.kind), id(q.a), id(q.b), id(q.answer)]), a.result]);
      files.push(f);
      filters.push(e.file.grams);
      at += e.file.grams.length;
    }
    const dir = join(this.path, '..');
    const tmp = `${this.path}.${process.pid}.tmp`;
    try {
      const header = Buffer.from(JSON.stringify({ build: this.build, strings, files } satisfies HeaderJson), 'utf8');
      // the filters start at a multiple of four bytes
      const pad = (4 - ((MAGIC.length + 4 + header.length) % 4)) % 4;
      const head = Buffer.alloc(MAGIC.length + 4);
      head.write(MAGIC, 0, 'latin1');
      head.writeUInt32LE(header.length + pad, MAGIC.length);
      const parts: Uint8Array[] = [head, header, Buffer.alloc(pad, 0x20)];
      for (const g of filters) parts.push(new Uint8Array(g.buffer, g.byteOffset, g.byteLength));
      mkdirSync(dir, { recursive: true });
      // written from where the parts are, a thousand at a time (no copy of the whole into one buffer)
      const fd = openSync(tmp, 'w');
      try {
        for (let i = 0; i < parts.length; i += 1000) {
          const batch = parts.slice(i, i + 1000);
          let written = writevSync(fd, batch);
          // after a short write, the rest part by part
          for (const b of batch) {
            if (written >= b.byteLength) {
              written -= b.byteLength;
              continue;
            }
            for (let off = written; off < b.byteLength; ) off += writeSync(fd, b, off);
            written = 0;
          }
        }
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, this.path);
    } catch (e) {
      try {
        rmSync(tmp, { force: true });
      } catch {
        // nothing was written
      }
      note?.(`index cache ${this.path}: cannot write it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); runs stay uncached`);
    }
  }
}
