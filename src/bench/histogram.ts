/**
 * Latency recording for benches: an HDR histogram (hdr-histogram-js) holding microseconds, so
 * p99.9 and max are exact to 3 significant digits whatever the spread, at a fixed memory cost.
 */
import { build, type Histogram } from 'hdr-histogram-js';

const BUCKETS_PER_DECADE = 5;

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

/** One bar of a latency histogram: requests whose latency is ≤ `upToMs` (and > the previous bar). */
export interface HistogramBar {
  upToMs: number;
  count: number;
}

/** A latency histogram in milliseconds with microsecond resolution (up to one hour). */
export class LatencyHistogram {
  private readonly h: Histogram = build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });

  /** Counts per log bucket (5 per decade of microseconds), for the terminal histogram. */
  private readonly logCounts = new Float64Array(BUCKETS_PER_DECADE * 10);

  recordMs(ms: number): void {
    // Clamp to the trackable range: a negative clock step or an hour-long stall must not throw.
    const us = Math.min(3_600_000_000, Math.max(1, Math.round(ms * 1000)));
    this.h.recordValue(us);
    const bucket = Math.min(this.logCounts.length - 1, Math.floor(Math.log10(us) * BUCKETS_PER_DECADE));
    this.logCounts[bucket]! += 1;
  }

  get count(): number {
    return this.h.totalCount;
  }

  percentileMs(p: number): number {
    return this.h.totalCount === 0 ? 0 : this.h.getValueAtPercentile(p) / 1000;
  }

  summary(): LatencySummary {
    const empty = this.h.totalCount === 0;
    return {
      p50: round3(this.percentileMs(50)),
      p90: round3(this.percentileMs(90)),
      p99: round3(this.percentileMs(99)),
      p999: round3(this.percentileMs(99.9)),
      max: empty ? 0 : round3(this.h.maxValue / 1000),
      mean: empty ? 0 : round3(this.h.mean / 1000),
    };
  }

  /**
   * Log-spaced bars (5 per decade) from the fastest to the slowest recorded request, for a terminal
   * histogram: latency distributions are heavy-tailed, so linear bars would put everything in one.
   */
  bars(): HistogramBar[] {
    let first = this.logCounts.findIndex((c) => c > 0);
    if (first < 0) return [];
    let last = first;
    for (let i = first; i < this.logCounts.length; i++) if (this.logCounts[i]! > 0) last = i;
    if (last === first) first = Math.max(0, first - 1);
    const out: HistogramBar[] = [];
    for (let i = first; i <= last; i++) {
      out.push({ upToMs: round3(10 ** ((i + 1) / BUCKETS_PER_DECADE) / 1000), count: this.logCounts[i]! });
    }
    return out;
  }

  reset(): void {
    this.h.reset();
    this.logCounts.fill(0);
  }

  destroy(): void {
    this.h.destroy();
  }
}

export function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
