/**
 * What the end-to-end check (STAGES.md §10) reads from earlier steps and what it returns. The
 * outputs of `threescale.product.<short>`, `policies.<short>`, `portal.settings` and
 * `portal.content` are read through zod schemas that follow the session contracts
 * (notes/contracts-s2.md), so a missing field is one clear sentence naming the step, not a crash.
 */
import { z } from 'zod';
import { UserError } from '../../src/engine/errors.js';
import type { DefaultsContext } from '../../src/engine/types.js';

/** One end-to-end check as it is shown (one line) and returned: what, expected, got, ok; `model` for per-gateway checks. */
export interface VerifyCheck {
  what: string;
  expected: string;
  got: string;
  ok: boolean;
  /** Catalog short name of the model whose gateway was checked (absent for portal and SSO checks). */
  model?: string;
}

/** Outputs of `verify`: every check, and the org name of the developer account kept (`--keep-test-account`). */
export interface VerifyOutputs {
  checks: VerifyCheck[];
  keptAccount?: string;
}

/** Outputs of `threescale.product.<short>` for a served model (steps/threescale/product.ts `ProductOutputs`). */
export const servedProduct = z.object({
  served: z.literal(true),
  modelId: z.string(),
  model: z.string(),
  servedModelName: z.string().min(1),
  api: z.enum(['chat', 'completions', 'embeddings']),
  serviceId: z.number().int(),
  systemName: z.string(),
  applicationPlan: z.string(),
  applicationPlanId: z.number().int(),
  productionUrl: z.string().url(),
  stagingUrl: z.string().optional(),
  bearerMode: z.enum(['authorization', 'remove-bearer']).default('authorization'),
});
/** A served product as the checks use it. */
export type ServedProduct = z.infer<typeof servedProduct>;

/** Outputs of `policies.<short>` (steps/policies/index.ts `PoliciesOutputs`); limits' `value` in hits per `period`. */
export const policiesView = z.union([
  z.object({ served: z.literal(false) }),
  z.object({
    served: z.literal(true),
    chain: z.array(z.string()).default([]),
    limits: z.array(z.object({ period: z.string(), value: z.number() })).default([]),
    productionVersion: z.number().optional(),
  }),
]);
/** A rate limit of the application plan: at most `value` hits per `period` (minute … eternity). */
export type PlanLimit = { period: string; value: number };

/**
 * The served product of a model, or undefined when the model is not served (`served: false`).
 * @throws UserError `verify.outputs` when `threescale.product.<short>` has no outputs or they lack a field.
 */
export function productOf(ctx: DefaultsContext, short: string): ServedProduct | undefined {
  const id = `threescale.product.${short}`;
  const raw = ctx.outputs(id);
  if (raw && raw['served'] === false) return undefined;
  const parsed = servedProduct.safeParse(raw);
  if (!parsed.success) throw missing(id, parsed.error.issues[0]?.path.join('.'));
  return parsed.data;
}

/**
 * The limits `policies.<short>` wrote on the application plan (empty when none).
 * @throws UserError `verify.outputs` when the step has no outputs.
 */
export function limitsOf(ctx: DefaultsContext, short: string): PlanLimit[] {
  const id = `policies.${short}`;
  const parsed = policiesView.safeParse(ctx.outputs(id));
  if (!parsed.success) throw missing(id, parsed.error.issues[0]?.path.join('.'));
  return parsed.data.served ? parsed.data.limits : [];
}

/** Paths of the portal pages `portal.content` published (default `/` when it lists none). */
export function portalPagesOf(ctx: DefaultsContext): string[] {
  const pages = ctx.outputs('portal.content')?.['pages'];
  const list = Array.isArray(pages) ? pages.filter((p): p is string => typeof p === 'string' && p.startsWith('/')) : [];
  return list.length > 0 ? list : ['/'];
}

/** A string output of a step, if present. */
export function stringOutput(ctx: DefaultsContext, step: string, key: string): string | undefined {
  const v = ctx.outputs(step)?.[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function missing(step: string, field: string | undefined): UserError {
  return new UserError('verify.outputs', `the outputs of ${step} are missing${field ? ` (field ${field})` : ''}: the step has not finished`, {
    fix: `run \`maas-wizard retry ${step}\` first`,
  });
}
