import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultCacheDir, IndexCache } from '../../src/code/cache.js';
import { mayContain, wordGrams } from '../../src/code/grams.js';

/** A text's filter (of its bytes, as the index makes it). */
const grams = (text: string): Int32Array => wordGrams(Buffer.from(text, 'utf8'));
import { findReferences, type IndexStats, type ReferenceTarget } from '../../src/code/index.js';
import { DirectoryRelease } from '../../src/discover/release.js';
import { tempTree, writeTree } from '../helpers.js';
import { OWNERS, USER_MODEL } from './refs.js';

const mk = (): IndexStats => ({ files: 0, candidates: 0, secondPass: 0, references: 0, unparsable: [], ms: 0 });
const lines = (refs: Awaited<ReturnType<typeof findReferences>>): string[] => refs.map((r) => `${r.file}:${r.line} ${r.table}.${r.column ?? '*'} ${r.confidence} ${r.kind} ${r.text}`);
const ownersOf =
  (table: Record<string, string[]>) =>
  (c: string): Set<string> | undefined =>
    table[c] ? new Set(table[c]) : undefined;

describe('trigram filters', () => {
  it('never rule out a name the text holds, whole or inside a longer name', () => {
    // seeded: random identifiers, and every substring of three or more of their characters is asked
    let seed = 7;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_';
    for (let round = 0; round < 50; round++) {
      const words = Array.from({ length: 1 + rnd(400) }, () => Array.from({ length: 3 + rnd(12) }, () => chars[rnd(chars.length)]).join(''));
      // separators of one byte and of several (UTF-8: every byte of é or € is a non-word byte)
      const text = words.join([' ', '->', "('", '\n', '$', 'é', ' € '][rnd(7)]!);
      const filter = grams(text);
      for (const w of words) {
        for (let i = 0; i + 3 <= w.length; i += 2) expect(mayContain(filter, w.slice(i)), w.slice(i)).toBe(true);
        expect(mayContain(filter, w, true), w).toBe(true);
      }
    }
  });

  it('rule out most names a text lacks, and never those they cannot judge', () => {
    const invoice = grams('<?php\nclass Invoice extends Model\n{\n    protected $fillable = [\'po_number\', \'balance\'];\n}\n');
    expect(['po_number', 'poNumber', 'PoNumber', 'balance', 'Invoice', 'voice', 'umbe'].map((n) => mayContain(invoice, n))).toEqual([true, false, false, true, true, true, true]);
    expect(['oauth_user_id', 'legacy_id', 'nickname'].map((n) => mayContain(invoice, n))).toEqual([false, false, false]);
    // shorter than a trigram, or not a word: cannot be ruled out
    expect(['id', 'x', 'po-number', 'due date'].map((n) => mayContain(invoice, n))).toEqual([true, true, true, true]);
    // a name spanning two words is not a word of the file
    expect(mayContain(grams('po number'), 'ponumber')).toBe(false);
    // as a word of its own: not when the file has it only inside longer names
    const inside = grams('$this->getPausedAt(); $unpaused = $paused_at;');
    expect([mayContain(inside, 'paused'), mayContain(inside, 'paused', true), mayContain(inside, 'paused_at', true), mayContain(inside, 'id', true), mayContain(inside, 'at', true)]).toEqual([true, false, true, false, false]);
  });
});

describe('the index cache file', () => {
  const classes = [{ fqcn: 'App\\Models\\User', file: 'app/Models/User.php', line: 7, parent: 'Illuminate\\Database\\Eloquent\\Model', table: 'users', scopes: new Set(['active']), relations: new Map([['team', { kind: 'belongsTo', related: 'App\\Models\\Team' }]]) }];

  it('keeps classes, mappings, trigram filters and analyses from one run to the next', () => {
    const dir = tempTree({});
    const a = IndexCache.open(dir, '/srv/app', 'build-1');
    const user = grams('class User extends Model');
    a.setFile('gabc', { classes, grams: user });
    a.setFile('gdef', { mappings: [{ entity: 'App\\Entity\\Thing', table: 'things', line: 3, columns: [{ names: ['legacy_id'], line: 4 }], joinTables: [] }], grams: grams('<entity/>') });
    a.addAnalysis('gabc', 'k1', { context: 'c', questions: [{ kind: 'tablesOf', a: 'App\\Models\\User', b: '', answer: 'users' }], result: { refs: [{ line: 9, table: 'users', column: 'legacy_id', confidence: 'high', kind: 'query' }] } });
    a.save();
    expect(readdirSync(dir)).toHaveLength(1);

    const b = IndexCache.open(dir, '/srv/app', 'build-1');
    const f = b.file('gabc', 'lib/User.php')!;
    expect(f.classes).toEqual([{ ...classes[0], file: 'lib/User.php' }]);
    expect([...f.grams]).toEqual([...user]);
    expect(b.file('gdef', 'config/Thing.orm.xml')!.mappings![0]!.columns[0]!.names).toEqual(['legacy_id']);
    expect(b.analyses('gabc', 'k1').map((e) => e.result)).toEqual([{ refs: [{ line: 9, table: 'users', column: 'legacy_id', confidence: 'high', kind: 'query' }] }]);
    expect(b.analyses('gabc', 'k2')).toEqual([]);
    expect(b.file('gnone', 'x.php')).toBeUndefined();
    // another project, another file
    expect(IndexCache.open(dir, '/srv/other', 'build-1').file('gabc', 'x.php')).toBeUndefined();
  });

  /** A cache directory holding one saved entry ('gabc'), and its file. */
  function saved(build: string, analysed = false): { dir: string; file: string } {
    const dir = tempTree({});
    const a = IndexCache.open(dir, '/srv/app', build);
    a.setFile('gabc', { classes, grams: grams('class User') });
    if (analysed) a.addAnalysis('gabc', 'k', { context: 'k', questions: [], result: { refs: [] } });
    a.save();
    return { dir, file: join(dir, readdirSync(dir)[0]!) };
  }

  it('is not used by another build of zdd', () => {
    const { dir } = saved('build-1');
    expect(IndexCache.open(dir, '/srv/app', 'build-2').file('gabc', 'a.php')).toBeUndefined();
  });

  it('starts afresh, saying why, from a file it cannot read', () => {
    const { dir, file } = saved('b');
    const whole = readFileSync(file);
    for (const broken of [Buffer.from('not a cache at all'), whole.subarray(0, whole.length - 40), Buffer.concat([whole.subarray(0, 30), Buffer.from('{{{{'), whole.subarray(34)]), Buffer.alloc(0)]) {
      writeFileSync(file, broken);
      const notes: string[] = [];
      const c = IndexCache.open(dir, '/srv/app', 'b', (m) => notes.push(m));
      expect(c.file('gabc', 'a.php')).toBeUndefined();
      expect(notes.join('\n')).toMatch(/starting afresh/);
      // and it writes a good one again
      c.setFile('gabc', { classes, grams: grams('x') });
      c.save();
      expect(IndexCache.open(dir, '/srv/app', 'b').file('gabc', 'a.php')).toBeDefined();
    }
  });

  it('refuses a file whose filters or analyses are malformed (no run hangs or fails on it)', () => {
    const { dir, file } = saved('b', true);
    const whole = readFileSync(file);
    // after the magic line
    const at = whole.indexOf(10) + 1;
    const length = whole.readUInt32LE(at);
    const header = JSON.parse(whole.toString('utf8', at + 4, at + 4 + length)) as { files: Array<{ words: number; analyses?: unknown[] }> };
    const write = (h: object, data: Buffer): void => {
      const json = Buffer.from(JSON.stringify(h));
      const pad = (4 - ((at + 4 + json.length) % 4)) % 4;
      const len = Buffer.alloc(4);
      len.writeUInt32LE(json.length + pad);
      writeFileSync(file, Buffer.concat([whole.subarray(0, at), len, json, Buffer.alloc(pad, 0x20), data]));
    };
    // a filter of zeros (its tables of size 0 would never end a lookup)
    write({ ...header, files: [{ ...header.files[0], words: 2 }] }, Buffer.alloc(8));
    const notes: string[] = [];
    expect(IndexCache.open(dir, '/srv/app', 'b', (m) => notes.push(m)).file('gabc', 'a.php')).toBeUndefined();
    expect(notes.join('\n')).toMatch(/a malformed name filter; starting afresh/);
    // an analysis whose result is not one
    const filters = whole.subarray(at + 4 + length);
    write({ ...header, files: [{ ...header.files[0], analyses: [[0, [], null]] }] }, filters);
    notes.length = 0;
    expect(IndexCache.open(dir, '/srv/app', 'b', (m) => notes.push(m)).file('gabc', 'a.php')).toBeUndefined();
    expect(notes.join('\n')).toMatch(/a malformed analysis; starting afresh/);
    // a header longer than the file
    const short = Buffer.from(whole);
    short.writeUInt32LE(whole.length * 2, at);
    writeFileSync(file, short);
    notes.length = 0;
    expect(IndexCache.open(dir, '/srv/app', 'b', (m) => notes.push(m)).file('gabc', 'a.php')).toBeUndefined();
    expect(notes.join('\n')).toMatch(/starting afresh/);
  });

  it('says why it cannot write, and does not throw', () => {
    const dir = tempTree({ 'cache-is-a-file': 'x' });
    const notes: string[] = [];
    const c = IndexCache.open(join(dir, 'cache-is-a-file'), '/srv/app', 'b', (m) => notes.push(m));
    c.setFile('gabc', { grams: grams('x') });
    c.save((m) => notes.push(m));
    expect(notes.join('\n')).toMatch(/cannot write it \(E[A-Z]+\); runs stay uncached/);
  });

  it('drops what no run used beyond three times what the last run used', () => {
    const dir = tempTree({});
    const a = IndexCache.open(dir, '/srv/app', 'b');
    for (let i = 0; i < 10; i++) a.setFile(`g${i}`, { grams: grams(`w${i}`) });
    a.save();
    const b = IndexCache.open(dir, '/srv/app', 'b');
    b.file('g0', 'a.php');
    b.setFile('g10', { grams: grams('new') });
    b.save();
    const c = IndexCache.open(dir, '/srv/app', 'b');
    const kept = Array.from({ length: 11 }, (_, i) => (c.file(`g${i}`, 'a.php') ? 1 : 0)).reduce((x: number, y) => x + y, 0);
    // g0 and g10 were used, and six others kept
    expect(kept).toBe(8);
  });

  it('lives in $ZDD_CACHE_DIR, else $XDG_CACHE_HOME/zdd, else ~/.cache/zdd', () => {
    expect(defaultCacheDir({ ZDD_CACHE_DIR: '/tmp/zc', XDG_CACHE_HOME: '/x' })).toBe('/tmp/zc');
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/zdd');
    expect(defaultCacheDir({})).toMatch(/\/\.cache\/zdd$/);
  });
});

describe('the code index with its cache', () => {
  const CONTROLLER = `<?php

namespace App\\Http\\Controllers;

use App\\Models\\User;

class UserController
{
    public function show(User $user)
    {
        $user->legacy_id = 1;
        return User::where('status', 'active')->first();
    }
}
`;
  const files = {
    'app/Models/User.php': USER_MODEL,
    'app/Http/Controllers/UserController.php': CONTROLLER,
    'app/Services/Clock.php': '<?php\nnamespace App\\Services;\nclass Clock\n{\n    public function now() { return time(); }\n}\n',
    'app/Services/Orders.php': "<?php\nnamespace App\\Services;\nclass Orders\n{\n    public function open($order) { return $order->status === 'open'; }\n}\n",
  };
  const targets: ReferenceTarget[] = [
    { table: 'users', column: 'legacy_id' },
    { table: 'users', column: 'status' },
  ];
  const owners = ownersOf(OWNERS);

  /** Runs the index on `dir` with a cache in `cacheDir` (opened and saved as the CLI does), and without. */
  async function both(dir: string, cacheDir: string, t: ReferenceTarget[] = targets, columnOwners = owners): Promise<{ cached: string[]; plain: string[]; stats: IndexStats }> {
    // files written in the last clock tick get no identity (DirectoryRelease.identify): let them settle
    await new Promise((resolve) => setTimeout(resolve, 120));
    const cache = IndexCache.open(cacheDir, dir, 'test');
    const stats = mk();
    const cached = lines(await findReferences(new DirectoryRelease(dir, 'new'), t, { columnOwners, cache, stats }));
    cache.save();
    const plain = lines(await findReferences(new DirectoryRelease(dir, 'new'), t, { columnOwners }));
    return { cached, plain, stats };
  }

  it('gives the same references as without, reading only what may name a target the second time', async () => {
    const dir = tempTree(files);
    const cacheDir = tempTree({});
    const first = await both(dir, cacheDir);
    expect(first.cached).toEqual(first.plain);
    expect(first.plain).toContain('app/Http/Controllers/UserController.php:11 users.legacy_id high attribute-write $user->legacy_id = 1;');
    expect([first.stats.cachedFiles ?? 0, first.stats.cachedAnalyses ?? 0]).toEqual([0, 0]);
    const second = await both(dir, cacheDir);
    expect(second.cached).toEqual(first.plain);
    expect(second.stats.cachedFiles).toBe(4);
    // Clock.php names neither legacy_id nor status: not read at all; Orders.php names status (other
    // tables have it too) but none of users' names: the tie filter dropped it, and it is not read again
    expect(second.stats.unread).toBe(2);
    expect(second.stats.cachedAnalyses).toBe(second.stats.candidates);
    expect(second.stats.parseMs ?? 0).toBe(0);
  });

  it('analyses again what the classes, the schema or the targets now answer otherwise', async () => {
    const dir = tempTree(files);
    const cacheDir = tempTree({});
    await both(dir, cacheDir);
    // the model now maps another table: the unchanged controller's cached analysis asked which table User maps
    writeTree(dir, { 'app/Models/User.php': USER_MODEL.replace('protected $fillable', "protected $table = 'members';\n    protected $fillable") });
    const moved = await both(dir, cacheDir);
    expect(moved.cached).toEqual(moved.plain);
    expect(moved.plain.filter((l) => l.includes('UserController'))).toEqual([]);
    writeTree(dir, files);
    // status on users only (the schema changed): `$order->status` now counts
    const only = ownersOf({ ...OWNERS, status: ['users'] });
    const schema = await both(dir, cacheDir, targets, only);
    expect(schema.cached).toEqual(schema.plain);
    expect(schema.plain.some((l) => l.startsWith('app/Services/Orders.php'))).toBe(true);
    // a column still on several tables, no longer on orders: the join's bare `status` is now users'
    const join = tempTree({ ...files, 'app/Services/Report.php': "<?php\nnamespace App\\Services;\nuse Illuminate\\Support\\Facades\\DB;\nclass Report\n{\n    public function rows() { return DB::select('SELECT status FROM users JOIN orders ON orders.user_id = users.id'); }\n}\n" });
    const joinCache = tempTree({});
    expect((await both(join, joinCache)).cached.filter((l) => l.startsWith('app/Services/Report.php'))).toEqual([]);
    const noOrders = await both(join, joinCache, targets, ownersOf({ ...OWNERS, status: ['users', 'teams'] }));
    expect(noOrders.cached).toEqual(noOrders.plain);
    expect(noOrders.plain.filter((l) => l.startsWith('app/Services/Report.php'))).toEqual([expect.stringMatching(/^app\/Services\/Report.php:6 users.status medium raw-sql/)]);
    // other targets
    const other = await both(dir, cacheDir, [{ table: 'users', column: 'email' }]);
    expect(other.cached).toEqual(other.plain);
    expect(other.plain).toContain("app/Models/User.php:9 users.email high model-property protected $fillable = ['name', 'email', 'legacy_id'];");
  });

  it('reads a file again when it changes on disk', async () => {
    const dir = tempTree(files);
    const cacheDir = tempTree({});
    await both(dir, cacheDir);
    // Clock.php was ruled out by its filter; now it names legacy_id
    mkdirSync(join(dir, 'app/Services'), { recursive: true });
    writeTree(dir, { 'app/Services/Clock.php': "<?php\nnamespace App\\Services;\nuse App\\Models\\User;\nclass Clock\n{\n    public function now() { return User::where('legacy_id', 1)->first(); }\n}\n" });
    const changed = await both(dir, cacheDir);
    expect(changed.cached).toEqual(changed.plain);
    expect(changed.plain.some((l) => l.startsWith('app/Services/Clock.php:6 users.legacy_id'))).toBe(true);
    // only Orders.php (dropped by the tie filter) is not read
    expect(changed.stats.unread).toBe(1);
  });

  it('keeps a file left without the table’s names once sliced under those names: another model for the table brings it back', async () => {
    // users.status is shared; Roster's `$member->status` is users' only while a model named Member maps users
    const model = (name: string): string => `<?php\nnamespace App\\Models;\nuse Illuminate\\Database\\Eloquent\\Model;\nclass ${name} extends Model\n{\n    protected $table = 'users';\n}\n`;
    const service = "<?php\nnamespace App\\Services;\nclass Roster\n{\n    public function run($member)\n    {\n        return $member->status;\n    }\n\n    public function other()\n    {\n        return 'user';\n    }\n}\n";
    const dir = tempTree({ 'app/Models/Account.php': model('Account'), 'app/Services/Roster.php': service });
    const cacheDir = tempTree({});
    const status: ReferenceTarget[] = [{ table: 'users', column: 'status' }];
    const before = await both(dir, cacheDir, status);
    expect(before.cached).toEqual([]);
    expect(before.stats.tiedOut).toBe(1);
    rmSync(join(dir, 'app/Models/Account.php'));
    writeTree(dir, { 'app/Models/Member.php': model('Member') });
    const after = await both(dir, cacheDir, status);
    expect(after.plain).toEqual(['app/Services/Roster.php:7 users.status medium attribute-read return $member->status;']);
    expect(after.cached).toEqual(after.plain);
  });

  it('does not read again a file the tie filter dropped under the same names, and reads it when a new model brings the table’s names to it', async () => {
    // users.status is shared; Shop names status but none of users' names — until a Buyer model maps users
    const shop = "<?php\nnamespace App\\Services;\nuse App\\Models\\Buyer;\nclass Shop\n{\n    public function open(Buyer $buyer)\n    {\n        return $buyer->status;\n    }\n}\n";
    const dir = tempTree({ ...files, 'app/Services/Shop.php': shop });
    const cacheDir = tempTree({});
    const status: ReferenceTarget[] = [{ table: 'users', column: 'status' }];
    const first = await both(dir, cacheDir, status);
    expect(first.cached.filter((l) => l.includes('Shop'))).toEqual([]);
    const second = await both(dir, cacheDir, status);
    expect(second.cached).toEqual(first.plain);
    // Clock.php and User.php ruled out by their filters; Orders.php and Shop.php by the tie filter last time
    expect(second.stats.unread).toBe(4);
    writeTree(dir, { 'app/Models/Buyer.php': "<?php\nnamespace App\\Models;\nuse Illuminate\\Database\\Eloquent\\Model;\nclass Buyer extends Model\n{\n    protected $table = 'users';\n}\n" });
    const third = await both(dir, cacheDir, status);
    expect(third.plain.filter((l) => l.includes('Shop'))).toEqual(['app/Services/Shop.php:8 users.status high attribute-read return $buyer->status;']);
    expect(third.cached).toEqual(third.plain);
  });
});

describe('the code index with its cache, where other files decide', () => {
  const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 120));
  async function run(dir: string, cacheDir: string | undefined, targets: ReferenceTarget[]): Promise<string[]> {
    await settle();
    const cache = cacheDir ? IndexCache.open(cacheDir, dir, 'test') : undefined;
    const refs = await findReferences(new DirectoryRelease(dir, 'new'), targets, cache ? { cache } : {});
    cache?.save();
    return lines(refs);
  }

  it('a model naming the key only in a comment is analysed again when the related model’s table changes (a relationship by convention)', async () => {
    const post = (body: string): string => `<?php\nnamespace App\\Models;\nuse Illuminate\\Database\\Eloquent\\Model;\nclass Post extends Model\n{\n${body}\n}\n`;
    const dir = tempTree({
      'app/Models/User.php': '<?php\nnamespace App\\Models;\nuse Illuminate\\Database\\Eloquent\\Model;\n// see user_id\nclass User extends Model\n{\n    public function posts() { return $this->hasMany(Post::class); }\n}\n',
      'app/Models/Post.php': post("    protected $table = 'articles';"),
    });
    const cacheDir = tempTree({});
    const targets: ReferenceTarget[] = [{ table: 'posts', column: 'user_id' }];
    expect(await run(dir, cacheDir, targets)).toEqual([]);
    writeTree(dir, { 'app/Models/Post.php': post('    // the default table') });
    const plain = await run(dir, undefined, targets);
    expect(plain).toEqual([expect.stringMatching(/^app\/Models\/User.php:7 posts.user_id \w+ relationship /)]);
    expect(await run(dir, cacheDir, targets)).toEqual(plain);
  });

  it('of two declarations of a class, the first in the release’s file order wins, scanned or cached', async () => {
    const user = (table: string, note = ''): string => `<?php\nnamespace App\\Models;\nuse Illuminate\\Database\\Eloquent\\Model;\nclass User extends Model\n{\n    protected $table = '${table}';${note}\n}\n`;
    const dir = tempTree({
      'app/A.php': user('users'),
      'app/B.php': user('members'),
      'app/C.php': '<?php\nnamespace App\\Http;\nuse App\\Models\\User;\nclass C\n{\n    public function f() { return User::query()->get(); }\n}\n',
    });
    const cacheDir = tempTree({});
    const targets: ReferenceTarget[] = [{ table: 'members' }];
    const first = await run(dir, cacheDir, targets);
    // A.php changes (scanned this time), B.php comes from the cache
    writeTree(dir, { 'app/A.php': user('users', ' // edited') });
    const plain = await run(dir, undefined, targets);
    expect(await run(dir, cacheDir, targets)).toEqual(plain);
    expect(plain.filter((l) => l.startsWith('app/C.php'))).toEqual(first.filter((l) => l.startsWith('app/C.php')));
  });
});

describe('file identities on disk', () => {
  it('change with the content, and a file written within the last clock tick has none', async () => {
    const dir = tempTree({ 'a.php': '<?php // a', 'b.php': '<?php // b' });
    const release = new DirectoryRelease(dir, 'new');
    expect([...(await release.identify(['a.php', 'b.php'])).keys()]).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const before = await release.identify(['a.php', 'b.php', 'gone.php']);
    expect([...before.keys()]).toEqual(['a.php', 'b.php']);
    // the same size, the modification time set back: the change time still differs
    const { mtime } = statSync(join(dir, 'a.php'));
    writeFileSync(join(dir, 'a.php'), '<?php // A');
    utimesSync(join(dir, 'a.php'), mtime, mtime);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const after = await release.identify(['a.php', 'b.php']);
    expect(after.get('a.php')).not.toBe(before.get('a.php'));
    expect(after.get('b.php')).toBe(before.get('b.php'));
  });
});

describe('whether a run uses the index cache', () => {
  it('yes by default, not with --no-cache or ZDD_CACHE=0, and in CI only where a directory is named', async () => {
    const { indexCacheDir } = await import('../../src/cli/release-change.js');
    const home = { XDG_CACHE_HOME: '/home/dev/.cache' };
    expect(indexCacheDir({}, '/app', home)).toBe('/home/dev/.cache/zdd');
    expect(indexCacheDir({ cacheDir: 'tmp/zc' }, '/app', home)).toBe('/app/tmp/zc');
    expect(indexCacheDir({ cache: false }, '/app', home)).toBeUndefined();
    expect(indexCacheDir({ cacheDir: 'x' }, '/app', { ...home, ZDD_CACHE: '0' })).toBeUndefined();
    expect(indexCacheDir({}, '/app', { ...home, CI: 'true' })).toBeUndefined();
    expect(indexCacheDir({}, '/app', { ...home, CI: 'false' })).toBe('/home/dev/.cache/zdd');
    expect(indexCacheDir({}, '/app', { ...home, CI: 'true', ZDD_CACHE_DIR: '/ci/cache' })).toBe('/ci/cache');
    expect(indexCacheDir({ cacheDir: '/restored' }, '/app', { ...home, CI: '1' })).toBe('/restored');
  });
});

describe('one thread or two', () => {
  it('one with the index cache on (the cache lives there), unless ZDD_WORKERS=1 forces two; one when git says which files are alike', async () => {
    const { wantsWorker } = await import('../../src/code/parallel.js');
    const idle8 = { env: {}, cores: 8, load: 1, same: false };
    expect(wantsWorker({ ...idle8, cache: false })).toBe(true);
    expect(wantsWorker({ ...idle8, cache: true })).toBe(false);
    expect(wantsWorker({ ...idle8, cache: true, env: { ZDD_WORKERS: '1' } })).toBe(true);
    expect(wantsWorker({ ...idle8, cache: false, env: { ZDD_WORKERS: '0' } })).toBe(false);
    expect(wantsWorker({ ...idle8, cache: false, same: true, env: { ZDD_WORKERS: '1' } })).toBe(false);
    expect(wantsWorker({ ...idle8, cache: false, cores: 2 })).toBe(false);
    expect(wantsWorker({ ...idle8, cache: false, load: 7 })).toBe(false);
  });
});
