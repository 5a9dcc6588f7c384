import { readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProjectConfig, type ProjectConfig } from '../../src/project/config.js';
import { tierDir, versionManifestPath, warehouseDir } from '../../src/project/layout.js';
import { debugKey } from '../../src/tiers/debug-key.js';
import { loadTiers } from '../../src/tiers/load.js';
import { openTiers, type TierSet } from '../../src/tiers/open.js';
import { ProdTier } from '../../src/tiers/prod.js';
import { PROD_FORMAT } from '../../src/tiers/prod-codec.js';
import { sampleKeys } from '../../src/tiers/sample.js';
import { readTierState } from '../../src/tiers/state.js';
import { rollbackTiers, tiersStatus } from '../../src/tiers/status.js';
import { tempDir } from '../helpers/cli.js';
import type { Key } from '../../src/tiers/tier.js';
import { writeFixtureVersion } from './fixtures.js';

const DATE = '2026-11-21';
let dir: string;
let cleanup: () => void;
let config: ProjectConfig;
let tiers: TierSet;

const errorOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (error) {
    return error as { code?: string; message: string; exit?: number; hint?: string };
  }
  throw new Error('expected an error');
};

beforeAll(async () => {
  ({ dir, cleanup } = tempDir('disco-tiers-'));
  config = loadProjectConfig(dir, { dataDir: join(dir, 'data') });
  await writeFixtureVersion({ dataDir: config.dataDir, date: DATE, iteration: 1 });
  tiers = await openTiers(config);
});
afterAll(async () => {
  await tiers.close();
  cleanup();
});

describe('before anything is loaded', () => {
  it('each tier says it is not loaded and names disco tiers load', async () => {
    for (const name of ['prod', 'batch', 'archive', 'debug']) {
      const error = await errorOf(tiers.get(name).getMany('boardjoin', [1]));
      expect(error.code).toBe('tier-not-loaded');
      expect(error.hint).toContain('disco tiers load');
    }
    expect(tiers.get('prod').versionOf('boardjoin')).toBeUndefined();
    const error = await errorOf(debugKey(config, 'boardjoin', '1', { tiers }));
    expect(error.code).toBe('tier-not-loaded');
  });

  it('refuses a version that does not exist', async () => {
    const error = await errorOf(loadTiers({ config, version: { date: DATE as never, iteration: 9 } }));
    expect(error.code).toBe('unknown-version');
    expect(error.hint).toContain(`${DATE}/1`);
  });
});

describe('a loaded version', () => {
  beforeAll(async () => {
    const result = await loadTiers({ config });
    expect(result.version).toBe(`${DATE}/1`);
  });

  it('prod and batch hold the light joins, archive and debug the full records', async () => {
    for (const name of ['prod', 'batch', 'archive', 'debug']) {
      const [a, missing, b] = await tiers.get(name).getMany('boardjoin', [5, 99_999, '7']);
      expect(missing).toBeUndefined();
      expect(a?.['board_id']).toBe(5);
      expect(b?.['board_id']).toBe(7);
      expect(typeof a?.['pagerank']).toBe('number');
      expect((a!['owner'] as { user_id: unknown }).user_id).toBeTypeOf('number');
      expect('description' in a!).toBe(name === 'archive' || name === 'debug');
      expect(tiers.get(name).versionOf('boardjoin')).toBe(`${DATE}/1`);
    }
  });

  it('all tiers return the same values for the fields they share', async () => {
    const [sig] = await sampleKeys(config, 'pinjoin', 1, { tiers });
    const records = await Promise.all(
      ['prod', 'batch', 'archive', 'debug'].map(
        async (t) => (await tiers.get(t).getMany('pinjoin', [sig!]))[0],
      ),
    );
    const [prod, batch, archive, debug] = records;
    expect(batch).toEqual(prod);
    expect(debug).toEqual(archive);
    expect(archive).toMatchObject(prod!);
    expect(prod!['first_pinned_at']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('archive and debug hold the raw data of the version date; prod does not', async () => {
    const [pin] = await tiers.get('debug').getMany('pins', [3]);
    expect(pin).toMatchObject({ pin_id: 3, parent_pin_id: null });
    expect((await tiers.get('archive').getMany('users', [2]))[0]).toMatchObject({ user_id: 2 });
    expect((await errorOf(tiers.get('prod').getMany('pins', [3]))).code).toBe('dataset-not-in-tier');
  });

  it('batch and archive run read-only SELECTs with named params', async () => {
    const rows = await tiers.get('batch').query!(
      'SELECT board_id, pagerank FROM board_pagerank WHERE board_id <= $n ORDER BY board_id',
      { n: 3 },
    );
    expect(rows.map((r) => r['board_id'])).toEqual([1, 2, 3]);
    const parts = await tiers.get('archive').query!('SELECT DISTINCT dt, iter FROM pinjoin', {});
    expect(parts).toEqual([{ dt: DATE, iter: 1 }]);
    for (const sql of [
      'DROP TABLE boardjoin',
      'SELECT 1; SELECT 2',
      "COPY boardjoin TO '/tmp/x.csv'",
      'SELEC 1',
    ]) {
      expect((await errorOf(tiers.get('batch').query!(sql, {}))).code).toBe('bad-query');
    }
    expect(tiers.get('prod').query).toBeUndefined();
  });

  it('samples real keys, skewed towards popular records, deterministically', async () => {
    const keys = await sampleKeys(config, 'boardjoin', 2000, { tiers });
    expect(keys).toEqual(await sampleKeys(config, 'boardjoin', 2000, { tiers }));
    const records = await tiers.get('prod').getMany('boardjoin', [...new Set(keys)]);
    expect(records.every((r) => r !== undefined)).toBe(true);
    const count = new Map<unknown, number>();
    for (const k of keys) count.set(k, (count.get(k) ?? 0) + 1);
    const weight = new Map(records.map((r) => [r!['board_id'], r!['pin_count'] as number]));
    const [heavy] = [...weight.entries()].sort((a, b) => b[1] - a[1]);
    const [light] = [...weight.entries()].filter(([, w]) => w > 0).sort((a, b) => a[1] - b[1]);
    expect(count.get(heavy![0]) ?? 0).toBeGreaterThan(count.get(light![0]) ?? 0);
    expect((await sampleKeys(config, 'board_pagerank', 5, { tiers })).length).toBe(5);
  });

  it('status lists every tier with its datasets, versions and sizes', async () => {
    const status = await tiersStatus(config);
    expect(status.tiers.map((t) => t.tier)).toEqual(['prod', 'batch', 'archive', 'debug']);
    const prod = status.tiers[0]!;
    expect(prod).toMatchObject({ engine: 'sqlite', capacity_bytes: 1_073_741_824 });
    expect(prod.used_bytes).toBeGreaterThan(0);
    expect(prod.datasets.map((d) => d.dataset).sort()).toEqual(['boardjoin', 'pinjoin', 'userjoin']);
    expect(prod.datasets[0]).toMatchObject({ version: `${DATE}/1` });
    expect(status.tiers[2]!.datasets.map((d) => d.dataset)).toContain('pins');
  });

  it('debug key answers from every tier that holds the dataset', async () => {
    const result = await debugKey(config, 'boardjoin', '5', { tiers });
    expect(result.key).toBe(5);
    expect(result.tiers.map((t) => [t.tier, t.found, t.light])).toEqual([
      ['prod', true, true],
      ['batch', true, true],
      ['archive', true, false],
      ['debug', true, false],
    ]);
    expect(result.differences).toEqual([]);
    expect((await errorOf(debugKey(config, 'boardjoin', '123456', { tiers }))).code).toBe('key-not-found');
    expect((await errorOf(debugKey(config, 'boardjoin', 'x1', { tiers }))).code).toBe('invalid-key');
    const unknown = await errorOf(debugKey(config, 'bordjoin', '1', { tiers }));
    expect(unknown.message).toContain("did you mean 'boardjoin'");
  });

  it('prod reads a file of the previous named-JSON format, and refuses one written for another schema', async () => {
    const path = join(tierDir(config.dataDir, 'prod'), readTierState(config.dataDir, 'prod').current!.file!);
    const joins = ['pinjoin', 'boardjoin', 'userjoin'];
    const db = new Sqlite(path);
    const keys = Object.fromEntries(
      joins.map((n) => [n, db.prepare(`SELECT k FROM ${n}`).pluck().all() as Key[]]),
    );
    const current = await ProdTier.create(config, { cacheEntries: 0 });
    const expected = Object.fromEntries(joins.map((n) => [n, current.getManySync(n, keys[n]!)]));
    await current.close();
    // The previous format: named JSON objects, no schema table, user_version 0.
    for (const n of joins) {
      const update = db.prepare(`UPDATE ${n} SET v = ? WHERE k = ?`);
      keys[n]!.forEach((k, i) => {
        update.run(JSON.stringify(expected[n]![i]), k);
      });
    }
    db.exec('DROP TABLE disco_schema');
    db.pragma('user_version = 0');
    const old = await ProdTier.create(config, { cacheEntries: 0 });
    for (const n of joins) {
      expect(keys[n]!.length).toBeGreaterThan(0);
      expect(JSON.stringify(old.getManySync(n, keys[n]!))).toBe(JSON.stringify(expected[n]));
    }
    await old.close();
    // Positional records recorded for another schema are refused, never misread.
    db.pragma(`user_version = ${PROD_FORMAT}`);
    db.exec('CREATE TABLE disco_schema (dataset TEXT PRIMARY KEY, schema TEXT NOT NULL)');
    db.prepare('INSERT INTO disco_schema VALUES (?, ?)').run('boardjoin', 'struct{board_id int}');
    db.close();
    const other = await ProdTier.create(config);
    const error = await errorOf(other.getMany('boardjoin', [1]));
    expect(error.code).toBe('tier-corrupt');
    expect(error.message).toContain('another schema');
    expect(error.hint).toContain('disco tiers load');
    await other.close();
    await loadTiers({ config }); // a load repairs it (the tests below start from a good file)
  });
});

describe('switching versions', () => {
  it('readers notice a new version; rollback goes back; a stale tier shows as differences', async () => {
    const before = (await tiers.get('prod').getMany('boardjoin', [3]))[0]!;
    await writeFixtureVersion({ dataDir: config.dataDir, date: DATE, iteration: 2, perturb: 5, raw: false });
    await loadTiers({ config });
    // No wait: a switch made in this process is seen at once (other processes: within 100 ms).
    const after = (await tiers.get('prod').getMany('boardjoin', [3]))[0]!;
    expect(tiers.get('prod').versionOf('boardjoin')).toBe(`${DATE}/2`);
    expect(after['pagerank']).not.toBe(before['pagerank']);
    // The previous database file is kept for rollback; older ones are removed.
    const state = readTierState(config.dataDir, 'prod');
    expect(state.previous?.version).toBe(`${DATE}/1`);

    const rolled = await rollbackTiers(config, 'prod');
    expect(rolled.tiers).toEqual([{ tier: 'prod', from: `${DATE}/2`, to: `${DATE}/1` }]);
    expect((await tiers.get('prod').getMany('boardjoin', [3]))[0]!['pagerank']).toBe(before['pagerank']);

    const result = await debugKey(config, 'boardjoin', '3', { tiers });
    expect(result.tiers.map((t) => t.version)).toEqual([`${DATE}/1`, `${DATE}/2`, `${DATE}/2`, `${DATE}/2`]);
    const fields = result.differences.map((d) => d.field);
    expect(fields).toContain('pagerank');
    expect(fields).not.toContain('description'); // left out of prod by design: not a difference
    const pr = result.differences.find((d) => d.field === 'pagerank')!;
    expect(Object.keys(pr.values)).toEqual(['prod', 'batch', 'archive', 'debug']);
    expect(pr.values.prod).toBe(before['pagerank']);

    // Rolling back again goes forward; no previous left after that for a fresh tier → clear error.
    await rollbackTiers(config, 'prod');
    expect(readTierState(config.dataDir, 'prod').current?.version).toBe(`${DATE}/2`);
    expect((await errorOf(rollbackTiers(config, 'nope'))).code).toBe('unknown-tier');
  });

  it('a load that does not fit fails before switching, names the sizes and keeps the old version', async () => {
    const small = { ...config, tiers: { ...config.tiers, prod: { capacityBytes: 10_000, p99Ms: 2 } } };
    const error = await errorOf(loadTiers({ config: small, version: { date: DATE as never, iteration: 1 } }));
    expect(error.code).toBe('capacity-exceeded');
    expect(error.exit).toBe(1);
    expect(error.message).toMatch(/prod needs .* \(\d+ bytes\) but its capacity is .* \(10000 bytes\)/);
    for (const t of ['prod', 'batch', 'archive', 'debug'] as const) {
      expect(readTierState(config.dataDir, t).current?.version).toBe(`${DATE}/2`);
    }
  });

  it('a version with a file DuckDB cannot read fails with what DuckDB said and keeps the old version', async () => {
    const bad = await writeFixtureVersion({ dataDir: config.dataDir, date: DATE, iteration: 7 });
    const dir = warehouseDir(config.dataDir, 'pinjoin', bad);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.parquet')))
      truncateSync(join(dir, file), 100);
    const error = await errorOf(loadTiers({ config, version: bad }));
    expect(error.code).toBe('version-unreadable');
    expect(error.exit).toBe(1);
    expect(error.message).toMatch(/version 2026-11-21\/7 cannot be read: .*data.*parquet/);
    for (const t of ['prod', 'batch', 'archive', 'debug'] as const) {
      expect(readTierState(config.dataDir, t).current?.version).toBe(`${DATE}/2`);
    }
    rmSync(versionManifestPath(config.dataDir, bad)); // the later tests load the newest version
  });

  it('a second loader gets a clear error; a stale lock is taken over', async () => {
    const lock = join(config.dataDir, 'tiers', 'load.lock');
    writeFileSync(lock, JSON.stringify({ pid: process.ppid, what: 'load', startedAt: 'now' }));
    const error = await errorOf(loadTiers({ config }));
    expect(error.code).toBe('load-in-progress');
    expect(error.message).toContain(`pid ${process.ppid}`);
    writeFileSync(lock, JSON.stringify({ pid: 2 ** 22 + 12345, what: 'load', startedAt: 'then' }));
    await expect(loadTiers({ config })).resolves.toMatchObject({ version: `${DATE}/2` });
  });

  it('a corrupt or missing tier fails alone, with a message naming disco tiers load', async () => {
    writeFileSync(join(tierDir(config.dataDir, 'batch'), 'state.json'), '{ not json');
    const prodFile = readTierState(config.dataDir, 'prod').current!.file!;
    const fresh = await openTiers(config);
    try {
      const error = await errorOf(fresh.get('batch').getMany('boardjoin', [1]));
      expect(error.code).toBe('tier-corrupt');
      expect(error.hint).toContain('disco tiers load');
      expect((await fresh.get('prod').getMany('boardjoin', [1]))[0]).toBeDefined();
      const status = await tiersStatus(config);
      expect(status.tiers.find((t) => t.tier === 'batch')!.error).toContain('not valid JSON');
      expect(status.tiers.find((t) => t.tier === 'prod')!.error).toBeUndefined();
      const result = await debugKey(config, 'boardjoin', '1', { tiers: fresh });
      expect(result.tiers.find((t) => t.tier === 'batch')).toMatchObject({ found: false });
      expect(result.tiers.find((t) => t.tier === 'batch')!.error).toContain('unusable');
    } finally {
      await fresh.close();
    }
    // A damaged database file.
    writeFileSync(join(tierDir(config.dataDir, 'prod'), prodFile), 'garbage garbage garbage');
    const again = await openTiers(config);
    try {
      const error = await errorOf(again.get('prod').getMany('boardjoin', [1]));
      expect(error.code).toBe('tier-corrupt');
      expect((await again.get('debug').getMany('boardjoin', [1]))[0]).toBeDefined();
    } finally {
      await again.close();
    }
    // Loading again repairs both.
    await loadTiers({ config });
    const repaired = await openTiers(config);
    expect((await repaired.get('batch').getMany('boardjoin', [1]))[0]).toBeDefined();
    expect((await repaired.get('prod').getMany('boardjoin', [1]))[0]).toBeDefined();
    await repaired.close();
  });
});
