import { describe, expect, it } from 'vitest';
import { findReferences, type ReferenceTarget } from '../../src/code/index.js';
import { IndexShare } from '../../src/code/memo.js';
import { DirectoryRelease } from '../../src/discover/release.js';
import { tempTree } from '../helpers.js';
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
});
