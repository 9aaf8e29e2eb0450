import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { createS3Client } from '../../../src/cluster/s3.js';
import type { Change, Diagnosis, EngineEvent } from '../../../src/engine/types.js';
import { preflightStep } from '../../../steps/preflight.js';
import { projectStep } from '../../../steps/project.js';
import { storageStep } from '../../../steps/storage/index.js';
import type { StorageOutputs } from '../../../steps/storage/index.js';
import { storageInputs } from '../../../steps/storage/inputs.js';
import { run, startStorageCluster } from './cluster.js';
import type { StorageCluster } from './cluster.js';

let cluster: StorageCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

const steps = () => [preflightStep, projectStep, storageStep];
const planOf = (events: EngineEvent[], step: string): Change[] =>
  events.find((e): e is Extract<EngineEvent, { type: 'plan' }> => e.type === 'plan' && e.step === step)?.changes ?? [];
const diagnosisOf = (events: EngineEvent[], step: string): Diagnosis | undefined =>
  events.find((e): e is Extract<EngineEvent, { type: 'diagnosis' }> => e.type === 'diagnosis' && e.step === step)?.diagnosis;

describe('storage inputs', () => {
  it('existing-s3 needs an endpoint with its scheme and a bucket', () => {
    const noScheme = storageInputs.safeParse({ mode: 'existing-s3', endpoint: 's3.example.com', bucket: 'models' });
    expect(noScheme.success).toBe(false);
    expect(noScheme.error?.issues[0]?.message).toMatch(/scheme/);
    const noBucket = storageInputs.safeParse({ mode: 'existing-s3', endpoint: 'https://s3.example.com' });
    expect(noBucket.error?.issues.map((i) => i.path[0])).toEqual(['bucket']);
    expect(storageInputs.safeParse({ mode: 'existing-s3', endpoint: 'ftp://x', bucket: 'models' }).success).toBe(false);
    expect(storageInputs.parse({ mode: 'existing-s3', endpoint: 'https://s3.example.com', bucket: 'models' })).toMatchObject({ region: 'us-east-1', secretName: 'models-s3' });
  });
});

describe('storage against the simulated cluster', () => {
  it('claims a bucket on the RGW class, waits for Bound and outputs names, never keys', async () => {
    cluster = await startStorageCluster();
    const { result, events } = await run(cluster.services, steps());
    expect(result.result).toBe('done');
    const plan = planOf(events, 'storage');
    expect(plan).toHaveLength(1);
    expect(plan[0]?.manifest).toEqual({
      apiVersion: 'objectbucket.io/v1alpha1', kind: 'ObjectBucketClaim', metadata: { name: 'models', namespace: 'llm-hosting' },
      spec: { generateBucketName: 'models', storageClassName: 'ocs-storagecluster-ceph-rgw' },
    });
    const out = result.outputs['storage'] as unknown as StorageOutputs;
    expect(out).toMatchObject({
      mode: 'obc', namespace: 'llm-hosting', secretName: 'models', configMapName: 'models', storageClass: 'ocs-storagecluster-ceph-rgw', region: 'us-east-1',
      endpoint: 'http://rook-ceph-rgw-ocs-storagecluster-cephobjectstore.openshift-storage.svc:80',
      externalEndpoint: `https://ocs-storagecluster-cephobjectstore-openshift-storage.${cluster.sim.domain}`,
    });
    expect(out.bucket).toMatch(/^models-[0-9a-f-]+$/);
    const text = JSON.stringify(events);
    expect(text).not.toContain(cluster.s3.secretAccessKey);
    expect(text).not.toContain(cluster.s3.accessKeyId);
    // The outputs really lead to the bucket from this machine.
    const client = createS3Client({ endpoint: out.externalEndpoint, region: out.region, accessKeyId: cluster.s3.accessKeyId, secretAccessKey: cluster.s3.secretAccessKey, http: cluster.services.http });
    await expect(client.send(new HeadBucketCommand({ Bucket: out.bucket }))).resolves.toBeDefined();
    client.destroy();

    const again = await run(cluster.services, steps());
    expect(again.result.result).toBe('done');
    expect(planOf(again.events, 'storage').map((c) => c.action)).toEqual(['none']);
    expect((again.result.outputs['storage'] as unknown as StorageOutputs).bucket).toBe(out.bucket);
  });

  it('without a Route to the object store, defaults the external endpoint to ODF\'s route host', async () => {
    cluster = await startStorageCluster(['no-rgw-class'], { routes: false });
    const { result } = await run(cluster.services, steps());
    expect(result.result).toBe('done');
    const out = result.outputs['storage'] as unknown as StorageOutputs;
    expect(out.storageClass).toBe('openshift-storage.noobaa.io');
    expect(out.externalEndpoint).toBe(`https://s3-openshift-storage.${cluster.sim.domain}`);
    expect(out.endpoint).toBe('https://s3.openshift-storage.svc:443');
  });

  it('when Routes in openshift-storage may not be listed (a project admin), uses the ODF default route host', async () => {
    cluster = await startStorageCluster();
    cluster.sim.access.deny({ verb: 'list', group: 'route.openshift.io', resource: 'routes', namespace: 'openshift-storage' });
    const { result } = await run(cluster.services, steps());
    expect(result.result).toBe('done');
    expect((result.outputs['storage'] as unknown as StorageOutputs).externalEndpoint).toBe(`https://ocs-storagecluster-cephobjectstore-openshift-storage.${cluster.sim.domain}`);
  });

  it('no-rgw-class (C2): claims on NooBaa and refuses a class that does not exist, naming those that do', async () => {
    cluster = await startStorageCluster(['no-rgw-class']);
    const refused = await run(cluster.services, steps(), { answers: { storage: { storageClass: 'ocs-storagecluster-ceph-rgw' } } });
    expect(refused.result.result).toBe('failed');
    expect(refused.result.firstError?.code).toBe('storage.class-missing');
    expect(refused.result.firstError?.message).toMatch(/ocs-storagecluster-ceph-rgw does not exist.*openshift-storage\.noobaa\.io/);
    expect(await cluster.services.kube.get('objectbucket.io/v1alpha1', 'ObjectBucketClaim', 'models', 'llm-hosting')).toBeUndefined();

    const { result } = await run(cluster.services, steps());
    expect(result.result).toBe('done');
    expect((result.outputs['storage'] as unknown as StorageOutputs).storageClass).toBe('openshift-storage.noobaa.io');
  });

  it('with no bucket class at all, defaults to existing S3 and names NooBaa', async () => {
    cluster = await startStorageCluster(['no-rgw-class']);
    await cluster.services.kube.delete({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', name: 'openshift-storage.noobaa.io' });
    const { result } = await run(cluster.services, steps());
    expect(result.result).toBe('failed');
    expect(result.firstError?.message).toMatch(/storage\.endpoint/);
    const obc = await run(cluster.services, steps(), { answers: { storage: { mode: 'obc' } } });
    expect(obc.result.firstError?.code).toBe('storage.no-bucket-class');
    expect(obc.result.firstError?.fix).toMatch(/NooBaa/);
  });

  it('obc-pending-region (C1): stops waiting after the bound, names class, provisioner and region, offers another class', async () => {
    cluster = await startStorageCluster(['obc-pending-region']);
    const { result, events } = await run(cluster.services, steps(), { answers: { storage: { bindTimeoutSeconds: 0.3 } } });
    expect(result.result).toBe('failed');
    expect(result.firstError?.code).toBe('storage.obc-pending');
    const d = diagnosisOf(events, 'storage');
    expect(d?.summary).toMatch(/ocs-storagecluster-ceph-rgw/);
    expect(d?.summary).toMatch(/openshift-storage\.ceph\.rook\.io\/bucket/);
    expect(d?.summary).toMatch(/region=eu-west-1/);
    expect(d?.fix).toMatch(/openshift-storage\.noobaa\.io/);
    expect(d?.suggestedInputs).toEqual({ storageClass: 'openshift-storage.noobaa.io' });

    // Taking the suggestion replaces the Pending claim and binds.
    const retry = await run(cluster.services, steps(), { answers: { storage: { storageClass: 'openshift-storage.noobaa.io' } } });
    expect(retry.result.result).toBe('done');
    expect(planOf(retry.events, 'storage')[0]).toMatchObject({ action: 'update', diff: [{ path: 'spec.storageClassName', from: 'ocs-storagecluster-ceph-rgw', to: 'openshift-storage.noobaa.io' }] });
  });

  it('existing-s3: writes the keys to a Secret in the project, references in the plan only', async () => {
    cluster = await startStorageCluster();
    const answers = { storage: { mode: 'existing-s3', endpoint: 'https://s3.eu-west-1.amazonaws.com', bucket: 'team-models', region: 'eu-west-1' } };
    const missing = await run(cluster.services, steps(), { answers });
    expect(missing.result.firstError?.code).toBe('storage.keys-missing');

    const secrets = { storage: { accessKeyId: 'AKIAEXAMPLEKEY000001', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } };
    const { result, events } = await run(cluster.services, steps(), { answers, secrets });
    expect(result.result).toBe('done');
    const change = planOf(events, 'storage')[0];
    expect(change?.manifest?.['stringData']).toMatchObject({ AWS_ACCESS_KEY_ID: '<from input accessKeyId>', AWS_SECRET_ACCESS_KEY: '<from input secretAccessKey>', AWS_S3_BUCKET: 'team-models' });
    expect(JSON.stringify(events)).not.toContain(secrets.storage.secretAccessKey);
    const secret = await cluster.services.kube.get('v1', 'Secret', 'models-s3', 'llm-hosting');
    const data = secret?.['data'] as Record<string, string>;
    expect(Buffer.from(data['AWS_SECRET_ACCESS_KEY'] ?? '', 'base64').toString()).toBe(secrets.storage.secretAccessKey);
    expect(result.outputs['storage']).toEqual({
      mode: 'existing-s3', namespace: 'llm-hosting', bucket: 'team-models', endpoint: 'https://s3.eu-west-1.amazonaws.com',
      externalEndpoint: 'https://s3.eu-west-1.amazonaws.com', region: 'eu-west-1', secretName: 'models-s3',
    });
    // A later run without the keys keeps the Secret as it is.
    const again = await run(cluster.services, steps(), { answers });
    expect(again.result.result).toBe('done');
    expect(planOf(again.events, 'storage').map((c) => c.action)).toEqual(['none']);
  });
});
