import { describe, expect, it } from 'vitest';
import { splitSql } from '../../src/readers/sql/split.js';

const texts = (sql: string, d: 'mysql' | 'postgres' = 'postgres') => splitSql(sql, d).statements.map((s) => s.text);

describe('splitSql', () => {
  it('splits on semicolons outside quotes and comments', () => {
    expect(texts("SELECT ';'; -- a; comment\nSELECT 'it''s'; /* ; */ SELECT \"a;b\";")).toEqual(["SELECT ';'", "SELECT 'it''s'", 'SELECT "a;b"']);
  });

  it('keeps PostgreSQL dollar-quoted bodies whole', () => {
    const sql = 'CREATE FUNCTION f() RETURNS trigger AS $body$ BEGIN NEW.a := 1; RETURN NEW; END; $body$ LANGUAGE plpgsql;\nDO $$ BEGIN PERFORM 1; END $$;';
    expect(texts(sql)).toHaveLength(2);
  });

  it('handles nested block comments on PostgreSQL and E-strings with backslashes', () => {
    expect(texts("/* a /* nested; */ still; */ SELECT E'a\\';b'; SELECT 2")).toEqual(["SELECT E'a\\';b'", 'SELECT 2']);
  });

  it('handles MySQL # comments, backticks and backslash escapes', () => {
    expect(texts("# x; y\nSELECT `a;b`, 'c\\';d'; SELECT 1", 'mysql')).toEqual(["SELECT `a;b`, 'c\\';d'", 'SELECT 1']);
  });

  it('honours the MySQL client DELIMITER directive', () => {
    const sql = 'DELIMITER $$\nCREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END$$\nDELIMITER ;\nSELECT 3;';
    expect(texts(sql, 'mysql')).toEqual(['CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END', 'SELECT 3']);
  });

  it('keeps MySQL trigger bodies with BEGIN … END, IF … END IF and CASE whole without DELIMITER', () => {
    const sql = "CREATE TRIGGER t BEFORE INSERT ON users FOR EACH ROW BEGIN IF NEW.a IS NULL THEN SET NEW.a = CASE WHEN NEW.b THEN 1 ELSE 2 END; END IF; END;\nSELECT 1;";
    expect(texts(sql, 'mysql')).toHaveLength(2);
  });

  it('reports where an unterminated quote starts', () => {
    const r = splitSql("SELECT 1; SELECT 'oops", 'postgres');
    expect(r.statements.map((s) => s.text)).toEqual(['SELECT 1']);
    expect(r.unterminated).toEqual({ what: 'string literal', offset: 17 });
  });

  it('returns statement offsets and comments for suppressions', () => {
    const r = splitSql('-- zdd-ignore x: y\n  ALTER TABLE a DROP b;', 'postgres');
    expect(r.statements[0]!.offset).toBe(21);
    expect(r.comments).toEqual([{ text: '-- zdd-ignore x: y', offset: 0 }]);
  });
});
