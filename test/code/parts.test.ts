import { describe, expect, it } from 'vitest';
import { decodeCode, isIndexed, isProductionPath, NameScan, pathFilter, Prefilter } from '../../src/code/files.js';
import { globToRegExp } from '../../src/util/glob.js';
import { camel, modelNameGuess, underscore } from '../../src/code/names.js';
import { plural, singular, snake, tableForModel as laravelTable } from '../../src/util/inflect.js';
import { sliceForParse } from '../../src/code/slice.js';
import { sqlReferences } from '../../src/code/sql-refs.js';

describe('naming rules', () => {
  it("gives a model's table as Laravel does (snake case, last word pluralised)", () => {
    expect(['User', 'UserProfile', 'Category', 'Person', 'Address', 'Status', 'Equipment', 'Child', 'OAuthClient', 'Box', 'Company', 'Media'].map(laravelTable)).toEqual([
      'users', 'user_profiles', 'categories', 'people', 'addresses', 'statuses', 'equipment', 'children', 'o_auth_clients', 'boxes', 'companies', 'media',
    ]);
  });

  it('inflects both ways and converts case', () => {
    expect(['users', 'categories', 'people', 'addresses', 'statuses', 'boxes', 'leaves'].map(singular)).toEqual(['user', 'category', 'person', 'address', 'status', 'box', 'leaf']);
    expect(plural('leaf')).toBe('leaves');
    expect(modelNameGuess('user_profiles')).toBe('UserProfile');
    expect(snake('legacyId')).toBe('legacy_id');
    expect(underscore('APIKey')).toBe('api_key');
    expect(camel('legacy_id')).toBe('legacyId');
  });
});

describe('which files the index reads', () => {
  it('reads PHP, Blade and Doctrine mappings, not dependencies, caches, uploads or translations', () => {
    expect(['app/Models/User.php', 'resources/views/a.blade.php', 'config/doctrine/A.orm.xml', 'config/doctrine/B.orm.yml'].every(isIndexed)).toBe(true);
    expect(['vendor/x/A.php', 'storage/framework/views/x.php', 'resources/lang/en/a.php', 'lang/fr/a.php', 'app/x.js', 'var/cache/prod/A.php', 'public/build/x.php'].some(isIndexed)).toBe(false);
  });

  it('tells production code from tests, factories, seeders, fixtures and migrations', () => {
    expect(['app/Models/User.php', 'src/Controller/A.php', 'app/Factories/Maker.php'].every((p) => isProductionPath(p))).toBe(true);
    expect(['tests/Feature/A.php', 'src/Tests/A.php', 'database/factories/UserFactory.php', 'database/seeders/A.php', 'database/migrations/x.php', 'migrations/Version1.php', 'src/DataFixtures/A.php', 'app/UserTest.php'].some((p) => isProductionPath(p))).toBe(false);
    expect(isProductionPath('db/changes/001.php', ['db/changes'])).toBe(false);
  });

  it('matches ignore globs like .gitignore does', () => {
    expect(globToRegExp('app/Legacy/**').test('app/Legacy/Old/A.php')).toBe(true);
    expect(globToRegExp('*.stub.php').test('src/deep/x.stub.php')).toBe(true);
    expect(globToRegExp('tests/*Test.php').test('tests/Feature/ATest.php')).toBe(false);
  });

  it('paths.ignore: a directory leaves out everything under it, as in .gitignore (and doctor.ignore)', () => {
    const keep = pathFilter([], ['app/Legacy', 'storage/', '*.stub.php']);
    expect(['app/Legacy/Old/A.php', 'storage/framework/views/x.php', 'src/deep/x.stub.php'].filter(keep)).toEqual([]);
    expect(['app/Models/User.php', 'app/LegacyBridge.php'].filter(keep)).toEqual(['app/Models/User.php', 'app/LegacyBridge.php']);
  });

  it('prefilters on whole snake names and on camel/studly forms inside longer names', () => {
    const p = new Prefilter([{ table: 'users', column: 'legacy_id' }]);
    expect(p.matchesText('$u->legacy_id')).toBe(true);
    expect(p.matchesText('getLegacyIdAttribute')).toBe(true);
    expect(p.matchesText("'old_legacy_id'")).toBe(false);
    expect(p.matchesText('private $legacyId;')).toBe(true);
  });

  it('finds which of many names a text holds in one scan, names inside other names included', () => {
    const s = new NameScan();
    const [col, camelCol, studlyCol] = s.targetIds({ table: 'users', column: 'legacy_id' });
    const client = s.id('Client', false);
    const contact = s.id('ClientContact', false);
    const users = s.id('users', true);
    const f = s.scan("$c = new ClientContact(); $u->getLegacyIdAttribute(); 'old_legacy_id' . $xusers");
    expect([...f]).toEqual([0, 0, 1, 1, 1, 0]);
    expect([col, camelCol, studlyCol, client, contact, users]).toEqual([0, 1, 2, 3, 4, 5]);
    expect([...s.scan('DELETE FROM users WHERE legacy_id = 1')]).toEqual([1, 0, 0, 0, 0, 1]);
    expect([...s.scan('nothing here')]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('decodes ASCII files as one byte per character and anything else as UTF-8', () => {
    expect(decodeCode(Buffer.from('<?php $a = 1;'))).toBe('<?php $a = 1;');
    expect(decodeCode(Buffer.from("<?php $a = 'café';"))).toBe("<?php $a = 'café';");
  });
});

describe('parsing only the members that matter', () => {
  const code = `<?php
namespace App\\Http\\Controllers;

use App\\Models\\User;

#[Attr(X::class)]
final class C extends Controller
{
    private User $user;

    public function a()
    {
        $s = "braces { in strings }";
        return <<<SQL
        }}}} not code
        SQL;
    }

    public function b()
    {
        return User::where('legacy_id', 1)->get();
    }
}
`;

  it('blanks methods that do not mention a target, keeping every line where it was', () => {
    const sliced = sliceForParse(code, (t) => t.includes('legacy_id'));
    expect(sliced.split('\n')).toHaveLength(code.split('\n').length);
    expect(sliced).not.toContain('braces');
    expect(sliced).toContain('private User $user;');
    expect(sliced.split('\n')[20]).toBe("        return User::where('legacy_id', 1)->get();");
  });

  it('keeps the statements that mention a target, the assignments they depend on, and the blocks around them', () => {
    const body = `<?php
namespace App\\Http\\Controllers;

class D
{
    public function run($id)
    {
        $user = User::find($id);
        $unrelated = Str::random(8);
        Log::info('noise');
        if ($id > 3) {
            Log::info('more noise');
            $user->legacy_id = 7;
        } else {
            Log::info('other branch');
        }
        foreach ($this->items() as $item) {
            Log::debug($item);
        }
        return $user;
    }
}
`;
    const sliced = sliceForParse(body, (t) => t.includes('legacy_id'));
    expect(sliced.split('\n').map((l) => l.trim()).filter(Boolean)).toEqual([
      '<?php', 'namespace App\\Http\\Controllers;', 'class D', '{', 'public function run($id)', '{',
      '$user = User::find($id);', 'if ($id > 3) {', "Log::info('more noise');", '$user->legacy_id = 7;', '} else {', "Log::info('other branch');", '}', '}', '}',
    ]);
  });

  it('handles files with tens of thousands of braces, parentheses and semicolons', () => {
    const methods = Array.from({ length: 400 }, (_, i) => `    public function m${i}($a)\n    {\n        if ($a) { return f(g($a), [${i}]); }\n        return null;\n    }\n`).join('\n');
    const big = `<?php\nclass Big\n{\n${methods}\n    public function target()\n    {\n        return User::where('legacy_id', 1);\n    }\n}\n`;
    const sliced = sliceForParse(big, (t) => t.includes('legacy_id'));
    expect(sliced.split('\n')).toHaveLength(big.split('\n').length);
    expect(sliced.replace(/\n+/g, '\n')).toBe("<?php\nclass Big\n{\n    public function target()\n    {\n        return User::where('legacy_id', 1);\n    }\n}\n");
  });

  it('stays linear on comment-heavy code (a regular expression once backtracked for minutes here)', () => {
    const comments = Array.from({ length: 30 }, () => `        // ${'http://x//y//'.repeat(20)}`).join('\n');
    const code = `<?php\nclass T\n{\n    public function f()\n    {\n${comments}\n        $a = 1;\n        return $a + legacy_id();\n    }\n}\n`;
    expect(sliceForParse(code, (t) => t.includes('legacy_id'))).toContain('return $a + legacy_id();');
  });

  it('slices files of statements (routes, or a class with code around it) by top-level statement', () => {
    const withCode = code.replace('use App\\Models\\User;', "use App\\Models\\User;\nrequire 'helpers.php';");
    const sliced = sliceForParse(withCode, (t) => t.includes('legacy_id'));
    expect(sliced.split('\n')).toHaveLength(withCode.split('\n').length);
    expect(sliced).not.toContain('require');
    // the class is one of the file's statements: kept, and its members sliced as in a class file
    expect(sliced).not.toContain('braces { in strings }');
    expect(sliced).toContain("return User::where('legacy_id', 1)->get();");
    const routes = "<?php\nuse App\\Models\\User;\nRoute::get('/a', fn () => view('a'));\nRoute::get('/b', fn () => User::where('legacy_id', 1)->get());\n";
    expect(sliceForParse(routes, (t) => t.includes('legacy_id'))).toBe("<?php\nuse App\\Models\\User;\n\nRoute::get('/b', fn () => User::where('legacy_id', 1)->get());\n");
  });

  it('keeps only the elements of a big returned array that mention a target (config files, rules())', () => {
    const others = Array.from({ length: 20 }, (_, i) => `    'option_${i}' => env('OPTION_${i}', 'a default value'),`).join('\n');
    const config = `<?php\n\nreturn [\n${others}\n    'legacy' => ['column' => 'legacy_id'],\n];\n`;
    const sliced = sliceForParse(config, (t) => t.includes('legacy_id'));
    expect(sliced.split('\n')).toHaveLength(config.split('\n').length);
    expect(sliced).not.toContain('option_');
    expect(sliced.split('\n')[23]).toBe("    'legacy' => ['column' => 'legacy_id'],");
    const method = `<?php\nclass R\n{\n    public function rules()\n    {\n        return [\n${others}\n            'legacy_id' => 'exists:users,legacy_id',\n        ];\n    }\n}\n`;
    expect(sliceForParse(method, (t) => t.includes('legacy_id'))).not.toContain('option_');
  });

  it('reads names in code and mapping docblocks only: other comments neither keep a method nor get parsed', () => {
    const doc = `<?php
/**
 * License header naming legacy_id.
 */
namespace App\\Http\\Controllers;

class E
{
    /**
     * @ORM\\Column(name="legacy_id")
     */
    private $legacy;

    /**
     * @OA\\Parameter(name="legacy_id", in="query")
     */
    public function show()
    {
        return view('e');
    }

    public function setClient(Client $client)
    {
        Log::info('set');
        $this->client = $client;
        $this->touch();
    }

    public function run()
    {
        // fill legacy_id below
        /** @var User $u */
        $u = cache('u');
        return $u->legacy_id + new/**/Foo();
    }
}
`;
    const sliced = sliceForParse(doc, /(?<![A-Za-z0-9_])(?:legacy_id)(?![A-Za-z0-9_])|(?:legacyId|LegacyId)/);
    expect(sliced.split('\n')).toHaveLength(doc.split('\n').length);
    expect(sliced.split('\n').map((l) => l.trim()).filter(Boolean)).toEqual([
      '<?php', 'namespace App\\Http\\Controllers;', 'class E', '{',
      // a Doctrine mapping docblock is read for the column it names
      '/**', '* @ORM\\Column(name="legacy_id")', '*/', 'private $legacy;',
      // the API docblock naming the column does not keep show(); a setter-only method keeps its setters
      'public function setClient(Client $client)', '{', '$this->client = $client;', '}',
      // `@var` comments type variables; a comment between two tokens of a line stays
      'public function run()', '{', '/** @var User $u */', "$u = cache('u');", 'return $u->legacy_id + new/**/Foo();', '}', '}',
    ]);
  });

  it('blanks the imports no kept code names, and keeps the ones code, @var docblocks or attributes use', () => {
    const file = `<?php
namespace App\\Http\\Controllers;

use App\\Models\\User;
use App\\Models\\Team as Squad;
use App\\Jobs\\{SendMail, PurgeCache};
use App\\Services\\Billing;
use Doctrine\\ORM\\Mapping as ORM;
use App\\Support\\Loud;
use function App\\helper;

class F
{
    use Loud;

    #[ORM\\Column(name: 'legacy_id')]
    private $legacy;

    public function run()
    {
        /** @var Squad $s */
        $s = cache('s');
        $s->legacy_id = User::first()->legacy_id;
        Billing::charge();
    }
}
`;
    const sliced = sliceForParse(file, /(?<![A-Za-z0-9_])(?:legacy_id)(?![A-Za-z0-9_])|(?:legacyId|LegacyId)/);
    expect(sliced.split('\n')).toHaveLength(file.split('\n').length);
    const imports = sliced.split('\n').filter((l) => l.startsWith('use '));
    // Billing is only used in a statement the slicer drops; the group import names nothing kept
    expect(imports).toEqual(['use App\\Models\\User;', 'use App\\Models\\Team as Squad;', 'use Doctrine\\ORM\\Mapping as ORM;', 'use App\\Support\\Loud;', 'use function App\\helper;']);
    // a trait use inside the class is a member, not an import
    expect(sliced).toContain('    use Loud;');
  });
});

describe('SQL in application strings', () => {
  const columns = new Set(['legacy_id', 'total']);
  it('parses statements: aliases resolved, unqualified names on a single table', () => {
    expect(sqlReferences('SELECT u.legacy_id, o.total FROM users u JOIN orders o ON o.user_id = u.id', { dialect: 'mysql', columns }).map((r) => `${r.table}.${r.column ?? '*'}:${r.parsed}`)).toEqual([
      'users.*:true', 'orders.*:true', 'users.legacy_id:true', 'orders.total:true',
    ]);
    expect(sqlReferences('UPDATE users SET legacy_id = NULL WHERE id = $1', { dialect: 'postgres', columns }).map((r) => `${r.table}.${r.column ?? '*'}`)).toEqual(['users.*', 'users.legacy_id']);
  });

  it('scans fragments and what the parser rejects, with the tables the code ties them to', () => {
    expect(sqlReferences('legacy_id > ? AND total < 3', { dialect: 'mysql', columns, defaultTables: ['users'], fragment: true }).map((r) => `${r.table}.${r.column}:${r.parsed}`)).toEqual(['users.legacy_id:false', 'users.total:false']);
    expect(sqlReferences('ALTER TABLE users DROP legacy_id', { dialect: 'mysql', columns }).map((r) => `${r.table}.${r.column ?? '*'}`)).toEqual(['users.*', 'users.legacy_id']);
  });
});
