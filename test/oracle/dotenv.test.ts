import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dotenvValues, parseDotenv } from '../../src/util/dotenv.js';

/**
 * Oracle: src/util/dotenv.ts reads .env files as Laravel's loader does (Debian's php-vlucas-phpdotenv,
 * `Dotenv::parse`): the same values for files it accepts, no value for the line of a file it refuses.
 */

const AUTOLOAD = '/usr/share/php/Dotenv/autoload.php';
const hasDotenv = spawnSync('php', ['--version']).status === 0 && existsSync(AUTOLOAD);

const FILES = [
  'A=1\nB=two\n',
  '# comment\n\nexport APP=1\n  B = 2  \n\texport\tTAB=3\n',
  'A=bar#baz\nB=bar # c\nC=#c\nD=\n',
  'A="x y"\nB=\'x y\'\nC="a\\"b"\nD="a\\\\b"\nE="tab\\there"\nF="nl\\nhere"\nG="dollar\\$x"\n',
  'A="line1\nline2"\nB=after\n',
  'A="one\n\\"two\\"\nthree"\nB=2\n',
  'HOST=db\nURL=mysql://${HOST}:3306\nQ="${HOST}"\nS=\'${HOST}\'\nP=$HOST\nU=${UNSET}\n',
  'A=1\nA=2\nB=${A}\n',
  '"QUOTED"=1\n\'SINGLE\'=2\nDOT.NAME=3\n9START=4\n',
  'A="quoted" # comment\nB=\'x\'   \n',
  'A=url?x=1&y=2\nB=a=b\n',
  'A=one two\n',
  'A="bad \\q"\n',
  'A="x"y\n',
  'A=\'open\n',
  'bad name=1\n',
  'export A=1\n', // phpdotenv strips `export ` only from names longer than 8 characters with it
];

/** A file it refuses is one line here, so "no value where it refuses" is "no value at all". */

describe.skipIf(!hasDotenv)('.env oracle: zdd reads what vlucas/phpdotenv loads', () => {
  it('same values for the files it accepts, no value where it refuses', () => {
    const php = `require '${AUTOLOAD}'; $out = [];
      foreach (json_decode($argv[1], true) as $f) { try { $out[] = Dotenv\\Dotenv::parse($f); } catch (Throwable $e) { $out[] = null; } }
      echo json_encode($out);`;
    const expected = JSON.parse(execFileSync('php', ['-r', php, JSON.stringify(FILES)], { encoding: 'utf8' })) as Array<Record<string, string | null> | null>;
    expect(expected.filter((e) => e === null)).toHaveLength(6);
    FILES.forEach((file, i) => {
      const ours = Object.fromEntries(dotenvValues(parseDotenv(file, { syntax: 'phpdotenv' })));
      const theirs = expected[i];
      if (theirs === null || Array.isArray(theirs)) expect(ours, file).toEqual({});
      else expect(ours, file).toEqual(theirs);
    });
  });
});
