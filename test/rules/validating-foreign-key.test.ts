import { describe, expect, it } from 'vitest';
import { afterSchema, lintSql } from '../helpers.js';

describe('validating-foreign-key', () => {
  it('fires on a validated PostgreSQL foreign key with the NOT VALID + VALIDATE fix', async () => {
    const f = await afterSchema('postgres', 'ALTER TABLE orders ADD CONSTRAINT orders_user_id_foreign FOREIGN KEY (user_id) REFERENCES users (id);', { rule: 'validating-foreign-key' });
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'error', target: { table: 'orders', constraint: 'orders_user_id_foreign' } });
    expect(f[0]!.message).toContain('SHARE ROW EXCLUSIVE on both tables');
    expect(f[0]!.fix).toContain('ALTER TABLE orders ADD CONSTRAINT orders_user_id_foreign FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;');
  });

  it('fires on an inline REFERENCES of an added column', async () => {
    const f = await afterSchema('postgres', 'ALTER TABLE users ADD COLUMN manager_id bigint REFERENCES users (id);', { rule: 'validating-foreign-key' });
    expect(f).toHaveLength(1);
  });

  it('stays quiet on NOT VALID and on new tables', async () => {
    expect(await afterSchema('postgres', 'ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;', { rule: 'validating-foreign-key' })).toEqual([]);
    expect(await lintSql('postgres', 'CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (a_id int);\nALTER TABLE b ADD FOREIGN KEY (a_id) REFERENCES a (id);', { rule: 'validating-foreign-key' })).toEqual([]);
  });

  it('fires on MySQL with foreign_key_checks on, quiet after SET foreign_key_checks = 0', async () => {
    const on = await afterSchema('mysql', 'ALTER TABLE posts ADD CONSTRAINT posts_user_id_foreign FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE;', { rule: 'validating-foreign-key' });
    expect(on).toHaveLength(1);
    expect(on[0]!.message).toContain('copy posts (ALGORITHM=COPY)');
    const off = await afterSchema('mysql', 'SET foreign_key_checks = 0;\nALTER TABLE posts ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id);', { rule: 'validating-foreign-key' });
    expect(off).toEqual([]);
  });
});

describe('validating-foreign-key and inline REFERENCES', () => {
  it('MySQL ignores an inline REFERENCES (no key is created): quiet; MariaDB creates one: fires', async () => {
    expect(await afterSchema('mysql', 'ALTER TABLE posts ADD COLUMN team_id bigint unsigned REFERENCES teams (id);', { rule: 'validating-foreign-key' })).toEqual([]);
    expect(await afterSchema('mariadb', 'ALTER TABLE posts ADD COLUMN team_id bigint unsigned REFERENCES teams (id);', { rule: 'validating-foreign-key' })).toHaveLength(1);
  });
});
