/**
 * CPU steal over a bench's measured window: the share of this machine's CPU time that the
 * hypervisor gave to other guests instead (Linux `/proc/stat`, its `steal` column).
 *
 * Why a bench reports it: on a shared virtual machine steal comes and goes by the minute, and a
 * latency figure measured during it says more about the neighbours than about the plan. Measured
 * here (issue 8): against one server, runs at 2 000 req/s with 15–30 % steal had p99 25–70 ms,
 * runs minutes before and after with none had 3.6–4.7 ms — at the same server CPU per request.
 */
import { readFileSync } from 'node:fs';

/** Cumulative CPU time of all CPUs (clock ticks): stolen, and in total. */
export interface CpuTimes {
  steal: number;
  total: number;
}

/** Above this share of steal, a run's latencies are marked as disturbed. */
export const NOISY_STEAL_PERCENT = 2;

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

/** What a bench says about a run whose steal was above {@link NOISY_STEAL_PERCENT}. */
export function stealWarning(percent: number | undefined): string | undefined {
  if (percent === undefined || percent < NOISY_STEAL_PERCENT) return undefined;
  return `the hypervisor gave ${percent} % of this machine's CPU time to other guests during the run (CPU steal): the latencies include that wait; compare runs measured with less than ${NOISY_STEAL_PERCENT} % steal`;
}
