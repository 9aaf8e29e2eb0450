/**
 * The simulated 3scale tenant's data, kept in plain JSON-serialisable objects so that the
 * simulation's state directory can snapshot and restore it (SIMULATOR.md §5). Records are stored
 * with the field names 3scale's Account Management API uses in its JSON answers (porta
 * representers, as read by 3scale/3scale-porta-go-client `client/types.go`), so serialising a record
 * is only wrapping it (`{"service": {...}}`).
 */
import { gatewayLabel, tenantHosts } from '../operators/zync.js';

/** A JSON object as the API shows it. */
export type Rec = Record<string, unknown> & { id: number };

/** One gateway environment: `sandbox` is APIcast staging, `production` is APIcast production. */
export type Environment = 'sandbox' | 'production';

/** Periods a limit may have (Limit Create `period`, 3scale AM API). */
export const LIMIT_PERIODS = ['eternity', 'year', 'month', 'week', 'day', 'hour', 'minute'] as const;
export type LimitPeriod = (typeof LIMIT_PERIODS)[number];

/** One entry of a product's policy chain (`policies_config`). */
export interface PolicyConfig {
  name: string;
  version: string;
  configuration: Record<string, unknown>;
  enabled: boolean;
}

/** The whole state of one tenant (provider account) and its developer side. */
export interface TenantState {
  name: string;
  /** The tenant's admin access token (ADMIN_ACCESS_TOKEN of `system-seed`); never logged. */
  accessToken: string;
  domain: string;
  /** Next id per table, as 3scale's database sequences hand them out. */
  sequences: Record<string, number>;
  provider: Rec;
  settings: Record<string, unknown>;
  services: Rec[];
  /** Proxy (APIcast settings) per service id, with `policies_config` as an array. */
  proxies: Record<string, Rec>;
  backends: Rec[];
  /** Metrics and methods of products and backends; methods have `parent_id` = the `hits` metric. */
  metrics: Rec[];
  /** Mapping rules of products (`owner_type: 'Proxy'`, owner_id = service id) and backends (`'BackendApi'`). */
  mappingRules: Rec[];
  backendUsages: Rec[];
  /** Application plans, service plans and account plans (`type` tells which). */
  plans: Rec[];
  limits: Rec[];
  /** Proxy config versions per service and environment. */
  proxyConfigs: Rec[];
  activeDocs: Rec[];
  /** Authentication providers; `scope` is `developer` (developer portal) or `admin` (admin portal). */
  authProviders: Rec[];
  accounts: Rec[];
  users: Rec[];
  applications: Rec[];
  /** Service subscriptions (service contracts) of developer accounts. */
  serviceContracts: Rec[];
  cmsSections: Rec[];
  cmsTemplates: Rec[];
  /** CMS files; `content_base64` holds the attachment. */
  cmsFiles: Rec[];
  /**
   * Authorised hits counted by the gateways, per application, metric and UTC minute:
   * key `<application id>:<metric id>:<minute since epoch>` → count.
   */
  usage: Record<string, number>;
}

/** Next id of a table (`services`, `metrics`, ...); ids increase from 1 as 3scale's do. */
export function nextId(state: TenantState, table: string): number {
  const id = (state.sequences[table] ?? 0) + 1;
  state.sequences[table] = id;
  return id;
}

/** RFC 3339 time at second precision in UTC (`2026-01-01T00:00:00Z`), as 3scale writes `created_at`. */
export function timestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** An empty tenant (no sample data); see seed.ts for what provisionTenant puts in. */
export function emptyTenant(name: string, accessToken: string, domain: string): TenantState {
  return {
    name,
    accessToken,
    domain,
    sequences: {},
    provider: { id: 0 },
    settings: {},
    services: [],
    proxies: {},
    backends: [],
    metrics: [],
    mappingRules: [],
    backendUsages: [],
    plans: [],
    limits: [],
    proxyConfigs: [],
    activeDocs: [],
    authProviders: [],
    accounts: [],
    users: [],
    applications: [],
    serviceContracts: [],
    cmsSections: [],
    cmsTemplates: [],
    cmsFiles: [],
    usage: {},
  };
}

/**
 * Host names of a tenant (STAGES.md §7): admin portal, developer portal, and a product's gateways,
 * by the same rules as the Routes zync makes (src/sim/operators/zync.ts).
 */
export const hosts = {
  admin: (tenant: string, domain: string): string => tenantHosts(tenant, domain).admin,
  portal: (tenant: string, domain: string): string => tenantHosts(tenant, domain).developer,
  /** `<system_name>-<tenant>-apicast-<staging|production>.<domain>`, as zync names it (see `gatewayLabel`). */
  gateway: (systemName: string, tenant: string, domain: string, env: 'staging' | 'production'): string =>
    `${gatewayLabel(systemName, tenant, env)}.${domain}`,
};
