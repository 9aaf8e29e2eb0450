/**
 * The engine (ARCHITECTURE.md "Engine"): schedules the step graph, drives each step through its
 * life cycle, and reports every change on one event stream. The per-step life cycle is in
 * lifecycle.ts; this file schedules, cancels and reports.
 */
import { BugError, EXIT, UserError, isAbort, serializeError, userErrorOf } from './errors.js';
import { requirementsOf, topologicalOrder } from './graph.js';
import { scrub } from './hash.js';
import type { Host } from './host.js';
import { runStep } from './lifecycle.js';
import type { StepRuntime } from './lifecycle.js';
import type { ProgressStore, StepRecord } from './progress.js';
import { applyEvent, copySnapshot, initialSnapshot } from './snapshot.js';
import type { RunSnapshot } from './snapshot.js';
import type { AnyStep, EngineEvent, SerializedError, StepId, StepState } from './types.js';

export type { RunSnapshot, StepSnapshot } from './snapshot.js';

/** Options of an Engine. */
export interface EngineOptions<S> {
  steps: AnyStep<S>[];
  /** The services bag (cluster clients) handed to every step as `ctx.services`. */
  services: S;
  host: Host;
  /** Saved progress: read for resume and saved inputs; the engine subscribes its `record` (not in planOnly). */
  progress?: ProgressStore;
  /** Most steps running at once (default 4). */
  concurrency?: number;
  /** Aborts the run (Ctrl-C). */
  signal?: AbortSignal;
  /** Non-secret values per step (`--answers` file and flags). */
  answers?: Record<StepId, Record<string, unknown>>;
  /** Secret values per step (never stored, never emitted). */
  secrets?: Record<StepId, Record<string, string>>;
  /** Accept defaults, ask nothing (`--yes`). */
  yes?: boolean;
  /** Run only these steps and what they need (`retry STEP`). */
  only?: StepId[];
  /** Plan every step whose needs are done, apply nothing (`plan`). */
  planOnly?: boolean;
  /**
   * Steps recorded `skipped` at the start of the run without running (resume "skip"); the steps
   * that need them stay `pending` and do not run either.
   */
  skip?: StepId[];
  /** Steps whose saved inputs are reused without showing their form when valid (resume "retry"). */
  keepInputs?: StepId[];
  /** Environment read for secret fields' `env` (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Clock in milliseconds since the epoch (default `Date.now`), for event times. */
  now?: () => number;
}

/** The outcome of a run. */
export interface RunResult {
  result: 'done' | 'failed' | 'cancelled';
  /** Final state of every step of the run (steps left out by `only` are absent). */
  states: Record<StepId, StepState>;
  firstError?: SerializedError;
  /** The first error as thrown (a StepError), for the CLI's error screen. */
  error?: unknown;
  /** Exit code semantics: 0 done, 1 failed, 2 when the first error is bad usage/input, 130 cancelled. */
  exitCode: number;
  outputs: Record<StepId, Record<string, unknown>>;
}

/** Runs a graph of steps once. Create one Engine per run. */
export class Engine<S> {
  readonly #opts: EngineOptions<S>;
  readonly #listeners = new Set<(e: EngineEvent) => void>();
  readonly #controller = new AbortController();
  readonly #secrets = new Set<string>();
  readonly #outputs = new Map<StepId, Record<string, unknown>>();
  readonly #states = new Map<StepId, StepState>();
  /** What the progress store held when the run started (the store changes during the run). */
  readonly #recorded = new Map<StepId, { record?: StepRecord; inputs?: Record<string, unknown> }>();
  #snapshot: RunSnapshot;
  #started = false;
  #firstError: { serialized: SerializedError; raw: unknown } | undefined;
  #hostQueue: Promise<unknown> = Promise.resolve();
  #inListener = false;

  /** @param options see EngineOptions. Nothing runs until `run()`. */
  constructor(options: EngineOptions<S>) {
    this.#opts = options;
    this.#snapshot = initialSnapshot(options.steps as AnyStep<unknown>[], options.steps.map((s) => s.id));
    for (const byStep of Object.values(options.secrets ?? {})) for (const v of Object.values(byStep)) this.#secrets.add(v);
  }

  /** Subscribes to the event stream; returns the unsubscribe function. Listeners are called synchronously. */
  on(listener: (e: EngineEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A copy of the current state of every step, for the screens. */
  snapshot(): RunSnapshot {
    return copySnapshot(this.#snapshot);
  }

  /**
   * Runs the graph to the end (or until cancelled). Resolves with the result; step failures
   * do not reject.
   * @throws BugError (before anything runs) for an invalid graph: duplicate ids, unknown needs, cycles.
   * @throws UserError `step.unknown` (usage) when `only` names a step that does not exist.
   * @throws BugError when called twice.
   */
  async run(): Promise<RunResult> {
    if (this.#started) throw new BugError('Engine.run() called twice; create one Engine per run');
    this.#started = true;
    const { steps, progress, planOnly = false } = this.#opts;
    const order = topologicalOrder(steps);
    const known = new Set(order);
    for (const id of this.#opts.only ?? []) {
      if (!known.has(id)) {
        throw new UserError('step.unknown', `there is no step "${id}"`, { fix: `use one of: ${order.join(', ')}`, usage: true });
      }
    }
    const selected = this.#opts.only ? requirementsOf(steps, this.#opts.only) : order;
    const selectedSet = new Set(selected);
    const runOrder = order.filter((id) => selectedSet.has(id));
    this.#snapshot = initialSnapshot(steps as AnyStep<unknown>[], runOrder);
    for (const id of runOrder) this.#states.set(id, 'pending');
    for (const s of steps) {
      const record = progress?.stepRecord(s.id);
      const inputs = progress?.inputs(s.id);
      this.#recorded.set(s.id, { ...(record ? { record } : {}), ...(inputs ? { inputs } : {}) });
      if (record?.state === 'done' && record.outputs) this.#outputs.set(s.id, record.outputs);
    }

    const unsubscribeStore = progress && !planOnly ? this.on((e) => progress.record(e)) : undefined;
    const skip = new Set(this.#opts.skip ?? []);
    const external = this.#opts.signal;
    const onAbort = (): void => this.#controller.abort(external?.reason);
    if (external?.aborted) onAbort();
    else external?.addEventListener('abort', onAbort, { once: true });
    try {
      this.#emit({ type: 'run-started', at: this.#now(), steps: runOrder });
      for (const id of runOrder) if (skip.has(id)) this.#setState(id, 'skipped');
      await this.#schedule(runOrder);
      const result = this.#result();
      this.#emit({
        type: 'run-finished',
        at: this.#now(),
        result: result.result,
        ...(result.firstError ? { firstError: result.firstError } : {}),
      });
      return result;
    } finally {
      external?.removeEventListener('abort', onAbort);
      unsubscribeStore?.();
    }
  }

  /** Starts ready steps as their needs finish, at most `concurrency` at once, until nothing can start. */
  async #schedule(runOrder: StepId[]): Promise<void> {
    const byId = new Map(this.#opts.steps.map((s) => [s.id, s] as const));
    const cap = Math.max(1, this.#opts.concurrency ?? 4);
    const running = new Map<StepId, Promise<void>>();
    for (;;) {
      if (!this.#controller.signal.aborted) {
        for (const id of runOrder) {
          if (running.size >= cap) break;
          const step = byId.get(id) as AnyStep<S>;
          if (this.#states.get(id) !== 'pending' || !step.needs.every((n) => this.#isDone(n))) continue;
          const p = runStep(step, this.#runtime()).finally(() => running.delete(id));
          running.set(id, p);
        }
      }
      if (running.size === 0) return;
      await Promise.race(running.values());
    }
  }

  /** A need counts as done when done in this run, or (outside the run's selection) recorded done. */
  #isDone(id: StepId): boolean {
    const s = this.#states.get(id);
    if (s !== undefined) return s === 'done';
    return this.#recorded.get(id)?.record?.state === 'done';
  }

  #result(): RunResult {
    const states = Object.fromEntries(this.#states);
    const outputs = Object.fromEntries(this.#outputs);
    const aborted = this.#controller.signal.aborted;
    const failed = [...this.#states.values()].some((s) => s === 'failed');
    const result = aborted ? 'cancelled' : failed ? 'failed' : 'done';
    const first = this.#firstError;
    const exitCode =
      result === 'done' ? EXIT.ok : result === 'cancelled' ? EXIT.interrupted : userErrorOf(first?.raw)?.usage ? EXIT.usage : EXIT.failed;
    return {
      result,
      states,
      outputs,
      exitCode,
      ...(first && result !== 'done' ? { firstError: first.serialized, error: first.raw } : {}),
    };
  }

  /** What lifecycle.ts needs from the engine for one step. */
  #runtime(): StepRuntime<S> {
    const o = this.#opts;
    return {
      services: o.services,
      host: o.host,
      signal: this.#controller.signal,
      interactive: o.host.interactive && !o.yes,
      planOnly: o.planOnly ?? false,
      env: o.env ?? process.env,
      answers: (id) => o.answers?.[id],
      secrets: (id) => o.secrets?.[id],
      saved: (id) => this.#recorded.get(id)?.record,
      savedInputs: (id) => this.#recorded.get(id)?.inputs,
      outputs: (id) => this.#outputs.get(id),
      setOutputs: (id, out) => this.#outputs.set(id, out),
      addSecrets: (values) => values.forEach((v) => this.#secrets.add(v)),
      scrub: (value) => scrub(value, this.#secrets),
      setState: (id, state, error, drift) => this.#setState(id, state, error, drift),
      keepInputs: (id) => o.keepInputs?.includes(id) ?? false,
      emit: (e) => this.#emit(e),
      now: () => this.#now(),
      hostCall: (fn) => this.#hostCall(fn),
      abortRun: (reason) => this.#controller.abort(reason),
    };
  }

  #setState(step: StepId, state: StepState, error?: unknown, drift?: string): void {
    this.#states.set(step, state);
    // Outputs saved by an earlier run stop counting once the step is planned again or fails.
    if (state === 'planning' || state === 'failed') this.#outputs.delete(step);
    let serialized: SerializedError | undefined;
    if (error !== undefined) {
      serialized = scrub(serializeError(error), this.#secrets);
      if (!this.#firstError && state === 'failed') this.#firstError = { serialized, raw: error };
    }
    this.#emit({
      type: 'state',
      at: this.#now(),
      step,
      state,
      ...(serialized ? { error: serialized } : {}),
      ...(drift === undefined ? {} : { drift: scrub(drift, this.#secrets) }),
    });
  }

  /** Host calls one at a time (a host shows one form at a time); rejects with the abort when the run is cancelled. */
  #hostCall<T>(fn: () => Promise<T>): Promise<T> {
    const call = this.#hostQueue.then(fn);
    this.#hostQueue = call.catch(() => undefined);
    const signal = this.#controller.signal;
    if (signal.aborted) return Promise.reject(abortReason(signal));
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(abortReason(signal));
      signal.addEventListener('abort', onAbort, { once: true });
      call.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /** Applies the event to the snapshot, scrubs secret values out of it, and calls every listener. */
  #emit(event: EngineEvent): void {
    const e = scrub(event, this.#secrets);
    applyEvent(this.#snapshot, e);
    for (const l of [...this.#listeners]) {
      try {
        l(e);
      } catch (err) {
        if (this.#inListener) continue;
        this.#inListener = true;
        try {
          this.#emit({ type: 'log', at: this.#now(), level: 'error', message: `an event listener failed: ${String(err)}` });
        } finally {
          this.#inListener = false;
        }
      }
    }
  }

  #now(): number {
    return (this.#opts.now ?? Date.now)();
  }
}

function abortReason(signal: AbortSignal): unknown {
  return isAbort(signal.reason) ? signal.reason : new DOMException('the run was cancelled', 'AbortError');
}

/** Creates an Engine (same as `new Engine(options)`). */
export function createEngine<S>(options: EngineOptions<S>): Engine<S> {
  return new Engine(options);
}
