/**
 * The state of a run as the screens draw it, computed from the event stream alone. The engine
 * keeps one with `applyEvent`; a host that only receives events can keep its own the same way.
 */
import type {
  AnyStep,
  Change,
  Diagnosis,
  EngineEvent,
  Progress,
  SerializedError,
  StageId,
  StepId,
  StepState,
} from './types.js';

/** What a screen shows about one step. Times are milliseconds since the epoch. */
export interface StepSnapshot {
  id: StepId;
  stage: StageId;
  title: string;
  needs: StepId[];
  state: StepState;
  /** When the step left `pending` in this run. */
  startedAt?: number;
  /** When it reached a final state. */
  endedAt?: number;
  /** The last "waiting for <what>: currently <currently>"; cleared when the state changes. */
  wait?: { what: string; currently: string };
  /** The last progress report; cleared when the state changes. */
  progress?: Progress;
  /** The last plan (secret values already replaced by references). */
  plan?: { changes: Change[]; hash: string };
  outputs?: Record<string, unknown>;
  error?: SerializedError;
  diagnosis?: Diagnosis;
}

/** The whole run: steps in topological order, and the result once finished. */
export interface RunSnapshot {
  running: boolean;
  result?: 'done' | 'failed' | 'cancelled';
  firstError?: SerializedError;
  /** Step ids in the order the stage list shows them (topological, stable). */
  order: StepId[];
  steps: Record<StepId, StepSnapshot>;
}

/** A snapshot with every given step `pending`, in the given order. */
export function initialSnapshot(steps: readonly AnyStep<unknown>[], order: readonly StepId[]): RunSnapshot {
  const byId = new Map(steps.map((s) => [s.id, s] as const));
  const out: Record<StepId, StepSnapshot> = {};
  for (const id of order) {
    const s = byId.get(id);
    if (s) out[id] = { id, stage: s.stage, title: s.title, needs: [...s.needs], state: 'pending' };
  }
  return { running: false, order: [...order], steps: out };
}

/** Applies one event to a snapshot in place. Events about unknown steps are ignored. */
export function applyEvent(snap: RunSnapshot, e: EngineEvent): void {
  if (e.type === 'run-started') {
    snap.running = true;
    return;
  }
  if (e.type === 'run-finished') {
    snap.running = false;
    snap.result = e.result;
    if (e.firstError) snap.firstError = e.firstError;
    return;
  }
  if (e.type === 'log' || !(e.step in snap.steps)) return;
  const s = snap.steps[e.step] as StepSnapshot;
  switch (e.type) {
    case 'state':
      s.state = e.state;
      delete s.wait;
      delete s.progress;
      if (e.state === 'pending') break;
      if (e.state === 'ready') {
        s.startedAt = e.at;
        delete s.endedAt;
        delete s.error;
        delete s.diagnosis;
      }
      if (e.state === 'done' || e.state === 'failed' || e.state === 'skipped' || e.state === 'cancelled') s.endedAt = e.at;
      if (e.error) s.error = e.error;
      break;
    case 'wait':
      s.wait = { what: e.what, currently: e.currently };
      break;
    case 'progress':
      s.progress = e.progress;
      break;
    case 'plan':
      s.plan = { changes: e.changes, hash: e.hash };
      break;
    case 'outputs':
      s.outputs = e.outputs;
      break;
    case 'diagnosis':
      s.diagnosis = e.diagnosis;
      break;
    case 'inputs':
      break;
  }
}

/** A copy of a snapshot that later events do not change (step objects copied one level deep). */
export function copySnapshot(snap: RunSnapshot): RunSnapshot {
  return {
    ...snap,
    order: [...snap.order],
    steps: Object.fromEntries(Object.entries(snap.steps).map(([k, v]) => [k, { ...v }])),
  };
}
