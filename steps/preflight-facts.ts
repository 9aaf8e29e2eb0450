/**
 * The facts preflight hands to later steps (STAGES.md §0), and how a later step asks whether a
 * preflight failure blocks it. Types only plus two small readers; the checks live in
 * preflight-checks.ts.
 */
import type { DefaultsContext, StageId } from '../src/engine/types.js';
import { UserError } from '../src/engine/errors.js';

/** Result of one preflight check. */
export type CheckStatus = 'pass' | 'warn' | 'fail';

/** One check as shown and stored: pass / warn / fail, one sentence, and the fix when not a pass. */
export interface PreflightCheck {
  /** Stable id: `connection`, `openshift`, `permissions`, `openshift-ai`, `operator.rhsso`, `operator.3scale`, `storage.bucket`, `storage.rwx`, `gpu`, `domain`. */
  id: string;
  status: CheckStatus;
  message: string;
  fix?: string;
  /** Stages that cannot run while this check fails (a fail blocks only these). */
  blocks?: StageId[];
}

/** An OLM package found in the catalog (PackageManifest `status`, packages.operators.coreos.com/v1). */
export interface OperatorPackage {
  /** Package name, e.g. `rhsso-operator`, `3scale-operator`. */
  package: string;
  /** `status.defaultChannel`. */
  channel: string;
  /** `status.catalogSource`, e.g. `redhat-operators`. */
  source: string;
  /** `status.catalogSourceNamespace`, e.g. `openshift-marketplace`. */
  sourceNamespace: string;
  /** `status.channels[].name`. */
  channels: string[];
}

/** A toleration for a node taint (core/v1 Toleration). */
export interface Toleration {
  key: string;
  operator: 'Equal' | 'Exists';
  value?: string;
  effect?: string;
}

/** GPUs found on the nodes (`status.allocatable["nvidia.com/gpu"]`, label `nvidia.com/gpu.product`). */
export interface GpuFacts {
  /** Product label of the node with the most GPUs, e.g. `NVIDIA-A10G`. */
  product: string;
  /** Most GPUs allocatable on one node (a model replica must fit on one node). */
  count: number;
  /** GPUs allocatable over all nodes. */
  total: number;
  /** Number of GPU nodes. */
  nodes: number;
  /** Tolerations for the GPU nodes' taints, for InferenceServices. */
  tolerations: Toleration[];
}

/** A StorageClass considered by preflight. */
export interface StorageClassFact {
  name: string;
  provisioner: string;
  /** `rgw` (Ceph object gateway), `noobaa` (Multicloud Object Gateway) for bucket classes. */
  kind?: 'rgw' | 'noobaa';
}

/** The outputs of the preflight step: the facts later steps default from. */
export interface PreflightFacts {
  /** Identity from `users/~` (OpenShift) or a SelfSubjectReview. */
  user: string;
  groups: string[];
  isOpenShift: boolean;
  /** OpenShift version (ClusterVersion `version`), when readable. */
  version?: string;
  /** Wildcard domain (`ingresses.config.openshift.io/cluster` `spec.domain`). */
  domain?: string;
  /** Preferred class for the ObjectBucketClaim: RGW when present, else NooBaa. */
  bucketClass?: string;
  bucketClasses: StorageClassFact[];
  /** First ReadWriteMany-capable class (3scale system storage). */
  rwxClass?: string;
  rwxClasses: StorageClassFact[];
  gpu?: GpuFacts;
  operators: { rhsso?: OperatorPackage; threescale?: OperatorPackage };
  /** KServe management state from the DataScienceCluster, when OpenShift AI is installed. */
  kserve?: string;
  checks: PreflightCheck[];
}

/** Namespaces later stages use by default; preflight checks permissions in these (it has no inputs). */
export const DEFAULT_NAMESPACES = { project: 'llm-hosting', sso: 'rh-sso', threescale: '3scale' } as const;

/** The preflight facts recorded by the engine, if preflight is done. */
export function preflightFacts(ctx: DefaultsContext): PreflightFacts | undefined {
  return ctx.outputs('preflight') as PreflightFacts | undefined;
}

/**
 * Throws when a failed preflight check blocks `stage` (to be called at the start of a later
 * step's plan). Does nothing when preflight has not run.
 * @throws UserError `preflight.blocked` listing the failed checks and their fixes.
 */
export function assertNotBlocked(ctx: DefaultsContext, stage: StageId): void {
  const facts = preflightFacts(ctx);
  const failed = (facts?.checks ?? []).filter((c) => c.status === 'fail' && c.blocks?.includes(stage));
  if (failed.length === 0) return;
  throw new UserError('preflight.blocked', `preflight found problems that block the ${stage} stage: ${failed.map((c) => c.message).join('; ')}`, {
    fix: failed.map((c) => c.fix).filter(Boolean).join('; ') || 'fix what preflight reported and run it again',
  });
}
