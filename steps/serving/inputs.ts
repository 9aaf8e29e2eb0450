/**
 * Inputs of one serving step (STAGES.md §5): one InferenceService per model, with defaults read
 * from preflight facts (GPUs, tolerations), the project, the data connection and the import
 * step's outputs. Lengths in tokens, times in minutes.
 */
import { z } from 'zod';
import type { DefaultsContext, InputField } from '../../src/engine/types.js';
import type { CatalogEntry } from '../import/catalog.js';
import type { GpuFacts } from '../preflight-facts.js';
import { preflightFacts } from '../preflight-facts.js';

/** What the serving stage needs to know about a model: a catalog entry (templates/models/catalog.yaml) or the part of it used here. */
export type ServingModel = Pick<CatalogEntry, 'id' | 'name' | 'kind' | 'runtime' | 'maxContext' | 'maxModelLen' | 'gpus'>;

/** Accelerators the OpenShift AI vLLM templates exist for (`vllm-<accelerator>-runtime-template`). */
export const ACCELERATORS = ['cuda', 'cpu', 'rocm', 'gaudi'] as const;
export type Accelerator = (typeof ACCELERATORS)[number];

const RFC1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * A number given as a number, or as a string that spells one (a text form, a quoted answers-file
 * value). Unlike zod's coercion, an empty string, `null`, `true` or `[1]` stay what they are and
 * are refused: `gpus: ""` must not silently mean 0 GPUs.
 */
const numeric = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v), schema);

/** A core/v1 Toleration. */
const toleration = z.object({
  key: z.string().optional(),
  operator: z.enum(['Equal', 'Exists']).optional(),
  value: z.string().optional(),
  effect: z.string().optional(),
});

/**
 * The input schema of one model's serving step.
 * - `maxModelLen`: vLLM `--max-model-len`, at most the model's context length (FIELD-CASES C5).
 * - `gpus`: `nvidia.com/gpu` per replica (0: none requested, no tolerations).
 * - `runtimeSource`: `auto` takes the cluster's OpenShift AI Template when present (vLLM only),
 *   `template` requires it, `bundled` uses templates/runtimes/.
 * - `image`: image of the bundled template; empty = the default for the runtime and GPU.
 * - `readyTimeoutMinutes`: how long to wait for `Ready` (a 7–8B vLLM takes 3–5 min, more with image pulls).
 * - `maxRestarts`: crash-loop restarts tolerated before giving up when the log says nothing known.
 */
export function servingInputs(model: ServingModel) {
  return z.object({
    namespace: z.string().regex(RFC1123).max(63).default('llm-hosting'),
    name: z.string().regex(RFC1123, { message: 'must be a lowercase RFC 1123 name (e.g. mistral-7b-instruct)' }).max(45).default(model.name),
    storageKey: z.string().regex(RFC1123).max(253).default('aws-connection-models'),
    storagePath: z.string().min(1).refine((p) => p.endsWith('/') && !p.startsWith('/'), { message: 'must be a bucket prefix ending with "/" (e.g. mistralai/Mistral-7B-Instruct-v0.3/)' }).default(`${model.id}/`),
    maxModelLen: numeric(z.number().int().min(128).max(model.maxContext, { message: `must not exceed the model's context length (${model.maxContext})` })).default(model.maxModelLen),
    gpus: numeric(z.number().int().min(0).max(16)).default(model.gpus),
    accelerator: z.enum(ACCELERATORS).default('cuda'),
    runtimeSource: z.enum(['auto', 'template', 'bundled']).default('auto'),
    templateNamespace: z.string().regex(RFC1123).default('redhat-ods-applications'),
    image: z.string().default(''),
    tolerations: z.array(toleration).default([]),
    readyTimeoutMinutes: numeric(z.number().positive().max(240)).default(30),
    maxRestarts: numeric(z.number().int().min(1).max(50)).default(3),
  });
}
/** Parsed inputs of a serving step. */
export type ServingInputs = z.infer<ReturnType<typeof servingInputs>>;

/** GPU products with at least 40 GB of memory (`nvidia.com/gpu.product` label values contain these). */
const LARGE_GPUS = /A100|H100|H200|H20|L40|A40|A6000|B200|GH200/i;

/**
 * The default `--max-model-len` for a model on the cluster's GPUs: the catalog's `maxModelLen`
 * (sized for one 24 GB GPU such as an A10G or L4), doubled per doubling of GPU memory (a GPU of
 * 40 GB or more by its product label, or more GPUs), never above the model's context length.
 * A heuristic: the KV cache grows with the memory left after the weights; C5's diagnosis corrects it.
 */
export function defaultMaxModelLen(model: ServingModel, gpu: GpuFacts | undefined, gpus: number = model.gpus): number {
  let factor = 1;
  if (gpu && LARGE_GPUS.test(gpu.product)) factor *= 2;
  if (gpus > model.gpus && model.gpus > 0) factor *= Math.floor(gpus / model.gpus);
  return Math.min(model.maxContext, model.maxModelLen * factor);
}

/**
 * Defaults read from earlier steps: namespace (project), storage key (data connection's `name`),
 * storage path (import's `models[].path`), GPUs capped at the most one node has, the accelerator,
 * tolerations from preflight.
 */
export function servingDefaults(model: ServingModel, ctx: DefaultsContext, importStep: string): Partial<ServingInputs> {
  const out: Partial<ServingInputs> = {};
  const ns = ctx.outputs('project')?.['namespace'];
  if (typeof ns === 'string') out.namespace = ns;
  const key = ctx.outputs('data-connection')?.['name'];
  if (typeof key === 'string') out.storageKey = key;
  const imported = ctx.outputs(importStep)?.['models'];
  const mine = Array.isArray(imported) ? (imported as { id?: string; path?: string }[]).find((m) => m.id === model.id) : undefined;
  if (typeof mine?.path === 'string') out.storagePath = mine.path;
  const facts = preflightFacts(ctx);
  if (facts) {
    const gpu = facts.gpu;
    out.gpus = gpu ? Math.min(model.gpus, gpu.count) : 0;
    out.accelerator = gpu ? 'cuda' : 'cpu';
    out.maxModelLen = defaultMaxModelLen(model, gpu, out.gpus || model.gpus);
    if (gpu && out.gpus > 0) out.tolerations = gpu.tolerations.map((t) => ({ ...t }));
  }
  return out;
}

/** The form of one model's serving step. */
export function servingFields(model: ServingModel): InputField[] {
  const fields: InputField[] = [
    { key: 'name', label: 'InferenceService name', help: 'Also the served model name (vLLM --served-model-name) and the predictor Service prefix.', kind: 'text' },
    { key: 'gpus', label: 'GPUs per replica', help: 'nvidia.com/gpu requested by the predictor; 0 runs without a GPU.', kind: 'number' },
    {
      key: 'runtimeSource', label: 'ServingRuntime from', kind: 'select',
      help: 'auto: the vLLM Template OpenShift AI ships (image matches the cluster), else the bundled template.',
      choices: () => [
        { value: 'auto', label: 'Cluster template when present' },
        { value: 'template', label: 'Cluster template only' },
        { value: 'bundled', label: 'Bundled template (image below)' },
      ],
    },
    { key: 'image', label: 'Runtime image (bundled template)', help: 'Empty: the default image for the runtime and GPU.', kind: 'text', when: (v) => v['runtimeSource'] !== 'template' },
    { key: 'readyTimeoutMinutes', label: 'Wait for Ready (minutes)', kind: 'number' },
  ];
  if (model.runtime === 'vllm') {
    fields.unshift({ key: 'maxModelLen', label: 'Max model length (tokens)', help: `vLLM --max-model-len; at most ${model.maxContext}. Too long for the GPU's KV cache makes vLLM crash at start.`, kind: 'number' });
  }
  return fields;
}
