import pc from 'picocolors';
import type { Report } from './types.js';

/** Human output: findings grouped by file, `file:line:col`, severity, rule, message, fix. */
export function formatPretty(report: Report): string {
  const out: string[] = [];
  const byFile = new Map<string, Report['findings']>();
  for (const f of report.findings) {
    const list = byFile.get(f.location.file) ?? [];
    list.push(f);
    byFile.set(f.location.file, list);
  }
  for (const [file, findings] of byFile) {
    out.push(pc.underline(file));
    for (const f of findings) {
      const sev = f.severity === 'error' ? pc.red('error') : pc.yellow('warning');
      out.push(`${pc.dim(`${file}:${f.location.line}:${f.location.col}`)}  ${sev}  ${pc.bold(f.rule)}`);
      out.push(indent(f.message, 2));
      for (const d of (f.dependents ?? []).slice(0, 5)) {
        const tag = d.production === false ? ' (not production code)' : d.confidence === 'low' ? ' (weak match)' : '';
        out.push(pc.dim(`  ${d.release === 'old' ? 'old release' : 'new release'}: ${d.file}:${d.line}  ${d.text}${tag}`));
      }
      if ((f.dependents?.length ?? 0) > 5) out.push(pc.dim(`  … and ${f.dependents!.length - 5} more references (--format json lists them all)`));
      const [first, ...rest] = f.fix.split('\n');
      out.push(`  ${pc.green('fix:')} ${first}`);
      for (const line of rest) out.push(line.startsWith('zdd-plan:') ? `  ${pc.cyan(line)}` : pc.dim(`      ${line}`));
      out.push('');
    }
  }
  const { errors, warnings, migrations, files } = report.summary;
  const what = report.command === 'doctor' ? `${files} file${files === 1 ? '' : 's'}` : `${migrations} migration${migrations === 1 ? '' : 's'}`;
  const unread = new Set(report.problems.map((p) => p.file)).size;
  // a file zdd could not read or parse was not (wholly) checked: never a green tick over it
  const notChecked = unread ? `; ${unread} file${unread === 1 ? '' : 's'} could not be read or parsed (see stderr), so ${unread === 1 ? 'it was' : 'they were'} not checked` : '';
  if (errors + warnings === 0) out.push(unread ? pc.red(`✖ no findings in ${what}${notChecked}`) : pc.green(`✔ no findings in ${what}`));
  else {
    const parts = [errors ? pc.red(`${errors} error${errors === 1 ? '' : 's'}`) : '', warnings ? pc.yellow(`${warnings} warning${warnings === 1 ? '' : 's'}`) : ''].filter(Boolean);
    out.push(`${errors || unread ? pc.red('✖') : pc.yellow('⚠')} ${parts.join(', ')} in ${what}${notChecked}`);
  }
  return `${out.join('\n')}\n`;
}

function indent(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}
