/**
 * Why an ObjectBucketClaim stays Pending (FIELD-CASES C1, STAGES.md §2 "Diagnosis"): name the
 * class, its provisioner and its parameters. Known cause: a Ceph RGW class whose
 * `parameters.region` differs from the object store's region leaves claims Pending without an
 * event (rook/rook#9486; the store's default zonegroup is `us-east-1`). A Warning event on the
 * claim (class missing, provisioning error) is quoted as it is.
 */
import type { KubeClient } from '../../src/cluster/kube.js';
import type { Diagnosis, KubeObject } from '../../src/engine/types.js';
import { bucketKind, listBucketClasses } from './classes.js';

/** Region of a default ODF Ceph object store (RGW zonegroup `us-east-1`). */
export const RGW_DEFAULT_REGION = 'us-east-1';

/** Messages of Warning events about the object (`involvedObject` kind + name), newest last. */
async function warnings(kube: KubeClient, namespace: string, kind: string, name: string): Promise<string[]> {
  const events = await kube.list('v1', 'Event', namespace);
  return events
    .filter((e) => {
      const io = e['involvedObject'] as { kind?: string; name?: string } | undefined;
      return io?.kind === kind && io.name === name && e['type'] === 'Warning';
    })
    .map((e) => String(e['message'] ?? e['reason'] ?? ''));
}

/**
 * The diagnosis of a claim Pending past its wait: class, provisioner, parameters, events, and
 * another bucket class to try (as `suggestedInputs.storageClass`) when there is one.
 */
export async function pendingClaimDiagnosis(kube: KubeClient, namespace: string, claim: string, className: string, waitedSeconds: number): Promise<Diagnosis> {
  const sc = await kube.get<KubeObject>('storage.k8s.io/v1', 'StorageClass', className);
  const others = (await listBucketClasses(kube)).filter((c) => c.name !== className);
  const offer = others[0];
  const offerText = offer ? `choose another bucket class (${others.map((c) => c.name).join(', ')}) and run again; the Pending claim is replaced` : 'or choose mode existing-s3';
  const events = await warnings(kube, namespace, 'ObjectBucketClaim', claim);
  const head = `ObjectBucketClaim ${namespace}/${claim} is still Pending after ${Math.round(waitedSeconds)} s`;
  if (!sc) {
    return {
      summary: `${head}: its StorageClass ${className} does not exist${events.length > 0 ? ` (${events.at(-1)})` : ''}`,
      fix: offer ? `choose an existing bucket class: ${others.map((c) => c.name).join(', ')}` : 'choose mode existing-s3',
      ...(offer ? { suggestedInputs: { storageClass: offer.name } } : {}),
    };
  }
  const provisioner = String(sc['provisioner'] ?? '');
  const params = (sc['parameters'] ?? {}) as Record<string, string>;
  const paramText = Object.keys(params).length > 0 ? Object.entries(params).map(([k, v]) => `${k}=${v}`).join(', ') : 'none';
  const region = params['region'];
  const kind = bucketKind(provisioner);
  let cause: string;
  if (events.length > 0) cause = `the provisioner reported: ${events.at(-1) ?? ''}`;
  else if (!kind) cause = `provisioner ${provisioner} does not provision buckets, so nobody picks the claim up`;
  else if (kind === 'rgw' && region !== undefined && region !== RGW_DEFAULT_REGION) {
    cause = `the likely cause is parameters.region=${region}: a region other than the object store's (${RGW_DEFAULT_REGION}) leaves claims Pending without an event (rook/rook#9486)`;
  } else cause = `no event explains it; check the ${kind === 'rgw' ? 'rook-ceph-operator' : 'noobaa-operator'} logs in openshift-storage`;
  return {
    summary: `${head} on StorageClass ${className} (provisioner ${provisioner}, parameters: ${paramText}): ${cause}`,
    fix: kind === 'rgw' && region !== undefined && region !== RGW_DEFAULT_REGION
      ? `${offerText}; or have an admin set the class's region to the object store's (StorageClass parameters cannot be edited: recreate it)`
      : offerText,
    ...(offer ? { suggestedInputs: { storageClass: offer.name } } : {}),
  };
}
