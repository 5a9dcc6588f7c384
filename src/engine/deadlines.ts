/**
 * Request deadlines without a timer per request. Requests with the same deadline duration expire
 * in the order they started, so each duration keeps a FIFO queue and ONE timer armed for the
 * oldest live entry. Finishing a request only marks its entry; finished entries are dropped from
 * the front as they reach it. This takes the `setTimeout`/`clearTimeout` pair (and the timer-list
 * churn) off every request, and the timer is cleared when no request is in flight, so it never
 * keeps the process alive.
 *
 * A finished entry lets go of its request at once. It used to keep it until the entry left the
 * queue, and at 2 000 requests/s the finished requests' node outputs (~50 KB each) then outlived
 * young-generation collections: the server promoted ~0.7 MB per scavenge, and the old generation
 * grew until a full collection paused it (README, "serve performance").
 */

export interface Expirable {
  /** Called once when the deadline passes before the request settled (its entry's `settled()`). */
  expire(): void;
}

/** A request's place in its queue; what `watchDeadline` hands back. */
class Entry {
  constructor(
    readonly at: number,
    /** null once the request settled. */
    public req: Expirable | null,
    private readonly queue: DeadlineQueue,
  ) {}

  /** The request settled: release it, and drop settled entries from the queue's front. */
  settled(): void {
    this.req = null;
    this.queue.settled();
  }
}

class DeadlineQueue {
  /** Entries before `head` are released (undefined). */
  private entries: (Entry | undefined)[] = [];
  private head = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private armedFor = 0;
  private firing = false;
  /** No live entry: the timer is left armed but unref'd, so the next request need not re-arm it. */
  private idle = false;

  constructor(
    private readonly ms: number,
    private readonly onEmpty: (q: DeadlineQueue) => void,
  ) {}

  add(req: Expirable): Entry {
    const at = performance.now() + this.ms;
    const entry = new Entry(at, req, this);
    this.entries.push(entry);
    if (this.timer === undefined) this.arm(at);
    else if (this.idle) {
      // The timer stayed armed while idle (unref'd): keep the process alive again.
      this.timer.ref();
      this.idle = false;
    }
    return entry;
  }

  /** A request settled: drop settled entries from the front; disarm when none is left. */
  settled(): void {
    if (this.firing) return;
    const entries = this.entries;
    while (this.head < entries.length && entries[this.head]!.req === null) entries[this.head++] = undefined;
    if (this.head === entries.length) {
      this.entries = [];
      this.head = 0;
      // Sequential requests would otherwise arm and clear a timer each. Left armed but unref'd,
      // it never keeps the process alive; when it fires with nothing to do, the queue retires.
      if (this.timer !== undefined && !this.idle) {
        this.timer.unref();
        this.idle = true;
      }
    } else if (this.head > 1024 && this.head * 2 > entries.length) {
      this.entries = entries.slice(this.head);
      this.head = 0;
    }
  }

  private arm(at: number): void {
    this.armedFor = at;
    this.idle = false;
    this.timer = setTimeout(() => this.fire(), Math.max(0, at - performance.now()));
  }

  private fire(): void {
    this.timer = undefined;
    const now = performance.now();
    const entries = this.entries;
    this.firing = true;
    try {
      // setTimeout may fire a little early (ms granularity): allow 1 ms.
      while (this.head < entries.length) {
        const e = entries[this.head]!;
        if (e.req === null) {
          entries[this.head++] = undefined;
          continue;
        }
        if (e.at > now + 1) break;
        entries[this.head++] = undefined;
        e.req.expire();
      }
    } finally {
      this.firing = false;
    }
    if (this.head < entries.length) this.arm(Math.max(entries[this.head]!.at, this.armedFor + 1));
    else {
      this.entries = [];
      this.head = 0;
      this.idle = false;
      this.onEmpty(this);
    }
  }
}

const queues = new Map<number, DeadlineQueue>();

/** Registers a request's deadline; returns what to call when it settles. */
export function watchDeadline(ms: number, req: Expirable): { settled(): void } {
  let q = queues.get(ms);
  if (!q) {
    q = new DeadlineQueue(ms, (empty) => {
      if (queues.get(ms) === empty) queues.delete(ms);
    });
    queues.set(ms, q);
  }
  return q.add(req);
}
