#!/usr/bin/env node
// npm run bench:code — the code index on large real apps: two commits of each app (a few hundred
// commits apart) are extracted from the corpus mirrors (`git ls-tree` + one `git cat-file --batch`,
// no checkout, nothing written into the mirror), a contract migration dropping a few columns the
// code uses is added to the newer one, and `zdd lint --from old --to new` runs on them. Compared
// with `rg -l -w` listing the files of both trees that mention the dropped names. Also measured:
// the old release read straight from git objects (`--from <commit>` in a shared clone).
// Skips (exit 0) when the mirrors are absent, as in CI. Results go into bench/README.md by hand.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'dist', 'zdd.js');
const MIRRORS = process.env.ZDD_MIRRORS ?? '/work/.mirror';
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

/**
 * Apps, the commit of ../shared/CORPUS.md, how far back the running release is, the columns the
 * contract migration drops, and the columns another one drops (the index cache filled by one run,
 * then a run with other targets: what a pre-commit run after the last one's pays).
 */
const APPS = [
  { name: 'snipe-it', mirror: 'snipe+snipe-it', commit: '5aa5c48018f25ae5eb8671bc278469e85d0ac054', back: 300, drop: { assets: ['requestable'], users: ['ldap_import'], locations: ['company_id'] }, other: { assets: ['serial'], users: ['website'] } },
  { name: 'invoiceninja v5', mirror: 'invoiceninja+invoiceninja', commit: 'a148eec09bd1283db55112cbdfe26788bc234974', back: 300, drop: { invoices: ['po_number'], clients: ['balance'], users: ['oauth_user_id'] }, other: { invoices: ['private_notes'], clients: ['website'] } },
  { name: 'monica 4.x', mirror: 'monicahq+monica', commit: '32028ce3ce79cef38df5d27a297e5b20680f0065', back: 300, drop: { contacts: ['is_starred'], activities: ['summary'], users: ['locale'] }, other: { contacts: ['job'], users: ['timezone'] } },
];

if (!existsSync(MIRRORS)) {
  console.log(`bench/code-index: no corpus mirrors at ${MIRRORS} (set ZDD_MIRRORS): skipped`);
  process.exit(0);
}
if (!existsSync(bin)) {
  console.error('bench/code-index: build first (npm run build)');
  process.exit(1);
}
const hasRg = spawnSync('rg', ['--version']).status === 0;
const hasTime = existsSync('/usr/bin/time');

/** Writes every blob of `commit` under `dest` (missing blobs of size-limited mirrors are skipped). */
async function extract(gitDir, commit, dest) {
  const list = execFileSync('git', ['--git-dir', gitDir, 'ls-tree', '-r', '-z', commit], { maxBuffer: 1 << 28 }).toString('utf8').split('\0').filter(Boolean);
  const entries = list
    .map((l) => {
      const tab = l.indexOf('\t');
      const [mode, type, oid] = l.slice(0, tab).split(' ');
      return { mode, type, oid, path: l.slice(tab + 1) };
    })
    .filter((e) => e.type === 'blob' && e.mode !== '120000');
  await new Promise((resolve, reject) => {
    const child = spawn('git', ['--git-dir', gitDir, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let buf = Buffer.alloc(0);
    let i = 0;
    child.stdout.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const nl = buf.indexOf(10);
        if (nl === -1) return;
        const header = buf.toString('utf8', 0, nl).split(' ');
        if (header[1] === 'missing') {
          buf = buf.subarray(nl + 1);
          i++;
          continue;
        }
        const size = Number(header[2]);
        if (buf.length < nl + 1 + size + 1) return;
        const path = join(dest, entries[i++].path);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, buf.subarray(nl + 1, nl + 1 + size));
        buf = buf.subarray(nl + 1 + size + 1);
      }
    });
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`cat-file exited ${code}`))));
    child.stdin.end(entries.map((e) => e.oid).join('\n') + '\n');
  });
  return entries.length;
}

function dropMigration(drop) {
  const blocks = Object.entries(drop).map(([table, cols]) => `        Schema::table('${table}', function (Blueprint $table) {\n            $table->dropColumn([${cols.map((c) => `'${c}'`).join(', ')}]);\n        });`);
  return `<?php\n\nuse Illuminate\\Database\\Migrations\\Migration;\nuse Illuminate\\Database\\Schema\\Blueprint;\nuse Illuminate\\Support\\Facades\\Schema;\n\nreturn new class extends Migration\n{\n    public function up(): void\n    {\n${blocks.join('\n\n')}\n    }\n};\n`;
}

/** Runs a command; wall ms, max RSS (KB, when /usr/bin/time is there), output. */
function run(cmd, args, cwd, env = {}) {
  const full = hasTime ? ['/usr/bin/time', ['-f', '%M', cmd, ...args]] : [cmd, args];
  const t = process.hrtime.bigint();
  const r = spawnSync(full[0], full[1], { cwd, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: '1', ...env } });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  let rss;
  let stderr = r.stderr;
  if (hasTime) {
    const lines = stderr.trimEnd().split('\n');
    rss = Number(lines.pop());
    stderr = lines.join('\n');
  }
  return { ms, rss, stdout: r.stdout, stderr, status: r.status };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
for (const app of APPS) {
  const gitDir = join(MIRRORS, app.mirror, 'repo');
  if (!existsSync(gitDir)) {
    console.log(`${app.name}: mirror ${gitDir} absent, skipped`);
    continue;
  }
  const oldCommit = execFileSync('git', ['--git-dir', gitDir, 'rev-list', '--first-parent', '-n', '1', `--skip=${app.back}`, app.commit]).toString().trim();
  const work = mkdtempSync(join(tmpdir(), 'zdd-bench-code-'));
  try {
    const oldDir = join(work, 'old');
    const newDir = join(work, 'new');
    const files = [await extract(gitDir, oldCommit, oldDir), await extract(gitDir, app.commit, newDir)];
    writeFileSync(join(newDir, 'database/migrations/2099_01_01_000000_zdd_bench_drop_columns.php'), dropMigration(app.drop));
    // a clone sharing the mirror's objects (alternates: nothing copied, the mirror untouched), for --from <commit>
    const clone = join(work, 'clone');
    execFileSync('git', ['clone', '-q', '--shared', '--no-checkout', gitDir, clone]);

    const args = ['lint', '--from', oldDir, '--to', newDir, '--dialect', 'mysql', '--format', 'json', '--verbose'];
    // every run below but the cache columns goes without the index cache (ZDD_CACHE=0): a cold start
    const NOCACHE = { ZDD_CACHE: '0' };
    const warm = run(process.execPath, [bin, ...args], work, NOCACHE);
    if (warm.status === 2) throw new Error(`zdd failed on ${app.name}: ${warm.stderr}`);
    // one thread (shared parse cache) and two (the old release in a worker), whatever the machine's load
    const zdd = Array.from({ length: RUNS }, () => run(process.execPath, [bin, ...args], work, { ZDD_WORKERS: '0', ...NOCACHE }));
    const zdd2 = Array.from({ length: RUNS }, () => run(process.execPath, [bin, ...args], work, { ZDD_WORKERS: '1', ...NOCACHE }));
    const git = Array.from({ length: RUNS }, () => run(process.execPath, [bin, 'lint', '--from', oldCommit, '--to', newDir, '--dialect', 'mysql', '--format', 'json', '--verbose'], clone, { ZDD_WORKERS: '0', ...NOCACHE }));
    // The index cache (src/code/cache.ts), in a directory of the bench's own: a run repeating the
    // last one (same trees, same targets), and a run with other targets after one that filled it
    // (the cache restored to that state before each run).
    const cacheDir = join(work, 'cache');
    const CACHE = { ZDD_CACHE_DIR: cacheDir, ZDD_WORKERS: '0' };
    const migration = join(newDir, 'database/migrations/2099_01_01_000000_zdd_bench_drop_columns.php');
    run(process.execPath, [bin, ...args], work, CACHE);
    const cachedSame = Array.from({ length: RUNS }, () => run(process.execPath, [bin, ...args], work, CACHE));
    // the run that fills an empty cache (what a first run, and every run of a cache nobody keeps, pays)
    const fills = [];
    const cachedOther = Array.from({ length: RUNS }, () => {
      rmSync(cacheDir, { recursive: true, force: true });
      writeFileSync(migration, dropMigration(app.drop));
      fills.push(run(process.execPath, [bin, ...args], work, CACHE));
      writeFileSync(migration, dropMigration(app.other));
      return run(process.execPath, [bin, ...args], work, CACHE);
    });
    writeFileSync(migration, dropMigration(app.drop));
    // rg gets the same names the index looks for: every table/column a destructive op of the change names
    const destructive = new Set(['drop-column', 'rename-column', 'drop-table', 'rename-table', 'change-column-type']);
    const names = [...new Set(JSON.parse(warm.stdout).findings.filter((f) => destructive.has(f.rule)).map((f) => f.target.column ?? f.target.table))];
    const rg = hasRg ? Array.from({ length: RUNS }, () => run('rg', ['-l', '-w', ...names.flatMap((n) => ['-e', n]), oldDir, newDir], work)) : [];
    // the least a single Node thread must do: zdd's listing and reader over the same files, one regex (bench/node-floor.mjs)
    const floor = Array.from({ length: RUNS }, () => JSON.parse(run(process.execPath, [join(root, 'bench', 'node-floor.mjs'), oldDir, newDir, ...names], work).stdout).ms);
    // pre-commit: the clone checked out at the new commit, the contract migration staged; old = HEAD,
    // new = the index, nearly the same tree (git says which files are alike: they are read once)
    execFileSync('git', ['-C', clone, 'checkout', '-q', app.commit], { stdio: 'ignore' });
    writeFileSync(join(clone, 'database/migrations/2099_01_01_000000_zdd_bench_drop_columns.php'), dropMigration(app.drop));
    execFileSync('git', ['-C', clone, 'add', 'database/migrations/2099_01_01_000000_zdd_bench_drop_columns.php']);
    // A fresh checkout writes the files and the index in the same second: git then takes every entry
    // as "racily clean" and compares contents on each `git diff` — never the state of a working repo.
    // A second later, one refresh writes the index anew and the entries are clean by their stat data.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    execFileSync('git', ['-C', clone, 'update-index', '-q', '--really-refresh'], { stdio: 'ignore' });
    const stagedArgs = ['lint', '--staged', '--dialect', 'mysql', '--format', 'json', '--verbose'];
    const stagedWarm = run(process.execPath, [bin, ...stagedArgs], clone, NOCACHE);
    if (stagedWarm.status === 2) throw new Error(`zdd --staged failed on ${app.name}: ${stagedWarm.stderr}`);
    const staged = Array.from({ length: RUNS }, () => run(process.execPath, [bin, ...stagedArgs], clone, { ZDD_WORKERS: '0', ...NOCACHE }));
    // with the cache: the same commit attempted again, and after a run that staged other drops
    const stagedMigration = join(clone, 'database/migrations/2099_01_01_000000_zdd_bench_drop_columns.php');
    const stage = (drop) => {
      writeFileSync(stagedMigration, dropMigration(drop));
      execFileSync('git', ['-C', clone, 'add', stagedMigration]);
    };
    rmSync(cacheDir, { recursive: true, force: true });
    run(process.execPath, [bin, ...stagedArgs], clone, CACHE);
    const stagedSame = Array.from({ length: RUNS }, () => run(process.execPath, [bin, ...stagedArgs], clone, CACHE));
    const stagedFills = [];
    const stagedOther = Array.from({ length: RUNS }, () => {
      rmSync(cacheDir, { recursive: true, force: true });
      stage(app.drop);
      stagedFills.push(run(process.execPath, [bin, ...stagedArgs], clone, CACHE));
      stage(app.other);
      return run(process.execPath, [bin, ...stagedArgs], clone, CACHE);
    });
    stage(app.drop);
    const otherNames = Object.values(app.other).flat();
    const rgOther = hasRg ? Array.from({ length: RUNS }, () => run('rg', ['-l', '-w', ...otherNames.flatMap((n) => ['-e', n]), clone, clone], work)) : [];
    const stagedNames = [...new Set(JSON.parse(stagedWarm.stdout).findings.filter((f) => destructive.has(f.rule)).map((f) => f.target.column ?? f.target.table))];
    // both releases are the work tree here (HEAD and the index hold it but for the staged file): rg searches it twice
    const rgStaged = hasRg && stagedNames.length ? Array.from({ length: RUNS }, () => run('rg', ['-l', '-w', ...stagedNames.flatMap((n) => ['-e', n]), clone, clone], work)) : [];
    const index = (r) => [...r.stderr.matchAll(/code index \((old|new) release[^)]*\): (\d+) files, (\d+) parsed(?: \((\d+) reused[^)]*\))?, (\d+) references in (\d+) ms/g)].map((m) => ({ side: m[1], files: +m[2], parsed: +m[3], reused: +(m[4] ?? 0), refs: +m[5], ms: +m[6] }));
    // without the per-release lines the columns below would be empty: a changed --verbose format must fail here
    if (index(warm).length !== 2) throw new Error(`bench/code-index: no "code index (… release …)" lines in zdd's --verbose output for ${app.name}`);
    const idx = index(zdd[zdd.length - 1]).sort((a, b) => (a.side === b.side ? 0 : a.side === 'old' ? -1 : 1));
    const json = JSON.parse(zdd[0].stdout);
    const errors = json.findings.filter((f) => destructive.has(f.rule) && f.severity === 'error').length;
    rows.push({
      app: `${app.name} (${oldCommit.slice(0, 8)} → ${app.commit.slice(0, 8)})`,
      files: files.join(' / '),
      indexed: idx.map((i) => `${i.files}→${i.parsed}${i.reused ? ` (${i.reused} shared)` : ''}`).join(' / '),
      refs: idx.map((i) => i.refs).join(' / '),
      errors: `${errors} of ${json.findings.filter((f) => destructive.has(f.rule)).length} (${names.length} names)`,
      zdd: median(zdd.map((r) => r.ms)),
      index: median(zdd.map((r) => Math.max(...index(r).map((i) => i.ms)))),
      index2: median(zdd2.map((r) => Math.max(...index(r).map((i) => i.ms)))),
      git: median(git.map((r) => r.ms)),
      rg: hasRg ? median(rg.map((r) => r.ms)) : undefined,
      floor: median(floor),
      rgFiles: hasRg ? rg[0].stdout.trim().split('\n').filter(Boolean).length : undefined,
      rss: hasTime ? Math.max(...zdd.map((r) => r.rss), ...zdd2.map((r) => r.rss), ...git.map((r) => r.rss), ...staged.map((r) => r.rss)) : undefined,
      staged: {
        names: stagedNames.length,
        indexed: index(staged[0]).map((i) => `${i.files}→${i.parsed}`).join(' / '),
        shared: Number(/(\d+) files read once for both releases/.exec(staged[0].stderr)?.[1] ?? 0),
        index: median(staged.map((r) => Math.max(...index(r).map((i) => i.ms)))),
        whole: median(staged.map((r) => r.ms)),
        rg: rgStaged.length ? median(rgStaged.map((r) => r.ms)) : undefined,
        same: median(stagedSame.map((r) => Math.max(...index(r).map((i) => i.ms)))),
        sameWhole: median(stagedSame.map((r) => r.ms)),
        other: median(stagedOther.map((r) => Math.max(...index(r).map((i) => i.ms)))),
        otherWhole: median(stagedOther.map((r) => r.ms)),
        fill: median(stagedFills.map((r) => Math.max(...index(r).map((i) => i.ms)))),
        fillWhole: median(stagedFills.map((r) => r.ms)),
        rgOther: rgOther.length ? median(rgOther.map((r) => r.ms)) : undefined,
      },
      cached: {
        same: median(cachedSame.map((r) => Math.max(...index(r).map((i) => i.ms)))),
        other: median(cachedOther.map((r) => Math.max(...index(r).map((i) => i.ms)))),
        fill: median(fills.map((r) => Math.max(...index(r).map((i) => i.ms)))),
        rgOther: hasRg ? median(Array.from({ length: RUNS }, () => run('rg', ['-l', '-w', ...otherNames.flatMap((n) => ['-e', n]), oldDir, newDir], work).ms)) : undefined,
      },
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const load = (await import('node:os')).loadavg()[0].toFixed(1);
const cores = (await import('node:os')).availableParallelism();
console.log(`zdd code index bench — node ${process.version}, ${cores} cores, load average ${load} at the end, ${RUNS} runs each, median wall ms${hasTime ? '' : ' (no /usr/bin/time: RSS not measured)'}\n`);
console.log('| app (old → new) | files in tree (old / new) | indexed → parsed (old / new) | references (old / new) | destructive changes used by code (names) | whole `zdd lint --from dir --to dir` | index of both releases, 1 thread | index, 2 threads | `--from <commit>` (git objects), whole | `rg -l -w` both trees (files) | index / rg | Node floor (list, read, one regex) | floor / rg | max RSS |');
console.log('|---|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const ratio = r.rg ? `${(r.index / r.rg).toFixed(1)} / ${(r.index2 / r.rg).toFixed(1)}` : 'n/a';
  console.log(`| ${r.app} | ${r.files} | ${r.indexed} | ${r.refs} | ${r.errors} | ${r.zdd.toFixed(0)} | ${r.index.toFixed(0)} | ${r.index2.toFixed(0)} | ${r.git.toFixed(0)} | ${r.rg ? `${r.rg.toFixed(0)} (${r.rgFiles})` : 'n/a'} | ${ratio} | ${r.floor} | ${r.rg ? (r.floor / r.rg).toFixed(1) : 'n/a'} | ${r.rss ? `${(r.rss / 1024).toFixed(0)} MB` : 'n/a'} |`);
}
console.log('\nPre-commit: `zdd lint --staged` in a clone at the newer commit with the contract migration staged (old release = HEAD, new = the index):\n');
console.log('| app | indexed → parsed (old / new) | files read once for both | destructive names | whole `zdd lint --staged` | index of both releases | `rg -l -w` over the work tree twice | index / rg |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const st = r.staged;
  console.log(`| ${r.app.split(' (')[0]} | ${st.indexed} | ${st.shared} | ${st.names} | ${st.whole.toFixed(0)} | ${st.index.toFixed(0)} | ${st.rg !== undefined ? st.rg.toFixed(0) : 'n/a'} | ${st.rg ? (st.index / st.rg).toFixed(1) : 'n/a'} |`);
}
console.log('\nWith the index cache (src/code/cache.ts): the index of both releases, ms, in a run repeating the last one (same trees and targets), and in a run with other targets after one that filled the cache; `rg -l -w` over the same trees for those targets:\n');
console.log('| app | `--from dir --to dir`, filling an empty cache | same targets | ÷ rg | other targets | rg (other names) | ÷ rg | `--staged`, filling an empty cache (whole run) | same targets (whole run) | ÷ rg | other targets (whole run) | rg (other names) | ÷ rg |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const c = r.cached;
  const st = r.staged;
  const div = (a, b) => (b ? (a / b).toFixed(1) : 'n/a');
  console.log(`| ${r.app.split(' (')[0]} | ${c.fill.toFixed(0)} | ${c.same.toFixed(0)} | ${div(c.same, r.rg)} | ${c.other.toFixed(0)} | ${c.rgOther !== undefined ? c.rgOther.toFixed(0) : 'n/a'} | ${div(c.other, c.rgOther)} | ${st.fill.toFixed(0)} (${st.fillWhole.toFixed(0)}) | ${st.same.toFixed(0)} (${st.sameWhole.toFixed(0)}) | ${div(st.same, st.rg)} | ${st.other.toFixed(0)} (${st.otherWhole.toFixed(0)}) | ${st.rgOther !== undefined ? st.rgOther.toFixed(0) : 'n/a'} | ${div(st.other, st.rgOther)} |`);
}
