/**
 * unknown-processor — every node's `use` must name a built-in processor or one of the project's
 * own (in `processors/`). Also records each node's processor and named ports for later rules.
 */
import { didYouMean } from '../../diagnostics/suggest.js';
import type { Rule } from './context.js';

export const knownProcessorsRule: Rule = {
  name: 'known-processors',
  codes: ['unknown-processor'],
  run(ctx) {
    const names = [...ctx.env.processors.keys()];
    for (const node of ctx.ast.nodes) {
      if (!node.use) continue;
      const def = ctx.env.processors.get(node.use.value);
      if (!def) {
        ctx.report(
          node.use.range,
          [...node.path, 'use'],
          'unknown-processor',
          `unknown processor '${node.use.value}'${didYouMean(node.use.value, names)} (processors: ${names.join(', ')}; a project's own go in plans/processors/)`,
        );
        continue;
      }
      ctx.processors.set(node.name, def);
      const ports = def.ports?.(node.map);
      if (ports) ctx.ports.set(node.name, ports);
    }
  },
};
