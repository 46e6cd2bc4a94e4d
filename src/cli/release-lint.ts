import { RULES } from '../../rules/index.js';
import { lintMigrations } from '../lint/run.js';
import type { MigrationRule } from '../lint/types.js';
import { orderMigrations } from '../readers/index.js';
import { formatReport, type Report } from '../report/index.js';
import { exitCodeFor, problemLines, type CommandResult, type LintFlags } from './lint-command.js';
import { VERSION } from './meta.js';
import { loadReleaseChange } from './release-change.js';
import type { ReleaseMode } from './release-mode.js';


/**
 * Release mode of `zdd lint` (--base, --staged, --from/--to): the migrations new in this deploy are
 * linted, every other migration of the new release is replayed for the schema, and destructive
 * changes get the lines of the old and new releases' code that still use what they change.
 */
export async function runReleaseLint(paths: string[], flags: LintFlags, cwd: string, mode: ReleaseMode): Promise<CommandResult> {
  const c = await loadReleaseChange(paths, flags, cwd, mode);
  const { config, target, migrations, changedIds, problems, stderr, verbose, dependents } = c;
  const format = flags.format ?? 'pretty';
  const failOn = flags.failOn ?? config.failOn ?? 'error';
  const rules = RULES.filter((r): r is MigrationRule => r.scope === 'migration');
  const schema = c.startSchema();
  if (verbose) for (const m of migrations) if (changedIds.has(m.id)) for (const note of m.notes ?? []) verbose(`${m.file}: ${note}`);
  const findings = lintMigrations(orderMigrations(migrations), { target, rules, config, changed: changedIds, deployed: c.deployedIds, newTableScope: 'release', dependents, ...(schema ? { schema } : {}) });
  const report: Report = {
    command: 'lint',
    dialect: target.dialect,
    findings,
    problems,
    summary: {
      files: c.changedFiles.size,
      migrations: migrations.filter((m) => changedIds.has(m.id)).length,
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
    },
  };
  stderr.push(...problemLines(problems));
  return { stdout: formatReport(format, report, RULES, VERSION), stderr, exitCode: exitCodeFor(findings, problems, failOn) };
}
