/**
 * The InferenceService of one model (STAGES.md §5; KServe serving.kserve.io/v1beta1, fields as the
 * v0.14 CRD defines them) and the field diff the plan shows against what the cluster holds.
 */
import type { FieldDiff, KubeObject } from '../../src/engine/types.js';
import type { ServingInputs, ServingModel } from './inputs.js';

/** `serving.kserve.io/deploymentMode`: RawDeployment (a plain Deployment + Service, no Knative; KServe 0.16+ calls it `Standard` and still accepts this). */
export const DEPLOYMENT_MODE = 'RawDeployment';

/** Resource requests and limits besides GPUs, by model kind (the guide's values). */
const SIZES = {
  chat: { requests: { cpu: '1', memory: '16Gi' }, limits: { cpu: '8', memory: '24Gi' } },
  embedding: { requests: { cpu: '1', memory: '4Gi' }, limits: { cpu: '2', memory: '8Gi' } },
} as const;

/** The model-specific runtime arguments, appended by KServe to the runtime's: vLLM `--max-model-len`, `--task=embed` for a vLLM embedding model. */
export function modelArgs(model: ServingModel, inputs: ServingInputs): string[] {
  if (model.runtime !== 'vllm') return [];
  return [`--max-model-len=${inputs.maxModelLen}`, ...(model.kind === 'embedding' ? ['--task=embed'] : [])];
}

/**
 * The InferenceService manifest: annotation `serving.kserve.io/deploymentMode: RawDeployment`,
 * label `opendatahub.io/dashboard: "true"`, `spec.predictor.model` with modelFormat, runtime,
 * `storage.key` (the data connection) and `storage.path` (`<repo id>/`), args, resources with
 * `nvidia.com/gpu` = `inputs.gpus` (omitted at 0), tolerations (only with GPUs), min/max replicas 1.
 */
export function inferenceService(model: ServingModel, inputs: ServingInputs, runtime: { name: string; modelFormat: string }): KubeObject {
  const size = SIZES[model.kind];
  const gpu: Record<string, string> = inputs.gpus > 0 ? { 'nvidia.com/gpu': String(inputs.gpus) } : {};
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: {
      name: inputs.name,
      namespace: inputs.namespace,
      labels: { 'opendatahub.io/dashboard': 'true' },
      annotations: { 'serving.kserve.io/deploymentMode': DEPLOYMENT_MODE, 'openshift.io/display-name': model.id.split('/')[1] ?? model.id },
    },
    spec: {
      predictor: {
        minReplicas: 1,
        maxReplicas: 1,
        ...(inputs.gpus > 0 && inputs.tolerations.length > 0 ? { tolerations: inputs.tolerations } : {}),
        model: {
          modelFormat: { name: runtime.modelFormat },
          runtime: runtime.name,
          storage: { key: inputs.storageKey, path: inputs.storagePath },
          ...(modelArgs(model, inputs).length > 0 ? { args: modelArgs(model, inputs) } : {}),
          resources: { requests: { ...size.requests, ...gpu }, limits: { ...size.limits, ...gpu } },
        },
      },
    },
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Deep equality of JSON values (key order ignored). */
function same(a: unknown, b: unknown): boolean {
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => same(a[k], b[k]));
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  return a === b;
}

/**
 * The fields of `desired` that `current` lacks or holds differently, with dotted paths
 * (`spec.predictor.model.args`). Objects are compared key by key (fields only the cluster has
 * are ignored: defaults, status, other managers' fields); lists and scalars as a whole.
 * `apiVersion` and `kind` are not compared.
 */
export function fieldDiff(desired: unknown, current: unknown, prefix = ''): FieldDiff[] {
  if (isObject(desired)) {
    const cur = isObject(current) ? current : {};
    return Object.entries(desired).flatMap(([k, v]) => {
      if (prefix === '' && (k === 'apiVersion' || k === 'kind')) return [];
      return fieldDiff(v, cur[k], prefix ? `${prefix}.${k}` : k);
    });
  }
  return same(desired, current) ? [] : [{ path: prefix, from: current, to: desired }];
}
