/**
 * Step `threescale.operator` (STAGES.md §7): namespace `3scale`, an OperatorGroup targeting only
 * that namespace, and the Subscription `3scale-operator` with the channel and catalog source
 * preflight read from the PackageManifest (`status.defaultChannel`, `status.catalogSource`);
 * then a wait for the ClusterServiceVersion `status.phase: Succeeded`.
 */
import { z } from 'zod';
import type { Services } from '../../src/cluster/services.js';
import { UserError } from '../../src/engine/errors.js';
import type { Change, KubeObject, Step, StepContext } from '../../src/engine/types.js';
import { operatorGroupManifest, soleOperatorGroup, subscriptionManifest, verifyInstall, waitForInstall, writeManifest } from '../olm.js';
import type { OlmInstall } from '../olm.js';
import { DEFAULT_NAMESPACES, assertNotBlocked, preflightFacts } from '../preflight-facts.js';
import { KINDS, RFC1123_LABEL, THREESCALE_PACKAGE, manifestChange, minorOfChannel } from './shared.js';
import type { ThreescaleOperatorOutputs } from './shared.js';

/** Inputs: namespace (default `3scale`), channel and catalog source (defaults from the PackageManifest). */
export const operatorInputs = z.object({
  namespace: z.string().default(DEFAULT_NAMESPACES.threescale).refine((v) => v.length <= 63 && RFC1123_LABEL.test(v), { message: 'must be a lowercase RFC 1123 label (e.g. 3scale)' }),
  channel: z.string().min(1).default('threescale-2.16'),
  source: z.string().min(1).default('redhat-operators'),
  sourceNamespace: z.string().min(1).default('openshift-marketplace'),
});
type Inputs = z.infer<typeof operatorInputs>;

type PackageManifest = KubeObject & { status?: { catalogSource?: string; channels?: { name: string }[] } };

function manifests(i: Inputs): { namespace: KubeObject; group: KubeObject; subscription: KubeObject } {
  return {
    namespace: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: i.namespace } },
    group: operatorGroupManifest(i.namespace),
    subscription: subscriptionManifest(THREESCALE_PACKAGE, i),
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

/** The OLM install of 3scale-operator in the chosen namespace. */
function install(i: Inputs): OlmInstall {
  return { pkg: THREESCALE_PACKAGE, namespace: i.namespace, resolutionFix: `check that ${i.source} offers ${THREESCALE_PACKAGE} in channel ${i.channel}` };
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
    const group = await soleOperatorGroup(kube, i.namespace, Boolean(ns));
    const wantedGroup = group ? { ...m.group, metadata: { name: group.metadata.name ?? i.namespace, namespace: i.namespace } } : m.group;
    changes.push(manifestChange(group, wantedGroup, { spec: { targetNamespaces: [i.namespace] } }, `targets only ${i.namespace}`));
    const sub = ns ? await kube.get(KINDS.subscription.apiVersion, KINDS.subscription.kind, THREESCALE_PACKAGE, i.namespace) : undefined;
    changes.push(manifestChange(sub, m.subscription, { spec: { channel: i.channel, source: i.source, sourceNamespace: i.sourceNamespace } }, `channel ${i.channel} from ${i.source}`));
    return changes;
  },
  async apply(ctx, plan) {
    for (const c of plan) await writeManifest(ctx.services.kube, c);
    await waitForInstall(ctx, install(ctx.inputs));
  },
  async verify(ctx) {
    const csv = await verifyInstall(ctx.services.kube, install(ctx.inputs));
    const minor = minorOfChannel(ctx.inputs.channel);
    return { namespace: ctx.inputs.namespace, csv, channel: ctx.inputs.channel, source: ctx.inputs.source, ...(minor === undefined ? {} : { minor }) };
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
