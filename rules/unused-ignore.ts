import type { MigrationRule } from '../src/lint/types.js';

/**
 * Reported by the lint and doctor runners (src/util/suppression.ts words it) after suppressions are applied: an ignore comment
 * that suppressed nothing, names an unknown rule, or gives no reason. This module registers the id
 * so it can be configured and explained like any other rule.
 */
const rule: MigrationRule = {
  id: 'unused-ignore',
  summary: 'A zdd-ignore comment that suppresses nothing, names an unknown rule, or gives no reason',
  defaultSeverity: 'warning',
  scope: 'migration',
  check() {
    return undefined;
  },
};
export default rule;
