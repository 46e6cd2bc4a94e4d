import { ARRAY_KEYS } from './php-refs.js';

/**
 * Parsing is the index's cost (php-parser reads about 1 MB/s in a cold process), and a candidate
 * file usually names a target in a few statements of a long class. So only what can matter is
 * parsed; everything else is replaced by its newlines, so every line number stays exact:
 * - in a file holding one class: the properties, constants and trait uses that mention a target or
 *   carry a type, the constructor and setters, relationship methods, and the methods that mention a
 *   target;
 * - inside the kept function bodies (and in files of plain statements, such as route files): the
 *   statements that mention a target, the statements that assign the variables those use, and the
 *   structure around them (an `if` whose body holds a kept statement keeps its condition).
 * One pass (a regular expression jumping between the characters that matter) records the braces,
 * parentheses and semicolons outside strings and comments; everything else works on that record.
 * When the sliced code does not parse, the index parses the whole file instead.
 */

const RELATIONSHIP = /\$this\s*->\s*(?:belongsTo|hasMany|hasOne|belongsToMany|morph\w+|hasManyThrough|hasOneThrough)\s*\(/;
/** `$this->client = $client;`: a setter gives an untyped property its type for the other methods. */
const PROPERTY_SETTER = /\$this\s*->\s*\w+\s*=\s*\$\w+\s*;/;
/** Either of the two (one pass over a method instead of two). */
const RELATIONSHIP_OR_SETTER = new RegExp(`${RELATIONSHIP.source}|${PROPERTY_SETTER.source}`);
/**
 * Docblock annotations the analyser reads names from (Doctrine mappings on classes and properties:
 * `@ORM\Column(name="po_number")`, `@Table`, `@JoinColumn`, `@Index(columns={…})`). A name in any
 * other comment (an OpenAPI `@OA\Parameter(name="id")`, prose, commented-out code) is not a
 * reference, and `@var` comments only type the variables of the statement they precede.
 */
const MAPPING_DOC = /@(?:ORM\\|(?:Column|Table|JoinColumns?|JoinTable|Index|UniqueConstraint|Entity|Id|ManyToOne|OneToOne|ManyToMany|OneToMany|Embedded|DiscriminatorColumn|AttributeOverrides?|AssociationOverrides?)\b)/;
/** A typed property (`private ?User $user`) or one carrying Doctrine mapping: kept for the types and mappings. */
const TYPED_MEMBER = new RegExp(String.raw`^(?:[^'"$]|'[^']*'|"[^"]*")*?\b(?:public|protected|private|var|readonly)\s+(?:static\s+)?(?:readonly\s+)?[?\\\w()]+(?:\s*[|&]\s*[?\\\w()]+)*\s+\$|#\[|${MAPPING_DOC.source}|\buse\s+[\w\\]+`);
const CLASS_DECL = /^\s*(?:(?:abstract|final|readonly)\s+)*(?:class|trait|interface|enum)\s+\w+/i;
/** Statements whose body is a block, and what may follow their block as part of the same statement. */
const COMPOUND = new Set(['if', 'foreach', 'for', 'while', 'do', 'try', 'switch', 'declare', 'function', 'namespace', 'class', 'interface', 'trait', 'enum', 'abstract', 'final', 'readonly']);
const CONTINUES = new Set(['else', 'elseif', 'catch', 'finally', 'while']);
/** Blocks that hold statements (not class bodies, match arms or `->{…}` lookups). */
const STATEMENT_BLOCK_BEFORE = new Set(['if', 'elseif', 'else', 'foreach', 'for', 'while', 'do', 'try', 'catch', 'finally', 'function', 'use', 'declare']);
/** Statements kept whatever they mention: they set up names and scope for the rest. */
const KEEP_FIRST_WORDS = new Set(['namespace', 'use', 'declare', 'global']);
/**
 * `$x = …`, `$x ??= …`, `foreach (… as $x)` / `as $k => $x`: the variable is (re)assigned and may
 * change type. (`$x['k'] = …` does not: an array stays an array for the analyser.)
 */
const ASSIGNED = /\$(\w+)\s*(?:[.+\-*/?]{0,2})=(?![=>])|\bas\s+(?:\$\w+\s*=>\s*)?&?\$(\w+)/g;

const VARIABLES = /\$(\w+)/g;
const RELATIONSHIP_ALL = new RegExp(RELATIONSHIP.source, 'g');
const PROPERTY_SETTER_ALL = new RegExp(PROPERTY_SETTER.source, 'g');

/** A PHP name character: ASCII letters, digits, `_` and every character from 0x80 (unlike the prefilter's `[A-Za-z0-9_]`, grams.ts isWordCode). */
const isWord = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;

/** The structural characters of a file, outside strings and comments, in order (typed arrays: a file has tens of thousands). */
interface Structure {
  length: number;
  pos: Int32Array;
  /** Char code: `{` 123, `}` 125, `(` 40, `)` 41, `[` 91, `]` 93, `;` 59, `,` 44. */
  ch: Uint8Array;
  /** Brace depth outside the character (for `{` and `}`: the depth around the block). */
  level: Int32Array;
  /** Parenthesis depth at the character. */
  paren: Int32Array;
  /** Index of the matching brace / parenthesis / bracket, -1 for `;` and `,`. */
  match: Int32Array;
  /** Index of the innermost open `(`, `[` or `{` around the character, -1 at the top. */
  owner: Int32Array;
}

/** The characters `structure` acts on: braces, parentheses, brackets, `;`, `,`, quotes, comment starts, `<<<`, `?>`. */
const SPECIAL_CHAR = new Uint8Array(126);
for (const c of '{}()[];,\'"`#/<?') SPECIAL_CHAR[c.charCodeAt(0)] = 1;

/**
 * The record's arrays, reused from file to file (a file's record is only read while that file is
 * sliced): allocating them per file cost more than filling them.
 */
let shared: Structure = makeStructure(4096);
const braceStack: number[] = [];
/** The comments of the file `structure` read last: [start, end) pairs, in order. */
let comments = new Int32Array(1024);
let commentLength = 0;

function addComment(start: number, end: number): void {
  if (commentLength + 2 > comments.length) {
    const more = new Int32Array(comments.length * 2);
    more.set(comments);
    comments = more;
  }
  comments[commentLength++] = start;
  comments[commentLength++] = end;
}
const parenStack: number[] = [];
const bracketStack: number[] = [];
const groupStack: number[] = [];

function makeStructure(size: number): Structure {
  return { length: 0, pos: new Int32Array(size), ch: new Uint8Array(size), level: new Int32Array(size), paren: new Int32Array(size), match: new Int32Array(size), owner: new Int32Array(size) };
}

function grow(s: Structure): Structure {
  const t = makeStructure(s.pos.length * 2);
  t.pos.set(s.pos), t.ch.set(s.ch), t.level.set(s.level), t.paren.set(s.paren), t.match.set(s.match), t.owner.set(s.owner);
  return t;
}

/** Where to go on after `<<<` at `i`: the last character of the heredoc/nowdoc (or of `<<<`); -1 when it does not end. */
function heredocEnd(code: string, i: number): number {
  const h = /^<<<[ \t]*(["']?)([A-Za-z_][A-Za-z0-9_]*)\1\r?\n/.exec(code.slice(i, i + 80));
  if (!h) return i + 2;
  const re = new RegExp(`\\n[ \\t]*${h[2]}(?![A-Za-z0-9_])`, 'g');
  re.lastIndex = i + h[0].length - 1;
  const end = re.exec(code);
  return end ? end.index + end[0].length - 1 : -1;
}

/** End of a `//` or `#` comment; -1 when a `?>` inside it would end PHP mode. */
function lineEnd(code: string, i: number): number {
  const eol = code.indexOf('\n', i);
  const end = eol === -1 ? code.length : eol;
  for (let j = i; j < end - 1; j++) if (code.charCodeAt(j) === 63 && code.charCodeAt(j + 1) === 62) return -1;
  return end;
}

function structure(code: string): Structure | undefined {
  const n = code.length;
  let s = shared;
  let cap = s.pos.length;
  let len = 0;
  let { pos, ch, level, paren, match, owner } = s;
  const braces = braceStack;
  const parens = parenStack;
  const brackets = bracketStack;
  const groups = groupStack;
  braces.length = 0;
  parens.length = 0;
  brackets.length = 0;
  groups.length = 0;
  commentLength = 0;
  // room for the records up front (about one character in ten is one), so that the loop seldom grows them
  if (cap < n >> 3) {
    s = shared = makeStructure(n >> 3);
    cap = s.pos.length;
    ({ pos, ch, level, paren, match, owner } = s);
  }
  for (let i = 0; i < n; i++) {
    const c = code.charCodeAt(i);
    if (c > 125 || SPECIAL_CHAR[c] === 0) continue; // most characters: one table lookup
    if (c === 39 || c === 34 || c === 96) {
      // ' " `: to the closing quote (a backslash escapes). (A loop, not indexOf: with indexOf, this
      // pass now and then took over a second on one 1.8 MB file in the CLI, for reasons not found.)
      let j = i + 1;
      while (j < n) {
        const d = code.charCodeAt(j);
        if (d === 92) j += 2;
        else if (d === c) break;
        else j++;
      }
      if (j >= n) return undefined;
      i = j;
      continue;
    }
    let stack: number[] | undefined;
    let open = -1;
    switch (c) {
      case 123: // {
      case 40: // (
      case 91: // [
        stack = c === 123 ? braces : c === 40 ? parens : brackets;
        break;
      case 125:
      case 41:
      case 93: {
        const st = c === 125 ? braces : c === 41 ? parens : brackets;
        const o = st.pop();
        if (o === undefined || groups.pop() !== o) return undefined;
        open = o;
        break;
      }
      case 59: // ;
      case 44: // ,
        break;
      case 35: // # comment, not #[
        if (code.charCodeAt(i + 1) !== 91) {
          const e = lineEnd(code, i);
          if (e < 0) return undefined;
          addComment(i, e);
          i = e - 1;
        }
        continue;
      case 47: // // and /* */
        if (code.charCodeAt(i + 1) === 47) {
          const e = lineEnd(code, i);
          if (e < 0) return undefined;
          addComment(i, e);
          i = e - 1;
        } else if (code.charCodeAt(i + 1) === 42) {
          const close = code.indexOf('*/', i + 2);
          if (close === -1) return undefined;
          addComment(i, close + 2);
          i = close + 1;
        }
        continue;
      case 60: // <<< heredoc / nowdoc
        if (code.charCodeAt(i + 1) === 60 && code.charCodeAt(i + 2) === 60) {
          i = heredocEnd(code, i);
          if (i < 0) return undefined;
        }
        continue;
      case 63: // ?> leaves PHP mode: not sliced
        if (code.charCodeAt(i + 1) === 62) return undefined;
        continue;
      default:
        continue;
    }
    // record the character
    if (len === cap) {
      s = shared = grow(s);
      cap = s.pos.length;
      ({ pos, ch, level, paren, match, owner } = s);
    }
    const k = len++;
    pos[k] = i;
    ch[k] = c;
    level[k] = braces.length;
    paren[k] = parens.length;
    match[k] = open;
    owner[k] = groups.length ? groups[groups.length - 1]! : -1;
    if (open >= 0) match[open] = k;
    else if (stack) {
      stack.push(k);
      groups.push(k);
    }
  }
  if (groups.length) return undefined;
  s.length = len;
  return s;
}

/** First record index with position ≥ `at`. */
function firstAt(s: Structure, at: number): number {
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (s.pos[mid]! < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first non-space, non-comment character at or after `at`. */
function skipSpace(code: string, at: number, to: number): number {
  let j = at;
  for (;;) {
    while (j < to && code.charCodeAt(j) <= 32) j++;
    if (code.startsWith('//', j) || (code.charCodeAt(j) === 35 && code.charCodeAt(j + 1) !== 91)) {
      const eol = code.indexOf('\n', j);
      j = eol === -1 ? to : eol;
    } else if (code.startsWith('/*', j)) {
      const close = code.indexOf('*/', j + 2);
      j = close === -1 ? to : close + 2;
    } else return j;
  }
}

function wordAt(code: string, at: number): string {
  let j = at;
  while (j < code.length && isWord(code.charCodeAt(j))) j++;
  return code.slice(at, j).toLowerCase();
}

/** The word ending just before `at` (skipping spaces), lower case, and where it starts. */
function wordBefore(code: string, at: number): { word: string; start: number } {
  let j = at - 1;
  while (j >= 0 && code.charCodeAt(j) <= 32) j--;
  const end = j + 1;
  while (j >= 0 && isWord(code.charCodeAt(j))) j--;
  return { word: code.slice(j + 1, end).toLowerCase(), start: j + 1 };
}

/** Does the `{` (record `k`) start a block of statements? */
function isStatementBlock(code: string, s: Structure, k: number): boolean {
  const open = s.pos[k]!;
  let j = open - 1;
  while (j >= 0 && code.charCodeAt(j) <= 32) j--;
  if (code.charCodeAt(j) === 41 /* ) */) {
    const close = firstAt(s, j);
    const openParen = s.match[close]!;
    if (openParen < 0) return false;
    const { word, start } = wordBefore(code, s.pos[openParen]!);
    if (word === 'match' || word === 'switch') return false;
    if (STATEMENT_BLOCK_BEFORE.has(word)) return true;
    return !!word && wordBefore(code, start).word === 'function';
  }
  if (isWord(code.charCodeAt(j))) {
    const w = wordBefore(code, open).word;
    if (w === 'else' || w === 'try' || w === 'finally' || w === 'do') return true;
    // a return type: `function f(): Type {`, `function () use ($x): ?A|B {`
    let k2 = j;
    for (;;) {
      const c = code.charCodeAt(k2);
      if (k2 >= 0 && (isWord(c) || c === 92 || c === 63 || c === 124 || c === 38 || c <= 32)) k2--;
      else break;
    }
    if (code.charCodeAt(k2) === 58 && code.charCodeAt(k2 - 1) !== 58) {
      let m = k2 - 1;
      while (m >= 0 && code.charCodeAt(m) <= 32) m--;
      return code.charCodeAt(m) === 41;
    }
  }
  return false;
}

interface Segment {
  start: number;
  end: number;
  /** Record indexes of the `{` of statement blocks directly inside the segment. */
  blocks: number[];
  /** Record indexes of the `{` of class bodies in the segment (`return new class extends Migration {`, `class X {`). */
  classes: number[];
}

/** Is the `{` at `at` a class body? (`new class(…) extends X implements Y {`, `class X extends Y {`, …) */
function isClassBody(code: string, from: number, at: number): boolean {
  return /(?:\bnew\s+class\b|(?<!::\s*)\b(?:class|trait|interface|enum)\s+\w+)[^{};]*$/i.test(code.slice(Math.max(from, at - 400), at));
}

/** Splits the statements between records `from` and `to` (exclusive) at brace level `level`, starting at text offset `start`. */
function statements(code: string, s: Structure, start: number, end: number, level: number, paren: number): Segment[] {
  const out: Segment[] = [];
  let segStart = start;
  let blocks: number[] = [];
  let classes: number[] = [];
  let compound = -1; // unknown until the first record of the segment
  const isCompound = (): boolean => {
    if (compound === -1) {
      const at = skipSpace(code, segStart, end);
      compound = code.charCodeAt(at) === 123 || COMPOUND.has(wordAt(code, at)) ? 1 : 0;
    }
    return compound === 1;
  };
  const close = (at: number): void => {
    out.push({ start: segStart, end: at, blocks, classes });
    segStart = at;
    blocks = [];
    classes = [];
    compound = -1;
  };
  for (let k = firstAt(s, start); k < s.length && s.pos[k]! < end; k++) {
    const ch = s.ch[k]!;
    if (s.level[k] !== level) continue;
    if (ch === 123) {
      const bare = isCompound() && skipSpace(code, segStart, end) === s.pos[k];
      if (bare || isStatementBlock(code, s, k)) blocks.push(k);
      else if (isClassBody(code, segStart, s.pos[k]!)) classes.push(k);
      k = s.match[k]! - 1; // continue at the closing brace
    } else if (ch === 125) {
      if (s.paren[k] === paren && isCompound() && !CONTINUES.has(wordAt(code, skipSpace(code, s.pos[k]! + 1, end)))) close(s.pos[k]! + 1);
    } else if (ch === 59 && s.paren[k] === paren) {
      // `if ($x) return; elseif (…)`: a brace-less branch goes on with else/elseif
      if (!(isCompound() && CONTINUES.has(wordAt(code, skipSpace(code, s.pos[k]! + 1, end))))) close(s.pos[k]! + 1);
    }
  }
  if (segStart < end) out.push({ start: segStart, end, blocks, classes });
  return out;
}

/** Does the statement (after its comments) start with namespace/use/declare/global or `static $x`? */
function setsUpScope(code: string, start: number, end: number): boolean {
  const at = skipSpace(code, start, end);
  const word = wordAt(code, at);
  if (KEEP_FIRST_WORDS.has(word)) return true;
  return word === 'static' && code.charCodeAt(skipSpace(code, at + 6, end)) === 36;
}

/**
 * Positions of a pattern's matches in the file, asked by range. `cover` finds them in a range first
 * (only the ranges asked about are scanned: in a class file, the bodies of the methods kept); a range
 * starts after `{`, `;`, `}` or `<?php`, where no match of these patterns can start earlier and
 * reach into it, so it holds exactly the matches a scan of the whole file would find there.
 */
class Hits {
  pos: number[] = [];
  names: string[] = [];
  /** Scanned ranges, [from, to) pairs. */
  private readonly spans: number[] = [];
  /** `re` global; `group`: the capture holding the name (or the one after it). */
  constructor(
    private readonly code: string,
    private readonly re: RegExp,
    private readonly group = 0,
  ) {}
  /** The whole file's matches. */
  static all(code: string, re: RegExp): Hits {
    const h = new Hits(code, re);
    h.cover(0, code.length);
    return h;
  }
  cover(start: number, end: number): void {
    const spans = this.spans;
    for (let i = 0; i < spans.length; i += 2) if (spans[i]! <= start && end <= spans[i + 1]!) return;
    spans.push(start, end);
    // usually after every match found so far: appended in place
    const after = !this.pos.length || this.pos[this.pos.length - 1]! < start;
    const pos: number[] = after ? this.pos : [];
    const names: string[] = after ? this.names : [];
    const { code, re, group } = this;
    re.lastIndex = start;
    for (let m = re.exec(code); m && m.index < end; m = re.exec(code)) {
      pos.push(m.index);
      names.push(group ? (m[group] ?? m[group + 1] ?? '') : '');
      if (m[0].length === 0) re.lastIndex = advance(code, re.lastIndex, re.unicode || re.flags.includes('v'));
    }
    if (after || !pos.length) return;
    // a range before (or around) ranges already scanned: merge, each position once
    const mp: number[] = [];
    const mn: string[] = [];
    let i = 0;
    let j = 0;
    while (i < this.pos.length || j < pos.length) {
      const a = i < this.pos.length ? this.pos[i]! : Infinity;
      const b = j < pos.length ? pos[j]! : Infinity;
      if (a <= b) {
        mp.push(a);
        mn.push(this.names[i++]!);
        if (a === b) j++;
      } else {
        mp.push(b);
        mn.push(names[j++]!);
      }
    }
    this.pos = mp;
    this.names = mn;
  }
  private first(at: number): number {
    const pos = this.pos;
    let lo = 0;
    let hi = pos.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pos[mid]! < at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  any(start: number, end: number): boolean {
    const i = this.first(start);
    return i < this.pos.length && this.pos[i]! < end;
  }
  /** Adds the names matched in [start, end) to `to`. */
  addNames(start: number, end: number, to: Set<string>): void {
    const { pos, names } = this;
    for (let i = this.first(start); i < pos.length && pos[i]! < end; i++) to.add(names[i]!);
  }
  /** Does a name matched in [start, end) belong to `set`? */
  anyIn(start: number, end: number, set: ReadonlySet<string>): boolean {
    const { pos, names } = this;
    for (let i = this.first(start); i < pos.length && pos[i]! < end; i++) if (set.has(names[i]!)) return true;
    return false;
  }
}

/** Past an empty match, as matchAll goes on: a code point further in unicode mode, else a code unit. */
function advance(code: string, at: number, unicode: boolean): number {
  if (!unicode || at + 1 >= code.length) return at + 1;
  const c = code.charCodeAt(at);
  const d = code.charCodeAt(at + 1);
  return c >= 0xd800 && c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff ? at + 2 : at + 1;
}

/** What the slicer asks about a file, computed once per file. */
interface Ctx {
  code: string;
  s: Structure;
  /** Does [start, end) mention a target? */
  relevant(start: number, end: number): boolean;
  /** The same question about a text (a member without its data strings). */
  relevantText(text: string): boolean;
  /**
   * The relevance pattern matches only names (word characters, maybe with word boundaries): a
   * member with no match cannot have one once its data strings are left out.
   */
  namesOnly: boolean;
  vars: Hits;
  assigned: Hits;
  relationships: Hits;
  /** `$this->x = $y;` statements (see PROPERTY_SETTER). */
  setters: Hits;
  /** Spans to blank. */
  blank: Spans;
}

/** Blanks, inside a block (or a file's top level), the statements that cannot matter. */
function sliceStatements(c: Ctx, start: number, end: number, level: number, paren: number, inherited?: ReadonlySet<string>, setters = false, inheritedFilled?: ReadonlySet<string>): void {
  const { code, s } = c;
  const segs = statements(code, s, start, end, level, paren);
  const { vars, assigned, relationships } = c;
  vars.cover(start, end);
  assigned.cover(start, end);
  relationships.cover(start, end);
  if (setters) c.setters.cover(start, end);
  const keep: boolean[] = new Array(segs.length);
  for (let i = 0; i < segs.length; i++) {
    const g = segs[i]!;
    keep[i] = c.relevant(g.start, g.end) || setsUpScope(code, g.start, g.end) || relationships.any(g.start, g.end) || (setters && c.setters.any(g.start, g.end));
  }
  // variables the kept statements use: the statements assigning them are kept too (types flow
  // through them), wherever the assignment is (one in an `if` changes what the variable holds after it)
  // (an enclosing block's kept statements may use what this block assigns: `if (…) { $x = … }` then `$x->col`)
  const used = new Set<string>(inherited);
  for (let i = 0; i < segs.length; i++) if (keep[i]) vars.addNames(segs[i]!.start, segs[i]!.end, used);
  // and the other way: an array a kept statement fills (`$data['col'] = …`, `$data = ['col' => …]`)
  // is written by the statement handing it to a model (`Avatar::create($data)`): kept too
  const filled = new Set<string>(inheritedFilled);
  for (let i = 0; i < segs.length; i++) if (keep[i]) fills(code, segs[i]!.start, segs[i]!.end, filled);
  let changed = used.size > 0 || filled.size > 0;
  while (changed) {
    changed = false;
    for (let i = 0; i < segs.length; i++) {
      if (keep[i]) continue;
      const g = segs[i]!;
      if (!assigned.anyIn(g.start, g.end, used) && !listAssigns(code, g.start, g.end, used) && !(filled.size && writesArray(code, g.start, g.end, filled))) continue;
      keep[i] = true;
      changed = true;
      vars.addNames(g.start, g.end, used);
      fills(code, g.start, g.end, filled);
    }
  }
  segs.forEach((g, i) => {
    if (!keep[i]) {
      if (skipSpace(code, g.start, g.end) < g.end) c.blank.add(g.start, g.end);
      return;
    }
    // inside a kept statement, slice the bodies it holds (if/foreach bodies, closures) and its big arrays
    if (g.end - g.start > 300) sliceArrays(c, g.start, g.end);
    for (const k of g.blocks) {
      const open = s.pos[k]!;
      const close = s.pos[s.match[k]!]!;
      if (close - open > 200) sliceStatements(c, open + 1, close, s.level[k]! + 1, s.paren[k]!, used, setters, filled);
    }
    for (const k of g.classes) sliceClassBody(c, k);
  });
}

/**
 * `$data['col'] = …` / `$data[] = …` / `$data = [` / `$data = array(` / `$data = $request->only(` or
 * `->validate(`: the array variable a statement fills (php-refs.ts arrayNames).
 */
const FILLS = /\$(\w+)\s*(?:\[[^\]\n]*\]\s*)+=(?![=>])|\$(\w+)\s*=\s*(?:\[|array\s*\(|[^;=]*->\s*(?:only|validate|validateWithBag)\s*\()/g;
/** A call of a method that writes an array's keys as columns (php-refs.ts ARRAY_KEYS). */
const WRITES_ARRAY = new RegExp(`(?:->|::)\\s*(?:${[...ARRAY_KEYS.keys()].join('|')})\\s*\\(`);

function fills(code: string, start: number, end: number, to: Set<string>): void {
  const text = code.slice(start, end);
  if (!text.includes('=')) return;
  for (const m of text.matchAll(FILLS)) to.add((m[1] ?? m[2])!);
}

/** `[$a, $b] = …` / `list($a) = …` assigning one of the `used` variables (ASSIGNED sees only `$x = `). */
const LIST_ASSIGN = /^\s*(?:\[|list\s*\()([^;=]*?)[\])]\s*=(?![=>])/;
function listAssigns(code: string, start: number, end: number, used: ReadonlySet<string>): boolean {
  if (!used.size) return false;
  const at = skipSpace(code, start, end);
  const ch = code.charCodeAt(at);
  if (ch !== 91 && ch !== 108 && ch !== 76) return false; // [ l L
  const m = LIST_ASSIGN.exec(code.slice(at, Math.min(end, at + 2000)));
  if (!m) return false;
  for (const v of m[1]!.matchAll(/\$(\w+)/g)) if (used.has(v[1]!)) return true;
  return false;
}

/** Does [start, end) hand one of the `filled` arrays to a writing model method? */
function writesArray(code: string, start: number, end: number, filled: ReadonlySet<string>): boolean {
  const text = code.slice(start, end);
  if (!WRITES_ARRAY.test(text)) return false;
  // (not VARIABLES: matchAll starts at the shared regex's lastIndex, which Hits moves)
  for (const m of text.matchAll(/\$(\w+)/g)) if (filled.has(m[1]!)) return true;
  return false;
}

/** Characters before `[` that make it an array literal (not an offset `$x[…]`). */
const BEFORE_ARRAY = new Set([61, 40, 44, 91, 62, 63, 58, 123, 59]); // = ( , [ > ? : { ;

/**
 * Inside [start, end): big array literals keep only the elements that mention a target (a config
 * file's one `return [...]`, a presenter's column list, `$rules`); kept elements are sliced in turn.
 */
function sliceArrays(c: Ctx, start: number, end: number): void {
  const { code, s } = c;
  for (let k = firstAt(s, start); k < s.length && s.pos[k]! < end; k++) {
    if (s.ch[k] !== 91) continue;
    const closeK = s.match[k]!;
    const open = s.pos[k]!;
    const close = s.pos[closeK]!;
    if (close - open < 300) continue;
    let j = open - 1;
    while (j >= 0 && code.charCodeAt(j) <= 32) j--;
    const literal = BEFORE_ARRAY.has(code.charCodeAt(j)) || /\b(?:return|yield|print|echo|in|as)$/i.test(code.slice(Math.max(0, j - 5), j + 1));
    if (!literal) continue;
    // elements: between the commas this bracket owns (the commas at its top level); a run of
    // elements that do not matter is blanked as one span (a data array has tens of thousands)
    let from = open + 1;
    let run = -1;
    for (let m = k + 1; m <= closeK; m++) {
      const ch = s.ch[m]!;
      if (ch === 40 || ch === 91 || ch === 123) {
        m = s.match[m]!; // a nested group: its commas are not this bracket's
        continue;
      }
      if (ch !== 44 && m !== closeK) continue;
      const to = m === closeK ? close : s.pos[m]! + 1;
      const at = skipSpace(code, from, to);
      if (!(at >= to || (code.charCodeAt(at) === 44 && skipSpace(code, at + 1, to) >= to))) {
        if (c.relevant(from, to)) {
          if (run !== -1) c.blank.add(run, from);
          run = -1;
          sliceArrays(c, from, to);
        } else if (run === -1) run = from;
      }
      from = to;
    }
    if (run !== -1) c.blank.add(run, from);
    k = closeK;
  }
}

/**
 * The members of a class body (record `open`): methods that cannot matter are blanked, kept methods
 * sliced by statement, big array defaults by element; a typed property that does not mention a
 * target keeps its declaration (the type) but not its default value.
 */
function sliceClassBody(c: Ctx, open: number): void {
  const { code, s, blank } = c;
  const level = s.level[open]! + 1;
  const paren = s.paren[open]!;
  let memberStart = s.pos[open]! + 1;
  let body = -1;
  const member = (end: number): void => {
    const text = code.slice(memberStart, end);
    if (!isMethod(code, s, memberStart, end)) {
      if (text.length < 2000 ? c.relevant(memberStart, end) : (!c.namesOnly || c.relevant(memberStart, end)) && c.relevantText(withoutDataStrings(text))) sliceArrays(c, memberStart, end);
      else if (TYPED_MEMBER.test(text)) {
        // `public string $big = '…';` → `public string $big;`
        const from = skipSpace(code, memberStart, end); // after the member's comments (`// private $x = 1;` is not it)
        const decl = code.slice(from, end);
        const eq = /^[^'"=;/#]*?\$\w+\s*(=)(?!>)/.exec(decl);
        if (eq && decl.trimEnd().endsWith(';') && !/#\[|\buse\s/.test(text) && !MAPPING_DOC.test(text)) blank.add(from + eq[0].length - 1, from + decl.trimEnd().length - 1);
      } else if (text.trim()) blank.add(memberStart, end);
    } else {
      const constructor = /function\s+__construct\b/i.test(text);
      if (c.relevant(memberStart, end)) {
        if (body !== -1 && !constructor) sliceStatements(c, s.pos[body]! + 1, s.pos[s.match[body]!]!, s.level[body]! + 1, s.paren[body]!);
      } else if (!constructor) {
        // a method naming no target matters only for its relationships and setters: those statements (and what they use) are kept
        if (!RELATIONSHIP_OR_SETTER.test(text)) blank.add(memberStart, end);
        else if (body !== -1) sliceStatements(c, s.pos[body]! + 1, s.pos[s.match[body]!]!, s.level[body]! + 1, s.paren[body]!, undefined, true);
      }
    }
    memberStart = end;
    body = -1;
  };
  for (let k = open + 1; k < s.match[open]!; k++) {
    if (s.level[k] !== level) continue;
    const ch = s.ch[k]!;
    if (ch === 123) {
      if (body === -1) body = k;
      k = s.match[k]! - 1;
    } else if (ch === 125) member(s.pos[k]! + 1);
    else if (ch === 59 && s.paren[k] === paren) member(s.pos[k]! + 1);
  }
}

/**
 * A property's default value can be a data blob (JSON fixtures, HTML templates): names inside it
 * are not code. Long string literals that are not SQL are left out of the relevance test.
 */
function withoutDataStrings(text: string): string {
  if (text.length < 2000) return text;
  // the string literals, left to right, as /'(?:[^'\\]|\\[\s\S])*'|"(?:[^"\\]|\\[\s\S])*"/g finds
  // them (a quote without its closing quote is skipped, and the scan goes on after it)
  let out: string[] | undefined;
  let at = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const q = text.charCodeAt(i);
    if (q !== 39 && q !== 34) continue;
    let j = i + 1;
    for (;;) {
      if (j >= n) break;
      const c = text.charCodeAt(j);
      if (c === q) break;
      if (c === 92) {
        if (j + 1 >= n) {
          j = n;
          break;
        }
        j += 2;
      } else j++;
    }
    if (j >= n) continue; // not a string: on from the next character
    const length = j + 1 - i;
    if (length > 500 && !SQL_WORD.test(text.slice(i, Math.min(i + 200, j + 1)))) {
      (out ??= []).push(text.slice(at, i), "''");
      at = j + 1;
    }
    i = j;
  }
  if (!out) return text;
  out.push(text.slice(at));
  return out.join('');
}

const SQL_WORD = /\b(?:select|insert|update|delete)\b/i;

/** Is the class member in [start, end) a method? Its first word after comments, attributes and modifiers says. */
function isMethod(code: string, s: Structure, start: number, end: number): boolean {
  let at = skipSpace(code, start, end);
  for (let guard = 0; guard < 64 && at < end; guard++) {
    if (code.charCodeAt(at) === 35 && code.charCodeAt(at + 1) === 91) {
      // #[Attribute(…)]: skip to its closing bracket
      const k = firstAt(s, at + 1);
      if (s.ch[k] !== 91 || s.pos[k] !== at + 1) return false;
      at = skipSpace(code, s.pos[s.match[k]!]! + 1, end);
      continue;
    }
    const word = wordAt(code, at);
    if (!word) return false;
    if (word === 'function') return true;
    if (!MODIFIERS.has(word)) return false;
    at = skipSpace(code, at + word.length, end);
  }
  return false;
}

const MODIFIERS = new Set(['public', 'protected', 'private', 'static', 'abstract', 'final', 'readonly']);

/**
 * Start, end pairs, in one buffer reused from file to file (a big array literal has tens of
 * thousands of elements to blank: growing a fresh array for each file cost more than the rest).
 */
class Spans {
  length = 0;
  at = new Int32Array(8192);
  add(from: number, to: number): void {
    if (this.length + 2 > this.at.length) {
      const more = new Int32Array(this.at.length * 2);
      more.set(this.at);
      this.at = more;
    }
    this.at[this.length++] = from;
    this.at[this.length++] = to;
  }
}

const spans = new Spans();

function applyBlanks(code: string, blank: Spans): string {
  if (!blank.length) return code;
  const n = blank.length >> 1;
  const at2 = blank.at;
  // by start, spans with the same start in the order they were found (usually they all are in order)
  let order: number[] | undefined;
  for (let i = 1; i < n; i++) {
    if (at2[2 * i]! < at2[2 * i - 2]!) {
      order = Array.from({ length: n }, (_, k) => k);
      order.sort((x, y) => at2[2 * x]! - at2[2 * y]! || x - y);
      break;
    }
  }
  const out: string[] = [];
  let at = 0;
  // newlines of the blanked spans since the last kept text (adjacent spans make one run)
  let lines = 0;
  for (let i = 0; i < n; i++) {
    const k = order ? order[i]! : i;
    const from = at2[2 * k]!;
    const to = at2[2 * k + 1]!;
    if (from < at) continue;
    if (from > at) {
      if (lines) out.push(lines < NEWLINES.length ? NEWLINES[lines]! : '\n'.repeat(lines));
      out.push(code.slice(at, from));
      lines = 0;
    }
    for (let j = code.indexOf('\n', from); j !== -1 && j < to; j = code.indexOf('\n', j + 1)) lines++;
    at = to;
  }
  if (lines) out.push(lines < NEWLINES.length ? NEWLINES[lines]! : '\n'.repeat(lines));
  out.push(code.slice(at));
  return out.join('');
}

/** Runs of newlines, shared (most blanked spans are a few lines). */
const NEWLINES = Array.from({ length: 64 }, (_, i) => '\n'.repeat(i));

/** The header before a class may hold only namespace, use, declare, attributes, docblocks and modifiers. */
function simpleHeader(header: string): boolean {
  let h = header
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/(?:\/\/|#(?!\[))[^\n]*/g, ' ')
    .replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, "''")
    .replace(/<\?php/i, ' ');
  h = h.replace(/#\[[^[\]]*(?:\[[^[\]]*\][^[\]]*)*\]/g, ' ');
  h = h.replace(/\bnamespace\s+[\w\\]+\s*;/gi, ' ').replace(/\buse\s+[^;]*;/gi, ' ').replace(/\bdeclare\s*\([^)]*\)\s*;/gi, ' ');
  return CLASS_DECL.test(h) && !h.includes(';');
}

/** A pattern of names as the code index builds it: `(?<![A-Za-z0-9_])(?:a|b)(?![A-Za-z0-9_])|(?:cA|CA)`, or `(?!)`. */
const NAMES_ONLY = /^(?:\(\?!\)|(?:\(\?<!\[A-Za-z0-9_\]\)\(\?:\w+(?:\|\w+)*\)\(\?!\[A-Za-z0-9_\]\)|\(\?:\w+(?:\|\w+)*\))(?:\|(?:\(\?<!\[A-Za-z0-9_\]\)\(\?:\w+(?:\|\w+)*\)\(\?!\[A-Za-z0-9_\]\)|\(\?:\w+(?:\|\w+)*\)))*)$/;


/**
 * Drops the matches inside comments that are not mapping docblocks: a method whose docblock names
 * a target (API docs often do) is then sliced like any other.
 */
function withoutCommentHits(code: string, hits: Hits): void {
  if (!commentLength || !hits.pos.length) return;
  const { pos, names } = hits;
  let out = 0;
  let c = 0;
  let mapping = -1; // the comment index whose mapping test is cached, and its answer below
  let isMapping = false;
  for (let i = 0; i < pos.length; i++) {
    const at = pos[i]!;
    while (c < commentLength && comments[c + 1]! <= at) c += 2;
    if (c < commentLength && comments[c]! <= at) {
      if (mapping !== c) {
        mapping = c;
        isMapping = MAPPING_DOC.test(code.slice(comments[c]!, comments[c + 1]!));
      }
      if (!isMapping) continue;
    }
    pos[out] = at;
    names[out++] = names[i]!;
  }
  pos.length = out;
  names.length = out;
}

/**
 * Comments the analyser does not read are blanked too (license headers and API docblocks are a
 * quarter of what is left to parse): all but mapping docblocks and `@var` comments. A comment
 * between two tokens on one line is left alone (blanking it could join them: `new/**\/Foo`).
 */
function blankComments(code: string, blank: Spans): void {
  for (let i = 0; i < commentLength; i += 2) {
    const from = comments[i]!;
    const to = comments[i + 1]!;
    const text = code.slice(from, to);
    if (text.includes('@var') || MAPPING_DOC.test(text)) continue;
    if (code.charCodeAt(from - 1) > 32 && code.charCodeAt(to) > 32 && !text.includes('\n')) continue;
    blank.add(from, to);
  }
}

/** A namespace import: `use A\\B\\C;`, `use A\\B as D;`, `use A\\{B, C as E};` (not `use function` / `use const`). */
const IMPORT = /^[ \t]*use[ \t]+(?!function\b|const\b)([\w\\]+)(?:[ \t]+as[ \t]+(\w+)|\\?\{([^}]*)\})?[ \t]*;/gm;

/** Does `text` name `word` (as a whole word) at least `times` times? */
function mentions(text: string, word: string, times: number): boolean {
  let n = 0;
  for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + word.length)) {
    if (isWord(text.charCodeAt(at - 1)) || isWord(text.charCodeAt(at + word.length))) continue;
    if (++n >= times) return true;
  }
  return false;
}

/**
 * Imports no kept code uses are blanked too: a controller imports dozens of classes and a sliced
 * one names a few. `out` is the sliced code; an import stays when one of its short names (alias or
 * last segment) occurs in `out` besides the import itself — in code, a kept docblock
 * (`@var Foo $x`), an attribute (`#[ORM\\Column]`), or another import (kept then, to be safe).
 * Imports are read in [0, headerEnd) at the top level.
 */
function withoutUnusedImports(code: string, out: string, s: Structure, headerEnd: number): string {
  let parts: string[] | undefined;
  let at = 0;
  let cursor = 0;
  const head = headerEnd < code.length ? code.slice(0, headerEnd) : code;
  IMPORT.lastIndex = 0;
  for (let m = IMPORT.exec(head); m; m = IMPORT.exec(head)) {
    const k = firstAt(s, m.index);
    if (k >= s.length || s.level[k] !== 0) continue; // a trait `use` in a class body, or inside a block
    let names: string[] = [];
    if (m[3] !== undefined) {
      for (const item of m[3].split(',')) {
        const im = /^\s*([\w\\]+)(?:\s+as\s+(\w+))?\s*$/.exec(item);
        if (!im) {
          names = [];
          break;
        }
        names.push(im[2] ?? im[1]!.slice(im[1]!.lastIndexOf('\\') + 1));
      }
      if (!names.length) continue;
    } else names = [m[2] ?? m[1]!.slice(m[1]!.lastIndexOf('\\') + 1)];
    if (names.some((n) => mentions(out, n, 2))) continue;
    const from = out.indexOf(m[0], cursor);
    if (from === -1) continue;
    (parts ??= []).push(out.slice(at, from), m[0].replace(/[^\n]+/g, ''));
    at = cursor = from + m[0].length;
  }
  if (!parts) return out;
  parts.push(out.slice(at));
  return parts.join('');
}

/** Per relevance pattern (the index passes one for all its files): its test, its scan, whether it names only. */
const derivedPatterns = new WeakMap<RegExp, { namesOnly: boolean; once: RegExp; all: RegExp }>();

/** What slicing found out about a file. */
export interface SliceInfo {
  /**
   * Matches of the relevance pattern outside comments (mapping docblocks count as code), or -1
   * when not known (a relevance function, or a file the slicer does not cut).
   */
  codeHits: number;
}

/**
 * The code to parse: `code` with what cannot matter blanked (or `code` itself). `relevant` says
 * whether a piece of code mentions a target.
 */
export function sliceForParse(code: string, relevant: ((text: string) => boolean) | RegExp, info?: SliceInfo): string {
  if (info) info.codeHits = -1;
  if (/\b(?:endif|endforeach|endwhile|endfor|endswitch)\s*;/.test(code)) return code; // alternative syntax: statements do not end where the scanner thinks
  const s = structure(code);
  if (!s) return code;
  const blank = spans;
  blank.length = 0;
  let inRange: (start: number, end: number) => boolean;
  let inText: (text: string) => boolean;
  let namesOnly = false;
  if (relevant instanceof RegExp) {
    let derived = relevant.sticky ? undefined : derivedPatterns.get(relevant);
    if (!derived) {
      const once = new RegExp(relevant.source, relevant.flags.replace('g', ''));
      derived = { namesOnly: !relevant.sticky && NAMES_ONLY.test(relevant.source), once, all: new RegExp(relevant.source, `${once.flags}g`) };
      if (!relevant.sticky) derivedPatterns.set(relevant, derived);
    }
    namesOnly = derived.namesOnly;
    const once = derived.once;
    const hits = Hits.all(code, derived.all);
    withoutCommentHits(code, hits);
    if (info) info.codeHits = hits.pos.length;
    inRange = (a, b) => hits.any(a, b);
    inText = (t) => once.test(t);
  } else {
    inRange = (a, b) => relevant(code.slice(a, b));
    inText = relevant;
  }
  const c: Ctx = {
    code,
    s,
    relevant: inRange,
    relevantText: inText,
    namesOnly,
    vars: new Hits(code, VARIABLES, 1),
    assigned: new Hits(code, ASSIGNED, 1),
    relationships: new Hits(code, RELATIONSHIP_ALL),
    setters: new Hits(code, PROPERTY_SETTER_ALL),
    blank,
  };
  // top-level blocks: a class file has exactly one, the class body
  const top: number[] = [];
  for (let k = 0; k < s.length; k++) {
    if (s.ch[k] === 123 && s.level[k] === 0) {
      top.push(k);
      k = s.match[k]!; // what is inside is not at the top level
    }
  }
  if (top.length === 1 && simpleHeader(code.slice(0, s.pos[top[0]!]!)) && !code.slice(s.pos[s.match[top[0]!]!]! + 1).trim().replace(/^\?>\s*$/, '')) {
    sliceClassBody(c, top[0]!);
    blankComments(code, blank);
    return withoutUnusedImports(code, applyBlanks(code, blank), s, s.pos[top[0]!]!);
  }
  // a file of statements (routes, config, scripts)
  const open = /^\s*<\?php\b/.exec(code);
  if (!open) return code;
  sliceStatements(c, open[0].length, code.length, 0, 0);
  blankComments(code, blank);
  return withoutUnusedImports(code, applyBlanks(code, blank), s, code.length);
}
