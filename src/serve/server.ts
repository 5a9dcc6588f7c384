/**
 * `disco serve`: every plan of the project over HTTP/JSON (SPEC §4), on Node's own `http` module.
 *
 *   GET  /healthz         liveness (503 while shutting down)
 *   GET  /plans           names, params, SLOs and nodes of the served plans
 *   GET  /plans/NAME      one plan's description
 *   POST /plans/NAME      JSON object of params → the plan's response (400 bad JSON/params, 404 unknown plan)
 *   POST /plan            an ad-hoc plan (YAML or JSON) in the body, params in the query string
 *   GET  /metrics         Prometheus text
 *
 * Robustness: a body limit (413), header and request timeouts against slow clients, a per-request
 * deadline (`x-disco-deadline-ms`, capped by the plan's own), errors as JSON without stack traces
 * (a plan that throws is a 500, and the server keeps serving), graceful shutdown (in-flight
 * requests finish; idle keep-alive connections close).
 */
import { type FSWatcher, watch } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { suggest } from '../diagnostics/suggest.js';
import { isUserError } from '../errors/index.js';
import { encodeJsonPooled } from './encode.js';
import { Metrics } from './metrics.js';
import type { PlanRunResult, PlanRuntime, RuntimePlan } from './types.js';

export interface ServerOptions {
  runtime: PlanRuntime;
  port?: number | undefined;
  host?: string | undefined;
  /** Largest request body accepted (default 1 MiB); larger → 413. */
  maxBodyBytes?: number | undefined;
  /** The deadline of a request when neither the header nor the plan says (default 10 s). */
  defaultDeadlineMs?: number | undefined;
  /** Slow clients: time to receive the headers / the whole request (defaults 10 s / 30 s). */
  headersTimeoutMs?: number | undefined;
  requestTimeoutMs?: number | undefined;
  /** Reload the plans when files under the runtime's watch paths change. */
  watch?: boolean | undefined;
  /** Server log lines (never sent to clients). */
  log?: ((line: string) => void) | undefined;
  /** `GET /metrics` text when this server is one of several processes (their sum); else its own. */
  metricsText?: (() => Promise<string>) | undefined;
}

export interface RunningServer {
  url: string;
  port: number;
  host: string;
  metrics: Metrics;
  /** Requests being answered right now. */
  inFlight(): number;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), then closes every connection. */
  close(graceMs?: number): Promise<void>;
}

export const DEADLINE_HEADER = 'x-disco-deadline-ms';

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { runtime } = options;
  const log = options.log ?? (() => {});
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  const defaultDeadline = options.defaultDeadlineMs ?? 10_000;
  const metrics = new Metrics();
  let inFlight = 0;
  let closing = false;
  let idle: (() => void) | undefined;

  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const server: Server = createServer(
    // Node checks the header/request timeouts every `connectionsCheckingInterval` (30 s by default).
    { keepAlive: true, connectionsCheckingInterval: Math.min(1000, headersTimeout / 2) },
    (req, res) => {
      inFlight++;
      res.on('close', () => {
        inFlight--;
        if (inFlight === 0 && idle) idle();
      });
      if (closing) res.setHeader('connection', 'close');
      handle(req, res).catch((error: unknown) => {
        // Only a bug in the handler lands here; the client still gets JSON, never a stack trace.
        log(`internal error on ${req.method} ${req.url}: ${(error as Error)?.message ?? error}`);
        if (!res.headersSent)
          send(res, 500, { error: { code: 'internal', message: 'internal server error' } });
        else res.destroy();
      });
    },
  );
  server.headersTimeout = headersTimeout;
  server.requestTimeout = options.requestTimeoutMs ?? 30_000;
  // Idle keep-alive connections stay open a minute (longer than clients' and load balancers' usual
  // idle timeouts, so the client closes first): a server that closes an idle socket just as a
  // client reuses it makes that request fail with ECONNRESET (the HTTP bench saw 51 of 1 000).
  server.keepAliveTimeout = 65_000;
  // A malformed request line or headers: answer 400 instead of dropping the socket silently.
  server.on('clientError', (_error, socket) => {
    if (socket.writable)
      socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    let route = 'other';
    try {
      if (path === '/healthz') {
        route = 'healthz';
        allow(req, ['GET', 'HEAD']);
        send(res, closing ? 503 : 200, {
          status: closing ? 'shutting-down' : 'ok',
          plans: runtime.plans().size,
        });
      } else if (path === '/metrics') {
        route = 'metrics';
        allow(req, ['GET']);
        const text = options.metricsText ? await options.metricsText() : metrics.render();
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
        res.end(text);
      } else if (path === '/plans') {
        route = 'plans';
        allow(req, ['GET']);
        send(res, 200, { plans: [...runtime.plans().values()].map(describePlan) });
      } else if (path.startsWith('/plans/')) {
        route = 'plan';
        const name = decodeURIComponent(path.slice('/plans/'.length));
        allow(req, ['GET', 'POST']);
        const plan = findPlan(name);
        if (req.method === 'GET') send(res, 200, describePlan(plan));
        else await runNamed(plan, req, res, url);
      } else if (path === '/plan') {
        route = 'adhoc';
        allow(req, ['POST']);
        await runAdHoc(req, res, url);
      } else {
        throw new HttpError(404, 'not-found', `no route ${path}`, {
          hint: 'routes: GET /plans, POST /plans/NAME, POST /plan, GET /healthz, GET /metrics',
        });
      }
    } catch (error) {
      if (error instanceof HttpError) {
        if (error.status === 405) res.setHeader('allow', String(error.extra['allow']));
        if (error.status === 413) res.setHeader('connection', 'close');
        const { allow: _allow, ...extra } = error.extra;
        send(res, error.status, { error: { code: error.code, message: error.message, ...extra } });
      } else throw error;
    } finally {
      metrics.inc('disco_http_requests_total', { route, code: String(res.statusCode) });
    }
  }

  function findPlan(name: string): RuntimePlan {
    const plan = runtime.plans().get(name);
    if (plan) return plan;
    const names = [...runtime.plans().keys()];
    const guess = suggest(name, names);
    throw new HttpError(
      404,
      'unknown-plan',
      `no plan named '${name}'${guess ? `; did you mean '${guess}'?` : ''}`,
      {
        hint:
          names.length > 0
            ? `served plans: ${names.join(', ')}`
            : 'no plans are served: check disco plan validate',
      },
    );
  }

  async function runNamed(
    plan: RuntimePlan,
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
  ): Promise<void> {
    const text = await readBody(req, maxBody);
    let body: unknown = {};
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch (error) {
        planOutcome(plan.name, 'bad_request');
        throw new HttpError(400, 'bad-json', `the body is not valid JSON: ${(error as Error).message}`, {
          hint: 'send a JSON object of params, e.g. {"image": "…"}',
        });
      }
    }
    let params: Record<string, unknown>;
    try {
      params = plan.parseJsonParams(body);
    } catch (error) {
      planOutcome(plan.name, 'bad_request');
      throw toHttp(error);
    }
    await execute(plan, params, req, res, url);
  }

  async function runAdHoc(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const text = await readBody(req, maxBody);
    if (text.trim() === '')
      throw new HttpError(400, 'empty-plan', 'the body is empty: send a plan (YAML or JSON)');
    const outcome = await runtime.compileText(text, 'request-body.yaml');
    if (!outcome.plan) {
      throw new HttpError(
        400,
        'invalid-plan',
        `the plan is invalid (${outcome.diagnostics.length} problem(s))`,
        {
          diagnostics: outcome.diagnostics,
        },
      );
    }
    const plan = outcome.plan;
    let params: Record<string, unknown>;
    try {
      params = plan.parseCliParams(
        [...url.searchParams].filter(([k]) => k !== 'timings').map(([k, v]) => `${k}=${v}`),
      );
    } catch (error) {
      throw toHttp(error);
    }
    await execute(plan, params, req, res, url);
  }

  async function execute(
    plan: RuntimePlan,
    params: Record<string, unknown>,
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
  ): Promise<void> {
    const deadlineMs = deadlineOf(req, plan);
    const controller = spareControllers.get(req.socket) ?? new AbortController();
    spareControllers.delete(req.socket);
    // The client went away: stop working for it.
    const onClose = () => {
      if (!res.writableFinished) controller.abort(new Error('client closed the connection'));
    };
    res.on('close', onClose);
    const timings = url.searchParams.get('timings') === '1' || url.searchParams.get('timings') === 'true';
    const start = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new HttpError(
          504,
          'deadline-exceeded',
          `plan '${plan.name}' did not finish within ${deadlineMs} ms`,
        );
        controller.abort(error);
        reject(error);
      }, deadlineMs);
    });
    let result: PlanRunResult;
    try {
      result = await Promise.race([
        plan.run(params, { deadlineMs, signal: controller.signal, timings }),
        deadline,
      ]);
    } catch (error) {
      if (error instanceof HttpError || (error as { code?: unknown })?.code === 'deadline-exceeded') {
        planOutcome(plan.name, 'deadline');
        metrics.inc('disco_plan_errors_total', { plan: plan.name });
        if (error instanceof HttpError) throw error;
        throw new HttpError(
          504,
          'deadline-exceeded',
          `plan '${plan.name}' did not finish within ${deadlineMs} ms`,
        );
      }
      if (isUserError(error)) {
        planOutcome(plan.name, 'bad_request');
        throw toHttp(error);
      }
      planOutcome(plan.name, 'error');
      metrics.inc('disco_plan_errors_total', { plan: plan.name });
      if (causedBy(error, 'tier-not-loaded')) {
        // Not the plan's fault nor the client's: the data is not there yet.
        throw new HttpError(503, 'tier-not-loaded', (error as Error).message, {
          hint: 'load the data with disco tiers load',
        });
      }
      log(`plan '${plan.name}' failed: ${(error as Error)?.message ?? String(error)}`);
      throw new HttpError(
        500,
        'plan-failed',
        `plan '${plan.name}' failed: ${(error as Error)?.message ?? String(error)}`,
      );
    } finally {
      clearTimeout(timer);
      res.off('close', onClose);
      // Not aborted, and the engine removed its listener: the connection's next request takes it.
      if (!controller.signal.aborted) spareControllers.set(req.socket, controller);
    }
    const seconds = (performance.now() - start) / 1000;
    planOutcome(plan.name, 'ok');
    metrics.observe('disco_plan_latency_seconds', { plan: plan.name }, seconds);
    for (const t of result.timings) {
      metrics.observe('disco_node_latency_seconds', { plan: plan.name, node: t.node }, t.ms / 1000);
      if (t.error !== undefined) metrics.inc('disco_node_errors_total', { plan: plan.name, node: t.node });
    }
    const serverTiming = serverTimingHeader(result.timings);
    if (serverTiming !== '') res.setHeader('server-timing', serverTiming);
    send(res, 200, result.body);
  }

  function deadlineOf(req: IncomingMessage, plan: RuntimePlan): number {
    const cap = plan.deadlineMs ?? defaultDeadline;
    const header = req.headers[DEADLINE_HEADER];
    if (header === undefined) return cap;
    const value = Number(Array.isArray(header) ? header[0] : header);
    if (!Number.isFinite(value) || value <= 0) {
      throw new HttpError(
        400,
        'bad-deadline',
        `${DEADLINE_HEADER} must be a positive number of milliseconds`,
      );
    }
    return Math.min(value, cap);
  }

  function planOutcome(plan: string, outcome: string): void {
    metrics.inc('disco_plan_requests_total', { plan, outcome });
  }

  let watcher: FSWatcher | undefined;
  if (options.watch) {
    let pending: NodeJS.Timeout | undefined;
    const reload = () => {
      runtime.reload().then(
        () =>
          log(
            `plans reloaded: ${[...runtime.plans().keys()].join(', ') || '(none)'}${problemsNote(runtime)}`,
          ),
        (error: unknown) => log(`reload failed (keeping the previous plans): ${(error as Error).message}`),
      );
    };
    for (const path of runtime.watchPaths()) {
      try {
        watcher = watch(path, { recursive: true }, () => {
          clearTimeout(pending);
          pending = setTimeout(reload, 150);
        });
      } catch (error) {
        log(`cannot watch ${path}: ${(error as Error).message}`);
      }
    }
  }

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    host,
    metrics,
    inFlight: () => inFlight,
    async close(graceMs = 10_000) {
      if (closing) return;
      closing = true;
      watcher?.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        await Promise.race([
          new Promise<void>((resolve) => (idle = resolve)),
          new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref()),
        ]);
      }
      server.closeAllConnections();
      await closed;
    },
  };
}

function problemsNote(runtime: PlanRuntime): string {
  const errors = runtime.problems().filter((d) => d.severity === 'error').length;
  return errors > 0 ? ` (${errors} error(s) in invalid plans: run disco plan validate)` : '';
}

export function describePlan(plan: RuntimePlan): Record<string, unknown> {
  return {
    name: plan.name,
    description: plan.description ?? null,
    params: plan.params.map((p) => ({
      name: p.name,
      type: p.type,
      required: p.required,
      ...(p.default !== undefined ? { default: p.default } : {}),
      ...(p.keyOf !== undefined ? { key_of: p.keyOf } : {}),
    })),
    slo: plan.sloP99Ms === null ? null : { p99_ms: plan.sloP99Ms },
    nodes: plan.nodes.map((n) => ({
      node: n.node,
      use: n.use,
      inputs: n.inputs,
      ...(n.tier !== undefined ? { tier: n.tier } : {}),
      ...(n.dataset !== undefined ? { dataset: n.dataset } : {}),
    })),
  };
}

/** Whether `error` or one of its causes carries `code`. */
function causedBy(error: unknown, code: string): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 10; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === code) return true;
  }
  return false;
}

function allow(req: IncomingMessage, methods: string[]): void {
  if (!methods.includes(req.method ?? '')) {
    throw new HttpError(
      405,
      'method-not-allowed',
      `${req.method} is not allowed here; use ${methods.join(' or ')}`,
      {
        allow: methods.join(', '),
      },
    );
  }
}

function toHttp(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (isUserError(error))
    return new HttpError(400, error.code, error.message, error.hint ? { hint: error.hint } : {});
  return new HttpError(500, 'internal', 'internal server error');
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.reject(bodyTooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        chunks.length = 0;
        reject(bodyTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (error) => {
      if (!done) reject(new HttpError(400, 'bad-request', `could not read the body: ${error.message}`));
      done = true;
    });
  });
}

function bodyTooLarge(limit: number): HttpError {
  return new HttpError(413, 'body-too-large', `the body is larger than the limit of ${limit} bytes`, {
    hint: 'send a smaller body, or start the server with a larger --max-body',
  });
}

/** One `writev`: headers and the body's segments (encoded once; records' encodings memoized). */
function send(res: ServerResponse, status: number, body: unknown): void {
  const { segments, length, release } = encodeJsonPooled(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': length,
  });
  // Writes wait while corked; end() uncorks, so the socket gets them all in one writev. Its
  // callback runs once the last byte was handed to the socket ('finish'): the memory is free.
  res.cork();
  const last = segments.length - 1;
  for (let i = 0; i < last; i++) res.write(segments[i]);
  res.end(segments[last], release);
}

/**
 * A keep-alive connection's AbortController, kept for its next request. A new controller per
 * request cost ~13 µs of the server's ~350 µs per related-pins request (CPU profile); one that
 * was never aborted and has no listener left is as good as new.
 */
const spareControllers = new WeakMap<Socket, AbortController>();

const TOKEN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

/**
 * The per-node latencies as a standard `Server-Timing` header (`seed;dur=0.120, boards;dur=…`, ms):
 * a client (the HTTP bench, a browser's devtools) gets them without parsing the body.
 */
export function serverTimingHeader(timings: readonly { node: string; ms: number }[]): string {
  return timings
    .filter((t) => TOKEN.test(t.node))
    .map((t) => `${t.node};dur=${t.ms.toFixed(3)}`)
    .join(', ');
}
