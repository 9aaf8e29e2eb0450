/**
 * Fixture of the end-to-end check: a simulated cluster (instant timing) with the simulated
 * Keycloak and 3scale; the real preflight, SSO and 3scale install steps run through the engine;
 * then one product for `mistral-7b-instruct` is set up through the 3scale client the way the
 * product and policies steps do it (backend, product, backend usage, proxy, methods, mapping
 * rules, application plan with a per-minute limit, policy chain, deploy + promote), the portal's
 * SSO integration is published, and a model server answers behind the backend. The outputs of
 * `threescale.product.*`, `policies.*`, `portal.settings` and `portal.content` are written here
 * following the session contracts.
 */
import { z } from 'zod';
import { createServices } from '../../../src/cluster/services.js';
import type { Services } from '../../../src/cluster/services.js';
import { readClientSecret } from '../../../src/cluster/keycloak.js';
import { connectThreescale } from '../../../src/cluster/threescale/connect.js';
import type { ThreescaleClient } from '../../../src/cluster/threescale/client.js';
import type { PolicyConfig } from '../../../src/cluster/threescale/types.js';
import { ScriptedHost } from '../../../src/engine/host.js';
import { Engine } from '../../../src/engine/run.js';
import type { RunResult } from '../../../src/engine/run.js';
import type { AnyStep, EngineEvent } from '../../../src/engine/types.js';
import { startSimulation } from '../../../src/sim/index.js';
import type { RunningSimulation } from '../../../src/sim/index.js';
import { createKeycloak } from '../../../src/sim/keycloak/index.js';
import type { SimKeycloak } from '../../../src/sim/keycloak/index.js';
import { createModelServer } from '../../../src/sim/models/index.js';
import { createThreescale } from '../../../src/sim/threescale/index.js';
import type { ThreescaleSim } from '../../../src/sim/threescale/index.js';
import { loadCatalog } from '../../../steps/import/catalog.js';
import type { CatalogEntry } from '../../../steps/import/catalog.js';
import { preflightStep } from '../../../steps/preflight.js';
import { ssoSteps } from '../../../steps/sso/index.js';
import type { SsoKeycloakOutputs } from '../../../steps/sso/shared.js';
import { threescaleSteps } from '../../../steps/threescale/index.js';
import type { ThreescaleApiManagerOutputs } from '../../../steps/threescale/shared.js';
import { verifyStep } from '../../../steps/verify/index.js';

/** The model of the fixture. */
export const MODEL = 'mistral-7b-instruct';
/** Per-minute limit of the fixture's application plan (hits). */
export const LIMIT = 5;

/** The policy chain the policies step writes (STAGES.md §8), `authorization` Bearer mode. */
export const CHAIN: PolicyConfig[] = [
  { name: 'cors', version: 'builtin', configuration: { allow_headers: ['Authorization', 'Content-type', 'Accept'], allow_origin: '*', allow_credentials: true }, enabled: true },
  { name: 'upstream_connection', version: 'builtin', configuration: { read_timeout: 300 }, enabled: true },
  { name: 'apicast', version: 'builtin', configuration: {}, enabled: true },
];

/** A running fixture. */
export interface VerifyFixture {
  sim: RunningSimulation;
  services: Services;
  threescale: ThreescaleSim;
  keycloak: SimKeycloak;
  client: ThreescaleClient;
  /** Outputs of every step before `verify` (real ones and the contract-shaped ones written here). */
  outputs: Record<string, Record<string, unknown>>;
  serviceId: number;
  planId: number;
  hitsId: number;
  /** Deploys staging and promotes it to production (after a change to the product). */
  deployPromote(): Promise<void>;
  stop(): Promise<void>;
}

/** The catalog entry of the fixture's model. */
export function models(): CatalogEntry[] {
  return loadCatalog().filter((m) => m.name === MODEL);
}

/** Runs `steps` through the engine, unattended; returns the result and every event. */
export async function runEngine(services: Services, steps: AnyStep<Services>[], answers: Record<string, Record<string, unknown>> = {}): Promise<{ result: RunResult; events: EngineEvent[] }> {
  const engine = new Engine<Services>({ steps, services, host: new ScriptedHost({}, { interactive: false }), answers, yes: true, env: {} });
  const events: EngineEvent[] = [];
  engine.on((e) => events.push(e));
  return { result: await engine.run(), events };
}

/** A step that is done at once with `outputs` (stands for a step recorded done earlier). */
export function doneStep(id: string, outputs: Record<string, unknown>): AnyStep<Services> {
  return { id, stage: 'verify', title: id, needs: [], inputs: z.object({}), fields: [], plan: async () => [], apply: async () => undefined, verify: async () => outputs, explain: { what: '', why: '', commands: [] } };
}

/** Runs the verify step after done-steps carrying `outputs`, with `inputs` as answers. */
export function runVerify(f: VerifyFixture, inputs: Record<string, unknown> = {}): Promise<{ result: RunResult; events: EngineEvent[] }> {
  const steps = [...Object.entries(f.outputs).map(([id, out]) => doneStep(id, out)), verifyStep(models())];
  return runEngine(f.services, steps, { verify: inputs });
}

/** Starts the fixture (about a second with instant timing). */
export async function startFixture(): Promise<VerifyFixture> {
  let threescale: ThreescaleSim | undefined;
  const keycloak = createKeycloak();
  const sim = await startSimulation({
    timing: 'instant',
    backends: (env) => {
      threescale = createThreescale({ domain: env.domain, services: env.services });
      return { threescale, keycloak };
    },
  });
  const services = await createServices({ inlineKubeconfig: sim.kubeconfig(), env: { HOME: '/nonexistent', PATH: process.env['PATH'] ?? '' } });
  const { result } = await runEngine(services, [preflightStep, ...ssoSteps(), ...threescaleSteps()]);
  if (result.result !== 'done') throw new Error(`fixture: install failed: ${JSON.stringify(result.firstError)}`);
  const outputs: Record<string, Record<string, unknown>> = { ...result.outputs };
  const am = outputs['threescale.apimanager'] as unknown as ThreescaleApiManagerOutputs;
  const kc = outputs['sso.keycloak'] as unknown as SsoKeycloakOutputs;
  const client = connectThreescale(services, { namespace: am.namespace, adminUrl: am.adminUrl }, { retry: { retries: 0 } });

  // The model server behind the backend (what serving.<short> makes ready).
  sim.services.set('llm-hosting', `${MODEL}-predictor`, createModelServer({ servedModelName: MODEL, kind: 'chat' }));
  const backend = await client.backends.create({ name: `${MODEL} backend`, system_name: MODEL, private_endpoint: `http://${MODEL}-predictor.llm-hosting.svc.cluster.local` });
  const service = await client.services.create({ name: MODEL, system_name: MODEL, backend_version: '1' });
  await client.backendUsages(service.id).create({ backend_api_id: backend.id, path: '/' });
  await client.updateProxy(service.id, { credentials_location: 'authorization' });
  const hits = (await client.metrics(service.id).list()).find((m) => m.system_name === 'hits');
  if (!hits) throw new Error('fixture: no metric hits');
  for (const rule of await client.mappingRules(service.id).list()) await client.mappingRules(service.id).delete(rule.id);
  const listModels = await client.methods(service.id, hits.id).create({ friendly_name: 'List models', system_name: 'list_models' });
  const chat = await client.methods(service.id, hits.id).create({ friendly_name: 'Chat completions', system_name: 'chat_completions' });
  await client.mappingRules(service.id).create({ http_method: 'GET', pattern: '/v1/models$', delta: 1, metric_id: listModels.id });
  await client.mappingRules(service.id).create({ http_method: 'POST', pattern: '/v1/chat/completions$', delta: 1, metric_id: chat.id });
  const plan = await client.applicationPlans(service.id).create({ name: 'Standard', system_name: 'standard', state_event: 'publish' });
  await client.limits(plan.id, hits.id).create({ period: 'minute', value: LIMIT });
  await client.updatePolicies(service.id, CHAIN);
  const deployPromote = async (): Promise<void> => {
    await client.deploy(service.id);
    const staging = await client.latestConfig(service.id, 'sandbox');
    if (staging) await client.promote(service.id, staging.version);
  };
  await deployPromote();

  // Portal: open (no access code), SSO integration published (what portal.settings does).
  const secret = await readClientSecret(services, { url: kc.url, credentialSecret: { namespace: kc.namespace, name: kc.credentialSecret }, realm: kc.realm, clientId: '3scale' });
  await client.updateProvider({ site_access_code: '' });
  const provider = await client.authProviders.create({ kind: 'keycloak', client_id: '3scale', client_secret: secret, site: kc.issuer, published: true, automatically_approve_accounts: true });

  const domain = am.domain;
  outputs[`serving.${MODEL}`] = { served: true };
  outputs[`threescale.product.${MODEL}`] = {
    served: true, modelId: 'mistralai/Mistral-7B-Instruct-v0.3', model: MODEL, servedModelName: MODEL, api: 'chat', serviceId: service.id, systemName: MODEL,
    backendId: backend.id, applicationPlan: 'Standard', applicationPlanId: plan.id,
    productionUrl: `https://${MODEL}-maas-apicast-production.${domain}`, stagingUrl: `https://${MODEL}-maas-apicast-staging.${domain}`, bearerMode: 'authorization',
  };
  outputs[`policies.${MODEL}`] = { served: true, chain: CHAIN.map((p) => p.name), limits: [{ period: 'minute', value: LIMIT }], productionVersion: 1 };
  outputs['portal.settings'] = { developerUrl: am.developerUrl, ssoIntegrationId: provider.id, realmUrl: kc.issuer, autoApprove: true };
  outputs['portal.content'] = { pages: ['/'] };

  return {
    sim, services, threescale: threescale as ThreescaleSim, keycloak, client, outputs,
    serviceId: service.id, planId: plan.id, hitsId: hits.id, deployPromote,
    async stop() {
      await services.close();
      await sim.stop();
    },
  };
}
