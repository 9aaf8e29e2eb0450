/**
 * Finding a 3scale tenant on the cluster and connecting to it (STAGES.md §7, C10): the portal
 * URLs come from Route objects found by `spec.host` (zync names its Routes `zync-3scale-…`, so
 * never by name), and the admin access token from Secret `system-seed` (`ADMIN_ACCESS_TOKEN`),
 * read when a request needs it and never stored.
 */
import type { Services } from '../services.js';
import type { KubeClient } from '../kube.js';
import { UserError } from '../../engine/errors.js';
import type { KubeObject } from '../../engine/types.js';
import { ThreescaleClient } from './client.js';
import type { RetryOptions } from './http.js';

/** The Secret the 3scale operator writes with the tenant's credentials (APIManager `system-seed`). */
export const SEED_SECRET = 'system-seed';
/** Key of the tenant admin's access token in `system-seed`. */
export const TOKEN_KEY = 'ADMIN_ACCESS_TOKEN';

/** Hosts of a tenant as zync and the operator make them (3scale-operator / zync): admin, developer portal, master. */
export function tenantHosts(tenant: string, domain: string): { admin: string; developer: string; master: string } {
  return { admin: `${tenant}-admin.${domain}`, developer: `${tenant}.${domain}`, master: `master.${domain}` };
}

type Route = KubeObject & { spec?: { host?: string; to?: { name?: string } } };

/** The Routes of `namespace` whose `spec.host` is `host` (route.openshift.io/v1). */
export async function routesByHost(kube: KubeClient, namespace: string, host: string): Promise<Route[]> {
  const routes = await kube.list<Route>('route.openshift.io/v1', 'Route', namespace);
  return routes.filter((r) => r.spec?.host?.toLowerCase() === host.toLowerCase());
}

/** `https://<host>` when a Route with that host exists in `namespace`, else undefined. */
export async function routeUrl(kube: KubeClient, namespace: string, host: string): Promise<string | undefined> {
  return (await routesByHost(kube, namespace, host)).length > 0 ? `https://${host}` : undefined;
}

/**
 * Reads the admin access token from Secret `<namespace>/system-seed`.
 * @throws UserError `3scale.seed-missing` when the Secret or its key is absent.
 */
export async function readAccessToken(kube: KubeClient, namespace: string): Promise<string> {
  const secret = await kube.get<KubeObject & { data?: Record<string, string> }>('v1', 'Secret', SEED_SECRET, namespace);
  const b64 = secret?.data?.[TOKEN_KEY];
  if (!b64) {
    throw new UserError('3scale.seed-missing', `Secret ${namespace}/${SEED_SECRET} ${secret ? `has no key ${TOKEN_KEY}` : 'does not exist'}`, {
      fix: `the 3scale operator writes it when it deploys the APIManager; check \`oc get apimanager,secret -n ${namespace}\``,
    });
  }
  return Buffer.from(b64, 'base64').toString('utf8');
}

/** What `connectThreescale` needs to know about the tenant. */
export interface ThreescaleTarget {
  /** Namespace of the APIManager (holds `system-seed` and the Routes). */
  namespace: string;
  /** Origin of the admin portal, `https://<tenant>-admin.<domain>` (an output of `threescale.apimanager`). */
  adminUrl: string;
}

/**
 * A client for the tenant's admin portal. The token is read from `system-seed` at the first
 * request and kept in memory for this client only (never written anywhere); a failed read is
 * retried at the next request.
 * @param options.retry retry policy of the client (tests shorten it; times in milliseconds).
 */
export function connectThreescale(services: Pick<Services, 'kube' | 'http'>, target: ThreescaleTarget, options: { retry?: RetryOptions; signal?: AbortSignal } = {}): ThreescaleClient {
  let token: Promise<string> | undefined;
  const accessToken = (): Promise<string> => {
    token ??= readAccessToken(services.kube, target.namespace).catch((err: unknown) => {
      token = undefined;
      throw err;
    });
    return token;
  };
  return new ThreescaleClient({
    fetch: services.http.fetch,
    baseUrl: target.adminUrl,
    accessToken,
    tokenSource: `Secret ${target.namespace}/${SEED_SECRET} key ${TOKEN_KEY}`,
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}
