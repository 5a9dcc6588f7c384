/**
 * `disco serve --workers N`: N server processes (node:cluster) behind one listening socket.
 *
 * Why: a server process runs its plans and its HTTP on one thread, so it can never use more than
 * one core. A related-pins request costs ~0.5 ms of HTTP, encoding and socket writes alone plus the
 * plan's own CPU: one process tops out well below 2 000 req/s, and the machine's second core would
 * sit idle. Each worker opens its own tiers (read-only; SQLite and DuckDB allow several readers) and
 * compiles the plans itself — memory and start-up are paid N times. The primary only accepts
 * connections (Node hands each to a worker in turn; keep-alive clients stay on theirs), starts the
 * workers, replaces one that dies, adds up their metrics for `GET /metrics`, and stops them
 * gracefully.
 *
 * Messages between the primary and a worker (plain objects over the IPC channel):
 * worker → primary: `ready` (url, plans, notes), `metrics?` (id); primary → worker: `snapshot?`
 * (id), `metrics` (id, text), `stop`; worker → primary: `snapshot` (id, data).
 */
import cluster, { type Worker } from 'node:cluster';
import { UserError } from '../errors/index.js';
import { Metrics, type MetricsSnapshot } from './metrics.js';

export interface WorkerReady {
  url: string;
  plans: string[];
  notes: string[];
}

type Message =
  | ({ type: 'ready' } & WorkerReady)
  | { type: 'metrics?'; id: number }
  | { type: 'snapshot?'; id: number }
  | { type: 'snapshot'; id: number; data: MetricsSnapshot }
  | { type: 'metrics'; id: number; text: string }
  | { type: 'stop' };

export const isServeWorker = (): boolean => cluster.isWorker;

export interface ServeCluster extends WorkerReady {
  workers: number;
  /** Asks every worker to stop (in-flight requests finish) and waits until they exited. */
  close(): Promise<void>;
}

const liveWorkers = (): Worker[] =>
  Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w?.isConnected());

/** In the primary: forks `n` workers (each runs the same command) and waits until all listen. */
export async function startWorkers(n: number, log: (line: string) => void): Promise<ServeCluster> {
  let stopping = false;
  let nextId = 1;
  const ready = new Map<Worker, WorkerReady>();
  // Metrics requests being gathered, by our id: who asked (and its id), the snapshots so far.
  const gathering = new Map<
    number,
    { asker: Worker; askerId: number; got: MetricsSnapshot[]; waiting: number }
  >();
  const answer = (id: number, force = false): void => {
    const g = gathering.get(id);
    if (!g || (g.waiting > 0 && !force)) return;
    gathering.delete(id);
    const total = new Metrics();
    for (const s of g.got) total.add(s);
    if (g.asker.isConnected())
      g.asker.send({ type: 'metrics', id: g.askerId, text: total.render() } satisfies Message);
  };

  let started!: () => void;
  let failed!: (error: Error) => void;
  const allReady = new Promise<void>((resolve, reject) => {
    started = resolve;
    failed = reject;
  });
  const onMessage = (worker: Worker, message: Message): void => {
    if (message.type === 'ready') {
      ready.set(worker, message);
      if (ready.size === n) started();
    } else if (message.type === 'metrics?') {
      const id = nextId++;
      const live = liveWorkers();
      gathering.set(id, { asker: worker, askerId: message.id, got: [], waiting: live.length });
      for (const w of live) w.send({ type: 'snapshot?', id } satisfies Message);
      // A worker that does not answer within a second (dying, stuck) is left out.
      setTimeout(() => answer(id, true), 1000).unref();
    } else if (message.type === 'snapshot') {
      const g = gathering.get(message.id);
      if (!g) return;
      g.got.push(message.data);
      g.waiting--;
      answer(message.id);
    }
  };
  const onExit = (worker: Worker, code: number, signal: string | null): void => {
    const wasReady = ready.delete(worker);
    if (stopping) return;
    if (!wasReady) {
      // A worker that never listened (a port in use, a broken data dir): the others would fail too.
      stopping = true;
      for (const w of liveWorkers()) w.kill();
      failed(
        new UserError('a server worker failed to start: see its message above', {
          code: 'worker-failed',
          exit: 2,
        }),
      );
      return;
    }
    log(`worker ${worker.process.pid} exited (${signal ?? `code ${code}`}); starting another`);
    cluster.fork();
  };
  cluster.on('message', onMessage);
  cluster.on('exit', onExit);
  // Workers run the same command: their stdout (the start line, --json) is the primary's to write.
  cluster.setupPrimary({ stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  for (let i = 0; i < n; i++) cluster.fork();
  await allReady;
  const first = [...ready.values()][0]!;

  return {
    ...first,
    workers: n,
    async close() {
      stopping = true;
      await Promise.all(
        Object.values(cluster.workers ?? {}).map(
          (w) =>
            new Promise<void>((resolve) => {
              if (!w || w.isDead()) return resolve();
              w.once('exit', () => resolve());
              if (w.isConnected()) w.send({ type: 'stop' } satisfies Message);
              else w.kill();
            }),
        ),
      );
      cluster.off('message', onMessage);
      cluster.off('exit', onExit);
    },
  };
}

export interface WorkerChannel {
  /** Tells the primary this worker listens. */
  ready(info: WorkerReady): void;
  /** The metrics of every worker added up, as Prometheus text (from the primary). */
  metricsText(): Promise<string>;
  /** Resolves when the primary asks this worker to stop (or went away). */
  stopRequested: Promise<void>;
  /** Lets the process exit once the server is closed. */
  leave(): void;
}

/** In a worker: the IPC side of the cluster. `local` gives this worker's own metrics. */
export function joinCluster(local: () => Metrics | undefined): WorkerChannel {
  const send = (message: Message): void => {
    if (process.connected) process.send?.(message);
  };
  let nextId = 1;
  const waiting = new Map<number, (text: string) => void>();
  let stop!: () => void;
  const stopRequested = new Promise<void>((resolve) => (stop = resolve));
  process.on('message', (message: Message) => {
    if (message.type === 'snapshot?') {
      const data = local()?.snapshot() ?? { counters: [], histograms: [] };
      send({ type: 'snapshot', id: message.id, data });
    } else if (message.type === 'metrics') {
      waiting.get(message.id)?.(message.text);
      waiting.delete(message.id);
    } else if (message.type === 'stop') stop();
  });
  process.once('disconnect', () => stop());
  return {
    ready: (info) => send({ type: 'ready', ...info }),
    metricsText: () =>
      new Promise<string>((resolve, reject) => {
        const id = nextId++;
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error('the primary process did not answer with the metrics'));
        }, 5000);
        waiting.set(id, (text) => {
          clearTimeout(timer);
          resolve(text);
        });
        send({ type: 'metrics?', id });
      }),
    stopRequested,
    leave: () => {
      if (process.connected) process.disconnect();
    },
  };
}
