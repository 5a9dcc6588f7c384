/**
 * The plain-text view of a bench result (CI, pipes, and the summary after the live view): the
 * percentiles, a log-scale histogram, throughput, the per-node table with the critical path
 * marked, the harness's own cost, the SLO verdict and the change against a baseline.
 */
import { textTable } from '../ui/text-table.js';
import type { BaselineDelta, BenchReport } from './report.js';

const fmt = (n: number): string => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(3));

export function renderBenchText(report: BenchReport, deltas?: readonly BaselineDelta[], width = 80): string {
  const { json, extras } = report;
  const lines: string[] = [];
  const load =
    json.mode === 'open'
      ? `open loop at ${json.target_rps} req/s`
      : `closed loop with ${extras.concurrency} in flight`;
  lines.push(`bench ${json.plan} (${extras.target}): ${load} for ${json.duration_s} s`);
  if (extras.keys)
    lines.push(
      `keys: ${extras.keys.param} ← ${extras.keys.distinct} distinct ${extras.keys.dataset} keys (skewed)`,
    );
  const target = json.target_rps === null ? '' : ` (target ${json.target_rps})`;
  lines.push(
    `requests: ${json.requests}   errors: ${json.errors}   throughput: ${fmt(json.throughput_rps)} req/s${target}`,
  );
  const l = json.latency_ms;
  lines.push(
    `latency ms: p50 ${fmt(l.p50)}  p90 ${fmt(l.p90)}  p99 ${fmt(l.p99)}  p99.9 ${fmt(l.p999)}  max ${fmt(l.max)}`,
  );
  if (extras.histogram.length > 0) {
    lines.push('', 'histogram (ms, log scale):');
    const most = Math.max(...extras.histogram.map((b) => b.count));
    const barWidth = Math.max(10, width - 30);
    for (const bar of extras.histogram) {
      const n = most === 0 ? 0 : Math.round((bar.count / most) * barWidth);
      lines.push(`  ≤ ${fmt(bar.upToMs).padStart(8)} │${'█'.repeat(n)} ${bar.count}`);
    }
  }
  if (json.nodes.length > 0) {
    lines.push('', 'nodes (* on the critical path):');
    lines.push(
      textTable(json.nodes, [
        { header: 'node', value: (n) => `${extras.criticalPath.includes(n.node) ? '*' : ' '} ${n.node}` },
        { header: 'p50 ms', value: (n) => fmt(n.p50_ms), align: 'right' },
        { header: 'p99 ms', value: (n) => fmt(n.p99_ms), align: 'right' },
      ]),
    );
  }
  const h = extras.harness;
  const empty = h.emptyRequestMs
    ? `; empty request p50 ${fmt(h.emptyRequestMs.p50)} p99 ${fmt(h.emptyRequestMs.p99)} ms`
    : '';
  const steal = h.steal ? `; CPU steal ${h.steal.percent} % (peak ${h.steal.peakPercent} %)` : '';
  lines.push(
    '',
    `harness: ${fmt(h.cpuPercent)} % CPU (incl. the plan's work in process); dispatch lag p99 ${fmt(h.dispatchLagMs.p99)} ms${empty}${steal}`,
  );
  for (const warning of extras.warnings) lines.push(`warning: ${warning}`);
  if (extras.errorSamples.length > 0) lines.push(`errors, e.g.: ${extras.errorSamples.join(' | ')}`);
  if (deltas && deltas.length > 0) {
    lines.push('', 'against the baseline:');
    lines.push(
      textTable(deltas, [
        { header: 'metric', value: (d) => d.metric },
        { header: 'baseline', value: (d) => fmt(d.baseline), align: 'right' },
        { header: 'now', value: (d) => fmt(d.current), align: 'right' },
        {
          header: 'ratio',
          value: (d) => (d.ratio === null ? '-' : `×${d.ratio.toFixed(2)}`),
          align: 'right',
        },
      ]),
    );
  }
  lines.push('');
  if (json.slo === null) lines.push('SLO: none declared (add slo: {p99_ms: N} to the plan)');
  else if (json.slo.met) lines.push(`SLO met: p99 ${fmt(l.p99)} ms ≤ ${json.slo.p99_ms} ms`);
  else
    lines.push(
      `SLO MISSED: p99 ${fmt(l.p99)} ms > ${json.slo.p99_ms} ms${json.errors > 0 ? ` or ${json.errors} error(s)` : ''}`,
    );
  return lines.join('\n');
}
