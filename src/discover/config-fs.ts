import { readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';
import type { Release } from './release.js';

/**
 * Where the app-config readers (`laravel-config.ts`, `doctrine-config.ts`, `laravel-app-config.ts`)
 * find an app's files: the disk, or a release read from git objects (`--to <ref>`, `--staged`), so
 * that the dialect, the Doctrine config and the schema dump come from the release being deployed,
 * not from whatever the work tree holds. Synchronous, with absolute paths, as the readers were
 * written against node:fs: a release's files are read before, in one batch (`releaseConfigFs`).
 */
export interface ConfigFs {
  /** A regular file (or a link to one). */
  isFile(abs: string): boolean;
  isDir(abs: string): boolean;
  /** The file's text, undefined when there is none or it cannot be read. */
  readText(abs: string): string | undefined;
  /** A directory's entries, undefined when there is no such directory. */
  readDir(abs: string): Array<{ name: string; dir: boolean }> | undefined;
}

/** Never throws (as existsSync): a path through a file, or one zdd may not read, is none. */
function stat(abs: string): Stats | undefined {
  try {
    return statSync(abs, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

export const DISK_FS: ConfigFs = {
  isFile: (abs) => stat(abs)?.isFile() ?? false,
  isDir: (abs) => stat(abs)?.isDirectory() ?? false,
  readText: (abs) => {
    try {
      return readFileSync(abs, 'utf8');
    } catch {
      return undefined;
    }
  },
  readDir: (abs) => {
    try {
      return readdirSync(abs, { withFileTypes: true }).map((e) => ({ name: e.name, dir: e.isDirectory() }));
    } catch {
      return undefined;
    }
  },
};

export function exists(fs: ConfigFs, abs: string): boolean {
  return fs.isFile(abs) || fs.isDir(abs);
}

/**
 * A release's files seen as a file system rooted at `root` (the repository's work tree path):
 * `files` is its listing (release-relative, `/`-separated), `texts` the contents read of some of them
 * — a listed file whose text was not read reads as none. Paths outside `root`, and the repository's
 * own `.git`, are `outside`'s (the disk). `under`, when given, answers for paths the release does not
 * have (`--staged`: files git does not track, such as a local .env, stay in the work tree).
 */
export function treeFs(root: string, files: readonly string[], texts: ReadonlyMap<string, string>, opts: { outside?: ConfigFs; under?: ConfigFs } = {}): ConfigFs {
  const outside = opts.outside ?? DISK_FS;
  const under = opts.under;
  const fileSet = new Set(files);
  let dirs: Map<string, Map<string, boolean>> | undefined;
  // directory → entries (name → is a directory), built on the first question about a directory
  const dirMap = (): Map<string, Map<string, boolean>> => {
    if (dirs) return dirs;
    dirs = new Map([['', new Map()]]);
    for (const f of files) {
      let child = f;
      for (let at = f.lastIndexOf('/'); ; at = child.lastIndexOf('/')) {
        const parent = at === -1 ? '' : child.slice(0, at);
        const name = at === -1 ? child : child.slice(at + 1);
        let entries = dirs.get(parent);
        const known = !!entries;
        if (!entries) dirs.set(parent, (entries = new Map()));
        if (!entries.has(name)) entries.set(name, child !== f);
        if (known || at === -1) break;
        child = parent;
      }
    }
    return dirs;
  };
  // release-relative path, or undefined when `abs` is not the release's
  const rel = (abs: string): string | undefined => {
    const r = relative(root, abs);
    if (r.startsWith('..') || isAbsolute(r)) return undefined;
    const p = r.split(sep).join('/');
    return p === '.git' || p.startsWith('.git/') ? undefined : p;
  };
  return {
    isFile: (abs) => {
      const p = rel(abs);
      if (p === undefined) return outside.isFile(abs);
      return fileSet.has(p) || (!!under && !dirMap().has(p) && under.isFile(abs));
    },
    isDir: (abs) => {
      const p = rel(abs);
      if (p === undefined) return outside.isDir(abs);
      return dirMap().has(p) || (!!under && !fileSet.has(p) && under.isDir(abs));
    },
    readText: (abs) => {
      const p = rel(abs);
      if (p === undefined) return outside.readText(abs);
      if (fileSet.has(p)) return texts.get(p);
      return under && !dirMap().has(p) ? under.readText(abs) : undefined;
    },
    readDir: (abs) => {
      const p = rel(abs);
      if (p === undefined) return outside.readDir(abs);
      const own = fileSet.has(p) ? undefined : dirMap().get(p);
      const below = under && !fileSet.has(p) ? under.readDir(abs) : undefined;
      if (!own) return below;
      const out = [...own].map(([name, dir]) => ({ name, dir }));
      for (const e of below ?? []) if (!own.has(e.name)) out.push(e);
      return out;
    },
  };
}

/** Config files are small: a larger one is not read (it reads as none). */
const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * A release as a ConfigFs: its listing, and the text of the files `wanted` picks (release-relative
 * paths), read in one batch (for a git release, one `git cat-file --batch`).
 */
export async function releaseConfigFs(release: Release, root: string, wanted: (path: string) => boolean, opts: { under?: ConfigFs } = {}): Promise<ConfigFs> {
  const files = await release.list();
  const texts = new Map<string, string>();
  const pick = files.filter(wanted);
  if (pick.length) await release.read(pick, (p, data) => texts.set(p, data.toString('utf8')), { maxBytes: MAX_CONFIG_BYTES });
  return treeFs(root, files, texts, opts);
}
