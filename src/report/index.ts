import { formatGithub } from './github.js';
import { formatJson } from './json.js';
import { formatMarkdown } from './markdown.js';
import { formatPretty } from './pretty.js';
import { formatSarif } from './sarif.js';
import type { Format, Report } from './types.js';

export { FORMATS, type Format, type Report, type Summary } from './types.js';

export function formatReport(format: Format, report: Report, rules: ReadonlyArray<{ id: string; summary: string }>, version: string): string {
  switch (format) {
    case 'json':
      return formatJson(report);
    case 'github':
      return formatGithub(report);
    case 'sarif':
      return formatSarif(report, rules, version);
    case 'markdown':
      return formatMarkdown(report);
    default:
      return formatPretty(report);
  }
}
