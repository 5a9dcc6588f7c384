/**
 * The `disco plan bench` views: a live view while the load runs (progress, achieved rate, running
 * percentiles, sparklines of rate and p99) and the final result (percentile table with the
 * baseline change, histogram, throughput, per-node p50/p99 with the critical path, SLO verdict).
 *
 * The data types are plain and defined here so the bench harness can fill them without
 * depending on the UI: `LoadProgress` and `BenchReport` of `src/bench/` fit them as they are.
 */
import { type Block, heading, line, paragraph, text, vstack } from '../blocks.js';
import { bar, formatCount, formatMs, histogram, sparkline } from '../charts.js';
import { BAD_STYLE, DIM_STYLE, GOOD_STYLE, HIGHLIGHT_STYLE } from '../palette.js';
import { styledTable } from '../styled-table.js';
import type { Style, StyledLine } from '../style.js';

export interface LatencyView {
  p50: number;
  p90: number;
  p99: number;
  p999?: number;
  max: number;
}

/** One progress report of the load generator (`LoadProgress` of src/bench fits). */
export interface BenchProgressView {
  elapsedS: number;
  durationS: number;
  requests: number;
  errors: number;
  throughputRps: number;
  latency: LatencyView;
}

export interface BenchLiveState {
  plan: string;
  mode: 'open' | 'closed';
  targetRps: number | null;
  concurrency: number | null;
  warmupS: number;
  /** Absent during the warm-up (nothing measured yet). */
  progress?: BenchProgressView;
  /** Achieved rate and p99 at each progress report, for the sparklines. */
  history: Array<{ rps: number; p99: number }>;
}

/** Folds a progress report into the live state (keeps the last 60 points of history). */
export function benchProgress(state: BenchLiveState, p: BenchProgressView): BenchLiveState {
  return {
    ...state,
    progress: p,
    history: [...state.history, { rps: p.throughputRps, p99: p.latency.p99 }].slice(-60),
  };
}

export interface BenchViewOptions {
  width: number;
  ascii?: boolean;
}

function loadLabel(mode: 'open' | 'closed', targetRps: number | null, concurrency: number | null): string {
  return mode === 'open'
    ? `open loop at ${formatCount(targetRps)} req/s`
    : `closed loop, ${formatCount(concurrency)} in flight`;
}

export function benchLiveView(state: BenchLiveState, options: BenchViewOptions): StyledLine[] {
  const ascii = options.ascii ?? false;
  const head: Block = [
    heading(`bench ${state.plan}`, loadLabel(state.mode, state.targetRps, state.concurrency)),
  ];
  const p = state.progress;
  if (p === undefined) return vstack([head, [line(text(`warming up for ${state.warmupS} s…`, DIM_STYLE))]]);
  const barW = Math.max(10, Math.min(50, options.width - 20));
  const done = p.durationS > 0 ? Math.min(1, p.elapsedS / p.durationS) : 0;
  const progress = [
    text(`${bar(done, 1, barW, ascii).padEnd(barW, ascii ? '.' : '░')}`, HIGHLIGHT_STYLE),
    text(` ${p.elapsedS.toFixed(1)} / ${p.durationS} s`),
  ];
  const achieved: Style | undefined =
    state.targetRps !== null && p.elapsedS > 1 && p.throughputRps < 0.95 * state.targetRps
      ? BAD_STYLE
      : undefined;
  const l = p.latency;
  const stats: Block = [
    line(
      text(`requests ${formatCount(p.requests)}   `),
      text(`errors ${formatCount(p.errors)}`, p.errors > 0 ? BAD_STYLE : undefined),
      text('   achieved '),
      text(`${formatCount(p.throughputRps)} req/s`, achieved),
      ...(state.targetRps === null ? [] : [text(` of ${formatCount(state.targetRps)}`, DIM_STYLE)]),
    ),
    line(
      text('latency  ', DIM_STYLE),
      text(`p50 ${formatMs(l.p50)}   p90 ${formatMs(l.p90)}   `),
      text(`p99 ${formatMs(l.p99)}`, HIGHLIGHT_STYLE),
      text(`   max ${formatMs(l.max)}`),
    ),
  ];
  const spark = Math.max(10, options.width - 16);
  const hist = state.history.slice(-spark);
  const trends: Block =
    hist.length > 1
      ? [
          line(
            text('rate     ', DIM_STYLE),
            text(
              sparkline(
                hist.map((h) => h.rps),
                ascii,
              ),
            ),
          ),
          line(
            text('p99      ', DIM_STYLE),
            text(
              sparkline(
                hist.map((h) => h.p99),
                ascii,
              ),
              HIGHLIGHT_STYLE,
            ),
          ),
        ]
      : [];
  return vstack([head, [progress], stats, trends]);
}

/** `src/bench`'s `BenchReport` (+ `compareToBaseline`'s deltas) fits this shape. */
export interface BenchResultView {
  json: {
    plan: string;
    mode: 'open' | 'closed';
    target_rps: number | null;
    duration_s: number;
    requests: number;
    errors: number;
    throughput_rps: number;
    latency_ms: { p50: number; p90: number; p99: number; p999: number; max: number };
    nodes: Array<{ node: string; p50_ms: number; p99_ms: number }>;
    slo: { p99_ms: number; met: boolean } | null;
  };
  extras?: {
    target?: string;
    concurrency?: number | null;
    histogram?: Array<{ upToMs: number; count: number }>;
    criticalPath?: string[];
    errorSamples?: string[];
    warnings?: string[];
    harness?: {
      cpuPercent: number;
      emptyRequestMs?: { p50: number; p99: number } | undefined;
      steal?: { percent: number; peakPercent: number } | undefined;
    };
  };
}

export interface BaselineDeltaView {
  metric: string;
  baseline: number;
  current: number;
  ratio: number | null;
}

function change(
  delta: BaselineDeltaView | undefined,
  lowerIsBetter: boolean,
): { text: string; style?: Style } {
  if (delta === undefined || delta.ratio === null) return { text: '' };
  const pct = (delta.ratio - 1) * 100;
  const better = lowerIsBetter ? pct < 0 : pct > 0;
  const txt = `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`;
  return Math.abs(pct) < 5
    ? { text: txt, style: DIM_STYLE }
    : { text: txt, style: better ? GOOD_STYLE : BAD_STYLE };
}

export function benchResultView(
  report: BenchResultView,
  options: BenchViewOptions & { baseline?: readonly BaselineDeltaView[] },
): StyledLine[] {
  const { json } = report;
  const extras = report.extras ?? {};
  const ascii = options.ascii ?? false;
  const deltas = new Map((options.baseline ?? []).map((d) => [d.metric, d]));
  const head: Block = [
    heading(
      `bench ${json.plan}`,
      `${loadLabel(json.mode, json.target_rps, extras.concurrency ?? null)} · ${Number(json.duration_s.toFixed(1))} s${extras.target ? ` · ${extras.target}` : ''}`,
    ),
  ];
  const ratio = json.target_rps ? json.throughput_rps / json.target_rps : undefined;
  const throughput: Block = [
    line(
      text('throughput  '),
      text(
        `${formatCount(json.throughput_rps)} req/s`,
        ratio !== undefined && ratio < 0.95 ? BAD_STYLE : GOOD_STYLE,
      ),
      ...(json.target_rps === null
        ? []
        : [
            text(
              ` of ${formatCount(json.target_rps)} target (${((ratio ?? 0) * 100).toFixed(1)}%)`,
              DIM_STYLE,
            ),
          ]),
      text(`   requests ${formatCount(json.requests)}   `),
      text(`errors ${formatCount(json.errors)}`, json.errors > 0 ? BAD_STYLE : undefined),
    ),
  ];
  const pcts: Array<[string, string, number]> = [
    ['p50', 'p50_ms', json.latency_ms.p50],
    ['p90', 'p90_ms', json.latency_ms.p90],
    ['p99', 'p99_ms', json.latency_ms.p99],
    ['p99.9', 'p999_ms', json.latency_ms.p999],
    ['max', 'max_ms', json.latency_ms.max],
  ];
  const hasBaseline = deltas.size > 0;
  const maxLatency = Math.max(...pcts.map((p) => p[2]));
  const pctTable = styledTable(pcts, [
    {
      header: 'percentile',
      value: (p) => p[0],
      style: (p) => (p[0] === 'p99' ? HIGHLIGHT_STYLE : undefined),
    },
    { header: 'latency', value: (p) => formatMs(p[2]), align: 'right' },
    {
      header: '',
      value: (p) => bar(p[2], maxLatency, Math.max(10, Math.min(30, options.width - 50)), ascii),
    },
    ...(hasBaseline
      ? [
          {
            header: 'baseline',
            value: (p: (typeof pcts)[number]) => formatMs(deltas.get(p[1])?.baseline),
            align: 'right' as const,
          },
          {
            header: 'change',
            value: (p: (typeof pcts)[number]) => change(deltas.get(p[1]), true).text,
            style: (p: (typeof pcts)[number]) => change(deltas.get(p[1]), true).style,
            align: 'right' as const,
          },
        ]
      : []),
  ]);
  const hist =
    extras.histogram && extras.histogram.length > 0
      ? [
          line(text('histogram (log scale)', DIM_STYLE)),
          ...histogram(
            extras.histogram.map((b) => ({ label: `≤ ${formatMs(b.upToMs)}`, count: b.count })),
            Math.min(options.width, 100),
            ascii,
          ),
        ]
      : [];
  const critical = new Set(extras.criticalPath ?? []);
  const mark = ascii ? '*' : '▸';
  const nodes =
    json.nodes.length > 0
      ? [
          line(text(`per node (${mark} critical path)`, DIM_STYLE)),
          ...styledTable(json.nodes, [
            {
              header: 'node',
              value: (n) => `${critical.has(n.node) ? mark : ' '} ${n.node}`,
              style: (n) => (critical.has(n.node) ? HIGHLIGHT_STYLE : undefined),
            },
            { header: 'p50', value: (n) => formatMs(n.p50_ms), align: 'right' },
            { header: 'p99', value: (n) => formatMs(n.p99_ms), align: 'right' },
            ...(hasBaseline
              ? [
                  {
                    header: 'p99 change',
                    value: (n: (typeof json.nodes)[number]) =>
                      change(deltas.get(`${n.node}.p99_ms`), true).text,
                    style: (n: (typeof json.nodes)[number]) =>
                      change(deltas.get(`${n.node}.p99_ms`), true).style,
                    align: 'right' as const,
                  },
                ]
              : []),
          ]),
        ]
      : [];
  const harness: Block = [];
  if (extras.harness) {
    const e = extras.harness.emptyRequestMs;
    const steal = extras.harness.steal;
    harness.push(
      ...paragraph(
        `harness ${extras.harness.cpuPercent.toFixed(0)}% of a core${e ? ` · empty request p50 ${formatMs(e.p50)}, p99 ${formatMs(e.p99)}` : ''}${steal ? ` · CPU steal ${steal.percent}% (peak ${steal.peakPercent}%)` : ''}`,
        options.width,
        DIM_STYLE,
      ),
    );
  }
  for (const warning of extras.warnings ?? [])
    harness.push(...paragraph(`${ascii ? '!' : '⚠'} ${warning}`, options.width, HIGHLIGHT_STYLE));
  if (extras.errorSamples && extras.errorSamples.length > 0)
    harness.push(line(text(`errors, e.g.: ${extras.errorSamples.join(' | ')}`, BAD_STYLE)));
  const slo: Block =
    json.slo === null
      ? [line(text('no SLO declared (slo.p99_ms in the plan)', DIM_STYLE))]
      : json.slo.met
        ? [
            line(
              text(`${ascii ? '+' : '✔'} SLO met`, GOOD_STYLE),
              text(`: p99 ${formatMs(json.latency_ms.p99)} ≤ ${formatMs(json.slo.p99_ms)}`),
            ),
          ]
        : [
            line(
              text(`${ascii ? 'x' : '✖'} SLO missed`, BAD_STYLE),
              text(`: p99 ${formatMs(json.latency_ms.p99)} > ${formatMs(json.slo.p99_ms)}`),
            ),
          ];
  return vstack([head, throughput, pctTable, hist, nodes, harness, slo]);
}
