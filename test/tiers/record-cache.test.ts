import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecordCache } from '../../src/tiers/record-cache.js';

describe('RecordCache', () => {
  it('behaves like a map for int, hex and other string keys (null = known missing)', () => {
    const key = fc.oneof(
      fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
      fc.integer({ min: -5, max: 50 }),
      fc.stringMatching(/^[0-9a-f]{16}$/),
      fc.constantFrom('7fffffff00000000', 'ABCDEF0123456789', '', 'x'),
      fc.string(),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(key, fc.boolean())), (ops) => {
        const cache = new RecordCache(1000);
        const ref = new Map<string | number, unknown>();
        for (const [k, missing] of ops) {
          const v = missing ? null : { k };
          cache.set(k, v);
          ref.set(k, v);
        }
        for (const [k, v] of ref) expect(cache.get(k)).toBe(v);
        expect(cache.get('0000000000000000x')).toBeUndefined();
      }),
    );
  });

  it('keeps the hot set across generations and bounds what it holds', () => {
    const cache = new RecordCache(100);
    const hot = { hot: true };
    cache.set(7, hot);
    for (let i = 1000; i < 1500; i++) {
      cache.set(i, { i });
      expect(cache.get(7)).toBe(hot); // touched every round: promoted into each new generation
    }
    expect(cache.size).toBeLessThanOrEqual(201);
    expect(cache.get(1000)).toBeUndefined(); // cold and two generations old: evicted
    expect(cache.get(1499)).toEqual({ i: 1499 });
  });
});
