/**
 * Repair paths of the engine: a failure's diagnosis kept in the progress file (for the resume
 * screen after a restart), drift recorded, steps skipped on request with their dependants left
 * out, saved inputs reused without a form (resume "retry"), and the re-plan when the cluster
 * changed between the confirmation and the apply.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { UserError } from '../../src/engine/errors.js';
import { ScriptedHost } from '../../src/engine/host.js';
import { MAX_PLAN_CONFIRMATIONS } from '../../src/engine/lifecycle.js';
import { openProgress } from '../../src/engine/progress.js';
import type { ProgressStore } from '../../src/engine/progress.js';
import { Engine } from '../../src/engine/run.js';
import type { AnyStep, Change } from '../../src/engine/types.js';
import { Recorder, collect, testStep } from './fixtures.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'maas-repair-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const store = (): Promise<ProgressStore> => openProgress({ dir, profile: 'lab', wizardVersion: '0.1.0' });

async function run(steps: AnyStep[], host: ScriptedHost, opts: { skip?: string[]; keepInputs?: string[] } = {}) {
  const progress = await store();
  const engine = new Engine({ steps, services: {}, host, progress, ...opts });
  const events = collect(engine);
  try {
    return { result: await engine.run(), events, file: JSON.parse(readFileSync(progress.path, 'utf8')) };
  } finally {
    await progress.close();
  }
}

/** A step with one number input `size` (default 100) that fails while size > 50 and diagnoses it. */
function sized(rec: Recorder): AnyStep {
  const base = testStep(rec, 'b', ['a'], {
    apply: (ctx) => {
      if ((ctx.inputs['size'] as number) > 50) throw new UserError('too.big', `size ${String(ctx.inputs['size'])} does not fit`);
    },
    verify: (ctx) => ({ size: ctx.inputs['size'] }),
  });
  return {
    ...base,
    inputs: z.object({ size: z.number().default(100) }),
    fields: [{ key: 'size', label: 'Size', kind: 'number' }],
    diagnose: async () => ({ summary: 'the size does not fit', fix: 'use at most 50', suggestedInputs: { size: 50 } }),
  };
}

describe('repair on resume', () => {
  it('the diagnosis is kept in the progress file until the step is done', async () => {
    const rec = new Recorder();
    const steps = [testStep(rec, 'a'), sized(rec)];
    const first = await run(steps, new ScriptedHost({}, { interactive: false }));
    expect(first.result.result).toBe('failed');
    expect(first.file.steps.b.diagnosis).toEqual({ summary: 'the size does not fit', fix: 'use at most 50', suggestedInputs: { size: 50 } });

    const second = await run(steps, new ScriptedHost({ inputs: { b: { size: 50 } } }));
    expect(second.result.result).toBe('done');
    expect(second.file.steps.b.diagnosis).toBeUndefined();
    expect(second.file.steps.b.outputs).toEqual({ size: 50 });
  });

  it('keepInputs retries a failed step with its saved inputs and no form; others still get theirs', async () => {
    const rec = new Recorder();
    let fits = false;
    const b = { ...sized(rec), apply: async () => (fits ? undefined : Promise.reject(new UserError('x', 'not yet'))) };
    const c = { ...testStep(rec, 'c', ['b']), inputs: z.object({ n: z.number().default(1) }), fields: [{ key: 'n', label: 'N', kind: 'number' as const }] };
    await run([testStep(rec, 'a'), b, c], new ScriptedHost({}, { interactive: false }));
    fits = true;
    const host = new ScriptedHost();
    const r = await run([testStep(rec, 'a'), b, c], host, { keepInputs: ['b'] });
    expect(r.result.result).toBe('done');
    expect(host.calls.filter((x) => x.kind === 'askInputs').map((x) => x.step)).toEqual(['c']);
  });

  it('skip records the step skipped and does not run it or what needs it', async () => {
    const rec = new Recorder();
    const steps = [testStep(rec, 'a'), sized(rec), testStep(rec, 'c', ['b']), testStep(rec, 'd', ['a'])];
    await run(steps, new ScriptedHost({}, { interactive: false }));
    const again = new Recorder();
    const steps2 = [testStep(again, 'a'), sized(again), testStep(again, 'c', ['b']), testStep(again, 'd', ['a'])];
    const r = await run(steps2, new ScriptedHost({}, { interactive: false }), { skip: ['b'] });
    expect(r.result.states).toMatchObject({ a: 'done', b: 'skipped', c: 'pending', d: 'done' });
    expect(again.calls.filter((c) => c.startsWith('b:') || c.startsWith('c:'))).toEqual([]);
    expect(r.file.steps.b.state).toBe('skipped');
    expect(r.result.result).toBe('done');
  });

  it('a drifted step is recorded with the verify error, and cleared once repaired', async () => {
    const rec = new Recorder();
    await run([testStep(rec, 'a')], new ScriptedHost({}, { interactive: false }));
    let checks = 0;
    const drifting = testStep(rec, 'a', [], {
      verify: () => {
        if (checks++ === 0) throw new Error('ConfigMap test/a not found');
        return {};
      },
    });
    const progress = await store();
    const engine = new Engine({ steps: [drifting], services: {}, host: new ScriptedHost({}, { interactive: false }), progress });
    const seen: string[] = [];
    engine.on((e) => {
      if (e.type === 'state' && e.drift) seen.push(`${e.state}: ${e.drift}; file: ${JSON.stringify(progress.stepRecord('a')?.drift?.reason)}`);
    });
    const r = await engine.run();
    const file = JSON.parse(readFileSync(progress.path, 'utf8'));
    await progress.close();
    expect(r.result).toBe('done');
    // The event carries the drift (the store records it after the listeners registered before it).
    expect(seen).toEqual([expect.stringMatching(/^planning: ConfigMap test\/a not found/)]);
    expect(file.steps.a.drift).toBeUndefined();
  });

  it('a drift stays recorded while the repair has not succeeded', async () => {
    const rec = new Recorder();
    await run([testStep(rec, 'a')], new ScriptedHost({}, { interactive: false }));
    const broken = testStep(rec, 'a', [], {
      verify: () => {
        throw new Error('ConfigMap test/a not found');
      },
      apply: () => {
        throw new UserError('x', 'cannot repair');
      },
    });
    const r = await run([broken], new ScriptedHost({}, { interactive: false }));
    expect(r.result.result).toBe('failed');
    expect(r.file.steps.a.drift).toMatchObject({ reason: 'ConfigMap test/a not found' });
  });
});

describe('apply performs exactly the confirmed plan', () => {
  const planOf = (n: number): Change[] => [{ action: 'create', target: `ConfigMap test/a-${n}` }];

  it('when the cluster changed after the confirmation, the new plan is shown and confirmed again', async () => {
    const rec = new Recorder();
    let version = 0;
    const host = new ScriptedHost();
    const step = testStep(rec, 'a', [], {
      plan: () => planOf(version),
      apply: () => undefined,
    });
    // The cluster changes while the first plan is on screen.
    const confirm = host.confirmPlan.bind(host);
    host.confirmPlan = async (s, changes) => {
      const answer = await confirm(s, changes);
      if (host.calls.filter((c) => c.kind === 'confirmPlan').length === 1) version = 1;
      return answer;
    };
    const r = await run([step], host);
    expect(r.result.result).toBe('done');
    const shown = host.calls.filter((c) => c.kind === 'confirmPlan').map((c) => (c.kind === 'confirmPlan' ? c.changes[0]?.target : ''));
    expect(shown).toEqual(['ConfigMap test/a-0', 'ConfigMap test/a-1']);
    expect(rec.of('apply')).toEqual(['a']);
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'log', step: 'a', message: expect.stringMatching(/cluster changed/) }));
    // The hash recorded is the one of the plan applied.
    const plans = r.events.flatMap((e) => (e.type === 'plan' ? [e.hash] : []));
    expect(plans).toHaveLength(2);
    expect(r.file.steps.a.planHash).toBe(plans[1]);
  });

  it('an unchanged cluster is planned once more after the confirmation and asked once', async () => {
    const rec = new Recorder();
    const host = new ScriptedHost();
    const r = await run([testStep(rec, 'a')], host);
    expect(r.result.result).toBe('done');
    expect(rec.calls).toEqual(['a:plan', 'a:plan', 'a:apply', 'a:verify']);
    expect(host.calls.filter((c) => c.kind === 'confirmPlan')).toHaveLength(1);
  });

  it('a plan that changes every time fails the step with plan.unstable, applying nothing', async () => {
    const rec = new Recorder();
    let n = 0;
    const r = await run([testStep(rec, 'a', [], { plan: () => planOf(n++) })], new ScriptedHost());
    expect(r.result.result).toBe('failed');
    expect(r.result.firstError).toMatchObject({ code: 'plan.unstable' });
    expect(rec.of('apply')).toEqual([]);
    expect(rec.of('plan')).toHaveLength(MAX_PLAN_CONFIRMATIONS + 1);
  });
});
