import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';

describe('the test run', () => {
  it('gives zdd a cache directory of its own (test/global-setup.ts), never the user’s', () => {
    const dir = process.env.ZDD_CACHE_DIR;
    expect(dir).toBeDefined();
    expect(existsSync(dir!)).toBe(true);
    expect(dir!.startsWith(tmpdir())).toBe(true);
  });
});
