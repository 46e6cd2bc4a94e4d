/**
 * English inflection as Laravel uses it for table names: `Str::snake`, `Str::plural` and
 * `Str::pluralStudly` (which follow doctrine/inflector's English rules). The migration reader and the
 * code index both use it, so they guess the same table for a model; test/oracle/inflect.test.ts
 * compares it with Laravel's own functions.
 */

/** Laravel's Str::snake: an underscore before every upper-case letter that follows a character, then lower case. */
export function snake(value: string): string {
  if (/^[a-z0-9_]+$/.test(value)) return value;
  return value.replace(/\s+/g, '').replace(/(.)(?=[A-Z])/g, '$1_').toLowerCase();
}

// English inflection, after the rules Laravel uses (doctrine/inflector's English rules), for the
// words that name tables in practice. Keys are lower case.
const UNCOUNTABLE = new Set([
  'audio', 'bison', 'cattle', 'chassis', 'compensation', 'coreopsis', 'data', 'deer', 'education', 'emoji', 'equipment', 'evidence', 'feedback',
  'firmware', 'fish', 'furniture', 'gold', 'hardware', 'information', 'jedi', 'kin', 'knowledge', 'love', 'metadata', 'money', 'moose', 'news',
  'nutrition', 'offspring', 'plankton', 'pokemon', 'police', 'rain', 'recommended', 'related', 'rice', 'series', 'sheep', 'software', 'species',
  'swine', 'traffic', 'wheat', 'staff', 'media', 'sms', 'advice', 'coal', 'music', 'luggage', 'weather', 'trout', 'pants', 'scissors',
  'analytics',
]);

const IRREGULAR_WORDS: Record<string, string> = {
  person: 'people', man: 'men', woman: 'women', child: 'children', ox: 'oxen', foot: 'feet', tooth: 'teeth', goose: 'geese', mouse: 'mice',
  criterion: 'criteria', leaf: 'leaves', life: 'lives', wife: 'wives', knife: 'knives', half: 'halves', move: 'moves', cookie: 'cookies',
  movie: 'movies', zombie: 'zombies', genus: 'genera', cactus: 'cacti', octopus: 'octopuses', virus: 'viruses', cafe: 'cafes', safe: 'safes', chef: 'chefs',
  roof: 'roofs', proof: 'proofs', belief: 'beliefs', chief: 'chiefs', hoof: 'hoofs', passerby: 'passersby', curve: 'curves',
};
// Maps, not objects: a class named `Constructor` must not find Object.prototype.constructor.
const IRREGULAR = new Map(Object.entries(IRREGULAR_WORDS));
const IRREGULAR_SINGULAR = new Map(Object.entries(IRREGULAR_WORDS).map(([s, p]) => [p, s]));

const PLURAL_RULES: Array<[RegExp, string]> = [
  [/(quiz)$/i, '$1zes'],
  [/(matr|vert|ind)(ix|ex)$/i, '$1ices'],
  [/(x|ch|ss|sh|zz)$/i, '$1es'],
  [/([^aeiouy]|qu)y$/i, '$1ies'],
  [/(hive|gulf)$/i, '$1s'],
  [/(?:([^f])fe|([lr])f)$/i, '$1$2ves'],
  [/sis$/i, 'ses'],
  [/([ti])um$/i, '$1a'],
  [/(buffal|her|potat|tomat|volcan|ech)o$/i, '$1oes'],
  [/(alias|status|campus|bus|census|virus|bonus|focus|plus|corpus|radius)$/i, '$1es'],
  [/(ax|test)is$/i, '$1es'],
  [/s$/i, 's'],
];

const SINGULAR_RULES: Array<[RegExp, string]> = [
  [/(quiz)zes$/i, '$1'],
  [/(matr)ices$/i, '$1ix'],
  [/(vert|ind)ices$/i, '$1ex'],
  [/(alias|status|campus|bus|census|bonus|focus|plus|corpus|radius)es$/i, '$1'],
  [/(x|ch|ss|sh|zz)es$/i, '$1'],
  [/([^aeiouy]|qu)ies$/i, '$1y'],
  [/(hive|gulf)s$/i, '$1'],
  [/([lr])ves$/i, '$1f'],
  [/([^f])ves$/i, '$1fe'],
  [/(analy|ba|diagno|parenthe|progno|synop|the|cri)ses$/i, '$1sis'],
  [/([ti])a$/i, '$1um'],
  [/(buffal|her|potat|tomat|volcan|ech)oes$/i, '$1o'],
  [/(ax|test)es$/i, '$1is'],
  [/(ss|us)$/i, '$1'],
  [/s$/i, ''],
];

function matchCase(word: string, repl: string): string {
  if (word === word.toUpperCase() && word.length > 1) return repl.toUpperCase();
  if (word.charAt(0) === word.charAt(0).toUpperCase()) return repl.charAt(0).toUpperCase() + repl.slice(1);
  return repl;
}

export function plural(word: string): string {
  const lower = word.toLowerCase();
  if (!lower || UNCOUNTABLE.has(lower)) return word;
  const irregular = IRREGULAR.get(lower);
  if (irregular) return matchCase(word, irregular);
  if (IRREGULAR_SINGULAR.has(lower)) return word;
  for (const [re, repl] of PLURAL_RULES) if (re.test(word)) return word.replace(re, repl);
  return `${word}s`;
}

export function singular(word: string): string {
  const lower = word.toLowerCase();
  if (!lower || UNCOUNTABLE.has(lower)) return word;
  const irregular = IRREGULAR_SINGULAR.get(lower);
  if (irregular) return matchCase(word, irregular);
  if (IRREGULAR.has(lower)) return word;
  for (const [re, repl] of SINGULAR_RULES) if (re.test(word)) return word.replace(re, repl);
  return word;
}

/** Laravel's Str::pluralStudly: only the last word of a studly name is pluralised. */
export function pluralStudly(value: string): string {
  const parts = value.split(/(?=[A-Z])/);
  const last = parts.pop() ?? '';
  return parts.join('') + plural(last);
}

/** The table Eloquent uses for a model class without `$table`: `UserProfile` → `user_profiles` (a namespace is dropped). */
export function tableForModel(className: string): string {
  return snake(pluralStudly(className.replace(/^.*\\/, '')));
}
