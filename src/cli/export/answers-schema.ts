/**
 * The JSON Schema of the answers file (`maas-wizard answers --schema`, issue #9 item 7), generated
 * with zod 4's `z.toJSONSchema` from the same zod schema the answers loader validates with
 * (src/cli/answers.ts `answersSchema`): one property per step id, each that step's input schema
 * with every field optional and unknown keys refused. Titles and descriptions come from the
 * steps' form fields, for editor completion.
 */
import { z } from 'zod';
import type { AnyStep } from '../../engine/types.js';
import { answersSchema } from '../answers.js';

/** A JSON Schema object (draft-07: what editors' YAML language servers and ajv take by default) as plain data. */
export type JsonSchema = Record<string, unknown>;

/**
 * The answers file's JSON Schema for `steps`. Parts zod cannot express (refinements across
 * fields) are left to the loader; values are the inputs as written (`io: 'input'`).
 */
export function answersJsonSchema(steps: readonly AnyStep<unknown>[]): JsonSchema {
  const schema = z.toJSONSchema(answersSchema(steps), { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as JsonSchema;
  schema['title'] = 'maas-wizard answers file';
  schema['description'] = 'Inputs of `maas-wizard --answers FILE`: step id, then input key. Secrets (tokens, keys) are never in this file.';
  const props = schema['properties'] as Record<string, JsonSchema> | undefined;
  for (const step of steps) {
    const perStep = props?.[step.id];
    if (!perStep) continue;
    perStep['title'] = step.title;
    perStep['description'] = step.explain.what;
    const fields = perStep['properties'] as Record<string, JsonSchema> | undefined;
    for (const f of step.fields) {
      const field = fields?.[f.key];
      if (!field) continue;
      field['title'] ??= f.label;
      if (f.help) field['description'] ??= f.help;
    }
  }
  return schema;
}
