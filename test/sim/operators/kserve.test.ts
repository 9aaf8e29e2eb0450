import { afterEach, describe, expect, it } from 'vitest';
import { makeEnv, statusOf, conditionOf } from './env.js';
import type { TestEnv } from './env.js';
import { fakeS3, okHandler } from './fakes.js';
import type { ModelServerOptions } from '../../../src/sim/types.js';
import { b64 } from '../../../src/sim/operators/objects.js';

let env: TestEnv;
afterEach(() => env.stop());

const NS = 'llm-hosting';

function setup(env: TestEnv, opts: { labelled?: boolean; maxLen?: number; runtime?: string } = {}): void {
  env.o.ensure('Namespace', { metadata: { name: NS } });
  const labels: Record<string, string> = opts.labelled === false ? {} : { 'opendatahub.io/dashboard': 'true', 'opendatahub.io/managed': 'true' };
  env.o.ensure('Secret', {
    metadata: { name: 'aws-connection-models', namespace: NS, labels, annotations: { 'opendatahub.io/connection-type': 's3' } },
    data: { AWS_ACCESS_KEY_ID: b64('AK'), AWS_SECRET_ACCESS_KEY: b64('SK'), AWS_S3_ENDPOINT: b64('http://s3.openshift-storage.svc:80'), AWS_S3_BUCKET: b64('models-1'), AWS_DEFAULT_REGION: b64('us-east-1') },
  });
  env.o.ensure('ServingRuntime', {
    metadata: { name: 'vllm', namespace: NS },
    spec: { supportedModelFormats: [{ name: 'vLLM', autoSelect: true }], containers: [{ name: 'kserve-container', image: 'quay.io/modh/vllm:rhoai-2.16-cuda', args: ['--port=8080', '--model=/mnt/models', '--served-model-name={{.Name}}', ...(opts.maxLen ? [`--max-model-len=${opts.maxLen}`] : [])] }] },
  });
  env.o.ensure('InferenceService', {
    metadata: { name: 'mistral', namespace: NS, annotations: { 'serving.kserve.io/deploymentMode': 'RawDeployment' } },
    spec: { predictor: { minReplicas: 1, maxReplicas: 1, model: { modelFormat: { name: 'vLLM' }, runtime: opts.runtime ?? 'vllm', storage: { key: 'aws-connection-models', path: 'mistralai/Mistral-7B-Instruct-v0.3/' }, resources: { limits: { 'nvidia.com/gpu': '1' } } } } },
  });
}

const ready = (i: { [k: string]: unknown }): boolean => conditionOf(i as never, 'Ready')?.status === 'True';

describe('simulated KServe', () => {
  it('becomes Ready with predictor Deployment, Service (80 → 8080), Pod, URLs, and serves the model server', async () => {
    const made: ModelServerOptions[] = [];
    const handler = okHandler('model');
    env = makeEnv({ backends: { modelServer: (o) => { made.push(o); return handler; } } });
    setup(env);
    const isvc = await env.waitFor('InferenceService', NS, 'mistral', ready);
    const st = statusOf(isvc);
    expect(st['url']).toBe('http://mistral-predictor.llm-hosting.svc.cluster.local');
    expect((st['address'] as { url: string }).url).toBe('http://mistral-predictor.llm-hosting.svc.cluster.local');
    expect(conditionOf(isvc, 'PredictorReady')?.status).toBe('True');
    expect(conditionOf(isvc, 'IngressReady')?.status).toBe('True');
    expect((st['modelStatus'] as { transitionStatus: string }).transitionStatus).toBe('UpToDate');
    const svc = env.o.get('Service', NS, 'mistral-predictor');
    expect((svc?.['spec'] as { ports: { port: number; targetPort: number }[] }).ports[0]).toMatchObject({ port: 80, targetPort: 8080 });
    expect(statusOf(env.o.get('Deployment', NS, 'mistral-predictor'))['availableReplicas']).toBe(1);
    const pods = env.o.list('Pod', NS, 'serving.kserve.io/inferenceservice=mistral');
    expect(pods).toHaveLength(1);
    expect(pods[0]?.metadata.name).toMatch(/^mistral-predictor-[0-9a-f]{10}-[a-z0-9]{5}$/);
    expect(statusOf(pods[0])['phase']).toBe('Running');
    expect((pods[0]?.['spec'] as { nodeName: string }).nodeName).toBe('ip-10-0-31-90.ec2.internal');
    expect(made).toEqual([{ servedModelName: 'mistral', kind: 'chat' }]);
    expect(env.services.resolve('http://mistral-predictor.llm-hosting.svc.cluster.local/v1/models')).toBe(handler);
    const secret = env.o.get('Secret', NS, 'storage-config');
    expect(JSON.parse(Buffer.from((secret?.['data'] as Record<string, string>)['aws-connection-models'] ?? '', 'base64').toString())).toMatchObject({ type: 's3', bucket: 'models-1', endpoint_url: 'http://s3.openshift-storage.svc:80' });
  });

  it('a data connection without the dashboard label is not in storage-config: the storage initializer fails (C3); labelling it fixes serving', async () => {
    env = makeEnv();
    setup(env, { labelled: false });
    const failed = await env.waitFor('InferenceService', NS, 'mistral', (i) => (statusOf(i)['modelStatus'] as { lastFailureInfo?: unknown } | undefined)?.lastFailureInfo !== undefined);
    const info = (statusOf(failed)['modelStatus'] as { lastFailureInfo: { reason: string; message: string } }).lastFailureInfo;
    expect(info.reason).toBe('ModelLoadFailed');
    expect(info.message).toContain('specified storage key aws-connection-models not found in storage secret storage-config');
    const pod = env.o.list('Pod', NS)[0];
    expect(env.podLogs.read(NS, pod?.metadata.name ?? '').join('\n')).toContain('storage key aws-connection-models not found in storage secret storage-config');
    expect(statusOf(pod)['phase']).toBe('Pending');
    env.o.update('Secret', NS, 'aws-connection-models', (s) => {
      s.metadata.labels = { 'opendatahub.io/dashboard': 'true', 'opendatahub.io/managed': 'true' };
    });
    await env.waitFor('InferenceService', NS, 'mistral', ready);
  });

  it('with an S3 backend, an empty model path fails the storage initializer with KServe\'s message', async () => {
    env = makeEnv({ backends: { s3: fakeS3({ 'models-1': [{ key: 'other/config.json', size: 10 }] }) } });
    setup(env);
    const failed = await env.waitFor('InferenceService', NS, 'mistral', (i) => (statusOf(i)['modelStatus'] as { lastFailureInfo?: unknown } | undefined)?.lastFailureInfo !== undefined);
    expect(JSON.stringify(statusOf(failed)['modelStatus'])).toContain('Failed to fetch model. No model found in s3://models-1/mistralai/Mistral-7B-Instruct-v0.3/.');
    expect(ready(failed)).toBe(false);
  });

  it('with an S3 backend holding the files, becomes Ready', async () => {
    env = makeEnv({ backends: { s3: fakeS3({ 'models-1': [{ key: 'mistralai/Mistral-7B-Instruct-v0.3/config.json', size: 10 }] }) } });
    setup(env);
    await env.waitFor('InferenceService', NS, 'mistral', ready);
  });

  it('a runtime that does not exist: InvalidSpec, RuntimeNotRecognized; creating it rolls out', async () => {
    env = makeEnv();
    setup(env, { runtime: 'vllm-missing' });
    const isvc = await env.waitFor('InferenceService', NS, 'mistral', (i) => (statusOf(i)['modelStatus'] as { transitionStatus?: string } | undefined)?.transitionStatus === 'InvalidSpec');
    expect((statusOf(isvc)['modelStatus'] as { lastFailureInfo: { reason: string; message: string } }).lastFailureInfo).toEqual({ reason: 'RuntimeNotRecognized', message: 'Waiting for runtime to become available' });
    expect(env.o.get('Deployment', NS, 'mistral-predictor')).toBeUndefined();
    const rt = env.o.get('ServingRuntime', NS, 'vllm');
    env.o.ensure('ServingRuntime', { metadata: { name: 'vllm-missing', namespace: NS }, spec: rt?.['spec'] });
    await env.waitFor('InferenceService', NS, 'mistral', ready);
  });

  it('a container restarted after a crash keeps lastState.terminated (reason, exitCode) while running again', async () => {
    env = makeEnv({ flags: { kvCacheTokens: 15000 } });
    const seen: Record<string, unknown>[] = [];
    const unsubscribe = env.store.subscribe((e) => {
      if (e.kind.kind !== 'Pod') return;
      const cs = (statusOf(e.object)['containerStatuses'] as Record<string, unknown>[] | undefined)?.find((c) => c['name'] === 'kserve-container');
      if (cs) seen.push(cs);
    });
    setup(env, { maxLen: 32768 });
    const podName = (): string => env.o.list('Pod', NS)[0]?.metadata.name ?? '';
    await env.waitFor('InferenceService', NS, 'mistral', (i) => (statusOf(i)['modelStatus'] as { lastFailureInfo?: unknown } | undefined)?.lastFailureInfo !== undefined);
    await env.waitFor('Pod', NS, podName(), (p) => ((statusOf(p)['containerStatuses'] as { restartCount: number }[])[0]?.restartCount ?? 0) >= 2);
    unsubscribe();
    const rerun = seen.filter((c) => 'running' in (c['state'] as object) && Number(c['restartCount']) >= 1);
    expect(rerun.length).toBeGreaterThan(0);
    for (const c of rerun) {
      const last = (c['lastState'] as { terminated?: { exitCode: number; reason: string; message: string } }).terminated;
      expect(last).toMatchObject({ exitCode: 1, reason: 'Error' });
      expect(last?.message).toContain('KV cache (15000)');
    }
  });

  it('kv-cache-too-small: a max model length above the KV cache crash-loops with vLLM\'s error; a smaller one becomes Ready (C5)', async () => {
    env = makeEnv({ flags: { kvCacheTokens: 15000 } });
    setup(env, { maxLen: 32768 });
    const podName = (): string => env.o.list('Pod', NS)[0]?.metadata.name ?? '';
    await env.waitFor('InferenceService', NS, 'mistral', (i) => (statusOf(i)['modelStatus'] as { lastFailureInfo?: unknown } | undefined)?.lastFailureInfo !== undefined);
    const pod = await env.waitFor('Pod', NS, podName(), (p) => ((statusOf(p)['containerStatuses'] as { restartCount: number }[])[0]?.restartCount ?? 0) >= 2);
    const cs = (statusOf(pod)['containerStatuses'] as { state: { waiting?: { reason: string } }; lastState: { terminated?: { exitCode: number } } }[])[0];
    expect(cs?.state.waiting?.reason).toBe('CrashLoopBackOff');
    expect(cs?.lastState.terminated?.exitCode).toBe(1);
    expect(env.podLogs.read(NS, podName())).toContain("ValueError: The model's max seq len (32768) is larger than the maximum number of tokens that can be stored in KV cache (15000). Try increasing `gpu_memory_utilization` or decreasing `max_model_len` when initializing the engine.");
    expect(ready(env.o.get('InferenceService', NS, 'mistral') ?? { metadata: {} })).toBe(false);
    const crashed = podName();
    env.o.update('InferenceService', NS, 'mistral', (i) => {
      (i['spec'] as { predictor: { model: { args?: string[] } } }).predictor.model.args = ['--max-model-len=8192'];
    });
    const isvc = await env.waitFor('InferenceService', NS, 'mistral', ready);
    expect(statusOf(isvc)['observedGeneration']).toBe(2);
    expect(env.o.get('Pod', NS, crashed)).toBeUndefined();
    expect(env.o.list('Pod', NS)).toHaveLength(1);
  });

  it('deleting the InferenceService removes its predictor objects and stops serving it', async () => {
    env = makeEnv({ backends: { modelServer: () => okHandler('model') } });
    setup(env);
    await env.waitFor('InferenceService', NS, 'mistral', ready);
    env.o.remove('InferenceService', NS, 'mistral');
    await env.clock.settled();
    expect(env.o.get('Deployment', NS, 'mistral-predictor')).toBeUndefined();
    expect(env.o.get('Service', NS, 'mistral-predictor')).toBeUndefined();
    expect(env.o.list('Pod', NS)).toEqual([]);
    expect(env.services.get(NS, 'mistral-predictor')).toBeUndefined();
  });
});
