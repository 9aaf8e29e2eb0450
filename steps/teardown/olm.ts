/**
 * Removing an operator installed through OLM (the `sso.operator` and `threescale.operator` steps,
 * steps/olm.ts): its Subscription (named after the package), the ClusterServiceVersion it installed
 * (the step's recorded `csv`, else the Subscription's `status.installedCSV`; deleting the CSV stops
 * the operator), and the OperatorGroup named after the namespace; then, separately asked, the
 * namespace. OLM leaves the operator's CustomResourceDefinitions in place (they are cluster-wide
 * and may be shared); so does this.
 */
import type { KubeObject } from '../../src/engine/types.js';
import { OLM_KINDS } from '../olm.js';
import { deleteUnlessKept, namespaceRef } from './kube.js';
import type { TeardownContext, TeardownItem, TeardownOutcome } from './types.js';

/** The items of an operator's teardown, for the plan. */
export function operatorItems(pkg: string, ns: string): TeardownItem[] {
  return [
    { key: 'operator', what: `operator ${pkg} in ${ns}: Subscription, ClusterServiceVersion, OperatorGroup (its CRDs stay)`, ask: 'operator' },
    { key: 'namespace', what: `Namespace ${ns} (and everything left in it)`, ask: 'namespace' },
  ];
}

/**
 * Deletes the operator's Subscription, CSV and OperatorGroup when `operator` is agreed, then the
 * namespace when `namespace` is agreed; reports each.
 * @param recordedCsv the CSV name the step recorded, if any.
 */
export async function removeOperator(ctx: TeardownContext, pkg: string, ns: string, recordedCsv: string | undefined, report: (o: TeardownOutcome) => void): Promise<void> {
  const { kube } = ctx.services;
  const sub = await kube.get<KubeObject & { status?: { installedCSV?: string } }>(OLM_KINDS.subscription.apiVersion, OLM_KINDS.subscription.kind, pkg, ns);
  const csv = recordedCsv ?? sub?.status?.installedCSV;
  const refs = [
    { ...OLM_KINDS.subscription, name: pkg, namespace: ns },
    ...(csv ? [{ ...OLM_KINDS.csv, name: csv, namespace: ns }] : []),
    { ...OLM_KINDS.operatorGroup, name: ns, namespace: ns },
  ];
  for (const ref of refs) await deleteUnlessKept(ctx, { key: 'operator', ref }, report);
  if (!csv && !ctx.keptBecause('operator')) report({ what: `${OLM_KINDS.csv.kind} of ${pkg} in ${ns}`, result: 'gone' });
  await deleteUnlessKept(ctx, { key: 'namespace', ref: namespaceRef(ns) }, report);
}

