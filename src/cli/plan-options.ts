import { Option, type Command } from 'commander';
import { DIALECTS } from '../ir/types.js';
import { emit } from './main.js';

/**
 * The options of `zdd plan` and `zdd-plan` — one definition for both bins. Only this light module
 * loads with `zdd`: the planner itself is imported when the command runs, so `zdd lint` starts as
 * fast as before.
 */

export const PLAN_FORMATS = ['text', 'json', 'markdown', 'sh', 'deployer'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

export function definePlanCommand(cmd: Command): Command {
  return cmd
    .description('plan how the migrations of a change ship without downtime: expand/contract steps per release and phase, and the deploy that runs them')
    .argument('[paths...]', 'the migration files (or directories) of the change; earlier files in the same folders are replayed for the schema. With --base/--staged/--from: the migration folders (default: found in the new release)')
    .addOption(new Option('--format <format>', 'output format').choices(PLAN_FORMATS).default('text'))
    .addOption(new Option('--contract <mode>', 'where drops go: next-release — release 2, after its swap (the default; in release mode a drop neither release\'s code references goes after this swap unless next-release is given) — or post-swap: after the swap of this release').choices(['next-release', 'post-swap']))
    .option('--write', 'write the split migrations next to the originals, in the app\'s own format (never overwrites)')
    .addOption(new Option('--dialect <dialect>', 'database the migrations run on').choices(DIALECTS))
    .option('--db-version <version>', 'server version, e.g. 8.0, 8.4, 10.11, 16')
    .option('--base <ref>', 'plan the migrations added or changed since the merge-base with <ref>; old code = that commit, new code = the work tree')
    .option('--staged', 'plan the staged migrations; old code = HEAD, new code = the index')
    .option('--from <dir|ref>', 'the running release (a directory or git ref); use with --to')
    .option('--to <dir|ref>', 'the release about to be deployed; its migrations that --from lacks are planned')
    .option('--no-cache', 'release mode: do not read or write the code index cache')
    .option('--cache-dir <dir>', 'release mode: where the code index keeps its cache (default: $ZDD_CACHE_DIR, else $XDG_CACHE_HOME/zdd or ~/.cache/zdd)')
    .option('--config <file>', 'zdd.config.json to use (default: found from the first path up)')
    .option('--deploy-path <dir>', 'sh: the deploy root holding releases/, shared/ and current (plan.deployPath)')
    .option('--health-url <url>', 'sh, deployer: a URL whose response names the release that serves it (plan.health.url)')
    .option('--sql-client <command>', 'sh/deployer: the SQL client command, reading statements on stdin (plan.sqlClient)')
    .option('--fpm-reload <command>', 'sh: the graceful php-fpm reload (plan.fpm.reload)')
    .option('--verbose', 'explain what was read, on stderr')
    .exitOverride()
    .action(async (paths: string[], opts) => {
      const { runPlan } = await import('./plan-command.js');
      emit(await runPlan(paths, opts, process.cwd()));
    });
}
