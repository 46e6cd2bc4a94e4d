import { describe, expect, it } from 'vitest';
import { doctorOn } from '../helpers.js';

const SITE = (php: string): string => `server {
    listen 80;
    server_name shop.example.com;
    root /var/www/shop/current/public;
    index index.php;

    location / {
        try_files $uri $uri/ /index.php?$query_string;
    }

    location ~ \\.php$ {
${php}
    }
}
`;

describe('nginx-document-root', () => {
  it('fires on $document_root from the stock snippet on a symlinked root', async () => {
    const { findings } = await doctorOn({ 'deploy/nginx/shop.conf': SITE('        include snippets/fastcgi-php.conf;\n        fastcgi_pass unix:/run/php/php8.2-fpm.sock;') }, { rule: 'nginx-document-root' });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'error', location: { file: 'deploy/nginx/shop.conf', line: 12, col: 9 }, target: { subject: 'nginx' } });
    expect(findings[0]!.message).toContain('SCRIPT_FILENAME is $document_root$fastcgi_script_name (from include snippets/fastcgi-php.conf)');
    expect(findings[0]!.message).toContain('100 % of responses stayed on the old release');
    expect(findings[0]!.message).toContain('No deploy script here reloads php-fpm');
    expect(findings[0]!.fix.split('\n').slice(1)).toEqual(['fastcgi_param SCRIPT_FILENAME $realpath_root$fastcgi_script_name;', 'fastcgi_param DOCUMENT_ROOT $realpath_root;']);
  });

  it('fires on an explicit param, names opcache.validate_timestamps=0, and reads project include files', async () => {
    const { findings } = await doctorOn(
      {
        'nginx/site.conf': SITE('        include /etc/nginx/php-params.conf;\n        fastcgi_pass php:9000;'),
        'nginx/php-params.conf': 'fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;\nfastcgi_param QUERY_STRING $query_string;\n',
        'docker/php-fpm.d/www.conf': '[www]\npm = static\nphp_admin_value[opcache.validate_timestamps] = 0\n',
        'deploy.sh': 'sudo systemctl reload php8.2-fpm\n',
      },
      { rule: 'nginx-document-root' },
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]!.location.line).toBe(12);
    expect(findings[0]!.message).toContain('(from include /etc/nginx/php-params.conf)');
    expect(findings[0]!.message).toContain('docker/php-fpm.d/www.conf:3 sets opcache.validate_timestamps=0');
    expect(findings[0]!.message).not.toContain('No deploy script here reloads php-fpm');
  });

  it('stays quiet with $realpath_root after the include, and on a root that is not symlinked', async () => {
    const fixed = await doctorOn(
      { 'deploy/nginx/shop.conf': SITE('        include fastcgi.conf;\n        fastcgi_param SCRIPT_FILENAME $realpath_root$fastcgi_script_name;\n        fastcgi_param DOCUMENT_ROOT $realpath_root;\n        fastcgi_pass unix:/run/php/php8.2-fpm.sock;') },
      { rule: 'nginx-document-root' },
    );
    expect(fixed.findings).toEqual([]);
    const plain = await doctorOn({ 'nginx.conf': SITE('        include fastcgi.conf;\n        fastcgi_pass 127.0.0.1:9000;').replace('/var/www/shop/current/public', '/var/www/html') }, { rule: 'nginx-document-root' });
    expect(plain.findings).toEqual([]);
  });
});

describe('nginx-document-root: $request_filename', () => {
  it('fires on SCRIPT_FILENAME $request_filename (root + uri, through the symlink)', async () => {
    const { findings } = await doctorOn(
      { 'nginx/app.conf': 'server {\n  root /srv/app/current/public;\n  location ~ \\.php$ {\n    fastcgi_param SCRIPT_FILENAME $request_filename;\n    fastcgi_pass 127.0.0.1:9000;\n  }\n}\n' },
      { rule: 'nginx-document-root' },
    );
    expect(findings.map((f) => f.location.line)).toEqual([4]);
  });
});
