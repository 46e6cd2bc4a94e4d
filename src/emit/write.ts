import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import type { Target } from '../dialects/index.js';
import { NEXT_RELEASE_DIR, POST_SWAP_DIR } from '../discover/files.js';
import type { Dialect } from '../ir/types.js';
import { q } from '../lint/rule-kit.js';
import { FROM, TO } from '../plan/batch.js';
import type { Plan, PlanMigration, PlanStep } from '../plan/types.js';
import { InputError } from '../util/errors.js';
import { phpString } from '../util/text.js';
import type { DeploySettings } from './settings.js';
import { stepLabel, withTerminators, wrapComment } from './steps.js';

/**
 * `--write`: the steps of each split migration as migration files in the app's own format —
 * Laravel migration classes, Doctrine migration classes, or SQL files — next to the original. Steps
 * after the swap and follow-up releases go where the framework does not run them on its own. Each
 * file carries the marker `zdd-plan: <phase>`, so that planning them again runs them unchanged in
 * that phase. Nothing is overwritten and nothing is deleted.
 */

export interface WriteOptions {
  target: Target;
  cwd: string;
  settings: DeploySettings;
  /** The version written into the files' headers. */
  version?: string;
}

interface FileGroup {
  release: number;
  phase: PlanStep['phase'];
  steps: PlanStep[];
}

interface Planned {
  path: string;
  content: string;
  note: string;
}

/** The comment written into each generated migration (`zdd-plan: <phase>`), as zdd-plan reads it back. */
export const PHASE_MARKER = /zdd-plan:\s*(pre-swap|post-swap)\b/;

/**
 * A step that must not share a transaction: CONCURRENTLY (refused inside one), a batched backfill
 * (one commit per batch), a verification, and a step that takes no table lock (VALIDATE scans the
 * table: sharing a transaction with a locking step would hold that lock for the whole scan).
 */
function alone(s: PlanStep): boolean {
  return !s.transactional || !!s.batch || s.expect !== undefined || !s.locks;
}

/** Consecutive steps of one release and phase share a file (one transaction), except the steps that must stand alone. */
function groups(steps: Array<PlanStep & { release: number }>): FileGroup[] {
  const out: FileGroup[] = [];
  for (const s of steps) {
    const last = out[out.length - 1];
    const lastAlone = last && last.steps.some(alone);
    if (last && !alone(s) && !lastAlone && last.release === s.release && last.phase === s.phase) last.steps.push(s);
    else out.push({ release: s.release, phase: s.phase, steps: [s] });
  }
  return out;
}

function slug(s: PlanStep): string {
  return stepLabel(s).toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '').slice(0, 48);
}

function header(g: FileGroup, m: PlanMigration, n: number, total: number, prefix: string, version: string): string[] {
  const when = g.phase === 'pre-swap' ? 'before the swap' : 'after the swap and the drain';
  return [
    `${prefix} zdd-plan: ${g.phase} — release ${g.release === 1 ? '1 (this change)' : `${g.release} (a follow-up)`}, ${when}.`,
    `${prefix} Part ${n} of ${total} of ${m.id}, written by zdd-plan ${version}.`,
    ...g.steps.flatMap((s) => wrapComment(prefix, `${stepLabel(s)}: ${s.why}`)),
  ];
}

/** `{from}`/`{to}` → positional `?` bindings in their order. */
function bound(sql: string): { sql: string; order: Array<'from' | 'to'> } {
  const order: Array<'from' | 'to'> = [];
  const out = sql.replace(/\{from\}|\{to\}/g, (m) => {
    order.push(m === FROM ? 'from' : 'to');
    return '?';
  });
  return { sql: out, order };
}

/** Drops a repeated `SET lock_timeout` line: one per file is enough (the steps share its session). */
function dedupeSettings(lines: string[]): void {
  const seen = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    if (!/\(['"]SET (?:SESSION )?lock_/.test(lines[i]!)) continue;
    if (seen.has(lines[i]!)) lines.splice(i--, 1);
    else seen.add(lines[i]!);
  }
}

// ---------- Laravel ----------

function laravelFile(g: FileGroup, m: PlanMigration, n: number, total: number, d: Dialect, s: DeploySettings, version: string): string {
  const body: string[] = [];
  const nonTx = g.steps.some((x) => !x.transactional || x.batch) && d === 'postgres';
  for (const st of g.steps) {
    const stmts = st.sql ?? [];
    if (st.batch) {
      const { sql, order } = bound(stmts[stmts.length - 1]!);
      for (const pre of stmts.slice(0, -1)) body.push(`        DB::unprepared(${phpString(pre)});`);
      body.push(`        $range = DB::selectOne(${phpString(`SELECT COALESCE(MIN(${q(st.batch.key, d)}), 0) AS lo, COALESCE(MAX(${q(st.batch.key, d)}), -1) AS hi FROM ${q(st.batch.table, d)}`)});`);
      body.push(`        for ($from = (int) $range->lo; $from <= (int) $range->hi; $from += ${st.batch.size}) {`);
      body.push('            // zdd-ignore unparsed-statement: one batch of a backfill written by zdd-plan; the ? are the bounds of its key range');
      body.push(`            DB::update(${phpString(sql)}, [${order.map((o) => (o === 'from' ? '$from' : `$from + ${st.batch!.size}`)).join(', ')}]);`);
      body.push(`            usleep(${Math.round(s.batchPause * 1_000_000)});`);
      body.push('        }');
    } else if (st.expect !== undefined) {
      body.push(`        $row = (array) DB::selectOne(${phpString(stmts[stmts.length - 1]!)});`);
      body.push(`        if ((string) reset($row) !== ${phpString(st.expect)}) {`);
      body.push(`            throw new \\RuntimeException(${phpString(`zdd-plan: ${stepLabel(st)}: the check must return ${st.expect}`)});`);
      body.push('        }');
    } else for (const x of stmts) body.push(`        DB::unprepared(${phpString(x)});`);
  }
  dedupeSettings(body);
  return [
    '<?php',
    '',
    ...header(g, m, n, total, '//', version),
    '',
    'use Illuminate\\Database\\Migrations\\Migration;',
    'use Illuminate\\Support\\Facades\\DB;',
    '',
    'return new class extends Migration',
    '{',
    ...(nonTx ? ['    public $withinTransaction = false;', ''] : []),
    '    public function up(): void',
    '    {',
    ...body,
    '    }',
    '};',
    '',
  ].join('\n');
}

// ---------- Doctrine ----------

function doctrineFile(g: FileGroup, m: PlanMigration, className: string, namespace: string | undefined, n: number, total: number, d: Dialect, s: DeploySettings, version: string): string {
  const body: string[] = [];
  const direct = g.steps.some((x) => x.batch || x.expect !== undefined);
  const nonTx = g.steps.some((x) => !x.transactional || x.batch);
  for (const st of g.steps) {
    const stmts = st.sql ?? [];
    if (st.batch) {
      const { sql, order } = bound(stmts[stmts.length - 1]!);
      for (const pre of stmts.slice(0, -1)) body.push(`        $this->connection->executeStatement(${phpString(pre)});`);
      body.push(`        $range = $this->connection->fetchAssociative(${phpString(`SELECT COALESCE(MIN(${q(st.batch.key, d)}), 0) AS lo, COALESCE(MAX(${q(st.batch.key, d)}), -1) AS hi FROM ${q(st.batch.table, d)}`)});`);
      body.push(`        for ($from = (int) $range['lo']; $from <= (int) $range['hi']; $from += ${st.batch.size}) {`);
      // no zdd-ignore (the Laravel file needs one): the Doctrine reader reads the statement, the ? as placeholders
      body.push('            // one batch of the backfill; the ? are the bounds of its key range');
      body.push(`            $this->connection->executeStatement(${phpString(sql)}, [${order.map((o) => (o === 'from' ? '$from' : `$from + ${st.batch!.size}`)).join(', ')}]);`);
      body.push(`            usleep(${Math.round(s.batchPause * 1_000_000)});`);
      body.push('        }');
    } else if (st.expect !== undefined) {
      body.push(`        $this->abortIf((string) $this->connection->fetchOne(${phpString(stmts[stmts.length - 1]!)}) !== ${phpString(st.expect)}, ${phpString(`${stepLabel(st)}: the check must return ${st.expect}`)});`);
    } else for (const x of stmts) body.push(direct ? `        $this->connection->executeStatement(${phpString(x)});` : `        $this->addSql(${phpString(x)});`);
  }
  dedupeSettings(body);
  return [
    '<?php',
    '',
    'declare(strict_types=1);',
    '',
    ...header(g, m, n, total, '//', version),
    '',
    ...(namespace ? [`namespace ${namespace};`, ''] : []),
    'use Doctrine\\DBAL\\Schema\\Schema;',
    'use Doctrine\\Migrations\\AbstractMigration;',
    '',
    `final class ${className} extends AbstractMigration`,
    '{',
    '    public function getDescription(): string',
    '    {',
    `        return ${phpString(`zdd-plan ${g.phase}: ${g.steps.map(stepLabel).join('; ')} (from ${m.id})`)};`,
    '    }',
    '',
    '    public function up(Schema $schema): void',
    '    {',
    ...body,
    '    }',
    ...(nonTx ? ['', '    public function isTransactional(): bool', '    {', '        return false;', '    }'] : []),
    '}',
    '',
  ].join('\n');
}

// ---------- SQL ----------

function sqlFile(g: FileGroup, m: PlanMigration, n: number, total: number, d: Dialect, version: string, procName: string): string {
  const lines = [...header(g, m, n, total, '--', version)];
  if (g.steps.some((x) => !x.transactional || x.batch)) lines.push('-- Run it outside a transaction (CONCURRENTLY / one commit per batch).');
  for (const st of g.steps) {
    const stmts = st.sql ?? [];
    if (st.batch) {
      const pre = stmts.slice(0, -1);
      if (pre.length) lines.push(withTerminators(pre, d, false));
      const stmt = stmts[stmts.length - 1]!;
      const key = q(st.batch.key, d);
      const table = q(st.batch.table, d);
      if (d === 'postgres') {
        lines.push(
          'DO $zdd$',
          'DECLARE zdd_lo bigint; zdd_hi bigint; zdd_from bigint;',
          'BEGIN',
          `  SELECT COALESCE(MIN(${key}), 0), COALESCE(MAX(${key}), -1) INTO zdd_lo, zdd_hi FROM ${table};`,
          '  zdd_from := zdd_lo;',
          '  WHILE zdd_from <= zdd_hi LOOP',
          `    ${stmt.replaceAll(FROM, 'zdd_from').replaceAll(TO, `zdd_from + ${st.batch.size}`)};`,
          '    COMMIT;',
          `    zdd_from := zdd_from + ${st.batch.size};`,
          '  END LOOP;',
          'END $zdd$;',
        );
      } else {
        lines.push(
          'DELIMITER //',
          `CREATE PROCEDURE ${procName}()`,
          'BEGIN',
          '  DECLARE zdd_lo BIGINT; DECLARE zdd_hi BIGINT; DECLARE zdd_from BIGINT;',
          `  SELECT COALESCE(MIN(${key}), 0), COALESCE(MAX(${key}), -1) INTO zdd_lo, zdd_hi FROM ${table};`,
          '  SET zdd_from = zdd_lo;',
          '  WHILE zdd_from <= zdd_hi DO',
          `    ${stmt.replaceAll(FROM, 'zdd_from').replaceAll(TO, `zdd_from + ${st.batch.size}`)};`,
          `    SET zdd_from = zdd_from + ${st.batch.size};`,
          '  END WHILE;',
          'END //',
          'DELIMITER ;',
          `CALL ${procName}();`,
          `DROP PROCEDURE ${procName};`,
        );
      }
    } else if (st.expect !== undefined) {
      lines.push(`-- must return ${st.expect}: if it does not, stop here and fix the data`, `${stmts[stmts.length - 1]};`);
    } else lines.push(withTerminators(stmts, d, false));
  }
  const seen = new Set<string>();
  const deduped = lines.flatMap((block) => block.split('\n')).filter((l) => !/^SET (?:SESSION )?lock_(?:wait_)?timeout/.test(l) || (!seen.has(l) && seen.add(l)));
  return `${deduped.join('\n')}\n`;
}

// ---------- layout ----------

function posix(p: string): string {
  return p.split(sep).join('/');
}

/** Flyway-style `V4__name` gets sub-versions `V4_1__…`; anything else a `_zdd_NN_` suffix that sorts right after it. */
function sqlName(id: string, n: number, s: PlanStep): string {
  const flyway = /^V(\d+(?:[._]\d+)*)__(.+)$/.exec(id);
  if (flyway) return `V${flyway[1]}_${n}__${flyway[2]}_zdd_${slug(s)}.sql`;
  return `${id}_zdd_${String(n).padStart(2, '0')}_${slug(s)}.sql`;
}

export function writeSplitMigrations(plan: Plan, opts: WriteOptions): string[] {
  const d = opts.target.dialect;
  const version = opts.version ?? '';
  const planned: Planned[] = [];
  const originals: string[] = [];
  for (const m of plan.migrations) {
    if (m.handling !== 'split') continue;
    const steps = plan.releases.flatMap((r) => r.steps.filter((s) => s.migration === m.id).map((s) => ({ ...s, release: r.release })));
    const manual = steps.filter((s) => s.kind === 'manual');
    if (manual.length) throw new InputError(`--write: ${m.file}: ${manual.map((s) => `line ${s.line} (${s.op} ${s.table})`).join(', ')} cannot be written by zdd — see why in \`zdd-plan\`; nothing was written`);
    const abs = resolve(opts.cwd, m.file);
    const dir = dirname(abs);
    const gs = groups(steps);
    // the planner named it by its fully qualified class (PlanMigration.version): its namespace is the rest
    const namespace = m.format === 'doctrine' && m.version?.includes('\\') ? m.version.slice(0, m.version.lastIndexOf('\\')) : undefined;
    gs.forEach((g, i) => {
      const n = i + 1;
      const first = g.steps[0]!;
      let folder = dir;
      let note: string;
      const rel = (p: string) => posix(relative(opts.cwd, p));
      if (g.release > 1) {
        folder = m.format === 'doctrine' ? join(dirname(dir), `${NEXT_RELEASE_DIR}`) : join(dir, NEXT_RELEASE_DIR);
        note = `release ${g.release}: once release ${g.release - 1} is live everywhere, move it into ${m.format === 'doctrine' ? rel(dir) : `${rel(join(dir, POST_SWAP_DIR))}/`} and deploy it after the swap`;
      } else if (g.phase === 'post-swap') {
        if (m.format !== 'doctrine') folder = join(dir, POST_SWAP_DIR);
        note = `after the swap and the drain${m.format === 'laravel' ? `: \`php artisan migrate --path=${rel(folder)} --force\`` : ''} — zdd-plan's sh and deployer formats run it then`;
      } else note = 'before the swap';
      let name: string;
      let content: string;
      if (m.format === 'laravel') {
        name = `${m.id}_zdd_${String(n).padStart(2, '0')}_${slug(first)}.php`;
        content = laravelFile(g, m, n, gs.length, d, opts.settings, version);
      } else if (m.format === 'doctrine') {
        const base = basename(m.file, extname(m.file));
        const className = `${base}Zdd${String(n).padStart(2, '0')}${g.phase === 'post-swap' ? 'PostSwap' : ''}`;
        name = `${className}.php`;
        content = doctrineFile(g, m, className, namespace, n, gs.length, d, opts.settings, version);
      } else {
        name = sqlName(m.id, n, first);
        content = sqlFile(g, m, n, gs.length, d, version, `zdd_backfill_${String(n).padStart(2, '0')}`);
      }
      planned.push({ path: join(folder, name), content, note });
    });
    originals.push(m.file);
  }
  if (!planned.length) return ['--write: nothing to write: every migration runs unchanged.'];
  const exists = planned.filter((p) => existsSync(p.path));
  if (exists.length) throw new InputError(`--write: ${exists.map((p) => posix(relative(opts.cwd, p.path))).join(', ')} already exist${exists.length === 1 ? 's' : ''}; zdd never overwrites a file, and nothing was written`);
  const lines: string[] = [];
  for (const p of planned) {
    mkdirSync(dirname(p.path), { recursive: true });
    writeFileSync(p.path, p.content, { flag: 'wx' });
    lines.push(`wrote ${posix(relative(opts.cwd, p.path))} (${p.note})`);
  }
  for (const o of originals) lines.push(`${o} is replaced by the files above: delete it before you deploy (zdd never deletes files), or the framework runs the unsafe original too.`);
  return lines;
}
