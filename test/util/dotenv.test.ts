import { describe, expect, it } from 'vitest';
import { dotenvValues, parseDotenv, type DotenvSyntax } from '../../src/util/dotenv.js';

const values = (text: string, syntax: DotenvSyntax, env?: Map<string, string>): Record<string, string> => Object.fromEntries(dotenvValues(parseDotenv(text, { syntax, ...(env ? { env } : {}) })));

describe('.env as vlucas/phpdotenv (Laravel) reads it', () => {
  it('keeps the line and column of each key: export, indentation, multi-line values', () => {
    const entries = parseDotenv('# c\nexport APP_NAME="My Shop"\n  SESSION_DRIVER=file # local\nKEY=\'a # b\'\nCERT="line1\nline2"\nEMPTY=\nexport port=5432\n', { syntax: 'phpdotenv' });
    expect(entries.map((e) => [e.key, e.value, e.line, e.col])).toEqual([
      ['APP_NAME', 'My Shop', 2, 8],
      ['SESSION_DRIVER', 'file', 3, 3],
      ['KEY', 'a # b', 4, 1],
      ['CERT', 'line1\nline2', 5, 1],
      ['EMPTY', '', 7, 1],
      ['port', '5432', 8, 8],
    ]);
  });

  it('quotes, escapes, comments, spaces around =', () => {
    expect(values('A = spaced\nB=bar#baz\nC="x \\"q\\" \\\\ \\t"\nD=\'lit \\n $x\'\nE="a" # c\n"F"=quoted-name\nG=#only a comment\n', 'phpdotenv')).toEqual({
      A: 'spaced',
      B: 'bar',
      C: 'x "q" \\ \t',
      D: 'lit \\n $x',
      E: 'a',
      F: 'quoted-name',
      G: '',
    });
  });

  it('${NAME} expands from earlier lines and earlier files, not in single quotes; $NAME and unknown names stay', () => {
    const env = new Map([['APP_ENV', 'production']]);
    expect(values('HOST=db\nURL=mysql://${HOST}/${APP_ENV}\nQ="${HOST}-x"\nS=\'${HOST}\'\nP=$HOST\nU=${NOPE}\nE="\\${HOST}"\n', 'phpdotenv', env)).toEqual({
      HOST: 'db',
      URL: 'mysql://db/production',
      Q: 'db-x',
      S: '${HOST}',
      P: '$HOST',
      U: '${NOPE}',
      E: '${HOST}',
    });
  });

  it('a line phpdotenv refuses gives no value; the others are read; the last assignment wins', () => {
    expect(values('A=one two\nB="\\q"\nC=\'open\nD=ok\nD=again\nnot a line\n', 'phpdotenv')).toEqual({ D: 'again' });
  });
});

describe('.env as symfony/dotenv reads it', () => {
  it('keeps the line and column of each key; quoted parts span lines and concatenate', () => {
    const entries = parseDotenv("# c\nexport DATABASE_URL=\"mysql://db\"\nA='x\ny'\"z\"w\nB=2 # comment\n", { syntax: 'symfony' });
    expect(entries.map((e) => [e.key, e.value, e.line, e.col])).toEqual([
      ['DATABASE_URL', 'mysql://db', 2, 8],
      ['A', 'x\nyzw', 3, 1],
      ['B', '2', 5, 1],
    ]);
  });

  it('# starts a comment only after a space; escapes; refused lines give no value', () => {
    expect(values('A=bar#baz\nB="q\\"x\\ny"\nC=\\"raw\\"\nD=one two\nE = spaced\nF=ok\n', 'symfony')).toEqual({ A: 'bar#baz', B: 'q"x\ny', C: '"raw"', F: 'ok' });
  });

  it('$NAME, ${NAME}, defaults, escapes; unset names are empty; $(command) is kept', () => {
    const env = new Map([['APP_SECRET', 's3']]);
    expect(values('HOST=db\nA=$HOST:${HOST}\nB=${PORT:-3306}\nC=${PORT:=5432}\nD=$PORT\nE=\\$HOST\nF=\'$HOST\'\nG=x${NOPE}y\nH=$APP_SECRET\nI=$(whoami)\n', 'symfony', env)).toEqual({
      HOST: 'db',
      A: 'db:db',
      B: '3306',
      C: '5432',
      D: '5432',
      E: '$HOST',
      F: '$HOST',
      G: 'xy',
      H: 's3',
      I: '$(whoami)',
    });
  });
});
