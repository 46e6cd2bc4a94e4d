import { lockTimeoutSql } from '../lint/rule-kit.js';
import type { Plan, PlanMigration, PlanStep } from '../plan/types.js';
import { phpString } from '../util/text.js';
import { deployUnits, releasePath, type EmitContext } from './context.js';
import { BATCH_FROM, BATCH_TO, frameworkRunTitle, RECORD_TITLE, recordSql, stepLabel, stepWhat, wrapComment, writeUnit, type UnitWriter } from './steps.js';

/**
 * `--format deployer`: a Deployer (PHP) recipe that runs release 1 of the plan inside a Deployer
 * deploy. Deployer's Laravel and Symfony recipes migrate before `deploy:symlink` with the framework's
 * own command, which would run the unsafe originals: the recipe replaces those tasks, runs the
 * pre-swap steps before `deploy:symlink`, and after it reloads php-fpm, restarts the queue workers,
 * waits for the drain, checks that the new release answers (the health check the sh format has) and
 * only then runs the post-swap steps.
 */

const phpComment = (text: string): string[] => wrapComment('//', text);

/** A PHP nowdoc: its body is taken literally (no interpolation, no escapes); the closing tag starts its line. */
function nowdoc(body: string, _indent: string): string {
  let tag = 'ZDD_SQL';
  for (let i = 1; body.split('\n').some((l) => l.trim().startsWith(tag)); i++) tag = `ZDD_SQL_${i}`;
  return `<<<'${tag}'\n${body}\n${tag}`;
}

/** Each deploy unit as the code of a task's closure. */
function deployerUnits(plan: Plan, ctx: EmitContext): UnitWriter<string[]> {
  const d = plan.dialect;
  const s = ctx.settings;
  const ind = '    ';
  return {
    record(m) {
      const head = [`${ind}// ${RECORD_TITLE(m)}`];
      if (m.format === 'doctrine') return [...head, `${ind}zdd_run(${phpString(`record ${m.id}`)}, '{{bin/php}} ' . ${phpString(s.console)} . ' doctrine:migrations:version ' . escapeshellarg(${phpString(m.version ?? m.id)}) . ' --add --no-interaction');`];
      const sql = recordSql(m, d, s, releasePath(m.file, ctx));
      if (!sql) return [...head, `${ind}writeln(${phpString(`zdd: ${m.id} is not recorded (set "plan.sqlRecord" for your SQL migration runner)`)});`];
      return [...head, `${ind}zdd_sql(${phpString(`record ${m.id}`)}, ${nowdoc(`${sql};`, ind)});`];
    },
    framework: (m, steps) => framework(m, steps, plan, ctx),
    sql(st, run) {
      const out = [...phpComment(`${st.phase} · ${st.kind} · ${stepLabel(st)} — ${st.why}`).map((l) => ind + l)];
      const what = phpString(stepWhat(st));
      if (run.kind === 'batched') out.push(`${ind}zdd_batched(${what}, ${phpString(run.table)}, ${phpString(run.key)}, ${run.size}, ${nowdoc(run.body, ind)});`);
      else if (run.kind === 'verify') out.push(`${ind}zdd_verify(${what}, ${phpString(run.expected)}, ${nowdoc(run.select, ind)});`);
      else out.push(`${ind}zdd_sql(${what}, ${nowdoc(run.body, ind)}${run.retry ? '' : ', false'});`);
      return out;
    },
  };
}

function framework(m: PlanMigration, steps: PlanStep[], plan: Plan, ctx: EmitContext): string[] {
  const ind = '    ';
  const s = ctx.settings;
  const file = releasePath(m.file, ctx);
  const inject = m.lockTimeout === 'injected' && plan.dialect === 'postgres' && m.format !== 'sql';
  const retry = m.lockTimeout === 'injected' && m.transactional;
  const env = inject ? `'PGOPTIONS=' . escapeshellarg('-c lock_timeout=' . get('zdd_lock_timeout') . 's') . ' ' . ` : '';
  const out = phpComment(frameworkRunTitle(m, steps)).map((l) => ind + l);
  const what = phpString(`migrate ${m.id}`);
  let cmd: string;
  if (m.format === 'laravel') cmd = `${env}'{{bin/php}} artisan migrate --path=' . escapeshellarg(${phpString(file)}) . ' --force'`;
  else if (m.format === 'doctrine') cmd = `${env}'{{bin/php}} ' . ${phpString(s.console)} . ' doctrine:migrations:execute ' . escapeshellarg(${phpString(m.version ?? m.id)}) . ' --up --no-interaction'`;
  else if (s.sqlMigrate) cmd = phpString(s.sqlMigrate.replaceAll('{file}', `'${file.replace(/'/g, `'\\''`)}'`));
  else {
    const timeoutSql = `${lockTimeoutSql(plan.dialect, s.lockTimeout)};`;
    const cat = `'cat ' . escapeshellarg(${phpString(file)})`;
    cmd = m.lockTimeout === 'injected' ? `'{ printf \\'%s\\n\\' ' . escapeshellarg(${phpString(timeoutSql)}) . '; ' . ${cat} . '; } | ' . get('zdd_sql')` : `${cat} . ' | ' . get('zdd_sql')`;
  }
  out.push(`${ind}zdd_run(${what}, ${cmd}, ${retry ? 'true' : 'false'});`);
  return out;
}

export function formatDeployer(plan: Plan, ctx: EmitContext): string {
  const s = ctx.settings;
  const units = deployUnits(plan);
  const pre = units.filter((u) => u.phase === 'pre-swap');
  const post = units.filter((u) => u.phase === 'post-swap');
  const release1 = plan.releases.find((r) => r.release === 1)!;
  const out: string[] = ['<?php', ''];
  out.push(`// Deployer recipe for release 1 of ${plan.releases.length}, written by zdd-plan ${ctx.zddVersion} (${plan.dialect}).`);
  out.push('// In deploy.php, after the framework recipe: require __DIR__ . \'/zdd-deploy.php\';');
  out.push(...phpComment(`Migrations: ${plan.migrations.map((m) => `${m.id} (${m.handling})`).join(', ') || 'none'}.`));
  if (release1.checks.length) {
    out.push('//', '// Before deploying, the code of this release must meet:');
    for (const c of release1.checks) out.push(...phpComment(`- ${c.condition} [${c.status}]`));
  }
  for (const r of plan.releases.filter((x) => x.release > 1)) {
    out.push('//', `// Not run here — release ${r.release}, once release ${r.release - 1} is live everywhere:`);
    for (const st of r.steps) out.push(...phpComment(`- ${st.phase}: ${stepLabel(st)} (${st.migration})`));
  }
  out.push('', 'namespace Deployer;', '');
  out.push(`set('zdd_sql', ${phpString(s.sqlClient)}); // reads statements on stdin; prints a one-value SELECT bare`);
  out.push(`set('zdd_lock_timeout', ${s.lockTimeout});`);
  out.push(`set('zdd_lock_retries', ${s.lockRetries});`);
  out.push(`set('zdd_batch_pause', ${s.batchPause});`);
  out.push(`set('zdd_fpm_reload', ${phpString(s.fpm.reload)});`);
  out.push(`set('zdd_fpm_log', ${phpString(s.fpm.log ?? '')});`);
  out.push(`set('zdd_fpm_ready_timeout', ${s.fpm.readyTimeout});`);
  out.push(`set('zdd_drain', ${s.drain});`);
  out.push(`set('zdd_workers_restart', ${phpString(s.workers.restart ?? '')});`);
  out.push(`set('zdd_worker_grace', ${s.workers.restart ? s.workers.grace : 0});`);
  if (!s.health.command) out.push(`set('zdd_health_url', ${phpString(s.health.url!)}); // its answer (body or headers) shows what zdd:pre-swap writes to the release file`);
  out.push(`set('zdd_health_retries', ${s.health.retries});`);
  out.push(`set('zdd_health_interval', ${s.health.interval});`);
  out.push(`set('zdd_release_file', ${phpString(s.releaseFile)});`);
  out.push('');
  out.push(...HELPERS);
  out.push('');
  out.push("desc('zdd: the planned steps before the swap');");
  const writer = deployerUnits(plan, ctx);
  out.push("task('zdd:pre-swap', function () {");
  out.push('    // what the health check must see: an id of this deploy of the release, in the release root');
  out.push("    run('echo ' . escapeshellarg(get('release_name') . '-' . gmdate('YmdHis')) . ' > {{release_path}}/' . escapeshellarg(get('zdd_release_file')));");
  for (const u of pre) out.push(...writeUnit(u, plan.dialect, writer));
  out.push('});', '');
  out.push("desc('zdd: reload php-fpm, restart the queue workers, wait until no old worker is left');");
  out.push("task('zdd:drain', function () {");
  out.push("    $before = zdd_fpm_ready_count();");
  out.push("    writeln('zdd: php-fpm: graceful reload');");
  out.push("    run(get('zdd_fpm_reload'));");
  out.push("    if (get('zdd_workers_restart') !== '') {");
  out.push("        writeln('zdd: queue workers: restart');");
  out.push("        within('{{release_path}}', function () {");
  out.push("            run(get('zdd_workers_restart'));");
  out.push('        });');
  out.push('    }');
  out.push("    if (get('zdd_fpm_log') !== '') {");
  out.push("        for ($waited = 0; zdd_fpm_ready_count() <= $before; $waited++) {");
  out.push("            if ($waited >= (int) get('zdd_fpm_ready_timeout')) {");
  out.push("                throw new \\RuntimeException('zdd: php-fpm did not log a completed reload: the post-swap steps did not run');");
  out.push('            }');
  out.push('            sleep(1);');
  out.push('        }');
  out.push('    } else {');
  out.push("        sleep((int) get('zdd_drain'));");
  out.push('    }');
  out.push("    sleep((int) get('zdd_worker_grace'));");
  out.push('});', '');
  out.push(...healthTask(ctx), '');
  out.push("desc('zdd: the planned steps after the swap, once old workers are gone');");
  out.push("task('zdd:post-swap', function () {");
  for (const u of post) out.push(...writeUnit(u, plan.dialect, writer));
  out.push('});', '');
  out.push('// zdd runs the migrations: the recipes\' own migrate tasks would run the unsafe originals.');
  out.push("task('artisan:migrate', function () {");
  out.push("    writeln('zdd: migrations run in zdd:pre-swap and zdd:post-swap');");
  out.push('});');
  out.push("task('database:migrate', function () {");
  out.push("    writeln('zdd: migrations run in zdd:pre-swap and zdd:post-swap');");
  out.push('});', '');
  out.push("before('deploy:symlink', 'zdd:pre-swap');");
  out.push("after('deploy:symlink', 'zdd:drain');");
  out.push("after('zdd:drain', 'zdd:health');");
  out.push("after('zdd:health', 'zdd:post-swap');");
  return `${out.join('\n')}\n`;
}

/**
 * `zdd:health`, after the php-fpm reload and the drain: the new release answers — the URL's answer shows the id the
 * pre-swap task wrote to the release file (or the health command succeeds), with the retries of the
 * sh format. Else the deploy fails (Deployer runs deploy:failed) and the post-swap steps never run.
 * The check is a `run('curl --fail …')` in the task, which zdd doctor recognises.
 */
function healthTask(ctx: EmitContext): string[] {
  const h = ctx.settings.health;
  const probe = h.command
    ? [
        "            within('{{release_path}}', function () use ($release) {",
        `                run('export ZDD_RELEASE=' . escapeshellarg($release) . ' ZDD_RELEASE_PATH={{release_path}}; ' . ${phpString(h.command)});`,
        '            });',
        '            $ok = true;',
      ]
    : ["            $ok = strpos(run('curl -fsS --max-time 10 -D - \\'{{zdd_health_url}}\\''), $release) !== false;"];
  const where = h.command ? 'the health command' : "' . get('zdd_health_url') . '";
  return [
    `desc('zdd: the new release answers (${h.command ? 'the health command' : 'the health URL shows its release id'}), else the deploy fails before the post-swap steps');`,
    "task('zdd:health', function () {",
    "    $release = trim(run('cat {{release_path}}/' . escapeshellarg(get('zdd_release_file'))));",
    "    if ($release === '') {",
    "        throw new \\RuntimeException('zdd: health: the release file of the new release is empty');",
    '    }',
    "    $retries = (int) get('zdd_health_retries');",
    '    for ($i = 1; ; $i++) {',
    '        try {',
    ...probe,
    '        } catch (\\Throwable $e) {',
    '            $ok = false;',
    '        }',
    '        if ($ok) {',
    "            writeln('zdd: health: release ' . $release . ' answers');",
    '            return;',
    '        }',
    '        if ($i >= $retries) {',
    `            throw new \\RuntimeException('zdd: health: release ' . $release . ' never answered (${where}): the post-swap steps did not run');`,
    '        }',
    "        writeln('zdd: health: not release ' . $release . ' yet (' . $i . ' of ' . $retries . ')');",
    "        sleep((int) get('zdd_health_interval'));",
    '    }',
    '});',
  ];
}

const HELPERS = [
  '/** Runs a command in the new release; with $retry, a lock timeout is retried. */',
  'function zdd_run(string $what, string $command, bool $retry = false): string',
  '{',
  "    writeln('zdd: ' . $what);",
  "    for ($attempt = 1; ; $attempt++) {",
  '        try {',
  "            return within('{{release_path}}', function () use ($command) {",
  '                return run($command);',
  '            });',
  '        } catch (\\Throwable $e) {',
  "            if (!$retry || $attempt >= (int) get('zdd_lock_retries') || !preg_match('/lock timeout|lock wait timeout/i', $e->getMessage())) {",
  '                throw $e;',
  '            }',
  "            writeln('zdd: ' . $what . ': lock timeout, retrying');",
  '            sleep($attempt + 1);',
  '        }',
  '    }',
  '}',
  '',
  '/** Runs SQL statements through the SQL client; with $retry (a step that sets a lock timeout), a lock timeout is retried. */',
  'function zdd_sql(string $what, string $sql, bool $retry = true): string',
  '{',
  "    return zdd_run($what, get('zdd_sql') . \" <<'ZDD_SQL'\\n\" . $sql . \"\\nZDD_SQL\", $retry);",
  '}',
  '',
  'function zdd_value(string $select): string',
  '{',
  "    return trim(run(get('zdd_sql') . \" <<'ZDD_SQL'\\n\" . $select . \";\\nZDD_SQL\"));",
  '}',
  '',
  '/** The statements once per key range [from, to) of the table. */',
  'function zdd_batched(string $what, string $table, string $key, int $size, string $template): void',
  '{',
  "    $lo = zdd_value(\"SELECT COALESCE(MIN($key), 0) FROM $table\");",
  "    $hi = zdd_value(\"SELECT COALESCE(MAX($key), -1) FROM $table\");",
  "    if (!preg_match('/^-?\\d+$/', $lo) || !preg_match('/^-?\\d+$/', $hi)) {",
  "        throw new \\RuntimeException(\"zdd: $what: $key of $table is not an integer key\");",
  '    }',
  '    for ($from = (int) $lo; $from <= (int) $hi; $from += $size) {',
  `        zdd_sql("$what [$from, " . ($from + $size) . ')', str_replace(['${BATCH_FROM}', '${BATCH_TO}'], [(string) $from, (string) ($from + $size)], $template));`,
  "        usleep((int) (1000000 * (float) get('zdd_batch_pause')));",
  '    }',
  '}',
  '',
  '/** Stops the deploy unless the query returns the expected value. */',
  'function zdd_verify(string $what, string $expected, string $select): void',
  '{',
  '    $got = zdd_value($select);',
  '    if ($got !== $expected) {',
  "        throw new \\RuntimeException(\"zdd: $what: expected $expected, got $got\");",
  '    }',
  '}',
  '',
  'function zdd_fpm_ready_count(): int',
  '{',
  "    if (get('zdd_fpm_log') === '') {",
  '        return 0;',
  '    }',
  "    return (int) trim(run('grep -c ' . escapeshellarg('ready to handle connections') . ' ' . escapeshellarg(get('zdd_fpm_log')) . ' || true'));",
  '}',
];
