import type { Finding } from '../lint/types.js';
import type { FileProblem } from '../util/errors.js';

export interface Summary {
  files: number;
  migrations: number;
  errors: number;
  warnings: number;
}

/** Everything a reporter needs; reporters print, they never decide severity. */
export interface Report {
  /** Database dialect the findings are for ('' for zdd doctor). */
  dialect: string;
  findings: Finding[];
  summary: Summary;
  /** Files that could not be read (printed on stderr by the CLI; included in JSON additively). */
  problems: FileProblem[];
  /** What the tool ran: 'lint' or 'doctor'. */
  command: 'lint' | 'doctor';
}

export type Format = 'pretty' | 'json' | 'github' | 'sarif' | 'markdown';
export const FORMATS: readonly Format[] = ['pretty', 'json', 'github', 'sarif', 'markdown'];
