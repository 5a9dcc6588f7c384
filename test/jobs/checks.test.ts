import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/catalog/catalog.js';
import { genericChecks, QualityCheckFailed, runChecks } from '../../src/jobs/checks.js';
import { type Duck, openDuck, sqlFor } from '../../src/jobs/duck.js';
import type { Sql } from '../../src/jobs/job.js';
import { tempDir } from '../helpers/cli.js';

let duck: Duck;
let sql: Sql;
let close: () => void;

beforeEach(async () => {
  const { dir, cleanup } = tempDir('disco-checks-');
  duck = await openDuck(dir, 1);
  const conn = await duck.connect();
  sql = sqlFor(conn);
  close = () => {
    conn.closeSync();
    duck.close();
    cleanup();
  };
  await sql.run('CREATE TABLE pins AS SELECT * FROM (VALUES (1), (2), (3)) t(pin_id)');
  await sql.run('CREATE TABLE boards AS SELECT * FROM (VALUES (10), (20)) t(board_id)');
  await sql.run('CREATE TABLE users AS SELECT * FROM (VALUES (5)) t(user_id)');
});
afterEach(() => close());

/** A pinjoin-shaped table: only the columns the reference checks read. */
async function pinjoin(rows: string): Promise<void> {
  await sql.run(`CREATE OR REPLACE TABLE pinjoin AS SELECT * FROM (VALUES ${rows})
    t(image_signature, pin_ids, board_ids, user_ids, repin_edges, boards)`);
}

const row = (sig: string, pins: string, edges: string, board: number) =>
  `('${sig}', ${pins}, [${board}], [5], ${edges}, [{'board_id': ${board}}])`;

describe('reference checks', () => {
  const checks = genericChecks(CATALOG.get('pinjoin')).filter((c) => c.check.startsWith('ref-'));

  it('checks the references into one dataset with one query and reports each reference', async () => {
    expect(checks.map((c) => c.check)).toContain(
      'ref-pin_ids+ref-repin_edges.parent_pin_id+ref-repin_edges.pin_id',
    );
    await pinjoin(row('a', '[1, 2]', "[{'parent_pin_id': 1, 'pin_id': 2}]", 10));
    const reports = await runChecks(sql, checks);
    expect(reports.map((r) => r.check)).toEqual(
      expect.arrayContaining([
        'ref-pin_ids',
        'ref-repin_edges.parent_pin_id',
        'ref-repin_edges.pin_id',
        'ref-board_ids',
      ]),
    );
  });

  it('names the reference that dangles, with an example row', async () => {
    await pinjoin(
      `${row('a', '[1, 2]', "[{'parent_pin_id': 1, 'pin_id': 2}]", 10)}, ${row('b', '[3]', "[{'parent_pin_id': 7, 'pin_id': 3}]", 20)}`,
    );
    const error = await runChecks(sql, checks).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QualityCheckFailed);
    const failed = error as QualityCheckFailed;
    expect(failed.check).toBe('ref-repin_edges.parent_pin_id');
    expect(failed.example).toEqual({ image_signature: 'b', dangling_value: 7 });
    expect(failed.message).toContain('repin_edges.parent_pin_id refers to a pins key that does not exist');
  });
});
