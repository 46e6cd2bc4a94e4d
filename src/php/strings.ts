import type { PhpNode } from './ast.js';

/**
 * Strings built from PHP source that remember, for every character, where in the file it came
 * from: so an SQL statement found at offset 812 of a concatenated, interpolated heredoc is reported
 * at the exact line and column of the PHP file. Characters that were not written in the file
 * (substituted for a dynamic part) point at the expression they replace.
 */
export class LocatedString {
  constructor(
    readonly value: string,
    /** Absolute file offset of each character of `value`. */
    readonly offsets: Int32Array,
  ) {}

  /** Joins many strings at once (one allocation, not one per part). */
  static join(parts: readonly LocatedString[]): LocatedString {
    if (parts.length === 1) return parts[0]!;
    let length = 0;
    for (const p of parts) length += p.offsets.length;
    const offsets = new Int32Array(length);
    let at = 0;
    let value = '';
    for (const p of parts) {
      offsets.set(p.offsets, at);
      at += p.offsets.length;
      value += p.value;
    }
    return new LocatedString(value, offsets);
  }

  static empty(): LocatedString {
    return new LocatedString('', new Int32Array(0));
  }

  /** Text that was not written in the file (a substitution): every character maps to `at`. */
  static synthetic(value: string, at: number): LocatedString {
    return new LocatedString(value, new Int32Array(value.length).fill(at));
  }

  get length(): number {
    return this.value.length;
  }


  slice(from: number, to = this.value.length): LocatedString {
    return new LocatedString(this.value.slice(from, to), this.offsets.slice(from, to));
  }

  /** File offset of the character at `index` (clamped; the last character for the end). */
  fileOffset(index: number): number {
    if (!this.offsets.length) return 0;
    return this.offsets[Math.max(0, Math.min(index, this.offsets.length - 1))]!;
  }

  /** Replaces ranges (sorted, non-overlapping) with new text; new characters map to the start of what they replace. */
  edit(edits: ReadonlyArray<{ from: number; to: number; text: string }>): LocatedString {
    if (!edits.length) return this;
    let value = '';
    const offsets: number[] = [];
    let pos = 0;
    for (const e of edits) {
      value += this.value.slice(pos, e.from);
      for (let i = pos; i < e.from; i++) offsets.push(this.offsets[i]!);
      value += e.text;
      const at = this.fileOffset(e.from);
      for (let i = 0; i < e.text.length; i++) offsets.push(at);
      pos = e.to;
    }
    value += this.value.slice(pos);
    for (let i = pos; i < this.offsets.length; i++) offsets.push(this.offsets[i]!);
    return new LocatedString(value, Int32Array.from(offsets));
  }

  /** Splits on a separator, like PHP's explode(). */
  split(separator: string): LocatedString[] {
    if (!separator) return [this];
    const out: LocatedString[] = [];
    let pos = 0;
    for (let i = this.value.indexOf(separator); i !== -1; i = this.value.indexOf(separator, pos)) {
      out.push(this.slice(pos, i));
      pos = i + separator.length;
    }
    out.push(this.slice(pos));
    return out;
  }

  trim(): LocatedString {
    const start = this.value.length - this.value.trimStart().length;
    const end = this.value.trimEnd().length;
    return end <= start ? this.slice(0, 0) : this.slice(start, end);
  }
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', v: '\v', e: '\x1b', f: '\f', '\\': '\\', $: '$', '"': '"' };

/**
 * Decodes PHP string source `raw` (without its delimiters), which starts at file offset `start`,
 * into the value and the file offset of each value character.
 * `mode`: 'single' (only \\ and \' escape), 'double' (double-quoted and heredoc escapes), 'none' (nowdoc).
 * `indent`: whitespace removed at the start of every line (flexible heredoc/nowdoc); `atLineStart`:
 * whether `raw` begins at the start of a line.
 */
function decode(raw: string, start: number, mode: 'single' | 'double' | 'none', indent = 0, atLineStart = false): LocatedString {
  let value = '';
  const offsets = new Int32Array(raw.length);
  let n = 0;
  let i = 0;
  const skipIndent = (): void => {
    for (let k = 0; k < indent && i < raw.length && (raw[i] === ' ' || raw[i] === '\t'); k++) i++;
  };
  if (atLineStart) skipIndent();
  const push = (text: string, at: number): void => {
    value += text;
    for (let k = 0; k < text.length; k++) offsets[n++] = at;
  };
  while (i < raw.length) {
    const ch = raw[i]!;
    const at = start + i;
    if (ch === '\\' && mode !== 'none' && i + 1 < raw.length) {
      const next = raw[i + 1]!;
      if (mode === 'single') {
        if (next === '\\' || next === "'") {
          push(next, at);
          i += 2;
          continue;
        }
      } else {
        const simple = SIMPLE_ESCAPES[next];
        if (simple !== undefined) {
          push(simple, at);
          i += 2;
          continue;
        }
        const oct = /^[0-7]{1,3}/.exec(raw.slice(i + 1, i + 4));
        if (oct) {
          push(String.fromCharCode(Number.parseInt(oct[0], 8) & 0xff), at);
          i += 1 + oct[0].length;
          continue;
        }
        const hex = /^x([0-9a-fA-F]{1,2})/.exec(raw.slice(i + 1, i + 4));
        if (hex) {
          push(String.fromCharCode(Number.parseInt(hex[1]!, 16)), at);
          i += 1 + hex[0].length;
          continue;
        }
        const uni = /^u\{([0-9a-fA-F]+)\}/.exec(raw.slice(i + 1, i + 12));
        if (uni) {
          push(String.fromCodePoint(Number.parseInt(uni[1]!, 16)), at);
          i += 1 + uni[0].length;
          continue;
        }
      }
    }
    value += ch;
    offsets[n++] = at;
    i++;
    if (ch === '\n' && indent) skipIndent();
  }
  return new LocatedString(value, n === offsets.length ? offsets : offsets.slice(0, n));
}

/** Indentation of each heredoc seen (its parts are located one by one). */
const INDENTS = new WeakMap<PhpNode, number>();

/** Indentation of a flexible heredoc/nowdoc: the whitespace before its closing label. */
function heredocIndent(raw: string): number {
  const lastLine = raw.slice(raw.lastIndexOf('\n') + 1);
  return lastLine.length - lastLine.trimStart().length;
}

/**
 * The located value of a PHP string literal node: `string` (single or double quoted), `nowdoc`,
 * or a literal part of an `encapsed` string (pass the encapsed node as `container`).
 * Falls back to the node's value mapped to its start when the source does not match (never throws).
 */
export function locatedLiteral(node: PhpNode, code: string, container?: PhpNode): LocatedString {
  const value = String(node.value ?? '');
  const fallback = (): LocatedString => LocatedString.synthetic(value, node.loc?.start.offset ?? 0);
  if (!node.loc) return fallback();
  const start = node.loc.start.offset;
  const end = node.loc.end.offset;
  let out: LocatedString | undefined;
  if (node.kind === 'nowdoc') {
    const raw = code.slice(start, end);
    const bodyStart = raw.indexOf('\n') + 1;
    const bodyEnd = raw.lastIndexOf('\n');
    if (bodyStart > 0 && bodyEnd >= bodyStart) out = decode(raw.slice(bodyStart, bodyEnd), start + bodyStart, 'none', heredocIndent(raw), true);
    else if (bodyStart > 0) out = LocatedString.empty();
  } else if (node.kind === 'string' && container) {
    // a literal part of an encapsed string: its location is its own text, without delimiters
    const raw = code.slice(start, end);
    if (container.type === 'heredoc') {
      let indent = INDENTS.get(container);
      if (indent === undefined) {
        indent = heredocIndent(code.slice(container.loc?.start.offset ?? 0, container.loc?.end.offset ?? 0));
        INDENTS.set(container, indent);
      }
      const atLineStart = start === 0 || code[start - 1] === '\n';
      out = decode(raw, start, 'double', indent, atLineStart);
      // the closing newline and indentation belong to the delimiter, not the value
      if (out.value.length > value.length && out.value.startsWith(value)) out = out.slice(0, value.length);
    } else {
      out = decode(raw, start, container.type === 'shell' ? 'none' : 'double');
    }
  } else if (node.kind === 'string') {
    const raw = code.slice(start, end);
    const q = raw[0];
    if ((q === "'" || q === '"') && raw.endsWith(q)) out = decode(raw.slice(1, -1), start + 1, q === "'" ? 'single' : 'double');
    else if (/^[bB]['"]/.test(raw)) out = decode(raw.slice(2, -1), start + 2, raw[1] === "'" ? 'single' : 'double');
  } else if (node.kind === 'number') {
    return LocatedString.synthetic(String(node.value), start);
  }
  if (!out || out.value !== value) return fallback();
  return out;
}
