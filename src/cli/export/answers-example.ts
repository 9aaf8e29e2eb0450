/**
 * The example answers file (`maas-wizard answers --example`, issue #9 item 7): every input of
 * every step with its label, help, choices and default, as YAML with comments.
 * - An input with a fixed default is written with it, uncommented, so the file as written runs
 *   exactly like no answers file at all.
 * - An input whose default is computed from preflight facts or earlier steps' outputs (the step's
 *   `defaults`), one without a default, and one shown only for other choices (`when`) is written
 *   commented out: uncomment it to fix a value.
 * - Secret inputs are never in the file; the comment says which flag or variable gives them.
 */
import { stringify } from 'yaml';
import { z } from 'zod';
import type { AnyStep, Choice, DefaultsContext, InputField, StepId } from '../../engine/types.js';
import { isFieldShown } from '../../engine/types.js';

/** Which inputs of a step take their default from other steps' outputs, and from which steps. */
export interface DerivedDefaults {
  /** Keys set by `defaults` (all keys when that cannot be told). */
  keys: ReadonlySet<string>;
  /** The steps whose outputs `defaults` reads (`preflight` for facts). */
  from: readonly StepId[];
}

/**
 * Finds which keys `step.defaults` sets from other steps' outputs, without a cluster: it is
 * called with outputs that answer every read with a stand-in value. When it then sets no key
 * although it read outputs (a comparison with a known value failed), or throws, every key is
 * taken as derived. Undefined when the step has no `defaults`.
 */
export function derivedDefaults(step: AnyStep<unknown>): DerivedDefaults | undefined {
  if (!step.defaults) return undefined;
  const from = new Set<StepId>();
  const ctx: DefaultsContext = {
    outputs: (id) => {
      from.add(id);
      return standIn() as Record<string, unknown>;
    },
  };
  const all = new Set(step.fields.map((f) => f.key));
  try {
    const keys = Object.keys(step.defaults(ctx) ?? {});
    return { keys: keys.length > 0 || from.size === 0 ? new Set(keys) : all, from: [...from] };
  } catch {
    return { keys: all, from: [...from] };
  }
}

/** A value that answers any property read, call or conversion with another stand-in. */
function standIn(): unknown {
  const target = function standInValue(): void {};
  return new Proxy(target, {
    get: (_t, prop) => {
      if (prop === Symbol.toPrimitive) return () => 'x';
      if (prop === Symbol.iterator) return function* empty(): Generator<never> {};
      if (prop === 'then' || prop === 'toJSON') return undefined;
      if (prop === 'length') return 0;
      return standIn();
    },
    apply: () => standIn(),
    has: () => true,
  });
}

/** The fixed default of `key` in a zod object schema (parsing `undefined`), or undefined. */
function staticDefault(inputs: z.ZodType, key: string): { value: unknown } | undefined {
  if (!(inputs instanceof z.ZodObject)) return undefined;
  const field = (inputs.shape as Record<string, z.ZodType>)[key];
  const parsed = field?.safeParse(undefined);
  return parsed?.success && parsed.data !== undefined ? { value: parsed.data } : undefined;
}

/** Choices of a field as far as they are known without a cluster: its own list, else the schema's enum. */
function choicesOf(field: InputField, inputs: z.ZodType): string[] {
  let listed: Choice[];
  try {
    listed = field.choices?.({ outputs: () => undefined }) ?? [];
  } catch {
    listed = [];
  }
  if (listed.length > 0) return listed.map((c) => c.value);
  if (!(inputs instanceof z.ZodObject)) return [];
  const schema = (inputs.shape as Record<string, z.ZodType>)[field.key];
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { enum?: unknown[]; items?: { enum?: unknown[] } };
  return (json.enum ?? json.items?.enum ?? []).map(String);
}

/** `key: value` as YAML lines (a list or map spans several lines). */
function yamlLines(key: string, value: unknown): string[] {
  return stringify({ [key]: value }, { lineWidth: 0 }).trimEnd().split('\n');
}

/** Wraps `text` into lines of at most ~96 characters. */
function wrap(text: string): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + word.length + 1 > 96) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}

/** One input as the example shows it: help lines, YAML lines, and whether those are active. */
interface FieldBlock {
  help: string[];
  yaml: string[];
  active: boolean;
}

/** The block of one input of `step`. */
function fieldBlock(step: AnyStep<unknown>, f: InputField, derived: DerivedDefaults | undefined, fixed: Record<string, unknown>): FieldBlock {
  const notes: string[] = [`${f.label}.`];
  if (f.help) notes.push(f.help);
  if (f.kind === 'secret') {
    const ways = [f.flag, f.env ? `the environment variable ${f.env}` : undefined].filter(Boolean).join(' or ');
    notes.push(`Secret: never in this file; give it with ${ways || 'the prompt'}.`);
    return { help: wrap(notes.join(' ')), yaml: [], active: false };
  }
  const choices = choicesOf(f, step.inputs);
  if (choices.length > 0) notes.push(`Choices: ${choices.join(', ')}${f.kind === 'multiselect' ? ' (a list; others may be typed in)' : ''}.`);
  const d = staticDefault(step.inputs, f.key);
  const isDerived = derived?.keys.has(f.key) ?? false;
  const shown = isFieldShown(f, fixed);
  if (isDerived) notes.push(`Default: from ${derived?.from.join(', ') || 'earlier steps'}${d ? `, else ${JSON.stringify(d.value)}` : ''}.`);
  else if (d) notes.push(`Default: ${JSON.stringify(d.value)}.`);
  else notes.push('No default.');
  if (!shown) notes.push('Used only with other choices above.');
  const value = d?.value ?? (f.kind === 'multiselect' ? [] : f.kind === 'number' ? 0 : f.kind === 'confirm' ? false : '');
  return { help: wrap(notes.join(' ')), yaml: yamlLines(f.key, value), active: Boolean(d) && !isDerived && shown };
}

/** The lines of one step: header comment, then `id:` with its inputs (the step commented out when none is active). */
function stepLines(step: AnyStep<unknown>): string[] {
  const derived = derivedDefaults(step);
  const fixed: Record<string, unknown> = {};
  for (const f of step.fields) {
    const d = f.kind === 'secret' ? undefined : staticDefault(step.inputs, f.key);
    if (d) fixed[f.key] = d.value;
  }
  const blocks = step.fields.map((f) => fieldBlock(step, f, derived, fixed));
  const stepActive = blocks.some((b) => b.active);
  // Inside an active step: `  # help`, `  key: v` or `  # key: v`. Inside a commented step: `#   # help`, `#   key: v`.
  const lead = stepActive ? '  ' : '#   ';
  const out = [`# ── ${step.id}: ${step.title}`, ...wrap(step.explain.what).map((l) => `# ${l}`), stepActive ? `${step.id}:` : `# ${step.id}:`];
  for (const b of blocks) {
    out.push(...b.help.map((l) => `${lead}# ${l}`));
    out.push(...b.yaml.map((l) => (b.active || !stepActive ? `${lead}${l}` : `  # ${l}`)));
  }
  out.push('');
  return out;
}

/**
 * The example answers file for `steps` (the steps of the default model selection unless the
 * caller chose others). Steps without inputs are left out.
 */
export function answersExample(steps: readonly AnyStep<unknown>[]): string {
  const out = [
    '# maas-wizard answers file: every input of every step, with its meaning and default.',
    '# Use it with: maas-wizard --answers FILE [--yes]   (or: maas-wizard export --dry-run --answers FILE --out DIR)',
    '# As written it changes nothing: fixed defaults are spelled out; inputs whose default the wizard',
    '# reads from the cluster (preflight) or from earlier steps are commented out: uncomment to fix them.',
    '# Secrets (tokens, keys, client secrets) never go in this file.',
    '# Editor completion: maas-wizard answers --schema > answers.schema.json',
    '',
  ];
  for (const step of steps) if (step.fields.length > 0) out.push(...stepLines(step));
  return `${out.join('\n').trimEnd()}\n`;
}
