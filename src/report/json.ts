import type { Report } from './types.js';

/** The JSON contract (DESIGN.md). `problems` is an additive field: files that could not be read. */
export function formatJson(report: Report): string {
  const body: Record<string, unknown> = {
    version: 1,
    dialect: report.dialect,
    findings: report.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      fix: f.fix,
      location: f.location,
      target: f.target,
      migration: f.migration,
      ...(f.dependents?.length ? { dependents: f.dependents } : {}),
    })),
    summary: report.summary,
  };
  if (report.problems.length) body.problems = report.problems;
  return `${JSON.stringify(body, null, 2)}\n`;
}
