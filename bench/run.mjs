#!/usr/bin/env node
// npm run bench: whole-process timings of the built binary (what a pre-commit hook pays) and
// statement throughput on a generated corpus. Prints a table; results go into bench/README.md by hand.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCorpus } from './gen-corpus.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'dist', 'zdd.js');
const work = mkdtempSync(join(tmpdir(), 'zdd-bench-'));
const runs = Number(process.env.BENCH_RUNS ?? 15);

function time(args, cwd = work) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status === 2) throw new Error(`zdd failed: ${r.stderr}`);
  return ms;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const stats = (xs) => ({ median: median(xs), best: Math.min(...xs) });

const rows = [];
writeFileSync(join(work, 'one-pg.sql'), "SET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN nickname text;\nCREATE INDEX CONCURRENTLY users_nickname_idx ON users (nickname);\n");
writeFileSync(join(work, 'one-my.sql'), 'SET SESSION lock_wait_timeout = 5;\nALTER TABLE users ADD COLUMN nickname varchar(64) NULL;\nALTER TABLE users ADD INDEX users_nickname_index (nickname);\n');

const node0 = stats(Array.from({ length: runs }, () => { const t = process.hrtime.bigint(); spawnSync(process.execPath, ['-e', '0']); return Number(process.hrtime.bigint() - t) / 1e6; }));
rows.push(['node -e 0 (baseline)', node0]);
for (const [label, file, dialect] of [['one small SQL file, PostgreSQL', 'one-pg.sql', 'postgres'], ['one small SQL file, MySQL', 'one-my.sql', 'mysql']]) {
  time(['lint', file, '--dialect', dialect]);
  rows.push([label, stats(Array.from({ length: runs }, () => time(['lint', file, '--dialect', dialect])))]);
}

// zdd doctor on the bundled sample app (loads the YAML chunk, mvdan-sh and php-parser)
for (const [label, dir] of [['zdd doctor, sample app (14 deploy files, 19 findings)', 'fixtures/doctor/laravel-app'], ['zdd doctor, fixed sample app (no findings)', 'fixtures/doctor/laravel-app-fixed']]) {
  time(['doctor', dir], root);
  rows.push([label, stats(Array.from({ length: runs }, () => time(['doctor', dir], root)))]);
}

const throughput = [];
for (const dialect of ['postgres', 'mysql']) {
  const dir = join(work, `corpus-${dialect}`);
  const n = generateCorpus(dir, dialect);
  const t = stats(Array.from({ length: 3 }, () => time(['lint', dir, '--dialect', dialect, '--format', 'json'])));
  throughput.push([dialect, n, t, Math.round(n / (t.median / 1000)), Math.round(n / (t.best / 1000))]);
}

console.log(`zdd bench — node ${process.version}, ${runs} runs each (wall ms: median / best)\n`);
console.log('| case | median ms | best ms |\n|---|---:|---:|');
for (const [label, s] of rows) console.log(`| ${label} | ${s.median.toFixed(0)} | ${s.best.toFixed(0)} |`);
console.log('\n| corpus (whole process) | statements | median ms | statements/s (median) | statements/s (best) |\n|---|---:|---:|---:|---:|');
for (const [d, n, t, a, b] of throughput) console.log(`| ${d} | ${n} | ${t.median.toFixed(0)} | ${a} | ${b} |`);

rmSync(work, { recursive: true, force: true });
