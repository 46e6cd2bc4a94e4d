import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root (package.json, rules/*.md, schema/), found upward from this module (src/, dist/ or a bundle). */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'zdd') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('zdd: cannot find its package.json');
    dir = parent;
  }
}

export const PACKAGE_ROOT = findPackageRoot();
export const VERSION: string = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

declare const __ZDD_BUILD__: string | undefined;
/**
 * This build of zdd: a hash of its sources, set by scripts/bundle.mjs (the index cache of another
 * build is not used: it may scan or analyse differently). From sources: the version and "dev".
 */
export const BUILD_ID: string = typeof __ZDD_BUILD__ === 'string' ? __ZDD_BUILD__ : `${VERSION}-dev`;
