#!/usr/bin/env node
// Real-world check of the Doctrine reader: runs zdd over the Doctrine apps of the migration corpus
// (../shared/CORPUS.md; extracted under /work/corpus, or $ZDD_CORPUS) and prints, per app and
// dialect: migrations, statements, operations, unknown (`raw`) operations with their top reasons,
// and the speed of reader + rules. Then runs the built CLI on each app to check that it never
// fails with an internal error (exit code 0 or 1 only).
//
//   npm run build && node bench/corpus-doctrine.mjs          (BENCH_RUNS=5 for steadier timings)
//
// The corpus is never committed; without it the script says so and exits 0.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = process.env.ZDD_CORPUS ?? '/work/corpus';
const runs = Number(process.env.BENCH_RUNS ?? 5);

if (!existsSync(corpus)) {
  console.log(`corpus-doctrine: no corpus at ${corpus} (set ZDD_CORPUS to its directory); nothing to do.`);
  process.exit(0);
}

// zdd's own modules, bundled for this script (the CLI bundle exposes no API).
const outDir = join(root, 'dist', 'bench');
mkdirSync(outDir, { recursive: true });
const entry = join(outDir, 'corpus-entry.mjs');
await build({
  stdin: {
    contents: `
      export { readMigration, prepareReaders, orderMigrations } from './src/readers/index.ts';
      export { lintMigrations } from './src/lint/run.ts';
      export { RULES } from './rules/index.ts';
      export { defaultTarget } from './src/dialects/index.ts';
      export { detectDoctrineTarget } from './src/discover/doctrine-config.ts';
    `,
    resolveDir: root,
    loader: 'ts',
  },
  outfile: entry,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['libpg-query', 'node-sql-parser', 'node-sql-parser/*', 'php-parser'],
  banner: { js: "import { createRequire as __c } from 'node:module'; const require = __c(import.meta.url);" },
  logLevel: 'warning',
});
const zdd = await import(pathToFileURL(entry).href);
const migrationRules = zdd.RULES.filter((r) => r.scope === 'migration');

/** Directories holding Doctrine migrations: from doctrine_migrations config, else by name. */
function migrationDirs(app) {
  const detected = zdd.detectDoctrineTarget(app);
  const fromConfig = (detected?.migrationPaths ?? []).filter((p) => existsSync(p));
  if (fromConfig.length) return fromConfig;
  const out = [];
  const walk = (dir, depth) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (!e.isDirectory() || e.name === 'vendor' || e.name.startsWith('.')) continue;
      const p = join(dir, e.name);
      if (/^(migrations|Migrations|DoctrineMigrations)$/.test(e.name) && readdirSync(p).some((f) => /^Version.*\.php$/.test(f))) out.push(p);
      else if (depth < 6) walk(p, depth + 1);
    }
  };
  walk(app, 0);
  return out;
}

function phpFiles(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...phpFiles(p));
    else if (e.name.endsWith('.php')) out.push(p);
  }
  return out.sort();
}

/** A reason without the names in it, to group unknowns. */
function reasonKey(reason) {
  return reason
    .replace(/\(line \d+, column \d+\)/g, '')
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\$this->\w+\(\)/g, '$this->…()')
    .replace(/\$\w+/g, '$…')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 90);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const apps = [];
for (const name of readdirSync(corpus).sort()) {
  const app = join(corpus, name);
  if (!statSync(app).isDirectory()) continue;
  const dirs = migrationDirs(app);
  if (!dirs.length) continue;
  const files = dirs.flatMap(phpFiles).map((abs) => ({ abs, path: relative(app, abs), text: readFileSync(abs, 'utf8') }));
  const detected = zdd.detectDoctrineTarget(app);
  const source = files.map((f) => f.text).join('\n');
  // the app's own database when its config says; else MySQL, and PostgreSQL too when the migrations know it
  const dialects = detected?.dialect ? [detected.dialect] : ['mysql', ...(/PostgreSQL|postgresql|pgsql/.test(source) ? ['postgres'] : [])];
  apps.push({ name, app, dirs, files, detected, dialects });
}

// One pass over everything first, not measured: the numbers below are the steady state of a long
// run (the CLI column shows what a fresh process pays, start-up and compilation included).
for (const { files, dialects } of apps) {
  for (const dialect of dialects) {
    await zdd.prepareReaders(dialect);
    for (const f of files) zdd.readMigration(f.path, f.text, { dialect, config: {} });
  }
}

const rows = [];
const cli = [];
for (const { name, app, dirs, files, detected, dialects } of apps) {
  for (const dialect of dialects) {
    await zdd.prepareReaders(dialect);
    let migrations = [];
    let skipped = 0;
    let crashes = 0;
    const readMs = [];
    const lintMs = [];
    const cpuMs = [];
    for (let i = 0; i < runs; i++) {
      migrations = [];
      skipped = 0;
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      for (const f of files) {
        try {
          const r = zdd.readMigration(f.path, f.text, { dialect, config: {} });
          if ('migration' in r) migrations.push(r.migration);
          else skipped++;
        } catch (e) {
          crashes++;
          if (i === 0) console.error(`CRASH reading ${f.path}: ${e.stack}`);
        }
      }
      const t1 = performance.now();
      try {
        zdd.lintMigrations(zdd.orderMigrations(migrations), { target: zdd.defaultTarget(dialect), rules: migrationRules, config: {} });
      } catch (e) {
        crashes++;
        if (i === 0) console.error(`CRASH linting ${name}: ${e.stack}`);
      }
      readMs.push(t1 - t0);
      lintMs.push(performance.now() - t1);
      const cpu = process.cpuUsage(cpu0);
      cpuMs.push((cpu.user + cpu.system) / 1000);
    }
    if (!migrations.length) continue;
    let ops = 0;
    let raw = 0;
    let internal = 0;
    const statements = new Set();
    const reasons = new Map();
    for (const m of migrations) {
      for (const op of m.ops) {
        if (op.dialects && !op.dialects.includes(dialect)) continue;
        ops++;
        statements.add(`${m.id}#${op.statement}`);
        if (op.kind !== 'raw') continue;
        raw++;
        if (/internal error/.test(op.reason)) internal++;
        const key = reasonKey(op.reason);
        reasons.set(key, (reasons.get(key) ?? 0) + 1);
      }
    }
    const top = [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 3);
    const ms = median(readMs) + median(lintMs);
    rows.push({
      name,
      dialect: detected?.dialect === dialect ? `${dialect} (detected)` : dialect,
      files: files.length,
      migrations: migrations.length,
      skipped,
      statements: statements.size,
      ops,
      raw,
      internal,
      crashes,
      top,
      readMs: median(readMs),
      lintMs: median(lintMs),
      bestMs: Math.min(...readMs.map((r, k) => r + lintMs[k])),
      cpuMs: median(cpuMs),
      perSecond: Math.round(files.length / (ms / 1000)),
    });

    // the built CLI, as a user runs it: exit code 0 or 1, no internal error
    const t = performance.now();
    const r = spawnSync(process.execPath, [join(root, 'dist', 'zdd.js'), 'lint', ...dirs, '--dialect', dialect, '--format', 'json'], { cwd: app, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const wall = performance.now() - t;
    let findings = '?';
    try {
      findings = JSON.parse(r.stdout).findings.length;
    } catch {
      // reported below through the exit code
    }
    cli.push({ name, dialect, code: r.status, stderr: r.stderr.trim().split('\n').filter(Boolean), wall, findings });
  }
}

const pct = (a, b) => (b ? `${((100 * a) / b).toFixed(2)}%` : '—');
console.log(`zdd corpus-doctrine — ${corpus}, node ${process.version}, median of ${runs} runs after one warm-up pass\n`);
console.log('| app | dialect | PHP files | migrations | statements | ops | unknown (raw) | unknown % | top unknown reasons | crashes |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|---|---:|');
const total = { files: 0, migrations: 0, statements: 0, ops: 0, raw: 0, crashes: 0, ms: 0 };
for (const r of rows) {
  const reasons = r.top.map(([k, n]) => `${n}× ${k}`).join('; ') || '—';
  console.log(`| ${r.name} | ${r.dialect} | ${r.files} | ${r.migrations} | ${r.statements} | ${r.ops} | ${r.raw} | ${pct(r.raw, r.ops)} | ${reasons.replace(/\|/g, '\\|')} | ${r.crashes + r.internal} |`);
  total.files += r.files;
  total.migrations += r.migrations;
  total.statements += r.statements;
  total.ops += r.ops;
  total.raw += r.raw;
  total.crashes += r.crashes + r.internal;
  total.ms += r.readMs + r.lintMs;
}
console.log(`| **all** | | ${total.files} | ${total.migrations} | ${total.statements} | ${total.ops} | ${total.raw} | ${pct(total.raw, total.ops)} | | ${total.crashes} |`);

console.log('\n| app | dialect | reader ms | rules ms | files/s (median) | files/s (best) | files/s (CPU time) | CLI exit | CLI findings | CLI wall ms |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
let best = 0;
let cpuTotal = 0;
rows.forEach((r, i) => {
  const c = cli[i];
  best += r.bestMs;
  cpuTotal += r.cpuMs;
  console.log(`| ${r.name} | ${r.dialect} | ${r.readMs.toFixed(0)} | ${r.lintMs.toFixed(0)} | ${r.perSecond} | ${Math.round(r.files / (r.bestMs / 1000))} | ${Math.round(r.files / (r.cpuMs / 1000))} | ${c.code} | ${c.findings} | ${c.wall.toFixed(0)} |`);
});
const rate = (ms) => Math.round(total.files / (ms / 1000));
console.log(`\nAll apps, reader + rules in one warm process: ${total.files} files; median ${total.ms.toFixed(0)} ms = ${rate(total.ms)} files/s; best ${best.toFixed(0)} ms = ${rate(best)} files/s; CPU time ${cpuTotal.toFixed(0)} ms = ${rate(cpuTotal)} files/s.`);
console.log(`Machine load while measuring (1/5/15 min): ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);

const bad = cli.filter((c) => c.code !== 0 && c.code !== 1);
for (const c of cli) for (const line of c.stderr) console.log(`stderr (${c.name}, ${c.dialect}): ${line}`);
if (bad.length || total.crashes) {
  console.error(`\nFAILED: ${bad.map((c) => `${c.name}/${c.dialect} exit ${c.code}`).join(', ')}${total.crashes ? ` ${total.crashes} crash(es)` : ''}`);
  process.exit(1);
}
