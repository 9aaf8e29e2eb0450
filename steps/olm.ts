/**
 * Installing an operator through OLM (Operator Lifecycle Manager), shared by `sso.operator` and
 * `threescale.operator`: the OLM kinds, the OperatorGroup and Subscription manifests, writing
 * planned manifests, and the wait for the operator's ClusterServiceVersion (CSV) to succeed.
 * Facts about OLM come from its API (operator-framework/api, `operators.coreos.com`) and the
 * OpenShift docs "Adding Operators to a cluster".
 */
import { KubeApiError } from '../src/cluster/errors.js';
import type { KubeClient } from '../src/cluster/kube.js';
import type { Services } from '../src/cluster/services.js';
import { UserError } from '../src/engine/errors.js';
import type { Change, KubeObject, ProbeResult, StepContext } from '../src/engine/types.js';

/** API versions of the OLM kinds (`operators.coreos.com/v1` OperatorGroup, `v1alpha1` Subscription and CSV; PackageManifest from packageserver). */
export const OLM_KINDS = {
  operatorGroup: { apiVersion: 'operators.coreos.com/v1', kind: 'OperatorGroup' },
  subscription: { apiVersion: 'operators.coreos.com/v1alpha1', kind: 'Subscription' },
  csv: { apiVersion: 'operators.coreos.com/v1alpha1', kind: 'ClusterServiceVersion' },
  packageManifest: { apiVersion: 'packages.operators.coreos.com/v1', kind: 'PackageManifest' },
} as const;

/** Milliseconds an operator install may take (OLM usually needs 60–90 s; catalogs can be slow). */
export const OPERATOR_INSTALL_TIMEOUT_MS = 15 * 60_000;

/** What identifies one operator install: the package (also the Subscription's name) and where it goes. */
export interface OlmInstall {
  /** OLM package name, e.g. `rhsso-operator`; the Subscription carries the same name. */
  pkg: string;
  /** Namespace of the OperatorGroup, Subscription and CSV. */
  namespace: string;
  /** Fix shown when the Subscription has `ResolutionFailed` and no CSV. */
  resolutionFix: string;
  /** Append the CSV's `status.reason` to the pending text (SSO shows it, 3scale does not). */
  pendingReason?: boolean;
}

type OperatorGroup = KubeObject & { spec?: { targetNamespaces?: string[] } };
type Csv = KubeObject & { status?: { phase?: string; reason?: string; message?: string } };
type Subscription = KubeObject & { status?: { installedCSV?: string; currentCSV?: string; state?: string; conditions?: { type: string; status: string; reason?: string; message?: string }[] } };

/**
 * An OperatorGroup named after `ns` that targets only `ns` (the OwnNamespace install mode).
 * @param ns the namespace. Throws nothing.
 */
export function operatorGroupManifest(ns: string): KubeObject {
  return { ...OLM_KINDS.operatorGroup, metadata: { name: ns, namespace: ns }, spec: { targetNamespaces: [ns] } };
}

/**
 * A Subscription to `pkg` named after it, with automatic install plan approval.
 * @param pkg OLM package; `i` the namespace, channel and catalog source (`source`, `sourceNamespace`). Throws nothing.
 */
export function subscriptionManifest(pkg: string, i: { namespace: string; channel: string; source: string; sourceNamespace: string }): KubeObject {
  return {
    ...OLM_KINDS.subscription,
    metadata: { name: pkg, namespace: i.namespace },
    spec: { name: pkg, channel: i.channel, source: i.source, sourceNamespace: i.sourceNamespace, installPlanApproval: 'Automatic' },
  };
}

/**
 * The OperatorGroup of `ns`, if any (none is listed when the namespace does not exist yet).
 * @param kube the cluster client; `ns` the namespace; `nsExists` whether it exists.
 * @throws UserError `operator.operatorgroups` when there are several: OLM then installs nothing (condition `TooManyOperatorGroups`).
 */
export async function soleOperatorGroup(kube: KubeClient, ns: string, nsExists: boolean): Promise<OperatorGroup | undefined> {
  const groups = nsExists ? await kube.list<OperatorGroup>(OLM_KINDS.operatorGroup.apiVersion, OLM_KINDS.operatorGroup.kind, ns) : [];
  if (groups.length > 1) {
    throw new UserError('operator.operatorgroups', `namespace ${ns} has ${groups.length} OperatorGroups (${groups.map((g) => g.metadata.name).join(', ')}); OLM installs nothing there (TooManyOperatorGroups)`, {
      fix: `delete all but one: \`oc get operatorgroup -n ${ns}\``,
    });
  }
  return groups[0];
}

/**
 * Writes the manifest of a planned change: nothing for `none`, create for `create`, merge-patch
 * (everything but apiVersion/kind/metadata, plus `metadata.labels`) for `update`.
 * @param kube the cluster client; `change` the planned change; `manifest` what to write (default the change's).
 * @param onConflict on HTTP 409 (created meanwhile): `patch` it (default) or `skip` it.
 * @throws KubeApiError from the API server, except the tolerated 409.
 */
export async function writeManifest(kube: KubeClient, change: Change, manifest: KubeObject | undefined = change.manifest, onConflict: 'patch' | 'skip' = 'patch'): Promise<void> {
  if (change.action === 'none' || !manifest) return;
  if (change.action === 'create') {
    try {
      await kube.create(manifest);
      return;
    } catch (err) {
      if (!(err instanceof KubeApiError && err.status === 409)) throw err;
      if (onConflict === 'skip') return;
    }
  }
  const { apiVersion, kind, metadata, ...rest } = manifest;
  await kube.mergePatch({ apiVersion, kind, name: metadata.name ?? '', ...(metadata.namespace ? { namespace: metadata.namespace } : {}) }, { ...rest, ...(metadata.labels ? { metadata: { labels: metadata.labels } } : {}) });
}

/**
 * One look at the install: Subscription → `status.installedCSV` (or `currentCSV`) → the CSV's
 * `status.phase`. Done (value: CSV name) on `Succeeded`; failed on a `ResolutionFailed` condition
 * without a CSV, or on phase `Failed` (usually an OperatorGroup whose targets the operator's install modes reject).
 * @param kube the cluster client; `o` the install. Throws only what the client throws.
 */
export async function probeInstall(kube: KubeClient, o: OlmInstall): Promise<ProbeResult<string>> {
  const ns = o.namespace;
  const sub = await kube.get<Subscription>(OLM_KINDS.subscription.apiVersion, OLM_KINDS.subscription.kind, o.pkg, ns);
  if (!sub) return { state: 'pending', currently: 'Subscription not found yet' };
  const name = sub.status?.installedCSV ?? sub.status?.currentCSV;
  const failed = sub.status?.conditions?.find((c) => c.type === 'ResolutionFailed' && c.status === 'True');
  if (failed && !name) return { state: 'failed', reason: `OLM cannot resolve the Subscription: ${failed.message ?? failed.reason ?? 'ResolutionFailed'}`, fix: o.resolutionFix };
  if (!name) return { state: 'pending', currently: `Subscription ${sub.status?.state ?? 'not resolved yet'}` };
  const csv = await kube.get<Csv>(OLM_KINDS.csv.apiVersion, OLM_KINDS.csv.kind, name, ns);
  const phase = csv?.status?.phase;
  if (phase === 'Succeeded') return { state: 'done', value: name };
  if (phase === 'Failed') {
    return { state: 'failed', reason: `ClusterServiceVersion ${name} Failed (${csv?.status?.reason ?? ''}): ${csv?.status?.message ?? ''}`, fix: `the OperatorGroup in ${ns} must target only ${ns}: \`oc get operatorgroup -n ${ns} -o yaml\`` };
  }
  const reason = o.pendingReason && csv?.status?.reason ? ` (${csv.status.reason})` : '';
  return { state: 'pending', currently: `ClusterServiceVersion ${name} ${phase ?? 'not created yet'}${reason}` };
}

/**
 * Waits (`ctx.waitFor`, 15 min, polling 0.5 s backing off to 10 s, woken by watches of the
 * Subscription and the namespace's CSVs) until `probeInstall` is done.
 * @param ctx the step context; `o` the install.
 * @throws what `waitFor` throws: WaitTimeoutError, WaitFailedError (probe failed), AbortError.
 */
export async function waitForInstall(ctx: Pick<StepContext<unknown, Services>, 'services' | 'waitFor'>, o: OlmInstall): Promise<void> {
  const { kube } = ctx.services;
  const ns = o.namespace;
  const watch = async (wake: () => void): Promise<() => void> => {
    const stops = await Promise.all([
      kube.watchObjects({ ...OLM_KINDS.subscription, namespace: ns, name: o.pkg }, () => wake()),
      kube.watchObjects({ ...OLM_KINDS.csv, namespace: ns }, () => wake()),
    ]);
    return () => stops.forEach((s) => s());
  };
  await ctx.waitFor(() => probeInstall(kube, o), { what: `the ${o.pkg} operator in ${ns} (ClusterServiceVersion Succeeded)`, timeoutMs: OPERATOR_INSTALL_TIMEOUT_MS, intervalMs: 500, maxIntervalMs: 10_000, watch });
}

/**
 * Checks once that the install is done and returns the CSV name.
 * @param kube the cluster client; `o` the install.
 * @throws UserError `operator.not-installed` with the probe's text, and its fix or `oc get subscription,csv`.
 */
export async function verifyInstall(kube: KubeClient, o: OlmInstall): Promise<string> {
  const r = await probeInstall(kube, o);
  if (r.state !== 'done') {
    throw new UserError('operator.not-installed', `the ${o.pkg} operator in ${o.namespace} is not installed: ${r.state === 'failed' ? r.reason : r.currently}`, {
      fix: r.state === 'failed' && r.fix ? r.fix : `check \`oc get subscription,csv -n ${o.namespace}\``,
    });
  }
  return r.value;
}
