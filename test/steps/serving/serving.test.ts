import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent, KubeObject } from '../../../src/engine/types.js';
import type { PreflightFacts } from '../../../steps/preflight-facts.js';
import { servingSteps } from '../../../steps/serving/index.js';
import { DEFAULT_VLLM_IMAGE } from '../../../steps/serving/runtime.js';
import type { ServedModel } from '../../../steps/serving/step.js';
import { CONNECTION, MISTRAL, NOMIC, NS, planOf, run, startServingCluster, withPrerequisites } from './cluster.js';
import type { ServingCluster } from './cluster.js';

let cluster: ServingCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

const MODEL_FILES = { 'config.json': '{"max_position_embeddings": 32768}', 'model-00001-of-00001.safetensors': 'weights' };

type Spec = Record<string, unknown>;
const get = (c: ServingCluster, kind: 'ServingRuntime' | 'InferenceService', name: string): Promise<KubeObject | undefined> =>
  c.services.kube.get(kind === 'ServingRuntime' ? 'serving.kserve.io/v1alpha1' : 'serving.kserve.io/v1beta1', kind, name, NS);
const containerOf = (sr: KubeObject | undefined): Spec => ((sr?.['spec'] as { containers: Spec[] }).containers[0] ?? {});
const waits = (events: EngineEvent[], step: string): string[] =>
  events.filter((e): e is Extract<EngineEvent, { type: 'wait' }> => e.type === 'wait' && e.step === step).map((e) => e.currently);

describe('serving against the simulated cluster', () => {
  it('a model the import step did not import (unticked in the picker) is not served: its step plans nothing and says so', async () => {
    cluster = await startServingCluster();
    await cluster.prepare();
    await cluster.putModel(MISTRAL.id, MODEL_FILES);
    const { result, events } = await run(cluster.services, withPrerequisites([MISTRAL], servingSteps([MISTRAL, NOMIC])));
    expect(result.result).toBe('done');
    expect(result.outputs['serving.nomic-embed-text']).toEqual({ modelId: NOMIC.id, served: false });
    expect(planOf(events, 'serving.nomic-embed-text')).toEqual([expect.objectContaining({ action: 'none', note: expect.stringMatching(/not among the imported models/) })]);
    expect(await get(cluster, 'InferenceService', 'nomic-embed-text')).toBeUndefined();
    expect((result.outputs['serving.mistral-7b-instruct'] as unknown as ServedModel).served).toBe(true);
  });

  it('serves a chat model from the cluster Template and an embedding model from the bundled TEI template; a second run writes nothing', async () => {
    cluster = await startServingCluster();
    await cluster.prepare();
    await cluster.putModel(MISTRAL.id, MODEL_FILES);
    await cluster.putModel(NOMIC.id, { 'config.json': '{}', 'model.safetensors': 'w' });
    const steps = () => withPrerequisites([MISTRAL, NOMIC], servingSteps([MISTRAL, NOMIC]));
    const first = await run(cluster.services, steps());
    expect(first.result.firstError).toBeUndefined();
    expect(first.result.result).toBe('done');

    // vLLM runtime: the cluster's Template, image as OpenShift AI ships it, C6 env and volumes.
    const sr = await get(cluster, 'ServingRuntime', 'vllm-cuda-runtime');
    const c = containerOf(sr);
    expect(c['image']).toBe('quay.io/modh/vllm:rhoai-2.16-cuda');
    expect(c['args']).toEqual(expect.arrayContaining(['--model=/mnt/models', '--served-model-name={{.Name}}', '--port=8080']));
    expect(c['env']).toEqual(expect.arrayContaining([{ name: 'HF_HOME', value: '/cache/hf_home' }, { name: 'HOME', value: '/cache' }]));
    expect(c['volumeMounts']).toEqual(expect.arrayContaining([{ name: 'shm', mountPath: '/dev/shm' }, { name: 'cache', mountPath: '/cache' }]));
    expect((sr?.['spec'] as { volumes: unknown[] }).volumes).toEqual(expect.arrayContaining([{ name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '2Gi' } }, { name: 'cache', emptyDir: {} }]));
    expect(sr?.metadata.annotations?.['opendatahub.io/template-name']).toBe('vllm-cuda-runtime-template');
    expect(planOf(first.events, 'serving.mistral-7b-instruct')[1]?.note).toMatch(/Template redhat-ods-applications\/vllm-cuda-runtime-template/);

    // TEI runtime: bundled, CPU image for a model without GPUs.
    const tei = containerOf(await get(cluster, 'ServingRuntime', 'tei-cpu-runtime'));
    expect(tei['image']).toBe('ghcr.io/huggingface/text-embeddings-inference:cpu-1.5');
    expect(tei['args']).toEqual(['--model-id=/mnt/models/', '--port=8080']);

    // InferenceService: every field of STAGES.md §5.
    const facts = first.result.outputs['preflight'] as unknown as PreflightFacts;
    expect(facts.gpu?.tolerations.length).toBeGreaterThan(0);
    const isvc = await get(cluster, 'InferenceService', 'mistral-7b-instruct');
    expect(isvc?.metadata.annotations?.['serving.kserve.io/deploymentMode']).toBe('RawDeployment');
    expect(isvc?.metadata.labels?.['opendatahub.io/dashboard']).toBe('true');
    expect((isvc?.['spec'] as { predictor: Spec }).predictor).toEqual({
      minReplicas: 1,
      maxReplicas: 1,
      tolerations: facts.gpu?.tolerations,
      model: {
        modelFormat: { name: 'vLLM' },
        runtime: 'vllm-cuda-runtime',
        storage: { key: CONNECTION, path: 'mistralai/Mistral-7B-Instruct-v0.3/' },
        args: ['--max-model-len=16384'],
        resources: { requests: { cpu: '1', memory: '16Gi', 'nvidia.com/gpu': '1' }, limits: { cpu: '8', memory: '24Gi', 'nvidia.com/gpu': '1' } },
      },
    });
    const nomic = await get(cluster, 'InferenceService', 'nomic-embed-text');
    const nomicModel = (nomic?.['spec'] as { predictor: { model: Spec; tolerations?: unknown } }).predictor;
    expect(nomicModel.model['runtime']).toBe('tei-cpu-runtime');
    expect(JSON.stringify(nomicModel)).not.toContain('nvidia.com/gpu');

    // Outputs, and what was waited for.
    expect(first.result.outputs['serving.mistral-7b-instruct']).toEqual({
      served: true, modelId: MISTRAL.id, name: 'mistral-7b-instruct', namespace: NS, url: `http://mistral-7b-instruct-predictor.${NS}.svc.cluster.local`,
      servedModelName: 'mistral-7b-instruct', runtime: 'vllm-cuda-runtime', kind: 'chat', maxModelLen: 16384,
    } satisfies ServedModel);
    expect((first.result.outputs['serving.nomic-embed-text'] as unknown as ServedModel).runtime).toBe('tei-cpu-runtime');
    expect(waits(first.events, 'serving.mistral-7b-instruct').some((w) => /predictor pod|InferenceService/.test(w))).toBe(true);
    // The model servers are reachable only through in-cluster Services: these requests came through the API server's service proxy.
    const listed = cluster.sim.requestLog.entries().filter((e) => e.service === 'model' && e.method === 'GET' && e.path === '/v1/models' && e.status === 200);
    expect(listed.length).toBeGreaterThanOrEqual(2);

    // Second run: nothing planned, nothing written.
    const writes = cluster.sim.faults.writeCount();
    const second = await run(cluster.services, steps());
    expect(second.result.result).toBe('done');
    for (const id of ['serving.mistral-7b-instruct', 'serving.nomic-embed-text']) expect(planOf(second.events, id).every((ch) => ch.action === 'none')).toBe(true);
    expect(cluster.sim.faults.writeCount()).toBe(writes);
  });

  it('falls back to the bundled vLLM template when the cluster has no OpenShift AI Template', async () => {
    cluster = await startServingCluster();
    for (const t of await cluster.services.kube.list('template.openshift.io/v1', 'Template', 'redhat-ods-applications')) {
      await cluster.services.kube.delete({ apiVersion: 'template.openshift.io/v1', kind: 'Template', name: t.metadata.name ?? '', namespace: 'redhat-ods-applications' });
    }
    await cluster.prepare();
    await cluster.putModel(MISTRAL.id, MODEL_FILES);
    const { result, events } = await run(cluster.services, withPrerequisites([MISTRAL], servingSteps([MISTRAL])));
    expect(result.firstError).toBeUndefined();
    const note = planOf(events, 'serving.mistral-7b-instruct')[1]?.note ?? '';
    expect(note).toMatch(/no OpenShift AI Template vllm-cuda-runtime-template or vllm-runtime-template/);
    const sr = await get(cluster, 'ServingRuntime', 'vllm-cuda-runtime');
    expect(containerOf(sr)['image']).toBe(DEFAULT_VLLM_IMAGE);
    expect(sr?.metadata.annotations?.['opendatahub.io/template-name']).toBe('maas-wizard-vllm-runtime-template');
    expect(result.outputs['serving.mistral-7b-instruct']?.['url']).toBe(`http://mistral-7b-instruct-predictor.${NS}.svc.cluster.local`);
  });

  it('with runtimeSource "template" and no Template, fails before writing anything', async () => {
    cluster = await startServingCluster();
    await cluster.services.kube.delete({ apiVersion: 'template.openshift.io/v1', kind: 'Template', name: 'vllm-cuda-runtime-template', namespace: 'redhat-ods-applications' });
    await cluster.prepare();
    const { result } = await run(cluster.services, withPrerequisites([MISTRAL], servingSteps([MISTRAL])), { 'serving.mistral-7b-instruct': { runtimeSource: 'template' } });
    expect(result.result).toBe('failed');
    expect(result.firstError?.code).toBe('serving.template-missing');
    expect(await get(cluster, 'InferenceService', 'mistral-7b-instruct')).toBeUndefined();
  });

  it('kv-cache-too-small: fails with a diagnosis offering a max model length ≤ 15000; the suggested value then serves', async () => {
    cluster = await startServingCluster(['kv-cache-too-small']);
    await cluster.prepare();
    await cluster.putModel(MISTRAL.id, MODEL_FILES);
    const steps = () => withPrerequisites([MISTRAL], servingSteps([MISTRAL]));
    const failed = await run(cluster.services, steps());
    expect(failed.result.result).toBe('failed');
    expect(failed.result.firstError?.code).toBe('serving.kv-cache');
    expect(failed.result.firstError?.message).toMatch(/KV cache, which fits 15000 tokens/);
    const diagnosis = failed.events.find((e): e is Extract<EngineEvent, { type: 'diagnosis' }> => e.type === 'diagnosis')?.diagnosis;
    const suggested = diagnosis?.suggestedInputs?.['maxModelLen'];
    expect(typeof suggested).toBe('number');
    expect(suggested as number).toBeLessThanOrEqual(15000);
    expect(suggested as number).toBeGreaterThan(8192);
    expect(diagnosis?.fix).toMatch(/at most 15000/);
    expect(waits(failed.events, 'serving.mistral-7b-instruct').length).toBeGreaterThan(0);

    const again = await run(cluster.services, steps(), { 'serving.mistral-7b-instruct': { maxModelLen: suggested } });
    expect(again.result.firstError).toBeUndefined();
    const plan = planOf(again.events, 'serving.mistral-7b-instruct');
    expect(plan[2]?.diff).toEqual([{ path: 'spec.predictor.model.args', from: ['--max-model-len=16384'], to: [`--max-model-len=${String(suggested)}`] }]);
    expect(again.result.outputs['serving.mistral-7b-instruct']?.['maxModelLen']).toBe(suggested);
  });
});
