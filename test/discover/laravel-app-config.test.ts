import { describe, expect, it } from 'vitest';
import { LaravelAppConfig } from '../../src/discover/laravel-app-config.js';
import { evalString, literal } from '../../src/php/ast.js';
import { tempTree } from '../helpers.js';

const PERMISSION = `<?php
return [
    'models' => ['role' => Spatie\\Permission\\Models\\Role::class],
    'table_names' => [
        'roles' => 'roles',
        'permissions' => env('PERMISSION_TABLE', 'acl_permissions'),
        'model_has_roles' => env('NO_DEFAULT'),
    ],
    'column_names' => ['model_morph_key' => 'model_id'],
    'teams' => false,
    'list' => ['first', 'second'],
];
`;

describe('LaravelAppConfig (config/*.php read statically)', () => {
  const config = new LaravelAppConfig((name) => (name === 'permission' ? PERMISSION : undefined));
  const str = (key: string) => {
    const n = config.get(key);
    if (!n) return undefined;
    const v = evalString(n);
    return 'value' in v ? v.value : literal(n);
  };

  it('follows dotted keys into nested arrays; env() counts as its default', () => {
    expect(str('permission.table_names.roles')).toBe('roles');
    expect(str('permission.table_names.permissions')).toBe('acl_permissions');
    expect(str('permission.column_names.model_morph_key')).toBe('model_id');
    expect(str('permission.teams')).toBe(false);
    expect(str('permission.list.1')).toBe('second');
    expect(config.get('permission.table_names')?.kind).toBe('array');
  });

  it('says nothing where the config does not: missing keys, env() without a default, missing files, a class constant', () => {
    expect(config.get('permission.table_names.missing')).toBeUndefined();
    expect(config.get('permission.table_names.model_has_roles')).toBeUndefined();
    expect(config.get('permission.teams.deeper')).toBeUndefined();
    expect(config.get('activitylog.table_name')).toBeUndefined();
    expect(str('permission.models.role')).toBeUndefined();
  });

  it('reads an app on disk; a config file that does not parse says nothing', () => {
    const root = tempTree({ 'config/webpush.php': "<?php return ['table_name' => env('WEBPUSH_TABLE', 'push_subscriptions')];", 'config/broken.php': "<?php return ['x' => " });
    const disk = LaravelAppConfig.fromRoot(root);
    expect(evalString(disk.get('webpush.table_name')!)).toMatchObject({ value: 'push_subscriptions' });
    expect(disk.get('broken.x')).toBeUndefined();
    // said under --verbose
    expect([...disk.unparsed.keys()]).toEqual(['config/broken.php']);
    expect(disk.get('../etc.x')).toBeUndefined();
  });
});
