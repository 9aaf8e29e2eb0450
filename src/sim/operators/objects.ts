/**
 * Small helpers the simulated operators share to read and write the object store: get by kind
 * name, create-or-update, status writes through the `status` subresource (as a controller does),
 * conditions with `lastTransitionTime` kept while the status does not change, Events, owner
 * references and generated names.
 */
import { randomBytes } from 'node:crypto';
import type { KubeObject } from '../../engine/types.js';
import type { ObjectStore, KindRegistry, ResourceKind, StoredObject } from '../types.js';
import { apiVersionOf } from '../types.js';

/** A `metav1.Condition`-like entry as most controllers write it. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  [key: string]: unknown;
}

/** RFC 3339 time with seconds precision (what the API server and controllers write). */
export function rfc3339(ms = Date.now()): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Random lowercase alphanumerics, as Kubernetes `generateName` uses (`[bcdfghjklmnpqrstvwxz2456789]`). */
export function randomSuffix(length = 5): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

/** A random secret value (base64url), `bytes` bytes of entropy. */
export function randomSecret(bytes = 16): string {
  return randomBytes(bytes).toString('base64url');
}

/** Base64 of a UTF-8 string (Secret `data`). */
export function b64(value: string): string {
  return Buffer.from(value, 'utf8').toString('base64');
}

/** UTF-8 of a Secret `data` value (base64), or of a `stringData` value. */
export function secretValue(secret: KubeObject | undefined, key: string): string | undefined {
  if (!secret) return undefined;
  const data = secret['data'] as Record<string, string> | undefined;
  const stringData = secret['stringData'] as Record<string, string> | undefined;
  if (data?.[key] !== undefined) return Buffer.from(data[key], 'base64').toString('utf8');
  return stringData?.[key];
}

/** Deep copy of a JSON value. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Sets condition `next` in `list` (by type); keeps `lastTransitionTime` when the status did not change. Returns a new list. */
export function setCondition<C extends Condition>(list: C[] | undefined, next: C): C[] {
  const out = [...(list ?? [])];
  const i = out.findIndex((c) => c.type === next.type);
  const prev = i >= 0 ? out[i] : undefined;
  const merged = { ...next, lastTransitionTime: prev && prev.status === next.status ? prev.lastTransitionTime : rfc3339() } as C;
  if (i >= 0) out[i] = merged;
  else out.push(merged);
  return out;
}

/** The condition of a type in an object's `status.conditions`. */
export function getCondition(obj: KubeObject | undefined, type: string): Condition | undefined {
  const status = obj?.['status'] as { conditions?: Condition[] } | undefined;
  return status?.conditions?.find((c) => c.type === type);
}

/** An ownerReference pointing at `owner` (controller: true, blockOwnerDeletion: true). */
export function ownerRef(owner: StoredObject): Record<string, unknown> {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/**
 * Creates `obj` and, when it carries a `status` the store did not keep (a real API server drops
 * `status` on create for kinds with a status subresource), writes that status in a second call,
 * as a controller would.
 */
export function createWithStatus(store: ObjectStore, kind: ResourceKind, obj: KubeObject): StoredObject {
  const created = store.create(kind, obj);
  const status = obj['status'];
  if (status === undefined || JSON.stringify(created['status']) === JSON.stringify(status)) return created;
  return store.update(kind, { ...created, status } as KubeObject, kind.subresources.includes('status') ? { subresource: 'status' } : undefined);
}

/** An object without apiVersion/kind (filled from the kind registry). */
export interface Manifest {
  metadata: KubeObject['metadata'];
  [key: string]: unknown;
}

/** Store access by kind name, for operators. */
export class Objects {
  constructor(
    readonly store: ObjectStore,
    readonly kinds: KindRegistry,
  ) {}

  kind(name: string): ResourceKind {
    if (name === 'Ingress') return this.kinds.find('Ingress', 'config.openshift.io') ?? this.kinds.byKind(name);
    return this.kinds.byKind(name);
  }

  get(kind: string, namespace: string | undefined, name: string): StoredObject | undefined {
    return this.store.get(this.kind(kind), namespace, name);
  }

  list(kind: string, namespace?: string, labelSelector?: string): StoredObject[] {
    return this.store.list(this.kind(kind), namespace, labelSelector ? { labelSelector } : undefined);
  }

  /** Creates `obj` (apiVersion and kind filled from the registry) unless an object of that name exists; returns the stored one. */
  ensure(kind: string, obj: Manifest): StoredObject {
    const k = this.kind(kind);
    const existing = this.store.get(k, obj.metadata.namespace, obj.metadata.name ?? '');
    if (existing) return existing;
    return createWithStatus(this.store, k, { ...obj, apiVersion: apiVersionOf(k), kind: k.kind } as KubeObject);
  }

  /** Creates or replaces (spec and metadata labels/annotations as given; keeps uid and status). */
  apply(kind: string, obj: Manifest): StoredObject {
    const k = this.kind(kind);
    const existing = this.store.get(k, obj.metadata.namespace, obj.metadata.name ?? '');
    const full = { ...obj, apiVersion: apiVersionOf(k), kind: k.kind } as KubeObject;
    if (!existing) return this.store.create(k, full);
    const next = { ...existing, ...full, metadata: { ...existing.metadata, ...full.metadata } } as KubeObject;
    if (existing['status'] !== undefined) next['status'] = existing['status'];
    return this.store.update(k, next);
  }

  /** Replaces the whole object with `mutate(copy)`'s result, based on the current version. No-op when absent. */
  update(kind: string, namespace: string | undefined, name: string, mutate: (obj: StoredObject) => void): StoredObject | undefined {
    const k = this.kind(kind);
    const current = this.store.get(k, namespace, name);
    if (!current) return undefined;
    const next = clone(current);
    mutate(next);
    return this.store.update(k, next);
  }

  /**
   * Writes `status` (the result of `mutate` on a copy of the current status) through the status
   * subresource when the kind has one. Skips the write when nothing changed. No-op when absent.
   */
  setStatus(kind: string, namespace: string | undefined, name: string, mutate: (status: Record<string, unknown>) => Record<string, unknown> | void): StoredObject | undefined {
    const k = this.kind(kind);
    const current = this.store.get(k, namespace, name);
    if (!current) return undefined;
    const before = (current['status'] ?? {}) as Record<string, unknown>;
    const draft = clone(before);
    const after = mutate(draft) ?? draft;
    if (JSON.stringify(after) === JSON.stringify(current['status'])) return current;
    const next = { ...clone(current), status: after } as KubeObject;
    return this.store.update(k, next, k.subresources.includes('status') ? { subresource: 'status' } : undefined);
  }

  /** Deletes when present; returns whether something was deleted. */
  remove(kind: string, namespace: string | undefined, name: string): boolean {
    const k = this.kind(kind);
    if (!this.store.get(k, namespace, name)) return false;
    this.store.delete(k, namespace, name);
    return true;
  }

  /**
   * Records a core/v1 Event about `about` (what `kubectl describe` and `oc get events` show).
   * `type` is `Normal` or `Warning`; `reason` CamelCase; the message must hold no secret.
   */
  event(about: StoredObject, type: 'Normal' | 'Warning', reason: string, message: string, component: string): void {
    const ns = about.metadata.namespace ?? 'default';
    const now = rfc3339();
    this.store.create(this.kind('Event'), {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${about.metadata.name}.${randomBytes(8).toString('hex')}`, namespace: ns },
      involvedObject: {
        apiVersion: about.apiVersion,
        kind: about.kind,
        name: about.metadata.name,
        namespace: about.metadata.namespace,
        uid: about.metadata.uid,
        resourceVersion: about.metadata.resourceVersion,
      },
      reason,
      message,
      type,
      source: { component },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    });
  }
}
