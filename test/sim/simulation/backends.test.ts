/**
 * The operators wired to the real simulated Keycloak and model server through startSimulation:
 * what a wizard reaches through the ingress and the API server's service proxy.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { startSimulation } from '../../../src/sim/index.js';
import type { RunningSimulation } from '../../../src/sim/index.js';
import { createKeycloak } from '../../../src/sim/keycloak/index.js';
import { createModelServer } from '../../../src/sim/models/index.js';
import { createThreescale } from '../../../src/sim/threescale/index.js';
import { createS3 } from '../../../src/sim/s3/index.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Objects, secretValue } from '../../../src/sim/operators/objects.js';

let sim: RunningSimulation | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

function call(address: string, opts: { host?: string; path: string; method?: string; body?: string; headers?: Record<string, string> }): Promise<{ status: number; body: string }> {
  const u = new URL(address.startsWith('http') ? address : `http://${address}`);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: Number(u.port), path: opts.path, method: opts.method ?? 'GET', headers: { ...(opts.host ? { host: opts.host } : {}), ...(opts.headers ?? {}) } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Resolves when `test` holds (checked on every store change); rejects when the simulation settles without it. */
function until(s: RunningSimulation, test: () => boolean, what = 'condition'): Promise<void> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (ok: boolean): void => {
      if (done) return;
      done = true;
      off();
      if (ok) resolve();
      else reject(new Error(`simulation settled without ${what}`));
    };
    const off = s.store.subscribe(() => {
      if (test()) finish(true);
    });
    if (test()) return finish(true);
    void (async () => {
      while (!done) {
        await s.clock.settled();
        if (test()) return finish(true);
        await s.clock.settled();
        if (!test()) finish(false);
      }
    })();
  });
}

function subscribeOperator(o: Objects, pkg: string, ns: string, channel?: string): void {
  o.ensure('Namespace', { metadata: { name: ns } });
  o.ensure('OperatorGroup', { metadata: { name: ns, namespace: ns }, spec: { targetNamespaces: [ns] } });
  o.ensure('Subscription', { metadata: { name: pkg, namespace: ns }, spec: { name: pkg, source: 'redhat-operators', sourceNamespace: 'openshift-marketplace', ...(channel ? { channel } : {}) } });
}

describe('operators with the real simulated services', () => {
  it('Keycloak: the Route host answers through the ingress with the operator-made admin credentials and realm', async () => {
    sim = await startSimulation({ backends: { keycloak: createKeycloak() } });
    const s = sim;
    const o = new Objects(s.store, s.kinds);
    o.ensure('Namespace', { metadata: { name: 'rh-sso' } });
    o.ensure('OperatorGroup', { metadata: { name: 'rh-sso', namespace: 'rh-sso' }, spec: { targetNamespaces: ['rh-sso'] } });
    o.ensure('Subscription', { metadata: { name: 'rhsso-operator', namespace: 'rh-sso' }, spec: { name: 'rhsso-operator', source: 'redhat-operators', sourceNamespace: 'openshift-marketplace' } });
    await until(s, () => s.kinds.isServed(s.kinds.byKind('Keycloak')));
    o.ensure('Keycloak', { metadata: { name: 'rh-sso', namespace: 'rh-sso', labels: { app: 'rh-sso' } }, spec: { externalAccess: { enabled: true }, instances: 1 } });
    o.ensure('KeycloakRealm', { metadata: { name: 'maas', namespace: 'rh-sso' }, spec: { instanceSelector: { matchLabels: { app: 'rh-sso' } }, realm: { id: 'maas', realm: 'maas', displayName: 'MaaS', enabled: true } } });
    await until(s, () => (o.get('KeycloakRealm', 'rh-sso', 'maas')?.['status'] as { ready?: boolean } | undefined)?.ready === true);
    const host = `keycloak-rh-sso.${s.domain}`;
    const discovery = await call(s.ingressAddress, { host, path: '/auth/realms/maas/.well-known/openid-configuration' });
    expect(discovery.status).toBe(200);
    const secret = o.get('Secret', 'rh-sso', 'credential-rh-sso');
    const form = new URLSearchParams({ grant_type: 'password', client_id: 'admin-cli', username: secretValue(secret, 'ADMIN_USERNAME') ?? '', password: secretValue(secret, 'ADMIN_PASSWORD') ?? '' });
    const token = await call(s.ingressAddress, { host, path: '/auth/realms/master/protocol/openid-connect/token', method: 'POST', body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(token.status).toBe(200);
    expect(JSON.parse(token.body)).toHaveProperty('access_token');
    expect(s.requestLog.entries().some((e) => e.service === 'keycloak' && e.path.includes('/token'))).toBe(true);
  });

  it('a Ready InferenceService answers /v1/models through the API server\'s service proxy', async () => {
    sim = await startSimulation({ backends: { modelServer: createModelServer } });
    const s = sim;
    const o = new Objects(s.store, s.kinds);
    o.ensure('Namespace', { metadata: { name: 'llm-hosting' } });
    o.ensure('ServingRuntime', { metadata: { name: 'vllm', namespace: 'llm-hosting' }, spec: { supportedModelFormats: [{ name: 'vLLM' }], containers: [{ name: 'kserve-container', image: 'quay.io/modh/vllm:x', args: ['--served-model-name={{.Name}}'] }] } });
    o.ensure('InferenceService', { metadata: { name: 'mistral', namespace: 'llm-hosting' }, spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, runtime: 'vllm', storageUri: 's3://b/p/' } } } });
    await until(s, () => ((o.get('InferenceService', 'llm-hosting', 'mistral')?.['status'] as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'));
    const res = await call(s.apiUrl, { path: '/api/v1/namespaces/llm-hosting/services/mistral-predictor:80/proxy/v1/models', headers: { authorization: `Bearer ${s.token}` } });
    expect(res.status).toBe(200);
    expect(JSON.stringify(JSON.parse(res.body))).toContain('mistral');
  });

  it('3scale: after Available the admin host answers the tenant\'s API with the system-seed token; state survives a restart', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'maas-sim-3scale-'));
    try {
      sim = await startSimulation({ stateDir: dir, backends: ({ services, domain }) => ({ threescale: createThreescale({ domain, services }) }) });
      let s = sim;
      let o = new Objects(s.store, s.kinds);
      subscribeOperator(o, '3scale-operator', '3scale', 'threescale-2.15');
      await until(s, () => s.kinds.isServed(s.kinds.byKind('APIManager')), 'the 3scale operator');
      o.ensure('APIManager', { metadata: { name: 'apimanager', namespace: '3scale' }, spec: { wildcardDomain: s.domain, tenantName: 'maas', system: { fileStorage: { persistentVolumeClaim: { storageClassName: 'ocs-storagecluster-cephfs' } } } } });
      const isAvailable = (): boolean => ((o.get('APIManager', '3scale', 'apimanager')?.['status'] as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some((c) => c.type === 'Available' && c.status === 'True');
      await until(s, isAvailable, 'APIManager Available');
      const token = secretValue(o.get('Secret', '3scale', 'system-seed'), 'ADMIN_ACCESS_TOKEN') ?? '';
      const list = await call(s.ingressAddress, { host: `maas-admin.${s.domain}`, path: `/admin/api/services.json?access_token=${encodeURIComponent(token)}` });
      expect(list.status).toBe(200);
      expect(list.body).toContain('"system_name":"api"');
      expect(s.requestLog.entries().some((e) => e.service === '3scale' && e.path.includes('access_token=***'))).toBe(true);
      const created = await call(s.ingressAddress, { host: `maas-admin.${s.domain}`, path: '/admin/api/services.json', method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ access_token: token, name: 'Llama', system_name: 'llama_3' }).toString() });
      expect(created.status).toBe(201);
      const gateway = `llama-3-maas-apicast-production.${s.domain}`;
      await until(s, () => o.list('Route', '3scale').some((r) => (r['spec'] as { host: string }).host === gateway), 'the product gateway Route');
      expect(s.ingress.get(gateway)).toBeDefined();
      await s.stop();
      sim = await startSimulation({ stateDir: dir, backends: ({ services, domain }) => ({ threescale: createThreescale({ domain, services }) }) });
      s = sim;
      o = new Objects(s.store, s.kinds);
      await s.clock.settled();
      expect(isAvailable()).toBe(true);
      const again = await call(s.ingressAddress, { host: `maas-admin.${s.domain}`, path: `/admin/api/services.json?access_token=${encodeURIComponent(token)}` });
      expect(again.status).toBe(200);
      expect(again.body).toContain('"system_name":"llama_3"');
      expect(s.ingress.get(gateway)).toBeDefined();
    } finally {
      await sim?.stop();
      sim = undefined;
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('S3: a bound claim\'s Secret holds the store\'s keys; the bucket endpoint answers S3 on its Route host and in-cluster Service', async () => {
    sim = await startSimulation({ backends: async ({ bucketHosts }) => ({ s3: await createS3({ endpointHosts: bucketHosts }) }) });
    const s = sim;
    const o = new Objects(s.store, s.kinds);
    o.ensure('Namespace', { metadata: { name: 'llm-hosting' } });
    o.ensure('ObjectBucketClaim', { metadata: { name: 'models', namespace: 'llm-hosting' }, spec: { generateBucketName: 'models', storageClassName: 'ocs-storagecluster-ceph-rgw' } });
    await until(s, () => (o.get('ObjectBucketClaim', 'llm-hosting', 'models')?.['status'] as { phase?: string } | undefined)?.phase === 'Bound', 'the claim Bound');
    const bucket = (o.get('ConfigMap', 'llm-hosting', 'models')?.['data'] as Record<string, string>)['BUCKET_NAME'] ?? '';
    const creds = o.get('Secret', 'llm-hosting', 'models');
    const unsigned = await call(s.ingressAddress, { host: `ocs-storagecluster-cephobjectstore-openshift-storage.${s.domain}`, path: `/${bucket}` });
    expect(unsigned.status).toBe(403);
    expect(secretValue(creds, 'AWS_ACCESS_KEY_ID')).toMatch(/^[A-Z2-7]{20}$/);
    expect(s.services.resolve('http://rook-ceph-rgw-ocs-storagecluster-cephobjectstore.openshift-storage.svc/')).toBeDefined();
  });
});
