import { describe, expect, it } from 'vitest';
import { doctorOn } from '../helpers.js';

const RESTART = 'sudo systemctl restart php8.2-fpm';
const at = (findings: Array<{ rule: string; location: { line: number } }>): string[] => findings.map((f) => `${f.rule}:${f.location.line}`);

describe('zdd-ignore in deploy files', () => {
  it('a comment with a rule and a reason suppresses the finding on the next line or its own line', async () => {
    const { findings } = await doctorOn({ 'deploy.sh': `#!/bin/bash\n# zdd-ignore fpm-restart: maintenance window only\n\n${RESTART}\n${RESTART} # zdd-ignore fpm-restart: same\n` });
    expect(findings).toEqual([]);
  });

  it('zdd-ignore-file without a rule list suppresses every rule of the file, as in migrations', async () => {
    const script = `#!/bin/bash\n# zdd-ignore-file: run by hand in the maintenance window, never by CI\nln -sfn /var/www/releases/42 /var/www/current\n${RESTART}\n`;
    const before = await doctorOn({ 'deploy.sh': script.replace(/# zdd-ignore-file.*\n/, '') });
    expect(new Set(before.findings.map((f) => f.rule)).size).toBeGreaterThan(1);
    const { findings } = await doctorOn({ 'deploy.sh': script });
    expect(findings).toEqual([]);
    // only in its own file
    const other = await doctorOn({ 'deploy.sh': script, 'scripts/restart.sh': `#!/bin/bash\n${RESTART}\n` });
    expect(at(other.findings)).toEqual(['fpm-restart:2']);
  });

  it('a comment that does not do its job is an unused-ignore, worded as for migrations', async () => {
    const { findings } = await doctorOn({
      'deploy.sh': `#!/bin/bash\n# zdd-ignore: no rule named\n${RESTART}\n# zdd-ignore-file\n# zdd-ignore drop-column: a migration rule\necho hi\n# zdd-ignore fpm-restart: nothing here\necho done\n# zdd-ignore fpm-restart: last line\n`,
    });
    expect(findings.map((f) => [f.rule, f.location.line, f.message])).toEqual([
      ['unused-ignore', 2, 'zdd-ignore names no rule: write `zdd-ignore <rule>: <reason>`'],
      ['fpm-restart', 3, expect.any(String)],
      ['unused-ignore', 4, 'zdd-ignore-file needs a reason: write `zdd-ignore-file: <why this is safe>`'],
      ['unused-ignore', 5, 'zdd-ignore names a rule zdd doctor does not check: drop-column (see `zdd rules`)'],
      ['unused-ignore', 7, 'zdd-ignore fpm-restart suppresses nothing: no such finding on the next line'],
      ['unused-ignore', 9, 'zdd-ignore is not followed by a line'],
    ]);
    const off = await doctorOn({ 'deploy.sh': `#!/bin/bash\n# zdd-ignore: no rule named\n${RESTART}\n` }, { config: { rules: { 'unused-ignore': 'off' } } });
    expect(at(off.findings)).toEqual(['fpm-restart:3']);
  });
});
