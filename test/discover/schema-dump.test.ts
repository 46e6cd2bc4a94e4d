import { describe, expect, it } from 'vitest';
import { LaravelAppConfig, migrationsTable } from '../../src/discover/laravel-app-config.js';
import { migrationName, migrationsInDump } from '../../src/discover/laravel-config.js';
import { tempTree } from '../helpers.js';

describe('the migrations a Laravel schema dump records as run', () => {
  it("reads MySQL's INSERT rows, with and without a column list", () => {
    const dump = [
      'CREATE TABLE `migrations` (`id` int unsigned NOT NULL AUTO_INCREMENT, `migration` varchar(255) NOT NULL, `batch` int NOT NULL, PRIMARY KEY (`id`));',
      "INSERT INTO `migrations` (`id`, `migration`, `batch`) VALUES (1,'2014_10_12_000000_create_users_table',1);",
      "INSERT INTO `migrations` VALUES (2,'2014_10_12_100000_create_password_resets_table',1);",
      "INSERT INTO `failed_jobs` VALUES (1,'2099_not_a_migration',1);",
    ].join('\n');
    expect([...migrationsInDump(dump)]).toEqual(['2014_10_12_000000_create_users_table', '2014_10_12_100000_create_password_resets_table']);
  });

  it('reads extended INSERTs (several rows), quotes escaped either way, and the migration column wherever the list puts it', () => {
    const dump = "INSERT INTO migrations (batch, migration, id) VALUES (1,'2019_a',1),(1, 'it''s_b', 2),(2,'c\\'d',3);\n";
    expect([...migrationsInDump(dump)]).toEqual(['2019_a', "it's_b", "c'd"]);
  });

  it("reads PostgreSQL's COPY block and pg_dump --inserts rows (schema-qualified, quoted names)", () => {
    const copy = 'SET statement_timeout = 0;\nCOPY public.migrations (id, migration, batch) FROM stdin;\n1\t2014_10_12_000000_create_users_table\t1\n2\t2019_08_19_000000_create_failed_jobs_table\t1\n\\.\n\nCOPY public.jobs (id, queue) FROM stdin;\n1\tdefault\n\\.\n';
    expect([...migrationsInDump(copy)]).toEqual(['2014_10_12_000000_create_users_table', '2019_08_19_000000_create_failed_jobs_table']);
    const inserts = 'INSERT INTO public.migrations VALUES (1, \'2014_a\', 1);\nINSERT INTO "migrations" ("id", "migration", "batch") VALUES (2, \'2014_b\', 2);\n';
    expect([...migrationsInDump(inserts)]).toEqual(['2014_a', '2014_b']);
  });

  it("reads the values with the dump's own quoting: a backslash is literal in PostgreSQL", () => {
    expect([...migrationsInDump("INSERT INTO public.migrations VALUES (1, 'a\\b', 1);", 'migrations', 'postgres')]).toEqual(['a\\b']);
    expect([...migrationsInDump("INSERT INTO `migrations` VALUES (1,'a\\'b',1);", 'migrations', 'mysql')]).toEqual(["a'b"]);
    // config/database.php's env() default counts, as for the app's other config values
    expect(migrationsTable(LaravelAppConfig.fromRoot(tempTree({ 'config/database.php': "<?php return ['migrations' => env('DB_MIGRATIONS', 'schema_versions')];" })))).toBe('schema_versions');
  });

  it('takes a prefixed table and a table config/database.php names; nothing from a dump without rows', () => {
    expect([...migrationsInDump("INSERT INTO `app_migrations` VALUES (1,'2020_a',1);")]).toEqual(['2020_a']);
    expect([...migrationsInDump("INSERT INTO `schema_versions` VALUES (1,'2020_a',1);", 'schema_versions')]).toEqual(['2020_a']);
    expect(migrationsInDump('CREATE TABLE users (id bigint);\n').size).toBe(0);
  });

  it("finds the migrations table in config/database.php (a string, or Laravel 11's ['table' => …])", () => {
    expect(migrationsTable(LaravelAppConfig.fromRoot(tempTree({ 'config/database.php': "<?php return ['migrations' => 'schema_versions'];" })))).toBe('schema_versions');
    expect(migrationsTable(LaravelAppConfig.fromRoot(tempTree({ 'config/database.php': "<?php return ['migrations' => [\n  'table' => 'app_migrations',\n  'update_date_on_publish' => true,\n]];" })))).toBe('app_migrations');
    expect(migrationsTable(LaravelAppConfig.fromRoot(tempTree({ 'config/app.php': '<?php return [];' })))).toBe('migrations');
  });

  it("names a migration file as Laravel's migrations table does", () => {
    expect(migrationName('database/migrations/2014_10_12_000000_create_users_table.php')).toBe('2014_10_12_000000_create_users_table');
    expect(migrationName('2014_x.php')).toBe('2014_x');
  });
});
