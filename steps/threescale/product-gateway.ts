/**
 * The gateway URLs of a product (STAGES.md §7, C10). 3scale writes each product's APIcast hosts
 * into its proxy (`endpoint` = production, `sandbox_endpoint` = staging, e.g.
 * `https://my-model-maas-apicast-production.apps.example.com:443`: the system name with `_` → `-`,
 * the tenant, the environment; a label too long for DNS is shortened with a hash), and zync creates
 * a Route per host with a generated name (`zync-3scale-api-xxxxx`). So the host is read from the
 * proxy, never computed, and the Route is found by `spec.host`, never by name.
 */
import type { KubeClient } from '../../src/cluster/kube.js';
import { routesByHost } from '../../src/cluster/threescale/connect.js';
import type { Proxy } from '../../src/cluster/threescale/types.js';
import { UserError } from '../../src/engine/errors.js';
import type { ProbeResult, WaitFor } from '../../src/engine/types.js';

/** Milliseconds to wait for zync's production gateway Route (zync-que works within seconds; a minute is generous). */
export const GATEWAY_ROUTE_TIMEOUT_MS = 3 * 60_000;

/** Production and staging gateway hosts of a product, from its proxy. */
export interface GatewayHosts {
  production: string;
  staging: string;
}

/** The host of an endpoint URL (`https://host:443` → `host`); undefined when absent or not a URL. */
export function hostOf(endpoint: unknown): string | undefined {
  if (typeof endpoint !== 'string' || !endpoint) return undefined;
  try {
    return new URL(endpoint).hostname;
  } catch {
    return undefined;
  }
}

/**
 * The gateway hosts named by the proxy's `endpoint` and `sandbox_endpoint`.
 * @throws UserError `3scale.no-gateway` when the proxy names none (self-managed APIcast without endpoints).
 */
export function gatewayHosts(proxy: Proxy, systemName: string): GatewayHosts {
  const production = hostOf(proxy.endpoint);
  const staging = hostOf(proxy.sandbox_endpoint);
  if (!production || !staging) {
    throw new UserError('3scale.no-gateway', `product ${systemName} has no APIcast ${production ? 'staging' : 'production'} endpoint in its proxy settings`, {
      fix: 'the wizard uses the 3scale-managed APIcast (deployment option hosted); check Integration → Settings of the product in the admin portal',
    });
  }
  return { production, staging };
}

/** One look for the Route of `host` in `namespace`. */
export async function probeRoute(kube: KubeClient, namespace: string, host: string): Promise<ProbeResult<string>> {
  const routes = await routesByHost(kube, namespace, host);
  return routes.length > 0 ? { state: 'done', value: `https://${host}` } : { state: 'pending', currently: `no Route with host ${host} in ${namespace} yet (zync creates it)` };
}

/**
 * Waits until a Route for the production gateway host exists (watching Routes, polling as a
 * fallback with back-off); returns `https://<host>`.
 * @throws WaitTimeoutError after GATEWAY_ROUTE_TIMEOUT_MS (fix: zync-que's log), AbortError.
 */
export function waitForGatewayRoute(kube: KubeClient, waitFor: WaitFor, namespace: string, host: string): Promise<string> {
  return waitFor(() => probeRoute(kube, namespace, host), {
    what: `the gateway Route for ${host} (created by zync)`,
    timeoutMs: GATEWAY_ROUTE_TIMEOUT_MS,
    intervalMs: 500,
    maxIntervalMs: 10_000,
    watch: (wake) => kube.watchObjects({ apiVersion: 'route.openshift.io/v1', kind: 'Route', namespace }, () => wake()),
  });
}
