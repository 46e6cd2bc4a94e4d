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

const isWord = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

function slot(a: number, b: number, c: number, mask: number): number {
  const h = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b) ^ Math.imul(c, 0xc2b2ae35)) >>> 0;
  return (h ^ (h >>> 15)) & mask;
}

/**
 * The filter of a text, in one array: its length in 32-bit words of trigram bits, those bits, then
 * the sorted hashes of its distinct words (maximal runs of word characters).
 */
export function wordGrams(text: string): Uint32Array {
  const n = text.length;
  let bits = 512;
  while (bits < n && bits < 1 << 17) bits <<= 1;
  const trigrams = new Uint32Array(bits >>> 5);
  const mask = bits - 1;
  // word hashes as found (a word every other character at most)
  let words = new Uint32Array(64);
  let count = 0;
  let a = 0;
  let b = 0;
  let run = 0;
  let word = WORD_SEED;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 0;
    if (!isWord(c)) {
      if (run > 0) {
        if (count === words.length) {
          const more = new Uint32Array(count * 2);
          more.set(words);
          words = more;
        }
        words[count++] = word >>> 0;
      }
      run = 0;
      word = WORD_SEED;
      continue;
    }
    word = Math.imul(word ^ c, 0x01000193);
    if (++run >= 3) {
      const k = slot(a, b, c, mask);
      trigrams[k >>> 5]! |= 1 << (k & 31);
    }
    a = b;
    b = c;
  }
  const sorted = words.subarray(0, count).sort();
  let distinct = 0;
  for (let i = 0; i < count; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[distinct++] = sorted[i]!;
  const out = new Uint32Array(1 + trigrams.length + distinct);
  out[0] = trigrams.length;
  out.set(trigrams, 1);
  out.set(sorted.subarray(0, distinct), 1 + trigrams.length);
  return out;
}

const WORD_SEED = 0x811c9dc5;

/**
 * Whether `name` may occur in the text `filter` was made of: false only when it certainly does not.
 * `whole`: only as a word of its own (not inside a longer name), as the prefilter's snake names.
 * Names holding other than word characters cannot be ruled out, nor names shorter than three
 * characters unless whole.
 */
export function mayContain(filter: Uint32Array, name: string, whole = false): boolean {
  if (filter.length === 0 || name.length === 0) return true;
  for (let i = 0; i < name.length; i++) if (!isWord(name.charCodeAt(i))) return true;
  const t = filter[0]!;
  if (whole) {
    let word = WORD_SEED;
    for (let i = 0; i < name.length; i++) word = Math.imul(word ^ name.charCodeAt(i), 0x01000193);
    const h = word >>> 0;
    // binary search of the sorted word hashes
    let lo = 1 + t;
    let hi = filter.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = filter[mid]!;
      if (v === h) return true;
      if (v < h) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }
  const mask = t * 32 - 1;
  for (let i = 2; i < name.length; i++) {
    const k = slot(name.charCodeAt(i - 2), name.charCodeAt(i - 1), name.charCodeAt(i), mask);
    if (!(filter[1 + (k >>> 5)]! & (1 << (k & 31)))) return false;
  }
  return true;
}
