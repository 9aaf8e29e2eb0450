import { describe, expect, it } from 'vitest';
import { createKindRegistry } from '../../../src/sim/kinds.js';
import { createObjectStore, HISTORY_LIMIT, mergePatch } from '../../../src/sim/store.js';
import { SimApiError } from '../../../src/sim/kube/errors.js';
import type { StoreEvent } from '../../../src/sim/types.js';

function setup() {
  const kinds = createKindRegistry();
  const store = createObjectStore(kinds);
  const ns = kinds.byKind('Namespace');
  const secret = kinds.byKind('Secret');
  const isvc = kinds.byKind('InferenceService');
  for (const name of ['a', 'b']) store.create(ns, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return { kinds, store, ns, secret, isvc };
}

function apiError(fn: () => unknown): SimApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SimApiError) return err;
    throw err;
  }
  throw new Error('expected a SimApiError');
}

describe('object store', () => {
  it('fills metadata as the API server does and counts one global resourceVersion', () => {
    const { store, secret } = setup();
    const before = store.currentVersion();
    const s = store.create(secret, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x', namespace: 'a' } });
    expect(s.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(s.metadata.generation).toBe(1);
    expect(s.metadata.resourceVersion).toBe(String(before + 1));
    expect(s.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(s.metadata.namespace).toBe('a');
    const e = apiError(() => store.create(secret, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x', namespace: 'a' } }));
    expect(e.shape).toMatchObject({ code: 409, reason: 'AlreadyExists', message: 'secrets "x" already exists' });
    // Same name in another namespace is another object.
    expect(store.create(secret, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x', namespace: 'b' } }).metadata.namespace).toBe('b');
  });

  it('creates Namespaces Active with the metadata.name label', () => {
    const { store, ns } = setup();
    const a = store.get(ns, undefined, 'a');
    expect(a?.status).toEqual({ phase: 'Active' });
    expect(a?.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'a' });
  });

  it('bumps generation only when spec changes, and refuses a stale resourceVersion', () => {
    const { store, isvc } = setup();
    const created = store.create(isvc, { apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', metadata: { name: 'm', namespace: 'a' }, spec: { predictor: {} } });
    const labelled = store.update(isvc, { ...created, metadata: { ...created.metadata, labels: { x: 'y' } } });
    expect(labelled.metadata.generation).toBe(1);
    expect(Number(labelled.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
    const respec = store.update(isvc, { ...labelled, spec: { predictor: { minReplicas: 1 } } });
    expect(respec.metadata.generation).toBe(2);
    const statusOnly = store.update(isvc, { ...respec, status: { url: 'http://m' } }, { subresource: 'status' });
    expect(statusOnly.metadata.generation).toBe(2);
    expect(statusOnly.status).toEqual({ url: 'http://m' });
    const e = apiError(() => store.update(isvc, { ...created, spec: { predictor: { minReplicas: 3 } } }));
    expect(e.shape.code).toBe(409);
    expect(e.shape.reason).toBe('Conflict');
    expect(e.shape.message).toBe(
      'Operation cannot be fulfilled on inferenceservices.serving.kserve.io "m": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('a status update changes nothing but status; an unchanged update is a no-op', () => {
    const { store, isvc } = setup();
    const created = store.create(isvc, { apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', metadata: { name: 'm', namespace: 'a' }, spec: { predictor: {} } });
    const s = store.update(isvc, { ...created, spec: { changed: true }, status: { ok: true } }, { subresource: 'status' });
    expect(s.spec).toEqual({ predictor: {} });
    expect(s.status).toEqual({ ok: true });
    const events: StoreEvent[] = [];
    store.subscribe((e) => events.push(e));
    const same = store.update(isvc, s);
    expect(same.metadata.resourceVersion).toBe(s.metadata.resourceVersion);
    expect(events).toHaveLength(0);
  });

  it('deleting a Namespace deletes what is in it, with an event for each', () => {
    const { store, ns, secret } = setup();
    store.create(secret, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's1', namespace: 'a' } });
    store.create(secret, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's2', namespace: 'a' } });
    store.create(secret, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's3', namespace: 'b' } });
    const events: StoreEvent[] = [];
    store.subscribe((e) => events.push(e));
    store.delete(ns, undefined, 'a');
    expect(events.map((e) => `${e.type} ${e.kind.kind} ${e.object.metadata.name}`)).toEqual([
      'DELETED Secret s1',
      'DELETED Secret s2',
      'DELETED Namespace a',
    ]);
    expect(store.list(secret).map((s) => s.metadata.name)).toEqual(['s3']);
    expect(apiError(() => store.delete(ns, undefined, 'a')).shape).toMatchObject({ code: 404, message: 'namespaces "a" not found' });
  });

  it('lists with label and field selectors', () => {
    const { store, secret } = setup();
    const mk = (name: string, namespace: string, labels: Record<string, string>) =>
      store.create(secret, { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace, labels } });
    mk('one', 'a', { a: 'b', e: 'x', g: '1' });
    mk('two', 'a', { a: 'b', c: 'd', e: 'y', g: '1' });
    mk('three', 'a', { a: 'b', e: 'x', f: '1', g: '1' });
    mk('four', 'b', { a: 'b', e: 'z', g: '1' });
    const names = (sel: { labelSelector?: string; fieldSelector?: string }, ns?: string) => store.list(secret, ns, sel).map((s) => s.metadata.name);
    expect(names({ labelSelector: 'a=b,c!=d,e in (x,y),!f,g' })).toEqual(['one']);
    expect(names({ labelSelector: 'e notin (x)' })).toEqual(['two', 'four']);
    expect(names({ labelSelector: 'a==b' }, 'b')).toEqual(['four']);
    expect(names({ fieldSelector: 'metadata.name=two' })).toEqual(['two']);
    expect(names({ fieldSelector: 'metadata.namespace=b' })).toEqual(['four']);
    expect(names({ fieldSelector: 'metadata.namespace!=a,metadata.name!=x' })).toEqual(['four']);
    expect(apiError(() => names({ fieldSelector: 'spec.foo=1' })).shape).toMatchObject({ code: 400, message: 'field label not supported: spec.foo' });
    expect(apiError(() => names({ labelSelector: 'a in (' })).shape.code).toBe(400);
  });

  it('replays events after a resourceVersion and reports when the history no longer reaches it', () => {
    const { store, secret } = setup();
    const start = store.currentVersion();
    store.create(secret, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'r', namespace: 'a' } });
    const replay = store.eventsSince(start);
    expect(Array.isArray(replay) && replay.map((e) => e.type)).toEqual(['ADDED']);
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) store.create(secret, { apiVersion: 'v1', kind: 'Secret', metadata: { name: `n${i}`, namespace: 'b' } });
    expect(store.eventsSince(start)).toMatchObject({ expired: true });
  });

  it('restores objects verbatim and continues the counter above them', () => {
    const { store, secret, kinds } = setup();
    const s = store.create(secret, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'keep', namespace: 'a' } });
    const other = createObjectStore(kinds);
    other.restore(store.dump());
    expect(other.get(secret, 'a', 'keep')).toEqual(s);
    const next = other.create(secret, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'new', namespace: 'a' } });
    expect(Number(next.metadata.resourceVersion)).toBe(store.currentVersion() + 1);
  });

  it('names objects from generateName', () => {
    const { store, kinds } = setup();
    const route = store.create(kinds.byKind('Route'), { apiVersion: 'route.openshift.io/v1', kind: 'Route', metadata: { generateName: 'zync-3scale-api-', namespace: 'a' } });
    expect(route.metadata.name).toMatch(/^zync-3scale-api-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });
});

describe('mergePatch (RFC 7386)', () => {
  it('merges objects, deletes on null, replaces arrays and leaves its inputs alone', () => {
    const target = { a: { b: 1, c: 2 }, list: [1, 2], keep: 'x' };
    const patch = { a: { b: null, d: 3 }, list: [3], added: { z: 1 } };
    expect(mergePatch(target, patch)).toEqual({ a: { c: 2, d: 3 }, list: [3], keep: 'x', added: { z: 1 } });
    expect(target).toEqual({ a: { b: 1, c: 2 }, list: [1, 2], keep: 'x' });
    expect(mergePatch({ a: 1 }, 'scalar')).toBe('scalar');
  });
});
