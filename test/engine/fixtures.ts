/**
 * Test steps for the engine scenarios: steps built from a short description, a recorder of
 * what ran, and a barrier that proves overlap without timing.
 */
import { z } from 'zod';
import type { AnyStep, Change, EngineEvent, StepContext, StepId } from '../../src/engine/types.js';

/** What a test step does in each phase; every hook may be async. */
export interface Behaviour {
  plan?: (ctx: StepContext) => Promise<Change[]> | Change[];
  apply?: (ctx: StepContext) => Promise<void> | void;
  verify?: (ctx: StepContext) => Promise<Record<string, unknown>> | Record<string, unknown>;
}

/** Records the calls made to test steps, in order (`<id>:<phase>`), and how many applies overlapped. */
export class Recorder {
  readonly calls: string[] = [];
  running = 0;
  maxRunning = 0;
  called(id: StepId, phase: string): void {
    this.calls.push(`${id}:${phase}`);
  }
  /** Calls of one phase, in order. */
  of(phase: string): StepId[] {
    return this.calls.filter((c) => c.endsWith(`:${phase}`)).map((c) => c.slice(0, -phase.length - 1));
  }
}

/** A plan with one `create` change. */
export const createPlan = (id: StepId): Change[] => [{ action: 'create', target: `ConfigMap test/${id}` }];

/**
 * A step with no inputs: plan → one create, apply → nothing, verify → `{ id }`, each recorded
 * and overridable. Applies are counted for `maxRunning`.
 */
export function testStep(rec: Recorder, id: StepId, needs: StepId[] = [], b: Behaviour = {}): AnyStep {
  return {
    id,
    stage: 'project',
    title: `step ${id}`,
    needs,
    inputs: z.object({}),
    fields: [],
    explain: { what: id, why: 'test', commands: [] },
    async plan(ctx) {
      rec.called(id, 'plan');
      return b.plan ? b.plan(ctx) : createPlan(id);
    },
    async apply(ctx) {
      rec.called(id, 'apply');
      rec.running++;
      rec.maxRunning = Math.max(rec.maxRunning, rec.running);
      try {
        await b.apply?.(ctx);
      } finally {
        rec.running--;
      }
    },
    async verify(ctx) {
      rec.called(id, 'verify');
      return b.verify ? b.verify(ctx) : { id };
    },
  };
}

/** Resolves after `turns` turns of the event loop with nothing else to wait for (no timers). */
export async function quiet(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((r) => setImmediate(r));
}

/**
 * A barrier for `size` parties. `arrive()` resolves `true` when all parties arrived, or `false`
 * when the event loop went quiet first (the others never came: no overlap), so a test fails
 * with an assertion instead of hanging.
 */
export function barrier(size: number): { arrive(): Promise<boolean>; arrived: () => number } {
  let count = 0;
  let release!: () => void;
  const all = new Promise<void>((r) => (release = r));
  return {
    arrived: () => count,
    async arrive() {
      count++;
      if (count >= size) release();
      const stalled = (async () => {
        // Give every other runnable party many loop turns to arrive.
        let seen = -1;
        while (seen !== count) {
          seen = count;
          await quiet();
        }
        return false;
      })();
      return Promise.race([all.then(() => true), stalled]);
    },
  };
}

/** Collects every event of an engine. */
export function collect(engine: { on(l: (e: EngineEvent) => void): () => void }): EngineEvent[] {
  const events: EngineEvent[] = [];
  engine.on((e) => events.push(e));
  return events;
}

/** Resolves when `events` (being filled) holds an event matching `pred`. Polls once per loop turn. */
export async function eventually(events: EngineEvent[], pred: (e: EngineEvent) => boolean): Promise<void> {
  while (!events.some(pred)) await new Promise<void>((r) => setImmediate(r));
}
