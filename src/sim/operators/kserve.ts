/**
 * Simulated KServe (RawDeployment mode, as OpenShift AI runs it without Serverless): an
 * InferenceService becomes a predictor Deployment `<name>-predictor`, a Service `<name>-predictor`
 * (port 80 → 8080) and a Pod `<name>-predictor-<hash>-<id>`, then condition `Ready` with
 * `status.url` / `status.address.url` = `http://<name>-predictor.<ns>.svc.cluster.local`.
 *
 * - The runtime named in `spec.predictor.model.runtime` must exist, else `modelStatus`
 *   `InvalidSpec` with `lastFailureInfo.reason: RuntimeNotRecognized`, "Waiting for runtime to
 *   become available" (KServe predictor reconciler).
 * - The storage initializer needs `storage.key` in Secret `storage-config` (written by
 *   storage-config.ts from labelled data connections, C3) and, with an S3 backend, files under
 *   `storage.path` in the bucket; otherwise the pod's init container fails and retries.
 * - vLLM with `flags.kvCacheTokens` set and a max model length above it crash-loops with vLLM's
 *   KV cache error (C5); a new generation (fixed `--max-model-len`) rolls out a new pod.
 * - Once Ready, with a model-server factory, the predictor Service is served in the ServiceRegistry.
 * Durations: DURATIONS.podStart, vllmPredictorReady / teiPredictorReady, vllmCrashAfter.
 */
import { randomBytes } from 'node:crypto';
import type { StoredObject } from '../types.js';
import { DURATIONS } from '../durations.js';
import type { OperatorContext, SimOperator } from './context.js';
import { Controller, keyOf, splitKey } from './controller.js';
import type { Key } from './controller.js';
import { ownerRef, randomSuffix, rfc3339, secretValue } from './objects.js';
import { containerStatus, podConditions, pickNode } from './pods.js';
import type { ContainerState } from './pods.js';
import { STORAGE_CONFIG } from './storage-config.js';
import {
  DEFAULT_MODEL_MAX_LEN, failedStatus, kvCacheError, predictorSpec, progressingStatus, readyLines, readyStatus, storageInitErrorLines, vllmStartLines,
} from './kserve-shapes.js';
import type { PredictorSpec } from './kserve-shapes.js';

const INIT_IMAGE = 'quay.io/modh/kserve-storage-initializer:rhoai-2.16';
/** Crash-loop restarts simulated before the pod stays in CrashLoopBackOff (instant timing only: avoids a busy loop). */
const INSTANT_RESTART_LIMIT = 3;

/**
 * One predictor rollout. `lastTerminated`: how the container last ended (kept as `lastState` in the
 * pod status after a restart, as the kubelet keeps `lastState.terminated` with reason and exitCode).
 */
interface Rollout { generation: number; pod: string; restarts: number; phase: 'init' | 'init-failed' | 'starting' | 'crashed' | 'ready' | 'invalid'; lastTerminated?: ContainerState }

interface ModelRef { runtime?: string; storage?: { key?: string; path?: string }; storageUri?: string; resources?: { limits?: Record<string, string> } }

function modelOf(isvc: StoredObject): ModelRef {
  return ((isvc['spec'] as { predictor?: { model?: ModelRef } } | undefined)?.predictor?.model) ?? {};
}

/** `http://<name>-predictor.<ns>.svc.cluster.local` (STAGES.md §5). */
export function predictorUrl(name: string, namespace: string): string {
  return `http://${name}-predictor.${namespace}.svc.cluster.local`;
}

/** Creates the simulated KServe controller. */
export function createKserveOperator(ctx: OperatorContext): SimOperator {
  const rollouts = new Map<Key, Rollout>();
  const ctl: Controller = new Controller(ctx, {
    name: 'kserve-controller-manager',
    primary: 'InferenceService',
    watches: [
      { kind: 'ServingRuntime', map: (e) => ctl.objects.list('InferenceService', e.object.metadata.namespace).map(keyOf) },
      { kind: 'Secret', map: (e) => (e.object.metadata.name === STORAGE_CONFIG ? ctl.objects.list('InferenceService', e.object.metadata.namespace).map(keyOf) : []) },
    ],
    reconcile: (key) => reconcile(key),
    onStart(c) {
      for (const isvc of c.objects.list('InferenceService')) {
        const st = isvc['status'] as { observedGeneration?: number; conditions?: { type: string; status: string }[] } | undefined;
        const ready = st?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True') && st.observedGeneration === isvc.metadata.generation;
        if (ready) {
          rollouts.set(keyOf(isvc), { generation: isvc.metadata.generation, pod: '', restarts: 0, phase: 'ready' });
          serveModel(isvc);
        }
      }
    },
  });
  const o = ctl.objects;
  const logs = ctx.podLogs;

  const serveModel = (isvc: StoredObject): void => {
    const ns = isvc.metadata.namespace ?? '';
    const runtime = o.get('ServingRuntime', ns, modelOf(isvc).runtime ?? '');
    if (!ctx.backends.modelServer || !runtime) return;
    const p = predictorSpec(isvc, runtime);
    ctx.services.set(ns, `${isvc.metadata.name}-predictor`, ctx.backends.modelServer({ servedModelName: p.servedModelName, kind: p.kind }));
  };

  const setPod = (ns: string, pod: string, status: Record<string, unknown>): void => void o.setStatus('Pod', ns, pod, (s) => ({ ...s, ...status }));

  function teardown(key: Key, ns: string, name: string): void {
    ctl.cancelAll(key);
    rollouts.delete(key);
    ctx.services.remove(ns, `${name}-predictor`);
    for (const pod of o.list('Pod', ns, `serving.kserve.io/inferenceservice=${name}`)) o.remove('Pod', ns, pod.metadata.name);
  }

  function reconcile(key: Key): void {
    const { namespace: ns, name } = splitKey(key);
    if (!ns) return;
    const isvc = o.get('InferenceService', ns, name);
    if (!isvc) {
      teardown(key, ns, name);
      o.remove('Deployment', ns, `${name}-predictor`);
      o.remove('Service', ns, `${name}-predictor`);
      return;
    }
    const gen = isvc.metadata.generation;
    const r = rollouts.get(key);
    if (r && r.generation === gen) {
      if (r.phase === 'init-failed' && !ctl.pending(key, 'init')) ctl.after(key, 'init', DURATIONS.podStart, () => void init(key));
      if (r.phase === 'invalid') startRollout(key, isvc);
      return;
    }
    if (r) teardown(key, ns, name);
    startRollout(key, isvc);
  }

  function startRollout(key: Key, isvc: StoredObject): void {
    const ns = isvc.metadata.namespace ?? '';
    const name = isvc.metadata.name;
    const gen = isvc.metadata.generation;
    const model = modelOf(isvc);
    const runtime = model.runtime ? o.get('ServingRuntime', ns, model.runtime) : undefined;
    if (!runtime) {
      rollouts.set(key, { generation: gen, pod: '', restarts: 0, phase: 'invalid' });
      o.setStatus('InferenceService', ns, name, (s) => failedStatus(s, gen, { reason: 'RuntimeNotRecognized', message: 'Waiting for runtime to become available', transition: 'InvalidSpec' }));
      return;
    }
    const p = predictorSpec(isvc, runtime);
    const dep = `${name}-predictor`;
    const labels = { app: `isvc.${dep}`, component: 'predictor', 'serving.kserve.io/inferenceservice': name };
    const hash = randomBytes(5).toString('hex');
    const podName = `${dep}-${hash}-${randomSuffix(5)}`;
    const wantsGpu = Boolean(model.resources?.limits?.['nvidia.com/gpu']);
    const container = { name: 'kserve-container', image: p.image, args: p.args, ports: [{ containerPort: 8080, protocol: 'TCP' }], resources: model.resources ?? {} };
    const initContainer = { name: 'storage-initializer', image: INIT_IMAGE, args: [storageUri(isvc), '/mnt/models'] };
    o.apply('Deployment', {
      metadata: { name: dep, namespace: ns, labels, ownerReferences: [ownerRef(isvc)], annotations: { 'serving.kserve.io/deploymentMode': 'RawDeployment' } },
      spec: { replicas: 1, selector: { matchLabels: { app: labels.app } }, template: { metadata: { labels }, spec: { initContainers: [initContainer], containers: [container] } } },
    });
    o.setStatus('Deployment', ns, dep, () => ({ observedGeneration: 1, replicas: 1, updatedReplicas: 1, unavailableReplicas: 1, conditions: [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' }] }));
    o.ensure('Service', {
      metadata: { name: dep, namespace: ns, labels, ownerReferences: [ownerRef(isvc)] },
      spec: { type: 'ClusterIP', selector: { app: labels.app }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
    });
    o.ensure('Pod', { metadata: { name: podName, namespace: ns, labels: { ...labels, 'pod-template-hash': hash } }, spec: { nodeName: pickNode(o.list('Node'), wantsGpu), initContainers: [initContainer], containers: [container], restartPolicy: 'Always' } });
    setPod(ns, podName, { phase: 'Pending', conditions: podConditions(false, false), initContainerStatuses: [containerStatus('storage-initializer', INIT_IMAGE, { waiting: { reason: 'PodInitializing' } })], containerStatuses: [containerStatus('kserve-container', p.image, { waiting: { reason: 'PodInitializing' } })] });
    rollouts.set(key, { generation: gen, pod: podName, restarts: 0, phase: 'init' });
    o.setStatus('InferenceService', ns, name, (s) => progressingStatus(s, gen));
    ctl.after(key, 'init', DURATIONS.podStart, () => void init(key));
  }

  function storageUri(isvc: StoredObject): string {
    const m = modelOf(isvc);
    if (m.storageUri) return m.storageUri;
    const cfg = o.get('Secret', isvc.metadata.namespace, STORAGE_CONFIG);
    const entry = m.storage?.key ? secretValue(cfg, m.storage.key) : undefined;
    const bucket = entry ? (JSON.parse(entry) as { bucket?: string }).bucket ?? '' : '';
    return `s3://${bucket}/${m.storage?.path ?? ''}`;
  }

  async function init(key: Key): Promise<void> {
    const { namespace: ns, name } = splitKey(key);
    const r = rollouts.get(key);
    const isvc = ns ? o.get('InferenceService', ns, name) : undefined;
    if (!r || !ns || !isvc || isvc.metadata.generation !== r.generation) return;
    const model = modelOf(isvc);
    const uri = storageUri(isvc);
    let failure: 'missing-key' | 'no-model' | undefined;
    if (model.storage?.key && !secretValue(o.get('Secret', ns, STORAGE_CONFIG), model.storage.key)) failure = 'missing-key';
    else if (ctx.backends.s3 && uri.startsWith('s3://')) {
      const [bucket = '', ...rest] = uri.slice(5).split('/');
      if ((await ctx.backends.s3.listObjects(bucket, rest.join('/'))).length === 0) failure = 'no-model';
    }
    if (rollouts.get(key) !== r) return;
    if (failure) {
      const lines = storageInitErrorLines(failure, model.storage?.key ?? '', uri);
      for (const l of lines) logs.append(ns, r.pod, l);
      r.phase = 'init-failed';
      r.restarts++;
      setPod(ns, r.pod, { phase: 'Pending', conditions: podConditions(false, false), initContainerStatuses: [containerStatus('storage-initializer', INIT_IMAGE, { waiting: { reason: 'CrashLoopBackOff', message: `back-off 10s restarting failed container=storage-initializer pod=${r.pod}` } }, { restartCount: r.restarts, lastState: { terminated: { exitCode: 1, reason: 'Error', message: lines.at(-1) ?? '', finishedAt: rfc3339() } } })] });
      o.setStatus('InferenceService', ns, name, (s) => failedStatus(s, r.generation, { reason: 'ModelLoadFailed', message: lines.at(-1) ?? '', exitCode: 1 }));
      return;
    }
    const runtime = o.get('ServingRuntime', ns, model.runtime ?? '');
    if (!runtime) return;
    const p = predictorSpec(isvc, runtime);
    r.phase = 'starting';
    logs.append(ns, r.pod, `INFO:root:Successfully copied ${uri} to /mnt/models`);
    running(ns, r, p, false);
    if (p.engine === 'vllm') for (const l of vllmStartLines(p)) logs.append(ns, r.pod, l);
    scheduleStart(key, r, p);
  }

  function running(ns: string, r: Rollout, p: PredictorSpec, ready: boolean): void {
    setPod(ns, r.pod, {
      phase: 'Running', startTime: rfc3339(), conditions: podConditions(ready),
      initContainerStatuses: [containerStatus('storage-initializer', INIT_IMAGE, { terminated: { exitCode: 0, reason: 'Completed', finishedAt: rfc3339() } }, { ready: true })],
      containerStatuses: [containerStatus('kserve-container', p.image, { running: { startedAt: rfc3339() } }, { ready, restartCount: r.restarts, ...(r.lastTerminated ? { lastState: r.lastTerminated } : {}) })],
    });
  }

  function scheduleStart(key: Key, r: Rollout, p: PredictorSpec): void {
    const kv = ctx.flags.kvCacheTokens;
    const maxLen = p.maxModelLen ?? DEFAULT_MODEL_MAX_LEN;
    if (p.engine === 'vllm' && kv !== undefined && maxLen > kv) {
      ctl.after(key, `crash-${r.restarts}`, DURATIONS.vllmCrashAfter, () => crash(key, r, p, maxLen, kv));
      return;
    }
    const seconds = p.engine === 'tei' ? DURATIONS.teiPredictorReady : DURATIONS.vllmPredictorReady;
    ctl.after(key, 'ready', seconds, () => becomeReady(key, r, p));
  }

  function crash(key: Key, r: Rollout, p: PredictorSpec, maxLen: number, kv: number): void {
    const { namespace: ns, name } = splitKey(key);
    if (rollouts.get(key) !== r || !ns) return;
    const err = kvCacheError(maxLen, kv);
    logs.append(ns, r.pod, 'Traceback (most recent call last):');
    logs.append(ns, r.pod, '  File "/opt/app-root/lib64/python3.11/site-packages/vllm/worker/worker.py", line 492, in raise_if_cache_size_invalid');
    logs.append(ns, r.pod, err);
    r.phase = 'crashed';
    r.restarts++;
    r.lastTerminated = { terminated: { exitCode: 1, reason: 'Error', message: err, finishedAt: rfc3339() } };
    const backoff = Math.min(300, 10 * 2 ** (r.restarts - 1));
    setPod(ns, r.pod, {
      phase: 'Running', conditions: podConditions(false),
      containerStatuses: [containerStatus('kserve-container', p.image, { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${backoff}s restarting failed container=kserve-container pod=${r.pod}` } }, { restartCount: r.restarts, lastState: r.lastTerminated })],
    });
    o.setStatus('InferenceService', ns, name, (s) => failedStatus(s, r.generation, { reason: 'ModelLoadFailed', message: err, exitCode: 1 }));
    if (ctx.clock.timing === 'instant' && r.restarts >= INSTANT_RESTART_LIMIT) return;
    ctl.after(key, `restart-${r.restarts}`, backoff, () => {
      if (rollouts.get(key) !== r) return;
      r.phase = 'starting';
      running(ns, r, p, false);
      for (const l of vllmStartLines(p)) logs.append(ns, r.pod, l);
      scheduleStart(key, r, p);
    });
  }

  function becomeReady(key: Key, r: Rollout, p: PredictorSpec): void {
    const { namespace: ns, name } = splitKey(key);
    const isvc = ns ? o.get('InferenceService', ns, name) : undefined;
    if (rollouts.get(key) !== r || !ns || !isvc) return;
    r.phase = 'ready';
    for (const l of readyLines(p)) logs.append(ns, r.pod, l);
    running(ns, r, p, true);
    o.setStatus('Deployment', ns, `${name}-predictor`, () => ({ observedGeneration: 1, replicas: 1, readyReplicas: 1, availableReplicas: 1, updatedReplicas: 1, conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }] }));
    serveModel(isvc);
    o.setStatus('InferenceService', ns, name, (s) => readyStatus(s, r.generation, predictorUrl(name, ns)));
  }

  return ctl;
}
