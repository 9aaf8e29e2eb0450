/**
 * The life cycle of one step (ARCHITECTURE.md "Engine", states in types.ts):
 * `pending → ready → (inputs) → planning → awaiting-confirmation → applying → verifying → done`,
 * or `failed` / `cancelled`; a step recorded done re-runs only `verify` (resume), and when that
 * fails it is drifted: the `planning` state event carries the verify error and the plan repairs it.
 * A confirmed plan is planned once more before the apply; when the cluster changed meanwhile (a
 * different plan hash) the new plan is confirmed again (at most MAX_PLAN_CONFIRMATIONS times).
 */
import { StepError, UserError, isAbort, messageOf } from './errors.js';
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
  /**
   * Records a state change (and emits it); `error` is the thrown value for `failed`; `drift` the
   * verify error of a step recorded done whose re-verification failed (with `planning`).
   */
  setState(id: StepId, state: StepState, error?: unknown, drift?: string): void;
  /** True when the step's saved inputs are reused without showing its form (resume "retry"). */
  keepInputs(id: StepId): boolean;
  emit(event: EngineEvent): void;
  now(): number;
  /** Queues a host call (one at a time); rejects when the run is cancelled. */
  hostCall<T>(fn: () => Promise<T>): Promise<T>;
  /** Cancels the whole run (plan declined). */
  abortRun(reason: unknown): void;
}

/**
 * How many times one step's plan is shown for confirmation when the cluster keeps changing
 * between the confirmation and the apply; then the step fails with `plan.unstable`.
 */
export const MAX_PLAN_CONFIRMATIONS = 3;

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
      askWhenValid: !recordedDone && !rt.keepInputs(id),
    });
    rt.addSecrets(Object.values(resolved.secrets));
    ctx.inputs = resolved.inputs;
    ctx.secrets = resolved.secrets;
    rt.emit({ type: 'inputs', at: rt.now(), step: id, inputs: resolved.inputs });
    if (cancelled()) return;

    let drift: string | undefined;
    if (recordedDone) {
      phase = 'verify';
      rt.setState(id, 'verifying');
      try {
        const outputs = await step.verify(ctx);
        if (cancelled()) return;
        return finishDone(rt, id, outputs);
      } catch (err) {
        if (rt.signal.aborted || isAbort(err)) throw err;
        drift = messageOf(err);
        rt.emit({ type: 'log', at: rt.now(), step: id, level: 'warn', message: `drifted: ${drift}` });
      }
    }

    phase = 'plan';
    rt.setState(id, 'planning', undefined, drift);
    let changes: Change[] = await step.plan(ctx);
    if (cancelled()) return;
    let hash = planHash(changes);
    rt.emit({ type: 'plan', at: rt.now(), step: id, changes, hash });
    let nothingToDo = changes.every((c) => c.action === 'none');

    if (rt.planOnly) {
      if (!nothingToDo) return rt.setState(id, 'skipped');
      // Nothing to change: verify (read-only) so that dependants can be planned too.
      phase = 'verify';
      rt.setState(id, 'verifying');
      const outputs = await step.verify(ctx);
      if (cancelled()) return;
      return finishDone(rt, id, outputs);
    }

    // Apply performs exactly the confirmed plan: after the confirmation the step plans again, and
    // when the cluster changed meanwhile (another hash) the new plan is shown and asked for again.
    for (let asked = 0; rt.interactive && !nothingToDo; asked++) {
      if (asked >= MAX_PLAN_CONFIRMATIONS) {
        throw new UserError('plan.unstable', `the plan of ${id} changed ${asked} times while it was being confirmed`, {
          fix: 'something else is changing these objects; stop it (or wait), then retry the step',
        });
      }
      rt.setState(id, 'awaiting-confirmation');
      const shown = changes;
      const answer = await rt.hostCall(() => rt.host.confirmPlan({ id, title: step.title }, rt.scrub(shown)));
      if (answer === 'abort') {
        rt.abortRun(new DOMException(`the plan of ${id} was declined`, 'AbortError'));
        rt.setState(id, 'cancelled');
        return;
      }
      const again = await step.plan(ctx);
      if (cancelled()) return;
      const againHash = planHash(again);
      if (againHash === hash) break;
      rt.emit({ type: 'log', at: rt.now(), step: id, level: 'warn', message: 'the cluster changed since this plan was shown; planning again' });
      changes = again;
      hash = againHash;
      rt.emit({ type: 'plan', at: rt.now(), step: id, changes, hash });
      nothingToDo = changes.every((c) => c.action === 'none');
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
