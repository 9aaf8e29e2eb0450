/**
 * The service scenarios (SIMULATOR.md §4) through the default backends, as `--demo` and
 * `maas-wizard sim` run them: what a client of the Hub stand-in, the 3scale admin API and Keycloak
 * sees through the ingress.
 */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultBackends } from '../../../src/sim/backends.js';
import { startSimulation } from '../../../src/sim/index.js';
import type { RunningSimulation } from '../../../src/sim/index.js';
import { SCENARIOS, THREESCALE_5XX_REQUESTS } from '../../../src/sim/scenarios.js';
import { Objects, secretValue } from '../../../src/sim/operators/objects.js';

let sim: RunningSimulation | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function start(scenarios: string[]): Promise<RunningSimulation> {
  sim = await startSimulation({ scenarios, backends: defaultBackends() });
  return sim;
}

function call(s: RunningSimulation, host: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const [h, port] = s.ingressAddress.split(':');
  return new Promise((resolve, reject) => {
    const req = request({ host: h, port: Number(port), path, headers: { host, ...headers } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Resolves when `test` holds, checked on every store change. */
function until(s: RunningSimulation, test: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (test()) return resolve();
    const off = s.store.subscribe(() => {
      if (!test()) return;
      off();
      resolve();
    });
  });
}

const MISTRAL_FILE = '/mistralai/Mistral-7B-Instruct-v0.3/resolve/main/config.json';
const GRANITE_FILE = '/ibm-granite/granite-8b-code-instruct-128k/resolve/main/config.json';
const demo = { authorization: 'Bearer hf_demo_valid' };

describe('service scenarios through the default backends', () => {
  it('are listed with a one-line description', () => {
    const names = SCENARIOS.map((x) => x.name);
    expect(names).toEqual(expect.arrayContaining(['gated-model-without-licence', 'bad-hub-token', 'threescale-5xx', 'keycloak-slow-start']));
  });

  it('without a scenario the demo Hub token reads gated and open models', async () => {
    const s = await start([]);
    expect((await call(s, 'huggingface.co', MISTRAL_FILE, demo)).status).toBe(200);
    expect((await call(s, 'huggingface.co', '/api/whoami-v2', demo)).status).toBe(200);
  });

  it('gated-model-without-licence: the demo token gets 403 GatedRepo on Mistral, open models still download', async () => {
    const s = await start(['gated-model-without-licence']);
    const gated = await call(s, 'huggingface.co', MISTRAL_FILE, demo);
    expect(gated.status).toBe(403);
    expect(gated.headers['x-error-code']).toBe('GatedRepo');
    expect(JSON.parse(gated.body).error).toContain('you are not in the authorized list');
    expect((await call(s, 'huggingface.co', GRANITE_FILE, demo)).status).toBe(200);
  });

  it('bad-hub-token: the demo token is refused with 401 everywhere; other tokens still work', async () => {
    const s = await start(['bad-hub-token']);
    for (const path of ['/api/whoami-v2', GRANITE_FILE, '/api/models/ibm-granite/granite-8b-code-instruct-128k']) {
      const r = await call(s, 'huggingface.co', path, demo);
      expect(r.status).toBe(401);
      expect(JSON.parse(r.body).error).toBe('Invalid credentials in Authorization header');
    }
    expect((await call(s, 'huggingface.co', GRANITE_FILE, { authorization: 'Bearer hf_demo_no_licence' })).status).toBe(200);
  });

  it(`threescale-5xx: the admin API answers 503 to ${THREESCALE_5XX_REQUESTS} requests, then recovers`, async () => {
    const s = await start(['threescale-5xx']);
    const o = new Objects(s.store, s.kinds);
    o.ensure('Namespace', { metadata: { name: '3scale' } });
    o.ensure('OperatorGroup', { metadata: { name: '3scale', namespace: '3scale' }, spec: { targetNamespaces: ['3scale'] } });
    o.ensure('Subscription', { metadata: { name: '3scale-operator', namespace: '3scale' }, spec: { name: '3scale-operator', source: 'redhat-operators', sourceNamespace: 'openshift-marketplace', channel: 'threescale-2.15' } });
    await until(s, () => s.kinds.isServed(s.kinds.byKind('APIManager')));
    o.ensure('APIManager', { metadata: { name: 'apimanager', namespace: '3scale' }, spec: { wildcardDomain: s.domain, tenantName: 'maas', system: { fileStorage: { persistentVolumeClaim: { storageClassName: 'ocs-storagecluster-cephfs' } } } } });
    await until(s, () => ((o.get('APIManager', '3scale', 'apimanager')?.['status'] as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some((c) => c.type === 'Available' && c.status === 'True'));
    const token = secretValue(o.get('Secret', '3scale', 'system-seed'), 'ADMIN_ACCESS_TOKEN') ?? '';
    const path = `/admin/api/services.json?access_token=${encodeURIComponent(token)}`;
    const statuses: number[] = [];
    for (let i = 0; i <= THREESCALE_5XX_REQUESTS; i++) statuses.push((await call(s, `maas-admin.${s.domain}`, path)).status);
    expect(statuses).toEqual([...Array<number>(THREESCALE_5XX_REQUESTS).fill(503), 200]);
    expect((await call(s, `maas-admin.${s.domain}`, path)).status).toBe(200);
  });

  // The 503 while not ready is checked at a fixed simulated time in test/sim/operators/rhsso.test.ts.
  it('keycloak-slow-start: once ready, the Keycloak Route answers', async () => {
    const s = await start(['keycloak-slow-start']);
    const o = new Objects(s.store, s.kinds);
    o.ensure('Namespace', { metadata: { name: 'rh-sso' } });
    o.ensure('OperatorGroup', { metadata: { name: 'rh-sso', namespace: 'rh-sso' }, spec: { targetNamespaces: ['rh-sso'] } });
    o.ensure('Subscription', { metadata: { name: 'rhsso-operator', namespace: 'rh-sso' }, spec: { name: 'rhsso-operator', source: 'redhat-operators', sourceNamespace: 'openshift-marketplace' } });
    await until(s, () => s.kinds.isServed(s.kinds.byKind('Keycloak')));
    o.ensure('Keycloak', { metadata: { name: 'rh-sso', namespace: 'rh-sso', labels: { app: 'rh-sso' } }, spec: { externalAccess: { enabled: true }, instances: 1 } });
    await until(s, () => (o.get('Keycloak', 'rh-sso', 'rh-sso')?.['status'] as { ready?: boolean } | undefined)?.ready === true);
    const ok = await call(s, `keycloak-rh-sso.${s.domain}`, '/auth');
    expect(ok.status).toBe(200);
  });
});
