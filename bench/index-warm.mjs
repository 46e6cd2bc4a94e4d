#!/usr/bin/env node
// node bench/index-warm.mjs <release dir> <table.column | table>… [--runs N]: the code index of one
// release, run N times (default 5) in one process. The first run is what a CLI run pays (V8 has
// not compiled zdd's code yet); the later ones show the same work once the JIT has caught up. No
// caches carry over between runs (each call builds its own class map and reads every file again).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { DirectoryRelease, findReferences } = await import(join(root, 'dist', 'index.js'));
const args = process.argv.slice(2);
const at = args.indexOf('--runs');
const runs = at === -1 ? 5 : Number(args.splice(at, 2)[1]);
const [dir, ...names] = args;
if (!dir || !names.length || !(runs > 0)) {
  console.error('usage: node bench/index-warm.mjs <release dir> <table.column | table>… [--runs N]');
  process.exit(2);
}
const targets = names.map((n) => {
  const [table, column] = n.split('.');
  return column ? { table, column } : { table };
});
const out = [];
for (let i = 0; i < runs; i++) {
  const stats = { files: 0, candidates: 0, secondPass: 0, references: 0, unparsable: [], ms: 0 };
  await findReferences(new DirectoryRelease(dir, 'new'), targets, { dialect: 'mysql', stats });
  out.push({ ms: Math.round(stats.ms), read: Math.round(stats.readMs ?? 0), slice: Math.round(stats.sliceMs ?? 0), parse: Math.round(stats.parseMs ?? 0), analyse: Math.round(stats.analyzeMs ?? 0), parsed: stats.candidates, references: stats.references });
}
console.log(JSON.stringify(out));
