/**
 * Schemas of the OLM kinds (operators.coreos.com), read from operator-framework/api's CRDs:
 * - Subscription v1alpha1: `spec` required; `spec.name`, `spec.source`, `spec.sourceNamespace`
 *   required strings; `channel`, `startingCSV`, `installPlanApproval` strings.
 * - OperatorGroup v1: `targetNamespaces` a string list; `upgradeStrategy` one of Default,
 *   TechPreviewUnsafeFailForward (default Default, and `spec` itself defaults to that); `selector` a
 *   label selector.
 */
import { bool, kindSchema, labelSelector, obj, oneOfStrings, str, stringList } from './common.js';
import type { JsonSchema } from './common.js';

/** Subscription (operators.coreos.com/v1alpha1): `spec` with name, source, sourceNamespace required. */
export const subscription: JsonSchema = kindSchema(
  obj(
    { name: str, source: str, sourceNamespace: str, channel: str, startingCSV: str, installPlanApproval: str, config: { type: 'object' } },
    ['name', 'source', 'sourceNamespace'],
  ),
  ['spec'],
);

/** OperatorGroup (operators.coreos.com/v1): nothing required; `upgradeStrategy` an enum with a default. */
export const operatorGroup: JsonSchema = kindSchema({
  ...obj({
    targetNamespaces: stringList,
    selector: labelSelector,
    serviceAccountName: str,
    staticProvidedAPIs: bool,
    upgradeStrategy: { ...oneOfStrings('Default', 'TechPreviewUnsafeFailForward'), default: 'Default' },
  }),
  default: { upgradeStrategy: 'Default' },
});
