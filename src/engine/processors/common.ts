/**
 * What every built-in processor's runtime half shares: option values that may be `$params.NAME`
 * (resolved per request), item keys for dedupe, and small list helpers.
 */
import type { Key } from '../../tiers/tier.js';
import type { Params } from '../expr.js';

/** An option value: a constant, or read from the request's params. */
export type Resolver<T> = (params: Params) => T;

export function constant<T>(value: T): Resolver<T> {
  return () => value;
}

export function fromParam<T>(name: string, fallback: T): Resolver<T> {
  return (params) => (Object.hasOwn(params, name) ? ((params[name] ?? fallback) as T) : fallback);
}

/** A key that identifies a value for dedupe: primitives as they are, the rest as JSON. */
export function identity(value: unknown): unknown {
  return value !== null && typeof value === 'object' ? `\u0000${JSON.stringify(value)}` : value;
}

/** Turns a param or literal value into lookup keys: a list as is, a scalar as one key. */
export function toKeys(value: unknown): Key[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value))
    return value.filter((k): k is Key => typeof k === 'string' || typeof k === 'number');
  return typeof value === 'string' || typeof value === 'number' ? [value] : [];
}

/** A non-negative integer limit, or undefined for "no limit". */
export function toLimit(value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  return Math.max(0, Math.floor(value));
}
