/**
 * The admin host's answers a client must handle: 403 without a valid access_token, 503 before the
 * tenant exists, 422 messages, 404, pagination, CMS upsert by system name/path (C12), injected
 * 5xx answers, and snapshot/restore of the whole state.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createThreescale } from '../../../src/sim/threescale/index.js';
import { ADMIN, DOMAIN, TOKEN, serviceRegistry, start } from './helpers.js';
import type { Harness } from './helpers.js';

describe('admin host', () => {
  let h: Harness;
  afterEach(async () => h.close());

  it('answers 503 until the tenant is provisioned', async () => {
    h = await start({ provision: false });
    expect((await h.api('GET', '/admin/api/services.json')).status).toBe(503);
    h.sim.provisionTenant({ tenantName: 'maas', accessToken: TOKEN, domain: DOMAIN });
    expect((await h.api('GET', '/admin/api/services.json')).status).toBe(200);
  });

  it('refuses a missing or wrong access_token with 403 "Access denied"', async () => {
    h = await start();
    const none = await h.api('GET', '/admin/api/services.json', {}, null);
    expect([none.status, none.json()]).toEqual([403, { error: 'Access denied' }]);
    const wrong = await h.api('POST', '/admin/api/backend_apis.json', { name: 'x', private_endpoint: 'http://x' }, 'nope');
    expect(wrong.status).toBe(403);
    const xml = await h.api('GET', '/admin/api/services.xml', {}, 'nope');
    expect(xml.text).toContain('<error>Access denied</error>');
    // A JSON body carrying the token is accepted too.
    const json = await h.send(ADMIN, 'POST', '/admin/api/backend_apis.json', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ access_token: TOKEN, name: 'Json', private_endpoint: 'http://json.ns.svc' }),
    });
    expect(json.status).toBe(201);
  });

  it('answers 422 with the field for blank and taken values, 404 for unknown ids', async () => {
    h = await start();
    const blank = await h.api('POST', '/admin/api/services.json', { name: '' });
    expect([blank.status, blank.json()]).toEqual([422, { errors: { name: ["can't be blank"] } }]);
    const taken = await h.api('POST', '/admin/api/services.json', { name: 'Again', system_name: 'api' });
    expect([taken.status, taken.json()]).toEqual([422, { errors: { system_name: ['has already been taken'] } }]);
    const backendTaken = await h.api('POST', '/admin/api/backend_apis.json', { name: 'API Backend', system_name: 'api', private_endpoint: 'http://x.ns.svc' });
    expect(backendTaken.json()).toEqual({ errors: { system_name: ['has already been taken'] } });
    const unknown = await h.api('GET', '/admin/api/services/999.json');
    expect([unknown.status, unknown.json()]).toEqual([404, { status: 'Not found' }]);
    const inUse = await h.api('DELETE', '/admin/api/backend_apis/1.json');
    expect(inUse.status).toBe(422);
  });

  it('paginates lists with page and per_page', async () => {
    h = await start();
    for (let i = 0; i < 4; i += 1) await h.api('POST', '/admin/api/backend_apis.json', { name: `B${i}`, private_endpoint: `http://b${i}.ns.svc` });
    const all = (await h.api('GET', '/admin/api/backend_apis.json')).json();
    expect(all.backend_apis).toHaveLength(5);
    expect(all.metadata).toBeUndefined();
    const page2 = (await h.api('GET', '/admin/api/backend_apis.json', { page: '2', per_page: '2' })).json();
    expect(page2.backend_apis.map((b: { backend_api: { name: string } }) => b.backend_api.name)).toEqual(['B1', 'B2']);
    expect(page2.metadata).toEqual({ per_page: 2, total_entries: 5, total_pages: 3, current_page: 2 });
    const capped = (await h.api('GET', '/admin/api/backend_apis.json', { per_page: '9999' })).json();
    expect(capped.backend_apis).toHaveLength(5);
  });

  it('lets CMS content be upserted by system name and path without duplicates (C12)', async () => {
    h = await start();
    const page = { type: 'page', system_name: 'models', title: 'Models', path: '/models', draft: '<h1>v1</h1>', layout_name: 'main_layout' };
    const first = await h.api('POST', '/admin/api/cms/templates.json', page);
    expect(first.status).toBe(201);
    expect(first.json()).toMatchObject({ type: 'page', system_name: 'models', draft: '<h1>v1</h1>', published: null });
    const again = await h.api('POST', '/admin/api/cms/templates.json', page);
    expect([again.status, again.json()]).toEqual([422, { errors: { system_name: ['has already been taken'] } }]);
    const samePath = await h.api('POST', '/admin/api/cms/templates.json', { ...page, system_name: 'other' });
    expect(samePath.json()).toEqual({ errors: { path: ['has already been taken'] } });
    const list = (await h.api('GET', '/admin/api/cms/templates.json', { per_page: '100' })).json().collection;
    const found = list.filter((t: { system_name: string }) => t.system_name === 'models');
    expect(found).toHaveLength(1);
    expect(found[0].draft).toBeUndefined();
    await h.api('PUT', `/admin/api/cms/templates/${found[0].id}.json`, { draft: '<h1>v2</h1>' });
    const published = (await h.api('PUT', `/admin/api/cms/templates/${found[0].id}/publish.json`)).json();
    expect(published.published).toBe('<h1>v2</h1>');
    expect((await h.api('GET', '/admin/api/cms/templates.xml')).status).toBe(406);

    const section = await h.api('POST', '/admin/api/cms/sections.json', { title: 'Models', system_name: 'models' });
    expect(section.status).toBe(201);
    expect((await h.api('POST', '/admin/api/cms/sections.json', { title: 'Models', system_name: 'models' })).status).toBe(422);

    const form = new FormData();
    form.append('access_token', TOKEN);
    form.append('path', '/images/logo.svg');
    form.append('attachment', new Blob(['<svg/>'], { type: 'image/svg+xml' }), 'logo.svg');
    const upload = async () => {
      const r = new Request('http://x/', { method: 'POST', body: form });
      const body = Buffer.from(await r.arrayBuffer());
      return h.send(ADMIN, 'POST', '/admin/api/cms/files.json', { headers: { 'content-type': r.headers.get('content-type') as string }, body });
    };
    const file = await upload();
    expect(file.status).toBe(201);
    expect(file.json()).toMatchObject({ path: '/images/logo.svg', content_type: 'image/svg+xml', url: `https://maas.${DOMAIN}/images/logo.svg` });
    expect((await upload()).status).toBe(422);
  });

  it('signs up a developer, keeps the subscription after an application is deleted, and removes the account', async () => {
    h = await start();
    const signup = await h.api('POST', '/admin/api/signup.json', { org_name: 'e2e', username: 'e2e', email: 'e2e@example.net', password: 'pw-not-kept' });
    expect(signup.status).toBe(201);
    const accountId = signup.json().account.id;
    expect(JSON.stringify(h.sim.snapshot())).not.toContain('pw-not-kept');
    const product = (await h.api('POST', '/admin/api/services.json', { name: 'New', system_name: 'new' })).json().service.id;
    const contracts = async () =>
      (await h.api('GET', `/admin/api/accounts/${accountId}/service_contracts.json`)).json().service_contracts.map((c: { service_contract: { service_id: number } }) => c.service_contract.service_id);
    expect(await contracts()).toEqual([2]);
    const plan = (await h.api('POST', `/admin/api/services/${product}/application_plans.json`, { name: 'Standard' })).json().application_plan.id;
    const app = (await h.api('POST', `/admin/api/accounts/${accountId}/applications.json`, { plan_id: String(plan), name: 'tmp' })).json().application;
    expect(app.user_key).toMatch(/^[0-9a-f]{32}$/);
    const found = (await h.api('GET', '/admin/api/applications/find.json', { user_key: app.user_key })).json().application;
    expect(found.id).toBe(app.id);
    expect((await h.api('DELETE', `/admin/api/accounts/${accountId}/applications/${app.id}.json`)).status).toBe(200);
    expect(await contracts()).toEqual([2, product]);
    expect((await h.api('PUT', `/admin/api/accounts/${accountId}/approve.json`)).json().account.state).toBe('approved');
    expect((await h.api('DELETE', `/admin/api/accounts/${accountId}.json`)).status).toBe(200);
    expect((await h.api('GET', '/admin/api/accounts/find.json', { username: 'e2e' })).status).toBe(404);
    expect((await h.api('POST', '/admin/api/signup.json', { org_name: 'x', username: 'john', email: 'x@example.net', password: 'p' })).json()).toEqual({ errors: { username: ['has already been taken'] } });
  });

  it('answers the injected status for the next N requests, then recovers', async () => {
    h = await start();
    h.sim.failNextRequests(2, 502);
    expect((await h.api('GET', '/admin/api/services.json')).status).toBe(502);
    expect((await h.api('GET', '/admin/api/services.json')).status).toBe(502);
    expect((await h.api('GET', '/admin/api/services.json')).status).toBe(200);
  });

  it('restores a snapshot into a new simulation (state survives a restart)', async () => {
    h = await start();
    await h.api('POST', '/admin/api/services.json', { name: 'Kept', system_name: 'kept' });
    h.sim.setCustomPolicies([{ name: 'remove-bearer', version: '0.1' }]);
    const snapshot = JSON.parse(JSON.stringify(h.sim.snapshot()));
    const other = createThreescale({ domain: DOMAIN, services: serviceRegistry() });
    const seen: string[][] = [];
    other.onProductsChanged((p) => seen.push(p.map((x) => x.systemName)));
    other.restore(snapshot);
    expect(seen.at(-1)).toEqual(['api', 'kept']);
    expect(other.state.customPolicies).toEqual([{ name: 'remove-bearer', version: '0.1' }]);
    expect(JSON.parse(JSON.stringify(other.snapshot()))).toEqual(snapshot);
    expect(JSON.stringify(snapshot)).not.toContain(TOKEN);
    expect(() => other.restore({ nonsense: true })).toThrow(TypeError);
    // Until the operator hands the token in again, the restored admin host is not ready.
    const server = await start({ provision: false });
    server.sim.restore(snapshot);
    expect((await server.api('GET', '/admin/api/services.json')).status).toBe(503);
    server.sim.provisionTenant({ tenantName: 'maas', accessToken: TOKEN, domain: DOMAIN });
    const services = (await server.api('GET', '/admin/api/services.json')).json().services;
    expect(services.map((x: { service: { system_name: string } }) => x.service.system_name)).toEqual(['api', 'kept']);
    await server.close();
    // The snapshot holds no live references: changing the original leaves the restored copy alone.
    await h.api('DELETE', '/admin/api/services/3.json');
    expect(other.state.tenant?.services.map((s) => s.system_name)).toEqual(['api', 'kept']);
    await other.close();
  });
});
