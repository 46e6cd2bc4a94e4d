import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultTarget } from '../../src/dialects/index.js';
import { deploySettings } from '../../src/emit/settings.js';
import { writeSplitMigrations } from '../../src/emit/write.js';
import type { Migration } from '../../src/ir/types.js';
import { prepareReaders, readMigration } from '../../src/readers/index.js';
import { DOCTRINE_BASE, lintDoctrine, migrationClass } from '../doctrine-helpers.js';
import { tempTree } from '../helpers.js';
import { plan } from '../plan-helpers.js';

/** `--write` for Doctrine: the split migrations zdd-plan writes pass zdd's own lint. */

const hasPhp = spawnSync('php', ['-v']).status === 0; // CI installs php-cli (.ci/run)
const FILE = 'migrations/Version20240601000000.php';

async function read(dialect: 'mysql' | 'postgres', file: string, code: string): Promise<Migration> {
  await prepareReaders(dialect);
  const r = readMigration(file, code, { dialect, config: {} });
  if (!('migration' in r)) throw new Error(`${file} not read: ${JSON.stringify(r)}`);
  return r.migration;
}

describe('--write: Doctrine split migrations', () => {
  for (const dialect of ['postgres', 'mysql'] as const) {
    it(`${dialect}: the batched backfill (a loop over key ranges) and the other release-1 files lint clean, with no unused zdd-ignore`, async () => {
      const code = migrationClass('Version20240601000000', "$this->addSql('ALTER TABLE users RENAME COLUMN name TO display_name');");
      const dir = tempTree({ [FILE]: code });
      const base = { ...(await read(dialect, 'migrations/Version00000000000000.sql', DOCTRINE_BASE[dialect])), id: 'Version00000000000000', format: 'doctrine' as const };
      const change = await read(dialect, FILE, code);
      const p = plan(dialect, [base], [change]);
      for (const m of p.migrations) m.version = `DoctrineMigrations\\${m.id}`;
      const settings = deploySettings(undefined, {}, dialect, 'doctrine');
      writeSplitMigrations(p, { target: defaultTarget(dialect), cwd: dir, settings, version: '0.0.0' });

      const written = readdirSync(join(dir, 'migrations')).filter((f) => f.includes('Zdd')).sort();
      expect(written).toEqual(['Version20240601000000Zdd01.php', 'Version20240601000000Zdd02.php']);
      const files = Object.fromEntries(written.map((f) => [`migrations/${f}`, readFileSync(join(dir, 'migrations', f), 'utf8')]));
      const backfill = files['migrations/Version20240601000000Zdd02.php']!;
      expect(backfill).toContain('        for ($from = (int) $range[\'lo\']; $from <= (int) $range[\'hi\']; $from += 1000) {');
      expect(backfill).toContain('$this->connection->executeStatement(');
      expect(backfill).not.toContain('zdd-ignore');
      const findings = await lintDoctrine(dialect, files);
      expect(findings.map((f) => `${f.location.file}:${f.location.line} ${f.rule}: ${f.message}`)).toEqual([]);
      if (hasPhp) for (const f of written) expect(spawnSync('php', ['-l', join(dir, 'migrations', f)]).status).toBe(0);
    });
  }
});
