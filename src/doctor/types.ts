import type { RuleMeta, Severity } from '../lint/types.js';

/**
 * Deploy-setup rules (zdd doctor). Each inspects the project's deploy files; the doctor module
 * discovers and parses them once and hands every rule the same DeployProject.
 */
export interface DeployFile {
  /** Path relative to the project root. */
  path: string;
  text: string;
}

export interface DeployProject {
  root: string;
  files: DeployFile[];
}

export interface DeployFinding {
  file: string;
  line: number;
  col?: number;
  message: string;
  fix: string;
  severity?: Severity;
  /** What the finding is about (a service, a setting); goes into the JSON `target.table` slot's sibling. */
  subject?: string;
}

export interface DeployRule extends RuleMeta {
  scope: 'deploy';
  check(project: DeployProject): DeployFinding[];
}
