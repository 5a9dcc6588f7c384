/**
 * slo-exceeded — estimates the plan's p99 as its critical path: the slowest chain of nodes to an
 * output, each node costing its tier's p99 estimate (`disco.yaml` tiers, or the SPEC defaults;
 * capped by its `timeout_ms`). Nodes run as soon as their inputs resolve, so parallel branches
 * cost their maximum, not their sum. When the estimate exceeds `slo.p99_ms` the plan cannot meet
 * its SLO on this hardware profile; the message names the nodes that make it too slow.
 */
import type { NodeName } from '../ast.js';
import type { Rule, RuleContext } from './context.js';

export function criticalPath(ctx: RuleContext): { p99Ms: number; path: NodeName[] } {
  const best = new Map<NodeName, { ms: number; via: NodeName | undefined }>();
  for (const name of ctx.order) {
    const own = ctx.checked.get(name)?.estimatedMs ?? 0;
    let via: NodeName | undefined;
    let inMs = 0;
    for (const r of ctx.edges.get(name) ?? []) {
      const b = best.get(r.node);
      if (b && (via === undefined || b.ms > inMs)) {
        inMs = b.ms;
        via = r.node;
      }
    }
    best.set(name, { ms: own + inMs, via });
  }
  let end: NodeName | undefined;
  for (const out of ctx.ast.outputs) {
    const n = out.ref?.node;
    if (n && best.has(n) && (end === undefined || best.get(n)!.ms > best.get(end)!.ms)) end = n;
  }
  if (end === undefined) return { p99Ms: 0, path: [] };
  const path: NodeName[] = [];
  for (let x: NodeName | undefined = end; x !== undefined; x = best.get(x)?.via) path.unshift(x);
  return { p99Ms: best.get(end)!.ms, path };
}

const fmt = (ms: number) => `${Number.isInteger(ms) ? ms : ms.toFixed(1)} ms`;

export const sloRule: Rule = {
  name: 'slo',
  codes: ['slo-exceeded'],
  run(ctx) {
    const slo = ctx.ast.slo;
    if (slo?.p99Ms === undefined) return;
    const { p99Ms, path } = criticalPath(ctx);
    if (p99Ms <= slo.p99Ms) return;
    const costs = path.map((n) => ({
      n,
      ms: ctx.checked.get(n)?.estimatedMs ?? 0,
      tier: ctx.checked.get(n)?.tier,
    }));
    const chain = costs.map((c) => `${c.n} ${fmt(c.ms)}`).join(' → ');
    const slow = costs
      .filter((c) => c.ms > 0)
      .sort((a, b) => b.ms - a.ms)
      .map((c) => `${c.n} (${c.tier ? `${c.tier}, ` : ''}${fmt(c.ms)})`);
    ctx.report(
      slo.range,
      slo.path,
      'slo-exceeded',
      `estimated p99 of the critical path is ${fmt(p99Ms)}, over the SLO of ${fmt(slo.p99Ms)}: ${chain}; too slow: ${slow.join(', ')} — read from a faster tier, cut the chain, or raise the SLO`,
    );
  },
};
