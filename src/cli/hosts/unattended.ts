/**
 * The host of a run nobody can be asked in (no TTY, `CI=true`, `--yes`, `--output json`):
 * never prompts (C14). Plans are applied, questions take their defaults, and a question
 * without a default is an InputError naming what to pass instead (exit 2).
 */
import { BugError, InputError } from '../../engine/errors.js';
import type { Host, HostStep } from '../../engine/host.js';
import type { Change, InputField, Question, StepId } from '../../engine/types.js';

/** Why nobody can be asked, for messages: e.g. "stdin is not a terminal". */
export type UnattendedReason = string;

/**
 * A Host that never asks (`interactive: false`).
 * - askInputs: the engine does not call it when `interactive` is false; if it does, BugError.
 * - confirmPlan: 'apply' (the run was started unattended on purpose).
 * - ask: the question's default; a checkpoint or a question without default → InputError.
 */
export class UnattendedHost implements Host {
  readonly interactive = false;
  readonly #reason: UnattendedReason;

  /** @param reason why nobody can be asked, shown in errors ("stdin is not a terminal"). */
  constructor(reason: UnattendedReason) {
    this.#reason = reason;
  }

  async askInputs(step: HostStep, _fields: InputField[], _values: Record<string, unknown>, _errors: Record<string, string>): Promise<Record<string, unknown>> {
    throw new BugError(`the engine asked for the form of "${step.id}" from a non-interactive host`);
  }

  async confirmPlan(_step: { id: StepId; title: string }, _changes: Change[]): Promise<'apply' | 'abort'> {
    return 'apply';
  }

  async ask(step: StepId, question: Question): Promise<unknown> {
    if (question.kind !== 'checkpoint' && question.default !== undefined) return question.default;
    const what = question.kind === 'checkpoint' ? `the manual step "${question.title}"` : `"${question.message}"`;
    throw new InputError(
      `${step} (question ${question.id})`,
      `${what} needs a person to answer, but ${this.#reason}`,
      'run the wizard in a terminal (without --yes or CI=true) to answer it',
    );
  }
}
