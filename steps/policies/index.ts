/**
 * Steps `policies.<short>` (STAGES.md §8, stage `policies`), one per catalog model: the product's
 * policy chain in the fixed order cors → remove-bearer (only in that Bearer mode) →
 * upstream_connection → apicast, rate limit and quota on the application plan's `hits`, then deploy
 * to staging and promote to production (C16). Verify reads the *production* configuration back:
 * its chain in that order, and production at staging's version. A second run writes nothing.
 */
import { z } from 'zod';
import { connectThreescale } from '../../src/cluster/threescale/connect.js';
import type { ThreescaleClient } from '../../src/cluster/threescale/client.js';
import type { PolicyConfig } from '../../src/cluster/threescale/types.js';
import type { Services } from '../../src/cluster/services.js';
import { UserError, userErrorOf } from '../../src/engine/errors.js';
import type { AnyStep, Step, StepContext } from '../../src/engine/types.js';
import type { CatalogEntry } from '../import/catalog.js';
import { Reconcile, diagnoseThreescale } from '../threescale/product-changes.js';
import type { ProductOutputs } from '../threescale/product.js';
import { apiManagerOf } from '../threescale/shared.js';
import { policyChain, readLimits, syncChain, syncLimits, wantedLimits } from './chain.js';
import { syncDeployment } from './deploy.js';

/** Outputs of `policies.<short>` (contract: /work/notes/contracts-s2.md). */
export type PoliciesOutputs =
  | { served: false }
  | { served: true; chain: string[]; limits: { period: string; value: number }[]; productionVersion: number };

/** Inputs. Times in seconds; limits in hits (requests) per minute / per month, 0 = no limit. */
export const policiesInputs = z.object({
  readTimeoutSeconds: z.number().int().min(1).max(3600).default(300),
  rateLimitPerMinute: z.number().int().min(0).default(60),
  monthlyQuota: z.number().int().min(0).default(0),
});
type Inputs = z.infer<typeof policiesInputs>;
type Ctx = StepContext<Inputs, Services>;
type Served = Extract<ProductOutputs, { served: true }>;

function productOf(ctx: Ctx, model: CatalogEntry): ProductOutputs {
  const out = ctx.outputs(`threescale.product.${model.name}`) as ProductOutputs | undefined;
  if (!out) throw new UserError('policies.product-unknown', `the product step threescale.product.${model.name} has not finished`, { fix: `run \`maas-wizard retry threescale.product.${model.name}\` first` });
  return out;
}

function client(ctx: Ctx): ThreescaleClient {
  const am = apiManagerOf(ctx);
  return connectThreescale(ctx.services, { namespace: am.namespace, adminUrl: am.adminUrl }, { signal: ctx.signal });
}

async function hitsId(api: ThreescaleClient, product: Served): Promise<number> {
  const hits = (await api.metrics(product.serviceId).list()).find((m) => m.system_name === 'hits' && (m.parent_id === undefined || m.parent_id === null));
  if (!hits) throw new UserError('policies.no-hits', `product ${product.systemName} has no metric hits`, { fix: `run \`maas-wizard retry threescale.product.${product.model}\`` });
  return hits.id;
}

/** The chain this step writes for the product. */
function chainOf(ctx: Ctx, product: Served): PolicyConfig[] {
  return policyChain(product.bearerMode, ctx.inputs.readTimeoutSeconds);
}

/** Plan (`write` false) or apply: chain, limits, deploy, promote. */
async function reconcile(ctx: Ctx, product: Served, write: boolean) {
  const api = client(ctx);
  const r = new Reconcile(write);
  const changed = await syncChain(api, r, product.serviceId, chainOf(ctx, product));
  await syncLimits(api, r, product.applicationPlanId, product.applicationPlan, await hitsId(api, product), wantedLimits(ctx.inputs.rateLimitPerMinute, ctx.inputs.monthlyQuota));
  const versions = await syncDeployment(api, r, product.serviceId, changed);
  return { api, r, versions };
}

/** A `policies.<short>` step for one catalog model. */
export function createPoliciesStep(model: CatalogEntry): Step<Inputs, PoliciesOutputs, Services> {
  const id = `policies.${model.name}`;
  return {
    id,
    stage: 'policies',
    title: `Policies and limits for ${model.id}`,
    needs: [`threescale.product.${model.name}`],
    inputs: policiesInputs,
    fields: [
      { key: 'readTimeoutSeconds', label: 'Upstream read timeout (seconds)', kind: 'number', help: 'How long the gateway waits for the model to answer (upstream_connection policy). Long answers from a language model take minutes.' },
      { key: 'rateLimitPerMinute', label: 'Rate limit (requests per minute per application, 0 = none)', kind: 'number', help: 'A limit on the application plan: over it, the gateway answers 429.' },
      { key: 'monthlyQuota', label: 'Monthly quota (requests per month per application, 0 = none)', kind: 'number' },
    ],
    async plan(ctx) {
      const product = productOf(ctx, model);
      if (!product.served) return [{ action: 'none', target: `policies of ${model.id}`, note: 'the model is not served: nothing to configure' }];
      return (await reconcile(ctx, product, false)).r.changes;
    },
    async apply(ctx) {
      const product = productOf(ctx, model);
      if (product.served) await reconcile(ctx, product, true);
    },
    async verify(ctx) {
      const product = productOf(ctx, model);
      if (!product.served) return { served: false };
      const { api, r } = await reconcile(ctx, product, false);
      const left = r.writes();
      if (left.length > 0) throw new UserError('policies.incomplete', `policies of ${product.systemName} do not match yet: ${left.map((c) => `${c.action} ${c.target}`).join('; ')}`, { fix: `run \`maas-wizard retry ${id}\`` });
      const [production, staging] = await Promise.all([api.latestConfig(product.serviceId, 'production'), api.latestConfig(product.serviceId, 'sandbox')]);
      const wanted = chainOf(ctx, product).map((p) => p.name);
      const read = ((production?.content as { proxy?: { policy_chain?: PolicyConfig[] } } | undefined)?.proxy?.policy_chain ?? []).map((p) => p.name);
      if (JSON.stringify(read) !== JSON.stringify(wanted)) {
        throw new UserError('policies.chain-order', `the production policy chain of ${product.systemName} is ${read.join(' → ') || 'empty'}, expected ${wanted.join(' → ')}`, { fix: `run \`maas-wizard retry ${id}\` (it rewrites the chain, deploys and promotes)` });
      }
      if (!production || production.version !== staging?.version) {
        throw new UserError('policies.not-promoted', `production runs configuration v${production?.version ?? 0} of ${product.systemName}, staging v${staging?.version ?? 0}`, { fix: `run \`maas-wizard retry ${id}\`` });
      }
      return { served: true, chain: read, limits: await readLimits(api, product.applicationPlanId, await hitsId(api, product)), productionVersion: production.version };
    },
    async diagnose(_ctx, error) {
      const known = diagnoseThreescale(error);
      if (known) return known;
      const user = userErrorOf(error);
      if (user?.code === 'policies.chain-order') {
        return { summary: `${user.message}: with cors after apicast, browser preflights (OPTIONS without a key) get 403 (C11)`, fix: user.fix ?? `run \`maas-wizard retry ${id}\`` };
      }
      return undefined;
    },
    explain: {
      what: `Writes the policy chain of ${model.id}'s product (cors, remove-bearer when chosen, upstream_connection, apicast), sets the rate limit and quota of its application plan, deploys to staging and promotes to production.`,
      why: 'cors must run before apicast or browsers\' preflight requests are refused; LLM answers need a long upstream timeout; limits protect the GPUs; only promoted configuration reaches production.',
      commands: [
        'curl -s -X PUT "$ADMIN/admin/api/services/$SERVICE_ID/proxy/policies.json" -d access_token=$TOKEN --data-urlencode \'policies_config=[{"name":"cors","version":"builtin","configuration":{"allow_headers":["Authorization","Content-type","Accept"],"allow_origin":"*","allow_credentials":true},"enabled":true},{"name":"upstream_connection","version":"builtin","configuration":{"read_timeout":300},"enabled":true},{"name":"apicast","version":"builtin","configuration":{},"enabled":true}]\'',
        'curl -s -X POST "$ADMIN/admin/api/application_plans/$PLAN_ID/metrics/$HITS_ID/limits.json" -d access_token=$TOKEN -d period=minute -d value=60',
        'curl -s -X POST "$ADMIN/admin/api/services/$SERVICE_ID/proxy/deploy.json" -d access_token=$TOKEN',
        'curl -s -X POST "$ADMIN/admin/api/services/$SERVICE_ID/proxy/configs/sandbox/$VERSION/promote.json" -d access_token=$TOKEN -d to=production',
      ],
    },
  };
}

/** One `policies.<short>` step per catalog model (needs `threescale.product.<short>`). */
export function policiesSteps(models: CatalogEntry[]): AnyStep<Services>[] {
  return models.map((m) => createPoliciesStep(m));
}
