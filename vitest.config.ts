import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// The code index's cache (src/code/cache.ts) is on by default: the tests' runs of zdd share one of
// their own (every run whose fixture an earlier test indexed goes through the cache), never the user's.
process.env.ZDD_CACHE_DIR ??= mkdtempSync(join(tmpdir(), 'zdd-test-cache-'));

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
