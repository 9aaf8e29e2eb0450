/**
 * Export's sink on the engine (issue #9 item 3): runs the steps and keeps every planned Change,
 * step by step, in the order the engine planned them, plus why the steps that were not planned
 * were not. Two ways:
 * - `forward: false` (a real cluster, `--demo`): the engine's plan mode. Nothing is written; a step
 *   with changes ends `skipped`, so the steps that need it (and its outputs) stay unplanned.
 * - `forward: true` (`--dry-run`, on a throw-away simulated cluster only): the whole setup is
 *   applied, so every step is planned against the cluster as the steps before it leave it.
 */
import { Engine } from '../../engine/run.js';
import type { AnyStep, Change, SerializedError, StepId, StepState } from '../../engine/types.js';
import { UnattendedHost } from '../hosts/unattended.js';

/** The changes one step planned (already scrubbed of secret values by the engine). */
export interface PlannedStep {
  step: StepId;
  title: string;
  changes: Change[];
}

/** A step whose plan is not in the export, and why (one sentence). */
export interface UnplannedStep {
  step: StepId;
  title: string;
  state: StepState;
  reason: string;
}

/** What an export collected. */
export interface Collected {
  planned: PlannedStep[];
  unplanned: UnplannedStep[];
  /** Step outputs (non-secret), by step, as the engine ended with them. */
  outputs: Record<StepId, Record<string, unknown>>;
  /** The inputs each step ran with (non-secret, as the engine reported them), by step. */
  inputs: Record<StepId, Record<string, unknown>>;
}

/** Options of `collectPlans`. */
export interface CollectOptions<S> {
  steps: AnyStep<S>[];
  services: S;
  /** Apply each step after planning it (only ever on a throw-away simulated cluster). */
  forward: boolean;
  answers?: Record<StepId, Record<string, unknown>>;
  secrets?: Record<StepId, Record<string, string>>;
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
  /** Most steps at once (default: the engine's). */
  concurrency?: number;
}

/**
 * Runs the engine without a person (UnattendedHost, `yes`) and collects the plans.
 * Never rejects for a failing step (it is listed in `unplanned` with its error); rethrows what
 * the engine itself throws (BugError for a bad graph).
 */
export async function collectPlans<S>(options: CollectOptions<S>): Promise<Collected> {
  const planned = new Map<StepId, Change[]>();
  const errors = new Map<StepId, SerializedError>();
  const inputs: Record<StepId, Record<string, unknown>> = {};
  const engine = new Engine<S>({
    steps: options.steps,
    services: options.services,
    host: new UnattendedHost('maas-wizard export asks nothing'),
    yes: true,
    planOnly: !options.forward,
    ...(options.answers ? { answers: options.answers } : {}),
    ...(options.secrets ? { secrets: options.secrets } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
  });
  engine.on((e) => {
    if (e.type === 'plan') planned.set(e.step, e.changes);
    if (e.type === 'inputs') inputs[e.step] = e.inputs;
    if (e.type === 'state' && e.state === 'failed' && e.error) errors.set(e.step, e.error);
  });
  const result = await engine.run();
  const byId = new Map(options.steps.map((s) => [s.id, s] as const));
  const order = options.steps.map((s) => s.id);
  const out: Collected = { planned: [], unplanned: [], outputs: result.outputs, inputs };
  for (const id of order) {
    const step = byId.get(id);
    const state = result.states[id] ?? 'pending';
    const changes = planned.get(id);
    const title = step?.title ?? id;
    if (changes && state !== 'failed') out.planned.push({ step: id, title, changes });
    else out.unplanned.push({ step: id, title, state, reason: whyNotPlanned(step, state, errors.get(id), result.states, options.forward) });
  }
  return out;
}

/** One sentence: why a step has no plan in the export. */
function whyNotPlanned(
  step: AnyStep<unknown> | undefined,
  state: StepState,
  error: SerializedError | undefined,
  states: Record<StepId, StepState>,
  forward: boolean,
): string {
  if (state === 'failed') return `planning failed: ${error?.message ?? 'unknown error'}${error?.fix ? ` (fix: ${error.fix})` : ''}`;
  if (state === 'cancelled') return 'the export was interrupted';
  const waiting = (step?.needs ?? []).filter((n) => states[n] !== 'done');
  if (waiting.length === 0) return `not planned (state ${state})`;
  const list = waiting.map((n) => `${n} (${describeState(states[n], forward)})`).join(', ');
  return `needs the outputs of ${list}, which this cluster does not have yet`;
}

function describeState(state: StepState | undefined, forward: boolean): string {
  if (state === 'skipped') return forward ? 'skipped' : 'has changes still to apply';
  if (state === 'failed') return 'failed';
  if (state === 'pending') return 'not planned either';
  return state ?? 'not run';
}
