/**
 * English inflection as Laravel uses it for table names: `Str::snake` and `Str::plural` (which
 * follow Doctrine's inflector). Covers the regular rules, the common irregular words, and words with
 * no plural; a model whose table does not follow the rule declares `$table` anyway.
 */

const IRREGULAR: Record<string, string> = {
  person: 'people',
  man: 'men',
  woman: 'women',
  child: 'children',
  tooth: 'teeth',
  foot: 'feet',
  mouse: 'mice',
  goose: 'geese',
  ox: 'oxen',
  leaf: 'leaves',
  life: 'lives',
  knife: 'knives',
  wife: 'wives',
  half: 'halves',
  cactus: 'cacti',
  criterion: 'criteria',
  datum: 'data',
  medium: 'media',
  analysis: 'analyses',
  axis: 'axes',
  crisis: 'crises',
  thesis: 'theses',
  index: 'indices',
  matrix: 'matrices',
  vertex: 'vertices',
  move: 'moves',
  sex: 'sexes',
  cookie: 'cookies',
  movie: 'movies',
  zombie: 'zombies',
  quiz: 'quizzes',
  bus: 'buses',
  alias: 'aliases',
  status: 'statuses',
  campus: 'campuses',
  virus: 'viruses',
  octopus: 'octopuses',
  genus: 'genera',
  hero: 'heroes',
  potato: 'potatoes',
  tomato: 'tomatoes',
  echo: 'echoes',
  valve: 'valves',
  wave: 'waves',
  curve: 'curves',
  sieve: 'sieves',
};

const UNCOUNTABLE = new Set([
  'audio', 'equipment', 'information', 'rice', 'money', 'species', 'series', 'fish', 'sheep', 'deer', 'news', 'data', 'feedback',
  'metadata', 'traffic', 'knowledge', 'software', 'hardware', 'staff', 'police', 'furniture', 'luggage', 'education', 'evidence',
  'advice', 'coal', 'cattle', 'chassis', 'compensation', 'content', 'emoji', 'gold', 'jedi', 'love', 'nutrition', 'offspring',
  'plankton', 'pokemon', 'wheat', 'weather', 'media', 'music', 'bison', 'moose', 'swine', 'trout', 'pants', 'scissors', 'analytics',
]);

/** Plural of the last word of a snake/lower-case name: `order_item` → `order_items`. */
export function plural(word: string): string {
  const m = /^(.*?)([a-z0-9]+)$/i.exec(word);
  if (!m) return word;
  const [, head, last] = m as unknown as [string, string, string];
  const lower = last.toLowerCase();
  let out: string;
  if (UNCOUNTABLE.has(lower)) out = last;
  else if (IRREGULAR[lower]) out = IRREGULAR[lower]!;
  else if (/[^aeiou]y$/.test(lower)) out = `${last.slice(0, -1)}ies`;
  else if (/(s|x|z|ch|sh)$/.test(lower)) out = `${last}es`;
  else if (/[^f]fe$/.test(lower)) out = `${last.slice(0, -2)}ves`;
  else if (/(?:[^aeiou]|l|ar)f$/.test(lower) && !/(?:ief|oof|ff)$/.test(lower)) out = `${last.slice(0, -1)}ves`;
  else out = `${last}s`;
  return head + out;
}

/** Laravel's Str::snake: `OrderItem` → `order_item`, `HTTPRequest` → `h_t_t_p_request`. */
export function snake(name: string): string {
  if (/^[a-z0-9_]+$/.test(name)) return name;
  return name
    .replace(/\s+/g, '')
    .replace(/(.)(?=[A-Z])/g, '$1_')
    .toLowerCase();
}

/** The table Eloquent uses for a model class without `$table`: snake case, plural. */
export function tableForModel(className: string): string {
  return plural(snake(className.replace(/^.*\\/, '')));
}

/** Singular guess of a table name (for `user_id` → `users` the other way round). */
export function singular(word: string): string {
  const lower = word.toLowerCase();
  for (const [s, p] of Object.entries(IRREGULAR)) if (lower.endsWith(p)) return word.slice(0, word.length - p.length) + s;
  if (/ies$/.test(lower)) return `${word.slice(0, -3)}y`;
  if (/(ses|xes|zes|ches|shes)$/.test(lower)) return word.slice(0, -2);
  if (/s$/.test(lower) && !/ss$/.test(lower)) return word.slice(0, -1);
  return word;
}
