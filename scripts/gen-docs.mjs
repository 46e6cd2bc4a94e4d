#!/usr/bin/env node
// Regenerates the README rule tables from the registry, so the docs cannot drift from the code.
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { replaceTable, rulesTable } from './rules-table.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = await build({ entryPoints: [join(root, 'rules/index.ts')], bundle: true, platform: 'node', format: 'esm', write: false, external: ['libpg-query', 'node-sql-parser', 'php-parser', 'mvdan-sh', 'yaml'] });
const mod = await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
const readmePath = join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const next = replaceTable(readme, rulesTable(mod.RULES));
if (next !== readme) {
  writeFileSync(readmePath, next);
  console.log('README.md rule tables updated');
} else console.log('README.md rule tables are up to date');
