import { describe, expect, it } from 'vitest';
import { outline, planSql } from '../plan-helpers.js';

/**
 * One decomposition per test, with the exact steps expected: release, phase, kind, what the step
 * does and its SQL. The schema is the standard test schema of test/helpers.ts.
 */

describe('zdd-plan decompositions on PostgreSQL', () => {
  it("drop column", async () => {
    const p = await planSql("postgres", "ALTER TABLE orders DROP COLUMN note;");
    expect(outline(p)).toEqual([
      "2 post-swap contract drop-column: SET lock_timeout = '5s' ; ALTER TABLE orders DROP COLUMN note"
    ]);
    expect(p.releases.map((r) => r.requires)).toEqual([["No code of release 1 references orders.note (release 2 drops it)."],[]]);
  });

  it("drop table", async () => {
    const p = await planSql("postgres", "DROP TABLE teams;");
    expect(outline(p)).toEqual([
      "2 post-swap contract drop-table: SET lock_timeout = '5s' ; DROP TABLE teams"
    ]);
    expect(p.releases.map((r) => r.requires)).toEqual([["No code of release 1 references table teams (release 2 drops it)."],[]]);
  });

  it("rename column", async () => {
    const p = await planSql("postgres", "ALTER TABLE users RENAME COLUMN email TO email_address;");
    expect(outline(p)).toEqual([
      "1 pre-swap split add-column: SET lock_timeout = '5s' ; ALTER TABLE users ADD COLUMN email_address varchar(100)",
      "1 pre-swap split create-trigger: SET lock_timeout = '5s' ; CREATE FUNCTION users_sync_email_address() RETURNS trigger AS $$ BEGIN IF TG_OP = 'INSERT' THEN NEW.email_address := COALESCE(NEW.email_address, NEW.email); NEW.email := COALESCE(NEW.email, NEW.email_address); ELSIF NEW.email IS DISTINCT FROM OLD.email THEN NEW.email_address := NEW.email; ELSIF NEW.email_address IS DISTINCT FROM OLD.email_address AND NOT (OLD.email_address IS NULL AND OLD.email IS NOT NULL) THEN NEW.email := NEW.email_address; END IF; RETURN NEW; END $$ LANGUAGE plpgsql ; CREATE TRIGGER users_sync_email_address BEFORE INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION users_sync_email_address()",
      "1 pre-swap backfill backfill: UPDATE users SET email_address = email WHERE email_address IS NULL AND email IS NOT NULL AND id >= {from} AND id < {to}",
      "2 post-swap split drop-trigger: SET lock_timeout = '5s' ; DROP TRIGGER IF EXISTS users_sync_email_address ON users ; DROP FUNCTION IF EXISTS users_sync_email_address()",
      "2 post-swap split add-constraint: SET lock_timeout = '5s' ; ALTER TABLE users ADD CONSTRAINT users_email_address_not_null CHECK (email_address IS NOT NULL) NOT VALID",
      "2 post-swap split validate-constraint: ALTER TABLE users VALIDATE CONSTRAINT users_email_address_not_null",
      "2 post-swap split set-not-null: SET lock_timeout = '5s' ; ALTER TABLE users ALTER COLUMN email_address SET NOT NULL",
      "2 post-swap split drop-constraint: SET lock_timeout = '5s' ; ALTER TABLE users DROP CONSTRAINT users_email_address_not_null",
      "2 post-swap contract drop-column: SET lock_timeout = '5s' ; ALTER TABLE users DROP COLUMN email"
    ]);
    expect(p.releases.map((r) => r.requires)).toEqual([["The code of release 1 reads and writes users.email_address and no longer references users.email (release 2 drops it)."],[]]);
  });

  it("rename table", async () => {
    const p = await planSql("postgres", "ALTER TABLE teams RENAME TO squads;");
    expect(outline(p)).toEqual([
      "1 pre-swap split rename-table: SET lock_timeout = '5s' ; ALTER TABLE teams RENAME TO squads ; CREATE VIEW teams AS SELECT * FROM squads",
      "2 post-swap contract drop-view: SET lock_timeout = '5s' ; DROP VIEW teams"
    ]);
    expect(p.releases.map((r) => r.requires)).toEqual([["The code of release 1 uses table squads and no longer references table teams (release 2 removes the name teams)."],[]]);
  });

  it("change type", async () => {
    const p = await planSql("postgres", "ALTER TABLE users ALTER COLUMN age TYPE bigint;");
    expect(outline(p)).toEqual([
      "1 pre-swap split add-column: SET lock_timeout = '5s' ; ALTER TABLE users ADD COLUMN age_new bigint",
      "1 pre-swap split create-trigger: SET lock_timeout = '5s' ; CREATE FUNCTION users_sync_age_new() RETURNS trigger AS $$ BEGIN IF TG_OP = 'INSERT' THEN NEW.age_new := COALESCE(NEW.age_new, CAST(NEW.age AS bigint)); NEW.age := COALESCE(NEW.age, CAST(NEW.age_new AS integer)); ELSIF NEW.age IS DISTINCT FROM OLD.age THEN NEW.age_new := CAST(NEW.age AS bigint); ELSIF NEW.age_new IS DISTINCT FROM OLD.age_new AND NOT (OLD.age_new IS NULL AND OLD.age IS NOT NULL) THEN NEW.age := CAST(NEW.age_new AS integer); END IF; RETURN NEW; END $$ LANGUAGE plpgsql ; CREATE TRIGGER users_sync_age_new BEFORE INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION users_sync_age_new()",
      "1 pre-swap backfill backfill: UPDATE users SET age_new = CAST(age AS bigint) WHERE age_new IS NULL AND age IS NOT NULL AND id >= {from} AND id < {to}",
      "2 post-swap split drop-trigger: SET lock_timeout = '5s' ; DROP TRIGGER IF EXISTS users_sync_age_new ON users ; DROP FUNCTION IF EXISTS users_sync_age_new()",
      "2 post-swap contract drop-column: SET lock_timeout = '5s' ; ALTER TABLE users DROP COLUMN age"
    ]);
    expect(p.releases.map((r) => r.requires)).toEqual([["The code of release 1 reads and writes users.age_new and no longer references users.age (release 2 drops it)."],[]]);
  });

  it("add not null column", async () => {
    const p = await planSql("postgres", "ALTER TABLE orders ADD COLUMN currency char(3) NOT NULL;");
    expect(outline(p)).toEqual([
      "1 pre-swap split add-column: SET lock_timeout = '5s' ; ALTER TABLE orders ADD COLUMN currency char(3)",
      "2 post-swap split add-constraint: SET lock_timeout = '5s' ; ALTER TABLE orders ADD CONSTRAINT orders_currency_not_null CHECK (currency IS NOT NULL) NOT VALID",
      "2 post-swap split validate-constraint: ALTER TABLE orders VALIDATE CONSTRAINT orders_currency_not_null",
      "2 post-swap split set-not-null: SET lock_timeout = '5s' ; ALTER TABLE orders ALTER COLUMN currency SET NOT NULL",
      "2 post-swap split drop-constraint: SET lock_timeout = '5s' ; ALTER TABLE orders DROP CONSTRAINT orders_currency_not_null"
    ]);
    expect(p.releases.map((r) => r.requires)).toEqual([["The code of release 1 writes orders.currency on every insert (release 2 makes it NOT NULL)."],["Every row of orders written before release 1 has a value in orders.currency (backfill them in batches: zdd cannot know the value)."]]);
  });

  it("set not null", async () => {
    const p = await planSql("postgres", "ALTER TABLE users ALTER COLUMN age SET NOT NULL;");
    expect(outline(p)).toEqual([
      "1 post-swap split add-constraint: SET lock_timeout = '5s' ; ALTER TABLE users ADD CONSTRAINT users_age_not_null CHECK (age IS NOT NULL) NOT VALID",
      "1 post-swap split validate-constraint: ALTER TABLE users VALIDATE CONSTRAINT users_age_not_null",
      "1 post-swap split set-not-null: SET lock_timeout = '5s' ; ALTER TABLE users ALTER COLUMN age SET NOT NULL",
      "1 post-swap split drop-constraint: SET lock_timeout = '5s' ; ALTER TABLE users DROP CONSTRAINT users_age_not_null"
    ]);
    expect(p.releases.map((r) => r.requires)).toEqual([["The code of release 1 never writes NULL to users.age (it becomes NOT NULL after the swap)."]]);
  });

  it("index", async () => {
    const p = await planSql("postgres", "CREATE INDEX users_age_index ON users (age) WHERE age > 17;");
    expect(outline(p)).toEqual([
      "1 pre-swap split add-index: CREATE INDEX CONCURRENTLY users_age_index ON users (age) WHERE age > 17"
    ]);
    expect(p.releases.map((r) => r.requires)).toEqual([[]]);
  });

  it("foreign key", async () => {
    const p = await planSql("postgres", "ALTER TABLE users ADD CONSTRAINT users_team_id_foreign FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE SET NULL;");
    expect(outline(p)).toEqual([
      "1 pre-swap split add-constraint: SET lock_timeout = '5s' ; ALTER TABLE users ADD CONSTRAINT users_team_id_foreign FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE SET NULL NOT VALID",
      "1 post-swap split validate-constraint: ALTER TABLE users VALIDATE CONSTRAINT users_team_id_foreign"
    ]);
    expect(p.releases.map((r) => r.requires)).toEqual([[]]);
  });

  it("check", async () => {
    const p = await planSql("postgres", "ALTER TABLE users ADD CONSTRAINT users_age_check CHECK (age >= 0);");
    expect(outline(p)).toEqual([
      "1 pre-swap split add-constraint: SET lock_timeout = '5s' ; ALTER TABLE users ADD CONSTRAINT users_age_check CHECK (age >= 0) NOT VALID",
      "1 post-swap split validate-constraint: ALTER TABLE users VALIDATE CONSTRAINT users_age_check"
    ]);
    expect(p.releases.map((r) => r.requires)).toEqual([[]]);
  });

  it("unique", async () => {
    const p = await planSql("postgres", "ALTER TABLE users ADD CONSTRAINT users_email_unique UNIQUE (email);");
    expect(outline(p)).toEqual([
      "1 pre-swap split add-index: CREATE UNIQUE INDEX CONCURRENTLY users_email_unique ON users (email)",
      "1 pre-swap split add-constraint: SET lock_timeout = '5s' ; ALTER TABLE users ADD CONSTRAINT users_email_unique UNIQUE USING INDEX users_email_unique"
    ]);
    expect(p.releases.map((r) => r.requires)).toEqual([[]]);
  });

  it("primary key", async () => {
    const p = await planSql("postgres", "ALTER TABLE orders DROP CONSTRAINT orders_pkey;\nALTER TABLE orders ADD PRIMARY KEY (id, user_id);");
    expect(outline(p)).toEqual([
      "1 pre-swap as-is drop-constraint: SET lock_timeout = '5s' ; ALTER TABLE orders DROP CONSTRAINT orders_pkey",
      "1 pre-swap split add-index: CREATE UNIQUE INDEX CONCURRENTLY orders_pkey ON orders (id, user_id)",
      "1 pre-swap split add-constraint: SET lock_timeout = '5s' ; ALTER TABLE orders ADD CONSTRAINT orders_pkey PRIMARY KEY USING INDEX orders_pkey"
    ]);
    expect(p.releases.map((r) => r.requires)).toEqual([[]]);
  });

  it("backfill", async () => {
    const p = await planSql("postgres", "UPDATE users SET status = 'archived' WHERE created_at < '2020-01-01';");
    expect(outline(p)).toEqual([
      "1 post-swap backfill backfill: UPDATE users SET status = 'archived' WHERE (created_at < '2020-01-01') AND users.id >= {from} AND users.id < {to}"
    ]);
    expect(p.releases.map((r) => r.requires)).toEqual([[]]);
  });

  it("volatile default", async () => {
    const p = await planSql("postgres", "ALTER TABLE users ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid();");
    expect(outline(p)).toEqual([
      "1 pre-swap split add-column: SET lock_timeout = '5s' ; ALTER TABLE users ADD COLUMN token uuid",
      "1 pre-swap split set-default: SET lock_timeout = '5s' ; ALTER TABLE users ALTER COLUMN token SET DEFAULT gen_random_uuid()",
      "1 pre-swap backfill backfill: UPDATE users SET token = gen_random_uuid() WHERE token IS NULL AND id >= {from} AND id < {to}",
      "1 post-swap split add-constraint: SET lock_timeout = '5s' ; ALTER TABLE users ADD CONSTRAINT users_token_not_null CHECK (token IS NOT NULL) NOT VALID",
      "1 post-swap split validate-constraint: ALTER TABLE users VALIDATE CONSTRAINT users_token_not_null",
      "1 post-swap split set-not-null: SET lock_timeout = '5s' ; ALTER TABLE users ALTER COLUMN token SET NOT NULL",
      "1 post-swap split drop-constraint: SET lock_timeout = '5s' ; ALTER TABLE users DROP CONSTRAINT users_token_not_null"
    ]);
    expect(p.releases.map((r) => r.requires)).toEqual([[]]);
  });

  it("drop index", async () => {
    const p = await planSql("postgres", "DROP INDEX orders_user_id_index;");
    expect(outline(p)).toEqual([
      "1 post-swap split drop-index: DROP INDEX CONCURRENTLY orders_user_id_index"
    ]);
    expect(p.releases.map((r) => r.requires)).toEqual([[]]);
  });

  it("safe", async () => {
    const p = await planSql("postgres", "ALTER TABLE users ADD COLUMN nickname text;");
    expect(outline(p)).toEqual([
      "1 pre-swap as-is add-column (migration)"
    ]);
    expect(p.releases.map((r) => r.requires)).toEqual([[]]);
  });
});
