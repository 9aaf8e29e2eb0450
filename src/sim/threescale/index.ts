/**
 * The simulated 3scale (SIMULATOR.md §3): system's admin portal host with the Account Management
 * API, CMS API and analytics (`<tenant>-admin.<domain>`), the developer portal
 * (`<tenant>.<domain>`), and every product's APIcast staging and production gateway
 * (`<system_name>-<tenant>-apicast-{staging,production}.<domain>`). The 3scale operator of the
 * simulation drives it through the ThreescaleBackend contract (src/sim/types.ts); gateways reach
 * their upstreams through the ServiceRegistry.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceRegistry, ThreescaleBackend } from '../types.js';
import { createAdminHost } from './admin.js';
import { createGateway, gatewayTarget } from './apicast/gateway.js';
import { UpstreamBridge } from './apicast/upstream.js';
import { createPortalHost } from './portal.js';
import type { Route } from './router.js';
import { allRoutes } from './routes/index.js';
import { seedTenant } from './seed.js';
import { hosts } from './state.js';
import type { TenantState } from './state.js';

export type { Route, RouteSpec } from './router.js';
export type { TenantState } from './state.js';

/** Everything the simulated 3scale keeps; JSON-serialisable (what `snapshot` returns). */
export interface ThreescaleState {
  /** The provisioned tenant; undefined until the operator calls provisionTenant. */
  tenant: TenantState | undefined;
  /** Custom APIcast policies registered through the APIManager. */
  customPolicies: { name: string; version: string }[];
}

/** Options of createThreescale. */
export interface ThreescaleOptions {
  /** Wildcard domain of the simulated cluster, e.g. `apps.sim.maas.example`. */
  domain: string;
  /** In-cluster Services; APIcast proxies to backends through `resolve(private_endpoint)`. */
  services: ServiceRegistry;
  /** Tenant whose hosts are known before provisioning (they answer 503 until then); default `maas`. */
  tenantName?: string;
  /** Clock in milliseconds since the epoch (limits, analytics, timestamps); default Date.now. */
  now?: () => number;
}

/** The simulated 3scale: the ThreescaleBackend contract plus state and fault-injection hooks. */
export interface ThreescaleSim extends ThreescaleBackend {
  /**
   * A deep copy of the state, JSON-serialisable, for the simulation's state directory. The admin
   * access token is left out (the 3scale operator passes it to provisionTenant again).
   */
  snapshot(): unknown;
  /**
   * Replaces the state by a snapshot; throws TypeError when it is not one. The current tenant's
   * access token is kept when the names match; otherwise the admin host answers 503 until
   * provisionTenant supplies the token.
   */
  restore(state: unknown): void;
  /** The next `count` requests to the admin host (AM and CMS API) answer `status` (default 503). */
  failNextRequests(count: number, status?: number): void;
  /** The live state (mutations show at once; for tests and the operator's diagnostics). */
  readonly state: ThreescaleState;
  /** The admin host's route table (for the conformance test). */
  readonly routes: Route[];
  /** Stops the loopback bridge APIcast uses to reach upstreams. */
  close(): Promise<void>;
}

function isState(value: unknown): value is ThreescaleState {
  if (!value || typeof value !== 'object') return false;
  const v = value as Partial<ThreescaleState>;
  if (!Array.isArray(v.customPolicies)) return false;
  return v.tenant === undefined || v.tenant === null || (typeof v.tenant === 'object' && Array.isArray(v.tenant.services));
}

/**
 * Creates the simulated 3scale. Nothing listens: `handler` serves requests routed to it by Host
 * (admin portal, developer portal, gateways; any other host → 404).
 */
export function createThreescale(options: ThreescaleOptions): ThreescaleSim {
  const now = options.now ?? Date.now;
  const defaultTenant = options.tenantName ?? 'maas';
  let state: ThreescaleState = { tenant: undefined, customPolicies: [] };
  const listeners = new Set<(products: { id: number; systemName: string }[]) => void>();
  let failures = 0;
  let failureStatus = 503;
  const bridge = new UpstreamBridge();

  const products = (): { id: number; systemName: string }[] =>
    (state.tenant?.services ?? []).map((s) => ({ id: s.id, systemName: String(s.system_name) }));
  const productsChanged = (): void => {
    const list = products();
    for (const l of listeners) l(list);
  };
  const routes = allRoutes();
  const admin = createAdminHost({ routes, tenant: () => state.tenant, now, productsChanged, customPolicies: () => state.customPolicies });
  const portal = createPortalHost(() => state.tenant);
  const gateway = createGateway({ services: options.services, bridge, now, customPolicies: () => state.customPolicies });

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const host = String(req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const tenantName = state.tenant?.name ?? defaultTenant;
    const domain = state.tenant?.domain ?? options.domain;
    if (host === hosts.admin(tenantName, domain)) {
      if (failures > 0) {
        failures -= 1;
        req.resume();
        res.writeHead(failureStatus, { 'content-type': 'text/plain; charset=utf-8' }).end('Service Unavailable');
        return;
      }
      return admin(req, res);
    }
    if (host === hosts.portal(tenantName, domain)) return portal(req, res);
    const target = state.tenant && gatewayTarget(state.tenant, host);
    if (state.tenant && target) return gateway(state.tenant, target, req, res);
    req.resume();
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not Found');
  };

  return {
    handler,
    provisionTenant({ tenantName, accessToken, domain }) {
      if (state.tenant && state.tenant.name === tenantName) {
        state.tenant.accessToken = accessToken;
        return;
      }
      state.tenant = seedTenant(tenantName, accessToken, domain, now());
      productsChanged();
    },
    /** Calls the listener at once when a tenant exists (so a restarted operator learns the products), then on every change. */
    onProductsChanged(listener) {
      listeners.add(listener);
      if (state.tenant) listener(products());
      return () => void listeners.delete(listener);
    },
    setCustomPolicies(names) {
      state.customPolicies = names.map((n) => ({ name: n.name, version: n.version }));
    },
    snapshot() {
      const copy = structuredClone({ tenant: state.tenant, customPolicies: state.customPolicies });
      // The admin access token stays out of the state directory; the operator hands it in again.
      if (copy.tenant) copy.tenant.accessToken = '';
      return copy;
    },
    restore(value) {
      if (!isState(value)) throw new TypeError('not a snapshot of the simulated 3scale');
      const previous = state.tenant;
      const restored: ThreescaleState = structuredClone({ tenant: value.tenant ?? undefined, customPolicies: value.customPolicies });
      if (restored.tenant) restored.tenant.accessToken = previous?.name === restored.tenant.name ? previous.accessToken : '';
      state = restored;
      productsChanged();
    },
    failNextRequests(count, status = 503) {
      failures = Math.max(0, Math.floor(count));
      failureStatus = status;
    },
    get state() {
      return state;
    },
    routes,
    close: () => bridge.close(),
  };
}
