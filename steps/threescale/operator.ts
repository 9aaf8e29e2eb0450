/**
 * Step `threescale.operator` (STAGES.md §7): namespace `3scale`, an OperatorGroup targeting only
 * that namespace, and the Subscription `3scale-operator` with the channel and catalog source
 * preflight read from the PackageManifest (`status.defaultChannel`, `status.catalogSource`);
 * then a wait for the ClusterServiceVersion `status.phase: Succeeded`.
 */
import { z } from 'zod';
import type { Services } from '../../src/cluster/services.js';
import { UserError } from '../../src/engine/errors.js';
import type { Change, KubeObject, ProbeResult, Step, StepContext } from '../../src/engine/types.js';
import { DEFAULT_NAMESPACES, assertNotBlocked, preflightFacts } from '../preflight-facts.js';
import { KINDS, RFC1123_LABEL, THREESCALE_PACKAGE, manifestChange, minorOfChannel, writeManifest } from './shared.js';
import type { ThreescaleOperatorOutputs } from './shared.js';

/** Inputs: namespace (default `3scale`), channel and catalog source (defaults from the PackageManifest). */
export const operatorInputs = z.object({
  namespace: z.string().default(DEFAULT_NAMESPACES.threescale).refine((v) => v.length <= 63 && RFC1123_LABEL.test(v), { message: 'must be a lowercase RFC 1123 label (e.g. 3scale)' }),
  channel: z.string().min(1).default('threescale-2.16'),
  source: z.string().min(1).default('redhat-operators'),
  sourceNamespace: z.string().min(1).default('openshift-marketplace'),
});
type Inputs = z.infer<typeof operatorInputs>;

/** Milliseconds the operator install may take (OLM usually needs 60–90 s). */
export const OPERATOR_INSTALL_TIMEOUT_MS = 15 * 60_000;

type Csv = KubeObject & { status?: { phase?: string; reason?: string; message?: string } };
type Subscription = KubeObject & { status?: { installedCSV?: string; currentCSV?: string; state?: string; conditions?: { type: string; status: string; reason?: string; message?: string }[] } };
type PackageManifest = KubeObject & { status?: { catalogSource?: string; channels?: { name: string }[] } };

function manifests(i: Inputs): { namespace: KubeObject; group: KubeObject; subscription: KubeObject } {
  return {
    namespace: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: i.namespace } },
    group: { ...KINDS.operatorGroup, metadata: { name: i.namespace, namespace: i.namespace }, spec: { targetNamespaces: [i.namespace] } },
    subscription: {
      ...KINDS.subscription,
      metadata: { name: THREESCALE_PACKAGE, namespace: i.namespace },
      spec: { name: THREESCALE_PACKAGE, channel: i.channel, source: i.source, sourceNamespace: i.sourceNamespace, installPlanApproval: 'Automatic' },
    },
  };
}

/** @throws UserError `operator.missing` (package not in the catalog) or `operator.channel` (listing the channels). */
async function checkPackage(ctx: StepContext<Inputs, Services>): Promise<void> {
  const { source, sourceNamespace, channel } = ctx.inputs;
  const pm = await ctx.services.kube.get<PackageManifest>(KINDS.packageManifest.apiVersion, KINDS.packageManifest.kind, THREESCALE_PACKAGE, sourceNamespace);
  if (!pm || (pm.status?.catalogSource && pm.status.catalogSource !== source)) {
    throw new UserError('operator.missing', `the package ${THREESCALE_PACKAGE} is not in the catalog ${source} (namespace ${sourceNamespace})${pm ? `; it is in ${pm.status?.catalogSource ?? '?'}` : ''}`, {
      fix: pm ? `choose the catalog source ${pm.status?.catalogSource ?? ''}` : `enable the ${source} CatalogSource in ${sourceNamespace} (or mirror ${THREESCALE_PACKAGE} into your catalog); \`oc get packagemanifest -n ${sourceNamespace} | grep 3scale\``,
    });
  }
  const channels = (pm.status?.channels ?? []).map((c) => c.name);
  if (channels.length > 0 && !channels.includes(channel)) {
    throw new UserError('operator.channel', `the package ${THREESCALE_PACKAGE} has no channel ${channel} in ${source}; it has ${channels.join(', ')}`, { fix: `choose one of: ${channels.join(', ')}`, usage: true });
  }
}

/** Subscription → its CSV → `Succeeded`; failed on ResolutionFailed without a CSV or a `Failed` CSV. */
async function probeInstall(ctx: StepContext<Inputs, Services>): Promise<ProbeResult<string>> {
  const { kube } = ctx.services;
  const ns = ctx.inputs.namespace;
  const sub = await kube.get<Subscription>(KINDS.subscription.apiVersion, KINDS.subscription.kind, THREESCALE_PACKAGE, ns);
  if (!sub) return { state: 'pending', currently: 'Subscription not found yet' };
  const name = sub.status?.installedCSV ?? sub.status?.currentCSV;
  const failed = sub.status?.conditions?.find((c) => c.type === 'ResolutionFailed' && c.status === 'True');
  if (failed && !name) {
    return { state: 'failed', reason: `OLM cannot resolve the Subscription: ${failed.message ?? failed.reason ?? 'ResolutionFailed'}`, fix: `check that ${ctx.inputs.source} offers ${THREESCALE_PACKAGE} in channel ${ctx.inputs.channel}` };
  }
  if (!name) return { state: 'pending', currently: `Subscription ${sub.status?.state ?? 'not resolved yet'}` };
  const csv = await kube.get<Csv>(KINDS.csv.apiVersion, KINDS.csv.kind, name, ns);
  const phase = csv?.status?.phase;
  if (phase === 'Succeeded') return { state: 'done', value: name };
  if (phase === 'Failed') {
    return { state: 'failed', reason: `ClusterServiceVersion ${name} Failed (${csv?.status?.reason ?? ''}): ${csv?.status?.message ?? ''}`, fix: `the OperatorGroup in ${ns} must target only ${ns}: \`oc get operatorgroup -n ${ns} -o yaml\`` };
  }
  return { state: 'pending', currently: `ClusterServiceVersion ${name} ${phase ?? 'not created yet'}` };
}

/** The `threescale.operator` step. */
export const threescaleOperatorStep: Step<Inputs, ThreescaleOperatorOutputs, Services> = {
  id: 'threescale.operator',
  stage: '3scale',
  title: 'Install the 3scale operator',
  needs: ['preflight'],
  inputs: operatorInputs,
  fields: [
    { key: 'namespace', label: 'Namespace of 3scale', kind: 'text', help: 'Where the operator and the APIManager run. Created when absent.' },
    {
      key: 'channel',
      label: 'Operator channel',
      kind: 'select',
      help: 'Update channel of 3scale-operator; the default is the PackageManifest\'s default channel. From threescale-2.16 on, 3scale needs external Redis and a database.',
      choices: (ctx) => (preflightFacts(ctx)?.operators.threescale?.channels ?? ['threescale-2.16']).map((c) => ({ value: c, label: c })),
    },
    { key: 'source', label: 'Catalog source', kind: 'text', help: 'The CatalogSource that offers 3scale-operator (usually redhat-operators).' },
  ],
  defaults(ctx) {
    const pkg = preflightFacts(ctx)?.operators.threescale;
    if (pkg?.package !== THREESCALE_PACKAGE) return {};
    return { channel: pkg.channel, source: pkg.source, sourceNamespace: pkg.sourceNamespace };
  },
  async plan(ctx) {
    assertNotBlocked(ctx, '3scale');
    await checkPackage(ctx);
    const { kube } = ctx.services;
    const i = ctx.inputs;
    const m = manifests(i);
    const ns = await kube.get('v1', 'Namespace', i.namespace);
    const changes: Change[] = [manifestChange(ns, m.namespace, {})];
    const groups = ns ? await kube.list<KubeObject & { spec?: { targetNamespaces?: string[] } }>(KINDS.operatorGroup.apiVersion, KINDS.operatorGroup.kind, i.namespace) : [];
    if (groups.length > 1) {
      throw new UserError('operator.operatorgroups', `namespace ${i.namespace} has ${groups.length} OperatorGroups (${groups.map((g) => g.metadata.name).join(', ')}); OLM installs nothing there (TooManyOperatorGroups)`, { fix: `delete all but one: \`oc get operatorgroup -n ${i.namespace}\`` });
    }
    const group = groups[0];
    const wantedGroup = group ? { ...m.group, metadata: { name: group.metadata.name ?? i.namespace, namespace: i.namespace } } : m.group;
    changes.push(manifestChange(group, wantedGroup, { spec: { targetNamespaces: [i.namespace] } }, `targets only ${i.namespace}`));
    const sub = ns ? await kube.get(KINDS.subscription.apiVersion, KINDS.subscription.kind, THREESCALE_PACKAGE, i.namespace) : undefined;
    changes.push(manifestChange(sub, m.subscription, { spec: { channel: i.channel, source: i.source, sourceNamespace: i.sourceNamespace } }, `channel ${i.channel} from ${i.source}`));
    return changes;
  },
  async apply(ctx, plan) {
    const { kube } = ctx.services;
    for (const c of plan) await writeManifest(kube, c);
    const ns = ctx.inputs.namespace;
    const watch = async (wake: () => void): Promise<() => void> => {
      const stops = await Promise.all([
        kube.watchObjects({ ...KINDS.subscription, namespace: ns, name: THREESCALE_PACKAGE }, () => wake()),
        kube.watchObjects({ ...KINDS.csv, namespace: ns }, () => wake()),
      ]);
      return () => stops.forEach((s) => s());
    };
    await ctx.waitFor(() => probeInstall(ctx), { what: `the ${THREESCALE_PACKAGE} operator in ${ns} (ClusterServiceVersion Succeeded)`, timeoutMs: OPERATOR_INSTALL_TIMEOUT_MS, intervalMs: 500, maxIntervalMs: 10_000, watch });
  },
  async verify(ctx) {
    const r = await probeInstall(ctx);
    if (r.state !== 'done') {
      throw new UserError('operator.not-installed', `the ${THREESCALE_PACKAGE} operator in ${ctx.inputs.namespace} is not installed: ${r.state === 'failed' ? r.reason : r.currently}`, {
        fix: r.state === 'failed' && r.fix ? r.fix : `check \`oc get subscription,csv -n ${ctx.inputs.namespace}\``,
      });
    }
    const minor = minorOfChannel(ctx.inputs.channel);
    return { namespace: ctx.inputs.namespace, csv: r.value, channel: ctx.inputs.channel, source: ctx.inputs.source, ...(minor === undefined ? {} : { minor }) };
  },
  explain: {
    what: 'Creates the 3scale namespace, an OperatorGroup that targets only it, and a Subscription to 3scale-operator; waits until OLM reports the operator\'s ClusterServiceVersion Succeeded.',
    why: '3scale is the API gateway and developer portal in front of the models. Its operator supports the OwnNamespace and SingleNamespace install modes, so its OperatorGroup targets its own namespace.',
    commands: [
      'oc create namespace 3scale',
      'oc apply -f - <<EOF\napiVersion: operators.coreos.com/v1\nkind: OperatorGroup\nmetadata: {name: 3scale, namespace: 3scale}\nspec: {targetNamespaces: [3scale]}\nEOF',
      'oc apply -f - <<EOF\napiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata: {name: 3scale-operator, namespace: 3scale}\nspec: {name: 3scale-operator, channel: threescale-2.16, source: redhat-operators, sourceNamespace: openshift-marketplace, installPlanApproval: Automatic}\nEOF',
      'oc get csv -n 3scale -w',
    ],
  },
};
