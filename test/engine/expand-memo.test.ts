/**
 * The expand memo (src/engine/processors/expand-memo.ts) must never change an answer: the SPEC's
 * related-pins plan over tiers with stable records (memoized) and without (plain path) gives the
 * same responses and the same per-node item counts, request after request — through first
 * sightings, entry builds, cold fetches, warm hits, records re-read as new objects (as after an
 * eviction from prod's cache), missing keys, duplicate references, `limit`, and the filter
 * pushed down into the expand.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePath } from '../../src/engine/expr.js';
import type { PlanResponse } from '../../src/engine/index.js';
import { ColdEntries, ExpandMemo, pushedFilter } from '../../src/engine/processors/expand-memo.js';
import { referencedKeys } from '../../src/engine/processors/sources.js';
import type { Item, Key } from '../../src/tiers/tier.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { FakeTier, StableFakeTier, StableSyncFakeTier, SyncFakeTier, tierSource } from './fakes.js';
import { compileYaml } from './plan-helpers.js';

const RELATED_PINS = readFileSync(join(REPO_ROOT, 'plans', 'related-pins.yaml'), 'utf8');
const withLimit = (n: number) => RELATED_PINS.replace('limit: 500', `limit: ${n}`);

interface World {
  pins: Map<Key, Item>;
  boards: Map<Key, Item>;
}

const pinKey = (i: number) => `p${i}`;

/** `n` food pins on the given boards, scored by index. */
function foodPins(n: number, boardIds: number[]): Map<Key, Item> {
  const pins = new Map<Key, Item>();
  for (let i = 0; i < n; i++)
    pins.set(pinKey(i), {
      image_signature: pinKey(i),
      category: 'food',
      pin_count: 2,
      score: i,
      board_ids: boardIds,
    });
  return pins;
}

/** Pins and boards referring to each other, with references to keys that do not exist. */
const worldArb: fc.Arbitrary<World> = fc
  .record({
    nPins: fc.integer({ min: 1, max: 25 }),
    nBoards: fc.integer({ min: 1, max: 8 }),
  })
  .chain(({ nPins, nBoards }) =>
    fc.record({
      pins: fc.array(
        fc.option(
          fc.record({
            category: fc.constantFrom('food', 'art'),
            pin_count: fc.integer({ min: 0, max: 3 }),
            score: fc.option(fc.integer({ min: 0, max: 4 }), { freq: 6 }),
            board_ids: fc.array(fc.integer({ min: 1, max: nBoards + 2 }), { maxLength: 5 }),
          }),
          { freq: 6 },
        ),
        { minLength: nPins, maxLength: nPins },
      ),
      boards: fc.array(
        fc.option(fc.array(fc.integer({ min: 0, max: nPins + 2 }), { maxLength: 12 }), { freq: 6 }),
        { minLength: nBoards, maxLength: nBoards },
      ),
    }),
  )
  .map(({ pins, boards }) => {
    const w: World = { pins: new Map(), boards: new Map() };
    pins.forEach((p, i) => {
      if (p) w.pins.set(pinKey(i), { image_signature: pinKey(i), ...p });
    });
    boards.forEach((sigs, b) => {
      if (sigs) w.boards.set(b + 1, { board_id: b + 1, image_signatures: sigs.map(pinKey) });
    });
    return w;
  });

const stepsArb = fc.array(
  fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record({ seed: fc.integer({ min: 0, max: 6 }), limit: fc.integer({ min: 1, max: 8 }) }),
    },
    { weight: 1, arbitrary: fc.constant({ evict: true as const }) },
  ),
  { minLength: 1, maxLength: 30 },
);

/** Response and per-node item counts (times aside). */
const shape = (r: PlanResponse) => ({
  responses: r.responses,
  nodes: r.timings?.nodes.map((n) => [n.node, n.items_in, n.items_out, n.status]),
});

describe('expand memo', () => {
  it.each<[string, boolean]>([
    ['a synchronous tier', true],
    ['an asynchronous tier', false],
  ])('related-pins gives the same answers with and without it (%s)', async (_what, sync) => {
    await fc.assert(
      fc.asyncProperty(worldArb, stepsArb, fc.integer({ min: 1, max: 30 }), async (w, steps, limit) => {
        const yaml = withLimit(limit);
        const plan = compileYaml(yaml);
        const data = { pinjoin: w.pins, boardjoin: w.boards };
        const memoized = sync ? new StableSyncFakeTier('prod', data) : new StableFakeTier('prod', data);
        const plain = sync ? new SyncFakeTier('prod', data) : new FakeTier('prod', data);
        const keys = [...w.pins.keys()];
        for (const step of steps) {
          if ('evict' in step) {
            // prod read these records again: same content, new objects.
            for (const [k, v] of w.pins) w.pins.set(k, structuredClone(v));
            continue;
          }
          const image = keys[step.seed % keys.length]!;
          const p = { image, limit: step.limit };
          const a = await plan.execute(p, { tiers: tierSource(memoized), collectTimings: true });
          const b = await plan.execute(p, { tiers: tierSource(plain), collectTimings: true });
          expect(shape(a)).toEqual(shape(b));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('serves a repeated request from the memo: only the seed lookup reads the tier', async () => {
    const pins = foodPins(6, [1, 2, 9]);
    const boards = new Map<Key, Item>();
    boards.set(1, { board_id: 1, image_signatures: ['p0', 'p1', 'p2', 'gone'] });
    boards.set(2, { board_id: 2, image_signatures: ['p2', 'p3', 'p4', 'p5'] });
    const tier = new StableSyncFakeTier('prod', { pinjoin: pins, boardjoin: boards });
    const plan = compileYaml(withLimit(6));
    const run = () => plan.execute({ image: 'p0', limit: 25 }, { tiers: tierSource(tier) });
    const first = await run(); // first sighting: the plain path
    await run(); // second: entries built and filled
    tier.calls.length = 0;
    const third = await run();
    expect(third.responses).toEqual(first.responses);
    expect(tier.calls).toEqual([{ dataset: 'pinjoin', keys: ['p0'] }]);
    // limit 6 counts the missing key 'gone': p0 p1 p2 gone p3 p4 → five pins, score order.
    expect(third.responses[0]!.items.map((p) => p.image_signature)).toEqual(['p4', 'p3', 'p2', 'p1', 'p0']);
    // The scans themselves are remembered: the same seed gets the very same `boards` list.
    expect((await run()).responses[1]!.items).toBe(third.responses[1]!.items);
  });

  it('a failed cold fetch fails the node as before, and the next request still answers right', async () => {
    const pins = new Map<Key, Item>([
      ['a', { image_signature: 'a', category: 'food', pin_count: 3, score: 1, board_ids: [1] }],
    ]);
    const boards = new Map<Key, Item>([[1, { board_id: 1, image_signatures: ['a'] }]]);
    let failing = false;
    class Flaky extends StableSyncFakeTier {
      override getManySync(dataset: string, keys: readonly Key[]) {
        if (failing && dataset === 'boardjoin') throw new Error('disk on fire');
        return super.getManySync(dataset, keys);
      }
    }
    const tier = new Flaky('prod', { pinjoin: pins, boardjoin: boards });
    const plan = compileYaml(RELATED_PINS);
    const run = () => plan.execute({ image: 'a', limit: 25 }, { tiers: tierSource(tier) });
    const ok = await run(); // first sighting
    failing = true; // the second sighting builds the entry and must fetch its records
    await expect(run()).rejects.toThrow("node 'boards' failed: disk on fire");
    failing = false;
    expect((await run()).responses).toEqual(ok.responses);
  });

  it('keeps giving the plain answer across generations when over its budget', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }),
        fc.array(fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 6 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.array(fc.nat(), { maxLength: 5 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 12 }),
        (budget, pool, requests, max) => {
          const memo = new ExpandMemo(budget);
          const get = compilePath(['refs']);
          const data = new Map<Key, Item>();
          for (let k = 0; k < 8; k++) data.set(k, { k }); // 8 and 9 are missing
          const parentPool: Item[] = pool.map((refs) => ({ refs }));
          const fetch = (keys: readonly Key[]) => keys.map((k) => data.get(k));
          for (const picks of requests) {
            const parents = picks.map((i) => parentPool[i % parentPool.length]!);
            const expected = fetch(referencedKeys(parents, get, max)).filter((x) => x !== undefined);
            const r = memo.expand(parents, get, max, 'v1');
            if (r === null) continue; // a first sighting: the caller takes the plain path
            expect(r instanceof ColdEntries ? r.finish(fetch(r.keys)) : r).toEqual(expected);
          }
        },
      ),
    );
  });

  it('an expand read by several filters (and an output): each filter still gets its own answer', async () => {
    const yaml = `plan: t
params:
  min: { type: int, default: 1 }
nodes:
  boards: { use: lookup, tier: prod, dataset: boardjoin, keys: [1, 2, 3] }
  pins: { use: expand, input: boards, field: image_signatures, tier: prod, dataset: pinjoin, limit: 7 }
  food: { use: filter, input: pins, where: "category == 'food'" }
  art: { use: filter, input: pins, where: "category == 'art' and pin_count >= 1" }
  many: { use: filter, input: pins, where: "pin_count >= $params.min" }
output:
  food: food
  art: art
  many: many
  pins: pins
`;
    const pins = new Map<Key, Item>();
    for (let i = 0; i < 9; i++)
      pins.set(pinKey(i), { image_signature: pinKey(i), category: i % 3 ? 'art' : 'food', pin_count: i % 3 });
    const boards = new Map<Key, Item>([
      [1, { board_id: 1, image_signatures: ['p0', 'p1', 'x', 'p2'] }],
      [2, { board_id: 2, image_signatures: ['p2', 'p3', 'p4', 'p8'] }],
      [3, { board_id: 3, image_signatures: ['p5', 'p6', 'p7'] }],
    ]);
    const data = { pinjoin: pins, boardjoin: boards };
    const memoized = tierSource(new StableSyncFakeTier('prod', data));
    const plain = tierSource(new SyncFakeTier('prod', data));
    const plan = compileYaml(yaml);
    const expected = await plan.execute({ min: 2 }, { tiers: plain });
    for (let run = 0; run < 3; run++)
      expect((await plan.execute({ min: 2 }, { tiers: memoized })).responses).toEqual(expected.responses);
  });

  it('does not push down a filter that throws on a record', () => {
    const memo = new ExpandMemo();
    const parents: Item[] = [{ refs: ['a', 'b'] }];
    const records = [{ n: 1 }, { n: 2 }];
    const where = (item: unknown) => {
      if ((item as Item).n === 2) throw new Error('boom');
      return true;
    };
    const get = compilePath(['refs']);
    expect(memo.expand(parents, get, 10, 'v1', { key: 'k', where })).toBeNull(); // first sighting
    const cold = memo.expand(parents, get, 10, 'v1', { key: 'k', where });
    expect(cold).toBeInstanceOf(ColdEntries);
    const out = (cold as ColdEntries).finish(records);
    expect(out).toEqual(records);
    expect(pushedFilter(out, 'k')).toBeUndefined();
    const ok = memo.expand(parents, get, 10, 'v1', { key: 'k2', where: () => true }) as Item[];
    expect(pushedFilter(ok, 'k2')).toEqual(records);
    expect(pushedFilter(ok, 'k')).toBeUndefined();
  });

  it('drops what it read from a version the tier no longer serves, even if the parents stay', async () => {
    const pins = foodPins(4, [1]);
    const boards = new Map<Key, Item>([[1, { board_id: 1, image_signatures: ['p0', 'p1', 'p2', 'p3'] }]]);
    let version = '2026-11-21/1';
    class Switching extends StableSyncFakeTier {
      override versionOf() {
        return version;
      }
    }
    const data = { pinjoin: pins, boardjoin: boards };
    const memoized = tierSource(new Switching('prod', data));
    const plain = tierSource(new SyncFakeTier('prod', data));
    const plan = compileYaml(RELATED_PINS);
    const run = (tiers: typeof plain) => plan.execute({ image: 'p0', limit: 25 }, { tiers });
    for (let i = 0; i < 3; i++) await run(memoized);
    // A new version of pinjoin while the board objects stay the same.
    pins.delete('p2');
    pins.set('p3', { ...pins.get('p3')!, category: 'art' });
    version = '2026-11-22/1';
    expect((await run(memoized)).responses).toEqual((await run(plain)).responses);
    expect((await run(memoized)).responses[0]!.items.map((p) => p.image_signature)).toEqual(['p1', 'p0']);
  });
});
