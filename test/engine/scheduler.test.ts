import { describe, expect, it } from 'vitest';
import { compileExecPlan } from '../../src/engine/compile.js';
import type { Items } from '../../src/engine/graph.js';
import { PlanExecutionError } from '../../src/engine/response.js';
import { FakeTier, items, plan, sleep, task, tierSource } from './fakes.js';

const tiers = tierSource();
const values = (xs: Items) => xs.map((x) => x.v);

describe('scheduler', () => {
  it('runs a chain and returns the outputs', async () => {
    const p = compileExecPlan(
      plan(
        [
          task('a', [], () => items(1, 2, 3)),
          task('b', ['a'], async ([xs]) => xs!.map((x) => ({ v: (x.v as number) * 2 }))),
          task('c', ['b'], ([xs]) => xs!.filter((x) => (x.v as number) > 2)),
        ],
        { out: 'c', raw: 'a' },
      ),
    );
    const r = await p.execute({}, { tiers });
    expect(r.plan).toBe('test');
    expect(r.responses.map((l) => [l.name, values(l.items)])).toEqual([
      ['out', [4, 6]],
      ['raw', [1, 2, 3]],
    ]);
    expect(r.errors).toBeUndefined();
  });

  it('starts independent nodes together: two 50 ms nodes overlap', async () => {
    const slow = (v: number) => async () => {
      await sleep(50);
      return items(v);
    };
    const p = compileExecPlan(
      plan([task('a', [], slow(1)), task('b', [], slow(2)), task('m', ['a', 'b'], (ins) => ins.flat())], {
        out: 'm',
      }),
    );
    const r = await p.execute({}, { tiers, collectTimings: true });
    expect(values(r.responses[0]!.items)).toEqual([1, 2]);
    const t = Object.fromEntries(r.timings!.nodes.map((n) => [n.node, n]));
    // Overlap evidence: each started before the other ended.
    expect(t.a!.start_ms).toBeLessThan(t.b!.end_ms);
    expect(t.b!.start_ms).toBeLessThan(t.a!.end_ms);
    expect(t.m!.start_ms).toBeGreaterThanOrEqual(Math.max(t.a!.end_ms, t.b!.end_ms));
  });

  it('computes a node that feeds three nodes once', async () => {
    let runs = 0;
    const p = compileExecPlan(
      plan(
        [
          task('src', [], async () => {
            runs++;
            return items(1, 2);
          }),
          task('x', ['src'], ([a]) => a!),
          task('y', ['src'], async ([a]) => a!),
          task('z', ['src'], ([a]) => a!.slice(1)),
        ],
        { x: 'x', y: 'y', z: 'z' },
      ),
    );
    const r = await p.execute({}, { tiers });
    expect(runs).toBe(1);
    expect(r.responses.map((l) => values(l.items))).toEqual([[1, 2], [1, 2], [2]]);
  });

  it('runs only what the outputs need', async () => {
    const ran: string[] = [];
    const mk = (n: string, ins: string[]) =>
      task(n, ins, () => {
        ran.push(n);
        return items(1);
      });
    const p = compileExecPlan(
      plan([mk('a', []), mk('b', ['a']), mk('unused', ['a']), mk('other', [])], { out: 'b' }),
    );
    await p.execute({}, { tiers });
    expect(ran.sort()).toEqual(['a', 'b']);
  });

  it('passes split ports to their consumers', async () => {
    const p = compileExecPlan(
      plan(
        [task('s', [], () => ({ even: items(2, 4), odd: items(1) })), task('e', ['s.even'], ([a]) => a!)],
        { evens: 'e', odds: 's.odd' },
      ),
    );
    const r = await p.execute({}, { tiers });
    expect(r.responses.map((l) => values(l.items))).toEqual([[2, 4], [1]]);
  });

  it('on_error: empty turns a failure into an empty list and records it', async () => {
    const p = compileExecPlan(
      plan(
        [
          task(
            'bad',
            [],
            () => {
              throw new Error('boom');
            },
            { onError: 'empty' },
          ),
          task('after', ['bad'], ([a]) => [...a!, ...items(9)]),
        ],
        { out: 'after' },
      ),
    );
    const r = await p.execute({}, { tiers });
    expect(values(r.responses[0]!.items)).toEqual([9]);
    expect(r.errors).toEqual([{ node: 'bad', message: 'boom', handled: 'empty' }]);
  });

  it('a failure that reaches an output rejects the request, naming the node', async () => {
    const p = compileExecPlan(
      plan(
        [
          task('bad', [], async () => {
            throw new Error('tier down');
          }),
          task('after', ['bad'], ([a]) => a!),
        ],
        { out: 'after' },
      ),
    );
    const error = await p.execute({}, { tiers }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlanExecutionError);
    expect((error as Error).message).toBe("node 'after' failed: input 'bad' failed: tier down");
  });

  it('a node that hangs past timeout_ms fails (and a fallback moves on); the request does not hang', async () => {
    let lateStarted = 0;
    const p = compileExecPlan(
      plan(
        [
          task('hang', [], () => new Promise(() => {}), { timeoutMs: 20 }),
          task('backup', [], () => {
            lateStarted++;
            return items(7);
          }),
          {
            name: 'fb',
            processor: 'fallback',
            kind: 'fallback',
            when: 'error',
            inputs: [{ node: 'hang' }, { node: 'backup' }],
            onError: 'fail',
          },
        ],
        { out: 'fb' },
      ),
    );
    const r = await p.execute({}, { tiers, collectTimings: true });
    expect(values(r.responses[0]!.items)).toEqual([7]);
    expect(lateStarted).toBe(1);
    expect(r.errors).toEqual([
      {
        node: 'hang',
        message: "node 'hang' timed out after 20 ms (timeout_ms)",
        handled: 'fallback',
        by: 'fb',
      },
    ]);
    const t = Object.fromEntries(r.timings!.nodes.map((n) => [n.node, n]));
    // The backup only started once the first input failed.
    expect(t.backup!.start_ms).toBeGreaterThanOrEqual(t.hang!.end_ms);
  });

  it('fallback does not start later inputs when the first succeeds', async () => {
    let backupRuns = 0;
    const p = compileExecPlan(
      plan(
        [
          task('main', [], async () => items(1)),
          task('backup', [], () => {
            backupRuns++;
            return items(2);
          }),
          {
            name: 'fb',
            processor: 'fallback',
            kind: 'fallback',
            when: 'error',
            inputs: [{ node: 'main' }, { node: 'backup' }],
            onError: 'fail',
          },
        ],
        { out: 'fb' },
      ),
    );
    expect(values((await p.execute({}, { tiers })).responses[0]!.items)).toEqual([1]);
    expect(backupRuns).toBe(0);
  });

  it('fallback when: empty skips empty inputs; returns empty when all are', async () => {
    const fb = (inputs: string[]) =>
      compileExecPlan(
        plan(
          [
            task('none', [], async () => []),
            task('some', [], () => items(3)),
            task('bad', [], () => {
              throw new Error('x');
            }),
            {
              name: 'fb',
              processor: 'fallback',
              kind: 'fallback',
              when: 'empty',
              inputs: inputs.map((node) => ({ node })),
              onError: 'fail',
            },
          ],
          { out: 'fb' },
        ),
      );
    expect(values((await fb(['none', 'some']).execute({}, { tiers })).responses[0]!.items)).toEqual([3]);
    expect(values((await fb(['bad', 'none', 'some']).execute({}, { tiers })).responses[0]!.items)).toEqual([
      3,
    ]);
    expect(values((await fb(['none', 'none']).execute({}, { tiers })).responses[0]!.items)).toEqual([]);
  });

  it('experiment runs only the chosen branch', async () => {
    const ran: string[] = [];
    const mk = (n: string, v: number) =>
      task(n, [], async () => {
        ran.push(n);
        return items(v);
      });
    const p = compileExecPlan(
      plan(
        [
          mk('a', 1),
          mk('b', 2),
          {
            name: 'exp',
            processor: 'experiment',
            kind: 'experiment',
            inputs: [{ node: 'a' }, { node: 'b' }],
            onError: 'fail',
            choose: (params) => (params.user === 'u1' ? 0 : 1),
          },
        ],
        { out: 'exp' },
      ),
    );
    expect(values((await p.execute({ user: 'u1' }, { tiers })).responses[0]!.items)).toEqual([1]);
    expect(ran).toEqual(['a']);
    expect(values((await p.execute({ user: 'u2' }, { tiers })).responses[0]!.items)).toEqual([2]);
    expect(ran).toEqual(['a', 'b']);
  });

  it('the request deadline rejects a request whose node hangs without timeout_ms', async () => {
    const p = compileExecPlan(plan([task('hang', [], () => new Promise(() => {}))], { out: 'hang' }));
    const started = performance.now();
    const error = await p.execute({}, { tiers, deadlineMs: 30 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlanExecutionError);
    expect((error as PlanExecutionError).code).toBe('deadline-exceeded');
    expect((error as Error).message).toBe('request deadline of 30 ms exceeded while running hang');
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('expires each hanging request at its own deadline; the others are unaffected', async () => {
    const p = compileExecPlan(
      plan(
        [
          task('maybe', [], (_i, ctx) =>
            ctx.params.hang ? new Promise(() => {}) : sleep(5).then(() => items(1)),
          ),
        ],
        { out: 'maybe' },
      ),
    );
    const first = p.execute({ hang: true }, { tiers, deadlineMs: 40 }).catch((e: unknown) => e);
    await sleep(15);
    const second = p.execute({ hang: true }, { tiers, deadlineMs: 40 }).catch((e: unknown) => e);
    const fast = p.execute({ hang: false }, { tiers, deadlineMs: 40 });
    const t0 = performance.now();
    expect(await first).toBeInstanceOf(PlanExecutionError);
    const t1 = performance.now();
    expect(values((await fast).responses[0]!.items)).toEqual([1]);
    expect(await second).toBeInstanceOf(PlanExecutionError);
    // The second expired after the first (it started 15 ms later).
    expect(performance.now()).toBeGreaterThan(t1);
    expect(t1 - t0).toBeLessThan(10_000);
  });

  it('aborts the signal of a timed-out node', async () => {
    let aborted = false;
    const p = compileExecPlan(
      plan(
        [
          task(
            'hang',
            [],
            (_i, ctx) =>
              new Promise(() => {
                ctx.signal?.addEventListener('abort', () => {
                  aborted = true;
                });
              }),
            { timeoutMs: 10, onError: 'empty' },
          ),
        ],
        { out: 'hang' },
      ),
    );
    const r = await p.execute({}, { tiers });
    expect(r.responses[0]!.items).toEqual([]);
    expect(aborted).toBe(true);
  });

  it('a processor that returns nothing fails clearly', async () => {
    const p = compileExecPlan(
      plan([task('nothing', [], (() => undefined) as never, { onError: 'empty' })], { out: 'nothing' }),
    );
    const r = await p.execute({}, { tiers });
    expect(r.errors?.[0]?.message).toBe('processor returned undefined, not a list of items');
  });

  it('batches fetches of the same tier and dataset made by nodes that become ready together', async () => {
    const tier = new FakeTier('prod', {
      boardjoin: new Map([
        [1, { board_id: 1 }],
        [2, { board_id: 2 }],
        [3, { board_id: 3 }],
      ]),
    });
    const fetcher = (keys: number[]) =>
      ((_i, ctx) =>
        ctx.fetch('prod', 'boardjoin', keys).then((rs) => rs.filter((r) => r !== undefined))) as Parameters<
        typeof task
      >[2];
    const p = compileExecPlan(
      plan(
        [
          task('x', [], fetcher([1, 2])),
          task('y', [], fetcher([2, 3, 4])),
          task('m', ['x', 'y'], (ins) => ins.flat()),
        ],
        { out: 'm' },
      ),
    );
    const r = await p.execute({}, { tiers: tierSource(tier) });
    expect(r.responses[0]!.items.map((x) => x.board_id)).toEqual([1, 2, 2, 3]);
    expect(tier.calls).toEqual([{ dataset: 'boardjoin', keys: [1, 2, 3, 4] }]);
  });

  it('is reusable across concurrent requests', async () => {
    const p = compileExecPlan(
      plan([task('a', [], async (_i, ctx) => items(ctx.params.n as number)), task('b', ['a'], ([a]) => a!)], {
        out: 'b',
      }),
    );
    const rs = await Promise.all([1, 2, 3].map((n) => p.execute({ n }, { tiers })));
    expect(rs.map((r) => values(r.responses[0]!.items))).toEqual([[1], [2], [3]]);
  });
});
