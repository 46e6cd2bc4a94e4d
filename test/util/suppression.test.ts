import { describe, expect, it } from 'vitest';
import { ignoreProblem, parseIgnoreComment, suppresses, type IgnoreCheck } from '../../src/util/suppression.js';

const lint: IgnoreCheck = { known: new Set(['drop-column', 'missing-lock-timeout', 'unused-ignore']), command: 'zdd lint', unit: 'statement' };
const doctor: IgnoreCheck = { known: new Set(['fpm-restart']), command: 'zdd doctor', unit: 'line' };
const judge = (text: string, state: { used: boolean; placed: boolean }, check: IgnoreCheck): string | undefined => ignoreProblem(parseIgnoreComment(text)!, state, check);

describe('parseIgnoreComment', () => {
  it('reads the rule list, the reason and the file-wide form; anything else is not a zdd-ignore', () => {
    expect(parseIgnoreComment('zdd-ignore drop-column, missing-lock-timeout: contract step */')).toEqual({ rules: ['drop-column', 'missing-lock-timeout'], reason: 'contract step' });
    expect(parseIgnoreComment('zdd-ignore-file: generated file')).toEqual({ rules: [], reason: 'generated file', file: true });
    expect(parseIgnoreComment('zdd-ignore drop-column')).toEqual({ rules: ['drop-column'], reason: '' });
    expect(parseIgnoreComment('nothing to see')).toBeUndefined();
  });
});

describe('suppresses', () => {
  it('needs a reason; a rule list names the rules; zdd-ignore-file without one covers every rule', () => {
    expect(suppresses(parseIgnoreComment('zdd-ignore drop-column: unused')!, 'drop-column')).toBe(true);
    expect(suppresses(parseIgnoreComment('zdd-ignore drop-column: unused')!, 'drop-table')).toBe(false);
    expect(suppresses(parseIgnoreComment('zdd-ignore drop-column')!, 'drop-column')).toBe(false);
    expect(suppresses(parseIgnoreComment('zdd-ignore-file: generated')!, 'drop-table')).toBe(true);
    expect(suppresses(parseIgnoreComment('zdd-ignore-file')!, 'drop-table')).toBe(false);
    expect(suppresses(parseIgnoreComment('zdd-ignore: no rule named')!, 'drop-table')).toBe(false);
  });
});

describe('ignoreProblem: the unused-ignore messages of both commands', () => {
  const used = { used: true, placed: true };
  const unused = { used: false, placed: true };
  it('a used comment with a reason and known rules is fine', () => {
    expect(judge('zdd-ignore drop-column: unused', used, lint)).toBeUndefined();
    expect(judge('zdd-ignore-file: generated', used, doctor)).toBeUndefined();
  });

  it('names no rule, needs a reason (in the form that was written)', () => {
    for (const check of [lint, doctor]) {
      expect(judge('zdd-ignore: safe', unused, check)).toBe('zdd-ignore names no rule: write `zdd-ignore <rule>: <reason>`');
      expect(judge('zdd-ignore', unused, check)).toBe('zdd-ignore names no rule: write `zdd-ignore <rule>: <reason>`');
      expect(judge('zdd-ignore-file', unused, check)).toBe('zdd-ignore-file needs a reason: write `zdd-ignore-file: <why this is safe>`');
    }
    expect(judge('zdd-ignore drop-column', unused, lint)).toBe('zdd-ignore needs a reason: write `zdd-ignore drop-column: <why this is safe>`');
    expect(judge('zdd-ignore-file fpm-restart', unused, doctor)).toBe('zdd-ignore-file needs a reason: write `zdd-ignore-file fpm-restart: <why this is safe>`');
  });

  it('a rule the command does not check, named with the command', () => {
    expect(judge('zdd-ignore drop-colum: typo', unused, lint)).toBe('zdd-ignore names a rule zdd lint does not check: drop-colum (see `zdd rules`)');
    expect(judge('zdd-ignore drop-column, x-y: wrong file', unused, doctor)).toBe('zdd-ignore names rules zdd doctor does not check: drop-column, x-y (see `zdd rules`)');
  });

  it('suppresses nothing, in the unit of the command; not followed by anything', () => {
    expect(judge('zdd-ignore drop-column: x', unused, lint)).toBe('zdd-ignore drop-column suppresses nothing: no such finding on the next statement');
    expect(judge('zdd-ignore fpm-restart: x', unused, doctor)).toBe('zdd-ignore fpm-restart suppresses nothing: no such finding on the next line');
    expect(judge('zdd-ignore drop-column: x', { used: false, placed: false }, lint)).toBe('zdd-ignore is not followed by a statement');
    expect(judge('zdd-ignore fpm-restart: x', { used: false, placed: false }, doctor)).toBe('zdd-ignore is not followed by a line');
    expect(judge('zdd-ignore-file: generated', { used: false, placed: false }, doctor)).toBe('zdd-ignore-file (all rules) suppresses nothing: no such finding in this file');
  });
});
