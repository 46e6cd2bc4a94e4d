/**
 * The globs of `paths.ignore` (the code index) and `doctor.ignore` (deploy files): one rule for
 * both, the one .gitignore follows, matched against project-relative paths with `/` separators.
 *
 * - `*` is any run of characters but `/`, `?` one such character, `**` any number of directories
 *   (`**` + `/*.sh`, `app/Legacy/**`, `a/**` + `/b`);
 * - a glob without a `/` (a trailing one aside) matches a name at any depth: `*.sh`, `*.stub.php`,
 *   `docker`; one with a `/` elsewhere — a leading `/` or `./` included — is matched from the project
 *   root: `tests/*Test.php` matches `tests/ATest.php`, not `tests/Feature/ATest.php`;
 * - a glob that matches a directory matches everything under it: `docker/dev`, `docker/dev/`;
 * - `[abc]`, `[a-z]`, `[!abc]` match one such character.
 * A list of globs is read as a .gitignore is (`ignoreMatcher`): `!glob` takes a path back, and the
 * last glob that matches a path decides.
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
    else if (c === '[' && g.indexOf(']', i + 2) !== -1) {
      // a character class: [abc], [a-z], [!abc] / [^abc] (never matches `/`)
      const end = g.indexOf(']', i + 2);
      let body = g.slice(i + 1, end);
      const negated = body.startsWith('!') || body.startsWith('^');
      if (negated) body = body.slice(1);
      re += `[${negated ? '^/' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`${anchored ? '^' : '(?:^|/)'}${re}(?:/.*)?$`);
}

/** A list of globs as a .gitignore reads it: the last matching glob decides; `!glob` un-ignores. */
export function ignoreMatcher(globs: readonly string[]): (path: string) => boolean {
  const rules = globs
    .map((g) => g.trim())
    .filter((g) => g && !g.startsWith('#'))
    .map((g) => (g.startsWith('!') ? { keep: true, re: globToRegExp(g.slice(1)) } : { keep: false, re: globToRegExp(g.replace(/^\\!/, '!')) }));
  if (!rules.length) return () => false;
  return (path) => {
    let ignored = false;
    for (const r of rules) if (r.re.test(path)) ignored = !r.keep;
    return ignored;
  };
}
