import { parentPort } from 'node:worker_threads';
import { DirectoryRelease, EmptyRelease, GitRelease, WorkTreeRelease, type Release } from '../discover/release.js';
import { findReferences, type IndexStats } from './index.js';
import type { IndexJob, IndexJobResult, ReleaseSpec } from './parallel.js';

/**
 * The code-index worker (dist/code-worker.js): indexes one release in its own thread, so the two
 * releases of a deploy are indexed at once (parsing is CPU-bound; see parallel.ts).
 */

function open(spec: ReleaseSpec): Release {
  switch (spec.kind) {
    case 'directory':
      return new DirectoryRelease(spec.root, spec.side, spec.label);
    case 'worktree':
      return new WorkTreeRelease(spec.root);
    case 'git':
      return new GitRelease(spec.root, spec.side, spec.label, spec.source, spec.sameAsWorkTree);
    case 'empty':
      return new EmptyRelease(spec.side, spec.label);
  }
}

parentPort?.on('message', async (job: IndexJob) => {
  const notes: string[] = [];
  const stats: IndexStats = { files: 0, candidates: 0, secondPass: 0, references: 0, unparsable: [], ms: 0 };
  try {
    const references = await findReferences(open(job.release), job.targets, {
      ...job.options,
      ...(job.owners ? { columnOwners: (c: string) => job.owners!.get(c) } : {}),
      ...(job.verbose ? { verbose: (m: string) => notes.push(m) } : {}),
      stats,
    });
    parentPort!.postMessage({ references, stats, notes } satisfies IndexJobResult);
  } catch (e) {
    parentPort!.postMessage({ error: (e as Error).message, input: (e as Error).name === 'InputError', notes } satisfies IndexJobResult);
  }
});
