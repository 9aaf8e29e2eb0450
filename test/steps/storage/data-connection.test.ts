import { afterEach, describe, expect, it } from 'vitest';
import type { Change, EngineEvent, KubeObject } from '../../../src/engine/types.js';
import { preflightStep } from '../../../steps/preflight.js';
import { projectStep } from '../../../steps/project.js';
import { storageSteps } from '../../../steps/storage/index.js';
import type { StorageOutputs } from '../../../steps/storage/index.js';
import { run, s3Requests, startStorageCluster } from './cluster.js';
import type { StorageCluster } from './cluster.js';

let cluster: StorageCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

const steps = () => [preflightStep, projectStep, ...storageSteps()];
const planOf = (events: EngineEvent[], step: string): Change[] =>
  events.find((e): e is Extract<EngineEvent, { type: 'plan' }> => e.type === 'plan' && e.step === step)?.changes ?? [];
const decode = (s: KubeObject | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries((s?.['data'] ?? {}) as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));

describe('data connection against the simulated cluster', () => {
  it('writes exactly the labels, annotations and keys of an S3 connection and checks them with HeadBucket', async () => {
    cluster = await startStorageCluster();
    const { result, events } = await run(cluster.services, steps());
    expect(result.result).toBe('done');
    const storage = result.outputs['storage'] as unknown as StorageOutputs;
    const secret = await cluster.services.kube.get('v1', 'Secret', 'aws-connection-models', 'llm-hosting');
    expect(secret?.metadata.labels).toEqual({ 'opendatahub.io/dashboard': 'true', 'opendatahub.io/managed': 'true' });
    expect(secret?.metadata.annotations).toEqual({ 'opendatahub.io/connection-type': 's3', 'opendatahub.io/connection-type-ref': 's3', 'openshift.io/display-name': 'models' });
    expect(decode(secret)).toEqual({
      AWS_ACCESS_KEY_ID: cluster.s3.accessKeyId, AWS_SECRET_ACCESS_KEY: cluster.s3.secretAccessKey,
      AWS_S3_ENDPOINT: 'http://rook-ceph-rgw-ocs-storagecluster-cephobjectstore.openshift-storage.svc:80', AWS_S3_BUCKET: storage.bucket, AWS_DEFAULT_REGION: 'us-east-1',
    });
    // The plan carries references, never the values.
    expect(planOf(events, 'data-connection')[0]?.manifest?.['stringData']).toMatchObject({ AWS_SECRET_ACCESS_KEY: '<from Secret models key AWS_SECRET_ACCESS_KEY>' });
    expect(JSON.stringify(events)).not.toContain(cluster.s3.secretAccessKey);
    expect(s3Requests(cluster.sim).filter((r) => r.startsWith(`HEAD /${storage.bucket}`))).toHaveLength(1);
    expect(result.outputs['data-connection']).toEqual({ name: 'aws-connection-models', namespace: 'llm-hosting', bucket: storage.bucket, endpoint: storage.endpoint });
  });

  it('fixes an existing connection whose dashboard label is missing or "false" (C3)', async () => {
    cluster = await startStorageCluster();
    const first = await run(cluster.services, steps());
    expect(first.result.result).toBe('done');
    const { kube } = cluster.services;
    const ref = { apiVersion: 'v1', kind: 'Secret', name: 'aws-connection-models', namespace: 'llm-hosting' };
    await kube.mergePatch(ref, { metadata: { labels: { 'opendatahub.io/dashboard': 'false', 'opendatahub.io/managed': null, team: 'ml' } } });

    const { result, events } = await run(cluster.services, steps());
    expect(result.result).toBe('done');
    const change = planOf(events, 'data-connection')[0];
    expect(change?.action).toBe('update');
    expect(change?.diff).toEqual([
      { path: 'metadata.labels.opendatahub.io/dashboard', from: 'false', to: 'true' },
      { path: 'metadata.labels.opendatahub.io/managed', from: undefined, to: 'true' },
    ]);
    expect(change?.note).toMatch(/storage-config/);
    const fixed = await kube.get('v1', 'Secret', 'aws-connection-models', 'llm-hosting');
    expect(fixed?.metadata.labels).toEqual({ 'opendatahub.io/dashboard': 'true', 'opendatahub.io/managed': 'true', team: 'ml' });
  });

  it('replaces wrong keys and reports them hidden; fails verify when the keys do not open the bucket', async () => {
    cluster = await startStorageCluster();
    expect((await run(cluster.services, steps())).result.result).toBe('done');
    const { kube } = cluster.services;
    const ref = { apiVersion: 'v1', kind: 'Secret', name: 'aws-connection-models', namespace: 'llm-hosting' };
    await kube.mergePatch(ref, { stringData: { AWS_SECRET_ACCESS_KEY: 'stale-secret-value-000000000000000000000' } });
    const { result, events } = await run(cluster.services, steps());
    expect(result.result).toBe('done');
    expect(planOf(events, 'data-connection')[0]?.diff).toEqual([
      { path: 'stringData.AWS_SECRET_ACCESS_KEY', from: '<hidden>', to: '<from Secret models key AWS_SECRET_ACCESS_KEY>' },
    ]);
    expect(JSON.stringify(events)).not.toContain('stale-secret-value');

    // Keys that S3 refuses: verify names the refusal instead of passing.
    await kube.mergePatch({ ...ref, name: 'models' }, { stringData: { AWS_SECRET_ACCESS_KEY: 'x'.repeat(40) } });
    await kube.mergePatch(ref, { stringData: { AWS_SECRET_ACCESS_KEY: 'x'.repeat(40) } });
    const refused = await run(cluster.services, steps());
    expect(refused.result.result).toBe('failed');
    expect(refused.result.firstError?.code).toBe('s3.denied');
  });

  it('existing-s3: the connection copies the keys from the project Secret and HeadBucket passes through the endpoint', async () => {
    cluster = await startStorageCluster();
    await cluster.s3.ensureBucket('team-models');
    const endpoint = `https://s3-openshift-storage.${cluster.sim.domain}`;
    const { result } = await run(cluster.services, steps(), {
      answers: { storage: { mode: 'existing-s3', endpoint, bucket: 'team-models' } },
      secrets: { storage: { accessKeyId: cluster.s3.accessKeyId, secretAccessKey: cluster.s3.secretAccessKey } },
    });
    expect(result.firstError).toBeUndefined();
    const secret = await cluster.services.kube.get('v1', 'Secret', 'aws-connection-models', 'llm-hosting');
    expect(decode(secret)).toEqual({ AWS_ACCESS_KEY_ID: cluster.s3.accessKeyId, AWS_SECRET_ACCESS_KEY: cluster.s3.secretAccessKey, AWS_S3_ENDPOINT: endpoint, AWS_S3_BUCKET: 'team-models', AWS_DEFAULT_REGION: 'us-east-1' });
    expect(s3Requests(cluster.sim).some((r) => r.startsWith('HEAD /team-models'))).toBe(true);
  });

  it('an external endpoint no Route serves fails verify with a sentence, not a stack', async () => {
    cluster = await startStorageCluster();
    const { result } = await run(cluster.services, steps(), { answers: { storage: { externalEndpoint: `https://nowhere.${cluster.sim.domain}` } } });
    expect(result.states['storage']).toBe('done');
    expect(result.firstError).toMatchObject({ code: 's3.unreachable', step: 'data-connection', phase: 'verify' });
    expect(result.firstError?.message).toMatch(/answered HTTP 503/);
  });
});
