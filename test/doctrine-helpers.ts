import { defaultTarget, parseVersion } from '../src/dialects/index.js';
import type { Dialect, Migration, Operation } from '../src/ir/types.js';
import type { ZddConfig } from '../src/lint/config.js';
import { lintMigrations } from '../src/lint/run.js';
import type { Finding } from '../src/lint/types.js';
import { orderMigrations, prepareReaders, readMigration } from '../src/readers/index.js';
import { MIGRATION_RULES } from './helpers.js';

/** A Doctrine migration class around an up() body (and optional extra members). */
export function migrationClass(name: string, up: string, extra = ''): string {
  return `<?php

declare(strict_types=1);

namespace DoctrineMigrations;

use Doctrine\\DBAL\\Platforms\\MySQLPlatform;
use Doctrine\\DBAL\\Platforms\\PostgreSQLPlatform;
use Doctrine\\DBAL\\Schema\\Schema;
use Doctrine\\DBAL\\Types\\Types;
use Doctrine\\Migrations\\AbstractMigration;

final class ${name} extends AbstractMigration
{
    public function up(Schema $schema): void
    {
${up
  .split('\n')
  .map((l) => (l ? `        ${l}` : l))
  .join('\n')}
    }
${extra}}
`;
}

/** Reads one Doctrine migration file (text) for a dialect. */
export async function readDoctrine(dialect: Dialect, code: string, file = 'migrations/Version20240101000000.php'): Promise<Migration> {
  await prepareReaders(dialect);
  const r = readMigration(file, code, { dialect, config: {} });
  if (!('migration' in r)) throw new Error(`not read: ${JSON.stringify(r)}`);
  return r.migration;
}

/** The ops of a migration without their source, for compact assertions. */
export function shapes(ops: readonly Operation[]): Array<Record<string, unknown>> {
  return ops.map((op) => {
    const { source: _source, statement: _statement, sql: _sql, ...rest } = op;
    return rest as Record<string, unknown>;
  });
}

/** The SQL schema most Doctrine rule tests start from, per dialect (as DBAL would have created it). */
export const DOCTRINE_BASE: Record<'mysql' | 'postgres', string> = {
  mysql: `
CREATE TABLE users (id INT AUTO_INCREMENT NOT NULL, email VARCHAR(180) NOT NULL, name VARCHAR(255) DEFAULT NULL, status VARCHAR(20) DEFAULT 'active' NOT NULL, team_id INT DEFAULT NULL, PRIMARY KEY(id)) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci ENGINE = InnoDB;
CREATE TABLE teams (id INT AUTO_INCREMENT NOT NULL, name VARCHAR(255) NOT NULL, PRIMARY KEY(id)) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci ENGINE = InnoDB;
CREATE TABLE orders (id INT AUTO_INCREMENT NOT NULL, user_id INT NOT NULL, total NUMERIC(10, 2) NOT NULL, note LONGTEXT DEFAULT NULL, INDEX IDX_E52FFDEEA76ED395 (user_id), PRIMARY KEY(id)) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci ENGINE = InnoDB;
`,
  postgres: `
CREATE TABLE users (id SERIAL NOT NULL, email VARCHAR(180) NOT NULL, name VARCHAR(255) DEFAULT NULL, status VARCHAR(20) DEFAULT 'active' NOT NULL, team_id INT DEFAULT NULL, PRIMARY KEY(id));
CREATE TABLE teams (id SERIAL NOT NULL, name VARCHAR(255) NOT NULL, PRIMARY KEY(id));
CREATE TABLE orders (id SERIAL NOT NULL, user_id INT NOT NULL, total NUMERIC(10, 2) NOT NULL, note TEXT DEFAULT NULL, PRIMARY KEY(id));
CREATE INDEX IDX_E52FFDEEA76ED395 ON orders (user_id);
`,
};

export interface LintDoctrineOptions {
  version?: string;
  config?: ZddConfig;
  rule?: string;
  /** Start from DOCTRINE_BASE (default true). */
  base?: boolean;
}

/**
 * Lints Doctrine migrations in memory, after a base-schema migration: `files` maps a path to PHP
 * source; they run in Doctrine's order (class name).
 */
export async function lintDoctrine(dialect: 'mysql' | 'mariadb' | 'postgres', files: string | Record<string, string>, opts: LintDoctrineOptions = {}): Promise<Finding[]> {
  await prepareReaders(dialect);
  const config = opts.config ?? {};
  const entries = typeof files === 'string' ? [['migrations/Version20240101000000.php', files] as const] : Object.entries(files);
  const migrations: Migration[] = [];
  if (opts.base !== false) {
    const r = readMigration('migrations/0000_base.sql', DOCTRINE_BASE[dialect === 'postgres' ? 'postgres' : 'mysql'], { dialect, config });
    if ('migration' in r) migrations.push({ ...r.migration, id: 'Version00000000000000' , format: 'doctrine' });
  }
  for (const [file, code] of entries) {
    const r = readMigration(file, code, { dialect, config });
    if (!('migration' in r)) throw new Error(`${file} not read: ${JSON.stringify(r)}`);
    migrations.push(r.migration);
  }
  const target = opts.version ? { dialect, version: parseVersion(opts.version)! } : defaultTarget(dialect);
  const ordered = orderMigrations(migrations);
  const changed = new Set(ordered.slice(opts.base !== false ? 1 : 0).map((m) => m.id));
  const findings = lintMigrations(ordered, { target, rules: MIGRATION_RULES, config, changed });
  return opts.rule ? findings.filter((f) => f.rule === opts.rule) : findings;
}

/** mautic 5.x's Version20210217115150: a table named by another file's class constant, a preUp() guard (extra: code put before the class). */
export const mauticConstantMigration = (extra = ''): string => `<?php

declare(strict_types=1);

namespace Mautic\\Migrations;

use Doctrine\\DBAL\\Schema\\Schema;
use Doctrine\\DBAL\\Types\\Types;
use Doctrine\\Migrations\\Exception\\SkipMigration;
use Mautic\\CampaignBundle\\Entity\\Campaign;
use Mautic\\CoreBundle\\Doctrine\\AbstractMauticMigration;
${extra}
final class Version20210217115150 extends AbstractMauticMigration
{
  public function preUp(Schema $schema): void
  {
      if ($schema->getTable($this->getPrefixedTableName(Campaign::TABLE_NAME))->hasColumn('deleted')) {
          throw new SkipMigration('Deleted column already added in tables');
      }
  }

  public function up(Schema $schema): void
  {
      $schema->getTable($this->getPrefixedTableName(Campaign::TABLE_NAME))
          ->addColumn('deleted', Types::DATETIME_MUTABLE, ['notnull' => false]);
  }
}
`;
