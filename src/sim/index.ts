/**
 * The simulated cluster as a whole (SIMULATOR.md): kinds, object store (+ state directory), seed,
 * access policy, pod logs, in-cluster services, fault injection, request log, the Kubernetes API
 * server, the ingress (every Route host on one port, by Host header), the operators and the
 * scenarios. `startSimulation` assembles and starts them; `stop()` closes everything and flushes state.
 *
 * A wizard pointed at a standalone simulation through its kubeconfig finds the ingress in two
 * places: the cluster extension `maas-wizard.io/sim` of the kubeconfig (`{ingressAddress, domain,
 * hosts}`, `hosts` a list) and the ConfigMap `maas-sim` in `openshift-config-managed` (data
 * `ingressAddress`, `domain`, `hosts` comma-separated). `hosts` names the hosts the ingress serves
 * outside the wildcard domain (the Hub stand-in `huggingface.co`), left out when there are none;
 * src/cluster/services.ts reads either shape.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { HostHandler, Simulation, SimulationOptions } from './types.js';
import { createKindRegistry } from './kinds.js';
import { createObjectStore } from './store.js';
import { persistStore } from './persist.js';
import { createAccessPolicy } from './kube/access.js';
import type { AccessPolicy } from './kube/access.js';
import { createPodLogs } from './kube/logs.js';
import { createServiceRegistry } from './kube/services.js';
import { createFaultInjector } from './kube/faults.js';
import { createRequestLog } from './kube/record.js';
import { createKubeApiHandler } from './kube/handler.js';
import { listen } from './kube/listen.js';
import { selfSignedCertificate } from './kube/tls.js';
import { createClock } from './clock.js';
import type { SettlingClock } from './clock.js';
import { createIngress } from './ingress.js';
import { seedCluster, SIM_DOMAIN } from './seed.js';
import { applyScenarios, resolveScenarios } from './scenarios.js';
import { createOperators } from './operators/index.js';
import type { JobRun, OperatorFlags, SimBackends } from './operators/index.js';
import { Objects } from './operators/objects.js';
import { bucketEndpointHosts } from './operators/obc.js';
import { createImporterRunner, isImporterJob } from './operators/importer.js';
import { createPodNetwork } from './operators/pod-network.js';
import type { PodNetwork } from './operators/pod-network.js';
import type { StoredObject } from './types.js';

/** Name of the kubeconfig cluster extension and of the in-cluster marker ConfigMap. */
export const SIM_EXTENSION = 'maas-wizard.io/sim';
export const SIM_MARKER = { namespace: 'openshift-config-managed', name: 'maas-sim' } as const;
/** Name of the kubeconfig cluster, user and context. */
export const SIM_CONTEXT = 'maas-sim';
/** Kubernetes version the API server reports (OpenShift 4.16 ships Kubernetes 1.29). */
export const SIM_KUBE_VERSION = 'v1.29.10+67d3387';
/** Host the Hugging Face Hub stand-in is served on, through the ingress. */
export const HUB_HOST = 'huggingface.co';

/** What a backends factory receives: the in-cluster services (3scale's APIcast proxies through them), domain and clock. */
export interface BackendEnv {
  services: ReturnType<typeof createServiceRegistry>;
  domain: string;
  clock: SettlingClock;
  /** The simulation's state directory, when it has one (e.g. for the S3 backend's `dir`: `<stateDir>/s3`). */
  stateDir?: string;
  /** Host names the bucket endpoints answer on (the S3 backend's `endpointHosts`). */
  bucketHosts: string[];
}

/** Makes the backends once the simulation's ServiceRegistry and domain exist. */
export type BackendsFactory = (env: BackendEnv) => SimBackends | Promise<SimBackends>;

/**
 * Options of `startSimulation`: the contract's options plus the services behind Routes (each
 * optional), given ready-made or as a factory called with the ServiceRegistry and the domain.
 */
export interface StartSimulationOptions extends SimulationOptions {
  backends?: SimBackends | BackendsFactory;
  /**
   * Serve the Kubernetes API over HTTPS with a throw-away self-signed certificate (needs the
   * `openssl` command). kubectl and oc send bearer tokens only over TLS, so `maas-wizard sim`
   * turns this on; in-process use (`--demo`, tests) keeps plain HTTP.
   */
  tls?: boolean;
}

/** A running simulation with the parts tests and the demo mode reach into. */
export interface RunningSimulation extends Simulation {
  clock: SettlingClock;
  access: AccessPolicy;
  /** Operator behaviour switches the scenarios set (read-only use: KV cache size, slow Keycloak). */
  flags: Readonly<OperatorFlags>;
  ingress: ReturnType<typeof createIngress>;
  services: ReturnType<typeof createServiceRegistry>;
  podLogs: ReturnType<typeof createPodLogs>;
  requestLog: ReturnType<typeof createRequestLog>;
  /** Jobs for which `match` is true run `run` (the model import Job); see operators/jobs.ts. */
  registerJobRunner(match: (job: StoredObject) => boolean, run: JobRun): () => void;
}

/** Hosts served by the ingress outside the wildcard `domain` (e.g. `huggingface.co`), sorted. */
export function extraHosts(served: readonly string[], domain: string): string[] {
  return served.filter((h) => h !== domain && !h.endsWith(`.${domain}`)).sort();
}

/** Wraps every backend's handler so the request log and the fault injector see its requests. */
function wrapBackends(backends: SimBackends, wrap: (service: string, h: HostHandler) => HostHandler): SimBackends {
  const withHandler = <T extends { handler: HostHandler }>(b: T | undefined, service: string): T | undefined =>
    b ? (Object.create(b, { handler: { value: wrap(service, b.handler), enumerable: true } }) as T) : undefined;
  const out: SimBackends = {};
  const kc = withHandler(backends.keycloak, 'keycloak');
  const ts = withHandler(backends.threescale, '3scale');
  const s3 = withHandler(backends.s3, 's3');
  const hub = withHandler(backends.hub, 'huggingface');
  if (kc) out.keycloak = kc;
  if (ts) out.threescale = ts;
  if (s3) out.s3 = s3;
  if (hub) out.hub = hub;
  const factory = backends.modelServer;
  if (factory) out.modelServer = (o) => wrap('model', factory(o));
  return out;
}

/**
 * Starts a simulated cluster on 127.0.0.1 (API on `options.port`, 0 = free; ingress on a free port).
 * With `stateDir`, objects are reloaded from it and saved to it; the seed is written only when the
 * state is empty. Scenarios are applied at every start.
 * @throws Error for an unknown scenario (listing the known ones), a corrupt state file, or a port in use.
 */
export async function startSimulation(options: StartSimulationOptions = {}): Promise<RunningSimulation> {
  resolveScenarios(options.scenarios ?? []);
  const kinds = createKindRegistry();
  const store = createObjectStore(kinds);
  const persist = options.stateDir ? persistStore(store, kinds, options.stateDir) : undefined;
  const o = new Objects(store, kinds);
  if (o.list('Namespace').length === 0) seedCluster(store, kinds, SIM_DOMAIN);
  const domain = String((o.get('Ingress', undefined, 'cluster')?.['spec'] as { domain?: string } | undefined)?.domain ?? SIM_DOMAIN);

  const access = createAccessPolicy({ token: options.token ?? `sha256~${randomBytes(32).toString('base64url')}` });
  const podLogs = createPodLogs();
  const services = createServiceRegistry();
  const faults = createFaultInjector();
  const requestLog = createRequestLog(options.recordFile);
  const wrap = (service: string, h: HostHandler): HostHandler => requestLog.wrap(service, faults.wrap(service, h));
  const ingress = createIngress();
  const clock: SettlingClock = createClock(options.timing ?? 'instant', options.speed ?? 1);
  const flags: OperatorFlags = {};
  const given = typeof options.backends === 'function' ? await options.backends({ services, domain, clock, bucketHosts: bucketEndpointHosts(domain), ...(options.stateDir ? { stateDir: options.stateDir } : {}) }) : (options.backends ?? {});
  const backendState = options.stateDir ? createBackendState(options.stateDir, given) : undefined;
  backendState?.restore();
  const backends = wrapBackends(given, wrap);
  if (backends.hub) ingress.set(HUB_HOST, backends.hub.handler);

  applyScenarios(options.scenarios ?? [], { store, kinds, access, flags, backends: given });

  const api = createKubeApiHandler({ store, kinds, access, podLogs, services, clusterVersion: SIM_KUBE_VERSION });
  let apiServer: Awaited<ReturnType<typeof listen>> | undefined;
  let ingressServer: Awaited<ReturnType<typeof listen>> | undefined;
  let podNetwork: PodNetwork | undefined;
  try {
    apiServer = await listen(wrap('kubernetes', api), options.port ?? 0, options.tls ? { tls: await selfSignedCertificate() } : {});
    ingressServer = await listen(ingress.handler, 0);
    // The import Job copies from the Hub stand-in to the bucket when both exist (operators/importer.ts).
    if (backends.hub && backends.s3) podNetwork = await createPodNetwork(services, ingress);
  } catch (err) {
    // A port in use: release what was started, save what was loaded.
    await apiServer?.close();
    await ingressServer?.close();
    clock.stop();
    await backendState?.close();
    await persist?.close();
    await requestLog.close();
    throw err;
  }
  const apiListener = apiServer;
  const ingressListener = ingressServer;
  const ingressAddress = `127.0.0.1:${ingressListener.port}`;
  const hosts = extraHosts(ingress.hosts(), domain);
  o.apply('ConfigMap', { metadata: { name: SIM_MARKER.name, namespace: SIM_MARKER.namespace, labels: { 'app.kubernetes.io/part-of': 'maas-wizard-sim' } }, data: { ingressAddress, domain, ...(hosts.length > 0 ? { hosts: hosts.join(',') } : {}) } });

  const { all, jobs } = createOperators({ store, kinds, clock, podLogs, services, ingress, domain, flags, backends });
  if (podNetwork) jobs.registerJobRunner(isImporterJob, createImporterRunner(o, podNetwork));
  for (const op of all) op.start();

  const apiUrl = apiListener.url;
  let stopping: Promise<void> | undefined;
  return {
    apiUrl,
    token: access.token,
    domain,
    ingressAddress,
    store,
    kinds,
    clock,
    faults,
    access,
    flags,
    ingress,
    services,
    podLogs,
    requestLog,
    registerJobRunner: (match, run) => jobs.registerJobRunner(match, run),
    kubeconfig: () => ({
      apiVersion: 'v1',
      kind: 'Config',
      preferences: {},
      clusters: [{
        name: SIM_CONTEXT,
        cluster: { server: apiUrl, 'insecure-skip-tls-verify': true, extensions: [{ name: SIM_EXTENSION, extension: { ingressAddress, domain, ...(hosts.length > 0 ? { hosts } : {}) } }] },
      }],
      users: [{ name: SIM_CONTEXT, user: { token: access.token } }],
      contexts: [{ name: SIM_CONTEXT, context: { cluster: SIM_CONTEXT, user: SIM_CONTEXT, namespace: 'default' } }],
      'current-context': SIM_CONTEXT,
    }),
    stop() {
      stopping ??= (async () => {
        for (const op of [...all].reverse()) op.stop();
        clock.stop();
        await Promise.all([apiListener.close(), ingressListener.close(), podNetwork?.close()]);
        await backendState?.close();
        for (const b of Object.values(given) as unknown[]) {
          const close = (b as { close?: unknown } | undefined)?.close;
          if (typeof close === 'function') await (close as () => Promise<void> | void).call(b);
        }
        await persist?.close();
        await requestLog.close();
      })();
      return stopping;
    },
  };
}

/*
 * Backend state in the state directory: the simulated services that have one (Keycloak realms and
 * clients, the 3scale tenant) take part when they have `snapshot(): unknown` and
 * `restore(state: unknown): void`. Files `<stateDir>/backends/<name>.json`, mode 0600 in a 0700
 * directory (they hold client secrets, as the cluster's Secrets do); saved every second when
 * changed, and on stop.
 */

interface Snapshotting {
  snapshot(): unknown;
  restore(state: unknown): void;
}

/** Milliseconds between checks for changed backend state. */
const BACKEND_SAVE_INTERVAL_MS = 1000;

function snapshotting(b: unknown): b is Snapshotting {
  return typeof (b as Partial<Snapshotting> | undefined)?.snapshot === 'function' && typeof (b as Partial<Snapshotting> | undefined)?.restore === 'function';
}

/**
 * Creates the saver for `backends` under `stateDir`. `restore()` loads saved states (a corrupt file
 * throws, naming it); `close()` saves a last time and stops the timer.
 */
function createBackendState(stateDir: string, backends: SimBackends): { restore(): void; close(): Promise<void> } {
  const dir = path.join(stateDir, 'backends');
  const entries = Object.entries(backends).filter((e): e is [string, Snapshotting] => snapshotting(e[1]));
  const last = new Map<string, string>();
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();

  const save = (): Promise<void> => {
    for (const [name, b] of entries) {
      const text = JSON.stringify(b.snapshot());
      if (last.get(name) === text) continue;
      last.set(name, text);
      const file = path.join(dir, `${name}.json`);
      writing = writing.then(async () => {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        const temp = `${file}.${process.pid}.tmp`;
        await writeFile(temp, text, { mode: 0o600 });
        await rename(temp, file);
      });
    }
    return writing;
  };

  return {
    restore() {
      for (const [name, b] of entries) {
        const file = path.join(dir, `${name}.json`);
        if (!existsSync(file)) continue;
        const text = readFileSync(file, 'utf8');
        try {
          b.restore(JSON.parse(text));
        } catch (err) {
          throw new Error(`${file}: cannot restore the simulated ${name}: ${(err as Error).message}`, { cause: err });
        }
        last.set(name, text);
      }
      if (entries.length > 0) {
        timer = setInterval(() => void save().catch(() => undefined), BACKEND_SAVE_INTERVAL_MS);
        timer.unref();
      }
    },
    async close() {
      if (timer) clearInterval(timer);
      await save();
    },
  };
}
