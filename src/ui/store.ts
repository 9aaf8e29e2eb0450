/**
 * The UI's state outside React: the run view (reduced from engine events), the queue of
 * things the person is being asked (forms, plan confirmations, questions, checkpoints) and
 * the resume choice. React components read it with `useSyncExternalStore`; the Ink host
 * implements the engine's `Host` by putting requests in the queue and resolving them when
 * the person answers.
 */
import type { Change, EngineEvent, Explanation, InputField, Question, StepId } from '../engine/types.js';
import type { AskStep, Host } from './host-types.js';
import type { RunView, StepInfo } from './model.js';
import { initialRunView, reduceRun } from './model.js';

/** What the failed step looked like when the run was saved (shown first on the resume screen). */
export interface ResumeInfo {
  failed?: {
    step: StepId;
    error: string;
    fix?: string;
    /** When it failed (ISO-8601 string, as in the progress file's attempts). */
    at: string;
    attempts: number;
    /** The diagnosis' summary (src/engine/types.ts `Diagnosis.summary`). */
    diagnosis?: string;
    /** The diagnosis' fix, when it says more than `fix`. */
    diagnosisFix?: string;
    /** Input changes the diagnosis suggests (`Diagnosis.suggestedInputs`), offered by "edit inputs, then retry". */
    suggestedInputs?: Record<string, unknown>;
    /** Steps that need this one (transitively): they do not run when it is skipped. */
    dependants?: StepId[];
  };
  /** Other steps that failed in the saved run (besides `failed`), most recent first. */
  otherFailed?: StepId[];
  /** Steps recorded done whose objects were found gone or changed, and not repaired yet. */
  drifted?: { step: StepId; reason: string; at: string }[];
}

/** The person's answer on the resume screen, in the terms of the first version (see ResumeDecision). */
export type ResumeChoice = 'resume' | 'review' | 'start-over';

/**
 * The person's answer on the resume screen:
 * - `retry`: run the failed steps again with their saved inputs (no form);
 * - `edit`: show the failed steps' forms, prefilled with the diagnosis' suggested inputs;
 * - `skip`: record the failed step (ResumeInfo.failed) skipped; what needs it does not run;
 * - `resume`: go on where the run stopped (nothing failed);
 * - `start-over`: forget the saved progress (the cluster is left as is).
 */
export type ResumeDecision = 'retry' | 'edit' | 'skip' | 'resume' | 'start-over';

/** One thing the person is being asked. `id` is unique per store. */
export type Interaction =
  | {
      id: number;
      kind: 'inputs';
      step: AskStep;
      fields: InputField[];
      values: Record<string, unknown>;
      errors: Record<string, string>;
      resolve(values: Record<string, unknown>): void;
      reject(err: unknown): void;
    }
  | {
      id: number;
      kind: 'plan';
      step: { id: StepId; title: string };
      changes: Change[];
      resolve(choice: 'apply' | 'abort'): void;
      reject(err: unknown): void;
    }
  | { id: number; kind: 'question'; step: StepId; question: Question; resolve(answer: unknown): void; reject(err: unknown): void };

/** Snapshot of the UI state. Replaced (never mutated) on every change. */
export interface UiState {
  view: RunView;
  /** First in, first shown. */
  queue: Interaction[];
  /** Present while the resume screen is up. */
  resume?: ResumeInfo;
  /** Explanations known per step (from the step list or from `askInputs`). */
  explains: Record<StepId, Explanation>;
}

type Listener = () => void;

/** Holds the UI state and notifies subscribers (React) on every change. */
export class UiStore {
  private state: UiState;
  private readonly listeners = new Set<Listener>();
  private nextId = 1;
  private readonly resumeResolvers: ((c: ResumeDecision) => void)[] = [];

  /** `steps`: the run's steps (explain optional); `resume`: show the resume screen first. */
  constructor(steps: StepInfo[], resume?: ResumeInfo) {
    const explains: Record<StepId, Explanation> = {};
    for (const s of steps) if (s.explain) explains[s.id] = s.explain;
    this.state = { view: initialRunView(steps), queue: [], explains, ...(resume ? { resume } : {}) };
  }

  /** The current state (stable identity until the next change, as useSyncExternalStore needs). */
  getState = (): UiState => this.state;

  /** Registers a listener; returns the unsubscribe function. */
  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(next: UiState): void {
    this.state = next;
    for (const l of this.listeners) l();
  }

  /** Feeds one engine event into the run view. */
  dispatch = (event: EngineEvent): void => {
    this.set({ ...this.state, view: reduceRun(this.state.view, event) });
  };

  /** A promise for the resume choice in the first version's terms (every repair is `resume`); resolved by `chooseResume`. */
  resumeChoice(): Promise<ResumeChoice> {
    return this.resumeDecision().then((d) => (d === 'start-over' ? 'start-over' : 'resume'));
  }

  /** A promise for the person's decision on the resume screen; resolved by `chooseResume`. */
  resumeDecision(): Promise<ResumeDecision> {
    return new Promise((resolve) => {
      this.resumeResolvers.push(resolve);
    });
  }

  /** Records the person's resume decision and leaves the resume screen. `review` counts as `resume`. */
  chooseResume(choice: ResumeDecision | 'review'): void {
    const { resume: _r, ...rest } = this.state;
    this.set(rest);
    const decision: ResumeDecision = choice === 'review' ? 'resume' : choice;
    for (const r of this.resumeResolvers.splice(0)) r(decision);
  }

  private enqueue<T>(make: (id: number, resolve: (v: T) => void, reject: (e: unknown) => void) => Interaction): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const interaction = make(this.nextId++, resolve, reject);
      this.set({ ...this.state, queue: [...this.state.queue, interaction] });
    });
  }

  /** Removes an interaction from the queue (after it was answered). */
  private remove(id: number): void {
    this.set({ ...this.state, queue: this.state.queue.filter((i) => i.id !== id) });
  }

  /** Answers the interaction `id` with `value` (type as its kind expects) and removes it. */
  answer(id: number, value: unknown): void {
    const i = this.state.queue.find((x) => x.id === id);
    if (!i) return;
    this.remove(id);
    (i.resolve as (v: unknown) => void)(value);
  }

  /**
   * Rejects every waiting interaction with an AbortError (DOMException name `AbortError`,
   * which src/engine/errors.ts `isAbort` recognises): used when the screen goes away.
   */
  abortAll(reason = 'the wizard screen was closed'): void {
    const queue = this.state.queue;
    this.set({ ...this.state, queue: [] });
    for (const i of queue) i.reject(new DOMException(reason, 'AbortError'));
  }

  /** The engine's `Host`, backed by this store's queue. `interactive` is always true. */
  host(): Host {
    return {
      interactive: true,
      askInputs: (step, fields, values, errors) => {
        this.set({ ...this.state, explains: { ...this.state.explains, [step.id]: step.explain } });
        return this.enqueue<Record<string, unknown>>((id, resolve, reject) => ({
          id,
          kind: 'inputs',
          step,
          fields,
          values,
          errors,
          resolve,
          reject,
        }));
      },
      confirmPlan: (step, changes) =>
        this.enqueue<'apply' | 'abort'>((id, resolve, reject) => ({ id, kind: 'plan', step, changes, resolve, reject })),
      ask: (step, question) =>
        this.enqueue<unknown>((id, resolve, reject) => ({ id, kind: 'question', step, question, resolve, reject })),
    };
  }
}
