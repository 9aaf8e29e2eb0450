/**
 * The Hugging Face token's one home: a Secret in the project (default `hf-token`, key
 * `HF_TOKEN`, the variable huggingface_hub reads). Given as a secret input (or `HF_TOKEN`), it is
 * written there; later runs and the in-cluster import read it back from the cluster.
 */
import type { KubeClient } from '../../src/cluster/kube.js';
import type { Change, KubeObject } from '../../src/engine/types.js';
import { HIDDEN } from '../storage/existing-s3.js';
import { decodeSecret, inputRef } from '../storage/refs.js';

/** Key of the token in its Secret. */
export const HF_TOKEN_KEY = 'HF_TOKEN';

/** The Secret manifest with the token as a reference to the secret input `hfToken`. */
export function tokenSecretManifest(namespace: string, name: string): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Secret', type: 'Opaque',
    metadata: { name, namespace, labels: { 'app.kubernetes.io/managed-by': 'maas-wizard' } },
    stringData: { [HF_TOKEN_KEY]: inputRef('hfToken') },
  };
}

/** The token stored in the Secret, if any. */
export async function storedToken(kube: KubeClient, namespace: string, name: string): Promise<string | undefined> {
  return decodeSecret(await kube.get('v1', 'Secret', name, namespace))?.[HF_TOKEN_KEY] || undefined;
}

/** The change for the token Secret: nothing without a token input; else create, or update when it differs. */
export function tokenChange(namespace: string, name: string, given: string | undefined, stored: string | undefined, exists: boolean): Change | undefined {
  if (!given) return undefined;
  const target = `Secret ${namespace}/${name}`;
  const manifest = tokenSecretManifest(namespace, name);
  if (!exists) return { action: 'create', target, manifest, note: 'the Hugging Face token is kept only here' };
  if (stored === given) return { action: 'none', target, note: 'holds this token' };
  return { action: 'update', target, manifest, diff: [{ path: `stringData.${HF_TOKEN_KEY}`, from: stored === undefined ? undefined : HIDDEN, to: inputRef('hfToken') }] };
}
