import type { Report } from './types.js';

/** GitHub Actions workflow commands: one annotation per finding on the PR diff. */
export function formatGithub(report: Report): string {
  const esc = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const prop = (s: string): string => esc(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const lines = report.findings.map(
    (f) => `::${f.severity === 'error' ? 'error' : 'warning'} file=${prop(f.location.file)},line=${f.location.line},col=${f.location.col},title=${prop(`zdd ${f.rule}`)}::${esc(`${f.message}\n\nFix: ${f.fix}`)}`,
  );
  for (const p of report.problems) lines.push(`::error file=${prop(p.file)}${p.line ? `,line=${p.line}` : ''},title=zdd::${esc(p.message)}`);
  return lines.length ? `${lines.join('\n')}\n` : '';
}
