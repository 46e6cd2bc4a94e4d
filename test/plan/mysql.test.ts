import { describe, expect, it } from 'vitest';
import { outline, planSql } from '../plan-helpers.js';

/**
 * One decomposition per test, with the exact steps expected: release, phase, kind, what the step
 * does and its SQL. The schema is the standard test schema of test/helpers.ts.
 */

describe('zdd-plan decompositions on MySQL', () => {
  it("drop column", async () => {
    const p = await planSql("mysql", "ALTER TABLE posts DROP COLUMN body;");
    expect(outline(p)).toEqual([
      "2 post-swap contract drop-column: SET SESSION lock_wait_timeout = 5 ; ALTER TABLE posts DROP COLUMN body"
    ]);
    expect(p.releases.map((r) => r.requires)).toEqual([["No code of release 1 references posts.body (release 2 drops it)."],[]]);
  });

  it("rename column", async () => {
    const p = await planSql("mysql", "ALTER TABLE users RENAME COLUMN name TO full_name;");
    expect(outline(p)).toEqual([
      "1 pre-swap split add-column: SET SESSION lock_wait_timeout = 5 ; ALTER TABLE users ADD COLUMN full_name varchar(255) NULL",
      "1 pre-swap split create-trigger: SET SESSION lock_wait_timeout = 5 ; CREATE TRIGGER users_full_name_ins BEFORE INSERT ON users FOR EACH ROW SET NEW.full_name = COALESCE(NEW.full_name, NEW.name), NEW.name = COALESCE(NEW.name, NEW.full_name) ; CREATE TRIGGER users_full_name_upd BEFORE UPDATE ON users FOR EACH ROW SET NEW.full_name = IF(NEW.name <=> OLD.name, NEW.full_name, NEW.name), NEW.name = IF(NOT (NEW.name <=> OLD.name) OR NEW.full_name <=> OLD.full_name OR (OLD.full_name IS NULL AND OLD.name IS NOT NULL), NEW.name, NEW.full_name)",
      "1 pre-swap backfill backfill: UPDATE users SET full_name = name WHERE full_name IS NULL AND name IS NOT NULL AND id >= {from} AND id < {to}",
      "2 post-swap split drop-trigger: SET SESSION lock_wait_timeout = 5 ; DROP TRIGGER IF EXISTS users_full_name_ins ; DROP TRIGGER IF EXISTS users_full_name_upd",
      "2 post-swap contract drop-column: SET SESSION lock_wait_timeout = 5 ; ALTER TABLE users DROP COLUMN name"
    ]);
    expect(p.releases.map((r) => r.requires)).toEqual([["The code of release 1 reads and writes users.full_name and no longer references users.name (release 2 drops it)."],[]]);
  });

  it("change", async () => {
    const p = await planSql("mysql", "ALTER TABLE users CHANGE name full_name varchar(255) NULL;");
    expect(outline(p)).toEqual([
      "1 pre-swap split add-column: SET SESSION lock_wait_timeout = 5 ; ALTER TABLE users ADD COLUMN full_name varchar(255) NULL",
      "1 pre-swap split create-trigger: SET SESSION lock_wait_timeout = 5 ; CREATE TRIGGER users_full_name_ins BEFORE INSERT ON users FOR EACH ROW SET NEW.full_name = COALESCE(NEW.full_name, NEW.name), NEW.name = COALESCE(NEW.name, NEW.full_name) ; CREATE TRIGGER users_full_name_upd BEFORE UPDATE ON users FOR EACH ROW SET NEW.full_name = IF(NEW.name <=> OLD.name, NEW.full_name, NEW.name), NEW.name = IF(NOT (NEW.name <=> OLD.name) OR NEW.full_name <=> OLD.full_name OR (OLD.full_name IS NULL AND OLD.name IS NOT NULL), NEW.name, NEW.full_name)",
      "1 pre-swap backfill backfill: UPDATE users SET full_name = name WHERE full_name IS NULL AND name IS NOT NULL AND id >= {from} AND id < {to}",
      "2 post-swap split drop-trigger: SET SESSION lock_wait_timeout = 5 ; DROP TRIGGER IF EXISTS users_full_name_ins ; DROP TRIGGER IF EXISTS users_full_name_upd",
      "2 post-swap contract drop-column: SET SESSION lock_wait_timeout = 5 ; ALTER TABLE users DROP COLUMN name"
    ]);
    expect(p.releases.map((r) => r.requires)).toEqual([["The code of release 1 reads and writes users.full_name and no longer references users.name (release 2 drops it)."],[]]);
  });

  it("rename table", async () => {
    const p = await planSql("mysql", "RENAME TABLE teams TO squads;");
    expect(outline(p)).toEqual([
      "1 pre-swap split create-view: SET SESSION lock_wait_timeout = 5 ; CREATE VIEW squads AS SELECT * FROM teams",
      "2 post-swap contract rename-table: SET SESSION lock_wait_timeout = 5 ; RENAME TABLE squads TO squads_view_old, teams TO squads ; DROP VIEW squads_view_old"
    ]);
    expect(p.releases.map((r) => r.requires)).toEqual([["The code of release 1 uses table squads and no longer references table teams (release 2 removes the name teams)."],[]]);
  });

  it("change type", async () => {
    const p = await planSql("mysql", "ALTER TABLE users MODIFY age bigint NULL;");
    expect(outline(p)).toEqual([
      "1 pre-swap split add-column: SET SESSION lock_wait_timeout = 5 ; ALTER TABLE users ADD COLUMN age_new bigint NULL",
      "1 pre-swap split create-trigger: SET SESSION lock_wait_timeout = 5 ; CREATE TRIGGER users_age_new_ins BEFORE INSERT ON users FOR EACH ROW SET NEW.age_new = COALESCE(NEW.age_new, NEW.age), NEW.age = COALESCE(NEW.age, NEW.age_new) ; CREATE TRIGGER users_age_new_upd BEFORE UPDATE ON users FOR EACH ROW SET NEW.age_new = IF(NEW.age <=> OLD.age, NEW.age_new, NEW.age), NEW.age = IF(NOT (NEW.age <=> OLD.age) OR NEW.age_new <=> OLD.age_new OR (OLD.age_new IS NULL AND OLD.age IS NOT NULL), NEW.age, NEW.age_new)",
      "1 pre-swap backfill backfill: UPDATE users SET age_new = age WHERE age_new IS NULL AND age IS NOT NULL AND id >= {from} AND id < {to}",
      "2 post-swap split drop-trigger: SET SESSION lock_wait_timeout = 5 ; DROP TRIGGER IF EXISTS users_age_new_ins ; DROP TRIGGER IF EXISTS users_age_new_upd",
      "2 post-swap contract drop-column: SET SESSION lock_wait_timeout = 5 ; ALTER TABLE users DROP COLUMN age"
    ]);
    expect(p.releases.map((r) => r.requires)).toEqual([["The code of release 1 reads and writes users.age_new and no longer references users.age (release 2 drops it)."],[]]);
  });

  it("add not null column", async () => {
    const p = await planSql("mysql", "ALTER TABLE posts ADD COLUMN slug varchar(100) NOT NULL;");
    expect(outline(p)).toEqual([
      "1 pre-swap split add-column: SET SESSION lock_wait_timeout = 5 ; ALTER TABLE posts ADD COLUMN slug varchar(100) NULL",
      "2 post-swap split verify: SELECT COUNT(*) FROM posts WHERE slug IS NULL",
      "2 post-swap split set-not-null: SET SESSION lock_wait_timeout = 5 ; ALTER TABLE posts MODIFY COLUMN slug varchar(100) NOT NULL, ALGORITHM=INPLACE, LOCK=NONE"
    ]);
    expect(p.releases.map((r) => r.requires)).toEqual([["The code of release 1 writes posts.slug on every insert (release 2 makes it NOT NULL)."],["Every row of posts written before release 1 has a value in posts.slug (backfill them in batches: zdd cannot know the value)."]]);
  });

  it("set not null", async () => {
    const p = await planSql("mysql", "ALTER TABLE users MODIFY age int NOT NULL;");
    expect(outline(p)).toEqual([
      "1 post-swap split verify: SELECT COUNT(*) FROM users WHERE age IS NULL",
      "1 post-swap split set-not-null: SET SESSION lock_wait_timeout = 5 ; ALTER TABLE users MODIFY COLUMN age int NOT NULL, ALGORITHM=INPLACE, LOCK=NONE"
    ]);
    expect(p.releases.map((r) => r.requires)).toEqual([["The code of release 1 never writes NULL to users.age (it becomes NOT NULL after the swap)."]]);
    // the deploy stops at the count if a NULL is left, before MODIFY fails on it (or, without strict mode, zeroes it)
    const verify = p.releases[0]!.steps[0]!;
    expect(verify.expect).toBe("0");
    expect(verify.why).toMatch(/^The deploy stops here if a row still has NULL in age: MODIFY … NOT NULL would fail on it in strict mode/);
  });

  it("set not null with a default: the NULL rows get the default in batches first", async () => {
    const p = await planSql("mysql", "ALTER TABLE users MODIFY age int NOT NULL DEFAULT 0;");
    expect(outline(p)).toEqual([
      "1 post-swap backfill backfill: UPDATE users SET age = 0 WHERE age IS NULL AND id >= {from} AND id < {to}",
      "1 post-swap split verify: SELECT COUNT(*) FROM users WHERE age IS NULL",
      "1 post-swap split set-not-null: SET SESSION lock_wait_timeout = 5 ; ALTER TABLE users MODIFY COLUMN age int NOT NULL DEFAULT 0, ALGORITHM=INPLACE, LOCK=NONE"
    ]);
    expect(p.releases[0]!.steps[0]!.batch).toEqual({ table: "users", key: "id", size: 1000 });
  });

  it("foreign key", async () => {
    const p = await planSql("mysql", "ALTER TABLE posts ADD CONSTRAINT posts_user_id_foreign FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE;");
    expect(outline(p)).toEqual([
      "1 pre-swap split verify: SELECT COUNT(*) FROM posts c LEFT JOIN users p ON p.id = c.user_id WHERE c.user_id IS NOT NULL AND p.id IS NULL",
      "1 pre-swap split add-constraint: SET SESSION lock_wait_timeout = 5 ; SET foreign_key_checks = 0 ; ALTER TABLE posts ADD CONSTRAINT posts_user_id_foreign FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE, ALGORITHM=INPLACE, LOCK=NONE ; SET foreign_key_checks = 1"
    ]);
    expect(p.releases.map((r) => r.requires)).toEqual([[]]);
  });

  it("backfill", async () => {
    const p = await planSql("mysql", "UPDATE users SET status = 'archived' WHERE created_at < '2020-01-01';");
    expect(outline(p)).toEqual([
      "1 post-swap backfill backfill: UPDATE users SET status = 'archived' WHERE (created_at < '2020-01-01') AND users.id >= {from} AND users.id < {to}"
    ]);
    expect(p.releases.map((r) => r.requires)).toEqual([[]]);
  });

  it("safe", async () => {
    const p = await planSql("mysql", "ALTER TABLE users ADD COLUMN nickname varchar(50) NULL, ADD INDEX users_nickname_index (nickname);");
    expect(outline(p)).toEqual([
      "1 pre-swap as-is add-column (migration)",
      "1 pre-swap as-is add-index (migration)"
    ]);
    expect(p.releases.map((r) => r.requires)).toEqual([[]]);
  });

});
