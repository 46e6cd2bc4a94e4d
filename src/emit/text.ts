import pc from 'picocolors';
import type { Plan, PlanCheck, PlanStep } from '../plan/types.js';
import { stepLabel } from './steps.js';

/** `--format text`: the plan for a person, release by release, phase by phase. */

const KIND_COLOUR: Record<PlanStep['kind'], (s: string) => string> = {
  'as-is': pc.green,
  split: pc.cyan,
  backfill: pc.blue,
  contract: pc.magenta,
  manual: pc.red,
};

function wrap(text: string, indent: number, width = 100): string[] {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  let cur = '';
  for (const w of text.split(/\s+/).filter(Boolean)) {
    if (cur && cur.length + w.length + 1 > width - indent) {
      lines.push(pad + cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(pad + cur);
  return lines;
}

function checkLine(c: PlanCheck): string[] {
  const mark = c.status === 'satisfied' ? pc.green('✔') : c.status === 'unsatisfied' ? pc.red('✖') : pc.yellow('?');
  const out = [`    ${mark} ${c.condition}${c.status === 'unchecked' ? pc.dim(' (unchecked)') : ''}`];
  for (const r of (c.references ?? []).slice(0, 5)) out.push(pc.dim(`        ${r.file}:${r.line}  ${r.text}`));
  if ((c.references?.length ?? 0) > 5) out.push(pc.dim(`        … and ${c.references!.length - 5} more`));
  return out;
}

function stepLines(s: PlanStep, n: number): string[] {
  const kind = KIND_COLOUR[s.kind](s.kind.padEnd(8));
  const out = [`    ${String(n).padStart(2)}. ${kind} ${pc.bold(stepLabel(s))}  ${pc.dim(`${s.file}:${s.line}`)}`];
  if (s.run === 'migration') out.push(pc.dim('          runs the migration unchanged'));
  for (const sql of s.sql ?? []) out.push(...sql.split('\n').map((l) => pc.dim(`          ${l}`)));
  if (s.batch) out.push(pc.dim(`          in batches of ${s.batch.size} by ${s.batch.key}: {from} … {to}`));
  if (s.expect !== undefined) out.push(pc.dim(`          must return ${s.expect}`));
  out.push(...wrap(s.why, 10));
  return out;
}

export function formatText(plan: Plan): string {
  const out: string[] = [];
  const n = plan.releases.length;
  out.push(pc.bold(`zdd-plan: ${n} release${n === 1 ? '' : 's'} for ${plan.migrations.length} migration${plan.migrations.length === 1 ? '' : 's'} (${plan.dialect}, contract ${plan.contract})`));
  for (const r of plan.releases) {
    out.push('');
    out.push(pc.bold(r.release === 1 ? 'Release 1 — this deploy' : `Release ${r.release} — a follow-up, once release ${r.release - 1} is live everywhere`));
    if (r.checks.length) {
      out.push(`  ${pc.underline('requires')}`);
      for (const c of r.checks) out.push(...checkLine(c));
    }
    const pre = r.steps.filter((s) => s.phase === 'pre-swap');
    const post = r.steps.filter((s) => s.phase === 'post-swap');
    let i = 1;
    if (pre.length) {
      out.push(`  ${pc.underline('before the swap')}`);
      for (const s of pre) out.push(...stepLines(s, i++));
    }
    out.push(pc.dim('  ── swap current → reload php-fpm → health check → drain old workers ──'));
    if (post.length) {
      out.push(`  ${pc.underline('after the swap')}`);
      for (const s of post) out.push(...stepLines(s, i++));
    }
  }
  out.push('');
  out.push(pc.bold('Migrations'));
  if (!plan.migrations.length) out.push(pc.dim('  none: this change has no new migrations'));
  for (const m of plan.migrations) {
    const how = m.handling === 'as-is' ? pc.green('runs unchanged') : pc.cyan(`split: ${m.reason ?? ''}; recorded as applied after its pre-swap steps`);
    out.push(`  ${m.id}  ${how}`);
  }
  const manual = plan.releases.flatMap((r) => r.steps).filter((s) => s.kind === 'manual');
  const unsatisfied = plan.releases.flatMap((r) => r.checks).filter((c) => c.status === 'unsatisfied');
  out.push('');
  if (manual.length) out.push(pc.red(`✖ ${manual.length} step${manual.length === 1 ? '' : 's'} need${manual.length === 1 ? 's' : ''} a person: ${manual.map((s) => `${s.file}:${s.line}`).join(', ')}`));
  if (unsatisfied.length) out.push(pc.red(`✖ ${unsatisfied.length} requirement${unsatisfied.length === 1 ? ' is' : 's are'} not met by the code of release 1`));
  if (!manual.length && !unsatisfied.length) out.push(pc.green(n === 1 ? '✔ ships in one release' : `✔ release 1 can ship; ${n - 1} follow-up release${n === 2 ? '' : 's'} finish${n === 2 ? 'es' : ''} the change`));
  return `${out.join('\n')}\n`;
}
