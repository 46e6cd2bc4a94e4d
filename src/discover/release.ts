import { closeSync, fstatSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../util/errors.js';
import { DISK_FS, releaseConfigFs, type ConfigFs } from './config-fs.js';
import { changedFiles, git, GitError, isShallow, listIndex, listTree, listWorkTree, mergeBase, readBlobs, repoRoot, resolveCommit, splitZ, type TreeEntry } from './git.js';

/**
 * Releases: the code that runs now (old) and the code about to replace it (new). A release is a
 * directory, a git commit or the git index; it lists its files and reads them, nothing else. Paths
 * are relative to the release root, with `/` separators.
 */

export type Side = 'old' | 'new';

export interface Release {
  readonly side: Side;
  /** For messages: `merge-base 1a2b3c4 of origin/main`, `work tree`, `index`, a directory. */
  readonly label: string;
  /** Every file of the release (without .git, vendor/ and node_modules/). */
  list(): Promise<string[]>;
  /**
   * Reads `paths`, calling `onFile` for each one that can be read (in any order). Files larger than
   * `maxBytes` (default MAX_CODE_BYTES) are not read: `onSkip` hears of them.
   */
  read(paths: readonly string[], onFile: (path: string, data: Buffer) => void, opts?: ReadOptions): Promise<void>;
  /**
   * Each path's identity, without reading it: equal identities, equal contents (a git blob id, or
   * a file's path, size, modification time and inode). Paths that are gone have none. For the code
   * index's cache (src/code/cache.ts).
   */
  identify?(paths: readonly string[]): Promise<Map<string, string>>;
}

export interface ReadOptions {
  maxBytes?: number;
  /**
   * The callback is done with `data` when it returns (it copies what it keeps): the release may
   * hand every file in the same reused buffer.
   */
  transient?: boolean;
  onSkip?: (path: string, reason: 'too-large' | 'unreadable', size?: number) => void;
}

/** Directories that hold dependencies, never the app's own code or migrations (at any depth). */
const NOT_APP = new Set(['.git', 'node_modules', 'vendor']);
/** Top-level directories of uploads, caches, build output and translations (thousands of files in some apps). */
const NOT_APP_PREFIXES = ['storage/', 'resources/lang/', 'lang/', 'public/build/', 'public/vendor/', 'bootstrap/cache/', 'var/cache/', 'var/log/'];

function notApp(path: string): boolean {
  for (const p of NOT_APP_PREFIXES) if (path.startsWith(p)) return true;
  for (const part of path.split('/')) if (NOT_APP.has(part)) return true;
  return false;
}

/** Reads a file from disk; a reason when it is too large, gone or unreadable (a work tree changes under us). */
function readDiskFile(abs: string, maxBytes: number, scratch?: { buf: Buffer }): Buffer | { skipped: 'too-large' | 'unreadable'; size?: number } {
  let fd: number;
  try {
    fd = openSync(abs, 'r');
  } catch {
    return { skipped: 'unreadable' };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { skipped: 'unreadable' };
    if (st.size > maxBytes) return { skipped: 'too-large', size: st.size };
    // into one reused buffer when the caller allows it: no allocation per file (external memory
    // that V8 would otherwise collect, measured as a third of the index's time on a large app)
    if (scratch && scratch.buf.length < st.size) scratch.buf = Buffer.allocUnsafe(Math.max(st.size, scratch.buf.length * 2));
    const buf = scratch ? scratch.buf.subarray(0, st.size) : Buffer.allocUnsafe(st.size);
    let off = 0;
    while (off < st.size) {
      const n = readSync(fd, buf, off, st.size - off, off);
      if (n === 0) break;
      off += n;
    }
    return off === st.size ? buf : buf.subarray(0, off);
  } catch {
    return { skipped: 'unreadable' };
  } finally {
    closeSync(fd);
  }
}

/** Larger files are not application code zdd needs to read (generated bundles, dumps). */
export const MAX_CODE_BYTES = 2 * 1024 * 1024;

/** A release on disk: a deployed release directory, or any project directory. */
export class DirectoryRelease implements Release {
  private files?: string[];
  constructor(
    readonly root: string,
    readonly side: Side,
    readonly label: string = root,
  ) {}

  async list(): Promise<string[]> {
    if (this.files) return this.files;
    const out: string[] = [];
    const walk = (dir: string, rel: string): void => {
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const path = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) {
          if (!NOT_APP.has(e.name) && !notApp(`${path}/`)) walk(join(dir, e.name), path);
        } else if (e.isFile()) out.push(path);
        else if (e.isSymbolicLink()) {
          try {
            if (statSync(join(dir, e.name)).isFile()) out.push(path);
          } catch {
            // dangling link
          }
        }
      }
    };
    walk(this.root, '');
    return (this.files = out);
  }

  /**
   * Path, size, modification and change times, device and inode: a change time no tool can set
   * back (unlike the modification time: `touch -d`, `tar --mtime`, `rsync -a`). A file changed
   * within a clock tick of now gets none (git's "racily clean" case: a second write in the same tick
   * would leave all of it alike): 100 ms, or 2 s where the file system keeps whole seconds.
   */
  async identify(paths: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const now = Date.now();
    for (const p of paths) {
      const abs = join(this.root, p);
      const st = statSync(abs, { throwIfNoEntry: false });
      if (!st?.isFile()) continue;
      const tick = st.mtimeMs % 1000 === 0 && st.ctimeMs % 1000 === 0 ? 2000 : 100;
      if (st.mtimeMs > now - tick || st.ctimeMs > now - tick) continue;
      out.set(p, `f${abs}\u0000${st.size}\u0000${st.mtimeMs}\u0000${st.ctimeMs}\u0000${st.dev}\u0000${st.ino}`);
    }
    return out;
  }

  async read(paths: readonly string[], onFile: (path: string, data: Buffer) => void, opts: ReadOptions = {}): Promise<void> {
    // Synchronous reads: measured faster than fs.promises here (a thread-pool round trip per call,
    // four calls per file, against files the page cache nearly always holds).
    const scratch = opts.transient ? { buf: Buffer.allocUnsafe(1 << 20) } : undefined;
    for (const p of paths) {
      const data = readDiskFile(join(this.root, p), opts.maxBytes ?? MAX_CODE_BYTES, scratch);
      if (Buffer.isBuffer(data)) onFile(p, data);
      else opts.onSkip?.(p, data.skipped, data.size);
    }
  }
}

/** The git work tree: tracked and untracked-but-not-ignored files, read from disk. */
export class WorkTreeRelease extends DirectoryRelease {
  private listed?: string[];
  constructor(root: string) {
    super(root, 'new', 'work tree');
  }

  override async list(): Promise<string[]> {
    return (this.listed ??= (await listWorkTree(this.root)).filter((p) => !notApp(p)));
  }
}

/** A release read from git objects: a commit's tree, or the index (`staged`). */
export class GitRelease implements Release {
  private entries?: Map<string, TreeEntry>;
  private differs?: Promise<Set<string>>;
  /**
   * `sameAsWorkTree`: most files of the commit (or the index) are byte-for-byte what the work tree
   * holds; those whose path git does not list as changed are read from disk, which is many times
   * faster than inflating them from packs. Only for releases of the work tree's own repository.
   */
  constructor(
    readonly root: string,
    readonly side: Side,
    readonly label: string,
    readonly source: { commit: string } | { index: true },
    readonly sameAsWorkTree = false,
  ) {}

  /** Paths whose work-tree content differs from this release's (git diff against the work tree). */
  private changedOnDisk(): Promise<Set<string>> {
    this.differs ??= git(this.root, ['diff', '--name-only', '-z', '--no-renames', ...('commit' in this.source ? [this.source.commit] : [])])
      .then((out) => new Set(splitZ(out)))
      .catch(() => new Set<string>(['\0all']));
    return this.differs;
  }

  /** Path → blob id, for every file of the release. */
  async blobIds(): Promise<ReadonlyMap<string, string>> {
    if (!this.entries) await this.list();
    return new Map([...this.entries!.values()].map((e) => [e.path, e.oid]));
  }

  /**
   * For a release of the work tree's repository: which paths the work tree holds with this
   * release's content (git diff against the work tree lists none of them). Undefined when git cannot say.
   */
  async sameOnDisk(): Promise<((path: string) => boolean) | undefined> {
    if (!this.sameAsWorkTree) return undefined;
    const differs = await this.changedOnDisk();
    if (differs.has('\0all')) return undefined;
    if (!this.entries) await this.list();
    return (path) => this.entries!.has(path) && !differs.has(path);
  }

  async identify(paths: readonly string[]): Promise<Map<string, string>> {
    if (!this.entries) await this.list();
    const out = new Map<string, string>();
    for (const p of paths) {
      const e = this.entries!.get(p);
      if (e) out.set(p, `g${e.oid}`);
    }
    return out;
  }

  async list(): Promise<string[]> {
    if (!this.entries) {
      // reading will ask git which files differ on disk: that runs meanwhile
      if (this.sameAsWorkTree) void this.changedOnDisk();
      const all = 'commit' in this.source ? await listTree(this.root, this.source.commit) : await listIndex(this.root);
      this.entries = new Map(all.filter((e) => !notApp(e.path)).map((e) => [e.path, e]));
    }
    return [...this.entries.keys()];
  }

  async read(paths: readonly string[], onFile: (path: string, data: Buffer) => void, opts: ReadOptions = {}): Promise<void> {
    if (!this.entries) await this.list();
    const max = opts.maxBytes ?? MAX_CODE_BYTES;
    const wanted: TreeEntry[] = [];
    const differs = this.sameAsWorkTree ? await this.changedOnDisk() : undefined;
    const fromDisk: string[] = [];
    for (const p of paths) {
      const e = this.entries!.get(p);
      if (!e) opts.onSkip?.(p, 'unreadable');
      else if ((e.size ?? 0) > max) opts.onSkip?.(p, 'too-large', e.size);
      else if (differs && !differs.has('\0all') && !differs.has(p)) fromDisk.push(p);
      else wanted.push(e);
    }
    for (const p of fromDisk) {
      const data = readDiskFile(join(this.root, p), max);
      if (Buffer.isBuffer(data)) onFile(p, data);
      else wanted.push(this.entries!.get(p)!); // gone from disk meanwhile: read it from git
    }
    try {
      await readBlobs(
        this.root,
        wanted.map((e) => e.oid),
        (_oid, data, i) => {
          // the index does not list sizes: check them here
          if (data.length > max) opts.onSkip?.(wanted[i]!.path, 'too-large', data.length);
          else onFile(wanted[i]!.path, data);
        },
        (_oid, i) => opts.onSkip?.(wanted[i]!.path, 'unreadable'),
      );
    } catch (e) {
      if (e instanceof GitError) throw new InputError(`git: cannot read ${this.label}: ${e.message.split('\n')[0]}`);
      throw e;
    }
  }
}

/** No files: the old release of the very first commit. */
export class EmptyRelease implements Release {
  constructor(
    readonly side: Side,
    readonly label: string,
  ) {}
  async list(): Promise<string[]> {
    return [];
  }
  async read(): Promise<void> {}
  async identify(): Promise<Map<string, string>> {
    return new Map();
  }
}

export interface ChangedMigrations {
  files: Set<string>;
  /** Changed files the old release has too (`--base`, `--staged`; never with `--from/--to`, whose change is what `--from` lacks). */
  existing: Set<string>;
}

/** The two releases of a deploy and which of the new release's files are the change. */
export interface ReleasePair {
  mode: 'base' | 'staged' | 'from-to';
  old: Release;
  new: Release;
  /** The new release's directory, when it has one (the work tree, also for --staged; a `--to` directory): the root of relative paths. A `--to` commit has none. */
  newRoot?: string;
  /** The git work tree, when there is one. */
  repo?: string;
  /** Says what the change is measured against, for --verbose. */
  describe: string;
  /**
   * Of the new release's `files`, those that are new (or changed) in this deploy, and of those the
   * ones the old release already has (edited after they ran). `dirs` narrows git's work.
   */
  changed(files: readonly string[], dirs: readonly string[]): Promise<ChangedMigrations>;
  /**
   * Which paths hold the same content in both releases, when git can tell without reading them
   * (blob ids; for the work tree, git diff): those files are read and scanned once for both.
   */
  sameContent?(): Promise<((path: string) => boolean) | undefined>;
  /**
   * The new release as the app-config readers see it (src/discover/config-fs.ts), when it is not
   * simply the disk: a `--to` commit, or the index (`--staged`; files git does not track, such as a
   * local .env, stay the work tree's). The files `wanted` picks (release-relative) are read in one
   * batch. Absent: the new release is the disk (the work tree, a `--to` directory).
   */
  configFs?(wanted: (path: string) => boolean): Promise<ConfigFs>;
}

/** Paths whose blob is the same in two git releases. */
async function sameBlobs(a: GitRelease, b: GitRelease): Promise<(path: string) => boolean> {
  const [x, y] = await Promise.all([a.blobIds(), b.blobIds()]);
  return (path) => {
    const id = x.get(path);
    return id !== undefined && id === y.get(path);
  };
}

const SHALLOW_HINT = 'fetch more history: `git fetch --unshallow` (or `git fetch --deepen=<n>`; in GitHub Actions, `fetch-depth: 0` on actions/checkout)';

async function requireRepo(cwd: string, flag: string): Promise<string> {
  const root = await repoRoot(cwd);
  if (!root) throw new InputError(`${flag} needs a git repository, and ${cwd} is not inside one (for two release directories, use --from <dir> --to <dir>)`);
  return root;
}

async function requireCommit(root: string, ref: string, flag: string): Promise<string> {
  const commit = await resolveCommit(root, ref);
  if (commit) return commit;
  if (await isShallow(root)) throw new InputError(`${flag} ${ref}: unknown git ref in this shallow clone; fetch it first (\`git fetch --depth=<n> origin ${ref.replace(/^origin\//, '')}\`), or ${SHALLOW_HINT}`);
  throw new InputError(`${flag} ${ref}: unknown git ref (not a branch, tag or commit of ${root})`);
}

function short(commit: string): string {
  return commit.slice(0, 12);
}

/** `zdd lint --base <ref>`: the change since the merge-base of `ref` and HEAD; old = that commit, new = the work tree. */
export async function baseReleases(cwd: string, ref: string): Promise<ReleasePair> {
  const root = await requireRepo(cwd, '--base');
  const base = await requireCommit(root, ref, '--base');
  const head = await resolveCommit(root, 'HEAD');
  let mb = base;
  if (head) {
    const found = await mergeBase(root, base, head);
    if (!found) {
      if (await isShallow(root)) throw new InputError(`--base ${ref}: the merge-base of ${ref} and HEAD is not in this shallow clone; ${SHALLOW_HINT}`);
      throw new InputError(`--base ${ref}: ${ref} and HEAD have no common history`);
    }
    mb = found;
  }
  const old = new GitRelease(root, 'old', `merge-base ${short(mb)} of ${ref}`, { commit: mb }, true);
  return {
    mode: 'base',
    old,
    new: new WorkTreeRelease(root),
    newRoot: root,
    repo: root,
    describe: `migrations added or changed since ${short(mb)} (merge-base of ${ref} and HEAD), work tree included`,
    changed: async (files, dirs) => intersect(files, await gitChanged(() => changedFiles(root, mb, [...dirs]))),
    // the work tree holds the merge-base's content wherever git diff does not list a path
    sameContent: () => old.sameOnDisk(),
  };
}

/** `zdd lint --staged`: the staged migrations; old = HEAD, new = the index. */
export async function stagedReleases(cwd: string): Promise<ReleasePair> {
  const root = await requireRepo(cwd, '--staged');
  const head = await resolveCommit(root, 'HEAD');
  const old = head ? new GitRelease(root, 'old', `HEAD ${short(head)}`, { commit: head }, true) : new EmptyRelease('old', 'no commit yet');
  const index = new GitRelease(root, 'new', 'index', { index: true }, true);
  return {
    mode: 'staged',
    old,
    new: index,
    ...(old instanceof GitRelease ? { sameContent: () => sameBlobs(old, index) } : {}),
    repo: root,
    newRoot: root,
    describe: head ? `migrations staged since HEAD ${short(head)}` : 'every staged migration (no commit yet)',
    configFs: (wanted) => releaseConfigFs(index, root, wanted, { under: DISK_FS }),
    changed: async (files, dirs) => (head ? intersect(files, await gitChanged(() => changedFiles(root, head, [...dirs], { cached: true }))) : { files: new Set(files), existing: new Set() }),
  };
}

/** `--from <dir|ref> --to <dir|ref>`: new migrations are the files `to` has and `from` does not. */
export async function fromToReleases(cwd: string, from: string, to: string): Promise<ReleasePair> {
  let root: string | undefined | null = null;
  const repo = async (): Promise<string | undefined> => (root === null ? (root = await repoRoot(cwd)) : root);
  const open = async (spec: string, side: Side, flag: string): Promise<{ release: Release; dir?: string }> => {
    const abs = resolve(cwd, spec);
    let isDir = false;
    let exists = false;
    try {
      isDir = statSync(abs).isDirectory();
      exists = true;
    } catch {
      // not a path: maybe a ref
    }
    if (isDir) {
      const real = realpathSync(abs);
      return { release: new DirectoryRelease(real, side, spec), dir: real };
    }
    // a file (a release's artisan …) is not a release, unless its name is also a ref
    const notDir = `${flag} ${spec}: not a directory (a release is a directory or a git ref)`;
    const r = await repo();
    if (!r && exists) throw new InputError(notDir);
    if (!r) throw new InputError(`${flag} ${spec}: no such directory (and ${cwd} is not a git repository, so it cannot be a git ref)`);
    const commit = await resolveCommit(r, spec);
    if (!commit && exists) throw new InputError(notDir);
    if (!commit) {
      if (await isShallow(r)) throw new InputError(`${flag} ${spec}: no such directory, and not a git ref of this shallow clone; ${SHALLOW_HINT}`);
      throw new InputError(`${flag} ${spec}: no such directory, and not a git ref`);
    }
    return { release: new GitRelease(r, side, `${spec} (${short(commit)})`, { commit }) };
  };
  const o = await open(from, 'old', '--from');
  const n = await open(to, 'new', '--to');
  const repoDir = root ?? undefined;
  return {
    mode: 'from-to',
    old: o.release,
    new: n.release,
    ...(n.dir ? { newRoot: n.dir } : {}),
    ...(repoDir ? { repo: repoDir } : {}),
    describe: `migrations in ${to} that ${from} does not have`,
    changed: async (files) => {
      const before = new Set(await o.release.list());
      return { files: new Set(files.filter((f) => !before.has(f))), existing: new Set() };
    },
    ...(o.release instanceof GitRelease && n.release instanceof GitRelease ? { sameContent: () => sameBlobs(o.release as GitRelease, n.release as GitRelease) } : {}),
    // a commit: its own config, not the work tree's (which may be another commit, or none: a bare CI clone)
    ...(n.release instanceof GitRelease && repoDir ? { configFs: (wanted: (path: string) => boolean) => releaseConfigFs(n.release, repoDir, wanted) } : {}),
  };
}

function intersect(files: readonly string[], changed: Map<string, 'added' | 'modified'>): ChangedMigrations {
  const kept = files.filter((f) => changed.has(f));
  return { files: new Set(kept), existing: new Set(kept.filter((f) => changed.get(f) === 'modified')) };
}

async function gitChanged(run: () => Promise<Map<string, 'added' | 'modified'>>): Promise<Map<string, 'added' | 'modified'>> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof GitError) throw new InputError(`git: ${e.message.split('\n')[0]}`);
    throw e;
  }
}
