/**
 * `threescale.product.<short>` and `policies.<short>` against the simulated cluster, proven through
 * the simulated APIcast production gateway: a key in `Authorization: Bearer` passes, no key 403,
 * an unmapped path 404, a CORS preflight 2xx, a burst over the rate limit 429; the tenant holds
 * what the guide's clicks make; a second run writes nothing; a changed input changes exactly that.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ProductOutputs } from '../../../steps/threescale/product.js';
import type { PoliciesOutputs } from '../../../steps/policies/index.js';
import { adminClient, adminWrites, catalogModel, developerKey, gateway, outputsOf, planOf, runAll, startCluster, stateOf } from './helpers.js';
import type { ThreescaleCluster } from './helpers.js';

let cluster: ThreescaleCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

const MISTRAL = catalogModel('mistral-7b-instruct');
const PRODUCT = 'threescale.product.mistral-7b-instruct';
const POLICIES = 'policies.mistral-7b-instruct';

type Served = Extract<ProductOutputs, { served: true }>;

describe('threescale.product + policies (authorization mode)', () => {
  it('publishes the model through the production gateway with keys, mapping rules, CORS and a rate limit', async () => {
    cluster = await startCluster([MISTRAL]);
    const api = adminClient(cluster);
    // A developer account that exists before the product: it must end up subscribed.
    await runAll(cluster.services, [{ model: MISTRAL }], { only: ['threescale.base'] });
    const early = await api.signup({ org_name: 'Early', username: 'early', email: 'early@example.com', password: 'not-a-secret-1' });

    const { events } = await runAll(cluster.services, [{ model: MISTRAL }], { answers: { [POLICIES]: { rateLimitPerMinute: 3 } } });
    expect(stateOf(events, PRODUCT)).toEqual({ state: 'done' });
    expect(stateOf(events, POLICIES)).toEqual({ state: 'done' });
    const product = outputsOf(events, PRODUCT) as Served;
    expect(product).toMatchObject({ served: true, model: 'mistral-7b-instruct', systemName: 'mistral_7b_instruct', applicationPlan: 'Standard', bearerMode: 'authorization', api: 'chat' });
    expect(product.productionUrl).toBe(`https://mistral-7b-instruct-maas-apicast-production.${cluster.sim.domain}`);
    const policies = outputsOf(events, POLICIES) as Extract<PoliciesOutputs, { served: true }>;
    expect(policies.chain).toEqual(['cors', 'upstream_connection', 'apicast']);
    expect(policies.limits).toEqual([{ period: 'minute', value: 3 }]);

    // What the tenant holds.
    const rules = await api.mappingRules(product.serviceId).list();
    expect(rules.some((r) => r.pattern === '/' && r.http_method === 'GET')).toBe(false);
    expect(rules.map((r) => `${r.http_method} ${r.pattern}`).sort()).toEqual(['GET /v1/models$', 'POST /v1/chat/completions$']);
    const plan = (await api.applicationPlans(product.serviceId).list()).find((p) => p.id === product.applicationPlanId);
    expect(plan).toMatchObject({ name: 'Standard', state: 'published', default: false });
    const servicePlans = await api.servicePlans(product.serviceId).list();
    expect(servicePlans.find((p) => p.default)?.name).toBe('Default');
    const doc = (await api.activeDocs.list()).find((d) => d.service_id === product.serviceId);
    expect(doc?.published).toBe(true);
    expect((JSON.parse(String(doc?.body)) as { servers: { url: string }[] }).servers).toEqual([{ url: product.productionUrl }]);
    expect((await api.serviceContracts(early.id).list()).some((c) => c.service_id === product.serviceId)).toBe(true);
    expect(await api.applications(early.id).list()).toEqual([]);
    const proxy = await api.proxy(product.serviceId);
    expect(proxy.credentials_location).toBe('authorization');
    expect((await api.backends.get(product.backendId))?.private_endpoint).toBe(`http://mistral-7b-instruct-predictor.llm-hosting.svc.cluster.local`);

    // Through the production gateway.
    const { key } = await developerKey(api, product.applicationPlanId);
    const url = product.productionUrl;
    const models = await gateway(cluster, `${url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
    expect(models.status).toBe(200);
    expect(models.text).toContain('mistral-7b-instruct');
    expect((await gateway(cluster, `${url}/v1/models`)).status).toBe(403);
    expect((await gateway(cluster, `${url}/health`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(404);
    expect((await gateway(cluster, `${url}/v1/models`, { headers: { authorization: 'Bearer not-a-key' } })).status).toBe(403);
    const preflight = await gateway(cluster, `${url}/v1/chat/completions`, { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' } });
    expect(preflight.status).toBeGreaterThanOrEqual(200);
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    const chat = await gateway(cluster, `${url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'mistral-7b-instruct', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 }) });
    expect(chat.status).toBe(200);
    // 2 hits so far; the third passes, the fourth is over 3 per minute.
    expect((await gateway(cluster, `${url}/v1/models`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    expect((await gateway(cluster, `${url}/v1/models`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(429);
  });

  it('writes nothing on a second run; a changed rate limit changes exactly that limit', async () => {
    cluster = await startCluster([MISTRAL]);
    const first = await runAll(cluster.services, [{ model: MISTRAL }]);
    expect(stateOf(first.events, POLICIES)).toEqual({ state: 'done' });
    const product = outputsOf(first.events, PRODUCT) as Served;
    const before = adminWrites(cluster).length;

    const second = await runAll(cluster.services, [{ model: MISTRAL }]);
    expect(stateOf(second.events, POLICIES)).toEqual({ state: 'done' });
    expect(planOf(second.events, PRODUCT).filter((c) => c.action !== 'none')).toEqual([]);
    expect(planOf(second.events, POLICIES).filter((c) => c.action !== 'none')).toEqual([]);
    expect(adminWrites(cluster).slice(before)).toEqual([]);

    const mark = adminWrites(cluster).length;
    const third = await runAll(cluster.services, [{ model: MISTRAL }], { answers: { [POLICIES]: { rateLimitPerMinute: 100 } } });
    expect(stateOf(third.events, POLICIES)).toEqual({ state: 'done' });
    const writes = adminWrites(cluster).slice(mark);
    expect(writes).toHaveLength(1);
    expect(writes[0]?.method).toBe('PUT');
    expect(writes[0]?.path).toMatch(new RegExp(`^/admin/api/application_plans/${product.applicationPlanId}/metrics/\\d+/limits/\\d+\\.json$`));
    expect((outputsOf(third.events, POLICIES) as { limits: unknown }).limits).toEqual([{ period: 'minute', value: 100 }]);
  });

  it('converges without duplicates after a run that stopped between backend and product', async () => {
    cluster = await startCluster([MISTRAL]);
    await runAll(cluster.services, [{ model: MISTRAL }], { only: ['threescale.base'] });
    const api = adminClient(cluster);
    // What the interrupted run left: the backend (with an older endpoint), no product.
    await api.backends.create({ name: 'left over', system_name: 'mistral_7b_instruct', private_endpoint: 'http://old-predictor.llm-hosting.svc.cluster.local' });
    const { events } = await runAll(cluster.services, [{ model: MISTRAL }]);
    expect(stateOf(events, POLICIES)).toEqual({ state: 'done' });
    expect(planOf(events, PRODUCT).find((c) => c.target === 'backend mistral_7b_instruct')?.action).toBe('update');
    const backends = (await api.backends.list()).filter((b) => b.system_name === 'mistral_7b_instruct');
    expect(backends).toHaveLength(1);
    expect(backends[0]?.private_endpoint).toBe('http://mistral-7b-instruct-predictor.llm-hosting.svc.cluster.local');
    expect((await api.services.list()).filter((s) => s.system_name === 'mistral_7b_instruct')).toHaveLength(1);
    const product = outputsOf(events, PRODUCT) as Served;
    expect((await api.backendUsages(product.serviceId).list()).map((u) => u.backend_id)).toEqual([backends[0]?.id]);
  });

  it('skips a model that is not served: no product, no policies, no writes', async () => {
    cluster = await startCluster([]);
    const embed = catalogModel('nomic-embed-text');
    await runAll(cluster.services, [{ model: embed, served: false }], { only: ['threescale.base'] });
    const before = adminWrites(cluster).length;
    const { events } = await runAll(cluster.services, [{ model: embed, served: false }]);
    expect(outputsOf(events, 'threescale.product.nomic-embed-text')).toEqual({ served: false, modelId: embed.id });
    expect(outputsOf(events, 'policies.nomic-embed-text')).toEqual({ served: false });
    expect(adminWrites(cluster).slice(before)).toEqual([]);
  });

  it('refuses a specFile that is not OpenAPI, naming the file', async () => {
    cluster = await startCluster([MISTRAL]);
    const { events } = await runAll(cluster.services, [{ model: MISTRAL }], { answers: { [PRODUCT]: { specFile: 'package.json' } } });
    const s = stateOf(events, PRODUCT);
    expect(s.state).toBe('failed');
    // Refused at input validation (before any 3scale write), naming the field and the file.
    expect(s.error).toMatch(/^input\.invalid: threescale\.product\.mistral-7b-instruct\.specFile: .*package\.json/);
    expect((await adminClient(cluster).services.list()).some((x) => x.system_name === 'mistral_7b_instruct')).toBe(false);
  });
});
