/**
 * @kubernetes/client-node works unchanged against the simulated API server.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiException, CoreV1Api, CustomObjectsApi, KubeConfig, KubernetesObjectApi, PatchStrategy, Watch } from '@kubernetes/client-node';
import type { KubernetesObject, V1Secret } from '@kubernetes/client-node';
import { HISTORY_LIMIT } from '../../../src/sim/store.js';
import { startHarness } from './harness.js';
import type { Harness } from './harness.js';

let h: Harness;
let kc: KubeConfig;
beforeEach(async () => {
  h = await startHarness();
  kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'sim', server: h.url, skipTLSVerify: true }],
    users: [{ name: 'developer', token: h.token }],
    contexts: [{ name: 'sim', cluster: 'sim', user: 'developer', namespace: 'llm-hosting' }],
    currentContext: 'sim',
  });
});
afterEach(async () => {
  await h.close();
});

async function codeOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiException) return err.code;
    throw err;
  }
  return 200;
}

describe('@kubernetes/client-node', () => {
  it('CoreV1Api creates, reads, lists, replaces and deletes Secrets and lists namespaces', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const namespaces = await core.listNamespace();
    expect(namespaces.items.map((n) => n.metadata?.name)).toEqual(['default', 'llm-hosting']);
    const body: V1Secret = { metadata: { name: 'hf-token' }, stringData: { HF_TOKEN: 'hf_x' } };
    const created = await core.createNamespacedSecret({ namespace: 'llm-hosting', body });
    expect(created.metadata?.uid).toBeTruthy();
    const read = await core.readNamespacedSecret({ name: 'hf-token', namespace: 'llm-hosting' });
    expect(Buffer.from(read.data?.HF_TOKEN ?? '', 'base64').toString()).toBe('hf_x');
    expect(await codeOf(core.createNamespacedSecret({ namespace: 'llm-hosting', body }))).toBe(409);
    const replaced = await core.replaceNamespacedSecret({ name: 'hf-token', namespace: 'llm-hosting', body: { ...read, data: { HF_TOKEN: Buffer.from('hf_y').toString('base64') } } });
    expect(Number(replaced.metadata?.resourceVersion)).toBeGreaterThan(Number(read.metadata?.resourceVersion));
    expect(await codeOf(core.replaceNamespacedSecret({ name: 'hf-token', namespace: 'llm-hosting', body: read }))).toBe(409);
    const list = await core.listNamespacedSecret({ namespace: 'llm-hosting' });
    expect(list.items.map((s) => s.metadata?.name)).toEqual(['hf-token']);
    await core.deleteNamespacedSecret({ name: 'hf-token', namespace: 'llm-hosting' });
    expect(await codeOf(core.readNamespacedSecret({ name: 'hf-token', namespace: 'llm-hosting' }))).toBe(404);
  });

  it('CustomObjectsApi creates and reads custom objects and gets 422 for an invalid one', async () => {
    const custom = kc.makeApiClient(CustomObjectsApi);
    const target = { group: 'objectbucket.io', version: 'v1alpha1', namespace: 'llm-hosting', plural: 'objectbucketclaims' };
    await custom.createNamespacedCustomObject({
      ...target,
      body: { apiVersion: 'objectbucket.io/v1alpha1', kind: 'ObjectBucketClaim', metadata: { name: 'models' }, spec: { generateBucketName: 'models', storageClassName: 'sc' } },
    });
    const got = (await custom.getNamespacedCustomObject({ ...target, name: 'models' })) as { spec: { storageClassName: string } };
    expect(got.spec.storageClassName).toBe('sc');
    const bad = custom.createNamespacedCustomObject({ ...target, body: { apiVersion: 'objectbucket.io/v1alpha1', kind: 'ObjectBucketClaim', metadata: { name: 'bad' }, spec: {} } });
    expect(await codeOf(bad)).toBe(422);
  });

  it('KubernetesObjectApi resolves kinds through discovery: create, read, merge patch, server-side apply, delete', async () => {
    const client = KubernetesObjectApi.makeApiClient(kc);
    const isvc = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'mistral', namespace: 'llm-hosting', annotations: { 'serving.kserve.io/deploymentMode': 'RawDeployment' } },
      spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, runtime: 'vllm', storage: { key: 'aws-connection-models', path: 'mistral/' } } } },
    } as KubernetesObject;
    await client.create(isvc);
    const read = await client.read({ apiVersion: isvc.apiVersion, kind: isvc.kind, metadata: { name: 'mistral', namespace: 'llm-hosting' } });
    expect(read.metadata?.uid).toBeTruthy();
    const patched = await client.patch(
      { apiVersion: isvc.apiVersion, kind: isvc.kind, metadata: { name: 'mistral', namespace: 'llm-hosting', labels: { 'opendatahub.io/dashboard': 'true' } } },
      undefined, undefined, undefined, undefined, PatchStrategy.MergePatch,
    );
    expect(patched.metadata?.labels).toEqual({ 'opendatahub.io/dashboard': 'true' });
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'llm-hosting' }, data: { a: '1' } };
    const applied = await client.patch(cm, undefined, undefined, 'maas-wizard', true, PatchStrategy.ServerSideApply);
    expect((applied as unknown as { data: Record<string, string> }).data).toEqual({ a: '1' });
    const reapplied = await client.patch({ ...cm, data: { a: '2' } }, undefined, undefined, 'maas-wizard', true, PatchStrategy.ServerSideApply);
    expect((reapplied as unknown as { data: Record<string, string> }).data).toEqual({ a: '2' });
    await client.delete({ apiVersion: isvc.apiVersion, kind: isvc.kind, metadata: { name: 'mistral', namespace: 'llm-hosting' } });
    expect(await codeOf(client.read({ apiVersion: isvc.apiVersion, kind: isvc.kind, metadata: { name: 'mistral', namespace: 'llm-hosting' } }))).toBe(404);
    // A kind whose operator is not installed is unknown to discovery.
    await expect(client.create({ apiVersion: 'keycloak.org/v1alpha1', kind: 'Keycloak', metadata: { name: 'rh-sso', namespace: 'llm-hosting' } })).rejects.toThrow();
  });

  it('Watch delivers events in order, and a 410 Expired as an ERROR', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const start = (await core.listNamespacedConfigMap({ namespace: 'llm-hosting' })).metadata?.resourceVersion ?? '0';
    const seen: string[] = [];
    let wake: () => void = () => undefined;
    const watch = new Watch(kc);
    const controller = await watch.watch(
      '/api/v1/namespaces/llm-hosting/configmaps',
      { resourceVersion: start },
      (type, obj: KubernetesObject) => {
        seen.push(`${type} ${obj.metadata?.name}`);
        wake();
      },
      () => undefined,
    );
    const until = (n: number) => new Promise<void>((resolve) => { wake = () => { if (seen.length >= n) resolve(); }; wake(); });
    for (const name of ['a', 'b']) await core.createNamespacedConfigMap({ namespace: 'llm-hosting', body: { metadata: { name } } });
    await core.deleteNamespacedConfigMap({ name: 'a', namespace: 'llm-hosting' });
    await until(3);
    expect(seen).toEqual(['ADDED a', 'ADDED b', 'DELETED a']);
    controller.abort();

    const kind = h.kinds.byKind('Secret');
    for (let i = 0; i <= HISTORY_LIMIT; i++) h.store.create(kind, { apiVersion: 'v1', kind: 'Secret', metadata: { name: `s${i}`, namespace: 'default' } });
    const errors: { type: string; code?: number }[] = [];
    await new Promise<void>((resolve) => {
      void watch.watch('/api/v1/namespaces/llm-hosting/configmaps', { resourceVersion: start }, (type, obj: { code?: number }) => errors.push({ type, code: obj.code }), () => resolve());
    });
    expect(errors).toEqual([{ type: 'ERROR', code: 410 }]);
  });
});
