/**
 * Reading an APIManager's progress: which Deployments are not ready, Preflights refusals,
 * MissingWatchedSecrets, and the system-storage PVC Pending (C9), from objects as the 3scale
 * operator and the volume provisioner write them (a stub KubeClient serves them).
 */
import { describe, expect, it } from 'vitest';
import type { KubeClient } from '../../../src/cluster/kube.js';
import type { KubeObject } from '../../../src/engine/types.js';
import { deploymentsLine, diagnoseApiManager, probeApiManager } from '../../../steps/threescale/apimanager-status.js';

function stubKube(objects: KubeObject[]): KubeClient {
  return {
    async get(_v: string, kind: string, name: string) {
      return objects.find((o) => o.kind === kind && o.metadata.name === name);
    },
    async list(_v: string, kind: string) {
      return objects.filter((o) => o.kind === kind);
    },
  } as unknown as KubeClient;
}

function apiManager(status: Record<string, unknown>): KubeObject {
  return { apiVersion: 'apps.3scale.net/v1alpha1', kind: 'APIManager', metadata: { name: 'apimanager', namespace: '3scale' }, status };
}

const pendingPvc: KubeObject = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'system-storage', namespace: '3scale' }, spec: { storageClassName: 'gp3-csi' }, status: { phase: 'Pending' } };
const warning: KubeObject = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'system-storage.1', namespace: '3scale' }, involvedObject: { kind: 'PersistentVolumeClaim', name: 'system-storage' }, type: 'Warning', reason: 'ProvisioningFailed', message: 'access mode ReadWriteMany not supported' };

describe('APIManager progress', () => {
  it('names the Deployments that are not ready', () => {
    const line = deploymentsLine(apiManager({ deployments: { ready: Array.from({ length: 9 }, (_, i) => `d${i}`), starting: ['system-app', 'zync-que'], stopped: ['backend-worker'] } }));
    expect(line).toBe('9/12 Deployments available: system-app, zync-que, backend-worker not yet');
  });

  it('is pending with the Deployments line while the PVC binds without a warning', async () => {
    const r = await probeApiManager(stubKube([apiManager({ conditions: [{ type: 'Available', status: 'False' }], deployments: { ready: ['a'], starting: ['system-app'] } }), pendingPvc]), '3scale', 'apimanager', true);
    expect(r).toEqual({ state: 'pending', currently: '1/2 Deployments available: system-app not yet; PVC system-storage Pending' });
  });

  it('fails on the PVC that cannot be provisioned, naming it and the fix', async () => {
    const r = await probeApiManager(stubKube([apiManager({ conditions: [{ type: 'Available', status: 'False' }] }), pendingPvc, warning]), '3scale', 'apimanager', true);
    expect(r.state).toBe('failed');
    expect(r.state === 'failed' && r.reason).toMatch(/system-storage is Pending \(ProvisioningFailed: access mode ReadWriteMany not supported\)/);
    expect(r.state === 'failed' && r.fix).toMatch(/ReadWriteMany StorageClass .* or S3 file storage/);
  });

  it('fails on Preflights=False with the operator\'s words, and diagnoses it', async () => {
    const kube = stubKube([apiManager({ conditions: [{ type: 'Available', status: 'False' }, { type: 'Preflights', status: 'False', reason: 'PreflightsPass', message: 'Preflights failed - secret system-redis not found - re-running preflights in 10 minutes' }] })]);
    const r = await probeApiManager(kube, '3scale', 'apimanager', false);
    expect(r.state === 'failed' && r.reason).toMatch(/secret system-redis not found/);
    const d = await diagnoseApiManager(kube, '3scale', 'apimanager', false);
    expect(d?.fix).toMatch(/threescale\.databases/);
  });

  it('fails on MissingWatchedSecrets', async () => {
    const r = await probeApiManager(stubKube([apiManager({ conditions: [{ type: 'Available', status: 'False', reason: 'MissingWatchedSecrets', message: 'The following secret(s) could not be found: cp-bearer' }] })]), '3scale', 'apimanager', false);
    expect(r.state === 'failed' && r.reason).toMatch(/cp-bearer/);
  });

  it('is done on Available=True, and diagnoses nothing then', async () => {
    const kube = stubKube([apiManager({ conditions: [{ type: 'Available', status: 'True' }, { type: 'Preflights', status: 'True' }] })]);
    expect((await probeApiManager(kube, '3scale', 'apimanager', false)).state).toBe('done');
    expect(await diagnoseApiManager(kube, '3scale', 'apimanager', false)).toBeUndefined();
  });
});
