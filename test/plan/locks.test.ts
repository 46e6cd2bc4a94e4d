import { describe, expect, it } from 'vitest';
import { outline, planSql } from '../plan-helpers.js';

/** `locks` on each step: what the dialect tables say about the step's lock, which the emitters use. */

describe('PlanStep.locks', () => {
  it('is true exactly for the steps that take a queueing lock (and start with the lock timeout)', async () => {
    const p = await planSql('postgres', 'ALTER TABLE users ADD CONSTRAINT users_team_id_foreign FOREIGN KEY (team_id) REFERENCES teams (id);\nCREATE INDEX users_age_index ON users (age);\nUPDATE users SET status = \'archived\' WHERE created_at < \'2020-01-01\';');
    const steps = p.releases.flatMap((r) => r.steps);
    expect(steps.map((s) => `${s.op} ${s.locks}`)).toEqual(['add-constraint true', 'add-index false', 'validate-constraint false', 'backfill false']);
    for (const s of steps) expect(s.sql?.[0]?.startsWith('SET lock_timeout')).toBe(s.locks);
  });

  it('an unchanged migration run by the framework: from the cost of its ops on the server', async () => {
    const p = await planSql('mysql', { '0002_add.sql': 'ALTER TABLE users ADD COLUMN nickname varchar(40) NULL;', '0003_create.sql': 'CREATE TABLE tags (id bigint unsigned NOT NULL PRIMARY KEY);' });
    expect(p.releases[0]!.steps.map((s) => `${s.run} ${s.op} ${s.locks}`)).toEqual(['migration add-column true', 'migration create-table false']);
  });

  it('an explicit BEGIN … COMMIT block that stays one step starts with the lock timeout when any of its statements locks', async () => {
    const p = await planSql('postgres', 'BEGIN;\nCREATE TABLE audit_log (id bigint PRIMARY KEY, note text);\nALTER TABLE users ADD COLUMN nickname text;\nCOMMIT;\nCREATE INDEX users_age_index ON users (age);');
    expect(outline(p)).toEqual([
      "1 pre-swap as-is create-table: SET lock_timeout = '5s' ; CREATE TABLE audit_log (id bigint PRIMARY KEY, note text) ; ALTER TABLE users ADD COLUMN nickname text",
      '1 pre-swap split add-index: CREATE INDEX CONCURRENTLY users_age_index ON users (age)',
    ]);
    expect(p.releases[0]!.steps[0]!.locks).toBe(true);
  });
});
