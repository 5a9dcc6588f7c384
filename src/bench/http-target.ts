/**
 * The bench target for `disco plan bench --url`: a plan served by `disco serve`, called over
 * HTTP/1.1 on keep-alive connections (as a real client would; `http-client.ts`), per-node timings
 * taken from the `Server-Timing` header, so in-process and over-the-wire figures can be compared
 * node by node.
 */
import { type Agent, request } from 'node:http';
import { UserError } from '../errors/index.js';
import type { BenchTarget, NodeTiming } from './bench-plan.js';
import { HttpClientPool } from './http-client.js';

export interface ServedPlanInfo {
  name: string;
  params: Array<{ name: string; type: string; required: boolean; default?: unknown; key_of?: string }>;
  slo: { p99_ms: number } | null;
  nodes: Array<{ node: string; use: string; inputs: string[] }>;
}

export async function fetchJson(url: string, agent?: Agent): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        } catch (error) {
          reject(error);
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The served plan's description from `GET /plans/NAME`; a clear error when the server is not there. */
export async function describeServedPlan(baseUrl: string, name: string): Promise<ServedPlanInfo> {
  let reply: { status: number; body: unknown };
  try {
    reply = await fetchJson(`${baseUrl}/plans/${encodeURIComponent(name)}`);
  } catch (error) {
    throw unreachable(baseUrl, error as Error);
  }
  if (reply.status !== 200) {
    const message =
      (reply.body as { error?: { message?: string } })?.error?.message ?? `HTTP ${reply.status}`;
    throw new UserError(`the server at ${baseUrl} does not serve plan '${name}': ${message}`, {
      code: 'unknown-plan',
      exit: 2,
      hint: `see ${baseUrl}/plans`,
    });
  }
  return reply.body as ServedPlanInfo;
}

function unreachable(baseUrl: string, error: Error): UserError {
  return new UserError(`cannot reach a disco server at ${baseUrl}: ${error.message}`, {
    code: 'server-unreachable',
    exit: 2,
    hint: 'start one with disco serve, and pass its URL (e.g. --url http://127.0.0.1:7878)',
  });
}

/**
 * Per-node timings from the server's `Server-Timing` header (`seed;dur=0.120, boards;dur=…`), so the
 * client never parses a response body (a related-pins body is ~200 KB: parsing it costs the client
 * more CPU than the server spends on the request).
 */
export function parseServerTiming(header: string | string[] | undefined): NodeTiming[] | undefined {
  if (header === undefined) return undefined;
  const out: NodeTiming[] = [];
  for (const entry of (Array.isArray(header) ? header.join(',') : header).split(',')) {
    const [name, ...params] = entry.trim().split(';');
    const dur = params.find((p) => p.trim().startsWith('dur='));
    if (!name || dur === undefined) continue;
    const ms = Number(dur.trim().slice(4));
    if (Number.isFinite(ms)) out.push({ node: name, ms });
  }
  return out;
}

/**
 * Keep-alive connections opened before the warm-up: at 2 000 req/s they absorb a 30 ms stall of
 * the server (60 requests in flight) without opening more under load (see http-client.ts).
 */
const WARM_CONNECTIONS = 64;

export function httpTarget(baseUrl: string, plan: ServedPlanInfo): BenchTarget & { close(): void } {
  // Enough sockets for an open loop's backlog; bodies of successful replies are only counted.
  const client = new HttpClientPool(baseUrl, 256);
  const path = `/plans/${encodeURIComponent(plan.name)}`;
  const headers = { 'content-type': 'application/json' };
  return {
    plan: plan.name,
    where: baseUrl,
    nodes: plan.nodes.map((n) => ({ node: n.node, inputs: n.inputs })),
    sloP99Ms: plan.slo?.p99_ms ?? null,
    async call(params) {
      const reply = await client.request({ method: 'POST', path, headers, body: JSON.stringify(params) });
      if (reply.status === 200) return parseServerTiming(reply.headers['server-timing']);
      const text = reply.body?.toString('utf8') ?? '';
      let message = text;
      try {
        message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? text;
      } catch {}
      throw new Error(`HTTP ${reply.status}: ${message}`);
    },
    prepare: () =>
      client.preconnect(WARM_CONNECTIONS, { method: 'GET', path: '/healthz' }).catch((error: Error) => {
        throw unreachable(baseUrl, error);
      }),
    close: () => client.close(),
  };
}
