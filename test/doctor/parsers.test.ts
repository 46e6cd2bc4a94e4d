import { describe, expect, it } from 'vitest';
import { parseDotenv } from '../../src/util/dotenv.js';
import { parseIni } from '../../src/doctor/parse/ini.js';
import { parseNginx } from '../../src/doctor/parse/nginx.js';
import { parseShell } from '../../src/doctor/parse/shell.js';
import { loadYaml, maskTemplates, parseYaml } from '../../src/doctor/parse/yaml.js';

describe('nginx parser', () => {
  it('reads directives, blocks, quoted strings with braces, comments and ${var}, with positions', () => {
    const r = parseNginx(`# site
server {
    listen 80; # comment { not a block
    add_header Content-Type "text/plain; charset={utf8}";
    set $x "\${host}";
    location ~ "^/(\\d{3})$" {
        return 200 "it's";
    }
    content_by_lua_block {
        ngx.say("}")
    }
}
`);
    if ('error' in r) throw new Error(r.error.message);
    const server = r.directives[0]!;
    expect(server).toMatchObject({ name: 'server', args: [], line: 2, col: 1 });
    expect(server.block!.map((d) => [d.name, d.args, d.line, d.col])).toEqual([
      ['listen', ['80'], 3, 5],
      ['add_header', ['Content-Type', 'text/plain; charset={utf8}'], 4, 5],
      ['set', ['$x', '${host}'], 5, 5],
      ['location', ['~', '^/(\\d{3})$'], 6, 5],
      ['content_by_lua_block', [], 9, 5],
    ]);
    expect(server.block![3]!.block![0]).toMatchObject({ name: 'return', args: ['200', "it's"], line: 7 });
  });

  it('reports syntax errors with a line', () => {
    expect(parseNginx('server {\n  listen 80;\n')).toEqual({ error: { message: 'unexpected end of file, expecting "}" (block opened on line 1)', line: 1, col: 8 } });
    expect(parseNginx('listen 80;\n}\n')).toEqual({ error: { message: 'unexpected "}"', line: 2, col: 1 } });
    expect(parseNginx('root /var/www\n')).toMatchObject({ error: { line: 1 } });
    expect(parseNginx('add_header X "unterminated;\n')).toMatchObject({ error: { message: 'unterminated double-quoted string', line: 1 } });
  });
});

describe('ini parser (php-fpm, php.ini)', () => {
  it('reads sections, bracketed keys, quotes and comments', () => {
    const r = parseIni('; c\n[global]\nerror_log = /var/log/fpm.log ; inline\n\n[www]\nphp_admin_value[opcache.validate_timestamps] = 0\nenv[APP_ENV] = "prod"\n# hash comment\n');
    expect(r).toEqual({
      sections: [
        { name: 'global', line: 2, entries: [{ key: 'error_log', value: '/var/log/fpm.log', line: 3, col: 1 }] },
        {
          name: 'www',
          line: 5,
          entries: [
            { key: 'php_admin_value[opcache.validate_timestamps]', value: '0', line: 6, col: 1 },
            { key: 'env[APP_ENV]', value: 'prod', line: 7, col: 1 },
          ],
        },
      ],
    });
  });

  it('refuses a line that is not key = value', () => {
    expect(parseIni('[www]\npm dynamic\n')).toEqual({ error: { message: 'expected "key = value" or "[section]", found "pm dynamic"', line: 2, col: 1 } });
  });

  it("reads supervisord's files in ConfigParser's syntax: key: value, continuation lines, quotes kept", () => {
    const conf = '[program:app]\ncommand=bash -c "php artisan migrate" ; why\n    --force\nuser: www-data\n';
    expect(parseIni(conf, 'configparser')).toEqual({
      sections: [{ name: 'program:app', line: 1, entries: [{ key: 'command', value: 'bash -c "php artisan migrate"\n--force', line: 2, col: 1 }, { key: 'user', value: 'www-data', line: 4, col: 1 }] }],
    });
    // the php flavour has neither
    expect('error' in parseIni(conf)).toBe(true);
  });
});

describe('dotenv parser', () => {
  it('reads export, quotes, multi-line values and inline comments', () => {
    const entries = parseDotenv('# c\nexport APP_NAME="My Shop"\nSESSION_DRIVER=file # local\nKEY=\'a # b\'\nCERT="line1\nline2"\nnot a line\nEMPTY=\n', { syntax: 'phpdotenv' });
    expect(entries.map((e) => [e.key, e.value, e.line, e.col])).toEqual([
      ['APP_NAME', 'My Shop', 2, 8],
      ['SESSION_DRIVER', 'file', 3, 1],
      ['KEY', 'a # b', 4, 1],
      ['CERT', 'line1\nline2', 5, 1],
      ['EMPTY', '', 8, 1],
    ]);
  });
});

describe('shell parser (mvdan-sh)', () => {
  it('lists commands in run order: functions inlined at the call, heredocs and comments are data', () => {
    const r = parseShell(`#!/bin/bash
APP=/var/www/app
swap() {
  mv -T "$APP/current.tmp" "$APP/current"
}
cat > /tmp/x <<END
systemctl restart php-fpm
END
# systemctl restart php-fpm
ln -s "$APP/releases/\${REL:-1}" "$APP/current.tmp" && swap
`);
    if ('error' in r) throw new Error(r.error.message);
    expect(r.commands.map((c) => [c.words.map((w) => w.value).join(' '), c.line, c.col, c.fn ?? ''])).toEqual([
      ['cat', 6, 1, ''],
      ['ln -s /var/www/app/releases/1 /var/www/app/current.tmp', 10, 1, ''],
      ['swap', 10, 55, ''],
      ['mv -T /var/www/app/current.tmp /var/www/app/current', 4, 3, 'swap'],
    ]);
  });

  it('does not substitute values only known at run time', () => {
    const r = parseShell('REL=$(date +%s)\nln -sfn /srv/releases/$REL /srv/current\nREL=fixed\necho $REL\n');
    if ('error' in r) throw new Error(r.error.message);
    expect(r.commands.map((c) => c.words.map((w) => w.value).join(' '))).toEqual(['date +%s', 'ln -sfn /srv/releases/$REL /srv/current', 'echo fixed']);
  });

  it('reads commands from every compound form, in order, with substitutions first', () => {
    const r = parseShell(
      [
        'export FPM=php8.2-fpm',
        'if [ -n "$X" ]; then a1; elif b0; then b1; else c1; fi',
        'while w0; do w1; done',
        'for h in $(hosts) web2; do f1 "$h"; done',
        'case "$ENV" in prod) p1 ;; *) p2 ;; esac',
        '( s1 ) && { g1; } || time t1',
        'echo `b1` <(ps1) $((1 + 2)) ${#X} "${FPM}" "é" ok',
        'declare -r Y=1; local Z; readonly W=$(w2)',
        'systemctl reload "$FPM"',
      ].join('\n'),
    );
    if ('error' in r) throw new Error(r.error.message);
    expect(r.commands.map((c) => c.words[0]!.value)).toEqual(['[', 'a1', 'b0', 'b1', 'c1', 'w0', 'w1', 'hosts', 'f1', 'p1', 'p2', 's1', 'g1', 't1', 'b1', 'ps1', 'echo', 'w2', 'systemctl']);
    const echo = r.commands.find((c) => c.words[0]!.value === 'echo')!;
    expect(echo.words.map((w) => w.value)).toEqual(['echo', '`b1`', '<(ps1)', '$((1 + 2))', '${#X}', 'php8.2-fpm', 'é', 'ok']);
    expect(echo.text).toBe('echo `b1` <(ps1) $((1 + 2)) ${#X} "${FPM}" "é" ok');
    expect(echo.words[7]).toMatchObject({ line: 7, col: 48 }); // characters, not bytes
    expect(r.commands[r.commands.length - 1]!.words[2]!.value).toBe('php8.2-fpm');
  });

  it('returns syntax errors with a position', () => {
    expect(parseShell('echo "unterminated\n')).toMatchObject({ error: { line: 1, col: 6 } });
  });
});

describe('yaml reader', () => {
  it('maps lines of a block scalar back to the file, and masks Helm template code', async () => {
    await loadYaml();
    const r = parseYaml('jobs:\n  deploy:\n    steps:\n      - run: |\n          echo one\n          echo two\n      - run: "echo three"\n');
    if ('error' in r) throw new Error(r.error.message);
    const steps = r.docs[0]!.get('jobs')!.get('deploy')!.get('steps')!.items();
    expect(steps[0]!.get('run')!.locator()(2, 1)).toEqual({ line: 6, col: 11 });
    expect(steps[1]!.get('run')!.locator()(1, 6)).toEqual({ line: 7, col: 20 });
    const helm = 'spec:\n  {{- if .Values.x }}\n  replicas: {{ .Values.n }}\n  {{- end }}\n';
    expect(maskTemplates(helm)).toBe(`spec:\n  #${' '.repeat(18)}\n  replicas: z${'_'.repeat(14)}\n  #${' '.repeat(9)}\n`);
    const parsed = parseYaml(helm, { templated: true });
    if ('error' in parsed) throw new Error(parsed.error.message);
    expect(parsed.docs[0]!.get('spec')!.get('replicas')!.line).toBe(3);
  });
});

describe('Dockerfile start command', () => {
  it('combines the final stage ENTRYPOINT and CMD as Docker does', async () => {
    const { readDockerfile } = await import('../../src/doctor/sources/dockerfile.js');
    const problems: Array<{ file: string; message: string; line?: number }> = [];
    const image = readDockerfile('Dockerfile', 'FROM node AS assets\nCMD ["npm", "run", "build"]\nFROM php:8.3-fpm\nENTRYPOINT ["/usr/local/bin/start.sh"]\nCMD ["php-fpm", "-F"]\n', { problems, packages: new Set() }).image;
    expect(image).toMatchObject({ loc: { file: 'Dockerfile', line: 4, col: 1 }, words: ['/usr/local/bin/start.sh', 'php-fpm', '-F'] });
    const shell = readDockerfile('Dockerfile', 'FROM php\nCMD php artisan migrate --force \\\n  && php-fpm\n', { problems, packages: new Set() }).image;
    expect(shell!.words).toEqual(['/bin/sh', '-c', 'php artisan migrate --force  && php-fpm']);
    expect(shell!.actions.map((a) => a.argv.join(' '))).toEqual(['php artisan migrate --force', 'php-fpm']);
    expect(readDockerfile('Dockerfile', 'FROM php\nCMD ["php-fpm",]\n', { problems, packages: new Set() }).image).toBeUndefined();
    expect(problems).toEqual([{ file: 'Dockerfile', line: 2, message: expect.stringContaining('cannot read CMD'), unparsed: 'part' }]);
  });

  it('lists what the final stage copies into init directories, as project paths from either build context', async () => {
    const { readDockerfile, hookCovers } = await import('../../src/doctor/sources/dockerfile.js');
    const read = readDockerfile('docker/app/Dockerfile', 'FROM php AS build\nCOPY x/ /etc/cont-init.d/\nFROM serversideup/php\nCOPY --chmod=755 s6/ /etc/s6-overlay/\nCOPY rootfs /\nCOPY a.sh /etc/\n', { problems: [], packages: new Set() });
    expect(read.image).toBeUndefined();
    expect(read.hooks.map((h) => `${h.loc.line} ${h.path} ${h.dir}`)).toEqual([
      '4 s6 /etc/s6-overlay',
      '4 docker/app/s6 /etc/s6-overlay',
      ...['/etc/s6-overlay', '/etc/cont-init.d', '/etc/services.d', '/etc/cont-finish.d', '/docker-entrypoint.d', '/docker-entrypoint-initdb.d', '/etc/entrypoint.d'].flatMap((d) => [`5 rootfs${d} ${d}`, `5 docker/app/rootfs${d} ${d}`]),
      // a.sh may be a directory as far as the Dockerfile says; as a file, a.sh/s6-overlay matches nothing
      ...['/etc/s6-overlay', '/etc/cont-init.d', '/etc/services.d', '/etc/cont-finish.d', '/etc/entrypoint.d'].flatMap((d) => [`6 a.sh${d.slice(4)} ${d}`, `6 docker/app/a.sh${d.slice(4)} ${d}`]),
    ]);
    expect(hookCovers(read.hooks[0]!, 's6/scripts/init.sh')).toBe(true);
    expect(hookCovers(read.hooks[0]!, 's6x/init.sh')).toBe(false);
    expect(hookCovers({ ...read.hooks[0]!, path: 'docker/*.sh' }, 'docker/init.sh')).toBe(true);
    expect(hookCovers({ ...read.hooks[0]!, path: 'docker/*.sh' }, 'docker/sub/init.sh')).toBe(false);
  });
});
