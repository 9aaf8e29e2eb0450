/**
 * Test helpers of the per-model 3scale steps (products, policies): the simulated cluster with the
 * simulated 3scale (instant timing), a simulated model server registered as the predictor Service
 * of a model, and a stand-in `serving.<short>` step that reports that model served (the import and
 * serving stages are tested elsewhere; running them here would only cost time).
 */
import { z } from 'zod';
import { connectThreescale } from '../../../src/cluster/threescale/connect.js';
import type { ThreescaleClient } from '../../../src/cluster/threescale/client.js';
import type { Services } from '../../../src/cluster/services.js';
import { ScriptedHost } from '../../../src/engine/host.js';
import { Engine } from '../../../src/engine/run.js';
import type { RunResult } from '../../../src/engine/run.js';
import type { AnyStep, EngineEvent } from '../../../src/engine/types.js';
import { createModelServer } from '../../../src/sim/models/index.js';
import { loadCatalog } from '../../../steps/import/catalog.js';
import type { CatalogEntry } from '../../../steps/import/catalog.js';
import { policiesSteps } from '../../../steps/policies/index.js';
import { preflightStep } from '../../../steps/preflight.js';
import type { ServingOutputs } from '../../../steps/serving/step.js';
import { threescaleSteps } from '../../../steps/threescale/index.js';
import { productSteps } from '../../../steps/threescale/product.js';
import { startThreescaleCluster } from '../threescale/helpers.js';
import type { ThreescaleCluster } from '../threescale/helpers.js';

export { outputsOf, planOf, stateOf } from '../threescale/helpers.js';
export type { ThreescaleCluster } from '../threescale/helpers.js';

/** Namespace of the models (STAGES.md §1). */
export const MODELS_NS = 'llm-hosting';

/** A catalog model by short name. */
export function catalogModel(name: string): CatalogEntry {
  const m = loadCatalog().find((e) => e.name === name);
  if (!m) throw new Error(`no catalog model ${name}`);
  return m;
}

/** In-cluster URL of a model's predictor (what KServe reports in `status.address.url`). */
export function predictorUrl(model: CatalogEntry): string {
  return `http://${model.name}-predictor.${MODELS_NS}.svc.cluster.local`;
}

/** Starts the cluster and serves `models` with the simulated model server behind their predictor Services. */
export async function startCluster(models: CatalogEntry[]): Promise<ThreescaleCluster> {
  const cluster = await startThreescaleCluster();
  for (const m of models) {
    cluster.sim.services.set(MODELS_NS, `${m.name}-predictor`, createModelServer({ servedModelName: m.name, kind: m.kind === 'embedding' ? 'embedding' : 'chat' }));
  }
  return cluster;
}

/** A stand-in `serving.<short>` step: the model served at its predictor URL, or (served false) not imported. */
export function fakeServingStep(model: CatalogEntry, served = true): AnyStep<Services> {
  const outputs: ServingOutputs = served
    ? { served: true, modelId: model.id, name: model.name, namespace: MODELS_NS, url: predictorUrl(model), servedModelName: model.name, runtime: 'vllm-cuda-runtime', kind: model.kind }
    : { served: false, modelId: model.id };
  return {
    id: `serving.${model.name}`,
    stage: 'serving',
    title: `Serve ${model.id} (test stand-in)`,
    needs: ['preflight'],
    inputs: z.object({}),
    fields: [],
    plan: () => Promise.resolve([]),
    apply: () => Promise.resolve(),
    verify: () => Promise.resolve(outputs),
    explain: { what: 'test stand-in', why: 'test', commands: [] },
  };
}

/** Runs preflight, the 3scale steps, the stand-in serving steps and the product and policies steps. */
export async function runAll(
  services: Services,
  models: { model: CatalogEntry; served?: boolean }[],
  options: { answers?: Record<string, Record<string, unknown>>; only?: string[] } = {},
): Promise<{ result: RunResult; events: EngineEvent[] }> {
  const catalog = models.map((m) => m.model);
  const steps: AnyStep<Services>[] = [preflightStep, ...threescaleSteps(), ...models.map((m) => fakeServingStep(m.model, m.served ?? true)), ...productSteps(catalog), ...policiesSteps(catalog)];
  const engine = new Engine<Services>({
    steps,
    services,
    host: new ScriptedHost({}, { interactive: false }),
    answers: options.answers ?? {},
    ...(options.only ? { only: options.only } : {}),
    yes: true,
    env: {},
  });
  const events: EngineEvent[] = [];
  engine.on((e) => events.push(e));
  const result = await engine.run();
  return { result, events };
}

/** A 3scale client on the simulated tenant (as the steps build it). */
export function adminClient(cluster: ThreescaleCluster): ThreescaleClient {
  return connectThreescale(cluster.services, { namespace: '3scale', adminUrl: `https://maas-admin.${cluster.sim.domain}` });
}

/** Non-GET requests the simulated 3scale admin API received so far (gateway traffic left out: its hosts carry `apicast`). */
export function adminWrites(cluster: ThreescaleCluster): { method: string; path: string }[] {
  return cluster.sim.requestLog.entries().filter((e) => e.service === '3scale' && e.method !== 'GET' && e.path.startsWith('/admin/')).map((e) => ({ method: e.method, path: e.path.replace(/\?.*$/, '') }));
}

/**
 * A developer account with an application on the product's application plan; returns its key
 * (the user_key) and the account id.
 */
export async function developerKey(api: ThreescaleClient, planId: number, org = 'Acme'): Promise<{ key: string; accountId: number }> {
  const existing = (await api.accounts.list()).find((a) => a.org_name === org);
  const account = existing ?? (await api.signup({ org_name: org, username: org.toLowerCase(), email: `${org.toLowerCase()}@example.com`, password: 'not-a-secret-1' }));
  const app = await api.applications(account.id).create({ plan_id: planId, name: `${org} app` });
  if (!app.user_key) throw new Error('application without user_key');
  return { key: app.user_key, accountId: account.id };
}

/** Sends a request to a gateway URL through the wizard's HTTP layer (demo routing); returns status, headers and text. */
export async function gateway(cluster: ThreescaleCluster, url: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await cluster.services.http.fetch(url, init);
  return { status: res.status, headers: res.headers, text: await res.text() };
}
