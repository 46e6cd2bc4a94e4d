import type { IndexShare } from './memo.js';
import type { IndexCache } from './cache.js';
import type { Dialect } from '../ir/types.js';

/**
 * How sure the index is that a line depends on that table/column at run time:
 * - high: the code ties the name to the table (a model or entity of that table, `DB::table('t')`,
 *   SQL naming the table) and uses it in a way that reaches the database or the ORM's mapping;
 * - medium: tied by a convention or an inference (relationship default keys, accessors, a variable
 *   named after the model, a column no other table has, SQL fragments, validation rules);
 * - low: weak hints (templates, `$hidden`/`$visible`/`$guarded`), and every reference in code that
 *   does not serve production requests.
 * Only production references above `low` raise a finding to an error.
 */
export type Confidence = 'high' | 'medium' | 'low';

export type ReferenceKind =
  /** The model or entity class of the table (every query through it breaks without the table). */
  | 'model'
  /** $fillable, $casts, $attributes, $dates, $hidden, $visible, $guarded, $appends, $primaryKey, timestamp constants. */
  | 'model-property'
  /** get…Attribute / set…Attribute / Attribute-returning methods. */
  | 'accessor'
  /** `$model->col` read. */
  | 'attribute-read'
  /** `$model->col = …`, `update([...])`, `create([...])`, `fill`, `increment` … */
  | 'attribute-write'
  /** belongsTo/hasMany/belongsToMany keys and tables. */
  | 'relationship'
  /** Query builder / Eloquent query naming the column or table. */
  | 'query'
  /** SQL in a string (DB::select, whereRaw, PDO, DBAL, addSql). */
  | 'raw-sql'
  /** Doctrine mapping: attributes, annotations, XML, YAML. */
  | 'entity-mapping'
  /** Validation rules `exists:t,c`, `unique:t,c`, Rule::exists/unique. */
  | 'validation'
  /** Blade templates. */
  | 'template'
  /** Schema builder calls (migrations, Schema::hasColumn). */
  | 'schema';

/** What to look for: a table, or a column of a table. */
export interface ReferenceTarget {
  table: string;
  column?: string;
}

/** A line of a release that reads or writes a target. */
export interface CodeReference {
  release: 'old' | 'new';
  /** Path relative to the release root. */
  file: string;
  line: number;
  /** The source line, trimmed. */
  text: string;
  table: string;
  column?: string;
  confidence: Confidence;
  /** false for tests, factories, seeders, fixtures and migrations. */
  production: boolean;
  kind: ReferenceKind;
}

export interface IndexOptions {
  /** SQL dialect, for parsing SQL strings (default mysql). */
  dialect?: Dialect;
  /** Files to leave out (the migrations that make the change: they name what they change). */
  exclude?: ReadonlySet<string>;
  /** Extra directories whose files do not serve requests (the app's migration directories). */
  nonProductionDirs?: readonly string[];
  /**
   * Tables that have a column of this name (from schema replay); undefined when unknown. Used to
   * decide whether a bare column name on an unknown receiver can belong to a target table.
   */
  columnOwners?: (column: string) => ReadonlySet<string> | undefined;
  /** Only files under these release-relative directories (config `paths.code`); default: the whole release. */
  roots?: readonly string[];
  /** Globs of files never indexed (config `paths.ignore`): `*` within a path segment, `**` across segments. */
  ignore?: readonly string[];
  /**
   * Shared between the runs of the two releases of one deploy in one thread: a file both releases
   * hold is analysed once (memo.ts). Create one `new IndexShare()` per deploy.
   */
  shared?: IndexShare;
  /** The cache of earlier runs (cache.ts): files it knows are not scanned again, nor read when they cannot name a target. */
  cache?: IndexCache;
  /** Parse only the parts of a file that can matter (default true; false parses every candidate whole). */
  slice?: boolean;
  /** Progress and timing notes, for --verbose. */
  verbose?: (message: string) => void;
}
