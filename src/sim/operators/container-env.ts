/**
 * The environment the kubelet gives a container of a pod template (core/v1 `Container.env` and
 * `Container.envFrom`): `envFrom` sources first (Secret / ConfigMap keys, with `prefix`), then `env`
 * entries, later ones winning (Kubernetes "Define Environment Variables for a Container"):
 * `value`, `valueFrom.secretKeyRef`, `valueFrom.configMapKeyRef`. Secret values are decoded from
 * `data` (base64).
 */
import type { Objects } from './objects.js';
import { secretValue } from './objects.js';

interface KeyRef { name?: string; key?: string; optional?: boolean }
interface EnvVar { name?: string; value?: string; valueFrom?: { secretKeyRef?: KeyRef; configMapKeyRef?: KeyRef } }
interface EnvFrom { prefix?: string; secretRef?: { name?: string; optional?: boolean }; configMapRef?: { name?: string; optional?: boolean } }
/** The part of a container spec this module reads. */
export interface ContainerSpec { name?: string; env?: EnvVar[]; envFrom?: EnvFrom[] }

/**
 * The variables of `container` in `namespace`, as name → value.
 * @throws Error with the kubelet's wording (`secret "x" not found`, `couldn't find key K in Secret
 *   ns/x`) when a non-optional Secret, ConfigMap or key is missing; the real kubelet leaves the
 *   container in `CreateContainerConfigError` with that message.
 */
export function containerEnv(o: Objects, namespace: string, container: ContainerSpec): Record<string, string> {
  const out: Record<string, string> = {};
  const dataOf = (kind: 'Secret' | 'ConfigMap', name: string, optional: boolean): Record<string, string> | undefined => {
    const obj = o.get(kind, namespace, name);
    if (!obj) {
      if (optional) return undefined;
      throw new Error(`${kind === 'Secret' ? 'secret' : 'configmap'} "${name}" not found`);
    }
    const data = (obj['data'] ?? {}) as Record<string, string>;
    if (kind === 'ConfigMap') return { ...data };
    return Object.fromEntries(Object.keys(data).map((k) => [k, secretValue(obj, k) ?? '']));
  };
  for (const from of container.envFrom ?? []) {
    const ref = from.secretRef ?? from.configMapRef;
    if (!ref?.name) continue;
    const data = dataOf(from.secretRef ? 'Secret' : 'ConfigMap', ref.name, ref.optional === true);
    for (const [k, v] of Object.entries(data ?? {})) out[`${from.prefix ?? ''}${k}`] = v;
  }
  for (const e of container.env ?? []) {
    if (!e.name) continue;
    if (e.value !== undefined) {
      out[e.name] = e.value;
      continue;
    }
    const ref = e.valueFrom?.secretKeyRef ?? e.valueFrom?.configMapKeyRef;
    if (!ref?.name || !ref.key) continue;
    const kind = e.valueFrom?.secretKeyRef ? 'Secret' : 'ConfigMap';
    const data = dataOf(kind, ref.name, ref.optional === true);
    const value = data?.[ref.key];
    if (value !== undefined) out[e.name] = value;
    else if (data && ref.optional !== true) throw new Error(`couldn't find key ${ref.key} in ${kind} ${namespace}/${ref.name}`);
  }
  return out;
}
