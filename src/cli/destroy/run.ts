/**
 * Runs a teardown plan (`maas-wizard destroy`), one step at a time, dependants first:
 * `step.destroy ?? teardown.run`, then the step is forgotten in the progress store (so `status`
 * shows it not started and the wizard would set it up again). A step that fails stays recorded
 * (the next `destroy` resumes there) and every step it needs is kept this time (deleting what a
 * half-removed step still uses would strand it); independent steps go on. An abort (Ctrl-C)
 * stops between or inside steps; the steps not finished stay recorded.
 */
import { serializeError } from '../../engine/errors.js';
import { requirementsOf } from '../../engine/graph.js';
import type { AnyStep, StepId } from '../../engine/types.js';
import type { TeardownContext, TeardownOutcome } from '../../../steps/teardown/index.js';
import type { PlanEntry } from './plan.js';

/** What happened to one step. */
export interface StepResult {
  step: StepId;
  result: 'done' | 'failed' | 'skipped' | 'interrupted';
  outcomes: TeardownOutcome[];
  error?: { code: string; message: string; fix?: string };
  /** Why a step was skipped (a step that needs... failed). */
  why?: string;
}

/** What `runTeardown` needs. */
export interface RunArgs {
  entries: readonly PlanEntry[];
  /** Every step of the graph (to find what a failed step needs). */
  graph: readonly AnyStep[];
  contextOf(entry: PlanEntry): Promise<TeardownContext>;
  forget(ids: StepId[]): void;
  signal: AbortSignal;
  /** Called with each step's result as soon as it is known (the output line). */
  onResult(r: StepResult): void;
}

function isAbort(err: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (err instanceof Error && err.name === 'AbortError');
}

/** Tears down one step; returns its outcomes. @throws what the teardown throws. */
async function tearDown(entry: PlanEntry, ctx: TeardownContext): Promise<TeardownOutcome[]> {
  const outcomes: TeardownOutcome[] = [];
  const report = (o: TeardownOutcome): void => void outcomes.push(o);
  const { step, teardown } = entry;
  if (step.destroy) {
    await step.destroy(ctx);
    if (teardown?.afterOwn) await teardown.afterOwn(ctx, report);
    else report({ what: `what ${step.id}'s own destroy deletes`, result: 'deleted' });
  } else if (teardown) {
    await teardown.run(ctx, report);
  }
  return outcomes;
}

/**
 * Runs the entries in order. Never throws: failures are results.
 * @returns every step's result, in order.
 */
export async function runTeardown(args: RunArgs): Promise<StepResult[]> {
  const results: StepResult[] = [];
  const blockedBy = new Map<StepId, StepId>();
  const emit = (r: StepResult): void => {
    results.push(r);
    args.onResult(r);
  };
  for (const entry of args.entries) {
    const id = entry.step.id;
    if (args.signal.aborted) {
      emit({ step: id, result: 'interrupted', outcomes: [] });
      continue;
    }
    const blocker = blockedBy.get(id);
    if (blocker) {
      emit({ step: id, result: 'skipped', outcomes: [], why: `kept: ${blocker}, which needs it, failed to tear down` });
      continue;
    }
    try {
      const outcomes = await tearDown(entry, await args.contextOf(entry));
      args.forget([id]);
      emit({ step: id, result: 'done', outcomes });
    } catch (err) {
      if (isAbort(err, args.signal)) {
        emit({ step: id, result: 'interrupted', outcomes: [] });
        continue;
      }
      const e = serializeError(err);
      emit({ step: id, result: 'failed', outcomes: [], error: { code: e.code, message: e.message, ...(e.fix ? { fix: e.fix } : {}) } });
      for (const need of requirementsOf(args.graph, [id])) if (need !== id && !blockedBy.has(need)) blockedBy.set(need, id);
    }
  }
  return results;
}

/** One line for a step's result: `✓ id: deleted A, B; already gone: C; kept: D (why)`, `✗ id: error`. */
export function resultLine(r: StepResult, note?: string): string {
  if (r.result === 'failed') return `✗ ${r.step}: ${r.error?.message ?? 'failed'}${r.error?.fix ? `\n  fix: ${r.error.fix}` : ''}`;
  if (r.result === 'skipped') return `- ${r.step}: ${r.why ?? 'skipped'}`;
  if (r.result === 'interrupted') return `- ${r.step}: interrupted, still recorded (run destroy again to resume)`;
  const by = (k: TeardownOutcome['result']): TeardownOutcome[] => r.outcomes.filter((o) => o.result === k);
  const parts: string[] = [];
  if (by('deleted').length > 0) parts.push(`deleted ${by('deleted').map((o) => o.what).join(', ')}`);
  for (const o of by('updated')) parts.push(`${o.what}: ${o.why ?? 'updated'}`);
  if (by('gone').length > 0) parts.push(`already gone: ${by('gone').map((o) => `${o.what}${o.why ? ` (${o.why})` : ''}`).join(', ')}`);
  for (const o of by('kept')) parts.push(`kept ${o.what}${o.why ? ` (${o.why})` : ''}`);
  if (parts.length === 0) parts.push(note ?? 'nothing to delete');
  return `✓ ${r.step}: ${parts.join('; ')}`;
}
