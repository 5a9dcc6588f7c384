/** The shipped JSON Schema is generated from the validator's definitions and kept in step. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_PROCESSORS } from '../../src/plan/processors/index.js';
import { planJsonSchema, planJsonSchemaText } from '../../src/plan/schema.js';
import { REPO_ROOT } from '../helpers/cli.js';

const file = join(REPO_ROOT, 'plans', 'plan.schema.json');

describe('plans/plan.schema.json', () => {
  it('is in step with the definitions (UPDATE_SCHEMA=1 rewrites it)', () => {
    if (process.env['UPDATE_SCHEMA']) writeFileSync(file, planJsonSchemaText());
    expect(readFileSync(file, 'utf8')).toBe(planJsonSchemaText());
  });
  it('describes every built-in processor and each of its options', () => {
    const schema = planJsonSchema() as {
      properties: {
        nodes: {
          additionalProperties: {
            allOf: Array<{ then: { properties: Record<string, unknown>; required: string[] } }>;
          };
        };
      };
    };
    const branches = schema.properties.nodes.additionalProperties.allOf;
    expect(branches).toHaveLength(BUILTIN_PROCESSORS.length);
    BUILTIN_PROCESSORS.forEach((p, i) => {
      const then = branches[i]!.then;
      for (const [name, spec] of Object.entries(p.options)) {
        expect(then.properties).toHaveProperty(name);
        if (spec.required) expect(then.required).toContain(name);
      }
    });
  });
  it('every example plan carries the yaml-language-server modeline', () => {
    for (const name of [
      'related-pins',
      'home-feed',
      'top-boards',
      'user-boards',
      'pin-details',
      'food-first',
    ]) {
      expect(readFileSync(join(REPO_ROOT, 'plans', `${name}.yaml`), 'utf8').split('\n')[0]).toBe(
        '# yaml-language-server: $schema=./plan.schema.json',
      );
    }
  });
});
