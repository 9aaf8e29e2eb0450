/**
 * The end-of-run report (STAGES.md §10 "Final summary"): every URL, per model the gateway and a
 * curl example, where each credential lives in the cluster (Secret names and keys, never values),
 * what the end-to-end check found, and how long each stage took. Built from the progress file
 * only, so it works for a run that just ended and for `status` hours later; a partial run gives
 * a partial report. Rendered by report-markdown.ts (Markdown file, line mode) and
 * src/ui/components/SummaryScreen.tsx (Ink).
 *
 * It reads named, non-secret fields of the step outputs and nothing else (no inputs but the
 * Hugging Face token's Secret name), so nothing else the progress holds can reach the report.
 */
import path from 'node:path';
import type { ProgressData, StepRecord } from '../engine/progress-file.js';
import type { StageId, StepId, StepState } from '../engine/types.js';

/** A stage as steps/index.ts `stages` lists it (`StageInfo`); `order` sorts (0 first). */
export interface ReportStage {
  id: StageId;
  title: string;
  order?: number;
}

/** One model: its gateway and how to call it; `served: false` when it was not imported. */
export interface ModelReport {
  /** Catalog short name (`serving.<short>`, `threescale.product.<short>`). */
  short: string;
  /** Hugging Face repo id, when a step recorded it. */
  modelId?: string;
  /** false: not imported, nothing served; undefined: no step has recorded it yet. */
  served?: boolean;
  /** The `model` value clients send (vLLM `--served-model-name`). */
  servedModelName?: string;
  api?: ModelApi;
  /** 3scale product gateway (APIcast production), `https://<system-name>-maas-apicast-production.<domain>`. */
  productionUrl?: string;
  stagingUrl?: string;
  /** Application plan developers pick (e.g. `Standard`). */
  applicationPlan?: string;
  /** InferenceService in-cluster URL (`status.address.url`): the 3scale backend's private endpoint. */
  inClusterUrl?: string;
  /** Policy chain of the production proxy config, in order. */
  policyChain?: string[];
  /** Limits on the application plan (`period` as 3scale names it: minute … eternity). */
  limits?: { period: string; value: number }[];
  /** Shell lines of a curl example through the production gateway (key in `$API_KEY`). */
  curl?: string[];
}

/** One result of the end-to-end check (steps/verify `VerifyOutputs.checks`). */
export interface CheckReport {
  what: string;
  expected: string;
  got: string;
  ok: boolean;
  model?: string;
}

/** Elapsed time of one stage. */
export interface StageReport {
  id: StageId;
  title: string;
  /** `not started` when no step of the stage is recorded; `partial` when some are done. */
  state: 'done' | 'failed' | 'cancelled' | 'skipped' | 'running' | 'partial' | 'not started';
  /** Milliseconds during which at least one of its steps was running (overlaps counted once). */
  elapsedMs?: number;
  /** Attempts over all its steps (retries included). */
  attempts: number;
}

/** A step that failed, with its last error. */
export interface ProblemReport {
  step: StepId;
  message: string;
  fix?: string;
  /** ISO-8601 time of the failure. */
  at?: string;
}

/** Everything the summary screen, the line summary and report.md show. */
export interface RunReport {
  profile: { name: string; server?: string };
  /** `done`: every step done; `failed`: a step failed; `incomplete`: otherwise (interrupted, not run). */
  result: 'done' | 'failed' | 'incomplete';
  steps: { done: number; total: number };
  /** Latest `updatedAt` of the progress (ISO-8601): the time the report describes. */
  asOf?: string;
  /** Portals, consoles and the realm, in that order; only those recorded. */
  urls: { label: string; url: string }[];
  models: ModelReport[];
  credentials: CredentialLocation[];
  /** undefined when the check has not recorded results. */
  checks?: { passed: number; total: number; list: CheckReport[]; keptAccount?: string };
  stages: StageReport[];
  problems: ProblemReport[];
  /** Where report.md is (or will be) written. */
  reportPath?: string;
}

/** What buildReport reads. */
export interface ReportInput {
  /** The progress file content (ProgressStore `all()`). */
  progress: ProgressData;
  /** The stage list (steps/index.ts `stages`). */
  stages: readonly ReportStage[];
  /**
   * The run's steps (AnyStep has both fields), for their stage and order and to count steps not
   * yet recorded. Absent: stages are derived from the step id (`sso.client` → `sso`,
   * `threescale.*` → `3scale`, `serving.x` → `serving`, …).
   */
  steps?: readonly { id: StepId; stage: StageId }[];
  /** Where the Markdown report goes (see defaultReportPath). */
  reportPath?: string;
}

const PREFIX_STAGE: Record<string, StageId> = { threescale: '3scale', sso: 'sso', serving: 'serving', policies: 'policies', portal: 'portal', verify: 'verify' };

/** The stage of a step id by naming convention (steps/index.ts), or undefined. */
export function stageOfId(id: StepId, stages: readonly ReportStage[]): StageId | undefined {
  const head = id.split('.')[0] ?? id;
  return PREFIX_STAGE[head] ?? stages.find((s) => s.id === id || s.id === head)?.id;
}

/**
 * Where report.md goes by default: the profile's directory next to its progress file
 * (`<home>/profiles/<slug>.json` → `<home>/profiles/<slug>/report.md`).
 * @param progressFile absolute path of the progress file (ProgressStore `path`).
 */
export function defaultReportPath(progressFile: string): string {
  const dir = path.dirname(progressFile);
  const slug = path.basename(progressFile, path.extname(progressFile));
  return path.join(dir, slug, 'report.md');
}

/**
 * Builds the report from the progress. Never throws on missing steps or outputs: what is not
 * recorded is left out (a partial run gives a partial report).
 */
export function buildReport(input: ReportInput): RunReport {
  const { progress } = input;
  const steps = progress.steps;
  const out = (id: StepId): Record<string, unknown> | undefined => asObject(steps[id]?.outputs);
  const ids = stepOrder(input);
  const failed = ids.filter((id) => steps[id]?.state === 'failed');
  const done = ids.filter((id) => steps[id]?.state === 'done').length;
  const updated = Object.values(steps).map((r) => r.updatedAt).filter((t) => !Number.isNaN(Date.parse(t))).sort();
  const report: RunReport = {
    profile: { ...progress.profile },
    result: failed.length > 0 ? 'failed' : done === ids.length && ids.length > 0 ? 'done' : 'incomplete',
    steps: { done, total: ids.length },
    urls: urlsOf(out),
    models: modelsOf(ids, out),
    credentials: credentialLocations(out, progress.inputs),
    stages: stagesOf(input, ids),
    problems: failed.map((id) => problemOf(id, steps[id])),
  };
  const asOf = updated.at(-1);
  if (asOf) report.asOf = asOf;
  const checks = checksOf(out('verify'));
  if (checks) report.checks = checks;
  if (input.reportPath) report.reportPath = input.reportPath;
  return report;
}

/** The run's step ids: the graph's order when given (plus any recorded step it lacks), else the file's. */
function stepOrder(input: ReportInput): StepId[] {
  const recorded = Object.keys(input.progress.steps);
  if (!input.steps) return recorded;
  const ids = input.steps.map((s) => s.id);
  return [...ids, ...recorded.filter((id) => !ids.includes(id))];
}

function urlsOf(out: (id: StepId) => Record<string, unknown> | undefined): { label: string; url: string }[] {
  const am = out('threescale.apimanager');
  const kc = out('sso.keycloak');
  const candidates: [string, string | undefined][] = [
    ['3scale admin portal', str(am, 'adminUrl') ?? str(out('threescale.base'), 'adminUrl')],
    ['Developer portal', str(am, 'developerUrl') ?? str(out('portal.settings'), 'developerUrl')],
    ['Keycloak admin console', str(kc, 'adminConsole')],
    ['Realm (OpenID issuer)', str(kc, 'issuer') ?? str(out('sso.client'), 'issuer')],
  ];
  return candidates.filter((c): c is [string, string] => c[1] !== undefined).map(([label, url]) => ({ label, url }));
}

const MODEL_PREFIXES = ['serving.', 'threescale.product.', 'policies.'];

function modelsOf(ids: StepId[], out: (id: StepId) => Record<string, unknown> | undefined): ModelReport[] {
  const shorts: string[] = [];
  for (const id of ids) {
    const prefix = MODEL_PREFIXES.find((p) => id.startsWith(p));
    const short = prefix ? id.slice(prefix.length) : undefined;
    if (short && !shorts.includes(short)) shorts.push(short);
  }
  return shorts.map((short) => modelOf(short, out(`serving.${short}`), out(`threescale.product.${short}`), out(`policies.${short}`)));
}

function apiOf(product: Record<string, unknown> | undefined, serving: Record<string, unknown> | undefined): ModelApi | undefined {
  const api = str(product, 'api');
  if (api === 'chat' || api === 'completions' || api === 'embeddings') return api;
  const kind = str(serving, 'kind');
  return kind === 'embedding' ? 'embeddings' : kind === 'chat' ? 'chat' : undefined;
}

function modelOf(short: string, serving?: Record<string, unknown>, product?: Record<string, unknown>, policies?: Record<string, unknown>): ModelReport {
  const m: ModelReport = { short };
  const modelId = str(product, 'modelId') ?? str(serving, 'modelId');
  if (modelId) m.modelId = modelId;
  const served = [bool(serving, 'served'), bool(product, 'served'), bool(policies, 'served')];
  if (served.includes(false)) m.served = false;
  else if (served.includes(true)) m.served = true;
  if (m.served === false) return m;
  const name = str(product, 'servedModelName') ?? str(serving, 'servedModelName');
  if (name) m.servedModelName = name;
  const api = apiOf(product, serving);
  if (api) m.api = api;
  const fields: [keyof ModelReport, string | undefined][] = [
    ['productionUrl', str(product, 'productionUrl')],
    ['stagingUrl', str(product, 'stagingUrl')],
    ['applicationPlan', str(product, 'applicationPlan')],
    ['inClusterUrl', str(serving, 'url')],
  ];
  for (const [k, v] of fields) if (v) (m as unknown as Record<string, unknown>)[k] = v;
  const chain = strArray(policies, 'chain');
  if (chain) m.policyChain = chain;
  const limits = Array.isArray(policies?.['limits']) ? (policies['limits'] as unknown[]).map(asObject) : [];
  const parsed = limits.flatMap((l) => {
    const period = str(l, 'period');
    const value = num(l, 'value');
    return period !== undefined && value !== undefined ? [{ period, value }] : [];
  });
  if (parsed.length > 0) m.limits = parsed;
  if (m.productionUrl && m.servedModelName && m.api) m.curl = curlExample(m.productionUrl, m.servedModelName, m.api);
  return m;
}

function checksOf(verify: Record<string, unknown> | undefined): RunReport['checks'] {
  if (!verify || !Array.isArray(verify['checks'])) return undefined;
  const list = (verify['checks'] as unknown[]).flatMap((raw): CheckReport[] => {
    const c = asObject(raw);
    const what = str(c, 'what');
    const ok = bool(c, 'ok');
    if (what === undefined || ok === undefined) return [];
    const check: CheckReport = { what, expected: str(c, 'expected') ?? '', got: str(c, 'got') ?? '', ok };
    const model = str(c, 'model');
    if (model) check.model = model;
    return [check];
  });
  const checks: NonNullable<RunReport['checks']> = { passed: list.filter((c) => c.ok).length, total: list.length, list };
  const kept = str(verify, 'keptAccount');
  if (kept) checks.keptAccount = kept;
  return checks;
}

/** Milliseconds covered by the union of [start, end] intervals. */
function unionMs(intervals: [number, number][]): number {
  const sorted = intervals.filter(([a, b]) => b >= a).sort((x, y) => x[0] - y[0]);
  let total = 0;
  let cur: [number, number] | undefined;
  for (const [a, b] of sorted) {
    if (cur && a <= cur[1]) cur[1] = Math.max(cur[1], b);
    else {
      if (cur) total += cur[1] - cur[0];
      cur = [a, b];
    }
  }
  return total + (cur ? cur[1] - cur[0] : 0);
}

function stageState(states: (StepState | undefined)[]): StageReport['state'] {
  const known = states.filter((s): s is StepState => s !== undefined && s !== 'pending');
  if (known.length === 0) return 'not started';
  if (known.includes('failed')) return 'failed';
  if (known.includes('cancelled')) return 'cancelled';
  if (known.length < states.length) return 'partial';
  if (known.every((s) => s === 'skipped')) return 'skipped';
  if (known.every((s) => s === 'done' || s === 'skipped')) return 'done';
  return 'running';
}

function stagesOf(input: ReportInput, ids: StepId[]): StageReport[] {
  const stageOf = (id: StepId): StageId | undefined => input.steps?.find((s) => s.id === id)?.stage ?? stageOfId(id, input.stages);
  const sorted = [...input.stages].sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  return sorted.map((stage) => {
    const mine = ids.filter((id) => stageOf(id) === stage.id);
    const records = mine.map((id) => input.progress.steps[id]);
    const intervals: [number, number][] = [];
    let attempts = 0;
    for (const rec of records) {
      for (const a of rec?.attempts ?? []) {
        attempts++;
        const start = Date.parse(a.startedAt);
        const end = Date.parse(a.endedAt ?? rec?.updatedAt ?? '');
        if (!Number.isNaN(start) && !Number.isNaN(end)) intervals.push([start, end]);
      }
    }
    const s: StageReport = { id: stage.id, title: stage.title, state: mine.length === 0 ? 'not started' : stageState(records.map((r) => r?.state)), attempts };
    if (intervals.length > 0) s.elapsedMs = unionMs(intervals);
    return s;
  });
}

function problemOf(step: StepId, rec: StepRecord | undefined): ProblemReport {
  const last = rec?.attempts.at(-1);
  const p: ProblemReport = { step, message: last?.error?.message ?? 'failed (no error recorded)' };
  if (last?.error?.fix) p.fix = last.error.fix;
  const at = last?.endedAt ?? rec?.updatedAt;
  if (at) p.at = at;
  return p;
}

// ---- where the credentials live (names only) ------------------------------------------------

/** Where one credential lives: a Secret (namespace/name and keys) or a place in a console. */
export interface CredentialLocation {
  /** What it is for, e.g. `3scale admin (portal login, API token)`. */
  what: string;
  /** `Secret <namespace>/<name>`, or a console path (`Keycloak admin console → …`). */
  where: string;
  /** The Secret's keys that hold it. */
  keys?: string[];
  /** A command that prints the values on demand (`oc extract secret/NAME -n NS --keys=K1,K2 --to=-`); never a value itself. */
  command?: string;
  /** The console where it is shown, when it is not in a Secret. */
  url?: string;
  note?: string;
}

/** Keys of the 3scale database Secrets (STAGES.md §7: backend-redis, system-redis, system-database). */
const DATABASE_KEYS: Record<string, string[]> = {
  'backend-redis': ['REDIS_STORAGE_URL', 'REDIS_QUEUES_URL'],
  'system-redis': ['URL'],
  'system-database': ['URL', 'DB_USER', 'DB_PASSWORD'],
};

function secretAt(what: string, namespace: string | undefined, name: string, keys: string[], note?: string): CredentialLocation {
  const where = `Secret ${namespace ? `${namespace}/` : ''}${name}`;
  const c: CredentialLocation = { what, where, keys };
  if (keys.length > 0) c.command = `oc extract secret/${name}${namespace ? ` -n ${namespace}` : ''} --keys=${keys.join(',')} --to=-`;
  if (note) c.note = note;
  return c;
}

/**
 * Where each credential of the setup lives, from the outputs' Secret names (never values):
 * 3scale admin → `threescale.apimanager` credentialsSecret (default `system-seed`, keys
 * ADMIN_USER / ADMIN_PASSWORD / ADMIN_ACCESS_TOKEN, STAGES.md §7); Keycloak admin → `sso.keycloak`
 * credentialSecret (Keycloak CR `status.credentialSecret`, ADMIN_USERNAME / ADMIN_PASSWORD); S3
 * keys → `storage` secretName and the data connection (`data-connection` name); the Hugging Face
 * token → the import's `tokenSecret` input (steps/import/token.ts, key HF_TOKEN); the `3scale`
 * client's secret → the Keycloak client's Credentials tab; API keys → the developer portal.
 */
export function credentialLocations(out: (id: StepId) => Record<string, unknown> | undefined, inputs: Record<StepId, Record<string, unknown>>): CredentialLocation[] {
  const list: CredentialLocation[] = [];
  const am = out('threescale.apimanager');
  if (am) {
    list.push(secretAt('3scale admin (portal login, Account Management API token)', str(am, 'namespace'), str(am, 'credentialsSecret') ?? 'system-seed', ['ADMIN_USER', 'ADMIN_PASSWORD', 'ADMIN_ACCESS_TOKEN']));
  }
  const kc = out('sso.keycloak');
  const kcSecret = str(kc, 'credentialSecret');
  if (kcSecret) list.push(secretAt('Keycloak admin (console login)', str(kc, 'namespace'), kcSecret, ['ADMIN_USERNAME', 'ADMIN_PASSWORD']));
  const client = out('sso.client');
  if (client || kc) {
    const realm = str(client, 'realm') ?? str(kc, 'realm') ?? 'maas';
    const clientId = str(client, 'clientId') ?? '3scale';
    const c: CredentialLocation = { what: `client secret of Keycloak client ${clientId}`, where: `Keycloak admin console → realm ${realm} → Clients → ${clientId} → Credentials`, note: 'also kept by 3scale in the developer portal\'s SSO integration' };
    const console = str(kc, 'adminConsole');
    if (console) c.url = console;
    list.push(c);
  }
  const storage = out('storage');
  const s3Secret = str(storage, 'secretName');
  if (s3Secret) list.push(secretAt('S3 keys of the model bucket', str(storage, 'namespace'), s3Secret, ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']));
  const dc = out('data-connection');
  const dcName = str(dc, 'name');
  if (dcName) list.push(secretAt('S3 keys, copy for OpenShift AI (data connection)', str(dc, 'namespace'), dcName, ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']));
  const importInputs = inputs['import'];
  if (out('import') || importInputs) {
    const name = str(importInputs, 'tokenSecret') ?? 'hf-token';
    const ns = str(out('project'), 'namespace') ?? str(inputs['project'], 'namespace') ?? str(storage, 'namespace');
    list.push(secretAt('Hugging Face token', ns, name, ['HF_TOKEN'], 'only when a token was given'));
  }
  const db = out('threescale.databases');
  for (const name of strArray(db, 'secrets') ?? []) {
    list.push(secretAt(`3scale database connection (${name})`, str(db, 'namespace') ?? str(am, 'namespace'), name, DATABASE_KEYS[name] ?? []));
  }
  const portal = str(am, 'developerUrl');
  if (portal) list.push({ what: 'API keys of the developers\' applications', where: 'developer portal → Applications (each developer sees their own)', url: portal });
  return list;
}

// ---- curl examples ---------------------------------------------------------------------------

/** The OpenAI-compatible API a model answers (catalog `api`, ProductOutputs `api`). */
export type ModelApi = 'chat' | 'completions' | 'embeddings';

const API_PATH: Record<ModelApi, string> = { chat: '/v1/chat/completions', completions: '/v1/completions', embeddings: '/v1/embeddings' };

/**
 * Shell lines of one request through a production gateway: vLLM's and TEI's OpenAI-compatible
 * routes (`POST /v1/chat/completions`, `/v1/completions`, `/v1/embeddings`) with the served model
 * name, the key as `Authorization: Bearer $API_KEY` (APIcast reads it there in both bearer
 * modes, STAGES.md §8). The gateway goes into `GW` so that every line stays short.
 * @param gateway production URL (`https://…-apicast-production.<domain>`), no trailing path.
 * @param model served model name (the request's `model`).
 */
export function curlExample(gateway: string, model: string, api: ModelApi): string[] {
  const m = JSON.stringify(model);
  const body: Record<ModelApi, string[]> = {
    chat: [`-d '{"model": ${m},`, `     "messages": [{"role": "user", "content": "Say hello"}]}'`],
    completions: [`-d '{"model": ${m},`, `     "prompt": "def fibonacci(n):", "max_tokens": 64}'`],
    embeddings: [`-d '{"model": ${m},`, `     "input": "Models as a Service"}'`],
  };
  const [first, ...rest] = body[api];
  return [
    `GW=${gateway.replace(/\/+$/, '')}`,
    `curl -sS "$GW${API_PATH[api]}" \\`,
    '  -H "Authorization: Bearer $API_KEY" \\',
    '  -H "Content-Type: application/json" \\',
    `  ${first ?? ''}`,
    ...rest.map((l) => `  ${l}`),
  ];
}

// ---- tolerant readers (a partial or hand-edited progress never crashes the report) ------------

/** `v` as a plain object, or undefined. */
function asObject(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** `o[key]` when it is a non-empty string. */
function str(o: Record<string, unknown> | undefined, key: string): string | undefined {
  const v = o?.[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** `o[key]` when it is a finite number. */
function num(o: Record<string, unknown> | undefined, key: string): number | undefined {
  const v = o?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** `o[key]` when it is a boolean. */
function bool(o: Record<string, unknown> | undefined, key: string): boolean | undefined {
  const v = o?.[key];
  return typeof v === 'boolean' ? v : undefined;
}

/** The strings of `o[key]` when it is an array (others dropped). */
function strArray(o: Record<string, unknown> | undefined, key: string): string[] | undefined {
  const v = o?.[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
}
