/**
 * A minimal settle-once value the scheduler can observe synchronously. Tier reads return one
 * (via `ctx.fetchMap`): when the tier is synchronous (prod, SQLite), the batcher settles it during
 * its flush and the consumer nodes run in the same turn — a request over prod completes without
 * a single promise hop per node. It is also a `PromiseLike`, so `await` works on it.
 */
export class Deferred<T> implements PromiseLike<T> {
  private state: 0 | 1 | 2 = 0;
  private result: T | undefined;
  private error: unknown;
  private listeners: Array<(d: Deferred<T>) => void> | undefined;

  get settled(): boolean {
    return this.state !== 0;
  }
  get failed(): boolean {
    return this.state === 2;
  }
  get value(): T | undefined {
    return this.result;
  }
  get reason(): unknown {
    return this.error;
  }

  resolve(value: T): void {
    if (this.state !== 0) return;
    this.state = 1;
    this.result = value;
    this.emit();
  }

  reject(error: unknown): void {
    if (this.state !== 0) return;
    this.state = 2;
    this.error = error;
    this.emit();
  }

  /** Calls `f` once settled (at once if it already is). */
  listen(f: (d: Deferred<T>) => void): void {
    if (this.state !== 0) {
      f(this);
      return;
    }
    this.listeners ??= [];
    this.listeners.push(f);
  }

  private emit(): void {
    const ls = this.listeners;
    this.listeners = undefined;
    if (ls) for (const f of ls) f(this);
  }

  // biome-ignore lint/suspicious/noThenProperty: a Deferred is deliberately thenable (await works on it).
  then<A = T, B = never>(
    onFulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return new Promise<T>((resolve, reject) =>
      this.listen((d) => (d.failed ? reject(d.reason) : resolve(d.value as T))),
    ).then(onFulfilled, onRejected);
  }
}
