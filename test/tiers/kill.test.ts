/**
 * Atomic switching under `kill -9`: a loader process is killed at many points of a load (while
 * building prod, between building and switching, between two tiers' switches, at a random time).
 * After each kill every tier must still serve a complete version (the previous one, or the new one
 * for tiers that had switched), `tiers status` must be consistent, and the next load must succeed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProjectConfig, type ProjectConfig } from '../../src/project/config.js';
import { tierDir } from '../../src/project/layout.js';
import { loadTiers } from '../../src/tiers/load.js';
import { openTiers } from '../../src/tiers/open.js';
import { tiersStatus } from '../../src/tiers/status.js';
import { tempDir } from '../helpers/cli.js';
import { writeFixtureVersion } from './fixtures.js';

const DATE = '2026-11-21';
const CHILD = resolve(import.meta.dirname, 'load-child.ts');
// tsx is resolved from the repository, not from the child's (temporary) working directory.
const TSX = pathToFileURL(resolve(import.meta.dirname, '../../node_modules/tsx/dist/loader.mjs')).href;
let dir: string;
let cleanup: () => void;
let config: ProjectConfig;
let pagerank: Record<string, number>;

function startLoader(pauseAt: string): { child: ChildProcess; reached: Promise<string[]> } {
  const child = spawn(process.execPath, ['--import', TSX, CHILD, config.dataDir, pauseAt], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const reached = new Promise<string[]>((resolvePromise, reject) => {
    let buffer = '';
    child.stdout!.on('data', (data: Buffer) => {
      buffer += data.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        if (line === pauseAt || line === 'done') resolvePromise(lines);
      }
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('exit', () => resolvePromise(lines));
    child.on('error', reject);
    setTimeout(
      () => reject(new Error(`loader never reached ${pauseAt}: ${lines.join(',')} ${stderr}`)),
      60_000,
    ).unref();
  });
  return { child, reached };
}

async function expectConsistent(): Promise<Record<string, string>> {
  const status = await tiersStatus(config);
  const versions: Record<string, string> = {};
  for (const t of status.tiers) {
    expect(t.error).toBeUndefined();
    const tierVersions = new Set(t.datasets.map((d) => d.version));
    expect(tierVersions.size).toBe(1); // never a mix of versions within a tier
    versions[t.tier] = [...tierVersions][0]!;
  }
  const tiers = await openTiers(config);
  try {
    for (const t of status.tiers) {
      const [record] = await tiers.get(t.tier).getMany('boardjoin', [4]);
      // The values served are those of the version the status names.
      expect(record?.['pagerank']).toBe(pagerank[versions[t.tier]!]);
    }
  } finally {
    await tiers.close();
  }
  return versions;
}

beforeAll(async () => {
  ({ dir, cleanup } = tempDir('disco-kill-'));
  config = loadProjectConfig(dir, { dataDir: join(dir, 'data') });
  const size = { users: 200, boards: 600, pins: 4000 };
  await writeFixtureVersion({ dataDir: config.dataDir, date: DATE, iteration: 1, ...size });
  await loadTiers({ config });
  const tiers = await openTiers(config);
  const v1 = (await tiers.get('archive').getMany('boardjoin', [4]))[0]!['pagerank'] as number;
  await tiers.close();
  await writeFixtureVersion({
    dataDir: config.dataDir,
    date: DATE,
    iteration: 2,
    perturb: 7,
    raw: false,
    ...size,
  });
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  const v2 = (
    await db.runAndReadAll(
      `SELECT pagerank FROM read_parquet('${config.dataDir}/warehouse/boardjoin/dt=${DATE}/iter=2/*.parquet') WHERE board_id = 4`,
    )
  ).getRows()[0]![0] as number;
  db.closeSync();
  pagerank = { [`${DATE}/1`]: v1, [`${DATE}/2`]: v2 };
  expect(v1).not.toBe(v2);
});
afterAll(() => cleanup());

describe('a load by another process', () => {
  it('is noticed by readers that are already open (within 100 ms), without reopening them', async () => {
    const tiers = await openTiers(config);
    try {
      expect((await tiers.get('prod').getMany('boardjoin', [4]))[0]!['pagerank']).toBe(pagerank[`${DATE}/1`]);
      const { child, reached } = startLoader('never');
      expect(await reached).toContain('done');
      await new Promise((r) => child.once('exit', r));
      await new Promise((r) => setTimeout(r, 150));
      for (const name of ['prod', 'batch', 'debug']) {
        expect((await tiers.get(name).getMany('boardjoin', [4]))[0]!['pagerank']).toBe(pagerank[`${DATE}/2`]);
        expect(tiers.get(name).versionOf('boardjoin')).toBe(`${DATE}/2`);
      }
    } finally {
      await tiers.close();
    }
    await loadTiers({ config, version: { date: DATE as never, iteration: 1 } });
  });
});

describe('kill -9 during a load', () => {
  const points = [
    'dataset:prod', // mid-way through writing the new prod file
    'dataset:batch', // prod built, batch half-built
    'tier-built:debug', // everything built, nothing switched yet
    'tier-switched:prod',
    'tier-switched:archive',
  ];
  for (const point of points) {
    it(`leaves every tier serving a complete version when killed at ${point}`, async () => {
      const before = await expectConsistent();
      const { child, reached } = startLoader(point);
      const lines = await reached;
      expect(lines).toContain(point);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const after = await expectConsistent();
      const switched = lines.filter((l) => l.startsWith('tier-switched:')).map((l) => l.split(':')[1]!);
      for (const tier of ['prod', 'batch', 'archive', 'debug']) {
        expect(after[tier]).toBe(switched.includes(tier) ? `${DATE}/2` : before[tier]);
      }
      // The next load takes over the stale lock, clears the leftovers and switches everything.
      await loadTiers({ config, version: { date: DATE as never, iteration: 1 } });
      for (const tier of ['prod', 'batch']) {
        expect(readdirSync(tierDir(config.dataDir, tier)).filter((f) => f.startsWith('building-'))).toEqual(
          [],
        );
      }
      expect(Object.values(await expectConsistent())).toEqual(Array(4).fill(`${DATE}/1`));
    });
  }

  it('survives a kill at a random moment', async () => {
    for (const delay of [250, 700]) {
      const { child } = startLoader('never');
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      await expectConsistent();
    }
  });
});
