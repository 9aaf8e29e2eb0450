/**
 * Test helpers of the portal stage: a simulated cluster (instant timing) with the simulated
 * Keycloak and 3scale behind their Routes, services built from its kubeconfig, stand-in product
 * steps (`threescale.product.<short>`) that create a product through the 3scale client and hand
 * out the contract's ProductOutputs, and an engine runner with a scripted host.
 */
import { z } from 'zod';
import { createServices } from '../../../src/cluster/services.js';
import type { Services } from '../../../src/cluster/services.js';
import { connectThreescale } from '../../../src/cluster/threescale/connect.js';
import type { ThreescaleClient } from '../../../src/cluster/threescale/client.js';
import { ScriptedHost } from '../../../src/engine/host.js';
import { Engine } from '../../../src/engine/run.js';
import type { RunResult } from '../../../src/engine/run.js';
import type { AnyStep, Change, EngineEvent, Step } from '../../../src/engine/types.js';
import { startSimulation } from '../../../src/sim/index.js';
import type { RunningSimulation } from '../../../src/sim/index.js';
import { createKeycloak } from '../../../src/sim/keycloak/index.js';
import type { SimKeycloak } from '../../../src/sim/keycloak/index.js';
import { gatewayHosts } from '../../../src/sim/operators/zync.js';
import { createThreescale } from '../../../src/sim/threescale/index.js';
import type { ThreescaleSim } from '../../../src/sim/threescale/index.js';
import type { CatalogEntry } from '../../../steps/import/catalog.js';
import { loadCatalog } from '../../../steps/import/catalog.js';
import { portalSteps } from '../../../steps/portal/index.js';
import type { PortalProductOutputs } from '../../../steps/portal/index.js';
import { preflightStep } from '../../../steps/preflight.js';
import { ssoSteps } from '../../../steps/sso/index.js';
import { apiManagerOf, threescaleSteps } from '../../../steps/threescale/index.js';
import type { ProductOutputs } from '../../../steps/threescale/product.js';

/** A running simulation with Keycloak and 3scale, plus services pointed at it. */
export interface PortalCluster {
  sim: RunningSimulation;
  services: Services;
  keycloak: SimKeycloak;
  threescale: ThreescaleSim;
  stop(): Promise<void>;
}

/** Starts the simulation (instant timing) with the simulated Keycloak and 3scale. */
export async function startPortalCluster(): Promise<PortalCluster> {
  const keycloak = createKeycloak();
  let threescale: ThreescaleSim | undefined;
  const sim = await startSimulation({
    timing: 'instant',
    backends: (env) => {
      threescale = createThreescale({ domain: env.domain, services: env.services });
      return { keycloak, threescale };
    },
  });
  const services = await createServices({ inlineKubeconfig: sim.kubeconfig(), env: { HOME: '/nonexistent', PATH: process.env['PATH'] ?? '' } });
  return {
    sim,
    services,
    keycloak,
    threescale: threescale as ThreescaleSim,
    async stop() {
      await services.close();
      await sim.stop();
    },
  };
}

/** Catalog entries by short name (templates/models/catalog.yaml). */
export function catalogModels(names: string[]): CatalogEntry[] {
  const catalog = loadCatalog();
  return names.map((n) => {
    const e = catalog.find((m) => m.name === n);
    if (!e) throw new Error(`no catalog entry ${n}`);
    return e;
  });
}

/** The product system name the stand-in gives a model. */
export function systemNameOf(entry: CatalogEntry): string {
  return entry.name.replace(/-/g, '_');
}

/**
 * A stand-in for `threescale.product.<short>`: creates the product (with a description) and a
 * published application plan `Standard` when absent, and returns ProductOutputs; `served: false`
 * returns `{ served: false, modelId }` and creates nothing.
 */
export function fakeProductStep(entry: CatalogEntry, served = true): AnyStep<Services> {
  const step: Step<Record<string, never>, PortalProductOutputs, Services> = {
    id: `threescale.product.${entry.name}`,
    stage: '3scale',
    title: `stand-in product for ${entry.name}`,
    needs: ['threescale.base'],
    inputs: z.object({}),
    fields: [],
    plan: async () => [],
    async apply(ctx) {
      if (!served) return;
      const am = apiManagerOf(ctx);
      const api = connectThreescale(ctx.services, { namespace: am.namespace, adminUrl: am.adminUrl });
      const systemName = systemNameOf(entry);
      const product = (await api.services.findBySystemName(systemName)) ?? (await api.services.create({ name: `${entry.id.split('/')[1] ?? entry.name}`, system_name: systemName, description: `${entry.kind === 'embedding' ? 'Embeddings' : 'Chat'} with ${entry.id}`, backend_version: '1' }));
      const plans = await api.applicationPlans(product.id).list();
      if (!plans.some((p) => p.name === 'Standard')) await api.applicationPlans(product.id).create({ name: 'Standard', state_event: 'publish' });
    },
    async verify(ctx) {
      if (!served) return { served: false, modelId: entry.id };
      const am = apiManagerOf(ctx);
      const api = connectThreescale(ctx.services, { namespace: am.namespace, adminUrl: am.adminUrl });
      const systemName = systemNameOf(entry);
      const product = await api.services.findBySystemName(systemName);
      const plan = product && (await api.applicationPlans(product.id).list()).find((p) => p.name === 'Standard');
      if (!product || !plan) throw new Error(`stand-in product ${systemName} missing`);
      const hosts = gatewayHosts(systemName, am.tenantName, am.domain);
      // Typed as the product step's own outputs, so the stand-in (and the portal's reading of it) follows that contract.
      const outputs: ProductOutputs = {
        served: true,
        modelId: entry.id,
        model: entry.name,
        servedModelName: entry.name,
        api: entry.api,
        serviceId: product.id,
        systemName,
        backendId: 0,
        applicationPlan: 'Standard',
        applicationPlanId: plan.id,
        productionUrl: `https://${hosts.production}`,
        stagingUrl: `https://${hosts.staging}`,
        bearerMode: 'authorization',
      };
      return outputs;
    },
    explain: { what: 'test stand-in', why: 'test stand-in', commands: [] },
  };
  return step;
}

/** Preflight, SSO, 3scale, stand-in products (`unserved` ones answer `served: false`) and the portal steps. */
export function steps(models: CatalogEntry[], unserved: string[] = []): AnyStep<Services>[] {
  return [preflightStep, ...ssoSteps(), ...threescaleSteps(), ...models.map((m) => fakeProductStep(m, !unserved.includes(m.name))), ...portalSteps(models)];
}

/** Runs the steps through the engine, unattended (`--yes`). */
export async function run(
  services: Services,
  stepList: AnyStep<Services>[],
  options: { answers?: Record<string, Record<string, unknown>>; only?: string[] } = {},
): Promise<{ result: RunResult; events: EngineEvent[] }> {
  const engine = new Engine<Services>({
    steps: stepList,
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

/** The plan a step emitted in a run. */
export function planOf(events: EngineEvent[], step: string): Change[] {
  const e = events.find((x): x is Extract<EngineEvent, { type: 'plan' }> => x.type === 'plan' && x.step === step);
  if (!e) throw new Error(`no plan event for ${step}`);
  return e.changes;
}

/** Final state of a step with its error, for readable failures. */
export function stateOf(events: EngineEvent[], step: string): { state?: string; error?: string } {
  const last = events.filter((x): x is Extract<EngineEvent, { type: 'state' }> => x.type === 'state' && x.step === step).pop();
  return { ...(last ? { state: last.state } : {}), ...(last?.error ? { error: `${last.error.code}: ${last.error.message}` } : {}) };
}

/** Requests to 3scale that change something, from `since` on (index in the request log). */
export function threescaleWrites(sim: RunningSimulation, since = 0): string[] {
  return sim.requestLog
    .entries()
    .slice(since)
    .filter((e) => e.service === '3scale' && e.method !== 'GET' && e.method !== 'HEAD')
    .map((e) => `${e.method} ${e.path}`);
}

/** A 3scale client on the simulated tenant (token from `system-seed`). */
export function adminClient(c: PortalCluster): ThreescaleClient {
  return connectThreescale(c.services, { namespace: '3scale', adminUrl: `https://maas-admin.${c.sim.domain}` });
}

/** GET on the developer portal through the wizard's HTTP layer. */
export async function portalGet(c: PortalCluster, path: string, cookie?: string): Promise<{ status: number; text: string }> {
  const res = await c.services.http.fetch(`https://maas.${c.sim.domain}${path}`, cookie ? { headers: { cookie } } : {});
  return { status: res.status, text: await res.text() };
}
