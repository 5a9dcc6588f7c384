/**
 * The JSON Schema of plan files, generated from the same definitions the validator uses (the
 * top-level keys, param types, tiers, datasets and every built-in processor's options), shipped
 * as `plans/plan.schema.json` so editors complete and check plans through the yaml-language-server
 * modeline. `test/plan/schema.test.ts` keeps the shipped file in step
 * (`UPDATE_SCHEMA=1 npx vitest run test/plan/schema.test.ts` rewrites it).
 */
import { CATALOG } from '../catalog/catalog.js';
import { TIER_NAMES } from '../catalog/types.js';
import { PARAM_TYPES } from './parse.js';
import type { OptionType, ProcessorDefinition } from './processors/definition.js';
import { BUILTIN_PROCESSORS } from './processors/index.js';

type Schema = Record<string, unknown>;

const PARAM_REF: Schema = {
  type: 'string',
  pattern: '^\\$params\\.[A-Za-z_][A-Za-z0-9_]*$',
  description: 'a param: $params.NAME',
};
const REF: Schema = {
  type: 'string',
  pattern: '^[^.\\s]+(\\.[^.\\s]+)?$',
  description: 'a node reference: NAME or NAME.PORT',
};
const TYPE_NAME: Schema = { type: 'string', pattern: '^(int|float|string|bool|timestamp|list<.+>)$' };

function optionSchema(type: OptionType, doc: string): Schema {
  const withParam = (s: Schema): Schema => ({ description: doc, anyOf: [s, PARAM_REF] });
  switch (type.kind) {
    case 'int':
      return withParam({ type: 'integer', minimum: type.min ?? 0 });
    case 'number':
      return withParam(type.min === undefined ? { type: 'number' } : { type: 'number', minimum: type.min });
    case 'string':
      return { description: doc, type: 'string' };
    case 'bool':
      return withParam({ type: 'boolean' });
    case 'enum':
      return withParam({ enum: [...type.values] });
    case 'expr':
      return { description: `${doc} (expression)`, type: ['string', 'number', 'boolean'] };
    case 'tier':
      return { description: doc, enum: [...(type.allowed ?? TIER_NAMES)] };
    case 'dataset':
      return { description: doc, type: 'string', examples: CATALOG.names() };
    case 'field':
      return { description: doc, type: 'string' };
    case 'fields':
      return { description: doc, type: 'array', items: { type: 'string' }, minItems: 1 };
    case 'keys':
      return {
        description: doc,
        anyOf: [
          PARAM_REF,
          { type: 'array', items: { type: ['string', 'integer'] } },
          { type: ['string', 'integer'] },
        ],
      };
    case 'sql':
      return { description: doc, type: 'string' };
    case 'returns':
      return {
        description: doc,
        oneOf: [
          {
            type: 'object',
            properties: { dataset: { type: 'string', examples: CATALOG.names() } },
            required: ['dataset'],
            additionalProperties: false,
          },
          {
            type: 'object',
            properties: { fields: { type: 'object', additionalProperties: TYPE_NAME, minProperties: 1 } },
            required: ['fields'],
            additionalProperties: false,
          },
        ],
      };
    case 'map':
      return { description: doc, type: 'object', additionalProperties: optionSchema(type.of, doc) };
    case 'variants':
      return {
        description: doc,
        type: 'object',
        additionalProperties: {
          type: 'object',
          properties: { weight: { type: 'number', minimum: 0 }, input: REF },
          required: ['weight', 'input'],
          additionalProperties: false,
        },
      };
    case 'name':
      return { description: doc, type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_-]*$' };
  }
}

const COMMON: Record<string, Schema> = {
  use: { type: 'string', description: 'the processor' },
  input: { description: 'the input node(s)', anyOf: [REF, { type: 'array', items: REF }] },
  timeout_ms: { type: 'number', exclusiveMinimum: 0, description: 'give up on this node after this many ms' },
  on_error: { enum: ['fail', 'empty'], description: 'fail (default) the plan, or continue with no items' },
};

function processorBranch(p: ProcessorDefinition): Schema {
  const properties: Record<string, Schema> = { ...COMMON, use: { const: p.name } };
  for (const [name, spec] of Object.entries(p.options)) properties[name] = optionSchema(spec.type, spec.doc);
  const required = [
    'use',
    ...Object.entries(p.options)
      .filter(([, s]) => s.required)
      .map(([n]) => n),
  ];
  return {
    if: { properties: { use: { const: p.name } }, required: ['use'] },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keywords
    then: { description: p.summary, properties, required, additionalProperties: false },
  };
}

/** The plan JSON Schema (draft 2020-12). */
export function planJsonSchema(processors: readonly ProcessorDefinition[] = BUILTIN_PROCESSORS): Schema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://discokit.dev/plan.schema.json',
    title: 'discokit execution plan',
    description:
      "One plan per file (SPEC §4). Generated from the validator's definitions; `disco plan validate` checks much more (types, fields, cycles, SLO).",
    type: 'object',
    required: ['plan', 'nodes', 'output'],
    additionalProperties: false,
    properties: {
      plan: {
        type: 'string',
        pattern: '^[a-z][a-z0-9-]*$',
        description: 'the plan name, unique among plans',
      },
      description: { type: 'string' },
      params: {
        type: 'object',
        propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
        additionalProperties: {
          type: 'object',
          required: ['type'],
          additionalProperties: false,
          properties: {
            type: { enum: [...PARAM_TYPES] },
            required: { type: 'boolean' },
            default: { description: "a value of the param's type" },
          },
        },
      },
      slo: {
        type: 'object',
        required: ['p99_ms'],
        additionalProperties: false,
        properties: {
          p99_ms: { type: 'number', exclusiveMinimum: 0, description: 'the p99 latency budget in ms' },
        },
      },
      nodes: {
        type: 'object',
        minProperties: 1,
        propertyNames: { pattern: '^[^.\\s$][^.\\s]*$' },
        additionalProperties: {
          type: 'object',
          required: ['use'],
          properties: {
            use: {
              type: 'string',
              anyOf: [{ enum: processors.map((p) => p.name) }, { type: 'string' }],
              description: "the processor (built-in or the project's own)",
            },
          },
          allOf: processors.map(processorBranch),
        },
      },
      output: {
        type: 'object',
        minProperties: 1,
        additionalProperties: REF,
        description: 'response list name → node reference',
      },
    },
  };
}

export function planJsonSchemaText(): string {
  return `${JSON.stringify(planJsonSchema(), null, 2)}\n`;
}
