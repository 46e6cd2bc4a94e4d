/**
 * Blade templates: `{{ $user->legacy_id }}`, `$user['legacy_id']`. Templates only read attributes,
 * and Eloquent returns null for a missing one (unless strict mode is on), so these are listed at low
 * confidence and only when the variable is named after the target's model or no other table has the
 * column.
 */

export interface TemplateRef {
  line: number;
  variable: string;
  column: string;
}

const ACCESS = /\$(\w+)(?:\?->|->)(\w+)(?!\s*\()|\$(\w+)\[\s*['"](\w+)['"]\s*\]/g;

export function templateReferences(text: string, columns: ReadonlySet<string>): TemplateRef[] {
  const out: TemplateRef[] = [];
  const lines = text.split('\n');
  lines.forEach((l, i) => {
    if (!l.includes('$')) return;
    for (const m of l.matchAll(ACCESS)) {
      const variable = m[1] ?? m[3]!;
      const column = m[2] ?? m[4]!;
      if (variable !== 'this' && columns.has(column)) out.push({ line: i + 1, variable, column });
    }
  });
  return out;
}
