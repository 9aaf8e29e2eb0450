/**
 * Teardown of the serving stage (STAGES.md §5), `serving.<short>`: the InferenceService (the
 * serving step's own `destroy` deletes it; KServe then removes the predictor Deployment and Service
 * it owns), then the ServingRuntime once no InferenceService of the namespace names it in
 * `spec.predictor.model.runtime` (models of one runtime share it).
 */
import { projectNamespace } from '../storage/inputs.js';
import { deleteObject, objectLabel } from './kube.js';
import type { Teardown, TeardownContext, TeardownOutcome } from './types.js';

const ISVC = { apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService' } as const;
const RUNTIME = { apiVersion: 'serving.kserve.io/v1alpha1', kind: 'ServingRuntime' } as const;

interface Where {
  namespace: string;
  name: string;
  /** ServingRuntime name from the step's recorded outputs (`runtime`), when it finished. */
  runtime?: string;
}

function whereOf(ctx: TeardownContext): Where {
  const out = ctx.outputs(ctx.stepId) as { runtime?: unknown; served?: unknown } | undefined;
  const short = ctx.stepId.slice('serving.'.length);
  return {
    namespace: String(ctx.inputs['namespace'] ?? projectNamespace(ctx)),
    name: String(ctx.inputs['name'] ?? short),
    ...(typeof out?.runtime === 'string' && out.runtime !== '' ? { runtime: out.runtime } : {}),
  };
}

/** Deletes the ServingRuntime unless another InferenceService still uses it. */
async function deleteRuntime(ctx: TeardownContext, w: Where, report: (o: TeardownOutcome) => void): Promise<void> {
  if (!w.runtime) return;
  const ref = { ...RUNTIME, name: w.runtime, namespace: w.namespace };
  type Isvc = { metadata: { name?: string }; spec?: { predictor?: { model?: { runtime?: string } } } };
  const users = (await ctx.services.kube.list<Isvc & { apiVersion: string; kind: string }>(ISVC.apiVersion, ISVC.kind, w.namespace))
    .filter((i) => i.metadata.name !== w.name && i.spec?.predictor?.model?.runtime === w.runtime)
    .map((i) => i.metadata.name ?? '');
  if (users.length > 0) return report({ what: objectLabel(ref), result: 'kept', why: `still used by InferenceService ${users.join(', ')}` });
  report(await deleteObject(ctx, ref));
}

/** `serving.<short>`. */
export const servingTeardown: Teardown = {
  describe(ctx) {
    const w = whereOf(ctx);
    return [
      { key: 'isvc', what: `InferenceService ${w.namespace}/${w.name}` },
      ...(w.runtime ? [{ key: 'runtime', what: `ServingRuntime ${w.namespace}/${w.runtime} (unless another model uses it)` }] : []),
    ];
  },
  async run(ctx, report) {
    const w = whereOf(ctx);
    report(await deleteObject(ctx, { ...ISVC, name: w.name, namespace: w.namespace }));
    await deleteRuntime(ctx, w, report);
  },
  async afterOwn(ctx, report) {
    const w = whereOf(ctx);
    const left = await ctx.services.kube.get(ISVC.apiVersion, ISVC.kind, w.name, w.namespace);
    // The step's own destroy has run; a second delete of what is still there (Terminating) is harmless.
    report(left ? await deleteObject(ctx, { ...ISVC, name: w.name, namespace: w.namespace }) : { what: objectLabel({ ...ISVC, name: w.name, namespace: w.namespace }), result: 'deleted' });
    await deleteRuntime(ctx, w, report);
  },
};
