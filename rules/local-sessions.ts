import { fix, localStorageVerdict } from '../src/doctor/rule-kit.js';
import type { AppSetting, DeployFinding, DeployRule } from '../src/doctor/types.js';

/** The setting rewritten to a shared store, in its own file's syntax. */
function sharedStore(s: AppSetting): string {
  const store = 'redis';
  if (s.framework === 'symfony') return s.what === 'session' ? "handler_id: '%env(REDIS_URL)%'   # RedisSessionHandler via a DSN" : 'app: cache.adapter.redis';
  if (s.loc.file.endsWith('.php')) return `${s.source.replace(/(['"])(file|array|apc)\1(\s*\)?)\s*,?$/, `$1${store}$1$3`)},`;
  return `${s.key}=${store}`;
}

const rule: DeployRule = {
  id: 'local-sessions',
  summary: "Sessions (or the cache) kept in the server's files or in memory: lost on a deploy, a switch of servers or a new pod",
  defaultSeverity: 'warning',
  scope: 'deploy',
  check(project) {
    const out: DeployFinding[] = [];
    for (const s of project.settings) {
      if (s.what !== 'session' && s.what !== 'cache') continue;
      const what = s.what === 'session' ? 'Sessions' : 'The cache';
      if (s.value === 'array') {
        if (s.what === 'cache') continue; // an array cache is a deliberate no-op store
        out.push({ file: s.loc.file, line: s.loc.line, col: s.loc.col, subject: 'sessions', message: `${what} use the "array" driver (\`${s.source}\`): nothing is kept between requests, so every user is logged out on each request.`, fix: fix('Use a shared store:', sharedStore(s)) });
        continue;
      }
      const local = s.value === 'file' || s.value === 'filesystem' || s.value === 'php_files' || s.value === 'apcu' || s.value === 'apc';
      if (!local) continue;
      const verdict = localStorageVerdict(project, s.directory);
      if (!verdict) continue;
      // a cache that starts empty with each release is only slower; one that differs between servers breaks locks and signals
      if (s.what === 'cache' && !project.facts.kubernetes && !project.facts.servers?.many) continue;
      const consequence =
        s.what === 'session'
          ? 'users are logged out and lose their CSRF token (419 on the next form post)'
          : s.framework === 'symfony'
            ? 'cache locks, rate limits and the signal of messenger:stop-workers (kept in the app cache) stop working across servers and releases'
            : "cache locks, rate limits and Laravel's queue:restart signal (kept in the cache) stop working across servers and releases";
      const shared = project.facts.shared;
      // A shared dir keeps sessions across releases on each server. It does nothing for a cache that
      // differs between servers, and Symfony's var/cache holds each release's compiled container:
      // sharing it between releases breaks them.
      const inCacheDir = !!verdict.shareDir && /^var\/cache(\/|$)/.test(verdict.shareDir);
      const shareDir = verdict.shareDir && shared && (s.what === 'session' || !(project.facts.kubernetes || project.facts.servers?.many)) && !inCacheDir ? verdict.shareDir : undefined;
      // Symfony sessions kept under var/cache: move them out first, then share that directory
      const moveOut = s.what === 'session' && s.framework === 'symfony' && inCacheDir && !!shared;
      const shareLine = (dir: string): string => (shared!.syntax === 'deployer-yaml' ? `# deploy.yaml → config: shared_dirs: [${[...shared!.dirs, dir].join(', ')}]` : `add('shared_dirs', ['${dir}']); // deploy.php`);
      const extra = shareDir ? [shareLine(shareDir)] : moveOut ? ["save_path: '%kernel.project_dir%/var/sessions/%kernel.environment%'   # not under var/cache, which each release rebuilds", shareLine('var/sessions')] : [];
      out.push({
        file: s.loc.file,
        line: s.loc.line,
        col: s.loc.col,
        subject: s.what === 'session' ? 'sessions' : 'cache',
        severity: s.what === 'session' ? verdict.severity : 'warning',
        message: `${what} ${s.what === 'session' ? 'are' : 'is'} stored on the local disk (\`${s.source}\`${s.directory ? `, in ${s.directory}` : ''}): ${verdict.lost}; ${consequence}.`,
        fix: fix(
          project.facts.kubernetes || project.facts.servers?.many
            ? `Keep ${s.what === 'session' ? 'sessions' : 'the cache'} in a store every server shares (Redis, the database):`
            : extra.length
              ? `Keep ${s.what === 'session' ? 'sessions' : 'the cache'} in a shared store, or link the directory from Deployer's shared dir:`
              : `Keep ${s.what === 'session' ? 'sessions' : 'the cache'} in a shared store:`,
          sharedStore(s),
          ...extra,
        ),
      });
    }
    return out;
  },
};
export default rule;
