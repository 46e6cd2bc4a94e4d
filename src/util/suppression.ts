import type { Suppression } from '../ir/types.js';

/**
 * `zdd-ignore` comments, written once for `zdd lint` (SQL and PHP migrations) and `zdd doctor`
 * (deploy files): what a comment says, whether it suppresses a finding, and what is wrong with it
 * when it does not do its job (the `unused-ignore` finding). Where a comment applies — a statement
 * of a migration, a line of a deploy file — is the caller's business.
 */

/** The rule id of the findings about the comments themselves. */
export const UNUSED_IGNORE = 'unused-ignore';

/** What the text of a comment says, wherever it was written. */
export type IgnoreComment = Pick<Suppression, 'rules' | 'reason' | 'file'>;

const IGNORE_RE = /zdd-ignore(-file)?(?:\s+([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*))?\s*(?::\s*(.*?))?\s*(?:\*\/)?\s*$/i;

/** Parses the text of a comment (its marker removed or not) as a `zdd-ignore`; undefined if it is not one. */
export function parseIgnoreComment(text: string): IgnoreComment | undefined {
  const m = IGNORE_RE.exec(text);
  if (!m) return undefined;
  const rules = (m[2] ?? '').split(',').map((r) => r.trim()).filter(Boolean);
  const s: IgnoreComment = { rules, reason: (m[3] ?? '').trim() };
  if (m[1]) s.file = true;
  return s;
}

/**
 * Whether a comment suppresses a finding of `rule` in the place it applies to: only with a reason;
 * a rule list names the rules; `zdd-ignore-file` without one covers every rule of the file.
 */
export function suppresses(c: IgnoreComment, rule: string): boolean {
  if (!c.reason) return false;
  return c.rules.length ? c.rules.includes(rule) : !!c.file;
}

export interface IgnoreCheck {
  /** The rule ids the command checks. */
  known: ReadonlySet<string>;
  /** The command, for "names a rule zdd doctor does not check". */
  command: 'zdd lint' | 'zdd doctor';
  /** What a comment applies to: the next statement of a migration, the next line of a deploy file. */
  unit: 'statement' | 'line';
}

/** The fix of every `unused-ignore` finding. */
export const UNUSED_IGNORE_FIX = 'Remove the comment, or fix its rule list and give a reason after a colon.';

/**
 * What is wrong with a comment, as the `unused-ignore` message; undefined when it did its job.
 * `placed`: a non-file comment found a statement or line to apply to; `used`: it suppressed a finding.
 */
export function ignoreProblem(c: IgnoreComment, state: { used: boolean; placed: boolean }, check: IgnoreCheck): string | undefined {
  const form = c.file ? 'zdd-ignore-file' : 'zdd-ignore';
  const rules = c.rules.join(', ');
  if (!c.rules.length && !c.file) return 'zdd-ignore names no rule: write `zdd-ignore <rule>: <reason>`';
  if (!c.reason) return `${form} needs a reason: write \`${form}${rules ? ` ${rules}` : ''}: <why this is safe>\``;
  const unknown = c.rules.filter((r) => !check.known.has(r));
  if (unknown.length) return `${form} names ${unknown.length > 1 ? 'rules' : 'a rule'} ${check.command} does not check: ${unknown.join(', ')} (see \`zdd rules\`)`;
  if (state.used) return undefined;
  if (c.file) return `zdd-ignore-file ${rules || '(all rules)'} suppresses nothing: no such finding in this file`;
  if (!state.placed) return `zdd-ignore is not followed by a ${check.unit}`;
  return `zdd-ignore ${rules} suppresses nothing: no such finding on the next ${check.unit}`;
}
