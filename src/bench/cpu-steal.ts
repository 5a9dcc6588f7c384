/**
 * CPU steal over a bench's measured window: the share of this machine's CPU time that the
 * hypervisor gave to other guests instead (Linux `/proc/stat`, its `steal` column).
 *
 * Why a bench reports it: on a shared virtual machine steal comes and goes by the minute, and a
 * latency figure measured during it says more about the neighbours than about the plan. Measured
 * here (issue 8): runs at 2 000 req/s against `disco serve` with 2 % steal or more all missed a
 * 5 ms p99 (median 7.3 ms, up to 90 ms; 15–34 % of the CPU time stolen in their worst seconds),
 * quiet runs minutes apart mostly met it (median 3.9 ms) — at the same server CPU per request.
 */
import { readFileSync } from 'node:fs';

/** Cumulative CPU time of all CPUs (clock ticks): stolen, and in total. */
export interface CpuTimes {
  steal: number;
  total: number;
}

/** Above this share of steal over the window, a run's latencies are marked as disturbed. */
export const NOISY_STEAL_PERCENT = 2;
/** Above this share of steal in one {@link STRETCH_MS} stretch, a run's tail is marked as disturbed. */
export const NOISY_STEAL_PEAK_PERCENT = 25;
/** The stretch over which the peak steal is measured: a stall this long is a tail on its own. */
export const STRETCH_MS = 100;

/** The machine's CPU times now; undefined where `/proc/stat` cannot be read (not Linux). */
export function readCpuTimes(
  read: () => string = () => readFileSync('/proc/stat', 'utf8'),
): CpuTimes | undefined {
  let text: string;
  try {
    text = read();
  } catch {
    return undefined;
  }
  // "cpu  user nice system idle iowait irq softirq steal guest guest_nice" — guest time is
  // already counted in user, so the total stops at steal.
  const fields = /^cpu\s+(.*)$/m.exec(text)?.[1]?.trim().split(/\s+/).slice(0, 8).map(Number);
  if (!fields || fields.length < 8 || fields.some((n) => !Number.isFinite(n))) return undefined;
  return { steal: fields[7]!, total: fields.reduce((a, b) => a + b, 0) };
}

/** Steal between two readings, in % of all CPU time (0–100); undefined when either is missing. */
export function stealPercent(from: CpuTimes | undefined, to: CpuTimes | undefined): number | undefined {
  if (!from || !to) return undefined;
  const total = to.total - from.total;
  if (total <= 0) return 0;
  return Math.round(((to.steal - from.steal) / total) * 1000) / 10;
}

export interface StealFigures {
  /** Over the whole window. */
  percent: number;
  /** The highest over one stretch of about {@link STRETCH_MS} (a single clock tick is 10 ms). */
  peakPercent: number;
}

/**
 * Steal over a window and in its worst short stretch: a 100 ms burst of steal is a latency tail
 * even when the window's average stays small (measured here: a run with 0.5 % steal on average
 * had a p99 of 18 ms).
 */
export class StealMonitor {
  private first: CpuTimes | undefined;
  private last: CpuTimes | undefined;
  private peak = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly read: () => CpuTimes | undefined = readCpuTimes) {}

  start(): void {
    this.first = this.last = this.read();
    if (this.first) this.timer = setInterval(() => this.sample(), STRETCH_MS).unref();
  }

  /** Ends the window; undefined where steal cannot be read. */
  stop(): StealFigures | undefined {
    clearInterval(this.timer);
    if (!this.first) return undefined;
    this.sample();
    return { percent: stealPercent(this.first, this.last) ?? 0, peakPercent: this.peak };
  }

  private sample(): void {
    const now = this.read();
    this.peak = Math.max(this.peak, stealPercent(this.last, now) ?? 0);
    this.last = now ?? this.last;
  }
}

/** What a bench says about a run whose steal was above the thresholds; undefined when quiet. */
export function stealWarning(steal: StealFigures | undefined): string | undefined {
  if (!steal || (steal.percent < NOISY_STEAL_PERCENT && steal.peakPercent < NOISY_STEAL_PEAK_PERCENT))
    return undefined;
  return `the hypervisor gave ${steal.percent} % of this machine's CPU time to other guests during the run, up to ${steal.peakPercent} % in a ${STRETCH_MS} ms stretch (CPU steal): the latencies include that wait; compare runs measured while the machine was quiet`;
}
