/** Validates plan YAML with the plan package and compiles it with the engine. */
import { compilePlan } from '../../src/engine/compile.js';
import type { CheckedPlan } from '../../src/plan/ast.js';
import { checkPlanText, defaultEnv } from '../../src/plan/index.js';
import type { Item, Key } from '../../src/tiers/tier.js';
import { FakeTier, SyncFakeTier, tierSource } from './fakes.js';

export function checked(yaml: string): CheckedPlan {
  const r = checkPlanText(yaml, 'test.yaml', defaultEnv());
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (!r.plan || errors.length > 0)
    throw new Error(
      `invalid test plan: ${errors.map((d) => `${d.line}:${d.column} ${d.message}`).join('; ')}`,
    );
  return r.plan;
}

export const compileYaml = (yaml: string) => compilePlan(checked(yaml));

const CATS = ['food', 'art', 'travel'];

/** A tiny consistent world: pins `img<N>` on boards, boards owned by users. */
export function world(): { pins: Map<Key, Item>; boards: Map<Key, Item>; users: Map<Key, Item> } {
  const pins = new Map<Key, Item>();
  const boards = new Map<Key, Item>();
  const users = new Map<Key, Item>();
  for (let b = 1; b <= 6; b++) {
    const sigs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
      .filter((p) => p % b === 0 || (p + b) % 5 === 0)
      .map((p) => `img${p}`);
    boards.set(b, {
      board_id: b,
      owner_id: ((b - 1) % 3) + 1,
      name: `board ${b}`,
      category: CATS[b % 3],
      pagerank: b / 100,
      image_signatures: sigs,
    });
  }
  for (let p = 1; p <= 12; p++) {
    const boardIds = [...boards.values()]
      .filter((b) => (b.image_signatures as string[]).includes(`img${p}`))
      .map((b) => b.board_id);
    pins.set(`img${p}`, {
      image_signature: `img${p}`,
      pin_count: p % 4,
      score: (p * 7) % 11,
      category: CATS[p % 3],
      title: `pin ${p}`,
      board_ids: boardIds,
      user_ids: [(p % 3) + 1],
    });
  }
  for (let u = 1; u <= 3; u++)
    users.set(u, { user_id: u, username: `user${u}`, country: 'FR', board_ids: [u, u + 3] });
  return { pins, boards, users };
}

export function worldTiers(delayMs = 0, sync = false) {
  const w = world();
  const data = { pinjoin: w.pins, boardjoin: w.boards, userjoin: w.users };
  const prod = sync ? new SyncFakeTier('prod', data) : new FakeTier('prod', data, delayMs);
  return { prod, tiers: tierSource(prod), world: w };
}
