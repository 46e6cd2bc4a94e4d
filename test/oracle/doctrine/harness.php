<?php
/*
 * Oracle for zdd's Doctrine reader: real Doctrine DBAL (Debian's php-doctrine-dbal 3.6) prints the
 * SQL for each fixture's Schema-API calls, the way Doctrine Migrations does it: the schema before
 * the migration is built here in code, up() changes a clone, and the platform prints
 * getAlterSchemaSQL(compareSchemas(before, after)). No database is needed.
 *
 * Usage: php harness.php <fixture.php>...   Prints one JSON object:
 *   { "base": { "mysql": [sql…], "postgres": [sql…] }, "fixtures": { "<Class>": { "mysql": [sql…], "postgres": [sql…] } } }
 */

declare(strict_types=1);

namespace Doctrine\Migrations {
    // Doctrine Migrations itself is not packaged in Debian: this stands in for the part of
    // AbstractMigration the fixtures use. Schema-API fixtures queue no SQL of their own.
    if (!class_exists(AbstractMigration::class)) {
        abstract class AbstractMigration
        {
            /** @var object */
            protected $connection;
            /** @var \Doctrine\DBAL\Platforms\AbstractPlatform */
            protected $platform;
            /** @var list<string> */
            public array $queued = [];

            public function __construct(object $connection)
            {
                $this->connection = $connection;
                $this->platform = $connection->getDatabasePlatform();
            }

            abstract public function up(\Doctrine\DBAL\Schema\Schema $schema): void;

            public function isTransactional(): bool
            {
                return true;
            }

            protected function addSql(string $sql, array $params = [], array $types = []): void
            {
                $this->queued[] = $sql;
            }

            protected function abortIf(bool $condition, string $message = ''): void
            {
                if ($condition) {
                    throw new \RuntimeException('abort: ' . $message);
                }
            }

            protected function skipIf(bool $condition, string $message = ''): void
            {
                if ($condition) {
                    throw new \RuntimeException('skip: ' . $message);
                }
            }

            protected function write(string $message): void
            {
            }
        }
    }
}

namespace ZddOracle {
    require_once '/usr/share/php/Doctrine/DBAL/autoload.php';

    use Doctrine\DBAL\Platforms\AbstractPlatform;
    use Doctrine\DBAL\Platforms\MySQL80Platform;
    use Doctrine\DBAL\Platforms\PostgreSQL100Platform;
    use Doctrine\DBAL\Schema\Comparator;
    use Doctrine\DBAL\Schema\Schema;
    use Doctrine\DBAL\Types\Types;

    /** The connection a migration sees: only its platform matters here. */
    final class FakeConnection
    {
        public function __construct(private AbstractPlatform $platform)
        {
        }

        public function getDatabasePlatform(): AbstractPlatform
        {
            return $this->platform;
        }
    }

    /** The live schema before every fixture (tables in name order, as introspection returns them). */
    function baseSchema(): Schema
    {
        $schema = new Schema();

        $orders = $schema->createTable('orders');
        $orders->addColumn('id', Types::INTEGER, ['autoincrement' => true]);
        $orders->addColumn('user_id', Types::INTEGER);
        $orders->addColumn('total', Types::DECIMAL, ['precision' => 10, 'scale' => 2]);
        $orders->addColumn('status', Types::STRING, ['length' => 20, 'default' => 'new']);
        $orders->addColumn('note', Types::TEXT, ['notnull' => false]);
        $orders->addColumn('legacy_code', Types::STRING, ['length' => 32, 'notnull' => false]);
        $orders->setPrimaryKey(['id']);
        $orders->addIndex(['user_id'], 'idx_orders_user');
        $orders->addIndex(['status'], 'idx_orders_status');
        $orders->addForeignKeyConstraint('users', ['user_id'], ['id'], [], 'fk_orders_user');

        $teams = $schema->createTable('teams');
        $teams->addColumn('id', Types::INTEGER, ['autoincrement' => true]);
        $teams->addColumn('name', Types::STRING, ['length' => 255]);
        $teams->setPrimaryKey(['id']);

        $users = $schema->createTable('users');
        $users->addColumn('id', Types::INTEGER, ['autoincrement' => true]);
        $users->addColumn('email', Types::STRING, ['length' => 180]);
        $users->addColumn('name', Types::STRING, ['length' => 100, 'notnull' => false]);
        $users->addColumn('age', Types::INTEGER, ['notnull' => false]);
        $users->addColumn('team_id', Types::INTEGER, ['notnull' => false]);
        $users->addColumn('legacy_id', Types::INTEGER, ['notnull' => false]);
        $users->setPrimaryKey(['id']);
        $users->addIndex(['team_id'], 'idx_users_team');

        $log = $schema->createTable('visits');
        $log->addColumn('id', Types::BIGINT);
        $log->addColumn('path', Types::STRING, ['length' => 255]);

        return $schema;
    }

    $platforms = ['mysql' => new MySQL80Platform(), 'postgres' => new PostgreSQL100Platform()];
    $out = ['base' => [], 'fixtures' => []];
    foreach ($platforms as $key => $platform) {
        $out['base'][$key] = baseSchema()->toSql($platform);
    }

    foreach (array_slice($argv, 1) as $file) {
        require_once $file;
        $class = 'ZddOracleFixtures\\' . basename($file, '.php');
        foreach ($platforms as $key => $platform) {
            $from = baseSchema();
            $to = clone $from;
            $migration = new $class(new FakeConnection($platform));
            $migration->up($to);
            $sql = $platform->getAlterSchemaSQL((new Comparator($platform))->compareSchemas($from, $to));
            $out['fixtures'][basename($file, '.php')][$key] = array_merge($migration->queued, $sql);
        }
    }

    echo json_encode($out, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES), "\n";
}
