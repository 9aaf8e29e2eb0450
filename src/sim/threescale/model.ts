/**
 * Domain operations shared by the API routes and the tenant seed: creating products (services)
 * with what 3scale gives every new one, backends, metrics, plans, accounts and applications, and
 * looking records up (throwing 404 / 422 as the API answers).
 */
import { randomBytes } from 'node:crypto';
import { invalid, notFound } from './http.js';
import { hosts, nextId, timestamp } from './state.js';
import type { PolicyConfig, Rec, TenantState } from './state.js';

/** The builtin `apicast` policy, the whole chain of a new product (porta `Proxy#policies_config` default). */
export const DEFAULT_CHAIN: PolicyConfig[] = [{ name: 'apicast', version: 'builtin', configuration: {}, enabled: true }];

/** Finds a record by id in a table or throws 404 `{"status":"Not found"}`. */
export function find(table: Rec[], id: string | number | undefined, where: (r: Rec) => boolean = () => true): Rec {
  const n = Number(id);
  const rec = table.find((r) => r.id === n && where(r));
  if (!rec) throw notFound();
  return rec;
}

/** Removes a record from a table (by identity). */
export function remove(table: Rec[], rec: Rec): void {
  const i = table.indexOf(rec);
  if (i >= 0) table.splice(i, 1);
}

/** 3scale's system name from a name: lower case, non-word characters → `_` (porta `String#to_system_name`-like). */
export function systemNameOf(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** Throws 422 `has already been taken` when another record of the scope uses the system name. */
export function ensureFreeSystemName(table: Rec[], systemName: string, except?: Rec, scope: (r: Rec) => boolean = () => true): void {
  if (table.some((r) => r !== except && scope(r) && r.system_name === systemName)) {
    throw invalid({ system_name: ['has already been taken'] });
  }
}

/** A random key of `bytes` bytes in hex (user keys are 32 hex characters in 3scale). */
export function randomKey(bytes = 16): string {
  return randomBytes(bytes).toString('hex');
}

/** Creates a metric or (with `parentId`) a method of a product (`service`) or backend (`backend`). */
export function createMetric(
  state: TenantState,
  now: number,
  owner: { type: 'service' | 'backend'; id: number },
  fields: { friendly_name: string; system_name?: string; unit?: string; description?: string; parentId?: number },
): Rec {
  const systemName = fields.system_name ?? systemNameOf(fields.friendly_name);
  const scope = (r: Rec): boolean =>
    owner.type === 'service' ? r.service_id === owner.id : r.backend_api_id === owner.id;
  ensureFreeSystemName(state.metrics, systemName, undefined, scope);
  const rec: Rec = {
    id: nextId(state, 'metrics'),
    name: systemName,
    system_name: systemName,
    friendly_name: fields.friendly_name,
    description: fields.description ?? '',
    unit: fields.parentId === undefined ? (fields.unit ?? 'hit') : 'hit',
    created_at: timestamp(now),
    updated_at: timestamp(now),
  };
  if (owner.type === 'service') rec.service_id = owner.id;
  else rec.backend_api_id = owner.id;
  if (fields.parentId !== undefined) rec.parent_id = fields.parentId;
  state.metrics.push(rec);
  return rec;
}

/** The `hits` metric of a product or backend. */
export function hitsOf(state: TenantState, owner: { type: 'service' | 'backend'; id: number }): Rec | undefined {
  return state.metrics.find(
    (m) =>
      m.system_name === 'hits' &&
      m.parent_id === undefined &&
      (owner.type === 'service' ? m.service_id === owner.id : m.backend_api_id === owner.id),
  );
}

/** Creates a mapping rule of a product (`Proxy`) or backend (`BackendApi`). */
export function createMappingRule(
  state: TenantState,
  now: number,
  owner: { type: 'Proxy' | 'BackendApi'; id: number },
  fields: { http_method: string; pattern: string; delta: number; metric_id: number; position?: number; last?: boolean },
): Rec {
  const siblings = state.mappingRules.filter((r) => r.owner_type === owner.type && r.owner_id === owner.id);
  const rec: Rec = {
    id: nextId(state, 'mapping_rules'),
    metric_id: fields.metric_id,
    pattern: fields.pattern,
    http_method: fields.http_method.toUpperCase(),
    delta: fields.delta,
    position: fields.position ?? siblings.length + 1,
    last: fields.last ?? false,
    owner_id: owner.id,
    owner_type: owner.type,
    created_at: timestamp(now),
    updated_at: timestamp(now),
  };
  state.mappingRules.push(rec);
  return rec;
}

/**
 * Creates a plan: `application_plan` (of a service), `service_plan` (of a service) or `account_plan`.
 * The system name (given, or derived from `name`) must be free among the plans of the same type
 * and issuer, as porta's Plan validates it (`has_system_name uniqueness_scope: [:type, :issuer_id,
 * :issuer_type]`): a second application plan "Standard" of one product is refused.
 * @throws ApiError 422 `{"errors":{"system_name":["has already been taken"]}}` when it is taken.
 */
export function createPlan(
  state: TenantState,
  now: number,
  type: 'application_plan' | 'service_plan' | 'account_plan',
  fields: { name: string; service_id?: number; system_name?: string; state?: 'published' | 'hidden'; approval_required?: boolean },
): Rec {
  const systemName = fields.system_name ?? systemNameOf(fields.name);
  ensureFreeSystemName(state.plans, systemName, undefined, (p) => p.type === type && p.service_id === fields.service_id);
  const rec: Rec = {
    id: nextId(state, 'plans'),
    name: fields.name,
    type,
    state: fields.state ?? 'hidden',
    approval_required: fields.approval_required ?? false,
    setup_fee: 0,
    cost_per_month: 0,
    trial_period_days: 0,
    cancellation_period: 0,
    default: false,
    custom: false,
    system_name: systemName,
    created_at: timestamp(now),
    updated_at: timestamp(now),
  };
  if (fields.service_id !== undefined) rec.service_id = fields.service_id;
  state.plans.push(rec);
  return rec;
}

/** Makes `plan` the default of its kind (and service); the others stop being default. */
export function makeDefault(state: TenantState, plan: Rec): void {
  for (const p of state.plans) {
    if (p.type === plan.type && p.service_id === plan.service_id) p.default = p === plan;
  }
}

/**
 * Creates a product the way 3scale does (porta `Service` callbacks): the proxy with default
 * APIcast settings and gateway endpoints, metric `hits`, mapping rule `GET /` → hits (delta 1)
 * and service plan `Default` (STAGES.md §7).
 */
export function createService(
  state: TenantState,
  now: number,
  fields: { name: string; system_name?: string; description?: string; deployment_option?: string; backend_version?: string },
): Rec {
  const systemName = fields.system_name ?? systemNameOf(fields.name);
  ensureFreeSystemName(state.services, systemName);
  const id = nextId(state, 'services');
  const service: Rec = {
    id,
    account_id: state.provider.id,
    name: fields.name,
    state: 'incomplete',
    system_name: systemName,
    backend_version: fields.backend_version ?? '1',
    deployment_option: fields.deployment_option ?? 'hosted',
    support_email: String(state.provider.support_email ?? ''),
    description: fields.description ?? '',
    intentions_required: false,
    buyers_manage_apps: true,
    buyers_manage_keys: true,
    referrer_filters_required: false,
    custom_keys_enabled: true,
    buyer_key_regenerate_enabled: true,
    mandatory_app_key: true,
    buyer_can_select_plan: false,
    buyer_plan_change_permission: 'request',
    created_at: timestamp(now),
    updated_at: timestamp(now),
  };
  state.services.push(service);
  const gw = (env: 'staging' | 'production'): string => `https://${hosts.gateway(systemName, state.name, state.domain, env)}:443`;
  state.proxies[String(id)] = {
    id: nextId(state, 'proxies'),
    service_id: id,
    endpoint: gw('production'),
    sandbox_endpoint: gw('staging'),
    api_backend: null,
    credentials_location: 'query',
    auth_app_key: 'app_key',
    auth_app_id: 'app_id',
    auth_user_key: 'user_key',
    error_auth_failed: 'Authentication failed',
    error_status_auth_failed: 403,
    error_headers_auth_failed: 'text/plain; charset=us-ascii',
    error_auth_missing: 'Authentication parameters missing',
    error_status_auth_missing: 403,
    error_headers_auth_missing: 'text/plain; charset=us-ascii',
    error_no_match: 'No Mapping Rule matched',
    error_status_no_match: 404,
    error_headers_no_match: 'text/plain; charset=us-ascii',
    error_limits_exceeded: 'Limits exceeded',
    error_status_limits_exceeded: 429,
    error_headers_limits_exceeded: 'text/plain; charset=us-ascii',
    secret_token: randomKey(8),
    hostname_rewrite: '',
    oidc_issuer_endpoint: null,
    api_test_path: '/',
    policies_config: DEFAULT_CHAIN.map((p) => ({ ...p })),
    lock_version: 0,
    created_at: timestamp(now),
    updated_at: timestamp(now),
  };
  const hits = createMetric(state, now, { type: 'service', id }, { friendly_name: 'Hits', system_name: 'hits', unit: 'hit', description: 'Number of API hits' });
  createMappingRule(state, now, { type: 'Proxy', id }, { http_method: 'GET', pattern: '/', delta: 1, metric_id: hits.id });
  const servicePlan = createPlan(state, now, 'service_plan', { name: 'Default', service_id: id, state: 'published' });
  makeDefault(state, servicePlan);
  return service;
}

/** Creates a backend with its metric `hits`. */
export function createBackend(
  state: TenantState,
  now: number,
  fields: { name: string; private_endpoint: string; system_name?: string; description?: string },
): Rec {
  const systemName = fields.system_name ?? systemNameOf(fields.name);
  ensureFreeSystemName(state.backends, systemName);
  const rec: Rec = {
    id: nextId(state, 'backend_apis'),
    name: fields.name,
    system_name: systemName,
    description: fields.description ?? '',
    private_endpoint: fields.private_endpoint,
    account_id: state.provider.id,
    created_at: timestamp(now),
    updated_at: timestamp(now),
  };
  state.backends.push(rec);
  createMetric(state, now, { type: 'backend', id: rec.id }, { friendly_name: 'Hits', system_name: 'hits', unit: 'hit' });
  return rec;
}

/** Subscribes an account to a service with a service plan (a service contract), unless it is. */
export function subscribe(state: TenantState, now: number, accountId: number, plan: Rec): void {
  if (state.serviceContracts.some((c) => c.account_id === accountId && c.service_id === plan.service_id)) return;
  state.serviceContracts.push({
    id: nextId(state, 'contracts'),
    account_id: accountId,
    plan_id: plan.id,
    service_id: plan.service_id,
    state: 'live',
    created_at: timestamp(now),
    updated_at: timestamp(now),
  });
}

/**
 * Creates an application of an account on an application plan; subscribes the account to the
 * plan's service with its default service plan (what the guide's tooling relies on, STAGES.md §7).
 */
export function createApplication(
  state: TenantState,
  now: number,
  account: Rec,
  plan: Rec,
  fields: { name: string; description?: string; user_key?: string },
): Rec {
  if (fields.user_key && state.applications.some((a) => a.user_key === fields.user_key)) {
    throw invalid({ user_key: ['has already been taken'] });
  }
  const servicePlan = state.plans.find((p) => p.type === 'service_plan' && p.service_id === plan.service_id && p.default === true);
  if (servicePlan) subscribe(state, now, account.id, servicePlan);
  const rec: Rec = {
    id: nextId(state, 'applications'),
    state: 'live',
    enabled: true,
    end_user_required: false,
    service_id: plan.service_id,
    user_key: fields.user_key ?? randomKey(),
    provider_verification_key: randomKey(),
    account_id: account.id,
    plan_id: plan.id,
    name: fields.name,
    description: fields.description ?? '',
    first_traffic_at: null,
    first_daily_traffic_at: null,
    created_at: timestamp(now),
    updated_at: timestamp(now),
  };
  state.applications.push(rec);
  return rec;
}

/** Creates a developer account with its admin user (Signup Express). */
export function createAccount(
  state: TenantState,
  now: number,
  fields: { org_name: string; username: string; email: string; state?: string },
): { account: Rec; user: Rec } {
  if (state.users.some((u) => u.username === fields.username)) throw invalid({ username: ['has already been taken'] });
  if (state.users.some((u) => u.email === fields.email)) throw invalid({ email: ['has already been taken'] });
  const account: Rec = {
    id: nextId(state, 'accounts'),
    state: fields.state ?? 'approved',
    org_name: fields.org_name,
    credit_card_stored: false,
    monthly_billing_enabled: true,
    monthly_charging_enabled: true,
    created_at: timestamp(now),
    updated_at: timestamp(now),
  };
  const user: Rec = {
    id: nextId(state, 'users'),
    account_id: account.id,
    state: 'active',
    role: 'admin',
    username: fields.username,
    email: fields.email,
    created_at: timestamp(now),
    updated_at: timestamp(now),
  };
  state.accounts.push(account);
  state.users.push(user);
  return { account, user };
}
