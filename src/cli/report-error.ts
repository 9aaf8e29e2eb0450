/**
 * The one top-level error handler (ARCHITECTURE.md "The step contract"): turns UserError,
 * InputError, StepError and BugError into `error: ...` + `fix: ...` lines and an exit code
 * (0 ok, 1 failed step, 2 bad usage or input, 130 interrupted). No stack trace for a UserError.
 */
import { BugError, EXIT, StepError, isAbort, messageOf, userErrorOf } from '../engine/errors.js';
import type { CliOutput } from './io.js';

/**
 * Bad command-line usage found after parsing (e.g. an unknown `--scenario`): printed with the
 * command's usage line, exit 2.
 */
export class UsageError extends Error {
  readonly fix: string;
  constructor(message: string, fix: string) {
    super(message);
    this.name = 'UsageError';
    this.fix = fix;
  }
}

/** Options of `reportError`. */
export interface ReportOptions {
  /** Usage line of the command that was running (`maas-wizard status [options]`), printed for usage errors. */
  usage?: string;
  /** Prints the stack of unexpected errors too (env `MAAS_WIZARD_DEBUG=1`). */
  debug?: boolean;
}

/**
 * Writes the error to `stderr` and returns the exit code:
 * UsageError / UserError with `usage` → 2; other UserError and StepError → 1; aborts → 130;
 * anything else is a bug → 1 with a request for a bug report.
 */
export function reportError(err: unknown, stderr: CliOutput, options: ReportOptions = {}): number {
  if (isAbort(err)) {
    stderr.write('interrupted\n');
    return EXIT.interrupted;
  }
  if (err instanceof UsageError) {
    stderr.write(`error: ${err.message}\nfix: ${err.fix}\n`);
    if (options.usage) stderr.write(`usage: ${options.usage}\n`);
    return EXIT.usage;
  }
  const user = userErrorOf(err);
  if (user) {
    const where = err instanceof StepError ? `${err.step} (${err.phase}): ` : '';
    stderr.write(`error: ${where}${user.message}\n`);
    if (user.fix) stderr.write(`fix: ${user.fix}\n`);
    return user.usage ? EXIT.usage : EXIT.failed;
  }
  if (err instanceof StepError) {
    stderr.write(`error: ${err.message}\n`);
    if (options.debug && err.cause instanceof Error && err.cause.stack) stderr.write(`${err.cause.stack}\n`);
    return EXIT.failed;
  }
  const kind = err instanceof BugError ? 'internal error' : 'unexpected error';
  stderr.write(`error: ${kind}: ${messageOf(err)}\n`);
  stderr.write('fix: this is a bug in maas-wizard; please report it with the command you ran (MAAS_WIZARD_DEBUG=1 shows the stack)\n');
  if (options.debug && err instanceof Error && err.stack) stderr.write(`${err.stack}\n`);
  return EXIT.failed;
}
