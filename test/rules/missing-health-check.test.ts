import { describe, expect, it } from 'vitest';
import { doctorOn } from '../helpers.js';

describe('missing-health-check', () => {
  it('fires on the swap of a script with no check after it', async () => {
    const { findings } = await doctorOn(
      {
        'deploy.sh': `#!/bin/bash
set -e
curl --fail https://shop.example.com/health/ready
ln -s "$RELEASE" /var/www/app/current.tmp && mv -T /var/www/app/current.tmp /var/www/app/current
sudo systemctl reload php8.2-fpm
curl https://shop.example.com/health/ready
`,
      },
      { rule: 'missing-health-check' },
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'warning', location: { file: 'deploy.sh', line: 4, col: 46 }, target: { subject: 'health check' } });
    expect(findings[0]!.fix.split('\n')[1]).toBe('curl --fail --silent --show-error --retry 10 --retry-delay 1 --retry-all-errors https://example.com/health/ready');
  });

  it("fires on Deployer's stock flow at the recipe line, with a Deployer task as the fix", async () => {
    const { findings } = await doctorOn({ 'deploy.php': "<?php\nnamespace Deployer;\n\nrequire 'recipe/laravel.php';\nhost('web1');\n" }, { rule: 'missing-health-check' });
    expect(findings).toHaveLength(1);
    expect(findings[0]!.location).toMatchObject({ file: 'deploy.php', line: 4 });
    expect(findings[0]!.fix).toContain("after('deploy:symlink', 'deploy:health');");
  });

  it('stays quiet when a CI job checks after dep deploy, or a Deployer hook does', async () => {
    const ci = await doctorOn(
      {
        'deploy.php': "<?php\nnamespace Deployer;\nrequire 'recipe/laravel.php';\n",
        '.github/workflows/deploy.yml': `jobs:
  deploy:
    steps:
      - uses: deployphp/action@v1
        with:
          dep: deploy
      - run: curl -fsS --retry 5 https://shop.example.com/health/ready
`,
      },
      { rule: 'missing-health-check' },
    );
    expect(ci.findings).toEqual([]);
    const hook = await doctorOn(
      {
        'deploy.yaml': `import:
  - recipe/laravel.php
config:
  repository: git@example.com:shop.git
hosts:
  web1: {}
tasks:
  deploy:health:
    - run: curl --fail https://shop.example.com/health/ready
after:
  deploy:symlink: deploy:health
`,
      },
      { rule: 'missing-health-check' },
    );
    expect(hook.findings).toEqual([]);
  });
});
