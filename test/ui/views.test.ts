import { describe, expect, it } from 'vitest';
import type { PlanResponse } from '../../src/engine/response.js';
import type { WorkflowEvent } from '../../src/jobs/events.js';
import type { DebugKeyResult } from '../../src/tiers/debug-key.js';
import type { BenchReport } from '../../src/bench/report.js';
import type { LoadProgress } from '../../src/bench/load.js';
import { startLiveView } from '../../src/ui/ink/live.js';
import { linesToString, stripAnsi } from '../../src/ui/style.js';
import {
  type BenchLiveState,
  type BenchResultView,
  benchLiveView,
  benchProgress,
  benchResultView,
} from '../../src/ui/views/bench-view.js';
import { debugKeyView } from '../../src/ui/views/debug-key-view.js';

/** Ink's own CI test (its is-in-ci dependency): CI or CONTINUOUS_INTEGRATION set, not '0'/'false'. */
const isInCi = ['CI', 'CONTINUOUS_INTEGRATION'].some(
  (key) => key in process.env && process.env[key] !== '0' && process.env[key] !== 'false',
);
import { applyWorkflowEvent, initialJobsState, jobsView } from '../../src/ui/views/jobs-view.js';
import { criticalPath, runView } from '../../src/ui/views/run-view.js';
import type { Graph } from '../../src/ui/dag/graph.js';
import { FakeStdout, inkFrame, maxLineWidth } from './ink-frame.js';

const T0 = Date.parse('2026-11-21T10:00:00.000Z');
const iso = (ms: number) => new Date(T0 + ms).toISOString();

const jobNodes = [
  { job: 'repin_graph', deps: [] as string[] },
  { job: 'board_pagerank', deps: ['repin_graph'] },
  { job: 'board_category', deps: ['repin_graph'] },
  { job: 'boardjoin', deps: ['board_pagerank', 'board_category'] },
  { job: 'pinjoin', deps: ['board_pagerank', 'board_category'] },
  { job: 'userjoin', deps: ['boardjoin'] },
];

const events: WorkflowEvent[] = [
  {
    type: 'run-started',
    version: '2026-11-21/1',
    date: '2026-11-21',
    iteration: 1,
    at: iso(0),
    jobs: jobNodes.map((j) => ({
      job: j.job,
      kind: 'builtin',
      inputs: [],
      outputs: [j.job],
      dependsOn: j.deps,
      willRun: true,
    })),
  },
  { type: 'job-started', job: 'repin_graph', at: iso(0) },
  {
    type: 'job-finished',
    job: 'repin_graph',
    state: 'succeeded',
    durationMs: 1200,
    rows: 48211,
    error: null,
    at: iso(1200),
  },
  { type: 'job-started', job: 'board_pagerank', at: iso(1200) },
  { type: 'job-progress', job: 'board_pagerank', message: 'iteration 12', at: iso(1500) },
  { type: 'job-started', job: 'board_category', at: iso(1200) },
  {
    type: 'job-finished',
    job: 'board_category',
    state: 'failed',
    durationMs: 300,
    rows: null,
    error: 'division by zero',
    at: iso(1500),
  },
];

describe('jobs run view', () => {
  const state = events.reduce(applyWorkflowEvent, initialJobsState);

  it('folds workflow events into job states', () => {
    expect(state.jobs.map((j) => [j.job, j.state])).toEqual([
      ['repin_graph', 'succeeded'],
      ['board_pagerank', 'running'],
      ['board_category', 'failed'],
      ['boardjoin', 'pending'],
      ['pinjoin', 'pending'],
      ['userjoin', 'pending'],
    ]);
    expect(state.jobs[1]!.message).toBe('iteration 12');
  });

  for (const width of [80, 160])
    it(`draws states, timings and rows on the job DAG at ${width} columns`, () => {
      const frame = inkFrame(jobsView(state, { width, now: T0 + 2000 }), width);
      expect(maxLineWidth(frame)).toBeLessThanOrEqual(width);
      expect(frame).toContain('✔ succeeded 1.2s');
      expect(frame).toContain('48,211 rows');
      expect(frame).toContain('◐ running 0.8s');
      expect(frame).toContain('iteration 12');
      expect(frame).toContain('✖ division by zero');
      expect(frame).toContain('1 succeeded  1 running  3 pending  1 failed');
      if (width === 80)
        expect(frame).toMatchInlineSnapshot(`
        "jobs run 2026-11-21/1  2.0s

                  ┌──────────────────┐
                  │ repin_graph      │
                  │ ✔ succeeded 1.2s │
                  │ 48,211 rows      │
                  └─────────┬────────┘
                 ┌──────────┴──────────┐
                 ▼                     ▼
        ┌────────────────┐  ┌────────────────────┐
        │ board_pagerank │  │ board_category     │
        │ ◐ running 0.8s │  │ ✖ failed 0.3s      │
        │ iteration 12   │  │ ✖ division by zero │
        └────────┬───────┘  └──────────┬─────────┘
                 └──────────┬──────────┼───┐
                            ├──────────┴───┤
                            ▼              ▼
                      ┌───────────┐  ┌───────────┐
                      │ boardjoin │  │ pinjoin   │
                      │ ○ pending │  │ ○ pending │
                      └─────┬─────┘  └───────────┘
                            ▼
                      ┌───────────┐
                      │ userjoin  │
                      │ ○ pending │
                      └───────────┘

        1 succeeded  1 running  3 pending  1 failed"
      `);
    });

  it('falls back to a compact table when the DAG is taller than the terminal', () => {
    const frame = inkFrame(jobsView(state, { width: 80, now: T0 + 2000, maxHeight: 15 }), 80);
    expect(frame.split('\n').length).toBeLessThanOrEqual(15);
    expect(frame).toMatch(/board_category +✖ failed +0\.3s +division by zero/u);
    expect(frame).toMatch(/repin_graph +✔ succeeded +1\.2s +48,211/u);
  });

  it('says what was published when the run finishes', () => {
    const done = applyWorkflowEvent(state, {
      type: 'run-finished',
      state: 'failed',
      version: null,
      durationMs: 1500,
      at: iso(1500),
    });
    expect(linesToString(jobsView(done, { width: 80 }), false)).toContain(
      'a job failed: nothing was published',
    );
  });

  it('redraws live through Ink and leaves the final frame', async () => {
    const stdout = new FakeStdout(80);
    const live = startLiveView(
      (s: typeof state) => jobsView(s, { width: 80, now: T0 + 2000 }),
      initialJobsState,
      {
        color: false,
        stdout: stdout as unknown as NodeJS.WriteStream,
        intervalMs: 5,
      },
    );
    const drawn = () => stripAnsi(stdout.frames.join(''));
    // Ink draws only the final frame when it detects CI (is-in-ci), so the intermediate frame is
    // checked outside CI only; there, wait for it (Ink throttles renders) before updating.
    if (!isInCi) {
      for (let i = 0; i < 200 && !drawn().includes('starting…'); i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(drawn()).toContain('starting…');
    }
    live.update(state);
    await live.finish(state);
    expect(drawn()).toContain('board_pagerank');
  });
});

describe('debug key view', () => {
  const result: DebugKeyResult = {
    dataset: 'boardjoin',
    key: 42,
    tiers: [
      {
        tier: 'prod',
        found: true,
        version: '2026-11-21/2',
        latency_ms: 0.05,
        light: true,
        record: { board_id: 42, name: 'Cakes', pagerank: 0.1, category: 'food' },
      },
      {
        tier: 'batch',
        found: true,
        version: '2026-11-21/2',
        latency_ms: 3.2,
        light: true,
        record: { board_id: 42, name: 'Cakes', pagerank: 0.1, category: 'food' },
      },
      {
        tier: 'debug',
        found: true,
        version: '2026-11-21/1',
        latency_ms: 41,
        light: false,
        record: {
          board_id: 42,
          name: 'Cakes',
          pagerank: 0.2,
          category: 'food',
          description: 'All the cakes',
        },
      },
      {
        tier: 'archive',
        found: false,
        version: null,
        latency_ms: 0,
        light: false,
        record: null,
        error: 'not loaded',
      },
    ],
    differences: [{ field: 'pagerank', values: { prod: 0.1, batch: 0.1, debug: 0.2 } }],
  };
  for (const width of [80, 160])
    it(`shows tiers side by side with differences standing out at ${width} columns`, () => {
      const lines = debugKeyView(result, { width });
      const frame = inkFrame(lines, width);
      expect(frame).toMatch(/≠ pagerank +0\.1 +0\.1 +0\.2/u);
      expect(frame).toContain('(light)'); // description is not in light tiers: not a difference
      expect(frame).toContain('tiers serve different versions');
      expect(frame).toContain('1 field differ: pagerank');
      // The differing row is red.
      expect(linesToString(lines, true)).toContain('\u001b[1;31m≠ pagerank');
      if (width === 80)
        expect(frame).toMatchInlineSnapshot(`
        "boardjoin 42

        TIER     FOUND  VERSION       LATENCY  LIGHT  ERROR
        prod     ✔ yes  2026-11-21/2    50 µs  light
        batch    ✔ yes  2026-11-21/2  3.20 ms  light
        debug    ✔ yes  2026-11-21/1  41.0 ms  full
        archive  error  (none)           0 µs  full   not loaded

        tiers serve different versions: 2026-11-21/2, 2026-11-21/1

        FIELD          PROD     BATCH    DEBUG
        ≠ pagerank     0.1      0.1      0.2
          board_id     42       42       42
          name         Cakes    Cakes    Cakes
          category     food     food     food
          description  (light)  (light)  All the cakes

        1 field differ: pagerank"
      `);
    });
});

describe('plan run view', () => {
  const graph: Graph = {
    nodes: ['seed', 'boards', 'side', 'ranked'].map((id) => ({ id, title: id, lines: [] })),
    edges: [
      { from: 'seed', to: 'boards' },
      { from: 'boards', to: 'ranked' },
      { from: 'seed', to: 'side' },
      { from: 'side', to: 'ranked' },
    ],
  };
  const response: PlanResponse = {
    plan: 'related-pins',
    responses: [
      {
        name: 'pins',
        dataset: 'pinjoin',
        items: Array.from({ length: 12 }, (_, i) => ({
          image_signature: `sig${i}`,
          title: `Pin ${i}`,
          score: 1 / (i + 1),
          board_ids: [1, 2],
        })),
      },
      { name: 'boards', dataset: 'boardjoin', items: [] },
    ],
    timings: {
      total_ms: 2,
      nodes: [
        {
          node: 'seed',
          processor: 'lookup',
          start_ms: 0,
          end_ms: 0.4,
          items_in: 0,
          items_out: 1,
          status: 'ok',
          tier: 'prod',
          dataset: 'pinjoin',
        },
        {
          node: 'side',
          processor: 'filter',
          start_ms: 0.4,
          end_ms: 0.5,
          items_in: 1,
          items_out: 1,
          status: 'ok',
        },
        {
          node: 'boards',
          processor: 'expand',
          start_ms: 0.4,
          end_ms: 1.6,
          items_in: 1,
          items_out: 20,
          status: 'ok',
          tier: 'prod',
          dataset: 'boardjoin',
        },
        {
          node: 'ranked',
          processor: 'rank',
          start_ms: 1.6,
          end_ms: 1.9,
          items_in: 20,
          items_out: 12,
          status: 'ok',
        },
      ],
    },
    errors: [{ node: 'side', message: 'timed out', handled: 'empty' }],
  };

  it('finds the critical path through the inputs that finished last', () => {
    expect(criticalPath(response.timings!.nodes, graph)).toEqual(['seed', 'boards', 'ranked']);
  });

  for (const width of [80, 160])
    it(`draws the response lists and the waterfall at ${width} columns`, () => {
      const frame = inkFrame(runView(response, graph, { width }), width);
      expect(maxLineWidth(frame)).toBeLessThanOrEqual(width);
      expect(frame).toContain('pins  pinjoin · 12 items');
      expect(frame).toContain('… 2 more');
      expect(frame).toContain('(empty)');
      expect(frame).toContain('side: timed out (empty)');
      expect(frame).toContain('critical path: seed → boards → ranked');
      // Topological order: side (a sibling) after seed, ranked last.
      const rows = frame.split('\n').filter((l) => /^(▸ | {2})(seed|boards|side|ranked) /u.test(l));
      expect(rows.map((r) => r.trim().split(/\s+/u)[r.startsWith('▸') ? 1 : 0])).toEqual([
        'seed',
        'boards',
        'side',
        'ranked',
      ]);
      if (width === 80)
        expect(frame).toMatchInlineSnapshot(`
        "plan related-pins  2.00 ms total

        pins  pinjoin · 12 items
          IMAGE_SIGNATURE  TITLE  SCORE
          sig0             Pin 0  1
          sig1             Pin 1  0.5
          sig2             Pin 2  0.333333
          sig3             Pin 3  0.25
          sig4             Pin 4  0.2
          sig5             Pin 5  0.166667
          sig6             Pin 6  0.142857
          sig7             Pin 7  0.125
          sig8             Pin 8  0.111111
          sig9             Pin 9  0.1
          … 2 more

        boards  boardjoin · 0 items
          (empty)

        node errors the response survived:
          side: timed out (empty)

        node      use     0 ────────────────────────────── 2.00 ms  start     duration
        ▸ seed    lookup  ████████                                      0 µs    400 µs
        ▸ boards  expand          ████████████████████████            400 µs   1.20 ms
          side    filter          ██                                  400 µs    100 µs
        ▸ ranked  rank                                    ██████     1.60 ms    300 µs
        critical path: seed → boards → ranked"
      `);
    });
});

describe('plan bench views', () => {
  it('accepts the bench harness types as they are', () => {
    // Compile-time agreement with src/bench: these assignments must type-check.
    const fromHarness = (r: BenchReport): BenchResultView => r;
    const progress = (p: LoadProgress) => benchProgress(live, p);
    expect(typeof fromHarness).toBe('function');
    expect(typeof progress).toBe('function');
  });

  const live: BenchLiveState = {
    plan: 'related-pins',
    mode: 'open',
    targetRps: 5000,
    concurrency: null,
    warmupS: 2,
    history: [],
  };

  it('shows the warm-up, then progress, achieved rate and running percentiles', () => {
    expect(linesToString(benchLiveView(live, { width: 80 }), false)).toContain('warming up for 2 s');
    let s = live;
    for (let i = 1; i <= 8; i++)
      s = benchProgress(s, {
        elapsedS: i,
        durationS: 10,
        requests: i * 5000,
        errors: i > 6 ? 3 : 0,
        throughputRps: 4990 + i,
        latency: { p50: 0.3, p90: 0.5, p99: 0.9 + i / 10, max: 4, p999: 2 },
      });
    for (const width of [80, 160]) {
      const frame = inkFrame(benchLiveView(s, { width }), width);
      expect(maxLineWidth(frame)).toBeLessThanOrEqual(width);
      expect(frame).toContain('8.0 / 10 s');
      expect(frame).toContain('achieved 4,998 req/s of 5,000');
      expect(frame).toContain('p99 1.70 ms');
      expect(frame).toContain('errors 3');
      if (width === 80)
        expect(frame).toMatchInlineSnapshot(`
        "bench related-pins  open loop at 5,000 req/s

        ████████████████████████████████████████░░░░░░░░░░ 8.0 / 10 s

        requests 40,000   errors 3   achieved 4,998 req/s of 5,000
        latency  p50 300 µs   p90 500 µs   p99 1.70 ms   max 4.00 ms

        rate     ████████
        p99      ▅▆▆▆▇▇██"
      `);
    }
  });

  const report: BenchResultView = {
    json: {
      plan: 'related-pins',
      mode: 'open',
      target_rps: 5000,
      duration_s: 10,
      requests: 49_990,
      errors: 0,
      throughput_rps: 4999,
      latency_ms: { p50: 0.31, p90: 0.52, p99: 0.93, p999: 2.1, max: 7.5 },
      nodes: [
        { node: 'seed', p50_ms: 0.05, p99_ms: 0.2 },
        { node: 'boards', p50_ms: 0.1, p99_ms: 0.4 },
        { node: 'ranked', p50_ms: 0.02, p99_ms: 0.05 },
      ],
      slo: { p99_ms: 1, met: true },
    },
    extras: {
      target: 'in process',
      histogram: [
        { upToMs: 0.25, count: 10_000 },
        { upToMs: 0.4, count: 30_000 },
        { upToMs: 1, count: 9_000 },
        { upToMs: 10, count: 990 },
      ],
      criticalPath: ['seed', 'boards', 'ranked'],
      harness: { cpuPercent: 14, emptyRequestMs: { p50: 0.01, p99: 0.05 } },
    },
  };

  for (const width of [80, 160])
    it(`shows percentiles, histogram, per-node breakdown and the SLO verdict at ${width} columns`, () => {
      const frame = inkFrame(
        benchResultView(report, {
          width,
          baseline: [
            { metric: 'p99_ms', baseline: 0.62, current: 0.93, ratio: 1.5 },
            { metric: 'seed.p99_ms', baseline: 0.2, current: 0.2, ratio: 1 },
          ],
        }),
        width,
      );
      expect(maxLineWidth(frame)).toBeLessThanOrEqual(width);
      expect(frame).toMatch(/p99 +930 µs .*620 µs +\+50\.0%/u);
      expect(frame).toContain('≤ 400 µs');
      expect(frame).toContain('▸ boards');
      expect(frame).toContain('✔ SLO met: p99 930 µs ≤ 1.00 ms');
      expect(frame).toContain('harness 14% of a core');
      if (width === 80)
        expect(frame).toMatchInlineSnapshot(`
        "bench related-pins  open loop at 5,000 req/s · 10 s · in process

        throughput  4,999 req/s of 5,000 target (100.0%)   requests 49,990   errors 0

        PERCENTILE  LATENCY                                  BASELINE  CHANGE
        p50          310 µs  █▎                                     —
        p90          520 µs  ██▏                                    —
        p99          930 µs  ███▊                              620 µs  +50.0%
        p99.9       2.10 ms  ████████▍                              —
        max         7.50 ms  ██████████████████████████████         —

        histogram (log scale)
         ≤ 250 µs ██████████████████                                     10000  20.0%
         ≤ 400 µs ██████████████████████████████████████████████████████ 30000  60.0%
        ≤ 1.00 ms ████████████████▎                                       9000  18.0%
        ≤ 10.0 ms █▊                                                       990   2.0%

        per node (▸ critical path)
        NODE         P50     P99  P99 CHANGE
        ▸ seed     50 µs  200 µs       +0.0%
        ▸ boards  100 µs  400 µs
        ▸ ranked   20 µs   50 µs

        harness 14% of a core · empty request p50 10 µs, p99 50 µs

        ✔ SLO met: p99 930 µs ≤ 1.00 ms"
      `);
    });

  it('shows the CPU steal, and wraps a warning about a disturbed run to the width', () => {
    const disturbed = {
      ...report,
      extras: {
        ...report.extras,
        harness: { cpuPercent: 14, steal: { percent: 23, peakPercent: 60 } },
        warnings: [
          `the hypervisor gave 23 % of this machine's CPU time to other guests ${'and more words '.repeat(8)}`,
        ],
      },
    };
    const frame = inkFrame(benchResultView(disturbed, { width: 60 }), 60);
    expect(maxLineWidth(frame)).toBeLessThanOrEqual(60);
    const words = frame.replace(/\s+/g, ' ');
    expect(words).toContain('· CPU steal 23% (peak 60%)');
    expect(words).toContain('⚠ the hypervisor gave 23 %');
    expect(frame.split('\n').filter((l) => l.includes('and more words')).length).toBeGreaterThan(1);
  });

  it('says when the SLO is missed', () => {
    const missed = { ...report, json: { ...report.json, slo: { p99_ms: 0.5, met: false } } };
    expect(linesToString(benchResultView(missed, { width: 80 }), false)).toContain(
      '✖ SLO missed: p99 930 µs > 500 µs',
    );
  });
});
