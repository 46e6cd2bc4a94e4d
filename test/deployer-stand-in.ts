import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RecipeRun {
  /** Where the recipe was written (`zdd-deploy.php`), next to the stand-in. */
  dir: string;
  stdout: string;
  stderr: string;
}

/**
 * Runs a Deployer recipe zdd-plan wrote, with stand-ins for Deployer's functions (set, get, task,
 * before, after, writeln, within, run): hooks run in order, `writeln` and `run` are logged (the log
 * is printed on stdout, one entry a line), and `answers` — PHP statements given the command as `$c`
 * — say what `run()` returns (else ''). `state` adds keys to the stand-in's globals (`$GLOBALS['z']`),
 * `settings` are set after the recipe, then `tasks` are invoked; with `catchErrors`, an exception
 * ends the run with its message on stderr instead of PHP's fatal error.
 */
export function runRecipe(
  recipe: string,
  opts: { release: string; answers: string; tasks: string[]; settings?: Record<string, number>; state?: string; logWithin?: boolean; catchErrors?: boolean },
): RecipeRun {
  const dir = mkdtempSync(join(tmpdir(), 'zdd-dep-'));
  writeFileSync(join(dir, 'zdd-deploy.php'), recipe);
  const invoke = opts.tasks.map((t) => `invoke_task('${t}');`).join('\n');
  writeFileSync(
    join(dir, 'deployer.php'),
    `<?php
namespace Deployer;
$GLOBALS['z'] = ['tasks' => [], 'before' => [], 'after' => [], 'set' => ['release_name' => '${opts.release}'], 'log' => []${opts.state ? `, ${opts.state}` : ''}];
function set($k, $v) { $GLOBALS['z']['set'][$k] = $v; }
function get($k) { return $GLOBALS['z']['set'][$k]; }
function desc($d) {}
function task($n, $f) { $GLOBALS['z']['tasks'][$n] = $f; }
function before($t, $b) { $GLOBALS['z']['before'][$t][] = $b; }
function after($t, $a) { $GLOBALS['z']['after'][$t][] = $a; }
function writeln($m) { $GLOBALS['z']['log'][] = 'writeln: ' . $m; }
function within($path, $f) { ${opts.logWithin ? "$GLOBALS['z']['log'][] = 'within: ' . $path; " : ''}return $f(); }
function run($c) {
  $GLOBALS['z']['log'][] = 'run: ' . str_replace("\\n", ' / ', $c);
${opts.answers}
  return '';
}
function invoke_task($n) {
  foreach ($GLOBALS['z']['before'][$n] ?? [] as $b) invoke_task($b);
  if (isset($GLOBALS['z']['tasks'][$n])) ($GLOBALS['z']['tasks'][$n])(); else $GLOBALS['z']['log'][] = 'task: ' . $n;
  foreach ($GLOBALS['z']['after'][$n] ?? [] as $a) invoke_task($a);
}
require $argv[1];
${Object.entries(opts.settings ?? {}).map(([k, v]) => `set('${k}', ${v});`).join('\n')}
${opts.catchErrors ? `try {\n${invoke}\n} catch (\\Throwable $e) {\n  fwrite(STDERR, $e->getMessage());\n}` : invoke}
echo implode("\\n", $GLOBALS['z']['log']), "\\n";
`,
  );
  const r = spawnSync('php', [join(dir, 'deployer.php'), join(dir, 'zdd-deploy.php')], { encoding: 'utf8' });
  return { dir, stdout: r.stdout, stderr: r.stderr };
}
