/**
 * The verbs on stored kinds: create (POST), get, list, watch, replace (PUT), patch (merge,
 * strategic, JSON, server-side apply), delete, deletecollection, and the `status` subresource.
 * Behaviour follows kube-apiserver's generic registry:
 * - create drops `status` for kinds with a status subresource; a namespaced object needs its
 *   Namespace (`namespaces "x" not found`);
 * - a write to the main resource keeps the stored `status` for those kinds; a write to `/status`
 *   changes only `status`;
 * - a stale `metadata.resourceVersion` → 409 Conflict (store.ts);
 * - Secret `stringData` is folded into base64 `data`; a Service gets `type: ClusterIP`, a
 *   `clusterIP`, and `protocol: TCP` / `targetPort` = `port` on its ports;
 * - `?dryRun=All` checks and answers without storing anything (kubectl `--dry-run=server`, `kubectl diff`).
 * Server-side apply is approximated: `fieldManager` is required (422 as the real server answers),
 * the object is created when absent and merge-patched when present; managedFields are not kept,
 * so fields dropped from an applied configuration are not removed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../../engine/types.js';
import type { ResourceKind, StoredObject } from '../types.js';
import type { SimObjectStore } from '../store.js';
import { generatedName } from '../store.js';
import { hasStatus } from '../kinds.js';
import { badRequest, conflict, notFound, SimApiError } from './errors.js';
import { readBody, sendJson } from './http.js';
import { applyPatch, parseBody, patchTypeOf } from './patch.js';
import { validateObject } from './validate.js';
import { serveWatch } from './watch.js';

/** A request on a stored kind, parsed from the path. `kind` is where objects are stored (Namespace for Project). */
export interface ResourceRoute {
  kind: ResourceKind;
  namespace?: string;
  name?: string;
  subresource?: 'status';
  params: URLSearchParams;
  /** Turns stored objects into what is answered and sent objects into what is stored (Project ↔ Namespace). */
  view?: { out(o: StoredObject): StoredObject; in(o: KubeObject): KubeObject };
  /** The kind as addressed (differs from `kind` for views); used in messages. */
  addressed: ResourceKind;
}

/** `?dryRun=All` → true; absent → false; anything else → 400 as the real server answers. */
function dryRunOf(params: URLSearchParams): boolean {
  const values = params.getAll('dryRun');
  if (values.length === 0) return false;
  if (values.every((v) => v === 'All')) return true;
  throw badRequest(`Invalid dry run value: ${values.join(',')}; valid values are "All"`);
}

let nextClusterIp = 10;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function apiVersionOf(kind: ResourceKind): string {
  return kind.group === '' ? kind.version : `${kind.group}/${kind.version}`;
}

/** Checks a body is an object of the addressed kind and namespace and returns it. Throws 400 BadRequest. */
function asObject(body: unknown, r: ResourceRoute): KubeObject {
  if (!isObject(body)) throw badRequest('the body of the request must be a JSON or YAML object');
  const expected = apiVersionOf(r.addressed);
  const object = body as KubeObject;
  if (object.apiVersion !== undefined && object.apiVersion !== expected) {
    throw badRequest(`the API version in the data (${object.apiVersion}) does not match the expected API version (${expected})`);
  }
  if (object.kind !== undefined && object.kind !== r.addressed.kind) {
    throw badRequest(`the kind in the data (${object.kind}) does not match the expected kind (${r.addressed.kind})`);
  }
  object.apiVersion = expected;
  object.kind = r.addressed.kind;
  object.metadata = isObject(object.metadata) ? object.metadata : {};
  if (r.addressed.namespaced) {
    const ns = object.metadata.namespace;
    if (ns !== undefined && ns !== '' && ns !== r.namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    object.metadata.namespace = r.namespace;
  }
  return r.view ? r.view.in(object) : object;
}

/** Real-server defaults and conversions applied to every write. */
function normalize(kind: ResourceKind, object: KubeObject, current?: StoredObject): void {
  if (kind.group !== '') return;
  if (kind.kind === 'Service') {
    const spec = isObject(object.spec) ? object.spec : {};
    spec.type ??= 'ClusterIP';
    const kept = isObject(current?.spec) ? current.spec : {};
    if (spec.clusterIP === undefined && kept.clusterIP !== undefined) {
      spec.clusterIP = kept.clusterIP;
      spec.clusterIPs = kept.clusterIPs;
    }
    if (spec.type === 'ClusterIP' && spec.clusterIP === undefined) {
      // OpenShift's default service network is 172.30.0.0/16.
      nextClusterIp += 1;
      spec.clusterIP = `172.30.${Math.floor(nextClusterIp / 250) % 250}.${(nextClusterIp % 250) + 1}`;
      spec.clusterIPs = [spec.clusterIP];
    }
    if (Array.isArray(spec.ports)) {
      spec.ports = spec.ports.map((p: unknown) => (isObject(p) ? { protocol: 'TCP', ...(p.port !== undefined ? { targetPort: p.port } : {}), ...p } : p));
    }
    object.spec = spec;
  }
  if (kind.kind === 'Secret') {
    const stringData = object.stringData;
    if (isObject(stringData)) {
      const data = isObject(object.data) ? object.data : {};
      for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
      object.data = data;
    }
    delete object.stringData;
    object.type ??= 'Opaque';
    if (isObject(object.data)) {
      for (const [k, v] of Object.entries(object.data)) {
        if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v) || v.length % 4 !== 0) {
          throw badRequest(`Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 0 (key ${k})`);
        }
      }
    }
  }
}

const ns = (r: ResourceRoute): string | undefined => (r.kind.namespaced ? r.namespace : undefined);

function answer(res: ServerResponse, code: number, r: ResourceRoute, object: StoredObject): void {
  sendJson(res, code, r.view ? r.view.out(object) : object);
}

/**
 * Creates as the API server does (name from `generateName`, validate, drop status, need the
 * Namespace). Returns the stored object. The name is generated before validation, as apiserver's
 * `rest.BeforeCreate` does, so `metadata.generateName` alone is accepted.
 */
function createObject(store: SimObjectStore, namespaceKind: ResourceKind, r: ResourceRoute, object: KubeObject): StoredObject {
  const dryRun = dryRunOf(r.params);
  normalize(r.kind, object);
  const meta = object.metadata as (KubeObject['metadata'] & { generateName?: unknown }) | undefined;
  if (meta && !meta.name && typeof meta.generateName === 'string' && meta.generateName !== '') meta.name = generatedName(meta.generateName);
  validateObject(r.addressed, object);
  if (r.kind.namespaced && !store.get(namespaceKind, undefined, r.namespace ?? '')) throw notFound('namespaces', r.namespace ?? '');
  if (hasStatus(r.kind) && !(r.kind.group === '' && r.kind.kind === 'Namespace')) delete object.status;
  if (r.kind.group === '' && r.kind.kind === 'Pod') object.status = { phase: 'Pending' };
  return store.create(r.kind, object, { dryRun });
}

/** Writes `next` over `current` with the main-resource or status-subresource rules. */
function writeObject(store: SimObjectStore, r: ResourceRoute, current: StoredObject, next: KubeObject): StoredObject {
  if (next.metadata.name !== current.metadata.name) {
    throw badRequest(`the name of the object (${String(next.metadata.name)}) does not match the name on the URL (${current.metadata.name})`);
  }
  const dryRun = dryRunOf(r.params);
  if (r.subresource === 'status') return store.update(r.kind, next, { subresource: 'status', dryRun });
  normalize(r.kind, next, current);
  if (hasStatus(r.kind)) {
    if (current.status === undefined) delete next.status;
    else next.status = structuredClone(current.status);
  }
  validateObject(r.addressed, next);
  return store.update(r.kind, next, { dryRun });
}

/** Serves one request on a stored kind. Throws `SimApiError`s, answered by the caller. */
export async function serveResource(
  req: IncomingMessage,
  res: ServerResponse,
  store: SimObjectStore,
  namespaceKind: ResourceKind,
  r: ResourceRoute,
): Promise<void> {
  const method = req.method ?? 'GET';
  const params = r.params;
  if (r.name === undefined) {
    if (method === 'GET') {
      const labelSelector = params.get('labelSelector') ?? undefined;
      const fieldSelector = params.get('fieldSelector') ?? undefined;
      if (params.get('watch') === 'true' || params.get('watch') === '1') {
        const timeout = params.get('timeoutSeconds');
        serveWatch(req, res, store, {
          kind: r.kind,
          ...(ns(r) !== undefined ? { namespace: ns(r) } : {}),
          ...(params.get('resourceVersion') !== null ? { resourceVersion: params.get('resourceVersion') ?? '' } : {}),
          ...(timeout !== null ? { timeoutSeconds: Number(timeout) } : {}),
          ...(labelSelector ? { labelSelector } : {}),
          ...(fieldSelector ? { fieldSelector } : {}),
          ...(r.view ? { view: r.view.out } : {}),
        });
        return;
      }
      const items = store.list(r.kind, ns(r), { ...(labelSelector ? { labelSelector } : {}), ...(fieldSelector ? { fieldSelector } : {}) });
      sendJson(res, 200, {
        apiVersion: apiVersionOf(r.addressed),
        kind: r.addressed.listKind,
        metadata: { resourceVersion: String(store.currentVersion()) },
        items: r.view ? items.map(r.view.out) : items,
      });
      return;
    }
    if (method === 'POST') {
      const object = asObject(parseBody(await readBody(req), req.headers['content-type']), r);
      answer(res, 201, r, createObject(store, namespaceKind, r, object));
      return;
    }
    if (method === 'DELETE') {
      const labelSelector = params.get('labelSelector') ?? undefined;
      const items = store.list(r.kind, ns(r), labelSelector ? { labelSelector } : {});
      const deleted = items.map((o) => store.delete(r.kind, o.metadata.namespace, o.metadata.name));
      sendJson(res, 200, { apiVersion: apiVersionOf(r.addressed), kind: r.addressed.listKind, metadata: { resourceVersion: String(store.currentVersion()) }, items: r.view ? deleted.map(r.view.out) : deleted });
      return;
    }
    throw new SimApiError({ code: 405, reason: 'MethodNotAllowed', message: 'the server does not allow this method on the requested resource' });
  }

  const name = r.name;
  const current = store.get(r.kind, ns(r), name);
  switch (method) {
    case 'GET':
      if (!current) throw notFound(r.addressed, name);
      answer(res, 200, r, current);
      return;
    case 'PUT': {
      const object = asObject(parseBody(await readBody(req), req.headers['content-type']), r);
      if (!current) throw notFound(r.addressed, name);
      answer(res, 200, r, writeObject(store, r, current, object));
      return;
    }
    case 'PATCH': {
      const type = patchTypeOf(req.headers['content-type']);
      const body = parseBody(await readBody(req), type === 'apply' ? 'application/yaml' : req.headers['content-type']);
      if (type === 'apply') {
        if (!params.get('fieldManager')) {
          throw new SimApiError({ code: 422, reason: 'Invalid', message: 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
            details: { group: 'meta.k8s.io', kind: 'PatchOptions', causes: [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }] } });
        }
        const applied = asObject(body, r);
        if (applied.metadata.name !== undefined && applied.metadata.name !== name) {
          throw badRequest(`the name of the object (${String(applied.metadata.name)}) does not match the name on the URL (${name})`);
        }
        applied.metadata.name = name;
        if (!current) {
          if (r.subresource === 'status') throw notFound(r.addressed, name);
          answer(res, 201, r, createObject(store, namespaceKind, r, applied));
          return;
        }
        answer(res, 200, r, writeObject(store, r, current, applyPatch('apply', current, applied) as KubeObject));
        return;
      }
      if (!current) throw notFound(r.addressed, name);
      const outside = r.view ? r.view.out(current) : current;
      const patched = applyPatch(type, outside, body);
      if (!isObject(patched)) throw badRequest('the patch produced something other than an object');
      answer(res, 200, r, writeObject(store, r, current, asObject(patched, r)));
      return;
    }
    case 'DELETE': {
      if (!current) throw notFound(r.addressed, name);
      const raw = await readBody(req);
      if (raw.length > 0) {
        const options = parseBody(raw, req.headers['content-type']) as { preconditions?: { resourceVersion?: string; uid?: string } };
        const pre = options?.preconditions;
        if (pre?.resourceVersion !== undefined && pre.resourceVersion !== current.metadata.resourceVersion) throw conflict(r.addressed, name);
        if (pre?.uid !== undefined && pre.uid !== current.metadata.uid) throw conflict(r.addressed, name);
      }
      const deleted = store.delete(r.kind, ns(r), name, { dryRun: dryRunOf(params) });
      if (r.kind.group === '' && r.kind.kind === 'Namespace') {
        deleted.metadata.deletionTimestamp = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
        deleted.status = { phase: 'Terminating' };
      }
      answer(res, 200, r, deleted);
      return;
    }
    default:
      throw new SimApiError({ code: 405, reason: 'MethodNotAllowed', message: 'the server does not allow this method on the requested resource' });
  }
}
