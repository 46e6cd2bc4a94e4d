import { evalString, flattenChain, literal, nameOf, parsePhp, posOf, shortName, textOf, walk, type PhpNode } from '../../php/ast.js';
import type { YNode } from '../parse/yaml.js';
import type { AppSetting, EnvEntry, HealthRoute, Loc } from '../types.js';
import type { SourceContext } from './context.js';

/**
 * Laravel and Symfony app config → where sessions, the cache and uploads live and whether queues
 * are used; routes → health endpoints and what they check. Laravel config values resolve through
 * `env('KEY', default)` against the project's .env files.
 */

export interface EnvValue extends EnvEntry {
  file: string;
}

/**
 * `.env` < `.env.example` < `.env.production`: the file closest to production wins. A `.env` in a
 * work tree is usually a developer's local config (and not committed), so it only counts for keys
 * the others do not set.
 */
export function mergeEnv(files: Array<{ path: string; entries: EnvEntry[] }>): Map<string, EnvValue> {
  const rank = (p: string): number => (/\.env\.(production|prod)$/.test(p) ? 3 : /\.env\.example$/.test(p) ? 2 : 1);
  const out = new Map<string, EnvValue>();
  for (const f of [...files].sort((a, b) => rank(a.path) - rank(b.path))) for (const e of f.entries) out.set(e.key, { ...e, file: f.path });
  return out;
}

interface ConfigValue {
  value?: string;
  envKey?: string;
  envDefault?: string;
  loc: Loc;
  source: string;
}

/** Top-level `'key' => value` entries of a Laravel config file's returned array (dotted for nested arrays). */
function laravelConfig(path: string, text: string, ctx: SourceContext): Map<string, ConfigValue> | undefined {
  const parsed = parsePhp(text, path);
  if ('error' in parsed) {
    ctx.problems.push({ file: path, line: parsed.error.line, message: `cannot parse PHP: ${parsed.error.message}`, unparsed: 'file' });
    return undefined;
  }
  const out = new Map<string, ConfigValue>();
  let ret: PhpNode | undefined;
  walk(parsed.ast, (n) => {
    if (n.kind === 'return' && n.expr?.kind === 'array' && !ret) ret = n.expr;
    return n.kind === 'closure' ? false : undefined;
  });
  const visit = (arr: PhpNode, prefix: string, depth: number): void => {
    for (const it of (arr.items ?? []) as PhpNode[]) {
      if (it.kind !== 'entry' || !it.key) continue;
      const k = literal(it.key);
      if (typeof k !== 'string') continue;
      const key = prefix + k;
      const v = it.value as PhpNode;
      if (v.kind === 'array' && depth < 3) {
        visit(v, `${key}.`, depth + 1);
        continue;
      }
      const cv: ConfigValue = { loc: { file: path, ...posOf(it) }, source: textOf(text, it).replace(/\s+/g, ' ') };
      if (v.kind === 'call' && nameOf(v.what) === 'env') {
        const [a, b] = (v.arguments ?? []) as PhpNode[];
        const ek = literal(a);
        if (typeof ek === 'string') cv.envKey = ek;
        const d = b ? literal(b) : undefined;
        if (typeof d === 'string') cv.envDefault = d;
        else if (b) {
          const s = evalString(b);
          if ('value' in s) cv.envDefault = s.value;
        }
      } else if (v.kind === 'call' && /^(storage_path|base_path|public_path)$/.test(nameOf(v.what) ?? '')) {
        const arg = literal((v.arguments ?? [])[0]);
        cv.value = `${{ storage_path: 'storage', base_path: '', public_path: 'public' }[nameOf(v.what) as 'storage_path']}/${typeof arg === 'string' ? arg : ''}`.replace(/^\/|\/$/g, '');
      } else {
        const s = evalString(v);
        if ('value' in s) cv.value = s.value;
      }
      out.set(key, cv);
    }
  };
  if (ret) visit(ret, '', 0);
  return out;
}

/** Laravel's defaults when config/*.php is not in the project (skeleton 10 → 11 changed several). */
const LARAVEL_DEFAULTS: Record<AppSetting['what'], { keys: string[]; value: (major: number) => string }> = {
  session: { keys: ['SESSION_DRIVER'], value: (m) => (m >= 11 ? 'database' : 'file') },
  cache: { keys: ['CACHE_STORE', 'CACHE_DRIVER'], value: (m) => (m >= 11 ? 'database' : 'file') },
  uploads: { keys: ['FILESYSTEM_DISK', 'FILESYSTEM_DRIVER'], value: () => 'local' },
  queue: { keys: ['QUEUE_CONNECTION'], value: (m) => (m >= 11 ? 'database' : 'sync') },
};

const CONFIG_KEY: Record<AppSetting['what'], { file: string; key: string }> = {
  session: { file: 'config/session.php', key: 'driver' },
  cache: { file: 'config/cache.php', key: 'default' },
  uploads: { file: 'config/filesystems.php', key: 'default' },
  queue: { file: 'config/queue.php', key: 'default' },
};

export function laravelSettings(files: Array<{ path: string; text: string }>, env: Map<string, EnvValue>, laravelVersion: string | undefined, ctx: SourceContext): AppSetting[] {
  const configs = new Map<string, Map<string, ConfigValue>>();
  for (const f of files) {
    const c = laravelConfig(f.path, f.text, ctx);
    if (c) configs.set(f.path, c);
  }
  const major = Number(/^v?(\d+)/.exec(laravelVersion ?? '')?.[1] ?? 10);
  const out: AppSetting[] = [];
  for (const what of ['session', 'cache', 'uploads', 'queue'] as const) {
    const where = CONFIG_KEY[what];
    const cfg = configs.get(where.file)?.get(where.key);
    const envKeys = cfg?.envKey ? [cfg.envKey] : LARAVEL_DEFAULTS[what].keys;
    const fromEnv = envKeys.map((k) => env.get(k)).find((e) => e !== undefined);
    let setting: AppSetting | undefined;
    if (fromEnv && fromEnv.value) {
      setting = { what, value: fromEnv.value.toLowerCase(), loc: { file: fromEnv.file, line: fromEnv.line, col: fromEnv.col }, source: `${fromEnv.key}=${fromEnv.value}`, key: fromEnv.key, framework: 'laravel' };
    } else if (cfg && (cfg.value ?? cfg.envDefault) !== undefined) {
      setting = { what, value: (cfg.value ?? cfg.envDefault)!.toLowerCase(), loc: cfg.loc, source: cfg.source, key: cfg.envKey ?? where.key, framework: 'laravel' };
    } else if (!cfg && configs.size + env.size > 0 && (what === 'session' || what === 'uploads') && env.has('APP_KEY')) {
      const first = [...env.values()][0]!;
      setting = { what, value: LARAVEL_DEFAULTS[what].value(major), loc: { file: first.file, line: 1, col: 1 }, source: `${envKeys[0]} not set: Laravel ${major >= 11 ? '11+' : '≤ 10'} defaults to "${LARAVEL_DEFAULTS[what].value(major)}"`, key: envKeys[0]!, framework: 'laravel' };
    }
    if (!setting) continue;
    if (what === 'session' && setting.value === 'file') setting.directory = configs.get('config/session.php')?.get('files')?.value ?? 'storage/framework/sessions';
    if (what === 'cache' && setting.value === 'file') setting.directory = configs.get('config/cache.php')?.get('stores.file.path')?.value ?? 'storage/framework/cache/data';
    if (what === 'uploads' && (setting.value === 'local' || setting.value === 'public')) {
      setting.directory = configs.get('config/filesystems.php')?.get(`disks.${setting.value}.root`)?.value ?? (setting.value === 'public' ? 'storage/app/public' : 'storage/app');
    }
    if (what === 'uploads' && configs.get('config/filesystems.php')?.get(`disks.${setting.value}.driver`)?.value === 'local' && !setting.directory) setting.directory = 'storage/app';
    out.push(setting);
  }
  return out;
}

/** Symfony: framework.session / framework.cache, Messenger transports, Flysystem and VichUploader local storage. */
export function symfonySettings(files: Array<{ path: string; doc: YNode }>): AppSetting[] {
  const out: AppSetting[] = [];
  const at = (path: string, n: YNode): Loc => ({ file: path, line: n.line, col: n.col });
  // Symfony's directory parameters, as paths inside the release
  const project = (s: string): string =>
    s
      .replace(/^%kernel\.project_dir%\/?/, '')
      .replace(/^%kernel\.cache_dir%/, 'var/cache/%kernel.environment%')
      .replace(/^%kernel\.logs_dir%/, 'var/log');
  for (const { path, doc } of files) {
    const roots = [doc, ...doc.entries().filter((e) => /^when@prod$/.test(e.key)).map((e) => e.value)];
    for (const root of roots) {
      const fw = root.get('framework');
      const session = fw?.get('session');
      if (session && session.kind === 'map') {
        const handler = session.get('handler_id');
        const savePath = session.get('save_path')?.str();
        const h = handler?.str();
        if (handler && (h === undefined || /native_file|NativeFileSessionHandler/.test(h))) {
          out.push({
            what: 'session',
            value: 'file',
            loc: at(path, handler),
            source: `handler_id: ${h ?? 'null'}${savePath ? ` (save_path: ${savePath})` : ''}`,
            key: 'framework.session.handler_id',
            framework: 'symfony',
            ...(savePath ? { directory: project(savePath) } : {}),
          });
        }
      }
      const app = fw?.get('cache')?.get('app');
      if (app?.str() && /cache\.adapter\.(filesystem|array|apcu|php_files)/.test(app.str()!)) {
        out.push({ what: 'cache', value: app.str()!.replace('cache.adapter.', ''), loc: at(path, app), source: `app: ${app.str()}`, key: 'framework.cache.app', framework: 'symfony', directory: 'var/cache' });
      }
      for (const t of fw?.get('messenger')?.get('transports')?.entries() ?? []) {
        const dsn = t.value.kind === 'map' ? t.value.get('dsn')?.str() : t.value.str();
        if (dsn && !/^sync:\/\//.test(dsn)) {
          out.push({ what: 'queue', value: dsn, loc: { file: path, line: t.line, col: t.col }, source: `${t.key}: ${dsn}`, key: 'framework.messenger.transports', framework: 'symfony' });
          break;
        }
      }
      for (const s of root.get('flysystem')?.get('storages')?.entries() ?? []) {
        if (s.value.get('adapter')?.str() === 'local') {
          const dir = s.value.get('options')?.get('directory')?.str() ?? '';
          out.push({ what: 'uploads', value: 'local', loc: { file: path, line: s.line, col: s.col }, source: `${s.key}: adapter: local${dir ? `, directory: ${dir}` : ''}`, key: `flysystem.storages.${s.key}`, framework: 'symfony', directory: project(dir) });
        }
      }
      for (const m of root.get('vich_uploader')?.get('mappings')?.entries() ?? []) {
        const dest = m.value.get('upload_destination');
        if (dest?.str() && /%kernel\.project_dir%/.test(dest.str()!)) {
          out.push({ what: 'uploads', value: 'local', loc: at(path, dest), source: `upload_destination: ${dest.str()}`, key: `vich_uploader.mappings.${m.key}`, framework: 'symfony', directory: project(dest.str()!) });
        }
      }
    }
  }
  return out;
}

/**
 * Paths that claim the app can serve. Liveness paths (`/livez`, `/alive`) are meant to stay shallow
 * (a database outage must not restart every pod) and `/ping`, `/status` are often something else.
 */
export const HEALTH_PATH = /^\/?(health|healthz|healthcheck|health-check|_health|up|ready|readyz|readiness)\/?$/i;
const DEEP_CHECK: Array<[RegExp, string]> = [
  [/\bDB::|->getPdo\(|\bPDO\b|\bselect\s+1\b|Schema::|->connection\(/i, 'database'],
  [/\bCache::|->cache\(|\bRedis::|->ping\(/i, 'cache'],
  [/\bQueue::|Horizon::/i, 'queue'],
  [/\bStorage::/i, 'storage'],
];

export function healthRoutes(path: string, text: string, ctx: SourceContext): HealthRoute[] {
  const parsed = parsePhp(text, path);
  if ('error' in parsed) {
    ctx.problems.push({ file: path, line: parsed.error.line, message: `cannot parse PHP: ${parsed.error.message}`, unparsed: 'file' });
    return [];
  }
  const out: HealthRoute[] = [];
  walk(parsed.ast, (n) => {
    if (n.kind === 'namedargument' && n.name === 'health') {
      const v = literal(n.value);
      if (typeof v === 'string') out.push({ path: v, loc: { file: path, ...posOf(n) }, checks: [], how: 'laravel-health' });
      return false;
    }
    if (n.kind !== 'call') return undefined;
    const { base, calls } = flattenChain(n);
    const verb = calls.find((c) => c.via === '::' && /^(get|any|match)$/.test(c.name));
    if (!verb || shortName(nameOf(base)) !== 'Route') return undefined;
    const args = verb.name === 'match' ? verb.args.slice(1) : verb.args;
    const p = literal(args[0]);
    if (typeof p !== 'string' || !HEALTH_PATH.test(p)) return false;
    const handler = args[1];
    if (!handler || (handler.kind !== 'closure' && handler.kind !== 'arrowfunc')) return false;
    const body = textOf(text, handler);
    const checks = DEEP_CHECK.filter(([re]) => re.test(body)).map(([, what]) => what);
    out.push({ path: p.startsWith('/') ? p : `/${p}`, loc: { file: path, ...posOf(n) }, checks, how: 'route' });
    return false;
  });
  return out;
}
