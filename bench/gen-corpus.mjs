// Generates a corpus of realistic DDL/DML migration statements for the throughput benchmark.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PG = [
  (t, i) => `ALTER TABLE ${t} ADD COLUMN col_${i} varchar(255)`,
  (t, i) => `ALTER TABLE ${t} ADD COLUMN flag_${i} boolean NOT NULL DEFAULT false`,
  (t, i) => `CREATE INDEX CONCURRENTLY ${t}_col_${i}_idx ON ${t} (col_${i})`,
  (t, i) => `ALTER TABLE ${t} ALTER COLUMN col_${i} TYPE text`,
  (t, i) => `ALTER TABLE ${t} ADD CONSTRAINT ${t}_fk_${i} FOREIGN KEY (owner_id) REFERENCES owners (id) NOT VALID`,
  (t, i) => `ALTER TABLE ${t} VALIDATE CONSTRAINT ${t}_fk_${i}`,
  (t, i) => `ALTER TABLE ${t} ALTER COLUMN flag_${i} SET DEFAULT true`,
  (t, i) => `UPDATE ${t} SET col_${i} = 'x' WHERE id IN (SELECT id FROM ${t} WHERE col_${i} IS NULL LIMIT 1000)`,
  (t, i) => `ALTER TABLE ${t} RENAME COLUMN col_${i} TO renamed_${i}`,
  (t, i) => `ALTER TABLE ${t} DROP COLUMN IF EXISTS renamed_${i}`,
];
const MY = [
  (t, i) => `ALTER TABLE \`${t}\` ADD \`col_${i}\` varchar(191) NULL AFTER \`id\``,
  (t, i) => `ALTER TABLE \`${t}\` ADD INDEX \`${t}_col_${i}_index\`(\`col_${i}\`)`,
  (t, i) => `ALTER TABLE ${t} MODIFY col_${i} varchar(255) NOT NULL DEFAULT ''`,
  (t, i) => `ALTER TABLE ${t} ADD CONSTRAINT ${t}_fk_${i} FOREIGN KEY (owner_id) REFERENCES owners (id) ON DELETE CASCADE`,
  (t, i) => `ALTER TABLE ${t} ALTER COLUMN col_${i} SET DEFAULT 'n/a'`,
  (t, i) => `ALTER TABLE ${t} CHANGE col_${i} renamed_${i} varchar(255) NOT NULL DEFAULT ''`,
  (t, i) => `UPDATE ${t} SET renamed_${i} = 'x' WHERE renamed_${i} = '' LIMIT 1000`,
  (t, i) => `CREATE TABLE ${t}_log_${i} (id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, msg text, created_at timestamp NULL DEFAULT NULL) ENGINE=InnoDB`,
  (t, i) => `ALTER TABLE ${t} DROP COLUMN renamed_${i}, ALGORITHM=INSTANT`,
  (t, i) => `SET SESSION lock_wait_timeout = 5`,
];

/** Writes `files` files of `perFile` statements each; returns the statement count. */
export function generateCorpus(dir, dialect, files = 100, perFile = 100) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const templates = dialect === 'postgres' ? PG : MY;
  let n = 0;
  for (let f = 0; f < files; f++) {
    const table = `table_${f}`;
    const lines = [dialect === 'postgres' ? `CREATE TABLE ${table} (id bigserial PRIMARY KEY, owner_id bigint);` : `CREATE TABLE ${table} (id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, owner_id bigint unsigned) ENGINE=InnoDB;`];
    n++;
    for (let s = 1; s < perFile; s++) {
      lines.push(`${templates[s % templates.length](table, Math.floor(s / templates.length))};`);
      n++;
    }
    writeFileSync(join(dir, `${String(f).padStart(4, '0')}_migration.sql`), `${lines.join('\n')}\n`);
  }
  return n;
}
