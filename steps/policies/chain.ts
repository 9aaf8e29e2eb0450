/**
 * The policy chain and the plan limits of one product (STAGES.md §8).
 * - Chain, in this fixed order: `cors` (before `apicast`, or browser preflights get 403: C11),
 *   `remove-bearer` 0.1 (only in that Bearer mode; its name must equal the APIManager
 *   `customPolicies` entry), `upstream_connection` (`read_timeout` in seconds: LLM answers are
 *   slow), the builtin `apicast`. The API takes it as `policies_config`, a JSON string of
 *   `[{name, version, configuration, enabled}]`.
 * - Limits on the application plan, metric `hits`: `minute` (rate limit) and `month` (quota);
 *   0 means none, so an existing limit of that period is deleted. Limits take effect without a
 *   deploy (3scale's backend enforces them).
 */
import type { ThreescaleClient } from '../../src/cluster/threescale/client.js';
import type { Limit, PolicyConfig } from '../../src/cluster/threescale/types.js';
import { REMOVE_BEARER } from '../threescale/custom-policy.js';
import type { BearerMode } from '../threescale/product-bearer.js';
import { AM, call } from '../threescale/product-changes.js';
import type { Reconcile } from '../threescale/product-changes.js';

/** Headers browsers may send to the gateway (the guide's `cors` configuration). */
export const CORS_ALLOW_HEADERS = ['Authorization', 'Content-type', 'Accept'];

/** The wanted chain. @param readTimeoutSeconds `upstream_connection` read timeout, seconds. */
export function policyChain(mode: BearerMode, readTimeoutSeconds: number): PolicyConfig[] {
  return [
    { name: 'cors', version: 'builtin', configuration: { allow_headers: CORS_ALLOW_HEADERS, allow_origin: '*', allow_credentials: true }, enabled: true },
    ...(mode === 'remove-bearer' ? [{ name: REMOVE_BEARER.name, version: REMOVE_BEARER.version, configuration: {}, enabled: true }] : []),
    { name: 'upstream_connection', version: 'builtin', configuration: { read_timeout: readTimeoutSeconds }, enabled: true },
    { name: 'apicast', version: 'builtin', configuration: {}, enabled: true },
  ];
}

/** A chain in a comparable form (key order and missing defaults do not count). */
export function normalChain(chain: readonly Partial<PolicyConfig>[]): string {
  return JSON.stringify(chain.map((p) => ({ name: p.name, version: p.version, enabled: p.enabled !== false, configuration: sortKeys(p.configuration ?? {}) })));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, sortKeys(x)]));
  return v;
}

/** Reconciles the product's policy chain; true when it writes (or would write) it. */
export async function syncChain(api: ThreescaleClient, r: Reconcile, serviceId: number, wanted: PolicyConfig[]): Promise<boolean> {
  const target = `policy chain ${wanted.map((p) => p.name).join(' → ')}`;
  const current = await api.policies(serviceId);
  if (normalChain(current) === normalChain(wanted)) {
    r.none(target);
    return false;
  }
  await r.change('update', target, call('PUT', `${AM}/services/${serviceId}/proxy/policies.json`, { policies_config: JSON.stringify(wanted) }), () => api.updatePolicies(serviceId, wanted), {
    diff: [{ path: 'policies_config', from: current.map((p) => p.name).join(' → '), to: wanted.map((p) => p.name).join(' → ') }],
  });
  return true;
}

/** A limit the inputs ask for. `value` in hits per `period`. */
export interface WantedLimit {
  period: 'minute' | 'month';
  value: number;
}

/** Limits from the inputs: `rateLimitPerMinute` → minute, `monthlyQuota` → month; 0 = none. */
export function wantedLimits(rateLimitPerMinute: number, monthlyQuota: number): WantedLimit[] {
  return [
    ...(rateLimitPerMinute > 0 ? [{ period: 'minute' as const, value: rateLimitPerMinute }] : []),
    ...(monthlyQuota > 0 ? [{ period: 'month' as const, value: monthlyQuota }] : []),
  ];
}

/** Reconciles the minute and month limits of application plan `planId` on metric `hitsId` (other periods are left alone). */
export async function syncLimits(api: ThreescaleClient, r: Reconcile, planId: number, planName: string, hitsId: number, wanted: WantedLimit[]): Promise<void> {
  const limitsApi = api.limits(planId, hitsId);
  const current: Limit[] = await limitsApi.list();
  const base = `${AM}/application_plans/${planId}/metrics/${hitsId}/limits`;
  for (const period of ['minute', 'month'] as const) {
    const target = `limit of plan ${planName} on hits per ${period}`;
    const want = wanted.find((w) => w.period === period);
    const have = current.filter((l) => l.period === period);
    const first = have[0];
    for (const extra of have.slice(1)) await r.change('delete', target, call('DELETE', `${base}/${extra.id}.json`), () => limitsApi.delete(extra.id), { note: 'duplicate' });
    if (!want && !first) r.none(target, 'none');
    else if (!want && first) await r.change('delete', target, call('DELETE', `${base}/${first.id}.json`), () => limitsApi.delete(first.id), { diff: [{ path: 'value', from: first.value, to: undefined }] });
    else if (want && !first) await r.change('create', target, call('POST', `${base}.json`, { period, value: want.value }), () => limitsApi.create({ period, value: want.value }));
    else if (want && first && Number(first.value) !== want.value) {
      await r.change('update', target, call('PUT', `${base}/${first.id}.json`, { period, value: want.value }), () => limitsApi.update(first.id, { period, value: want.value }), { diff: [{ path: 'value', from: first.value, to: want.value }] });
    } else r.none(target, `${want?.value ?? 0} per ${period}`);
  }
}

/** Limits of the plan on `hits` as read back (minute and month only, as `{period, value}`). */
export async function readLimits(api: ThreescaleClient, planId: number, hitsId: number): Promise<{ period: string; value: number }[]> {
  return (await api.limits(planId, hitsId).list()).filter((l) => l.period === 'minute' || l.period === 'month').map((l) => ({ period: l.period, value: Number(l.value) }));
}
