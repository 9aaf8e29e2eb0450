/**
 * Waiting for an InferenceService to become `Ready` (STAGES.md §5 "Verify"), saying what is being
 * waited for ("predictor pod: ContainerCreating", "kserve-container: CrashLoopBackOff (restarts 2)")
 * and failing early when the predictor's log shows a known failure (diagnose.ts).
 *
 * Facts used: InferenceService `metadata.generation`, `status.observedGeneration`, condition
 * `Ready`, `status.address.url` / `status.url`, `status.modelStatus.lastFailureInfo` (KServe
 * v1beta1); predictor pods labelled `serving.kserve.io/inferenceservice=<name>` with their
 * `status.conditions` (PodScheduled), `initContainerStatuses` (`storage-initializer`) and
 * `containerStatuses` (`kserve-container`): `state.waiting.reason`, `restartCount`,
 * `lastState.terminated` (core/v1 ContainerStatus); the Secret `storage-config` keys (never values).
 */
import type { KubeClient } from '../../src/cluster/kube.js';
import type { KubeObject, ProbeResult } from '../../src/engine/types.js';
import type { ClassifyContext, Finding } from './diagnose.js';
import { PredictorFailed, classifyFailure } from './diagnose.js';

interface ContainerStatus {
  name: string;
  ready?: boolean;
  restartCount?: number;
  image?: string;
  state?: { waiting?: { reason?: string; message?: string }; running?: unknown; terminated?: { exitCode?: number; reason?: string; message?: string } };
  lastState?: { terminated?: { exitCode?: number; reason?: string; message?: string } };
}
interface PodStatus {
  phase?: string;
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
  initContainerStatuses?: ContainerStatus[];
  containerStatuses?: ContainerStatus[];
}
interface IsvcStatus {
  observedGeneration?: number;
  url?: string;
  address?: { url?: string };
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
  modelStatus?: { transitionStatus?: string; lastFailureInfo?: { reason?: string; message?: string } };
}

/** What the predictor is ready with. */
export interface ReadyPredictor {
  /** `status.address.url` (else `status.url`): the in-cluster URL. */
  url: string;
  /** `spec.predictor.model.runtime`. */
  runtime: string;
}

/** What the probe reads and how it classifies. */
export interface ProbeOptions {
  kube: KubeClient;
  namespace: string;
  name: string;
  /** Restarts tolerated before an unrecognised crash loop counts as failed. */
  maxRestarts: number;
  /** Context for the classifier, without the connection facts (read when needed). */
  classify: Omit<ClassifyContext, 'connectionLabels' | 'connectionExists'>;
}

const BAD_WAITING = new Set(['CrashLoopBackOff', 'Error', 'RunContainerError', 'CreateContainerError', 'CreateContainerConfigError']);

/** The pod of the current rollout: the newest one not being deleted. */
function newestPod(pods: KubeObject[]): KubeObject | undefined {
  return pods
    .filter((p) => !p.metadata['deletionTimestamp'])
    .sort((a, b) => String(b.metadata['creationTimestamp'] ?? '').localeCompare(String(a.metadata['creationTimestamp'] ?? '')))[0];
}

/** A container in trouble: crash-looping or exited with an error. */
function troubled(c: ContainerStatus | undefined): boolean {
  if (!c) return false;
  if (c.state?.waiting?.reason && BAD_WAITING.has(c.state.waiting.reason)) return true;
  return (c.state?.terminated?.exitCode ?? 0) !== 0;
}

/**
 * The last 200 log lines of a container: of its previous instance (`previous=true`: the one that
 * crashed) and of the current one; either may be absent (404 / 400 "waiting to start").
 */
async function logLines(kube: KubeClient, ns: string, pod: string, container: string): Promise<string[]> {
  const base = `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(pod)}/log?container=${encodeURIComponent(container)}&tailLines=200`;
  const lines: string[] = [];
  for (const path of [`${base}&previous=true`, base]) {
    try {
      const res = await kube.request('GET', path, { allowStatus: () => true });
      if (res.status === 200) lines.push(...res.text.split('\n'));
    } catch {
      // Not readable: classify from the statuses alone.
    }
  }
  return lines;
}

/** One look at the InferenceService and its predictor pod (see the module comment). */
export async function probePredictor(o: ProbeOptions): Promise<ProbeResult<ReadyPredictor>> {
  const { kube, namespace: ns, name } = o;
  const isvc = await kube.get('serving.kserve.io/v1beta1', 'InferenceService', name, ns);
  if (!isvc) return { state: 'pending', currently: 'InferenceService not created yet' };
  const st = (isvc['status'] ?? {}) as IsvcStatus;
  const gen = Number(isvc.metadata['generation'] ?? 0);
  const runtime = String((isvc['spec'] as { predictor?: { model?: { runtime?: string } } } | undefined)?.predictor?.model?.runtime ?? '');
  if (st.observedGeneration !== gen) return { state: 'pending', currently: `InferenceService: controller has not seen generation ${gen} yet` };
  const ready = st.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status === 'True') return { state: 'done', value: { url: st.address?.url ?? st.url ?? '', runtime } };
  const failure = st.modelStatus?.lastFailureInfo;
  if (failure?.reason === 'RuntimeNotRecognized') return { state: 'pending', currently: `InferenceService: runtime ${runtime} not available (${failure.message ?? 'InvalidSpec'})` };

  const pod = newestPod(await kube.list('v1', 'Pod', ns, `serving.kserve.io/inferenceservice=${name}`));
  if (!pod) return { state: 'pending', currently: 'predictor pod: not created yet' };
  const ps = (pod['status'] ?? {}) as PodStatus;
  const unscheduled = ps.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (unscheduled) return { state: 'pending', currently: `predictor pod: Pending (${unscheduled.reason ?? 'Unschedulable'}: ${unscheduled.message ?? ''})` };
  const init = ps.initContainerStatuses?.find((c) => troubled(c));
  const main = ps.containerStatuses?.find((c) => c.name === 'kserve-container') ?? ps.containerStatuses?.[0];
  const bad = init ?? (troubled(main) ? main : undefined);
  if (bad) return crashed(o, pod.metadata.name ?? '', bad, failure?.message);
  const waiting = main?.state?.waiting?.reason;
  if (waiting === 'PodInitializing' || ps.initContainerStatuses?.some((c) => !c.state?.terminated)) return { state: 'pending', currently: 'predictor pod: PodInitializing (storage-initializer downloading the model)' };
  if (waiting) return { state: 'pending', currently: `predictor pod: ${waiting}${main?.state?.waiting?.message ? ` (${main.state.waiting.message})` : ''}` };
  if (main?.state?.running && (main.lastState?.terminated?.exitCode ?? 0) !== 0) return restarted(o, pod.metadata.name ?? '', main, failure?.message);
  if (main?.state?.running) return { state: 'pending', currently: `predictor pod: Running, loading the model${main.restartCount ? ` (restarts ${main.restartCount})` : ''}` };
  return { state: 'pending', currently: `predictor pod: ${ps.phase ?? 'Pending'}` };
}

/** Running again after a crash: a known failure in the crashed instance's log fails now (no need to sit out the back-off). */
async function restarted(o: ProbeOptions, pod: string, c: ContainerStatus, isvcMessage: string | undefined): Promise<ProbeResult<ReadyPredictor>> {
  const currently = `predictor pod: Running again after a crash, loading the model (restarts ${c.restartCount ?? 0})`;
  const { finding } = await classifyLogs(o, pod, c, isvcMessage);
  if (finding && finding.code !== 'connection-unregistered') throw new PredictorFailed(`predictor of InferenceService ${o.namespace}/${o.name}`, currently, finding);
  return { state: 'pending', currently };
}

async function classifyLogs(o: ProbeOptions, pod: string, c: ContainerStatus, isvcMessage: string | undefined): Promise<{ lines: string[]; finding: Finding | undefined }> {
  const lines = await logLines(o.kube, o.namespace, pod, c.name);
  const text = [...lines, c.lastState?.terminated?.message ?? '', c.state?.terminated?.message ?? '', isvcMessage ?? ''];
  const conn = await o.kube.get('v1', 'Secret', o.classify.storageKey, o.namespace);
  return { lines, finding: classifyFailure(text, { ...o.classify, connectionExists: conn !== undefined, connectionLabels: conn?.metadata.labels }) };
}

/** A container crash-looping: classify its log; known → throw PredictorFailed, else pending until `maxRestarts`. */
async function crashed(o: ProbeOptions, pod: string, c: ContainerStatus, isvcMessage: string | undefined): Promise<ProbeResult<ReadyPredictor>> {
  const { kube, namespace: ns } = o;
  const restarts = c.restartCount ?? 0;
  const reason = c.state?.waiting?.reason ?? c.state?.terminated?.reason ?? 'Error';
  const currently = `${c.name}: ${reason} (restarts ${restarts})`;
  const { lines, finding } = await classifyLogs(o, pod, c, isvcMessage);
  const what = `predictor of InferenceService ${ns}/${o.name}`;
  if (finding?.code === 'connection-unregistered') {
    const cfg = await kube.get<KubeObject & { data?: Record<string, string> }>('v1', 'Secret', 'storage-config', ns);
    if (cfg?.data?.[o.classify.storageKey] !== undefined) return { state: 'pending', currently: `${currently}: retrying now that data connection ${o.classify.storageKey} is registered` };
  }
  if (finding) throw new PredictorFailed(what, currently, finding);
  if (restarts >= o.maxRestarts) {
    const last = lines.filter((l) => l.trim() !== '').slice(-3).join(' | ') || c.lastState?.terminated?.message || 'no log';
    throw new PredictorFailed(what, `${currently}; last log lines: ${last}`, undefined, `read the whole log: oc logs -n ${ns} ${pod} -c ${c.name} --previous`);
  }
  return { state: 'pending', currently };
}
