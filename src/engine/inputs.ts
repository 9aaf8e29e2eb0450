/**
 * Input resolution for one step (ARCHITECTURE.md "Engine"; Shopify CLI convention: prompt only
 * for what flags and files did not supply, never without a TTY).
 *
 * Non-secret values, later layers winning: the `inputs` schema's own defaults ← `step.defaults(ctx)`
 * ← saved inputs (progress file) ← answers (`--answers` file / flags). Secret fields (kind
 * 'secret') come from the secrets given to the engine, then from the field's environment
 * variable. Interactive runs show the form prefilled and re-ask until the schemas accept it;
 * other runs parse and raise an InputError naming the answers-file key, flag and variable.
 *
 * Fields whose `when` is false for the current values are hidden: their values stay in the form
 * (so switching back restores them) but are left out of what the schemas validate, so a hidden
 * field is never required and never reported missing; what is stored for it is the schema's
 * default, if it has one.
 */
import { z } from 'zod';
import { InputError } from './errors.js';
import { isFieldShown } from './types.js';
import type { AnyStep, DefaultsContext, InputField } from './types.js';

/** Resolved values of a step: non-secret inputs (stored) and secrets (memory only). */
export interface ResolvedInputs {
  inputs: Record<string, unknown>;
  secrets: Record<string, string>;
}

/** What resolveInputs reads. */
export interface ResolveInputsArgs {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  step: AnyStep<any>;
  defaultsContext: DefaultsContext;
  saved?: Record<string, unknown> | undefined;
  answers?: Record<string, unknown> | undefined;
  secrets?: Record<string, string> | undefined;
  env: Record<string, string | undefined>;
  /** Shows the form (values, errors by key) and returns the edited values; absent when nobody can be asked. */
  ask?: ((values: Record<string, unknown>, errors: Record<string, string>) => Promise<Record<string, unknown>>) | undefined;
  /** Show the form even when the values are valid (a fresh step); false on the resume path. */
  askWhenValid: boolean;
}

/**
 * Resolves a step's inputs and secrets.
 * @throws InputError (usage, exit 2) naming `<stepId>.<key>` (with flag / environment variable)
 *   when a value is missing or invalid and the form cannot be shown.
 * @throws whatever `ask` throws (host failures, aborts).
 */
export async function resolveInputs(args: ResolveInputsArgs): Promise<ResolvedInputs> {
  const { step } = args;
  const fields: InputField[] = step.fields ?? [];
  const secretKeys = new Set(fields.filter((f) => f.kind === 'secret').map((f) => f.key));
  const values: Record<string, unknown> = {};
  const layers = [schemaDefaults(step.inputs), step.defaults?.(args.defaultsContext) ?? {}, args.saved ?? {}, args.answers ?? {}];
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer as Record<string, unknown>)) {
      if (v !== undefined && !secretKeys.has(k)) values[k] = v;
    }
  }
  for (const f of fields) {
    if (f.kind !== 'secret') continue;
    const v = args.secrets?.[f.key] || (f.env ? args.env[f.env] : undefined);
    if (v) values[f.key] = v;
  }

  const ask = fields.length > 0 ? args.ask : undefined;
  let form = values;
  if (ask && args.askWhenValid) form = await ask(form, {});
  for (;;) {
    const result = parseForm(step, secretKeys, visibleValues(fields, form));
    if (result.ok) return result.value;
    if (!ask) throw inputErrorFor(step.id, fields, result.issues, form);
    form = await ask(form, Object.fromEntries(result.issues.map((i) => [i.key, i.message]).reverse()));
  }
}

/**
 * `form` without the values of the fields hidden for it (`when` false). Keys that are no field
 * (values a step's `defaults` computes, e.g. tolerations) are kept.
 */
export function visibleValues(fields: readonly InputField[], form: Record<string, unknown>): Record<string, unknown> {
  const hidden = new Set(fields.filter((f) => !isFieldShown(f, form)).map((f) => f.key));
  if (hidden.size === 0) return form;
  return Object.fromEntries(Object.entries(form).filter(([k]) => !hidden.has(k)));
}

interface Issue {
  key: string;
  message: string;
}

function parseForm(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  step: AnyStep<any>,
  secretKeys: ReadonlySet<string>,
  form: Record<string, unknown>,
): { ok: true; value: ResolvedInputs } | { ok: false; issues: Issue[] } {
  const plain: Record<string, unknown> = {};
  const secret: Record<string, string> = {};
  for (const [k, v] of Object.entries(form)) {
    if (!secretKeys.has(k)) plain[k] = v;
    else if (typeof v === 'string' && v !== '') secret[k] = v;
  }
  const issues: Issue[] = [];
  const inputs = step.inputs.safeParse(plain);
  if (!inputs.success) issues.push(...toIssues(inputs.error));
  let secrets: Record<string, string> = secret;
  if (step.secrets) {
    const parsed = step.secrets.safeParse(secret);
    if (parsed.success) secrets = parsed.data;
    else issues.push(...toIssues(parsed.error));
  }
  if (issues.length > 0 || !inputs.success) return { ok: false, issues };
  // By construction the stored inputs never carry a secret field, whatever the schema lets through.
  const stored = Object.fromEntries(
    Object.entries((inputs.data ?? {}) as Record<string, unknown>).filter(([k]) => !secretKeys.has(k)),
  );
  return { ok: true, value: { inputs: stored, secrets } };
}

function toIssues(error: z.ZodError): Issue[] {
  return error.issues.map((i) => ({ key: typeof i.path[0] === 'string' ? i.path[0] : '', message: i.message }));
}

function inputErrorFor(stepId: string, fields: InputField[], issues: Issue[], form: Record<string, unknown>): InputError {
  const describe = (issue: Issue): { field: string; text: string; fix: string } => {
    const fieldKey = issue.key === '' ? stepId : `${stepId}.${issue.key}`;
    const f = fields.find((x) => x.key === issue.key);
    const where = [`answers-file key ${fieldKey}`];
    if (f?.flag) where.push(`flag ${f.flag}`);
    if (f?.env) where.push(`environment variable ${f.env}`);
    const missing = issue.key !== '' && form[issue.key] === undefined;
    const text = `${missing ? 'missing and no terminal to ask for it' : issue.message} (${where.join(', ')})`;
    const ways: string[] = [];
    if (f?.kind === 'secret') {
      if (f.env) ways.push(`set ${f.env}`);
      if (f.flag) ways.push(`pass ${f.flag}`);
      if (ways.length === 0) ways.push('run the wizard in a terminal to enter it');
    } else {
      ways.push(`add "${fieldKey}" to the answers file (--answers)`);
      if (f?.flag) ways.push(`pass ${f.flag}`);
      if (f?.env) ways.push(`set ${f.env}`);
    }
    return { field: fieldKey, text, fix: `${ways.join(', or ')}${missing ? '' : ` (${issue.message})`}` };
  };
  const [first, ...rest] = issues.map(describe);
  if (!first) return new InputError(stepId, 'invalid inputs', 'check the answers file');
  const also = rest.length > 0 ? `; also ${rest.map((r) => `${r.field}: ${r.text}`).join('; ')}` : '';
  return new InputError(first.field, `${first.text}${also}`, first.fix);
}

/**
 * The defaults a zod object schema declares itself (`.default(...)`), key by key; empty for
 * other schemas. Read by parsing `undefined` with each property's schema.
 */
export function schemaDefaults(schema: z.ZodType): Record<string, unknown> {
  if (!(schema instanceof z.ZodObject)) return {};
  const out: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    const r = prop.safeParse(undefined);
    if (r.success && r.data !== undefined) out[key] = r.data;
  }
  return out;
}
