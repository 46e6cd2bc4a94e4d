import { findReferences, type IndexStats, type ReferenceTarget } from '../../src/code/index.js';
import type { IndexOptions } from '../../src/code/types.js';
import { DirectoryRelease } from '../../src/discover/release.js';
import { tempTree } from '../helpers.js';

/** Owners as schema replay would give them for the apps in these tests. */
export const OWNERS: Record<string, string[]> = {
  legacy_id: ['users'],
  nickname: ['users'],
  status: ['users', 'orders', 'teams'],
  name: ['users', 'teams'],
  team_id: ['users'],
  customer_id: ['orders'],
  total: ['orders'],
  user_id: ['posts', 'role_user'],
  email: ['users'],
};

/**
 * References in a small tree, one compact line each:
 * `file:line table.column confidence[ non-prod] kind`.
 */
export async function refsIn(files: Record<string, string>, targets: ReferenceTarget[], opts: IndexOptions & { stats?: IndexStats } = {}): Promise<string[]> {
  const dir = tempTree(files);
  const refs = await findReferences(new DirectoryRelease(dir, 'new'), targets, {
    columnOwners: (c) => (OWNERS[c] ? new Set(OWNERS[c]) : undefined),
    ...opts,
  });
  return refs.map((r) => `${r.file}:${r.line} ${r.table}.${r.column ?? '*'} ${r.confidence}${r.production ? '' : ' non-prod'} ${r.kind}`);
}

export const USER_MODEL = `<?php

namespace App\\Models;

use Illuminate\\Database\\Eloquent\\Model;

class User extends Model
{
    protected $fillable = ['name', 'email', 'legacy_id'];
}
`;

export const ORDER_MODEL = `<?php

namespace App\\Models;

use Illuminate\\Database\\Eloquent\\Model;

class Order extends Model
{
    protected $fillable = ['customer_id', 'status', 'total'];

    public function customer()
    {
        return $this->belongsTo(User::class, 'customer_id');
    }
}
`;
