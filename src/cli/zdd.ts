#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import pc from 'picocolors';
import { RULES } from '../../rules/index.js';
import { DIALECTS } from '../ir/types.js';
import { FORMATS } from '../report/index.js';
import { InputError } from '../util/errors.js';
import { runLint } from './lint-command.js';
import { emit, exitWhenFlushed, runProgram } from './main.js';
import { PACKAGE_ROOT, VERSION } from './meta.js';
import { definePlanCommand } from './plan-options.js';

export function buildProgram(): Command {
  const program = new Command('zdd')
    .description('Zero-downtime database changes for PHP apps: lint Laravel, Doctrine and SQL migrations for what breaks a symlink deploy')
    .version(VERSION, '-V, --version')
    .exitOverride();

  program
    .command('lint')
    .description('lint migration files or directories (default: database/migrations, migrations/ …)')
    .argument('[paths...]', 'migration files or directories')
    .addOption(new Option('--dialect <dialect>', 'database the migrations run on').choices(DIALECTS))
    .option('--db-version <version>', 'server version, e.g. 8.0, 8.4, 10.11, 16')
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('pretty'))
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at least this severe').choices(['error', 'warning']))
    .option('--config <file>', 'zdd.config.json to use (default: found from the working directory up)')
    .option('--verbose', 'explain what was read and skipped, on stderr')
    .option('--base <ref>', 'lint the migrations added or changed since the merge-base with <ref>; old code = that commit, new code = the work tree')
    .option('--staged', 'pre-commit: lint the staged migrations; old code = HEAD, new code = the index')
    .option('--from <dir|ref>', 'the running release (a directory or git ref); use with --to')
    .option('--to <dir|ref>', 'the release about to be deployed; its migrations that --from lacks are linted')
    .option('--no-cache', 'release mode: do not read or write the code index cache')
    .option('--cache-dir <dir>', 'release mode: where the code index keeps its cache (default: $ZDD_CACHE_DIR, else $XDG_CACHE_HOME/zdd or ~/.cache/zdd)')
    .exitOverride()
    .action(async (paths: string[], opts) => {
      emit(await runLint(paths, opts, process.cwd()));
    });

  program
    .command('doctor')
    .description('check the deploy setup (deploy scripts, Deployer, CI, nginx, php-fpm, app config, Kubernetes) for what drops requests')
    .argument('[path]', 'project directory (default: the working directory)')
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('pretty'))
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at least this severe').choices(['error', 'warning']))
    .option('--config <file>', 'zdd.config.json to use (default: found from the project directory up)')
    .option('--verbose', 'list the deploy files and flows read, on stderr')
    .exitOverride()
    .action(async (path: string | undefined, opts) => {
      // loaded here so that zdd lint never loads doctor's code and parsers
      const { runDoctorCommand } = await import('./doctor-command.js');
      emit(await runDoctorCommand(path, opts, process.cwd()));
    });

  program
    .command('rules')
    .description('list every rule with its default severity')
    .addOption(new Option('--format <format>', 'output format').choices(['pretty', 'json']).default('pretty'))
    .exitOverride()
    .action((opts: { format: string }) => {
      if (opts.format === 'json') {
        process.stdout.write(`${JSON.stringify(RULES.map((r) => ({ id: r.id, scope: r.scope, severity: r.defaultSeverity, summary: r.summary })), null, 2)}\n`);
        return;
      }
      const width = Math.max(...RULES.map((r) => r.id.length));
      for (const scope of ['migration', 'deploy'] as const) {
        const list = RULES.filter((r) => r.scope === scope);
        if (!list.length) continue;
        process.stdout.write(`${pc.bold(scope === 'migration' ? 'zdd lint rules' : 'zdd doctor rules')}\n`);
        for (const r of list) process.stdout.write(`  ${r.id.padEnd(width)}  ${(r.defaultSeverity === 'error' ? pc.red : pc.yellow)(r.defaultSeverity.padEnd(7))}  ${r.summary}\n`);
      }
    });

  program
    .command('explain')
    .description('show the documentation of a rule')
    .argument('<rule>', 'rule id, e.g. drop-column')
    .exitOverride()
    .action((id: string) => {
      const rule = RULES.find((r) => r.id === id);
      if (!rule) {
        const near = RULES.filter((r) => r.id.includes(id) || id.includes(r.id.split('-')[0]!)).map((r) => r.id);
        throw new InputError(`unknown rule "${id}"${near.length ? ` (did you mean ${near.slice(0, 3).join(', ')}?)` : ''}; \`zdd rules\` lists them`);
      }
      process.stdout.write(readFileSync(join(PACKAGE_ROOT, 'rules', `${id}.md`), 'utf8'));
    });

  definePlanCommand(program.command('plan'));

  return program;
}

await runProgram(buildProgram(), process.argv);
await exitWhenFlushed();
