import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The code index's cache (src/code/cache.ts) is on by default: the tests' runs of zdd share one of
 * their own (every run whose fixture an earlier test indexed goes through the cache), never the
 * user's, and it is removed after the run. A ZDD_CACHE_DIR set by the caller is kept as it is.
 */
export default function setup(): () => void {
  if (process.env.ZDD_CACHE_DIR) return () => {};
  const dir = mkdtempSync(join(tmpdir(), 'zdd-test-cache-'));
  process.env.ZDD_CACHE_DIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
