import type { MigrationFormat } from '../ir/types.js';
import { phpString } from '../util/text.js';
import type { FixSuggestion } from './types.js';

/**
 * Prints a safe alternative in the migration's own format. SQL lines starting with `-- ` are
 * comments (step headings) and become `//` comments in PHP.
 */
export function renderFix(fix: FixSuggestion, format: MigrationFormat): string {
  const parts = [fix.summary];
  const code = codeFor(fix, format);
  if (code) parts.push(code);
  if (fix.plan) parts.push(`zdd-plan: ${fix.plan}`);
  return parts.join('\n');
}

function codeFor(fix: FixSuggestion, format: MigrationFormat): string | undefined {
  if (format === 'laravel') {
    if (fix.laravel) return fix.laravel;
    if (!fix.sql?.length) return undefined;
    const lines = fix.sql.map((s) => (s.startsWith('-- ') ? `// ${s.slice(3)}` : `DB::statement(${phpString(s)});`));
    if (fix.nonTransactional) lines.unshift('public $withinTransaction = false; // in the migration class');
    return lines.join('\n');
  }
  if (format === 'doctrine') {
    if (fix.doctrine) return fix.doctrine;
    if (!fix.sql?.length) return undefined;
    const lines = fix.sql.map((s) => (s.startsWith('-- ') ? `// ${s.slice(3)}` : `$this->addSql(${phpString(s)});`));
    if (fix.nonTransactional) lines.unshift('public function isTransactional(): bool { return false; } // in the migration class');
    return lines.join('\n');
  }
  if (!fix.sql?.length) return undefined;
  return fix.sql.map((s) => (s.startsWith('-- ') ? s : s.endsWith(';') ? s : `${s};`)).join('\n');
}
