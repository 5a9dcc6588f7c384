/** The built-in processors (SPEC §4), one file each, in one registry. */
import type { ProcessorDefinition, ProcessorRegistry } from './definition.js';
import { dedupe } from './dedupe.js';
import { expand } from './expand.js';
import { experiment } from './experiment.js';
import { fallback } from './fallback.js';
import { filter } from './filter.js';
import { limit } from './limit.js';
import { lookup } from './lookup.js';
import { merge } from './merge.js';
import { project } from './project.js';
import { query } from './query.js';
import { rank } from './rank.js';
import { split } from './split.js';

export const BUILTIN_PROCESSORS: readonly ProcessorDefinition[] = [
  lookup, expand, query, filter, rank, dedupe, limit, project, merge, split, experiment, fallback,
]; // biome-ignore format: one list

export const builtinProcessors: ProcessorRegistry = new Map(BUILTIN_PROCESSORS.map((p) => [p.name, p]));

export type * from './definition.js';
export { COMMON_NODE_KEYS } from './definition.js';
