/**
 * The screen's model of a run: a pure reducer over the engine's event stream
 * (src/engine/types.ts `EngineEvent`). The Ink screens render a `RunView`; they never
 * look at the cluster (ARCHITECTURE.md: `ui → engine types only`).
 *
 * Times are milliseconds since the epoch, taken from the events' `at` field, so the
 * same events always give the same view (snapshots stay stable).
 */
import type {
  Change,
  Diagnosis,
  EngineEvent,
  Explanation,
  Progress,
  SerializedError,
  StageId,
  StepId,
  StepState,
} from '../engine/types.js';
import { FINAL_STATES } from '../engine/types.js';

/** How the screen describes a step before any event: what the CLI knows from the step list. */
export interface StepInfo {
  id: StepId;
  stage: StageId | string;
  title: string;
  needs: StepId[];
  /** `step.explain` (what, why, equivalent commands), when the caller passes the step objects. */
  explain?: Explanation;
}

/** Progress of one item (a model being imported, say). Sizes in bytes, rate in bytes/second. */
export interface ItemProgress {
  item: string;
  message?: string;
  /** 0..1; computed from bytes when only bytes are known. */
  fraction?: number;
  bytesDone?: number;
  bytesTotal?: number;
  bytesPerSecond?: number;
  /** Seconds left at the current rate: (bytesTotal - bytesDone) / bytesPerSecond. */
  secondsLeft?: number;
}

/** Everything the screen shows about one step. */
export interface StepView extends StepInfo {
  state: StepState;
  /** When the step first left `pending` in its latest attempt (ms since epoch). */
  startedAt?: number;
  /** When it reached a final state (ms since epoch). */
  endedAt?: number;
  /** Last "waiting for X: currently Y" of the current state; cleared on the next state change. */
  wait?: { what: string; currently: string };
  /** Per item, in the order items first appeared. The step-level item is ''. */
  progress: ItemProgress[];
  plan?: Change[];
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  error?: SerializedError;
  diagnosis?: Diagnosis;
  /**
   * Set when the step was recorded done but its objects were found gone or changed (the verify
   * error); the plan that follows repairs it. Cleared when the step is done again.
   */
  drift?: string;
  /** Time of the last event about this step, to pick the step to show. */
  lastEventAt: number;
}

/** A stage's state, aggregated from its steps. `partial`: some steps done, none running or failed. */
export type StageState = 'pending' | 'running' | 'partial' | 'done' | 'failed' | 'cancelled' | 'skipped';

/** One line of the stage list. */
export interface StageView {
  id: string;
  steps: StepId[];
  state: StageState;
  startedAt?: number;
  endedAt?: number;
  done: number;
  total: number;
}

/** One line of the log pane. */
export interface LogLine {
  at: number;
  step?: StepId;
  level: 'info' | 'warn' | 'error';
  message: string;
}

/** The whole screen model. */
export interface RunView {
  /** Step ids in the caller's order. */
  order: StepId[];
  steps: Record<StepId, StepView>;
  /** Stages in order of their first step. */
  stages: StageView[];
  /** Bounded: the last `MAX_LOG_LINES` lines. */
  log: LogLine[];
  startedAt?: number;
  finished?: { at: number; result: 'done' | 'failed' | 'cancelled'; firstError?: SerializedError };
}

/** How many log lines the view keeps (older lines are dropped first). */
export const MAX_LOG_LINES = 500;

const ACTIVE_STATES: ReadonlySet<StepState> = new Set(['ready', 'planning', 'awaiting-confirmation', 'applying', 'verifying']);

/** True for states in which a step is being worked on (not pending, not final). */
export function isActive(state: StepState): boolean {
  return ACTIVE_STATES.has(state);
}

/**
 * The view before any event: every step `pending`, stages grouped in the order their first
 * step appears. Throws nothing; duplicate ids keep the first entry. Step objects may be passed:
 * only their StepInfo members are kept.
 */
export function initialRunView(steps: StepInfo[]): RunView {
  const view: RunView = { order: [], steps: {}, stages: [], log: [] };
  for (const s of steps) {
    if (view.steps[s.id]) continue;
    view.order.push(s.id);
    // Only the StepInfo members: a step object's `plan` is a function, not a plan to show.
    view.steps[s.id] = {
      id: s.id, stage: s.stage, title: s.title, needs: [...s.needs], ...(s.explain ? { explain: s.explain } : {}),
      state: 'pending', progress: [], lastEventAt: 0,
    };
  }
  view.stages = aggregateStages(view);
  return view;
}

/**
 * Applies one engine event and returns a new view (the input is not modified).
 * Events about unknown steps add the step (stage `other`) rather than being lost.
 */
export function reduceRun(view: RunView, event: EngineEvent): RunView {
  switch (event.type) {
    case 'run-started': {
      let next: RunView = { ...view, startedAt: event.at, finished: undefined };
      for (const id of event.steps) next = ensureStep(next, id);
      return appendLog(next, { at: event.at, level: 'info', message: 'run started' });
    }
    case 'run-finished': {
      const next: RunView = {
        ...view,
        finished: { at: event.at, result: event.result, ...(event.firstError ? { firstError: event.firstError } : {}) },
      };
      return appendLog(next, { at: event.at, level: event.result === 'done' ? 'info' : 'error', message: `run ${event.result}` });
    }
    case 'log':
      return appendLog(view, {
        at: event.at,
        level: event.level,
        message: event.message,
        ...(event.step === undefined ? {} : { step: event.step }),
      });
    default:
      break;
  }
  const base = ensureStep(view, event.step);
  const step = base.steps[event.step] as StepView;
  const s: StepView = { ...step, lastEventAt: Math.max(step.lastEventAt, event.at) };
  let line: LogLine | undefined;
  switch (event.type) {
    case 'state': {
      const wasFinal = FINAL_STATES.has(step.state);
      if (event.state === 'pending') {
        delete s.startedAt;
        delete s.endedAt;
      } else if (s.startedAt === undefined || (wasFinal && !FINAL_STATES.has(event.state))) {
        s.startedAt = event.at;
        delete s.endedAt;
        if (wasFinal) {
          delete s.error;
          delete s.diagnosis;
        }
      }
      if (FINAL_STATES.has(event.state)) s.endedAt = event.at;
      if (event.drift !== undefined) s.drift = event.drift;
      if (event.state === 'done') delete s.drift;
      if (event.state !== step.state) delete s.wait;
      if (event.error) s.error = event.error;
      s.state = event.state;
      line = {
        at: event.at,
        step: event.step,
        level: event.state === 'failed' ? 'error' : 'info',
        message: event.error
          ? `${event.state}: ${event.error.message}`
          : event.drift !== undefined
            ? `${event.state} a repair: drifted (${event.drift})`
            : event.state,
      };
      break;
    }
    case 'inputs':
      s.inputs = event.inputs;
      break;
    case 'plan':
      s.plan = event.changes;
      break;
    case 'outputs':
      s.outputs = event.outputs;
      break;
    case 'wait':
      s.wait = { what: event.what, currently: event.currently };
      break;
    case 'progress':
      s.progress = mergeProgress(step.progress, event.progress);
      break;
    case 'diagnosis':
      s.diagnosis = event.diagnosis;
      line = { at: event.at, step: event.step, level: 'error', message: `diagnosis: ${event.diagnosis.summary}` };
      break;
  }
  let next: RunView = { ...base, steps: { ...base.steps, [event.step]: s } };
  if (event.type === 'state') next = { ...next, stages: aggregateStages(next) };
  return line ? appendLog(next, line) : next;
}

function ensureStep(view: RunView, id: StepId): RunView {
  if (view.steps[id]) return view;
  const next: RunView = {
    ...view,
    order: [...view.order, id],
    steps: { ...view.steps, [id]: { id, stage: 'other', title: id, needs: [], state: 'pending', progress: [], lastEventAt: 0 } },
  };
  return { ...next, stages: aggregateStages(next) };
}

function mergeProgress(list: ItemProgress[], p: Progress): ItemProgress[] {
  const item = p.item ?? '';
  const prev = list.find((x) => x.item === item);
  const merged: ItemProgress = { ...prev, item };
  if (p.message !== undefined) merged.message = p.message;
  if (p.bytesDone !== undefined) merged.bytesDone = p.bytesDone;
  if (p.bytesTotal !== undefined) merged.bytesTotal = p.bytesTotal;
  if (p.bytesPerSecond !== undefined) merged.bytesPerSecond = p.bytesPerSecond;
  if (p.fraction !== undefined) merged.fraction = clamp01(p.fraction);
  else if (merged.bytesDone !== undefined && merged.bytesTotal) merged.fraction = clamp01(merged.bytesDone / merged.bytesTotal);
  if (merged.bytesDone !== undefined && merged.bytesTotal !== undefined && merged.bytesPerSecond && merged.bytesPerSecond > 0) {
    merged.secondsLeft = Math.max(0, (merged.bytesTotal - merged.bytesDone) / merged.bytesPerSecond);
  } else {
    delete merged.secondsLeft;
  }
  return prev ? list.map((x) => (x === prev ? merged : x)) : [...list, merged];
}

function clamp01(n: number): number {
  return Math.min(1, Math.max(0, n));
}

function appendLog(view: RunView, line: LogLine): RunView {
  const log = view.log.length >= MAX_LOG_LINES ? view.log.slice(view.log.length - MAX_LOG_LINES + 1) : view.log.slice();
  log.push(line);
  return { ...view, log };
}

/** Groups steps by stage (order of first appearance) and aggregates each stage's state and times. */
export function aggregateStages(view: Pick<RunView, 'order' | 'steps'>): StageView[] {
  const byStage = new Map<string, StepView[]>();
  for (const id of view.order) {
    const s = view.steps[id];
    if (!s) continue;
    const list = byStage.get(s.stage) ?? [];
    list.push(s);
    byStage.set(s.stage, list);
  }
  return [...byStage.entries()].map(([id, steps]) => {
    const states = steps.map((s) => s.state);
    const done = states.filter((x) => x === 'done' || x === 'skipped').length;
    let state: StageState;
    if (states.includes('failed')) state = 'failed';
    else if (states.some(isActive)) state = 'running';
    else if (states.every((x) => x === 'skipped')) state = 'skipped';
    else if (done === states.length) state = 'done';
    else if (states.includes('cancelled')) state = 'cancelled';
    else state = done > 0 ? 'partial' : 'pending';
    const starts = steps.map((s) => s.startedAt).filter((x): x is number => x !== undefined);
    const ends = steps.map((s) => s.endedAt).filter((x): x is number => x !== undefined);
    const stage: StageView = { id, steps: steps.map((s) => s.id), state, done, total: steps.length };
    if (starts.length) stage.startedAt = Math.min(...starts);
    if (ends.length && state !== 'running' && state !== 'partial' && state !== 'pending') stage.endedAt = Math.max(...ends);
    return stage;
  });
}

/**
 * The step the step pane shows when nobody is being asked anything: the most recently
 * changed active step, else the most recently changed failed one, else the most recent
 * of any with events, else the first step. Undefined only for an empty run.
 */
export function currentStepId(view: RunView): StepId | undefined {
  const all = view.order.map((id) => view.steps[id]).filter((s): s is StepView => s !== undefined);
  const latest = (list: StepView[]): StepView | undefined =>
    list.reduce<StepView | undefined>((best, s) => (!best || s.lastEventAt >= best.lastEventAt ? s : best), undefined);
  return (
    latest(all.filter((s) => isActive(s.state)))?.id ??
    latest(all.filter((s) => s.state === 'failed'))?.id ??
    latest(all.filter((s) => s.lastEventAt > 0))?.id ??
    all[0]?.id
  );
}

/**
 * The step to show next, given the one shown now: it stays while it is active (so concurrent
 * steps do not make the pane jump on every event), otherwise `currentStepId` decides.
 */
export function followStep(view: RunView, shown: StepId | undefined): StepId | undefined {
  const s = shown === undefined ? undefined : view.steps[shown];
  return s && isActive(s.state) ? s.id : currentStepId(view);
}

/** The step before (`delta` -1) or after (+1) `from` in the run's order, wrapping around. */
export function neighbourStep(view: RunView, from: StepId | undefined, delta: 1 | -1): StepId | undefined {
  if (view.order.length === 0) return undefined;
  const i = from === undefined ? -1 : view.order.indexOf(from);
  const n = view.order.length;
  return view.order[(((i < 0 ? 0 : i + delta) % n) + n) % n];
}
