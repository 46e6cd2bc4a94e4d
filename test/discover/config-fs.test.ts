import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DISK_FS, releaseConfigFs, treeFs } from '../../src/discover/config-fs.js';
import { detectDoctrineTarget, findProjectRoot } from '../../src/discover/doctrine-config.js';
import { detectLaravelTarget, findLaravelRoot, findSchemaDumpIn } from '../../src/discover/laravel-config.js';
import { GitRelease, type Release } from '../../src/discover/release.js';
import { git, gitRepo, tempTree, writeTree } from '../helpers.js';

describe('the app-config readers over a release (ConfigFs)', () => {
  it("a tree: its files and directories at the work tree's path; the rest is the disk's (outside the root, .git), or `under`'s for paths the tree lacks", () => {
    const disk = tempTree({ 'local.txt': 'on disk\n', 'app/.env': 'DB_CONNECTION=mysql\n', 'app/config/only-on-disk.php': '' });
    const root = join(disk, 'app');
    const fs = treeFs(root, ['config/database.php', 'database/schema/pgsql-schema.sql', 'artisan'], new Map([['config/database.php', '<?php return [];\n']]));
    expect(fs.isFile(join(root, 'artisan'))).toBe(true);
    expect(fs.isDir(join(root, 'database'))).toBe(true);
    expect(fs.isDir(join(root, 'artisan'))).toBe(false);
    expect(fs.readText(join(root, 'config/database.php'))).toBe('<?php return [];\n');
    // listed, not read: no text
    expect(fs.readText(join(root, 'artisan'))).toBeUndefined();
    // the tree has no .env: the work tree's does not count
    expect(fs.isFile(join(root, '.env'))).toBe(false);
    expect(fs.readDir(root)?.map((e) => `${e.name}${e.dir ? '/' : ''}`).sort()).toEqual(['artisan', 'config/', 'database/']);
    expect(fs.readDir(join(root, 'config'))).toEqual([{ name: 'database.php', dir: false }]);
    expect(fs.readDir(join(root, 'nowhere'))).toBeUndefined();
    // above the root: the disk
    expect(fs.readText(join(disk, 'local.txt'))).toBe('on disk\n');

    const staged = treeFs(root, ['config/database.php'], new Map([['config/database.php', 'staged']]), { under: DISK_FS });
    expect(staged.readText(join(root, '.env'))).toBe('DB_CONNECTION=mysql\n');
    expect(staged.readText(join(root, 'config/database.php'))).toBe('staged');
    expect(staged.readDir(join(root, 'config'))?.map((e) => e.name).sort()).toEqual(['database.php', 'only-on-disk.php']);
  });

  it('the Laravel and Doctrine readers find the app root, dialect and schema dump in a tree, without the disk', () => {
    const root = tempTree({});
    const laravel = treeFs(root, ['shop/artisan', 'shop/.env.example', 'shop/database/migrations/1.php', 'shop/database/schema/pgsql-schema.sql'], new Map([['shop/.env.example', 'DB_CONNECTION=pgsql\n']]));
    expect(findLaravelRoot(join(root, 'shop/database/migrations'), laravel)).toBe(join(root, 'shop'));
    expect(detectLaravelTarget(join(root, 'shop'), laravel)).toEqual({ dialect: 'postgres', connection: 'pgsql', source: 'DB_CONNECTION=pgsql in .env.example', root: join(root, 'shop') });
    expect(findSchemaDumpIn(laravel, join(root, 'shop'), 'pgsql')).toBe(join(root, 'shop/database/schema/pgsql-schema.sql'));
    expect(findLaravelRoot(join(root, 'shop'))).toBeUndefined();

    const symfony = treeFs(root, ['api/composer.json', 'api/config/packages/doctrine.yaml', 'api/src/Migrations/Version1.php'], new Map([['api/config/packages/doctrine.yaml', 'doctrine:\n    dbal:\n        driver: pdo_mysql\n        server_version: 10.11.2-MariaDB\n']]));
    expect(findProjectRoot(join(root, 'api/src/Migrations'), symfony)).toBe(join(root, 'api'));
    expect(detectDoctrineTarget(join(root, 'api'), symfony)).toEqual({ dialect: 'mariadb', version: '10.11.2', source: 'config/packages/doctrine.yaml (driver), config/packages/doctrine.yaml (server_version)' });
  });

  it('a git release: its listing, and the files asked for read in one batch', async () => {
    const dir = gitRepo({ '.env.dist': 'DATABASE_URL=postgresql://a@db/app?serverVersion=16\n', 'config/packages/doctrine.yaml': 'doctrine: {}\n', 'src/Big.php': '<?php\n' });
    const commit = git(dir, 'rev-parse', 'HEAD');
    writeTree(dir, { '.env.dist': 'DATABASE_URL=mysql://a@db/app\n' });
    const release = new GitRelease(dir, 'new', 'HEAD', { commit });
    const asked: string[][] = [];
    const spy: Release = { side: 'new', label: 'HEAD', list: () => release.list(), read: (paths, onFile, opts) => (asked.push([...paths]), release.read(paths, onFile, opts)) };
    const fs = await releaseConfigFs(spy, dir, (p) => p.startsWith('.env') || p.endsWith('.yaml'));
    expect(asked).toEqual([['.env.dist', 'config/packages/doctrine.yaml']]);
    expect(fs.readText(join(dir, '.env.dist'))).toBe('DATABASE_URL=postgresql://a@db/app?serverVersion=16\n');
    expect(fs.isFile(join(dir, 'src/Big.php'))).toBe(true);
    expect(detectDoctrineTarget(dir, fs)).toMatchObject({ dialect: 'postgres', version: '16' });
  });
});
