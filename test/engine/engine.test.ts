import { describe, expect, it } from 'vitest';
import { BugError, StepError } from '../../src/engine/errors.js';
import { ScriptedHost } from '../../src/engine/host.js';
import { Engine } from '../../src/engine/run.js';
import type { RunResult } from '../../src/engine/run.js';
import type { AnyStep, EngineEvent, StepId, StepState } from '../../src/engine/types.js';
import { Recorder, barrier, collect, eventually, testStep } from './fixtures.js';
import type { Behaviour } from './fixtures.js';

interface Scenario {
  name: string;
  /** Step id → needs, in declaration order. */
  graph: Record<StepId, StepId[]>;
  concurrency?: number;
  /** Behaviours by step id; get the recorder, the run's abort controller and the event list. */
  behave?: (t: { rec: Recorder; abort: AbortController; events: EngineEvent[] }) => Record<StepId, Behaviour>;
  expect: {
    result: RunResult['result'];
    states: Record<StepId, StepState>;
    /** Exact order of applies, when the graph fixes it. */
    applyOrder?: StepId[];
    maxRunning?: number;
    firstError?: { step: StepId; phase: string; message?: string };
    /** Extra checks. */
    check?: (t: { rec: Recorder; events: EngineEvent[]; result: RunResult }) => void;
  };
}

const boom = (msg: string) => () => {
  throw new Error(msg);
};

const scenarios: Scenario[] = [
  {
    name: 'linear chain runs in order',
    graph: { a: [], b: ['a'], c: ['b'] },
    expect: { result: 'done', states: { a: 'done', b: 'done', c: 'done' }, applyOrder: ['a', 'b', 'c'], maxRunning: 1 },
  },
  {
    name: 'diamond: the join waits for both sides, which overlap',
    graph: { top: [], left: ['top'], right: ['top'], join: ['left', 'right'] },
    behave: () => {
      const sides = barrier(2);
      const overlap = async () => {
        expect(await sides.arrive()).toBe(true);
      };
      return { left: { apply: overlap }, right: { apply: overlap } };
    },
    expect: {
      result: 'done',
      states: { top: 'done', left: 'done', right: 'done', join: 'done' },
      maxRunning: 2,
      check: ({ rec }) => {
        const order = rec.of('apply');
        expect(order[0]).toBe('top');
        expect(order[3]).toBe('join');
      },
    },
  },
  {
    name: 'two independent branches run concurrently',
    graph: { import: [], 'import.check': ['import'], sso: [], 'sso.realm': ['sso'] },
    behave: () => {
      const b = barrier(2);
      const meet = async () => {
        expect(await b.arrive()).toBe(true);
      };
      return { import: { apply: meet }, sso: { apply: meet } };
    },
    expect: {
      result: 'done',
      states: { import: 'done', 'import.check': 'done', sso: 'done', 'sso.realm': 'done' },
      maxRunning: 2,
    },
  },
  {
    name: 'concurrency cap is respected',
    graph: { a: [], b: [], c: [], d: [], e: [], f: [] },
    concurrency: 2,
    behave: () => {
      const all = barrier(6);
      const hold = async () => {
        await all.arrive();
      };
      return Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((id) => [id, { apply: hold }]));
    },
    expect: {
      result: 'done',
      states: { a: 'done', b: 'done', c: 'done', d: 'done', e: 'done', f: 'done' },
      maxRunning: 2,
    },
  },
  {
    name: 'failure stops its branch; the independent branch finishes',
    graph: { storage: [], 'data-connection': ['storage'], serving: ['data-connection'], sso: [] },
    behave: ({ events }) => ({
      storage: { apply: boom('ObjectBucketClaim models stayed Pending') },
      // sso is still applying when storage fails, and finishes afterwards.
      sso: {
        apply: async () => {
          await eventually(events, (e) => e.type === 'state' && e.step === 'storage' && e.state === 'failed');
        },
      },
    }),
    expect: {
      result: 'failed',
      states: { storage: 'failed', 'data-connection': 'pending', serving: 'pending', sso: 'done' },
      firstError: { step: 'storage', phase: 'apply', message: 'ObjectBucketClaim models stayed Pending' },
      check: ({ rec, result }) => {
        expect(rec.calls.filter((c) => c.startsWith('data-connection') || c.startsWith('serving'))).toEqual([]);
        expect(result.error).toBeInstanceOf(StepError);
        expect(result.exitCode).toBe(1);
      },
    },
  },
  {
    name: 'the first of two failures is reported',
    graph: { a: [], b: ['a'], c: [] },
    concurrency: 1,
    behave: () => ({ a: { verify: boom('first') }, c: { plan: boom('second') } }),
    expect: {
      result: 'failed',
      states: { a: 'failed', b: 'pending', c: 'failed' },
      firstError: { step: 'a', phase: 'verify', message: 'first' },
    },
  },
  {
    name: 'cancellation mid-apply: cancelled, not done, nothing new starts',
    graph: { a: [], b: ['a'], c: [] },
    concurrency: 1,
    behave: ({ abort }) => ({
      // The apply finishes normally after the abort: the step must still end cancelled.
      a: { apply: () => abort.abort() },
    }),
    expect: {
      result: 'cancelled',
      states: { a: 'cancelled', b: 'pending', c: 'pending' },
      check: ({ rec, events, result }) => {
        expect(rec.calls).toEqual(['a:plan', 'a:apply']);
        expect(events.some((e) => e.type === 'outputs')).toBe(false);
        expect(result.exitCode).toBe(130);
      },
    },
  },
  {
    name: 'cancellation reaches the running step through ctx.signal',
    graph: { a: [], b: [] },
    behave: ({ abort }) => {
      const both = barrier(2);
      return {
        a: {
          apply: async (ctx) => {
            if (!(await both.arrive())) throw new Error('a and b did not overlap');
            await new Promise((_, reject) => {
              if (ctx.signal.aborted) reject(ctx.signal.reason);
              ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
            });
          },
        },
        b: {
          apply: async () => {
            await both.arrive();
            abort.abort();
          },
        },
      };
    },
    expect: { result: 'cancelled', states: { a: 'cancelled', b: 'cancelled' } },
  },
];

describe('engine scenarios', () => {
  it.each(scenarios)('$name', async (s) => {
    const rec = new Recorder();
    const abort = new AbortController();
    const events: EngineEvent[] = [];
    const behaviours = s.behave?.({ rec, abort, events }) ?? {};
    const steps = Object.entries(s.graph).map(([id, needs]) => testStep(rec, id, needs, behaviours[id]));
    const engine = new Engine({
      steps,
      services: {},
      host: new ScriptedHost({}, { interactive: false }),
      signal: abort.signal,
      ...(s.concurrency ? { concurrency: s.concurrency } : {}),
    });
    engine.on((e) => events.push(e));
    const result = await engine.run();

    expect(result.result).toBe(s.expect.result);
    expect(result.states).toEqual(s.expect.states);
    if (s.expect.applyOrder) expect(rec.of('apply')).toEqual(s.expect.applyOrder);
    if (s.expect.maxRunning !== undefined) expect(rec.maxRunning).toBe(s.expect.maxRunning);
    if (s.expect.firstError) {
      expect(result.firstError).toMatchObject(s.expect.firstError);
    } else {
      expect(result.firstError).toBeUndefined();
    }
    // Every step started only after all its needs were done.
    for (const [id, needs] of Object.entries(s.graph)) {
      const readyAt = events.findIndex((e) => e.type === 'state' && e.step === id && e.state === 'ready');
      if (readyAt < 0) continue;
      for (const n of needs) {
        const doneAt = events.findIndex((e) => e.type === 'state' && e.step === n && e.state === 'done');
        expect(doneAt, `${id} started before ${n} was done`).toBeGreaterThanOrEqual(0);
        expect(doneAt).toBeLessThan(readyAt);
      }
    }
    // The snapshot agrees with the result.
    const snap = engine.snapshot();
    expect(snap.running).toBe(false);
    expect(snap.result).toBe(s.expect.result);
    for (const [id, state] of Object.entries(s.expect.states)) expect(snap.steps[id]?.state).toBe(state);
    s.expect.check?.({ rec, events, result });
  });
});

describe('graph checks before anything runs', () => {
  const cases: { name: string; graph: Record<StepId, StepId[]>; message: RegExp }[] = [
    { name: 'unknown need', graph: { a: [], serving: ['import'] }, message: /"serving" needs "import", which does not exist/ },
    { name: 'cycle', graph: { a: ['c'], b: ['a'], c: ['b'], d: [] }, message: /cycle: a → c → b → a/ },
  ];
  it.each(cases)('$name is rejected and no step function is called', async ({ graph, message }) => {
    const rec = new Recorder();
    const steps: AnyStep[] = Object.entries(graph).map(([id, needs]) => testStep(rec, id, needs));
    const engine = new Engine({ steps, services: {}, host: new ScriptedHost() });
    const events = collect(engine);
    const run = engine.run();
    await expect(run).rejects.toBeInstanceOf(BugError);
    await expect(run).rejects.toThrow(message);
    expect(rec.calls).toEqual([]);
    expect(events).toEqual([]);
  });
});
