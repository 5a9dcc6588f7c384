/**
 * The harness's own cost, and related-pins in process (issue 7 "Performance").
 *
 *   npm run bench -- harness [--seconds=5] [--project=DIR]
 *
 * 1. An empty request, open loop at 500 and 5 000 req/s: its latency is the floor of every figure
 *    the harness reports; its CPU is the harness's share (target < 20 % of a core at 5 000 req/s).
 * 2. related-pins at small scale, in process: closed loop with one request in flight (the plan's
 *    service time) and open loop at 1 000 and 5 000 req/s (target P99 ≤ 1 ms), each against the
 *    empty-request baseline of the same rate.
 */
import { benchPlan } from '../../src/bench/bench-plan.js';
import { distinctKeys, inProcessTarget } from '../../src/bench/bench-project.js';
import { zipfPicker } from '../../src/bench/keys.js';
import { measureOverhead } from '../../src/bench/load.js';
import { openRuntime } from '../../src/serve/runtime.js';
import { argNumber, smallProject } from './serve-fixture.js';

const f = (n: number) => n.toFixed(3);

export default async function harnessBench(argv: string[]): Promise<void> {
  const seconds = argNumber(argv, 'seconds', 5);
  const { loadavg } = await import('node:os');
  console.log(
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (2 cores)`,
  );

  console.log('\nempty request (open loop):');
  const empty = new Map<number, Awaited<ReturnType<typeof measureOverhead>>>();
  for (const rate of [500, 5000]) {
    const r = await measureOverhead(rate, seconds);
    empty.set(rate, r);
    console.log(
      `  ${String(rate).padStart(5)} req/s: achieved ${r.throughputRps.toFixed(0)}, p50 ${f(r.latency.p50)} ms, p99 ${f(r.latency.p99)} ms, max ${f(r.latency.max)} ms; harness CPU ${r.harness.cpuPercent.toFixed(1)} % of a core${rate === 5000 ? (r.harness.cpuPercent < 20 ? '  (< 20 %: ok)' : '  (≥ 20 %: OVER TARGET)') : ''}`,
    );
  }

  const config = await smallProject(argv);
  const runtime = await openRuntime(config);
  try {
    const plan = runtime.plans().get('related-pins');
    if (!plan) throw new Error('related-pins is not a valid plan in the bench project');
    const keys = await distinctKeys(runtime, 'pinjoin', 1000);
    const pick = zipfPicker(keys);
    const params = plan.parseCliParams([`image=${keys[0]}`]);
    const target = inProcessTarget(plan);
    const nextParams = () => ({ ...params, image: pick() });
    console.log('\nrelated-pins, small scale, in process (1 000 distinct keys, Zipf skew):');
    const closed = await benchPlan({
      target,
      nextParams,
      mode: 'closed',
      concurrency: 1,
      durationS: seconds,
      warmupS: 1,
    });
    const c = closed.json.latency_ms;
    // CPU per request: independent of how oversubscribed the machine is (wall-clock figures are not).
    const cpuPerReqMs =
      ((closed.extras.harness.cpuPercent / 100) * closed.json.duration_s * 1000) /
      Math.max(1, closed.json.requests);
    console.log(
      `  closed loop, 1 in flight: ${closed.json.throughput_rps.toFixed(0)} req/s, p50 ${f(c.p50)} ms, p99 ${f(c.p99)} ms, p99.9 ${f(c.p999)} ms, max ${f(c.max)} ms${c.p99 <= 1 ? '  (P99 ≤ 1 ms: ok)' : '  (P99 > 1 ms)'}; CPU ${f(cpuPerReqMs)} ms per request`,
    );
    for (const rate of [1000, 5000]) {
      const r = await benchPlan({ target, nextParams, mode: 'open', rate, durationS: seconds, warmupS: 1 });
      const l = r.json.latency_ms;
      const base = empty.get(rate) ?? (await measureOverhead(rate, seconds));
      console.log(
        `  open loop ${rate} req/s: achieved ${r.json.throughput_rps.toFixed(0)}, p50 ${f(l.p50)} ms, p99 ${f(l.p99)} ms, max ${f(l.max)} ms${r.json.errors === 0 && l.p99 <= 1 ? '  (P99 ≤ 1 ms: ok)' : '  (P99 ≤ 1 ms without errors: NOT met)'}; errors ${r.json.errors}; process CPU ${r.extras.harness.cpuPercent.toFixed(1)} % (harness share ≈ ${base.harness.cpuPercent.toFixed(1)} %); p99 vs empty request ×${(l.p99 / Math.max(base.latency.p99, 0.001)).toFixed(1)}`,
      );
      console.log(
        `    nodes p50/p99 ms: ${r.json.nodes.map((n) => `${n.node} ${f(n.p50_ms)}/${f(n.p99_ms)}`).join(', ')}`,
      );
    }
  } finally {
    await runtime.close();
  }
  console.log(
    `load average at end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
}
