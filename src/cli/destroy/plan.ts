/**
 * The teardown plan of `maas-wizard destroy`: which steps, in which order, deleting what.
 *
 * - Steps: every step the progress file records as having run (any attempt, or a state other
 *   than `pending`); with `--step STEP`, that step and every step that needs it (transitively).
 * - Order: the reverse of the graph's topological order, dependants first (the end-to-end check
 *   before the products, the products before the APIManager, ... the namespace last).
 * - Per step: its teardown's items (steps/teardown), or "the step's own destroy" when it has one
 *   and no teardown describes it.
 */
import { UserError } from '../../engine/errors.js';
import { dependantsOf, topologicalOrder } from '../../engine/graph.js';
import type { AnyStep, StepId } from '../../engine/types.js';
import { teardownFor } from '../../../steps/teardown/index.js';
import type { Teardown, TeardownItem } from '../../../steps/teardown/index.js';
import type { ProgressSource } from './context.js';

/** One step of the plan. */
export interface PlanEntry {
  step: AnyStep;
  /** The teardown describing (and, without `step.destroy`, doing) the deletion; undefined when none is known. */
  teardown?: Teardown;
  /** True when the step's own `destroy` does the deletion. */
  own: boolean;
  items: TeardownItem[];
  /** A sentence when the step has nothing of its own to delete. */
  note?: string;
}

/** The steps selected and the records to forget without a teardown (recorded but never ran). */
export interface Selection {
  /** Steps to tear down, dependants first. */
  steps: AnyStep[];
  /** Recorded ids among the selection that never ran (state `pending`, no attempt): only forgotten. */
  neverRan: StepId[];
}

/** True when the record says the step ran at least once (so it may have created something). */
export function hasRun(rec: { state: string; attempts: unknown[] } | undefined): boolean {
  return rec !== undefined && (rec.state !== 'pending' || rec.attempts.length > 0);
}

/**
 * Chooses and orders the steps.
 * @param steps every step of the wizard (the graph, built for the saved models).
 * @param only `--step STEP`: that step and its dependants.
 * @throws UserError `step.unknown` (usage) when `only` is not a step.
 */
export function selectSteps(steps: readonly AnyStep[], progress: ProgressSource, only?: string): Selection {
  if (only !== undefined && !steps.some((s) => s.id === only)) {
    throw new UserError('step.unknown', `there is no step "${only}"`, { usage: true, fix: `use one of: ${steps.map((s) => s.id).join(', ')}` });
  }
  const wanted = new Set(only === undefined ? steps.map((s) => s.id) : [only, ...dependantsOf(steps, only)]);
  const byId = new Map(steps.map((s) => [s.id, s] as const));
  const order = topologicalOrder(steps).reverse().filter((id) => wanted.has(id));
  return {
    steps: order.filter((id) => hasRun(progress.stepRecord(id))).map((id) => byId.get(id) as AnyStep),
    neverRan: order.filter((id) => progress.stepRecord(id) !== undefined && !hasRun(progress.stepRecord(id))),
  };
}

/**
 * The plan entry of one step, from its teardown's `describe` on `ctx` (no cluster access).
 * @param ctx the step's teardown context (see context.ts).
 */
export function planEntry(step: AnyStep, ctx: Parameters<Teardown['describe']>[0]): PlanEntry {
  const teardown = teardownFor(step.id);
  const own = typeof step.destroy === 'function';
  const items = teardown ? teardown.describe(ctx) : [];
  const note = teardown?.note?.(ctx) ?? (teardown ? undefined : own ? undefined : 'no teardown is known for this step: nothing is deleted, its record is forgotten');
  if (!teardown && own) items.push({ key: 'own', what: `what the step's own destroy deletes` });
  return { step, ...(teardown ? { teardown } : {}), own, items, ...(note ? { note } : {}) };
}

/** The plan as text: a header line, then per step its id and one line per item (asked / kept noted). */
export function formatPlan(entries: readonly PlanEntry[], header: string, decision?: (stepId: string, item: TeardownItem) => string | undefined): string {
  const lines = [header];
  for (const e of entries) {
    lines.push(`  ${e.step.id}${e.note && e.items.length === 0 ? ` — ${e.note}` : ''}`);
    for (const item of e.items) {
      const tag = item.keep ? ` [kept: ${item.keep}]` : (decision?.(e.step.id, item) ?? (item.ask ? ' [asked]' : ''));
      lines.push(`    - ${item.what}${tag}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
