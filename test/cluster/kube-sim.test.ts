import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeApiError } from '../../src/cluster/errors.js';
import { UserError, WaitFailedError } from '../../src/engine/errors.js';
import type { KubeObject } from '../../src/engine/types.js';
import { createWaitFor } from '../../src/engine/wait.js';
import { hasSim, startCluster } from '../steps/sim.js';
import type { TestCluster } from '../steps/sim.js';

let cluster: TestCluster;
const NS = 'kube-client-test';

describe.skipIf(!hasSim)('KubeClient against the simulated cluster', () => {
  beforeAll(async () => {
    cluster = await startCluster();
    await cluster.services.kube.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  });
  afterAll(async () => cluster?.stop());

  const cm = (name: string, data: Record<string, string>, labels?: Record<string, string>): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: NS, ...(labels ? { labels } : {}) },
    data,
  });

  it('server-side applies (create, then update), returns plain JSON', async () => {
    const { kube } = cluster.services;
    const created = await kube.apply(cm('applied', { a: '1' }));
    expect(created.metadata.name).toBe('applied');
    expect(typeof created.metadata['creationTimestamp']).toBe('string');
    const updated = await kube.apply(cm('applied', { a: '2' }));
    expect(updated['data']).toMatchObject({ a: '2' });
    expect((await kube.get('v1', 'ConfigMap', 'applied', NS))?.['data']).toMatchObject({ a: '2' });
  });

  it('merge-patches labels and lists by label selector', async () => {
    const { kube } = cluster.services;
    await kube.create(cm('patched', { x: 'y' }));
    await kube.mergePatch({ apiVersion: 'v1', kind: 'ConfigMap', name: 'patched', namespace: NS }, { metadata: { labels: { tier: 'models' } } });
    const found = await kube.list('v1', 'ConfigMap', NS, 'tier=models');
    expect(found.map((o) => o.metadata.name)).toEqual(['patched']);
    expect(found[0]?.['data']).toEqual({ x: 'y' });
  });

  it('reports 409 on a second create, and delete is idempotent', async () => {
    const { kube } = cluster.services;
    await kube.create(cm('twice', {}));
    const err = await kube.create(cm('twice', {})).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect((err as KubeApiError).status).toBe(409);
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'twice', namespace: NS };
    expect(await kube.delete(ref)).toBe(true);
    expect(await kube.delete(ref)).toBe(false);
    expect(await kube.get('v1', 'ConfigMap', 'twice', NS)).toBeUndefined();
  });

  it('treats a kind whose operator is not installed as absent, and refuses to write it', async () => {
    const { kube } = cluster.services;
    expect(await kube.get('keycloak.org/v1alpha1', 'Keycloak', 'rh-sso', 'rh-sso')).toBeUndefined();
    expect(await kube.list('keycloak.org/v1alpha1', 'Keycloak', 'rh-sso')).toEqual([]);
    const err = await kube.create({ apiVersion: 'keycloak.org/v1alpha1', kind: 'Keycloak', metadata: { name: 'rh-sso', namespace: 'rh-sso' }, spec: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).code).toBe('kind.unavailable');
  });

  it('waits for an object through a watch, and reports a failed probe', async () => {
    const { kube } = cluster.services;
    const controller = new AbortController();
    const waitFor = createWaitFor({ signal: controller.signal, onWait: () => undefined });
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'later', namespace: NS };
    const waiting = kube.waitForObject(waitFor, ref, (o) => (o?.['data'] as Record<string, string> | undefined)?.['ready'] === 'yes' ? { state: 'done', value: 'ready' } : { state: 'pending', currently: o ? 'not ready' : 'absent' }, {
      what: 'ConfigMap later',
      timeoutMs: 10_000,
      // A poll interval longer than the timeout: only the watch can wake the probe in time.
      intervalMs: 20_000,
    });
    await kube.create(cm('later', { ready: 'no' }));
    await kube.mergePatch(ref, { data: { ready: 'yes' } });
    await expect(waiting).resolves.toBe('ready');

    const failing = kube.waitForObject(waitFor, ref, () => ({ state: 'failed', reason: 'the claim is Failed', fix: 'pick another class' }), { what: 'ConfigMap later', timeoutMs: 5_000 });
    await expect(failing).rejects.toBeInstanceOf(WaitFailedError);
  });

  it('delivers watch events for a kind', async () => {
    const { kube } = cluster.services;
    const seen: string[] = [];
    let resolveSeen!: () => void;
    const gotIt = new Promise<void>((r) => (resolveSeen = r));
    const stop = await kube.watchObjects({ apiVersion: 'v1', kind: 'ConfigMap', namespace: NS }, (type, obj) => {
      seen.push(`${type} ${obj.metadata.name ?? ''}`);
      if (obj.metadata.name === 'watched') resolveSeen();
    });
    try {
      await kube.create(cm('watched', {}));
      await gotIt;
      expect(seen).toContain('ADDED watched');
    } finally {
      stop();
    }
  });
});
