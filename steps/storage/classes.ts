/**
 * Bucket StorageClasses (STAGES.md §0/§2): a class whose provisioner ends in `.ceph.rook.io/bucket`
 * (Rook/ODF Ceph RGW, e.g. `openshift-storage.ceph.rook.io/bucket`) or `.noobaa.io/obc` (NooBaa,
 * `openshift-storage.noobaa.io/obc`) serves ObjectBucketClaims; nothing else does.
 */
import type { KubeClient } from '../../src/cluster/kube.js';
import { UserError } from '../../src/engine/errors.js';
import type { KubeObject } from '../../src/engine/types.js';

/** A bucket class as read from the cluster (`storage.k8s.io/v1` StorageClass). */
export interface BucketClass {
  name: string;
  provisioner: string;
  kind: 'rgw' | 'noobaa';
  /** `parameters` (e.g. `region`, `objectStoreName`, `bucketclass`). */
  parameters: Record<string, string>;
}

/** `rgw` / `noobaa` for a bucket provisioner, undefined for any other provisioner. */
export function bucketKind(provisioner: string): 'rgw' | 'noobaa' | undefined {
  if (provisioner.endsWith('.ceph.rook.io/bucket')) return 'rgw';
  if (provisioner.endsWith('.noobaa.io/obc')) return 'noobaa';
  return undefined;
}

function toBucketClass(sc: KubeObject): BucketClass | undefined {
  const provisioner = String(sc['provisioner'] ?? '');
  const kind = bucketKind(provisioner);
  if (!kind) return undefined;
  return { name: sc.metadata.name ?? '', provisioner, kind, parameters: (sc['parameters'] ?? {}) as Record<string, string> };
}

/** Every bucket class of the cluster, RGW first. */
export async function listBucketClasses(kube: KubeClient): Promise<BucketClass[]> {
  const all = await kube.list('storage.k8s.io/v1', 'StorageClass');
  return all.map(toBucketClass).filter((c): c is BucketClass => c !== undefined).sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'rgw' ? -1 : 1));
}

/** The sentence used when there is no bucket class at all (C2). */
export const NO_BUCKET_CLASS_FIX =
  'install OpenShift Data Foundation with the Multicloud Object Gateway (NooBaa: class openshift-storage.noobaa.io), or choose mode existing-s3 with an S3 bucket you have';

/**
 * The class to claim from: `wanted` when it exists and is a bucket class, else (no wish) the
 * first bucket class. Never a class that does not exist (FIELD-CASES C2).
 * @throws UserError `storage.class-missing` naming the classes that exist, `storage.no-bucket-class`.
 */
export async function resolveBucketClass(kube: KubeClient, wanted: string | undefined): Promise<BucketClass> {
  const classes = await listBucketClasses(kube);
  const names = classes.map((c) => c.name);
  if (wanted) {
    const found = classes.find((c) => c.name === wanted);
    if (found) return found;
    const exists = await kube.get('storage.k8s.io/v1', 'StorageClass', wanted);
    const why = exists ? `is not a bucket class (provisioner ${String(exists['provisioner'])})` : 'does not exist';
    throw new UserError('storage.class-missing', `StorageClass ${wanted} ${why}; bucket classes on this cluster: ${names.length > 0 ? names.join(', ') : 'none'}`, {
      fix: names.length > 0 ? `choose one of: ${names.join(', ')} (storage.storageClass), or mode existing-s3` : NO_BUCKET_CLASS_FIX,
    });
  }
  const first = classes[0];
  if (!first) throw new UserError('storage.no-bucket-class', 'this cluster has no bucket StorageClass (no Ceph RGW, no NooBaa)', { fix: NO_BUCKET_CLASS_FIX });
  return first;
}
