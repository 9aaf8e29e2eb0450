/**
 * Routes of a 3scale tenant, made the way zync makes them (3scale/zync): generated names
 * `zync-3scale-<type>-xxxxx`, found by `spec.host`, never by name (STAGES.md §7).
 * Hosts: admin portal `<tenant>-admin.<domain>`, developer portal `<tenant>.<domain>`, master
 * `master.<domain>`, and per product `<system_name>-<tenant>-apicast-{staging,production}.<domain>`
 * (`_` → `-`; a label longer than 63 characters is cut and ends with a short hash). The backend
 * listener Route `backend` (`backend-<tenant>.<domain>`) is made by the operator itself.
 */
import { createHash } from 'node:crypto';
import type { StoredObject } from '../types.js';
import type { Controller } from './controller.js';
import { randomSuffix } from './objects.js';

/** A DNS label from a product system name and tenant (`my_model`, `maas`, `production` → `my-model-maas-apicast-production`). */
export function gatewayLabel(systemName: string, tenant: string, env: 'staging' | 'production'): string {
  const label = `${systemName}-${tenant}-apicast-${env}`.toLowerCase().replace(/[_.]/g, '-');
  if (label.length <= 63) return label;
  const hash = createHash('sha1').update(label).digest('hex').slice(0, 8);
  return `${label.slice(0, 54).replace(/-+$/, '')}-${hash}`;
}

/** Gateway hosts of one product. */
export function gatewayHosts(systemName: string, tenant: string, domain: string): { staging: string; production: string } {
  return { staging: `${gatewayLabel(systemName, tenant, 'staging')}.${domain}`, production: `${gatewayLabel(systemName, tenant, 'production')}.${domain}` };
}

/** The tenant's portal hosts. */
export function tenantHosts(tenant: string, domain: string): { admin: string; developer: string; master: string; backend: string } {
  return { admin: `${tenant}-admin.${domain}`, developer: `${tenant}.${domain}`, master: `master.${domain}`, backend: `backend-${tenant}.${domain}` };
}

/** Routes of the namespace whose `spec.host` is `host`. */
export function routesByHost(ctl: Controller, namespace: string, host: string): StoredObject[] {
  return ctl.objects.list('Route', namespace).filter((r) => (r['spec'] as { host?: string } | undefined)?.host === host);
}

/** A zync-style generated Route name: `zync-3scale-<type>-xxxxx` (type `provider`, `master` or `api`). */
export function zyncRouteName(type: 'provider' | 'master' | 'api'): string {
  return `zync-3scale-${type}-${randomSuffix(5)}`;
}

/** Ensures a Route named `name` to `service` for `host` exists, unless some Route already has that host. */
export function ensureRoute(ctl: Controller, namespace: string, host: string, service: string, labels: Record<string, string>, name: string): void {
  if (routesByHost(ctl, namespace, host).length > 0) return;
  ctl.objects.ensure('Route', {
    metadata: { name, namespace, labels: { ...labels, app: '3scale-api-management' } },
    spec: { host, to: { kind: 'Service', name: service, weight: 100 }, port: { targetPort: 'http' }, tls: { termination: 'edge', insecureEdgeTerminationPolicy: 'Redirect' }, wildcardPolicy: 'None' },
  });
  const created = ctl.objects.get('Route', namespace, name);
  if (created) {
    ctl.objects.setStatus('Route', namespace, name, () => ({ ingress: [{ host, routerName: 'default', wildcardPolicy: 'None', conditions: [{ type: 'Admitted', status: 'True' }] }] }));
  }
}

/** Deletes every Route of the namespace whose host is `host`. */
export function removeRoutes(ctl: Controller, namespace: string, host: string): void {
  for (const r of routesByHost(ctl, namespace, host)) ctl.objects.remove('Route', namespace, r.metadata.name);
}
