/**
 * A file's name filter: one bit per (hashed) run of three word characters it contains, and the
 * 32-bit hash of each distinct word. A name of word characters can occur in the file only if every
 * one of its trigrams has its bit set, and as a word of its own only if its hash is there, so the
 * filter answers "certainly not here" or "maybe" without the text. The index cache (cache.ts) keeps
 * one per file, and a run with new target names reads only the files whose filter says "maybe"
 * (the prefilter then checks the text itself: a filter only ever spares reads).
 *
 * Trigrams take about one bit per character of the file (a power of two, 512 to 131,072 bits), words
 * four bytes each: on invoiceninja, ~4 MB for 16.6 MB of PHP.
 */


/** The filter bit of a trigram (its three bytes as one 24-bit number): multiplicative hashing, top bits. */
function trigramBit(tri: number, shift: number): number {
  return Math.imul(tri, 0x9e3779b1) >>> shift;
}

/** Word characters ([A-Za-z0-9_]) by byte. */
const WORD = new Uint8Array(256);
for (let c = 0; c < 256; c++) WORD[c] = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 ? 1 : 0;

/**
 * A word character of the prefilter's names and of these filters: `[A-Za-z0-9_]`, as `\w` in the
 * prefilter's patterns (files.ts). (The slicer's PHP name characters include every byte from 0x80.)
 */
export const isWordCode = (c: number): boolean => c < 256 && WORD[c] === 1;

/**
 * The filter of a file's bytes, in one array: its length in 32-bit words of trigram bits, those
 * bits, the size of the table of its distinct words' hashes (maximal runs of word characters;
 * open addressing, at most half full), that table. Bytes, not
 * text: word characters are ASCII, and every byte of a multi-byte UTF-8 character is a non-word
 * byte, as the character is a non-word character of the decoded text.
 */
export function wordGrams(bytes: Uint8Array): Int32Array {
  const n = bytes.length;
  // 1. the distinct words: hash, first offset and length, in an open-addressing table (0: free)
  // more slots than words can be (a word and a separator at least): a free slot always remains
  let size = 64;
  while (size <= n >>> 1) size <<= 1;
  if (hashes.length < size) {
    hashes = new Int32Array(size);
    starts = new Int32Array(size);
    lengths = new Int32Array(size);
    used = new Int32Array(size);
  }
  const mask = size - 1;
  const tableShift = Math.clz32(size) + 1;
  let distinct = 0;
  let run = 0;
  let word = WORD_SEED;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? bytes[i]! : 32;
    if (WORD[c] === 1) {
      word = Math.imul(word ^ c, 0x01000193);
      run++;
      continue;
    }
    if (run === 0) continue;
    const h = word || 1;
    const from = i - run;
    let at = Math.imul(h, 0x9e3779b1) >>> tableShift;
    for (;;) {
      const v = hashes[at]!;
      if (v === 0) {
        hashes[at] = h;
        starts[at] = from;
        lengths[at] = run;
        used[distinct++] = at;
        break;
      }
      // the same word again (a different word of the same hash gets a slot of its own)
      if (v === h && lengths[at] === run && sameBytes(bytes, starts[at]!, from, run)) break;
      at = (at + 1) & mask;
    }
    run = 0;
    word = WORD_SEED;
  }
  // 2. the trigrams of each distinct word, and the words' hashes in a table at most half full
  let bits = 512;
  while (bits < n && bits < 1 << 17) bits <<= 1;
  const t = bits >>> 5;
  const shift = Math.clz32(bits) + 1;
  let keep = 16;
  while (keep < distinct * 2) keep <<= 1;
  const keepShift = Math.clz32(keep) + 1;
  const out = new Int32Array(2 + t + keep);
  out[0] = t;
  out[1 + t] = keep;
  const table = 2 + t;
  for (let d = 0; d < distinct; d++) {
    const slot = used[d]!;
    const h = hashes[slot]!;
    // left free for the next file
    hashes[slot] = 0;
    const from = starts[slot]!;
    const end = from + lengths[slot]!;
    for (let j = from + 2; j < end; j++) {
      const k = trigramBit((bytes[j - 2]! << 16) | (bytes[j - 1]! << 8) | bytes[j]!, shift);
      out[1 + (k >>> 5)]! |= 1 << (k & 31);
    }
    let at = Math.imul(h, 0x9e3779b1) >>> keepShift;
    while (out[table + at] !== 0) at = (at + 1) & (keep - 1);
    out[table + at] = h;
  }
  return out;
}

function sameBytes(bytes: Uint8Array, a: number, b: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (bytes[a + i] !== bytes[b + i]) return false;
  return true;
}

/** The distinct-word table of the file being filtered (one set of buffers for all files). */
let hashes = new Int32Array(1 << 12);
let starts = new Int32Array(1 << 12);
let lengths = new Int32Array(1 << 12);
/** The slots taken, in order. */
let used = new Int32Array(1 << 12);

const WORD_SEED = 0x811c9dc5 | 0;

/**
 * Whether `name` may occur in the text `filter` was made of: false only when it certainly does not.
 * `whole`: only as a word of its own (not inside a longer name), as the prefilter's snake names.
 * Names holding other than word characters cannot be ruled out, nor names shorter than three
 * characters unless whole.
 */
export function mayContain(filter: Int32Array, name: string, whole = false): boolean {
  if (filter.length === 0 || name.length === 0) return true;
  for (let i = 0; i < name.length; i++) if (!isWordCode(name.charCodeAt(i))) return true;
  const t = filter[0]!;
  if (!(t > 0)) return true;
  if (whole) {
    let word = WORD_SEED;
    for (let i = 0; i < name.length; i++) word = Math.imul(word ^ name.charCodeAt(i), 0x01000193);
    const h = word || 1;
    const size = filter[1 + t]!;
    if (!(size > 0)) return true;
    const start = 2 + t;
    let at = Math.imul(h, 0x9e3779b1) >>> (Math.clz32(size) + 1);
    for (;;) {
      const v = filter[start + at]!;
      if (v === h) return true;
      if (v === 0) return false;
      at = (at + 1) & (size - 1);
    }
  }
  const shift = Math.clz32(t * 32) + 1;
  for (let i = 2; i < name.length; i++) {
    const k = trigramBit((name.charCodeAt(i - 2) << 16) | (name.charCodeAt(i - 1) << 8) | name.charCodeAt(i), shift);
    if (!(filter[1 + (k >>> 5)]! & (1 << (k & 31)))) return false;
  }
  return true;
}
