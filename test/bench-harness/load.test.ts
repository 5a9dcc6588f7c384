import { describe, expect, it } from 'vitest';
import { criticalPath } from '../../src/bench/critical-path.js';
import { LatencyHistogram } from '../../src/bench/histogram.js';
import { zipfPicker } from '../../src/bench/keys.js';
import { runLoad } from '../../src/bench/load.js';
import { compareToBaseline } from '../../src/bench/report.js';

const busyWait = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // stall the event loop, as a slow synchronous request would
  }
};

describe('runLoad', () => {
  it('open loop sends at the target rate and skips the warm-up', async () => {
    let calls = 0;
    const recorded: boolean[] = [];
    const result = await runLoad({
      mode: 'open',
      rate: 200,
      durationS: 0.5,
      warmupS: 0.2,
      request: async (recording) => {
        calls++;
        recorded.push(recording);
      },
    });
    // 100 requests in the window (± one for the boundary), 40 more in the warm-up.
    expect(result.requests).toBeGreaterThanOrEqual(99);
    expect(result.requests).toBeLessThanOrEqual(101);
    expect(calls - result.requests).toBeGreaterThanOrEqual(39);
    expect(recorded.filter((r) => !r)).toHaveLength(calls - result.requests);
    expect(result.targetRps).toBe(200);
    expect(result.errors).toBe(0);
  });

  it('open loop times from the intended start: a stall shows in the requests behind it', async () => {
    let n = 0;
    const result = await runLoad({
      mode: 'open',
      rate: 100,
      durationS: 1,
      request: async () => {
        // Request 10 blocks the process for 300 ms; a closed-loop client would hide this.
        if (++n === 10) busyWait(300);
      },
    });
    // ~30 requests were due during the stall: their latency includes the wait.
    expect(result.latency.max).toBeGreaterThanOrEqual(250);
    expect(result.latency.p90).toBeGreaterThanOrEqual(50);
    expect(result.requests).toBeGreaterThanOrEqual(95);
  });

  it('reports the throughput the target managed, not the rate it was offered', async () => {
    // Each request holds the process for 10 ms: at most ~100 req/s, offered 200.
    const result = await runLoad({
      mode: 'open',
      rate: 200,
      durationS: 0.5,
      request: async () => busyWait(10),
    });
    expect(result.requests).toBeGreaterThanOrEqual(99);
    expect(result.throughputRps).toBeLessThan(150);
  });

  it('closed loop keeps C requests in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const result = await runLoad({
      mode: 'closed',
      concurrency: 3,
      durationS: 0.3,
      request: async () => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        inFlight--;
      },
    });
    expect(most).toBe(3);
    expect(result.concurrency).toBe(3);
    expect(result.targetRps).toBeNull();
    expect(result.requests).toBeGreaterThan(10);
    expect(result.latency.p50).toBeGreaterThanOrEqual(1.5);
  });

  it('counts errors and keeps their messages', async () => {
    let n = 0;
    const result = await runLoad({
      mode: 'closed',
      concurrency: 1,
      durationS: 0.2,
      request: async () => {
        if (++n % 2 === 0) throw new Error('lookup failed');
      },
    });
    expect(result.errors).toBeGreaterThan(0);
    expect(result.errors).toBeLessThanOrEqual(result.requests);
    expect(result.errorSamples).toEqual(['lookup failed']);
  });

  it('counts requests that never finish as errors, in both modes', async () => {
    const never = () => new Promise<void>(() => {});
    const open = await runLoad({
      mode: 'open',
      rate: 50,
      durationS: 0.2,
      drainTimeoutS: 0.1,
      request: never,
    });
    expect(open.requests).toBeGreaterThanOrEqual(9);
    expect(open.errors).toBe(open.requests);
    expect(open.errorSamples[0]).toContain('did not finish within 0.1 s');
    const closed = await runLoad({
      mode: 'closed',
      concurrency: 2,
      durationS: 0.2,
      drainTimeoutS: 0.1,
      request: never,
    });
    expect(closed.requests).toBe(2);
    expect(closed.errors).toBe(2);
  });

  it('reports the harness CPU and dispatch lag', async () => {
    const result = await runLoad({
      mode: 'open',
      rate: 500,
      durationS: 0.3,
      request: () => Promise.resolve(),
    });
    expect(result.harness.cpuPercent).toBeGreaterThanOrEqual(0);
    expect(result.harness.dispatchLagMs.max).toBeGreaterThanOrEqual(0);
    if (process.platform === 'linux') {
      expect(result.harness.steal?.percent).toBeGreaterThanOrEqual(0);
      expect(result.harness.steal?.peakPercent).toBeLessThanOrEqual(100);
    } else expect(result.harness.steal).toBeUndefined();
  });

  it('rejects impossible options', async () => {
    await expect(runLoad({ mode: 'open', durationS: 1, request: async () => {} })).rejects.toThrow(/rate/);
    await expect(
      runLoad({ mode: 'closed', concurrency: 0, durationS: 1, request: async () => {} }),
    ).rejects.toThrow(/concurrency/);
  });
});

describe('LatencyHistogram', () => {
  it('gives exact percentiles to 3 significant digits', () => {
    const h = new LatencyHistogram();
    for (let i = 1; i <= 1000; i++) h.recordMs(i / 100); // 0.01 .. 10 ms
    const s = h.summary();
    expect(s.p50).toBeCloseTo(5, 1);
    expect(s.p99).toBeCloseTo(9.9, 1);
    expect(s.max).toBeCloseTo(10, 1);
    const bars = h.bars();
    expect(bars.reduce((a, b) => a + b.count, 0)).toBe(1000);
  });
});

describe('criticalPath', () => {
  it('follows the slowest chain of inputs', () => {
    expect(
      criticalPath([
        { node: 'seed', inputs: [], ms: 1 },
        { node: 'a', inputs: ['seed'], ms: 5 },
        { node: 'b', inputs: ['seed'], ms: 1 },
        { node: 'split', inputs: ['b'], ms: 1 },
        { node: 'merge', inputs: ['a', 'split.hot'], ms: 1 },
      ]),
    ).toEqual(['seed', 'a', 'merge']);
  });
});

describe('zipfPicker', () => {
  it('is skewed towards the first keys and deterministic', () => {
    const keys = Array.from({ length: 100 }, (_, i) => i);
    const pick = zipfPicker(keys, { seed: 1 });
    const counts = new Array(100).fill(0);
    for (let i = 0; i < 10_000; i++) counts[pick()]++;
    expect(counts[0]).toBeGreaterThan(counts[50] * 10);
    const again = zipfPicker(keys, { seed: 1 });
    const first = zipfPicker(keys, { seed: 1 });
    expect(Array.from({ length: 5 }, again)).toEqual(Array.from({ length: 5 }, first));
  });
});

describe('compareToBaseline', () => {
  it('reports ratios per metric and per node', () => {
    const base = {
      plan: 'p',
      mode: 'open' as const,
      target_rps: 100,
      duration_s: 1,
      requests: 100,
      errors: 0,
      throughput_rps: 100,
      latency_ms: { p50: 1, p90: 2, p99: 4, p999: 5, max: 6 },
      nodes: [{ node: 'seed', p50_ms: 0.5, p99_ms: 1 }],
      slo: null,
    };
    const now = {
      ...base,
      latency_ms: { ...base.latency_ms, p99: 2 },
      nodes: [{ node: 'seed', p50_ms: 0.5, p99_ms: 2 }],
    };
    const deltas = compareToBaseline(now, base);
    expect(deltas.find((d) => d.metric === 'p99_ms')).toEqual({
      metric: 'p99_ms',
      baseline: 4,
      current: 2,
      ratio: 0.5,
    });
    expect(deltas.find((d) => d.metric === 'seed.p99_ms')?.ratio).toBe(2);
    expect(deltas.find((d) => d.metric === 'errors')?.ratio).toBeNull();
  });
});
