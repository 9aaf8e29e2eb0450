/**
 * Named failure scenarios of the simulated cluster (SIMULATOR.md §4, FIELD-CASES.md), each a
 * function applied once at start, after the seed and the backends and before the operators run.
 * Most change cluster data the way the real situation looks (a StorageClass absent, a package
 * missing from the catalog); a few set operator flags (KV cache size) or the access policy (RBAC,
 * expired token); the service scenarios (Hub token, 3scale 5xx, Keycloak 503) use the optional
 * hooks of the backends (src/sim/types.ts) and do nothing to a backend that is absent or lacks
 * the hook.
 */
import { DEMO_HF_TOKEN } from './hub/auth.js';
import type { AccessPolicy } from './kube/access.js';
import type { OperatorFlags, SimBackends } from './operators/context.js';
import { Objects } from './operators/objects.js';
import type { KindRegistry, ObjectStore } from './types.js';

/** What a scenario may change. */
export interface ScenarioTarget {
  store: ObjectStore;
  kinds: KindRegistry;
  access: AccessPolicy;
  flags: OperatorFlags;
  /** The simulated services (each optional); service scenarios call their optional hooks. */
  backends?: SimBackends;
}

/** One scenario: its name, a one-line description (for `--help` and pickers), and what it does. */
export interface Scenario {
  name: string;
  description: string;
  apply(target: ScenarioTarget): void;
}

/** KV cache capacity (tokens) under `kv-cache-too-small`: vLLM `--max-model-len` above it crash-loops (C5). */
export const SMALL_KV_CACHE_TOKENS = 15000;

/**
 * Requests the 3scale admin API answers 503 under `threescale-5xx` before it recovers: fewer than
 * the wizard's retries of one request (src/cluster/threescale/http.ts: 4), so a retrying client
 * gets through and a non-retrying one fails.
 */
export const THREESCALE_5XX_REQUESTS = 3;

/** Namespace where `rbac-denied` forbids creating Secrets (the wizard's default project). */
export const RBAC_DENIED_NAMESPACE = 'llm-hosting';

const removeIfPresent = (t: ScenarioTarget, kind: string, namespace: string | undefined, name: string): void => {
  new Objects(t.store, t.kinds).remove(kind, namespace, name);
};

/** Every scenario, in the order `--help` lists them. */
export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'no-rwx-class',
    description: 'no ReadWriteMany StorageClass (CephFS absent): 3scale system-storage stays Pending (C9)',
    apply: (t) => removeIfPresent(t, 'StorageClass', undefined, 'ocs-storagecluster-cephfs'),
  },
  {
    name: 'no-rgw-class',
    description: 'no Ceph RGW bucket class (ODF on a cloud): only the NooBaa class can serve ObjectBucketClaims (C2)',
    apply: (t) => removeIfPresent(t, 'StorageClass', undefined, 'ocs-storagecluster-ceph-rgw'),
  },
  {
    name: 'missing-3scale-operator',
    description: 'the catalog has no 3scale-operator package: its Subscription fails to resolve',
    apply: (t) => removeIfPresent(t, 'PackageManifest', 'openshift-marketplace', '3scale-operator'),
  },
  {
    name: 'missing-rhsso-operator',
    description: 'the catalog has no rhsso-operator package: its Subscription fails to resolve',
    apply: (t) => removeIfPresent(t, 'PackageManifest', 'openshift-marketplace', 'rhsso-operator'),
  },
  {
    name: 'rbac-denied',
    description: `the user may not create Secrets in namespace ${RBAC_DENIED_NAMESPACE} (403 Forbidden)`,
    apply: (t) => t.access.deny({ verb: 'create', group: '', resource: 'secrets', namespace: RBAC_DENIED_NAMESPACE }),
  },
  {
    name: 'expired-token',
    description: 'the kubeconfig token has expired: every API request answers 401 Unauthorized',
    apply: (t) => {
      t.access.tokenExpired = true;
    },
  },
  {
    name: 'obc-pending-region',
    description: 'the RGW bucket class names region eu-west-1: ObjectBucketClaims stay Pending with no event (C1)',
    apply: (t) => {
      new Objects(t.store, t.kinds).update('StorageClass', undefined, 'ocs-storagecluster-ceph-rgw', (sc) => {
        sc['parameters'] = { ...(sc['parameters'] as Record<string, string> | undefined), region: 'eu-west-1' };
      });
    },
  },
  {
    name: 'kv-cache-too-small',
    description: `the GPUs hold a KV cache of ${SMALL_KV_CACHE_TOKENS} tokens: vLLM with a larger --max-model-len crash-loops (C5)`,
    apply: (t) => {
      t.flags.kvCacheTokens = SMALL_KV_CACHE_TOKENS;
    },
  },
  {
    name: 'keycloak-slow-start',
    description: 'Red Hat SSO takes about ten minutes (simulated) to become ready; until then its Route answers 503',
    apply: (t) => {
      // The RH-SSO operator serves the Route at once and holds the Keycloak service at 503 (setReady).
      t.flags.keycloakSlowStart = true;
    },
  },
  {
    name: 'gated-model-without-licence',
    description: `the demo Hub token (${DEMO_HF_TOKEN}) has not accepted the licence of gated models (e.g. Mistral): 403 GatedRepo (C4)`,
    apply: (t) => t.backends?.hub?.withdrawLicences?.(DEMO_HF_TOKEN),
  },
  {
    name: 'bad-hub-token',
    description: `the demo Hub token (${DEMO_HF_TOKEN}) is refused: every Hub request with it answers 401 (C4)`,
    apply: (t) => t.backends?.hub?.revokeToken?.(DEMO_HF_TOKEN),
  },
  {
    name: 'threescale-5xx',
    description: `the 3scale admin API answers 503 to the next ${THREESCALE_5XX_REQUESTS} requests, then recovers`,
    apply: (t) => t.backends?.threescale?.failNextRequests?.(THREESCALE_5XX_REQUESTS, 503),
  },
];

/** Names of every scenario. */
export function scenarioNames(): string[] {
  return SCENARIOS.map((s) => s.name);
}

/**
 * Looks scenarios up by name.
 * @throws Error naming the unknown scenario and listing the known ones.
 */
export function resolveScenarios(names: readonly string[]): Scenario[] {
  return names.map((name) => {
    const found = SCENARIOS.find((s) => s.name === name);
    if (!found) throw new Error(`unknown scenario "${name}"; known scenarios: ${scenarioNames().join(', ')}`);
    return found;
  });
}

/** Applies the named scenarios to the target, in order. Throws like `resolveScenarios`. */
export function applyScenarios(names: readonly string[], target: ScenarioTarget): void {
  for (const s of resolveScenarios(names)) s.apply(target);
}
