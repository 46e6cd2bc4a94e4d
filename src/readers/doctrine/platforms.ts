import type { Dialect } from '../../ir/types.js';

/**
 * Platform guards in Doctrine migrations, as sets of platforms. zdd knows MySQL, MariaDB and
 * PostgreSQL; SQLite and "other" (SQL Server, Oracle, DB2) exist so that a branch for them is known
 * not to run on zdd's targets.
 */
export type Platform = 'mysql' | 'mariadb' | 'postgres' | 'sqlite' | 'other';

export const BIT: Record<Platform, number> = { mysql: 1, mariadb: 2, postgres: 4, sqlite: 8, other: 16 };
export const ALL_PLATFORMS = 31;
const DIALECT_BITS: Array<[Dialect, number]> = [
  ['mysql', BIT.mysql],
  ['mariadb', BIT.mariadb],
  ['postgres', BIT.postgres],
];

/**
 * DBAL platform classes → the platforms an `instanceof` check accepts. DBAL 3's class tree:
 * MySQLPlatform extends AbstractMySQLPlatform; MySQL57Platform/MySQL80Platform extend MySQLPlatform;
 * MariaDBPlatform and MariaDb1027Platform extend MySQLPlatform too (in DBAL 4 they extend
 * AbstractMySQLPlatform instead, so `instanceof MySQLPlatform` no longer matches MariaDB there).
 * Source: doctrine/dbal 3.6 src/Platforms/*.php class declarations.
 */
const PLATFORM_CLASSES: Record<string, number> = {
  abstractplatform: ALL_PLATFORMS,
  abstractmysqlplatform: BIT.mysql | BIT.mariadb,
  mysqlplatform: BIT.mysql | BIT.mariadb,
  mysql57platform: BIT.mysql,
  mysql80platform: BIT.mysql,
  mysql84platform: BIT.mysql,
  mariadbplatform: BIT.mariadb,
  mariadb1027platform: BIT.mariadb,
  mariadb1043platform: BIT.mariadb,
  mariadb1052platform: BIT.mariadb,
  mariadb1060platform: BIT.mariadb,
  mariadb110700platform: BIT.mariadb,
  postgresqlplatform: BIT.postgres,
  postgresql94platform: BIT.postgres,
  postgresql100platform: BIT.postgres,
  postgresql120platform: BIT.postgres,
  sqliteplatform: BIT.sqlite,
  sqlserverplatform: BIT.other,
  sqlserver2012platform: BIT.other,
  oracleplatform: BIT.other,
  db2platform: BIT.other,
};

/** The platforms an `instanceof <class>` accepts, or undefined when the class is not a DBAL platform. */
export function platformClass(name: string): number | undefined {
  return PLATFORM_CLASSES[name.replace(/^.*\\/, '').toLowerCase()];
}

/** `$platform->getName()` values (DBAL 3 returns 'mysql' for MariaDB too). */
export function platformName(name: string): number {
  switch (name.toLowerCase()) {
    case 'mysql':
      return BIT.mysql | BIT.mariadb;
    case 'mariadb':
      return BIT.mariadb;
    case 'postgresql':
    case 'postgres':
    case 'pgsql':
      return BIT.postgres;
    case 'sqlite':
      return BIT.sqlite;
    default:
      return BIT.other;
  }
}

/** Driver names (`pdo_mysql`, `pdo_pgsql` …) and DATABASE_URL schemes. */
export function driverName(name: string): number {
  const n = name.toLowerCase();
  if (/mysql/.test(n)) return BIT.mysql | BIT.mariadb;
  if (/maria/.test(n)) return BIT.mariadb;
  if (/pgsql|postgres/.test(n)) return BIT.postgres;
  if (/sqlite/.test(n)) return BIT.sqlite;
  return BIT.other;
}

/** A migration base class named for one platform (Sylius' AbstractPostgreSQLMigration …). */
export function baseClassPlatforms(name: string): number {
  const n = name.toLowerCase();
  if (/postgre|pgsql/.test(n)) return BIT.postgres;
  if (/maria/.test(n)) return BIT.mariadb;
  if (/mysql/.test(n)) return BIT.mysql | BIT.mariadb;
  if (/sqlite/.test(n)) return BIT.sqlite;
  return ALL_PLATFORMS;
}

/** zdd dialects in a set; undefined when all three are in it. */
export function dialectsOf(set: number): Dialect[] | undefined {
  const out = DIALECT_BITS.filter(([, b]) => set & b).map(([d]) => d);
  return out.length === DIALECT_BITS.length ? undefined : out;
}

export function hasDialect(set: number, d: Dialect): boolean {
  return (set & BIT[d]) !== 0;
}

export function describeSet(set: number): string {
  const names = (Object.keys(BIT) as Platform[]).filter((p) => set & BIT[p]);
  return names.length ? names.join(', ') : 'no platform';
}
