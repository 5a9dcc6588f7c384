/**
 * `split` — route each input item to the first port whose case holds (or to `else`). Consumers
 * reference ports as `NAME.PORT`; the ports are the case names plus the `else` name.
 */
import { inputType } from './common.js';
import type { ProcessorDefinition } from './definition.js';

export const split: ProcessorDefinition = {
  name: 'split',
  summary: 'The input items, one list per port: the first case that holds, or `else`.',
  inputs: { min: 1, max: 1 },
  options: {
    cases: {
      type: { kind: 'map', of: { kind: 'expr', expect: 'bool' }, keys: 'names' },
      required: true,
      doc: 'port name → boolean expression (first match wins)',
    },
    else: { type: { kind: 'name' }, doc: 'the port of items no case matched (dropped if absent)' },
  },
  source: 'builtin',
  ports(node) {
    const ports: string[] = [];
    const cases = node.entries.find((e) => e.key === 'cases');
    if (cases?.value.kind === 'map') ports.push(...cases.value.entries.map((e) => e.key));
    const other = node.entries.find((e) => e.key === 'else');
    if (other?.value.kind === 'scalar' && typeof other.value.value === 'string')
      ports.push(other.value.value);
    return ports;
  },
  check(ctx) {
    const cases = ctx.options['cases'];
    const other = ctx.options['else'];
    if (cases && typeof cases === 'object' && !Array.isArray(cases)) {
      if (Object.keys(cases).length === 0)
        ctx.report(['cases'], 'split-ports', "'cases' is empty; give at least one port name → condition");
      if (typeof other === 'string' && Object.hasOwn(cases, other)) {
        ctx.report(['else'], 'split-ports', `the else port '${other}' is also a case; give it its own name`);
      }
    }
    return inputType(ctx);
  },
};
