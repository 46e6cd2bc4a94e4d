import { describe, expect, it } from 'vitest';
import { doctorOn } from '../helpers.js';

const POOL = '[www]\nuser = www-data\nlisten = /run/php/php8.2-fpm.sock\npm = dynamic\npm.max_children = 10\n';

describe('fpm-process-control-timeout', () => {
  it('fires on an explicit 0 in php-fpm.conf', async () => {
    const { findings } = await doctorOn({ 'docker/php-fpm.conf': '[global]\nerror_log = /proc/self/fd/2\nprocess_control_timeout = 0\n' }, { rule: 'fpm-process-control-timeout' });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'error', location: { file: 'docker/php-fpm.conf', line: 3, col: 1 }, target: { subject: 'php-fpm' } });
    expect(findings[0]!.message).toContain('6 × 502 of 150');
    expect(findings[0]!.fix.split('\n')[1]).toBe('process_control_timeout = 10s');
  });

  it('fires on a pool file when nothing sets it, with the [global] section in the fix', async () => {
    const { findings } = await doctorOn({ 'deploy/php-fpm/www.conf': `; pool\n${POOL}` }, { rule: 'fpm-process-control-timeout' });
    expect(findings).toHaveLength(1);
    expect(findings[0]!.location).toEqual({ file: 'deploy/php-fpm/www.conf', line: 2, col: 1 });
    expect(findings[0]!.fix.split('\n').slice(1)).toEqual(['[global]', 'process_control_timeout = 10s']);
  });

  it('stays quiet when [global] sets it, and on a php.ini', async () => {
    const { findings } = await doctorOn(
      {
        'deploy/php-fpm/www.conf': POOL,
        'deploy/php-fpm/php-fpm.conf': '[global]\nprocess_control_timeout = 10s\ninclude=/etc/php/8.2/fpm/pool.d/*.conf\n',
        'docker/php/php.ini': '[opcache]\nopcache.enable=1\n',
      },
      { rule: 'fpm-process-control-timeout' },
    );
    expect(findings).toEqual([]);
  });
});
