import { describe, expect, it } from 'vitest';
import { findReferences, type ReferenceTarget } from '../../src/code/index.js';
import { ClassMap } from '../../src/code/classmap.js';
import { IndexShare } from '../../src/code/memo.js';
import { findReferencesInBoth } from '../../src/code/parallel.js';
import { baseReleases, DirectoryRelease, stagedReleases } from '../../src/discover/release.js';
import { git, gitRepo, tempTree, writeTree } from '../helpers.js';
import { OWNERS, USER_MODEL } from './refs.js';

/**
 * The two releases of a lint run share slices and analyses of identical code (memo.ts): a file the same in
 * both must still be tied to each release's own models.
 */
describe('a file identical in both releases', () => {
  const controller = `<?php

namespace App\\Http\\Controllers;

use App\\Models\\User;
use App\\Models\\Member;

class UserController
{
    public function show(User $user, Member $member)
    {
        $user->legacy_id = 1;
        $member->posts()->where('user_id', 2)->get();
        return User::where('legacy_id', 3)->first()->nickname;
    }
}
`;
  // the new release maps User to another table and gives Member a relationship
  const oldTree = {
    'app/Models/User.php': USER_MODEL,
    'app/Models/Member.php': "<?php\nnamespace App\\Models;\nuse Illuminate\\Database\\Eloquent\\Model;\nclass Member extends Model\n{\n}\n",
    'app/Http/Controllers/UserController.php': controller,
  };
  const newTree = {
    'app/Models/User.php': USER_MODEL.replace("protected $fillable", "protected $table = 'members';\n    protected $fillable"),
    'app/Models/Member.php': "<?php\nnamespace App\\Models;\nuse Illuminate\\Database\\Eloquent\\Model;\nclass Member extends Model\n{\n    public function posts()\n    {\n        return $this->hasMany(Post::class);\n    }\n}\n",
    'app/Models/Post.php': "<?php\nnamespace App\\Models;\nuse Illuminate\\Database\\Eloquent\\Model;\nclass Post extends Model\n{\n}\n",
    'app/Http/Controllers/UserController.php': controller,
  };
  const targets: ReferenceTarget[] = [
    { table: 'users', column: 'legacy_id' },
    { table: 'members', column: 'legacy_id' },
    { table: 'users', column: 'nickname' },
    { table: 'members', column: 'nickname' },
    { table: 'posts', column: 'user_id' },
  ];
  const columnOwners = (c: string): Set<string> | undefined => (OWNERS[c] ? new Set(OWNERS[c]) : undefined);
  const lines = (refs: Awaited<ReturnType<typeof findReferences>>): string[] => refs.map((r) => `${r.release} ${r.file}:${r.line} ${r.table}.${r.column ?? '*'} ${r.confidence} ${r.kind}`);

  it('is analysed against each release’s classes, shared parse or not', async () => {
    const oldDir = tempTree(oldTree);
    const newDir = tempTree(newTree);
    const alone = [
      ...(await findReferences(new DirectoryRelease(oldDir, 'old'), targets, { columnOwners })),
      ...(await findReferences(new DirectoryRelease(newDir, 'new'), targets, { columnOwners })),
    ];
    for (const order of ['old first', 'new first']) {
      const shared = new IndexShare();
      const run = (side: 'old' | 'new'): ReturnType<typeof findReferences> => findReferences(new DirectoryRelease(side === 'old' ? oldDir : newDir, side), targets, { columnOwners, shared });
      const both = order === 'old first' ? [...(await run('old')), ...(await run('new'))] : [...(await run('new')), ...(await run('old'))].sort((a, b) => (a.release === b.release ? 0 : a.release === 'old' ? -1 : 1));
      expect(lines(both), order).toEqual(lines(alone));
    }
    // and the releases do differ here
    expect(lines(alone).filter((l) => l.startsWith('old') && l.includes('Controller'))).not.toEqual(lines(alone).filter((l) => l.startsWith('new') && l.includes('Controller')).map((l) => l.replace(/^new/, 'old')));
  });

  it('is not skipped in one release because the other skipped it: each release ties names with its own models', async () => {
    // users.status is shared; users is Account's table in the old release, Member's in the new one: the same
    // controller ties `$member->status` to users in the new release only
    const model = (name: string): string => `<?php\nnamespace App\\Models;\nuse Illuminate\\Database\\Eloquent\\Model;\nclass ${name} extends Model\n{\n    protected $table = 'users';\n}\n`;
    const service = "<?php\nnamespace App\\Services;\nclass Roster\n{\n    public function run($member)\n    {\n        return $member->status;\n    }\n\n    public function other()\n    {\n        return 'user';\n    }\n}\n";
    const oldDir = tempTree({ 'app/Models/Account.php': model('Account'), 'app/Services/Roster.php': service });
    const newDir = tempTree({ 'app/Models/Member.php': model('Member'), 'app/Services/Roster.php': service });
    const statusTargets: ReferenceTarget[] = [{ table: 'users', column: 'status' }];
    const alone = [
      ...(await findReferences(new DirectoryRelease(oldDir, 'old'), statusTargets, { columnOwners })),
      ...(await findReferences(new DirectoryRelease(newDir, 'new'), statusTargets, { columnOwners })),
    ];
    expect(lines(alone)).toEqual(['new app/Services/Roster.php:7 users.status medium attribute-read']);
    const shared = new IndexShare();
    const both = [
      ...(await findReferences(new DirectoryRelease(oldDir, 'old'), statusTargets, { columnOwners, shared })),
      ...(await findReferences(new DirectoryRelease(newDir, 'new'), statusTargets, { columnOwners, shared })),
    ];
    expect(lines(both)).toEqual(lines(alone));
  });

  it('keeps what a class scan found apart from what the release learns later (a mapping marking it an entity)', () => {
    const map = new ClassMap();
    const scanned = map.scanPhpText('src/Entity/Thing.php', '<?php\nnamespace App\\Entity;\nclass Thing\n{\n}\n', true);
    map.addMapping('App\\Entity\\Thing', 'things', 'config/doctrine/Thing.orm.xml', 3);
    expect(map.tablesOf('App\\Entity\\Thing')).toEqual(['things']);
    expect(scanned.map((c) => [c.fqcn, c.entity ?? 'plain'])).toEqual([['App\\Entity\\Thing', 'plain']]);
    const other = new ClassMap();
    other.addScanned(scanned);
    expect(other.get('App\\Entity\\Thing')?.entity).toBeUndefined();
    expect(other.tablesOf('App\\Entity\\Thing')).toEqual([]);
  });

  it('is read once when git says both releases hold it alike (--staged, --base), with the same references', async () => {
    // a Doctrine mapping only the old release has (the class both hold alike is an entity there only)
    const thing = '<?php\nnamespace App\\Entity;\nclass Thing\n{\n    private $legacyId;\n}\n';
    const xml = '<?xml version="1.0"?>\n<doctrine-mapping>\n  <entity name="App\\Entity\\Thing" table="things">\n    <field name="legacyId" column="legacy_id"/>\n  </entity>\n</doctrine-mapping>\n';
    const withThing = (tree: Record<string, string>, old: boolean): Record<string, string> => ({ ...tree, 'src/Entity/Thing.php': thing, ...(old ? { 'config/doctrine/Thing.orm.xml': xml } : {}) });
    const all = [...targets, { table: 'things', column: 'legacy_id' }];
    const oldDir = tempTree(withThing(oldTree, true));
    const newDir = tempTree(withThing(newTree, false));
    const alone = [
      ...(await findReferences(new DirectoryRelease(oldDir, 'old'), all, { columnOwners })),
      ...(await findReferences(new DirectoryRelease(newDir, 'new'), all, { columnOwners })),
    ];
    expect(lines(alone).filter((l) => l.includes('Thing'))).toEqual(['old config/doctrine/Thing.orm.xml:4 things.legacy_id high entity-mapping']);

    const repo = gitRepo(withThing(oldTree, true));
    git(repo, 'rm', '-q', 'config/doctrine/Thing.orm.xml');
    writeTree(repo, newTree);
    const base = git(repo, 'rev-parse', 'HEAD');
    for (const mode of ['staged', 'base'] as const) {
      if (mode === 'staged') git(repo, 'add', '-A');
      else git(repo, 'reset', '-q'); // --base: the change is in the work tree
      const pair = mode === 'staged' ? await stagedReleases(repo) : await baseReleases(repo, base);
      const same = await pair.sameContent!();
      expect(same, mode).toBeDefined();
      const owners = new Map(Object.entries(OWNERS).map(([c, t]) => [c, new Set(t)]));
      const both = await findReferencesInBoth(pair.old, pair.new, all, { owners, same: same! });
      expect(both.threads).toBe(1);
      expect(lines(both.references).sort(), mode).toEqual(lines(alone).sort());
      // the controller and Thing.php are read by one release and taken by the other
      expect(both.stats.map((s) => s.sharedFiles ?? 0).sort(), mode).toEqual([0, 2]);
    }
  });
});
