import { describe, expect, it } from 'vitest';
import { doctorOn } from '../helpers.js';

describe('non-atomic-swap', () => {
  it('warns on ln -sfn with the atomic form as the fix', async () => {
    const { findings } = await doctorOn({ 'scripts/release.sh': '#!/bin/bash\nAPP=/srv/app\nln -sfn "$APP/releases/$1" "$APP/current"\n' }, { rule: 'non-atomic-swap' });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'warning', location: { file: 'scripts/release.sh', line: 3, col: 1 }, target: { subject: 'current symlink' } });
    expect(findings[0]!.message).toContain('101 × 404 over 902 swaps');
    expect(findings[0]!.fix.split('\n')[1]).toBe('ln -sfn "$APP/releases/$1" "$APP/current.tmp" && mv -T "$APP/current.tmp" "$APP/current"');
  });

  it('is an error for rm + ln and for mv without -T (Envoy task)', async () => {
    const { findings } = await doctorOn(
      {
        'Envoy.blade.php': `@servers(['web' => 'deploy@web1'])
@setup
    $app = '/var/www/app';
@endsetup
@task('activate', ['on' => 'web'])
    rm -f {{ $app }}/current
    ln -s {{ $app }}/releases/{{ $release }} {{ $app }}/current
@endtask
@task('activate2', ['on' => 'web'])
    ln -s {{ $app }}/releases/{{ $release }} {{ $app }}/current.new
    mv {{ $app }}/current.new {{ $app }}/current
@endtask
`,
      },
      { rule: 'non-atomic-swap' },
    );
    expect(findings.map((f) => [f.location.line, f.severity])).toEqual([
      [6, 'error'],
      [11, 'error'],
    ]);
    expect(findings[0]!.message).toContain('removes /var/www/app/current');
    expect(findings[1]!.message).toContain('renames without -T');
  });

  it('stays quiet on ln -s tmp + mv -T and on Deployer deploy:symlink', async () => {
    const { findings } = await doctorOn(
      {
        'deploy.sh': '#!/bin/bash\nln -sfn "$RELEASE" /var/www/app/current.tmp\nmv -T /var/www/app/current.tmp /var/www/app/current\n',
        'deploy.php': "<?php\nnamespace Deployer;\nrequire 'recipe/laravel.php';\n",
      },
      { rule: 'non-atomic-swap' },
    );
    expect(findings).toEqual([]);
  });
});

describe('non-atomic-swap: rm of the live link, whatever its name', () => {
  it('is an error when the link is removed right before it is created again', async () => {
    const { findings } = await doctorOn(
      {
        'Envoy.blade.php': "@servers(['web' => 'deploy@web1'])\n@story('deploy')\n    update_symlinks\n@endstory\n@task('update_symlinks')\n    rm -rf /srv/shop/app\n    ln -s /srv/shop/releases/42 /srv/shop/app\n@endtask\n",
      },
      { rule: 'non-atomic-swap' },
    );
    expect(findings.map((f) => [f.location.line, f.severity])).toEqual([[6, 'error']]);
    expect(findings[0]!.fix.split('\n')[1]).toBe('ln -sfn /srv/shop/releases/42 /srv/shop/app.tmp && mv -T /srv/shop/app.tmp /srv/shop/app');
  });
});
