#!/usr/bin/env node
// npm run new-rule <id> [migration|deploy]: scaffolds rules/<id>.ts, rules/<id>.md and test/rules/<id>.test.ts.
import { existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [id, scope = 'migration'] = process.argv.slice(2);
if (!id || !/^[a-z][a-z0-9-]*$/.test(id)) {
  console.error('usage: npm run new-rule <id> [migration|deploy]   (id: lower-case words joined by dashes)');
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const files = {
  [`rules/${id}.ts`]:
    scope === 'deploy'
      ? `import type { DeployRule } from '../src/doctor/types.js';

const rule: DeployRule = {
  id: '${id}',
  summary: 'TODO: one line for zdd rules and the README',
  defaultSeverity: 'warning',
  scope: 'deploy',
  check(project) {
    // read project.flows (actions with tags), project.nginx, project.fpm, project.settings, project.workloads …
    void project;
    return [];
  },
};
export default rule;
`
      : `import type { MigrationRule } from '../src/lint/types.js';

const rule: MigrationRule = {
  id: '${id}',
  summary: 'TODO: one line for zdd rules and the README',
  defaultSeverity: 'warning',
  scope: 'migration',
  check(ctx) {
    const { op } = ctx;
    return undefined;
  },
};
export default rule;
`,
  [`rules/${id}.md`]:
    scope === 'deploy'
      ? `# ${id}\n\nTODO: which deploy files and settings it fires on, why it drops requests (measured numbers and sources), the fix in the file's own syntax, and how to suppress it.\n`
      : `# ${id}\n\nTODO: what fires, why it breaks a deploy per dialect (with sources), the safe alternative, and how to suppress it.\n`,
  [`test/rules/${id}.test.ts`]:
    scope === 'deploy'
      ? `import { describe, expect, it } from 'vitest';
import { doctorOn } from '../helpers.js';

describe('${id}', () => {
  it('fires on the unsafe setup', async () => {
    const { findings } = await doctorOn({ 'deploy.sh': 'TODO' }, { rule: '${id}' });
    expect(findings).toHaveLength(1);
  });
  it('stays quiet on the fixed setup', async () => {
    const { findings } = await doctorOn({ 'deploy.sh': 'TODO' }, { rule: '${id}' });
    expect(findings).toHaveLength(0);
  });
});
`
      : `import { describe, expect, it } from 'vitest';
import { lintSql } from '../helpers.js';

describe('${id}', () => {
  it('fires on the unsafe form', async () => {
    const findings = await lintSql('postgres', 'TODO;');
    expect(findings.filter((f) => f.rule === '${id}')).toHaveLength(1);
  });
  it('stays quiet on the safe form', async () => {
    const findings = await lintSql('postgres', 'TODO;');
    expect(findings.filter((f) => f.rule === '${id}')).toHaveLength(0);
  });
});
`,
};
for (const [rel, text] of Object.entries(files)) {
  const path = join(root, rel);
  if (existsSync(path)) {
    console.error(`new-rule: ${rel} exists already`);
    process.exit(2);
  }
}
for (const [rel, text] of Object.entries(files)) {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), text);
  console.log(`created ${rel}`);
}
console.log('The registry (rules/index.ts) is regenerated on the next build; run `npm run docs` to update the README table.');
