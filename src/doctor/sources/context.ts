import type { FileProblem } from '../../util/errors.js';

/** What the source readers share while a project is read. */
export interface SourceContext {
  /** Files or snippets that could not be parsed (zdd doctor could not check them): exit code 2. */
  problems: FileProblem[];
  /** laravel/framework version from composer.lock, when known. */
  laravelVersion?: string;
  /** Package names from composer.lock. */
  packages: ReadonlySet<string>;
}
