/**
 * An example project processor: moves the items of one category to the front of the list
 * (a stable partition), e.g. to favour a topic on a landing page. `disco plan validate` checks
 * plans that use it against the declaration below; the engine calls `run`.
 */
type Item = Record<string, unknown>;

export default {
  name: 'boost-category',
  summary: 'The input items with those of one category moved to the front (stable).',
  inputs: 1,
  options: {
    category: { type: 'string', required: true, doc: 'the category to favour' },
    max: { type: 'int', doc: 'move at most this many items to the front' },
  },
  output: 'input',
  latencyMs: 0,
  run(inputs: ReadonlyArray<readonly Item[]>, ctx: { options: Readonly<Record<string, unknown>> }): Item[] {
    const items = inputs[0] ?? [];
    const category = ctx.options['category'];
    const max = typeof ctx.options['max'] === 'number' ? ctx.options['max'] : Number.POSITIVE_INFINITY;
    const front: Item[] = [];
    const rest: Item[] = [];
    for (const item of items) {
      if (item['category'] === category && front.length < max) front.push(item);
      else rest.push(item);
    }
    return [...front, ...rest];
  },
};
