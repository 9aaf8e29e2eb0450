/**
 * Step `sso.operator` (STAGES.md §6): the namespace of Red Hat SSO, an OperatorGroup that targets
 * only that namespace (the rhsso-operator supports the OwnNamespace / SingleNamespace install modes
 * only), and the Subscription `rhsso-operator` with the channel and catalog source that preflight
 * read from the PackageManifest; then a wait for the ClusterServiceVersion `status.phase: Succeeded`.
 */
import { z } from 'zod';
import { KubeApiError } from '../../src/cluster/errors.js';
import type { Services } from '../../src/cluster/services.js';
import { UserError } from '../../src/engine/errors.js';
import type { Change, Diagnosis, KubeObject, ProbeResult, Step, StepContext } from '../../src/engine/types.js';
import { DEFAULT_NAMESPACES, assertNotBlocked, preflightFacts } from '../preflight-facts.js';
import { KINDS, RHSSO_PACKAGE, fieldDiff } from './shared.js';
import type { SsoOperatorOutputs } from './shared.js';

const RFC1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Inputs: namespace (default `rh-sso`), channel and catalog source (defaults from the PackageManifest). */
export const operatorInputs = z.object({
  namespace: z
    .string()
    .default(DEFAULT_NAMESPACES.sso)
    .refine((v) => v.length <= 63 && RFC1123_LABEL.test(v), { message: 'must be a lowercase RFC 1123 label (e.g. rh-sso)' }),
  channel: z.string().min(1).default('stable'),
  source: z.string().min(1).default('redhat-operators'),
  sourceNamespace: z.string().min(1).default('openshift-marketplace'),
});
type Inputs = z.infer<typeof operatorInputs>;

/** Milliseconds the operator install may take (OLM usually needs 60–90 s; catalogs can be slow). */
export const OPERATOR_INSTALL_TIMEOUT_MS = 15 * 60_000;

type Csv = KubeObject & { status?: { phase?: string; reason?: string; message?: string } };
type Subscription = KubeObject & {
  spec?: { channel?: string; source?: string; sourceNamespace?: string; name?: string };
  status?: { installedCSV?: string; currentCSV?: string; state?: string; conditions?: { type: string; status: string; reason?: string; message?: string }[] };
};

function operatorGroup(ns: string): KubeObject {
  return { ...KINDS.operatorGroup, metadata: { name: ns, namespace: ns }, spec: { targetNamespaces: [ns] } };
}

function subscription(i: Inputs): KubeObject {
  return {
    ...KINDS.subscription,
    metadata: { name: RHSSO_PACKAGE, namespace: i.namespace },
    spec: { name: RHSSO_PACKAGE, channel: i.channel, source: i.source, sourceNamespace: i.sourceNamespace, installPlanApproval: 'Automatic' },
  };
}

/**
 * Checks that the catalog offers the package and channel.
 * @throws UserError `operator.missing` naming the catalog, or `operator.channel` listing the channels.
 */
async function checkPackage(ctx: StepContext<Inputs, Services>): Promise<void> {
  const { source, sourceNamespace, channel } = ctx.inputs;
  const pm = await ctx.services.kube.get<KubeObject & { status?: { catalogSource?: string; channels?: { name: string }[] } }>(
    KINDS.packageManifest.apiVersion, KINDS.packageManifest.kind, RHSSO_PACKAGE, sourceNamespace,
  );
  if (!pm || (pm.status?.catalogSource && pm.status.catalogSource !== source)) {
    throw new UserError('operator.missing', `the package ${RHSSO_PACKAGE} (Red Hat SSO) is not in the catalog ${source} (namespace ${sourceNamespace})${pm ? `; it is in ${pm.status?.catalogSource ?? '?'}` : ''}`, {
      fix: pm ? `choose the catalog source ${pm.status?.catalogSource ?? ''}` : `enable the ${source} CatalogSource in ${sourceNamespace} (or mirror ${RHSSO_PACKAGE} into your catalog on a disconnected cluster); \`oc get packagemanifest -n ${sourceNamespace} | grep sso\` lists what is there`,
    });
  }
  const channels = (pm.status?.channels ?? []).map((c) => c.name);
  if (channels.length > 0 && !channels.includes(channel)) {
    throw new UserError('operator.channel', `the package ${RHSSO_PACKAGE} has no channel ${channel} in ${source}; it has ${channels.join(', ')}`, { fix: `choose one of: ${channels.join(', ')}` });
  }
}

/** The probe: Subscription resolved → its CSV → `Succeeded` (failed on ResolutionFailed or CSV `Failed`). */
async function probeInstall(ctx: StepContext<Inputs, Services>): Promise<ProbeResult<string>> {
  const { kube } = ctx.services;
  const ns = ctx.inputs.namespace;
  const sub = await kube.get<Subscription>(KINDS.subscription.apiVersion, KINDS.subscription.kind, RHSSO_PACKAGE, ns);
  if (!sub) return { state: 'pending', currently: 'Subscription not found yet' };
  const failed = sub.status?.conditions?.find((c) => c.type === 'ResolutionFailed' && c.status === 'True');
  const name = sub.status?.installedCSV ?? sub.status?.currentCSV;
  if (failed && !name) {
    return { state: 'failed', reason: `OLM cannot resolve the Subscription: ${failed.message ?? failed.reason ?? 'ResolutionFailed'}`, fix: `check that the catalog ${ctx.inputs.source} offers ${RHSSO_PACKAGE} in channel ${ctx.inputs.channel}` };
  }
  if (!name) return { state: 'pending', currently: `Subscription ${sub.status?.state ?? 'not resolved yet'}` };
  const csv = await kube.get<Csv>(KINDS.csv.apiVersion, KINDS.csv.kind, name, ns);
  const phase = csv?.status?.phase;
  if (phase === 'Succeeded') return { state: 'done', value: name };
  if (phase === 'Failed') {
    return { state: 'failed', reason: `ClusterServiceVersion ${name} Failed (${csv?.status?.reason ?? ''}): ${csv?.status?.message ?? ''}`, fix: `the OperatorGroup in ${ns} must target only ${ns}: \`oc get operatorgroup -n ${ns} -o yaml\`` };
  }
  return { state: 'pending', currently: `ClusterServiceVersion ${name} ${phase ?? 'not created yet'}${csv?.status?.reason ? ` (${csv.status.reason})` : ''}` };
}

/** The `sso.operator` step. */
export const ssoOperatorStep: Step<Inputs, SsoOperatorOutputs, Services> = {
  id: 'sso.operator',
  stage: 'sso',
  title: 'Install the Red Hat SSO operator',
  needs: ['preflight'],
  inputs: operatorInputs,
  fields: [
    { key: 'namespace', label: 'Namespace of Red Hat SSO', kind: 'text', help: 'Where the operator, Keycloak and its database run. Created when absent.' },
    { key: 'channel', label: 'Operator channel', kind: 'text', help: 'Update channel of rhsso-operator; the default is the PackageManifest\'s default channel.' },
    { key: 'source', label: 'Catalog source', kind: 'text', help: 'The CatalogSource that offers rhsso-operator (usually redhat-operators).' },
  ],
  defaults(ctx) {
    const pkg = preflightFacts(ctx)?.operators.rhsso;
    if (pkg?.package !== RHSSO_PACKAGE) return {};
    return { channel: pkg.channel, source: pkg.source, sourceNamespace: pkg.sourceNamespace };
  },
  async plan(ctx) {
    const { kube } = ctx.services;
    const i = ctx.inputs;
    await checkPackage(ctx);
    assertNotBlocked(ctx, 'sso');
    const changes: Change[] = [];
    const ns = await kube.get('v1', 'Namespace', i.namespace);
    changes.push(ns
      ? { action: 'none', target: `Namespace ${i.namespace}`, note: 'exists' }
      : { action: 'create', target: `Namespace ${i.namespace}`, manifest: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: i.namespace } } });
    const groups = ns ? await kube.list<KubeObject & { spec?: { targetNamespaces?: string[] } }>(KINDS.operatorGroup.apiVersion, KINDS.operatorGroup.kind, i.namespace) : [];
    const wanted = operatorGroup(i.namespace);
    if (groups.length > 1) {
      throw new UserError('operator.operatorgroups', `namespace ${i.namespace} has ${groups.length} OperatorGroups (${groups.map((g) => g.metadata.name).join(', ')}); OLM installs nothing there (TooManyOperatorGroups)`, {
        fix: `delete all but one: \`oc get operatorgroup -n ${i.namespace}\``,
      });
    }
    const group = groups[0];
    if (!group) {
      changes.push({ action: 'create', target: `OperatorGroup ${i.namespace}/${i.namespace}`, manifest: wanted, note: `targets only ${i.namespace} (rhsso-operator supports OwnNamespace and SingleNamespace)` });
    } else if (group.spec?.targetNamespaces?.length === 1 && group.spec.targetNamespaces[0] === i.namespace) {
      changes.push({ action: 'none', target: `OperatorGroup ${i.namespace}/${group.metadata.name ?? ''}`, note: `targets ${i.namespace}` });
    } else {
      const diff = fieldDiff(group as Record<string, unknown>, { spec: { targetNamespaces: [i.namespace] } });
      changes.push({ action: 'update', target: `OperatorGroup ${i.namespace}/${group.metadata.name ?? ''}`, manifest: { ...KINDS.operatorGroup, metadata: { name: group.metadata.name ?? '', namespace: i.namespace }, spec: { targetNamespaces: [i.namespace] } }, diff, note: 'rhsso-operator cannot watch all namespaces' });
    }
    const sub = ns ? await kube.get<Subscription>(KINDS.subscription.apiVersion, KINDS.subscription.kind, RHSSO_PACKAGE, i.namespace) : undefined;
    const wantedSub = subscription(i);
    if (!sub) {
      changes.push({ action: 'create', target: `Subscription ${i.namespace}/${RHSSO_PACKAGE}`, manifest: wantedSub, note: `channel ${i.channel} from ${i.source}` });
    } else {
      const diff = fieldDiff(sub as Record<string, unknown>, { spec: { channel: i.channel, source: i.source, sourceNamespace: i.sourceNamespace } });
      changes.push(diff.length === 0
        ? { action: 'none', target: `Subscription ${i.namespace}/${RHSSO_PACKAGE}`, note: `channel ${i.channel} from ${i.source}` }
        : { action: 'update', target: `Subscription ${i.namespace}/${RHSSO_PACKAGE}`, manifest: wantedSub, diff });
    }
    return changes;
  },
  async apply(ctx, plan) {
    const { kube } = ctx.services;
    for (const c of plan) {
      if (c.action === 'none' || !c.manifest) continue;
      if (c.action === 'create') {
        try {
          await kube.create(c.manifest);
        } catch (err) {
          // Created meanwhile (another wizard, a person): the wait below checks what matters.
          if (!(err instanceof KubeApiError && err.status === 409)) throw err;
        }
      } else {
        const m = c.manifest;
        await kube.mergePatch({ apiVersion: m.apiVersion, kind: m.kind, name: m.metadata.name ?? '', namespace: ctx.inputs.namespace }, { spec: m['spec'] });
      }
    }
    const ns = ctx.inputs.namespace;
    const watch = async (wake: () => void): Promise<() => void> => {
      const stops = await Promise.all([
        kube.watchObjects({ ...KINDS.subscription, namespace: ns, name: RHSSO_PACKAGE }, () => wake()),
        kube.watchObjects({ ...KINDS.csv, namespace: ns }, () => wake()),
      ]);
      return () => stops.forEach((s) => s());
    };
    await ctx.waitFor(() => probeInstall(ctx), { what: `the ${RHSSO_PACKAGE} operator in ${ns} (ClusterServiceVersion Succeeded)`, timeoutMs: OPERATOR_INSTALL_TIMEOUT_MS, intervalMs: 500, maxIntervalMs: 10_000, watch });
  },
  async verify(ctx) {
    const r = await probeInstall(ctx);
    if (r.state !== 'done') {
      throw new UserError('operator.not-installed', `the ${RHSSO_PACKAGE} operator in ${ctx.inputs.namespace} is not installed: ${r.state === 'failed' ? r.reason : r.currently}`, {
        fix: r.state === 'failed' && r.fix ? r.fix : `check \`oc get subscription,csv -n ${ctx.inputs.namespace}\``,
      });
    }
    return { namespace: ctx.inputs.namespace, csv: r.value, channel: ctx.inputs.channel, source: ctx.inputs.source };
  },
  async diagnose(ctx, error): Promise<Diagnosis | undefined> {
    const message = error instanceof Error ? `${error.message} ${error.cause instanceof Error ? error.cause.message : ''}` : String(error);
    if (/ConstraintsNotSatisfiable|no operators found|not in the catalog/.test(message)) {
      return {
        summary: `OLM cannot find ${RHSSO_PACKAGE} in the catalog ${ctx.inputs.source} (${ctx.inputs.sourceNamespace})`,
        fix: `check \`oc get packagemanifest ${RHSSO_PACKAGE} -n ${ctx.inputs.sourceNamespace}\` and choose the catalog source and channel it shows`,
      };
    }
    return undefined;
  },
  explain: {
    what: 'Creates the rh-sso namespace, an OperatorGroup that targets only it, and a Subscription to rhsso-operator; waits until OLM reports the operator\'s ClusterServiceVersion Succeeded.',
    why: 'The Red Hat SSO operator runs Keycloak for the developer portal\'s sign-in. It supports only the OwnNamespace and SingleNamespace install modes, so its OperatorGroup must target its own namespace.',
    commands: [
      'oc create namespace rh-sso',
      'oc apply -f - <<EOF\napiVersion: operators.coreos.com/v1\nkind: OperatorGroup\nmetadata: {name: rh-sso, namespace: rh-sso}\nspec: {targetNamespaces: [rh-sso]}\nEOF',
      'oc apply -f - <<EOF\napiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata: {name: rhsso-operator, namespace: rh-sso}\nspec: {name: rhsso-operator, channel: stable, source: redhat-operators, sourceNamespace: openshift-marketplace, installPlanApproval: Automatic}\nEOF',
      'oc get csv -n rh-sso -w',
    ],
  },
};
