import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root (where package.json, rules/*.md and schema/ live), from dist/src/cli or src/cli. */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), dirname(fileURLToPath(import.meta.url)).includes(`${'dist'}`) ? '../../..' : '../..');

const require = createRequire(import.meta.url);
export const VERSION: string = (require(join(PACKAGE_ROOT, 'package.json')) as { version: string }).version;
