import type { Report } from './types.js';

/** SARIF 2.1.0 for code-scanning uploads. Rule metadata comes from the registry. */
export function formatSarif(report: Report, rules: ReadonlyArray<{ id: string; summary: string }>, version: string): string {
  const used = new Set(report.findings.map((f) => f.rule));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'zdd',
            version,
            informationUri: 'https://www.npmjs.com/package/zdd',
            rules: rules.filter((r) => used.has(r.id)).map((r) => ({ id: r.id, shortDescription: { text: r.summary } })),
          },
        },
        ...(report.problems.length
          ? {
              invocations: [
                {
                  executionSuccessful: false,
                  toolExecutionNotifications: report.problems.map((p) => ({
                    level: 'error',
                    message: { text: p.message },
                    locations: [{ physicalLocation: { artifactLocation: { uri: p.file }, ...(p.line ? { region: { startLine: p.line } } : {}) } }],
                  })),
                },
              ],
            }
          : {}),
        results: report.findings.map((f) => ({
          ruleId: f.rule,
          level: f.severity === 'error' ? 'error' : 'warning',
          message: { text: `${f.message}\nFix: ${f.fix}` },
          locations: [{ physicalLocation: { artifactLocation: { uri: f.location.file }, region: { startLine: f.location.line, startColumn: f.location.col } } }],
        })),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
