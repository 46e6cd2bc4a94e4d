import { describe, expect, it } from 'vitest';
import { ORDER_MODEL, refsIn, USER_MODEL } from './refs.js';

const MODELS = { 'app/Models/User.php': USER_MODEL, 'app/Models/Order.php': ORDER_MODEL };
const service = (body: string): Record<string, string> => ({
  ...MODELS,
  'app/Services/S.php': `<?php\nnamespace App\\Services;\n\nuse App\\Models\\Order;\nuse App\\Models\\User;\nuse Illuminate\\Support\\Facades\\DB;\nuse Illuminate\\Validation\\Rule;\n\nclass S\n{\n    public function run($request)\n    {\n${body}\n    }\n}\n`,
});
/** Lines of app/Services/S.php only (the body starts on line 13). */
async function serviceRefs(body: string, targets = [{ table: 'users', column: 'legacy_id' }]): Promise<string[]> {
  return (await refsIn(service(body), targets)).filter((r) => r.startsWith('app/Services/S.php')).map((r) => r.replace('app/Services/S.php:', ''));
}

describe('code index: query builder and Eloquent queries', () => {
  it('reads column arguments of where*, orderBy, pluck, value, select, increment and dynamic wheres on a model', async () => {
    const body = [
      "        User::where('legacy_id', 1)->orWhereNull('legacy_id')->get();",
      "        User::whereIn('users.legacy_id', [1])->orderBy('legacy_id')->pluck('legacy_id', 'id');",
      "        User::query()->select(['id', 'legacy_id as lid'])->value('legacy_id');",
      "        User::whereKey(1)->increment('legacy_id');",
      '        User::whereLegacyId(5)->first();',
      "        User::where(['legacy_id' => 3])->exists();",
      "        User::latest('legacy_id')->firstWhere('legacy_id', 2);",
    ].join('\n');
    expect(await serviceRefs(body)).toEqual([
      '13 users.legacy_id high query',
      '14 users.legacy_id high query',
      '15 users.legacy_id high query',
      '16 users.legacy_id high attribute-write',
      '17 users.legacy_id high query',
      '18 users.legacy_id high query',
      '19 users.legacy_id high query',
    ]);
  });

  it('reads array keys of create, update, firstOrCreate, updateOrCreate, fill and upsert', async () => {
    const body = [
      "        User::create(['legacy_id' => 1]);",
      "        User::where('id', 1)->update(['legacy_id' => 2]);",
      "        User::firstOrCreate(['email' => 'a'], ['legacy_id' => 3]);",
      "        User::updateOrCreate(['legacy_id' => 4], ['name' => 'x']);",
      "        (new User())->fill(['legacy_id' => 5])->save();",
      "        User::upsert([['email' => 'a', 'legacy_id' => 6]], ['email'], ['legacy_id']);",
    ].join('\n');
    expect(await serviceRefs(body)).toEqual([
      '13 users.legacy_id high attribute-write',
      '14 users.legacy_id high attribute-write',
      '15 users.legacy_id high attribute-write',
      '16 users.legacy_id high attribute-write',
      '17 users.legacy_id high attribute-write',
      '18 users.legacy_id high attribute-write',
    ]);
  });

  it('reads the keys of an array built before create/update, of request only() lists and of validate() rules', async () => {
    // (a long body: the slicer cuts it to the statements that matter, and must keep the writing call)
    const body = [
      "        $data = ['email' => 'a'];",
      "        $data['legacy_id'] = 5;",
      '        User::create($data);',
      '        $attrs = [',
      "            'legacy_id' => 1,",
      '        ];',
      "        User::where('id', 1)->update($attrs);",
      "        User::find(1)->update($request->only(['name', 'legacy_id']));",
      "        $valid = $request->validate(['legacy_id' => 'required|integer']);",
      '        User::create($valid);',
      "        $other = ['legacy_id' => 1];",
      "        logger()->info('no write', $other);",
      "        $unrelated = ['email' => 'b'];",
      '        Order::create($unrelated);',
    ].join('\n');
    expect(await serviceRefs(body)).toEqual([
      '14 users.legacy_id high attribute-write',
      '17 users.legacy_id high attribute-write',
      '20 users.legacy_id high attribute-write',
      '21 users.legacy_id high attribute-write',
    ]);
  });

  it('follows a filled array into nested blocks, drops unset keys, and forgets a variable a list assignment overwrites', async () => {
    const filler = Array.from({ length: 6 }, (_, i) => `            $this->log('step ${i}', ['n' => ${i}, 'at' => now()->toIso8601String()]);`).join('\n');
    const body = [
      "        $data = ['legacy_id' => 5];",
      '        DB::transaction(function () use ($data) {',
      filler,
      '            User::create($data);',
      '        });',
      "        $clean = ['email' => 1, 'legacy_id' => 2];",
      "        unset($clean['legacy_id']);",
      '        User::create($clean);',
      "        $split = ['legacy_id' => 1];",
      '        [$split, $rest] = $this->split($request);',
      '        User::create($split);',
    ].join('\n');
    // line 13 (the key, handed to create() inside the transaction); not 24 (unset), not 27 (overwritten)
    expect(await serviceRefs(body)).toEqual(['13 users.legacy_id high attribute-write']);
  });

  it('reads through casts and the @ operator', async () => {
    const body = [
      '        $n = (int) User::where(\'legacy_id\', 1)->count();',
      '        $s = (string) User::find(1)->legacy_id;',
      "        @User::whereNotNull('legacy_id')->delete();",
      "        return @$request->user()?->legacy_id;",
    ].join('\n');
    expect(await serviceRefs(body)).toEqual(['13 users.legacy_id high query', '14 users.legacy_id high attribute-read', '15 users.legacy_id high query']);
  });

  it('does not take a route parameter constraint for a column (Route::…->where())', async () => {
    const files = {
      ...MODELS,
      'routes/web.php': "<?php\n\nuse Illuminate\\Support\\Facades\\Route;\n\nRoute::get('users/{legacy_id}', fn () => 1)->where('legacy_id', '[0-9]+');\nRoute::prefix('x')->group(function () {\n    Route::get('a/{legacy_id}', fn () => 1)->whereNumber('legacy_id')->name('a');\n});\nRoute::get('b', fn () => User::where('legacy_id', 1)->get());\n",
    };
    expect((await refsIn(files, [{ table: 'users', column: 'legacy_id' }])).filter((r) => r.startsWith('routes/'))).toEqual(['routes/web.php:9 users.legacy_id high query']);
  });

  it('ties DB::table() chains to their table, with joins and qualified names', async () => {
    const body = [
      "        DB::table('users')->where('legacy_id', 1)->update(['legacy_id' => null]);",
      "        DB::table('orders')->where('legacy_id', 1)->get();",
      "        DB::table('orders as o')->join('users', 'users.id', '=', 'o.customer_id')->where('users.legacy_id', 1)->pluck('o.total');",
      "        $row = DB::table('users')->where('id', 1)->first();",
      '        echo $row->legacy_id;',
    ].join('\n');
    expect(await serviceRefs(body, [{ table: 'users', column: 'legacy_id' }, { table: 'orders', column: 'total' }, { table: 'users' }])).toEqual([
      '13 users.* high query',
      '13 users.legacy_id high query',
      '15 orders.total high query',
      '15 users.* high query',
      '15 users.legacy_id high query',
      '16 users.* high query',
      '17 users.legacy_id high attribute-read',
    ]);
  });

  it('keeps the table through where() closures and local scopes, and switches it through whereHas() relations', async () => {
    const files = {
      ...MODELS,
      'app/Models/User.php': USER_MODEL.replace('}\n', "\n    public function scopeImported($query)\n    {\n        return $query->whereNotNull('legacy_id');\n    }\n\n    public function orders()\n    {\n        return $this->hasMany(Order::class, 'customer_id');\n    }\n}\n"),
      'app/Services/S.php': `<?php\nnamespace App\\Services;\nuse App\\Models\\User;\nclass S\n{\n    public function run()\n    {\n        User::imported()->where(function ($q) {\n            $q->where('legacy_id', '>', 0);\n        })->whereHas('orders', fn ($q) => $q->where('total', '>', 10)->where('legacy_id', 1))->get();\n    }\n}\n`,
    };
    expect(await refsIn(files, [{ table: 'users', column: 'legacy_id' }, { table: 'orders', column: 'total' }, { table: 'orders', column: 'legacy_id' }])).toEqual([
      'app/Models/Order.php:9 orders.total high model-property',
      'app/Models/User.php:9 users.legacy_id high model-property',
      'app/Models/User.php:13 users.legacy_id high query',
      'app/Services/S.php:9 users.legacy_id high query',
      'app/Services/S.php:10 orders.legacy_id high query',
      'app/Services/S.php:10 orders.total high query',
    ]);
  });

  it('reads raw SQL: DB::select/statement (parsed), whereRaw/selectRaw fragments on the chain table, PDO, heredocs with their own lines', async () => {
    const body = [
      "        DB::select('select id, legacy_id from users where legacy_id is not null');",
      "        User::whereRaw('legacy_id > ?', [1])->selectRaw('count(legacy_id) as n')->get();",
      "        $pdo = DB::connection()->getPdo();",
      "        $stmt = $pdo->prepare('UPDATE users SET legacy_id = NULL WHERE id = ?');",
      '        $sql = <<<SQL',
      '            SELECT u.email,',
      '                   u.legacy_id',
      '            FROM users u',
      '            SQL;',
      '        DB::statement($sql);',
      "        DB::select('select o.total from orders o join users u on u.id = o.customer_id where u.legacy_id = ?');",
    ].join('\n');
    expect(await serviceRefs(body)).toEqual([
      '13 users.legacy_id high raw-sql',
      '14 users.legacy_id medium raw-sql',
      '16 users.legacy_id high raw-sql',
      '19 users.legacy_id high raw-sql',
      '23 users.legacy_id high raw-sql',
    ]);
  });

  it('reads validation rules: exists/unique strings (the column defaults to the field), Rule::unique/exists, model-class tables', async () => {
    const body = [
      '        return [',
      "            'legacy_id' => 'nullable|unique:users',",
      "            'other' => ['required', 'exists:users,legacy_id'],",
      "            'x' => [Rule::unique('users', 'legacy_id')->ignore(1)],",
      "            'legacy_id2' => 'exists:App\\\\Models\\\\User,legacy_id',",
      "            'status' => 'exists:orders,status',",
      '        ];',
    ].join('\n');
    expect(await serviceRefs(body, [{ table: 'users', column: 'legacy_id' }, { table: 'users', column: 'status' }])).toEqual([
      '14 users.legacy_id medium validation',
      '15 users.legacy_id medium validation',
      '16 users.legacy_id medium validation',
      '17 users.legacy_id medium validation',
    ]);
  });

  it('reads Doctrine DBAL query builders with aliases declared after use', async () => {
    const files = {
      'src/Repository/UserRepository.php': `<?php
namespace App\\Repository;

use Doctrine\\DBAL\\Connection;

class UserRepository
{
    public function __construct(private Connection $connection)
    {
    }

    public function legacy(): array
    {
        $qb = $this->connection->createQueryBuilder();
        $qb->select('u.id', 'u.legacy_id')
            ->from('users', 'u')
            ->where('u.legacy_id IS NOT NULL');

        return $this->connection->fetchAllAssociative('SELECT legacy_id FROM users');
    }
}
`,
    };
    expect(await refsIn(files, [{ table: 'users', column: 'legacy_id' }])).toEqual([
      'src/Repository/UserRepository.php:15 users.legacy_id high query',
      'src/Repository/UserRepository.php:17 users.legacy_id medium raw-sql',
      'src/Repository/UserRepository.php:19 users.legacy_id high raw-sql',
    ]);
  });

  it('skips a file it cannot parse, and says so', async () => {
    const stats = { files: 0, candidates: 0, secondPass: 0, references: 0, unparsable: [] as Array<{ file: string; line: number; message: string }>, ms: 0 };
    const refs = await refsIn({ ...MODELS, 'app/Broken.php': "<?php\nclass Broken {\n  public function f() { return User::where('legacy_id' }\n}\n" }, [{ table: 'users', column: 'legacy_id' }], { stats });
    expect(refs).toEqual(['app/Models/User.php:9 users.legacy_id high model-property']);
    expect(stats.unparsable).toEqual([{ file: 'app/Broken.php', line: 3, message: expect.stringContaining('Parse Error') }]);
  });
});
