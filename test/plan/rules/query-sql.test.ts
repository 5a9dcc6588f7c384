import { describe, expect, it } from 'vitest';
import { diagnose, plan } from '../harness.js';
import { checkReadOnlySql } from '../../../src/plan/sql.js';

const query = (sql: string, tier = 'batch') =>
  plan(`  q:\n    use: query\n    tier: ${tier}\n    sql: "${sql}"\n    returns: { fields: { n: int } }\n`, {
    output: 'q',
  });

describe('sql-not-select', () => {
  it('accepts one SELECT or WITH … SELECT, with params bound', () => {
    expect(
      diagnose(query('SELECT count(*) AS n FROM pinjoin WHERE image_signature = $params.image;')),
    ).toEqual([]);
    expect(checkReadOnlySql('WITH t AS (SELECT 1 AS n) SELECT n FROM t -- drop table x\n')).toBeUndefined();
    expect(checkReadOnlySql("SELECT 'delete; drop' AS s")).toBeUndefined();
  });
  it('reports a write, a second statement and a non-SELECT, at the offending word', () => {
    expect(diagnose(query('DELETE FROM pinjoin'))).toEqual([
      {
        code: 'sql-not-select',
        line: 13,
        column: 11,
        message: "the SQL must be one read-only SELECT (or WITH … SELECT), not 'DELETE'",
      },
    ]);
    expect(diagnose(query('SELECT 1 AS n; DROP TABLE pinjoin')).map((d) => [d.code, d.column])).toEqual([
      ['sql-not-select', 24],
    ]);
    expect(checkReadOnlySql('WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x')?.message).toContain(
      "'DELETE' is not allowed",
    );
    expect(checkReadOnlySql("COPY (SELECT 1) TO 'x.csv'")?.message).toContain("not 'COPY'");
  });
  it('reports an unknown param in the SQL and a tier a query cannot read', () => {
    expect(diagnose(query('SELECT 1 AS n WHERE 1 = $params.nope')).map((d) => d.code)).toEqual([
      'unknown-param',
    ]);
    expect(diagnose(query('SELECT 1 AS n', 'prod')).map((d) => d.message)).toEqual([
      'query reads from batch or archive, not prod',
    ]);
  });
  it('reports a bad returns', () => {
    const text = plan(
      '  q:\n    use: query\n    tier: batch\n    sql: SELECT 1\n    returns: { fields: { n: integer } }\n',
      { output: 'q' },
    );
    expect(diagnose(text).map((d) => d.code)).toEqual(['unknown-type']);
  });
});

describe('positions inside block scalars', () => {
  it('point at the exact line and column of multi-line SQL and expressions', () => {
    const text = plan(
      '  q:\n    use: query\n    tier: batch\n    sql: |\n      SELECT board_id\n      FROM boardjoin\n      WHERE category = $params.categry\n    returns: { dataset: boardjoin }\n  f:\n    use: filter\n    input: q\n    where: >\n      pin_count > 2 and\n      scor > 1\n',
      { output: 'f' },
    );
    expect(diagnose(text).map((d) => [d.code, d.line, d.column])).toEqual([
      ['unknown-param', 16, 24],
      ['unknown-field', 23, 7],
    ]);
  });
});
