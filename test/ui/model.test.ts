import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/engine/types.js';
import { MAX_LOG_LINES, currentStepId, followStep, initialRunView, neighbourStep, reduceRun } from '../../src/ui/model.js';
import type { RunView } from '../../src/ui/model.js';

const STEPS = [
  { id: 'preflight', stage: 'preflight', title: 'Preflight', needs: [] },
  { id: 'import.granite', stage: 'import', title: 'Import granite', needs: ['preflight'] },
  { id: 'import.mistral', stage: 'import', title: 'Import mistral', needs: ['preflight'] },
];

function run(events: EngineEvent[], view: RunView = initialRunView(STEPS)): RunView {
  return events.reduce(reduceRun, view);
}

describe('initialRunView', () => {
  it('starts every step pending and groups stages in order of their first step', () => {
    const v = initialRunView(STEPS);
    expect(v.order).toEqual(['preflight', 'import.granite', 'import.mistral']);
    expect(Object.values(v.steps).map((s) => s.state)).toEqual(['pending', 'pending', 'pending']);
    expect(v.stages.map((s) => [s.id, s.state, s.total])).toEqual([
      ['preflight', 'pending', 1],
      ['import', 'pending', 2],
    ]);
  });
});

describe('reduceRun', () => {
  it('records start and end times from the events, so elapsed time is the difference', () => {
    const v = run([
      { type: 'state', at: 1_000, step: 'preflight', state: 'ready' },
      { type: 'state', at: 2_000, step: 'preflight', state: 'applying' },
      { type: 'state', at: 7_500, step: 'preflight', state: 'done' },
    ]);
    expect(v.steps['preflight']).toMatchObject({ state: 'done', startedAt: 1_000, endedAt: 7_500 });
    expect(v.stages[0]).toMatchObject({ state: 'done', startedAt: 1_000, endedAt: 7_500, done: 1 });
  });

  it('does not modify the view it is given', () => {
    const before = initialRunView(STEPS);
    const copy = structuredClone(before);
    reduceRun(before, { type: 'state', at: 1, step: 'preflight', state: 'applying' });
    expect(before).toEqual(copy);
  });

  it('keeps the last wait text and clears it when the state changes', () => {
    const waiting = run([
      { type: 'state', at: 1, step: 'preflight', state: 'applying' },
      { type: 'wait', at: 2, step: 'preflight', what: 'ObjectBucketClaim models', currently: 'Pending' },
      { type: 'wait', at: 3, step: 'preflight', what: 'ObjectBucketClaim models', currently: 'still Pending' },
    ]);
    expect(waiting.steps['preflight']?.wait).toEqual({ what: 'ObjectBucketClaim models', currently: 'still Pending' });
    const next = reduceRun(waiting, { type: 'state', at: 4, step: 'preflight', state: 'verifying' });
    expect(next.steps['preflight']?.wait).toBeUndefined();
  });

  it('tracks progress per item with fraction from bytes and time left from the rate', () => {
    const v = run([
      { type: 'progress', at: 1, step: 'import.granite', progress: { item: 'a.safetensors', bytesDone: 250, bytesTotal: 1000, bytesPerSecond: 50 } },
      { type: 'progress', at: 2, step: 'import.granite', progress: { item: 'b.safetensors', bytesDone: 0, bytesTotal: 10 } },
      { type: 'progress', at: 3, step: 'import.granite', progress: { item: 'a.safetensors', bytesDone: 500 } },
    ]);
    const items = v.steps['import.granite']!.progress;
    expect(items.map((p) => p.item)).toEqual(['a.safetensors', 'b.safetensors']);
    expect(items[0]).toMatchObject({ bytesDone: 500, bytesTotal: 1000, fraction: 0.5, secondsLeft: 10 });
    expect(items[1]?.secondsLeft).toBeUndefined();
  });

  it('aggregates a stage: running while one step runs, failed as soon as one fails', () => {
    const running = run([
      { type: 'state', at: 10, step: 'import.granite', state: 'done' },
      { type: 'state', at: 12, step: 'import.mistral', state: 'applying' },
    ]);
    expect(running.stages[1]).toMatchObject({ id: 'import', state: 'running', done: 1, total: 2 });
    expect(running.stages[1]?.endedAt).toBeUndefined();
    const failed = reduceRun(running, {
      type: 'state',
      at: 20,
      step: 'import.mistral',
      state: 'failed',
      error: { code: 'hf.gated', message: '403 gated', fix: 'accept the licence' },
    });
    expect(failed.stages[1]?.state).toBe('failed');
    expect(failed.steps['import.mistral']?.error?.fix).toBe('accept the licence');
    const partial = run([{ type: 'state', at: 10, step: 'import.granite', state: 'done' }]);
    expect(partial.stages[1]?.state).toBe('partial');
  });

  it('keeps plan, outputs, diagnosis, and clears error and diagnosis when a failed step runs again', () => {
    const failed = run([
      { type: 'plan', at: 1, step: 'preflight', changes: [{ action: 'create', target: 'Namespace x' }], hash: 'h' },
      { type: 'state', at: 2, step: 'preflight', state: 'failed', error: { code: 'x', message: 'boom' } },
      { type: 'diagnosis', at: 3, step: 'preflight', diagnosis: { summary: 'KV cache too small', fix: 'use 8192' } },
    ]);
    expect(failed.steps['preflight']).toMatchObject({ plan: [{ target: 'Namespace x' }], diagnosis: { summary: 'KV cache too small' } });
    const retried = reduceRun(failed, { type: 'state', at: 50, step: 'preflight', state: 'planning' });
    expect(retried.steps['preflight']).toMatchObject({ state: 'planning', startedAt: 50 });
    expect(retried.steps['preflight']?.error).toBeUndefined();
    expect(retried.steps['preflight']?.diagnosis).toBeUndefined();
    expect(retried.steps['preflight']?.endedAt).toBeUndefined();
    const done = run([{ type: 'outputs', at: 60, step: 'preflight', outputs: { domain: 'apps.example.com' } }], retried);
    expect(done.steps['preflight']?.outputs).toEqual({ domain: 'apps.example.com' });
  });

  it('adds steps it did not know instead of dropping their events', () => {
    const v = run([{ type: 'state', at: 1, step: 'surprise', state: 'applying' }]);
    expect(v.order).toContain('surprise');
    expect(v.stages.map((s) => s.id)).toContain('other');
  });

  it('keeps only the last MAX_LOG_LINES log lines', () => {
    const events: EngineEvent[] = Array.from({ length: MAX_LOG_LINES + 20 }, (_, i) => ({
      type: 'log',
      at: i,
      level: 'info',
      message: `line ${i}`,
    }));
    const v = run(events);
    expect(v.log).toHaveLength(MAX_LOG_LINES);
    expect(v.log[0]?.message).toBe('line 20');
    expect(v.log.at(-1)?.message).toBe(`line ${MAX_LOG_LINES + 19}`);
  });

  it('records the run result', () => {
    const v = run([
      { type: 'run-started', at: 1, steps: ['preflight'] },
      { type: 'run-finished', at: 9, result: 'failed', firstError: { code: 'x', message: 'boom' } },
    ]);
    expect(v.startedAt).toBe(1);
    expect(v.finished).toMatchObject({ result: 'failed', firstError: { message: 'boom' } });
  });
});

describe('currentStepId', () => {
  it('prefers the latest active step, then the latest failed one', () => {
    const v = run([
      { type: 'state', at: 1, step: 'import.granite', state: 'applying' },
      { type: 'state', at: 2, step: 'import.mistral', state: 'applying' },
      { type: 'state', at: 3, step: 'preflight', state: 'failed' },
    ]);
    expect(currentStepId(v)).toBe('import.mistral');
    const later = run([
      { type: 'state', at: 4, step: 'import.mistral', state: 'done' },
      { type: 'state', at: 5, step: 'import.granite', state: 'done' },
    ], v);
    expect(currentStepId(later)).toBe('preflight');
    expect(currentStepId(initialRunView(STEPS))).toBe('preflight');
  });
});

describe('followStep and neighbourStep', () => {
  it('keeps showing an active step while other steps send events, then moves on', () => {
    const v = run([
      { type: 'state', at: 1, step: 'import.granite', state: 'applying' },
      { type: 'state', at: 2, step: 'import.mistral', state: 'applying' },
      { type: 'progress', at: 3, step: 'import.mistral', progress: { bytesDone: 1 } },
    ]);
    expect(followStep(v, 'import.granite')).toBe('import.granite');
    const granDone = reduceRun(v, { type: 'state', at: 4, step: 'import.granite', state: 'done' });
    expect(followStep(granDone, 'import.granite')).toBe('import.mistral');
    expect(followStep(v, undefined)).toBe('import.mistral');
  });

  it('steps through the run order, wrapping at both ends', () => {
    const v = initialRunView(STEPS);
    expect(neighbourStep(v, 'preflight', 1)).toBe('import.granite');
    expect(neighbourStep(v, 'import.mistral', 1)).toBe('preflight');
    expect(neighbourStep(v, 'preflight', -1)).toBe('import.mistral');
    expect(neighbourStep(v, undefined, 1)).toBe('preflight');
    expect(neighbourStep(initialRunView([]), undefined, 1)).toBeUndefined();
  });
});
