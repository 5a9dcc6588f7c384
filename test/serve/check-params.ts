/**
 * A stand-in for the engine's param coercion in server tests: checks a JSON object of params
 * (with did-you-mean), missing required ones, and values of the wrong type. The edge of the server:
 * past it, params are typed values the engine can trust.
 */
import { didYouMean } from '../../src/diagnostics/suggest.js';
import { UserError } from '../../src/errors/index.js';
import type { ParamSpec, ParamType } from '../../src/serve/types.js';

function fits(type: ParamType, value: unknown): boolean {
  switch (type) {
    case 'int':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'float':
      return typeof value === 'number' && Number.isFinite(value);
    case 'string':
      return typeof value === 'string';
    case 'bool':
      return typeof value === 'boolean';
    case 'list<int>':
      return Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isSafeInteger(v));
    case 'list<string>':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
  }
}

const describe = (v: unknown): string =>
  v === null
    ? 'null'
    : Array.isArray(v)
      ? 'a list'
      : typeof v === 'object'
        ? 'an object'
        : `${typeof v} ${JSON.stringify(v)}`;

/** The checked params (defaults are left to the engine). Throws one UserError listing every problem. */
export function checkJsonParams(
  plan: string,
  specs: readonly ParamSpec[],
  body: unknown,
): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new UserError(`the params of plan '${plan}' must be a JSON object, not ${describe(body)}`, {
      code: 'bad-params',
      hint: 'send a body like {"image": "…", "limit": 10}',
    });
  }
  const given = body as Record<string, unknown>;
  const problems: string[] = [];
  const names = specs.map((s) => s.name);
  for (const key of Object.keys(given)) {
    if (!names.includes(key)) {
      problems.push(`unknown param '${key}'${didYouMean(key, names)}`);
    }
  }
  for (const spec of specs) {
    const value = given[spec.name];
    if (value === undefined) {
      if (spec.required && spec.default === undefined)
        problems.push(`missing required param '${spec.name}' (${spec.type})`);
      continue;
    }
    if (!fits(spec.type, value))
      problems.push(`param '${spec.name}' must be ${spec.type}, not ${describe(value)}`);
  }
  if (problems.length > 0) {
    const declared = specs.map((s) => `${s.name}: ${s.type}${s.required ? ' (required)' : ''}`).join(', ');
    throw new UserError(`bad params for plan '${plan}': ${problems.join('; ')}`, {
      code: 'bad-params',
      hint: declared ? `the plan takes ${declared}` : 'this plan takes no params',
    });
  }
  return given;
}
