/**
 * Mode `obc` of the storage step (STAGES.md §2): `objectbucket.io/v1alpha1` ObjectBucketClaim
 * with `spec.generateBucketName` and `spec.storageClassName`; the provisioner answers with
 * `status.phase` (`Pending`, `Bound`, `Released`, `Failed`) and, once Bound, a ConfigMap
 * (`BUCKET_HOST`, `BUCKET_NAME`, `BUCKET_PORT`, `BUCKET_REGION`, `BUCKET_SUBREGION`) and a Secret
 * (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`) named like the claim. Their values stay in the
 * cluster; only names and non-secret facts become outputs.
 */
import type { KubeClient } from '../../src/cluster/kube.js';
import { UserError } from '../../src/engine/errors.js';
import type { Change, KubeObject } from '../../src/engine/types.js';
import type { BucketClass } from './classes.js';

/** API version of ObjectBucketClaim (lib-bucket-provisioner's CRD `objectbucketclaims.objectbucket.io`). */
export const OBC_API = 'objectbucket.io/v1alpha1';

/** A claim as read back. */
export interface ClaimShape extends KubeObject {
  spec?: { storageClassName?: string; generateBucketName?: string; bucketName?: string };
  status?: { phase?: string };
}

/** The claim manifest (STAGES.md §2). */
export function claimManifest(namespace: string, name: string, storageClass: string): KubeObject {
  return { apiVersion: OBC_API, kind: 'ObjectBucketClaim', metadata: { name, namespace }, spec: { generateBucketName: name, storageClassName: storageClass } };
}

/**
 * The change for the claim: create it; nothing when it exists on the same class; replace it
 * (delete + create) when a Pending claim names another class. A Bound claim keeps its class.
 * @throws UserError `storage.claim-bound` when a Bound claim names another class.
 */
export function claimChange(current: ClaimShape | undefined, namespace: string, name: string, cls: BucketClass): Change {
  const manifest = claimManifest(namespace, name, cls.name);
  const target = `ObjectBucketClaim ${namespace}/${name}`;
  if (!current) return { action: 'create', target, manifest, note: `bucket class ${cls.name} (${cls.provisioner})` };
  const phase = current.status?.phase ?? 'no phase';
  const currentClass = current.spec?.storageClassName;
  if (currentClass === cls.name) return { action: 'none', target, note: `exists (${phase})` };
  if (phase === 'Bound') {
    throw new UserError('storage.claim-bound', `${target} is Bound on StorageClass ${currentClass ?? '?'}, not ${cls.name}; the class of a bound claim cannot change`, {
      fix: `keep storageClass ${currentClass ?? ''}, or delete the claim first (this deletes its bucket and the models in it): oc delete obc ${name} -n ${namespace}`,
    });
  }
  return {
    action: 'update', target, manifest,
    diff: [{ path: 'spec.storageClassName', from: currentClass, to: cls.name }],
    note: `the ${phase} claim is deleted and created again on ${cls.name} (it has no bucket yet)`,
  };
}

/** What a Bound claim gives: bucket facts and the names of its ConfigMap and Secret. */
export interface BoundClaim {
  bucket: string;
  host: string;
  port: string;
  region: string;
  configMap: Record<string, string>;
}

/**
 * Reads a Bound claim's ConfigMap and checks its Secret has the two keys (values not kept).
 * @throws UserError `storage.claim-incomplete` when either is missing or lacks keys.
 */
export async function readBoundClaim(kube: KubeClient, namespace: string, name: string): Promise<BoundClaim> {
  const cm = await kube.get('v1', 'ConfigMap', name, namespace);
  const secret = await kube.get('v1', 'Secret', name, namespace);
  const data = (cm?.['data'] ?? {}) as Record<string, string>;
  const keys = Object.keys((secret?.['data'] ?? {}) as Record<string, string>);
  const missing = [
    ...['BUCKET_HOST', 'BUCKET_NAME'].filter((k) => !data[k]).map((k) => `ConfigMap ${name} ${k}`),
    ...['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'].filter((k) => !keys.includes(k)).map((k) => `Secret ${name} ${k}`),
  ];
  if (missing.length > 0) {
    throw new UserError('storage.claim-incomplete', `ObjectBucketClaim ${namespace}/${name} is Bound but lacks ${missing.join(', ')}`, {
      fix: `check \`oc get configmap,secret ${name} -n ${namespace}\` and the provisioner's logs in openshift-storage`,
    });
  }
  return { bucket: data['BUCKET_NAME'] ?? '', host: data['BUCKET_HOST'] ?? '', port: data['BUCKET_PORT'] ?? '', region: data['BUCKET_REGION'] || 'us-east-1', configMap: data };
}
