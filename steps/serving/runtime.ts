/**
 * The ServingRuntime a model runs on (STAGES.md §5; FIELD-CASES C6). One per runtime kind, shared
 * by the models that use it:
 * - vLLM: instantiated from the cluster's own OpenShift AI Template when present (namespace
 *   `redhat-ods-applications`, `vllm-<accelerator>-runtime-template`, before March 2025
 *   `vllm-runtime-template`), so the image matches the installed OpenShift AI; else from
 *   templates/runtimes/vllm.yaml with an image input.
 * - TEI: always templates/runtimes/tei.yaml (OpenShift AI ships no TEI template), image by GPU.
 * Whatever the source, the wizard makes sure of: the container arguments (`--model=/mnt/models`,
 * `--served-model-name={{.Name}}`, `--port=8080`; TEI `--model-id=/mnt/models/`, `--port=8080`),
 * `HF_HOME` and `HOME` inside an emptyDir (a random UID with `$HOME=/` cannot write `/.cache`: C6),
 * and `/dev/shm` as a memory emptyDir.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { KubeClient } from '../../src/cluster/kube.js';
import { BugError, UserError } from '../../src/engine/errors.js';
import type { KubeObject } from '../../src/engine/types.js';
import type { Accelerator, ServingInputs, ServingModel } from './inputs.js';
import { processTemplate } from './template.js';
import type { TemplateObject } from './template.js';

/** Names of OpenShift AI's vLLM runtime Templates per accelerator, preferred first. */
export const CLUSTER_TEMPLATES: Readonly<Record<Accelerator, readonly string[]>> = {
  cuda: ['vllm-cuda-runtime-template', 'vllm-runtime-template'],
  cpu: ['vllm-cpu-runtime-template'],
  rocm: ['vllm-rocm-runtime-template'],
  gaudi: ['vllm-gaudi-runtime-template'],
};

/** Default image of the bundled vLLM template for CUDA (the upstream OpenAI-compatible server image). */
export const DEFAULT_VLLM_IMAGE = 'docker.io/vllm/vllm-openai:v0.6.3';
/** TEI release of the default images (ghcr.io/huggingface/text-embeddings-inference). */
export const TEI_VERSION = '1.5';

/** Where HF_HOME and HOME live: an emptyDir mounted here. */
export const CACHE_MOUNT = '/cache';

/** GPU product (upper case, `-` as space) → TEI image tag prefix. Unknown products get the Ampere 80 build. */
const TEI_FLAVOURS: readonly [RegExp, string][] = [
  [/\bG?H(100|200)\b/, 'hopper-'],
  [/\bL4\b|\bL40S?\b|\bRTX 40/, '89-'],
  [/\bA100\b|\bA30\b/, ''],
  [/\bA10G?\b|\bA40\b|\bA16\b|\bA2\b|\bA[4-6]000\b|\bRTX 30/, '86-'],
  [/\bT4\b|\bRTX 20/, 'turing-'],
];

/**
 * The TEI image for a GPU product (`nvidia.com/gpu.product`), following TEI's image table:
 * `cpu-` without GPU, `turing-` (T4), plain (Ampere 80: A100, A30), `86-` (A10, A10G, A40, A16, A2,
 * RTX A-series), `89-` (Ada: L4, L40, L40S), `hopper-` (H100, H200).
 */
export function teiImage(product: string | undefined, gpus: number): string {
  const repo = 'ghcr.io/huggingface/text-embeddings-inference';
  if (gpus === 0) return `${repo}:cpu-${TEI_VERSION}`;
  const p = (product ?? '').toUpperCase().replaceAll('-', ' ');
  const flavour = TEI_FLAVOURS.find(([re]) => re.test(p))?.[1] ?? '';
  return `${repo}:${flavour}${TEI_VERSION}`;
}


/** A planned ServingRuntime and where it came from. */
export interface RuntimePlan {
  manifest: KubeObject;
  source: 'template' | 'bundled';
  /** The Template it was made from (`namespace/name` for the cluster's). */
  template: string;
  /** `spec.supportedModelFormats[0].name`: the InferenceService's `modelFormat.name`. */
  modelFormat: string;
  /** Why this source, for the plan. */
  note: string;
}

/** Finds `templates/runtimes/<file>` above this module (works from the sources and from dist/). */
export function bundledTemplatePath(file: string): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'templates', 'runtimes', file);
    if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new BugError(`templates/runtimes/${file} not found above steps/serving`);
}

/** Reads a bundled Template (templates/runtimes/vllm.yaml or tei.yaml). */
export function loadBundledTemplate(runtime: 'vllm' | 'tei'): TemplateObject {
  return parse(readFileSync(bundledTemplatePath(`${runtime}.yaml`), 'utf8')) as TemplateObject;
}

/** The cluster's vLLM Template for the accelerator, or why there is none. */
async function clusterTemplate(kube: KubeClient, namespace: string, accelerator: Accelerator): Promise<{ template?: TemplateObject; why: string }> {
  const names = CLUSTER_TEMPLATES[accelerator];
  for (const name of names) {
    try {
      const t = await kube.get<TemplateObject>('template.openshift.io/v1', 'Template', name, namespace);
      if (t) return { template: t, why: `from the cluster's Template ${namespace}/${name} (image as shipped by OpenShift AI)` };
    } catch (err) {
      if (err instanceof UserError && err.code === 'rbac.denied') return { why: `the Templates in ${namespace} cannot be read (${err.code})` };
      throw err;
    }
  }
  return { why: `no OpenShift AI Template ${names.join(' or ')} in ${namespace}` };
}

/** Sets `--flag=value` in args: replaces `--flag=…` or `--flag …`, else appends. */
function setArg(args: string[], flag: string, value: string): string[] {
  const out: string[] = [];
  let found = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === flag) {
      i++;
      if (!found) out.push(`${flag}=${value}`);
      found = true;
    } else if (a.startsWith(`${flag}=`)) {
      if (!found) out.push(`${flag}=${value}`);
      found = true;
    } else out.push(a);
  }
  if (!found) out.push(`${flag}=${value}`);
  return out;
}

type Container = { name?: string; args?: string[]; env?: { name: string; value?: string }[]; volumeMounts?: { name: string; mountPath: string }[] } & Record<string, unknown>;

/**
 * Makes a processed ServingRuntime safe to run (see the module comment): arguments, HF_HOME/HOME in
 * the `cache` emptyDir, `/dev/shm` as the `shm` memory emptyDir; namespace and dashboard label set.
 * Returns a new object.
 */
export function hardenRuntime(sr: KubeObject, runtime: 'vllm' | 'tei', namespace: string, templateName: string): KubeObject {
  const out = structuredClone(sr);
  const spec = (out['spec'] ?? {}) as { containers?: Container[]; volumes?: { name: string }[] } & Record<string, unknown>;
  const container = spec.containers?.[0];
  if (!container) throw new UserError('serving.template-invalid', `Template ${templateName} has a ServingRuntime without containers`);
  let args = container.args ?? [];
  const required: [string, string][] = runtime === 'vllm'
    ? [['--port', '8080'], ['--model', '/mnt/models'], ['--served-model-name', '{{.Name}}']]
    : [['--model-id', '/mnt/models/'], ['--port', '8080']];
  for (const [flag, value] of required) args = setArg(args, flag, value);
  container.args = args;
  const env = (container.env ?? []).filter((e) => e.name !== 'HF_HOME' && e.name !== 'HOME');
  container.env = [...env, { name: 'HF_HOME', value: `${CACHE_MOUNT}/hf_home` }, { name: 'HOME', value: CACHE_MOUNT }];
  const mounts = (container.volumeMounts ?? []).filter((m) => m.name !== 'shm' && m.name !== 'cache' && m.mountPath !== '/dev/shm' && m.mountPath !== CACHE_MOUNT);
  container.volumeMounts = [...mounts, { name: 'shm', mountPath: '/dev/shm' }, { name: 'cache', mountPath: CACHE_MOUNT }];
  const volumes = (spec.volumes ?? []).filter((v) => v.name !== 'shm' && v.name !== 'cache');
  spec.volumes = [...volumes, { name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '2Gi' } }, { name: 'cache', emptyDir: {} }] as { name: string }[];
  out['spec'] = spec;
  const display = out.metadata.annotations?.['openshift.io/display-name'];
  out.metadata = {
    ...out.metadata,
    namespace,
    labels: { ...out.metadata.labels, 'opendatahub.io/dashboard': 'true' },
    annotations: {
      ...out.metadata.annotations,
      'opendatahub.io/template-name': templateName,
      ...(display ? { 'opendatahub.io/template-display-name': display } : {}),
      'opendatahub.io/apiProtocol': 'REST',
    },
  };
  return out;
}

function onlyRuntime(objects: KubeObject[], template: string): KubeObject {
  const sr = objects[0];
  if (!sr || sr.kind !== 'ServingRuntime') throw new UserError('serving.template-invalid', `Template ${template}: objects[0] is ${sr?.kind ?? 'missing'}, not a ServingRuntime`, { fix: 'choose the bundled runtime (runtimeSource: bundled)' });
  return sr;
}

function modelFormatOf(sr: KubeObject): string {
  const formats = (sr['spec'] as { supportedModelFormats?: { name?: string }[] } | undefined)?.supportedModelFormats ?? [];
  return formats[0]?.name ?? 'vLLM';
}

/**
 * The ServingRuntime to serve `model` with (see the module comment).
 * @param product the GPU product label from preflight (TEI image choice), if known.
 * @throws UserError `serving.template-missing` when `runtimeSource: template` and the cluster has
 *   none; `serving.image-required` when the bundled vLLM template needs an image for a non-CUDA
 *   accelerator; `serving.template-invalid`; `template.*` from processing; mapped API errors.
 */
export async function desiredRuntime(kube: KubeClient, model: ServingModel, inputs: ServingInputs, product: string | undefined): Promise<RuntimePlan> {
  const ns = inputs.namespace;
  if (model.runtime === 'vllm' && inputs.runtimeSource !== 'bundled') {
    const found = await clusterTemplate(kube, inputs.templateNamespace, inputs.accelerator);
    if (found.template) {
      const name = found.template.metadata.name ?? '';
      const sr = hardenRuntime(onlyRuntime(processTemplate(found.template), name), 'vllm', ns, name);
      return { manifest: sr, source: 'template', template: `${inputs.templateNamespace}/${name}`, modelFormat: modelFormatOf(sr), note: found.why };
    }
    if (inputs.runtimeSource === 'template') {
      throw new UserError('serving.template-missing', `${found.why}`, { fix: 'use the bundled runtime (runtimeSource: bundled) with an image, or check that OpenShift AI is installed' });
    }
    return bundled(model, inputs, product, `${found.why}: bundled template`);
  }
  return bundled(model, inputs, product, model.runtime === 'tei' ? 'bundled TEI template (OpenShift AI ships none)' : 'bundled template (runtimeSource: bundled)');
}

function bundled(model: ServingModel, inputs: ServingInputs, product: string | undefined, note: string): RuntimePlan {
  const template = loadBundledTemplate(model.runtime);
  const name = template.metadata.name ?? '';
  let image = inputs.image;
  let runtimeName: string;
  let accelerators: string;
  if (model.runtime === 'tei') {
    image ||= teiImage(product, inputs.gpus);
    runtimeName = inputs.gpus > 0 ? 'tei-gpu-runtime' : 'tei-cpu-runtime';
    accelerators = inputs.gpus > 0 ? '["nvidia.com/gpu"]' : '[]';
  } else {
    if (!image && inputs.accelerator !== 'cuda') {
      throw new UserError('serving.image-required', `the cluster has no vLLM Template for ${inputs.accelerator} and the bundled template has no default image for it`, { fix: 'give the vLLM image for your accelerator in the image input' });
    }
    image ||= DEFAULT_VLLM_IMAGE;
    runtimeName = `vllm-${inputs.accelerator}-runtime`;
    accelerators = { cuda: '["nvidia.com/gpu"]', cpu: '[]', rocm: '["amd.com/gpu"]', gaudi: '["habana.ai/gaudi"]' }[inputs.accelerator];
  }
  const sr = onlyRuntime(processTemplate(template, { RUNTIME_NAME: runtimeName, IMAGE: image, ACCELERATORS: accelerators }), name);
  const hardened = hardenRuntime(sr, model.runtime, inputs.namespace, name);
  return { manifest: hardened, source: 'bundled', template: `templates/runtimes/${model.runtime}.yaml`, modelFormat: modelFormatOf(hardened), note: `${note}, image ${image}` };
}
