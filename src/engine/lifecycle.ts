/**
 * The life cycle of one step (ARCHITECTURE.md "Engine", states in types.ts):
 * `pending → ready → (inputs) → planning → awaiting-confirmation → applying → verifying → done`,
 * or `failed` / `cancelled`; a step recorded done re-runs only `verify` (resume).
 */
import { StepError, isAbort, messageOf } from './errors.js';
import type { StepPhase } from './errors.js';
import { planHash } from './hash.js';
import type { Host } from './host.js';
import { resolveInputs } from './inputs.js';
import type { StepRecord } from './progress-file.js';
import type { AnyStep, Change, EngineEvent, StepContext, StepId, StepState } from './types.js';
import { createWaitFor } from './wait.js';

/** What runStep needs from the engine. Built by Engine; exported for the engine only. */
export interface StepRuntime<S> {
  services: S;
  host: Host;
  /** The run's signal: Ctrl-C, or a plan declined. */
  signal: AbortSignal;
  /** A person can be asked (host interactive and not --yes). */
  interactive: boolean;
  planOnly: boolean;
  env: Record<string, string | undefined>;
  answers(id: StepId): Record<string, unknown> | undefined;
  secrets(id: StepId): Record<string, string> | undefined;
  saved(id: StepId): StepRecord | undefined;
  savedInputs(id: StepId): Record<string, unknown> | undefined;
  outputs(id: StepId): Record<string, unknown> | undefined;
  setOutputs(id: StepId, outputs: Record<string, unknown>): void;
  /** Registers secret values to scrub from everything emitted. */
  addSecrets(values: string[]): void;
  /** A copy of `value` with every known secret value replaced (for what goes to the host). */
  scrub<T>(value: T): T;
  /** Records a state change (and emits it); `error` is the thrown value for `failed`. */
  setState(id: StepId, state: StepState, error?: unknown): void;
  emit(event: EngineEvent): void;
  now(): number;
  /** Queues a host call (one at a time); rejects when the run is cancelled. */
  hostCall<T>(fn: () => Promise<T>): Promise<T>;
  /** Cancels the whole run (plan declined). */
  abortRun(reason: unknown): void;
}

/**
 * Runs one step whose needs are done, to a final state. Never rejects: failures become a
 * `failed` state (with StepError and diagnosis), aborts a `cancelled` state.
 */
export async function runStep<S>(step: AnyStep<S>, rt: StepRuntime<S>): Promise<void> {
  const id = step.id;
  let phase: StepPhase = 'inputs';
  const ctx: StepContext<Record<string, unknown>, S> = {
    stepId: id,
    inputs: {},
    secrets: {},
    services: rt.services,
    signal: rt.signal,
    unattended: !rt.interactive,
    outputs: (other) => rt.outputs(other),
    waitFor: createWaitFor({
      signal: rt.signal,
      onWait: (what, currently) => rt.emit({ type: 'wait', at: rt.now(), step: id, what, currently }),
    }),
    progress: (progress) => rt.emit({ type: 'progress', at: rt.now(), step: id, progress }),
    log: (message) => rt.emit({ type: 'log', at: rt.now(), step: id, level: 'info', message }),
    ask: (question) => rt.hostCall(() => rt.host.ask(id, rt.scrub(question))),
  };
  const cancelled = (): boolean => {
    if (!rt.signal.aborted) return false;
    rt.setState(id, 'cancelled');
    return true;
  };

  rt.setState(id, 'ready');
  try {
    const recordedDone = rt.saved(id)?.state === 'done';
    const resolved = await resolveInputs({
      step,
      defaultsContext: { outputs: (other) => rt.outputs(other) },
      saved: rt.savedInputs(id),
      answers: rt.answers(id),
      secrets: rt.secrets(id),
      env: rt.env,
      ask: rt.interactive
        ? (values, errors) =>
            rt.hostCall(() => rt.host.askInputs({ id, title: step.title, explain: step.explain }, step.fields ?? [], values, errors))
        : undefined,
      askWhenValid: !recordedDone,
    });
    rt.addSecrets(Object.values(resolved.secrets));
    ctx.inputs = resolved.inputs;
    ctx.secrets = resolved.secrets;
    rt.emit({ type: 'inputs', at: rt.now(), step: id, inputs: resolved.inputs });
    if (cancelled()) return;

    if (recordedDone) {
      phase = 'verify';
      rt.setState(id, 'verifying');
      try {
        const outputs = await step.verify(ctx);
        if (cancelled()) return;
        return finishDone(rt, id, outputs);
      } catch (err) {
        if (rt.signal.aborted || isAbort(err)) throw err;
        rt.emit({ type: 'log', at: rt.now(), step: id, level: 'warn', message: `drifted: ${messageOf(err)}` });
      }
    }

    phase = 'plan';
    rt.setState(id, 'planning');
    const changes: Change[] = await step.plan(ctx);
    if (cancelled()) return;
    rt.emit({ type: 'plan', at: rt.now(), step: id, changes, hash: planHash(changes) });
    const nothingToDo = changes.every((c) => c.action === 'none');

    if (rt.planOnly) {
      if (!nothingToDo) return rt.setState(id, 'skipped');
      // Nothing to change: verify (read-only) so that dependants can be planned too.
      phase = 'verify';
      rt.setState(id, 'verifying');
      const outputs = await step.verify(ctx);
      if (cancelled()) return;
      return finishDone(rt, id, outputs);
    }

    if (rt.interactive && !nothingToDo) {
      rt.setState(id, 'awaiting-confirmation');
      const answer = await rt.hostCall(() => rt.host.confirmPlan({ id, title: step.title }, rt.scrub(changes)));
      if (answer === 'abort') {
        rt.abortRun(new DOMException(`the plan of ${id} was declined`, 'AbortError'));
        rt.setState(id, 'cancelled');
        return;
      }
    }

    phase = 'apply';
    rt.setState(id, 'applying');
    await step.apply(ctx, changes);
    if (cancelled()) return;

    phase = 'verify';
    rt.setState(id, 'verifying');
    const outputs = await step.verify(ctx);
    if (cancelled()) return;
    finishDone(rt, id, outputs);
  } catch (err) {
    if (rt.signal.aborted) {
      rt.setState(id, 'cancelled');
      return;
    }
    const error = new StepError(id, phase, err);
    if (step.diagnose) {
      try {
        const diagnosis = await step.diagnose(ctx, err);
        if (diagnosis) rt.emit({ type: 'diagnosis', at: rt.now(), step: id, diagnosis });
      } catch (diagErr) {
        rt.emit({ type: 'log', at: rt.now(), step: id, level: 'warn', message: `diagnosis failed: ${messageOf(diagErr)}` });
      }
    }
    rt.setState(id, 'failed', error);
  }
}

function finishDone<S>(rt: StepRuntime<S>, id: StepId, outputs: Record<string, unknown> | undefined): void {
  const out = outputs ?? {};
  rt.setOutputs(id, out);
  rt.emit({ type: 'outputs', at: rt.now(), step: id, outputs: out });
  rt.setState(id, 'done');
}
