import type { Dialect } from '../ir/types.js';
import { lockTimeoutSql } from '../lint/rule-kit.js';
import type { Plan, PlanMigration, PlanStep } from '../plan/types.js';
import { deployUnits, releasePath, sq, type EmitContext } from './context.js';
import { BATCH_FROM, BATCH_TO, frameworkRunTitle, RECORD_TITLE, recordSql, stepLabel, stepWhat, wrapComment, writeUnit, type SqlRun, type UnitWriter } from './steps.js';

/**
 * `--format sh`: a complete bash deploy script for release 1 of the plan — new release directory,
 * code, shared files, build, the pre-swap steps, cache warm-up, an atomic `current` swap, a graceful
 * php-fpm reload, queue workers restarted, a health check that proves the new release answers (swap
 * back if it does not), the drain of old workers, the post-swap steps, and pruning old releases.
 * Measured in ../shared/notes/deploy-e2e.md: this order gave 0 failed requests under load.
 */

const comment = (text: string): string[] => wrapComment('#', text);

/** A quoted heredoc delimiter that none of the statements contain. */
function delimiter(body: string): string {
  let d = 'ZDD_SQL';
  for (let i = 1; body.split('\n').includes(d); i++) d = `ZDD_SQL_${i}`;
  return d;
}

function heredoc(call: string, body: string): string[] {
  const d = delimiter(body);
  return [`${call} <<'${d}'`, ...body.split('\n'), d];
}

export function formatSh(plan: Plan, ctx: EmitContext): string {
  const s = ctx.settings;
  const d = plan.dialect;
  const units = deployUnits(plan);
  const followUps = plan.releases.filter((r) => r.release > 1);
  const release1 = plan.releases.find((r) => r.release === 1)!;
  const pre = units.filter((u) => u.phase === 'pre-swap');
  const post = units.filter((u) => u.phase === 'post-swap');
  const out: string[] = [];
  const push = (...l: string[]) => out.push(...l);

  push('#!/usr/bin/env bash');
  push(`# Deploy script for release 1 of ${plan.releases.length}, written by zdd-plan ${ctx.zddVersion} (${d}).`);
  push(...comment(`Migrations: ${plan.migrations.map((m) => `${m.id} (${m.handling})`).join(', ') || 'none'}.`));
  if (release1.requires.length) {
    push('#', '# Before running it, the code of this release must meet:');
    release1.checks.forEach((c) => push(...comment(`- ${c.condition} [${c.status}]`)));
  }
  if (followUps.length) {
    push('#', '# Not run by this script — the follow-up releases (plan them again once release 1 is live everywhere):');
    for (const r of followUps) for (const st of r.steps) push(...comment(`release ${r.release} ${st.phase}: ${stepLabel(st)} (${st.migration})`));
  }
  push('#', '# Settings come from zdd.config.json "plan"; the ZDD_* variables below override them at run time.');
  push('set -euo pipefail', '');

  push('DEPLOY_PATH=${ZDD_DEPLOY_PATH:-' + sq(s.deployPath ?? '') + '}');
  push('SOURCE=${ZDD_SOURCE:-' + sq(s.source ?? ctx.root) + '}');
  push('RELEASE=${ZDD_RELEASE:-$(date -u +%Y%m%d%H%M%S)}');
  push('RELEASES="$DEPLOY_PATH/releases"', 'RELEASE_PATH="$RELEASES/$RELEASE"', 'CURRENT="$DEPLOY_PATH/current"', 'SHARED="$DEPLOY_PATH/shared"');
  push(`LOCK_TIMEOUT=${s.lockTimeout}`, `LOCK_RETRIES=${s.lockRetries}`, `BATCH_PAUSE=${s.batchPause}`);
  push(`HEALTH_RETRIES=${s.health.retries}`, `HEALTH_INTERVAL=${s.health.interval}`);
  push('FPM_LOG=${ZDD_FPM_LOG:-' + sq(s.fpm.log ?? '') + '}', `FPM_READY_TIMEOUT=${s.fpm.readyTimeout}`, `DRAIN_SECONDS=${s.drain}`, `WORKER_GRACE=${s.workers.restart ? s.workers.grace : 0}`);
  push(`KEEP_RELEASES=${s.keepReleases}`, `RELEASE_FILE=${sq(s.releaseFile)}`);
  push('export ZDD_RELEASE="$RELEASE" ZDD_RELEASE_PATH="$RELEASE_PATH"', '');

  push('# ---- commands (shell code from zdd.config.json "plan") ----');
  push('# zdd_sql reads statements on stdin and prints the value of a one-value SELECT bare.');
  push('zdd_sql() {', `  ${s.sqlClient}`, '}');
  push('zdd_php() {', `  ${s.php} "$@"`, '}');
  push('zdd_reload_fpm() {', `  ${s.fpm.reload}`, '}');
  push(...healthFunction(ctx), '');

  push(...RUNTIME(d));

  // ---- prepare the release ----
  push('# ---- the new release ----');
  push('mkdir -p -- "$RELEASES" "$SHARED"');
  push('if ! mkdir -- "$DEPLOY_PATH/.zdd-deploy.lock" 2>/dev/null; then', '  zdd_log "another deploy holds $DEPLOY_PATH/.zdd-deploy.lock (remove it if no deploy is running)"', '  exit 1', 'fi', 'LOCKED=1');
  push('PREVIOUS=$(readlink -- "$CURRENT" 2>/dev/null || true)');
  push('mkdir -- "$RELEASE_PATH"');
  push('zdd_log "release $RELEASE: $RELEASE_PATH"');
  if (s.fetch) push('(cd "$RELEASE_PATH" && ' + s.fetch + ')');
  else push('cp -a -- "$SOURCE/." "$RELEASE_PATH/"');
  push('printf \'%s\\n\' "$RELEASE" > "$RELEASE_PATH/$RELEASE_FILE"');
  for (const f of s.shared.dirs) push(`zdd_share_dir ${sq(f)}`);
  for (const f of s.shared.files) push(`zdd_share_file ${sq(f)}`);
  if (s.build) push('zdd_log "build"', `(cd "$RELEASE_PATH" && ${s.build})`);
  push('');

  const writer = shUnits(plan, ctx);
  push('# ---- before the swap: safe while the running release serves ----', 'STAGE=pre-swap');
  for (const u of pre) push(...writeUnit(u, d, writer));
  push('');
  if (s.warmup.length) {
    push('zdd_log "cache warm-up"');
    for (const w of s.warmup) push(`(cd "$RELEASE_PATH" && ${w})`);
    push('');
  }

  push('# ---- the swap: atomic (rename(2) of a new symlink over current), never ln -sfn ----');
  push('READY_BEFORE=$(zdd_fpm_ready_count)');
  push('STAGE=swapped', 'zdd_swap "releases/$RELEASE"', 'zdd_log "current -> releases/$RELEASE"');
  push('zdd_log "php-fpm: graceful reload"', 'zdd_reload_fpm');
  if (s.workers.restart) push('zdd_log "queue workers: restart"', `(cd "$RELEASE_PATH" && ${s.workers.restart})`);
  push('zdd_wait_healthy', 'STAGE=live', '');

  push('# ---- the drain: no old php-fpm or queue worker is left running the old code ----', 'zdd_drain', '');
  push('# ---- after the swap: contract steps ----', 'STAGE=post-swap');
  for (const u of post) push(...writeUnit(u, d, writer));
  push('');
  push('STAGE=finished', 'zdd_prune', 'zdd_log "release $RELEASE deployed"');
  return `${confirmLiteralQuotes(out).join('\n')}\n`;
}

/** Each deploy unit as script lines. */
function shUnits(plan: Plan, ctx: EmitContext): UnitWriter<string[]> {
  return {
    record: (m) => record(m, plan, ctx),
    framework: (m, steps) => frameworkRun(m, steps, ctx),
    sql: (st, run) => sqlStep(st, run),
  };
}

/** The functions every script shares. */
function RUNTIME(d: Dialect): string[] {
  const timeoutSql = `${lockTimeoutSql(d, '${LOCK_TIMEOUT}')};`;
  return [
    '# ---- runtime ----',
    'STAGE=prepare',
    'LOCKED=0',
    'PREVIOUS=""',
    'zdd_log() { printf \'zdd: %s\\n\' "$*" >&2; }',
    '',
    'zdd_on_exit() {',
    '  local code=$?',
    '  if [ "$LOCKED" = 1 ]; then rmdir -- "$DEPLOY_PATH/.zdd-deploy.lock" 2>/dev/null || true; fi',
    '  if [ "$code" -eq 0 ]; then return 0; fi',
    '  case $STAGE in',
    '    prepare | pre-swap) zdd_log "failed before the swap: the running release is untouched (the pre-swap steps that ran are compatible with it); $RELEASE_PATH is left for inspection" ;;',
    '    swapped)',
    '      if [ -n "$PREVIOUS" ]; then',
    '        zdd_log "failed after the swap, before the new release proved healthy: swapping back to $PREVIOUS"',
    '        if zdd_swap "$PREVIOUS" && zdd_reload_fpm; then',
    '          zdd_log "swapped back: current -> $PREVIOUS"',
    '        else',
    '          zdd_log "swap back failed: check $CURRENT by hand"',
    '        fi',
    '      else',
    '        zdd_log "failed after the swap, and there is no previous release to swap back to"',
    '      fi ;;',
    '    live) zdd_log "release $RELEASE is live, but the drain could not be confirmed: the post-swap steps did not run" ;;',
    '    post-swap) zdd_log "release $RELEASE is live; a post-swap step failed: finish the remaining post-swap steps by hand (zdd-plan lists them)" ;;',
    '    *) zdd_log "failed ($STAGE)" ;;',
    '  esac',
    '  exit "$code"',
    '}',
    'trap zdd_on_exit EXIT',
    '',
    '# Atomic swap: a new symlink, renamed over current (mv -T is rename(2)); current always resolves.',
    'zdd_swap() {',
    '  rm -f -- "$CURRENT.zdd-next"',
    '  ln -s -- "$1" "$CURRENT.zdd-next"',
    '  mv -T -- "$CURRENT.zdd-next" "$CURRENT"',
    '}',
    '',
    'zdd_share_dir() {',
    '  if [ ! -d "$SHARED/$1" ]; then',
    '    mkdir -p -- "$SHARED/$1"',
    '    if [ -d "$RELEASE_PATH/$1" ]; then cp -a -- "$RELEASE_PATH/$1/." "$SHARED/$1/"; fi',
    '  fi',
    '  rm -rf -- "${RELEASE_PATH:?}/$1"',
    '  mkdir -p -- "$(dirname -- "$RELEASE_PATH/$1")"',
    '  ln -s -- "$SHARED/$1" "$RELEASE_PATH/$1"',
    '}',
    '',
    'zdd_share_file() {',
    '  if [ ! -f "$SHARED/$1" ]; then',
    '    mkdir -p -- "$(dirname -- "$SHARED/$1")"',
    '    if [ -f "$RELEASE_PATH/$1" ]; then cp -a -- "$RELEASE_PATH/$1" "$SHARED/$1"; else : > "$SHARED/$1"; fi',
    '  fi',
    '  rm -f -- "$RELEASE_PATH/$1"',
    '  mkdir -p -- "$(dirname -- "$RELEASE_PATH/$1")"',
    '  ln -s -- "$SHARED/$1" "$RELEASE_PATH/$1"',
    '}',
    '',
    '# zdd_retrying WHAT RETRY COMMAND…: runs COMMAND; with RETRY=1 a lock timeout is retried.',
    'zdd_retrying() {',
    '  local what=$1 retry=$2 out attempt=1',
    '  shift 2',
    '  zdd_log "$what"',
    '  while :; do',
    '    if out=$("$@" 2>&1); then',
    '      if [ -n "$out" ]; then printf \'%s\\n\' "$out"; fi',
    '      return 0',
    '    fi',
    '    if [ "$retry" = 1 ] && [ "$attempt" -lt "$LOCK_RETRIES" ] && printf \'%s\' "$out" | grep -qiE \'lock timeout|lock wait timeout\'; then',
    '      zdd_log "$what: lock timeout (another session holds the table), retry $attempt of $((LOCK_RETRIES - 1))"',
    '      attempt=$((attempt + 1))',
    '      sleep "$attempt"',
    '      continue',
    '    fi',
    '    printf \'%s\\n\' "$out" >&2',
    '    zdd_log "$what: failed"',
    '    return 1',
    '  done',
    '}',
    '',
    '# zdd_sql_text SQL: the statements through the SQL client.',
    'zdd_sql_text() {',
    '  printf \'%s\\n\' "$1" | zdd_sql',
    '}',
    '',
    '# zdd_run_sql WHAT RETRY: runs the statements on stdin; with RETRY=1 a lock timeout is retried.',
    'zdd_run_sql() {',
    '  local input',
    '  input=$(cat)',
    '  zdd_retrying "$1" "$2" zdd_sql_text "$input"',
    '}',
    '',
    '# zdd_sql_value SELECT: the single value it returns.',
    'zdd_sql_value() {',
    '  local out',
    '  out=$(printf \'%s;\\n\' "$1" | zdd_sql) || return 1',
    '  printf \'%s\' "$out" | tr -d \'[:space:]\'',
    '}',
    '',
    '# zdd_batched WHAT TABLE KEY SIZE: the statements on stdin, once per key range [from, to) of TABLE.',
    'zdd_batched() {',
    '  local what=$1 table=$2 key=$3 size=$4 template lo hi from to sql batches=0',
    '  template=$(cat)',
    '  lo=$(zdd_sql_value "SELECT COALESCE(MIN($key), 0) FROM $table")',
    '  hi=$(zdd_sql_value "SELECT COALESCE(MAX($key), -1) FROM $table")',
    '  if ! [[ $lo =~ ^-?[0-9]+$ && $hi =~ ^-?[0-9]+$ ]]; then',
    '    zdd_log "$what: $key of $table is not an integer key (min: $lo, max: $hi)"',
    '    return 1',
    '  fi',
    '  zdd_log "$what: $key $lo..$hi in batches of $size"',
    '  for ((from = lo; from <= hi; from += size)); do',
    '    to=$((from + size))',
    `    sql=\${template//${BATCH_FROM}/$from}`,
    `    sql=\${sql//${BATCH_TO}/$to}`,
    '    printf \'%s\\n\' "$sql" | zdd_run_sql "$what [$from, $to)" 1 > /dev/null',
    '    batches=$((batches + 1))',
    '    sleep "$BATCH_PAUSE"',
    '  done',
    '  zdd_log "$what: $batches batches"',
    '}',
    '',
    '# zdd_verify WHAT EXPECTED SELECT: stops the deploy unless the query returns EXPECTED.',
    'zdd_verify() {',
    '  local got',
    '  got=$(zdd_sql_value "$3")',
    '  if [ "$got" != "$2" ]; then',
    '    zdd_log "$1: expected $2, got $got"',
    '    return 1',
    '  fi',
    '  zdd_log "$1: ok"',
    '}',
    '',
    '# zdd_in_release INJECT COMMAND…: runs a migration command in the new release. INJECT=1 gives its',
    '# database connection the lock timeout (libpq reads PGOPTIONS). Called in a subshell ($(…)).',
    'zdd_in_release() {',
    '  local inject=$1',
    '  shift',
    '  cd "$RELEASE_PATH" || return 1',
    '  if [ "$inject" = 1 ]; then export PGOPTIONS="${PGOPTIONS:-} -c lock_timeout=${LOCK_TIMEOUT}s"; fi',
    '  "$@"',
    '}',
    '',
    '# zdd_framework WHAT INJECT RETRY COMMAND…: a migration command in the new release; RETRY=1 retries',
    '# a lock timeout (only for migrations that run in one transaction).',
    'zdd_framework() {',
    '  local what=$1 inject=$2 retry=$3',
    '  shift 3',
    '  zdd_retrying "$what" "$retry" zdd_in_release "$inject" "$@"',
    '}',
    '',
    '# zdd_sql_file FILE INJECT: an SQL migration of the release through zdd_sql, the lock timeout first.',
    'zdd_sql_file() {',
    `  { if [ "$2" = 1 ]; then printf '%s\\n' "${timeoutSql}"; fi; cat -- "$1"; } | zdd_sql`,
    '}',
    '',
    'zdd_fpm_ready_count() {',
    '  if [ -n "$FPM_LOG" ] && [ -f "$FPM_LOG" ]; then',
    '    grep -c \'ready to handle connections\' -- "$FPM_LOG" || true',
    '  else',
    '    echo 0',
    '  fi',
    '}',
    '',
    '# The new release answers: the health check sees its release name.',
    'zdd_wait_healthy() {',
    '  local i',
    '  for ((i = 1; i <= HEALTH_RETRIES; i++)); do',
    '    if zdd_health; then',
    '      zdd_log "health: release $RELEASE answers"',
    '      return 0',
    '    fi',
    '    zdd_log "health: not release $RELEASE yet ($i of $HEALTH_RETRIES)"',
    '    sleep "$HEALTH_INTERVAL"',
    '  done',
    '  zdd_log "health: release $RELEASE never answered"',
    '  return 1',
    '}',
    '',
    '# Old php-fpm workers finish their requests before the reload completes (php-fpm logs "ready to',
    '# handle connections" again); queue workers finish their job before they restart.',
    'zdd_drain() {',
    '  local waited=0',
    '  if [ -n "$FPM_LOG" ]; then',
    '    until [ "$(zdd_fpm_ready_count)" -gt "$READY_BEFORE" ]; do',
    '      if [ "$waited" -ge "$FPM_READY_TIMEOUT" ]; then',
    '        zdd_log "php-fpm did not log a completed reload in $FPM_LOG within ${FPM_READY_TIMEOUT}s"',
    '        return 1',
    '      fi',
    '      sleep 1',
    '      waited=$((waited + 1))',
    '    done',
    '    zdd_log "php-fpm: reload complete, old workers gone"',
    '  else',
    '    zdd_log "drain: waiting ${DRAIN_SECONDS}s for old php-fpm workers"',
    '    sleep "$DRAIN_SECONDS"',
    '  fi',
    '  if [ "$WORKER_GRACE" -gt 0 ]; then',
    '    zdd_log "drain: waiting ${WORKER_GRACE}s for queue workers to finish their jobs"',
    '    sleep "$WORKER_GRACE"',
    '  fi',
    '}',
    '',
    '# Keeps the newest KEEP_RELEASES releases, and never the current or the previous one.',
    'zdd_prune() {',
    '  local dirs=() dir target keep_from i',
    '  target=$(readlink -- "$CURRENT" 2>/dev/null || true)',
    '  shopt -s nullglob',
    '  dirs=("$RELEASES"/*/)',
    '  shopt -u nullglob',
    '  keep_from=$((${#dirs[@]} - KEEP_RELEASES))',
    '  for ((i = 0; i < keep_from; i++)); do',
    '    dir=${dirs[i]%/}',
    '    # by name: current may be a relative link (releases/<name>) or an absolute one (an older deploy tool)',
    '    case "${dir##*/}" in',
    '      "${target##*/}" | "${PREVIOUS##*/}") continue ;;',
    '    esac',
    '    zdd_log "prune: ${dir##*/}"',
    '    rm -rf -- "$dir"',
    '  done',
    '}',
    '',
  ];
}

function healthFunction(ctx: EmitContext): string[] {
  const h = ctx.settings.health;
  if (h.command) return ['zdd_health() {', `  (cd "$RELEASE_PATH" && ${h.command})`, '}'];
  return ['zdd_health() {', '  local out', `  out=$(curl -fsS --max-time 10 -D - ${sq(h.url!)} 2>/dev/null) || return 1`, '  printf \'%s\' "$out" | grep -qF -- "$RELEASE"', '}'];
}

function stepHeader(st: PlanStep): string[] {
  return ['', ...comment(`${st.phase} · ${st.kind} · ${stepLabel(st)} — ${st.migration}`), ...comment(st.why).map((l) => `#  ${l.slice(2)}`)];
}

/**
 * A setting with a `$` or a backquote (a health URL, a path) or SQL (MySQL's backquotes) is
 * single-quoted, so it is literal — which shellcheck asks to confirm (SC2016) on the line before.
 */
function confirmLiteralQuotes(lines: string[]): string[] {
  const out: string[] = [];
  let heredoc: string | undefined;
  for (const line of lines) {
    // a heredoc body is data (SQL for the client), never shell: nothing goes into it
    if (heredoc !== undefined) {
      out.push(line);
      if (line === heredoc) heredoc = undefined;
      continue;
    }
    const prev = out[out.length - 1] ?? '';
    if (!line.trimStart().startsWith('#') && !prev.includes('shellcheck disable=SC2016') && singleQuotedWords(line).some((w) => /[`$]/.test(w))) {
      out.push(`${/^\s*/.exec(line)![0]}# shellcheck disable=SC2016 # single quotes: the $ and backquotes are literal`);
    }
    out.push(line);
    heredoc = /<<-?\s*'?"?(\w+)'?"?\s*$/.exec(line)?.[1];
  }
  return out;
}

/** The single-quoted words of a shell line (a quote inside double quotes or after \\ is not one). */
function singleQuotedWords(line: string): string[] {
  const words: string[] = [];
  let state: '' | "'" | '"' = '';
  let start = 0;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (state === "'") {
      if (ch === "'") {
        words.push(line.slice(start, i));
        state = '';
      }
    } else if (state === '"') {
      if (ch === '\\') i++;
      else if (ch === '"') state = '';
    } else if (ch === '\\') i++;
    else if (ch === "'") {
      state = "'";
      start = i + 1;
    } else if (ch === '"') state = '"';
    else if (ch === '#' && (i === 0 || /\s/.test(line[i - 1]!))) break;
  }
  return words;
}

function sqlStep(st: PlanStep, run: SqlRun): string[] {
  const out = stepHeader(st);
  const what = sq(stepWhat(st));
  if (run.kind === 'batched') {
    const [call, ...rest] = heredoc(`zdd_batched ${what} ${sq(run.table)} ${sq(run.key)} ${run.size}`, run.body);
    out.push(call!, ...rest);
  } else if (run.kind === 'verify') {
    out.push(`zdd_verify ${what} ${sq(run.expected)} ${sq(run.select)}`);
  } else {
    out.push(...heredoc(`zdd_run_sql ${what} ${run.retry ? 1 : 0}`, run.body));
  }
  return out;
}

function frameworkRun(m: PlanMigration, steps: PlanStep[], ctx: EmitContext): string[] {
  const s = ctx.settings;
  const file = releasePath(m.file, ctx);
  const inject = m.lockTimeout === 'injected' ? 1 : 0;
  const retry = inject && m.transactional ? 1 : 0;
  const out = ['', ...comment(frameworkRunTitle(m, steps)), ...comment(steps.length === 1 ? steps[0]!.why : `Runs unchanged: ${[...new Set(steps.map((x) => x.why))].join(' ')}`).map((l) => `#  ${l.slice(2)}`)];
  if (inject) out.push(`#  The lock timeout (${s.lockTimeout}s) is ${m.format === 'sql' ? 'set first' : "given to the framework's connection"}.`);
  const what = sq(`migrate ${m.id}`);
  if (m.format === 'laravel') out.push(`zdd_framework ${what} ${inject} ${retry} zdd_php artisan migrate --path=${sq(file)} --force`);
  else if (m.format === 'doctrine') out.push(`zdd_framework ${what} ${inject} ${retry} zdd_php ${sq(s.console)} doctrine:migrations:execute ${sq(m.version ?? m.id)} --up --no-interaction`);
  else if (s.sqlMigrate) out.push(`zdd_framework ${what} ${inject} ${retry} bash -c ${sq(s.sqlMigrate.replaceAll('{file}', sq(file)))}`);
  else out.push(`zdd_framework ${what} 0 ${m.transactional ? 1 : 0} zdd_sql_file ${sq(file)} ${inject}`);
  return out;
}

function record(m: PlanMigration, plan: Plan, ctx: EmitContext): string[] {
  const s = ctx.settings;
  const out = ['', ...comment(RECORD_TITLE(m))];
  if (m.format === 'doctrine') {
    out.push(`zdd_framework ${sq(`record ${m.id}`)} 0 0 zdd_php ${sq(s.console)} doctrine:migrations:version ${sq(m.version ?? m.id)} --add --no-interaction`);
    return out;
  }
  const sql = recordSql(m, plan.dialect, s, releasePath(m.file, ctx));
  if (!sql) {
    out.push(`zdd_log ${sq(`${m.id}: not recorded (set "plan.sqlRecord" for your SQL migration runner)`)}`);
    return out;
  }
  out.push(...heredoc(`zdd_run_sql ${sq(`record ${m.id}`)} 1`, `${sql};`));
  return out;
}
