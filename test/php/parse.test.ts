import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parsePhp } from '../../src/php/ast.js';

const hasPhp = spawnSync('php', ['--version']).status === 0;

/** Files PHP refuses and accepts, to compare with `php -l` (when php-cli is there). */
const CASES: Array<{ code: string; ok: boolean; line?: number }> = [
  // the commonest slip in an anonymous migration: no `;` after the class
  { code: '<?php\nreturn new class extends Migration {\n    public function up() {}\n}\n', ok: false, line: 4 },
  { code: '<?php\nreturn new class extends Migration {\n    public function up() {}\n};\n', ok: true },
  { code: '<?php\nnamespace App;\n$a = 1\n', ok: false, line: 3 },
  { code: "<?php\nreturn ['a' => 1]\n?>\n", ok: true },
  { code: '<?php\nclass A {}\n', ok: true },
  { code: '<?php\nnamespace App {\n    class A {}\n}\n', ok: true },
  { code: '<?php\nfunction f() { return 1; }\n', ok: true },
  { code: '<?php\n$a = 1;\n// the end\n', ok: true },
  { code: '<?php\nreturn 1 // c\n?>\n', ok: true },
  { code: '<?php\nreturn 1 /* c */ ?>\n', ok: true },
];

describe('parsePhp', () => {
  it('refuses a last statement without its `;` (php-parser accepts it, PHP does not)', () => {
    for (const c of CASES) {
      const r = parsePhp(c.code, 'x.php');
      if (c.ok) expect('ast' in r, c.code).toBe(true);
      else expect(r, c.code).toEqual({ error: { message: 'syntax error, unexpected end of file, expecting ";"', line: c.line, col: 1 } });
    }
  });

  it.skipIf(!hasPhp)('agrees with php -l on those files', () => {
    for (const c of CASES) {
      const lint = spawnSync('php', ['-l'], { input: c.code, encoding: 'utf8' });
      expect(lint.status === 0, c.code).toBe(c.ok);
    }
  });
});
