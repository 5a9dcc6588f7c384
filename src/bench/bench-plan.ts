/**
 * `benchPlan`: load-test one plan — in process or over HTTP, through the same harness — and turn
 * the measurements into the SPEC §4 result: latency percentiles, throughput, errors, per-node
 * p50/p99 with the critical path, and the SLO verdict.
 */
import { stealWarning } from './cpu-steal.js';
import { criticalPath } from './critical-path.js';
import { LatencyHistogram, round3 } from './histogram.js';
import { type LoadMode, type LoadProgress, measureOverhead, runLoad } from './load.js';
import type { BenchReport } from './report.js';

/** One node's latency in one run of a plan. */
export interface NodeTiming {
  node: string;
  ms: number;
}

/** What a bench drives: a compiled plan in this process, or a plan served over HTTP. */
export interface BenchTarget {
  plan: string;
  /** `in process` or the server URL. */
  where: string;
  /** The plan's DAG (for the per-node table order and the critical path). */
  nodes: ReadonlyArray<{ node: string; inputs: readonly string[] }>;
  sloP99Ms: number | null;
  /** Runs the plan once; resolves with the per-node timings when the target reports them. */
  call(params: Record<string, unknown>): Promise<readonly NodeTiming[] | undefined>;
  /** Called once before the warm-up (an HTTP target opens its connections). */
  prepare?(): Promise<void>;
}

export interface BenchOptions {
  target: BenchTarget;
  /** The params of the next request (key params filled with sampled keys). */
  nextParams: () => Record<string, unknown>;
  keys?: { param: string; dataset: string; distinct: number } | undefined;
  mode: LoadMode;
  rate?: number | undefined;
  concurrency?: number | undefined;
  durationS: number;
  warmupS: number;
  /** Also measure an empty request at the same rate (open loop), to report the harness floor. */
  measureEmpty?: boolean | undefined;
  onProgress?: ((p: LoadProgress) => void) | undefined;
  signal?: AbortSignal | undefined;
}

export async function benchPlan(options: BenchOptions): Promise<BenchReport> {
  const { target } = options;
  const nodeHistograms = new Map<string, LatencyHistogram>();
  const recordNodes = (timings: readonly NodeTiming[] | undefined): void => {
    if (!timings) return;
    for (const t of timings) {
      let h = nodeHistograms.get(t.node);
      if (!h) {
        h = new LatencyHistogram();
        nodeHistograms.set(t.node, h);
      }
      h.recordMs(t.ms);
    }
  };
  await target.prepare?.();
  const load = await runLoad({
    mode: options.mode,
    rate: options.rate,
    concurrency: options.concurrency,
    durationS: options.durationS,
    warmupS: options.warmupS,
    onProgress: options.onProgress,
    signal: options.signal,
    request: async (recording) => {
      const timings = await target.call(options.nextParams());
      if (recording) recordNodes(timings);
    },
  });
  const empty =
    options.measureEmpty && options.mode === 'open' && options.rate
      ? await measureOverhead(options.rate, Math.min(2, options.durationS))
      : undefined;

  // Nodes in plan order; nodes the target reported but the DAG does not name (HTTP) at the end.
  const order = [
    ...target.nodes.map((n) => n.node),
    ...[...nodeHistograms.keys()].filter((n) => !target.nodes.some((t) => t.node === n)),
  ];
  const nodes = order
    .filter((n) => nodeHistograms.has(n))
    .map((node) => {
      const h = nodeHistograms.get(node)!;
      return { node, p50_ms: round3(h.percentileMs(50)), p99_ms: round3(h.percentileMs(99)) };
    });
  const path = criticalPath(
    target.nodes.map((n) => ({
      node: n.node,
      inputs: n.inputs,
      ms: nodeHistograms.get(n.node)?.percentileMs(50) ?? 0,
    })),
  );
  const { mean: _mean, ...latency } = load.latency;
  const slo =
    target.sloP99Ms === null
      ? null
      : {
          p99_ms: target.sloP99Ms,
          met: load.requests > 0 && load.errors === 0 && latency.p99 <= target.sloP99Ms,
        };
  return {
    json: {
      plan: target.plan,
      mode: options.mode,
      target_rps: load.targetRps,
      duration_s: load.durationS,
      requests: load.requests,
      errors: load.errors,
      throughput_rps: load.throughputRps,
      latency_ms: latency,
      nodes,
      slo,
    },
    extras: {
      target: target.where,
      concurrency: load.concurrency,
      histogram: load.histogram.bars(),
      criticalPath: nodes.length > 0 ? path : [],
      errorSamples: load.errorSamples,
      warnings: [stealWarning(load.harness.steal)].filter((w) => w !== undefined),
      keys: options.keys,
      harness: {
        cpuPercent: load.harness.cpuPercent,
        dispatchLagMs: load.harness.dispatchLagMs,
        steal: load.harness.steal,
        emptyRequestMs: empty ? { p50: empty.latency.p50, p99: empty.latency.p99 } : undefined,
      },
    },
  };
}
