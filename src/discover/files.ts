import { openSync, readSync, closeSync, readdirSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { FileProblem } from '../util/errors.js';
import { naturalCompare } from '../util/text.js';

/** Files larger than this are refused (a migration this big is a data dump, not a migration). */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

export interface InputFile {
  /** Path to show the user: relative to the working directory when inside it. */
  path: string;
  abs: string;
}

const SKIP_DIRS = new Set(['node_modules', 'vendor', '.git', 'var', 'storage', 'cache']);

/** Conventional migration folders, tried in the project root when `zdd lint` gets no paths. */
export const CONVENTIONAL_DIRS = ['database/migrations', 'migrations', 'src/Migrations', 'app/DoctrineMigrations', 'db/migrations', 'sql/migrations'];

export function displayPath(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  return rel && !rel.startsWith('..') ? rel.split(sep).join('/') : abs;
}

/**
 * Expands the given paths into migration files with one of `exts`. Directories are walked
 * recursively (skipping vendor/, node_modules/ …); files given explicitly are taken whatever their
 * extension, so that a wrong file gets a clear error from the reader instead of being ignored.
 * Missing paths become problems.
 */
export function collectFiles(paths: string[], cwd: string, exts: ReadonlySet<string>): { files: InputFile[]; problems: FileProblem[] } {
  const files: InputFile[] = [];
  const problems: FileProblem[] = [];
  const seen = new Set<string>();
  const add = (abs: string): void => {
    if (seen.has(abs)) return;
    seen.add(abs);
    files.push({ abs, path: displayPath(abs, cwd) });
  };
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      problems.push({ file: displayPath(dir, cwd), message: `cannot read directory (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` });
      return;
    }
    for (const entry of entries) {
      const abs = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(abs);
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        const dot = entry.name.lastIndexOf('.');
        if (dot > 0 && exts.has(entry.name.slice(dot + 1).toLowerCase())) add(abs);
      }
    }
  };
  for (const p of paths) {
    const abs = resolve(cwd, p);
    let st: Stats;
    try {
      st = statSync(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      problems.push({ file: p, message: code === 'ENOENT' ? 'no such file or directory' : `cannot access (${code ?? (e as Error).message})` });
      continue;
    }
    if (st.isDirectory()) walk(abs);
    else if (!st.isFile()) problems.push({ file: p, message: 'not a regular file (a pipe, socket or device): not a migration' });
    else add(abs);
  }
  files.sort((a, b) => naturalCompare(basename(a.abs), basename(b.abs)) || naturalCompare(a.abs, b.abs));
  return { files, problems };
}

/**
 * Reads a text file, refusing huge and binary files with a clear reason.
 * Returns the text, or a problem.
 */
export function readTextFile(file: InputFile, what = 'a migration'): { text: string } | { problem: FileProblem } {
  let st: Stats;
  try {
    st = statSync(file.abs);
  } catch (e) {
    return { problem: { file: file.path, message: `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` } };
  }
  // opening a named pipe would wait for a writer forever
  if (!st.isFile()) return { problem: { file: file.path, message: `not a regular file (a pipe, socket or device): not ${what}` } };
  if (st.size > MAX_FILE_BYTES) {
    return { problem: { file: file.path, message: `too large to be ${what} (${(st.size / 1024 / 1024).toFixed(1)} MB; the limit is ${MAX_FILE_BYTES / 1024 / 1024} MB)` } };
  }
  let buf: Buffer;
  try {
    const fd = openSync(file.abs, 'r');
    try {
      buf = Buffer.alloc(st.size);
      let off = 0;
      while (off < st.size) {
        const n = readSync(fd, buf, off, st.size - off, off);
        if (n === 0) break;
        off += n;
      }
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    return { problem: { file: file.path, message: `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` } };
  }
  return decodeText(buf, file.path, what);
}

/** Decodes file bytes as UTF-8 text; binary content (NUL bytes) is a problem. */
export function decodeText(buf: Buffer, path: string, what = 'a migration'): { text: string } | { problem: FileProblem } {
  if (buf.subarray(0, 8192).includes(0)) return { problem: { file: path, message: `binary file (contains NUL bytes), not ${what}` } };
  let text = buf.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { text };
}

/** Folders zdd-plan's `--write` puts split migrations in: run after the swap of their deploy, or in the next release. */
export const POST_SWAP_DIR = 'zdd-post-swap';
export const NEXT_RELEASE_DIR = 'zdd-next-release';

/**
 * The history of a change in path mode: the migration files in the folders of the change (and their
 * zdd-post-swap/ subfolders, which earlier deploys ran) that sort before its first file. Not
 * zdd-next-release/: those have not run.
 */
export function earlierMigrationFiles(change: readonly InputFile[], paths: readonly string[], cwd: string, exts: ReadonlySet<string>): InputFile[] {
  const changed = new Set(change.map((f) => f.abs));
  const dirs = new Set<string>();
  for (const p of paths) {
    const abs = resolve(cwd, p);
    let folder = isDirectory(abs) ? abs : dirname(abs);
    if (basename(folder) === POST_SWAP_DIR) folder = dirname(folder);
    dirs.add(folder).add(join(folder, POST_SWAP_DIR));
  }
  const first = change.map((f) => basename(f.abs)).sort(naturalCompare)[0];
  const out: InputFile[] = [];
  for (const dir of dirs) {
    for (const abs of filesIn(dir, exts)) {
      if (changed.has(abs) || (first !== undefined && naturalCompare(basename(abs), first) >= 0)) continue;
      out.push({ abs, path: displayPath(abs, cwd) });
    }
  }
  return out.sort((a, b) => naturalCompare(basename(a.abs), basename(b.abs)) || naturalCompare(a.abs, b.abs));
}

function isDirectory(abs: string): boolean {
  try {
    return statSync(abs).isDirectory();
  } catch {
    return false;
  }
}

/** The files with one of `exts` directly in `dir` (none when it does not exist). */
function filesIn(dir: string, exts: ReadonlySet<string>): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => exts.has(name.slice(name.lastIndexOf('.') + 1).toLowerCase()))
    .map((name) => join(dir, name))
    .filter((abs) => {
      try {
        return statSync(abs).isFile();
      } catch {
        return false;
      }
    });
}
