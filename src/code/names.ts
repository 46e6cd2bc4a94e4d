/**
 * Naming rules the ORMs apply, so the index can tie a class or property to a table or column:
 * Laravel's `Str::snake(Str::pluralStudly(class_basename($model)))` for a model's table, and
 * Doctrine's default and underscore naming strategies for entities.
 */

/** Laravel's Str::snake: an underscore before every upper-case letter that follows a character, then lower case. */
export function snake(value: string): string {
  if (/^[a-z0-9_]+$/.test(value)) return value;
  return value.replace(/\s+/g, '').replace(/(.)(?=[A-Z])/g, '$1_').toLowerCase();
}

/** Doctrine's UnderscoreNamingStrategy (CASE_LOWER): `legacyId` → `legacy_id`, `APIKey` → `api_key`. */
export function underscore(value: string): string {
  return value.replace(/(?<=[a-z0-9])([A-Z])/g, '_$1').replace(/(?<=[A-Z])([A-Z][a-z])/g, '_$1').toLowerCase();
}

/** `legacy_id` → `legacyId`. */
export function camel(value: string): string {
  const s = studly(value);
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** `legacy_id` → `LegacyId`. */
export function studly(value: string): string {
  return value
    .split(/[_\-\s]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

// English inflection, after the rules Laravel uses (doctrine/inflector's English rules), for the
// words that name tables in practice. Keys are lower case.
const UNCOUNTABLE = new Set([
  'audio', 'bison', 'cattle', 'chassis', 'compensation', 'coreopsis', 'data', 'deer', 'education', 'emoji', 'equipment', 'evidence', 'feedback',
  'firmware', 'fish', 'furniture', 'gold', 'hardware', 'information', 'jedi', 'kin', 'knowledge', 'love', 'metadata', 'money', 'moose', 'news',
  'nutrition', 'offspring', 'plankton', 'pokemon', 'police', 'rain', 'recommended', 'related', 'rice', 'series', 'sheep', 'software', 'species',
  'swine', 'traffic', 'wheat', 'staff', 'media', 'sms', 'feedback',
]);

const IRREGULAR_WORDS: Record<string, string> = {
  person: 'people', man: 'men', woman: 'women', child: 'children', ox: 'oxen', foot: 'feet', tooth: 'teeth', goose: 'geese', mouse: 'mice',
  criterion: 'criteria', leaf: 'leaves', life: 'lives', wife: 'wives', knife: 'knives', half: 'halves', move: 'moves', cookie: 'cookies',
  movie: 'movies', zombie: 'zombies', genus: 'genera', octopus: 'octopuses', virus: 'viruses', cafe: 'cafes', safe: 'safes', chef: 'chefs',
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
  [/(buffal|her|potat|tomat|volcan)o$/i, '$1oes'],
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
  [/(buffal|her|potat|tomat|volcan)oes$/i, '$1o'],
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

/** The table Laravel gives a model without `$table`: `UserProfile` → `user_profiles`. */
export function laravelTable(classShortName: string): string {
  return snake(pluralStudly(classShortName));
}

/** The model class name Laravel's rule would map to a table: `user_profiles` → `UserProfile` (a guess, for prefiltering). */
export function modelNameGuess(table: string): string {
  const parts = table.split('_');
  const last = parts.pop() ?? '';
  return studly([...parts, singular(last)].join('_'));
}

/** Table names Doctrine gives an entity without `Table(name)`: default strategy (class name) and underscore strategy. */
export function doctrineTables(classShortName: string): string[] {
  return [...new Set([classShortName, underscore(classShortName)])];
}

/** Column names Doctrine gives a property without `Column(name)`. */
export function doctrineColumns(property: string): string[] {
  return [...new Set([property, underscore(property)])];
}

/** Column of a ManyToOne/OneToOne association without JoinColumn(name): `team` → `team_id`. */
export function doctrineJoinColumns(property: string): string[] {
  return [...new Set([`${property}_id`, `${underscore(property)}_id`])];
}

export function shortClass(fqcn: string): string {
  const i = fqcn.lastIndexOf('\\');
  return i === -1 ? fqcn : fqcn.slice(i + 1);
}
