import { afterEach, describe, expect, it } from 'vitest';
import { createWaitFor } from '../../../src/engine/wait.js';
import { PredictorFailed } from '../../../steps/serving/diagnose.js';
import { servingInputs } from '../../../steps/serving/inputs.js';
import { inferenceService } from '../../../steps/serving/manifests.js';
import { probePredictor } from '../../../steps/serving/probe.js';
import { desiredRuntime } from '../../../steps/serving/runtime.js';
import { servingSteps } from '../../../steps/serving/index.js';
import { CONNECTION, MISTRAL, NS, planOf, run, startServingCluster, withPrerequisites } from './cluster.js';
import type { ServingCluster } from './cluster.js';

let cluster: ServingCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

describe('C3: data connection without the dashboard label', () => {
  it('an InferenceService failing with the storage key missing is diagnosed as "data connection not registered"; the step fixes the label and serves', async () => {
    cluster = await startServingCluster();
    await cluster.prepare({ 'opendatahub.io/managed': 'true' });
    await cluster.putModel(MISTRAL.id, { 'config.json': '{}', 'model.safetensors': 'w' });
    const { kube } = cluster.services;

    // Applied by hand, as the guide does, while the connection lacks the label.
    const inputs = servingInputs(MISTRAL).parse({ namespace: NS, tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] });
    const runtime = await desiredRuntime(kube, MISTRAL, inputs, 'NVIDIA-A10G');
    await kube.apply(runtime.manifest);
    await kube.apply(inferenceService(MISTRAL, inputs, { name: runtime.manifest.metadata.name ?? '', modelFormat: runtime.modelFormat }));
    const waitFor = createWaitFor({ signal: new AbortController().signal, onWait: () => undefined });
    const probe = () => probePredictor({
      kube, namespace: NS, name: MISTRAL.name, maxRestarts: 3,
      classify: { stepId: 'serving.mistral-7b-instruct', namespace: NS, runtime: 'vllm-cuda-runtime', storageKey: CONNECTION, storagePath: `${MISTRAL.id}/`, maxModelLen: 16384 },
    });
    const failure = await waitFor(probe, { what: 'predictor', timeoutMs: 60_000, intervalMs: 20, watch: (wake) => kube.watchObjects({ apiVersion: 'v1', kind: 'Pod', namespace: NS }, wake) }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PredictorFailed);
    expect((failure as PredictorFailed).message).toMatch(/data connection not registered: label opendatahub\.io\/dashboard=true missing on Secret llm-hosting\/aws-connection-models/);
    expect((failure as PredictorFailed).fix).toMatch(/oc label secret aws-connection-models -n llm-hosting opendatahub\.io\/dashboard=true/);

    // The wizard: the plan repairs the label, and the predictor then comes up.
    const { result, events } = await run(cluster.services, withPrerequisites([MISTRAL], servingSteps([MISTRAL])));
    expect(result.firstError).toBeUndefined();
    const [fix, sr, isvc] = planOf(events, 'serving.mistral-7b-instruct');
    expect(fix?.action).toBe('update');
    expect(fix?.note).toMatch(/data connection not registered: label opendatahub\.io\/dashboard=true missing/);
    expect(fix?.diff).toEqual([{ path: 'metadata.labels.opendatahub.io/dashboard', from: undefined, to: 'true' }]);
    expect(Object.keys(fix?.manifest ?? {})).toEqual(['apiVersion', 'kind', 'metadata']);
    expect(sr?.action).toBe('none');
    expect(isvc?.action).toBe('none');
    const secret = await kube.get('v1', 'Secret', CONNECTION, NS);
    expect(secret?.metadata.labels).toMatchObject({ 'opendatahub.io/dashboard': 'true', 'opendatahub.io/managed': 'true' });
    expect(Object.keys((secret?.['data'] ?? {}) as object)).toContain('AWS_SECRET_ACCESS_KEY');
    expect(result.outputs['serving.mistral-7b-instruct']?.['url']).toBe(`http://mistral-7b-instruct-predictor.${NS}.svc.cluster.local`);
  });

  it('a missing data connection stops the plan with what to run first', async () => {
    cluster = await startServingCluster();
    await cluster.services.kube.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    const { result } = await run(cluster.services, withPrerequisites([MISTRAL], servingSteps([MISTRAL])));
    expect(result.result).toBe('failed');
    expect(result.firstError?.code).toBe('serving.connection-missing');
    expect(result.firstError?.fix).toMatch(/data-connection step/);
    expect(await cluster.services.kube.get('serving.kserve.io/v1beta1', 'InferenceService', MISTRAL.name, NS)).toBeUndefined();
    expect(await cluster.services.kube.list('serving.kserve.io/v1alpha1', 'ServingRuntime', NS)).toEqual([]);
  });
});
