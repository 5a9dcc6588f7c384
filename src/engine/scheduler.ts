/**
 * The scheduler: compiles an {@link ExecPlan} once into flat arrays (topological order, input
 * slots, successor lists) and executes it per request with a ready queue.
 *
 * Per request, execution is demand-driven from the requested outputs: a node is only started if
 * an output needs it (an `experiment` demands only its chosen variant; a `fallback` demands its
 * inputs one at a time). A demanded node starts the moment its last input resolves; a node that
 * feeds several nodes runs once. Synchronous processors complete inside the same drain loop (no
 * microtask, no timer); asynchronous ones re-enter the loop when they settle. Tier reads issued
 * during one drain are flushed together by the {@link Batcher}. Deadlines are timers that abort
 * an `AbortSignal` and settle the node (or the request) whether or not the processor listens,
 * so a request never hangs.
 */
import { InternalError } from '../errors/index.js';
import type { Item } from '../tiers/tier.js';
import { Batcher } from './batcher.js';
import { Deferred } from './deferred.js';
import { watchDeadline } from './deadlines.js';
import type { ExecNode, ExecPlan, Items, NodeContext, NodeValue, RunFn, TierSource } from './graph.js';
import {
  type NodeError,
  type NodeStatus,
  type NodeTiming,
  NodeTimeoutError,
  PlanExecutionError,
  type PlanResponse,
  type RequestTimings,
  type ResponseList,
} from './response.js';

export interface ExecuteOptions {
  tiers: TierSource;
  /** Overall request deadline in ms (default 30 000; `Infinity` for none). */
  deadlineMs?: number;
  /** Add per-node timings (start/end/items in/out) to the response. */
  collectTimings?: boolean;
  /** Cancels the request from outside. */
  signal?: AbortSignal;
}

export const DEFAULT_DEADLINE_MS = 30_000;

const IDLE = 0;
const WAITING = 1;
const RUNNING = 2;
const OK = 3;
const FAILED = 4;

const TASK = 0;
const FALLBACK = 1;
const EXPERIMENT = 2;

const EMPTY: Items = Object.freeze([]) as Items;

/** The executable form of one plan, shared by all its requests. */
export class Scheduler {
  readonly plan: ExecPlan;
  readonly n: number;
  readonly names: readonly string[];
  /** Node indices in topological order (inputs before consumers). */
  readonly order: Int32Array;
  readonly kind: Uint8Array;
  readonly inputIdx: readonly Int32Array[];
  readonly inputPort: readonly (readonly (string | undefined)[])[];
  /** For each node, its consumers — once per input slot that reads it. */
  readonly successors: readonly Int32Array[];
  readonly runs: readonly (RunFn | undefined)[];
  readonly timeoutMs: Float64Array;
  readonly emptyOnError: Uint8Array;
  readonly fallbackOnEmpty: Uint8Array;
  readonly choose: readonly (ExecNode & { kind: 'experiment' })['choose'][];
  readonly outputIdx: Int32Array;
  readonly outputPort: readonly (string | undefined)[];
  /** Output node indices without duplicates. */
  readonly outputNodes: Int32Array;
  readonly isOutput: Uint8Array;

  constructor(plan: ExecPlan) {
    this.plan = plan;
    const n = plan.nodes.length;
    this.n = n;
    this.names = plan.nodes.map((x) => x.name);
    const byName = new Map<string, number>();
    plan.nodes.forEach((x, i) => {
      if (byName.has(x.name)) throw new InternalError(`duplicate node '${x.name}' in plan '${plan.name}'`);
      byName.set(x.name, i);
    });
    const idx = (name: string, where: string): number => {
      const i = byName.get(name);
      if (i === undefined) throw new InternalError(`${where} refers to unknown node '${name}'`);
      return i;
    };
    this.kind = new Uint8Array(n);
    this.timeoutMs = new Float64Array(n);
    this.emptyOnError = new Uint8Array(n);
    this.fallbackOnEmpty = new Uint8Array(n);
    const inputIdx: Int32Array[] = [];
    const inputPort: (string | undefined)[][] = [];
    const succ: number[][] = plan.nodes.map(() => []);
    const runs: (RunFn | undefined)[] = [];
    const choose: (ExecNode & { kind: 'experiment' })['choose'][] = [];
    plan.nodes.forEach((node, i) => {
      this.kind[i] = node.kind === 'task' ? TASK : node.kind === 'fallback' ? FALLBACK : EXPERIMENT;
      this.timeoutMs[i] = node.timeoutMs ?? 0;
      this.emptyOnError[i] = node.onError === 'empty' ? 1 : 0;
      if (node.kind === 'fallback' && node.when === 'empty') this.fallbackOnEmpty[i] = 1;
      if (node.kind !== 'task' && node.inputs.length === 0) {
        throw new InternalError(`${node.kind} node '${node.name}' has no inputs`);
      }
      inputIdx.push(Int32Array.from(node.inputs.map((r) => idx(r.node, `node '${node.name}'`))));
      inputPort.push(node.inputs.map((r) => r.port));
      for (const r of node.inputs) succ[idx(r.node, node.name)]!.push(i);
      runs.push(node.kind === 'task' ? node.run : undefined);
      choose.push(node.kind === 'experiment' ? node.choose : () => 0);
    });
    this.inputIdx = inputIdx;
    this.inputPort = inputPort;
    this.successors = succ.map((s) => Int32Array.from(s));
    this.runs = runs;
    this.choose = choose;
    this.order = topologicalOrder(n, inputIdx, this.names);
    this.outputIdx = Int32Array.from(plan.outputs.map((o) => idx(o.node, `output '${o.name}'`)));
    this.outputPort = plan.outputs.map((o) => o.port);
    this.outputNodes = Int32Array.from(new Set(this.outputIdx));
    this.isOutput = new Uint8Array(n);
    for (const o of this.outputNodes) this.isOutput[o] = 1;
  }

  execute(params: Readonly<Record<string, unknown>>, options: ExecuteOptions): Promise<PlanResponse> {
    return new RequestRun(this, params, options).start();
  }
}

/** Kahn's algorithm; throws on a cycle (the plan compiler rejects those before we get here). */
function topologicalOrder(n: number, inputs: readonly Int32Array[], names: readonly string[]): Int32Array {
  const indegree = new Int32Array(n);
  const consumers: number[][] = Array.from({ length: n }, () => []);
  inputs.forEach((ins, i) => {
    for (const j of ins) {
      indegree[i]!++;
      consumers[j]!.push(i);
    }
  });
  const order = new Int32Array(n);
  let head = 0;
  let tail = 0;
  for (let i = 0; i < n; i++) if (indegree[i] === 0) order[tail++] = i;
  while (head < tail) {
    const j = order[head++]!;
    for (const c of consumers[j]!) if (--indegree[c]! === 0) order[tail++] = c;
  }
  if (tail !== n) {
    const stuck = names.filter((_, i) => indegree[i]! > 0);
    throw new InternalError(`plan has a cycle through ${stuck.join(', ')}`);
  }
  return order;
}

/** The state of one request. Arrays indexed by node; no per-node objects on the hot path. */
class RequestRun {
  private readonly s: Scheduler;
  private readonly status: Uint8Array;
  private readonly pending: Int32Array;
  /** Fallback: index of the input being tried; experiment: index of the chosen input. */
  private readonly cursor: Int32Array;
  private readonly values: (NodeValue | undefined)[];
  private readonly failures: unknown[];
  private readonly ready: number[] = [];
  private readHead = 0;
  private draining = false;
  private finished = false;
  private inflight = 0;
  private outputsLeft: number;
  private readonly isOutput: Uint8Array;
  private readonly batcher: Batcher;
  private controller: AbortController | undefined;
  private deadline: { settled(): void } | undefined;
  private deadlineMs = 0;
  private nodeTimers: (ReturnType<typeof setTimeout> | undefined)[] | undefined;
  private errors: NodeError[] | undefined;
  private resolve!: (r: PlanResponse) => void;
  private reject!: (e: unknown) => void;
  // Timings (only when asked for).
  private readonly t0: number;
  private readonly timed: boolean;
  private startAt: Float64Array | undefined;
  private endAt: Float64Array | undefined;
  private itemsIn: Int32Array | undefined;
  private nodeStatus: NodeStatus[] | undefined;
  private startOrder: number[] | undefined;
  private itemsOut: Int32Array | undefined;
  private onOuterAbort: (() => void) | undefined;

  constructor(
    scheduler: Scheduler,
    private readonly params: Readonly<Record<string, unknown>>,
    private readonly options: ExecuteOptions,
  ) {
    this.s = scheduler;
    const n = scheduler.n;
    this.status = new Uint8Array(n);
    this.pending = new Int32Array(n);
    this.cursor = new Int32Array(n);
    this.values = new Array(n);
    this.failures = new Array(n);
    this.isOutput = scheduler.isOutput;
    this.outputsLeft = scheduler.outputNodes.length;
    this.timed = options.collectTimings === true;
    this.t0 = this.timed ? performance.now() : 0;
    if (this.timed) {
      this.startAt = new Float64Array(n);
      this.endAt = new Float64Array(n);
      this.itemsIn = new Int32Array(n);
      this.nodeStatus = new Array(n);
      this.startOrder = [];
      this.itemsOut = new Int32Array(n);
    }
    this.batcher = new Batcher(options.tiers, () => this.signal());
  }

  start(): Promise<PlanResponse> {
    const promise = new Promise<PlanResponse>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    const deadline = this.options.deadlineMs ?? DEFAULT_DEADLINE_MS;
    const outer = this.options.signal;
    if (outer?.aborted) {
      this.fail(new PlanExecutionError('request aborted', 'aborted', []));
      return promise;
    }
    if (Number.isFinite(deadline)) {
      this.deadlineMs = deadline;
      this.deadline = watchDeadline(Math.max(0, deadline), this);
    }
    if (outer) {
      this.onOuterAbort = () => this.fail(new PlanExecutionError('request aborted', 'aborted', []));
      outer.addEventListener('abort', this.onOuterAbort, { once: true });
    }
    if (this.outputsLeft === 0) this.finish();
    else {
      this.draining = true;
      for (const o of this.s.outputNodes) this.demand(o);
      this.draining = false;
      this.drain();
    }
    return promise;
  }

  // ----- demand: which nodes this request needs ---------------------------------------------

  private demand(i: number): void {
    if (this.status[i] !== IDLE || this.finished) return;
    this.status[i] = WAITING;
    const s = this.s;
    const kind = s.kind[i];
    if (kind === TASK) {
      const ins = s.inputIdx[i]!;
      let pending = 0;
      for (let k = 0; k < ins.length; k++) {
        const st = this.status[ins[k]!];
        if (st === FAILED) {
          this.onInputFailed(i, ins[k]!);
          return;
        }
        if (st !== OK) pending++;
      }
      this.pending[i] = pending;
      if (pending === 0) {
        this.ready.push(i);
        return;
      }
      for (let k = 0; k < ins.length; k++) {
        const j = ins[k]!;
        if (this.status[j] === IDLE) this.demand(j);
        if (this.status[i] !== WAITING) return; // failed through an input meanwhile
      }
    } else if (kind === FALLBACK) {
      this.cursor[i] = 0;
      this.advanceFallback(i);
    } else {
      let chosen: number;
      try {
        chosen = s.choose[i]!(this.params);
      } catch (error) {
        this.settleFailure(i, error);
        return;
      }
      this.cursor[i] = chosen;
      const j = s.inputIdx[i]![chosen]!;
      const st = this.status[j];
      if (st === OK || st === FAILED) this.fromChosen(i, j, chosen);
      else if (st === IDLE) this.demand(j);
    }
  }

  /** Fallback: settle from the current candidate, or demand it, or move on. */
  private advanceFallback(i: number): void {
    const s = this.s;
    const ins = s.inputIdx[i]!;
    const last = ins.length - 1;
    for (;;) {
      const k = this.cursor[i]!;
      const j = ins[k]!;
      const st = this.status[j];
      if (st === OK) {
        const v = this.slotValue(i, k);
        if (s.fallbackOnEmpty[i] === 1 && v.length === 0 && k < last) {
          this.cursor[i] = k + 1;
          continue;
        }
        this.complete(i, v, v.length);
        return;
      }
      if (st === FAILED) {
        if (k < last) {
          this.recordError(j, 'fallback', s.names[i]);
          this.cursor[i] = k + 1;
          continue;
        }
        this.onInputFailed(i, j);
        return;
      }
      if (st === IDLE) this.demand(j);
      return;
    }
  }

  private fromChosen(i: number, j: number, k: number): void {
    if (this.status[j] === OK) {
      const v = this.slotValue(i, k);
      this.complete(i, v, v.length);
    } else this.onInputFailed(i, j);
  }

  private slotValue(i: number, k: number): Items {
    const v = this.values[this.s.inputIdx[i]![k]!];
    const port = this.s.inputPort[i]![k];
    if (port === undefined) return v as Items;
    return (v as Record<string, Items>)[port] ?? EMPTY;
  }

  // ----- running --------------------------------------------------------------------------------

  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    this.batcher.holding = true;
    const ready = this.ready;
    while (this.readHead < ready.length && !this.finished) this.run(ready[this.readHead++]!);
    ready.length = 0;
    this.readHead = 0;
    this.draining = false;
    this.batcher.holding = false;
    if (this.finished) return;
    this.batcher.flush();
    if (this.inflight === 0 && !this.finished) {
      // Nothing running, nothing ready, outputs unsettled: a scheduler bug, not a hang.
      this.fail(new InternalError(`scheduler stalled in plan '${this.s.plan.name}'`));
    }
  }

  private run(i: number): void {
    const s = this.s;
    this.status[i] = RUNNING;
    const ins = s.inputIdx[i]!;
    const inputs: Items[] = new Array(ins.length);
    let itemsIn = 0;
    for (let k = 0; k < ins.length; k++) {
      const v = this.slotValue(i, k);
      inputs[k] = v;
      itemsIn += v.length;
    }
    if (this.timed) {
      this.startAt![i] = performance.now() - this.t0;
      this.itemsIn![i] = itemsIn;
      this.startOrder!.push(i);
    }
    const timeout = s.timeoutMs[i]!;
    let nodeController: AbortController | undefined;
    let nodeSignal: AbortSignal | undefined;
    if (timeout > 0) {
      nodeController = new AbortController();
      nodeSignal = AbortSignal.any([this.signal(), nodeController.signal]);
    }
    const ctx = new Context(this, s.names[i]!, nodeSignal);
    let result: NodeValue | PromiseLike<NodeValue>;
    try {
      result = s.runs[i]!(inputs, ctx);
    } catch (error) {
      this.settleFailure(i, error);
      return;
    }
    const deferred = result instanceof Deferred;
    if (deferred || (result != null && typeof (result as PromiseLike<NodeValue>).then === 'function')) {
      this.inflight++;
      if (timeout > 0) {
        this.nodeTimers ??= new Array(s.n);
        this.nodeTimers[i] = setTimeout(() => {
          this.nodeTimers![i] = undefined;
          if (this.status[i] !== RUNNING || this.finished) return;
          const error = new NodeTimeoutError(s.names[i]!, timeout);
          nodeController!.abort(error);
          this.inflight--;
          this.settleFailure(i, error);
          this.drain();
        }, timeout);
      }
      if (deferred) {
        // Settles synchronously during the batcher's flush when the tier is synchronous.
        (result as Deferred<NodeValue>).listen((d) => this.onAsyncSettled(i, d.value, d.reason, d.failed));
      } else {
        (result as PromiseLike<NodeValue>).then(
          (value) => this.onAsyncSettled(i, value, undefined, false),
          (error: unknown) => this.onAsyncSettled(i, undefined, error, true),
        );
      }
    } else this.settleValue(i, result as NodeValue);
  }

  private onAsyncSettled(i: number, value: NodeValue | undefined, error: unknown, failed: boolean): void {
    // Late results (after this node's timeout, or after the request ended) are dropped.
    if (this.status[i] !== RUNNING || this.finished) return;
    this.inflight--;
    const timer = this.nodeTimers?.[i];
    if (timer !== undefined) {
      clearTimeout(timer);
      this.nodeTimers![i] = undefined;
    }
    if (failed) this.settleFailure(i, error);
    else this.settleValue(i, value as NodeValue);
    this.drain();
  }

  private settleValue(i: number, value: NodeValue): void {
    let count: number;
    if (Array.isArray(value)) count = value.length;
    else if (value !== null && typeof value === 'object') {
      count = 0;
      for (const port in value) {
        const list = (value as Record<string, unknown>)[port];
        if (!Array.isArray(list)) {
          this.settleFailure(i, new Error(`processor returned a non-list for port '${port}'`));
          return;
        }
        count += list.length;
      }
    } else {
      this.settleFailure(
        i,
        new Error(`processor returned ${value === null ? 'null' : typeof value}, not a list of items`),
      );
      return;
    }
    this.complete(i, value, count);
  }

  /** A node failed: `on_error: empty` turns it into an empty list; otherwise it fails. */
  private settleFailure(i: number, error: unknown): void {
    if (this.finished) return;
    const s = this.s;
    if (s.emptyOnError[i] === 1) {
      this.failures[i] = error;
      this.recordError(i, 'empty');
      this.complete(i, EMPTY, 0, 'empty-on-error');
      return;
    }
    this.status[i] = FAILED;
    this.failures[i] = error;
    this.markEnd(i, 0, 'error');
    if (this.isOutput[i] === 1) {
      this.fail(
        new PlanExecutionError(
          `node '${s.names[i]}' failed: ${messageOf(error)}`,
          'node-failed',
          [s.names[i]!],
          this.timings(),
          {
            cause: error,
          },
        ),
      );
      return;
    }
    this.notify(i);
  }

  private onInputFailed(i: number, j: number): void {
    const cause = this.failures[j];
    const error = new Error(`input '${this.s.names[j]}' failed: ${messageOf(cause)}`, { cause });
    if (this.timed && this.status[i] === WAITING) {
      // Never started: show it as ending when the input failed.
      this.startAt![i] = performance.now() - this.t0;
      this.startOrder!.push(i);
    }
    this.settleFailure(i, error);
  }

  private complete(i: number, value: NodeValue, count: number, how: NodeStatus = 'ok'): void {
    if (this.timed && this.status[i] === WAITING) {
      // Fallback/experiment nodes and failed-input nodes never "run": they start as they end.
      this.startAt![i] = performance.now() - this.t0;
      this.startOrder!.push(i);
      let itemsIn = 0;
      if (this.s.kind[i] !== TASK) itemsIn = count;
      this.itemsIn![i] = itemsIn;
    }
    this.status[i] = OK;
    this.values[i] = value;
    this.markEnd(i, count, how);
    if (this.isOutput[i] === 1 && --this.outputsLeft === 0) {
      this.finish();
      return;
    }
    this.notify(i);
  }

  private markEnd(i: number, count: number, how: NodeStatus): void {
    if (!this.timed) return;
    this.endAt![i] = performance.now() - this.t0;
    this.nodeStatus![i] = how;
    this.itemsOut![i] = count;
  }

  /** Node `j` settled: tell the consumers waiting on it. */
  private notify(j: number): void {
    const s = this.s;
    const consumers = s.successors[j]!;
    const ok = this.status[j] === OK;
    for (let k = 0; k < consumers.length; k++) {
      const c = consumers[k]!;
      if (this.status[c] !== WAITING) continue;
      const kind = s.kind[c];
      if (kind === TASK) {
        if (!ok) this.onInputFailed(c, j);
        else if (--this.pending[c]! === 0) this.ready.push(c);
      } else if (s.inputIdx[c]![this.cursor[c]!] === j) {
        if (kind === FALLBACK) this.advanceFallback(c);
        else this.fromChosen(c, j, this.cursor[c]!);
      }
      if (this.finished) return;
    }
  }

  private recordError(i: number, handled: 'empty' | 'fallback', by?: string): void {
    this.errors ??= [];
    const e: NodeError = { node: this.s.names[i]!, message: messageOf(this.failures[i]), handled };
    if (by !== undefined) e.by = by;
    this.errors.push(e);
  }

  // ----- the end --------------------------------------------------------------------------------

  /** For the deadline queue. */
  expire(): void {
    this.onDeadline(this.deadlineMs);
  }

  private onDeadline(ms: number): void {
    if (this.finished) return;
    const running = this.s.names.filter((_, i) => this.status[i] === RUNNING);
    this.fail(
      new PlanExecutionError(
        `request deadline of ${ms} ms exceeded${running.length > 0 ? ` while running ${running.join(', ')}` : ''}`,
        'deadline-exceeded',
        running,
        this.timings(),
      ),
    );
  }

  private cleanup(): void {
    this.finished = true;
    this.deadline?.settled();
    if (this.nodeTimers) for (const t of this.nodeTimers) if (t !== undefined) clearTimeout(t);
    if (this.onOuterAbort) this.options.signal?.removeEventListener('abort', this.onOuterAbort);
  }

  private fail(error: unknown): void {
    if (this.finished) return;
    this.cleanup();
    // Cancel whatever is still running (tier calls that listen to the signal stop early).
    if (this.inflight > 0) this.controller?.abort(error);
    this.reject(error);
  }

  private finish(): void {
    if (this.finished) return;
    this.cleanup();
    const s = this.s;
    const outputs = s.plan.outputs;
    const responses: ResponseList[] = new Array(outputs.length);
    for (let k = 0; k < outputs.length; k++) {
      const o = outputs[k]!;
      const v = this.values[s.outputIdx[k]!];
      const port = s.outputPort[k];
      const items = (port === undefined ? v : (v as Record<string, Items>)[port]) ?? EMPTY;
      responses[k] = { name: o.name, dataset: o.dataset, items: items as Item[] };
    }
    const response: PlanResponse = { plan: s.plan.name, responses };
    if (this.timed) response.timings = this.timings()!;
    if (this.errors) response.errors = this.errors;
    if (this.inflight > 0) this.controller?.abort(new Error('request finished'));
    this.resolve(response);
  }

  private timings(): RequestTimings | undefined {
    if (!this.timed) return undefined;
    const s = this.s;
    const now = performance.now() - this.t0;
    const nodes: NodeTiming[] = this.startOrder!.map((i) => {
      const node = s.plan.nodes[i]!;
      const running = this.status[i] === RUNNING || this.status[i] === WAITING;
      const t: NodeTiming = {
        node: node.name,
        processor: node.processor,
        start_ms: round(this.startAt![i]!),
        end_ms: round(running ? now : this.endAt![i]!),
        items_in: this.itemsIn![i]!,
        items_out: this.itemsOut![i]!,
        status: running ? 'error' : (this.nodeStatus![i] ?? 'ok'),
      };
      if (node.tier !== undefined) t.tier = node.tier;
      if (node.dataset !== undefined) t.dataset = node.dataset;
      return t;
    });
    return { total_ms: round(now), nodes };
  }

  // ----- for the node context ----------------------------------------------------------------

  /**
   * The request's signal, created on first use: most requests (prod lookups, transformations)
   * never need one, and an AbortController costs microseconds.
   */
  signal(): AbortSignal {
    this.controller ??= new AbortController();
    return this.controller.signal;
  }

  get batch(): Batcher {
    return this.batcher;
  }
  get requestParams(): Readonly<Record<string, unknown>> {
    return this.params;
  }
  get tierSource(): TierSource {
    return this.options.tiers;
  }
}

class Context implements NodeContext {
  constructor(
    private readonly req: RequestRun,
    readonly node: string,
    private readonly nodeSignal: AbortSignal | undefined,
  ) {}
  get signal(): AbortSignal {
    return this.nodeSignal ?? this.req.signal();
  }
  get params(): Readonly<Record<string, unknown>> {
    return this.req.requestParams;
  }
  fetch(
    tier: Parameters<NodeContext['fetch']>[0],
    dataset: string,
    keys: Parameters<NodeContext['fetch']>[2],
  ) {
    return this.req.batch.fetch(tier, dataset, keys);
  }
  fetchMap<T extends NodeValue>(
    tier: Parameters<NodeContext['fetch']>[0],
    dataset: string,
    keys: Parameters<NodeContext['fetch']>[2],
    map: (records: Array<Item | undefined>) => T,
  ): PromiseLike<T> {
    return this.req.batch.fetchMap(tier, dataset, keys, map);
  }
  tier(name: Parameters<NodeContext['tier']>[0]) {
    return this.req.tierSource.get(name);
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
