#!/usr/bin/env node
// Runs the Laravel reader and every rule over the real-world corpus in /work/corpus (see
// ../shared/CORPUS.md; fetched, never committed) and prints, per app: migrations, ops, unknown ops
// (raw) with the top reasons, crashes, and files/s. Usage: node bench/corpus-laravel.mjs [corpus-dir]
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { defaultTarget, detectLaravelTarget, LaravelAppConfig, lintMigrations, prepareReaders, readMigration, RULES } from '../dist/index.js';

const corpus = process.argv[2] ?? '/work/corpus';
if (!existsSync(corpus)) {
  console.log(`corpus not found at ${corpus}: nothing to measure (see ../shared/CORPUS.md)`);
  process.exit(0);
}
const APPS = readdirSync(corpus).filter((d) => existsSync(join(corpus, d, 'database/migrations')) && !existsSync(join(corpus, d, 'database/migrations/../../migrations/Version')));
const rules = RULES.filter((r) => r.scope === 'migration');
const rows = [];
let totalFiles = 0;
let totalMs = 0;
for (const app of APPS) {
  const root = join(corpus, app);
  const dir = join(root, 'database/migrations');
  const detected = detectLaravelTarget(root);
  const dialect = detected?.dialect ?? 'mysql';
  await prepareReaders(dialect);
  // config/*.php, for table names migrations take from config() (the corpus copies hold only config/database.php)
  const appConfig = LaravelAppConfig.fromRoot(root);
  const files = readdirSync(dir).filter((f) => f.endsWith('.php')).sort();
  const migrations = [];
  const reasons = new Map();
  let crashes = 0;
  let skipped = 0;
  const t0 = performance.now();
  for (const f of files) {
    const path = join(dir, f);
    if (!statSync(path).isFile()) continue;
    try {
      const r = readMigration(`${app}/database/migrations/${f}`, readFileSync(path, 'utf8'), { dialect, config: {}, appConfig: (k) => appConfig.get(k) });
      if ('migration' in r) migrations.push(r.migration);
      else if ('skipped' in r) skipped++;
    } catch (e) {
      crashes++;
      console.error(`CRASH ${app}/${f}: ${e.stack}`);
    }
  }
  let findings = [];
  try {
    findings = lintMigrations(migrations, { target: defaultTarget(dialect), rules, config: {} });
  } catch (e) {
    crashes++;
    console.error(`CRASH lint ${app}: ${e.stack}`);
  }
  const ms = performance.now() - t0;
  totalFiles += files.length;
  totalMs += ms;
  const ops = migrations.flatMap((m) => m.ops);
  const raw = ops.filter((o) => o.kind === 'raw');
  for (const o of raw) {
    const key = o.reason.replace(/'[^']*'/g, "'…'").replace(/\(line \d+, column \d+\)/, '').replace(/\d+/g, 'N').slice(0, 90);
    reasons.set(key, (reasons.get(key) ?? 0) + 1);
  }
  const top = [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([k, n]) => `${n}× ${k}`).join('; ');
  rows.push({ app, dialect, files: files.length, migrations: migrations.length, skipped, ops: ops.length, raw: raw.length, pct: ops.length ? ((100 * raw.length) / ops.length).toFixed(2) : '0', findings: findings.length, crashes, ms: ms.toFixed(0), top });
}
console.log('| app | dialect | files | migrations | ops | unknown (raw) | % | findings | crashes | ms | top unknown reasons |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
for (const r of rows) console.log(`| ${r.app} | ${r.dialect} | ${r.files} | ${r.migrations} | ${r.ops} | ${r.raw} | ${r.pct} | ${r.findings} | ${r.crashes} | ${r.ms} | ${r.top} |`);
const ops = rows.reduce((a, r) => a + r.ops, 0);
const raw = rows.reduce((a, r) => a + r.raw, 0);
console.log(`\ntotal: ${totalFiles} files, ${ops} ops, ${raw} unknown (${((100 * raw) / ops).toFixed(2)}%), ${rows.reduce((a, r) => a + r.crashes, 0)} crashes; ${(totalFiles / (totalMs / 1000)).toFixed(0)} files/s through reader + rules`);
