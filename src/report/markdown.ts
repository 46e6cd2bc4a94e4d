import type { Report } from './types.js';

/** A Markdown summary for a pull-request comment. */
export function formatMarkdown(report: Report): string {
  const { errors, warnings } = report.summary;
  const out: string[] = [];
  out.push(`### zdd ${report.command}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}${report.dialect ? ` (${report.dialect})` : ''}`);
  out.push('');
  if (report.problems.length) {
    out.push('**Could not be checked:**');
    out.push('');
    for (const p of report.problems) out.push(`- \`${p.file}${p.line ? `:${p.line}` : ''}\`: ${p.message}`);
    out.push('');
  }
  if (!report.findings.length) {
    out.push('No findings.');
    return `${out.join('\n')}\n`;
  }
  out.push('| | Rule | Where | What |');
  out.push('|---|---|---|---|');
  const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, '<br>');
  for (const f of report.findings) {
    out.push(`| ${f.severity === 'error' ? '🛑' : '⚠️'} | \`${f.rule}\` | \`${cell(f.location.file)}:${f.location.line}\` | ${cell(f.message)} |`);
  }
  out.push('');
  out.push('<details><summary>Safe alternatives</summary>');
  out.push('');
  for (const f of report.findings) {
    out.push(`**${f.rule}** at \`${f.location.file}:${f.location.line}\``);
    out.push('');
    out.push('```');
    out.push(f.fix);
    out.push('```');
    out.push('');
  }
  out.push('</details>');
  return `${out.join('\n')}\n`;
}
