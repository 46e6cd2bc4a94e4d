import { describe, expect, it } from 'vitest';
import { findReferences, type IndexStats } from '../../src/code/index.js';
import { IndexShare } from '../../src/code/memo.js';
import { DirectoryRelease } from '../../src/discover/release.js';
import { tempTree } from '../helpers.js';
import { OWNERS } from './refs.js';

const model = (table?: string): string => `<?php

namespace App\\Models;

use Illuminate\\Database\\Eloquent\\Model;

class Member extends Model
{
${table ? `    protected $table = '${table}';\n` : ''}}
`;

const CONTROLLER = `<?php

namespace App\\Http\\Controllers;

use App\\Models\\Member;

class MemberController
{
    public function show(Member $member)
    {
        return $member->legacy_id;
    }
}
`;

const mk = (): IndexStats => ({ files: 0, candidates: 0, secondPass: 0, references: 0, unparsable: [], ms: 0 });
const owners = (c: string): Set<string> | undefined => (OWNERS[c] ? new Set(OWNERS[c]) : undefined);
const line = (r: { file: string; line: number; table: string; column?: string; release: string }): string => `${r.release} ${r.file}:${r.line} ${r.table}.${r.column ?? '*'}`;

describe('work shared by the two releases of a deploy', () => {
  it('a file both releases hold is analysed once when the classes it asks about answer the same', async () => {
    const files = { 'app/Models/Member.php': model('users'), 'app/Http/Controllers/MemberController.php': CONTROLLER };
    const shared = new IndexShare();
    const stats = [mk(), mk()];
    const targets = [{ table: 'users', column: 'legacy_id' }];
    const old = await findReferences(new DirectoryRelease(tempTree(files), 'old'), targets, { columnOwners: owners, shared, stats: stats[0] });
    const neu = await findReferences(new DirectoryRelease(tempTree(files), 'new'), targets, { columnOwners: owners, shared, stats: stats[1] });
    expect(old.map(line)).toEqual(['old app/Http/Controllers/MemberController.php:11 users.legacy_id']);
    expect(neu.map(line)).toEqual(['new app/Http/Controllers/MemberController.php:11 users.legacy_id']);
    expect([stats[0]!.reused ?? 0, stats[1]!.reused]).toEqual([0, 1]);
  });

  it('is analysed again when the release maps a class it uses to another table', async () => {
    // the same controller; in the new release Member maps `members`, so `$member->legacy_id` is not users'
    const shared = new IndexShare();
    const stats = [mk(), mk()];
    const targets = [{ table: 'users', column: 'legacy_id' }];
    const oldTree = tempTree({ 'app/Models/Member.php': model('users'), 'app/Http/Controllers/MemberController.php': CONTROLLER });
    const newTree = tempTree({ 'app/Models/Member.php': model('members'), 'app/Http/Controllers/MemberController.php': CONTROLLER });
    const old = await findReferences(new DirectoryRelease(oldTree, 'old'), targets, { columnOwners: owners, shared, stats: stats[0] });
    const neu = await findReferences(new DirectoryRelease(newTree, 'new'), targets, { columnOwners: owners, shared, stats: stats[1] });
    expect(old.map(line)).toEqual(['old app/Http/Controllers/MemberController.php:11 users.legacy_id']);
    expect(neu.map(line)).toEqual([]);
    expect(stats[1]!.reused ?? 0).toBe(0);
  });
});
