/**
 * Typed errors (ARCHITECTURE.md "The step contract"). One top-level handler in src/cli turns
 * them into a screen or a line and an exit code:
 * - UserError: something a person can fix (bad input, missing permission, missing operator) → exit 2
 *   when it is bad usage or input, else 1 when raised by a step.
 * - StepError: wraps anything thrown inside a step, with the step and the phase → exit 1.
 * - BugError: everything else → exit 1, asks for a bug report.
 */
import type { SerializedError, StepId } from './types.js';

/** Exit codes of the CLI (ARCHITECTURE.md "Commands"). */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/**
 * An error a person can fix. `code` is stable and machine-readable (e.g. `input.invalid`,
 * `rbac.denied`, `kubeconfig.exec-failed`); `fix` says what to do, in one sentence.
 * `usage: true` marks bad usage or input (exit code 2).
 */
export class UserError extends Error {
  readonly code: string;
  readonly fix: string | undefined;
  readonly usage: boolean;
  constructor(code: string, message: string, options: { fix?: string; usage?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UserError';
    this.code = code;
    this.fix = options.fix;
    this.usage = options.usage ?? false;
  }
}

/** Bad input: names the field (flag or answers-file key) and the fix. Exit code 2. */
export class InputError extends UserError {
  readonly field: string;
  constructor(field: string, message: string, fix: string) {
    super('input.invalid', `${field}: ${message}`, { fix, usage: true });
    this.name = 'InputError';
    this.field = field;
  }
}

/** Phase of a step in which an error happened. */
export type StepPhase = 'inputs' | 'plan' | 'apply' | 'verify' | 'destroy';

/** Anything thrown inside a step, with the step and the phase it was in. */
export class StepError extends Error {
  readonly step: StepId;
  readonly phase: StepPhase;
  constructor(step: StepId, phase: StepPhase, cause: unknown) {
    super(`${step} (${phase}): ${messageOf(cause)}`, { cause });
    this.name = 'StepError';
    this.step = step;
    this.phase = phase;
  }
}

/** An internal error: a broken invariant of the wizard itself. */
export class BugError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BugError';
  }
}

/** Thrown by waitFor when the timeout passes; `currently` is the probe's last text. */
export class WaitTimeoutError extends UserError {
  constructor(what: string, currently: string, timeoutMs: number, fix?: string) {
    super('wait.timeout', `gave up waiting for ${what} after ${Math.round(timeoutMs / 1000)} s: currently ${currently}`, {
      ...(fix === undefined ? {} : { fix }),
    });
    this.name = 'WaitTimeoutError';
  }
}

/** Thrown by waitFor when the probe reports a failure. */
export class WaitFailedError extends UserError {
  constructor(what: string, reason: string, fix?: string) {
    super('wait.failed', `${what} failed: ${reason}`, { ...(fix === undefined ? {} : { fix }) });
    this.name = 'WaitFailedError';
  }
}

/** The message of any thrown value. */
export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** True when `err` is an abort (AbortSignal fired), whatever library threw it. */
export function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || (err as { code?: string }).code === 'ABORT_ERR');
}

/** The innermost UserError in a cause chain, if any. */
export function userErrorOf(err: unknown): UserError | undefined {
  let e: unknown = err;
  for (let i = 0; i < 10 && e; i++) {
    if (e instanceof UserError) return e;
    e = e instanceof Error ? e.cause : undefined;
  }
  return undefined;
}

/** The form in which an error is shown and stored: code, message, fix, step, phase. No stack. */
export function serializeError(err: unknown): SerializedError {
  const user = userErrorOf(err);
  const stepErr = err instanceof StepError ? err : undefined;
  const base: SerializedError = user
    ? { code: user.code, message: user.message, ...(user.fix ? { fix: user.fix } : {}) }
    : { code: err instanceof BugError ? 'bug' : 'error', message: messageOf(stepErr ? stepErr.cause : err) };
  if (stepErr) {
    base.step = stepErr.step;
    base.phase = stepErr.phase;
  }
  return base;
}
