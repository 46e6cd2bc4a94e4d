import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { RULES } from '../../rules/index.js';
import { displayPath } from '../discover/files.js';
import { doctorOptions } from '../doctor/options.js';
import { loadDeployProject } from '../doctor/project.js';
import { runDoctor } from '../doctor/run.js';
import type { DeployRule } from '../doctor/types.js';
import type { Severity } from '../lint/types.js';
import { formatReport, type Format, type Report } from '../report/index.js';
import { InputError } from '../util/errors.js';
import { exitCodeFor, loadProjectConfig, problemLines, type CommandResult } from './lint-command.js';
import { VERSION } from './meta.js';

export interface DoctorFlags {
  format?: Format;
  failOn?: Severity;
  config?: string;
  verbose?: boolean;
}

/**
 * zdd doctor [path]: the deploy setup of the project at `path` (default: the working directory).
 * Loaded only by the doctor command (dynamic import), so `zdd lint` never pays for its parsers.
 */
export async function runDoctorCommand(path: string | undefined, flags: DoctorFlags, cwd: string): Promise<CommandResult> {
  const root = resolve(cwd, path ?? '.');
  if (!existsSync(root)) throw new InputError(`no such directory: ${path}`);
  if (!statSync(root).isDirectory()) throw new InputError(`zdd doctor reads a project directory, not a file: ${path} (to add single files, list them in "doctor.paths" in zdd.config.json)`);
  const config = loadProjectConfig(flags.config, cwd, path ?? '.');
  const options = doctorOptions(config, root);
  const format = flags.format ?? 'pretty';
  const failOn = flags.failOn ?? config.failOn ?? 'error';
  const stderr: string[] = [];

  const { project, problems } = await loadDeployProject(root, options);
  if (flags.verbose) {
    stderr.push(`zdd: ${project.files.length} deploy files: ${project.files.map((f) => `${f.path} (${f.kind})`).join(', ') || 'none'}`);
    for (const flow of project.flows) stderr.push(`zdd: flow ${flow.name}: ${flow.actions.length} commands`);
  }
  const rules = RULES.filter((r): r is DeployRule => r.scope === 'deploy');
  const findings = runDoctor(project, rules, config);
  // paths in the output are relative to the working directory, like zdd lint's
  const prefix = relativePrefix(cwd, root);
  for (const f of findings) f.location.file = prefix + f.location.file;
  for (const p of problems) p.file = prefix + p.file;
  if (!project.files.length && !problems.length) stderr.push(`zdd: no deploy files found in ${path ?? '.'} (zdd doctor looks for deploy.php, deploy scripts, CI workflows, nginx and php-fpm config, .env, config/, routes/ and Kubernetes manifests; add others with "doctor.paths")`);

  const report: Report = {
    command: 'doctor',
    dialect: '',
    findings,
    problems,
    summary: {
      files: project.files.length,
      migrations: 0,
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
    },
  };
  stderr.push(...problemLines(problems));
  return { stdout: formatReport(format, report, RULES, VERSION), stderr, exitCode: exitCodeFor(findings, problems, failOn) };
}

function relativePrefix(cwd: string, root: string): string {
  return resolve(root) === resolve(cwd) ? '' : `${displayPath(resolve(root), cwd)}/`;
}
