/**
 * System file storage (C9): without a ReadWriteMany class, S3 file storage is offered and used;
 * with a non-RWX class forced, the system-storage PVC stays Pending and the failure names it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent, KubeObject } from '../../../src/engine/types.js';
import { outputsOf, planOf, run, startThreescaleCluster, stateOf } from './helpers.js';
import type { ThreescaleCluster } from './helpers.js';

let cluster: ThreescaleCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

const ONLY = ['threescale.apimanager'];
const S3 = { s3Bucket: 'threescale-files', s3Endpoint: 'https://s3.example.net' };
const S3_SECRETS = { s3AccessKeyId: 'AKIAEXAMPLE', s3SecretAccessKey: 'very-secret-key-123' };

function diagnosisOf(events: EngineEvent[], step: string): Extract<EngineEvent, { type: 'diagnosis' }>['diagnosis'] | undefined {
  return events.find((e): e is Extract<EngineEvent, { type: 'diagnosis' }> => e.type === 'diagnosis' && e.step === step)?.diagnosis;
}

describe('3scale system file storage', () => {
  it('without a ReadWriteMany class, refuses S3 file storage with no bucket, naming the input', async () => {
    cluster = await startThreescaleCluster(['no-rwx-class']);
    const { events } = await run(cluster.services, { only: ONLY });
    const st = stateOf(events, 'threescale.apimanager');
    expect(st.state).toBe('failed');
    expect(st.error).toMatch(/s3Bucket/);
  });

  it('without a ReadWriteMany class, defaults to S3 file storage and becomes Available', async () => {
    cluster = await startThreescaleCluster(['no-rwx-class']);
    const { events } = await run(cluster.services, { only: ONLY, answers: { 'threescale.apimanager': S3 }, secrets: { 'threescale.apimanager': S3_SECRETS } });
    expect(stateOf(events, 'threescale.apimanager')).toEqual({ state: 'done' });
    expect(outputsOf(events, 'threescale.apimanager')).toMatchObject({ fileStorage: 's3' });
    const { kube } = cluster.services;
    const am = await kube.get<KubeObject & { spec: { system: unknown } }>('apps.3scale.net/v1alpha1', 'APIManager', 'apimanager', '3scale');
    expect(am?.spec.system).toEqual({ fileStorage: { simpleStorageService: { configurationSecretRef: { name: 's3-filestorage' } } } });
    expect(await kube.get('v1', 'PersistentVolumeClaim', 'system-storage', '3scale')).toBeUndefined();
    const secret = await kube.get<KubeObject & { data: Record<string, string> }>('v1', 'Secret', 's3-filestorage', '3scale');
    expect(Buffer.from(secret?.data['AWS_BUCKET'] ?? '', 'base64').toString()).toBe('threescale-files');
    expect(Buffer.from(secret?.data['AWS_HOSTNAME'] ?? '', 'base64').toString()).toBe('s3.example.net');
    expect(JSON.stringify(planOf(events, 'threescale.apimanager'))).not.toContain(S3_SECRETS.s3SecretAccessKey);
  });

  it('with a non-RWX class forced, fails on the Pending system-storage PVC and suggests the RWX class', async () => {
    cluster = await startThreescaleCluster();
    const { events } = await run(cluster.services, { only: ONLY, answers: { 'threescale.apimanager': { fileStorage: 'pvc', storageClass: 'gp3-csi' } } });
    const st = stateOf(events, 'threescale.apimanager');
    expect(st.state).toBe('failed');
    expect(st.error).toMatch(/system-storage is Pending/);
    expect(st.error).toMatch(/ReadWriteMany/);
    const planned = planOf(events, 'threescale.apimanager').find((c) => c.target.startsWith('APIManager'));
    expect(planned?.note).toMatch(/gp3-csi is not a ReadWriteMany class/);
    const d = diagnosisOf(events, 'threescale.apimanager');
    expect(d?.summary).toMatch(/system-storage is Pending/);
    expect(d?.summary).toMatch(/gp3-csi/);
    expect(d?.suggestedInputs).toEqual({ fileStorage: 'pvc', storageClass: 'ocs-storagecluster-cephfs' });
  });
});
