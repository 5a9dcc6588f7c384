import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { type Expirable, watchDeadline } from '../../src/engine/deadlines.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

class Request implements Expirable {
  settled = false;
  expired = false;
  readonly payload = new Array<number>(10_000).fill(1); // what a request's node outputs weigh
  handle: { settled(): void };
  constructor(ms: number) {
    this.handle = watchDeadline(ms, this);
  }
  expire(): void {
    this.expired = true;
  }
  settle(): void {
    this.settled = true;
    this.handle.settled();
  }
}

/** `n` requests that settle at once, seen only through weak references. */
function settledRequests(n: number, ms: number): WeakRef<Request>[] {
  const refs: WeakRef<Request>[] = [];
  for (let i = 0; i < n; i++) {
    const r = new Request(ms);
    refs.push(new WeakRef(r));
    r.settle();
  }
  return refs;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('request deadlines', () => {
  it('expires the requests still running when their deadline passes, in order, and no others', async () => {
    const a = new Request(30);
    const b = new Request(30);
    const c = new Request(30);
    b.settle();
    await sleep(60);
    expect([a.expired, b.expired, c.expired]).toEqual([true, false, true]);
  });

  it('lets go of a settled request at once, even behind one still running', async () => {
    const slow = new Request(10_000);
    const refs = settledRequests(50, 10_000);
    for (let round = 0; round < 2; round++) {
      await sleep(0); // WeakRef targets are kept until the current job ends
      gc();
    }
    expect(refs.filter((r) => r.deref() !== undefined)).toHaveLength(0);
    slow.settle();
    expect(slow.expired).toBe(false);
  });
});
