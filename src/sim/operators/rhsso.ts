/**
 * Simulated Red Hat SSO operator (the legacy keycloak-operator, `keycloak.org/v1alpha1`).
 * Reconciles only in namespaces its installed CSV watches (olm.ts `operatorWatches`).
 *
 * Keycloak → Secret `credential-<name>` (`ADMIN_USERNAME`, `ADMIN_PASSWORD`), Service `keycloak`,
 * Route `keycloak` (host `keycloak-<ns>.<domain>`, reencrypt TLS), Deployment `keycloak-postgresql`;
 * status `phase: initialising` (`ready: false`) then, after DURATIONS.keycloakReady (or
 * keycloakReadySlow under `keycloak-slow-start`), `phase: reconciling`, `ready: true`,
 * `credentialSecret`, `externalURL` (`https://` + Route host), `internalURL`, `version`, `message: ""`
 * (status fields of keycloak.org_keycloaks_crd.yaml). Then the Keycloak backend (if any) serves the
 * host and gets the admin credentials. Under `keycloak-slow-start` the backend serves the host from
 * the start, answering 503 (`setReady(false)`) until then.
 *
 * KeycloakRealm → when a ready Keycloak in the namespace matches `spec.instanceSelector.matchLabels`:
 * after DURATIONS.realmReady, `ensureRealm(spec.realm.realm || spec.realm.id, displayName)` once;
 * status `ready: true`, `phase: reconciling`, `loginURL`. Later edits of the CR change nothing
 * (the legacy operator creates a realm once: keycloak/keycloak-operator#453, C7).
 */
import type { StoredObject } from '../types.js';
import { DURATIONS } from '../durations.js';
import type { OperatorContext, SimOperator } from './context.js';
import { Controller, keyOf, splitKey } from './controller.js';
import type { Key } from './controller.js';
import { b64, ownerRef, randomSecret, secretValue } from './objects.js';
import { operatorWatches } from './olm.js';

const PACKAGE = 'rhsso-operator';
/** RH-SSO version the simulated operator deploys (status.version). */
export const RHSSO_VERSION = '7.6.11.GA';

interface KeycloakStatus { phase?: string; ready?: boolean; externalURL?: string; credentialSecret?: string }

/** Host of Route `keycloak` in `namespace` (the router's default `<route>-<namespace>.<domain>`). */
export function keycloakHost(namespace: string, domain: string): string {
  return `keycloak-${namespace}.${domain}`;
}

function serveKeycloak(ctx: OperatorContext, kc: StoredObject, ctl: Controller): void {
  const backend = ctx.backends.keycloak;
  if (!backend) return;
  const ns = kc.metadata.namespace ?? '';
  const secret = ctl.objects.get('Secret', ns, `credential-${kc.metadata.name}`);
  const user = secretValue(secret, 'ADMIN_USERNAME');
  const password = secretValue(secret, 'ADMIN_PASSWORD');
  if (user && password) backend.setAdmin(user, password);
  backend.setReady?.(true);
  ctx.ingress.set(keycloakHost(ns, ctx.domain), backend.handler);
  ctx.services.set(ns, 'keycloak', backend.handler);
}

/**
 * `keycloak-slow-start`: the Route is served from its creation by the Keycloak service itself,
 * which answers 503 (no ready pod) until the operator marks the Keycloak ready.
 */
function serveNotReady(ctx: OperatorContext, ns: string): void {
  const backend = ctx.backends.keycloak;
  if (!backend?.setReady) return;
  backend.setReady(false);
  ctx.ingress.set(keycloakHost(ns, ctx.domain), backend.handler);
  ctx.services.set(ns, 'keycloak', backend.handler);
}

function reconcileKeycloak(key: Key, ctl: Controller): void {
  const { namespace: ns, name } = splitKey(key);
  const o = ctl.objects;
  const ctx = ctl.ctx;
  const kc = ns ? o.get('Keycloak', ns, name) : undefined;
  if (!kc || !ns) return ctl.cancelAll(key);
  if (!operatorWatches(ctl, PACKAGE, ns)) return;
  const st = (kc['status'] ?? {}) as KeycloakStatus;
  if (st.ready) return;
  const host = keycloakHost(ns, ctx.domain);
  const owner = [ownerRef(kc)];
  o.ensure('Secret', {
    metadata: { name: `credential-${name}`, namespace: ns, labels: { app: 'keycloak', keycloak: name }, ownerReferences: owner },
    type: 'Opaque', data: { ADMIN_USERNAME: b64('admin'), ADMIN_PASSWORD: b64(randomSecret(12)) },
  });
  o.ensure('Service', { metadata: { name: 'keycloak', namespace: ns, labels: { app: 'keycloak', keycloak: name }, ownerReferences: owner }, spec: { type: 'ClusterIP', selector: { app: 'keycloak', component: 'keycloak' }, ports: [{ name: 'keycloak', port: 8443, targetPort: 8443, protocol: 'TCP' }] } });
  o.ensure('Route', {
    metadata: { name: 'keycloak', namespace: ns, labels: { app: 'keycloak', keycloak: name }, ownerReferences: owner },
    spec: { host, to: { kind: 'Service', name: 'keycloak', weight: 100 }, port: { targetPort: 'keycloak' }, tls: { termination: 'reencrypt' }, wildcardPolicy: 'None' },
  });
  o.ensure('Deployment', { metadata: { name: 'keycloak-postgresql', namespace: ns, labels: { app: 'keycloak', keycloak: name }, ownerReferences: owner }, spec: { replicas: 1, selector: { matchLabels: { component: 'database' } }, template: { metadata: { labels: { component: 'database' } }, spec: { containers: [{ name: 'keycloak-postgresql', image: 'registry.redhat.io/rhel8/postgresql-13' }] } } } });
  if (st.phase !== 'initialising') {
    o.setStatus('Keycloak', ns, name, (s) => ({ ...s, phase: 'initialising', ready: false, message: '', credentialSecret: `credential-${name}`, secondaryResources: { Secret: [`credential-${name}`], Service: ['keycloak'], Route: ['keycloak'] } }));
  }
  if (ctx.flags.keycloakSlowStart) serveNotReady(ctx, ns);
  const seconds = ctx.flags.keycloakSlowStart ? DURATIONS.keycloakReadySlow : DURATIONS.keycloakReady;
  ctl.after(key, 'ready', seconds, () => {
    const current = o.get('Keycloak', ns, name);
    if (!current) return;
    o.setStatus('Keycloak', ns, name, (s) => ({
      ...s, phase: 'reconciling', ready: true, message: '', version: RHSSO_VERSION, credentialSecret: `credential-${name}`,
      externalURL: `https://${host}`, internalURL: `https://keycloak.${ns}.svc:8443`,
    }));
    serveKeycloak(ctx, current, ctl);
  });
}

function matches(kc: StoredObject, selector: Record<string, string> | undefined): boolean {
  const labels = kc.metadata.labels ?? {};
  return Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);
}

function reconcileRealm(key: Key, ctl: Controller): void {
  const { namespace: ns, name } = splitKey(key);
  const o = ctl.objects;
  const realm = ns ? o.get('KeycloakRealm', ns, name) : undefined;
  if (!realm || !ns) return ctl.cancelAll(key);
  if (!operatorWatches(ctl, PACKAGE, ns)) return;
  if ((realm['status'] as { ready?: boolean } | undefined)?.ready) return;
  const spec = (realm['spec'] ?? {}) as { instanceSelector?: { matchLabels?: Record<string, string> }; realm?: { id?: string; realm?: string; displayName?: string } };
  const kc = o.list('Keycloak', ns).find((k) => matches(k, spec.instanceSelector?.matchLabels) && (k['status'] as KeycloakStatus | undefined)?.ready);
  if (!kc) return;
  ctl.after(key, 'realm', DURATIONS.realmReady, () => {
    const current = o.get('KeycloakRealm', ns, name);
    if (!current || (current['status'] as { ready?: boolean } | undefined)?.ready) return;
    const r = ((current['spec'] ?? {}) as typeof spec).realm ?? {};
    const id = r.realm ?? r.id ?? name;
    ctl.ctx.backends.keycloak?.ensureRealm(id, r.displayName);
    o.setStatus('KeycloakRealm', ns, name, (s) => ({ ...s, ready: true, phase: 'reconciling', message: '', loginURL: `/auth/realms/${id}/account` }));
  });
}

/** Creates the simulated RH-SSO operator (Keycloak and KeycloakRealm controllers). */
export function createRhssoOperator(ctx: OperatorContext): SimOperator {
  const keycloaks: Controller = new Controller(ctx, {
    name: 'rhsso-keycloak',
    primary: 'Keycloak',
    watches: [{ kind: 'ClusterServiceVersion', map: () => keycloaks.objects.list('Keycloak').map(keyOf) }],
    reconcile: reconcileKeycloak,
    onStart(c) {
      for (const kc of c.objects.list('Keycloak')) if ((kc['status'] as KeycloakStatus | undefined)?.ready) serveKeycloak(ctx, kc, c);
    },
  });
  const realms: Controller = new Controller(ctx, {
    name: 'rhsso-realm',
    primary: 'KeycloakRealm',
    watches: [
      { kind: 'Keycloak', map: (e) => realms.objects.list('KeycloakRealm', e.object.metadata.namespace).map(keyOf) },
      { kind: 'ClusterServiceVersion', map: () => realms.objects.list('KeycloakRealm').map(keyOf) },
    ],
    reconcile: reconcileRealm,
    onStart(c) {
      for (const r of c.objects.list('KeycloakRealm')) {
        if (!(r['status'] as { ready?: boolean } | undefined)?.ready) continue;
        const spec = ((r['spec'] ?? {}) as { realm?: { id?: string; realm?: string; displayName?: string } }).realm ?? {};
        ctx.backends.keycloak?.ensureRealm(spec.realm ?? spec.id ?? r.metadata.name, spec.displayName);
      }
    },
  });
  return {
    name: 'rhsso',
    start() {
      keycloaks.start();
      realms.start();
    },
    stop() {
      keycloaks.stop();
      realms.stop();
    },
  };
}
