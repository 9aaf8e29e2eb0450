/**
 * Stage 5, serving (STAGES.md §5; FIELD-CASES C3, C5, C6): one step per model, `serving.<name>`,
 * needing that model's import step, so a model is served as soon as its own files are verified.
 * - plan: the data connection must be registered (labels; C3 repair), the ServingRuntime for the
 *   model's runtime (runtime.ts), the InferenceService (manifests.ts); each compared field by field
 *   with the cluster: create / update with a diff / nothing.
 * - apply: exactly that (label merge patch; server-side apply of the runtime and the InferenceService).
 * - verify: wait for `Ready` with a watch (probe.ts), then `GET /v1/models` through the API server's
 *   service proxy must list the served model name.
 * - diagnose: the finding carried by the failure (diagnose.ts), e.g. a smaller `maxModelLen`.
 */
import type { Services } from '../../src/cluster/services.js';
import { UserError, WaitTimeoutError, messageOf } from '../../src/engine/errors.js';
import type { Change, Diagnosis, KubeObject, Step, StepContext, StepId } from '../../src/engine/types.js';
import { assertNotBlocked, preflightFacts } from '../preflight-facts.js';
import { PredictorFailed, REGISTERED_LABELS, missingLabels } from './diagnose.js';
import { servingDefaults, servingFields, servingInputs } from './inputs.js';
import type { ServingInputs, ServingModel } from './inputs.js';
import { fieldDiff, inferenceService } from './manifests.js';
import { probePredictor } from './probe.js';
import { desiredRuntime } from './runtime.js';
import { verifyModels } from './models-endpoint.js';

/** Outputs of a serving step: what the 3scale stage needs (the backend's private endpoint) and what the summary shows. */
export type ServingOutputs = ServedModel | NotSelected;

/** The output of a serving step whose model the import step did not import (unticked in the picker). */
export interface NotSelected {
  modelId: string;
  /** Always false: nothing was served; later stages skip this model. */
  served: false;
}

/** A model answering on `/v1/models` in the cluster. */
export interface ServedModel {
  served: true;
  /** Catalog / Hugging Face repo id. */
  modelId: string;
  /** InferenceService name. */
  name: string;
  namespace: string;
  /** In-cluster URL (`status.address.url`, `http://<name>-predictor.<ns>.svc.cluster.local`). */
  url: string;
  /** The `model` value clients send (vLLM `--served-model-name={{.Name}}`). */
  servedModelName: string;
  /** ServingRuntime name. */
  runtime: string;
  kind: ServingModel['kind'];
  /** vLLM `--max-model-len` in tokens (vLLM only). */
  maxModelLen?: number;
}

/** Options of `createServingStep`. */
export interface ServingStepOptions {
  /** The step that imports this model, or a function of the model giving it (default `import`, the import stage's one step). */
  importStep?: StepId | ((model: ServingModel) => StepId);
  /** The needs of the step (default: `project`, `data-connection` and the import step). */
  needs?: StepId[];
  /** Timeout of the `/v1/models` check after Ready, in milliseconds (default 120 000). */
  modelsTimeoutMs?: number;
}

type Ctx = StepContext<ServingInputs, Services>;

const ISVC = { apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService' } as const;

/** A create / update / none change for `desired` against what the cluster holds. */
async function objectChange(ctx: Ctx, desired: KubeObject, note?: string): Promise<Change> {
  const current = await ctx.services.kube.get(desired.apiVersion, desired.kind, desired.metadata.name ?? '', desired.metadata.namespace);
  const target = `${desired.kind} ${desired.metadata.namespace ?? ''}/${desired.metadata.name ?? ''}`;
  const withNote = note ? { note } : {};
  if (!current) return { action: 'create', target, manifest: desired, ...withNote };
  const diff = fieldDiff(desired, current);
  return diff.length === 0 ? { action: 'none', target, ...withNote } : { action: 'update', target, manifest: desired, diff, ...withNote };
}

/** The C3 check: the data connection exists and carries the labels OpenShift AI registers it by. */
async function connectionChange(ctx: Ctx): Promise<Change> {
  const { namespace: ns, storageKey } = ctx.inputs;
  const secret = await ctx.services.kube.get('v1', 'Secret', storageKey, ns);
  if (!secret) {
    throw new UserError('serving.connection-missing', `data connection Secret ${ns}/${storageKey} does not exist, so KServe has no storage key ${storageKey}`, { fix: 'run the data-connection step first (or give the storageKey of an existing data connection)' });
  }
  const target = `Secret ${ns}/${storageKey} (data connection)`;
  const missing = missingLabels(secret.metadata.labels);
  if (missing.length === 0) return { action: 'none', target };
  return {
    action: 'update',
    target,
    manifest: { apiVersion: 'v1', kind: 'Secret', metadata: { name: storageKey, namespace: ns, labels: { ...REGISTERED_LABELS } } },
    diff: Object.entries(REGISTERED_LABELS).filter(([k, v]) => secret.metadata.labels?.[k] !== v).map(([k, v]) => ({ path: `metadata.labels.${k}`, from: secret.metadata.labels?.[k], to: v })),
    note: `data connection not registered: label ${missing.join(', ')} missing; setting it so OpenShift AI copies the connection into storage-config`,
  };
}

/** Builds the serving step of one model. */
export function createServingStep(model: ServingModel, options: ServingStepOptions = {}): Step<ServingInputs, ServingOutputs, Services> {
  const importStep = typeof options.importStep === 'function' ? options.importStep(model) : (options.importStep ?? 'import');
  const schema = servingInputs(model);
  const classifyContext = (ctx: Ctx) => ({
    stepId: ctx.stepId, namespace: ctx.inputs.namespace, runtime: '', storageKey: ctx.inputs.storageKey, storagePath: ctx.inputs.storagePath, maxModelLen: ctx.inputs.maxModelLen,
  });
  /**
   * Whether the import step imported this model: the graph (one serving step per model) is fixed
   * before the person picks models, so a model unticked in the picker has a step that serves nothing.
   */
  const selected = (ctx: Ctx): boolean => {
    const imported = (ctx.outputs(importStep) as { models?: { id: string }[] } | undefined)?.models;
    return imported === undefined || imported.some((m) => m.id === model.id);
  };
  return {
    id: `serving.${model.name}`,
    stage: 'serving',
    title: `Serve ${model.id}`,
    needs: options.needs ?? ['project', 'data-connection', importStep],
    inputs: schema,
    fields: servingFields(model),
    defaults: (ctx) => servingDefaults(model, ctx, importStep),
    async plan(ctx) {
      assertNotBlocked(ctx, 'serving');
      if (!selected(ctx)) return [{ action: 'none', target: `InferenceService ${ctx.inputs.namespace}/${ctx.inputs.name}`, note: `${model.id} is not among the imported models: nothing to serve` }];
      const runtime = await desiredRuntime(ctx.services.kube, model, ctx.inputs, preflightFacts(ctx)?.gpu?.product);
      const runtimeName = runtime.manifest.metadata.name ?? '';
      const isvc = inferenceService(model, ctx.inputs, { name: runtimeName, modelFormat: runtime.modelFormat });
      return [
        await connectionChange(ctx),
        await objectChange(ctx, runtime.manifest, `ServingRuntime ${runtime.note}`),
        await objectChange(ctx, isvc, model.runtime === 'vllm' ? `--max-model-len=${ctx.inputs.maxModelLen}` : undefined),
      ];
    },
    async apply(ctx, plan) {
      if (!selected(ctx)) return;
      const { kube } = ctx.services;
      for (const change of plan) {
        if (change.action === 'none' || !change.manifest) continue;
        const m = change.manifest;
        if (m.kind === 'Secret') await kube.mergePatch({ apiVersion: 'v1', kind: 'Secret', name: m.metadata.name ?? '', namespace: ctx.inputs.namespace }, { metadata: { labels: m.metadata.labels } });
        else await kube.apply(m);
      }
    },
    async verify(ctx) {
      if (!selected(ctx)) return { modelId: model.id, served: false };
      const { kube } = ctx.services;
      const { namespace: ns, name } = ctx.inputs;
      const ref = { ...ISVC, name, namespace: ns };
      const ready = await ctx.waitFor(
        () => probePredictor({ kube, namespace: ns, name, maxRestarts: ctx.inputs.maxRestarts, classify: classifyContext(ctx) }),
        {
          what: `InferenceService ${ns}/${name} Ready`,
          timeoutMs: ctx.inputs.readyTimeoutMinutes * 60_000,
          intervalMs: 2000,
          watch: async (wake) => {
            const stops = await Promise.all([kube.watchObjects(ref, wake), kube.watchObjects({ apiVersion: 'v1', kind: 'Pod', namespace: ns }, wake)]);
            return () => stops.forEach((stop) => stop());
          },
        },
      );
      await verifyModels(ctx, { service: `${name}-predictor`, servedModelName: name, tei: model.runtime === 'tei', timeoutMs: options.modelsTimeoutMs ?? 120_000 });
      return {
        served: true, modelId: model.id, name, namespace: ns, url: ready.url, servedModelName: name, runtime: ready.runtime, kind: model.kind,
        ...(model.runtime === 'vllm' ? { maxModelLen: ctx.inputs.maxModelLen } : {}),
      };
    },
    async destroy(ctx) {
      await ctx.services.kube.delete({ ...ISVC, name: ctx.inputs.name, namespace: ctx.inputs.namespace });
    },
    async diagnose(ctx, error): Promise<Diagnosis | undefined> {
      let e: unknown = error;
      for (let i = 0; i < 10 && e; i++) {
        if (e instanceof PredictorFailed) {
          return e.finding
            ? { summary: e.finding.summary, fix: e.finding.fix, ...(e.finding.suggestedInputs ? { suggestedInputs: e.finding.suggestedInputs } : {}) }
            : { summary: e.message, fix: e.fix ?? `oc logs -n ${ctx.inputs.namespace} -l serving.kserve.io/inferenceservice=${ctx.inputs.name} --previous` };
        }
        if (e instanceof WaitTimeoutError) {
          const gpu = /Unschedulable|Insufficient nvidia\.com\/gpu/i.test(e.message);
          return {
            summary: `InferenceService ${ctx.inputs.namespace}/${ctx.inputs.name} did not become Ready in ${ctx.inputs.readyTimeoutMinutes} minutes: ${messageOf(e)}`,
            fix: gpu
              ? `no node has ${ctx.inputs.gpus} free nvidia.com/gpu matching the tolerations: free a GPU, lower ${ctx.stepId}.gpus, or check the tolerations`
              : `check the predictor: oc describe pod -n ${ctx.inputs.namespace} -l serving.kserve.io/inferenceservice=${ctx.inputs.name}; a larger ${ctx.stepId}.readyTimeoutMinutes helps slow image pulls`,
          };
        }
        e = e instanceof Error ? e.cause : undefined;
      }
      return undefined;
    },
    explain: {
      what: `Creates the ServingRuntime for ${model.runtime === 'vllm' ? 'vLLM' : 'Text Embeddings Inference'} and the InferenceService ${model.name} that serves ${model.id} from the bucket (storage.path ${model.id}/), then waits until it is Ready and answers GET /v1/models.`,
      why: "KServe (RawDeployment) turns the InferenceService into a predictor Deployment and Service; the storage initializer copies the model from the data connection's bucket, the runtime serves the OpenAI-compatible API that 3scale will sit in front of.",
      commands: [
        ...(model.runtime === 'vllm' ? ['oc process -n redhat-ods-applications vllm-cuda-runtime-template -o yaml | oc apply -n llm-hosting -f -'] : ['oc apply -n llm-hosting -f tei-runtime.yaml']),
        `oc apply -n llm-hosting -f ${model.name}-inferenceservice.yaml`,
        `oc wait -n llm-hosting --for=condition=Ready inferenceservice/${model.name} --timeout=30m`,
        `oc get --raw /api/v1/namespaces/llm-hosting/services/${model.name}-predictor:80/proxy/v1/models`,
      ],
    },
  };
}
