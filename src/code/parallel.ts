import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Release } from '../discover/release.js';
import { DirectoryRelease, EmptyRelease, GitRelease, WorkTreeRelease } from '../discover/release.js';
import { InputError } from '../util/errors.js';
import { findReferences, type IndexStats } from './index.js';
import { IndexShare } from './memo.js';
import type { CodeReference, IndexOptions, ReferenceTarget } from './types.js';

/**
 * Indexes the two releases of a deploy at the same time. Parsing PHP is CPU-bound and php-parser is
 * slow until V8 has optimised it, so when cores are free (three or more cores, load average at most
 * cores − 2) the old release is indexed in a worker thread (dist/code-worker.js) while the main
 * thread indexes the new one. Otherwise — one or two cores, a busy machine, the index cache on,
 * running from sources without the built worker, or ZDD_WORKERS=0 — both run in this thread and share their work (a file both
 * releases hold is analysed once, memo.ts). ZDD_WORKERS=1 forces the worker, unless git tells which
 * files the releases hold alike: those are read once, in one thread.
 */

export type ReleaseSpec =
  | { kind: 'directory'; root: string; side: 'old' | 'new'; label: string }
  | { kind: 'worktree'; root: string }
  | { kind: 'git'; root: string; side: 'old' | 'new'; label: string; source: { commit: string } | { index: true }; sameAsWorkTree: boolean }
  | { kind: 'empty'; side: 'old' | 'new'; label: string };

export interface IndexJob {
  release: ReleaseSpec;
  targets: ReferenceTarget[];
  options: Omit<IndexOptions, 'columnOwners' | 'verbose' | 'shared' | 'cache'>;
  owners?: Map<string, Set<string>>;
  verbose: boolean;
}

export type IndexJobResult = { references: CodeReference[]; stats: IndexStats; notes: string[] } | { error: string; input: boolean; notes: string[] };

/** What a release is, as plain data a worker can open again. */
export function specOf(release: Release): ReleaseSpec | undefined {
  if (release instanceof WorkTreeRelease) return { kind: 'worktree', root: release.root };
  if (release instanceof DirectoryRelease) return { kind: 'directory', root: release.root, side: release.side, label: release.label };
  if (release instanceof GitRelease) return { kind: 'git', root: release.root, side: release.side, label: release.label, source: release.source, sameAsWorkTree: release.sameAsWorkTree };
  if (release instanceof EmptyRelease) return { kind: 'empty', side: release.side, label: release.label };
  return undefined;
}

export interface PairOptions extends Omit<IndexOptions, 'columnOwners' | 'shared'> {
  owners?: Map<string, Set<string>>;
  /** The package root, where dist/code-worker.js lives. */
  packageRoot?: string;
  /** Which paths both releases hold alike (ReleasePair.sameContent): those are read once, in one thread. */
  same?: (path: string) => boolean;
}

/** Whether the old release goes to a worker thread (when one can be started). */
export function wantsWorker(o: { env: NodeJS.ProcessEnv; cores: number; load: number; cache: boolean; same: boolean }): boolean {
  // when git says which files both releases hold alike, one thread reads them once: less work than two threads reading everything
  if (o.same) return false;
  if (o.env.ZDD_WORKERS === '1') return true;
  if (o.env.ZDD_WORKERS === '0') return false;
  // With the index cache, one thread: the cache lives there, and what it spares outweighs a second
  // thread that starts cold (ZDD_WORKERS=1 still forces the worker; its release goes uncached).
  if (o.cache) return false;
  // A second thread only pays when it gets cores of its own. One thread already keeps about one and
  // a half cores busy (V8 collects garbage and compiles in helper threads); on two cores, two
  // threads were no faster than one (within ±15% either way, for twice the CPU). So: three cores
  // or more, two of them free.
  return o.cores >= 3 && o.load <= o.cores - 2;
}

export async function findReferencesInBoth(old: Release, neu: Release, targets: ReferenceTarget[], opts: PairOptions): Promise<{ references: CodeReference[]; stats: IndexStats[]; threads: number }> {
  const { owners, packageRoot, verbose, same, cache, ...rest } = opts;
  const columnOwners = owners ? (c: string) => owners.get(c) : undefined;
  const mk = (): IndexStats => ({ files: 0, candidates: 0, secondPass: 0, references: 0, unparsable: [], ms: 0 });
  const workerFile = packageRoot ? join(packageRoot, 'dist', 'code-worker.js') : undefined;
  const spec = specOf(old);
  const parallel = wantsWorker({ env: process.env, cores: availableParallelism(), load: loadavg()[0]!, cache: !!cache, same: !!same }) && !!spec && spec.kind !== 'empty' && !!workerFile && existsSync(workerFile);
  if (!parallel) {
    const shared = new IndexShare(same);
    const s = [mk(), mk()];
    const common = { ...rest, shared, ...(cache ? { cache } : {}), ...(columnOwners ? { columnOwners } : {}), ...(verbose ? { verbose } : {}) };
    const [a, b] = await Promise.all([findReferences(old, targets, { ...common, stats: s[0] }), findReferences(neu, targets, { ...common, stats: s[1] })]);
    return { references: [...a, ...b], stats: s, threads: 1 };
  }
  const worker = new Worker(workerFile!);
  try {
    const job: IndexJob = { release: spec!, targets, options: rest, ...(owners ? { owners } : {}), verbose: !!verbose };
    const inWorker = new Promise<IndexJobResult>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the code-index worker stopped (exit code ${code})`)));
    });
    worker.postMessage(job);
    const s = mk();
    // the worker's release goes uncached (the cache lives in this thread)
    const mine = await findReferences(neu, targets, { ...rest, stats: s, ...(cache ? { cache } : {}), ...(columnOwners ? { columnOwners } : {}), ...(verbose ? { verbose } : {}) });
    const theirs = await inWorker;
    for (const n of theirs.notes) verbose?.(n);
    if ('error' in theirs) throw theirs.input ? new InputError(theirs.error) : new Error(theirs.error);
    return { references: [...theirs.references, ...mine], stats: [theirs.stats, s], threads: 2 };
  } finally {
    await worker.terminate();
  }
}
