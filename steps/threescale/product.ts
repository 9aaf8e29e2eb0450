/**
 * Steps `threescale.product.<short>` (STAGES.md §7 "Per model"), one per catalog model: the model's
 * backend and product with credentials settings, methods and mapping rules from its OpenAPI
 * definition, ActiveDocs, application plan, default service plan and the subscription of existing
 * developer accounts. Nothing is deployed here: the policies stage (§8) writes the policy chain and
 * then deploys and promotes once (C16). Read then write: a second run writes nothing.
 */
import { z } from 'zod';
import { connectThreescale } from '../../src/cluster/threescale/connect.js';
import type { ThreescaleClient } from '../../src/cluster/threescale/client.js';
import type { Services } from '../../src/cluster/services.js';
import { UserError, userErrorOf } from '../../src/engine/errors.js';
import type { AnyStep, Change, DefaultsContext, Step, StepContext } from '../../src/engine/types.js';
import type { CatalogEntry } from '../import/catalog.js';
import type { ServingOutputs } from '../serving/step.js';
import { loadApiDefinition, parseSpecFile } from './openapi.js';
import type { ParsedSpec } from './openapi.js';
import { Reconcile, diagnoseThreescale } from './product-changes.js';
import { gatewayHosts, probeRoute, waitForGatewayRoute } from './product-gateway.js';
import { syncActiveDocs, syncApplicationPlan, syncServicePlan, syncSubscriptions } from './product-portal.js';
import { syncProduct } from './product-sync.js';
import type { BearerMode } from './product-bearer.js';
import { apiManagerOf } from './shared.js';

export type { BearerMode } from './product-bearer.js';

/** Outputs of `threescale.product.<short>` (contract: /work/notes/contracts-s2.md). No secret. */
export type ProductOutputs =
  | { served: false; modelId: string }
  | {
      served: true;
      modelId: string;
      /** Catalog short name. */
      model: string;
      /** The `model` value clients send. */
      servedModelName: string;
      api: 'chat' | 'completions' | 'embeddings';
      serviceId: number;
      systemName: string;
      backendId: number;
      /** Name of the application plan developers pick, e.g. `Standard`. */
      applicationPlan: string;
      applicationPlanId: number;
      /** `https://<system-name>-<tenant>-apicast-production.<domain>` (from the proxy's endpoint and its Route). */
      productionUrl: string;
      stagingUrl: string;
      bearerMode: BearerMode;
    };

/**
 * The default system name of a model's product: its short name with `-` → `_` (3scale's own
 * convention, e.g. `hits`, `api`). zync turns `_` back into `-` in the gateway host, so
 * `mistral_7b_instruct` is served at `mistral-7b-instruct-<tenant>-apicast-production.<domain>`.
 */
export function defaultSystemName(shortName: string): string {
  return shortName.replace(/-/g, '_');
}

/**
 * Refuses a `specFile` that cannot be read or is not an OpenAPI 3.x / Swagger 2.0 definition, with
 * parseSpecFile's own message (openapi-parse.ts): found when the input is given (answers file,
 * form), not when the step reaches its plan after every earlier step ran. Empty: the built-in one.
 */
function checkSpecFile(file: string, ctx: z.RefinementCtx): void {
  if (file === '') return;
  try {
    parseSpecFile(file);
  } catch (err) {
    const user = userErrorOf(err);
    if (!user) throw err;
    ctx.addIssue({ code: 'custom', message: `${user.message}${user.fix ? ` (${user.fix})` : ''}` });
  }
}

/** Inputs of one product step. `specFile` empty: the built-in definition of the catalog `api`. */
export function productInputs(model: CatalogEntry) {
  return z.object({
    systemName: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,59}$/, 'lower-case letters, digits, `_` and `-`, at most 60 characters').default(defaultSystemName(model.name)),
    applicationPlan: z.string().trim().min(1).max(80).default('Standard'),
    specFile: z.string().superRefine(checkSpecFile).default(''),
  });
}
type Inputs = z.infer<ReturnType<typeof productInputs>>;
type Ctx = StepContext<Inputs, Services>;

/** Bearer mode chosen in `threescale.apimanager` (default `authorization` when it does not say). */
export function bearerModeOf(ctx: DefaultsContext): BearerMode {
  const mode = ctx.outputs('threescale.apimanager')?.['bearerMode'];
  return mode === 'remove-bearer' ? 'remove-bearer' : 'authorization';
}

function servingOf(ctx: Ctx, model: CatalogEntry): ServingOutputs {
  const out = ctx.outputs(`serving.${model.name}`) as ServingOutputs | undefined;
  if (!out) throw new UserError('3scale.serving-unknown', `the serving step serving.${model.name} has not finished`, { fix: `run \`maas-wizard retry serving.${model.name}\` first` });
  return out;
}

function specOf(ctx: Ctx, model: CatalogEntry): ParsedSpec {
  return ctx.inputs.specFile ? parseSpecFile(ctx.inputs.specFile) : loadApiDefinition(model.api, model.runtime);
}

function client(ctx: Ctx): ThreescaleClient {
  const am = apiManagerOf(ctx);
  return connectThreescale(ctx.services, { namespace: am.namespace, adminUrl: am.adminUrl }, { signal: ctx.signal });
}

/** Runs the reconcile in plan (`write` false) or apply mode; see product-changes.ts. */
async function reconcile(ctx: Ctx, model: CatalogEntry, write: boolean) {
  const serving = servingOf(ctx, model);
  if (!serving.served) return { skipped: true as const, modelId: serving.modelId };
  const api = client(ctx);
  const r = new Reconcile(write);
  const spec = specOf(ctx, model);
  const bearerMode = bearerModeOf(ctx);
  const state = await syncProduct(api, r, { model: model.name, modelId: model.id, systemName: ctx.inputs.systemName, privateEndpoint: serving.url, bearerMode, spec });
  const hosts = state.service ? gatewayHosts(await api.proxy(state.service.id), ctx.inputs.systemName) : undefined;
  const productionUrl = hosts ? `https://${hosts.production}` : undefined;
  await syncActiveDocs(api, r, state.service, ctx.inputs.systemName, spec, productionUrl);
  const plan = await syncApplicationPlan(api, r, state.service, ctx.inputs.applicationPlan);
  await syncServicePlan(api, r, state.service);
  await syncSubscriptions(api, r, state.service, plan);
  return { skipped: false as const, r, state, plan, hosts, serving, bearerMode };
}

/** A `threescale.product.<short>` step for one catalog model. */
export function createProductStep(model: CatalogEntry): Step<Inputs, ProductOutputs, Services> {
  const id = `threescale.product.${model.name}`;
  return {
    id,
    stage: '3scale',
    title: `3scale product for ${model.id}`,
    needs: [`serving.${model.name}`, 'threescale.base'],
    inputs: productInputs(model),
    fields: [
      { key: 'systemName', label: 'System name of the product', kind: 'text', help: 'Names the product, its backend and its gateway host (`_` becomes `-`). It cannot be changed later: a new name makes a new product.' },
      { key: 'applicationPlan', label: 'Application plan', kind: 'text', help: 'The plan developers pick when they create an application; published, not the default. Limits are set in the policies stage.' },
      { key: 'specFile', label: 'Your own OpenAPI file (empty: built-in)', kind: 'text', help: `Path of an OpenAPI 3.x file (JSON or YAML) for this model; empty uses the built-in ${model.api} definition.` },
    ],
    async plan(ctx) {
      const out = await reconcile(ctx, model, false);
      if (out.skipped) return [{ action: 'none', target: `3scale product for ${model.id}`, note: 'the model is not served: nothing to publish' }];
      return out.r.changes;
    },
    async apply(ctx) {
      const out = await reconcile(ctx, model, true);
      if (out.skipped || !out.hosts) return;
      const ns = apiManagerOf(ctx).namespace;
      await waitForGatewayRoute(ctx.services.kube, ctx.waitFor, ns, out.hosts.production);
    },
    async verify(ctx) {
      const out = await reconcile(ctx, model, false);
      if (out.skipped) return { served: false, modelId: out.modelId };
      const left: Change[] = out.r.writes();
      if (left.length > 0 || !out.state.service || !out.state.backend || !out.plan || !out.hosts) {
        throw new UserError('3scale.product-incomplete', `product ${ctx.inputs.systemName} does not match yet: ${left.map((c) => `${c.action} ${c.target}`).join('; ') || 'product, backend or plan missing'}`, { fix: `run \`maas-wizard retry ${id}\`` });
      }
      const ns = apiManagerOf(ctx).namespace;
      const route = await probeRoute(ctx.services.kube, ns, out.hosts.production);
      if (route.state !== 'done') throw new UserError('3scale.gateway-route-missing', `no Route with host ${out.hosts.production} in ${ns}`, { fix: 'zync creates it from the product; check the zync-que Deployment\'s log in the 3scale namespace' });
      return {
        served: true,
        modelId: model.id,
        model: model.name,
        servedModelName: out.serving.servedModelName,
        api: model.api,
        serviceId: out.state.service.id,
        systemName: ctx.inputs.systemName,
        backendId: out.state.backend.id,
        applicationPlan: out.plan.name,
        applicationPlanId: out.plan.id,
        productionUrl: route.value,
        stagingUrl: `https://${out.hosts.staging}`,
        bearerMode: out.bearerMode,
      };
    },
    async diagnose(_ctx, error) {
      const known = diagnoseThreescale(error);
      if (known) return known;
      const user = userErrorOf(error);
      if (user?.code === 'wait.timeout') return { summary: `zync did not create the gateway Route of product ${_ctx.inputs.systemName}`, fix: 'check the zync and zync-que Deployments in the 3scale namespace (`oc logs deploy/zync-que -n 3scale`), then retry' };
      return undefined;
    },
    explain: {
      what: `Publishes ${model.id} through 3scale: a backend pointing at the model server, a product with API key authentication, methods and mapping rules from the OpenAPI definition (the default "GET /" rule removed), ActiveDocs, an application plan, and subscriptions for the developer accounts that already exist.`,
      why: 'Developers reach the model only through the 3scale gateway with a key; the mapping rules decide which paths are allowed and counted.',
      commands: [
        'curl -s -X POST "$ADMIN/admin/api/backend_apis.json" -d access_token=$TOKEN -d name=model -d system_name=model -d private_endpoint=http://model-predictor.llm-hosting.svc.cluster.local',
        'curl -s -X POST "$ADMIN/admin/api/services.json" -d access_token=$TOKEN -d name=model -d system_name=model -d backend_version=1',
        'curl -s -X POST "$ADMIN/admin/api/services/$SERVICE_ID/backend_usages.json" -d access_token=$TOKEN -d backend_api_id=$BACKEND_ID -d path=/',
        'curl -s -X PATCH "$ADMIN/admin/api/services/$SERVICE_ID/proxy.json" -d access_token=$TOKEN -d credentials_location=authorization',
        'curl -s -X POST "$ADMIN/admin/api/services/$SERVICE_ID/proxy/mapping_rules.json" -d access_token=$TOKEN -d http_method=POST -d pattern=\'/v1/chat/completions$\' -d delta=1 -d metric_id=$METHOD_ID',
        'curl -s -X POST "$ADMIN/admin/api/services/$SERVICE_ID/application_plans.json" -d access_token=$TOKEN -d name=Standard -d state_event=publish',
      ],
    },
  };
}

/** One `threescale.product.<short>` step per catalog model (needs `serving.<short>` and `threescale.base`). */
export function productSteps(models: CatalogEntry[]): AnyStep<Services>[] {
  return models.map((m) => createProductStep(m));
}
