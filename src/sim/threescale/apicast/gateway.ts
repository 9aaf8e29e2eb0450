/**
 * The simulated APIcast gateways. A product's staging gateway serves its newest `sandbox` config
 * version, the production gateway the newest `production` one; without a version the host is
 * unknown to APIcast (404). The policy chain runs in order; the builtin `apicast` policy answers,
 * in this order (STAGES.md §8): missing credentials 403, no mapping rule 404, unknown key 403,
 * over a limit 429 (statuses, texts and content types from the proxy's `error_*` fields), then
 * counts the hits and proxies the request to the backend's `private_endpoint`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceRegistry } from '../../types.js';
import type { ConfigContent, ProxyRule } from '../config.js';
import { latestConfig } from '../config.js';
import { hosts } from '../state.js';
import type { Rec, TenantState } from '../state.js';
import { exceedsLimits, recordUsage } from '../usage.js';
import { matchingRules } from './mapping.js';
import { corsHeaders, isPreflight, readTimeoutMs, removeBearer } from './policies.js';
import type { CorsConfig } from './policies.js';
import type { UpstreamBridge } from './upstream.js';

/** What the gateways need from the rest of the simulated 3scale. */
export interface GatewayOptions {
  services: ServiceRegistry;
  bridge: UpstreamBridge;
  now(): number;
  customPolicies(): { name: string; version: string }[];
}

/** The product and environment a gateway host serves, if any. */
export function gatewayTarget(state: TenantState, host: string): { service: Rec; env: 'staging' | 'production' } | undefined {
  for (const service of state.services) {
    for (const env of ['staging', 'production'] as const) {
      if (hosts.gateway(String(service.system_name), state.name, state.domain, env) === host) return { service, env };
    }
  }
  return undefined;
}

function plain(res: ServerResponse, status: number, text: string, contentType: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': String(Buffer.byteLength(text)), ...extra });
  res.end(text);
}

/** The user key as APIcast extracts it for the proxy's `credentials_location` (undefined: missing). */
function extractKey(proxy: ConfigContent['proxy'], req: IncomingMessage, query: URLSearchParams): string | undefined {
  const name = proxy.auth_user_key || 'user_key';
  if (proxy.credentials_location === 'query') return query.get(name) || undefined;
  if (proxy.credentials_location === 'headers') {
    const v = req.headers[name.toLowerCase()];
    return (Array.isArray(v) ? v[0] : v) || undefined;
  }
  const auth = req.headers.authorization ?? '';
  const bearer = /^Bearer\s+(.+)$/i.exec(auth);
  if (bearer) return bearer[1];
  const basic = /^Basic\s+(.+)$/i.exec(auth);
  if (basic) {
    const [user, pass] = Buffer.from(basic[1] ?? '', 'base64').toString('utf8').split(':');
    return user || pass || undefined;
  }
  return undefined;
}

/** Backend rules are mounted under their backend usage path. */
function effectiveRules(content: ConfigContent): ProxyRule[] {
  return content.proxy.proxy_rules.map((rule) => {
    if (rule.owner_type !== 'BackendApi') return rule;
    const mount = content.backend_api_configs.find((b) => b.backend_api_id === rule.owner_id)?.path ?? '/';
    return mount === '/' ? rule : { ...rule, pattern: `${mount.replace(/\/$/, '')}${rule.pattern}` };
  });
}

/** Creates the handler for one gateway request (the caller resolved the target from the Host). */
export function createGateway(options: GatewayOptions) {
  return async (state: TenantState, target: { service: Rec; env: 'staging' | 'production' }, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const config = latestConfig(state, target.service.id, target.env === 'staging' ? 'sandbox' : 'production');
    if (!config) {
      req.resume();
      plain(res, 404, 'Not Found', 'text/plain; charset=us-ascii');
      return;
    }
    const content = config.content as ConfigContent;
    const proxy = content.proxy;
    const url = new URL(req.url ?? '/', 'http://gateway.invalid');
    const chain = proxy.policy_chain.filter((p) => p.enabled !== false);
    const corsEntry = chain.find((p) => p.name === 'cors');
    const extra = corsEntry && req.headers.origin ? corsHeaders(corsEntry.configuration as CorsConfig, req) : {};
    const fail = (kind: 'auth_missing' | 'no_match' | 'auth_failed' | 'limits_exceeded'): void => {
      req.resume();
      plain(res, Number(proxy[`error_status_${kind}`]), String(proxy[`error_${kind}`]), String(proxy[`error_headers_${kind}`]), extra);
    };
    const registered = options.customPolicies();
    let timeoutMs: number | undefined;
    for (const policy of chain) {
      if (policy.name === 'cors') {
        if (isPreflight(req)) {
          req.resume();
          res.writeHead(204, corsHeaders(policy.configuration as CorsConfig, req)).end();
          return;
        }
      } else if (policy.name === 'remove-bearer') {
        if (registered.some((p) => p.name === policy.name && p.version === policy.version)) removeBearer(req);
      } else if (policy.name === 'upstream_connection') {
        timeoutMs = readTimeoutMs(policy.configuration);
      } else if (policy.name === 'apicast') {
        const key = extractKey(proxy, req, url.searchParams);
        if (!key) return fail('auth_missing');
        const rules = matchingRules(effectiveRules(content), req.method ?? 'GET', url.pathname, url.searchParams);
        if (rules.length === 0) return fail('no_match');
        const app = state.applications.find((a) => a.user_key === key && a.service_id === target.service.id && a.state === 'live');
        if (!app) return fail('auth_failed');
        const usage = new Map<number, number>();
        const add = (metricId: number, delta: number): void => void usage.set(metricId, (usage.get(metricId) ?? 0) + delta);
        for (const rule of rules) {
          add(rule.metric_id, rule.delta);
          // A method's hits also count on its parent metric (3scale metric hierarchy).
          const parent = state.metrics.find((m) => m.id === rule.metric_id)?.parent_id;
          if (typeof parent === 'number') add(parent, rule.delta);
        }
        const now = options.now();
        if (exceedsLimits(state, app.id, Number(app.plan_id), usage, now)) return fail('limits_exceeded');
        for (const [metricId, delta] of usage) recordUsage(state, app.id, metricId, now, delta);
        app.first_traffic_at ??= new Date(now).toISOString();
        return proxyUpstream(options, content, key, req, res, url, extra, timeoutMs);
      }
    }
    req.resume();
    plain(res, 503, 'Service Unavailable', 'text/plain; charset=us-ascii', extra);
  };
}

/** Proxies an authorised request to the backend mounted at the longest matching path. */
async function proxyUpstream(
  options: GatewayOptions,
  content: ConfigContent,
  key: string,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  extra: Record<string, string>,
  timeoutMs: number | undefined,
): Promise<void> {
  const mounted = content.backend_api_configs
    .filter((b) => b.path === '/' || url.pathname === b.path || url.pathname.startsWith(`${b.path.replace(/\/$/, '')}/`))
    .sort((a, b) => b.path.length - a.path.length)[0];
  if (!mounted) {
    req.resume();
    plain(res, 404, 'Not Found', 'text/plain; charset=us-ascii', extra);
    return;
  }
  const endpoint = new URL(mounted.private_endpoint);
  const handler = options.services.resolve(mounted.private_endpoint);
  if (!handler) {
    req.resume();
    plain(res, 502, 'Bad Gateway', 'text/plain; charset=us-ascii', extra);
    return;
  }
  const rest = mounted.path === '/' ? url.pathname : url.pathname.slice(mounted.path.replace(/\/$/, '').length) || '/';
  const query = new URLSearchParams(url.searchParams);
  const headers = { ...req.headers };
  const credential = content.proxy.auth_user_key || 'user_key';
  // The credential does not travel upstream.
  if (content.proxy.credentials_location === 'query') query.delete(credential);
  else if (content.proxy.credentials_location === 'headers') delete headers[credential.toLowerCase()];
  else if (headers.authorization?.includes(key)) delete headers.authorization;
  const qs = query.toString();
  const path = `${endpoint.pathname.replace(/\/$/, '')}${rest}${qs ? `?${qs}` : ''}`;
  await options.bridge.forward(
    { handler, method: req.method ?? 'GET', path, host: endpoint.host, headers, body: req, ...(timeoutMs !== undefined ? { readTimeoutMs: timeoutMs } : {}) },
    res,
    extra,
  );
}
