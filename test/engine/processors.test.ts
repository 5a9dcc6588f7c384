import { describe, expect, it } from 'vitest';
import { parseParams } from '../../src/engine/params.js';
import { bucketOf } from '../../src/engine/processors/experiment.js';
import { PlanExecutionError } from '../../src/engine/response.js';
import { checked, compileYaml, worldTiers } from './plan-helpers.js';

const head = (params = '') => `plan: t\n${params ? `params:\n${params}\n` : ''}nodes:\n`;
const sigs = (items: readonly Record<string, unknown>[]) => items.map((x) => x.image_signature);

describe('built-in processors', () => {
  it.each<[string, boolean]>([
    ['an async tier', false],
    ['a synchronous tier (getManySync, like prod)', true],
  ])(
    'related-pins over %s: lookup → expand → expand → filter → rank, one call per step',
    async (_what, sync) => {
      const yaml = `${head('  image: { type: string, required: true }\n  limit: { type: int, default: 3 }')}  seed: { use: lookup, tier: prod, dataset: pinjoin, keys: $params.image }
  boards: { use: expand, input: seed, field: board_ids, tier: prod, dataset: boardjoin }
  candidates: { use: expand, input: boards, field: image_signatures, tier: prod, dataset: pinjoin, limit: 500 }
  fresh: { use: filter, input: candidates, where: "pin_count >= 1" }
  ranked: { use: rank, input: fresh, by: score, limit: $params.limit }
output:
  pins: ranked
  boards: boards
`;
      const plan = checked(yaml);
      const { tiers, prod, world } = worldTiers(0, sync);
      const r = await compileYaml(yaml).execute(parseParams(plan, ['image=img6']), { tiers });
      // Reference computed by hand from the world.
      const seed = world.pins.get('img6')!;
      const boards = (seed.board_ids as number[]).map((b) => world.boards.get(b)!);
      const cand: string[] = [];
      for (const b of boards)
        for (const s of b.image_signatures as string[]) if (!cand.includes(s)) cand.push(s);
      const expected = cand
        .map((s) => world.pins.get(s)!)
        .filter((p) => (p.pin_count as number) >= 1)
        .map((p, i) => ({ p, i }))
        .sort((a, b) => (b.p.score as number) - (a.p.score as number) || a.i - b.i)
        .slice(0, 3)
        .map((x) => x.p.image_signature);
      expect(r.responses.map((l) => [l.name, l.dataset])).toEqual([
        ['pins', 'pinjoin'],
        ['boards', 'boardjoin'],
      ]);
      expect(sigs(r.responses[0]!.items)).toEqual(expected);
      expect(r.responses[1]!.items.map((b) => b.board_id)).toEqual(seed.board_ids);
      expect(prod.calls.map((c) => c.dataset)).toEqual(['pinjoin', 'boardjoin', 'pinjoin']);
    },
  );

  it('batches two lookups of the same dataset that are ready together', async () => {
    const yaml = `${head()}  a: { use: lookup, tier: prod, dataset: pinjoin, keys: [img1, img2] }
  b: { use: lookup, tier: prod, dataset: pinjoin, keys: [img2, img3, nope] }
  m: { use: merge, input: [a, b], strategy: concat }
output:
  all: m
`;
    const { tiers, prod } = worldTiers();
    const r = await compileYaml(yaml).execute({}, { tiers });
    expect(sigs(r.responses[0]!.items)).toEqual(['img1', 'img2', 'img2', 'img3']);
    expect(prod.calls).toEqual([{ dataset: 'pinjoin', keys: ['img1', 'img2', 'img3', 'nope'] }]);
  });

  it('dedupe, limit, project, rank asc', async () => {
    const yaml = `${head()}  all: { use: lookup, tier: prod, dataset: pinjoin, keys: [img1, img2, img3, img4, img5, img6] }
  d: { use: dedupe, input: all, by: category }
  asc: { use: rank, input: d, by: score, order: asc }
  l: { use: limit, input: asc, n: 2 }
  p: { use: project, input: l, fields: [image_signature, score] }
output:
  out: p
`;
    const { tiers } = worldTiers();
    const r = await compileYaml(yaml).execute({}, { tiers });
    // dedupe by category keeps img1 (art), img2 (travel), img3 (food); scores 7, 3, 10.
    expect(r.responses[0]!.items).toEqual([
      { image_signature: 'img2', score: 3 },
      { image_signature: 'img1', score: 7 },
    ]);
  });

  it('merge interleave and weighted, with dedupe_by and limit', async () => {
    const yaml = (
      strategy: string,
      extra = '',
    ) => `${head()}  a: { use: lookup, tier: prod, dataset: pinjoin, keys: [img1, img2, img3, img4] }
  b: { use: lookup, tier: prod, dataset: pinjoin, keys: [img2, img9, img10] }
  m: { use: merge, input: [a, b], strategy: ${strategy}, dedupe_by: image_signature${extra} }
output:
  out: m
`;
    const { tiers } = worldTiers();
    const inter = await compileYaml(yaml('interleave', ', limit: 5')).execute({}, { tiers });
    expect(sigs(inter.responses[0]!.items)).toEqual(['img1', 'img2', 'img9', 'img3', 'img10']);
    const weighted = await compileYaml(yaml('weighted', ', weights: { a: 1, b: 3 }')).execute({}, { tiers });
    // Smooth weighted round-robin (b:3 to a:1) while both have items: b a b b, then a's rest.
    expect(sigs(weighted.responses[0]!.items)).toEqual(['img2', 'img1', 'img9', 'img10', 'img3', 'img4']);
  });

  it('split routes items to ports (first case wins, else)', async () => {
    const yaml = `${head()}  all: { use: lookup, tier: prod, dataset: pinjoin, keys: [img1, img2, img3, img4, img5, img6] }
  s:
    use: split
    input: all
    cases: { food: "category == 'food'", big: "score > 5" }
    else: rest
output:
  food: s.food
  big: s.big
  rest: s.rest
`;
    const { tiers } = worldTiers();
    const r = await compileYaml(yaml).execute({}, { tiers });
    expect(r.responses.map((l) => sigs(l.items))).toEqual([
      ['img3', 'img6'],
      ['img1', 'img4'],
      ['img2', 'img5'],
    ]);
  });

  it('experiment: a user always lands in the same variant, and only its branch runs', async () => {
    const yaml = `${head('  user: { type: int, required: true }')}  a: { use: lookup, tier: prod, dataset: pinjoin, keys: [img1] }
  b: { use: lookup, tier: prod, dataset: pinjoin, keys: [img2] }
  e:
    use: experiment
    by: $params.user
    variants:
      control: { weight: 1, input: a }
      treatment: { weight: 1, input: b }
output:
  out: e
`;
    const plan = compileYaml(yaml);
    const seen = new Map<number, unknown>();
    let control = 0;
    for (let u = 1; u <= 200; u++) {
      const { tiers, prod } = worldTiers();
      const first = sigs((await plan.execute({ user: u }, { tiers })).responses[0]!.items);
      const again = sigs((await plan.execute({ user: u }, { tiers })).responses[0]!.items);
      expect(again).toEqual(first);
      // Only the chosen branch's lookup ran.
      expect(prod.calls.every((c) => c.keys.length === 1 && c.keys[0] === first[0])).toBe(true);
      seen.set(u, first[0]);
      if (first[0] === 'img1') control++;
      expect(first[0]).toBe(bucketOf('t/e', u) < 0.5 ? 'img1' : 'img2');
    }
    // Roughly half and half.
    expect(control).toBeGreaterThan(60);
    expect(control).toBeLessThan(140);
  });

  it('fallback when: empty moves to the next input; on_error: empty is recorded', async () => {
    const yaml = `${head()}  none: { use: lookup, tier: prod, dataset: pinjoin, keys: [nope] }
  some: { use: lookup, tier: prod, dataset: pinjoin, keys: [img3] }
  fb: { use: fallback, input: [none, some], when: empty }
  broken: { use: lookup, tier: batch, dataset: pinjoin, keys: [img1], on_error: empty }
output:
  out: fb
  broken: broken
`;
    const { tiers } = worldTiers();
    const r = await compileYaml(yaml).execute({}, { tiers });
    expect(sigs(r.responses[0]!.items)).toEqual(['img3']);
    expect(r.responses[1]!.items).toEqual([]);
    expect(r.errors).toEqual([{ node: 'broken', message: 'tier batch not loaded', handled: 'empty' }]);
  });

  it('a failing lookup without on_error fails the request with the node named', async () => {
    const yaml = `${head()}  broken: { use: lookup, tier: batch, dataset: pinjoin, keys: [img1] }
output:
  out: broken
`;
    const { tiers } = worldTiers();
    const e = await compileYaml(yaml)
      .execute({}, { tiers })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PlanExecutionError);
    expect((e as Error).message).toBe("node 'broken' failed: tier batch not loaded");
  });
});
