/**
 * The wizard's 3scale product flow through HTTP (STAGES.md §7–8): backend, product, backend usage,
 * proxy, methods, mapping rules (removing the default `GET /`), policies, plan, limits, ActiveDocs,
 * deploy, promote, and promote again → 422.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { start } from './helpers.js';
import type { Harness } from './helpers.js';

describe('product flow through the Account Management API', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await start();
  });
  afterEach(async () => h.close());

  it('holds the sample data of a fresh tenant', async () => {
    const services = (await h.api('GET', '/admin/api/services.json')).json();
    expect(services.services.map((s: { service: { id: number; name: string; system_name: string } }) => s.service)).toEqual([
      expect.objectContaining({ id: 2, name: 'API', system_name: 'api' }),
    ]);
    const backends = (await h.api('GET', '/admin/api/backend_apis.json')).json();
    expect(backends.backend_apis[0].backend_api).toMatchObject({ name: 'API Backend', system_name: 'api', private_endpoint: 'https://echo-api.3scale.net:443' });
    const usages = (await h.api('GET', '/admin/api/services/2/backend_usages.json')).json();
    expect(usages).toEqual([{ backend_usage: expect.objectContaining({ path: '/', service_id: 2 }) }]);
    const plans = (await h.api('GET', '/admin/api/services/2/application_plans.json')).json();
    expect(plans.plans.map((p: { application_plan: { name: string; default: boolean } }) => [p.application_plan.name, p.application_plan.default])).toEqual([
      ['Basic', true],
      ['Unlimited', false],
    ]);
    const servicePlans = (await h.api('GET', '/admin/api/services/2/service_plans.json')).json();
    expect(servicePlans.plans[0].service_plan).toMatchObject({ name: 'Default', default: true });
    const john = (await h.api('GET', '/admin/api/accounts/find.json', { username: 'john' })).json();
    expect(john.account.org_name).toBe('Developer');
    const apps = (await h.api('GET', `/admin/api/accounts/${john.account.id}/applications.json`)).json();
    expect(apps.applications).toHaveLength(1);
    const docs = (await h.api('GET', '/admin/api/active_docs.json')).json();
    expect(docs.api_docs[0].api_doc).toMatchObject({ name: 'Echo', service_id: 2 });
  });

  it('creates, configures, deploys and promotes a product', async () => {
    const backend = await h.api('POST', '/admin/api/backend_apis.json', { name: 'Mistral', system_name: 'mistral', private_endpoint: 'http://mistral-predictor.llm-hosting.svc.cluster.local' });
    expect(backend.status).toBe(201);
    const backendId = backend.json().backend_api.id;
    const product = await h.api('POST', '/admin/api/services.json', { name: 'Mistral 7B', system_name: 'mistral_7b', backend_version: '1' });
    expect(product.status).toBe(201);
    const serviceId = product.json().service.id;
    expect(serviceId).toBe(3);

    expect((await h.api('POST', `/admin/api/services/${serviceId}/backend_usages.json`, { backend_api_id: String(backendId), path: '/' })).status).toBe(201);
    const proxy = await h.api('PATCH', `/admin/api/services/${serviceId}/proxy.json`, { credentials_location: 'authorization', error_status_auth_missing: '401' });
    expect(proxy.json().proxy).toMatchObject({ credentials_location: 'authorization', error_status_auth_missing: 401, endpoint: 'https://mistral-7b-maas-apicast-production.apps.sim.test:443' });
    expect((await h.api('PATCH', `/admin/api/services/${serviceId}/proxy.json`, { credentials_location: 'cookie' })).status).toBe(422);

    const metrics = (await h.api('GET', `/admin/api/services/${serviceId}/metrics.json`)).json().metrics;
    const hits = metrics.find((m: { metric: { system_name: string } }) => m.metric.system_name === 'hits').metric;
    const method = await h.api('POST', `/admin/api/services/${serviceId}/metrics/${hits.id}/methods.json`, { friendly_name: 'Chat completions', system_name: 'chat_completions' });
    expect(method.status).toBe(201);
    expect(method.json().method.parent_id).toBe(hits.id);

    const rules = (await h.api('GET', `/admin/api/services/${serviceId}/proxy/mapping_rules.json`)).json().mapping_rules;
    expect(rules).toHaveLength(1);
    expect(rules[0].mapping_rule).toMatchObject({ http_method: 'GET', pattern: '/', delta: 1, metric_id: hits.id });
    expect((await h.api('DELETE', `/admin/api/services/${serviceId}/proxy/mapping_rules/${rules[0].mapping_rule.id}.json`)).status).toBe(200);
    const rule = await h.api('POST', `/admin/api/services/${serviceId}/proxy/mapping_rules.json`, { http_method: 'POST', pattern: '/v1/chat/completions$', delta: '1', metric_id: String(method.json().method.id) });
    expect(rule.status).toBe(201);
    expect((await h.api('POST', `/admin/api/services/${serviceId}/proxy/mapping_rules.json`, { http_method: 'GET', pattern: 'v1', delta: '1', metric_id: String(hits.id) })).status).toBe(422);

    const chain = [
      { name: 'cors', version: 'builtin', configuration: { allow_headers: ['Authorization', 'Content-type', 'Accept'], allow_origin: '*', allow_credentials: true }, enabled: true },
      { name: 'upstream_connection', version: 'builtin', configuration: { read_timeout: 300 }, enabled: true },
      { name: 'apicast', version: 'builtin', configuration: {}, enabled: true },
    ];
    const put = await h.api('PUT', `/admin/api/services/${serviceId}/proxy/policies.json`, { policies_config: JSON.stringify(chain) });
    expect(put.status).toBe(200);
    expect((await h.api('GET', `/admin/api/services/${serviceId}/proxy/policies.json`)).json().policies_config).toEqual(chain);
    expect((await h.api('PUT', `/admin/api/services/${serviceId}/proxy/policies.json`, { policies_config: '[{' })).status).toBe(422);

    const plan = await h.api('POST', `/admin/api/services/${serviceId}/application_plans.json`, { name: 'Standard', system_name: 'standard', state_event: 'publish' });
    expect(plan.status).toBe(201);
    expect(plan.json().application_plan).toMatchObject({ state: 'published', default: false });
    const planId = plan.json().application_plan.id;
    const limit = await h.api('POST', `/admin/api/application_plans/${planId}/metrics/${hits.id}/limits.json`, { value: '100', period: 'minute' });
    expect(limit.status).toBe(201);
    expect((await h.api('POST', `/admin/api/application_plans/${planId}/metrics/${hits.id}/limits.json`, { value: '5', period: 'fortnight' })).status).toBe(422);
    expect((await h.api('GET', `/admin/api/application_plans/${planId}/limits.json`)).json().limits).toHaveLength(1);

    const doc = await h.api('POST', '/admin/api/active_docs.json', { name: 'Mistral 7B', system_name: 'mistral_7b', service_id: String(serviceId), published: 'true', body: JSON.stringify({ openapi: '3.0.3', info: { title: 'x', version: '1' }, paths: {} }) });
    expect(doc.status).toBe(201);
    expect((await h.api('POST', '/admin/api/active_docs.json', { name: 'Broken', body: 'not: [a spec' })).status).toBe(422);

    expect((await h.api('GET', `/admin/api/services/${serviceId}/proxy/configs/sandbox/latest.json`)).status).toBe(404);
    const deploy = await h.api('POST', `/admin/api/services/${serviceId}/proxy/deploy.json`);
    expect(deploy.status).toBe(201);
    const staging = (await h.api('GET', `/admin/api/services/${serviceId}/proxy/configs/sandbox/latest.json`)).json().proxy_config;
    expect(staging).toMatchObject({ version: 1, environment: 'sandbox' });
    expect(staging.content.proxy.policy_chain.map((p: { name: string }) => p.name)).toEqual(['cors', 'upstream_connection', 'apicast']);
    expect(staging.content.proxy.proxy_rules.map((r: { pattern: string }) => r.pattern)).toEqual(['/v1/chat/completions$']);
    expect(staging.content.backend_api_configs).toEqual([{ backend_api_id: backendId, path: '/', private_endpoint: 'http://mistral-predictor.llm-hosting.svc.cluster.local' }]);

    const promote = await h.api('POST', `/admin/api/services/${serviceId}/proxy/configs/sandbox/1/promote.json`, { to: 'production' });
    expect(promote.status).toBe(201);
    expect(promote.json().proxy_config).toMatchObject({ version: 1, environment: 'production' });
    const again = await h.api('POST', `/admin/api/services/${serviceId}/proxy/configs/sandbox/1/promote.json`, { to: 'production' });
    expect(again.status).toBe(422);
    expect(again.json()).toEqual({ errors: { version: ['has already been taken'] } });
    expect((await h.api('POST', `/admin/api/services/${serviceId}/proxy/configs/sandbox/9/promote.json`, { to: 'production' })).status).toBe(404);
    expect((await h.api('GET', `/admin/api/services/${serviceId}/proxy/configs/staging.json`)).status).toBe(400);

    await h.api('POST', `/admin/api/services/${serviceId}/proxy/deploy.json`);
    const list = (await h.api('GET', `/admin/api/services/${serviceId}/proxy/configs/sandbox.json`)).json().proxy_configs;
    expect(list.map((c: { proxy_config: { version: number } }) => c.proxy_config.version)).toEqual([1, 2]);
    expect((await h.api('GET', `/admin/api/services/${serviceId}/proxy/configs/production/latest.json`)).json().proxy_config.version).toBe(1);
  });

  it('notifies product changes for zync and answers XML on .xml paths', async () => {
    const seen: string[][] = [];
    const off = h.sim.onProductsChanged((products) => seen.push(products.map((p) => p.systemName)));
    expect(seen).toEqual([['api']]);
    const created = await h.api('POST', '/admin/api/services.xml', { name: 'Granite', system_name: 'granite_code' });
    expect(created.status).toBe(201);
    expect(created.headers['content-type']).toContain('application/xml');
    expect(created.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><service><id>3<\/id>.*<system_name>granite_code<\/system_name>/);
    expect(seen.at(-1)).toEqual(['api', 'granite_code']);
    expect((await h.api('DELETE', '/admin/api/services/3.xml')).status).toBe(200);
    expect(seen.at(-1)).toEqual(['api']);
    off();
  });
});
