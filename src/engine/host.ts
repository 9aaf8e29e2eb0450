/**
 * The host: how the engine talks to people (ARCHITECTURE.md "Engine"). The Ink host, the line
 * host and the test host implement it; the engine never prints and never reads a terminal.
 */
import { BugError } from './errors.js';
import type { Change, Explanation, InputField, Question, StepId } from './types.js';

/** The step a host call is about, as shown in a form header. */
export interface HostStep {
  id: StepId;
  title: string;
  explain: Explanation;
}

/**
 * What the engine needs from a host. The engine makes at most one host call at a time
 * (calls are queued), so a host never shows two forms at once.
 */
export interface Host {
  /** True when a person can be asked (TTY and not --yes). */
  readonly interactive: boolean;
  /**
   * Shows the step's form prefilled with `values`; returns the edited values (non-secret and
   * secret together). `errors` maps field keys to messages from the last validation (the key
   * `''` holds a message about the form as a whole).
   */
  askInputs(
    step: HostStep,
    fields: InputField[],
    values: Record<string, unknown>,
    errors: Record<string, string>,
  ): Promise<Record<string, unknown>>;
  /** Shows the plan; 'apply' to go on, 'abort' to stop the run. */
  confirmPlan(step: { id: StepId; title: string }, changes: Change[]): Promise<'apply' | 'abort'>;
  /** Puts a question (confirm, select, text, checkpoint) to the person; resolves with the answer. */
  ask(step: StepId, question: Question): Promise<unknown>;
}

/** Scripted answers of a ScriptedHost. */
export interface ScriptedAnswers {
  /**
   * Form values per step, merged over the prefilled values. A list gives the answers of
   * successive asks (for re-asks after invalid values).
   */
  inputs?: Record<StepId, Record<string, unknown> | Record<string, unknown>[]>;
  /** Plan answers: one for every step, or per step (default 'apply'). */
  plans?: 'apply' | 'abort' | Record<StepId, 'apply' | 'abort'>;
  /** Answers by question id. Unscripted questions get their default; checkpoints resolve `true`. */
  questions?: Record<string, unknown>;
}

/** One recorded host call. Values of secret fields are recorded as `'<secret>'`. */
export type HostCall =
  | { kind: 'askInputs'; step: StepId; values: Record<string, unknown>; errors: Record<string, string> }
  | { kind: 'confirmPlan'; step: StepId; changes: Change[] }
  | { kind: 'ask'; step: StepId; question: Question };

/**
 * A host that answers from a script and records every call: for tests, and the base of the
 * CLI's test host.
 */
export class ScriptedHost implements Host {
  readonly interactive: boolean;
  /** Every call in the order made. */
  readonly calls: HostCall[] = [];
  readonly #answers: ScriptedAnswers;
  readonly #inputAsks = new Map<StepId, number>();

  /**
   * @param answers scripted answers (see ScriptedAnswers).
   * @param options `interactive` (default true): what the host claims to the engine.
   */
  constructor(answers: ScriptedAnswers = {}, options: { interactive?: boolean } = {}) {
    this.#answers = answers;
    this.interactive = options.interactive ?? true;
  }

  /**
   * Returns the prefilled values with the step's scripted values merged over them.
   * @throws BugError when re-asked (errors present) and the script has no further answer for
   *   the step, since the same answer would be refused forever.
   */
  async askInputs(
    step: HostStep,
    fields: InputField[],
    values: Record<string, unknown>,
    errors: Record<string, string>,
  ): Promise<Record<string, unknown>> {
    const secretKeys = new Set(fields.filter((f) => f.kind === 'secret').map((f) => f.key));
    const recorded = Object.fromEntries(
      Object.entries(values).map(([k, v]) => [k, secretKeys.has(k) && v !== undefined ? '<secret>' : v]),
    );
    this.calls.push({ kind: 'askInputs', step: step.id, values: recorded, errors: { ...errors } });
    const n = this.#inputAsks.get(step.id) ?? 0;
    this.#inputAsks.set(step.id, n + 1);
    const script = this.#answers.inputs?.[step.id];
    const list = script === undefined ? [] : Array.isArray(script) ? script : [script];
    if (n > 0 && n >= list.length) {
      throw new BugError(`ScriptedHost: no scripted answer left for the form of "${step.id}" (errors: ${JSON.stringify(errors)})`);
    }
    return { ...values, ...(list[n] ?? {}) };
  }

  /** Answers from `plans` (default 'apply'). */
  async confirmPlan(step: { id: StepId; title: string }, changes: Change[]): Promise<'apply' | 'abort'> {
    this.calls.push({ kind: 'confirmPlan', step: step.id, changes });
    const plans = this.#answers.plans;
    if (plans === undefined) return 'apply';
    if (typeof plans === 'string') return plans;
    return plans[step.id] ?? 'apply';
  }

  /**
   * Answers from `questions[question.id]`, else the question's default (a checkpoint resolves
   * `true`, "done").
   * @throws BugError for a text question with neither a scripted answer nor a default.
   */
  async ask(step: StepId, question: Question): Promise<unknown> {
    this.calls.push({ kind: 'ask', step, question });
    const scripted = this.#answers.questions;
    if (scripted && Object.hasOwn(scripted, question.id)) return scripted[question.id];
    if (question.kind === 'checkpoint') return true;
    if (question.default !== undefined) return question.default;
    throw new BugError(`ScriptedHost: no scripted answer for question "${question.id}"`);
  }
}
