import { createServer as createHttpServer, type Server } from 'node:http';
import {
  type AddressInfo,
  createServer as createNetServer,
  type Server as NetServer,
  type Socket,
} from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClientPool } from '../../src/bench/http-client.js';
import { httpTarget } from '../../src/bench/http-target.js';

const servers: Array<Server | NetServer> = [];
let pool: HttpClientPool | undefined;
afterEach(async () => {
  pool?.close();
  pool = undefined;
  for (const s of servers.splice(0)) {
    (s as Server).closeAllConnections?.();
    await new Promise((resolve) => s.close(resolve));
  }
});

async function listen<S extends Server | NetServer>(server: S): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A raw server that answers each request (one per connection read) with `reply(socket)`. */
function rawServer(reply: (socket: Socket, request: string) => void): NetServer {
  return createNetServer((socket) => socket.on('data', (d) => reply(socket, d.toString('latin1'))));
}

describe('HttpClientPool', () => {
  it('counts the body of a 200 without keeping it, keeps error bodies, reuses connections', async () => {
    const sockets = new Set<unknown>();
    const big = Buffer.alloc(300_000, 'x');
    const received: string[] = [];
    const server = createHttpServer((req, res) => {
      sockets.add(req.socket);
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push(`${req.method} ${req.url} ${req.headers['content-type']} ${body}`);
        if (req.url === '/missing') {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end('{"error":{"message":"no such thing"}}');
          return;
        }
        res.writeHead(200, { 'content-length': big.length, 'server-timing': 'a;dur=1.5' });
        res.end(big);
      });
    });
    pool = new HttpClientPool(await listen(server), 4);
    for (let i = 0; i < 3; i++) {
      const reply = await pool.request({
        method: 'POST',
        path: '/plans/x?timings=1',
        headers: { 'content-type': 'application/json' },
        body: '{"image":"é"}',
      });
      expect(reply).toEqual({ status: 200, headers: expect.any(Object), bytes: 300_000 });
      expect(reply.headers['server-timing']).toBe('a;dur=1.5');
    }
    const missing = await pool.request({ method: 'GET', path: '/missing' });
    expect(missing.status).toBe(404);
    expect(missing.body?.toString()).toBe('{"error":{"message":"no such thing"}}');
    expect(received[0]).toBe('POST /plans/x?timings=1 application/json {"image":"é"}');
    expect(sockets.size).toBe(1);
  });

  it('queues beyond maxSockets and answers every request', async () => {
    const sockets = new Set<unknown>();
    const server = createHttpServer((req, res) => {
      sockets.add(req.socket);
      setTimeout(() => res.end(req.url), 5);
    });
    pool = new HttpClientPool(await listen(server), 3);
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        pool!.request({ method: 'GET', path: `/${i}`, keepBody: () => true }),
      ),
    );
    expect(replies.map((r) => r.body?.toString())).toEqual(Array.from({ length: 20 }, (_, i) => `/${i}`));
    expect(sockets.size).toBe(3);
  });

  it('opens at most maxOpening connections until they answer; queued requests take the first free one', async () => {
    // A connection is "fresh" on the server until it has answered its first request.
    let fresh = 0;
    let maxFresh = 0;
    const sockets = new Set<unknown>();
    const server = createHttpServer((req, res) => {
      if (!sockets.has(req.socket)) {
        sockets.add(req.socket);
        maxFresh = Math.max(maxFresh, ++fresh);
        res.on('finish', () => fresh--);
      }
      setTimeout(() => res.end(req.url), 20);
    });
    pool = new HttpClientPool(await listen(server), 256, 2);
    const replies = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        pool!.request({ method: 'GET', path: `/${i}`, keepBody: () => true }),
      ),
    );
    expect(replies.map((r) => r.body?.toString())).toEqual(Array.from({ length: 12 }, (_, i) => `/${i}`));
    expect(maxFresh).toBe(2);
    // Once the first ones answered, more were opened for the waiting requests.
    expect(sockets.size).toBeGreaterThan(2);
    expect(sockets.size).toBeLessThan(12);
  });

  it('preconnect opens n connections (maxOpening at a time) that later requests reuse', async () => {
    const sockets = new Set<unknown>();
    const paths: string[] = [];
    const server = createHttpServer((req, res) => {
      sockets.add(req.socket);
      paths.push(req.url ?? '');
      res.end('ok');
    });
    pool = new HttpClientPool(await listen(server), 256, 3);
    await pool.preconnect(8, { method: 'GET', path: '/healthz' });
    expect(sockets.size).toBe(8);
    expect(paths).toEqual(Array(8).fill('/healthz'));
    await Promise.all(Array.from({ length: 8 }, () => pool!.request({ method: 'GET', path: '/work' })));
    expect(sockets.size).toBe(8);
  });

  it('preconnect stops when the server closes the connections it opens (a server shutting down)', async () => {
    let probes = 0;
    const server = createHttpServer((_req, res) => {
      probes++;
      res.writeHead(503, { connection: 'close' });
      res.end('shutting down');
    });
    pool = new HttpClientPool(await listen(server), 256, 3);
    await pool.preconnect(8, { method: 'GET', path: '/healthz' });
    expect(probes).toBe(3);
  });

  it('reads chunked bodies, split heads and close-delimited bodies', async () => {
    const chunked = createHttpServer((_req, res) => {
      res.write('hello ');
      setTimeout(() => res.end('world'), 5);
    });
    pool = new HttpClientPool(await listen(chunked));
    const a = await pool.request({ method: 'GET', path: '/', keepBody: () => true });
    expect(a.headers['transfer-encoding']).toBe('chunked');
    expect(a.body?.toString()).toBe('hello world');
    expect(a.bytes).toBe(11);
    pool.close();

    // The head and body arrive a few bytes at a time; then a body delimited by the connection's end.
    const response = 'HTTP/1.1 201 Created\r\nX-Thing: 1\r\nX-Thing: 2\r\nContent-Length: 4\r\n\r\nabcd';
    const trickle = rawServer((socket, request) => {
      if (request.startsWith('GET /close')) {
        socket.end('HTTP/1.1 200 OK\r\n\r\nuntil the end');
        return;
      }
      let i = 0;
      const step = () => {
        socket.write(response.slice(i, i + 3));
        i += 3;
        if (i < response.length) setTimeout(step, 1);
      };
      step();
    });
    pool = new HttpClientPool(await listen(trickle));
    const b = await pool.request({ method: 'GET', path: '/', keepBody: () => true });
    expect(b.status).toBe(201);
    expect(b.headers['x-thing']).toBe('1, 2');
    expect(b.body?.toString()).toBe('abcd');
    const c = await pool.request({ method: 'GET', path: '/close', keepBody: () => true });
    expect(c.body?.toString()).toBe('until the end');
    // The pool opens a new connection after the server closed the last one.
    expect((await pool.request({ method: 'GET', path: '/' })).bytes).toBe(4);
  });

  it('fails a request whose connection drops, and serves the next one on a new connection', async () => {
    let n = 0;
    const server = rawServer((socket) => {
      if (++n === 1) socket.destroy();
      else socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    });
    pool = new HttpClientPool(await listen(server));
    await expect(pool.request({ method: 'GET', path: '/' })).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect((await pool.request({ method: 'GET', path: '/' })).bytes).toBe(2);
    await expect(
      new HttpClientPool('http://127.0.0.1:1').request({ method: 'GET', path: '/' }),
    ).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('httpTarget', () => {
  it('says clearly when the server cannot be reached while opening its connections', async () => {
    const target = httpTarget('http://127.0.0.1:1', { name: 'p', params: [], slo: null, nodes: [] });
    try {
      await expect(target.prepare?.()).rejects.toMatchObject({
        code: 'server-unreachable',
        message: expect.stringMatching(
          /cannot reach a disco server at http:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/,
        ),
      });
    } finally {
      target.close();
    }
  });
});
