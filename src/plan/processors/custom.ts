/**
 * A project's own processors: `<plansDir>/processors/*.{js,mjs,ts,mts}`, one per file, default
 * export (or `export const processor`) of this shape (see plans/processors/boost-category.ts):
 *
 *   export default {
 *     name: 'boost-category',                 // the `use:` name; must not shadow a built-in
 *     summary: 'one line for docs',
 *     inputs: 1,                            // or {min: 2, max: 3}; 0 for a source
 *     options: { factor: { type: 'float', required: true, doc: '…' } },
 *     output: 'input',                      // or {dataset: 'pinjoin', tier: 'prod'} or {fields: {n: 'int'}}
 *     latencyMs: 1,                         // optional p99 estimate for the SLO rule
 *     run(inputs, ctx) { … },               // the runtime half (the engine calls it)
 *   };
 *
 * Option types: int, float, string, bool, expr, bool-expr, number-expr, field, fields, tier,
 * dataset, or {enum: [...]}. TypeScript files are loaded through tsx. Nothing here runs unless a
 * plan uses a processor that is not built in.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Catalog } from '../../catalog/catalog.js';
import { parseTypeName, TIER_NAMES, type TierName } from '../../catalog/types.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { datasetItems, declaredItems, type ItemType } from '../types.js';
import { sameItemTypes } from './common.js';
import type { OptionSpec, OptionType, ProcessorDefinition } from './definition.js';
import { builtinProcessors } from './index.js';

export interface LoadedProcessors {
  processors: ProcessorDefinition[];
  /** Problems with the processor modules (`invalid-processor`), reported against their files. */
  diagnostics: Diagnostic[];
}

const EXTENSIONS = ['.js', '.mjs', '.ts', '.mts'];

/** The custom processor files of a project, sorted (no module is loaded). */
export function customProcessorFiles(plansDir: string): string[] {
  const dir = join(plansDir, 'processors');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => EXTENSIONS.some((e) => f.endsWith(e)) && !f.endsWith('.d.ts') && !f.startsWith('.'))
    .sort()
    .map((f) => join(dir, f));
}

/** Loads the project's custom processors from `<plansDir>/processors/`. */
export async function loadProjectProcessors(
  config: { plansDir: string },
  catalog?: Catalog,
): Promise<LoadedProcessors> {
  const result: LoadedProcessors = { processors: [], diagnostics: [] };
  for (const file of customProcessorFiles(config.plansDir)) {
    const shown = relative(process.cwd(), file) || file;
    const fail = (message: string) =>
      result.diagnostics.push({
        file: shown,
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: 1,
        severity: 'error',
        code: 'invalid-processor',
        path: [],
        message,
      });
    let mod: Record<string, unknown>;
    try {
      const url = pathToFileURL(file).href;
      if (file.endsWith('.ts') || file.endsWith('.mts')) {
        const { tsImport } = await import('tsx/esm/api');
        mod = (await tsImport(url, import.meta.url)) as Record<string, unknown>;
      } else mod = (await import(url)) as Record<string, unknown>;
    } catch (error) {
      fail(
        `cannot load the processor module: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      );
      continue;
    }
    let spec = (mod['default'] ?? mod['processor']) as unknown;
    // tsx may wrap a CommonJS-style default export once more.
    if (spec && typeof spec === 'object' && 'default' in spec && !('name' in spec))
      spec = (spec as { default: unknown }).default;
    const def = toDefinition(spec, shown, fail, catalog);
    if (!def) continue;
    if (builtinProcessors.has(def.name) || result.processors.some((p) => p.name === def.name)) {
      fail(
        `processor name '${def.name}' is already taken${builtinProcessors.has(def.name) ? ' by a built-in' : ''}; choose another`,
      );
      continue;
    }
    result.processors.push(def);
  }
  return result;
}

function optionType(t: unknown): OptionType | undefined {
  if (t && typeof t === 'object' && Array.isArray((t as { enum?: unknown }).enum)) {
    const values = (t as { enum: unknown[] }).enum;
    return values.every((v) => typeof v === 'string')
      ? { kind: 'enum', values: values as string[] }
      : undefined;
  }
  switch (t) {
    case 'int':
      return { kind: 'int' };
    case 'float':
    case 'number':
      return { kind: 'number' };
    case 'string':
      return { kind: 'string' };
    case 'bool':
      return { kind: 'bool' };
    case 'expr':
      return { kind: 'expr', expect: 'any' };
    case 'bool-expr':
      return { kind: 'expr', expect: 'bool' };
    case 'number-expr':
      return { kind: 'expr', expect: 'number' };
    case 'field':
      return { kind: 'field' };
    case 'fields':
      return { kind: 'fields' };
    case 'tier':
      return { kind: 'tier' };
    case 'dataset':
      return { kind: 'dataset' };
    default:
      return undefined;
  }
}

/** Checks a custom processor module's export and turns it into a definition. */
export function toDefinition(
  spec: unknown,
  source: string,
  fail: (message: string) => void,
  catalog?: Catalog,
): ProcessorDefinition | undefined {
  if (!spec || typeof spec !== 'object') {
    fail('the module must export default {name, summary, inputs, options, output, run}');
    return undefined;
  }
  const s = spec as Record<string, unknown>;
  const name = s['name'];
  if (typeof name !== 'string' || !/^[a-z][a-z0-9-]*$/.test(name)) {
    fail(`'name' must match [a-z][a-z0-9-]*, not ${JSON.stringify(name)}`);
    return undefined;
  }
  let inputs: { min: number; max: number };
  const i = s['inputs'] ?? 1;
  if (typeof i === 'number' && Number.isInteger(i) && i >= 0) inputs = { min: i, max: i };
  else if (i && typeof i === 'object' && typeof (i as { min?: unknown }).min === 'number') {
    const min = (i as { min: number }).min;
    const max = (i as { max?: unknown }).max;
    inputs = { min, max: typeof max === 'number' ? max : Number.POSITIVE_INFINITY };
  } else {
    fail(`processor '${name}': 'inputs' must be a number or {min, max}`);
    return undefined;
  }
  const options: Record<string, OptionSpec> = {};
  const rawOptions = s['options'] ?? {};
  if (typeof rawOptions !== 'object' || rawOptions === null) {
    fail(`processor '${name}': 'options' must be an object`);
    return undefined;
  }
  for (const [key, o] of Object.entries(rawOptions)) {
    const opt = (typeof o === 'string' ? { type: o } : o) as Record<string, unknown>;
    const type = optionType(opt?.['type']);
    if (!type) {
      fail(
        `processor '${name}': option '${key}' has an unknown type ${JSON.stringify(opt?.['type'])} (int, float, string, bool, expr, bool-expr, number-expr, field, fields, tier, dataset, {enum: [...]})`,
      );
      return undefined;
    }
    options[key] = {
      type,
      required: opt['required'] === true,
      doc: typeof opt['doc'] === 'string' ? opt['doc'] : '',
    };
  }
  const output = s['output'] ?? 'input';
  let compute: (ctx: Parameters<ProcessorDefinition['check']>[0]) => ItemType | undefined;
  if (output === 'input') {
    compute = (ctx) =>
      ctx.inputs.length <= 1 ? ctx.inputs[0]?.type : sameItemTypes(ctx, 'input-type-mismatch', `${name} of`);
  } else if (
    output &&
    typeof output === 'object' &&
    typeof (output as { dataset?: unknown }).dataset === 'string'
  ) {
    const { dataset, tier } = output as { dataset: string; tier?: string };
    const found = catalog?.find(dataset);
    if (catalog && !found) {
      fail(`processor '${name}': output dataset '${dataset}' is not in the catalog`);
      return undefined;
    }
    if (tier !== undefined && !(TIER_NAMES as readonly string[]).includes(tier)) {
      fail(`processor '${name}': output tier '${tier}' is not a tier (${TIER_NAMES.join(', ')})`);
      return undefined;
    }
    compute = (ctx) => {
      const d = ctx.catalog.find(dataset);
      return d ? datasetItems(d, tier as TierName | undefined) : undefined;
    };
  } else if (
    output &&
    typeof output === 'object' &&
    typeof (output as { fields?: unknown }).fields === 'object'
  ) {
    const fields = [];
    for (const [f, t] of Object.entries((output as { fields: Record<string, unknown> }).fields)) {
      const type = typeof t === 'string' ? parseTypeName(t) : undefined;
      if (!type) {
        fail(`processor '${name}': output field '${f}' has an unknown type ${JSON.stringify(t)}`);
        return undefined;
      }
      fields.push({ name: f, type, light: true, doc: `declared by ${name}` });
    }
    const items = declaredItems(fields);
    compute = () => items;
  } else {
    fail(`processor '${name}': 'output' must be 'input', {dataset, tier?} or {fields: {NAME: TYPE}}`);
    return undefined;
  }
  const latency = s['latencyMs'];
  const run = s['run'];
  if (typeof run !== 'function') {
    fail(`processor '${name}': 'run(inputs, ctx)' must be a function (the engine calls it)`);
    return undefined;
  }
  return {
    name,
    summary: typeof s['summary'] === 'string' ? s['summary'] : '',
    inputs,
    options,
    source,
    check: compute,
    ...(typeof latency === 'number' && latency >= 0 ? { estimateMs: () => latency } : {}),
    run: run as (...args: never[]) => unknown,
  };
}
