/**
 * The step contract and the engine's event stream (ARCHITECTURE.md, "The step contract").
 *
 * A step is plain data plus async functions. The engine resolves its inputs, asks it for
 * a plan, has the plan confirmed by the host, applies it, verifies it and records the
 * outputs. Steps never print and never know which host (Ink, line, JSON, test) runs them.
 */
import type { z } from 'zod';

/** Identifier of a step, e.g. `preflight`, `project`, `serving.mistral-7b-instruct`. */
export type StepId = string;

/** Identifier of a stage: a group of steps shown as one line in the stage list. */
export type StageId =
  | 'preflight'
  | 'project'
  | 'storage'
  | 'data-connection'
  | 'import'
  | 'serving'
  | 'sso'
  | '3scale'
  | 'policies'
  | 'portal'
  | 'verify';

/**
 * Life cycle of a step. `done`, `failed`, `skipped` and `cancelled` are final for one run.
 * `cancelled` is what an interrupted step ends as (Ctrl-C); it is never recorded as done.
 */
export const STEP_STATES = [
  'pending',
  'ready',
  'planning',
  'awaiting-confirmation',
  'applying',
  'verifying',
  'done',
  'failed',
  'skipped',
  'cancelled',
] as const;
export type StepState = (typeof STEP_STATES)[number];

/** States after which a step does nothing more in this run. */
export const FINAL_STATES: ReadonlySet<StepState> = new Set(['done', 'failed', 'skipped', 'cancelled']);

/** A Kubernetes object as plain JSON (apiVersion, kind, metadata, ...). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** One field that differs between the cluster and the plan; `path` is dotted (`spec.predictor.model.runtime`). */
export interface FieldDiff {
  path: string;
  from: unknown;
  to: unknown;
}

/** An HTTP call to a service API (Keycloak admin API, 3scale API). The body never carries secret values. */
export interface ApiCall {
  service: 'kubernetes' | 'keycloak' | '3scale' | 's3' | 'huggingface' | 'model';
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
}

/**
 * One planned change. `target` is what a person reads ("InferenceService llm-hosting/mistral",
 * "client 3scale in realm maas"). Exactly one of `manifest` / `call` describes it.
 * Secret values are replaced by `<from Secret NAME>` references before a Change is built.
 */
export interface Change {
  action: 'create' | 'update' | 'delete' | 'none';
  target: string;
  manifest?: KubeObject;
  call?: ApiCall;
  diff?: FieldDiff[];
  note?: string;
}

/** How a field of a step's form is asked for. */
export interface InputField {
  /** Key in the step's inputs (or secrets) object, and under the step id in the answers file. */
  key: string;
  label: string;
  /** One or two sentences: what it is and what the default means. */
  help?: string;
  /**
   * How it is asked. `multiselect`: several of `choices` (and, in the forms, values typed in that
   * are not among them); its value is a `string[]`.
   */
  kind: 'text' | 'number' | 'select' | 'confirm' | 'secret' | 'multiselect';
  /**
   * Choices for `select` and `multiselect`, computed from facts (e.g. the StorageClasses found by
   * preflight, the model catalog).
   */
  choices?: (ctx: DefaultsContext) => Choice[];
  /**
   * The field is shown and required only when this returns true for the current values (the
   * form's values as the person edits them, or the resolved values: defaults, saved inputs,
   * answers). A hidden field is neither asked for nor reported missing, and its value is left
   * out of what the step's schemas validate (so the schema default applies). Absent: always shown.
   * Example: `when: (v) => v['mode'] === 'existing-s3'`.
   */
  when?: (values: Record<string, unknown>) => boolean;
  /** Environment variable read when set (e.g. `HF_TOKEN`). */
  env?: string;
  /** Command-line flag that sets it, when there is one (e.g. `--hf-token`). */
  flag?: string;
}

/**
 * True when `field` is shown (and so asked for and validated) for `values`: it has no `when`, or
 * its `when` returns true. A `when` that throws counts as shown (the person then sees the field
 * rather than losing it silently).
 */
export function isFieldShown(field: InputField, values: Record<string, unknown>): boolean {
  if (!field.when) return true;
  try {
    return field.when(values);
  } catch {
    return true;
  }
}

/** A choice of a `select` or `multiselect` field, or of a select question. */
export interface Choice {
  value: string;
  label: string;
  hint?: string;
}

/** What input defaults may read: preflight facts and the outputs of steps already done. */
export interface DefaultsContext {
  outputs(id: StepId): Readonly<Record<string, unknown>> | undefined;
}

/** A question put to the person through the host (checkpoints, plan confirmation, repairs). */
export type Question =
  | { kind: 'confirm'; id: string; message: string; default: boolean; details?: string }
  | { kind: 'select'; id: string; message: string; choices: Choice[]; default: string; details?: string }
  | { kind: 'text'; id: string; message: string; default?: string; secret?: boolean; details?: string }
  /** A manual step the person does outside the wizard; resolves when they confirm it is done. */
  | { kind: 'checkpoint'; id: string; title: string; body: string; url?: string };

/** Progress of long work (imports): any of the fields may be absent. Sizes in bytes, rate in bytes/second. */
export interface Progress {
  message?: string;
  /** 0..1 */
  fraction?: number;
  bytesDone?: number;
  bytesTotal?: number;
  bytesPerSecond?: number;
  /** Sub-item the progress is about, e.g. a model id. */
  item?: string;
}

/** The result of one look by a `waitFor` probe. */
export type ProbeResult<T> =
  | { state: 'pending'; currently: string }
  | { state: 'failed'; reason: string; fix?: string }
  | { state: 'done'; value: T };

/**
 * Options of `waitFor`. Times in milliseconds. Without `watch`, the probe is polled starting at
 * `intervalMs` and backing off by 1.5x up to `maxIntervalMs`.
 */
export interface WaitOptions {
  /** What is awaited, for the screen: "waiting for <what>: currently <probe's text>". */
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  maxIntervalMs?: number;
  /**
   * Subscribe to changes (a Kubernetes watch); call `wake` when something changed so the
   * probe runs again. Returns an unsubscribe function. Polling remains as a slow fallback.
   */
  watch?: (wake: () => void) => Promise<() => void> | (() => void);
}

/** The wait helper steps receive in their context. Throws WaitTimeoutError, WaitFailedError or AbortError. */
export type WaitFor = <T>(probe: () => Promise<ProbeResult<T>>, options: WaitOptions) => Promise<T>;

/** Everything a step function receives. `S` is the services bag (cluster clients) given by the CLI. */
export interface StepContext<I = Record<string, unknown>, S = unknown> extends DefaultsContext {
  stepId: StepId;
  inputs: I;
  /** Secret inputs (tokens, client secrets): in memory only, never stored or logged. */
  secrets: Readonly<Record<string, string>>;
  services: S;
  signal: AbortSignal;
  waitFor: WaitFor;
  progress(p: Progress): void;
  log(message: string): void;
  ask(q: Question): Promise<unknown>;
  /** True when the run accepts defaults and must not ask (`--yes`, or no TTY). */
  unattended: boolean;
}

/** A known failure shape turned into a plain sentence, a fix, and optionally a repair. */
export interface Diagnosis {
  summary: string;
  fix: string;
  /** Input changes that would repair it (e.g. a smaller `maxModelLen`), offered on resume. */
  suggestedInputs?: Record<string, unknown>;
}

/** Text for the explanation pane and `--explain`: what the step does, why, and the commands a person would type. */
export interface Explanation {
  what: string;
  why: string;
  commands: string[];
}

/**
 * A step of the wizard (ARCHITECTURE.md "The step contract").
 * - `plan` reads the cluster and returns the changes it would make, never writes.
 * - `apply` performs exactly that plan.
 * - `verify` reads back and returns the outputs; resume also uses it to decide whether
 *   a step recorded done is still done.
 * Errors: throw `UserError` for what a person can fix; anything else becomes a `StepError`.
 */
export interface Step<I = Record<string, unknown>, O = Record<string, unknown>, S = unknown> {
  id: StepId;
  stage: StageId;
  title: string;
  needs: StepId[];
  /** Validates the non-secret inputs; stored in the progress file. */
  inputs: z.ZodType<I>;
  /** Validates the secret inputs; never stored. */
  secrets?: z.ZodType<Record<string, string>>;
  fields: InputField[];
  /** Defaults that depend on facts and earlier outputs; the schema's own defaults apply after these. */
  defaults?(ctx: DefaultsContext): Partial<I>;
  plan(ctx: StepContext<I, S>): Promise<Change[]>;
  apply(ctx: StepContext<I, S>, plan: Change[]): Promise<void>;
  verify(ctx: StepContext<I, S>): Promise<O>;
  destroy?(ctx: StepContext<I, S>): Promise<void>;
  diagnose?(ctx: StepContext<I, S>, error: unknown): Promise<Diagnosis | undefined>;
  explain: Explanation;
}

/** Any step, whatever its input and output types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyStep<S = unknown> = Step<any, any, S>;

/** Record of one attempt at a step, kept in the progress file. Times are ISO-8601 strings. */
export interface Attempt {
  startedAt: string;
  endedAt?: string;
  state: StepState;
  error?: { code: string; message: string; fix?: string; phase?: string };
}

/** The one event stream every host and the progress store subscribe to. */
export type EngineEvent =
  | { type: 'run-started'; at: number; steps: StepId[] }
  /**
   * A state change. `drift` (with state `planning` only): the step was recorded done but its
   * re-verification failed (objects gone or changed); the text is the verify error, and the plan
   * that follows is the repair.
   */
  | { type: 'state'; at: number; step: StepId; state: StepState; error?: SerializedError; drift?: string }
  | { type: 'inputs'; at: number; step: StepId; inputs: Record<string, unknown> }
  | { type: 'plan'; at: number; step: StepId; changes: Change[]; hash: string }
  | { type: 'outputs'; at: number; step: StepId; outputs: Record<string, unknown> }
  | { type: 'progress'; at: number; step: StepId; progress: Progress }
  | { type: 'wait'; at: number; step: StepId; what: string; currently: string }
  | { type: 'log'; at: number; step?: StepId; level: 'info' | 'warn' | 'error'; message: string }
  | { type: 'diagnosis'; at: number; step: StepId; diagnosis: Diagnosis }
  | { type: 'run-finished'; at: number; result: 'done' | 'failed' | 'cancelled'; firstError?: SerializedError };

/** An error as it is shown and stored: no stack, no secret. */
export interface SerializedError {
  code: string;
  message: string;
  fix?: string;
  step?: StepId;
  phase?: string;
}
