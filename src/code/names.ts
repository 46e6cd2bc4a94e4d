/**
 * Naming rules the ORMs apply, so the index can tie a class or property to a table or column:
 * Laravel's `Str::snake(Str::pluralStudly(class_basename($model)))` for a model's table, and
 * Doctrine's default and underscore naming strategies for entities. The English inflection is
 * src/util/inflect.ts, shared with the migration reader.
 */
import { singular } from '../util/inflect.js';

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
