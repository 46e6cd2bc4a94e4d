import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changedFiles, isShallow, listIndex, listTree, mergeBase, readBlobs, repoRoot, resolveCommit } from '../../src/discover/git.js';
import { baseReleases, DirectoryRelease, fromToReleases, stagedReleases, type Release } from '../../src/discover/release.js';
import { InputError } from '../../src/util/errors.js';
import { commitAll, git, gitRepo, tempTree, writeTree } from '../helpers.js';

async function readAll(r: Release, paths?: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  await r.read(paths ?? (await r.list()), (p, d) => (out[p] = d.toString('utf8')));
  return out;
}

describe('git plumbing', () => {
  it('lists a commit tree and the index with blob ids, and streams blobs through one cat-file', async () => {
    const dir = gitRepo({ 'a.txt': 'one\n', 'dir/b.php': '<?php echo 2;\n', 'empty.txt': '' });
    const head = await resolveCommit(dir, 'HEAD');
    const tree = await listTree(dir, head!);
    expect(tree.map((e) => [e.path, e.size])).toEqual([['a.txt', 4], ['dir/b.php', 14], ['empty.txt', 0]]);
    writeTree(dir, { 'c.txt': 'staged\n' });
    git(dir, 'add', 'c.txt');
    expect((await listIndex(dir)).map((e) => e.path)).toEqual(['a.txt', 'c.txt', 'dir/b.php', 'empty.txt']);
    const got: string[] = [];
    const missing: number[] = [];
    await readBlobs(dir, [...tree.map((e) => e.oid), '0123456789abcdef0123456789abcdef01234567'], (_oid, data, i) => got.push(`${i}:${data.toString('utf8')}`), (_oid, i) => missing.push(i));
    expect(got).toEqual(['0:one\n', '1:<?php echo 2;\n', '2:']);
    expect(missing).toEqual([3]);
  });

  it('finds the repository root, merge-base, shallow state, and files changed since a commit (untracked included)', async () => {
    const dir = gitRepo({ 'db/1.sql': 'x', 'app/a.php': 'a' });
    const base = git(dir, 'rev-parse', 'HEAD');
    mkdirSync(join(dir, 'sub'));
    expect(await repoRoot(join(dir, 'sub'))).toBe(git(dir, 'rev-parse', '--show-toplevel'));
    expect(await repoRoot(tempTree({}))).toBeUndefined();
    git(dir, 'checkout', '-q', '-b', 'feature');
    writeTree(dir, { 'db/2.sql': 'y', 'app/a.php': 'changed' });
    commitAll(dir, 'feature');
    writeTree(dir, { 'db/3.sql': 'untracked', 'db/1.sql': 'edited in the work tree' });
    expect(await mergeBase(dir, 'main', 'HEAD')).toBe(base);
    expect(await isShallow(dir)).toBe(false);
    // each with whether the base had it: db/1.sql was there (edited), the others are new
    const sorted = (m: Map<string, string>) => [...m].sort(([a], [b]) => a.localeCompare(b));
    expect(sorted(await changedFiles(dir, base, ['db']))).toEqual([
      ['db/1.sql', 'modified'],
      ['db/2.sql', 'added'],
      ['db/3.sql', 'added'],
    ]);
    git(dir, 'add', 'db/3.sql');
    expect(sorted(await changedFiles(dir, 'HEAD', ['db'], { cached: true }))).toEqual([['db/3.sql', 'added']]);
  });
});

describe('releases', () => {
  it('a directory release lists app files without dependencies, caches or translations, and follows symlinked files', async () => {
    const dir = tempTree({ 'app/A.php': 'a', 'vendor/x/B.php': 'b', 'node_modules/m/i.js': 'c', 'storage/logs/l.php': 'd', 'resources/lang/en/x.php': 'e', 'database/migrations/1.php': 'f' });
    symlinkSync(join(dir, 'app/A.php'), join(dir, 'app/Link.php'));
    const r = new DirectoryRelease(dir, 'new');
    expect((await r.list()).sort()).toEqual(['app/A.php', 'app/Link.php', 'database/migrations/1.php']);
    expect(await readAll(r, ['app/A.php', 'missing.php'])).toEqual({ 'app/A.php': 'a' });
  });

  it('--base: old = the merge-base commit (from git objects), new = the work tree; the change includes untracked migrations', async () => {
    const dir = gitRepo({ 'database/migrations/1.sql': 'one', 'app/A.php': 'old code' });
    git(dir, 'checkout', '-q', '-b', 'feature');
    writeTree(dir, { 'database/migrations/2.sql': 'two', 'app/A.php': 'new code' });
    const pair = await baseReleases(dir, 'main');
    expect((await pair.changed(await pair.new.list(), ['database/migrations'])).existing.size).toBe(0);
    writeTree(dir, { 'database/migrations/1.sql': 'one, edited after it ran' });
    const edited = await pair.changed(await pair.new.list(), ['database/migrations']);
    expect([...edited.files].sort()).toEqual(['database/migrations/1.sql', 'database/migrations/2.sql']);
    expect([...edited.existing]).toEqual(['database/migrations/1.sql']);
    writeTree(dir, { 'database/migrations/1.sql': 'one' });
    expect(await readAll(pair.old)).toEqual({ 'app/A.php': 'old code', 'database/migrations/1.sql': 'one' });
    expect(await readAll(pair.new)).toEqual({ 'app/A.php': 'new code', 'database/migrations/1.sql': 'one', 'database/migrations/2.sql': 'two' });
    expect([...(await pair.changed(await pair.new.list(), ['database/migrations'])).files]).toEqual(['database/migrations/2.sql']);
  });

  it('--staged: old = HEAD, new = the index (not the work tree); with no commit yet, everything staged is new', async () => {
    const dir = gitRepo({ 'm/1.sql': 'one', 'app/A.php': 'v1' });
    writeTree(dir, { 'm/2.sql': 'two', 'app/A.php': 'v2 staged' });
    git(dir, 'add', '-A');
    writeTree(dir, { 'app/A.php': 'v3 not staged', 'm/3.sql': 'not staged' });
    const pair = await stagedReleases(dir);
    expect(await readAll(pair.old)).toEqual({ 'app/A.php': 'v1', 'm/1.sql': 'one' });
    expect(await readAll(pair.new)).toEqual({ 'app/A.php': 'v2 staged', 'm/1.sql': 'one', 'm/2.sql': 'two' });
    expect([...(await pair.changed(await pair.new.list(), ['m'])).files]).toEqual(['m/2.sql']);

    const fresh = tempTree({ 'm/1.sql': 'one' });
    git(fresh, 'init', '-q', '-b', 'main');
    git(fresh, 'add', '-A');
    const first = await stagedReleases(fresh);
    expect(await first.old.list()).toEqual([]);
    expect([...(await first.changed(['m/1.sql'], ['m'])).files]).toEqual(['m/1.sql']);
  });

  it('--from/--to: directories or refs; new migrations are the files --to has and --from lacks', async () => {
    const root = tempTree({ 'current/m/1.sql': 'one', 'current/app/A.php': 'old', 'next/m/1.sql': 'one', 'next/m/2.sql': 'two', 'next/app/A.php': 'new' });
    const pair = await fromToReleases(root, 'current', 'next');
    expect(pair.newRoot).toBe(join(root, 'next'));
    expect([...(await pair.changed(await pair.new.list(), ['m'])).files]).toEqual(['m/2.sql']);

    const repo = gitRepo({ 'm/1.sql': 'one' });
    git(repo, 'tag', 'v1');
    writeTree(repo, { 'm/2.sql': 'two' });
    commitAll(repo, 'two');
    const refs = await fromToReleases(repo, 'v1', 'HEAD');
    expect(await readAll(refs.old)).toEqual({ 'm/1.sql': 'one' });
    expect([...(await refs.changed(await refs.new.list(), ['m'])).files]).toEqual(['m/2.sql']);
  });

  it('says clearly what is wrong: not a repository, unknown ref, missing directory, shallow clone without the merge-base', async () => {
    const plain = tempTree({ 'a.txt': 'x' });
    await expect(baseReleases(plain, 'main')).rejects.toThrow(new InputError(`--base needs a git repository, and ${plain} is not inside one (for two release directories, use --from <dir> --to <dir>)`));
    await expect(stagedReleases(plain)).rejects.toThrow(/--staged needs a git repository/);
    const repo = gitRepo({ 'a.txt': 'x' });
    await expect(baseReleases(repo, 'origin/nope')).rejects.toThrow(/^--base origin\/nope: unknown git ref \(not a branch, tag or commit of /);
    await expect(fromToReleases(plain, 'missing', plain)).rejects.toThrow(`--from missing: no such directory (and ${plain} is not a git repository, so it cannot be a git ref)`);
    await expect(fromToReleases(repo, 'nope', repo)).rejects.toThrow('--from nope: no such directory, and not a git ref');

    // a shallow clone of a feature branch: main's history is not there
    git(repo, 'checkout', '-q', '-b', 'feature');
    writeTree(repo, { 'b.txt': 'y' });
    commitAll(repo, 'feature');
    const clone = join(tempTree({}), 'clone');
    git(repo, 'clone', '-q', '--depth', '1', '--branch', 'feature', `file://${repo}`, clone);
    expect(await isShallow(clone)).toBe(true);
    await expect(baseReleases(clone, 'origin/main')).rejects.toThrow(/unknown git ref in this shallow clone; fetch it first \(`git fetch --depth=<n> origin main`\), or fetch more history: `git fetch --unshallow`/);
    git(clone, 'fetch', '-q', '--depth', '1', 'origin', 'main:refs/remotes/origin/main');
    await expect(baseReleases(clone, 'origin/main')).rejects.toThrow(/the merge-base of origin\/main and HEAD is not in this shallow clone; fetch more history/);
    git(clone, 'fetch', '-q', '--unshallow', 'origin');
    await expect(baseReleases(clone, 'origin/main')).resolves.toMatchObject({ mode: 'base' });
    expect(existsSync(join(clone, '.git', 'shallow'))).toBe(false);
  });
});
