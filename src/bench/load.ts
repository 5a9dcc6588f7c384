/**
 * The load harness behind `disco plan bench` (in process and over HTTP).
 *
 * - **Open loop** (`rate`): request i is due at `start + i / rate` whatever happened before it, and
 *   its latency is measured from that *intended* start. A stall of the system under test therefore
 *   shows up in the latency of every request that should have been sent during it, instead of
 *   being hidden by a client that politely waits (coordinated omission).
 * - **Closed loop** (`concurrency`): C requests in flight, each followed by the next one at once.
 *   Latency is the service time; throughput is whatever the system gives.
 *
 * Scheduling: after each dispatch the harness yields to the event loop (completions and I/O run),
 * then waits for the next intended start: a wait of more than 2 ms with a timer, a shorter one with
 * `Atomics.wait` (sub-millisecond precision, no CPU), but never shorter than `quantumMs`. Timers
 * alone are ~1 ms coarse, which would add up to a millisecond of harness lateness to every request;
 * spinning would burn a whole core. The harness reports its own cost: the CPU it used
 * and how late it dispatched (`dispatchLagMs`); `measureOverhead` runs it against an empty request.
 */
import { StealMonitor, type StealFigures } from './cpu-steal.js';
import { LatencyHistogram, type LatencySummary, round3 } from './histogram.js';

export type LoadMode = 'open' | 'closed';

export interface LoadOptions {
  /** One request. `recording` is false during the warm-up (so callers can skip their own stats). */
  request: (recording: boolean) => Promise<unknown>;
  mode: LoadMode;
  /** Requests per second (open loop). */
  rate?: number | undefined;
  /** Requests in flight (closed loop). */
  concurrency?: number | undefined;
  durationS: number;
  warmupS?: number | undefined;
  /** Called about every `progressEveryMs` while measuring (for live views). */
  onProgress?: ((p: LoadProgress) => void) | undefined;
  progressEveryMs?: number | undefined;
  /** Open loop: at most this many requests in flight; beyond it a due request counts as an error. */
  maxInFlight?: number | undefined;
  /** After the measured window, how long in-flight requests may take to finish (default 10 s). */
  drainTimeoutS?: number | undefined;
  /** Open loop: the shortest sleep between dispatches (default 0.5 ms); see the module comment. */
  quantumMs?: number | undefined;
  /** Aborts the run early (Ctrl-C); what was measured so far is reported. */
  signal?: AbortSignal | undefined;
}

export interface LoadProgress {
  elapsedS: number;
  durationS: number;
  requests: number;
  errors: number;
  throughputRps: number;
  latency: LatencySummary;
}

export interface LoadResult {
  mode: LoadMode;
  targetRps: number | null;
  concurrency: number | null;
  /** The measured window (seconds). */
  durationS: number;
  /** Requests completed (successfully or not) that were started in the measured window. */
  requests: number;
  errors: number;
  /** First error messages (up to 5 distinct), to tell the user what failed. */
  errorSamples: string[];
  throughputRps: number;
  latency: LatencySummary;
  histogram: LatencyHistogram;
  harness: {
    /** CPU used by this process during the measured window, in % of one core (harness + request work). */
    cpuPercent: number;
    /** How late the harness dispatched requests after their intended start (open loop). */
    dispatchLagMs: { p50: number; p99: number; max: number };
    /** The machine's CPU steal over the measured window (see cpu-steal.ts); undefined off Linux. */
    steal: StealFigures | undefined;
  };
}

const nowMs = (): number => performance.now();
const sleeper = new Int32Array(new SharedArrayBuffer(4));
/** Blocks the thread for `ms` without using CPU (sub-millisecond precision). */
const sleepSync = (ms: number): void => {
  if (ms > 0) Atomics.wait(sleeper, 0, 0, ms);
};
const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  checkOptions(options);
  return options.mode === 'open' ? runOpen(options) : runClosed(options);
}

function checkOptions(o: LoadOptions): void {
  if (o.mode === 'open' && !(typeof o.rate === 'number' && o.rate > 0 && Number.isFinite(o.rate))) {
    throw new RangeError('open-loop mode needs a positive rate');
  }
  if (
    o.mode === 'closed' &&
    !(typeof o.concurrency === 'number' && Number.isInteger(o.concurrency) && o.concurrency > 0)
  ) {
    throw new RangeError('closed-loop mode needs a positive integer concurrency');
  }
  if (!(o.durationS > 0)) throw new RangeError('duration must be positive');
}

/** This process's CPU and the machine's CPU steal over the measured window. */
class WindowMeter {
  private cpu: NodeJS.CpuUsage | undefined;
  private readonly steal = new StealMonitor();

  /** Starts the window at the first recorded request (later calls do nothing). */
  start(): void {
    if (this.cpu) return;
    this.cpu = process.cpuUsage();
    this.steal.start();
  }

  stop(): { cpuMs: number; steal: StealFigures | undefined } {
    if (!this.cpu) return { cpuMs: 0, steal: undefined };
    const cpu = process.cpuUsage(this.cpu);
    return { cpuMs: (cpu.user + cpu.system) / 1000, steal: this.steal.stop() };
  }
}

/** Shared bookkeeping for both modes. */
class Tally {
  readonly latency = new LatencyHistogram();
  readonly lag = new LatencyHistogram();
  requests = 0;
  errors = 0;
  /** Recorded requests still in flight. */
  pending = 0;
  /** After the drain: late completions are ignored (they are already counted as errors). */
  closed = false;
  /** When the last recorded request finished (for the achieved throughput). */
  lastDone = 0;
  readonly errorSamples: string[] = [];

  /** Ends the run: requests still in flight after the drain timeout count as errors. */
  close(drainTimeoutS: number): void {
    if (this.pending > 0) {
      const n = this.pending;
      this.requests += n;
      this.errors += n;
      this.errorSamples.push(`${n} request(s) did not finish within ${drainTimeoutS} s after the run`);
    }
    this.pending = 0;
    this.closed = true;
  }

  error(e: unknown): void {
    this.errors++;
    if (this.errorSamples.length < 5) {
      const message = e instanceof Error ? e.message : String(e);
      if (!this.errorSamples.includes(message)) this.errorSamples.push(message);
    }
  }
}

async function runOpen(o: LoadOptions): Promise<LoadResult> {
  const rate = o.rate!;
  const interval = 1000 / rate;
  const warmupMs = (o.warmupS ?? 0) * 1000;
  const durationMs = o.durationS * 1000;
  const maxInFlight = o.maxInFlight ?? Math.max(1000, Math.ceil(rate * 10));
  const tally = new Tally();
  let inFlight = 0;
  let drained: (() => void) | undefined;

  const fire = (intended: number, recording: boolean): void => {
    if (inFlight >= maxInFlight) {
      if (recording) {
        tally.requests++;
        tally.error(new Error(`more than ${maxInFlight} requests in flight: the target cannot keep up`));
      }
      return;
    }
    inFlight++;
    if (recording) tally.pending++;
    const done = (failed: unknown, isError: boolean): void => {
      inFlight--;
      if (recording && !tally.closed) {
        tally.pending--;
        tally.requests++;
        tally.lastDone = nowMs();
        if (isError) tally.error(failed);
        else tally.latency.recordMs(nowMs() - intended);
      }
      if (inFlight === 0 && drained) drained();
    };
    try {
      o.request(recording).then(
        () => done(undefined, false),
        (e: unknown) => done(e, true),
      );
    } catch (e) {
      done(e, true);
    }
  };

  // One schedule for warm-up and measurement, so the rate never jumps at the boundary.
  const start = nowMs();
  const measureFrom = start + warmupMs;
  const end = measureFrom + durationMs;
  let i = 0;
  const meter = new WindowMeter();
  let lastProgress = measureFrom;
  const progressEvery = o.progressEveryMs ?? 250;
  // Waking up costs CPU (tens of microseconds a sleep on this kind of machine), so at high rates
  // the harness wakes at most every `quantum` ms and sends what is due in one batch: a request is
  // then up to `quantum` late, which its latency (from the intended start) includes honestly.
  const quantum = o.quantumMs ?? 0.5;

  while (!o.signal?.aborted) {
    const now = nowMs();
    // Dispatch everything that is due (after a stall, the whole backlog with its intended times).
    for (;;) {
      const intended = start + i * interval;
      if (intended > now || intended >= end) break;
      const recording = intended >= measureFrom;
      if (recording) {
        meter.start();
        tally.lag.recordMs(now - intended);
      }
      i++;
      fire(intended, recording);
    }
    if (o.onProgress && now - lastProgress >= progressEvery && now >= measureFrom) {
      lastProgress = now;
      o.onProgress(progressOf(tally, now - measureFrom, o.durationS));
    }
    const next = start + i * interval;
    if (next >= end) break;
    // Let completions (promise callbacks, I/O) run before sleeping, so they are timed promptly.
    await yieldToLoop();
    const wait = next - nowMs();
    if (wait > 2) await delay(wait - 1.5);
    else if (wait > 0) sleepSync(Math.max(wait, quantum));
  }
  const windowEnd = Math.min(nowMs(), end);
  const measured = meter.stop();
  const drainS = o.drainTimeoutS ?? 10;
  await drain(
    () => inFlight,
    (f) => (drained = f),
    drainS,
  );
  tally.close(drainS);
  return result(o, tally, windowEnd - measureFrom, measureFrom, measured, rate, null);
}

async function runClosed(o: LoadOptions): Promise<LoadResult> {
  const concurrency = o.concurrency!;
  const tally = new Tally();
  const start = nowMs();
  const measureFrom = start + (o.warmupS ?? 0) * 1000;
  const end = measureFrom + o.durationS * 1000;
  const meter = new WindowMeter();
  let lastProgress = measureFrom;
  const progressEvery = o.progressEveryMs ?? 250;

  const worker = async (): Promise<void> => {
    let sinceYield = 0;
    for (;;) {
      const t0 = nowMs();
      if (t0 >= end || o.signal?.aborted) return;
      const recording = t0 >= measureFrom;
      if (recording) meter.start();
      if (recording) tally.pending++;
      let failure: unknown;
      let failed = false;
      try {
        await o.request(recording);
      } catch (e) {
        failed = true;
        failure = e;
      }
      if (tally.closed) return;
      if (recording) {
        tally.pending--;
        tally.requests++;
        tally.lastDone = nowMs();
        if (failed) tally.error(failure);
        else tally.latency.recordMs(nowMs() - t0);
      }
      if (o.onProgress && t0 - lastProgress >= progressEvery && recording) {
        lastProgress = t0;
        o.onProgress(progressOf(tally, t0 - measureFrom, o.durationS));
      }
      // A request that resolves in a microtask would otherwise starve timers and I/O.
      if (++sinceYield >= 32) {
        sinceYield = 0;
        await yieldToLoop();
      }
    }
  };
  const drainS = o.drainTimeoutS ?? 10;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(Array.from({ length: concurrency }, worker)),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, end - nowMs()) + drainS * 1000);
    }),
  ]);
  clearTimeout(timer);
  tally.close(drainS);
  const measured = meter.stop();
  const windowEnd = Math.min(nowMs(), end);
  return result(o, tally, windowEnd - measureFrom, measureFrom, measured, null, concurrency);
}

function progressOf(tally: Tally, elapsedMs: number, durationS: number): LoadProgress {
  const elapsedS = elapsedMs / 1000;
  return {
    elapsedS,
    durationS,
    requests: tally.requests,
    errors: tally.errors,
    throughputRps: elapsedS > 0 ? tally.requests / elapsedS : 0,
    latency: tally.latency.summary(),
  };
}

async function drain(count: () => number, onZero: (f: () => void) => void, timeoutS: number): Promise<void> {
  if (count() === 0) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    new Promise<void>((resolve) => onZero(resolve)),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutS * 1000);
    }),
  ]);
  clearTimeout(timer); // a pending timer would keep the process alive after the bench
}

function result(
  o: LoadOptions,
  tally: Tally,
  windowMs: number,
  measureFrom: number,
  measured: ReturnType<WindowMeter['stop']>,
  targetRps: number | null,
  concurrency: number | null,
): LoadResult {
  const lag = tally.lag.summary();
  const windowS = Math.max(0.001, windowMs / 1000);
  const busyS = Math.max(windowS, (tally.lastDone - measureFrom) / 1000);
  return {
    mode: o.mode,
    targetRps,
    concurrency,
    durationS: round3(windowS),
    requests: tally.requests,
    errors: tally.errors,
    errorSamples: tally.errorSamples,
    // Achieved throughput: requests over the time until the last one finished — when the target
    // cannot keep up, the backlog drains after the window, and the rate it really managed is lower.
    throughputRps: round3(tally.requests / busyS),
    latency: tally.latency.summary(),
    histogram: tally.latency,
    harness: {
      cpuPercent: round3((measured.cpuMs / (windowS * 1000)) * 100),
      dispatchLagMs: { p50: lag.p50, p99: lag.p99, max: lag.max },
      steal: measured.steal,
    },
  };
}

/**
 * The harness's own cost at `rate` req/s: an open-loop run against a request that does nothing.
 * Its latency is the floor of every figure the harness reports; its CPU is the harness's share.
 */
export async function measureOverhead(rate: number, durationS = 2): Promise<LoadResult> {
  return runLoad({ request: () => Promise.resolve(), mode: 'open', rate, durationS, warmupS: 0.5 });
}
