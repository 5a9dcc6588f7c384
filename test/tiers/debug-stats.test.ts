/**
 * The debug tier finds keys through the files' footer statistics. With several row groups, int
 * statistics must be compared as numbers: as text, '8192' > '10000' would hide keys past 8192.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadProjectConfig, type ProjectConfig } from '../../src/project/config.js';
import { tierDir } from '../../src/project/layout.js';
import { loadTiers } from '../../src/tiers/load.js';
import { openTiers } from '../../src/tiers/open.js';
import { DEBUG_FILE_ROWS, parquetFiles } from '../../src/tiers/parquet.js';
import { readTierState } from '../../src/tiers/state.js';
import { tempDir } from '../helpers/cli.js';
import { writeFixtureVersion } from './fixtures.js';

let cleanup: () => void;
let config: ProjectConfig;

beforeAll(async () => {
  const t = tempDir('disco-debug-stats-');
  cleanup = t.cleanup;
  config = loadProjectConfig(t.dir, { dataDir: join(t.dir, 'data') });
  // DuckDB writes at least 2 048 rows per group: 10 000 boards → 5 groups (…, 8192, 10000).
  await writeFixtureVersion({
    dataDir: config.dataDir,
    users: 50,
    boards: 10_000,
    pins: 600,
    rowGroupSize: 2048,
  });
  await loadTiers({ config });
});
afterAll(() => cleanup());

it('finds keys in every row group, and reports keys outside every range as missing', async () => {
  const tiers = await openTiers(config);
  try {
    const keys = [1, 2048, 2049, 8192, 8193, 9000, 10_000];
    const records = await tiers.get('debug').getMany('boardjoin', keys);
    expect(records.map((r) => r?.['board_id'])).toEqual(keys);
    expect(await tiers.get('debug').getMany('boardjoin', [0, 10_001])).toEqual([undefined, undefined]);
  } finally {
    await tiers.close();
  }
});

it("reads the joins from debug's own copy in small files; a new load keeps only the current and previous copies", async () => {
  const state = readTierState(config.dataDir, 'debug');
  const path = state.current!.datasets['boardjoin']!.path!;
  expect(path).toMatch(/^tiers\/debug\/debug-[^/]+\/boardjoin$/);
  expect(parquetFiles(config.dataDir, path)).toHaveLength(Math.ceil(10_000 / DEBUG_FILE_ROWS));
  // the key ranges recorded at load, one per file, in key order
  const ranges = JSON.parse(readFileSync(join(config.dataDir, path, 'ranges.json'), 'utf8')) as {
    min: number;
    max: number;
  }[];
  expect(ranges.map((r) => [r.min, r.max]).sort((a, b) => a[0]! - b[0]!)).toEqual([
    [1, 4096],
    [4097, 8192],
    [8193, 10_000],
  ]);
  // raw and non-nested datasets are read in place
  expect(state.current!.datasets['board_pagerank']!.path).toMatch(/^warehouse\//);
  await loadTiers({ config });
  await loadTiers({ config });
  const after = readTierState(config.dataDir, 'debug');
  const copies = readdirSync(tierDir(config.dataDir, 'debug')).filter((n) => n.startsWith('debug-'));
  expect(copies.sort()).toEqual(
    [after.current!, after.previous!].map((s) => s.datasets['boardjoin']!.path!.split('/')[2]).sort(),
  );
  expect(existsSync(join(config.dataDir, path))).toBe(false);
  const tiers = await openTiers(config);
  try {
    expect((await tiers.get('debug').getMany('boardjoin', [4097]))[0]?.['board_id']).toBe(4097);
  } finally {
    await tiers.close();
  }
});
