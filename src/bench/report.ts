/**
 * The result of `disco plan bench`: the SPEC §4 JSON (exactly those keys, so scripts can rely on
 * them), the extras the terminal view shows, and the comparison with a baseline run.
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../errors/index.js';
import type { HistogramBar, LatencySummary } from './histogram.js';

/** `disco plan bench --json` (SPEC §4). */
export interface BenchJson {
  plan: string;
  mode: 'open' | 'closed';
  target_rps: number | null;
  duration_s: number;
  requests: number;
  errors: number;
  throughput_rps: number;
  latency_ms: Omit<LatencySummary, 'mean'>;
  nodes: Array<{ node: string; p50_ms: number; p99_ms: number }>;
  slo: { p99_ms: number; met: boolean } | null;
}

/** What the human view adds to the JSON. */
export interface BenchExtras {
  /** `in process` or the server URL. */
  target: string;
  concurrency: number | null;
  histogram: HistogramBar[];
  criticalPath: string[];
  errorSamples: string[];
  /** What makes the figures less trustworthy (a disturbed machine), for the user to read first. */
  warnings: string[];
  keys: { param: string; dataset: string; distinct: number } | undefined;
  harness: {
    cpuPercent: number;
    dispatchLagMs: { p50: number; p99: number; max: number };
    /** The machine's CPU steal over the measured window, in % (Linux; see cpu-steal.ts). */
    steal?: { percent: number; peakPercent: number } | undefined;
    /** An empty request's latency at the same rate (open loop only), when measured. */
    emptyRequestMs?: { p50: number; p99: number } | undefined;
  };
}

export interface BenchReport {
  json: BenchJson;
  extras: BenchExtras;
}

export interface BaselineDelta {
  metric: string;
  baseline: number;
  current: number;
  /** current / baseline (null when the baseline is 0). */
  ratio: number | null;
}

/** Reads an earlier `--out` file. */
export function readBaseline(file: string): BenchJson {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read the baseline ${file}: ${(error as Error).message}`, {
      code: 'missing-file',
      exit: 2,
      hint: 'pass a file written earlier with disco plan bench --out FILE',
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const v = value as Partial<BenchJson> | undefined;
  if (
    !v ||
    typeof v !== 'object' ||
    typeof v.latency_ms !== 'object' ||
    typeof v.throughput_rps !== 'number'
  ) {
    throw new UserError(`${file} is not a disco plan bench result`, {
      code: 'invalid-baseline',
      exit: 2,
      hint: 'pass a file written by disco plan bench --out FILE (or --json > FILE)',
    });
  }
  return v as BenchJson;
}

/** The change of the headline figures against a baseline. */
export function compareToBaseline(current: BenchJson, baseline: BenchJson): BaselineDelta[] {
  const pairs: Array<[string, number | undefined, number]> = [
    ['throughput_rps', baseline.throughput_rps, current.throughput_rps],
    ['p50_ms', baseline.latency_ms?.p50, current.latency_ms.p50],
    ['p90_ms', baseline.latency_ms?.p90, current.latency_ms.p90],
    ['p99_ms', baseline.latency_ms?.p99, current.latency_ms.p99],
    ['p999_ms', baseline.latency_ms?.p999, current.latency_ms.p999],
    ['max_ms', baseline.latency_ms?.max, current.latency_ms.max],
    ['errors', baseline.errors, current.errors],
  ];
  for (const node of current.nodes) {
    const before = baseline.nodes?.find((n) => n.node === node.node);
    if (before) pairs.push([`${node.node}.p99_ms`, before.p99_ms, node.p99_ms]);
  }
  return pairs
    .filter((p): p is [string, number, number] => typeof p[1] === 'number')
    .map(([metric, b, c]) => ({
      metric,
      baseline: b,
      current: c,
      ratio: b === 0 ? null : Math.round((c / b) * 1000) / 1000,
    }));
}
