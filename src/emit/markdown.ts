import type { Plan, PlanStep } from '../plan/types.js';
import { stepLabel } from './steps.js';

/** `--format markdown`: a pull-request comment with a Mermaid diagram of the releases and phases. */

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, '<br>');
/** Mermaid label text: quotes and brackets would end the label. */
const label = (s: string): string => s.replace(/"/g, '#quot;').replace(/[<>]/g, (c) => (c === '<' ? '#lt;' : '#gt;'));

function node(id: string, title: string, steps: PlanStep[]): string {
  const lines = steps.slice(0, 8).map((s) => label(`${s.kind}: ${stepLabel(s)}`));
  if (steps.length > 8) lines.push(`… ${steps.length - 8} more`);
  return `    ${id}["<b>${label(title)}</b><br/>${lines.join('<br/>') || 'nothing'}"]`;
}

export function formatMarkdown(plan: Plan): string {
  const out: string[] = [];
  const n = plan.releases.length;
  out.push(`### zdd-plan: ${n} release${n === 1 ? '' : 's'} (${plan.dialect})`);
  out.push('');
  out.push('```mermaid');
  out.push('flowchart LR');
  for (const r of plan.releases) {
    const id = `R${r.release}`;
    const pre = r.steps.filter((s) => s.phase === 'pre-swap');
    const post = r.steps.filter((s) => s.phase === 'post-swap');
    out.push(`  subgraph ${id}["Release ${r.release}${r.release === 1 ? ' (this deploy)' : ''}"]`);
    out.push('    direction LR');
    out.push(node(`${id}pre`, 'before the swap', pre));
    out.push(`    ${id}swap(["swap, reload, health, drain"])`);
    out.push(node(`${id}post`, 'after the swap', post));
    out.push(`    ${id}pre --> ${id}swap --> ${id}post`);
    out.push('  end');
  }
  for (const r of plan.releases.slice(1)) out.push(`  R${r.release - 1} --> R${r.release}`);
  out.push('```');
  for (const r of plan.releases) {
    out.push('');
    out.push(`#### Release ${r.release}${r.release === 1 ? ' — this deploy' : ` — once release ${r.release - 1} is live everywhere`}`);
    if (r.checks.length) {
      out.push('');
      out.push('Requires:');
      for (const c of r.checks) {
        out.push(`- [${c.status === 'satisfied' ? 'x' : ' '}] ${c.condition}${c.status === 'unchecked' ? ' _(unchecked)_' : c.status === 'unsatisfied' ? ' **not met**' : ''}`);
        for (const ref of (c.references ?? []).slice(0, 5)) out.push(`  - \`${ref.file}:${ref.line}\` ${cell(ref.text)}`);
      }
    }
    out.push('');
    out.push('| # | Phase | Step | Kind | Migration | Why |');
    out.push('|---|---|---|---|---|---|');
    r.steps.forEach((s, i) => out.push(`| ${i + 1} | ${s.phase} | \`${cell(stepLabel(s))}\` | ${s.kind} | \`${cell(s.migration)}\` | ${cell(s.why)} |`));
    const withSql = r.steps.filter((s) => s.sql?.length);
    if (withSql.length) {
      out.push('');
      out.push('<details><summary>SQL</summary>');
      out.push('');
      out.push('```sql');
      for (const s of withSql) {
        out.push(`-- ${s.phase}: ${stepLabel(s)}${s.batch ? ` (in batches of ${s.batch.size} by ${s.batch.key})` : ''}`);
        for (const sql of s.sql!) out.push(`${sql};`);
      }
      out.push('```');
      out.push('');
      out.push('</details>');
    }
  }
  out.push('');
  if (!plan.migrations.length) out.push('Migrations: none in this change.');
  else out.push('Migrations: ' + plan.migrations.map((m) => `\`${m.id}\` ${m.handling === 'as-is' ? 'runs unchanged' : 'is split (recorded as applied)'}`).join('; ') + '.');
  return `${out.join('\n')}\n`;
}
