import { afterEach, describe, expect, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import { startSimulation } from '../../../src/sim/index.js';
import type { RunningSimulation } from '../../../src/sim/index.js';
import { SCENARIOS, SMALL_KV_CACHE_TOKENS } from '../../../src/sim/scenarios.js';
import { Objects } from '../../../src/sim/operators/objects.js';
import { supportsReadWriteMany } from '../../../src/sim/operators/pvc.js';

const sims: RunningSimulation[] = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.stop()));
});

async function start(scenario?: string): Promise<{ sim: RunningSimulation; o: Objects; kc: k8s.KubeConfig }> {
  const sim = await startSimulation({ scenarios: scenario ? [scenario] : [] });
  sims.push(sim);
  const kc = new k8s.KubeConfig();
  kc.loadFromString(JSON.stringify(sim.kubeconfig()));
  return { sim, o: new Objects(sim.store, sim.kinds), kc };
}

const provisioners = (o: Objects): string[] => o.list('StorageClass').map((s) => String(s['provisioner']));

describe('scenarios', () => {
  it('each has a unique name and a one-line description', () => {
    expect(new Set(SCENARIOS.map((s) => s.name)).size).toBe(SCENARIOS.length);
    for (const s of SCENARIOS) expect(s.description).toMatch(/^[^\n]{10,160}$/);
    expect(SCENARIOS.map((s) => s.name)).toEqual(expect.arrayContaining(['no-rwx-class', 'no-rgw-class', 'missing-3scale-operator', 'missing-rhsso-operator', 'rbac-denied', 'expired-token', 'obc-pending-region', 'kv-cache-too-small']));
  });

  it('no-rwx-class: no StorageClass can serve ReadWriteMany (the default cluster has one)', async () => {
    expect(provisioners((await start()).o).some(supportsReadWriteMany)).toBe(true);
    expect(provisioners((await start('no-rwx-class')).o).some(supportsReadWriteMany)).toBe(false);
  });

  it('no-rgw-class: no Ceph RGW bucket class, the NooBaa one remains', async () => {
    const { o } = await start('no-rgw-class');
    expect(provisioners(o).filter((p) => p.endsWith('ceph.rook.io/bucket'))).toEqual([]);
    expect(provisioners(o)).toContain('openshift-storage.noobaa.io/obc');
  });

  it.each(['missing-3scale-operator', 'missing-rhsso-operator'])('%s: the PackageManifest is absent (404) and a Subscription fails resolution', async (name) => {
    const pkg = name === 'missing-3scale-operator' ? '3scale-operator' : 'rhsso-operator';
    const { sim, o, kc } = await start(name);
    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    await expect(custom.getNamespacedCustomObject({ group: 'packages.operators.coreos.com', version: 'v1', namespace: 'openshift-marketplace', plural: 'packagemanifests', name: pkg })).rejects.toMatchObject({ code: 404 });
    o.ensure('Namespace', { metadata: { name: 'x' } });
    o.ensure('Subscription', { metadata: { name: pkg, namespace: 'x' }, spec: { name: pkg, source: 'redhat-operators', sourceNamespace: 'openshift-marketplace' } });
    await sim.clock.settled();
    const conds = ((o.get('Subscription', 'x', pkg)?.['status'] as { conditions?: { type: string; status: string }[] } | undefined)?.conditions) ?? [];
    expect(conds.find((c) => c.type === 'ResolutionFailed')?.status).toBe('True');
  });

  it('rbac-denied: creating a Secret in llm-hosting is Forbidden with the real message; elsewhere allowed', async () => {
    const { kc } = await start('rbac-denied');
    const core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'llm-hosting' } } });
    const err = await core.createNamespacedSecret({ namespace: 'llm-hosting', body: { metadata: { name: 's' }, stringData: { a: 'b' } } }).then(() => undefined, (e: unknown) => e as { code: number; body: string });
    expect(err?.code).toBe(403);
    expect(String(err?.body)).toContain('secrets is forbidden: User \\"developer\\" cannot create resource \\"secrets\\" in API group \\"\\" in the namespace \\"llm-hosting\\"');
    await expect(core.createNamespacedSecret({ namespace: 'default', body: { metadata: { name: 's' }, stringData: { a: 'b' } } })).resolves.toBeDefined();
  });

  it('expired-token: every request answers 401', async () => {
    const { kc } = await start('expired-token');
    await expect(kc.makeApiClient(k8s.CoreV1Api).listNamespace()).rejects.toMatchObject({ code: 401 });
  });

  it('obc-pending-region: the RGW class names another region and a claim stays Pending with no event (C1)', async () => {
    const { sim, o } = await start('obc-pending-region');
    expect((o.get('StorageClass', undefined, 'ocs-storagecluster-ceph-rgw')?.['parameters'] as Record<string, string>)['region']).toBe('eu-west-1');
    o.ensure('Namespace', { metadata: { name: 'llm-hosting' } });
    o.ensure('ObjectBucketClaim', { metadata: { name: 'models', namespace: 'llm-hosting' }, spec: { generateBucketName: 'models', storageClassName: 'ocs-storagecluster-ceph-rgw' } });
    await sim.clock.settled();
    expect((o.get('ObjectBucketClaim', 'llm-hosting', 'models')?.['status'] as { phase: string }).phase).toBe('Pending');
    expect(o.list('Event', 'llm-hosting')).toEqual([]);
  });

  it('kv-cache-too-small and keycloak-slow-start set the operator flags; none are set by default', async () => {
    expect((await start()).sim.flags).toEqual({});
    expect((await start('kv-cache-too-small')).sim.flags).toEqual({ kvCacheTokens: SMALL_KV_CACHE_TOKENS });
    expect((await start('keycloak-slow-start')).sim.flags).toEqual({ keycloakSlowStart: true });
  });

  it('kv-cache-too-small: a vLLM predictor with the model\'s full length crash-loops', async () => {
    const { sim, o } = await start('kv-cache-too-small');
    o.ensure('Namespace', { metadata: { name: 'm' } });
    o.ensure('ServingRuntime', { metadata: { name: 'vllm', namespace: 'm' }, spec: { supportedModelFormats: [{ name: 'vLLM' }], containers: [{ name: 'kserve-container', image: 'quay.io/modh/vllm:x', args: ['--served-model-name={{.Name}}'] }] } });
    o.ensure('InferenceService', { metadata: { name: 'mistral', namespace: 'm' }, spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, runtime: 'vllm', storageUri: 's3://b/p/' } } } });
    await sim.clock.settled();
    const pod = o.list('Pod', 'm')[0];
    expect(sim.podLogs.read('m', pod?.metadata.name ?? '').some((l) => l.includes('larger than the maximum number of tokens that can be stored in KV cache (15000)'))).toBe(true);
  });
});
