import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

/**
 * The README's zdd-plan walkthrough shows real output: every `$ zdd …` command in it runs here, in a
 * copy of the sample app, and its block must match — line for line, `…` standing for lines left out.
 */

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('### Walkthrough: renaming a column'), readme.indexOf('### Formats'));
const blocks = [...section.matchAll(/```\n([\s\S]*?)```/g)].map((m) => m[1]!.replace(/\n$/, '').split('\n'));

function run(line: string, cwd: string): string {
  const [cmd, ...args] = line.replace(/ > \S+$/, '').split(' ');
  const bin = cmd === 'zdd' ? 'zdd.js' : 'zdd-plan.js';
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', bin), ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8' });
  return r.stdout;
}

/** `expected` lines, in order, in `actual`; a `…` line skips any number of lines. */
function matches(expected: string[], actual: string[]): void {
  let i = 0;
  let skipping = false;
  for (const line of expected) {
    if (line === '…') {
      skipping = true;
      continue;
    }
    if (skipping) {
      const at = actual.indexOf(line, i);
      expect(at, `README line not in the output: ${line}`).toBeGreaterThanOrEqual(0);
      i = at + 1;
      skipping = false;
    } else {
      expect(actual[i]).toBe(line);
      i++;
    }
  }
  if (!skipping) expect(actual.slice(i)).toEqual([]);
}

describe('README zdd-plan from two release directories', () => {
  it('shows the real output, run on the bundled release fixture', () => {
    const part = readme.slice(readme.indexOf('### Planning a release: from git, or from two release directories'), readme.indexOf('### Walkthrough: renaming a column'));
    const block = [...part.matchAll(/```\n([\s\S]*?)```/g)].map((m) => m[1]!.replace(/\n$/, '').split('\n')).find((b) => b[0]!.startsWith('$ '))!;
    const srv = mkdtempSync(join(tmpdir(), 'zdd-readme-srv-'));
    cpSync(join(ROOT, 'fixtures/releases/laravel/v1'), join(srv, 'releases/1'), { recursive: true });
    cpSync(join(ROOT, 'fixtures/releases/laravel/v1'), join(srv, 'releases/2'), { recursive: true });
    cpSync(join(ROOT, 'fixtures/releases/laravel/v2'), join(srv, 'releases/2'), { recursive: true });
    const out = run(block[0]!.slice(2), srv);
    matches(block.slice(1), out.replace(/\n$/, '').split('\n'));
  });
});

describe('README zdd-plan walkthrough', () => {
  it('shows the real output of every command, run in the sample app', () => {
    const app = mkdtempSync(join(tmpdir(), 'zdd-readme-'));
    cpSync(join(ROOT, 'fixtures/laravel/rename-column'), app, { recursive: true });
    let checked = 0;
    let script = '';
    for (const block of blocks) {
      if (!block[0]!.startsWith('$ ')) continue;
      const commands = block.filter((l) => l.startsWith('$ '));
      const output = block.filter((l) => !l.startsWith('$ '));
      let out = '';
      for (const c of commands) {
        const line = c.slice(2);
        if (line.startsWith('cd ') || line.startsWith('bash ')) continue;
        out = run(line, app);
        if (line.includes('--format sh')) script = out;
      }
      if (output.length) {
        matches(output, out.replace(/\n$/, '').split('\n'));
        checked++;
      }
    }
    expect(checked).toBe(3);
    // the excerpt of the deploy script is a piece of the script, as written
    const excerpt = blocks.find((b) => b[0] === 'zdd_log "cache warm-up"')!.join('\n');
    expect(script).toContain(excerpt);
  });
});
