import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseServerTiming } from '../../src/bench/http-target.js';
import { markShared } from '../../src/engine/shared-lists.js';
import { encodeJson, encodeJsonPooled } from '../../src/serve/encode.js';
import { serverTimingHeader } from '../../src/serve/server.js';

const same = (body: unknown) => expect(encodeJson(body).toString('utf8')).toBe(JSON.stringify(body));

describe('encodeJson', () => {
  it('writes exactly JSON.stringify for plan responses, error bodies and odd values', () => {
    const record = { image_signature: 'é"\\\n', pin_count: 3, board_ids: [1, 2], nested: { a: null } };
    same({ plan: 'p', responses: [{ name: 'pins', dataset: 'pinjoin', items: [record, record] }] });
    same({ error: { code: 'x', message: 'y' } });
    same({ status: 'ok', plans: 3 });
    same({
      plan: 'p',
      skipped: undefined,
      responses: [
        {
          name: 'a',
          items: [null, 1, 'x', [1], undefined, new Date(0), { toJSON: () => 'j' }],
          extra: undefined,
        },
        null,
        { items: 'not-an-array' },
        { name: 'empty', items: [] },
      ],
      timings: { nodes: [{ node: 'n', start_ms: 0, end_ms: 1.5 }] },
    });
    same({ responses: 'no' });
  });

  it('reuses a record encoding, and agrees with JSON.stringify on arbitrary responses', () => {
    const record = { id: 1 };
    const body = { plan: 'p', responses: [{ name: 'r', items: [record] }] };
    same(body);
    same(body); // second time from the memo
    fc.assert(
      fc.property(
        fc.string(),
        fc.array(fc.record({ name: fc.string(), items: fc.array(fc.jsonValue(), { maxLength: 5 }) })),
        (plan, responses) => {
          same({ plan, responses });
          same({ plan, responses }); // memoized records
        },
      ),
    );
  });

  it('writes a list the engine shares as JSON.stringify does, every time it comes by', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 5 }), (items) => {
        markShared(items);
        same({
          plan: 'p',
          responses: [
            { name: 'a', items },
            { name: 'b', items },
          ],
        });
        same({ plan: 'p', responses: [{ name: 'a', items }] }); // its bytes from the memo
      }),
    );
  });
});

describe('encodeJsonPooled', () => {
  const text = (p: { segments: Buffer[]; length: number }) => {
    const bytes = Buffer.concat(p.segments);
    expect(bytes.length).toBe(p.length);
    return bytes.toString();
  };

  it('gives the same bytes, reuses memory only once released', () => {
    // Many small records: copied into pooled memory.
    const big = (c: string) => ({
      plan: 'p',
      responses: [{ name: 'r', items: Array.from({ length: 100 }, (_, i) => ({ i, s: c.repeat(400) })) }],
    });
    const a = encodeJsonPooled(big('a'));
    expect(a.segments).toHaveLength(1);
    expect(text(a)).toBe(JSON.stringify(big('a')));
    const b = encodeJsonPooled(big('b')); // a is not released: b must not overwrite it
    expect(text(a)).toBe(JSON.stringify(big('a')));
    a.release();
    const c = encodeJsonPooled(big('c'));
    expect(c.segments[0]!.buffer).toBe(a.segments[0]!.buffer);
    expect(text(c)).toBe(JSON.stringify(big('c')));
    expect(text(b)).toBe(JSON.stringify(big('b')));
    b.release();
    c.release();
    c.release(); // twice is harmless
    const small = encodeJsonPooled({ error: { code: 'x' } });
    expect(text(small)).toBe('{"error":{"code":"x"}}');
  });

  it('writes large memoized parts by reference, between the copied ones', () => {
    const boards = Array.from({ length: 40 }, (_, i) => ({ board_id: i, name: 'b'.repeat(1000) }));
    markShared(boards);
    const body = (pin: string) => ({
      plan: 'related-pins',
      responses: [
        { name: 'pins', dataset: 'pinjoin', items: [{ image_signature: pin }] },
        { name: 'boards', dataset: 'boardjoin', items: boards },
      ],
    });
    const first = encodeJsonPooled(body('x'));
    const second = encodeJsonPooled(body('y'));
    expect(text(first)).toBe(JSON.stringify(body('x')));
    expect(text(second)).toBe(JSON.stringify(body('y')));
    // before the list, the list's own bytes (the same buffer both times), after it
    expect(first.segments).toHaveLength(3);
    expect(second.segments[1]).toBe(first.segments[1]);
    expect(first.segments[1]!.toString()).toBe(JSON.stringify(boards));
  });
});

describe('Server-Timing', () => {
  it('round-trips node latencies, skipping names that are not header tokens', () => {
    const header = serverTimingHeader([
      { node: 'seed', ms: 0.1234 },
      { node: 'bad name', ms: 1 },
      { node: 'boards', ms: 2 },
    ]);
    expect(header).toBe('seed;dur=0.123, boards;dur=2.000');
    expect(parseServerTiming(header)).toEqual([
      { node: 'seed', ms: 0.123 },
      { node: 'boards', ms: 2 },
    ]);
    expect(parseServerTiming(undefined)).toBeUndefined();
  });
});
