/**
 * Deleting Kubernetes objects for the teardowns: one call per object, 404 counted as "already
 * gone" (src/cluster/kube.ts `KubeClient.delete` returns false then), one outcome per object.
 */
import type { ObjectRef } from '../../src/cluster/kube.js';
import type { TeardownContext, TeardownOutcome } from './types.js';

/** `Kind namespace/name` (or `Kind name` for cluster-scoped objects), as plans and outcomes show objects. */
export function objectLabel(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/**
 * Deletes one object and says what happened (`deleted`, or `gone` when it did not exist).
 * @param ref apiVersion, kind, name and namespace of the object.
 * @throws mapped kube errors (KubeApiError, UserError `rbac.denied`, ...) other than 404.
 */
export async function deleteObject(ctx: TeardownContext, ref: ObjectRef): Promise<TeardownOutcome> {
  const found = await ctx.services.kube.delete(ref);
  return { what: objectLabel(ref), result: found ? 'deleted' : 'gone' };
}

/**
 * Deletes each object in order, reporting each; stops at the first error (thrown).
 * @param refs the objects, dependants first.
 */
export async function deleteObjects(ctx: TeardownContext, refs: readonly ObjectRef[], report: (o: TeardownOutcome) => void): Promise<void> {
  for (const ref of refs) {
    ctx.signal.throwIfAborted();
    report(await deleteObject(ctx, ref));
  }
}

/** A Namespace reference. */
export function namespaceRef(name: string): ObjectRef {
  return { apiVersion: 'v1', kind: 'Namespace', name };
}

/** A Secret reference. */
export function secretRef(namespace: string, name: string): ObjectRef {
  return { apiVersion: 'v1', kind: 'Secret', name, namespace };
}

/**
 * Reports an asked or kept item as `kept` with its reason, or deletes it.
 * @param item key (for `ctx.keptBecause`), the object, and `keep` (kept whatever was answered).
 */
export async function deleteUnlessKept(
  ctx: TeardownContext,
  item: { key: string; ref: ObjectRef; keep?: string | undefined },
  report: (o: TeardownOutcome) => void,
): Promise<void> {
  const why = item.keep ?? ctx.keptBecause(item.key);
  if (why) return report({ what: objectLabel(item.ref), result: 'kept', why });
  report(await deleteObject(ctx, item.ref));
}
