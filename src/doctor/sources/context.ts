import type { FileProblem } from '../../util/errors.js';

/** What the source readers share while a project is read. */
export interface SourceContext {
  /** Files or snippets that could not be parsed (zdd doctor could not check them): exit code 2. */
  problems: FileProblem[];
  /** laravel/framework version from composer.lock, when known. */
  laravelVersion?: string;
  /** Package names from composer.lock. */
  packages: ReadonlySet<string>;
  /** A project file's text by its path from the project root (a Makefile's `include`), undefined when it cannot be read. */
  readFile?: (path: string) => string | undefined;
}
