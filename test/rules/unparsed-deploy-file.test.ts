import { describe, expect, it } from 'vitest';
import { doctorOn } from '../helpers.js';

describe('unparsed-deploy-file', () => {
  it('fires on each deploy file that does not parse, at the line of the error', async () => {
    const { findings, problems } = await doctorOn(
      {
        '.github/workflows/deploy.yml': 'jobs:\n  deploy:\n    steps:\n      - run: echo hi\n     - run: broken indent\n',
        'deploy/nginx/site.conf': 'server {\n  listen 80;\n',
        'bin/deploy.sh': '#!/bin/bash\nif [ -d x ]; then\n  echo\n',
      },
      { rule: 'unparsed-deploy-file' },
    );
    expect(findings.map((f) => `${f.severity} ${f.location.file}:${f.location.line}`)).toEqual(['error .github/workflows/deploy.yml:5', 'error bin/deploy.sh:2', 'error deploy/nginx/site.conf:1']);
    expect(findings[0]!.message).toBe(
      'zdd doctor could not check .github/workflows/deploy.yml: cannot parse YAML: A block sequence may not be used as an implicit map key. None of its deploy steps were checked, and the tool that runs it would likely fail on it too.',
    );
    expect(findings[0]!.target.subject).toBe('deploy file');
    // still problems too: the command exits 2 whatever the rule's setting
    expect(problems).toHaveLength(3);
  });

  it('a command in deploy.php that does not parse: that part was not checked, the rest of the file was', async () => {
    const { findings } = await doctorOn(
      { 'deploy.php': "<?php\nnamespace Deployer;\nrequire 'recipe/laravel.php';\ntask('x', function () {\n    run('if [ -d x ]; then echo');\n});\n" },
      { rule: 'unparsed-deploy-file' },
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toMatch(/^zdd doctor could not check a part of deploy\.php: cannot parse the shell command in run\(\): .*\. That part was not checked \(the rest of the file was\)/);
  });

  it('a GitHub Actions run step that does not parse is a part too; the rest of the workflow was checked', async () => {
    const { findings } = await doctorOn(
      { '.github/workflows/deploy.yml': 'jobs:\n  deploy:\n    steps:\n      - run: if [ -d x ]; then echo\n      - run: sudo systemctl restart php8.2-fpm\n' },
      { rule: 'unparsed-deploy-file' },
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toMatch(/^zdd doctor could not check a part of \.github\/workflows\/deploy\.yml: cannot parse the run step .*That part was not checked/);
  });

  it('stays quiet when every deploy file parses', async () => {
    const { findings } = await doctorOn(
      {
        '.github/workflows/deploy.yml': 'jobs:\n  deploy:\n    steps:\n      - run: echo hi\n',
        'deploy/nginx/site.conf': 'server {\n  listen 80;\n}\n',
        'bin/deploy.sh': '#!/bin/bash\nif [ -d x ]; then\n  echo\nfi\n',
      },
      { rule: 'unparsed-deploy-file' },
    );
    expect(findings).toHaveLength(0);
  });
});
