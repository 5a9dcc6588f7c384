/**
 * unreachable-node (warning) — a node whose items reach no `output` does work (and takes a tier's
 * capacity) for nothing; usually a forgotten output entry or a typo in an input reference.
 */
import type { NodeName } from '../ast.js';
import type { Rule } from './context.js';

export const unreachableRule: Rule = {
  name: 'unreachable',
  codes: ['unreachable-node'],
  run(ctx) {
    const reached = new Set<NodeName>();
    const queue: NodeName[] = [];
    for (const out of ctx.ast.outputs) if (out.ref && ctx.nodes.has(out.ref.node)) queue.push(out.ref.node);
    while (queue.length > 0) {
      const n = queue.pop()!;
      if (reached.has(n)) continue;
      reached.add(n);
      for (const r of ctx.edges.get(n) ?? []) queue.push(r.node);
      // Inputs whose references were broken still count as reached: one error is enough.
      for (const r of ctx.nodes.get(n)?.inputs ?? []) if (ctx.nodes.has(r.node)) queue.push(r.node);
    }
    for (const node of ctx.ast.nodes) {
      if (!reached.has(node.name)) {
        ctx.report(
          node.keyRange,
          node.path,
          'unreachable-node',
          `node '${node.name}' reaches no output; use it in 'output' or as an input, or remove it`,
          'warning',
        );
      }
    }
  },
};
