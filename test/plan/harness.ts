/**
 * The rule-test harness (graphql-js style): check a plan text and compare its diagnostics as plain
 * data — `{code, line, column, message}` — never snapshots.
 */
import { checkPlanText } from '../../src/plan/check.js';
import { defaultEnv, type ValidationEnv } from '../../src/plan/env.js';

export interface Simple {
  code: string;
  line: number;
  column: number;
  message: string;
}

/** The errors of a plan (warnings are asserted with {@link warnings}). */
export function diagnose(text: string, env: ValidationEnv = defaultEnv()): Simple[] {
  return checkPlanText(text, 'plan.yaml', env)
    .diagnostics.filter((d) => d.severity === 'error')
    .map(({ code, line, column, message }) => ({ code, line, column, message }));
}

export function warnings(text: string, env: ValidationEnv = defaultEnv()): Simple[] {
  return checkPlanText(text, 'plan.yaml', env)
    .diagnostics.filter((d) => d.severity === 'warning')
    .map(({ code, line, column, message }) => ({ code, line, column, message }));
}

/** Only the diagnostics with the given code. */
export function only(code: string, text: string, env?: ValidationEnv): Simple[] {
  return diagnose(text, env).filter((d) => d.code === code);
}

export function codes(text: string, env?: ValidationEnv): string[] {
  return diagnose(text, env).map((d) => d.code);
}

/** A valid plan around some nodes: a seed lookup of pinjoin in prod named `seed`, output `out`. */
export function plan(nodes: string, { output = 'seed', params = '', extra = '' } = {}): string {
  return `plan: t
params:
  image: { type: string, required: true }
${params}${extra}nodes:
  seed:
    use: lookup
    tier: prod
    dataset: pinjoin
    keys: $params.image
${nodes}output:
  out: ${output}
`;
}
