import { readdirSync, statSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { readTextFile } from '../discover/files.js';
import type { FileProblem } from '../util/errors.js';
import { ignoreMatcher } from '../util/glob.js';
import type { DoctorOptions } from './options.js';
import type { DeployFile, DeployFileKind } from './types.js';

/**
 * Finds a project's deploy files by convention (plus `doctor.paths` from zdd.config.json) and says
 * what each one is. Names decide where they can; `*.conf`, `*.yaml` and extension-less scripts are
 * told apart by their content (an nginx `server {` block, a php-fpm `[pool]` header, a Kubernetes
 * `kind:`, a shebang).
 */

// dependencies, build output, runtime data, and test fixtures (another project's deploy files, not this one's)
const SKIP_DIRS = new Set(['node_modules', 'vendor', '.git', 'storage', 'var', 'cache', 'coverage', 'dist', 'build', '.idea', '.vscode', 'public', 'tests', 'fixtures', '__fixtures__']);
const MAX_DEPTH = 6;
const K8S_DIRS = /(^|\/)(k8s|kube|kubernetes|deploy|deployment|deployments|manifests|helm|charts|templates|infra|ops|\.k8s|kustomize|overlays|base)(\/|$)/i;
const NGINX_DIRS = /(^|\/)(nginx|sites-available|sites-enabled)(\/|$)/i;
const FPM_DIRS = /(^|\/)(php|php-fpm|fpm|php-fpm\.d|pool\.d|docker)(\/|$)/i;

export interface Discovered {
  files: DeployFile[];
  problems: FileProblem[];
}

/** Kind of a file from its path alone, when the name says it. */
function kindByName(rel: string): DeployFileKind | 'sniff-conf' | 'sniff-yaml' | 'sniff-script' | 'sniff-ini' | undefined {
  const name = basename(rel);
  const lower = name.toLowerCase();
  if (rel === 'deploy.php' || /^(deploy|\.deploy|deployer)\/deploy\.php$/.test(rel)) return 'deployer-php';
  if (/^deploy\.ya?ml$/.test(rel) || /^(deploy|\.deploy)\/deploy\.ya?ml$/.test(rel)) return 'deployer-yaml';
  if (name === 'Envoy.blade.php') return 'envoy';
  if (/^\.github\/workflows\/[^/]+\.ya?ml$/.test(rel)) return 'github-workflow';
  if (rel === '.gitlab-ci.yml' || rel === '.gitlab-ci.yaml' || /^\.gitlab\/ci\/.+\.ya?ml$/.test(rel)) return 'gitlab-ci';
  if (name === 'Makefile' || name === 'makefile' || name === 'GNUmakefile' || lower.endsWith('.mk')) return 'makefile';
  if (/^\.env(\.example|\.production|\.prod)?$/.test(rel)) return 'dotenv';
  if (/^config\/(session|filesystems|cache|queue)\.php$/.test(rel)) return 'laravel-config';
  if (/^config\/packages\/(prod\/)?(framework|messenger|flysystem|oneup_flysystem|vich_uploader|cache)\.ya?ml$/.test(rel)) return 'symfony-config';
  if (/^routes\/[^/]+\.php$/.test(rel)) return 'routes';
  if (rel === 'bootstrap/app.php') return 'laravel-bootstrap';
  if (rel === 'composer.lock') return 'composer-lock';
  if (name === 'Dockerfile' || name.startsWith('Dockerfile.') || lower.endsWith('.dockerfile')) return 'dockerfile';
  if (lower === 'nginx.conf' || lower.endsWith('.nginx') || lower.endsWith('.nginx.conf') || lower.endsWith('.vhost')) return 'nginx';
  if (lower === 'php-fpm.conf' || lower === 'www.conf') return 'php-fpm';
  if (lower === 'supervisord.conf' || lower === 'supervisor.conf' || (/(^|\/)supervisor(d|\.d)?\/(conf\.d\/)?[^/]+\.(conf|ini)$/.test(rel) && !lower.endsWith('nginx.conf'))) return 'supervisor';
  if (lower.endsWith('.conf') || lower.endsWith('.conf.template')) return 'sniff-conf';
  if (/(^|\/)(sites-available|sites-enabled)\/[^/.]+$/.test(rel)) return 'nginx';
  if (/(^|\/)nginx\/[^/.]+$/.test(rel)) return 'sniff-conf'; // deploy/nginx/site, but not docker/nginx/Procfile
  if (lower === 'php.ini' || (lower.endsWith('.ini') && FPM_DIRS.test(rel))) return 'sniff-ini';
  if (lower.endsWith('.sh') || lower.endsWith('.bash')) return 'shell';
  if (/^(bin|scripts?|deploy|\.deploy)\/deploy[\w.-]*$/.test(rel) && !/\.(php|ya?ml|json|md|txt|rb|py|js|ts)$/.test(lower)) return 'sniff-script';
  if (/\.ya?ml$/.test(lower) && K8S_DIRS.test(rel)) return 'sniff-yaml';
  return undefined;
}

function sniff(kind: 'sniff-conf' | 'sniff-yaml' | 'sniff-script' | 'sniff-ini', rel: string, text: string): DeployFileKind | undefined {
  switch (kind) {
    case 'sniff-conf':
      if (/^\s*\[[\w.-]+\]\s*$/m.test(text) && /^\s*(pm|listen|process_control_timeout|pid|error_log|php_(admin_)?(value|flag)\[)/m.test(text)) return 'php-fpm';
      // supervisord's [program:x] sections: the commands it starts
      if (/^\s*\[program:[^\]]+\]\s*$/m.test(text)) return 'supervisor';
      // Apache (<VirtualHost>) and other .conf files are not nginx
      if (/^\s*<(VirtualHost|Directory|IfModule|Location)\b/im.test(text) || /^\s*\[[\w:.-]+\]\s*$/m.test(text)) return undefined;
      if (/(^|\n)\s*(server|http|location|upstream|events)\b[^;{]*\{/.test(text) || /^\s*(fastcgi_pass|fastcgi_param|proxy_pass|try_files|listen|server_name|root)\s[^\n]*;\s*(#.*)?$/m.test(text) || (NGINX_DIRS.test(rel) && /;\s*$/m.test(text))) return 'nginx';
      return undefined;
    case 'sniff-ini':
      return /opcache\.|realpath_cache/.test(text) ? 'php-fpm' : undefined;
    case 'sniff-yaml':
      return /^\s*kind:\s*["']?(Deployment|StatefulSet|DaemonSet|Job|CronJob|Pod)\b/m.test(text) ? 'kubernetes' : undefined;
    case 'sniff-script':
      return /^#!.*\b(ba|z|da)?sh\b/.test(text) || !/^#!/.test(text) ? 'shell' : undefined;
  }
}

export function discoverDeployFiles(root: string, options: DoctorOptions): Discovered {
  const files: DeployFile[] = [];
  const problems: FileProblem[] = [];
  const seen = new Set<string>();
  const ignored = ignoreMatcher(options.ignore);
  const relOf = (abs: string): string => relative(root, abs).split(sep).join('/');

  const consider = (abs: string, explicit: boolean): void => {
    const rel = relOf(abs) || basename(abs);
    if (seen.has(rel) || ignored(rel)) return;
    let kind = kindByName(rel);
    if (!kind && !explicit) return;
    seen.add(rel);
    const read = readTextFile({ abs, path: rel }, 'a deploy file');
    if ('problem' in read) {
      if (kind || explicit) problems.push(read.problem);
      return;
    }
    if (!kind) kind = explicit ? guessKind(rel, read.text) : undefined;
    if (kind && kind.startsWith('sniff-')) kind = sniff(kind as 'sniff-conf', rel, read.text);
    if (!kind) {
      if (explicit) problems.push({ file: rel, message: 'zdd doctor does not know what kind of deploy file this is (see the README for the files it reads)' });
      return;
    }
    files.push({ path: rel, kind: kind as DeployFileKind, text: read.text });
  };

  const walk = (dir: string, depth: number): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      problems.push({ file: relOf(dir) || '.', message: `cannot read directory (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` });
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const abs = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth >= MAX_DEPTH || SKIP_DIRS.has(entry.name)) continue;
        if (entry.name.startsWith('.') && !['.github', '.gitlab', '.deploy', '.docker', '.k8s', '.ci'].includes(entry.name)) continue;
        // an ignored directory is not entered (as in git, a file under it cannot be taken back with !glob)
        if (ignored(relOf(abs))) continue;
        walk(abs, depth + 1);
      } else if (entry.isFile()) consider(abs, false);
    }
  };

  walk(root, 0);
  for (const p of options.paths) {
    const abs = resolve(options.baseDir, p);
    let st;
    try {
      st = statSync(abs);
    } catch {
      problems.push({ file: p, message: 'no such file or directory (from "doctor.paths" in zdd.config.json)' });
      continue;
    }
    if (st.isDirectory()) {
      for (const e of readdirSync(abs, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) if (e.isFile()) consider(join(abs, e.name), true);
    } else consider(abs, true);
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, problems };
}

/** A file named in doctor.paths whose name says nothing: decide by content. */
function guessKind(rel: string, text: string): DeployFileKind | undefined {
  if (/^<\?php/.test(text) && /\bnamespace\s+Deployer\b|recipe\//.test(text)) return 'deployer-php';
  if (/^\s*kind:\s*\w+/m.test(text) && /^\s*apiVersion:/m.test(text)) return 'kubernetes';
  if (/^\s*\[[\w.-]+\]\s*$/m.test(text) && /^\s*(pm|listen|process_control_timeout)\s*=/m.test(text)) return 'php-fpm';
  if (/(^|\n)\s*(server|http|location)\b[^;{]*\{/.test(text)) return 'nginx';
  if (/^#!.*sh\b/.test(text)) return 'shell';
  if (/^[A-Z_][A-Z0-9_]*=/m.test(text) && !/[{}]/.test(text)) return 'dotenv';
  void rel;
  return undefined;
}
