/**
 * The simulated APIcast gateways: credentials by location (with and without the remove-bearer
 * policy), the policy chain order (CORS, C11), APIcast's order of answers, limits, mapping rules,
 * staging vs production config versions, analytics counts and proxying to the upstream.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DOMAIN, start } from './helpers.js';
import type { Harness } from './helpers.js';

const KEY = '0123456789abcdef0123456789abcdef';
const STAGING = `model-maas-apicast-staging.${DOMAIN}`;
const PRODUCTION = `model-maas-apicast-production.${DOMAIN}`;

interface Setup {
  serviceId: number;
  hitsId: number;
  methodId: number;
  planId: number;
  appId: number;
}

/** Creates product `model` behind backend `model.llm-hosting`, with a plan and an application keyed KEY. */
async function product(h: Harness, proxy: Record<string, string>, chain: { name: string; version?: string; configuration?: object }[]): Promise<Setup> {
  const backend = (await h.api('POST', '/admin/api/backend_apis.json', { name: 'Model', private_endpoint: 'http://model.llm-hosting.svc.cluster.local:80/' })).json().backend_api;
  const serviceId = (await h.api('POST', '/admin/api/services.json', { name: 'Model', system_name: 'model' })).json().service.id;
  await h.api('POST', `/admin/api/services/${serviceId}/backend_usages.json`, { backend_api_id: String(backend.id), path: '/' });
  await h.api('PATCH', `/admin/api/services/${serviceId}/proxy.json`, proxy);
  const hitsId = (await h.api('GET', `/admin/api/services/${serviceId}/metrics.json`)).json().metrics[0].metric.id;
  const methodId = (await h.api('POST', `/admin/api/services/${serviceId}/metrics/${hitsId}/methods.json`, { friendly_name: 'Chat', system_name: 'chat' })).json().method.id;
  const rules = (await h.api('GET', `/admin/api/services/${serviceId}/proxy/mapping_rules.json`)).json().mapping_rules;
  await h.api('DELETE', `/admin/api/services/${serviceId}/proxy/mapping_rules/${rules[0].mapping_rule.id}.json`);
  await h.api('POST', `/admin/api/services/${serviceId}/proxy/mapping_rules.json`, { http_method: 'POST', pattern: '/v1/chat/completions$', delta: '1', metric_id: String(methodId) });
  await h.api('POST', `/admin/api/services/${serviceId}/proxy/mapping_rules.json`, { http_method: 'GET', pattern: '/v1/models', delta: '1', metric_id: String(hitsId) });
  const policies = chain.map((p) => ({ name: p.name, version: p.version ?? 'builtin', configuration: p.configuration ?? {}, enabled: true }));
  await h.api('PUT', `/admin/api/services/${serviceId}/proxy/policies.json`, { policies_config: JSON.stringify(policies) });
  const planId = (await h.api('POST', `/admin/api/services/${serviceId}/application_plans.json`, { name: 'Standard', state_event: 'publish' })).json().application_plan.id;
  const account = (await h.api('GET', '/admin/api/accounts/find.json', { username: 'john' })).json().account;
  const app = await h.api('POST', `/admin/api/accounts/${account.id}/applications.json`, { plan_id: String(planId), name: 'Test', user_key: KEY });
  expect(app.status).toBe(201);
  expect((await h.api('POST', `/admin/api/services/${serviceId}/proxy/deploy.json`)).status).toBe(201);
  const version = (await h.api('GET', `/admin/api/services/${serviceId}/proxy/configs/sandbox/latest.json`)).json().proxy_config.version;
  await h.api('POST', `/admin/api/services/${serviceId}/proxy/configs/sandbox/${version}/promote.json`, { to: 'production' });
  return { serviceId, hitsId, methodId, planId, appId: app.json().application.id };
}

/** A fake model server that echoes what it received. */
function upstream(h: Harness): void {
  h.services.set('llm-hosting', 'model', (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"echo":');
      res.end(JSON.stringify({ method: req.method, url: req.url, host: req.headers.host, authorization: req.headers.authorization ?? null, body: Buffer.concat(chunks).toString() }) + '}');
    });
  });
}

const CORS = { name: 'cors', configuration: { allow_headers: ['Authorization', 'Content-type', 'Accept'], allow_origin: '*', allow_credentials: true } };
const REMOVE_BEARER = { name: 'remove-bearer', version: '0.1' };
const APICAST = { name: 'apicast' };
const basic = (user: string): string => `Basic ${Buffer.from(`${user}:`).toString('base64')}`;

describe('APIcast gateways', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await start();
    upstream(h);
  });
  afterEach(async () => h.close());

  const get = (headers: Record<string, string> = {}, path = '/v1/models', host = PRODUCTION) => h.send(host, 'GET', path, { headers });

  describe.each([
    { location: 'authorization', proxy: { credentials_location: 'authorization' }, removeBearer: false, expected: { bearer: 200, raw: 'missing', basic: 200, none: 'missing' } },
    { location: 'authorization', proxy: { credentials_location: 'authorization' }, removeBearer: true, expected: { bearer: 'missing', raw: 'missing', basic: 200, none: 'missing' } },
    { location: 'headers', proxy: { credentials_location: 'headers', auth_user_key: 'Authorization' }, removeBearer: false, expected: { bearer: 'failed', raw: 200, basic: 'failed', none: 'missing' } },
    { location: 'headers', proxy: { credentials_location: 'headers', auth_user_key: 'Authorization' }, removeBearer: true, expected: { bearer: 200, raw: 200, basic: 'failed', none: 'missing' } },
    { location: 'query', proxy: { credentials_location: 'query' }, removeBearer: false, expected: { bearer: 'missing', raw: 'missing', basic: 'missing', none: 'missing' } },
  ])('credentials in $location, remove-bearer $removeBearer', ({ proxy, removeBearer, expected }) => {
    beforeEach(async () => {
      h.sim.setCustomPolicies([{ name: 'remove-bearer', version: '0.1' }]);
      await product(h, proxy as Record<string, string>, removeBearer ? [CORS, REMOVE_BEARER, APICAST] : [CORS, APICAST]);
    });
    const check = async (headers: Record<string, string>, want: number | string): Promise<void> => {
      const answer = await get(headers);
      if (want === 200) {
        expect(answer.status).toBe(200);
        expect(answer.json().echo.url).toBe('/v1/models');
      } else {
        expect(answer.status).toBe(403);
        expect(answer.text).toBe(want === 'missing' ? 'Authentication parameters missing' : 'Authentication failed');
      }
    };
    it('Bearer key', () => check({ authorization: `Bearer ${KEY}` }, expected.bearer));
    it('raw key', () => check({ authorization: KEY }, expected.raw));
    it('Basic key', () => check({ authorization: basic(KEY) }, expected.basic));
    it('no key', () => check({}, expected.none));
  });

  it('takes the key from ?user_key= in query mode and does not pass it upstream', async () => {
    await product(h, { credentials_location: 'query' }, [APICAST]);
    const answer = await get({}, `/v1/models?user_key=${KEY}&x=1`);
    expect(answer.status).toBe(200);
    expect(answer.json().echo.url).toBe('/v1/models?x=1');
  });

  it('ignores a remove-bearer policy that was not registered through the APIManager', async () => {
    await product(h, { credentials_location: 'headers', auth_user_key: 'Authorization' }, [REMOVE_BEARER, APICAST]);
    expect((await get({ authorization: `Bearer ${KEY}` })).status).toBe(403);
    h.sim.setCustomPolicies([{ name: 'remove-bearer', version: '0.1' }]);
    expect((await get({ authorization: `Bearer ${KEY}` })).status).toBe(200);
  });

  it('answers a preflight with 204 when cors is before apicast, and adds the origin header to answers', async () => {
    await product(h, { credentials_location: 'authorization' }, [CORS, APICAST]);
    const preflight = await h.send(PRODUCTION, 'OPTIONS', '/v1/chat/completions', { headers: { origin: 'https://maas.apps.sim.test', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(preflight.headers['access-control-allow-headers']).toBe('Authorization, Content-type, Accept');
    expect(preflight.headers['access-control-allow-credentials']).toBe('true');
    const answer = await get({ authorization: `Bearer ${KEY}`, origin: 'https://maas.apps.sim.test' });
    expect(answer.status).toBe(200);
    expect(answer.headers['access-control-allow-origin']).toBe('*');
  });

  it('refuses the preflight with 403 when cors comes after apicast (C11)', async () => {
    await product(h, { credentials_location: 'authorization' }, [APICAST, CORS]);
    const preflight = await h.send(PRODUCTION, 'OPTIONS', '/v1/chat/completions', { headers: { origin: 'https://maas.apps.sim.test', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(403);
  });

  it('answers in APIcast order: missing 403, no rule 404, unknown key 403, over limit 429', async () => {
    const s = await product(h, { credentials_location: 'authorization' }, [APICAST]);
    await h.api('POST', `/admin/api/application_plans/${s.planId}/metrics/${s.hitsId}/limits.json`, { value: '2', period: 'minute' });
    // Missing credentials win over an unmatched path.
    expect((await get({}, '/nowhere')).text).toBe('Authentication parameters missing');
    const noRule = await get({ authorization: 'Bearer nope' }, '/nowhere');
    expect([noRule.status, noRule.text]).toEqual([404, 'No Mapping Rule matched']);
    expect((await get({ authorization: 'Bearer nope' })).text).toBe('Authentication failed');
    expect((await get({ authorization: `Bearer ${KEY}` })).status).toBe(200);
    const chat = await h.send(PRODUCTION, 'POST', '/v1/chat/completions', { headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: '{"model":"m"}' });
    expect(chat.status).toBe(200);
    expect(chat.json().echo).toMatchObject({ method: 'POST', url: '/v1/chat/completions', body: '{"model":"m"}', host: 'model.llm-hosting.svc.cluster.local', authorization: null });
    const over = await get({ authorization: `Bearer ${KEY}` });
    expect([over.status, over.text]).toEqual([429, 'Limits exceeded']);
    h.clock.now += 60_000;
    expect((await get({ authorization: `Bearer ${KEY}` })).status).toBe(200);
  });

  it('anchors patterns with $ and matches prefixes otherwise', async () => {
    await product(h, { credentials_location: 'authorization' }, [APICAST]);
    const auth = { authorization: `Bearer ${KEY}` };
    expect((await h.send(PRODUCTION, 'POST', '/v1/chat/completions/extra', { headers: auth })).status).toBe(404);
    expect((await get(auth, '/v1/models/mistral')).status).toBe(200);
    expect((await h.send(PRODUCTION, 'DELETE', '/v1/models', { headers: auth })).status).toBe(404);
  });

  it('serves the latest staging version on staging and the promoted one on production', async () => {
    const s = await product(h, { credentials_location: 'authorization' }, [APICAST]);
    const auth = { authorization: `Bearer ${KEY}` };
    await h.api('POST', `/admin/api/services/${s.serviceId}/proxy/mapping_rules.json`, { http_method: 'GET', pattern: '/health$', delta: '1', metric_id: String(s.hitsId) });
    expect((await get(auth, '/health', STAGING)).status).toBe(404);
    await h.api('POST', `/admin/api/services/${s.serviceId}/proxy/deploy.json`);
    expect((await get(auth, '/health', STAGING)).status).toBe(200);
    expect((await get(auth, '/health', PRODUCTION)).status).toBe(404);
    await h.api('POST', `/admin/api/services/${s.serviceId}/proxy/configs/sandbox/2/promote.json`, { to: 'production' });
    expect((await get(auth, '/health', PRODUCTION)).status).toBe(200);
  });

  it('answers 404 for a product never deployed and 502 when nothing serves the backend', async () => {
    await h.api('POST', '/admin/api/services.json', { name: 'Idle', system_name: 'idle_one' });
    expect((await h.send(`idle-one-maas-apicast-staging.${DOMAIN}`, 'GET', '/')).status).toBe(404);
    await product(h, { credentials_location: 'authorization' }, [APICAST]);
    h.services.remove('llm-hosting', 'model');
    expect((await get({ authorization: `Bearer ${KEY}` })).status).toBe(502);
  });

  it('streams the upstream answer as it is written', async () => {
    await product(h, { credentials_location: 'authorization' }, [APICAST]);
    let finish: () => void = () => undefined;
    const released = new Promise<void>((r) => (finish = r));
    h.services.set('llm-hosting', 'model', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: first\n\n');
      void released.then(() => res.end('data: [DONE]\n\n'));
    });
    const { request } = await import('node:http');
    const text = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: h.port, path: '/v1/models', headers: { host: PRODUCTION, authorization: `Bearer ${KEY}` } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
          // The first event arrives while the upstream is still writing; then let it finish.
          if (body === 'data: first\n\n') finish();
        });
        res.on('end', () => resolve(body));
      });
      req.on('error', reject);
      req.end();
    });
    expect(text).toBe('data: first\n\ndata: [DONE]\n\n');
  });

  it('answers 504 when the upstream exceeds the upstream_connection read_timeout', async () => {
    await product(h, { credentials_location: 'authorization' }, [{ name: 'upstream_connection', configuration: { read_timeout: 0.1 } }, APICAST]);
    h.services.set('llm-hosting', 'model', () => undefined);
    expect((await get({ authorization: `Bearer ${KEY}` })).status).toBe(504);
  });

  it('answers at the host the proxy reports, with labels of at most 63 characters for long system names', async () => {
    const systemName = 'a_very_long_model_system_name_that_goes_beyond_the_dns_label_limit';
    const id = (await h.api('POST', '/admin/api/services.json', { name: 'Long', system_name: systemName })).json().service.id;
    await h.api('POST', `/admin/api/services/${id}/backend_usages.json`, { backend_api_id: '1', path: '/' });
    await h.api('POST', `/admin/api/services/${id}/proxy/deploy.json`);
    const proxy = (await h.api('GET', `/admin/api/services/${id}/proxy.json`)).json().proxy;
    const host = new URL(proxy.sandbox_endpoint).hostname;
    expect(host.split('.')[0]?.length).toBeLessThanOrEqual(63);
    expect(host.endsWith(`.${DOMAIN}`)).toBe(true);
    const answer = await h.send(host, 'GET', '/');
    expect([answer.status, answer.text]).toEqual([403, 'Authentication parameters missing']);
  });

  it('counts authorised hits in the application usage statistics', async () => {
    const s = await product(h, { credentials_location: 'authorization' }, [APICAST]);
    const auth = { authorization: `Bearer ${KEY}` };
    await get(auth);
    await get(auth);
    await h.send(PRODUCTION, 'POST', '/v1/chat/completions', { headers: auth, body: '{}' });
    await get({ authorization: 'Bearer wrong' });
    const hits = (await h.api('GET', `/stats/applications/${s.appId}/usage.json`, { metric_name: 'hits', period: 'day' })).json();
    expect(hits.total).toBe(3);
    expect(hits.period.granularity).toBe('hour');
    const chat = (await h.api('GET', `/stats/applications/${s.appId}/usage.json`, { metric_name: 'chat', period: 'day' })).json();
    expect(chat.total).toBe(1);
    expect((await h.api('GET', `/stats/applications/${s.appId}/usage.json`, { period: 'day' })).status).toBe(422);
  });
});
