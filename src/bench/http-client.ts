/**
 * A small HTTP/1.1 keep-alive client for the load generator (`plan bench --url`, the HTTP bench).
 *
 * Why not `node:http`: a related-pins response is ~200 KB, and Node's client costs ~0.4–0.5 ms of
 * CPU to receive one here (a fresh 64 KB Buffer per socket read, the stream machinery for each, an
 * `IncomingMessage` with every header) — on a 2-core machine shared with the server under test,
 * that is CPU taken from the server. This client reads every socket into ONE reused buffer (the
 * `onread` option of `net.connect`: no allocation per read), parses the status line and headers,
 * and only counts the body's bytes unless asked to keep them. Measured against the same server:
 * ~0.1 vs ~0.45 ms of client CPU per 200 KB response.
 *
 * New connections are opened at most `maxOpening` at a time (a connection counts until its first
 * reply); other requests wait for the first connection that frees up. Why: Node's server (libuv
 * ≥ 1.45) accepts ONE connection per event-loop turn, and a turn of a busy server serves every
 * ready socket first. A client that answers a 10 ms server hiccup by opening a connection per
 * waiting request (20 at 2 000 req/s) gets them accepted one turn at a time, the requests on them
 * wait, more requests find no idle connection, more connections are opened: measured here, a
 * blip became 150–850 ms stalls with 150–250 connections. Bounded, the waiting requests go out
 * on the warm connections as soon as the server answers them.
 *
 * Scope: one request at a time per connection (no pipelining), no HEAD requests, `content-length`,
 * chunked and close-delimited bodies, `connection: close`. Enough for a load generator, not a
 * general client.
 */
import { connect, type Socket } from 'node:net';

export interface HttpReply {
  status: number;
  /** Header names in lower case (repeated headers joined with ", "). */
  headers: Record<string, string>;
  /** The body's size in bytes (always counted). */
  bytes: number;
  /** The body, when `keepBody` asked for it. */
  body?: Buffer | undefined;
}

export interface HttpRequestOptions {
  method: string;
  /** Path and query, e.g. `/plans/related-pins?timings=1`. */
  path: string;
  headers?: Readonly<Record<string, string>> | undefined;
  body?: string | undefined;
  /** Keep the body's bytes for this status (default: every status but 2xx). */
  keepBody?: ((status: number) => boolean) | undefined;
}

/** Sockets read into this one buffer; each read is parsed before the next one (one thread). */
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);
const HEADER_END = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');
const MAX_HEADER_BYTES = 64 * 1024;
const keepErrorBodies = (status: number): boolean => status < 200 || status >= 300;

interface Pending {
  text: string;
  keepBody: (status: number) => boolean;
  resolve: (reply: HttpReply) => void;
  reject: (error: Error) => void;
}

export class HttpClientPool {
  private readonly idle: Connection[] = [];
  private readonly queue: Pending[] = [];
  private open = 0;
  /** Connections that have not yet had a reply (see `maxOpening`). */
  private opening = 0;
  private closed = false;
  readonly host: string;
  readonly port: number;

  constructor(
    baseUrl: string,
    private readonly maxSockets = 256,
    private readonly maxOpening = 4,
  ) {
    const url = new URL(baseUrl);
    if (url.protocol !== 'http:') throw new Error(`only http:// URLs are supported, not ${url.protocol}`);
    this.host = url.hostname.replace(/^\[|\]$/g, '');
    this.port = Number(url.port || 80);
  }

  request(options: HttpRequestOptions): Promise<HttpReply> {
    return new Promise((resolve, reject) => {
      if (this.closed) reject(new Error('the HTTP client is closed'));
      else this.dispatch(this.pending(options, resolve, reject));
    });
  }

  /**
   * Opens connections until `n` are open (`maxOpening` at a time), each confirmed by one `probe`
   * request: a load generator starts with the connections it will need, as wrk and autocannon do,
   * instead of opening them under load.
   */
  async preconnect(n: number, probe: HttpRequestOptions): Promise<void> {
    const target = Math.min(n, this.maxSockets);
    while (this.open < target && !this.closed) {
      const before = this.open;
      const batch = Math.min(this.maxOpening, target - this.open);
      await Promise.all(
        Array.from(
          { length: batch },
          () => new Promise((resolve, reject) => this.connect().send(this.pending(probe, resolve, reject))),
        ),
      );
      // The server closed every one (it is shutting down): the load will open its own.
      if (this.open <= before) return;
    }
  }

  private pending(
    options: HttpRequestOptions,
    resolve: (reply: HttpReply) => void,
    reject: (error: Error) => void,
  ): Pending {
    const body = options.body ?? '';
    let text = `${options.method} ${options.path} HTTP/1.1\r\nhost: ${this.host}:${this.port}\r\n`;
    for (const [name, value] of Object.entries(options.headers ?? {})) text += `${name}: ${value}\r\n`;
    text += `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    return { text, keepBody: options.keepBody ?? keepErrorBodies, resolve, reject };
  }

  /** Closes every connection; requests in flight fail. */
  close(): void {
    this.closed = true;
    for (const c of this.idle.splice(0)) c.destroy();
    for (const p of this.queue.splice(0)) p.reject(new Error('the HTTP client is closed'));
  }

  private dispatch(pending: Pending): void {
    const connection = this.idle.pop() ?? (this.canOpen() ? this.connect() : undefined);
    if (connection) connection.send(pending);
    else this.queue.push(pending);
  }

  private connect(): Connection {
    this.open++;
    this.opening++;
    return new Connection(this.host, this.port, (c, reusable, first) => {
      if (first) this.opening--;
      if (!reusable) {
        this.open--;
        c.destroy();
        const i = this.idle.indexOf(c); // an idle connection the server closed
        if (i >= 0) this.idle.splice(i, 1);
      }
      if (reusable) {
        const next = this.queue.shift();
        if (next) c.send(next);
        else if (this.closed) c.destroy();
        else this.idle.push(c);
      }
      // A first reply (or a lost connection) leaves room to open another for the waiting requests.
      while (this.queue.length > 0 && this.canOpen()) this.connect().send(this.queue.shift()!);
    });
  }

  private canOpen(): boolean {
    return this.open < this.maxSockets && this.opening < this.maxOpening;
  }
}

type BodyMode = 'length' | 'chunked' | 'close';

/** One keep-alive connection: a request at a time, its response parsed as the bytes arrive. */
class Connection {
  private readonly socket: Socket;
  private current: Pending | undefined;
  private dead = false;
  // response state
  private head: Buffer | undefined; // header bytes received so far (when split across reads)
  private status = 0;
  private headers: Record<string, string> = {};
  private mode: BodyMode | undefined; // undefined: reading the headers
  private remaining = 0; // length mode: body bytes left; chunked: bytes left in this chunk
  private chunkState: 'size' | 'data' | 'data-crlf' | 'trailer' = 'size';
  private line: Buffer | undefined; // a chunk-size or trailer line split across reads
  private bytes = 0;
  private kept: Buffer[] | undefined;
  private keepAlive = true;
  /** No request on this connection has ended yet (a reply or a failure). */
  private fresh = true;

  constructor(
    host: string,
    port: number,
    /** Called when a request ends; `first`: the first time for this connection. */
    private readonly done: (c: Connection, reusable: boolean, first: boolean) => void,
  ) {
    this.socket = connect({
      host,
      port,
      noDelay: true,
      onread: { buffer: READ_BUFFER, callback: (n) => this.onData(READ_BUFFER.subarray(0, n)) },
    });
    this.socket.on('error', (error) => this.fail(error));
    this.socket.on('close', () => {
      if (this.current && this.mode === 'close') this.finish();
      else this.fail(new Error('socket hang up: the server closed the connection'));
    });
  }

  send(pending: Pending): void {
    this.current = pending;
    this.mode = undefined;
    this.head = undefined;
    this.headers = {};
    this.bytes = 0;
    this.kept = undefined;
    this.socket.write(pending.text);
  }

  destroy(): void {
    this.dead = true;
    this.socket.destroy();
  }

  private onData(data: Buffer): boolean {
    let offset = 0;
    try {
      while (offset < data.length && this.current) {
        offset = this.mode === undefined ? this.readHead(data, offset) : this.readBody(data, offset);
      }
      if (offset < data.length && !this.current) throw new Error('the server sent bytes nobody asked for');
    } catch (error) {
      this.fail(error as Error);
      this.destroy();
    }
    return true;
  }

  /** Consumes header bytes; returns the offset after what it used. */
  private readHead(data: Buffer, offset: number): number {
    let block = data.subarray(offset);
    let from = 0;
    if (this.head) {
      from = Math.max(0, this.head.length - 3);
      block = Buffer.concat([this.head, block]);
    }
    const end = block.indexOf(HEADER_END, from);
    if (end < 0) {
      if (block.length > MAX_HEADER_BYTES) throw new Error('response headers too large');
      this.head = Buffer.from(block); // a copy: the read buffer is reused
      return data.length;
    }
    const used = end + 4 - (this.head?.length ?? 0);
    this.head = undefined;
    this.parseHead(block.toString('latin1', 0, end));
    if (this.mode === 'length' && this.remaining === 0) this.finish();
    return offset + used;
  }

  private parseHead(text: string): void {
    const lines = text.split('\r\n');
    const statusLine = lines[0] ?? '';
    const match = /^HTTP\/1\.([01]) (\d{3})/.exec(statusLine);
    if (!match) throw new Error(`not an HTTP/1.x response: ${statusLine.slice(0, 60)}`);
    this.status = Number(match[2]);
    this.keepAlive = match[1] === '1';
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      this.headers[name] = name in this.headers ? `${this.headers[name]}, ${value}` : value;
    }
    const connection = this.headers['connection']?.toLowerCase();
    if (connection === 'close') this.keepAlive = false;
    else if (connection === 'keep-alive') this.keepAlive = true;
    if (this.current!.keepBody(this.status)) this.kept = [];
    const bodiless = this.status === 204 || this.status === 304 || this.status < 200;
    if (this.headers['transfer-encoding']?.toLowerCase().includes('chunked')) {
      this.mode = 'chunked';
      this.chunkState = 'size';
    } else if (bodiless || this.headers['content-length'] !== undefined) {
      this.mode = 'length';
      this.remaining = bodiless ? 0 : Number(this.headers['content-length']);
      if (!Number.isSafeInteger(this.remaining) || this.remaining < 0)
        throw new Error(`bad content-length: ${this.headers['content-length']}`);
    } else {
      this.mode = 'close';
      this.keepAlive = false;
    }
  }

  private readBody(data: Buffer, offset: number): number {
    if (this.mode === 'close') return this.take(data, offset, data.length - offset);
    if (this.mode === 'length') {
      const next = this.take(data, offset, Math.min(this.remaining, data.length - offset));
      this.remaining -= next - offset;
      if (this.remaining === 0) this.finish();
      return next;
    }
    // chunked: size line, data, CRLF after the data, …, a zero-size chunk, trailers, empty line
    if (this.chunkState === 'data') {
      const next = this.take(data, offset, Math.min(this.remaining, data.length - offset));
      this.remaining -= next - offset;
      if (this.remaining === 0) this.chunkState = 'data-crlf';
      return next;
    }
    const lineEnd = data.indexOf(CRLF, offset);
    if (lineEnd < 0) {
      this.line = Buffer.concat([this.line ?? Buffer.alloc(0), data.subarray(offset)]);
      if (this.line.length > MAX_HEADER_BYTES) throw new Error('chunk line too long');
      return data.length;
    }
    const lineText = Buffer.concat([this.line ?? Buffer.alloc(0), data.subarray(offset, lineEnd)]).toString(
      'latin1',
    );
    this.line = undefined;
    if (this.chunkState === 'data-crlf') {
      this.chunkState = 'size';
    } else if (this.chunkState === 'trailer') {
      if (lineText === '') this.finish();
    } else {
      const size = Number.parseInt(lineText, 16);
      if (!Number.isFinite(size) || size < 0) throw new Error(`bad chunk size: ${lineText.slice(0, 20)}`);
      this.remaining = size;
      this.chunkState = size === 0 ? 'trailer' : 'data';
    }
    return lineEnd + 2;
  }

  /** Counts (and keeps, when asked) `n` body bytes at `offset`. */
  private take(data: Buffer, offset: number, n: number): number {
    this.bytes += n;
    if (this.kept && n > 0) this.kept.push(Buffer.from(data.subarray(offset, offset + n)));
    return offset + n;
  }

  private finish(): void {
    const pending = this.current!;
    this.current = undefined;
    const reply: HttpReply = { status: this.status, headers: this.headers, bytes: this.bytes };
    if (this.kept) reply.body = Buffer.concat(this.kept);
    this.kept = undefined;
    pending.resolve(reply);
    if (!this.dead) this.done(this, this.keepAlive && this.mode !== 'close', this.ended());
  }

  /** Marks that a request ended; whether it was the first on this connection. */
  private ended(): boolean {
    const first = this.fresh;
    this.fresh = false;
    return first;
  }

  private fail(error: Error): void {
    if (this.dead && !this.current) return;
    const pending = this.current;
    this.current = undefined;
    const wasDead = this.dead;
    this.dead = true;
    pending?.reject(error);
    if (!wasDead) this.done(this, false, this.ended());
  }
}
