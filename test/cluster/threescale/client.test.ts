/**
 * The 3scale client against the simulated 3scale: pagination collected transparently, 422 turned
 * into field errors, retries on 5xx and connection errors only, typed CRUD and promote.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/engine/errors.js';
import { ThreescaleApiError, ThreescaleFieldError, isTaken } from '../../../src/cluster/threescale/errors.js';
import { ThreescaleClient } from '../../../src/cluster/threescale/client.js';
import type { RequestRecord } from '../../../src/cluster/threescale/http.js';
import { TOKEN, startHarness } from './harness.js';
import type { ClientHarness } from './harness.js';

let h: ClientHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

function recording(client: ThreescaleClient): RequestRecord[] {
  const seen: RequestRecord[] = [];
  client.http.onRequest((r) => seen.push(r));
  return seen;
}

describe('pagination', () => {
  it('collects every page of a CMS list (`collection`) without the caller asking', async () => {
    const client = h.client({ pageSize: { cms: 3 } });
    const seen = recording(client);
    const templates = await client.cmsTemplates.list();
    expect(templates.map((t) => t.system_name).sort()).toEqual(['docs', 'homepage', 'main_layout', 'submenu']);
    expect(seen.filter((r) => r.path === '/admin/api/cms/templates.json')).toHaveLength(2);
  });

  it('collects every page of an Account Management list (backends)', async () => {
    const setup = h.client();
    for (const n of ['one', 'two']) await setup.backends.create({ name: `Paged ${n}`, system_name: `paged_${n}`, private_endpoint: 'http://paged.ns.svc' });
    const client = h.client({ pageSize: { am: 2 } });
    const seen = recording(client);
    const backends = await client.backends.list();
    expect(backends.map((b) => b.system_name).sort()).toEqual(['api', 'paged_one', 'paged_two']);
    expect(seen.filter((r) => r.path === '/admin/api/backend_apis.json')).toHaveLength(2);
    for (const b of backends.filter((x) => x.system_name.startsWith('paged_'))) await setup.backends.delete(b.id);
  });

  it('reads application plans (list key `plans`) in one request: the spec documents no paging for them', async () => {
    const client = h.client({ pageSize: { am: 1 } });
    const seen = recording(client);
    const api = await client.services.findBySystemName('api');
    expect(api?.name).toBe('API');
    const plans = await client.applicationPlans(api?.id ?? 0).list();
    expect(plans.map((p) => p.name).sort()).toEqual(['Basic', 'Unlimited']);
    expect(seen.filter((r) => r.path.endsWith('/application_plans.json'))).toHaveLength(1);
  });

  it('reads a bare-array list (backend usages) and ActiveDocs (`api_docs`)', async () => {
    const client = h.client();
    const api = await client.services.findBySystemName('api');
    const usages = await client.backendUsages(api?.id ?? 0).list();
    expect(usages).toHaveLength(1);
    expect(usages[0]?.path).toBe('/');
    const docs = await client.activeDocs.list();
    expect(docs.find((d) => d.system_name === 'echo')?.service_id).toBe(api?.id);
  });
});

describe('errors', () => {
  it('turns a 422 into a field error naming the field, without retrying', async () => {
    const client = h.client();
    const seen = recording(client);
    const err = await client.services.create({ name: 'Another', system_name: 'api' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ThreescaleFieldError);
    expect(err).toBeInstanceOf(UserError);
    expect((err as ThreescaleFieldError).fields['system_name']).toEqual(['has already been taken']);
    expect((err as Error).message).toMatch(/system_name has already been taken/);
    expect(isTaken(err)).toBe(true);
    expect(seen).toHaveLength(1);
  });

  it('does not retry a 403 and never puts the token in the message', async () => {
    const client = h.client({ accessToken: async () => 'wrong-token' });
    const seen = recording(client);
    const err = await client.services.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).code).toBe('3scale.denied');
    expect((err as Error).message).not.toContain('wrong-token');
    expect(seen).toHaveLength(1);
  });

  it('answers undefined for an id that does not exist (404), without retrying', async () => {
    const client = h.client();
    const seen = recording(client);
    expect(await client.services.get(99999)).toBeUndefined();
    expect(seen).toHaveLength(1);
  });
});

describe('retries', () => {
  it('retries a 503 and then succeeds', async () => {
    const client = h.client();
    const seen = recording(client);
    h.sim.failNextRequests(2, 503);
    const services = await client.services.list();
    expect(services.map((s) => s.system_name)).toContain('api');
    expect(seen.map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it('gives up after the retries with the status, and names no token', async () => {
    const client = h.client({ retry: { retries: 2, minTimeoutMs: 1, maxTimeoutMs: 2 } });
    const seen = recording(client);
    h.sim.failNextRequests(5, 502);
    const err = await client.services.list().catch((e: unknown) => e);
    h.sim.failNextRequests(0);
    expect(err).toBeInstanceOf(ThreescaleApiError);
    expect((err as ThreescaleApiError).status).toBe(502);
    expect((err as Error).message).not.toContain(TOKEN);
    expect(seen).toHaveLength(3);
  });

  it('retries connection errors, then says the admin portal cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const client = new ThreescaleClient({ fetch, baseUrl: `http://127.0.0.1:${port}`, accessToken: async () => TOKEN, retry: { retries: 2, minTimeoutMs: 1, maxTimeoutMs: 2 } });
    const seen = recording(client);
    const err = await client.services.list().catch((e: unknown) => e);
    expect((err as UserError).code).toBe('3scale.unreachable');
    expect(seen.map((r) => r.status)).toEqual(['error', 'error', 'error']);
  });
});

describe('typed operations', () => {
  it('creates, finds, updates and deletes a backend; deploys and promotes once', async () => {
    const client = h.client();
    const backend = await client.backends.create({ name: 'Model', system_name: 'model_backend', private_endpoint: 'http://model.ns.svc.cluster.local' });
    expect((await client.backends.findBySystemName('model_backend'))?.id).toBe(backend.id);
    const updated = await client.backends.update(backend.id, { private_endpoint: 'http://model2.ns.svc.cluster.local' });
    expect(updated.private_endpoint).toBe('http://model2.ns.svc.cluster.local');
    expect(await client.backends.delete(backend.id)).toBe(true);
    expect(await client.backends.delete(backend.id)).toBe(false);

    const api = await client.services.findBySystemName('api');
    const id = api?.id ?? 0;
    await client.deploy(id);
    const staging = await client.latestConfig(id, 'sandbox');
    expect(staging?.version).toBeGreaterThan(0);
    expect(await client.promote(id, staging?.version ?? 0)).toBe(true);
    expect(await client.promote(id, staging?.version ?? 0)).toBe(false);
    expect((await client.latestConfig(id, 'production'))?.version).toBe(staging?.version);
  });

  it('sets and reads back a policy chain, and hides an application plan', async () => {
    const client = h.client();
    const api = await client.services.findBySystemName('api');
    const id = api?.id ?? 0;
    const chain = [
      { name: 'cors', version: 'builtin', configuration: { allow_origin: '*' }, enabled: true },
      { name: 'apicast', version: 'builtin', configuration: {}, enabled: true },
    ];
    await client.updatePolicies(id, chain);
    expect((await client.policies(id)).map((p) => p.name)).toEqual(['cors', 'apicast']);
    const plans = client.applicationPlans(id);
    const unlimited = (await plans.list()).find((p) => p.name === 'Unlimited');
    const hidden = await plans.update(unlimited?.id ?? 0, { state_event: 'hide' });
    expect(hidden.state).toBe('hidden');
  });
});
