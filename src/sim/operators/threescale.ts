/**
 * Simulated 3scale operator (`apps.3scale.net/v1alpha1` APIManager), reconciling only where its
 * installed CSV watches. Status as the real status reconciler writes it (3scale-operator
 * apimanager_status_reconciler.go): condition `Available` (True only when every expected
 * Deployment is available, the default routes exist and the watched Secrets exist; reason
 * `MissingWatchedSecrets` otherwise), `Preflights` (reason `PreflightsPass`, True "All
 * requirements for the current version are met", False "Preflights failed - … - re-running
 * preflights in 10 minutes"), and `deployments.{ready,starting,stopped}`.
 *
 * Creates: the Deployments (threescale-checks.ts), PVC `system-storage` (ReadWriteMany, class from
 * `system.fileStorage.persistentVolumeClaim.storageClassName`; no PVC with S3 file storage), Secret
 * `system-seed`, the Route `backend` and, after DURATIONS.apiManagerAvailable, zync's Routes
 * (zync.ts). Then the tenant is provisioned on the 3scale backend and product gateway Routes follow
 * its products. The default `API` product's Routes are part of "default routes": deleting it turns
 * `Available` False (STAGES.md §7).
 */
import type { StoredObject } from '../types.js';
import { DURATIONS } from '../durations.js';
import type { OperatorContext, SimOperator } from './context.js';
import { Controller, keyOf, splitKey } from './controller.js';
import type { Key } from './controller.js';
import { b64, ownerRef, randomSecret, secretValue, setCondition } from './objects.js';
import type { Condition } from './objects.js';
import { operatorWatches } from './olm.js';
import { deploymentNames, missingWatchedSecrets, preflightError, registrablePolicies, threescaleMinor } from './threescale-checks.js';
import { ensureRoute, gatewayHosts, removeRoutes, routesByHost, tenantHosts, zyncRouteName } from './zync.js';

const PACKAGE = '3scale-operator';
/** Products of a fresh tenant when no 3scale backend is wired (the sample product `API`, system name `api`). */
const DEFAULT_PRODUCTS = [{ id: 2, systemName: 'api' }];

interface Tenant { products: { id: number; systemName: string }[]; unsubscribe?: () => void; tenant: string; domain: string }

/** Creates the simulated 3scale operator. */
export function createThreescaleOperator(ctx: OperatorContext): SimOperator {
  const tenants = new Map<Key, Tenant>();
  const ctl: Controller = new Controller(ctx, {
    name: 'threescale-operator',
    primary: 'APIManager',
    watches: ['Secret', 'Service', 'PersistentVolumeClaim', 'Route', 'CustomPolicyDefinition', 'Subscription', 'ClusterServiceVersion'].map((kind) => ({
      kind,
      map: (e) => ctl.objects.list('APIManager', kind === 'ClusterServiceVersion' ? undefined : e.object.metadata.namespace).map(keyOf),
    })),
    reconcile: (key) => reconcile(key),
    onStop() {
      for (const t of tenants.values()) t.unsubscribe?.();
      tenants.clear();
    },
  });
  const o = ctl.objects;

  function specOf(am: StoredObject): { tenant: string; domain: string; storageClass?: string; s3: boolean } {
    const spec = (am['spec'] ?? {}) as { wildcardDomain?: string; tenantName?: string; system?: { fileStorage?: { persistentVolumeClaim?: { storageClassName?: string }; simpleStorageService?: unknown; amazonSimpleStorageService?: unknown } } };
    const fs = spec.system?.fileStorage;
    const out: { tenant: string; domain: string; storageClass?: string; s3: boolean } = { tenant: spec.tenantName ?? '3scale', domain: spec.wildcardDomain ?? ctx.domain, s3: Boolean(fs?.simpleStorageService ?? fs?.amazonSimpleStorageService) };
    if (fs?.persistentVolumeClaim?.storageClassName) out.storageClass = fs.persistentVolumeClaim.storageClassName;
    return out;
  }

  function reconcile(key: Key): void {
    const { namespace: ns, name } = splitKey(key);
    const am = ns ? o.get('APIManager', ns, name) : undefined;
    if (!am || !ns) {
      tenants.get(key)?.unsubscribe?.();
      tenants.delete(key);
      return ctl.cancelAll(key);
    }
    if (!operatorWatches(ctl, PACKAGE, ns)) return;
    const s = specOf(am);
    const preflight = preflightError(ctl, am, threescaleMinor(ctl, ns));
    const writeStatus = (available: boolean, ready: string[], starting: string[], missing: string[]): void => {
      o.setStatus('APIManager', ns, name, (st) => {
        let conds = st['conditions'] as Condition[] | undefined;
        conds = setCondition(conds, missing.length > 0
          ? { type: 'Available', status: 'False', reason: 'MissingWatchedSecrets', message: `The following secret(s) could not be found: ${missing.join(', ')}` }
          : { type: 'Available', status: available ? 'True' : 'False' });
        conds = setCondition(conds, preflight
          ? { type: 'Preflights', status: 'False', reason: 'PreflightsPass', message: `Preflights failed - ${preflight} - re-running preflights in 10 minutes` }
          : { type: 'Preflights', status: 'True', reason: 'PreflightsPass', message: 'All requirements for the current version are met' });
        return { ...st, conditions: conds, deployments: { ready, starting, stopped: [] } };
      });
    };
    if (preflight) return writeStatus(false, [], [], []);

    const owner = [ownerRef(am)];
    const labels = { app: '3scale-api-management', 'threescale_component': 'system' };
    const names = deploymentNames(am);
    for (const d of names) {
      o.ensure('Deployment', { metadata: { name: d, namespace: ns, labels: { ...labels, 'threescale_component_element': d }, ownerReferences: owner }, spec: { replicas: 1, selector: { matchLabels: { deployment: d } }, template: { metadata: { labels: { deployment: d } }, spec: { containers: [{ name: d, image: `registry.redhat.io/3scale-amp2/${d}:latest` }] } } } });
    }
    if (!s.s3) {
      o.ensure('PersistentVolumeClaim', { metadata: { name: 'system-storage', namespace: ns, labels, ownerReferences: owner }, spec: { accessModes: ['ReadWriteMany'], resources: { requests: { storage: '100Mi' } }, ...(s.storageClass ? { storageClassName: s.storageClass } : {}) } });
    }
    o.ensure('Secret', {
      metadata: { name: 'system-seed', namespace: ns, labels, ownerReferences: owner }, type: 'Opaque',
      data: {
        ADMIN_ACCESS_TOKEN: b64(randomSecret(12)), ADMIN_USER: b64('admin'), ADMIN_PASSWORD: b64(randomSecret(8)), ADMIN_EMAIL: b64(''),
        MASTER_ACCESS_TOKEN: b64(randomSecret(12)), MASTER_USER: b64('master'), MASTER_PASSWORD: b64(randomSecret(8)), MASTER_DOMAIN: b64('master'), TENANT_NAME: b64(s.tenant),
      },
    });
    const hosts = tenantHosts(s.tenant, s.domain);
    ensureRoute(ctl, ns, hosts.backend, 'backend-listener', labels, 'backend');
    const pvcBound = s.s3 || (o.get('PersistentVolumeClaim', ns, 'system-storage')?.['status'] as { phase?: string } | undefined)?.phase === 'Bound';
    const rolledOut = (am['status'] as { deployments?: { ready?: string[] } } | undefined)?.deployments?.ready?.length === names.length;
    if (!rolledOut) {
      if (!(am['status'] as { deployments?: unknown } | undefined)?.deployments) writeStatus(false, [], names, missingWatchedSecrets(ctl, am));
      if (pvcBound) ctl.after(key, 'rollout', DURATIONS.apiManagerAvailable, () => rollout(key, names));
      else {
        const needsStorage = new Set(['system-app', 'system-sidekiq']);
        writeStatus(false, names.filter((d) => !needsStorage.has(d)), names.filter((d) => needsStorage.has(d)), missingWatchedSecrets(ctl, am));
      }
      return;
    }
    const tenant = ensureTenant(key, am, s.tenant, s.domain);
    syncProductRoutes(ns, tenant);
    ctx.backends.threescale?.setCustomPolicies(registrablePolicies(ctl, am));
    const api = gatewayHosts('api', s.tenant, s.domain);
    const defaultRoutes = [hosts.admin, hosts.developer, hosts.master, hosts.backend, api.staging, api.production].every((h) => routesByHost(ctl, ns, h).length > 0);
    writeStatus(defaultRoutes, names, [], missingWatchedSecrets(ctl, am));
  }

  function rollout(key: Key, names: string[]): void {
    const { namespace: ns, name } = splitKey(key);
    if (!ns || !o.get('APIManager', ns, name)) return;
    for (const d of names) {
      o.setStatus('Deployment', ns, d, () => ({ observedGeneration: 1, replicas: 1, readyReplicas: 1, availableReplicas: 1, updatedReplicas: 1, conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }] }));
    }
    o.setStatus('APIManager', ns, name, (st) => ({ ...st, deployments: { ready: names, starting: [], stopped: [] } }));
  }

  function ensureTenant(key: Key, am: StoredObject, tenantName: string, domain: string): Tenant {
    const existing = tenants.get(key);
    if (existing) return existing;
    const ns = am.metadata.namespace ?? '';
    const tenant: Tenant = { products: DEFAULT_PRODUCTS, tenant: tenantName, domain };
    tenants.set(key, tenant);
    const hosts = tenantHosts(tenantName, domain);
    const labels = { 'zync.3scale.net/record': 'gid://3scale/Provider/2', '3scale.net/created-by': 'zync', '3scale.net/tenant_id': '2' };
    ensureRoute(ctl, ns, hosts.admin, 'system-provider', labels, zyncRouteName('provider'));
    ensureRoute(ctl, ns, hosts.developer, 'system-developer', labels, zyncRouteName('provider'));
    ensureRoute(ctl, ns, hosts.master, 'system-master', { ...labels, 'zync.3scale.net/record': 'gid://3scale/Provider/1', '3scale.net/tenant_id': '1' }, zyncRouteName('master'));
    const backend = ctx.backends.threescale;
    if (backend) {
      const token = secretValue(o.get('Secret', ns, 'system-seed'), 'ADMIN_ACCESS_TOKEN') ?? '';
      backend.provisionTenant({ tenantName, accessToken: token, domain });
      for (const h of [hosts.admin, hosts.developer, hosts.master, hosts.backend]) ctx.ingress.set(h, backend.handler);
      tenant.unsubscribe = backend.onProductsChanged((products) => {
        tenant.products = products;
        ctl.enqueue(key);
      });
    }
    return tenant;
  }

  function syncProductRoutes(ns: string, tenant: Tenant): void {
    const wanted = new Set<string>();
    for (const p of tenant.products) {
      const h = gatewayHosts(p.systemName, tenant.tenant, tenant.domain);
      const labels = { 'zync.3scale.net/record': `gid://3scale/Proxy/${p.id}`, '3scale.net/created-by': 'zync', '3scale.net/tenant_id': '2' };
      ensureRoute(ctl, ns, h.staging, 'apicast-staging', { ...labels, 'zync.3scale.net/route-to': 'apicast-staging' }, zyncRouteName('api'));
      ensureRoute(ctl, ns, h.production, 'apicast-production', { ...labels, 'zync.3scale.net/route-to': 'apicast-production' }, zyncRouteName('api'));
      wanted.add(h.staging).add(h.production);
    }
    for (const r of o.list('Route', ns)) {
      const host = (r['spec'] as { host?: string } | undefined)?.host ?? '';
      const to = r.metadata.labels?.['zync.3scale.net/route-to'];
      if (to && !wanted.has(host)) {
        removeRoutes(ctl, ns, host);
        ctx.ingress.remove(host);
      }
    }
    const backend = ctx.backends.threescale;
    if (backend) for (const h of wanted) ctx.ingress.set(h, backend.handler);
  }

  return {
    name: 'threescale',
    start: () => ctl.start(),
    stop: () => ctl.stop(),
  };
}
