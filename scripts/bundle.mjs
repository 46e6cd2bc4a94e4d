#!/usr/bin/env node
// Bundles each CLI entry into one ESM file under dist/ so a pre-commit run loads one module
// instead of ~60 (measured: ESM loading dominated start-up). The parsers stay external and are
// loaded lazily, only for the dialect or format in use.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The bins (src/cli/<name>.ts) and the programmatic API (src/index.ts → dist/index.js).
const bins = ['zdd', 'zdd-plan'];
// chunk names carry content hashes: drop the previous build's so dist/ holds only what this build references
rmSync(join(root, 'dist', 'chunks'), { recursive: true, force: true });
// the build's identity (src/cli/meta.ts BUILD_ID): the index cache of another build is not used
const hash = createHash('sha1');
for (const f of readdirSync(join(root, 'src'), { recursive: true }).map(String).sort()) {
  if (!f.endsWith('.ts')) continue;
  hash.update(f).update('\0').update(readFileSync(join(root, 'src', f))).update('\0');
}
// and of the dependencies it runs with (php-parser, the SQL parsers)
hash.update(readFileSync(join(root, 'package.json')));
hash.update(readFileSync(join(root, 'package-lock.json')));
const buildId = hash.digest('hex').slice(0, 16);
await build({
  define: { __ZDD_BUILD__: JSON.stringify(buildId) },
  // dist/code-worker.js: the code index's worker thread (src/code/parallel.ts)
  entryPoints: { ...Object.fromEntries(bins.map((e) => [e, join(root, 'src/cli', `${e}.ts`)])), index: join(root, 'src/index.ts'), 'code-worker': join(root, 'src/code/worker.ts') },
  outdir: join(root, 'dist'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  // yaml is bundled (pure JS) into the lazily loaded doctor chunk; mvdan-sh (1.5 MB of GopherJS output) stays a plain require
  external: ['libpg-query', 'node-sql-parser', 'node-sql-parser/*', 'php-parser', 'mvdan-sh'],
  banner: { js: "import { createRequire as __zddCreateRequire } from 'node:module'; const require = __zddCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
