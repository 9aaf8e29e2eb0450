import { afterEach, describe, expect, it } from 'vitest';
import { makeEnv, secretKey, statusOf } from './env.js';
import type { TestEnv } from './env.js';
import { fakeS3 } from './fakes.js';

let env: TestEnv;
afterEach(() => env.stop());

const claim = (env: TestEnv, storageClassName: string): void => {
  env.o.ensure('Namespace', { metadata: { name: 'llm-hosting' } });
  env.o.ensure('ObjectBucketClaim', { metadata: { name: 'models', namespace: 'llm-hosting' }, spec: { generateBucketName: 'models', storageClassName } });
};

describe('simulated OBC provisioner', () => {
  it('binds an RGW claim: bucket name, ConfigMap and Secret of the claim name, S3 backend bucket and service', async () => {
    const s3 = fakeS3();
    env = makeEnv({ backends: { s3 } });
    claim(env, 'ocs-storagecluster-ceph-rgw');
    const obc = await env.waitFor('ObjectBucketClaim', 'llm-hosting', 'models', (o) => statusOf(o)['phase'] === 'Bound');
    const bucket = (obc['spec'] as { bucketName: string }).bucketName;
    expect(bucket).toMatch(/^models-[0-9a-f-]{36}$/);
    const cm = env.o.get('ConfigMap', 'llm-hosting', 'models');
    expect(cm?.['data']).toEqual({
      BUCKET_HOST: 'rook-ceph-rgw-ocs-storagecluster-cephobjectstore.openshift-storage.svc',
      BUCKET_NAME: bucket, BUCKET_PORT: '80', BUCKET_REGION: 'us-east-1', BUCKET_SUBREGION: '',
    });
    const secret = env.o.get('Secret', 'llm-hosting', 'models');
    expect(secretKey(secret, 'AWS_ACCESS_KEY_ID')).toBe('AKIAFAKEFAKEFAKE');
    expect(secretKey(secret, 'AWS_SECRET_ACCESS_KEY')).toBe('fake-secret-key');
    expect(s3.buckets).toEqual([bucket]);
    expect(env.services.resolve('http://rook-ceph-rgw-ocs-storagecluster-cephobjectstore.openshift-storage.svc:80/')).toBe(s3.handler);
  });

  it('binds a NooBaa claim on s3.openshift-storage.svc:443 with generated keys when no S3 backend is wired', async () => {
    env = makeEnv();
    claim(env, 'openshift-storage.noobaa.io');
    await env.waitFor('ObjectBucketClaim', 'llm-hosting', 'models', (o) => statusOf(o)['phase'] === 'Bound');
    const data = env.o.get('ConfigMap', 'llm-hosting', 'models')?.['data'] as Record<string, string>;
    expect(data['BUCKET_HOST']).toBe('s3.openshift-storage.svc');
    expect(data['BUCKET_PORT']).toBe('443');
    expect(secretKey(env.o.get('Secret', 'llm-hosting', 'models'), 'AWS_SECRET_ACCESS_KEY')?.length).toBeGreaterThan(20);
  });

  it('a claim naming a class that does not exist stays Pending with a Warning event', async () => {
    env = makeEnv();
    claim(env, 'no-such-class');
    await env.clock.settled();
    const obc = env.o.get('ObjectBucketClaim', 'llm-hosting', 'models');
    expect(statusOf(obc)['phase']).toBe('Pending');
    const events = env.o.list('Event', 'llm-hosting');
    expect(events.map((e) => [e['type'], e['reason']])).toEqual([['Warning', 'ProvisioningFailed']]);
    expect(String(events[0]?.['message'])).toContain('"no-such-class" not found');
    expect(env.o.get('ConfigMap', 'llm-hosting', 'models')).toBeUndefined();
  });

  it('a bucket class whose region is not the object store\'s leaves the claim Pending with no event (C1)', async () => {
    env = makeEnv({ before: (o) => o.update('StorageClass', undefined, 'ocs-storagecluster-ceph-rgw', (sc) => {
      sc['parameters'] = { ...(sc['parameters'] as object), region: 'eu-west-1' };
    }) });
    claim(env, 'ocs-storagecluster-ceph-rgw');
    await env.clock.settled();
    expect(statusOf(env.o.get('ObjectBucketClaim', 'llm-hosting', 'models'))['phase']).toBe('Pending');
    expect(env.o.list('Event', 'llm-hosting')).toEqual([]);
    expect(env.o.get('Secret', 'llm-hosting', 'models')).toBeUndefined();
  });
});
