/**
 * Contracts between the parts of the simulated cluster (SIMULATOR.md): the resource registry,
 * the object store, the clock, and the simulation as a whole. The Kubernetes API server
 * (src/sim/kube/) serves the store over HTTP; the operators (src/sim/operators/) reconcile it
 * in-process, on the clock.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../engine/types.js';

/** One kind the simulated API server serves, as discovery describes it. */
export interface ResourceKind {
  /** API group, `''` for the core group. */
  group: string;
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  namespaced: boolean;
  verbs: string[];
  /** Subresources served: `status`, `log` (Pods), `proxy` (Services). */
  subresources: string[];
  /**
   * The OLM package whose ClusterServiceVersion must have succeeded before this kind is served
   * (SIMULATOR.md §1: Keycloak/KeycloakRealm after `rhsso-operator`, APIManager and
   * CustomPolicyDefinition after `3scale-operator`). Undefined: served from the start.
   */
  installedBy?: string;
}

/** `apiVersion` of a kind: `v1` for core, else `group/version`. */
export function apiVersionOf(kind: Pick<ResourceKind, 'group' | 'version'>): string {
  return kind.group === '' ? kind.version : `${kind.group}/${kind.version}`;
}

/** An object as stored: metadata filled the way a real API server fills it. */
export interface StoredObject extends KubeObject {
  metadata: KubeObject['metadata'] & {
    name: string;
    uid: string;
    /** Decimal string of the store's global counter, as a real server sends it. */
    resourceVersion: string;
    generation: number;
    /** RFC 3339, seconds precision. */
    creationTimestamp: string;
  };
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** A change in the store, in the order it happened. */
export interface StoreEvent {
  type: WatchEventType;
  kind: ResourceKind;
  object: StoredObject;
}

/**
 * An error the store (and so the API server) answers with; maps 1:1 onto a Kubernetes `Status`.
 * `reason` is the real one: AlreadyExists 409, NotFound 404, Conflict 409, Forbidden 403,
 * Unauthorized 401, Invalid 422, MethodNotAllowed 405, BadRequest 400.
 */
export interface ApiErrorShape {
  code: number;
  reason: string;
  message: string;
  details?: { name?: string; group?: string; kind?: string; causes?: { reason: string; message: string; field: string }[] };
}

/**
 * The in-memory object store behind the simulated API server. Synchronous: every method takes
 * effect at once and notifies subscribers synchronously, in order. Errors are thrown as
 * `SimApiError` (src/sim/kube/errors.ts) carrying an `ApiErrorShape`.
 */
export interface ObjectStore {
  get(kind: ResourceKind, namespace: string | undefined, name: string): StoredObject | undefined;
  /** Objects of a kind, in one namespace or (undefined) all; `labelSelector` as the API takes it. */
  list(kind: ResourceKind, namespace?: string, options?: { labelSelector?: string; fieldSelector?: string }): StoredObject[];
  /** Creates; fills uid, resourceVersion, generation 1, creationTimestamp. AlreadyExists when taken. */
  create(kind: ResourceKind, object: KubeObject): StoredObject;
  /**
   * Replaces an object (or only its `status` with `subresource: 'status'`). A `metadata.resourceVersion`
   * that is not the current one → Conflict. Bumps generation when `spec` changed.
   */
  update(kind: ResourceKind, object: KubeObject, options?: { subresource?: 'status' }): StoredObject;
  /** Deletes; a Namespace takes its objects with it. NotFound when absent. */
  delete(kind: ResourceKind, namespace: string | undefined, name: string): StoredObject;
  /** Every change from now on, synchronously. Returns unsubscribe. */
  subscribe(listener: (event: StoreEvent) => void): () => void;
  /** The current global resourceVersion. */
  currentVersion(): number;
}

/** Registry of the kinds the simulation knows; `served` excludes kinds whose operator is not installed yet. */
export interface KindRegistry {
  all(): ResourceKind[];
  served(): ResourceKind[];
  /** By kind name (`InferenceService`), plural, singular or short name; undefined when unknown. */
  find(name: string, group?: string): ResourceKind | undefined;
  /** By kind name; throws when unknown (a bug in the simulation). */
  byKind(kind: string): ResourceKind;
  /** Marks an OLM package installed: its kinds become served (SIMULATOR.md §1). */
  markInstalled(packageName: string): void;
  isServed(kind: ResourceKind): boolean;
}

/** Timing profile: `instant` for tests, `realistic` for demos (durations divided by `speed`). */
export type TimingProfile = 'instant' | 'realistic';

/**
 * The simulation's clock. Operators schedule work with `after(seconds, fn)`; with `instant`
 * timing the work runs on the next macrotask, with `realistic` after `seconds / speed` real seconds.
 */
export interface SimClock {
  readonly timing: TimingProfile;
  readonly speed: number;
  /** Runs `fn` after `seconds` of simulated time. Returns a cancel function. */
  after(seconds: number, fn: () => void): () => void;
  /** Milliseconds since the epoch, real time. */
  now(): number;
  /** Cancels every pending timer (on stop). */
  stop(): void;
}

/** Options of `startSimulation` (src/sim/index.ts). */
export interface SimulationOptions {
  /** 0 picks a free port. Binds 127.0.0.1 only. */
  port?: number;
  /** Directory holding the state; reloaded on restart. Undefined: memory only. */
  stateDir?: string;
  timing?: TimingProfile;
  /** Divides realistic durations (e.g. 60 → one minute takes one second). */
  speed?: number;
  /** Named failure scenarios (SIMULATOR.md §4), e.g. `no-rwx-class`, `kv-cache-too-small`. */
  scenarios?: string[];
  /** Path of the request log (one JSON line per request, no secret values). */
  recordFile?: string;
  /** Bearer token the API server accepts; generated when absent. */
  token?: string;
}

/** A running simulation. */
export interface Simulation {
  /** `http://127.0.0.1:PORT` of the Kubernetes API. */
  apiUrl: string;
  token: string;
  /** Wildcard domain of the simulated cluster, e.g. `apps.sim.maas.example`. */
  domain: string;
  /** `127.0.0.1:PORT` where every Route host is served (by Host header). */
  ingressAddress: string;
  store: ObjectStore;
  kinds: KindRegistry;
  clock: SimClock;
  /** A kubeconfig (as an object) whose current context points at this simulation. */
  kubeconfig(): Record<string, unknown>;
  /** Fault injection for tests: fail request number N (1-based, counted over write requests when `writesOnly`). */
  faults: FaultInjector;
  stop(): Promise<void>;
}

/** Fault injection (SIMULATOR.md §4). */
export interface FaultInjector {
  /** The write request with this 1-based index (POST/PUT/PATCH/DELETE over every service) fails. */
  failWrite(index: number, mode: 'status-500' | 'drop-connection'): void;
  /** Every request whose path matches is delayed by `ms` milliseconds. */
  delay(pathPattern: RegExp, ms: number): void;
  clear(): void;
  /** Write requests seen so far. */
  writeCount(): number;
  /** Requests seen so far (all methods). */
  requestCount(): number;
}

/** A service behind a Route host or a Service (Keycloak, 3scale, APIcast, S3, Hub, model servers). */
export type HostHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/**
 * The simulation's ingress: one port serving every Route host under the wildcard domain, routed
 * by the Host header (SIMULATOR.md §3). Services register the hosts they answer for.
 */
export interface IngressRegistry {
  set(host: string, handler: HostHandler): void;
  remove(host: string): void;
  get(host: string): HostHandler | undefined;
}

/**
 * In-cluster networking: what a pod would reach at `http://<svc>.<ns>.svc.cluster.local[:port]`.
 * The API server's service proxy and APIcast's upstream calls both go through it.
 */
export interface ServiceRegistry {
  /** Serve `handler` for Service `name` in `namespace` (every port). */
  set(namespace: string, name: string, handler: HostHandler): void;
  remove(namespace: string, name: string): void;
  get(namespace: string, name: string): HostHandler | undefined;
  /** Handler for an in-cluster URL's host (`name.ns.svc`, `name.ns.svc.cluster.local`), if served. */
  resolve(url: string): HostHandler | undefined;
}

/** Container logs of simulated pods, for `GET .../pods/{name}/log` (with `follow=true`). */
export interface PodLogs {
  append(namespace: string, pod: string, line: string): void;
  /** Marks the log finished (container exited): followers' streams end. */
  end(namespace: string, pod: string): void;
  read(namespace: string, pod: string): string[];
  /** Lines from now on; returns unsubscribe. `onEnd` fires when the log is finished. */
  follow(namespace: string, pod: string, onLine: (line: string) => void, onEnd: () => void): () => void;
}

/** The simulated Keycloak (RH-SSO), as the RH-SSO operator of the simulation drives it. */
export interface KeycloakBackend {
  /** Sets the master-realm admin user (from the `credential-<name>` Secret). */
  setAdmin(username: string, password: string): void;
  /** Creates the realm when absent; does nothing when it exists (the legacy operator creates once: C7). */
  ensureRealm(realm: string, displayName?: string): void;
  /** Serves the Keycloak host (paths under `/auth`). */
  handler: HostHandler;
  /**
   * Optional (scenario `keycloak-slow-start`): while `false`, every request answers 503 with the
   * OpenShift router's "Application is not available" body, as while the Route exists but no
   * Keycloak pod behind it is ready. Default `true`.
   */
  setReady?(ready: boolean): void;
}

/** The simulated 3scale (system + APIcast), as the 3scale operator of the simulation drives it. */
export interface ThreescaleBackend {
  /** Creates the tenant with the sample data a real one has; idempotent. */
  provisionTenant(options: { tenantName: string; accessToken: string; domain: string }): void;
  /** Products as they change, for zync's gateway Routes (`<system_name>-<tenant>-apicast-{staging,production}.<domain>`). */
  onProductsChanged(listener: (products: { id: number; systemName: string }[]) => void): () => void;
  /** Names of custom policies registered through the APIManager (Secret + CustomPolicyDefinition). */
  setCustomPolicies(names: { name: string; version: string }[]): void;
  /** Serves the admin portal host (AM + CMS API), the developer portal host and every gateway host. */
  handler: HostHandler;
  /** Optional (scenario `threescale-5xx`): the next `count` requests to the admin host answer `status` (default 503). */
  failNextRequests?(count: number, status?: number): void;
}

/** The simulated S3 object store behind the bucket host the OBC provisioner writes into its ConfigMap. */
export interface S3Backend {
  /** Credentials the store accepts (handed out in the OBC Secret as AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY). */
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Creates the bucket when absent. */
  ensureBucket(name: string): Promise<void>;
  /** Objects under a prefix (key and size in bytes); empty when the bucket is absent. */
  listObjects(bucket: string, prefix: string): Promise<{ key: string; size: number }[]>;
  /** Serves the S3 protocol (path-style and virtual-host-style requests). */
  handler: HostHandler;
}

/** The Hugging Face Hub stand-in (model info, file tree, `resolve/main/<file>` downloads, gated repos, token checks). */
export interface HubBackend {
  handler: HostHandler;
  /** Repo ids the stand-in knows. */
  models(): string[];
  /** Optional (scenario `bad-hub-token`): `token` becomes unknown; every request with it answers 401. */
  revokeToken?(token: string): void;
  /**
   * Optional (scenario `gated-model-without-licence`): the account of `token` has accepted no
   * licence; downloads from gated repos answer 403 `GatedRepo` (non-gated repos still work).
   */
  withdrawLicences?(token: string): void;
}

/** What an InferenceService's predictor serves, by API type. */
export interface ModelServerOptions {
  /** Name in `/v1/models` and the `model` field (vLLM `--served-model-name`). */
  servedModelName: string;
  kind: 'chat' | 'embedding';
}

/** Makes the OpenAI-compatible server a predictor pod runs (`/v1/models`, chat/completions, completions, embeddings). */
export type ModelServerFactory = (options: ModelServerOptions) => HostHandler;
