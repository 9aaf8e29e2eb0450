/**
 * The Kubernetes adapter every step uses (ARCHITECTURE.md "Conventions": one KubeConfig,
 * object-parameter calls, `ApiException.code` for 404/409, server-side apply with one field
 * manager). Built on @kubernetes/client-node: `KubernetesObjectApi` for objects (it resolves
 * kinds through discovery), `Watch` for watches, and the KubeConfig's own authentication and TLS
 * for the few raw paths (discovery, `users/~`, access reviews, service proxy, pod logs: client-node's
 * `Log` leaves an unhandled stream error behind when a follow is aborted).
 *
 * Every error goes through `mapKubeError` (401/403/422/unreachable → UserError, others →
 * KubeApiError). Nothing here logs; request bodies (which may hold Secret data) never end up in
 * a message.
 */
import { ApiException, KubernetesObjectApi, PatchStrategy, Watch } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { UserError, isAbort } from '../engine/errors.js';
import type { KubeObject, ProbeResult, WaitFor, WaitOptions } from '../engine/types.js';
import { KubeApiError, mapKubeError } from './errors.js';
import type { ErrorContext } from './errors.js';
import { apiException, openRequest, readLines } from './kube-raw.js';

/** The one field manager of every server-side apply by the wizard. */
export const FIELD_MANAGER = 'maas-wizard';

/** Identifies one object. `namespace` is omitted for cluster-scoped kinds. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** A watch event: `ADDED`, `MODIFIED`, `DELETED` (or `BOOKMARK`/`ERROR` as the server sends them). */
export type WatchHandler = (type: string, object: KubeObject) => void;

/** Exposes client-node's discovery-based path resolution (protected there). */
class ObjectApi extends KubernetesObjectApi {
  /** The collection path of a kind (`/apis/group/version[/namespaces/ns]/plural`). */
  collectionPath(apiVersion: string, kind: string, namespace?: string): Promise<string> {
    return this.specUriPath({ apiVersion, kind, metadata: namespace ? { namespace } : {} }, 'list');
  }
  /** Reads the default namespace from the current context (as `KubernetesObjectApi.makeApiClient` does). */
  init(kc: KubeConfig): this {
    this.setDefaultNamespace(kc);
    return this;
  }
}

/** Plain JSON of what client-node returns (its model classes carry `Date`s). */
function plain<T>(value: unknown): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** True when client-node could not find the kind in discovery (operator not installed, group absent). */
function notServed(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.message.startsWith('Unrecognized API version and kind')) return true;
  return err instanceof ApiException && err.code === 404 && err.message.includes('Failed to fetch resource metadata');
}

function describe(ref: { kind: string; name?: string | undefined; namespace?: string | undefined }): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name ?? ''}`.trim();
}

/** A Kubernetes client bound to one KubeConfig (one cluster, one user). */
export class KubeClient {
  /** The KubeConfig this client authenticates with (current context). */
  readonly kc: KubeConfig;
  private readonly api: ObjectApi;
  private readonly ctx: ErrorContext;

  /** @param ctx the API server URL and kubeconfig user, used in error sentences. */
  constructor(kc: KubeConfig, ctx: ErrorContext) {
    this.kc = kc;
    this.ctx = ctx;
    this.api = kc.makeApiClient(ObjectApi).init(kc);
  }

  /** Reads an object; undefined when it does not exist or its kind is not served. Throws UserError / KubeApiError. */
  async get<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, name: string, namespace?: string): Promise<T | undefined> {
    try {
      const obj = await this.api.read({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } });
      return plain<T>(obj);
    } catch (err) {
      if (notServed(err)) return undefined;
      const mapped = mapKubeError(err, this.ctx, `get ${describe({ kind, name, namespace })}`);
      if (mapped instanceof KubeApiError && mapped.status === 404) return undefined;
      throw mapped;
    }
  }

  /**
   * Lists objects of a kind, in a namespace or (undefined) cluster-wide, optionally by label
   * selector (`a=b,c`). An unserved kind gives an empty list.
   */
  async list<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, namespace?: string, labelSelector?: string): Promise<T[]> {
    try {
      const res = await this.api.list(apiVersion, kind, namespace, undefined, undefined, undefined, undefined, labelSelector);
      return plain<{ items?: T[] }>(res).items ?? [];
    } catch (err) {
      if (notServed(err)) return [];
      const mapped = mapKubeError(err, this.ctx, `list ${kind}${namespace ? ` in ${namespace}` : ''}`);
      if (mapped instanceof KubeApiError && mapped.status === 404) return [];
      throw mapped;
    }
  }

  /** Creates an object. A 409 AlreadyExists surfaces as KubeApiError with status 409. */
  async create<T extends KubeObject = KubeObject>(obj: KubeObject): Promise<T> {
    return this.write(obj, 'create', () => this.api.create(obj as KubernetesObject, undefined, undefined, FIELD_MANAGER));
  }

  /** Server-side apply (`application/apply-patch+yaml`, field manager `maas-wizard`, force): creates or updates. */
  async apply<T extends KubeObject = KubeObject>(obj: KubeObject): Promise<T> {
    return this.write(obj, 'apply', () =>
      this.api.patch(obj as KubernetesObject, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply),
    );
  }

  /** JSON merge patch (RFC 7386) of one object; `patch` holds only the fields to change (null deletes). */
  async mergePatch<T extends KubeObject = KubeObject>(ref: ObjectRef, patch: Record<string, unknown>): Promise<T> {
    const patchMeta = (patch['metadata'] ?? {}) as Record<string, unknown>;
    const spec = {
      ...patch,
      apiVersion: ref.apiVersion,
      kind: ref.kind,
      metadata: { ...patchMeta, name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) },
    } as KubeObject;
    return this.write(spec, 'patch', () =>
      this.api.patch(spec as KubernetesObject, undefined, undefined, FIELD_MANAGER, undefined, PatchStrategy.MergePatch),
    );
  }

  /** Deletes an object; returns false when it was already gone (404 is fine). */
  async delete(ref: ObjectRef): Promise<boolean> {
    try {
      await this.api.delete({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) } });
      return true;
    } catch (err) {
      if (notServed(err)) return false;
      const mapped = mapKubeError(err, this.ctx, `delete ${describe(ref)}`);
      if (mapped instanceof KubeApiError && mapped.status === 404) return false;
      throw mapped;
    }
  }

  private async write<T>(obj: KubeObject, verb: string, call: () => Promise<unknown>): Promise<T> {
    try {
      return plain<T>(await call());
    } catch (err) {
      const what = describe({ kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace });
      if (notServed(err)) {
        throw new UserError('kind.unavailable', `the cluster does not serve ${obj.kind} (${obj.apiVersion}), so ${what} cannot be written`, {
          fix: `install the operator that provides ${obj.kind} (see \`oc api-resources | grep -i ${obj.kind}\`)`,
        });
      }
      throw mapKubeError(err, this.ctx, `${verb} ${what}`);
    }
  }

  /**
   * Watches a collection path (`/api/v1/namespaces/ns/pods`) with query parameters
   * (`fieldSelector`, `labelSelector`, `resourceVersion`). Resolves when the watch ends (server
   * close, or `signal` aborted); rejects with a mapped error when it fails.
   */
  async watch(path: string, query: Record<string, string | number | boolean | undefined>, onEvent: WatchHandler, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    let controller: AbortController | undefined;
    const ended = new Promise<void>((resolve, reject) => {
      const onAbort = (): void => controller?.abort();
      signal.addEventListener('abort', onAbort, { once: true });
      new Watch(this.kc)
        .watch(path, query, (type, obj) => onEvent(type, plain<KubeObject>(obj)), (err: unknown) => {
          signal.removeEventListener('abort', onAbort);
          if (!err || signal.aborted || isAbort(err)) resolve();
          else reject(mapKubeError(err, this.ctx, `watch ${path}`));
        })
        .then((c) => {
          controller = c;
          if (signal.aborted) c.abort();
        })
        .catch((err: unknown) => reject(mapKubeError(err, this.ctx, `watch ${path}`)));
    });
    return ended;
  }

  /**
   * Watches the objects of a kind (optionally one by name) and calls `onEvent` for each change.
   * Restarts the watch when the server closes it. Returns the unsubscribe function; a kind that
   * is not served (yet) gives a no-op subscription (callers poll as well).
   */
  async watchObjects(ref: Omit<ObjectRef, 'name'> & { name?: string }, onEvent: WatchHandler): Promise<() => void> {
    let path: string;
    try {
      path = await this.api.collectionPath(ref.apiVersion, ref.kind, ref.namespace);
    } catch {
      return () => undefined;
    }
    const controller = new AbortController();
    const query = ref.name ? { fieldSelector: `metadata.name=${ref.name}` } : {};
    void (async () => {
      while (!controller.signal.aborted) {
        const started = Date.now();
        try {
          await this.watch(path, query, onEvent, controller.signal);
        } catch {
          // Polling covers a broken watch; wait before trying again.
          await new Promise((r) => setTimeout(r, 1000).unref());
        }
        if (Date.now() - started < 1000) await new Promise((r) => setTimeout(r, 1000).unref());
      }
    })();
    return () => controller.abort();
  }

  /**
   * Waits until `check` on the object says done (or failed), using the engine's `waitFor`: polls
   * with back-off and wakes early on a watch event for that object.
   * @param check given the object (undefined while it does not exist) → ProbeResult.
   * @param options what is awaited, timeout in milliseconds, poll interval in milliseconds.
   * @throws what `waitFor` throws: WaitTimeoutError, WaitFailedError, AbortError; or mapped API errors.
   */
  waitForObject<T>(waitFor: WaitFor, ref: ObjectRef, check: (obj: KubeObject | undefined) => ProbeResult<T>, options: Omit<WaitOptions, 'watch'>): Promise<T> {
    return waitFor(async () => check(await this.get(ref.apiVersion, ref.kind, ref.name, ref.namespace)), {
      ...options,
      watch: (wake) => this.watchObjects(ref, () => wake()),
    });
  }

  /**
   * Reads a pod's log (`GET /api/v1/namespaces/{ns}/pods/{pod}/log`) line by line. With
   * `follow`, keeps reading until the container's log ends or `signal` aborts (then resolves
   * quietly). Throws mapped errors (404 → KubeApiError, 401/403 → UserError).
   */
  async podLog(namespace: string, pod: string, options: { follow?: boolean; signal?: AbortSignal; onLine: (line: string) => void; container?: string; tailLines?: number }): Promise<void> {
    const query = new URLSearchParams({ follow: String(options.follow ?? false) });
    if (options.container) query.set('container', options.container);
    if (options.tailLines) query.set('tailLines', String(options.tailLines));
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log?${query.toString()}`;
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    if (options.signal?.aborted) return;
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const res = await openRequest(this.kc, 'GET', path, controller.signal);
      if (res.status < 200 || res.status >= 300) throw await apiException(res);
      await readLines(res, options.onLine, controller.signal);
    } catch (err) {
      if (controller.signal.aborted || isAbort(err)) return;
      throw mapKubeError(err, this.ctx, `read the log of Pod ${namespace}/${pod}`);
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * A raw request to the API server with the kubeconfig's credentials and TLS settings.
   * Non-2xx answers are thrown as mapped errors (UserError / KubeApiError) unless `allowStatus`
   * says otherwise. `body` is sent as JSON.
   */
  async request(method: 'GET' | 'POST', path: string, options: { body?: unknown; signal?: AbortSignal; allowStatus?: (status: number) => boolean } = {}): Promise<{ status: number; text: string }> {
    try {
      const res = await openRequest(this.kc, method, path, options.signal, options.body);
      if ((res.status >= 200 && res.status < 300) || options.allowStatus?.(res.status)) return { status: res.status, text: await res.text() };
      throw await apiException(res);
    } catch (err) {
      throw mapKubeError(err, this.ctx, `${method} ${path}`);
    }
  }

  /**
   * GET through the API server's service proxy
   * (`/api/v1/namespaces/{ns}/services/{service}:{port}/proxy{path}`). Returns the backend's
   * status and body as they are (a 503 means no endpoint answers); only API-server auth
   * failures (401) throw.
   */
  async proxyGet(namespace: string, service: string, port: number | string, path: string): Promise<{ status: number; body: string }> {
    const p = path.startsWith('/') ? path : `/${path}`;
    const res = await this.request('GET', `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(service)}:${port}/proxy${p}`, {
      allowStatus: (s) => s !== 401,
    });
    return { status: res.status, body: res.text };
  }

  /**
   * Asks the API server whether the current user may do `verb` on `resource` of API `group`
   * (`''` for core) in `namespace` (omit for cluster scope): a SelfSubjectAccessReview
   * (authorization.k8s.io/v1). Returns `status.allowed`.
   */
  async selfSubjectAccessReview(verb: string, group: string, resource: string, namespace?: string): Promise<boolean> {
    const res = await this.request('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: { verb, group, resource, ...(namespace ? { namespace } : {}) } },
      },
    });
    return (JSON.parse(res.text) as { status?: { allowed?: boolean } }).status?.allowed === true;
  }

  /**
   * Who the current user is: OpenShift's `GET /apis/user.openshift.io/v1/users/~` (name, groups);
   * elsewhere a SelfSubjectReview (authentication.k8s.io/v1, Kubernetes 1.28+). Undefined when
   * neither API exists.
   */
  async whoAmI(): Promise<{ name: string; groups: string[] } | undefined> {
    const res = await this.request('GET', '/apis/user.openshift.io/v1/users/~', { allowStatus: (s) => s === 404 });
    if (res.status === 200) {
      const user = JSON.parse(res.text) as { metadata?: { name?: string }; groups?: string[] | null };
      if (user.metadata?.name) return { name: user.metadata.name, groups: user.groups ?? [] };
    }
    const review = await this.request('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
      allowStatus: (s) => s === 404,
    });
    if (review.status !== 201 && review.status !== 200) return undefined;
    const info = (JSON.parse(review.text) as { status?: { userInfo?: { username?: string; groups?: string[] } } }).status?.userInfo;
    return info?.username ? { name: info.username, groups: info.groups ?? [] } : undefined;
  }

  /** True when the API server serves the API group (`GET /apis`, APIGroupList `groups[].name`). */
  async hasApiGroup(group: string): Promise<boolean> {
    const res = await this.request('GET', '/apis');
    const list = JSON.parse(res.text) as { groups?: { name?: string }[] };
    return (list.groups ?? []).some((g) => g.name === group);
  }
}
