/**
 * The globs of `paths.ignore` (the code index) and `doctor.ignore` (deploy files): one rule for
 * both, the one .gitignore follows, matched against project-relative paths with `/` separators.
 *
 * - `*` is any run of characters but `/`, `?` one such character, `**` any number of directories
 *   (`**` + `/*.sh`, `app/Legacy/**`, `a/**` + `/b`);
 * - a glob without a `/` (a trailing one aside) matches a name at any depth: `*.sh`, `*.stub.php`,
 *   `docker`; one with a `/` elsewhere — a leading `/` or `./` included — is matched from the project
 *   root: `tests/*Test.php` matches `tests/ATest.php`, not `tests/Feature/ATest.php`;
 * - a glob that matches a directory matches everything under it: `docker/dev`, `docker/dev/`.
 */
export function globToRegExp(glob: string): RegExp {
  let g = glob.trim().replace(/\/+$/, '');
  const anchored = g.includes('/');
  g = g.replace(/^(?:\.\/|\/)+/, '');
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const c = g[i]!;
    if (c === '*' && g[i + 1] === '*') {
      const slash = g[i + 2] === '/';
      re += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`${anchored ? '^' : '(?:^|/)'}${re}(?:/.*)?$`);
}
