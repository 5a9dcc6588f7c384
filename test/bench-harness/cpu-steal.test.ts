import { describe, expect, it } from 'vitest';
import {
  type CpuTimes,
  NOISY_STEAL_PEAK_PERCENT,
  NOISY_STEAL_PERCENT,
  readCpuTimes,
  STRETCH_MS,
  StealMonitor,
  stealPercent,
  stealWarning,
} from '../../src/bench/cpu-steal.js';
import { renderBenchText } from '../../src/bench/render.js';
import type { BenchReport } from '../../src/bench/report.js';

// /proc/stat's first lines: user nice system idle iowait irq softirq steal guest guest_nice
const procStat = (steal: number, idle: number) =>
  `cpu  1000 0 500 ${idle} 10 0 40 ${steal} 300 0\ncpu0 500 0 250 ${idle / 2} 5 0 20 ${steal / 2} 150 0\nintr 1 2 3\n`;

describe('CPU steal', () => {
  it('reads the machine-wide steal and total from /proc/stat (guest time is not counted twice)', () => {
    expect(readCpuTimes(() => procStat(50, 8400))).toEqual({
      steal: 50,
      total: 1000 + 500 + 8400 + 10 + 40 + 50,
    });
  });

  it('is undefined where /proc/stat cannot be read or parsed', () => {
    expect(
      readCpuTimes(() => {
        throw new Error('ENOENT');
      }),
    ).toBeUndefined();
    expect(readCpuTimes(() => 'cpu  1 2 3\n')).toBeUndefined();
    expect(readCpuTimes(() => 'intr 1 2 3\n')).toBeUndefined();
  });

  it('is the share of all CPU time stolen between two readings', () => {
    const before = readCpuTimes(() => procStat(50, 8400));
    const after = readCpuTimes(() => procStat(50 + 250, 8400 + 750)); // 250 of 1 000 ticks stolen
    expect(stealPercent(before, after)).toBe(25);
    expect(stealPercent(before, before)).toBe(0);
    expect(stealPercent(undefined, after)).toBeUndefined();
  });

  it('warns when the whole window or one stretch of it was above its threshold', () => {
    expect(stealWarning(undefined)).toBeUndefined();
    expect(
      stealWarning({ percent: NOISY_STEAL_PERCENT - 0.1, peakPercent: NOISY_STEAL_PEAK_PERCENT - 1 }),
    ).toBeUndefined();
    expect(stealWarning({ percent: 23.5, peakPercent: 40 })).toMatch(
      /23\.5 % of this machine's CPU time .*up to 40 % in a 100 ms stretch \(CPU steal\)/,
    );
    expect(stealWarning({ percent: 0.5, peakPercent: NOISY_STEAL_PEAK_PERCENT })).toBeDefined();
  });

  it('finds the worst stretch of a window, sampling every stretch', async () => {
    // 100 ticks per reading; the third stretch is half stolen.
    const readings: CpuTimes[] = [
      { steal: 0, total: 0 },
      { steal: 1, total: 100 },
      { steal: 51, total: 200 },
      { steal: 52, total: 300 },
    ];
    let i = 0;
    const monitor = new StealMonitor(() => readings[Math.min(i++, readings.length - 1)]);
    monitor.start();
    await new Promise((resolve) => setTimeout(resolve, STRETCH_MS * 2.5));
    expect(monitor.stop()).toEqual({ percent: 17.3, peakPercent: 50 });
  });

  it('reports nothing where steal cannot be read', () => {
    const monitor = new StealMonitor(() => undefined);
    monitor.start();
    expect(monitor.stop()).toBeUndefined();
  });

  it('reads real figures on Linux', () => {
    if (process.platform !== 'linux') return;
    const t = readCpuTimes();
    expect(t?.total).toBeGreaterThan(0);
    expect(t?.steal).toBeGreaterThanOrEqual(0);
  });

  it('is shown with the harness figures, and a disturbed run says so in plain text', () => {
    const report: BenchReport = {
      json: {
        plan: 'p',
        mode: 'open',
        target_rps: 100,
        duration_s: 1,
        requests: 100,
        errors: 0,
        throughput_rps: 100,
        latency_ms: { p50: 1, p90: 2, p99: 3, p999: 4, max: 5 },
        nodes: [],
        slo: null,
      },
      extras: {
        target: 'in process',
        concurrency: null,
        histogram: [],
        criticalPath: [],
        errorSamples: [],
        warnings: [stealWarning({ percent: 12, peakPercent: 30 })!],
        keys: undefined,
        harness: {
          cpuPercent: 5,
          dispatchLagMs: { p50: 0, p99: 0, max: 0 },
          steal: { percent: 12, peakPercent: 30 },
        },
      },
    };
    const text = renderBenchText(report);
    expect(text).toContain('CPU steal 12 % (peak 30 %)');
    expect(text).toMatch(/^warning: the hypervisor gave 12 % /m);
  });
});
