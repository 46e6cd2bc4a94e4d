import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectDoctrineTarget, findProjectRoot, parseDatabaseUrl, parseServerVersion } from '../../src/discover/doctrine-config.js';
import { tempTree } from '../helpers.js';

describe('Doctrine config detection', () => {
  it('reads the platform and serverVersion from DATABASE_URL', () => {
    expect(parseDatabaseUrl('mysql://app:pw@db:3306/app?serverVersion=8.0.32&charset=utf8mb4')).toEqual({ scheme: 'mysql', dialect: 'mysql', version: '8.0.32' });
    expect(parseDatabaseUrl('mysql://app@db/app?serverVersion=10.11.2-MariaDB')).toEqual({ scheme: 'mysql', dialect: 'mariadb', version: '10.11.2' });
    expect(parseDatabaseUrl('mysql://app@db/app?serverVersion=mariadb-10.6.12')).toEqual({ scheme: 'mysql', dialect: 'mariadb', version: '10.6.12' });
    expect(parseDatabaseUrl('postgresql://app@db:5432/app?serverVersion=16&charset=utf8')).toEqual({ scheme: 'postgresql', dialect: 'postgres', version: '16' });
    expect(parseDatabaseUrl('pgsql://app@db/app')).toEqual({ scheme: 'pgsql', dialect: 'postgres' });
    expect(parseDatabaseUrl('sqlite:///%kernel.project_dir%/var/app.db')).toEqual({ scheme: 'sqlite' });
    expect(parseServerVersion('15.4 (Debian 15.4-1.pgdg120+1)')).toEqual({ version: '15.4', mariadb: false });
  });

  it('prefers .env.local over .env, and reads .env.dist only without .env', () => {
    const root = tempTree({
      'composer.json': '{}',
      '.env': 'DATABASE_URL="mysql://a@db/app?serverVersion=8.0"\n',
      '.env.local': '# local\nDATABASE_URL=postgresql://a@localhost/app?serverVersion=15\n',
      '.env.dist': 'DATABASE_URL=mysql://a@db/app?serverVersion=5.7\n',
    });
    expect(detectDoctrineTarget(root)).toEqual({ dialect: 'postgres', version: '15', source: '.env.local (DATABASE_URL)' });
    const distOnly = tempTree({ 'composer.json': '{}', '.env.dist': "DATABASE_URL='mysql://a@db/app?serverVersion=8.4.1'\n" });
    expect(detectDoctrineTarget(distOnly)).toEqual({ dialect: 'mysql', version: '8.4.1', source: '.env.dist (DATABASE_URL)' });
  });

  it('reads the .env files as symfony/dotenv does: the last assignment wins, $VAR and ${VAR} expand, .env.local can use .env', () => {
    const root = tempTree({
      'composer.json': '{}',
      '.env': 'DATABASE_URL=mysql://a@db/app?serverVersion=5.7\nPG_VERSION=15\nDATABASE_URL="postgresql://a@db/app?serverVersion=${PG_VERSION}"\n',
    });
    expect(detectDoctrineTarget(root)).toEqual({ dialect: 'postgres', version: '15', source: '.env (DATABASE_URL)' });
    const local = tempTree({
      'composer.json': '{}',
      '.env': 'DB_SCHEME=mysql\nDB_VERSION=8.0.36\n',
      '.env.local': 'export DATABASE_URL=$DB_SCHEME://a@db/app?serverVersion=${DB_VERSION} # local override\n',
    });
    expect(detectDoctrineTarget(local)).toEqual({ dialect: 'mysql', version: '8.0.36', source: '.env.local (DATABASE_URL)' });
  });

  it('reads server_version and driver from doctrine.yaml, resolving %env()%, and migrations_paths', () => {
    const root = tempTree({
      'composer.json': '{}',
      '.env': 'DATABASE_URL=\nDATABASE_SERVER_VERSION=10.11\n',
      'config/packages/doctrine.yaml': [
        'parameters:',
        "    env(DATABASE_URL): ''",
        'doctrine:',
        '    dbal:',
        '        default_connection: default',
        '        connections:',
        '            default:',
        "                driver: 'pdo_mysql'",
        '                server_version: "%env(DATABASE_SERVER_VERSION)%-MariaDB" # pinned',
        'when@test:',
        '    doctrine:',
        '        dbal:',
        '            server_version: "5.7"',
      ].join('\n'),
      'config/packages/doctrine_migrations.yaml': "doctrine_migrations:\n    migrations_paths:\n        'App\\Migrations': '%kernel.project_dir%/src/Migrations'\n",
    });
    expect(detectDoctrineTarget(root)).toEqual({
      dialect: 'mariadb',
      version: '10.11',
      migrationPaths: [join(root, 'src/Migrations')],
      source: 'config/packages/doctrine.yaml (driver), config/packages/doctrine.yaml (server_version)',
    });
    const plain = tempTree({
      'composer.json': '{}',
      '.env': 'DATABASE_SERVER_VERSION=8.0.36\n',
      'config/packages/doctrine.yaml': "doctrine:\n    dbal:\n        driver: pdo_mysql\n        server_version: '%env(DATABASE_SERVER_VERSION)%'\n",
    });
    expect(detectDoctrineTarget(plain)).toEqual({ dialect: 'mysql', version: '8.0.36', source: 'config/packages/doctrine.yaml (driver), config/packages/doctrine.yaml (server_version)' });
  });

  it('reads Symfony 2/3 app/config/config.yml', () => {
    const root = tempTree({
      'composer.json': '{}',
      'app/config/config.yml': 'doctrine:\n    dbal:\n        driver: pdo_pgsql\n        server_version: 14\ndoctrine_migrations:\n    dir_name: "%kernel.root_dir%/DoctrineMigrations"\n',
    });
    expect(detectDoctrineTarget(root)).toEqual({ dialect: 'postgres', version: '14', migrationPaths: [join(root, 'app/DoctrineMigrations')], source: 'app/config/config.yml (driver), app/config/config.yml (server_version)' });
  });

  it('gives no dialect for SQLite, names it and says where it looked', () => {
    const root = tempTree({ 'composer.json': '{}', '.env': 'DATABASE_URL=sqlite:///%kernel.project_dir%/var/data.db\n' });
    expect(detectDoctrineTarget(root)).toEqual({ source: '.env (DATABASE_URL)', unsupported: 'sqlite' });
    // wallabag: SQLite in .env, the migrations in app/config/config.yml
    const wallabag = tempTree({
      'composer.json': '{}',
      '.env': 'DATABASE_URL=sqlite:///%kernel.project_dir%/data/db/wallabag.sqlite\n#DATABASE_URL=mysql://root:root@127.0.0.1:3306/wallabag?charset=utf8mb4\n',
      'app/config/config.yml': "doctrine_migrations:\n    migrations_paths:\n        'Application\\Migrations': '%kernel.project_dir%/migrations'\n",
    });
    expect(detectDoctrineTarget(wallabag)).toEqual({ source: '.env (DATABASE_URL)', unsupported: 'sqlite', migrationPaths: [join(wallabag, 'migrations')] });
    expect(detectDoctrineTarget(tempTree({ 'composer.json': '{}' }))).toBeUndefined();
  });

  it('finds the project root upward from a migrations path', () => {
    const root = tempTree({ 'composer.json': '{}', 'migrations/Version1.php': '<?php' });
    expect(findProjectRoot(join(root, 'migrations/Version1.php'))).toBe(root);
    expect(findProjectRoot(join(root, 'migrations'))).toBe(root);
  });

  it("in a repository, a bundle's own composer.json is not the app: the Symfony app above it is (Sylius)", () => {
    const files = {
      'composer.json': '{"name": "sylius/sylius"}',
      '.env': 'DATABASE_URL=mysql://root@127.0.0.1/sylius_%kernel.environment%?serverVersion=8.0\n',
      'bin/console': '#!/usr/bin/env php\n<?php\n',
      'config/packages/doctrine_migrations.yaml': "doctrine_migrations:\n    migrations_paths:\n        'DoctrineMigrations': '%kernel.project_dir%/src/Migrations'\n",
      'src/Sylius/Bundle/CoreBundle/composer.json': '{"name": "sylius/core-bundle"}',
      'src/Sylius/Bundle/CoreBundle/Migrations/Version20201208105207.php': '<?php',
    };
    const repo = tempTree({ ...files, '.git/HEAD': 'ref: refs/heads/main\n' });
    const migrations = join(repo, 'src/Sylius/Bundle/CoreBundle/Migrations');
    expect(findProjectRoot(migrations)).toBe(repo);
    expect(findProjectRoot(join(migrations, 'Version20201208105207.php'))).toBe(repo);
    expect(detectDoctrineTarget(findProjectRoot(migrations)!)).toMatchObject({ dialect: 'mysql', version: '8.0' });
    // outside a repository zdd does not climb past the nearest composer.json
    const loose = tempTree(files);
    expect(findProjectRoot(join(loose, 'src/Sylius/Bundle/CoreBundle/Migrations'))).toBe(join(loose, 'src/Sylius/Bundle/CoreBundle'));
  });
});
