import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CATALOG, duckdbType } from '../../src/catalog/index.js';
import { isUserError } from '../../src/errors/index.js';
import { fingerprintRaw, generateRawData, RAW_DATASETS } from '../../src/gen/index.js';
import { rawDir, rawManifestPath } from '../../src/project/layout.js';
import { tempDir } from '../helpers/cli.js';

const DATE = '2026-01-01';
const temp = tempDir('disco-gen-');
afterAll(() => temp.cleanup());

async function query<T>(sql: string): Promise<T[]> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const rows = (await connection.runAndReadAll(sql)).getRowObjectsJS();
    return rows.map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])),
    ) as T[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const parquet = (dataDir: string, dataset: string) =>
  `read_parquet('${join(rawDir(dataDir, dataset, DATE), '*.parquet')}', hive_partitioning = false)`;

describe('generateRawData at tiny scale', () => {
  const a = join(temp.dir, 'a');
  const b = join(temp.dir, 'b');

  it('writes every raw dataset with exact counts, the catalog schema, and the manifest last', async () => {
    const events: string[] = [];
    const summary = await generateRawData({
      dataDir: a,
      scale: 'tiny',
      seed: 7,
      date: DATE,
      onProgress: (e) => events.push(e.phase),
    });
    expect(summary.datasets.map((d) => [d.dataset, d.rows])).toEqual([
      ['users', 1_000],
      ['boards', 3_000],
      ['board_truth', 3_000],
      ['pins', 20_000],
    ]);
    expect(events).toContain('model');
    expect(events.at(-1)).toBe('commit');
    const fp = await fingerprintRaw(a, DATE);
    for (const name of RAW_DATASETS) {
      const expected = CATALOG.get(name)
        .fields.map((f) => `${f.name} ${duckdbType(f.type)}`)
        .join(', ');
      expect(fp[name].schema).toBe(expected);
      expect(summary.datasets.find((d) => d.dataset === name)!.bytes).toBeGreaterThan(0);
    }
    const manifest = JSON.parse(readFileSync(rawManifestPath(a, DATE), 'utf8'));
    expect(manifest).toMatchObject({ seed: 7, scale: 'tiny', date: DATE, generatorVersion: 1 });
    expect(manifest.stats.repinShare).toBeGreaterThan(0.5);
    expect(readdirSync(join(a, 'tmp'))).toEqual([]);
  });

  it('gives the same rows for the same seed', async () => {
    await generateRawData({ dataDir: b, scale: 'tiny', seed: 7, date: DATE });
    expect(await fingerprintRaw(b, DATE)).toEqual(await fingerprintRaw(a, DATE));
  });

  it('writes files sorted by key, with valid references and repins after their parents', async () => {
    const [check] = await query<Record<string, number>>(`
      WITH p AS (SELECT *, row_number() OVER () AS n FROM ${parquet(a, 'pins')})
      SELECT
        (SELECT count(*) FROM p WHERE pin_id <> n) AS unsorted,
        (SELECT count(*) FROM p c JOIN p par ON c.parent_pin_id = par.pin_id
           WHERE c.created_at <= par.created_at OR c.image_signature <> par.image_signature OR c.title <> par.title) AS bad_repins,
        (SELECT count(*) FROM p WHERE board_id NOT IN (SELECT board_id FROM ${parquet(a, 'boards')})) AS dangling_boards,
        (SELECT count(*) FROM p WHERE pinner_id NOT IN (SELECT user_id FROM ${parquet(a, 'users')})) AS dangling_users,
        (SELECT count(DISTINCT username) FROM ${parquet(a, 'users')}) AS usernames,
        (SELECT count(*) FROM ${parquet(a, 'users')} WHERE NOT regexp_matches(country, '^[A-Z]{2}$')) AS bad_countries,
        (SELECT count(*) FROM ${parquet(a, 'boards')} b JOIN ${parquet(a, 'board_truth')} t USING (board_id)
           WHERE (b.category <> t.true_category) <> t.mislabeled) AS bad_truth,
        (SELECT count(*) FROM ${parquet(a, 'board_truth')} WHERE mislabeled) AS mislabeled
    `);
    expect(check).toEqual({
      unsorted: 0,
      bad_repins: 0,
      dangling_boards: 0,
      dangling_users: 0,
      usernames: 1_000,
      bad_countries: 0,
      bad_truth: 0,
      mislabeled: 150,
    });
  });

  it('refuses to overwrite a date without --force and leaves the old data untouched', async () => {
    const before = await fingerprintRaw(a, DATE);
    const error = await generateRawData({ dataDir: a, scale: 'tiny', seed: 8, date: DATE }).catch(
      (e: unknown) => e,
    );
    expect(isUserError(error) && error.code).toBe('raw-exists');
    expect(await fingerprintRaw(a, DATE)).toEqual(before);
  });

  it('replaces the data set with force', async () => {
    const summary = await generateRawData({ dataDir: b, scale: 'tiny', seed: 8, date: DATE, force: true });
    expect(summary.replaced).toBe(true);
    expect((await fingerprintRaw(b, DATE)).pins.hash).not.toBe((await fingerprintRaw(a, DATE)).pins.hash);
    expect(JSON.parse(readFileSync(rawManifestPath(b, DATE), 'utf8')).seed).toBe(8);
  });

  it('rejects bad input before writing anything', async () => {
    const dir = join(temp.dir, 'bad');
    const codes = [];
    for (const bad of [
      { scale: 'huge' },
      { seed: -1 },
      { seed: '1.5' },
      { date: '2026-02-30' },
      { mislabelRate: 1.5 },
      { repinAffinity: 'abc' },
    ]) {
      const error = await generateRawData({ dataDir: dir, date: DATE, ...bad }).catch((e: unknown) => e);
      codes.push(isUserError(error) ? error.code : String(error));
    }
    expect(codes).toEqual([
      'invalid-scale',
      'invalid-seed',
      'invalid-seed',
      'invalid-date',
      'invalid-rate',
      'invalid-rate',
    ]);
    expect(existsSync(dir)).toBe(false);
  });

  it('reports an unwritable data folder as a user error', async () => {
    const file = join(temp.dir, 'not-a-dir');
    writeFileSync(file, 'x');
    const error = await generateRawData({ dataDir: file, date: DATE }).catch((e: unknown) => e);
    expect(isUserError(error) && error.code).toBe('data-dir-unwritable');
    const locked = join(temp.dir, 'locked');
    await generateRawData({ dataDir: locked, date: DATE }).catch(() => undefined);
    chmodSync(locked, 0o500);
    if (process.getuid?.() !== 0) {
      const e2 = await generateRawData({ dataDir: locked, date: '2026-01-02' }).catch((e: unknown) => e);
      expect(isUserError(e2) && e2.code).toBe('data-dir-unwritable');
    }
    chmodSync(locked, 0o700);
  });
});
