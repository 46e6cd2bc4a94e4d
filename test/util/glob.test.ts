import { describe, expect, it } from 'vitest';
import { globToRegExp } from '../../src/util/glob.js';

const CASES: Array<[string, string, boolean]> = [
  ['*.sh', 'deploy.sh', true],
  ['*.sh', 'scripts/deploy.sh', true],
  ['*.sh', 'deploy.shx', false],
  ['docker', 'docker/dev/nginx.conf', true],
  ['docker', 'ops/docker/x.yml', true],
  ['docker', 'dockerfiles/x', false],
  ['docker/dev', 'docker/dev/nginx.conf', true],
  ['docker/dev/', 'docker/dev/nginx.conf', true],
  ['docker/dev', 'ops/docker/dev/nginx.conf', false],
  ['/deploy.sh', 'deploy.sh', true],
  ['/deploy.sh', 'scripts/deploy.sh', false],
  ['./deploy.sh', 'scripts/deploy.sh', false],
  ['tests/*Test.php', 'tests/ATest.php', true],
  ['tests/*Test.php', 'tests/Feature/ATest.php', false],
  ['tests/**/*Test.php', 'tests/Feature/ATest.php', true],
  ['tests/**/*Test.php', 'tests/ATest.php', true],
  ['**/*.sh', 'a/b/c.sh', true],
  ['app/Legacy/**', 'app/Legacy/Old/A.php', true],
  ['app/Legacy/**', 'app/LegacyBridge.php', false],
  ['v?.php', 'src/v1.php', true],
  ['v?.php', 'src/v10.php', false],
  ['a+b.(x)', 'a+b.(x)', true],
];

describe('globToRegExp: one rule for paths.ignore and doctor.ignore', () => {
  it.each(CASES)('%s on %s → %s', (glob, path, expected) => {
    expect(globToRegExp(glob).test(path)).toBe(expected);
  });
});
