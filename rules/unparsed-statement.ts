import type { MigrationRule } from '../src/lint/types.js';

const rule: MigrationRule = {
  id: 'unparsed-statement',
  summary: 'SQL or PHP that zdd could not analyse (syntax it does not know, dynamic SQL): reported, never skipped silently',
  defaultSeverity: 'warning',
  scope: 'migration',
  check(ctx) {
    const { op } = ctx;
    if (op.kind !== 'raw') return undefined;
    return {
      message: `zdd could not analyse this${op.table ? ` (table ${op.table})` : ''}: ${op.reason}. It was not checked for locks or breaking changes.`,
      target: { table: op.table },
      fix: {
        summary: 'Check it by hand. If it is safe, say why with an ignore comment on the line before it.',
        sql: ['-- zdd-ignore unparsed-statement: <why this is safe>'],
        laravel: '// zdd-ignore unparsed-statement: <why this is safe>',
        doctrine: '// zdd-ignore unparsed-statement: <why this is safe>',
      },
    };
  },
};
export default rule;
