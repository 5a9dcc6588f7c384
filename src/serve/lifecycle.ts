/**
 * `disco serve` from start to stop: one server process, or (`workers` > 1) a primary that starts
 * that many server processes (cluster.ts) — the same code runs in each worker, which tells the
 * primary it is ready instead of printing. Stops gracefully on SIGTERM or Ctrl-C.
 */
import { isServeWorker, joinCluster, startWorkers } from './cluster.js';
import { tuneGcForServing } from './gc-tuning.js';
import type { RunningServer } from './server.js';

/** A started server: what `start` gives back. */
export interface Served {
  server: RunningServer;
  plans: string[];
  /** What to tell the user at start (plans not served and why). */
  notes: string[];
  /** Graceful stop: in-flight requests finish, then the data closes. */
  close(): Promise<void>;
}

export interface ServeUntilStoppedOptions {
  /** Starts one server; `metricsText` is set in a worker (GET /metrics answers for all of them). */
  start: (metricsText: (() => Promise<string>) | undefined) => Promise<Served>;
  /** Server processes sharing the port (default 1: this process serves). */
  workers?: number | undefined;
  /** What the user should see on start (stdout); not called in worker processes. */
  print: (line: string) => void;
  log: (line: string) => void;
}

/** Serves until SIGTERM/SIGINT (or, in a worker, the primary's stop); resolves after a graceful stop. */
export async function serveUntilStopped(
  options: ServeUntilStoppedOptions,
): Promise<{ url: string; plans: string[]; workers: number }> {
  const { workers = 1, print, log } = options;
  if (workers > 1 && !isServeWorker()) {
    const cluster = await startWorkers(workers, log);
    for (const line of cluster.notes) print(line);
    print(
      `serving ${cluster.plans.length} plan(s) on ${cluster.url} with ${workers} worker processes  (Ctrl-C to stop)`,
    );
    const signal = await stopSignal(true);
    log(`${signal}: stopping ${workers} workers (in-flight requests finish)`);
    await cluster.close();
    return { url: cluster.url, plans: cluster.plans, workers };
  }

  // A worker stops when the primary says so; Ctrl-C reaches the whole process group, and the
  // primary coordinates, so a worker ignores SIGINT.
  let served: Served | undefined;
  const channel = isServeWorker() ? joinCluster(() => served?.server.metrics) : undefined;
  tuneGcForServing();
  try {
    served = await options.start(channel?.metricsText);
  } catch (error) {
    channel?.leave(); // the IPC channel would keep a failed worker alive: the primary waits for its exit
    throw error;
  }
  const { server, plans, notes } = served;
  if (channel) channel.ready({ url: server.url, plans, notes });
  else {
    for (const line of notes) print(line);
    print(`serving ${plans.length} plan(s) on ${server.url}  (Ctrl-C to stop)`);
  }
  const reason = await Promise.race([
    stopSignal(!channel),
    ...(channel ? [channel.stopRequested.then(() => 'stop')] : []),
  ]);
  log(`${reason}: finishing ${server.inFlight()} in-flight request(s), then stopping`);
  await served.close();
  channel?.leave();
  return { url: server.url, plans, workers: 1 };
}

function stopSignal(withSigint: boolean): Promise<string> {
  if (!withSigint) process.on('SIGINT', () => {});
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    if (withSigint) process.once('SIGINT', () => resolve('SIGINT'));
  });
}
