/**
 * The in-memory object store behind the simulated API server (ObjectStore in ./types.ts).
 *
 * Metadata is filled as kube-apiserver fills it: one global resourceVersion counter (etcd's
 * revision, sent as a decimal string), `uid` (a UUID), `generation` (1 on create, +1 whenever
 * `spec` changes), `creationTimestamp` (RFC 3339, seconds). A delete also takes a new
 * resourceVersion, carried by the DELETED event. Namespaces are created `Active` with the
 * `kubernetes.io/metadata.name` label and the `kubernetes` finalizer, as the namespace strategy does.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../engine/types.js';
import type { ObjectStore, ResourceKind, StoreEvent, StoredObject } from './types.js';
import { alreadyExists, badRequest, conflict, notFound } from './kube/errors.js';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from './labels.js';

/** How many past events the store keeps for watch replay (`?watch=1&resourceVersion=N`). */
export const HISTORY_LIMIT = 2000;

/** A store event stamped with the resourceVersion it produced. */
export interface VersionedEvent extends StoreEvent {
  resourceVersion: number;
}

/** An object as saved by persist.ts: the kind it belongs to and the object verbatim. */
export interface SavedObject {
  group: string;
  kind: string;
  object: StoredObject;
}

/** The object store with what the API server and persistence need beyond the `ObjectStore` contract. */
export interface SimObjectStore extends ObjectStore {
  /**
   * Events after resourceVersion `since`, oldest first; `expired` (with the oldest version still
   * replayable) when older events were already dropped from the bounded history.
   */
  eventsSince(since: number): VersionedEvent[] | { expired: true; oldest: number };
  /**
   * Loads objects verbatim (keeping uid, resourceVersion, generation, timestamps), replacing any with
   * the same key, without events; the counter continues above the highest resourceVersion loaded.
   */
  restore(objects: SavedObject[]): void;
  /** Every stored object with its kind (for persistence). */
  dump(): SavedObject[];
  /** As `ObjectStore.create`; with `dryRun` nothing is stored (the answer has an empty resourceVersion). */
  create(kind: ResourceKind, object: KubeObject, options?: { dryRun?: boolean }): StoredObject;
  /** As `ObjectStore.update`; with `dryRun` the result is computed and checked but not stored. */
  update(kind: ResourceKind, object: KubeObject, options?: { subresource?: 'status'; dryRun?: boolean }): StoredObject;
  /** As `ObjectStore.delete`; with `dryRun` nothing is deleted. */
  delete(kind: ResourceKind, namespace: string | undefined, name: string, options?: { dryRun?: boolean }): StoredObject;
}

/** Field selector labels every kind supports, plus the extra ones some built-in kinds register. */
const FIELD_LABELS: Record<string, string[]> = {
  Pod: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'status.phase', 'status.podIP'],
  Secret: ['type'],
  Event: ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'reason', 'type', 'source'],
  Namespace: ['status.phase'],
  Node: ['spec.unschedulable'],
  Job: ['status.successful'],
};

function keyOf(kind: ResourceKind, namespace: string | undefined, name: string): string {
  return `${kind.group}/${kind.kind}/${kind.namespaced ? (namespace ?? '') : ''}/${name}`;
}

function nowRfc3339(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const clone = <T>(v: T): T => structuredClone(v);

/** The characters and length of the suffix the API server appends to `generateName` (apiserver names.SimpleNameGenerator). */
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** `generateName` plus a random five-character suffix. */
export function generatedName(prefix: string): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += NAME_ALPHABET[Math.floor(Math.random() * NAME_ALPHABET.length)];
  return `${prefix.slice(0, 58)}${suffix}`;
}

/**
 * Creates an empty store for the kinds of `kinds`. Errors are thrown as `SimApiError`
 * (NotFound, AlreadyExists, Conflict, BadRequest for an unparsable selector).
 */
export function createObjectStore(kinds: { all(): ResourceKind[] }): SimObjectStore {
  const objects = new Map<string, { kind: ResourceKind; object: StoredObject }>();
  const listeners = new Set<(event: StoreEvent) => void>();
  const history: VersionedEvent[] = [];
  let version = 0;
  let droppedUpTo = 0;

  const emit = (type: StoreEvent['type'], kind: ResourceKind, object: StoredObject): void => {
    history.push({ type, kind, object: clone(object), resourceVersion: version });
    while (history.length > HISTORY_LIMIT) droppedUpTo = history.shift()?.resourceVersion ?? droppedUpTo;
    for (const listener of [...listeners]) listener({ type, kind, object: clone(object) });
  };

  const kindFor = (group: string, kindName: string): ResourceKind | undefined =>
    kinds.all().find((k) => k.group === group && k.kind === kindName);

  const remove = (kind: ResourceKind, key: string, current: StoredObject): StoredObject => {
    objects.delete(key);
    version += 1;
    const gone = clone(current);
    gone.metadata.resourceVersion = String(version);
    emit('DELETED', kind, gone);
    return clone(gone);
  };

  const store: SimObjectStore = {
    get(kind, namespace, name) {
      const entry = objects.get(keyOf(kind, namespace, name));
      return entry ? clone(entry.object) : undefined;
    },

    list(kind, namespace, options) {
      const labels = options?.labelSelector ? parseLabelSelector(options.labelSelector) : [];
      const fields = options?.fieldSelector ? parseFieldSelector(options.fieldSelector) : [];
      const allowed = ['metadata.name', 'metadata.namespace', ...(FIELD_LABELS[kind.kind] ?? [])];
      for (const f of fields) if (!allowed.includes(f.path)) throw badRequest(`field label not supported: ${f.path}`);
      const out: StoredObject[] = [];
      for (const entry of objects.values()) {
        if (entry.kind !== kind) continue;
        if (kind.namespaced && namespace !== undefined && entry.object.metadata.namespace !== namespace) continue;
        if (!matchesLabels(labels, entry.object.metadata.labels)) continue;
        if (!matchesFields(fields, entry.object)) continue;
        out.push(clone(entry.object));
      }
      return out.sort((a, b) =>
        (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || a.metadata.name.localeCompare(b.metadata.name));
    },

    create(kind, input, options) {
      const generateName = input.metadata?.generateName;
      const name = input.metadata?.name || (typeof generateName === 'string' && generateName !== '' ? generatedName(generateName) : '');
      const namespace = kind.namespaced ? (input.metadata?.namespace ?? 'default') : undefined;
      const key = keyOf(kind, namespace, name);
      if (objects.has(key)) throw alreadyExists(kind, name);
      const dryRun = options?.dryRun === true;
      const rv = dryRun ? '' : String(version + 1);
      const object = clone(input) as StoredObject;
      const meta: Record<string, unknown> = { ...object.metadata };
      delete meta.namespace;
      delete meta.resourceVersion;
      delete meta.uid;
      delete meta.generation;
      delete meta.creationTimestamp;
      delete meta.deletionTimestamp;
      delete meta.managedFields;
      object.apiVersion = kind.group === '' ? kind.version : `${kind.group}/${kind.version}`;
      object.kind = kind.kind;
      object.metadata = {
        ...meta,
        name,
        ...(namespace !== undefined ? { namespace } : {}),
        uid: randomUUID(),
        resourceVersion: rv,
        generation: 1,
        creationTimestamp: nowRfc3339(),
      };
      if (kind.kind === 'Namespace' && kind.group === '') {
        object.metadata.labels = { ...object.metadata.labels, 'kubernetes.io/metadata.name': name };
        object.spec = { finalizers: ['kubernetes'], ...(object.spec as object | undefined) };
        object.status = { phase: 'Active' };
      }
      if (dryRun) return clone(object);
      version += 1;
      objects.set(key, { kind, object });
      emit('ADDED', kind, object);
      return clone(object);
    },

    update(kind, input, options) {
      const name = input.metadata?.name ?? '';
      const namespace = kind.namespaced ? input.metadata?.namespace : undefined;
      const key = keyOf(kind, namespace, name);
      const entry = objects.get(key);
      if (!entry) throw notFound(kind, name);
      const current = entry.object;
      const wanted = input.metadata?.resourceVersion;
      if (wanted !== undefined && wanted !== '' && wanted !== current.metadata.resourceVersion) throw conflict(kind, name);
      let next: StoredObject;
      if (options?.subresource === 'status') {
        next = clone(current);
        if (input.status === undefined) delete next.status;
        else next.status = clone(input.status);
      } else {
        next = clone(input) as StoredObject;
        const meta = { ...next.metadata };
        delete meta.managedFields;
        next.apiVersion = current.apiVersion;
        next.kind = current.kind;
        next.metadata = {
          ...meta,
          name: current.metadata.name,
          ...(current.metadata.namespace !== undefined ? { namespace: current.metadata.namespace } : {}),
          uid: current.metadata.uid,
          resourceVersion: current.metadata.resourceVersion,
          generation: current.metadata.generation,
          creationTimestamp: current.metadata.creationTimestamp,
        };
        if (!isDeepStrictEqual(next.spec, current.spec)) next.metadata.generation = current.metadata.generation + 1;
      }
      // The real server answers a no-op update without a new resourceVersion and without an event.
      if (isDeepStrictEqual(next, current)) return clone(current);
      if (options?.dryRun) return clone(next);
      version += 1;
      next.metadata.resourceVersion = String(version);
      entry.object = next;
      emit('MODIFIED', kind, next);
      return clone(next);
    },

    delete(kind, namespace, name, options) {
      const key = keyOf(kind, namespace, name);
      const entry = objects.get(key);
      if (!entry) throw notFound(kind, name);
      if (options?.dryRun) return clone(entry.object);
      if (kind.kind === 'Namespace' && kind.group === '') {
        for (const [k, e] of [...objects.entries()]) {
          if (e.kind.namespaced && e.object.metadata.namespace === name) remove(e.kind, k, e.object);
        }
      }
      return remove(kind, key, entry.object);
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    currentVersion: () => version,

    eventsSince(since) {
      if (since < droppedUpTo) return { expired: true, oldest: droppedUpTo + 1 };
      return history.filter((e) => e.resourceVersion > since).map((e) => ({ ...e, object: clone(e.object) }));
    },

    restore(saved) {
      for (const s of saved) {
        const kind = kindFor(s.group, s.kind);
        if (!kind) continue;
        const object = clone(s.object);
        objects.set(keyOf(kind, object.metadata.namespace, object.metadata.name), { kind, object });
        const rv = Number(object.metadata.resourceVersion);
        if (Number.isFinite(rv) && rv > version) version = rv;
      }
      // Events before the restore are not replayable: a watch from an older version gets 410 Expired.
      history.length = 0;
      droppedUpTo = version;
    },

    dump() {
      return [...objects.values()].map((e) => ({ group: e.kind.group, kind: e.kind.kind, object: clone(e.object) }));
    },
  };
  return store;
}

/**
 * JSON merge patch (RFC 7386): objects merge recursively, `null` deletes a key, anything else
 * (arrays included) replaces. Returns a new value; neither argument is modified.
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return clone(patch);
  const base: Record<string, unknown> =
    target !== null && typeof target === 'object' && !Array.isArray(target) ? clone(target as Record<string, unknown>) : {};
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    if (value === null) delete base[key];
    else base[key] = mergePatch(base[key], value);
  }
  return base;
}
