import { posix } from 'node:path';
import { globToRegExp } from '../../util/glob.js';
import { shellActions } from '../actions.js';
import type { ImageStart, Loc } from '../types.js';
import type { SourceContext } from './context.js';

/**
 * Directories whose scripts an image runs when its container starts, before (or as) it serves:
 * s6-overlay (`/etc/s6-overlay/s6-rc.d/<svc>/up`, `scripts/`; v2's `cont-init.d`, `services.d`,
 * `cont-finish.d`), the official images' `/docker-entrypoint.d` (nginx) and
 * `/docker-entrypoint-initdb.d` (mysql, postgres), serversideup/php's `/etc/entrypoint.d`.
 */
const INIT_DIRS = ['/etc/s6-overlay', '/etc/cont-init.d', '/etc/services.d', '/etc/cont-finish.d', '/docker-entrypoint.d', '/docker-entrypoint-initdb.d', '/etc/entrypoint.d'];

/** Project files (or directories, or globs) a Dockerfile copies into an init directory (INIT_DIRS): they run at container start. */
export interface StartHook {
  /** Project path as if the build context were the project root or the Dockerfile's directory; a directory stands for all files below it. */
  path: string;
  /** The init directory it lands in. */
  dir: string;
  /** The COPY/ADD line. */
  loc: Loc;
}

/** Whether a project file is a hook's path, below its directory, or matches its glob. */
export function hookCovers(hook: StartHook, file: string): boolean {
  // the project's one glob rule, anchored at the project root (a path, not a name at any depth)
  return hook.path === '.' || globToRegExp(`/${hook.path}`).test(file);
}

export interface DockerfileRead {
  /** The final stage's start command (ENTRYPOINT/CMD), when it has one. */
  image?: ImageStart;
  /** What the final stage copies from the build context into init directories. */
  hooks: StartHook[];
}

/**
 * Dockerfiles: the start command of the final stage (ENTRYPOINT followed by CMD, exec form as a
 * JSON array or shell form run by `/bin/sh -c`), as Docker combines them. Only what a container
 * runs when it starts matters here — and which project files that is: a start command naming a
 * path the stage COPY/ADDs from the build context (`COPY docker/startup.sh /` + `CMD ["/startup.sh"]`)
 * runs that script, as its container's entrypoint. Scripts copied into an init directory
 * (`COPY docker/s6/ /etc/s6-overlay/`) run at start too, whatever the start command (often the base
 * image's `/init`).
 */
export function readDockerfile(path: string, text: string, ctx: SourceContext): DockerfileRead {
  const lines = text.split(/\r?\n/);
  let entry: { words: string[]; line: number; shell: boolean } | undefined;
  let cmd: { words: string[]; line: number; shell: boolean } | undefined;
  let copies: Array<{ froms: string[]; dest: string; intoDir: boolean; line: number }> = [];
  let workdir = '/';
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i]!;
    while (/\\\s*$/.test(line) && i + 1 < lines.length) line = `${line.replace(/\\\s*$/, '')} ${lines[++i]!.trim()}`;
    const m = /^\s*(FROM|ENTRYPOINT|CMD|COPY|ADD|WORKDIR)\s+(.*)$/i.exec(line);
    if (!m) continue;
    const kw = m[1]!.toUpperCase();
    if (kw === 'FROM') {
      // a new stage starts with nothing of the previous one's start command
      entry = undefined;
      cmd = undefined;
      copies = [];
      workdir = '/';
      continue;
    }
    if (kw === 'WORKDIR') {
      workdir = posix.resolve(workdir, m[2]!.trim().replace(/^["']|["']$/g, ''));
      continue;
    }
    if (kw === 'COPY' || kw === 'ADD') {
      const args = copyArgs(m[2]!.trim());
      // --from copies out of another stage or image, not from the project
      if (args && !args.from && args.paths.length >= 2) {
        const to = args.paths[args.paths.length - 1]!;
        // sources as project paths ('.' for the context itself), the destination without a trailing slash ('/' for the root)
        copies.push({ froms: args.paths.slice(0, -1).map((src) => posix.normalize(src).replace(/\/+$/, '') || '.'), dest: posix.resolve(workdir, to).replace(/\/+$/, '') || '/', intoDir: to.endsWith('/'), line: start + 1 });
      }
      continue;
    }
    const arg = m[2]!.trim();
    let value: { words: string[]; line: number; shell: boolean };
    if (arg.startsWith('[')) {
      try {
        const parsed = JSON.parse(arg) as unknown;
        if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string')) throw new Error('not an array of strings');
        value = { words: parsed, line: start + 1, shell: false };
      } catch (e) {
        ctx.problems.push({ file: path, line: start + 1, message: `cannot read ${kw}: ${(e as Error).message}`, unparsed: 'part' });
        continue;
      }
    } else value = { words: ['/bin/sh', '-c', arg], line: start + 1, shell: true };
    if (kw === 'ENTRYPOINT') {
      entry = value;
      cmd = undefined; // ENTRYPOINT resets an inherited CMD
    } else cmd = value;
  }
  const dir = posix.dirname(path);
  // the build context is the project root or the Dockerfile's directory
  const inContext = (p: string): string[] => [posix.normalize(p), ...(dir !== '.' ? [posix.join(dir, p)] : [])];
  const hooks: StartHook[] = [];
  // the path below a copy's destination that an image path lands on, or undefined
  const below = (dest: string, p: string): string | undefined => (p.startsWith(`${dest === '/' ? '' : dest}/`) ? p.slice(dest === '/' ? 1 : dest.length + 1) : undefined);
  for (const { froms, dest, line } of copies) {
    for (const init of INIT_DIRS) {
      for (const from of froms) {
        let hook: string | undefined;
        const inside = below(dest, init);
        // COPY docker/s6/ /etc/s6-overlay/, COPY init.sh /etc/cont-init.d/10-init: what is copied lands in the init directory
        if (dest === init || dest.startsWith(`${init}/`)) hook = from;
        // COPY docker/rootfs/ /: a directory's contents land in the destination, so its etc/s6-overlay/ is the init directory
        else if (inside !== undefined) hook = posix.join(from, inside);
        if (hook) for (const p of inContext(hook)) hooks.push({ path: p, dir: init, loc: { file: path, line, col: 1 } });
      }
    }
  }
  const words = [...(entry?.words ?? []), ...(entry?.shell ? [] : cmd?.words ?? [])];
  const at = entry ?? cmd;
  if (!at || !words.length) return { hooks };
  const quote = (w: string): string => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);
  const loc = { file: path, line: at.line, col: 1 };
  const actions = shellActions(words.map(quote).join(' '), { file: path, where: `${path} ${entry ? 'ENTRYPOINT' : 'CMD'}`, map: () => ({ line: loc.line, col: loc.col }) }).actions;
  // the words of a shell-form command are split the way sh would, near enough to find paths
  const started = [...(entry?.shell ? entry.words.slice(2) : entry?.words ?? []), ...(entry?.shell ? [] : cmd?.shell ? cmd.words.slice(2) : cmd?.words ?? [])]
    .flatMap((w) => w.split(/[\s;&|]+/))
    .filter((w) => w.includes('/') || /\.(sh|bash)$/.test(w))
    // a bare name is looked up on the image's PATH (Docker's default), a path is relative to WORKDIR
    .flatMap((w) => (w.includes('/') ? [posix.resolve(workdir, w)] : DEFAULT_PATH.map((d) => `${d}/${w}`)));
  const scripts = new Set<string>();
  for (const w of started) {
    for (const { froms, dest, intoDir } of copies) {
      for (const from of froms) {
        let hit: string | undefined;
        const rest = below(dest, w);
        // COPY a.sh /start.sh (a file to a file), COPY a.sh /usr/local/bin/ (into a directory), COPY docker /opt/docker (a directory)
        if (w === dest && !intoDir && froms.length === 1) hit = from;
        else if (rest !== undefined) hit = rest === posix.basename(from) ? from : posix.join(from, rest);
        if (hit) for (const p of inContext(hit)) scripts.add(p);
      }
    }
  }
  return { image: { file: path, loc, words, actions, scripts: [...scripts] }, hooks };
}

const DEFAULT_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** The paths of a COPY/ADD instruction (shell or JSON form) and whether it copies from another stage. */
function copyArgs(arg: string): { paths: string[]; from: boolean } | undefined {
  const flags: string[] = [];
  let rest = arg;
  for (let f = /^(--[\w-]+(=\S*)?)\s+/.exec(rest); f; f = /^(--[\w-]+(=\S*)?)\s+/.exec(rest)) {
    flags.push(f[1]!);
    rest = rest.slice(f[0].length);
  }
  const from = flags.some((f) => f.startsWith('--from'));
  if (rest.startsWith('[')) {
    try {
      const parsed = JSON.parse(rest) as unknown;
      return Array.isArray(parsed) && parsed.every((x) => typeof x === 'string') ? { paths: parsed, from } : undefined;
    } catch {
      return undefined;
    }
  }
  if (rest.startsWith('<<')) return undefined; // a heredoc writes a file, copies none
  return { paths: rest.split(/\s+/).filter(Boolean), from };
}
