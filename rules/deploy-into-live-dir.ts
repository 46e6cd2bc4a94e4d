import { eachDirective, fix, flowOf, isDeployFlow } from '../src/doctor/rule-kit.js';
import type { DeployAction, DeployFinding, DeployProject, DeployRule } from '../src/doctor/types.js';

/** Directories nginx serves (root without a trailing /public), from the project's nginx config. */
function servedDirs(project: DeployProject): string[] {
  const out: string[] = [];
  for (const n of project.nginx) {
    eachDirective(n.directives, (d) => {
      if (d.name === 'root' && d.args[0]?.startsWith('/')) out.push(d.args[0].replace(/\/+$/, '').replace(/\/(public|web|htdocs|public_html)$/, ''));
    });
  }
  return out;
}

const WEB_DIRS = /^(\/var\/www(\/|$)|\/srv\/|\/usr\/share\/nginx\/|\/home\/[^/]+\/(www|public_html|htdocs)(\/|$))/;

/** Configuration files: dotenv files, templates shipped to be copied (`.env.example`, `*.dist`), ini/conf/YAML/XML/TOML/NEON/properties. */
const CONFIG_FILE = /(^|\/)\.env(\.[\w.-]+)?$|\.(example|dist|sample|ini|conf|cnf|ya?ml|xml|toml|neon|properties)$/i;

/**
 * A copy of configuration, not of code: every source is a config file (`cp .env.example .env`).
 * Only `cp`/`scp`/`rsync` copy named files; git, composer, tar and unzip bring code.
 */
function copiesConfigOnly(a: DeployAction): boolean {
  const sources = a.tags.copy!.sources;
  return !!sources?.length && sources.every((p) => CONFIG_FILE.test(p.replace(/\/+$/, '')));
}

/** Directories of a Laravel/Symfony app below its root, and file names: where an app root ends. */
const APP_PART = /^(app|bootstrap|config|database|lang|public|resources|routes|storage|tests|vendor|node_modules|var|src|templates|translations|migrations)$|^\.|\.(php|env|example|dist|sample|json|lock|js|css|html?|txt|md|ini|conf|ya?ml|xml|sh|zip|tar|gz|tgz|stub|sql|log|neon|toml|properties)$/i;

/**
 * Where releases of the app go: the served directory the copy matched, the directory holding
 * `current`, or the copy's destination up to the first part of an app (a file, `database/`, `vendor/` …),
 * never a file or a subdirectory of the app.
 */
function appRoot(dest: string, served: string[]): string {
  const s = served.filter((d) => dest === d || dest.startsWith(`${d}/`)).sort((a, b) => b.length - a.length)[0];
  const current = /^(.*?)\/current(\/|$)/.exec(s ?? dest);
  if (current) return current[1] || '/var/www/app';
  if (s) return s;
  const parts = dest.split('/');
  const cut = parts.findIndex((p, i) => i >= 2 && APP_PART.test(p));
  return (cut === -1 ? parts : parts.slice(0, cut)).join('/') || '/var/www/app';
}

function opcacheFrozen(project: DeployProject): string | undefined {
  for (const f of project.fpm) for (const s of f.sections) for (const e of s.entries) if (/opcache\.validate_timestamps\]?$/.test(e.key) && /^(0|off|false|no)$/i.test(e.value)) return `${f.path}:${e.line}`;
  return undefined;
}

const rule: DeployRule = {
  id: 'deploy-into-live-dir',
  summary: 'A deploy copies or pulls new code into the directory being served instead of a new release directory',
  defaultSeverity: 'error',
  scope: 'deploy',
  check(project) {
    const out: DeployFinding[] = [];
    const served = servedDirs(project);
    const frozen = opcacheFrozen(project);
    for (const flow of project.flows) {
      // a container's start script runs in a new container, before it serves: nothing live is updated
      if (!isDeployFlow(flow) || flow.containerStart) continue;
      for (const a of flow.actions) {
        const copy = a.tags.copy;
        if (!copy) continue;
        const dest = copy.dest.replace(/^[\w.@${}-]+:/, '').replace(/\/+$/, '');
        if (/(^|\/)(releases?|shared|tmp|backups?)(\/|$)|\$\{?\w*RELEASE|\{\{release_path\}\}/i.test(dest)) continue;
        // without release directories, whatever a deploy updates on a server is what serves
        const remote = /^[\w.@${}-]+:/.test(copy.dest) || /\(ssh |on the server\)/.test(a.where);
        const live = copy.live || served.some((s) => dest === s || dest.startsWith(`${s}/`)) || (!project.facts.symlinkDeploy && (WEB_DIRS.test(dest) || remote));
        if (!live) continue;
        // configuration is not code; written into current/ after a swap it still changes the live release
        if (!copy.live && copiesConfigOnly(a)) continue;
        const app = appRoot(dest, served);
        const host = /^([\w.@${}-]+):/.exec(copy.dest)?.[1];
        out.push({
          file: a.loc.file,
          line: a.loc.line,
          col: a.loc.col,
          subject: 'release directory',
          message: `\`${a.text}\` (${a.where}) writes into ${copy.dest}, which is serving requests: while ${copy.tool} runs, requests execute a mix of old and new files (a new controller with the old vendor/ or views), and a failed copy leaves a half-deployed site with nothing to roll back to.${frozen ? ` With opcache.validate_timestamps=0 (${frozen}) php-fpm keeps serving the cached old files until it is reloaded.` : ''} The measured alternative — build a new release directory, swap the \`current\` symlink atomically, reload php-fpm — dropped no requests.`,
          fix: fix(
            flowOf(project, a)?.syntax === 'deployer-php' && /\{\{/.test(a.text)
              ? 'Write into the new release ({{release_path}}) before deploy:symlink makes it live, not into the live one.'
              : 'Build each release in its own directory, then swap the symlink the web server points at (Deployer and Envoyer do this; zdd-plan emits it).',
            ...(flowOf(project, a)?.syntax === 'deployer-php' && /\{\{/.test(a.text)
              ? [
                  `run('${a.text.replace(/\{\{\s*current_path\s*\}\}|\{\{\s*deploy_path\s*\}\}\/current/g, '{{release_path}}').replace(/'/g, "\\'")}');`,
                  ...(/^task /.test(a.where) ? [`before('deploy:symlink', '${a.where.slice(5)}'); // into the new release, before it goes live`] : []),
                ]
              : flowOf(project, a)?.syntax === 'deployer-php'
                ? ["// let Deployer's deploy:update_code and deploy:symlink do it (require 'recipe/laravel.php') and remove the copy"]
              : host
                ? [
                    `RELEASE=${app}/releases/$(date +%Y%m%d%H%M%S)`,
                    `rsync -a --delete ./ "${host}:$RELEASE/"`,
                    `ssh "${host}" "ln -sfn $RELEASE ${app}/current.tmp && mv -T ${app}/current.tmp ${app}/current && sudo systemctl reload php8.2-fpm"`,
                  ]
                : [
                    `RELEASE=${app}/releases/$(date +%Y%m%d%H%M%S)`,
                    ...(copy.tool.startsWith('git') || copy.tool === 'composer'
                      ? ['git clone --depth 1 "$REPO" "$RELEASE"', 'composer install --no-dev --working-dir="$RELEASE"']
                      : ['rsync -a --delete ./ "$RELEASE"/']),
                    `ln -sfn "$RELEASE" ${app}/current.tmp && mv -T ${app}/current.tmp ${app}/current`,
                    'sudo systemctl reload php8.2-fpm',
                  ]),
          ),
        });
      }
    }
    return out;
  },
};
export default rule;
