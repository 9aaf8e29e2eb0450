/**
 * Mode `existing-s3` of the storage step (STAGES.md §2 "Alternative input"): the keys of an S3
 * bucket the person already has go into a Secret in the project (the only place they are kept),
 * with the non-secret facts beside them. Keys: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`
 * (secret), `AWS_S3_ENDPOINT`, `AWS_S3_BUCKET`, `AWS_DEFAULT_REGION`.
 */
import { UserError } from '../../src/engine/errors.js';
import type { Change, FieldDiff, KubeObject } from '../../src/engine/types.js';
import { inputRef } from './refs.js';

/** Shown instead of a value read from the cluster. */
export const HIDDEN = '<hidden>';

/** The Secret manifest, secret values as references to the step's secret inputs. */
export function existingS3Manifest(namespace: string, name: string, v: { endpoint: string; bucket: string; region: string }): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Secret', type: 'Opaque',
    metadata: { name, namespace, labels: { 'app.kubernetes.io/managed-by': 'maas-wizard' } },
    stringData: {
      AWS_ACCESS_KEY_ID: inputRef('accessKeyId'),
      AWS_SECRET_ACCESS_KEY: inputRef('secretAccessKey'),
      AWS_S3_ENDPOINT: v.endpoint,
      AWS_S3_BUCKET: v.bucket,
      AWS_DEFAULT_REGION: v.region,
    },
  };
}

/**
 * The change for the Secret. `current` is the decoded data of the Secret in the cluster (or
 * undefined); `given` the secret inputs. Secret values are compared in memory and shown as
 * `<hidden>` / references only.
 * @throws UserError `storage.keys-missing` when the Secret must be written and the keys were not given.
 */
export function existingS3Change(current: Record<string, string> | undefined, manifest: KubeObject, given: { accessKeyId?: string | undefined; secretAccessKey?: string | undefined }): Change {
  const target = `Secret ${manifest.metadata.namespace ?? ''}/${manifest.metadata.name ?? ''}`;
  const wanted = manifest['stringData'] as Record<string, string>;
  const haveKeys = Boolean(given.accessKeyId && given.secretAccessKey);
  if (!current) {
    if (!haveKeys) {
      throw new UserError('storage.keys-missing', 'existing S3 needs the access key and the secret key', {
        fix: 'enter them in the form, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (they are kept only in the Secret in the project)',
      });
    }
    return { action: 'create', target, manifest };
  }
  const diff: FieldDiff[] = [];
  for (const k of ['AWS_S3_ENDPOINT', 'AWS_S3_BUCKET', 'AWS_DEFAULT_REGION']) {
    if (current[k] !== wanted[k]) diff.push({ path: `stringData.${k}`, from: current[k], to: wanted[k] });
  }
  if (haveKeys) {
    if (current['AWS_ACCESS_KEY_ID'] !== given.accessKeyId) diff.push({ path: 'stringData.AWS_ACCESS_KEY_ID', from: HIDDEN, to: wanted['AWS_ACCESS_KEY_ID'] });
    if (current['AWS_SECRET_ACCESS_KEY'] !== given.secretAccessKey) diff.push({ path: 'stringData.AWS_SECRET_ACCESS_KEY', from: HIDDEN, to: wanted['AWS_SECRET_ACCESS_KEY'] });
  }
  if (diff.length === 0) return { action: 'none', target, note: 'exists with these values' };
  // Without new keys, the ones in the cluster stay: only the plain facts are rewritten.
  const stringData = haveKeys ? wanted : Object.fromEntries(Object.entries(wanted).filter(([k]) => !k.startsWith('AWS_ACCESS') && !k.startsWith('AWS_SECRET')));
  return { action: 'update', target, manifest: { ...manifest, stringData }, diff };
}
