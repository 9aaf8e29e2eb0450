/**
 * Checks the simulated 3scale operator runs before deploying an APIManager: the operator version
 * (from the Subscription's channel, `threescale-2.NN`), the 2.16 preflights (external backend
 * Redis, system Redis and system database with Secrets pointing at Services that exist;
 * STAGES.md §7), the Deployments it will create, and the custom policies it can register.
 */
import type { StoredObject } from '../types.js';
import type { Controller } from './controller.js';
import { secretValue } from './objects.js';

/** Minor version of 3scale 2.x the operator in `namespace` installs (16 for channel `threescale-2.16`); 16 when unknown. */
export function threescaleMinor(ctl: Controller, namespace: string): number {
  const sub = ctl.objects.list('Subscription', namespace).find((s) => (s['spec'] as { name?: string } | undefined)?.name === '3scale-operator');
  let channel = (sub?.['spec'] as { channel?: string } | undefined)?.channel;
  if (!channel && sub) {
    const pm = ctl.objects.get('PackageManifest', 'openshift-marketplace', '3scale-operator');
    channel = (pm?.['status'] as { defaultChannel?: string } | undefined)?.defaultChannel;
  }
  const m = /threescale-2\.(\d+)/.exec(channel ?? '');
  return m ? Number(m[1]) : 16;
}

/** `spec.externalComponents` flags of an APIManager. */
export interface External { backendRedis: boolean; systemRedis: boolean; systemDatabase: boolean; zyncDatabase: boolean }

/** Reads `spec.externalComponents`. */
export function externalOf(am: StoredObject): External {
  const ext = ((am['spec'] as { externalComponents?: Record<string, Record<string, boolean>> } | undefined)?.externalComponents) ?? {};
  return { backendRedis: ext['backend']?.['redis'] === true, systemRedis: ext['system']?.['redis'] === true, systemDatabase: ext['system']?.['database'] === true, zyncDatabase: ext['zync']?.['database'] === true };
}

/** Service (`name`, namespace) a connection URL points at: `redis://:pw@backend-redis:6379/0`, `postgresql://u:p@pg.3scale.svc.cluster.local/db`. */
function serviceOf(url: string, namespace: string): { name: string; namespace: string } | undefined {
  try {
    const host = new URL(url).hostname;
    if (!host) return undefined;
    const parts = host.split('.');
    return { name: parts[0] ?? '', namespace: parts.length > 1 && parts[1] !== 'svc' ? (parts[1] ?? namespace) : namespace };
  } catch {
    return undefined;
  }
}

/**
 * The preflight error of an APIManager on this operator version, or undefined when it passes.
 * From 2.16 on: the three components external, their Secrets present with every key, every URL
 * pointing at an existing Service. The sentence is this simulation's (the real operator words it
 * inside "Preflights failed - … - re-running preflights in 10 minutes").
 */
export function preflightError(ctl: Controller, am: StoredObject, minor: number): string | undefined {
  if (minor < 16) return undefined;
  const ns = am.metadata.namespace ?? '';
  const ext = externalOf(am);
  const internal = [!ext.backendRedis && 'backend redis', !ext.systemRedis && 'system redis', !ext.systemDatabase && 'system database'].filter(Boolean);
  if (internal.length > 0) return `3scale 2.${minor} requires external databases: set spec.externalComponents for ${internal.join(', ')}`;
  const required: [string, string[]][] = [['backend-redis', ['REDIS_STORAGE_URL', 'REDIS_QUEUES_URL']], ['system-redis', ['URL']], ['system-database', ['URL', 'DB_USER', 'DB_PASSWORD']]];
  for (const [name, keys] of required) {
    const secret = ctl.objects.get('Secret', ns, name);
    if (!secret) return `secret ${name} not found`;
    for (const key of keys) {
      const value = secretValue(secret, key);
      if (!value) return `secret ${name} is missing key ${key}`;
      if (!key.endsWith('URL')) continue;
      const svc = serviceOf(value, ns);
      if (!svc || !ctl.objects.get('Service', svc.namespace, svc.name)) return `${name} ${key} points at ${svc ? `${svc.name}.${svc.namespace}` : 'an invalid URL'}, which is not a Service that exists`;
    }
  }
  return undefined;
}

/** Deployment names of an APIManager (15 with internal databases, 12 with external backend/system ones). */
export function deploymentNames(am: StoredObject): string[] {
  const ext = externalOf(am);
  const postgres = Boolean(((am['spec'] as { system?: { database?: { postgresql?: unknown } } } | undefined)?.system?.database?.postgresql));
  return [
    'apicast-production', 'apicast-staging', 'backend-cron', 'backend-listener', ...(ext.backendRedis ? [] : ['backend-redis']), 'backend-worker',
    'system-app', 'system-memcache', ...(ext.systemDatabase ? [] : [postgres ? 'system-postgresql' : 'system-mysql']), ...(ext.systemRedis ? [] : ['system-redis']),
    'system-searchd', 'system-sidekiq', 'zync', ...(ext.zyncDatabase ? [] : ['zync-database']), 'zync-que',
  ];
}

/** A custom policy reference of `spec.apicast.{staging,production}Spec.customPolicies[]`. */
export interface CustomPolicyRef { name: string; version: string; secretRef?: { name?: string } }

/** Every custom policy referenced by the APIManager (staging and production, deduplicated by name+version). */
export function customPolicyRefs(am: StoredObject): CustomPolicyRef[] {
  const apicast = ((am['spec'] as { apicast?: Record<string, { customPolicies?: CustomPolicyRef[] }> } | undefined)?.apicast) ?? {};
  const all = [...(apicast['stagingSpec']?.customPolicies ?? []), ...(apicast['productionSpec']?.customPolicies ?? [])];
  const seen = new Set<string>();
  return all.filter((p) => {
    const id = `${p.name}@${p.version}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Names of referenced Secrets that do not exist (the operator's "watched secrets"). */
export function missingWatchedSecrets(ctl: Controller, am: StoredObject): string[] {
  const ns = am.metadata.namespace ?? '';
  const names = [...new Set(customPolicyRefs(am).map((p) => p.secretRef?.name).filter((n): n is string => Boolean(n)))];
  return names.filter((n) => !ctl.objects.get('Secret', ns, n));
}

/**
 * Custom policies the operator registers in APIcast: a referenced Secret labelled
 * `apimanager.apps.3scale.net/watched-by: apimanager` and a CustomPolicyDefinition whose
 * `spec.name`/`spec.version` match.
 */
export function registrablePolicies(ctl: Controller, am: StoredObject): { name: string; version: string }[] {
  const ns = am.metadata.namespace ?? '';
  const cpds = ctl.objects.list('CustomPolicyDefinition', ns);
  return customPolicyRefs(am).filter((p) => {
    const secret = p.secretRef?.name ? ctl.objects.get('Secret', ns, p.secretRef.name) : undefined;
    if (secret?.metadata.labels?.['apimanager.apps.3scale.net/watched-by'] !== 'apimanager') return false;
    return cpds.some((c) => { const s = c['spec'] as { name?: string; version?: string } | undefined; return s?.name === p.name && s.version === p.version; });
  }).map((p) => ({ name: p.name, version: p.version }));
}
