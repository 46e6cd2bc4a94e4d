import { join } from 'node:path';
import { DISK_FS, type ConfigFs } from './config-fs.js';
import { itemAt, nameOf, parsePhp, syntaxErrorText, type PhpNode } from '../php/ast.js';

/**
 * A Laravel app's `config/*.php`, read statically, for migrations that take names from it: packages
 * publish migrations such as `Schema::create($tableNames['roles'], …)` after `$tableNames =
 * config('permission.table_names')` (spatie/laravel-permission), or
 * `Schema::create(config('activitylog.table_name'), …)`.
 *
 * `get('permission.table_names.roles')` loads `config/permission.php`, takes the array its `return`
 * gives and follows the keys. What a value is at run time zdd cannot know: `env('X', 'default')`
 * counts as its default (the name an app gets unless its server's .env says otherwise), and any
 * other expression is left to the caller as it is (a call, a constant: not a name).
 */
export class LaravelAppConfig {
  private readonly files = new Map<string, PhpNode | undefined>();

  /** Config files that exist but do not parse, with PHP's complaint (for --verbose: their values count as unknown). */
  readonly unparsed = new Map<string, string>();

  /** `load('permission')`: the text of config/permission.php, or undefined when there is none. */
  constructor(private readonly load: (name: string) => string | undefined) {}

  /** An app on disk (or in a release read from git: `fs`). */
  static fromRoot(root: string, fs: ConfigFs = DISK_FS): LaravelAppConfig {
    return new LaravelAppConfig((name) => fs.readText(join(root, 'config', `${name}.php`)));
  }

  /** The value node at a dotted key, with `env('X', default)` replaced by its default; undefined when the config does not say. */
  get(key: string): PhpNode | undefined {
    const [file, ...path] = key.split('.');
    if (!file || !/^[\w-]+$/.test(file)) return undefined;
    let node = this.root(file);
    for (const k of path) {
      if (node?.kind !== 'array') return undefined;
      node = unwrapEnv(itemAt(node, k));
    }
    return node;
  }

  private root(file: string): PhpNode | undefined {
    if (this.files.has(file)) return this.files.get(file);
    let found: PhpNode | undefined;
    const text = this.load(file);
    if (text !== undefined) {
      const parsed = parsePhp(text, `config/${file}.php`);
      if ('error' in parsed) this.unparsed.set(`config/${file}.php`, `${syntaxErrorText(parsed.error)} (line ${parsed.error.line})`);
      else {
        const ret = ((parsed.ast.children ?? []) as PhpNode[]).find((s) => s.kind === 'return');
        found = unwrapEnv(ret?.expr);
      }
    }
    this.files.set(file, found);
    return found;
  }
}

/** The migrations table config/database.php names ('migrations' => 'name', or ['table' => 'name'] since Laravel 11); 'migrations' when it does not say. */
export function migrationsTable(config: LaravelAppConfig | undefined): string {
  const set = config?.get('database.migrations');
  const name = set?.kind === 'array' ? config!.get('database.migrations.table') : set;
  return name?.kind === 'string' && /^\w+$/.test(String(name.value)) ? String(name.value) : 'migrations';
}

/** `env('X', 'default')` → its default (`env('X')` → undefined); anything else as it is. */
function unwrapEnv(node: PhpNode | undefined): PhpNode | undefined {
  if (node?.kind === 'call' && nameOf(node.what) === 'env') return unwrapEnv(node.arguments?.[1]);
  return node;
}
