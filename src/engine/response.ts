/**
 * The response of one plan execution (SPEC §4): one object list per `output` entry, plus the
 * per-node timings when asked for, and the errors of nodes that failed softly.
 */
import type { Item } from '../tiers/tier.js';

export interface ResponseList {
  name: string;
  /** The dataset the items are records of, or null for declared rows (`query` with fields). */
  dataset: string | null;
  items: Item[];
}

/** How a node ended. `skipped` nodes never appear: only nodes that ran are timed. */
export type NodeStatus = 'ok' | 'error' | 'empty-on-error';

export interface NodeTiming {
  node: string;
  processor: string;
  /** Milliseconds from the start of the request. */
  start_ms: number;
  end_ms: number;
  items_in: number;
  items_out: number;
  status: NodeStatus;
  tier?: string;
  dataset?: string;
}

export interface RequestTimings {
  total_ms: number;
  /** In the order the nodes started. */
  nodes: NodeTiming[];
}

/** A node failure the request survived: `on_error: empty`, or an input a `fallback` skipped. */
export interface NodeError {
  node: string;
  message: string;
  /** `empty`: the node's `on_error: empty` turned it into an empty list; `fallback`: a fallback moved on. */
  handled: 'empty' | 'fallback';
  /** The fallback node that absorbed it. */
  by?: string;
}

export interface PlanResponse {
  plan: string;
  responses: ResponseList[];
  timings?: RequestTimings;
  errors?: NodeError[];
}

/** A request that could not produce its response: an output node failed, or the deadline passed. */
export class PlanExecutionError extends Error {
  override readonly name = 'PlanExecutionError';
  constructor(
    message: string,
    readonly code: 'node-failed' | 'deadline-exceeded' | 'aborted',
    /** The node whose failure reached an output (or the nodes still running at the deadline). */
    readonly nodes: readonly string[],
    /** Whatever timings were collected until then. */
    readonly timings?: RequestTimings,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A node's own deadline (`timeout_ms`) passed. */
export class NodeTimeoutError extends Error {
  override readonly name = 'NodeTimeoutError';
  constructor(node: string, ms: number) {
    super(`node '${node}' timed out after ${ms} ms (timeout_ms)`);
  }
}
