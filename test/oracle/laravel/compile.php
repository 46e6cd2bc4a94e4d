<?php
// Oracle harness: real Laravel (Debian's php-laravel-framework, Laravel 8) compiles a migration's
// up() to SQL for a driver without a database, in "pretend" mode (as `migrate --pretend` does).
// Usage: php compile.php <mysql|pgsql> <migration.php>  → JSON array of SQL statements on stdout.
// Laravel 8's renameColumn() and ->change() read the live table through Doctrine DBAL, so the
// fixtures avoid them; zdd's reading of those follows current Laravel (see test/readers/laravel.test.ts).

require '/usr/share/php/Illuminate/autoload.php';

use Illuminate\Container\Container;
use Illuminate\Database\Capsule\Manager as Capsule;
use Illuminate\Support\Facades\Facade;

[$script, $driver, $file] = $argv;
$capsule = new Capsule();
$capsule->addConnection(['driver' => $driver, 'host' => '127.0.0.1', 'database' => 'app', 'username' => 'app', 'password' => 'app', 'prefix' => '']);
$capsule->setAsGlobal();
$app = new Container();
$app->instance('db', $capsule->getDatabaseManager());
$app->bind('db.schema', fn () => $capsule->getConnection()->getSchemaBuilder());
Facade::setFacadeApplication($app);

$connection = $capsule->getConnection();
$migration = require $file;
$queries = $connection->pretend(function () use ($migration) {
    $migration->up();
});
echo json_encode(array_map(fn ($q) => $q['query'], $queries), JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES), "\n";
