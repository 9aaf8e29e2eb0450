/**
 * Simulated Operator Lifecycle Manager (OLM): Subscription → InstallPlan → ClusterServiceVersion.
 *
 * Behaviour and wording follow operator-framework/operator-lifecycle-manager:
 * - resolution against the PackageManifests of the Subscription's catalog source; a miss sets the
 *   Subscription condition `ResolutionFailed=True`, reason `ConstraintsNotSatisfiable`, message
 *   `constraints not satisfiable: no operators found in package P in the catalog referenced by
 *   subscription S, subscription S exists` (resolver.go; variants for catalog and channel);
 * - InstallPlan `install-xxxxx` (`Complete`; `RequiresApproval` with `installPlanApproval: Manual`
 *   until `spec.approved`), then Subscription `state: AtLatestKnown`, `installedCSV`, `currentCSV`;
 * - CSV phases `Pending` (RequirementsUnknown) → `InstallReady` (RequirementsMet) → `Installing`
 *   (InstallSucceeded, "waiting for install components to report healthy") → `Succeeded`;
 * - OperatorGroup checks (olm/operator.go, InstallModeSet.Supports): none → `Failed`
 *   `NoOperatorGroup` "csv in namespace with no operatorgroups"; several → `TooManyOperatorGroups`;
 *   a namespace selection the CSV's install modes do not support → `Failed`
 *   `UnsupportedOperatorGroup` ("AllNamespaces InstallModeType not supported, cannot configure to
 *   watch all namespaces", ...). Fixing the OperatorGroup moves the CSV back to `Pending`.
 * On `Succeeded` the package's kinds become served (`kinds.markInstalled`, SIMULATOR.md §1).
 * Durations: DURATIONS.operatorInstall split over the steps.
 */
import type { StoredObject } from '../types.js';
import { DURATIONS } from '../durations.js';
import type { OperatorContext, SimOperator } from './context.js';
import { Controller, keyOf, splitKey } from './controller.js';
import type { Key } from './controller.js';
import { catalogPackage } from './catalog.js';
import { ownerRef, randomSuffix, rfc3339, setCondition } from './objects.js';
import type { Condition } from './objects.js';

const T = DURATIONS.operatorInstall;
/** Share of the install time each step takes (sums to 1). */
const STEP = { resolve: 0.1, installPlan: 0.1, pending: 0.2, installReady: 0.1, installing: 0.5 };

/** Label OLM puts on a CSV and its Subscription: `operators.coreos.com/<package>.<namespace>`. */
export function packageLabel(pkg: string, namespace: string): string {
  return `operators.coreos.com/${pkg}.${namespace}`;
}

/** The package a CSV belongs to, from its `operators.coreos.com/<package>.<namespace>` label. */
export function packageOfCsv(csv: StoredObject): string | undefined {
  const ns = csv.metadata.namespace ?? '';
  for (const key of Object.keys(csv.metadata.labels ?? {})) {
    const m = /^operators\.coreos\.com\/(.+)$/.exec(key);
    if (m?.[1]?.endsWith(`.${ns}`)) return m[1].slice(0, -(ns.length + 1));
  }
  return undefined;
}

/**
 * True when an installed (`Succeeded`) CSV of `pkg` watches `namespace`: its OperatorGroup's
 * targets (annotation `olm.targetNamespaces`) include it, or are all namespaces (`""`).
 * An operator whose OperatorGroup does not target a namespace does not reconcile there (SIMULATOR.md §1).
 */
export function operatorWatches(ctl: Controller, pkg: string, namespace: string): boolean {
  return ctl.objects.list('ClusterServiceVersion').some((csv) => {
    if (packageOfCsv(csv) !== pkg) return false;
    if ((csv['status'] as { phase?: string } | undefined)?.phase !== 'Succeeded') return false;
    const targets = (csv.metadata.annotations?.['olm.targetNamespaces'] ?? '').split(',');
    return targets.includes('') || targets.includes(namespace);
  });
}

interface SubSpec { name?: string; channel?: string; source?: string; sourceNamespace?: string; installPlanApproval?: string; startingCSV?: string }
interface ManifestStatus { catalogSource?: string; defaultChannel?: string; channels?: { name: string; currentCSV: string; currentCSVDesc?: { version?: string; displayName?: string; installModes?: { type: string; supported: boolean }[] } }[] }

type Resolution = { ok: true; csv: string; version: string; displayName: string; installModes: { type: string; supported: boolean }[] } | { ok: false; message: string };

function resolve(ctl: Controller, sub: StoredObject): Resolution {
  const spec = (sub['spec'] ?? {}) as SubSpec;
  const name = sub.metadata.name;
  const sourceNs = spec.sourceNamespace ?? 'openshift-marketplace';
  const inCatalog = ctl.objects.list('PackageManifest', sourceNs).filter((m) => (m['status'] as ManifestStatus | undefined)?.catalogSource === spec.source);
  const fail = (m: string): Resolution => ({ ok: false, message: `constraints not satisfiable: ${m}, subscription ${name} exists` });
  if (inCatalog.length === 0) return fail(`no operators found from catalog ${spec.source ?? ''} in namespace ${sourceNs} referenced by subscription ${name}`);
  const pm = inCatalog.find((m) => m.metadata.name === spec.name);
  if (!pm) return fail(`no operators found in package ${spec.name ?? ''} in the catalog referenced by subscription ${name}`);
  const st = pm['status'] as ManifestStatus;
  const channelName = spec.channel ?? st.defaultChannel ?? '';
  const channel = st.channels?.find((c) => c.name === channelName);
  if (!channel) return fail(`no operators found in channel ${channelName} of package ${spec.name ?? ''} in the catalog referenced by subscription ${name}`);
  return { ok: true, csv: channel.currentCSV, version: channel.currentCSVDesc?.version ?? '', displayName: channel.currentCSVDesc?.displayName ?? spec.name ?? '', installModes: channel.currentCSVDesc?.installModes ?? [] };
}

const healthy: Condition = { type: 'CatalogSourcesUnhealthy', status: 'False', reason: 'AllCatalogSourcesHealthy', message: 'all available catalogsources are healthy' };

function reconcileSubscription(key: Key, ctl: Controller): void {
  const { namespace, name } = splitKey(key);
  const o = ctl.objects;
  const sub = o.get('Subscription', namespace, name);
  if (!sub) return ctl.cancelAll(key);
  const spec = (sub['spec'] ?? {}) as SubSpec;
  const status = (sub['status'] ?? {}) as { installPlanRef?: { name: string }; installedCSV?: string; state?: string };
  const res = resolve(ctl, sub);
  if (!res.ok) {
    if (status.installedCSV) return;
    o.setStatus('Subscription', namespace, name, (s) => {
      s['conditions'] = setCondition(setCondition(s['conditions'] as Condition[] | undefined, healthy), { type: 'ResolutionFailed', status: 'True', reason: 'ConstraintsNotSatisfiable', message: res.message });
      s['lastUpdated'] = rfc3339();
    });
    return;
  }
  if (!status.installPlanRef) {
    ctl.after(key, 'resolve', T * STEP.resolve, () => createInstallPlan(ctl, sub, res.csv, spec));
    return;
  }
  const ip = o.get('InstallPlan', namespace, status.installPlanRef.name);
  if (!ip) return;
  const ipSpec = ip['spec'] as { approved?: boolean };
  const ipPhase = (ip['status'] as { phase?: string } | undefined)?.phase;
  if (ipPhase === 'RequiresApproval' && ipSpec.approved) o.setStatus('InstallPlan', namespace, ip.metadata.name, (s) => ({ ...s, phase: 'Installing' }));
  if (ipPhase === 'Installing' && ipSpec.approved) {
    ctl.after(key, 'installplan', T * STEP.installPlan, () => completeInstallPlan(ctl, key, res));
  }
}

function createInstallPlan(ctl: Controller, sub: StoredObject, csv: string, spec: SubSpec): void {
  const o = ctl.objects;
  const ns = sub.metadata.namespace ?? '';
  const manual = spec.installPlanApproval === 'Manual';
  const ip = o.ensure('InstallPlan', {
    metadata: { name: `install-${randomSuffix(5)}`, namespace: ns, ownerReferences: [{ ...ownerRef(sub), controller: false }], labels: { [packageLabel(spec.name ?? '', ns)]: '' } },
    spec: { approval: manual ? 'Manual' : 'Automatic', approved: !manual, clusterServiceVersionNames: [csv], generation: 1 },
  });
  o.setStatus('InstallPlan', ns, ip.metadata.name, () => ({
    phase: manual ? 'RequiresApproval' : 'Installing', catalogSources: [spec.source ?? ''], bundleLookups: [],
    conditions: manual ? [] : [{ type: 'Installed', status: 'Unknown', lastTransitionTime: rfc3339(), lastUpdateTime: rfc3339() }],
  }));
  o.setStatus('Subscription', ns, sub.metadata.name, (s) => {
    let conds = setCondition(s['conditions'] as Condition[] | undefined, healthy);
    conds = conds.filter((c) => c.type !== 'ResolutionFailed');
    if (manual) conds = setCondition(conds, { type: 'InstallPlanPending', status: 'True', reason: 'RequiresApproval' });
    return {
      ...s, conditions: conds, currentCSV: csv, state: 'UpgradePending', installPlanGeneration: 1, lastUpdated: rfc3339(),
      installPlanRef: { apiVersion: ip.apiVersion, kind: 'InstallPlan', name: ip.metadata.name, namespace: ns, resourceVersion: ip.metadata.resourceVersion, uid: ip.metadata.uid },
      installplan: { apiVersion: ip.apiVersion, kind: 'InstallPlan', name: ip.metadata.name, uuid: ip.metadata.uid },
      catalogHealth: [{ catalogSourceRef: { apiVersion: 'operators.coreos.com/v1alpha1', kind: 'CatalogSource', name: spec.source, namespace: spec.sourceNamespace ?? 'openshift-marketplace' }, healthy: true, lastUpdated: rfc3339() }],
    };
  });
}

/** One `spec.install.spec.deployments[]` entry of a CSV (name + a Deployment spec with its pod template). */
function deploymentSpec(name: string): Record<string, unknown> {
  return {
    name,
    spec: {
      replicas: 1,
      selector: { matchLabels: { name } },
      template: { metadata: { labels: { name } }, spec: { serviceAccountName: name, containers: [{ name: 'manager', image: `registry.redhat.io/${name}:latest` }] } },
    },
  };
}

function completeInstallPlan(ctl: Controller, key: Key, res: Extract<Resolution, { ok: true }>): void {
  const { namespace, name } = splitKey(key);
  const o = ctl.objects;
  const sub = o.get('Subscription', namespace, name);
  const ipName = (sub?.['status'] as { installPlanRef?: { name: string } } | undefined)?.installPlanRef?.name;
  if (!sub || !ipName || !namespace) return;
  const pkg = ((sub['spec'] ?? {}) as SubSpec).name ?? '';
  const catalog = catalogPackage(pkg);
  o.ensure('ClusterServiceVersion', {
    metadata: { name: res.csv, namespace, labels: { [packageLabel(pkg, namespace)]: '', 'olm.managed': 'true' }, annotations: { 'olm.operatorNamespace': namespace } },
    spec: {
      displayName: res.displayName, version: res.version, installModes: res.installModes, maturity: 'stable', provider: { name: 'Red Hat' },
      customresourcedefinitions: { owned: catalog?.owned ?? [] },
      install: { strategy: 'deployment', spec: { deployments: [deploymentSpec(catalog?.deployment ?? pkg)] } },
    },
  });
  o.setStatus('InstallPlan', namespace, ipName, (s) => ({
    ...s, phase: 'Complete',
    conditions: [{ type: 'Installed', status: 'True', lastTransitionTime: rfc3339(), lastUpdateTime: rfc3339() }],
    plan: [{ resolving: res.csv, status: 'Created', resource: { group: 'operators.coreos.com', version: 'v1alpha1', kind: 'ClusterServiceVersion', name: res.csv, sourceName: 'redhat-operators', sourceNamespace: 'openshift-marketplace' } }],
  }));
  o.setStatus('Subscription', namespace, name, (s) => ({
    ...s, state: 'AtLatestKnown', installedCSV: res.csv, currentCSV: res.csv, lastUpdated: rfc3339(),
    conditions: ((s['conditions'] as Condition[] | undefined) ?? []).filter((c) => c.type !== 'InstallPlanPending'),
  }));
}

/** InstallModeSet.Supports of OLM: why the namespace selection is unsupported, or undefined when it is supported. */
export function unsupportedSelection(modes: { type: string; supported: boolean }[], operatorNamespace: string, targets: string[]): string | undefined {
  const has = (t: string): boolean => modes.some((m) => m.type === t && m.supported);
  if (targets.length === 0) return 'operatorgroup has invalid selected namespaces, cannot configure to watch zero namespaces';
  if (targets.length === 1) {
    const t = targets[0];
    if (t === operatorNamespace) return has('OwnNamespace') ? undefined : 'OwnNamespace InstallModeType not supported, cannot configure to watch own namespace';
    if (t === '') return has('AllNamespaces') ? undefined : 'AllNamespaces InstallModeType not supported, cannot configure to watch all namespaces';
    return has('SingleNamespace') ? undefined : 'SingleNamespace InstallModeType not supported, cannot configure to watch one namespace';
  }
  if (!has('MultiNamespace')) return `MultiNamespace InstallModeType not supported, cannot configure to watch ${targets.length} namespaces`;
  if (targets.includes(operatorNamespace) && !has('OwnNamespace')) return 'OwnNamespace InstallModeType not supported, cannot configure to watch own namespace';
  return undefined;
}

const OG_REASONS = new Set(['NoOperatorGroup', 'TooManyOperatorGroups', 'UnsupportedOperatorGroup']);

function reconcileCsv(key: Key, ctl: Controller): void {
  const { namespace, name } = splitKey(key);
  const o = ctl.objects;
  const csv = o.get('ClusterServiceVersion', namespace, name);
  if (!csv || !namespace) return ctl.cancelAll(key);
  const status = (csv['status'] ?? {}) as { phase?: string; reason?: string };
  const pkg = packageOfCsv(csv);
  if (status.phase === 'Succeeded') {
    if (pkg) ctl.ctx.kinds.markInstalled(pkg);
    return;
  }
  const setPhase = (phase: string, reason: string, message: string): void => {
    o.setStatus('ClusterServiceVersion', namespace, name, (s) => {
      const now = rfc3339();
      const conditions = [...((s['conditions'] as unknown[] | undefined) ?? []), { phase, reason, message, lastTransitionTime: now, lastUpdateTime: now }];
      return { ...s, phase, reason, message, lastTransitionTime: now, lastUpdateTime: now, conditions, requirementStatus: s['requirementStatus'] ?? [] };
    });
  };
  const groups = o.list('OperatorGroup', namespace);
  let failure: [string, string] | undefined;
  if (groups.length === 0) failure = ['NoOperatorGroup', 'csv in namespace with no operatorgroups'];
  else if (groups.length > 1) failure = ['TooManyOperatorGroups', "csv created in namespace with multiple operatorgroups, can't pick one automatically"];
  else {
    const og = groups[0] as StoredObject;
    const ogSpec = (og['spec'] ?? {}) as { targetNamespaces?: string[] };
    const targets = ogSpec.targetNamespaces && ogSpec.targetNamespaces.length > 0 ? ogSpec.targetNamespaces : [''];
    const joined = targets.join(',');
    o.setStatus('OperatorGroup', namespace, og.metadata.name, (s) => ({ ...s, namespaces: targets, lastUpdated: (s['lastUpdated'] as string | undefined) ?? rfc3339() }));
    if (csv.metadata.annotations?.['olm.targetNamespaces'] !== joined || csv.metadata.annotations['olm.operatorGroup'] !== og.metadata.name) {
      o.update('ClusterServiceVersion', namespace, name, (c) => {
        c.metadata.annotations = { ...(c.metadata.annotations ?? {}), 'olm.operatorGroup': og.metadata.name, 'olm.operatorNamespace': namespace, 'olm.targetNamespaces': joined };
      });
      return;
    }
    const modes = ((csv['spec'] as { installModes?: { type: string; supported: boolean }[] } | undefined)?.installModes) ?? [];
    const why = unsupportedSelection(modes, namespace, targets);
    if (why) failure = ['UnsupportedOperatorGroup', why];
  }
  if (failure) {
    ctl.cancelAll(key);
    if (status.phase !== 'Failed' || status.reason !== failure[0]) setPhase('Failed', failure[0], failure[1]);
    return;
  }
  switch (status.phase) {
    case undefined:
    case '':
      return setPhase('Pending', 'RequirementsUnknown', 'requirements not yet checked');
    case 'Failed':
      if (status.reason && OG_REASONS.has(status.reason)) setPhase('Pending', 'RequirementsUnknown', 'requirements not yet checked');
      return;
    case 'Pending':
      return ctl.after(key, 'pending', T * STEP.pending, () => advance(ctl, key, 'Pending', () => setPhase('InstallReady', 'RequirementsMet', 'all requirements found, attempting install')));
    case 'InstallReady':
      return ctl.after(key, 'installready', T * STEP.installReady, () => advance(ctl, key, 'InstallReady', () => {
        operatorDeployment(ctl, csv, false);
        setPhase('Installing', 'InstallSucceeded', 'waiting for install components to report healthy');
      }));
    case 'Installing':
      return ctl.after(key, 'installing', T * STEP.installing, () => advance(ctl, key, 'Installing', () => {
        operatorDeployment(ctl, csv, true);
        // The CRDs exist before the CSV reports Succeeded: whoever sees Succeeded finds the kinds served.
        if (pkg) ctl.ctx.kinds.markInstalled(pkg);
        setPhase('Succeeded', 'InstallSucceeded', 'install strategy completed with no errors');
      }));
  }
}

function advance(ctl: Controller, key: Key, from: string, fn: () => void): void {
  const { namespace, name } = splitKey(key);
  const csv = ctl.objects.get('ClusterServiceVersion', namespace, name);
  if ((csv?.['status'] as { phase?: string } | undefined)?.phase === from) fn();
}

function operatorDeployment(ctl: Controller, csv: StoredObject, ready: boolean): void {
  const ns = csv.metadata.namespace ?? '';
  const deployments = (csv['spec'] as { install?: { spec?: { deployments?: { name: string }[] } } }).install?.spec?.deployments ?? [];
  for (const d of deployments) {
    ctl.objects.ensure('Deployment', {
      metadata: { name: d.name, namespace: ns, labels: { 'olm.owner': csv.metadata.name, 'olm.owner.kind': 'ClusterServiceVersion', 'olm.owner.namespace': ns } },
      spec: { replicas: 1, selector: { matchLabels: { name: d.name } }, template: { metadata: { labels: { name: d.name } }, spec: { containers: [{ name: 'manager', image: `registry.redhat.io/${d.name}:latest` }] } } },
    });
    ctl.objects.setStatus('Deployment', ns, d.name, () => ready
      ? { observedGeneration: 1, replicas: 1, readyReplicas: 1, availableReplicas: 1, updatedReplicas: 1, conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }] }
      : { observedGeneration: 1, replicas: 1, updatedReplicas: 1, unavailableReplicas: 1, conditions: [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' }] });
  }
}

/** Creates the simulated OLM: two controllers (Subscriptions, ClusterServiceVersions). */
export function createOlmOperator(ctx: OperatorContext): SimOperator {
  let subs: Controller | undefined;
  const subCtl: Controller = new Controller(ctx, {
    name: 'olm-catalog-operator',
    primary: 'Subscription',
    watches: [
      { kind: 'PackageManifest', map: () => subCtl.objects.list('Subscription').map(keyOf) },
      { kind: 'InstallPlan', map: (e) => subCtl.objects.list('Subscription', e.object.metadata.namespace).map(keyOf) },
    ],
    reconcile: reconcileSubscription,
  });
  subs = subCtl;
  const csvCtl: Controller = new Controller(ctx, {
    name: 'olm-operator',
    primary: 'ClusterServiceVersion',
    watches: [{ kind: 'OperatorGroup', map: (e) => csvCtl.objects.list('ClusterServiceVersion', e.object.metadata.namespace).map(keyOf) }],
    reconcile: reconcileCsv,
    // After a restart from a state directory, kinds of installed operators are served at once.
    onStart(c) {
      for (const csv of c.objects.list('ClusterServiceVersion')) {
        const pkg = packageOfCsv(csv);
        if (pkg && (csv['status'] as { phase?: string } | undefined)?.phase === 'Succeeded') ctx.kinds.markInstalled(pkg);
      }
    },
  });
  return {
    name: 'olm',
    start() {
      subs?.start();
      csvCtl.start();
    },
    stop() {
      subs?.stop();
      csvCtl.stop();
      subs = undefined;
    },
  };
}
