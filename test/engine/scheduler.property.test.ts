/**
 * The scheduler against a simple sequential reference executor: for random DAG plans (tasks,
 * split ports, fallbacks, experiments, on_error) and random timings (synchronous, after some
 * microtasks, after a few ms), with processors that throw, return nothing or hang, the responses
 * are equal; the request fails exactly when the reference says it must, and never hangs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileExecPlan } from '../../src/engine/compile.js';
import type { ExecNode, ExecPlan, Items, NodeValue } from '../../src/engine/graph.js';
import { PlanExecutionError } from '../../src/engine/response.js';
import type { Item } from '../../src/tiers/tier.js';
import { tierSource } from './fakes.js';

type Op =
  | { op: 'source'; base: number; n: number }
  | { op: 'concat' }
  | { op: 'map'; k: number }
  | { op: 'filter'; m: number }
  | { op: 'take'; k: number }
  | { op: 'split' };
type Behaviour = 'ok' | 'throw' | 'nothing' | 'hang-timeout' | 'hang';
type Timing = { sync: true } | { micro: number } | { ms: number };

interface Spec {
  kind: 'task' | 'fallback' | 'experiment';
  op: Op;
  inputs: Array<{ node: number; port?: 'lo' | 'hi' }>;
  behaviour: Behaviour;
  onError: 'fail' | 'empty';
  timing: Timing;
  when: 'error' | 'empty';
}

interface Case {
  nodes: Spec[];
  outputs: Array<{ node: number; port?: 'lo' | 'hi' }>;
  params: { seed: number; user: number };
}

const name = (i: number) => `n${i}`;

function pure(op: Op, inputs: readonly Items[], params: Case['params']): NodeValue {
  const all = inputs.flat();
  switch (op.op) {
    case 'source':
      return Array.from({ length: op.n }, (_, i) => ({ v: op.base + i + params.seed }));
    case 'concat':
      return all;
    case 'map':
      return all.map((x) => ({ v: (x.v as number) + op.k }));
    case 'filter':
      return all.filter((x) => (x.v as number) % op.m !== 0);
    case 'take':
      return all.slice(0, op.k);
    case 'split':
      return {
        lo: all.filter((x) => (x.v as number) % 2 === 0),
        hi: all.filter((x) => (x.v as number) % 2 !== 0),
      };
  }
}

const choose = (params: Case['params'], n: number) => params.user % n;

function delay<T>(timing: Timing, f: () => T): T | Promise<T> {
  if ('sync' in timing) return f();
  if ('micro' in timing) {
    let p: Promise<void> = Promise.resolve();
    for (let i = 0; i < timing.micro; i++) p = p.then(() => {});
    return p.then(f);
  }
  return new Promise<T>((resolve, reject) =>
    setTimeout(() => {
      try {
        resolve(f());
      } catch (e) {
        reject(e);
      }
    }, timing.ms),
  );
}

function toExecPlan(c: Case): ExecPlan {
  const nodes: ExecNode[] = c.nodes.map((s, i) => {
    const base = {
      name: name(i),
      processor: s.kind,
      inputs: s.inputs.map((r) => (r.port ? { node: name(r.node), port: r.port } : { node: name(r.node) })),
      onError: s.onError,
    };
    if (s.kind === 'fallback') return { ...base, kind: 'fallback', when: s.when };
    if (s.kind === 'experiment')
      return { ...base, kind: 'experiment', choose: (p) => choose(p as Case['params'], s.inputs.length) };
    const node: ExecNode = {
      ...base,
      kind: 'task',
      run: (inputs, ctx) => {
        if (s.behaviour === 'hang' || s.behaviour === 'hang-timeout') return new Promise<NodeValue>(() => {});
        return delay(s.timing, () => {
          if (s.behaviour === 'throw') throw new Error(`${name(i)} broke`);
          if (s.behaviour === 'nothing') return undefined as unknown as NodeValue;
          return pure(s.op, inputs, ctx.params as Case['params']);
        });
      },
    };
    return s.behaviour === 'hang-timeout' ? { ...node, timeoutMs: 5 } : node;
  });
  return {
    name: 'prop',
    nodes,
    outputs: c.outputs.map((o, k) => ({
      name: `out${k}`,
      node: name(o.node),
      ...(o.port ? { port: o.port } : {}),
      dataset: null,
    })),
  };
}

// ----- the reference: sequential, recursive, memoised --------------------------------------------

type R = { ok: true; value: NodeValue } | { ok: false } | { hang: true };
interface RefResult {
  outcome: 'ok' | 'failed' | 'deadline';
  lists?: Item[][];
  errors: string[];
}

function reference(c: Case): RefResult {
  const memo = new Map<number, R>();
  const errors: string[] = [];
  const slot = (r: { node: number; port?: 'lo' | 'hi' }, v: NodeValue): Items =>
    r.port ? ((v as Record<string, Items>)[r.port] ?? []) : (v as Items);
  const fail = (i: number): R => {
    if (c.nodes[i]!.onError === 'empty') {
      errors.push(`${name(i)}|empty`);
      return { ok: true, value: [] };
    }
    return { ok: false };
  };
  const ev = (i: number): R => {
    const hit = memo.get(i);
    if (hit) return hit;
    const s = c.nodes[i]!;
    let r: R;
    if (s.kind === 'task') {
      const ins = s.inputs.map((x) => ev(x.node));
      if (ins.some((x) => 'ok' in x && !x.ok)) r = fail(i);
      else if (ins.some((x) => 'hang' in x)) r = { hang: true };
      else if (s.behaviour === 'hang') r = { hang: true };
      else if (s.behaviour !== 'ok') r = fail(i);
      else
        r = {
          ok: true,
          value: pure(
            s.op,
            ins.map((x, k) => slot(s.inputs[k]!, (x as { value: NodeValue }).value)),
            c.params,
          ),
        };
    } else if (s.kind === 'experiment') {
      const k = choose(c.params, s.inputs.length);
      const x = ev(s.inputs[k]!.node);
      r = 'hang' in x ? x : x.ok ? { ok: true, value: slot(s.inputs[k]!, x.value) } : fail(i);
    } else {
      r = { ok: false };
      for (let k = 0; k < s.inputs.length; k++) {
        const last = k === s.inputs.length - 1;
        const x = ev(s.inputs[k]!.node);
        if ('hang' in x) {
          r = x;
          break;
        }
        if (x.ok) {
          const v = slot(s.inputs[k]!, x.value);
          if (s.when === 'empty' && v.length === 0 && !last) continue;
          r = { ok: true, value: v };
          break;
        }
        if (!last) errors.push(`${name(s.inputs[k]!.node)}|fallback|${name(i)}`);
        else r = fail(i);
      }
    }
    memo.set(i, r);
    return r;
  };
  const outs = c.outputs.map((o) => ev(o.node));
  if (outs.some((x) => 'ok' in x && !x.ok)) return { outcome: 'failed', errors };
  if (outs.some((x) => 'hang' in x)) return { outcome: 'deadline', errors };
  return {
    outcome: 'ok',
    lists: outs.map((x, k) => [...slot(c.outputs[k]!, (x as { value: NodeValue }).value)]),
    errors,
  };
}

// ----- generators ------------------------------------------------------------------------------

const timingArb: fc.Arbitrary<Timing> = fc.oneof(
  fc.constant({ sync: true as const }),
  fc.integer({ min: 0, max: 4 }).map((micro) => ({ micro })),
  fc.integer({ min: 0, max: 3 }).map((ms) => ({ ms })),
);

const caseArb: fc.Arbitrary<Case> = fc
  .integer({ min: 1, max: 10 })
  .chain((n) =>
    fc.tuple(
      fc.tuple(
        ...Array.from({ length: n }, (_, i) =>
          fc.record({
            kind:
              i === 0
                ? fc.constant('task' as const)
                : fc.constantFrom('task', 'task', 'task', 'fallback', 'experiment'),
            op:
              i === 0
                ? fc.record({
                    op: fc.constant('source' as const),
                    base: fc.integer({ min: 0, max: 50 }),
                    n: fc.integer({ min: 0, max: 5 }),
                  })
                : fc.oneof(
                    fc.record({
                      op: fc.constant('source' as const),
                      base: fc.integer({ min: 0, max: 50 }),
                      n: fc.integer({ min: 0, max: 5 }),
                    }),
                    fc.record({ op: fc.constant('concat' as const) }),
                    fc.record({ op: fc.constant('map' as const), k: fc.integer({ min: -3, max: 3 }) }),
                    fc.record({ op: fc.constant('filter' as const), m: fc.integer({ min: 2, max: 4 }) }),
                    fc.record({ op: fc.constant('take' as const), k: fc.integer({ min: 0, max: 4 }) }),
                    fc.record({ op: fc.constant('split' as const) }),
                  ),
            inputs:
              i === 0
                ? fc.constant([])
                : fc.array(
                    fc.record({
                      node: fc.integer({ min: 0, max: i - 1 }),
                      port: fc.constantFrom('lo' as const, 'hi' as const),
                    }),
                    { minLength: 1, maxLength: 3 },
                  ),
            behaviour: fc.constantFrom<Behaviour>(
              'ok',
              'ok',
              'ok',
              'ok',
              'ok',
              'ok',
              'throw',
              'nothing',
              'hang-timeout',
              'hang',
            ),
            onError: fc.constantFrom('fail' as const, 'fail' as const, 'empty' as const),
            timing: timingArb,
            when: fc.constantFrom('error' as const, 'empty' as const),
          }),
        ),
      ),
      fc.array(
        fc.record({
          node: fc.integer({ min: 0, max: n - 1 }),
          port: fc.constantFrom('lo' as const, 'hi' as const),
        }),
        { minLength: 1, maxLength: 3 },
      ),
      fc.record({ seed: fc.integer({ min: 0, max: 9 }), user: fc.integer({ min: 0, max: 99 }) }),
    ),
  )
  .map(([raw, outputs, params]) => {
    const nodes = raw.map((s) => {
      // Sources take no inputs; only tasks behave badly (fallback/experiment only route).
      const op = s.kind === 'task' ? s.op : ({ op: 'concat' } as Op);
      const inputs = (op.op === 'source' ? [] : s.inputs) as ReadonlyArray<{
        node: number;
        port: 'lo' | 'hi';
      }>;
      const spec: Spec = { ...s, op, inputs: inputs.map((r) => ({ node: r.node, port: r.port })) } as Spec;
      if (s.kind !== 'task') spec.behaviour = 'ok';
      if (s.kind !== 'task' && spec.inputs.length < 2)
        spec.inputs = [...spec.inputs, { node: 0, port: 'lo' }];
      return spec;
    });
    // Ports only on refs to split nodes.
    const fix = (r: { node: number; port?: 'lo' | 'hi' }) => {
      const target = nodes[r.node]!;
      return target.kind === 'task' && target.op.op === 'split' ? r : { node: r.node };
    };
    for (const s of nodes) s.inputs = s.inputs.map(fix);
    return { nodes, outputs: outputs.map(fix), params };
  });

describe('scheduler ≡ sequential reference', () => {
  it('for random plans and timings', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const expected = reference(c);
        const compiled = compileExecPlan(toExecPlan(c));
        // A short deadline only where the reference says the request must hit it; elsewhere a
        // long one, so a slow machine cannot turn a correct run into a deadline failure.
        const deadlineMs = expected.outcome === 'deadline' ? 60 : 10_000;
        const got = await compiled.execute(c.params, { tiers: tierSource(), deadlineMs }).then(
          (r) => ({ ok: true as const, r }),
          (e: unknown) => ({ ok: false as const, e }),
        );
        if (expected.outcome === 'ok') {
          if (!got.ok) throw got.e;
          expect(got.r.responses.map((l) => l.items)).toEqual(expected.lists);
          // Every soft error reported is one the reference saw (the scheduler may stop earlier).
          const seen = (got.r.errors ?? []).map((e) => `${e.node}|${e.handled}${e.by ? `|${e.by}` : ''}`);
          const pool = [...expected.errors];
          for (const e of seen) {
            const at = pool.indexOf(e);
            expect(
              at,
              `unexpected soft error ${e}; reference: ${expected.errors.join(', ')}`,
            ).toBeGreaterThanOrEqual(0);
            pool.splice(at, 1);
          }
        } else {
          expect(got.ok).toBe(false);
          const e = (got as { e: unknown }).e;
          expect(e).toBeInstanceOf(PlanExecutionError);
          expect((e as PlanExecutionError).code).toBe(
            expected.outcome === 'failed' ? 'node-failed' : 'deadline-exceeded',
          );
        }
      }),
      { numRuns: 300 },
    );
  }, 120_000);
});
