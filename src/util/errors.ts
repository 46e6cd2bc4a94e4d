/**
 * An error in what the user gave zdd (flags, config, paths, git refs): printed as one line on
 * stderr, exit code 2, no stack trace.
 */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** A problem with one input file. Collected, reported on stderr, and turned into exit code 2 — after the other files' findings. */
export interface FileProblem {
  file: string;
  message: string;
  line?: number;
  /** zdd doctor: the file (or a part of it: a step, a command) did not parse, so it was not checked. */
  unparsed?: 'file' | 'part';
}
