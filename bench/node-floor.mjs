#!/usr/bin/env node
// node bench/node-floor.mjs <dir> <dir> <name>…: the least part of the code index's job, done with
// nothing else — list both trees (zdd's own listing), read every file the index reads (zdd's own
// reader) and test one regular expression of the names on it. No class scan, no parse. Prints the
// number of files, the files that match and the ms it took (inside the process, as the index's
// "in N ms"). bench/code-index.mjs runs it as the "Node floor" column: how close to `rg -l` a
// single Node thread can get at all on this machine.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { DirectoryRelease, isIndexed } = await import(join(root, 'dist', 'index.js'));
const [a, b, ...names] = process.argv.slice(2);
if (!a || !b || !names.length) {
  console.error('usage: node bench/node-floor.mjs <dir> <dir> <name>…');
  process.exit(2);
}
const re = new RegExp(`(?<![A-Za-z0-9_])(?:${names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?![A-Za-z0-9_])`);
const started = performance.now();
let files = 0;
let hits = 0;
for (const [dir, side] of [[a, 'old'], [b, 'new']]) {
  const release = new DirectoryRelease(dir, side);
  const paths = (await release.list()).filter(isIndexed);
  files += paths.length;
  await release.read(paths, (_path, data) => {
    if (re.test(data.toString('latin1'))) hits++;
  }, { transient: true });
}
console.log(JSON.stringify({ files, hits, ms: Math.round(performance.now() - started) }));
