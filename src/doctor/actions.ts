import { parseShell, type ShellCommand, type ShellSyntaxError } from './parse/shell.js';
import type { ActionTags, DeployAction, Loc } from './types.js';

/**
 * Turns shell commands into deploy actions: unwraps `sudo`, `ssh host '…'`, `bash -c '…'`,
 * `docker compose exec`, `kubectl exec --` … (parsing nested command strings with the shell
 * parser), substitutes known variables, and tags what each command does to a zero-downtime deploy
 * (swap, migrate, php-fpm, workers, health check, copy into a directory). Classification only:
 * whether that is a problem is for the rules to say.
 */

/** Where a snippet of shell sits in a project file. */
export interface ShellPlace {
  file: string;
  where: string;
  /** Maps a 1-based line/column inside the snippet to the file. */
  map: (line: number, col: number) => { line: number; col: number };
  /** Substitutes tool placeholders in a word (Deployer `{{release_path}}`, Make `$(VAR)` …). */
  resolve?: (word: string) => string;
  /** Variables known before the snippet runs (CI `env:`, Makefile variables). */
  vars?: ReadonlyMap<string, string>;
}

export interface ShellActions {
  actions: DeployAction[];
  error?: ShellSyntaxError & { file: string };
}

/** Parses a snippet of shell and classifies every command in it. */
export function shellActions(text: string, place: ShellPlace, depth = 0): ShellActions {
  const parsed = parseShell(text, place.vars);
  if ('error' in parsed) {
    const p = place.map(parsed.error.line, parsed.error.col);
    return { actions: [], error: { ...parsed.error, ...p, file: place.file } };
  }
  const actions: DeployAction[] = [];
  let cwd: string | undefined;
  for (const cmd of parsed.commands) {
    const words = cmd.words.map((w) => (place.resolve ? place.resolve(w.value) : w.value));
    const loc: Loc = { file: place.file, ...place.map(cmd.line, cmd.col) };
    if (words[0] === 'cd' && words[1]) {
      cwd = words[1];
      continue;
    }
    const nested = nestedScript(words);
    if (nested && depth < 3) {
      const w = cmd.words[nested.wordIndex]!;
      const base = place.map(w.line, w.col + (w.quoted ? 1 : 0));
      const inner = shellActions(nested.script, {
        ...place,
        map: (line, col) => (line === 1 ? { line: base.line, col: base.col + col - 1 } : { line: base.line + line - 1, col }),
        vars: undefined,
      }, depth + 1);
      // a nested script that does not parse is still classified as one command line
      if (!inner.error) {
        for (const a of inner.actions) actions.push(nested.prefix ? { ...a, where: `${place.where} (${nested.prefix})` } : a);
        continue;
      }
    }
    const argv = unwrap(words);
    if (!argv.length) continue;
    if (argv[0] === 'cd' && argv[1]) {
      cwd = argv[1];
      continue;
    }
    const tags = classify(argv, cwd);
    actions.push({ argv, text: oneLine(cmd), loc, where: place.where, tags });
  }
  return { actions };
}

function oneLine(cmd: ShellCommand): string {
  const t = cmd.text.replace(/\\\n\s*/g, ' ').split('\n')[0]!;
  return t.length > 160 ? `${t.slice(0, 157)}…` : t;
}

const base = (w: string | undefined): string => (w ?? '').replace(/^.*\//, '');

/** `ssh host 'cmd'`, `bash -c 'cmd'`, `su user -c 'cmd'`: the command string and which word holds it. */
function nestedScript(words: string[]): { script: string; wordIndex: number; prefix?: string } | undefined {
  let i = 0;
  while (i < words.length && (words[i] === 'sudo' || words[i] === 'env' || /^[A-Za-z_]\w*=/.test(words[i]!) || (words[i - 1] === 'sudo' && /^-/.test(words[i]!)))) {
    if (words[i - 1] === 'sudo' && /^-[ug]$/.test(words[i]!)) i++;
    i++;
  }
  const head = base(words[i]);
  if (head === 'ssh') {
    const withArg = new Set(['-b', '-c', '-D', '-E', '-e', '-F', '-I', '-i', '-J', '-L', '-l', '-m', '-O', '-o', '-p', '-Q', '-R', '-S', '-W', '-w']);
    let j = i + 1;
    while (j < words.length && words[j]!.startsWith('-')) j += withArg.has(words[j]!) ? 2 : 1;
    const host = words[j];
    if (host === undefined || j + 1 >= words.length) return undefined;
    return { script: words.slice(j + 1).join(' '), wordIndex: j + 1, prefix: `ssh ${host}` };
  }
  if (['bash', 'sh', 'zsh', 'dash', 'ash'].includes(head)) {
    const c = words.findIndex((w, k) => k > i && /^-[a-z]*c[a-z]*$/.test(w));
    if (c !== -1 && words[c + 1] !== undefined) return { script: words[c + 1]!, wordIndex: c + 1 };
  }
  if (head === 'su') {
    const c = words.findIndex((w, k) => k > i && (w === '-c' || w === '--command'));
    if (c !== -1 && words[c + 1] !== undefined) return { script: words[c + 1]!, wordIndex: c + 1 };
  }
  return undefined;
}

/** Strips command wrappers (sudo, env, nohup, docker exec, kubectl exec …) to the command that runs. */
export function unwrap(words: string[]): string[] {
  let w = words.slice();
  for (let guard = 0; guard < 8 && w.length; guard++) {
    const head = base(w[0]);
    if (/^[A-Za-z_]\w*=/.test(w[0]!)) {
      w = w.slice(1);
      continue;
    }
    if (head === 'sudo' || head === 'doas' || head === 'runuser') {
      let j = 1;
      while (j < w.length && w[j]!.startsWith('-')) {
        if (w[j] === '--') {
          j++;
          break;
        }
        j += /^-[ugCDhpr]$|^--(user|group)$/.test(w[j]!) ? 2 : 1;
      }
      w = w.slice(j);
      continue;
    }
    if (head === 'env') {
      let j = 1;
      while (j < w.length && (w[j]!.startsWith('-') || /^[A-Za-z_]\w*=/.test(w[j]!))) j++;
      w = w.slice(j);
      continue;
    }
    if (['nohup', 'time', 'exec', 'command', 'builtin', 'nice', 'ionice', 'stdbuf', 'timeout', 'flock', 'xargs'].includes(head)) {
      let j = 1;
      while (j < w.length && w[j]!.startsWith('-')) j += /^-(n|c|o|e|i|w|E)$/.test(w[j]!) ? 2 : 1;
      if (head === 'timeout' || head === 'flock') j++; // duration / lock file
      w = w.slice(j);
      continue;
    }
    if ((head === 'docker' || head === 'podman') && (w[1] === 'exec' || (w[1] === 'compose' && (w[2] === 'exec' || w[2] === 'run')))) {
      let j = w[1] === 'compose' ? 3 : 2;
      while (j < w.length && w[j]!.startsWith('-')) j += /^-(u|w|e|-user|-workdir|-env|-env-file|-name|-entrypoint)$/.test(w[j]!) ? 2 : 1;
      w = w.slice(j + 1);
      continue;
    }
    if (head === 'docker-compose' && (w[1] === 'exec' || w[1] === 'run')) {
      let j = 2;
      while (j < w.length && w[j]!.startsWith('-')) j += /^-(u|w|e|-user|-workdir|-env)$/.test(w[j]!) ? 2 : 1;
      w = w.slice(j + 1);
      continue;
    }
    if (head === 'kubectl' && w.includes('exec') && w.includes('--')) {
      w = w.slice(w.indexOf('--') + 1);
      continue;
    }
    break;
  }
  return w;
}

type FpmOp = NonNullable<ActionTags['fpm']>['op'];
const SYSTEMCTL_OPS: Record<string, FpmOp> = { restart: 'restart', 'try-restart': 'restart', condrestart: 'restart', stop: 'stop', kill: 'kill', start: 'start', reload: 'reload', 'reload-or-restart': 'reload', 'try-reload-or-restart': 'reload' };
const SERVICE_OPS: Record<string, FpmOp> = { restart: 'restart', 'force-reload': 'reload', stop: 'stop', start: 'start', reload: 'reload' };
const SUPERVISOR_OPS: Record<string, FpmOp> = { restart: 'restart', stop: 'stop', start: 'start', signal: 'reload' };

const FPM = /php[\w.-]*fpm|^fpm$|php-?fpm/i;
const isCurrent = (p: string): boolean => /(^|[/{$_\s])current(_path|_dir)?(\}\}|\}|\/|$|\.?\s*$)/i.test(p.replace(/\/+$/, '')) || /\{\{\s*current_path\s*\}\}/.test(p);

/** What a command (already unwrapped) does. */
export function classify(argv: string[], cwd?: string): ActionTags {
  const tags: ActionTags = {};
  const head = base(argv[0]);
  const args = argv.slice(1);
  const opts = args.filter((a) => a.startsWith('-'));
  const plain = args.filter((a) => !a.startsWith('-'));

  // php-fpm
  if (head === 'systemctl') {
    const action = plain[0];
    const units = plain.slice(1).filter((u) => FPM.test(u));
    if (action && units.length) {
      const op = SYSTEMCTL_OPS[action];
      if (op) tags.fpm = { op, graceful: op === 'reload', service: units[0]! };
    }
  } else if (head === 'service' || head === 'invoke-rc.d' || /^php[\w.-]*fpm$/.test(head) && argv[0]!.includes('init.d')) {
    const unit = head === 'service' || head === 'invoke-rc.d' ? plain[0] : head;
    const action = head === 'service' || head === 'invoke-rc.d' ? plain[1] : plain[0];
    if (unit && FPM.test(unit) && action) {
      const op = SERVICE_OPS[action];
      if (op) tags.fpm = { op, graceful: op === 'reload', service: unit };
    }
  } else if (head === 'supervisorctl' && plain[1] && FPM.test(plain[1])) {
    const op = SUPERVISOR_OPS[plain[0]!];
    if (op) {
      const usr2 = op === 'reload' && /USR2/i.test(args.join(' '));
      tags.fpm = { op: op === 'reload' && !usr2 ? 'kill' : op, graceful: usr2, service: plain[plain.length - 1]! };
    }
  } else if (head === 'killall' || head === 'pkill') {
    const target = plain.find((p) => FPM.test(p));
    if (target) {
      const usr2 = opts.some((o) => /USR2|^-12$/.test(o)) || args.includes('USR2');
      tags.fpm = { op: usr2 ? 'reload' : 'kill', graceful: usr2, service: target };
    }
  } else if (head === 'kill' && FPM.test(args.join(' '))) {
    const sig = opts.find((o) => !/^-s$/.test(o)) ?? (args.includes('-s') ? `-${args[args.indexOf('-s') + 1]}` : '-TERM');
    const usr2 = /USR2|^-12$/.test(sig);
    tags.fpm = { op: usr2 ? 'reload' : /QUIT|^-3$/.test(sig) ? 'stop' : 'kill', graceful: usr2, service: 'php-fpm' };
  } else if ((head === 'docker' || head === 'podman') && ['restart', 'stop', 'kill'].includes(plain[0] ?? '') && plain.slice(1).some((c) => /php|fpm/i.test(c))) {
    tags.fpm = { op: plain[0] as 'restart', graceful: false, service: plain.slice(1).find((c) => /php|fpm/i.test(c))! };
  } else if ((head === 'docker' && plain[0] === 'compose') || head === 'docker-compose') {
    const sub = head === 'docker' ? plain.slice(1) : plain;
    if (['restart', 'stop', 'kill'].includes(sub[0] ?? '') && sub.slice(1).some((c) => /php|fpm/i.test(c))) {
      tags.fpm = { op: sub[0] as 'restart', graceful: false, service: sub.slice(1).find((c) => /php|fpm/i.test(c))! };
    }
  }

  // swap
  if (head === 'ln') {
    const flags = opts.join(' ');
    const symbolic = /^-[a-zA-Z]*s|--symbolic/.test(flags) || opts.some((o) => /^-[a-zA-Z]*s/.test(o));
    const force = opts.some((o) => /^-[a-zA-Z]*f/.test(o) || o === '--force');
    const target = plain[plain.length - 1];
    // a link named like the live one, or a release linked somewhere outside the releases (not `shared/storage` → `$RELEASE/storage`)
    const releaseToLive = /releases?\b/i.test(plain[0] ?? '') && !/releases?\b|shared/i.test(target ?? '') && !/shared/i.test(plain[0] ?? '');
    if (symbolic && target && plain.length >= 2 && (isCurrent(target) || releaseToLive)) {
      if (!/\.(tmp|new|next)$|[._-]tmp\b|_next\b/i.test(target)) tags.swap = { atomic: false, how: force ? `ln ${opts.join(' ')}` : 'ln -s', link: target };
    }
  } else if (head === 'mv') {
    const noTarget = opts.some((o) => /^-[a-zA-Z]*T/.test(o) || o === '--no-target-directory');
    const target = plain[plain.length - 1];
    if (target && isCurrent(target) && plain.length >= 2) tags.swap = { atomic: noTarget, how: noTarget ? `mv ${opts.join(' ')}` : 'mv (without -T)', link: target };
  } else if ((head === 'rm' || head === 'unlink') && plain.some((p) => isCurrent(p))) {
    tags.removesLive = { target: plain.find((p) => isCurrent(p))! };
  }

  // migrations
  const cmdIdx = argv.findIndex((w) => /(^|\/)(artisan|console)$/.test(w) || /^(phinx|doctrine-migrations)$/.test(base(w)));
  const sub = cmdIdx === -1 ? undefined : argv[cmdIdx + 1];
  const tool = cmdIdx === -1 ? '' : base(argv[cmdIdx]);
  if (sub) {
    const rest = argv.slice(cmdIdx + 2);
    const post = rest.some((a) => /post[-_]?deploy|contract|\bpost\b/i.test(a));
    if (tool === 'artisan') {
      if (sub === 'migrate' && !rest.includes('--pretend')) tags.migrate = { tool: 'artisan migrate', destructive: false, post };
      else if (/^migrate:(fresh|refresh|reset|rollback)$/.test(sub) || sub === 'db:wipe') tags.migrate = { tool: `artisan ${sub}`, destructive: true, post };
      else if (['queue:restart', 'horizon:terminate', 'reload'].includes(sub)) tags.workersRestart = { how: `artisan ${sub}` };
      else if (sub === 'health:check') tags.healthCheck = { url: 'artisan health:check' };
    } else if (tool === 'console') {
      if (/^d(octrine)?:m(igrations)?:m(igrate)?$/.test(sub) && !rest.includes('--dry-run')) tags.migrate = { tool: 'doctrine:migrations:migrate', destructive: false, post };
      else if (/^d(octrine)?:s(chema)?:(u(pdate)?|d(rop)?)$/.test(sub) && (sub.includes('d') && /:d(rop)?$/.test(sub) || rest.some((a) => a === '--force' || a === '-f'))) tags.migrate = { tool: `doctrine:schema:${/:d(rop)?$/.test(sub) ? 'drop' : 'update'} --force`, destructive: true, post };
      else if (/^messenger:stop-workers$/.test(sub)) tags.workersRestart = { how: 'messenger:stop-workers' };
    } else if (sub === 'migrate') tags.migrate = { tool: `${tool} migrate`, destructive: false, post };
  }
  if (argv.some((w) => base(w) === 'zdd-plan' || (base(w) === 'zdd' && argv.includes('plan')))) tags.zddPlan = true;

  // workers
  if (head === 'supervisorctl' && /^(restart|reload|update|signal)$/.test(plain[0] ?? '') && !tags.fpm) {
    const what = plain.slice(1).join(' ');
    if (plain[0] === 'reload' || plain[0] === 'update' || /all|worker|queue|horizon|messenger|consum/i.test(what)) tags.workersRestart = { how: `supervisorctl ${plain.join(' ')}` };
  }
  if (head === 'systemctl' && /^(restart|reload-or-restart|try-restart)$/.test(plain[0] ?? '') && plain.slice(1).some((u) => /worker|queue|horizon|messenger|consumer/i.test(u))) {
    tags.workersRestart = { how: `systemctl ${plain.join(' ')}` };
  }

  // Deployer CLI
  if (/^(dep|deployer\.phar|deployer)$/.test(head) || (head === 'php' && /(^|\/)(dep|deployer\.phar)$/.test(argv[1] ?? ''))) {
    const rest = head === 'php' ? argv.slice(2) : args;
    const task = rest.find((a) => !a.startsWith('-'));
    if (task) {
      tags.deployer = { task };
      Object.assign(tags, deployerTaskTags(task));
    }
  }

  // health check: an HTTP request that fails the step on an error status
  if (head === 'curl' || head === 'wget' || head === 'http' || head === 'https') {
    const url = plain.find((p) => /^https?:\/\/|\{\{.*url.*\}\}|\$\{?\w*(URL|HOST)/i.test(p) || /^[\w.-]+\.[a-z]{2,}(:\d+)?\//i.test(p) || /^(localhost|127\.0\.0\.1)(:\d+)?\//.test(p));
    const fails = head !== 'curl' || opts.some((o) => /^-[a-zA-Z]*f/.test(o) || /^--fail/.test(o) || o === '-w' || o === '--write-out');
    if (url && fails) tags.healthCheck = { url };
  }

  // files copied or updated in place
  const files = head === 'rsync' || head === 'scp' || head === 'cp' ? copyOperands(head, argv) : undefined;
  const dest = files ? files.dest : copyDestination(head, argv, plain, opts, cwd);
  if (dest) tags.copy = { tool: head === 'git' ? `git ${argv.slice(1).find((a, i) => !a.startsWith('-') && argv[i] !== '-C')}` : head, dest, live: isCurrent(dest.replace(/^[\w.@${}-]+:/, '')), ...(files ? { sources: files.sources } : {}) };
  return tags;
}

/** The sources and destination of `cp` / `scp` / `rsync` (option values skipped; `cp -t dir` names the destination first). */
function copyOperands(tool: 'cp' | 'scp' | 'rsync', argv: string[]): { sources: string[]; dest?: string } {
  const args = argv.slice(1);
  const paths: string[] = [];
  let target: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    if (tool === 'cp' && (w === '-t' || w === '--target-directory')) target = args[++i];
    else if (tool !== 'cp' && /^-[a-zA-Z]*[eiPFo]$/.test(w)) i++; // an option's value (rsync -e ssh, scp -P 22)
    else if (w.startsWith('--target-directory=')) target = w.slice(19);
    else if (!w.startsWith('-')) paths.push(w);
  }
  if (target !== undefined) return { sources: paths, dest: target };
  return paths.length >= 2 ? { sources: paths.slice(0, -1), dest: paths[paths.length - 1] } : { sources: paths };
}

function copyDestination(head: string, argv: string[], plain: string[], opts: string[], cwd: string | undefined): string | undefined {
  if (head === 'git') {
    const c = argv.indexOf('-C');
    const dir = c !== -1 ? argv[c + 1] : cwd;
    const sub = argv.slice(1).find((a, i) => !a.startsWith('-') && !(c !== -1 && i + 1 === c + 1));
    if (dir && (sub === 'pull' || sub === 'checkout' || sub === 'merge' || (sub === 'reset' && opts.includes('--hard')))) return dir;
    return undefined;
  }
  if (head === 'composer' && cwd && (plain[0] === 'install' || plain[0] === 'update')) {
    const d = argv.find((a) => a.startsWith('--working-dir='))?.slice(14) ?? cwd;
    return d;
  }
  if (head === 'tar' && opts.some((o) => /^-?[a-zA-Z]*x/.test(o))) {
    const c = argv.findIndex((a) => a === '-C' || a === '--directory');
    return c !== -1 ? argv[c + 1] : cwd;
  }
  if (head === 'unzip') {
    const d = argv.indexOf('-d');
    return d !== -1 ? argv[d + 1] : cwd;
  }
  return undefined;
}

/** Tags of Deployer tasks from its recipes (deployphp/deployer recipe/*.php, contrib/*.php). */
export function deployerTaskTags(task: string): ActionTags {
  switch (task) {
    case 'deploy':
    case 'deploy:symlink':
    case 'deploy:publish':
      // deploy:symlink: `mv -T {{deploy_path}}/release {{current_path}}` when mv supports -T (use_atomic_symlink)
      return { swap: { atomic: true, how: 'deploy:symlink (mv -T)', link: '{{current_path}}' } };
    case 'artisan:migrate':
      return { migrate: { tool: 'artisan:migrate', destructive: false, post: false } };
    case 'database:migrate':
      return { migrate: { tool: 'database:migrate', destructive: false, post: false } };
    case 'artisan:migrate:fresh':
    case 'artisan:migrate:rollback':
    case 'artisan:db:wipe':
      return { migrate: { tool: task, destructive: true, post: false } };
    case 'php-fpm:reload':
      return { fpm: { op: 'reload', graceful: true, service: '{{php_fpm_service}}' } };
    case 'artisan:queue:restart':
    case 'artisan:horizon:terminate':
      return { workersRestart: { how: task } };
    default:
      return {};
  }
}
