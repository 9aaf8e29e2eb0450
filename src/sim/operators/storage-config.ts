/**
 * Simulated OpenShift AI (odh-model-controller) storage-config controller: it copies data
 * connections into the Secret `storage-config` of their namespace, which KServe's storage
 * initializer reads by key (`spec.predictor.model.storage.key`).
 *
 * Only Secrets labelled `opendatahub.io/dashboard: "true"` AND `opendatahub.io/managed: "true"`
 * are copied (STAGES.md §3; odh-dashboard#6847, FIELD-CASES C3); each entry is keyed by the
 * Secret's name and holds JSON `{type: "s3", access_key_id, secret_access_key, endpoint_url,
 * bucket, default_bucket, region}` built from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
 * `AWS_S3_ENDPOINT`, `AWS_S3_BUCKET`, `AWS_DEFAULT_REGION`. Unlabelling or deleting the
 * connection removes its entry.
 */
import type { StoredObject } from '../types.js';
import type { OperatorContext, SimOperator } from './context.js';
import { Controller } from './controller.js';
import type { Key } from './controller.js';
import { b64, secretValue } from './objects.js';

/** Name of the Secret KServe reads data connections from. */
export const STORAGE_CONFIG = 'storage-config';

/** True when OpenShift AI registers this Secret as a data connection. */
export function isRegisteredConnection(secret: StoredObject): boolean {
  const l = secret.metadata.labels ?? {};
  return l['opendatahub.io/dashboard'] === 'true' && l['opendatahub.io/managed'] === 'true';
}

/** The storage-config entry (JSON) of a data connection Secret. */
export function storageConfigEntry(secret: StoredObject): string {
  const bucket = secretValue(secret, 'AWS_S3_BUCKET') ?? '';
  return JSON.stringify({
    type: 's3',
    access_key_id: secretValue(secret, 'AWS_ACCESS_KEY_ID') ?? '',
    secret_access_key: secretValue(secret, 'AWS_SECRET_ACCESS_KEY') ?? '',
    endpoint_url: secretValue(secret, 'AWS_S3_ENDPOINT') ?? '',
    bucket,
    default_bucket: bucket,
    region: secretValue(secret, 'AWS_DEFAULT_REGION') ?? '',
  });
}

function reconcileNamespace(key: Key, ctl: Controller): void {
  const namespace = key.slice(key.indexOf('/') + 1);
  const o = ctl.objects;
  const wanted: Record<string, string> = {};
  for (const s of o.list('Secret', namespace)) {
    if (s.metadata.name === STORAGE_CONFIG || !isRegisteredConnection(s)) continue;
    wanted[s.metadata.name] = b64(storageConfigEntry(s));
  }
  const existing = o.get('Secret', namespace, STORAGE_CONFIG);
  if (!existing) {
    if (Object.keys(wanted).length === 0) return;
    o.ensure('Secret', { metadata: { name: STORAGE_CONFIG, namespace, labels: { 'opendatahub.io/managed': 'true' } }, type: 'Opaque', data: wanted });
    return;
  }
  if (JSON.stringify(existing['data'] ?? {}) === JSON.stringify(wanted)) return;
  o.update('Secret', namespace, STORAGE_CONFIG, (s) => {
    s['data'] = wanted;
  });
}

/** Creates the storage-config controller (keyed by namespace: `/<namespace>`). */
export function createStorageConfigOperator(ctx: OperatorContext): SimOperator {
  const ctl: Controller = new Controller(ctx, {
    name: 'odh-storage-config',
    primary: 'Namespace',
    watches: [{ kind: 'Secret', map: (e) => [`/${e.object.metadata.namespace ?? ''}`] }],
    reconcile: reconcileNamespace,
  });
  return ctl;
}
