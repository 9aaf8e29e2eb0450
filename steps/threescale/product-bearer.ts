/**
 * The Bearer mode of the products (STAGES.md §8), chosen once in `threescale.apimanager` because
 * the `remove-bearer` mode needs the APIManager to load a custom APIcast policy:
 * - `authorization` (default): proxy `credentials_location=authorization`; APIcast takes the key
 *   from `Authorization: Bearer <key>` (or Basic) by itself;
 * - `remove-bearer` (as in the guide): `credentials_location=headers`, `auth_user_key=Authorization`,
 *   plus the custom policy `remove-bearer` 0.1 that strips `Bearer `: Secret `cp-bearer` (labelled
 *   watched-by), the CustomPolicyDefinition, and APIManager `apicast.{staging,production}Spec.customPolicies`.
 * This module plans and writes the two objects of that mode; the APIManager spec part is in apimanager.ts.
 */
import type { KubeClient } from '../../src/cluster/kube.js';
import type { Change, KubeObject } from '../../src/engine/types.js';
import { customPolicyDefinition, customPolicySecret } from './custom-policy.js';
import { manifestChange, secretValue, writeManifest } from './shared.js';

/** How APIcast reads the API key (see the module comment). */
export type BearerMode = 'authorization' | 'remove-bearer';

/** The choices of the `bearerMode` field, with what each means. */
export const BEARER_MODE_CHOICES = [
  { value: 'authorization', label: 'Authorization header (Bearer or Basic)', hint: 'default: APIcast reads the key from "Authorization: Bearer <key>"; no custom policy' },
  { value: 'remove-bearer', label: 'Raw Authorization header + remove-bearer policy', hint: 'as in the guide: a custom APIcast policy strips "Bearer " first (Secret cp-bearer, CustomPolicyDefinition)' },
] as const;

/** Proxy settings of a Bearer mode (3scale Proxy Update `credentials_location`, `auth_user_key`). */
export function proxyAuth(mode: BearerMode): Record<string, string> {
  return mode === 'remove-bearer' ? { credentials_location: 'headers', auth_user_key: 'Authorization' } : { credentials_location: 'authorization' };
}

type WithStringData = KubeObject & { stringData?: Record<string, string> };

/** The files of Secret `cp-bearer` as they are in the cluster (decoded), for the comparison. */
function secretFiles(current: KubeObject | undefined, keys: string[]): Record<string, string | undefined> {
  return Object.fromEntries(keys.map((k) => [k, secretValue(current, k)]));
}

/**
 * Planned changes for the `remove-bearer` mode's objects in `namespace`: Secret `cp-bearer` (files
 * and label compared) and CustomPolicyDefinition `remove-bearer` (spec compared).
 * @throws KubeApiError from reading them.
 */
export async function customPolicyChanges(kube: KubeClient, namespace: string): Promise<Change[]> {
  const secret = customPolicySecret(namespace) as WithStringData;
  const files = secret.stringData ?? {};
  const currentSecret = await kube.get(secret.apiVersion, secret.kind, secret.metadata.name ?? '', namespace);
  const secretChange = manifestChange(
    currentSecret ? { ...currentSecret, files: secretFiles(currentSecret, Object.keys(files)) } : undefined,
    secret,
    { metadata: { labels: secret.metadata.labels ?? {} }, files },
    'the remove-bearer policy files; labelled so the 3scale operator watches it',
  );
  const cpd = customPolicyDefinition(namespace);
  const currentCpd = await kube.get(cpd.apiVersion, cpd.kind, cpd.metadata.name ?? '', namespace);
  const cpdChange = manifestChange(currentCpd, cpd, { spec: cpd['spec'] as Record<string, unknown> });
  return [secretChange, cpdChange];
}

/** Writes a planned change of `customPolicyChanges` (create, or merge patch of `stringData`/spec). */
export async function writeCustomPolicyChange(kube: KubeClient, change: Change): Promise<void> {
  await writeManifest(kube, change);
}
