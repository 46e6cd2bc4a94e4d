import { snake, tableForModel } from '../util/inflect.js';
import { doctrineJoinColumns, doctrineTables, shortClass } from './names.js';

/**
 * The release's classes, found with a cheap scan of every PHP file (regular expressions, no parse):
 * name, parent, `$table`, Doctrine entity markers, local scopes and relationship methods. From it,
 * `ClassMap` tells which classes are Eloquent models or Doctrine entities and which table each one
 * maps — so a reference in one file (`User::where('legacy_id', …)`) can be tied to a table declared
 * in another.
 */

export interface ClassInfo {
  fqcn: string;
  file: string;
  line: number;
  /** Parent class, resolved against the file's namespace and imports. */
  parent?: string;
  /** `protected $table = '…'` */
  table?: string;
  /** Doctrine: `Entity` / `MappedSuperclass` marker, and `Table(name)`. */
  entity?: 'entity' | 'mapped-superclass';
  entityTable?: string;
  /** Local scopes (`scopeActive` → `active`). */
  scopes: Set<string>;
  /** Relationship methods → kind (belongsTo, hasMany …) and related class (resolved), when written as `X::class`. */
  relations: Map<string, { kind: string; related: string }>;
  /**
   * Doctrine: the join columns a ManyToOne/OneToOne association property maps by the naming
   * strategies alone (`$teamlead` → `teamlead_id`), which the file need not write anywhere.
   */
  joinColumns?: string[];
  /** Methods declared to return the class itself (`: self`, `: ?static`): `Setting::getSettings()` is a Setting. */
  selfMethods?: string[];
  /**
   * Eloquent attributes whose accessor computes the value without reading the stored column
   * (`genre(): Attribute` returning `get: fn () => $this->genres->pluck('name')`, a
   * `getGenreAttribute()` without `$value`): reading `$song->genre` does not read the column.
   */
  computed?: string[];
  /** Every attribute the class declares a getter accessor for (computed or not): the nearest one decides. */
  accessors?: string[];
}

/** Base classes that make a class an Eloquent model. */
const ELOQUENT_BASES = new Set([
  'Illuminate\\Database\\Eloquent\\Model',
  'Illuminate\\Foundation\\Auth\\User',
  'Illuminate\\Database\\Eloquent\\Relations\\Pivot',
  'Illuminate\\Database\\Eloquent\\Relations\\MorphPivot',
  'Illuminate\\Notifications\\DatabaseNotification',
  'Eloquent',
  'Model',
]);
/** Short names of Eloquent bases, for parents zdd cannot resolve (aliases, unusual imports). */
const ELOQUENT_SHORT = new Set(['Model', 'Eloquent', 'Authenticatable', 'Pivot', 'MorphPivot']);

export interface FileNames {
  namespace: string;
  /** alias (last segment or `as` name) → fully qualified name */
  uses: Map<string, string>;
}

/** Resolves a class name as written in a file to a fully qualified name. */
export function resolveName(name: string, names: FileNames): string {
  if (name.startsWith('\\')) return name.slice(1);
  const slash = name.indexOf('\\');
  const first = slash === -1 ? name : name.slice(0, slash);
  const used = names.uses.get(first);
  if (used) return slash === -1 ? used : used + name.slice(slash);
  if (name.toLowerCase() === 'namespace') return names.namespace;
  return names.namespace ? `${names.namespace}\\${name}` : name;
}

const NAMESPACE_RE = /^\s*namespace\s+([\w\\]+)\s*[;{]/m;
const USE_RE = /^\s*use\s+(?:function\s+|const\s+)?([\w\\]+)(?:\s*\\\s*\{([^}]*)\}|\s+as\s+(\w+))?\s*;/gm;
const CLASS_RE = /^[ \t]*(?:(?:abstract|final|readonly)\s+)*class\s+(\w+)(?:\s+extends\s+([\w\\]+))?/gm;
const TABLE_PROP_RE = /\$table\s*=\s*['"]([^'"]+)['"]/g;
const ENTITY_RE = /(?:#\[\s*(?:ORM\\)?|@(?:ORM\\)?)(Entity|MappedSuperclass)\b/g;
const ENTITY_TABLE_RE = /(?:#\[\s*(?:ORM\\)?Table\s*\(\s*(?:name\s*:\s*)?|@(?:ORM\\)?Table\s*\(\s*name\s*=\s*)["']([^"']+)["']/g;
const SCOPE_RE = /function\s+scope([A-Z]\w*)\s*\(/g;
/** An accessor: `genre(): Attribute` (Laravel 9+) or `getGenreAttribute(…)`. */
const ACCESSOR_RE = /function\s+(?:get(\w+)Attribute\s*\(([^)]*)\)|(\w+)\s*\(\s*\)\s*:\s*(?:\\?Illuminate\\Database\\Eloquent\\Casts\\)?Attribute\b)/g;
/** What in an accessor's body reads the stored value. */
const READS_STORED = /\$value\b|\$attributes\b|attributes\s*\[|getAttributes\b|attributesToArray|getAttributeFromArray|getRawOriginal|getOriginal|getAttributeValue|parent::/;

/** The body of the function whose header ends at `from`: `{…}` by brace count, outside strings and comments; none for an abstract method. */
function bodyAfter(text: string, from: number): string | undefined {
  const open = text.indexOf('{', from);
  const semi = text.indexOf(';', from);
  // an abstract or interface method has no body (the next `{` is another method's)
  if (open === -1 || (semi !== -1 && semi < open)) return undefined;
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 39 || c === 34) {
      // a quoted string: braces inside do not count
      for (i++; i < text.length && text.charCodeAt(i) !== c; i++) if (text.charCodeAt(i) === 92) i++;
    } else if (c === 47 && text.charCodeAt(i + 1) === 47) {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? text.length : nl;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 1;
    } else if (c === 123) depth++;
    else if (c === 125 && --depth === 0) return text.slice(open + 1, i);
  }
  return undefined;
}

/** A method declared to return the class itself. */
const SELF_METHOD_RE = /function\s+(\w+)\s*\((?:[^()]|\([^()]*\))*\)\s*:\s*\??\s*(?:self|static)\b/g;
/** A ManyToOne/OneToOne marker (attribute or annotation), then the property it maps (no `;` between). */
const ASSOCIATION_RE = /(?:#\[\s*(?:ORM\\)?|@(?:ORM\\)?)(?:ManyToOne|OneToOne)\b[^;]*?\b(?:private|protected|public|var)\b[^$;]*\$(\w+)/g;
const RELATION_RE = /function\s+(\w+)\s*\([^)]*\)[^{;]*\{\s*return\s+\$this\s*->\s*(belongsTo|belongsToMany|hasMany|hasOne|hasManyThrough|hasOneThrough|morphMany|morphOne|morphToMany|morphedByMany)\s*\(\s*([\w\\]+)::class/g;

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Namespace and imports of a PHP file, from its text (no parse). */
export function scanFileNames(text: string): FileNames {
  const namespace = NAMESPACE_RE.exec(text)?.[1] ?? '';
  const uses = new Map<string, string>();
  const firstClass = text.search(/^\s*(?:(?:abstract|final|readonly)\s+)*(?:class|trait|interface|enum)\s/m);
  const head = firstClass === -1 ? text : text.slice(0, firstClass);
  for (const m of head.matchAll(USE_RE)) {
    const [, name, group, alias] = m;
    if (group !== undefined) {
      for (const item of group.split(',')) {
        const im = /^\s*([\w\\]+)(?:\s+as\s+(\w+))?\s*$/.exec(item);
        if (im) uses.set(im[2] ?? shortClass(im[1]!), `${name}\\${im[1]}`);
      }
    } else uses.set(alias ?? shortClass(name!), name!);
  }
  return { namespace, uses };
}

/** A class record of its own (the map changes records: a Doctrine mapping marks an entity). */
function copyInfo(info: ClassInfo): ClassInfo {
  return { ...info, scopes: new Set(info.scopes), relations: new Map(info.relations) };
}

export class ClassMap {
  private readonly byFqcn = new Map<string, ClassInfo>();
  private readonly byShort = new Map<string, string[]>();
  /** Doctrine XML/YAML mappings: entity class → table. */
  private readonly mappedTables = new Map<string, string>();
  private tableCache = new Map<string, string[] | null>();

  /**
   * Scans one PHP file's text and adds its classes. With `copies`, returns the classes the file
   * declares as scanned, before anything else changes them (for the other release, memo.ts); else
   * an empty list.
   */
  scanPhpText(file: string, whole: string, copies = false): ClassInfo[] {
    const infos = scanPhpClasses(file, whole);
    const scanned = copies ? infos.map(copyInfo) : [];
    for (const info of infos) this.add(info);
    return scanned;
  }

  /** Adds classes a scan found (scanPhpClasses; another release's, the cache's): copies of them. */
  addScanned(infos: readonly ClassInfo[]): void {
    for (const info of infos) this.add(copyInfo(info));
  }

  /** Records a Doctrine XML/YAML mapping's entity → table. */
  addMapping(entity: string, table: string | undefined, file: string, line: number): void {
    const fqcn = entity.replace(/^\\/, '');
    const existing = this.byFqcn.get(fqcn);
    if (existing) {
      existing.entity ??= 'entity';
      if (table) existing.entityTable ??= table;
    } else this.add({ fqcn, file, line, entity: 'entity', ...(table ? { entityTable: table } : {}), scopes: new Set(), relations: new Map() });
    if (table) this.mappedTables.set(fqcn, table);
    this.tableCache.clear();
  }

  private add(info: ClassInfo): void {
    if (!this.byFqcn.has(info.fqcn)) {
      this.byFqcn.set(info.fqcn, info);
      const s = shortClass(info.fqcn);
      const list = this.byShort.get(s) ?? [];
      list.push(info.fqcn);
      this.byShort.set(s, list);
    }
    this.tableCache.clear();
  }

  get(fqcn: string): ClassInfo | undefined {
    return this.byFqcn.get(fqcn);
  }

  /**
   * A class by the name a file uses for it: resolved, or — when the resolved name is unknown (a
   * facade alias, a missing import) — the only class with that short name.
   */
  find(fqcn: string): ClassInfo | undefined {
    const hit = this.byFqcn.get(fqcn);
    if (hit) return hit;
    const list = this.byShort.get(shortClass(fqcn));
    return list?.length === 1 ? this.byFqcn.get(list[0]!) : undefined;
  }

  isEloquent(fqcn: string): boolean {
    const seen = new Set<string>();
    let cur: string | undefined = fqcn;
    while (cur && !seen.has(cur)) {
      seen.add(cur);
      if (ELOQUENT_BASES.has(cur)) return cur !== fqcn;
      const info = this.find(cur);
      if (!info) return cur !== fqcn && ELOQUENT_SHORT.has(shortClass(cur));
      cur = info.parent;
    }
    return false;
  }

  isEntity(fqcn: string): boolean {
    return this.find(fqcn)?.entity === 'entity';
  }

  /**
   * The tables a model or entity class maps: Eloquent `$table` (own or inherited) else Laravel's
   * naming rule; Doctrine `Table(name)` else the naming strategies' names. Empty when not a model.
   */
  tablesOf(fqcn: string): string[] {
    const info = this.find(fqcn);
    const key = info?.fqcn ?? fqcn;
    const cached = this.tableCache.get(key);
    if (cached !== undefined) return cached ?? [];
    let result: string[] = [];
    if (info?.entity === 'entity') {
      const t = this.mappedTables.get(info.fqcn) ?? info.entityTable;
      result = t ? [t] : doctrineTables(shortClass(info.fqcn));
    } else if (info?.entity === 'mapped-superclass') {
      result = [...new Set(this.subclassesOf(info.fqcn).flatMap((c) => (this.isEntity(c) ? this.tablesOf(c) : [])))];
    } else if (this.isEloquent(fqcn)) {
      let cur: ClassInfo | undefined = info;
      let table: string | undefined;
      const seen = new Set<string>();
      while (cur && !table && !seen.has(cur.fqcn)) {
        seen.add(cur.fqcn);
        table = cur.table;
        cur = cur.parent ? this.find(cur.parent) : undefined;
      }
      result = [table ?? tableForModel(shortClass(fqcn))];
    }
    this.tableCache.set(key, result.length ? result : null);
    return result;
  }

  /** Model/entity classes mapping any of `tables`. */
  classesOfTables(tables: ReadonlySet<string>): ClassInfo[] {
    const out: ClassInfo[] = [];
    for (const info of this.byFqcn.values()) if (this.tablesOf(info.fqcn).some((t) => tables.has(t))) out.push(info);
    return out;
  }

  /** Names of relationship methods (of any class) whose related class maps one of `tables`. */
  relationsTo(tables: ReadonlySet<string>): string[] {
    const out = new Set<string>();
    for (const info of this.byFqcn.values()) {
      for (const [method, rel] of info.relations) if (this.tablesOf(rel.related).some((t) => tables.has(t))) out.add(method);
    }
    return [...out];
  }

  /**
   * Files of models whose relationships can name a target by Laravel's conventions alone (a
   * `belongsTo(Team::class)` uses `team_id` without writing it): models of the target tables, models
   * with a relationship to one, and the two sides of a default pivot table.
   */
  relationshipFiles(tables: ReadonlySet<string>): string[] {
    const out = new Set<string>();
    for (const info of this.byFqcn.values()) {
      if (!info.relations.size) continue;
      const own = this.tablesOf(info.fqcn);
      if (own.some((t) => tables.has(t))) out.add(info.file);
      for (const rel of info.relations.values()) {
        if (this.tablesOf(rel.related).some((t) => tables.has(t))) out.add(info.file);
        if (rel.kind === 'belongsToMany') {
          const pivot = [snake(shortClass(info.fqcn)), snake(shortClass(rel.related))].sort().join('_');
          if (tables.has(pivot)) out.add(info.file);
        }
      }
    }
    return [...out];
  }

  /**
   * Files of Doctrine entities with an association whose default join column is a target column of
   * the entity's table (ClassInfo.joinColumns): the mapping names it without writing it.
   */
  joinColumnFiles(targets: ReadonlyArray<{ table: string; column?: string }>): string[] {
    const out = new Set<string>();
    for (const info of this.byFqcn.values()) {
      if (!info.joinColumns?.length) continue;
      const cols = targets.filter((t) => t.column && info.joinColumns!.includes(t.column));
      if (!cols.length) continue;
      const own = this.tablesOf(info.fqcn);
      if (cols.some((t) => own.includes(t.table))) out.add(info.file);
    }
    return [...out];
  }

  /** Every model/entity class, for naming hints (`$user` → User). */
  *models(): Iterable<ClassInfo> {
    for (const info of this.byFqcn.values()) if (this.tablesOf(info.fqcn).length) yield info;
  }

  subclassesOf(fqcn: string): string[] {
    const out: string[] = [];
    for (const info of this.byFqcn.values()) {
      let cur = info.parent;
      const seen = new Set<string>();
      while (cur && !seen.has(cur)) {
        seen.add(cur);
        if (cur === fqcn) {
          out.push(info.fqcn);
          break;
        }
        cur = this.find(cur)?.parent;
      }
    }
    return out;
  }

  /** The first answer `pick` gives on `fqcn`'s class or, going up, its parents (each once). */
  private nearest<T>(fqcn: string, pick: (info: ClassInfo) => T | undefined): T | undefined {
    let cur = this.find(fqcn);
    const seen = new Set<string>();
    while (cur && !seen.has(cur.fqcn)) {
      seen.add(cur.fqcn);
      const answer = pick(cur);
      if (answer !== undefined) return answer;
      cur = cur.parent ? this.find(cur.parent) : undefined;
    }
    return undefined;
  }

  /** Resolved related class of a relationship method of `fqcn` (or its parents). */
  relation(fqcn: string, method: string): { found: boolean; related?: string } {
    const related = this.nearest(fqcn, (c) => c.relations.get(method)?.related);
    return related === undefined ? { found: false } : { found: true, related };
  }

  hasScope(fqcn: string, method: string): boolean {
    return this.nearest(fqcn, (c) => (c.scopes.has(method) ? true : undefined)) ?? false;
  }

  /**
   * Is `attr` computed by an accessor that does not read the column (ClassInfo.computed)? The
   * nearest class declaring an accessor for it decides: a subclass's overrides its parent's.
   */
  isComputed(fqcn: string, attr: string): boolean {
    return this.nearest(fqcn, (c) => (c.computed?.includes(attr) ? true : c.accessors?.includes(attr) ? false : undefined)) ?? false;
  }

  /** Is `method` declared (by the class or a parent) to return the class itself (ClassInfo.selfMethods)? */
  returnsSelf(fqcn: string, method: string): boolean {
    return this.nearest(fqcn, (c) => (c.selfMethods?.includes(method) ? true : undefined)) ?? false;
  }
}

/**
 * The classes one PHP file declares, from its text (decoded as latin1: one byte, one character;
 * names are ASCII), without adding them anywhere: the index adds every file's in the release's file
 * order, whichever files it scanned and whichever it took from the cache or the other release, so
 * that the first of two declarations of a class wins alike.
 */
export function scanPhpClasses(file: string, whole: string): ClassInfo[] {
  const first = whole.indexOf('class ');
  if (first === -1) return [];
  // Most files only declare a class: scan just up to its declaration unless the file holds what a
  // model or entity declares further down ($table, mappings, scopes, relationships) or more classes.
  const has = (s: string): boolean => whole.includes(s);
  const deep = has('$table') || has('Entity') || has('MappedSuperclass') || has('function scope') || has('return $this') || whole.indexOf('class ', first + 6) !== -1;
  const text = deep ? whole : whole.slice(0, first + 400);
  CLASS_RE.lastIndex = 0;
  const decls = [...text.matchAll(CLASS_RE)];
  if (!decls.length) return [];
  const names = scanFileNames(text);
  const infos: Array<{ info: ClassInfo; start: number }> = decls.map((m) => {
    const fqcn = names.namespace ? `${names.namespace}\\${m[1]}` : m[1]!;
    const info: ClassInfo = { fqcn, file, line: lineAt(text, m.index!), scopes: new Set(), relations: new Map() };
    if (m[2]) info.parent = resolveName(m[2], names);
    return { info, start: m.index! };
  });
  const owner = (offset: number): ClassInfo => {
    let found = infos[0]!.info;
    for (const c of infos) if (c.start <= offset) found = c.info;
    return found;
  };
  const ownerOrNext = (offset: number): ClassInfo => infos.find((c) => c.start >= offset)?.info ?? owner(offset);
  if (text.includes('$table')) for (const m of text.matchAll(TABLE_PROP_RE)) owner(m.index!).table ??= m[1];
  if (text.includes('Entity') || text.includes('MappedSuperclass')) {
    for (const m of text.matchAll(ENTITY_RE)) ownerOrNext(m.index!).entity ??= m[1] === 'Entity' ? 'entity' : 'mapped-superclass';
    for (const m of text.matchAll(ENTITY_TABLE_RE)) ownerOrNext(m.index!).entityTable ??= m[1];
  }
  if (text.includes('function scope')) for (const m of text.matchAll(SCOPE_RE)) owner(m.index!).scopes.add(m[1]!.charAt(0).toLowerCase() + m[1]!.slice(1));
  if (text.includes('return $this')) for (const m of text.matchAll(RELATION_RE)) owner(m.index!).relations.set(m[1]!, { kind: m[2]!, related: resolveName(m[3]!, names) });
  if (whole.includes(': ?self') || whole.includes(': self') || whole.includes(': static') || whole.includes(': ?static')) {
    // (the whole file: a class that is neither model nor entity by its text alone may still be one;
    // a file holding more classes was scanned whole, so the owner is among those found)
    for (const m of whole.matchAll(SELF_METHOD_RE)) {
      const info = owner(m.index!);
      if (!info.selfMethods?.includes(m[1]!)) (info.selfMethods ??= []).push(m[1]!);
    }
  }
  if (whole.includes('Attribute')) {
    for (const m of whole.matchAll(ACCESSOR_RE)) {
      const name = m[1] ?? m[3]!;
      const attr = snake(name);
      const info = owner(m.index!);
      // (a subclass's accessor overrides its parent's, computed or not: ClassMap.isComputed)
      if (!info.accessors?.includes(attr)) (info.accessors ??= []).push(attr);
      if (m[1] !== undefined && m[2]!.trim()) continue; // getXAttribute($value): reads it
      const body = bodyAfter(whole, m.index! + m[0].length);
      if (body === undefined || READS_STORED.test(body)) continue;
      if (body.includes(`'${attr}'`) || body.includes(`"${attr}"`)) continue;
      // new style: a getter taking no parameter (its first one, whatever its name, is the stored
      // value; `set:` alone is a mutator)
      if (m[3] !== undefined && !/(?:\bget\s*:|Attribute::get\s*\(|new\s+Attribute\s*\()\s*(?:static\s+)?(?:fn|function)\s*\(\s*\)/.test(body)) continue;
      if (!info.computed?.includes(attr)) (info.computed ??= []).push(attr);
    }
  }
  if (text.includes('ToOne')) {
    for (const m of text.matchAll(ASSOCIATION_RE)) {
      if (m[0].includes('mappedBy')) continue; // the inverse side: no column
      const info = owner(m.index!);
      info.joinColumns = [...new Set([...(info.joinColumns ?? []), ...doctrineJoinColumns(m[1]!)])];
    }
  }
  return infos.map(({ info }) => info);
}
