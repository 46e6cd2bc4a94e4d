import { describe, expect, it } from 'vitest';
import { ORDER_MODEL, refsIn, USER_MODEL } from './refs.js';
import type { IndexStats } from '../../src/code/index.js';

const php = (body: string): string => `<?php\n\nnamespace App\\Http\\Controllers;\n\nuse App\\Models\\Order;\nuse App\\Models\\User;\nuse Illuminate\\Support\\Facades\\DB;\n\n${body}\n`;

describe('code index: Eloquent models', () => {
  it('reads the model properties, with the confidence each deserves', async () => {
    const model = `<?php

namespace App\\Models;

use Illuminate\\Database\\Eloquent\\Casts\\Attribute;
use Illuminate\\Database\\Eloquent\\Model;

class User extends Model
{
    const UPDATED_AT = 'legacy_id';

    protected $fillable = ['legacy_id'];
    protected $guarded = ['legacy_id'];
    protected $hidden = ['legacy_id'];
    protected $casts = ['legacy_id' => 'integer'];
    protected $attributes = ['legacy_id' => 0];
    protected $dates = ['legacy_id'];

    public function getLegacyIdAttribute($value)
    {
        return $value;
    }

    protected function legacyId(): Attribute
    {
        return Attribute::make(get: fn ($v) => $v);
    }

    public function label(): string
    {
        return $this->legacy_id . $this->attributes['legacy_id'];
    }

    protected function casts(): array
    {
        return ['nickname' => 'encrypted'];
    }
}
`;
    expect(await refsIn({ 'app/Models/User.php': model }, [{ table: 'users', column: 'legacy_id' }, { table: 'users', column: 'nickname' }])).toEqual([
      'app/Models/User.php:10 users.legacy_id high model-property',
      'app/Models/User.php:12 users.legacy_id high model-property',
      'app/Models/User.php:13 users.legacy_id low model-property',
      'app/Models/User.php:14 users.legacy_id low model-property',
      'app/Models/User.php:15 users.legacy_id high model-property',
      'app/Models/User.php:16 users.legacy_id high model-property',
      'app/Models/User.php:17 users.legacy_id high model-property',
      'app/Models/User.php:19 users.legacy_id medium accessor',
      'app/Models/User.php:24 users.legacy_id medium accessor',
      'app/Models/User.php:31 users.legacy_id high attribute-read',
      'app/Models/User.php:36 users.nickname high model-property',
    ]);
  });

  it("ties a model to its table by $table, Laravel's naming rule, or an inherited $table", async () => {
    const files = {
      'app/Models/UserProfile.php': `<?php\nnamespace App\\Models;\nuse Illuminate\\Database\\Eloquent\\Model;\nclass UserProfile extends Model\n{\n    protected $fillable = ['bio'];\n}\n`,
      'app/Models/Category.php': `<?php\nnamespace App\\Models;\nclass Category extends BaseModel\n{\n    protected $fillable = ['bio'];\n}\n`,
      'app/Models/BaseModel.php': `<?php\nnamespace App\\Models;\nuse Illuminate\\Database\\Eloquent\\Model;\nabstract class BaseModel extends Model\n{\n}\n`,
      'app/Models/Member.php': `<?php\nnamespace App\\Models;\nuse Illuminate\\Foundation\\Auth\\User as Authenticatable;\nclass Member extends Authenticatable\n{\n    protected $table = 'people';\n    protected $fillable = ['bio'];\n}\n`,
      'app/Models/Admin.php': `<?php\nnamespace App\\Models;\nclass Admin extends Member\n{\n    protected $fillable = ['bio'];\n}\n`,
      'app/Support/NotAModel.php': `<?php\nnamespace App\\Support;\nclass NotAModel\n{\n    protected $fillable = ['bio'];\n}\n`,
    };
    expect(await refsIn(files, [{ table: 'user_profiles', column: 'bio' }, { table: 'categories', column: 'bio' }, { table: 'people', column: 'bio' }])).toEqual([
      'app/Models/Admin.php:5 people.bio high model-property',
      'app/Models/Category.php:5 categories.bio high model-property',
      'app/Models/Member.php:7 people.bio high model-property',
      'app/Models/UserProfile.php:6 user_profiles.bio high model-property',
    ]);
  });

  it('follows variables whose class is known: typed parameters, new, find/first, @var, foreach, relationships', async () => {
    const controller = php(`class UserController
{
    public function show(User $user)
    {
        return $user->legacy_id;
    }

    public function store()
    {
        $user = new User();
        $user->legacy_id = 'x';
        $found = User::where('email', 'a@b.c')->first();
        $found->legacy_id = null;
        /** @var User $cached */
        $cached = cache('u');
        echo $cached['legacy_id'];
        foreach (User::all() as $each) {
            echo $each->legacy_id;
        }
    }

    public function customerOf(Order $order)
    {
        return $order->customer->legacy_id;
    }
}`);
    expect(await refsIn({ 'app/Models/User.php': USER_MODEL, 'app/Models/Order.php': ORDER_MODEL, 'app/Http/Controllers/UserController.php': controller }, [{ table: 'users', column: 'legacy_id' }])).toEqual([
      'app/Http/Controllers/UserController.php:13 users.legacy_id high attribute-read',
      'app/Http/Controllers/UserController.php:19 users.legacy_id high attribute-write',
      'app/Http/Controllers/UserController.php:21 users.legacy_id high attribute-write',
      'app/Http/Controllers/UserController.php:24 users.legacy_id high attribute-read',
      'app/Http/Controllers/UserController.php:26 users.legacy_id high attribute-read',
      'app/Http/Controllers/UserController.php:32 users.legacy_id high attribute-read',
      'app/Models/User.php:9 users.legacy_id high model-property',
    ]);
  });

  it('does not count a bare common name on another model, an unknown receiver, or request input against the table', async () => {
    const controller = php(`class OrderController
{
    public function ship(Order $order, $request)
    {
        $order->status = 'shipped';
        Order::where('status', 'open')->update(['status' => 'closed']);
        $feed = collect($request->all())->pluck('status');
        $x = $request->status;
        return $order->customer->status;
    }
}`);
    expect(await refsIn({ 'app/Models/User.php': USER_MODEL, 'app/Models/Order.php': ORDER_MODEL, 'app/Http/Controllers/OrderController.php': controller }, [{ table: 'users', column: 'status' }, { table: 'teams', column: 'status' }])).toEqual([
      'app/Http/Controllers/OrderController.php:17 users.status high attribute-read',
    ]);
  });

  it('does not analyse a file whose kept code names a shared column but none of its table’s names (they are only in code the slicer left out)', async () => {
    // users.status is shared with orders and teams: the file mentions User, but only in a method that does not name status
    const controller = php(`class OrderController
{
    public function ship(Order $order)
    {
        $order->status = 'shipped';
        return $order;
    }

    public function owner(Order $order): ?User
    {
        return User::find($order->customer_id);
    }
}`);
    const stats = { files: 0, candidates: 0, secondPass: 0, references: 0, unparsable: [], ms: 0 } as IndexStats;
    const files = { 'app/Models/User.php': USER_MODEL, 'app/Models/Order.php': ORDER_MODEL, 'app/Http/Controllers/OrderController.php': controller };
    expect(await refsIn(files, [{ table: 'users', column: 'status' }], { stats })).toEqual([]);
    expect(stats.tiedOut).toBe(1);
    // with the tie in the kept code, it is analysed and found
    const tied = controller.replace("$order->status = 'shipped';", "$order->status = 'shipped';\n        $u = User::find(1);\n        $u->status = 'x';");
    expect(await refsIn({ ...files, 'app/Http/Controllers/OrderController.php': tied }, [{ table: 'users', column: 'status' }])).toEqual(['app/Http/Controllers/OrderController.php:15 users.status high attribute-write']);
  });

  it('on an unknown receiver: counts a variable named after the model (medium), a column only this table has (medium), a column the schema does not know (low)', async () => {
    const service = php(`class Report
{
    public function run($user, $row, $thing)
    {
        $a = $user->status;
        $b = $row->legacy_id;
        $c = $thing->status;
        $d = $thing->mystery;
    }
}`);
    expect(await refsIn({ 'app/Models/User.php': USER_MODEL, 'app/Services/Report.php': service }, [{ table: 'users', column: 'status' }, { table: 'users', column: 'legacy_id' }, { table: 'users', column: 'mystery' }])).toEqual([
      'app/Models/User.php:9 users.legacy_id high model-property',
      'app/Services/Report.php:13 users.status medium attribute-read',
      'app/Services/Report.php:14 users.legacy_id medium attribute-read',
      'app/Services/Report.php:16 users.mystery low attribute-read',
    ]);
  });

  it('reads relationship keys: explicit (high) and by convention (medium); pivot tables', async () => {
    const files = {
      'app/Models/User.php': `<?php
namespace App\\Models;
use Illuminate\\Database\\Eloquent\\Model;
class User extends Model
{
    public function team()
    {
        return $this->belongsTo(Team::class);
    }

    public function posts()
    {
        return $this->hasMany(Post::class);
    }

    public function roles()
    {
        return $this->belongsToMany(Role::class);
    }
}
`,
      'app/Models/Team.php': `<?php\nnamespace App\\Models;\nuse Illuminate\\Database\\Eloquent\\Model;\nclass Team extends Model\n{\n    public function members()\n    {\n        return $this->hasMany(User::class, 'team_id');\n    }\n}\n`,
      'app/Models/Post.php': `<?php\nnamespace App\\Models;\nuse Illuminate\\Database\\Eloquent\\Model;\nclass Post extends Model\n{\n}\n`,
      'app/Models/Role.php': `<?php\nnamespace App\\Models;\nuse Illuminate\\Database\\Eloquent\\Model;\nclass Role extends Model\n{\n}\n`,
    };
    expect(await refsIn(files, [{ table: 'users', column: 'team_id' }, { table: 'posts', column: 'user_id' }, { table: 'role_user', column: 'user_id' }, { table: 'role_user' }])).toEqual([
      'app/Models/Team.php:8 users.team_id high relationship',
      'app/Models/User.php:8 users.team_id medium relationship',
      'app/Models/User.php:13 posts.user_id medium relationship',
      'app/Models/User.php:18 role_user.* medium relationship',
      'app/Models/User.php:18 role_user.user_id medium relationship',
    ]);
  });

  it('does not parse a file that names a target only in comments, but still reads relationships by convention there', async () => {
    const files = {
      'app/Models/User.php': USER_MODEL,
      'app/Http/Controllers/UserController.php': `<?php
namespace App\\Http\\Controllers;
use App\\Models\\User;
class UserController
{
    /**
     * @OA\\Parameter(name="legacy_id", in="query")
     */
    public function show(User $user)
    {
        return view('users.show', ['user' => $user]);
    }
}
`,
      // the key is named only in a comment, and hasMany(Post::class) uses posts.writer_id by convention
      'app/Models/Writer.php': `<?php
namespace App\\Models;
use Illuminate\\Database\\Eloquent\\Model;
class Writer extends Model
{
    // posts.writer_id: set by the relationship
    public function posts()
    {
        return $this->hasMany(Post::class);
    }
}
`,
      'app/Models/Post.php': `<?php\nnamespace App\\Models;\nuse Illuminate\\Database\\Eloquent\\Model;\nclass Post extends Model\n{\n}\n`,
    };
    const stats = { files: 0, candidates: 0, secondPass: 0, references: 0, unparsable: [], ms: 0 } as IndexStats;
    expect(await refsIn(files, [{ table: 'users', column: 'legacy_id' }, { table: 'posts', column: 'writer_id' }], { stats })).toEqual([
      'app/Models/User.php:9 users.legacy_id high model-property',
      'app/Models/Writer.php:9 posts.writer_id medium relationship',
    ]);
    expect(stats.commentOnly).toBe(1);
  });

  it('lists model factories, seeders, tests and migrations as non-production, at low confidence', async () => {
    const files = {
      'app/Models/User.php': USER_MODEL,
      'database/factories/UserFactory.php': `<?php\nnamespace Database\\Factories;\nuse Illuminate\\Database\\Eloquent\\Factories\\Factory;\nclass UserFactory extends Factory\n{\n    public function definition(): array\n    {\n        return ['legacy_id' => 'x'];\n    }\n}\n`,
      'database/seeders/UserSeeder.php': `<?php\nnamespace Database\\Seeders;\nuse App\\Models\\User;\nclass UserSeeder\n{\n    public function run(): void\n    {\n        User::create(['legacy_id' => 'seed']);\n    }\n}\n`,
      'tests/Feature/UserTest.php': `<?php\nnamespace Tests\\Feature;\nuse App\\Models\\User;\nclass UserTest\n{\n    public function test_it(): void\n    {\n        $u = User::factory()->create(['legacy_id' => 'L']);\n    }\n}\n`,
      'database/migrations/2024_01_01_000000_add_legacy.php': `<?php\nuse Illuminate\\Database\\Schema\\Blueprint;\nuse Illuminate\\Support\\Facades\\Schema;\nreturn new class {\n    public function up(): void\n    {\n        Schema::table('users', function (Blueprint $table) {\n            $table->string('legacy_id')->nullable()->after('email');\n        });\n    }\n};\n`,
    };
    expect(await refsIn(files, [{ table: 'users', column: 'legacy_id' }])).toEqual([
      'app/Models/User.php:9 users.legacy_id high model-property',
      'database/factories/UserFactory.php:8 users.legacy_id low non-prod attribute-write',
      'database/migrations/2024_01_01_000000_add_legacy.php:8 users.legacy_id low non-prod schema',
      'database/seeders/UserSeeder.php:8 users.legacy_id low non-prod attribute-write',
      'tests/Feature/UserTest.php:8 users.legacy_id low non-prod attribute-write',
    ]);
  });

  it('finds a table through its models: the class, static queries, new, relationships to it, and models named by a custom $table (second pass)', async () => {
    const files = {
      'app/Models/Member.php': `<?php\nnamespace App\\Models;\nuse Illuminate\\Database\\Eloquent\\Model;\nclass Member extends Model\n{\n    protected $table = 'people';\n}\n`,
      'app/Models/Team.php': `<?php\nnamespace App\\Models;\nuse Illuminate\\Database\\Eloquent\\Model;\nclass Team extends Model\n{\n    public function members()\n    {\n        return $this->hasMany(Member::class);\n    }\n}\n`,
      'app/Http/Controllers/MemberController.php': `<?php\nnamespace App\\Http\\Controllers;\nuse App\\Models\\Member;\nclass MemberController\n{\n    public function index()\n    {\n        $m = new Member();\n        return Member::query()->latest()->get();\n    }\n}\n`,
      'app/Other.php': `<?php\nnamespace App;\nclass Other\n{\n    public function x()\n    {\n        return 'unrelated';\n    }\n}\n`,
    };
    const stats = { files: 0, candidates: 0, secondPass: 0, references: 0, unparsable: [], ms: 0 };
    expect(await refsIn(files, [{ table: 'people' }], { stats })).toEqual([
      'app/Http/Controllers/MemberController.php:8 people.* high query',
      'app/Http/Controllers/MemberController.php:9 people.* high query',
      'app/Models/Member.php:4 people.* high model',
      'app/Models/Team.php:8 people.* high relationship',
    ]);
    expect(stats).toMatchObject({ files: 4, candidates: 3, secondPass: 2 });
  });

  it('types what a model method declared to return the model itself returns (Setting::getSettings(): ?self)', async () => {
    const files = {
      'app/Models/Setting.php': `<?php\n\nnamespace App\\Models;\n\nuse Illuminate\\Database\\Eloquent\\Model;\n\nclass Setting extends Model\n{\n    public static function getSettings(): ?self\n    {\n        return static::first();\n    }\n\n    public function withDefaults(): static\n    {\n        return $this;\n    }\n}\n`,
      'app/Http/Controllers/LabelController.php': `<?php\n\nnamespace App\\Http\\Controllers;\n\nuse App\\Models\\Setting;\n\nclass LabelController\n{\n    public function show()\n    {\n        $s = Setting::getSettings();\n        $code = $s->alt_barcode;\n        return Setting::getSettings()->withDefaults()->alt_barcode;\n    }\n}\n`,
    };
    expect(await refsIn(files, [{ table: 'settings', column: 'alt_barcode' }])).toEqual([
      'app/Http/Controllers/LabelController.php:12 settings.alt_barcode high attribute-read',
      'app/Http/Controllers/LabelController.php:13 settings.alt_barcode high attribute-read',
    ]);
  });

  it('does not count reads of an attribute an accessor computes without the column (the expand step of replacing a column)', async () => {
    const song = `<?php\n\nnamespace App\\Models;\n\nuse Illuminate\\Database\\Eloquent\\Casts\\Attribute;\nuse Illuminate\\Database\\Eloquent\\Model;\n\nclass Song extends Model\n{\n    protected function genre(): Attribute\n    {\n        return Attribute::get(fn () => $this->genres->pluck('name')->join(', '));\n    }\n\n    public function getMoodAttribute(): string\n    {\n        return 'calm';\n    }\n\n    protected function title(): Attribute\n    {\n        return Attribute::make(get: fn (?string $value) => ucfirst((string) $value));\n    }\n\n    public function label(): string\n    {\n        return $this->genre . ' ' . $this->mood;\n    }\n}\n`;
    const resource = `<?php\n\nnamespace App\\Http\\Resources;\n\nuse App\\Models\\Song;\n\nclass SongResource\n{\n    public function toArray(Song $song): array\n    {\n        $song->genre = 'rock';\n        return ['genre' => $song->genre, 'mood' => $song->mood, 'title' => $song->title];\n    }\n}\n`;
    const refs = await refsIn({ 'app/Models/Song.php': song, 'app/Http/Resources/SongResource.php': resource }, [
      { table: 'songs', column: 'genre' },
      { table: 'songs', column: 'mood' },
      { table: 'songs', column: 'title' },
    ]);
    // only the write (no mutator: it sets the column), and the accessor reading the stored title and its reads
    expect(refs).toEqual([
      'app/Http/Resources/SongResource.php:11 songs.genre high attribute-write',
      'app/Http/Resources/SongResource.php:12 songs.title high attribute-read',
      'app/Models/Song.php:20 songs.title medium accessor',
    ]);
  });

  it('a subclass accessor reading the column overrides a parent accessor that computes it', async () => {
    const files = {
      'app/Models/Base.php': `<?php\n\nnamespace App\\Models;\n\nuse Illuminate\\Database\\Eloquent\\Model;\n\nabstract class Base extends Model\n{\n    public function getLegacyIdAttribute()\n    {\n        return '{42}';\n    }\n\n    abstract public function getNicknameAttribute();\n\n    public function label(): string\n    {\n        return 'x';\n    }\n}\n`,
      'app/Models/User.php': `<?php\n\nnamespace App\\Models;\n\nclass User extends Base\n{\n    protected $table = 'users';\n\n    public function getLegacyIdAttribute($value)\n    {\n        return $value;\n    }\n\n    public function getNicknameAttribute()\n    {\n        return $this->getAttributes()['nick' . 'name'] ?? '';\n    }\n}\n`,
      'app/Http/C.php': `<?php\n\nnamespace App\\Http;\n\nuse App\\Models\\User;\n\nclass C\n{\n    public function show()\n    {\n        return User::find(1)->legacy_id . User::find(2)->nickname;\n    }\n}\n`,
    };
    expect(await refsIn(files, [{ table: 'users', column: 'legacy_id' }, { table: 'users', column: 'nickname' }])).toEqual([
      'app/Http/C.php:11 users.legacy_id high attribute-read',
      'app/Http/C.php:11 users.nickname high attribute-read',
      'app/Models/User.php:9 users.legacy_id medium accessor',
      'app/Models/User.php:14 users.nickname medium accessor',
    ]);
  });

  it('reads Blade templates at low confidence, only for variables named after the model, once per line', async () => {
    const files = {
      'app/Models/User.php': USER_MODEL,
      'app/Models/Order.php': ORDER_MODEL,
      'resources/views/users/show.blade.php': `<h1>{{ $user->name }}</h1>\n<p>{{ $user->legacy_id }}</p>\n<a title=\"{{ $user->legacy_id }}\">{{ $user?->legacy_id }}</a>\n@foreach ($orders as $order)\n  {{ $order->status }} {{ $order['name'] }}\n@endforeach\n`,
    };
    expect(await refsIn(files, [{ table: 'users', column: 'legacy_id' }, { table: 'users', column: 'status' }, { table: 'users', column: 'name' }])).toEqual([
      'app/Models/User.php:9 users.legacy_id high model-property',
      'app/Models/User.php:9 users.name high model-property',
      'resources/views/users/show.blade.php:1 users.name low template',
      'resources/views/users/show.blade.php:2 users.legacy_id low template',
      // a line naming it twice is one reference
      'resources/views/users/show.blade.php:3 users.legacy_id low template',
    ]);
  });
});
