/**
 * A product's APIcast settings: proxy read/update, the policy chain (`policies_config`), deploy to
 * staging (a new `sandbox` config version), config versions and promote to production (porta
 * `Admin::Api::Services::Proxy::ConfigsController`: the promoted copy keeps its version number,
 * and a version already in production is refused with 422 `version has already been taken`).
 */
import { ApiError, invalid, str } from '../http.js';
import { find } from '../model.js';
import type { Route, RouteContext } from '../router.js';
import { buildContent, configsOf, latestConfig } from '../config.js';
import { nextId, timestamp } from '../state.js';
import type { PolicyConfig, Rec } from '../state.js';
import { created, list, ok, one, route, touch } from './common.js';

/** Fields of Proxy Update (3scale AM API spec, "Proxy Update"). */
const PROXY_FIELDS = [
  'endpoint', 'sandbox_endpoint', 'api_backend', 'credentials_location', 'auth_app_key', 'auth_app_id', 'auth_user_key',
  'error_auth_failed', 'error_auth_missing', 'error_no_match', 'error_limits_exceeded',
  'error_headers_auth_failed', 'error_headers_auth_missing', 'error_headers_no_match', 'error_headers_limits_exceeded',
  'oidc_issuer_endpoint', 'oidc_issuer_type', 'jwt_claim_with_client_id', 'jwt_claim_with_client_id_type', 'hostname_rewrite', 'secret_token',
];
const STATUS_FIELDS = ['error_status_auth_failed', 'error_status_auth_missing', 'error_status_no_match', 'error_status_limits_exceeded'];
const CREDENTIALS_LOCATIONS = ['headers', 'query', 'authorization'];
const ENVIRONMENTS = ['sandbox', 'production'];

/** The proxy as the API shows it (the policy chain has its own endpoint). */
function proxyView(proxy: Rec): Record<string, unknown> {
  const { policies_config: _chain, id: _id, ...view } = proxy;
  return view;
}

function proxyOf(ctx: RouteContext): { service: Rec; proxy: Rec } {
  const service = find(ctx.tenant.services, ctx.path.service_id);
  const proxy = ctx.tenant.proxies[String(service.id)];
  if (!proxy) throw new ApiError(404, { status: 'Not found' });
  return { service, proxy };
}

/** Parses `policies_config` (a JSON string, or an array in a JSON body); throws 422 when malformed. */
function parseChain(value: unknown): PolicyConfig[] {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw invalid({ policies_config: ['is not a valid JSON'] });
    }
  }
  if (!Array.isArray(parsed)) throw invalid({ policies_config: ['must be an array'] });
  return parsed.map((p: unknown) => {
    const entry = p as Partial<PolicyConfig> | null;
    if (!entry || typeof entry.name !== 'string' || !entry.name) throw invalid({ policies_config: ['name can\'t be blank'] });
    if (typeof entry.version !== 'string' || !entry.version) throw invalid({ policies_config: ['version can\'t be blank'] });
    if (entry.configuration !== undefined && (typeof entry.configuration !== 'object' || Array.isArray(entry.configuration))) {
      throw invalid({ policies_config: ['configuration must be an object'] });
    }
    return { name: entry.name, version: entry.version, configuration: entry.configuration ?? {}, enabled: entry.enabled !== false };
  });
}

function environmentOf(ctx: RouteContext): string {
  const env = ctx.path.environment ?? '';
  if (!ENVIRONMENTS.includes(env)) throw new ApiError(400, { error: 'invalid environment' });
  return env;
}

const configView = (c: Rec): Record<string, unknown> => ({ proxy_config: { id: c.id, version: c.version, environment: c.environment, content: c.content } });

/** Proxy, policy chain, deploy and proxy config routes. */
export function proxyRoutes(): Route[] {
  const base = '/admin/api/services/{service_id}';
  return [
    route('GET', `${base}/proxy.xml`, [], (ctx) => ok(one('proxy', proxyView(proxyOf(ctx).proxy)))),
    route('PATCH', `${base}/proxy.xml`, [], (ctx) => {
      const { proxy } = proxyOf(ctx);
      const location = str(ctx.params, 'credentials_location');
      if (location !== undefined && !CREDENTIALS_LOCATIONS.includes(location)) {
        throw invalid({ credentials_location: ['is not included in the list'] });
      }
      for (const k of PROXY_FIELDS) {
        const v = str(ctx.params, k);
        if (v !== undefined) proxy[k] = v;
      }
      for (const k of STATUS_FIELDS) {
        const v = str(ctx.params, k);
        if (v === undefined) continue;
        if (!/^\d{3}$/.test(v)) throw invalid({ [k]: ['is not a number'] });
        proxy[k] = Number(v);
      }
      proxy.lock_version = Number(proxy.lock_version ?? 0) + 1;
      touch(proxy, ctx.now);
      return ok(one('proxy', proxyView(proxy)));
    }),
    route('GET', `${base}/proxy/policies.json`, [], (ctx) => ok({ policies_config: proxyOf(ctx).proxy.policies_config ?? [] })),
    route('PUT', `${base}/proxy/policies.json`, ['policies_config'], (ctx) => {
      const { proxy } = proxyOf(ctx);
      const chain = parseChain(ctx.params.policies_config);
      if (!chain.some((p) => p.name === 'apicast')) throw invalid({ policies_config: ['must include the apicast policy'] });
      proxy.policies_config = chain;
      touch(proxy, ctx.now);
      return ok({ policies_config: chain });
    }),
    route('POST', `${base}/proxy/deploy.xml`, [], (ctx) => {
      const { service, proxy } = proxyOf(ctx);
      const latest = latestConfig(ctx.tenant, service.id, 'sandbox');
      ctx.tenant.proxyConfigs.push({
        id: nextId(ctx.tenant, 'proxy_configs'),
        service_id: service.id,
        version: Number(latest?.version ?? 0) + 1,
        environment: 'sandbox',
        content: buildContent(ctx.tenant, service),
        created_at: timestamp(ctx.now),
      });
      return created(one('proxy', proxyView(proxy)));
    }),
    route('GET', `${base}/proxy/configs/{environment}.json`, [], (ctx) => {
      const { service } = proxyOf(ctx);
      const all = configsOf(ctx.tenant, service.id, environmentOf(ctx));
      const body = list('proxy_configs', 'proxy_config', all, ctx.params) as { proxy_configs: { proxy_config: Rec }[] };
      return ok({ ...body, proxy_configs: body.proxy_configs.map((e) => configView(e.proxy_config)) });
    }),
    route('GET', `${base}/proxy/configs/{environment}/latest.json`, [], (ctx) => {
      const { service } = proxyOf(ctx);
      const latest = latestConfig(ctx.tenant, service.id, environmentOf(ctx));
      if (!latest) throw new ApiError(404, { status: 'Not found' });
      return ok(configView(latest));
    }),
    route('GET', `${base}/proxy/configs/{environment}/{version}.json`, [], (ctx) => {
      const { service } = proxyOf(ctx);
      const config = configsOf(ctx.tenant, service.id, environmentOf(ctx)).find((c) => String(c.version) === ctx.path.version);
      if (!config) throw new ApiError(404, { status: 'Not found' });
      return ok(configView(config));
    }),
    route('POST', `${base}/proxy/configs/{environment}/{version}/promote.json`, ['to'], (ctx) => {
      const { service } = proxyOf(ctx);
      const config = configsOf(ctx.tenant, service.id, environmentOf(ctx)).find((c) => String(c.version) === ctx.path.version);
      if (!config) throw new ApiError(404, { status: 'Not found' });
      const to = str(ctx.params, 'to') ?? '';
      if (!ENVIRONMENTS.includes(to)) throw invalid({ environment: ['is not included in the list'] });
      if (configsOf(ctx.tenant, service.id, to).some((c) => c.version === config.version)) {
        throw invalid({ version: ['has already been taken'] });
      }
      const copy: Rec = {
        id: nextId(ctx.tenant, 'proxy_configs'),
        service_id: service.id,
        version: config.version,
        environment: to,
        content: structuredClone(config.content),
        created_at: timestamp(ctx.now),
      };
      ctx.tenant.proxyConfigs.push(copy);
      return created(configView(copy));
    }),
    route('GET', '/admin/api/account/proxy_configs/{environment}.json', [], (ctx) => {
      const env = environmentOf(ctx);
      const all = ctx.tenant.proxyConfigs.filter((c) => c.environment === env);
      const body = list('proxy_configs', 'proxy_config', all, ctx.params) as { proxy_configs: { proxy_config: Rec }[] };
      return ok({ ...body, proxy_configs: body.proxy_configs.map((e) => configView(e.proxy_config)) });
    }),
  ];
}
