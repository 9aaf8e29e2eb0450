import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { StepError, WaitTimeoutError } from '../../../src/engine/errors.js';
import type { KubeObject } from '../../../src/engine/types.js';
import type { PreflightFacts } from '../../../steps/preflight-facts.js';
import { PredictorFailed, classifyFailure, fittingMaxModelLen } from '../../../steps/serving/diagnose.js';
import type { ClassifyContext } from '../../../steps/serving/diagnose.js';
import { defaultMaxModelLen, servingDefaults, servingInputs } from '../../../steps/serving/inputs.js';
import { fieldDiff, inferenceService } from '../../../steps/serving/manifests.js';
import { hardenRuntime, loadBundledTemplate, teiImage } from '../../../steps/serving/runtime.js';
import { servingSteps } from '../../../steps/serving/index.js';
import { createServingStep } from '../../../steps/serving/step.js';
import { processTemplate } from '../../../steps/serving/template.js';
import { MISTRAL, NOMIC } from './cluster.js';

const ctx: ClassifyContext = {
  stepId: 'serving.mistral-7b-instruct', namespace: 'llm-hosting', runtime: 'vllm-cuda-runtime', storageKey: 'aws-connection-models',
  storagePath: 'mistralai/Mistral-7B-Instruct-v0.3/', maxModelLen: 16384, connectionExists: true, connectionLabels: { 'opendatahub.io/managed': 'true' },
};

describe('failure classification', () => {
  it('C5: the KV cache line gives N and a max model length ≤ N', () => {
    const f = classifyFailure(["ValueError: The model's max seq len (32768) is larger than the maximum number of tokens that can be stored in KV cache (15000). Try increasing `gpu_memory_utilization`"], ctx);
    expect(f?.code).toBe('kv-cache');
    expect(f?.suggestedInputs).toEqual({ maxModelLen: 14336 });
    expect(f?.fix).toMatch(/at most 15000 \(suggested 14336\).*serving\.mistral-7b-instruct\.maxModelLen=14336/);
    expect(fittingMaxModelLen(15000)).toBe(14336);
    expect(fittingMaxModelLen(8192)).toBe(8192);
    expect(fittingMaxModelLen(700)).toBe(700);
  });

  it('C6: PermissionError on /.cache names HF_HOME', () => {
    const f = classifyFailure(["PermissionError: [Errno 13] Permission denied: '/.cache'"], ctx);
    expect(f?.code).toBe('hf-home');
    expect(f?.summary).toMatch(/cannot write \/\.cache/);
    expect(f?.fix).toMatch(/HF_HOME and HOME/);
  });

  it('a certificate failure in the storage initializer points at the CA bundle', () => {
    const f = classifyFailure(['botocore.exceptions.SSLError: SSL validation failed for https://s3.example.com [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed'], ctx);
    expect(f?.code).toBe('ca-bundle');
    expect(f?.fix).toMatch(/trusted CA bundle/);
  });

  it('C3: the storage key missing from storage-config names the missing label, or the missing Secret', () => {
    const line = ['ERROR:root:specified storage key aws-connection-models not found in storage secret storage-config'];
    expect(classifyFailure(line, ctx)?.summary).toBe('data connection not registered: label opendatahub.io/dashboard=true missing on Secret llm-hosting/aws-connection-models');
    expect(classifyFailure(line, { ...ctx, connectionLabels: { 'opendatahub.io/dashboard': 'false' } })?.summary).toMatch(/opendatahub\.io\/dashboard=true, opendatahub\.io\/managed=true missing/);
    expect(classifyFailure(line, { ...ctx, connectionExists: false, connectionLabels: undefined })?.fix).toMatch(/data-connection step/);
  });

  it('an empty bucket path says so; an unknown log says nothing', () => {
    expect(classifyFailure(['RuntimeError: Failed to fetch model. No model found in s3://models/mistralai/x/.'], ctx)?.code).toBe('no-model');
    expect(classifyFailure(['Segmentation fault'], ctx)).toBeUndefined();
  });

  it("the step's diagnosis carries the finding's suggested input, and explains timeouts", async () => {
    const step = createServingStep(MISTRAL);
    const stepCtx = { stepId: step.id, inputs: servingInputs(MISTRAL).parse({}) } as never;
    const finding = classifyFailure(['larger than the maximum number of tokens that can be stored in KV cache (15000)'], ctx);
    const d = await step.diagnose?.(stepCtx, new StepError(step.id, 'verify', new PredictorFailed('predictor', 'CrashLoopBackOff', finding)));
    expect(d?.suggestedInputs).toEqual({ maxModelLen: 14336 });
    const t = await step.diagnose?.(stepCtx, new StepError(step.id, 'verify', new WaitTimeoutError('InferenceService Ready', 'predictor pod: Pending (Unschedulable: 0/5 nodes are available: 2 Insufficient nvidia.com/gpu)', 60_000)));
    expect(t?.fix).toMatch(/free a GPU, lower serving\.mistral-7b-instruct\.gpus/);
    expect(await step.diagnose?.(stepCtx, new Error('boom'))).toBeUndefined();
  });
});

describe('inputs and defaults', () => {
  const gpu = (product: string, count = 1): PreflightFacts['gpu'] => ({ product, count, total: count, nodes: 1, tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] });

  it('max model length: the catalog value on a 24 GB GPU, more on large GPUs, never above the context length', () => {
    expect(defaultMaxModelLen(MISTRAL, gpu('NVIDIA-A10G'))).toBe(16384);
    expect(defaultMaxModelLen(MISTRAL, gpu('NVIDIA-A100-SXM4-80GB'))).toBe(32768);
    expect(defaultMaxModelLen(MISTRAL, gpu('NVIDIA-H100-80GB-HBM3'), 2)).toBe(32768);
    expect(servingInputs(MISTRAL).safeParse({ maxModelLen: 65536 }).error?.issues[0]?.message).toMatch(/context length \(32768\)/);
  });

  it('defaults come from preflight, the project, the data connection and the import', () => {
    const outputs: Record<string, Record<string, unknown>> = {
      preflight: { gpu: gpu('NVIDIA-L4', 1), checks: [] },
      project: { namespace: 'team-a' },
      'data-connection': { name: 'my-connection' },
      import: { models: [{ id: MISTRAL.id, path: 'custom/prefix/' }] },
    };
    const d = servingDefaults(MISTRAL, { outputs: (id) => outputs[id] }, 'import');
    expect(d).toMatchObject({ namespace: 'team-a', storageKey: 'my-connection', storagePath: 'custom/prefix/', gpus: 1, accelerator: 'cuda', maxModelLen: 16384 });
    expect(d.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    const noGpu = servingDefaults(MISTRAL, { outputs: (id) => (id === 'preflight' ? { checks: [] } : undefined) }, 'import');
    expect(noGpu).toMatchObject({ gpus: 0, accelerator: 'cpu' });
    expect(noGpu.tolerations).toBeUndefined();
  });

  it('TEI image by GPU product', () => {
    expect(teiImage('NVIDIA-A10G', 1)).toBe('ghcr.io/huggingface/text-embeddings-inference:86-1.5');
    expect(teiImage('Tesla-T4', 1)).toBe('ghcr.io/huggingface/text-embeddings-inference:turing-1.5');
    expect(teiImage('NVIDIA-A100-SXM4-40GB', 1)).toBe('ghcr.io/huggingface/text-embeddings-inference:1.5');
    expect(teiImage('NVIDIA-L40S', 1)).toBe('ghcr.io/huggingface/text-embeddings-inference:89-1.5');
    expect(teiImage('NVIDIA-H100-80GB-HBM3', 1)).toBe('ghcr.io/huggingface/text-embeddings-inference:hopper-1.5');
    expect(teiImage('NVIDIA-A10G', 0)).toBe('ghcr.io/huggingface/text-embeddings-inference:cpu-1.5');
  });
});

describe('step graph', () => {
  it('one step per model, needing its own import step', () => {
    const steps = servingSteps([MISTRAL, NOMIC], { importStep: (m) => `import.${m.name}` });
    expect(steps.map((s) => [s.id, s.needs])).toEqual([
      ['serving.mistral-7b-instruct', ['project', 'data-connection', 'import.mistral-7b-instruct']],
      ['serving.nomic-embed-text', ['project', 'data-connection', 'import.nomic-embed-text']],
    ]);
    expect(servingSteps([MISTRAL])[0]?.needs).toEqual(['project', 'data-connection', 'import']);
  });
});

describe('manifests', () => {
  it('hardening replaces HF_HOME/HOME and the shm mount, keeps other env, and sets the required args', () => {
    const sr: KubeObject = {
      apiVersion: 'serving.kserve.io/v1alpha1', kind: 'ServingRuntime', metadata: { name: 'x' },
      spec: { containers: [{ name: 'kserve-container', args: ['--port', '9000', '--dtype=half'], env: [{ name: 'HF_HOME', value: '/tmp/hf_home' }, { name: 'VLLM_X', value: '1' }], volumeMounts: [{ name: 'dshm', mountPath: '/dev/shm' }] }], volumes: [{ name: 'dshm', emptyDir: {} }] },
    };
    const out = hardenRuntime(sr, 'vllm', 'ns', 't');
    const c = (out['spec'] as { containers: Record<string, unknown>[] }).containers[0] ?? {};
    expect(c['args']).toEqual(['--port=8080', '--dtype=half', '--model=/mnt/models', '--served-model-name={{.Name}}']);
    expect(c['env']).toEqual([{ name: 'VLLM_X', value: '1' }, { name: 'HF_HOME', value: '/cache/hf_home' }, { name: 'HOME', value: '/cache' }]);
    expect(c['volumeMounts']).toEqual([{ name: 'shm', mountPath: '/dev/shm' }, { name: 'cache', mountPath: '/cache' }]);
    expect(out.metadata.namespace).toBe('ns');
    expect(sr.metadata.namespace).toBeUndefined();
  });

  it('field diff: only fields the wizard sets, lists as a whole', () => {
    const desired = { apiVersion: 'v1', kind: 'X', metadata: { name: 'a', labels: { l: 'true' } }, spec: { args: ['--a=1'], n: 1 } };
    const current = { apiVersion: 'v1', kind: 'X', metadata: { name: 'a', uid: 'u', labels: { l: 'true', other: 'x' } }, spec: { args: ['--a=2'], n: 1, extra: true }, status: {} };
    expect(fieldDiff(desired, current)).toEqual([{ path: 'spec.args', from: ['--a=2'], to: ['--a=1'] }]);
    expect(fieldDiff(desired, structuredClone(desired))).toEqual([]);
  });
});

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const ref = path.resolve(root, '../shared/reference/crds');
const hasRef = existsSync(ref);
if (!hasRef) console.warn('skipped: ../shared/reference absent (CRD schema checks of the serving manifests)');

function validatorFor(file: string, version: string): (obj: unknown) => string[] {
  const crd = parse(readFileSync(path.join(ref, file), 'utf8')) as { spec: { versions: { name: string; schema: { openAPIV3Schema: object } }[] } };
  const schema = crd.spec.versions.find((v) => v.name === version)?.schema.openAPIV3Schema ?? {};
  const validate = new Ajv({ strict: false, validateFormats: false, allErrors: true }).compile(schema);
  return (obj) => (validate(obj) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`));
}

describe.skipIf(!hasRef)('manifests against the KServe CRD schemas (../shared/reference)', () => {
  it('the bundled runtimes and the InferenceServices validate', () => {
    const sr = validatorFor('serving.kserve.io_servingruntimes.yaml', 'v1alpha1');
    const isvc = validatorFor('serving.kserve.io_inferenceservices.yaml', 'v1beta1');
    for (const runtime of ['vllm', 'tei'] as const) {
      const [obj] = processTemplate(loadBundledTemplate(runtime), { IMAGE: 'example.com/image:1' });
      expect(sr(hardenRuntime(obj as KubeObject, runtime, 'llm-hosting', 't'))).toEqual([]);
    }
    for (const model of [MISTRAL, NOMIC]) {
      const inputs = servingInputs(model).parse({ gpus: model.gpus, tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] });
      expect(isvc(inferenceService(model, inputs, { name: 'r', modelFormat: 'vLLM' }))).toEqual([]);
    }
    expect(isvc({ apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', metadata: { name: 'x' }, spec: { predictor: { minReplicas: 'one' } } })).not.toEqual([]);
  });
});
