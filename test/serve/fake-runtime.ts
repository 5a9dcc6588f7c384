/** A PlanRuntime without data: plans whose behaviour the tests choose (echo, throw, hang). */
import { UserError } from '../../src/errors/index.js';
import { checkJsonParams } from './check-params.js';
import type { CompileOutcome, PlanRuntime, RuntimePlan } from '../../src/serve/types.js';

export function fakePlan(name: string, behaviour: 'echo' | 'throw' | 'hang' | 'slow' = 'echo'): RuntimePlan {
  return {
    name,
    description: `fake ${behaviour} plan`,
    params: [
      { name: 'image', type: 'string', required: true, keyOf: 'pinjoin' },
      { name: 'limit', type: 'int', required: false, default: 25 },
    ],
    nodes: [
      { node: 'seed', use: 'lookup', inputs: [], tier: 'prod', dataset: 'pinjoin' },
      { node: 'ranked', use: 'rank', inputs: ['seed'] },
    ],
    sloP99Ms: 20,
    parseJsonParams: (body) =>
      checkJsonParams(
        name,
        [
          { name: 'image', type: 'string', required: true },
          { name: 'limit', type: 'int', required: false, default: 25 },
        ],
        body,
      ),
    async run(params, options) {
      if (behaviour === 'throw') throw new Error('boom in processor');
      if (behaviour === 'hang') {
        await new Promise((resolve) => {
          options.signal?.addEventListener('abort', resolve);
        });
      }
      if (behaviour === 'slow') await new Promise((resolve) => setTimeout(resolve, 300));
      const timings = [
        { node: 'seed', ms: 0.2 },
        { node: 'ranked', ms: 0.1 },
      ];
      return {
        body: {
          plan: name,
          responses: [{ name: 'pins', dataset: 'pinjoin', items: [{ image_signature: params['image'] }] }],
          ...(options.timings ? { timings } : {}),
        },
        timings,
      };
    },
    parseCliParams(texts) {
      const out: Record<string, unknown> = {};
      for (const t of texts) {
        const [k, v] = t.split('=', 2);
        if (k !== 'image' && k !== 'limit')
          throw new UserError(`unknown param '${k}'`, { code: 'bad-params' });
        out[k] = k === 'limit' ? Number(v) : v;
      }
      if (out['image'] === undefined)
        throw new UserError(`missing required param 'image'`, { code: 'bad-params' });
      return out;
    },
  };
}

export function fakeRuntime(plans: RuntimePlan[]): PlanRuntime & { reloads: number } {
  const map = new Map(plans.map((p) => [p.name, p]));
  return {
    reloads: 0,
    plans: () => map,
    problems: () => [],
    async reload() {
      this.reloads++;
    },
    async compileText(text, file): Promise<CompileOutcome> {
      if (text.includes('plan: adhoc')) return { plan: fakePlan('adhoc'), diagnostics: [] };
      return {
        diagnostics: [
          {
            file,
            line: 1,
            column: 1,
            endLine: 1,
            endColumn: 5,
            severity: 'error',
            code: 'missing-key',
            path: [],
            message: "missing required key 'plan'",
          },
        ],
      };
    },
    async sampleKeys(_dataset, n) {
      return Array.from({ length: n }, (_, i) => `sig-${i}`);
    },
    watchPaths: () => [],
    async close() {},
  };
}
