/**
 * What the simulated KServe writes and logs: InferenceService status shapes (KServe v0.14
 * `serving.kserve.io/v1beta1` status: conditions `IngressReady`, `PredictorReady`, `Ready`,
 * `url`, `address.url`, `modelStatus` with `transitionStatus`, `states`, `lastFailureInfo`),
 * the predictor's arguments as the runtime and the InferenceService combine them, and the log
 * lines of vLLM, TEI and KServe's storage initializer.
 */
import type { StoredObject } from '../types.js';
import { setCondition } from './objects.js';
import type { Condition } from './objects.js';

/** What the predictor container runs, from the ServingRuntime and the InferenceService. */
export interface PredictorSpec {
  image: string;
  args: string[];
  /** `tei` for text-embeddings-inference, else `vllm`. */
  engine: 'vllm' | 'tei';
  kind: 'chat' | 'embedding';
  servedModelName: string;
  /** vLLM `--max-model-len`, when given. */
  maxModelLen?: number;
}

/** Value of `--flag=v` or `--flag v`; the last occurrence wins, as with Python's argparse. */
function argValue(args: string[], flag: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === flag) value = args[i + 1];
    else if (a.startsWith(`${flag}=`)) value = a.slice(flag.length + 1);
  }
  return value;
}

/**
 * Combines the runtime's first container with `spec.predictor.model.args` (appended, as KServe
 * does) and substitutes `{{.Name}}` with the InferenceService name.
 */
export function predictorSpec(isvc: StoredObject, runtime: StoredObject): PredictorSpec {
  const container = ((runtime['spec'] as { containers?: { image?: string; args?: string[] }[] } | undefined)?.containers ?? [])[0] ?? {};
  const model = ((isvc['spec'] as { predictor?: { model?: { args?: string[] } } } | undefined)?.predictor?.model) ?? {};
  const name = isvc.metadata.name;
  const args = [...(container.args ?? []), ...(model.args ?? [])].map((a) => a.replaceAll('{{.Name}}', name));
  const image = container.image ?? '';
  const engine = image.includes('text-embeddings-inference') || argValue(args, '--model-id') !== undefined ? 'tei' : 'vllm';
  const task = argValue(args, '--task') ?? '';
  const kind = engine === 'tei' || task.startsWith('embed') ? 'embedding' : 'chat';
  const maxLen = argValue(args, '--max-model-len');
  const spec: PredictorSpec = { image, args, engine, kind, servedModelName: argValue(args, '--served-model-name') ?? name };
  if (maxLen !== undefined && /^\d+$/.test(maxLen)) spec.maxModelLen = Number(maxLen);
  return spec;
}

/** The max sequence length a model config declares when `--max-model-len` is absent (Mistral-7B v0.3: 32768). */
export const DEFAULT_MODEL_MAX_LEN = 32768;

/** vLLM's error when the KV cache is smaller than the max model length (vllm-project/vllm#2418, C5). */
export function kvCacheError(maxLen: number, kvTokens: number): string {
  return `ValueError: The model's max seq len (${maxLen}) is larger than the maximum number of tokens that can be stored in KV cache (${kvTokens}). Try increasing \`gpu_memory_utilization\` or decreasing \`max_model_len\` when initializing the engine.`;
}

/** Log lines of a vLLM OpenAI server starting (before it is ready). */
export function vllmStartLines(p: PredictorSpec): string[] {
  return [
    `INFO 01-15 10:02:11 api_server.py:585] vLLM API server version 0.6.3`,
    `INFO 01-15 10:02:11 api_server.py:586] args: model='/mnt/models', served_model_name=['${p.servedModelName}'], max_model_len=${p.maxModelLen ?? 'None'}`,
    `INFO 01-15 10:02:40 model_runner.py:1056] Loading model weights took 13.5083 GB`,
  ];
}

/** Log lines of a predictor that became ready. */
export function readyLines(p: PredictorSpec): string[] {
  if (p.engine === 'tei') return ['INFO text_embeddings_router: router/src/main.rs:175: Starting model backend', 'INFO text_embeddings_router::http::server: Ready'];
  return ['INFO:     Started server process [1]', 'INFO:     Application startup complete.', 'INFO:     Uvicorn running on http://0.0.0.0:8080 (Press CTRL+C to quit)'];
}

/**
 * Log lines of KServe's storage initializer failing. `missing-key` carries KServe's own sentence
 * (pkg/credentials: "specified storage key %s not found in storage secret %s"; on a real cluster
 * the pod webhook refuses the pod with it, the simulation shows it in the predictor pod's log);
 * `no-model` is storage.py's "Failed to fetch model. No model found in %s."
 */
export function storageInitErrorLines(reason: 'missing-key' | 'no-model', key: string, uri: string): string[] {
  if (reason === 'missing-key') {
    return [
      `INFO:root:Initializing, args: src_uri [${uri}] dest_path[ [/mnt/models]`,
      `ERROR:root:specified storage key ${key} not found in storage secret storage-config`,
    ];
  }
  return [
    `INFO:root:Initializing, args: src_uri [${uri}] dest_path[ [/mnt/models]`,
    `INFO:root:Copying contents of ${uri} to local`,
    `RuntimeError: Failed to fetch model. No model found in ${uri}.`,
  ];
}

type Status = Record<string, unknown>;

/** InferenceService status while the predictor rolls out. */
export function progressingStatus(s: Status, generation: number): Status {
  let conds = s['conditions'] as Condition[] | undefined;
  conds = setCondition(conds, { type: 'IngressReady', status: 'True' });
  conds = setCondition(conds, { type: 'PredictorReady', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' });
  conds = setCondition(conds, { type: 'Ready', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' });
  return { ...s, observedGeneration: generation, deploymentMode: 'RawDeployment', conditions: conds, modelStatus: { transitionStatus: 'InProgress', states: { activeModelState: 'Pending', targetModelState: 'Pending' }, copies: { failedCopies: 0, totalCopies: 0 } } };
}

/** InferenceService status when the predictor failed (`BlockedByFailedLoad` / `InvalidSpec`). */
export function failedStatus(s: Status, generation: number, failure: { reason: string; message: string; exitCode?: number; transition?: string }): Status {
  const base = progressingStatus(s, generation);
  return {
    ...base,
    modelStatus: {
      transitionStatus: failure.transition ?? 'BlockedByFailedLoad',
      states: { activeModelState: '', targetModelState: 'FailedToLoad' },
      copies: { failedCopies: 1, totalCopies: 0 },
      lastFailureInfo: { reason: failure.reason, message: failure.message, ...(failure.exitCode === undefined ? {} : { exitCode: failure.exitCode }) },
    },
  };
}

/** InferenceService status once Ready (`status.url` and `status.address.url` = the predictor Service URL). */
export function readyStatus(s: Status, generation: number, url: string): Status {
  let conds = s['conditions'] as Condition[] | undefined;
  for (const type of ['IngressReady', 'PredictorReady', 'Ready']) conds = setCondition(conds, { type, status: 'True' });
  return {
    ...s, observedGeneration: generation, deploymentMode: 'RawDeployment', url, address: { url }, conditions: conds,
    components: { predictor: { url } },
    modelStatus: { transitionStatus: 'UpToDate', states: { activeModelState: 'Loaded', targetModelState: 'Loaded' }, copies: { failedCopies: 0, totalCopies: 1 } },
  };
}
