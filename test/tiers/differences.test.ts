/** The differences logic of `disco debug key`, as plain data. */
import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/catalog/index.js';
import {
  type DebugKeyResult,
  type DebugKeyTier,
  differences,
  staleTiers,
} from '../../src/tiers/debug-key.js';

const boardjoin = CATALOG.get('boardjoin');
const base = {
  board_id: 1,
  owner_id: 2,
  name: 'b',
  category: 'art',
  pagerank: 0.5,
  owner: { user_id: 2, username: 'u', country: 'FR' },
};
const entry = (
  tier: DebugKeyTier['tier'],
  record: Record<string, unknown> | null,
  version = '2026-11-21/1',
): DebugKeyTier => ({
  tier,
  found: record !== null,
  version,
  latency_ms: 1,
  light: tier === 'prod' || tier === 'batch',
  record,
});

describe('differences', () => {
  it('ignores fields a light tier leaves out by design', () => {
    const d = differences(boardjoin, [
      entry('prod', base),
      entry('archive', { ...base, description: 'long text', pins: [] }),
      entry('debug', { ...base, description: 'long text', pins: [] }),
    ]);
    expect(d).toEqual([]);
  });

  it('reports a field that differs, with the value of every tier that holds it', () => {
    const d = differences(boardjoin, [
      entry('prod', { ...base, pagerank: 0.4 }, '2026-11-20/1'),
      entry('batch', base),
      entry('archive', { ...base, description: 'x' }),
      entry('debug', { ...base, description: 'y' }),
    ]);
    expect(d).toEqual([
      { field: 'description', values: { archive: 'x', debug: 'y' } },
      { field: 'pagerank', values: { prod: 0.4, batch: 0.5, archive: 0.5, debug: 0.5 } },
    ]);
  });

  it('compares nested values deeply and skips tiers that did not find the key', () => {
    const d = differences(boardjoin, [
      entry('prod', { ...base, owner: { user_id: 2, username: 'u', country: 'FR' } }),
      entry('batch', { ...base, owner: { user_id: 2, username: 'v', country: 'FR' } }),
      entry('archive', null),
    ]);
    expect(d).toEqual([
      {
        field: 'owner',
        values: {
          prod: { user_id: 2, username: 'u', country: 'FR' },
          batch: { user_id: 2, username: 'v', country: 'FR' },
        },
      },
    ]);
    expect(differences(boardjoin, [entry('prod', base), entry('archive', null)])).toEqual([]);
  });

  it('a missing value in one tier is a difference (null)', () => {
    const { pagerank: _, ...withoutRank } = base;
    expect(differences(boardjoin, [entry('prod', base), entry('batch', withoutRank)])).toEqual([
      { field: 'pagerank', values: { prod: 0.5, batch: null } },
    ]);
  });

  it('names the stale tiers: those serving an older version than another tier', () => {
    const result: DebugKeyResult = {
      dataset: 'boardjoin',
      key: 1,
      tiers: [
        entry('prod', base, '2026-11-21/1'),
        entry('batch', base, '2026-11-21/2'),
        entry('archive', base, '2026-11-21/10'),
        { ...entry('debug', null), version: null },
      ],
      differences: [],
    };
    expect(staleTiers(result)).toEqual(['prod', 'batch']);
  });
});
