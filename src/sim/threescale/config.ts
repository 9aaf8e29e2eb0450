/**
 * Proxy config versions: what `deploy` freezes for APIcast staging and `promote` copies to
 * production. The content follows porta's ProxyConfig content (the service JSON with its `proxy`,
 * `policy_chain`, `proxy_rules` and `backend_api_configs`, as 3scale-porta-go-client's `Content`
 * type reads it); APIcast in this simulation serves only what a version holds.
 */
import type { PolicyConfig, Rec, TenantState } from './state.js';

/** A mapping rule as a proxy config holds it (`proxy_rules`); backend rules carry their usage path. */
export interface ProxyRule {
  id: number;
  http_method: string;
  pattern: string;
  metric_id: number;
  metric_system_name: string;
  delta: number;
  position: number;
  last: boolean;
  /** Owner (`Proxy` or `BackendApi`) and, for backends, the backend id. */
  owner_type: string;
  owner_id: number;
}

/** A backend as a config version uses it: where it is mounted and where it proxies to. */
export interface BackendApiConfig {
  backend_api_id: number;
  path: string;
  private_endpoint: string;
}

/** The content of one proxy config version. */
export interface ConfigContent extends Record<string, unknown> {
  id: number;
  system_name: string;
  backend_version: string;
  proxy: Record<string, unknown> & {
    credentials_location: string;
    auth_user_key: string;
    policy_chain: PolicyConfig[];
    proxy_rules: ProxyRule[];
    hosts: string[];
  };
  backend_api_configs: BackendApiConfig[];
}

/**
 * Builds the content of a new config version from the product's current settings: proxy,
 * policy chain, product mapping rules, backend usages and the backends' mapping rules.
 */
export function buildContent(state: TenantState, service: Rec): ConfigContent {
  const proxy: Record<string, unknown> = state.proxies[String(service.id)] ?? {};
  const metricName = (id: unknown): string => String(state.metrics.find((m) => m.id === id)?.system_name ?? '');
  const asRule = (r: Rec): ProxyRule => ({
    id: r.id,
    http_method: String(r.http_method),
    pattern: String(r.pattern),
    metric_id: Number(r.metric_id),
    metric_system_name: metricName(r.metric_id),
    delta: Number(r.delta),
    position: Number(r.position),
    last: r.last === true,
    owner_type: String(r.owner_type),
    owner_id: Number(r.owner_id),
  });
  const usages = state.backendUsages.filter((u) => u.service_id === service.id);
  const rules = state.mappingRules
    .filter((r) => r.owner_type === 'Proxy' && r.owner_id === service.id)
    .sort((a, b) => Number(a.position) - Number(b.position))
    .map(asRule);
  const backendRules = usages.flatMap((u) =>
    state.mappingRules
      .filter((r) => r.owner_type === 'BackendApi' && r.owner_id === u.backend_id)
      .sort((a, b) => Number(a.position) - Number(b.position))
      .map(asRule),
  );
  const backends: BackendApiConfig[] = usages.flatMap((u) => {
    const backend = state.backends.find((b) => b.id === u.backend_id);
    return backend ? [{ backend_api_id: backend.id, path: String(u.path), private_endpoint: String(backend.private_endpoint) }] : [];
  });
  const { policies_config: chain, ...proxyFields } = proxy as { policies_config?: PolicyConfig[] };
  const hostOf = (url: unknown): string[] => {
    try {
      return typeof url === 'string' && url ? [new URL(url).hostname] : [];
    } catch {
      return [];
    }
  };
  return {
    ...service,
    id: service.id,
    system_name: String(service.system_name),
    backend_version: String(service.backend_version),
    proxy: {
      ...proxyFields,
      credentials_location: String(proxy.credentials_location ?? 'query'),
      auth_user_key: String(proxy.auth_user_key ?? 'user_key'),
      policy_chain: structuredClone(chain ?? []),
      proxy_rules: [...rules, ...backendRules],
      hosts: [...hostOf(proxy.endpoint), ...hostOf(proxy.sandbox_endpoint)],
    },
    backend_api_configs: backends,
  };
}

/** The config versions of a product in one environment, oldest first. */
export function configsOf(state: TenantState, serviceId: number, environment: string): Rec[] {
  return state.proxyConfigs
    .filter((c) => c.service_id === serviceId && c.environment === environment)
    .sort((a, b) => Number(a.version) - Number(b.version));
}

/** The newest config version of a product in one environment, if any. */
export function latestConfig(state: TenantState, serviceId: number, environment: string): Rec | undefined {
  const all = configsOf(state, serviceId, environment);
  return all[all.length - 1];
}
