import { execFile, spawn } from 'node:child_process';

/**
 * Git plumbing for release mode, through `child_process` (no library): everything is read straight
 * from git objects — no checkout, no temporary copies. Blobs are read with one long-lived
 * `git cat-file --batch` per release, streamed, so memory holds one blob at a time.
 */

/** A git command failed. `stderr` is git's own message. */
export class GitError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
    readonly code: number | null,
  ) {
    super(message);
    this.name = 'GitError';
  }
}

// Plumbing output must not depend on the user's locale or pager, and read-only commands must not
// take the index lock (a pre-commit hook runs while git holds it).
const GIT_ENV = { ...process.env, LC_ALL: 'C', GIT_PAGER: 'cat', GIT_OPTIONAL_LOCKS: '0' };

/** Runs git and returns stdout as a Buffer; a non-zero exit is a GitError. */
export function git(cwd: string, args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, env: GIT_ENV, encoding: 'buffer', maxBuffer: 1 << 30 }, (err, stdout, stderr) => {
      if (err) {
        const e = err as NodeJS.ErrnoException & { code?: number | string };
        if (e.code === 'ENOENT') return reject(new GitError('git is not installed (or not on PATH)', '', null));
        const msg = stderr.toString('utf8').trim();
        return reject(new GitError(msg || e.message, msg, typeof e.code === 'number' ? e.code : null));
      }
      resolve(stdout);
    });
  });
}

async function gitText(cwd: string, args: string[]): Promise<string> {
  return (await git(cwd, args)).toString('utf8').trim();
}

/** NUL-separated output → entries (empty ones dropped). */
export function splitZ(buf: Buffer): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = buf.indexOf(0); i !== -1; i = buf.indexOf(0, start)) {
    if (i > start) out.push(buf.toString('utf8', start, i));
    start = i + 1;
  }
  if (start < buf.length) out.push(buf.toString('utf8', start));
  return out;
}

/** The top directory of the work tree containing `cwd`, or undefined when `cwd` is not in a git work tree. */
export async function repoRoot(cwd: string): Promise<string | undefined> {
  try {
    return await gitText(cwd, ['rev-parse', '--show-toplevel']);
  } catch (e) {
    if (e instanceof GitError && e.code !== null) return undefined;
    throw e;
  }
}

/** The commit a ref names, or undefined when there is no such commit. */
export async function resolveCommit(root: string, ref: string): Promise<string | undefined> {
  if (ref.startsWith('-')) return undefined;
  try {
    const out = await gitText(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
    return out || undefined;
  } catch (e) {
    if (e instanceof GitError && e.code !== null) return undefined;
    throw e;
  }
}

export async function isShallow(root: string): Promise<boolean> {
  return (await gitText(root, ['rev-parse', '--is-shallow-repository'])) === 'true';
}

/** The best common ancestor of two commits, or undefined when git finds none (unrelated or cut off by a shallow clone). */
export async function mergeBase(root: string, a: string, b: string): Promise<string | undefined> {
  try {
    return (await gitText(root, ['merge-base', a, b])) || undefined;
  } catch (e) {
    if (e instanceof GitError && e.code === 1) return undefined;
    throw e;
  }
}

export interface TreeEntry {
  path: string;
  oid: string;
  /** Blob size in bytes (trees read with sizes; the index does not give them). */
  size?: number;
}

/** Every blob of a commit's tree (regular files only: no symlinks, no submodules), with ids and sizes. */
export async function listTree(root: string, commit: string): Promise<TreeEntry[]> {
  const out = await git(root, ['ls-tree', '-r', '-z', '-l', '--full-tree', commit]);
  const entries: TreeEntry[] = [];
  for (const line of splitZ(out)) {
    // <mode> SP <type> SP <object> SP+ <size> TAB <path>
    const tab = line.indexOf('\t');
    const [mode, type, oid, size] = line.slice(0, tab).split(/ +/);
    if (type !== 'blob' || mode === '120000') continue;
    entries.push({ path: line.slice(tab + 1), oid: oid!, size: Number(size) });
  }
  return entries;
}

/** Blobs staged in the index (stage 0; during a merge conflict, "ours"). */
export async function listIndex(root: string): Promise<TreeEntry[]> {
  const out = await git(root, ['ls-files', '-s', '-z']);
  const byPath = new Map<string, TreeEntry>();
  for (const line of splitZ(out)) {
    // <mode> SP <object> SP <stage> TAB <path>
    const tab = line.indexOf('\t');
    const [mode, oid, stage] = line.slice(0, tab).split(' ');
    if (mode === '120000' || mode === '160000') continue;
    const path = line.slice(tab + 1);
    if (stage === '0' || (stage === '2' && !byPath.has(path))) byPath.set(path, { path, oid: oid! });
  }
  return [...byPath.values()];
}

/** Files of the work tree: tracked ones plus untracked ones not ignored (paths relative to the root). */
export async function listWorkTree(root: string): Promise<string[]> {
  const out = await git(root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard']);
  return [...new Set(splitZ(out))];
}

/**
 * Files added or modified between `base` and the work tree (`cached`: the index), under `paths`,
 * each with whether `base` already had it (modified) or not (added). Untracked files count as added
 * in work-tree mode: a new migration is often not staged yet.
 */
export async function changedFiles(root: string, base: string, paths: string[], opts: { cached?: boolean } = {}): Promise<Map<string, 'added' | 'modified'>> {
  const spec = paths.length ? ['--', ...paths] : [];
  const diff = splitZ(await git(root, ['diff', '--name-status', '-z', '--no-renames', '--diff-filter=AM', ...(opts.cached ? ['--cached'] : []), base, ...spec]));
  const files = new Map<string, 'added' | 'modified'>();
  // -z --name-status: <status> NUL <path> NUL …
  for (let i = 0; i + 1 < diff.length; i += 2) files.set(diff[i + 1]!, diff[i] === 'M' ? 'modified' : 'added');
  if (!opts.cached) for (const f of splitZ(await git(root, ['ls-files', '-z', '--others', '--exclude-standard', ...spec]))) if (!files.has(f)) files.set(f, 'added');
  return files;
}

/**
 * Reads blobs with one `git cat-file --batch` process, calling `onBlob` as each one arrives (so
 * memory holds one blob at a time). Ids git does not have (a partial or size-limited clone) are
 * passed to `onMissing`.
 */
export function readBlobs(root: string, oids: string[], onBlob: (oid: string, data: Buffer, index: number) => void, onMissing?: (oid: string, index: number) => void): Promise<void> {
  if (!oids.length) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch', '--buffer'], { cwd: root, env: GIT_ENV, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    let failed: Error | undefined;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', (e) => {
      failed = (e as NodeJS.ErrnoException).code === 'ENOENT' ? new GitError('git is not installed (or not on PATH)', '', null) : e;
    });
    child.stdin.on('error', () => undefined); // git exited early; reported through 'close'

    let index = 0;
    let pending: Buffer[] = [];
    let pendingLen = 0;
    let need = -1; // bytes of the current blob still expected (content + trailing LF), -1 = reading a header
    let current = '';
    const take = (n: number): Buffer => {
      const all = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingLen);
      const head = all.subarray(0, n);
      const rest = all.subarray(n);
      pending = rest.length ? [rest] : [];
      pendingLen = rest.length;
      return head;
    };
    child.stdout.on('data', (chunk: Buffer) => {
      if (failed) return;
      pending.push(chunk);
      pendingLen += chunk.length;
      for (;;) {
        if (need < 0) {
          const buf = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingLen);
          pending = [buf];
          const nl = buf.indexOf(10);
          if (nl === -1) return;
          const header = take(nl + 1).toString('utf8', 0, nl);
          const parts = header.split(' ');
          if (parts[1] === 'missing' || parts[1] === 'ambiguous') {
            onMissing?.(parts[0]!, index++);
            continue;
          }
          current = parts[0]!;
          need = Number(parts[2]) + 1;
          if (!Number.isFinite(need)) {
            failed = new GitError(`unexpected output from git cat-file: ${header.slice(0, 80)}`, '', null);
            child.kill();
            return;
          }
        }
        if (pendingLen < need) return;
        const blob = take(need).subarray(0, need - 1);
        need = -1;
        try {
          onBlob(current, blob, index++);
        } catch (e) {
          failed = e as Error;
          child.kill();
          return;
        }
      }
    });
    child.on('close', (code) => {
      if (failed) return reject(failed);
      if (code !== 0) return reject(new GitError(stderr.trim() || `git cat-file exited with ${code}`, stderr.trim(), code));
      resolve();
    });
    child.stdin.end(`${oids.join('\n')}\n`);
  });
}
