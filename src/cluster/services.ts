/**
 * The services bag steps receive (`StepContext.services`): the Kubernetes client, the one HTTP
 * layer, and what the header shows about the cluster. Built once per run by the CLI.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '../engine/types.js';
import { checkExecCredential } from './exec-plugin.js';
import { createHttpLayer } from './http.js';
import type { HttpLayer } from './http.js';
import { KubeClient } from './kube.js';
import { clusterExtension, loadKubeConfig } from './kubeconfig.js';

/** Name of the kubeconfig cluster extension by which the simulation marks itself (`{ingressAddress, domain}`). */
export const SIM_EXTENSION = 'maas-wizard.io/sim';
/**
 * The ConfigMap the simulation publishes inside the cluster, data `ingressAddress` and `domain`
 * (src/sim/index.ts `SIM_MARKER`; repeated here so that the wizard never imports the simulation).
 */
export const SIM_CONFIGMAP = { namespace: 'openshift-config-managed', name: 'maas-sim' } as const;

/**
 * Hosts outside the wildcard domain that the simulation's ingress serves (src/sim/index.ts
 * `HUB_HOST`: the Hugging Face Hub stand-in), used unless the marker lists its own `hosts`.
 */
export const SIM_DEFAULT_HOSTS: readonly string[] = ['huggingface.co'];

/** Cluster clients and facts shared by every step. */
export interface Services {
  kube: KubeClient;
  http: HttpLayer;
  cluster: {
    /** API server URL from the kubeconfig. */
    server: string;
    /** The kubeconfig context in use. */
    context: string;
    /** The kubeconfig user name (not the cluster identity; preflight reads that). */
    user?: string;
    /** Wildcard domain of the routes, when known at start (from `--ingress-address` routing or the simulation marker). */
    domain?: string;
    /** Where route hosts are sent, when routed (`HOST:PORT`). */
    ingressAddress?: string;
  };
  /** Closes the HTTP layer's connections. */
  close(): Promise<void>;
}

/** Options of `createServices` (the CLI's global flags). */
export interface ServicesOptions {
  /** `--kubeconfig` */
  kubeconfig?: string;
  /** `--context` */
  context?: string;
  /** A kubeconfig object (the in-process simulation's `sim.kubeconfig()`); wins over files. */
  inlineKubeconfig?: object;
  /** `--ingress-address HOST:PORT`: send route hosts there without DNS. */
  ingressAddress?: string;
  /** `--ca-file`: extra CA certificates (PEM) for the cluster's routes. */
  caFile?: string;
  /** Environment (KUBECONFIG, HOME, PATH, proxies); default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Loads the kubeconfig (kubectl precedence), checks an exec credential plugin before the first
 * call (C13), and builds the Kubernetes client and the HTTP layer. Route hosts are sent to
 * `--ingress-address`, or to the simulation's ingress when the kubeconfig (cluster extension
 * `maas-wizard.io/sim`) or the cluster (ConfigMap `openshift-config-managed/maas-sim`) carries
 * the simulation's marker. Reading that ConfigMap is the one request made here; its failure
 * (denied, absent, expired token) just means "no marker".
 * @throws UserError from `loadKubeConfig` (usage), `checkExecCredential`, `createHttpLayer`, and
 *   mapped API errors when the domain has to be read from the cluster (`auth.unauthorized`, ...).
 */
export async function createServices(options: ServicesOptions = {}): Promise<Services> {
  const env = options.env ?? process.env;
  const kc = loadKubeConfig({
    ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}),
    ...(options.context ? { context: options.context } : {}),
    ...(options.inlineKubeconfig ? { inline: options.inlineKubeconfig } : {}),
    env,
  });
  await checkExecCredential(kc, env);
  const cluster = kc.getCurrentCluster();
  const userName = kc.getCurrentUser()?.name;
  const server = cluster?.server ?? '';
  const kube = new KubeClient(kc, { server, ...(userName ? { user: userName } : {}) });

  // The simulation marks itself (kubeconfig extension, else a ConfigMap in the cluster); its
  // ingress serves every route host over plain HTTP on one port.
  const marker = clusterExtension(kc, SIM_EXTENSION) ?? (await simMarkerInCluster(kube));
  const simIngress = stringField(marker, 'ingressAddress');
  const ingressAddress = options.ingressAddress ?? simIngress;
  const toSim = simIngress !== undefined && ingressAddress === simIngress;
  let domain = toSim ? stringField(marker, 'domain') : undefined;
  const extraHosts = toSim ? (listField(marker, 'hosts') ?? [...SIM_DEFAULT_HOSTS]) : [];
  if (ingressAddress && !domain) domain = await readDomain(kube);

  const http = createHttpLayer({
    ...(ingressAddress ? { ingressAddress } : {}),
    ...(domain ? { domain } : {}),
    ...(extraHosts.length > 0 ? { extraHosts } : {}),
    ...(options.caFile ? { caFile: options.caFile } : {}),
    ...caOf(kc),
    ...(cluster?.skipTLSVerify ? { insecureSkipVerify: true } : {}),
    ...(toSim ? { ingressPlainHttp: true } : {}),
    env,
  });
  return {
    kube,
    http,
    cluster: {
      server,
      context: kc.getCurrentContext(),
      ...(userName ? { user: userName } : {}),
      ...(domain ? { domain } : {}),
      ...(ingressAddress ? { ingressAddress } : {}),
    },
    close: () => http.close(),
  };
}

/** The kubeconfig's CA for the current cluster, as PEM text (for route certificates signed by the same CA). */
function caOf(kc: KubeConfig): { caPem?: string } {
  const cluster = kc.getCurrentCluster();
  if (cluster?.caData) return { caPem: Buffer.from(cluster.caData, 'base64').toString('utf8') };
  return {};
}

/**
 * Looks for the simulation's ConfigMap marker (a standalone `maas-wizard sim` reached through a
 * written kubeconfig). Any error (denied, absent, unreachable) means "no marker": the real
 * connection check happens in preflight.
 */
async function simMarkerInCluster(kube: KubeClient): Promise<Record<string, unknown> | undefined> {
  try {
    const cm = await kube.get<KubeObject & { data?: Record<string, string> }>('v1', 'ConfigMap', SIM_CONFIGMAP.name, SIM_CONFIGMAP.namespace);
    return cm?.data?.['ingressAddress'] ? { ...cm.data } : undefined;
  } catch {
    return undefined;
  }
}

/** The wildcard domain from `ingresses.config.openshift.io/cluster` `spec.domain`; undefined when unreadable. */
async function readDomain(kube: KubeClient): Promise<string | undefined> {
  const ingress = await kube.get<KubeObject & { spec?: { domain?: string } }>('config.openshift.io/v1', 'Ingress', 'cluster');
  return ingress?.spec?.domain;
}

/** A list from a marker field: an array of strings, or a comma-separated string (ConfigMap data). */
function listField(obj: Record<string, unknown> | undefined, key: string): string[] | undefined {
  const v = obj?.[key];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  if (typeof v === 'string' && v.length > 0) return v.split(',').map((x) => x.trim()).filter(Boolean);
  return undefined;
}

function stringField(obj: Record<string, unknown> | undefined, key: string): string | undefined {
  const v = obj?.[key];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}
