import { describe, expect, it } from 'vitest';
import { parsePhp, parseWithPhpParser, type PhpNode } from '../../src/php/ast.js';
import { fastParsePhp } from '../../src/php/fast-parse.js';

/**
 * The fast parser against php-parser: for what it accepts, the same tree on everything the analyser
 * can read — every field, in php-parser's order (the analyser walks children in key order), with
 * `loc.start` — but not `loc.end` (never read; the fast parser keeps its own), `trailingComments`
 * (skipped by every walk), the program's `comments` list (read by `commentsOf` only, on
 * php-parser's trees).
 */
function comparable(node: unknown): unknown {
  return JSON.parse(JSON.stringify(node, (k, v) => (k === 'end' || k === 'trailingComments' || k === 'source' ? undefined : v)));
}

function reference(code: string): PhpNode {
  const r = parseWithPhpParser(code, 'x.php');
  if ('error' in r) throw new Error(`php-parser refuses the fixture: ${r.error.message} (line ${r.error.line})`);
  const ast = { ...r.ast };
  delete ast.comments;
  return ast;
}

function fast(code: string): PhpNode | undefined {
  const ast = fastParsePhp(code);
  if (!ast) return undefined;
  const copy = { ...ast };
  delete copy.comments;
  return copy;
}

/** Keys in order, recursively: JSON equality after `comparable` also checks the order of fields. */
function expectSame(code: string): void {
  const mine = fast(code);
  expect(mine, 'the fast parser declined').toBeDefined();
  expect(JSON.stringify(comparable(mine))).toBe(JSON.stringify(comparable(reference(code))));
}

const MODEL = `<?php

namespace App\\Models;

use Illuminate\\Database\\Eloquent\\Model;
use Illuminate\\Database\\Eloquent\\Relations\\BelongsTo;
use function Illuminate\\Support\\now;
use \\Illuminate\\Support\\Facades\\DB as Database, App\\Enums\\Status;

/**
 * @property string $email
 */
#[ObservedBy([UserObserver::class])]
final class User extends Model implements HasName, \\Countable
{
    use HasFactory, SoftDeletes;

    public const CREATED_AT = 'created', UPDATED_AT = "updated";
    final protected const string TABLE = 'users';

    /** @var array<int, string> */
    protected $fillable = ['name', 'email', 'password',];
    protected $casts = ['email_verified_at' => 'datetime', 'flags' => 'array'];
    public static ?self $current = null;
    private readonly int $count;
    var $legacy;

    public function __construct(private readonly Repository $repo, protected ?int $limit = 10, public int|string ...$rest)
    {
        parent::__construct();
    }

    #[Scope]
    public function scopeActive($query, string $status = Status::ACTIVE->value): Builder
    {
        return $query->where('status', $status)->whereNotNull('email_verified_at');
    }

    public function posts(): HasMany
    {
        return $this->hasMany(Post::class, 'author_id')->latest();
    }

    abstract protected static function make(): static;

    public function &refs(array &$into, \\Closure|null $cb = null): ?array
    {
        static $cache = [], $hits;
        global $config;
        return $into;
    }
}
`;

const CONTROLLER = `<?php
namespace App\\Http\\Controllers;

class UserController extends Controller
{
    public function index(Request $request)
    {
        /** @var User $user */
        $user = $request->user();
        $users = User::query()
            ->when($request->filled('q'), fn (Builder $q) => $q->where('name', 'like', "%{$request->q}%"))
            ->with(['posts' => function ($q) use ($user, &$count) {
                $q->where('author_id', $user->id)->orderByDesc('created_at');
            }])
            ->paginate(perPage: 20, columns: ['*']);
        $name = $user?->profile?->display_name ?? $user->name ?: 'anonymous';
        $label = match ($user->status) {
            'active', 'new' => __('Active'),
            default => throw new \\LogicException("unknown status {$user->status}"),
        };
        [$a, [$b, $c]] = [1, [2, 3]];
        list('x' => $x, , $y) = $pairs;
        [, $second] = $pairs;
        $args = [...$defaults, 'limit' => 10, ...$overrides];
        $ids = array_map(static fn($u): int => (int) $u->id, $users->all());
        $total = (float) $a + -$b * 2 ** 3 % 4 - $c / 5 . ' units' << 1;
        $ok = !$user instanceof Admin && ($a >= 1 || $b <=> $c) || ($x xor $y);
        if ($user instanceof Admin
            && $user->status == 1) { $q = $user instanceof \App\Admin ? 1 : 2; }
        $found = ($user or $x and $y);
        $user->update(['email' => strtolower($request->input('email')), 'status' => Status::from('x')]);
        $counts[$user->id] ??= 0;
        $counts[] = $user;
        $this->cache[self::KEY][static::class] = clone $user;
        $copy = new static();
        $dyn = new $this->classes['user']($user);
        $obj = new class($user) extends Base implements Contract { public function __construct(public User $u) {} };
        $f = strlen(...);
        $v = @$maybe['key'];
        $i++; --$j; $k .= "x\\ty\\n\\\$z \\u{1F600}";
        unset($a, $counts['x']);
        echo $a, PHP_EOL, __CLASS__;
        print 'done';
        isset($a, $b) || empty($c) || exit(1);
        return view('users.index', compact('users'))->with('name', $name);
    }
}
`;

const STATEMENTS = `<?php
declare(strict_types=1);
declare_things();
function helper(int $a = 1, ?string $b = null, ...$rest): void
{
    if ($a > 1) {
        return;
    } elseif ($a === 0) {
        $b = 'zero';
    } else if ($b) {
        $b .= '!';
    } else {
        $b = null;
    }
    foreach ($rest as $key => &$value) {
        continue;
    }
    foreach (DB::table('users')->cursor() as [$id, $email]) {
        break 1;
    }
    for ($i = 0, $j = 10; $i < $j; $i++, $j--) {
    }
    while ($a--) { /** @var int $a */ }
    do {
        $a++;
    } while ($a < 10);
    switch ($b) {
        case 'a':
        case 'b';
            $a = 1;
            break;
        default:
            $a = 2;
    }
    try {
        DB::statement('UPDATE users SET status = ? WHERE id = ?', [1, 2]);
    } catch (QueryException | \\PDOException $e) {
        throw $e;
    } catch (Throwable) {
    } finally {
        $a = 0;
    }
    $fn = function () use ($a) { yield 1; yield $a => 2; yield from gen(); };
    const_here: ;
}
`;

const STRINGS = `<?php
$table = 'users';
$sql = "SELECT id, email FROM {$table} WHERE status = '$status' AND id IN ($ids[0], $row[id], $row[$k]) -- $this->name";
$raw = <<<SQL
    SELECT *
      FROM users
     WHERE email = '{$email}' AND name = "\${name}"
    SQL;
$plain = <<<'SQL'
    DELETE FROM sessions
    WHERE last_activity < 10
    SQL;
$old = <<<EOT
text without variables
EOT;
$single = 'it\\'s a \\\\ path\\n';
$double = "tab\\there \\"quoted\\" \\e \\v \\f \\\\ \\q";
$nums = [0x1F, 0b101, 0o17, 017, 1_000_000, 1.5e3, .5, 7E-2];
$consts = [true, FALSE, null, Null, __DIR__ . '/x.php', PHP_VERSION, \\PHP_INT_MAX, namespace\\helper()];
`;

const DOCTRINE = `<?php
namespace App\\Entity;

use Doctrine\\ORM\\Mapping as ORM;

/**
 * @ORM\\Entity
 * @ORM\\Table(name="customers")
 */
#[ORM\\Entity(repositoryClass: CustomerRepository::class)]
class Customer
{
    /** @ORM\\Column(name="legacy_code", type="string") */
    private $code;

    #[ORM\\Id, ORM\\GeneratedValue]
    #[ORM\\Column(type: 'integer')]
    private ?int $id = null;

    /** @var Collection<int, Order> */
    #[ORM\\OneToMany(mappedBy: 'customer', targetEntity: Order::class)]
    private Collection $orders;

    public function __construct(
        #[ORM\\Column(name: 'display_name')] private string $displayName = '',
    ) {
        $this->orders = new ArrayCollection();
    }
}

enum Status: string implements HasLabel
{
    use Labels;
    case Active = 'active';
    case Closed = 'closed';
    const DEFAULT = self::Active;
    public function label(): string { return ucfirst($this->value); }
}

interface HasLabel extends \\Stringable, Other { public function label(): string; }
trait Labels { public static function labels(): array { return array_map(fn (self $c) => $c->label(), self::cases()); } }
`;

const COMMENTS = `<?php
// a file comment

/** @var \\App\\Models\\User $user */
$user = auth()->user();

function f()
{
    /** @var Order $order */
    $order = cache('order');
    # hash comment
    return $order; // trailing
    // after the last statement
}

$rules = [
    /** the email rule */
    'email' => 'required|unique:users,email',
    // a line comment before an item
    'name' => 'required',
    // after the last item
];

if ($x) {
    // only a comment
} // before else
else {
    f();// glued: trailing
    // leads g()
    g();
}
switch ($x) {
    // leads the case
    case 1:
        /** @var User $u leads the case's block */
        $u = f();
        // leads the next case
    default:
        // trails the last case
}
$empty = [
    // trails $empty
];
`;

describe('fastParsePhp: the same tree as php-parser', () => {
  it('an Eloquent model: namespaces, uses, attributes, class constants, properties, promoted parameters, types', () => expectSame(MODEL));
  it('a controller: chains, closures, arrow functions, named arguments, nullsafe, match, list(), spread, operators, casts, new, clone', () => expectSame(CONTROLLER));
  it('statements: if/elseif/else, foreach, for, while, do, switch, try/catch/finally, yield', () => {
    // (the label `const_here:` is a goto target: declined, see below; the rest must match)
    expectSame(STATEMENTS.replace('    const_here: ;\n', ''));
  });
  it('strings: interpolation, heredoc (indented), nowdoc, escapes, numbers, constants, magic constants', () => expectSame(STRINGS));
  it('a Doctrine entity, an enum, an interface and a trait', () => expectSame(DOCTRINE));
  it('docblocks and comments: leading comments of statements, members and array items; trailing ones dropped', () => expectSame(COMMENTS));

  it('where operators start: parenthesized operands, instanceof, regrouping by precedence', () => {
    expectSame(
      '<?php\n$a = ($b + 1) * 2;\n$a = ($b + 1) * 2 + 3;\n$a = $x . ($b + 1) * 2 + 3;\n$c = ($d = f()) !== null && $d->x;\n$c = ($d = f()) !== null;\n' +
        '$e = (new A)->b();\n(function () {})();\n$f = ($g) ? 1 : 2;\n$f = ($g) + 1 ? 2 : 3;\n$h = $a instanceof B\n  && $c || $d;\n' +
        'if ($a instanceof B\n    && $c == 1) {}\n$i = (\n  $a + 1\n) * 2;\n$j = $a * $b . $c + $d << 2 ?? $e ?? $f ** 2 ** 3;\n',
    );
  });

  it('variable variables: $$a, $$a->b, $$$a[1]', () => {
    expectSame('<?php\n$$a = 1;\n$b = $$c->d;\n$e = $$$f[1];\nforeach ($g as $$h) {}\n');
  });

  it('agrees on every analyser-read field: a changed fixture is seen', () => {
    // the comparison itself must be able to fail: a tree with one value changed is not equal
    const mine = fast(MODEL)!;
    const ref = reference(MODEL);
    expect(JSON.stringify(comparable(mine))).toBe(JSON.stringify(comparable(ref)));
    const body = (mine.children[0].children as PhpNode[]).find((n) => n.kind === 'class')!.body as PhpNode[];
    body[2]!.constants[0].value.value = 'changed';
    expect(JSON.stringify(comparable(mine))).not.toBe(JSON.stringify(comparable(ref)));
  });
});

/** Every node's position, `loc.end` included: what the migration readers take source text by (`textOf`). */
function positions(node: unknown, out: string[] = [], path = ''): string[] {
  if (Array.isArray(node)) node.forEach((n, i) => positions(n, out, `${path}[${i}]`));
  else if (node && typeof node === 'object') {
    const n = node as PhpNode;
    if (n.kind && n.loc) out.push(`${path} ${n.kind} ${n.loc.start.offset}-${n.loc.end.offset}`);
    // (trailing comments: php-parser's own, which no walk reads)
    for (const [k, v] of Object.entries(n)) if (k !== 'loc' && k !== 'comments' && k !== 'trailingComments' && v && typeof v === 'object') positions(v, out, `${path}.${k}`);
  }
  return out;
}

describe('fastParsePhp with exactEnds (the readers): php-parser’s positions, loc.end included, or declined', () => {
  const exact = (code: string): void => {
    const mine = fastParsePhp(code, { exactEnds: true });
    expect(mine, `declined: ${code}`).toBeDefined();
    const ref = parseWithPhpParser(code, 'x.php');
    if ('error' in ref) throw new Error(ref.error.message);
    expect(positions(mine)).toEqual(positions(ref.ast));
  };

  it('the fixtures, node for node', () => {
    for (const code of [MODEL, STRINGS, DOCTRINE, COMMENTS, STATEMENTS.replace('    const_here: ;\n', '')]) exact(code);
    // the controller holds `!$user instanceof Admin && …` and `($user or $x and $y)`: declined
    expect(fastParsePhp(CONTROLLER, { exactEnds: true })).toBeUndefined();
    expect(fastParsePhp(CONTROLLER)).toBeDefined();
  });

  it('where php-parser ends a node: an expression statement’s expression at its `;`, use and class constant and property statements before it, an empty case at the next token, a regrouped operator at its last operand', () => {
    exact("<?php\nuse A\\B;\n$table->string('a')->nullable();\n$a = f($b);\n$i++;\nclass C { const X = 'x'; public $p = [1, 2]; }\n");
    exact('<?php\nswitch ($a) {\n    case 1:\n    case 2:\n        // two\n    case 3:\n        f();\n}\n');
    // `(a) && (b) && (c)`: the first `&&` is regrouped, from `a` to `b` without their parentheses
    exact('<?php\nif ((config(\'x\')) && ($s) && ($s->y)) {}\n$g = $a === 1 ? \'o\' : ($b === 1 ? \'r\' : \'i\');\n$c = $a && ($b);\nif (0 === ($i % $n)) {}\n');
  });

  it('generated expressions (operators, parentheses, prefix operators, ternaries, assignments, in several statements): declined, or php-parser’s positions', () => {
    let seed = 20261127;
    const rnd = (): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const ops = ['+', '-', '*', '.', '&&', '||', '??', '===', '<', 'and', 'or', '**', '|', '<<'];
    const expr = (d: number): string => {
      const r = rnd();
      if (d > 3 || r < 0.3) return pick(['$a', '1', "'s'", 'f($x)', '$o->p', 'C::K', '$v[0]']);
      if (r < 0.45) return `(${expr(d + 1)})`;
      if (r < 0.55) return `${pick(['!', '-', '(int)', '@'])}${expr(d + 1)}`;
      if (r < 0.62) return `${expr(d + 1)} ? ${expr(d + 1)} : ${expr(d + 1)}`;
      if (r < 0.66) return `${expr(d + 1)} ?: ${expr(d + 1)}`;
      if (r < 0.7) return `$z = ${expr(d + 1)}`;
      if (r < 0.73) return `${expr(d + 1)} instanceof B`;
      return `${expr(d + 1)} ${pick(ops)} ${expr(d + 1)}`;
    };
    let accepted = 0;
    for (let i = 0; i < 1500; i++) {
      const code = `<?php\n${pick(['$r = X;', 'if (X) { f(); }', 'f(X);', 'return X;', 'X;', '$r = [X, 1];']).replace('X', expr(0))}\n`;
      const ref = parseWithPhpParser(code, 'x.php');
      const mine = fastParsePhp(code, { exactEnds: true });
      if (!mine || 'error' in ref) continue;
      accepted++;
      expect(positions(mine), code).toEqual(positions(ref.ast));
    }
    // most are plain enough to be taken
    expect(accepted).toBeGreaterThan(600);
  });

  it('declines what php-parser places in ways of its own, and parsePhp then gives php-parser’s tree', () => {
    for (const code of ['<?php\n$a = !($b) && $c;\n', '<?php\n$a = (int)$b ** 2;\n', '<?php\n$a ?? $b = 1;\n', '<?php\n$a = $b ? 1 : 2 and $c;\n', '<?php\n$a = -$b instanceof C;\n']) {
      expect(fastParsePhp(code, { exactEnds: true }), code).toBeUndefined();
      const viaParsePhp = parsePhp(code, 'x.php');
      const ref = parseWithPhpParser(code, 'x.php');
      expect('ast' in viaParsePhp && 'ast' in ref && positions(viaParsePhp.ast)).toEqual('ast' in ref && positions(ref.ast));
    }
  });
});

/** One-liners: each gives php-parser's tree, or is declined (the comment says which are expected to decline). */
const ONE_LINERS = [
  'print $a . $b;', '$a = yield $k => $v;', '$x = yield from $g;', 'die("x");', 'f() or die;', '$a = -$b ** 2;', '$a = !$b == $c;', '$a = (string) $b . "x";',
  '$a = clone $b->c;', '$a = include "x.php";', '$a = $b ?: $c ?: $d;', '$a = $b ?? $c ?? $d;', '$a = $b && $c ? $d : $e;', '$a = $b = $c;', '$a[$b] = $c[$d] = 1;',
  "['x' => $a, 'y' => [$b, $c]] = $d;", 'list(, $a) = $b;', '$a = &$b->c;', '$f = fn&($x) => $x;', 'foreach ($a as list($b, $c)) {}', '$a = static function () use (&$b) {};',
  '$a = fn(int ...$xs): array => $xs;', '$a = match(true) { $b > 1 => 1, default => 2 };', '$a = $b instanceof $c;', '$a = A::b()::c();', '$a = 2 ** 3 ** 2;',
  '$a = $b & $c | $d ^ $e;', '$a = $b <> $c;', '$a = "{$a->b->c}";', "$a = \"{$a['x']}\";", '$a = "$a->b->c";', '$a = "{ $a }";', '$a = "a$";', '$a = "\\\\$a";',
  '$a = <<<EOT\n  a\n    b\n  EOT;', '$a = <<<"EOT"\nx $y\nEOT;', '$a = <<<EOT\na\n\nb\nEOT;', '$a = <<<EOT\n  a\\n$b \\"q\\" \\\\\n  EOT;', "f(<<<'N'\n  raw\n  N\n  , 1);", 'f(<<<N\n  $a\n  N\n  , 1);', '$a = __dir__;', '$a = \\PHP_EOL;',
  '$a = 0777 + 1e10 + 1E-5 + 1_0.5;', 'function f(): ?static {}', 'function f(A&B $x): A|null {}', 'function f(&...$a) {}', 'readonly class A {}',
  'class A { public int $a = 1, $b = 2; }', 'interface A { const X = 1; public static function f(): self; }', 'enum A: int { case B = 1; }',
  'for ($i = 0; ; $i++) {}', 'do f(); while ($a);', 'switch ($a) { case 1: { f(); } }', 'use function A\\f, B\\g;', 'f(...);', 'f(array: 1, class: 2);',
  '$a = ["a" => &$b, ...$c];', '$a = $b->list + $b->class;', '$a = A::new() . $b->new();', '$a = f()[0]->b;', '$a = (clone $b)->c;', '$a = ($b)();',
  '$a = new class(1, 2) { public $x; };', '$a = $b . -1;', '$a = (fn() => 1)();', 'class X { public function f(#[A] $a, #[B(c: 1)] int $b) {} }',
  '$x = $a?->b?->c;', '/** d */ throw $e;', 'class A { /** d */ #[X] const Y = 1; }', 'try { /** a */ f(); } catch (E $e) { /** b */ g(); } finally { /** c */ h(); }',
  // declined
  '$a = $b ?: $c ? $d : $e;', 'class A { use B { f as g; } }', '$a = new readonly class {};', '$a = (($b));', '$a = #[A] fn() => 1;', '$a = ${"b"};',
  '$a = (unset) $b;', 'class A { #[X] /** d */ public $y; }', '$a = [/** d */ 1];', '$a = fn() => /** x */ 1;', '$a = f(...$b, c: 1);',
];

describe('fastParsePhp: one-liners', () => {
  it('each is php-parser’s tree or declined, never a different tree', () => {
    let accepted = 0;
    for (const line of ONE_LINERS) {
      const code = `<?php\n${line}\n`;
      const mine = fast(code);
      if (!mine) continue;
      accepted++;
      expect(JSON.stringify(comparable(mine)), line).toBe(JSON.stringify(comparable(reference(code))));
    }
    expect(accepted).toBe(ONE_LINERS.length - 11);
  });
});

describe('fastParsePhp: declines', () => {
  const DECLINED: Array<[string, string]> = [
    ['syntax error', '<?php\n$a = ;\n'],
    ['missing final semicolon (php-parser reports it)', '<?php\nreturn new class extends Migration {\n}\n'],
    ['unclosed block', '<?php\nfunction f() {\n  $a = 1;\n'],
    ['unclosed string', '<?php\n$a = "abc;\n'],
    ['unclosed heredoc', '<?php\n$a = <<<SQL\nSELECT\n'],
    ['alternative syntax', '<?php\nif ($a):\n  f();\nendif;\n'],
    ['goto and labels', '<?php\nstart:\ngoto start;\n'],
    ['declare blocks', "<?php\ndeclare(ticks=1) {\n  f();\n}\n"],
    ['inline HTML', '<?php\n$a = 1;\n?>\n<p>html</p>\n'],
    ['not starting with <?php', '<html><?php echo 1; ?>\n'],
    ['short tags', '<?= $a ?>\n'],
    ['a comment inside an argument list', "<?php\nf(/** a */ 1);\n"],
    ['a comment glued to a token other than ; or }', '<?php\nf(1,// trailing\n  2);\n'],
    ['nested unparenthesized ternary', '<?php\n$a = $b ? 1 : $c ? 2 : 3;\n'],
    ['property hooks', '<?php\nclass A { public string $x { get => 1; } }\n'],
    ['group use', '<?php\nuse A\\{B, C};\n'],
    ['braced namespaces', '<?php\nnamespace A { f(); }\n'],
    ['braced variable variables', '<?php\n${$a} = 1;\n'],
    ['backticks', '<?php\n$a = `ls`;\n'],
    ['CR line ends', '<?php\r\n$a = 1;\r\n'],
    ['`and` after an assignment (php-parser groups it unlike PHP)', '<?php\n$ok = $a and $x xor $y;\n'],
    ['a non-associative comparison chain', '<?php\n$a = 1 < 2 < 3;\n'],
  ];
  for (const [what, code] of DECLINED) {
    it(what, () => expect(fastParsePhp(code)).toBeUndefined());
  }

  it('every prefix of the fixtures: declined, or exactly php-parser’s tree', () => {
    let accepted = 0;
    for (const code of [MODEL, CONTROLLER, STRINGS, DOCTRINE, COMMENTS]) {
      for (let cut = 6; cut < code.length; cut += 7) {
        const prefix = code.slice(0, cut);
        const mine = fast(prefix);
        if (!mine) continue;
        accepted++;
        const r = parsePhp(prefix, 'x.php');
        expect('ast' in r, `php-parser refuses a prefix the fast parser accepts: ${JSON.stringify(prefix.slice(-40))}`).toBe(true);
        expect(JSON.stringify(comparable(mine))).toBe(JSON.stringify(comparable(reference(prefix))));
      }
    }
    // prefixes cut after a complete statement parse
    expect(accepted).toBeGreaterThan(0);
  });

  it('random small edits of the fixtures: declined, or exactly php-parser’s tree', () => {
    let seed = 7;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const INSERT = ['(', ')', '{', '}', '[', ']', ';', ',', '$', "'", '"', '\\', '/*', '//', '#', '?', ':', '=>', '->', '::', '&', '.', '\n', 'a', '1', '=', '@'];
    let accepted = 0;
    for (const code of [MODEL, CONTROLLER, STATEMENTS, STRINGS, DOCTRINE, COMMENTS]) {
      for (let k = 0; k < 150; k++) {
        const at = 6 + Math.floor(rnd() * (code.length - 6));
        const r = rnd();
        const edited =
          r < 0.4 ? code.slice(0, at) + code.slice(at + 1 + Math.floor(rnd() * 3)) : r < 0.8 ? code.slice(0, at) + INSERT[Math.floor(rnd() * INSERT.length)] + code.slice(at) : code.slice(0, at) + code.slice(at, at + 8) + code.slice(at);
        const mine = fast(edited);
        if (!mine) continue;
        accepted++;
        const ref = parsePhp(edited, 'x.php');
        expect('ast' in ref, `php-parser refuses an edit the fast parser accepts: ${JSON.stringify(edited.slice(at - 30, at + 30))}`).toBe(true);
        expect(JSON.stringify(comparable(mine)), JSON.stringify(edited.slice(at - 30, at + 30))).toBe(JSON.stringify(comparable(reference(edited))));
      }
    }
    expect(accepted).toBeGreaterThan(0);
  });
});
