import { isAscii } from 'node:buffer';
import { ignoreMatcher } from '../util/glob.js';
import { isWordCode, mayContain } from './grams.js';
import { camel, modelNameGuess, studly } from './names.js';
import type { ReferenceTarget } from './types.js';

/**
 * Which files of a release the code index reads, which of them serve production requests, and the
 * cheap byte-level prefilter that picks the few files worth parsing.
 */

export type CodeFileKind = 'php' | 'blade' | 'doctrine-xml' | 'doctrine-yaml';

export function codeFileKind(path: string): CodeFileKind | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.blade.php')) return 'blade';
  if (lower.endsWith('.php')) return 'php';
  if (lower.endsWith('.orm.xml') || lower.endsWith('.dcm.xml')) return 'doctrine-xml';
  if (lower.endsWith('.orm.yml') || lower.endsWith('.orm.yaml') || lower.endsWith('.dcm.yml') || lower.endsWith('.dcm.yaml')) return 'doctrine-yaml';
  return undefined;
}

// Directories that never hold code that queries the app's database: dependencies, caches, build
// output, uploaded files, and translations (thousands of files in some apps, e.g. resources/lang).
const SKIP_SEGMENTS = new Set(['vendor', 'node_modules', '.git', 'storage', 'var', 'cache', 'lang', 'translations', '.idea', '.vscode', '.github']);
const SKIP_PREFIXES = ['public/build/', 'public/vendor/', 'public/js/', 'public/css/', 'bootstrap/cache/', 'resources/lang/', 'docs/', 'documentation/'];

/** Whether the code index reads this file at all. */
export function isIndexed(path: string): boolean {
  if (!codeFileKind(path)) return false;
  for (const p of SKIP_PREFIXES) if (path.startsWith(p)) return false;
  const parts = path.split('/');
  for (let i = 0; i < parts.length - 1; i++) if (SKIP_SEGMENTS.has(parts[i]!)) return false;
  return true;
}

/** A path filter from `paths.code` roots and `paths.ignore` globs (`util/glob.ts`). */
export function pathFilter(roots: readonly string[] = [], ignore: readonly string[] = []): (path: string) => boolean {
  const prefixes = roots.map((r) => r.replace(/^\.\/?/, '').replace(/\/+$/, '')).filter(Boolean);
  const ignored = ignoreMatcher(ignore);
  return (path) => (!prefixes.length || prefixes.some((p) => path === p || path.startsWith(`${p}/`))) && !ignored(path);
}

const NON_PROD_SEGMENTS = new Set(['tests', 'test', 'Tests', 'Test', 'spec', 'migrations', 'Migrations', 'DoctrineMigrations', 'seeds', 'seeders', 'factories', 'fixtures', 'Fixtures', 'DataFixtures', 'stubs']);

/**
 * Code that does not serve production requests: tests, factories, seeders, fixtures, migrations
 * (and the configured migration directories). Its references are listed but never make a finding an error.
 */
export function isProductionPath(path: string, extraDirs: readonly string[] = []): boolean {
  const parts = path.split('/');
  for (let i = 0; i < parts.length - 1; i++) if (NON_PROD_SEGMENTS.has(parts[i]!)) return false;
  const base = parts[parts.length - 1]!;
  if (/(?:Test|TestCase|Seeder|Cest)\.php$/.test(base)) return false;
  if (path.startsWith('database/') && /Factory\.php$/.test(base)) return false;
  for (const d of extraDirs) {
    const dir = d.replace(/\/+$/, '');
    if (dir && (path === dir || path.startsWith(`${dir}/`))) return false;
  }
  return true;
}

interface Needle {
  text: string;
  /** Must not be preceded or followed by a word character (snake names); camel/studly forms are parts of longer names (getLegacyIdAttribute). */
  bounded: boolean;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The names a target is found by: a column's snake name (and its camel/studly forms), a table's name and its model's guessed class name. */
function targetNeedles(t: ReferenceTarget): Needle[] {
  if (t.column) {
    // Doctrine properties (legacyId) and Eloquent accessors / dynamic wheres (getLegacyIdAttribute, whereLegacyId)
    const out: Needle[] = [{ text: t.column, bounded: true }];
    if (t.column.includes('_')) out.push({ text: camel(t.column), bounded: false }, { text: studly(t.column), bounded: false });
    else if (/^[a-z][a-z0-9]*$/.test(t.column)) {
      // a one-word column: its accessors and dynamic wheres (getNicknameAttribute, whereNickname),
      // named exactly (its studly form alone, `Status`, is in too many names)
      const s = studly(t.column);
      out.push(...[`get${s}Attribute`, `set${s}Attribute`, `where${s}`, `orWhere${s}`].map((text) => ({ text, bounded: true })));
    }
    return out;
  }
  return [
    { text: t.table, bounded: true },
    { text: modelNameGuess(t.table), bounded: true },
  ];
}

/** Names as one regular expression (word boundaries for bounded ones); matches nothing when empty. */
function needlesPattern(needles: readonly Needle[], flags = ''): RegExp {
  if (!needles.length) return new RegExp('(?!)', flags);
  const bounded = needles.filter((n) => n.bounded).map((n) => escapeRe(n.text));
  const free = needles.filter((n) => !n.bounded).map((n) => escapeRe(n.text));
  const parts = [...(bounded.length ? [`(?<![A-Za-z0-9_])(?:${bounded.join('|')})(?![A-Za-z0-9_])`] : []), ...(free.length ? [`(?:${free.join('|')})`] : [])];
  return new RegExp(parts.join('|'), flags);
}

/**
 * The names a file must contain to be worth parsing for these targets. Texts are the files' contents
 * decoded once (as UTF-8; `decodeCode`), so one regular expression tests every name.
 */
export class Prefilter {
  private readonly needles: Needle[] = [];
  private readonly seen = new Set<string>();
  private re?: RegExp;

  constructor(targets: readonly ReferenceTarget[]) {
    for (const t of targets) for (const n of targetNeedles(t)) this.add(n.text, n.bounded);
  }

  /** Adds a name (e.g. a model class found to map a target table). Returns false when it was there. */
  add(name: string, bounded: boolean): boolean {
    if (!name || this.seen.has(name)) return false;
    this.seen.add(name);
    this.re = undefined;
    this.needles.push({ text: name, bounded });
    return true;
  }

  get names(): string[] {
    return [...this.seen];
  }

  /** Whether a file of this name filter may mention one of the names (false: it certainly does not; grams.ts). */
  mayMatch(grams: Int32Array): boolean {
    for (const n of this.needles) if (mayContain(grams, n.text, n.bounded)) return true;
    return false;
  }

  /** Does the text mention one of the names? */
  matchesText(text: string): boolean {
    return this.pattern().test(text);
  }

  /** All names as one regular expression (word boundaries for snake names); matches nothing when empty. */
  pattern(): RegExp {
    return (this.re ??= needlesPattern(this.needles));
  }
}

/**
 * Which of many names occur in a text, in one pass: a regular expression over all of them stops at
 * every position where one starts, and each name starting with that character is compared there.
 * (One test per name would scan the text once per name: tens of passes over each candidate.)
 */
export class NameScan {
  private readonly needles: Needle[] = [];
  private readonly ids = new Map<string, number>();
  private byFirst?: Map<number, number[]>;
  private re?: RegExp;

  /** The id of a name (the same name and boundedness: the same id). */
  id(text: string, bounded: boolean): number {
    const key = `${bounded ? 'b' : 'f'}${text}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.needles.length;
      this.needles.push({ text, bounded });
      this.ids.set(key, id);
      this.re = undefined;
      this.byFirst = undefined;
    }
    return id;
  }

  /** Ids of a target's own names (see Prefilter). */
  targetIds(t: ReferenceTarget): number[] {
    return targetNeedles(t).map((n) => this.id(n.text, n.bounded));
  }

  /** Which names occur in `text`: found[id] === 1. `enough`, asked after each new name, ends the scan early. */
  scan(text: string, enough?: (found: Uint8Array) => boolean): Uint8Array {
    const found = new Uint8Array(this.needles.length);
    if (!this.needles.length) return found;
    const re = (this.re ??= needlesPattern(this.needles, 'g'));
    if (!this.byFirst) {
      this.byFirst = new Map();
      this.needles.forEach((n, i) => {
        const c = n.text.charCodeAt(0);
        const list = this.byFirst!.get(c) ?? [];
        list.push(i);
        this.byFirst!.set(c, list);
      });
    }
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const at = m.index;
      for (const i of this.byFirst.get(text.charCodeAt(at)) ?? []) {
        if (found[i]) continue;
        const n = this.needles[i]!;
        if (!text.startsWith(n.text, at)) continue;
        if (n.bounded && (isWordCode(text.charCodeAt(at - 1)) || isWordCode(text.charCodeAt(at + n.text.length)))) continue;
        found[i] = 1;
        if (enough?.(found)) return found;
      }
      // the next name may start inside this one (free names are parts of longer names)
      re.lastIndex = at + 1;
    }
    return found;
  }
}

/**
 * A file's bytes as text, decoded once for every scan: most PHP files are ASCII, where the one-byte
 * (latin1) decoding is the UTF-8 one and the cheapest.
 */
export function decodeCode(data: Buffer): string {
  return isAscii(data) ? data.toString('latin1') : data.toString('utf8');
}
