/**
 * Simulated ObjectBucketClaim provisioners of OpenShift Data Foundation: Rook's Ceph RGW
 * provisioner (`openshift-storage.ceph.rook.io/bucket`) and NooBaa's (`openshift-storage.noobaa.io/obc`),
 * both built on kube-object-storage/lib-bucket-provisioner.
 *
 * - Claim with a bucket class → after DURATIONS.obcBound: `spec.bucketName` (`generateBucketName`
 *   + `-` + a UUID, cut to 63 characters, as lib-bucket-provisioner names it), `spec.objectBucketName`
 *   (`obc-<ns>-<name>`), ConfigMap and Secret named like the claim (`BUCKET_HOST`, `BUCKET_NAME`,
 *   `BUCKET_PORT`, `BUCKET_REGION`, `BUCKET_SUBREGION`; `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`),
 *   `status.phase: Bound`. RGW: host `rook-ceph-rgw-ocs-storagecluster-cephobjectstore.openshift-storage.svc`,
 *   port 80 (the CephObjectStore gateway `port`); NooBaa: `s3.openshift-storage.svc`, port 443.
 * - Class missing → `Pending` and a Warning Event (the claim names a class that does not exist).
 * - A class whose provisioner is not a bucket provisioner → nobody picks the claim up: no status at all.
 * - An RGW class with `parameters.region` other than the object store's (`us-east-1`) → Pending
 *   forever, no event (rook/rook#9486, FIELD-CASES C1).
 * With an S3 backend: `ensureBucket`, its keys in the Secret, its handler served for the bucket host.
 */
import { randomUUID } from 'node:crypto';
import type { StoredObject } from '../types.js';
import { DURATIONS } from '../durations.js';
import type { OperatorContext, SimOperator } from './context.js';
import { Controller, keyOf, splitKey } from './controller.js';
import type { Key } from './controller.js';
import { b64, ownerRef, randomSecret } from './objects.js';

/** Service of the Ceph RGW object store in `openshift-storage`. */
export const RGW_SERVICE = 'rook-ceph-rgw-ocs-storagecluster-cephobjectstore';
/** Service of the NooBaa S3 endpoint in `openshift-storage`. */
export const NOOBAA_SERVICE = 's3';
/** Routes ODF creates in `openshift-storage` for its S3 endpoints (host `<name>-openshift-storage.<domain>`). */
export const OBJECT_STORE_ROUTES = { rgw: 'ocs-storagecluster-cephobjectstore', noobaa: 's3' } as const;

/**
 * Every host name the S3 endpoints answer on: in-cluster Service hosts (with and without
 * `.cluster.local`) and the external Route hosts. For the S3 backend's `endpointHosts`.
 */
export function bucketEndpointHosts(domain: string): string[] {
  const svc = [RGW_SERVICE, NOOBAA_SERVICE].flatMap((name) => [`${name}.openshift-storage.svc`, `${name}.openshift-storage.svc.cluster.local`]);
  return [...svc, ...Object.values(OBJECT_STORE_ROUTES).map((r) => `${r}-openshift-storage.${domain}`)];
}

/** Region of the simulated object store. */
export const OBJECT_STORE_REGION = 'us-east-1';

interface Provisioner { host: string; service: string; port: number; component: string }

/** The provisioner behind a StorageClass's `provisioner`, if it provisions buckets. */
export function bucketProvisioner(provisioner: string): Provisioner | undefined {
  if (provisioner.endsWith('.ceph.rook.io/bucket')) return { host: `${RGW_SERVICE}.openshift-storage.svc`, service: RGW_SERVICE, port: 80, component: 'rook-ceph-operator' };
  if (provisioner.endsWith('.noobaa.io/obc')) return { host: `${NOOBAA_SERVICE}.openshift-storage.svc`, service: NOOBAA_SERVICE, port: 443, component: 'noobaa-operator' };
  return undefined;
}

/** `generateBucketName` + `-` + UUID, at most 63 characters (lib-bucket-provisioner). */
export function generateBucketName(prefix: string): string {
  return `${prefix}-${randomUUID()}`.slice(0, 63).replace(/-+$/, '');
}

function reconcile(key: Key, ctl: Controller): void {
  const { namespace, name } = splitKey(key);
  const o = ctl.objects;
  const obc = o.get('ObjectBucketClaim', namespace, name);
  if (!obc || !namespace) return ctl.cancelAll(key);
  const spec = (obc['spec'] ?? {}) as { storageClassName?: string; generateBucketName?: string; bucketName?: string };
  const phase = (obc['status'] as { phase?: string } | undefined)?.phase;
  if (phase === 'Bound') return;
  const sc = spec.storageClassName ? o.get('StorageClass', undefined, spec.storageClassName) : undefined;
  if (!sc) {
    if (phase !== 'Pending') {
      o.setStatus('ObjectBucketClaim', namespace, name, (s) => ({ ...s, phase: 'Pending' }));
      o.event(obc, 'Warning', 'ProvisioningFailed', `error provisioning bucket: storageclass.storage.k8s.io "${spec.storageClassName ?? ''}" not found`, 'objectbucketclaim-controller');
    }
    return;
  }
  const prov = bucketProvisioner(String(sc['provisioner'] ?? ''));
  if (!prov) return;
  if (phase !== 'Pending') o.setStatus('ObjectBucketClaim', namespace, name, (s) => ({ ...s, phase: 'Pending' }));
  const params = (sc['parameters'] ?? {}) as Record<string, string>;
  if (prov.service === RGW_SERVICE && params['region'] !== undefined && params['region'] !== OBJECT_STORE_REGION) return;
  ctl.after(key, 'bind', DURATIONS.obcBound, () => void bind(ctl, key, prov, params).catch((err: unknown) => console.error(`simulated OBC provisioner: ${(err as Error).message}`)));
}

async function bind(ctl: Controller, key: Key, prov: Provisioner, params: Record<string, string>): Promise<void> {
  const { namespace, name } = splitKey(key);
  const o = ctl.objects;
  const obc = o.get('ObjectBucketClaim', namespace, name);
  if (!obc || !namespace) return;
  const spec = (obc['spec'] ?? {}) as { generateBucketName?: string; bucketName?: string };
  const bucket = spec.bucketName || generateBucketName(spec.generateBucketName || name);
  const s3 = ctl.ctx.backends.s3;
  if (s3) {
    await s3.ensureBucket(bucket);
    ctl.ctx.services.set('openshift-storage', prov.service, s3.handler);
  }
  const current = o.get('ObjectBucketClaim', namespace, name);
  if (!current || (current['status'] as { phase?: string } | undefined)?.phase === 'Bound') return;
  const owner = [ownerRef(current)];
  const labels = { 'bucket-provisioner': String(ctl.objects.get('StorageClass', undefined, String((current['spec'] as { storageClassName?: string }).storageClassName))?.['provisioner'] ?? '').replace('/', '-') };
  o.ensure('ConfigMap', {
    metadata: { name, namespace, labels, ownerReferences: owner, finalizers: ['objectbucket.io/finalizer'] },
    data: {
      BUCKET_HOST: prov.host, BUCKET_NAME: bucket, BUCKET_PORT: String(prov.port),
      BUCKET_REGION: prov.service === RGW_SERVICE ? (params['region'] ?? OBJECT_STORE_REGION) : '', BUCKET_SUBREGION: '',
    },
  });
  o.ensure('Secret', {
    metadata: { name, namespace, labels, ownerReferences: owner, finalizers: ['objectbucket.io/finalizer'] },
    type: 'Opaque',
    data: { AWS_ACCESS_KEY_ID: b64(s3?.accessKeyId ?? randomSecret(15).toUpperCase().replace(/[^A-Z0-9]/g, 'X')), AWS_SECRET_ACCESS_KEY: b64(s3?.secretAccessKey ?? randomSecret(30)) },
  });
  o.update('ObjectBucketClaim', namespace, name, (c) => {
    c['spec'] = { ...(c['spec'] as object), bucketName: bucket, objectBucketName: `obc-${namespace}-${name}` };
    c.metadata.finalizers = ['objectbucket.io/finalizer'];
    c.metadata.labels = { ...(c.metadata.labels ?? {}), 'bucket-provisioner': labels['bucket-provisioner'] };
  });
  o.setStatus('ObjectBucketClaim', namespace, name, (s) => ({ ...s, phase: 'Bound' }));
}

/** Creates the simulated OBC provisioners (one controller for both provisioners). */
export function createObcOperator(ctx: OperatorContext): SimOperator {
  const ctl: Controller = new Controller(ctx, {
    name: 'obc-provisioner',
    primary: 'ObjectBucketClaim',
    watches: [{ kind: 'StorageClass', map: () => ctl.objects.list('ObjectBucketClaim').map(keyOf) }],
    reconcile,
    onStart(c) {
      const s3 = ctx.backends.s3;
      if (!s3) return;
      // The S3 endpoints' external Routes are served by the S3 backend from the start.
      for (const name of Object.values(OBJECT_STORE_ROUTES)) {
        const host = (c.objects.get('Route', 'openshift-storage', name)?.['spec'] as { host?: string } | undefined)?.host;
        if (host) ctx.ingress.set(host, s3.handler);
      }
      for (const obc of c.objects.list('ObjectBucketClaim')) {
        if ((obc['status'] as { phase?: string } | undefined)?.phase !== 'Bound') continue;
        const bucket = (obc['spec'] as { bucketName?: string }).bucketName;
        const sc = c.objects.get('StorageClass', undefined, String((obc['spec'] as { storageClassName?: string }).storageClassName));
        const prov = bucketProvisioner(String(sc?.['provisioner'] ?? ''));
        if (bucket) void s3.ensureBucket(bucket);
        if (prov) ctx.services.set('openshift-storage', prov.service, s3.handler);
      }
    },
  });
  return ctl;
}

/** The bucket host a Bound claim's ConfigMap names, as an in-cluster URL (`http://host:port`). */
export function bucketEndpoint(cm: StoredObject): string {
  const data = (cm['data'] ?? {}) as Record<string, string>;
  const scheme = data['BUCKET_PORT'] === '443' ? 'https' : 'http';
  return `${scheme}://${data['BUCKET_HOST'] ?? ''}:${data['BUCKET_PORT'] ?? ''}`;
}
