/**
 * Chrome Trace Event JSON (the format Perfetto and chrome://tracing open): one complete event
 * (`ph: 'X'`) per node that ran, with its processor, tier, dataset and items in/out as args, plus
 * one event for the whole request. Overlapping nodes get their own lanes (`tid`) so the viewer
 * shows the parallelism instead of mis-nesting the events.
 */
import { rename, writeFile } from 'node:fs/promises';
import type { RequestTimings } from './response.js';

export interface TraceEvent {
  name: string;
  cat: string;
  ph: 'X' | 'M';
  /** Microseconds. */
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: Record<string, unknown>;
}

export interface ChromeTrace {
  traceEvents: TraceEvent[];
  displayTimeUnit: 'ms';
  metadata?: Record<string, unknown>;
}

const us = (ms: number) => Math.round(ms * 1000);

/** The trace of one request (its timings, as `execute(..., {collectTimings: true})` returns them). */
export function chromeTrace(
  plan: string,
  timings: RequestTimings,
  meta: Record<string, unknown> = {},
): ChromeTrace {
  const events: TraceEvent[] = [
    {
      name: 'process_name',
      cat: '__metadata',
      ph: 'M',
      ts: 0,
      pid: 1,
      tid: 0,
      args: { name: `plan ${plan}` },
    },
    { name: 'thread_name', cat: '__metadata', ph: 'M', ts: 0, pid: 1, tid: 0, args: { name: 'request' } },
    {
      name: plan,
      cat: 'request',
      ph: 'X',
      ts: 0,
      dur: us(timings.total_ms),
      pid: 1,
      tid: 0,
      args: { ...meta },
    },
  ];
  // Greedy interval partitioning: each node goes to the first lane free at its start.
  const laneEnds: number[] = [];
  const sorted = [...timings.nodes].sort((a, b) => a.start_ms - b.start_ms || a.end_ms - b.end_ms);
  for (const t of sorted) {
    let lane = laneEnds.findIndex((end) => end <= t.start_ms);
    if (lane < 0) {
      lane = laneEnds.length;
      laneEnds.push(0);
      events.push({
        name: 'thread_name',
        cat: '__metadata',
        ph: 'M',
        ts: 0,
        pid: 1,
        tid: lane + 1,
        args: { name: `lane ${lane + 1}` },
      });
    }
    laneEnds[lane] = t.end_ms;
    const args: Record<string, unknown> = {
      processor: t.processor,
      items_in: t.items_in,
      items_out: t.items_out,
      status: t.status,
    };
    if (t.tier !== undefined) args.tier = t.tier;
    if (t.dataset !== undefined) args.dataset = t.dataset;
    events.push({
      name: t.node,
      cat: t.processor,
      ph: 'X',
      ts: us(t.start_ms),
      dur: Math.max(0, us(t.end_ms) - us(t.start_ms)),
      pid: 1,
      tid: lane + 1,
      args,
    });
  }
  return { traceEvents: events, displayTimeUnit: 'ms', metadata: { plan, ...meta } };
}

/** Writes the trace atomically (temp file + rename), so a viewer never opens half a file. */
export async function writeChromeTrace(
  file: string,
  plan: string,
  timings: RequestTimings,
  meta: Record<string, unknown> = {},
): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(chromeTrace(plan, timings, meta))}\n`);
  await rename(tmp, file);
}
