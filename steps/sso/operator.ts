/**
 * Step `sso.operator` (STAGES.md §6): the namespace of Red Hat SSO, an OperatorGroup that targets
 * only that namespace (the rhsso-operator supports the OwnNamespace / SingleNamespace install modes
 * only), and the Subscription `rhsso-operator` with the channel and catalog source that preflight
 * read from the PackageManifest; then a wait for the ClusterServiceVersion `status.phase: Succeeded`.
 */
import { z } from 'zod';
import type { Services } from '../../src/cluster/services.js';
import { UserError } from '../../src/engine/errors.js';
import type { Change, Diagnosis, KubeObject, Step, StepContext } from '../../src/engine/types.js';
import { operatorGroupManifest, soleOperatorGroup, subscriptionManifest, verifyInstall, waitForInstall, writeManifest } from '../olm.js';
import type { OlmInstall } from '../olm.js';
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

type Subscription = KubeObject & { spec?: { channel?: string; source?: string; sourceNamespace?: string; name?: string } };

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

/** The OLM install of rhsso-operator in the chosen namespace. */
function install(i: Inputs): OlmInstall {
  return { pkg: RHSSO_PACKAGE, namespace: i.namespace, resolutionFix: `check that the catalog ${i.source} offers ${RHSSO_PACKAGE} in channel ${i.channel}`, pendingReason: true };
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
    const wanted = operatorGroupManifest(i.namespace);
    const group = await soleOperatorGroup(kube, i.namespace, Boolean(ns));
    if (!group) {
      changes.push({ action: 'create', target: `OperatorGroup ${i.namespace}/${i.namespace}`, manifest: wanted, note: `targets only ${i.namespace} (rhsso-operator supports OwnNamespace and SingleNamespace)` });
    } else if (group.spec?.targetNamespaces?.length === 1 && group.spec.targetNamespaces[0] === i.namespace) {
      changes.push({ action: 'none', target: `OperatorGroup ${i.namespace}/${group.metadata.name ?? ''}`, note: `targets ${i.namespace}` });
    } else {
      const diff = fieldDiff(group as Record<string, unknown>, { spec: { targetNamespaces: [i.namespace] } });
      changes.push({ action: 'update', target: `OperatorGroup ${i.namespace}/${group.metadata.name ?? ''}`, manifest: { ...KINDS.operatorGroup, metadata: { name: group.metadata.name ?? '', namespace: i.namespace }, spec: { targetNamespaces: [i.namespace] } }, diff, note: 'rhsso-operator cannot watch all namespaces' });
    }
    const sub = ns ? await kube.get<Subscription>(KINDS.subscription.apiVersion, KINDS.subscription.kind, RHSSO_PACKAGE, i.namespace) : undefined;
    const wantedSub = subscriptionManifest(RHSSO_PACKAGE, i);
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
    // A 409 means created meanwhile (another wizard, a person): the wait checks what matters.
    for (const c of plan) await writeManifest(ctx.services.kube, c, c.manifest, 'skip');
    await waitForInstall(ctx, install(ctx.inputs));
  },
  async verify(ctx) {
    const csv = await verifyInstall(ctx.services.kube, install(ctx.inputs));
    return { namespace: ctx.inputs.namespace, csv, channel: ctx.inputs.channel, source: ctx.inputs.source };
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
