/**
 * Known failure shapes of a predictor, read from its pod's log and container states (STAGES.md §5
 * "Diagnosis"; FIELD-CASES C3, C5, C6), each turned into one sentence, a fix and, where an input
 * repairs it, the suggested input:
 * - vLLM: "... is larger than the maximum number of tokens that can be stored in KV cache (N)"
 *   (vllm/worker/worker.py `raise_if_cache_size_invalid`; vllm-project/vllm#2418) → `maxModelLen` ≤ N;
 * - `PermissionError: [Errno 13] Permission denied: '/.cache'` (random UID, `$HOME=/`;
 *   kserve/kserve#3562) → HF_HOME/HOME in an emptyDir;
 * - `CERTIFICATE_VERIFY_FAILED` / "certificate verify failed" in the storage initializer → CA bundle;
 * - "specified storage key K not found in storage secret storage-config" (KServe pkg/credentials)
 *   → the data connection is not registered: its labels (odh-dashboard#6847);
 * - "Failed to fetch model. No model found in URI" (KServe storage.py) → the bucket path is empty.
 */
import { UserError } from '../../src/engine/errors.js';

/** What a failure is, in words a person can act on. `code` is stable (`kv-cache`, `hf-home`, `ca-bundle`, `connection-unregistered`, `no-model`). */
export interface Finding {
  code: string;
  summary: string;
  fix: string;
  suggestedInputs?: Record<string, unknown>;
}

/** What the classifier needs besides the text. */
export interface ClassifyContext {
  stepId: string;
  namespace: string;
  runtime: string;
  storageKey: string;
  storagePath: string;
  maxModelLen: number;
  /** Labels of the data connection Secret (undefined: the Secret does not exist). */
  connectionLabels?: Record<string, string> | undefined;
  connectionExists: boolean;
}

/** Labels OpenShift AI needs on a data connection before it copies it into `storage-config` (STAGES.md §3). */
export const REGISTERED_LABELS: Readonly<Record<string, string>> = { 'opendatahub.io/dashboard': 'true', 'opendatahub.io/managed': 'true' };

/**
 * A `--max-model-len` that fits a KV cache of `tokens`: N rounded down to a multiple of 1024
 * (vLLM block sizes divide it), or N itself below 1024.
 */
export function fittingMaxModelLen(tokens: number): number {
  return tokens >= 1024 ? Math.floor(tokens / 1024) * 1024 : tokens;
}

/** Labels of `labels` that differ from REGISTERED_LABELS, as `key=value` (what is wanted). */
export function missingLabels(labels: Record<string, string> | undefined): string[] {
  return Object.entries(REGISTERED_LABELS).filter(([k, v]) => labels?.[k] !== v).map(([k, v]) => `${k}=${v}`);
}

/** Classifies a predictor failure from log lines and container messages; undefined when nothing known matches. */
export function classifyFailure(text: readonly string[], c: ClassifyContext): Finding | undefined {
  const all = text.join('\n');
  const kv = /larger than the maximum number of tokens that can be stored in KV cache \((\d+)\)/.exec(all);
  if (kv) {
    const n = Number(kv[1]);
    const fit = fittingMaxModelLen(n);
    return {
      code: 'kv-cache',
      summary: `vLLM cannot hold --max-model-len=${c.maxModelLen} tokens in the GPU's KV cache, which fits ${n} tokens: the predictor crash-loops`,
      fix: `serve with a max model length of at most ${n} (suggested ${fit}): run again with ${c.stepId}.maxModelLen=${fit} in the answers file, or give the model more GPU memory`,
      suggestedInputs: { maxModelLen: fit },
    };
  }
  if (/PermissionError: \[Errno 13\] Permission denied: '\/\.cache/.test(all) || /Permission denied.*'\/\.cache/.test(all)) {
    return {
      code: 'hf-home',
      summary: `the runtime container cannot write /.cache: it runs with a random UID and $HOME=/ (ServingRuntime ${c.runtime} lacks HF_HOME/HOME in a writable volume)`,
      fix: `run this step again: it sets HF_HOME and HOME to an emptyDir in ServingRuntime ${c.runtime}`,
    };
  }
  if (/CERTIFICATE_VERIFY_FAILED|certificate verify failed/i.test(all)) {
    return {
      code: 'ca-bundle',
      summary: `the storage initializer does not trust the certificate of the S3 endpoint in data connection ${c.storageKey}`,
      fix: "add the endpoint's CA to OpenShift AI's trusted CA bundle (DSCInitialization spec.trustedCABundle.customCABundle, copied into ConfigMap odh-trusted-ca-bundle of the project), or use the in-cluster http endpoint as AWS_S3_ENDPOINT",
    };
  }
  const key = /specified storage key (\S+) not found in storage secret storage-config/.exec(all);
  if (key) {
    const missing = missingLabels(c.connectionLabels);
    const summary = !c.connectionExists
      ? `data connection not registered: Secret ${c.namespace}/${c.storageKey} does not exist`
      : missing.length > 0
        ? `data connection not registered: label ${missing.join(', ')} missing on Secret ${c.namespace}/${c.storageKey}`
        : `data connection not registered: storage key ${c.storageKey} is not in Secret storage-config yet`;
    return {
      code: 'connection-unregistered',
      summary,
      fix: !c.connectionExists
        ? 'run the data-connection step first'
        : `run this step again: it sets the labels (oc label secret ${c.storageKey} -n ${c.namespace} opendatahub.io/dashboard=true opendatahub.io/managed=true --overwrite)`,
    };
  }
  const empty = /No model found in (\S+?)\.?$/m.exec(all);
  if (empty) {
    return {
      code: 'no-model',
      summary: `the bucket has no model files under ${empty[1] ?? c.storagePath} (storage.path ${c.storagePath})`,
      fix: 'run the import step again, and check that storage.path is <repo id>/ as the import wrote it',
    };
  }
  return undefined;
}

/** A predictor that failed in a known or unknown way; carries the finding for `diagnose`. */
export class PredictorFailed extends UserError {
  readonly finding: Finding | undefined;
  constructor(what: string, reason: string, finding: Finding | undefined, fix?: string) {
    super(finding ? `serving.${finding.code}` : 'serving.predictor-failed', `${what}: ${finding?.summary ?? reason}`, { ...((finding?.fix ?? fix) ? { fix: finding?.fix ?? fix } : {}) });
    this.name = 'PredictorFailed';
    this.finding = finding;
  }
}
