import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';
import { replaceTable, rulesTable } from '../scripts/rules-table.mjs';
import { ROOT } from './helpers.js';

describe('docs stay in sync with the code', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

  it('README rule tables match the registry (run `npm run docs`)', () => {
    expect(replaceTable(readme, rulesTable(RULES))).toBe(readme);
  });

  it('every rule has a doc that starts with its id', () => {
    for (const r of RULES) {
      const path = join(ROOT, 'rules', `${r.id}.md`);
      expect(existsSync(path), path).toBe(true);
      expect(readFileSync(path, 'utf8').split('\n')[0]).toBe(`# ${r.id}`);
    }
  });

  it('README starts with the two commands for a fresh machine', () => {
    const block = readme.split('```sh\n')[1]!.split('```')[0]!.trim().split('\n');
    expect(block[0]).toMatch(/^npm ci && node dist\/zdd\.js lint fixtures\//);
    expect(block[1]).toMatch(/^npm ci && npm test/);
    expect(readFileSync(join(ROOT, '.ci/run'), 'utf8')).toContain('npm test');
  });

  it('the zdd doctor section names every deploy rule', () => {
    const section = readme.split('\n## zdd doctor\n')[1]!.split('\n## ')[0]!;
    for (const r of RULES.filter((x) => x.scope === 'deploy')) expect(section, r.id).toContain(`\`${r.id}\``);
  });

  it('rule ids are unique and lower-case-dashed', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9-]*$/);
  });
});
