/**
 * Parsing is the index's cost (php-parser reads ~2 MB/s on a cold process), and a candidate file
 * usually names a target in one or two methods of a long class. So a file holding one class is
 * parsed with only the members that can matter: every property, constant and trait use (they carry
 * the class's mapping and types), the constructor, relationship methods, and the methods whose text
 * mentions a target. The other methods are replaced by their newlines, so every line number stays
 * exact. Files with code outside the class, several classes, or `?>` are parsed whole.
 *
 * The split uses a small scanner (strings, comments, heredocs, braces) instead of a tokenizer: it
 * runs at memory speed, where php-parser's lexer costs as much as a quarter of a parse.
 */

const RELATIONSHIP = /\$this\s*->\s*(?:belongsTo|hasMany|hasOne|belongsToMany|morph\w+|hasManyThrough|hasOneThrough)\s*\(/;
const CLASS_WORDS = new Set(['class', 'trait', 'interface', 'enum']);

const isWord = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;

interface Member {
  start: number;
  end: number;
  method: boolean;
}

interface Shape {
  header: string;
  bodyOpen: number;
  bodyClose: number;
  members: Member[];
}

/** Finds the single class-like body and its members; undefined when the file is not that simple. */
function shape(code: string): Shape | undefined {
  const n = code.length;
  let i = 0;
  let depth = 0;
  let bodyOpen = -1;
  let bodyClose = -1;
  let sawClass = false;
  let header = '';
  const members: Member[] = [];
  let memberStart = -1;
  let method = false;
  let lastSig = ''; // last significant characters at depth 0, to tell `X::class` and `new class` from a declaration

  while (i < n) {
    const c = code.charCodeAt(i);
    // comments
    if (c === 47 /* / */ && code.charCodeAt(i + 1) === 47) {
      const eol = code.indexOf('\n', i);
      const end = eol === -1 ? n : eol;
      if (code.slice(i, end).includes('?>')) return undefined;
      i = end;
      continue;
    }
    if (c === 35 /* # */ && code.charCodeAt(i + 1) !== 91 /* [ */) {
      const eol = code.indexOf('\n', i);
      const end = eol === -1 ? n : eol;
      if (code.slice(i, end).includes('?>')) return undefined;
      i = end;
      continue;
    }
    if (c === 47 && code.charCodeAt(i + 1) === 42 /* * */) {
      const close = code.indexOf('*/', i + 2);
      if (close === -1) return undefined;
      i = close + 2;
      continue;
    }
    // strings
    if (c === 39 /* ' */ || c === 34 /* " */ || c === 96 /* ` */) {
      let j = i + 1;
      while (j < n) {
        const d = code.charCodeAt(j);
        if (d === 92 /* \ */) j += 2;
        else if (d === c) break;
        else j++;
      }
      if (j >= n) return undefined;
      if (depth === 0 && bodyOpen === -1) header += "''";
      i = j + 1;
      continue;
    }
    // heredoc / nowdoc
    if (c === 60 /* < */ && code.startsWith('<<<', i)) {
      const m = /^<<<[ \t]*(["']?)([A-Za-z_][A-Za-z0-9_]*)\1\r?\n/.exec(code.slice(i, i + 80));
      if (m) {
        const re = new RegExp(`\\n[ \\t]*${m[2]}(?![A-Za-z0-9_])`, 'g');
        re.lastIndex = i + m[0].length - 1;
        const end = re.exec(code);
        if (!end) return undefined;
        i = end.index + end[0].length;
        continue;
      }
    }
    if (c === 63 /* ? */ && code.charCodeAt(i + 1) === 62 /* > */) return undefined;
    if (c === 123 /* { */) {
      if (depth === 0 && sawClass && bodyOpen === -1) {
        bodyOpen = i;
        memberStart = i + 1;
      } else if (depth === 0 && bodyOpen !== -1) return undefined; // code after the class
      depth++;
      i++;
      continue;
    }
    if (c === 125 /* } */) {
      depth--;
      if (depth < 0) return undefined;
      if (bodyOpen !== -1 && bodyClose === -1) {
        if (depth === 0) {
          bodyClose = i;
        } else if (depth === 1) {
          members.push({ start: memberStart, end: i + 1, method });
          memberStart = i + 1;
          method = false;
        }
      }
      i++;
      continue;
    }
    if (c === 59 /* ; */ && depth === 1 && bodyOpen !== -1 && bodyClose === -1) {
      members.push({ start: memberStart, end: i + 1, method });
      memberStart = i + 1;
      method = false;
      i++;
      continue;
    }
    if (isWord(c) && !(i > 0 && (isWord(code.charCodeAt(i - 1)) || code.charCodeAt(i - 1) === 36 /* $ */))) {
      let j = i + 1;
      while (j < n && isWord(code.charCodeAt(j))) j++;
      const word = code.slice(i, j);
      if (depth === 0) {
        if (bodyClose !== -1) return undefined; // anything after the class
        if (CLASS_WORDS.has(word.toLowerCase()) && !lastSig.endsWith('::') && !/\bnew\s*$/i.test(lastSig)) {
          if (sawClass) return undefined;
          sawClass = true;
        }
        if (bodyOpen === -1) header += word;
        lastSig = word;
      } else if (depth === 1 && bodyOpen !== -1 && word.toLowerCase() === 'function') {
        const before = code.slice(Math.max(0, i - 3), i).trimEnd();
        if (!before.endsWith('->') && !before.endsWith('::')) method = true;
      }
      i = j;
      continue;
    }
    if (depth === 0) {
      if (bodyClose !== -1 && c > 32) return undefined;
      if (bodyOpen === -1) header += code[i];
      if (c > 32) lastSig = lastSig.length > 40 ? lastSig.slice(-20) + code[i] : lastSig + code[i];
    }
    i++;
  }
  if (bodyOpen === -1 || bodyClose === -1) return undefined;
  return { header, bodyOpen, bodyClose, members };
}

/** The header before a class may hold only namespace, use, declare, attributes and modifiers. */
function simpleHeader(header: string): boolean {
  let h = header.replace(/<\?php/i, ' ').replace(/#\[[^\]]*(?:\[[^\]]*\][^\]]*)*\]/g, ' ');
  h = h.replace(/\bnamespace\s+[\w\\]+\s*;/gi, ' ').replace(/\buse\s+[^;]*;/gi, ' ').replace(/\bdeclare\s*\([^)]*\)\s*;/gi, ' ');
  return /^\s*(?:(?:abstract|final|readonly)\s+)*(?:class|trait|interface|enum)\s+\w+[\s\S]*$/i.test(h) && !/[;(]/.test(h.replace(/\([^)]*\)/g, ''));
}

/**
 * The code to parse: `code` itself, or the same text with irrelevant methods blanked. `relevant`
 * says whether a member's text mentions a target.
 */
export function sliceForParse(code: string, relevant: (text: string) => boolean): string {
  const s = shape(code);
  if (!s || !simpleHeader(s.header)) return code;
  const out: string[] = [code.slice(0, s.bodyOpen + 1)];
  let at = s.bodyOpen + 1;
  let skipped = false;
  for (const m of s.members) {
    const text = code.slice(m.start, m.end);
    if (!m.method || relevant(text) || /function\s+__construct\b/i.test(text) || RELATIONSHIP.test(text)) out.push(text);
    else {
      out.push(text.replace(/[^\n]/g, ''));
      skipped = true;
    }
    at = m.end;
  }
  out.push(code.slice(at));
  return skipped ? out.join('') : code;
}
