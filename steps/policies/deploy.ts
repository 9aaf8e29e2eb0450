/**
 * Deploy to staging and promote to production (STAGES.md §7–8, C16). `deploy` freezes the product's
 * current settings (proxy, policy chain, mapping rules, backends) as a new staging (`sandbox`)
 * configuration version; `promote` copies a staging version to production. A deploy is planned
 * only when the settings differ from the newest staging version (or there is none), so a second
 * run deploys nothing; a promote only when staging's newest version is newer than production's,
 * and a 422 "already taken" on promote means production has it already ("nothing to promote" is
 * success).
 */
import type { ThreescaleClient } from '../../src/cluster/threescale/client.js';
import type { PolicyConfig, ProxyConfig } from '../../src/cluster/threescale/types.js';
import { AM, call } from '../threescale/product-changes.js';
import type { Reconcile } from '../threescale/product-changes.js';
import { normalChain } from './chain.js';

/** A proxy config's `content` as far as it is compared (porta ProxyConfig content: the service with its `proxy`). */
interface Content {
  proxy?: {
    credentials_location?: string;
    auth_user_key?: string;
    policy_chain?: PolicyConfig[];
    proxy_rules?: { http_method?: string; pattern?: string; delta?: number; metric_id?: number; owner_type?: string }[];
  };
  backend_api_configs?: { path?: string; private_endpoint?: string; backend_api?: { private_endpoint?: string } }[];
}

/**
 * Why the newest staging configuration does not hold the product's current settings (empty when
 * it does): no version yet, another policy chain, credentials settings, mapping rules or backends.
 */
export async function stagingDrift(api: ThreescaleClient, serviceId: number, staging: ProxyConfig | undefined): Promise<string[]> {
  if (!staging) return ['nothing deployed to staging yet'];
  const content = (staging.content ?? {}) as Content;
  const why: string[] = [];
  const [chain, proxy, rules, usages] = await Promise.all([api.policies(serviceId), api.proxy(serviceId), api.mappingRules(serviceId).list(), api.backendUsages(serviceId).list()]);
  if (normalChain(content.proxy?.policy_chain ?? []) !== normalChain(chain)) why.push('policy chain');
  if ((content.proxy?.credentials_location ?? '') !== (proxy.credentials_location ?? '') || (content.proxy?.auth_user_key ?? '') !== (proxy.auth_user_key ?? '')) why.push('credentials settings');
  const ruleKey = (r: { http_method?: string; pattern?: string; delta?: number; metric_id?: number }): string => `${String(r.http_method).toUpperCase()} ${String(r.pattern)} ${Number(r.delta)} ${Number(r.metric_id)}`;
  const deployed = (content.proxy?.proxy_rules ?? []).filter((r) => r.owner_type !== 'BackendApi').map(ruleKey).sort();
  if (JSON.stringify(deployed) !== JSON.stringify(rules.map(ruleKey).sort())) why.push('mapping rules');
  const backends = await Promise.all(usages.map(async (u) => `${u.path} ${(await api.backends.get(u.backend_id))?.private_endpoint ?? ''}`));
  const deployedBackends = (content.backend_api_configs ?? []).map((b) => `${b.path ?? ''} ${b.private_endpoint ?? b.backend_api?.private_endpoint ?? ''}`);
  if (JSON.stringify(deployedBackends.sort()) !== JSON.stringify(backends.sort())) why.push('backends');
  return why;
}

/** Versions after `syncDeployment`: staging's and production's newest (0 = none). */
export interface Versions {
  staging: number;
  production: number;
}

/**
 * Deploys when the settings changed (`changed`, or staging drifted) and promotes when staging is
 * newer than production. In plan mode the versions are what they would become.
 */
export async function syncDeployment(api: ThreescaleClient, r: Reconcile, serviceId: number, changed: boolean): Promise<Versions> {
  let staging = await api.latestConfig(serviceId, 'sandbox');
  const production = await api.latestConfig(serviceId, 'production');
  const drift = changed ? ['the changes above'] : await stagingDrift(api, serviceId, staging);
  let stagingVersion = staging?.version ?? 0;
  if (drift.length > 0) {
    await r.change('create', `staging configuration v${stagingVersion + 1} (deploy)`, call('POST', `${AM}/services/${serviceId}/proxy/deploy.json`), () => api.deploy(serviceId), { note: `staging differs: ${drift.join(', ')}` });
    if (r.write) {
      staging = await api.latestConfig(serviceId, 'sandbox');
      stagingVersion = staging?.version ?? 0;
    } else stagingVersion += 1;
  } else r.none(`staging configuration v${stagingVersion}`, 'holds the current settings');
  const productionVersion = production?.version ?? 0;
  if (stagingVersion > productionVersion) {
    const version = stagingVersion;
    await r.change('create', `production configuration v${version} (promote)`, call('POST', `${AM}/services/${serviceId}/proxy/configs/sandbox/${version}/promote.json`, { to: 'production' }), () => api.promote(serviceId, version), { note: productionVersion ? `production has v${productionVersion}` : 'nothing in production yet' });
    return { staging: stagingVersion, production: version };
  }
  r.none(`production configuration v${productionVersion}`, 'same version as staging: nothing to promote');
  return { staging: stagingVersion, production: productionVersion };
}
