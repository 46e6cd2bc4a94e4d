import { ignoreMatcher } from '../util/glob.js';
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
  bytes: Buffer;
  text: string;
  /** Must not be preceded or followed by a word character (snake names); camel/studly forms are parts of longer names (getLegacyIdAttribute). */
  bounded: boolean;
}

const isWordByte = (b: number | undefined): boolean => b !== undefined && ((b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b === 95);

/** The names a file must contain to be worth parsing for these targets. */
export class Prefilter {
  private readonly needles: Needle[] = [];
  private readonly seen = new Set<string>();

  constructor(targets: readonly ReferenceTarget[]) {
    for (const t of targets) {
      if (t.column) {
        this.add(t.column, true);
        // Doctrine properties (legacyId) and Eloquent accessors / dynamic wheres (getLegacyIdAttribute, whereLegacyId)
        if (t.column.includes('_')) {
          this.add(camel(t.column), false);
          this.add(studly(t.column), false);
        }
      } else {
        this.add(t.table, true);
        this.add(modelNameGuess(t.table), true);
      }
    }
  }

  /** Adds a name (e.g. a model class found to map a target table). Returns false when it was there. */
  add(name: string, bounded: boolean): boolean {
    if (!name || this.seen.has(name)) return false;
    this.seen.add(name);
    this.textRe = undefined;
    this.isAscii = undefined;
    this.needles.push({ bytes: Buffer.from(name, 'utf8'), text: name, bounded });
    return true;
  }

  get names(): string[] {
    return [...this.seen];
  }

  /** `text`: the same bytes read as latin1, when the caller has it (saves decoding them again). */
  matches(data: Buffer, text?: string): boolean {
    // one regular expression over the bytes read as latin1 (names are ASCII) beats a byte search per
    // name once there are more than a few (measured: 4x with 45 names)
    if (this.ascii) return this.matchesText(text ?? data.toString('latin1'));
    for (const n of this.needles) if (contains(data, n)) return true;
    return false;
  }

  private get ascii(): boolean {
    return (this.isAscii ??= this.needles.every((n) => /^[\x00-\x7f]*$/.test(n.text)));
  }

  private isAscii?: boolean;

  private textRe?: RegExp;

  /** The same test on text (one regular expression for all names). */
  matchesText(text: string): boolean {
    return this.pattern().test(text);
  }

  /** All names as one regular expression (word boundaries for snake names); matches nothing when empty. */
  pattern(): RegExp {
    if (!this.needles.length) return /(?!)/;
    if (!this.textRe) {
      const esc = (n: Needle): string => n.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const bounded = this.needles.filter((n) => n.bounded).map(esc);
      const free = this.needles.filter((n) => !n.bounded).map(esc);
      const parts = [...(bounded.length ? [`(?<![A-Za-z0-9_])(?:${bounded.join('|')})(?![A-Za-z0-9_])`] : []), ...(free.length ? [`(?:${free.join('|')})`] : [])];
      this.textRe = new RegExp(parts.join('|'));
    }
    return this.textRe;
  }
}

function contains(data: Buffer, n: Needle): boolean {
  let i = data.indexOf(n.bytes);
  while (i !== -1) {
    if (!n.bounded || (!isWordByte(data[i - 1]) && !isWordByte(data[i + n.bytes.length]))) return true;
    i = data.indexOf(n.bytes, i + 1);
  }
  return false;
}
