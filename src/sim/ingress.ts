/**
 * The simulation's ingress (the OpenShift router's part): one HTTP handler serving every Route
 * host under the wildcard domain, chosen by the `Host` header (port stripped, case-insensitive).
 * A host nobody serves gets what the OpenShift router answers: 503 with its "Application is not
 * available" page (openshift/router's default error page for a missing route).
 */
import type { HostHandler, IngressRegistry } from './types.js';

const NOT_AVAILABLE_PAGE = `<html>
  <head><title>Application is not available</title></head>
  <body>
    <h1>Application is not available</h1>
    <p>The application is currently not serving requests at this endpoint. It may not have been started or is still starting.</p>
    <p>Possible reasons you are seeing this page:</p>
    <ul>
      <li>The host doesn't exist. Make sure the hostname was typed correctly and that a route matching this hostname exists.</li>
      <li>The host exists, but doesn't have a matching path. Check if the URL path was typed correctly and that the route was created using the desired path.</li>
      <li>Route and path matches, but all pods are down. Make sure that the resources exposed by this route (pods, services, deployment configs, etc) have at least one pod running.</li>
    </ul>
  </body>
</html>
`;

/** Host name without port, lower case (`Keycloak-RH-SSO.apps.x:8443` → `keycloak-rh-sso.apps.x`). */
export function normalizeHost(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  return colon >= 0 ? h.slice(0, colon) : h;
}

/** Creates an empty ingress: register hosts with `set`, serve `handler` on a port. */
export function createIngress(): IngressRegistry & { handler: HostHandler; hosts(): string[] } {
  const routes = new Map<string, HostHandler>();
  const handler: HostHandler = async (req, res) => {
    const host = normalizeHost(req.headers.host ?? '');
    const target = routes.get(host);
    if (target) {
      // Routes are edge-terminated https on a real cluster: the router tells the service so,
      // and services build their public URLs (Keycloak's issuer) from it.
      req.headers['x-forwarded-proto'] ??= 'https';
      await target(req, res);
      return;
    }
    req.resume();
    res.writeHead(503, { 'content-type': 'text/html', 'cache-control': 'private, max-age=0, no-cache, no-store', connection: 'close' });
    res.end(NOT_AVAILABLE_PAGE);
  };
  return {
    set: (host, h) => void routes.set(normalizeHost(host), h),
    remove: (host) => void routes.delete(normalizeHost(host)),
    get: (host) => routes.get(normalizeHost(host)),
    hosts: () => [...routes.keys()].sort(),
    handler,
  };
}
