import { describe, expect, it } from 'vitest';
import { globToRegExp, ignoreMatcher } from '../../src/util/glob.js';

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
  ['deploy-[ab].sh', 'deploy-a.sh', true],
  ['deploy-[ab].sh', 'deploy-c.sh', false],
  ['v[0-9].php', 'v7.php', true],
  ['v[!0-9].php', 'vx.php', true],
  ['v[!0-9].php', 'v7.php', false],
  ['a[!x]b', 'a/b', false],
];

describe('globToRegExp: one rule for paths.ignore and doctor.ignore', () => {
  it.each(CASES)('%s on %s → %s', (glob, path, expected) => {
    expect(globToRegExp(glob).test(path)).toBe(expected);
  });
});

describe('ignoreMatcher: a list of globs as a .gitignore reads it', () => {
  it('the last matching glob decides; !glob takes a path back; # lines are comments', () => {
    const ignored = ignoreMatcher(['# deploy scripts we do not run', '*.sh', '!b.sh', 'tools/']);
    expect(['a.sh', 'b.sh', 'scripts/b.sh', 'scripts/c.sh', 'tools/x.php', 'deploy.php'].filter(ignored)).toEqual(['a.sh', 'scripts/c.sh', 'tools/x.php']);
    expect(ignoreMatcher([])('a.sh')).toBe(false);
    expect(ignoreMatcher(['\\!weird.sh'])('!weird.sh')).toBe(true);
  });
});
