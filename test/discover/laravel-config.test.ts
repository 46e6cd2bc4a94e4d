import { describe, expect, it } from 'vitest';
import { detectLaravelTarget } from '../../src/discover/laravel-config.js';
import { tempTree } from '../helpers.js';

describe('Laravel target from .env', () => {
  it('reads DB_CONNECTION as phpdotenv does: export, quotes, comments, spaces around =', () => {
    for (const line of ['DB_CONNECTION=pgsql', 'export DB_CONNECTION="pgsql" # production', "  DB_CONNECTION = 'pgsql'", 'DB_CONNECTION=pgsql#comment']) {
      const root = tempTree({ artisan: '', '.env': `APP_NAME=Shop\n${line}\n` });
      expect(detectLaravelTarget(root), line).toEqual({ dialect: 'postgres', connection: 'pgsql', source: 'DB_CONNECTION=pgsql in .env', root });
    }
  });

  it('the last assignment wins, ${VAR} expands, an empty value falls through to .env.example', () => {
    const twice = tempTree({ artisan: '', '.env': 'DB_CONNECTION=mysql\nDB_CONNECTION=pgsql\n' });
    expect(detectLaravelTarget(twice)).toMatchObject({ dialect: 'postgres', connection: 'pgsql' });
    const expanded = tempTree({ artisan: '', '.env': 'DB_DRIVER=mariadb\nDB_CONNECTION=${DB_DRIVER}\n' });
    expect(detectLaravelTarget(expanded)).toMatchObject({ dialect: 'mariadb', source: 'DB_CONNECTION=mariadb in .env' });
    const empty = tempTree({ artisan: '', '.env': 'DB_CONNECTION=\n', '.env.example': 'DB_CONNECTION=mysql\n' });
    expect(detectLaravelTarget(empty)).toMatchObject({ dialect: 'mysql', source: 'DB_CONNECTION=mysql in .env.example' });
  });

  it('a DB_CONNECTION line phpdotenv refuses is not read; the config default is used', () => {
    const root = tempTree({ artisan: '', '.env': 'DB_CONNECTION=pg sql\n', 'config/database.php': "<?php return ['default' => env('DB_CONNECTION', 'mysql'), 'connections' => ['mysql' => ['driver' => 'mysql']]];\n" });
    expect(detectLaravelTarget(root)).toMatchObject({ dialect: 'mysql', source: "the default connection 'mysql' in config/database.php" });
  });
});
