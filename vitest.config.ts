import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // the index cache of the tests' own (test/global-setup.ts)
    globalSetup: ['test/global-setup.ts'],
  },
});
