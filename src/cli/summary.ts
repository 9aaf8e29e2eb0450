/**
 * The summary printed at the end of a run in line mode (and after the Ink screen closes):
 * how many steps are done, failed, not started, how long it took, the first error with its
 * fix, and what to do next (`maas-wizard retry STEP`, `maas-wizard status`).
 */
import type { SerializedError, StepId, StepState } from '../engine/types.js';
import { formatDuration } from './hosts/format.js';

/** What the summary needs of a run's outcome (the engine's RunResult). */
export interface RunOutcome {
  result: 'done' | 'failed' | 'cancelled';
  states: Record<StepId, StepState>;
  firstError?: SerializedError;
}

/**
 * The summary lines.
 * @param command how to invoke the wizard again with the same profile flags (`maas-wizard --demo`).
 * @param tookMs wall-clock duration of the run in milliseconds.
 * @param planOnly true for `maas-wizard plan` (nothing was changed).
 */
export function summaryLines(outcome: RunOutcome, options: { command: string; tookMs: number; planOnly?: boolean }): string[] {
  const states = Object.entries(outcome.states);
  const count = (s: StepState): StepId[] => states.filter(([, st]) => st === s).map(([id]) => id);
  const done = count('done');
  const failed = count('failed');
  const cancelled = count('cancelled');
  const notStarted = states.filter(([, st]) => st === 'pending' || st === 'ready' || st === 'skipped').map(([id]) => id);
  const parts = [`${done.length} done`];
  if (failed.length) parts.push(`${failed.length} failed (${failed.join(', ')})`);
  if (cancelled.length) parts.push(`${cancelled.length} cancelled (${cancelled.join(', ')})`);
  if (notStarted.length) parts.push(`${notStarted.length} not ${options.planOnly ? 'applied' : 'started'}`);
  const lines = [`${options.planOnly ? 'plan' : 'steps'}: ${parts.join(', ')} — took ${formatDuration(options.tookMs)}`];
  const err = outcome.firstError;
  if (err) {
    lines.push(`error: ${err.step ? `${err.step}${err.phase ? ` (${err.phase})` : ''}: ` : ''}${err.message}`);
    if (err.fix) lines.push(`fix: ${err.fix}`);
  }
  const base = options.command;
  if (outcome.result === 'cancelled') {
    lines.push(`interrupted: the progress is saved; run \`${base}\` to resume, \`${base} status\` to see every step`);
  } else if (outcome.result === 'failed') {
    const step = err?.step ?? failed[0];
    lines.push(
      step
        ? `next: fix the cause, then \`${base} retry ${step}\`; \`${base} status\` shows every step`
        : `next: fix the cause and run \`${base}\` again; \`${base} status\` shows every step`,
    );
  } else if (options.planOnly) {
    lines.push(`nothing was changed; run \`${base}\` to apply`);
  } else {
    lines.push(`all done; \`${base} status\` lists every step and its outputs`);
  }
  return lines;
}
