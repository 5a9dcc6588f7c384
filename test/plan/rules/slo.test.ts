import { describe, expect, it } from 'vitest';
import { DEFAULT_TIER_PROFILES } from '../../../src/project/config.js';
import { defaultEnv } from '../../../src/plan/env.js';
import { diagnose, plan } from '../harness.js';

const chain =
  '  b:\n    use: expand\n    input: seed\n    field: board_ids\n    tier: prod\n    dataset: boardjoin\n  a:\n    use: lookup\n    tier: archive\n    dataset: pinjoin\n    keys: $params.image\n  m:\n    use: merge\n    input: [a, seed]\n';

describe('slo-exceeded', () => {
  it('passes when the critical path fits', () => {
    expect(diagnose(plan(chain.split('  a:')[0]!, { output: 'b', extra: 'slo:\n  p99_ms: 4\n' }))).toEqual(
      [],
    );
  });
  it('reports the estimate, the path and the slow nodes at slo.p99_ms', () => {
    const text = plan(chain, { output: 'm', extra: 'slo:\n  p99_ms: 20\n' }).replace(
      '  out: m',
      '  out: m\n  boards: b',
    );
    expect(diagnose(text)).toEqual([
      {
        code: 'slo-exceeded',
        line: 5,
        column: 11,
        message:
          'estimated p99 of the critical path is 5000 ms, over the SLO of 20 ms: a 5000 ms → m 0 ms; too slow: a (archive, 5000 ms) — read from a faster tier, cut the chain, or raise the SLO',
      },
    ]);
  });
  it('uses the tier profiles of disco.yaml, and timeout_ms caps a node', () => {
    const tiers = { ...DEFAULT_TIER_PROFILES, prod: { capacityBytes: null, p99Ms: 15 } };
    const text = plan(chain.split('  a:')[0]!, { output: 'b', extra: 'slo:\n  p99_ms: 20\n' });
    expect(diagnose(text, defaultEnv({ tiers })).map((d) => d.code)).toEqual(['slo-exceeded']);
    const capped = text.replace('    dataset: boardjoin\n', '    dataset: boardjoin\n    timeout_ms: 4\n');
    expect(diagnose(capped, defaultEnv({ tiers }))).toEqual([]);
  });
});
