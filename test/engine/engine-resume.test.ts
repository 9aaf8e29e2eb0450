import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/engine/errors.js';
import { ScriptedHost } from '../../src/engine/host.js';
import { openProgress } from '../../src/engine/progress.js';
import type { ProgressStore } from '../../src/engine/progress.js';
import { Engine } from '../../src/engine/run.js';
import type { AnyStep } from '../../src/engine/types.js';
import { Recorder, collect, testStep } from './fixtures.js';
import type { Behaviour } from './fixtures.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'maas-resume-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const store = (): Promise<ProgressStore> => openProgress({ dir, profile: 'lab', wizardVersion: '0.1.0' });

/** Runs a→b→c (c reads a's outputs) with a fresh store, closing it afterwards. */
async function runOnce(rec: Recorder, b: Record<string, Behaviour> = {}, opts: { only?: string[]; signal?: AbortSignal } = {}) {
  const progress = await store();
  const steps: AnyStep[] = [
    testStep(rec, 'a', [], b.a),
    testStep(rec, 'b', ['a'], b.b),
    testStep(rec, 'c', ['b'], { verify: (ctx) => ({ fromA: ctx.outputs('a')?.id }), ...b.c }),
  ];
  const engine = new Engine({ steps, services: {}, host: new ScriptedHost({}, { interactive: false }), progress, ...opts });
  const events = collect(engine);
  try {
    return { result: await engine.run(), events, file: JSON.parse(readFileSync(progress.path, 'utf8')) };
  } finally {
    await progress.close();
  }
}

describe('resume', () => {
  it('a step recorded done is verified, not re-planned or re-applied, and gets fresh outputs', async () => {
    const first = await runOnce(new Recorder());
    expect(first.result.result).toBe('done');
    expect(first.file.steps.c.outputs).toEqual({ fromA: 'a' });
    expect(first.file.steps.a.planHash).toMatch(/^[0-9a-f]{64}$/);
    expect(first.events).toContainEqual(expect.objectContaining({ type: 'plan', step: 'a', hash: first.file.steps.a.planHash }));

    const rec = new Recorder();
    const second = await runOnce(rec, { b: { verify: () => ({ fresh: true }) } });
    expect(second.result.result).toBe('done');
    expect(rec.calls).toEqual(['a:verify', 'b:verify', 'c:verify']);
    expect(second.result.outputs.b).toEqual({ fresh: true });
    expect(second.file.steps.b.outputs).toEqual({ fresh: true });
    expect(second.file.steps.b.attempts).toHaveLength(2);
  });

  it('a step whose verify fails on resume is "drifted" and goes through plan and apply again', async () => {
    await runOnce(new Recorder());
    const rec = new Recorder();
    let checks = 0;
    const second = await runOnce(rec, {
      b: {
        verify: () => {
          if (checks++ === 0) throw new Error('ConfigMap test/b not found');
          return { repaired: true };
        },
      },
    });
    expect(second.result.result).toBe('done');
    expect(rec.calls).toEqual(['a:verify', 'b:verify', 'b:plan', 'b:apply', 'b:verify', 'c:verify']);
    const drift = second.events.find((e) => e.type === 'log' && e.step === 'b');
    expect(drift).toMatchObject({ level: 'warn', message: 'drifted: ConfigMap test/b not found' });
    expect(second.file.steps.b.outputs).toEqual({ repaired: true });
  });

  it('saved outputs count for steps outside an --only selection, and a failed step is retried', async () => {
    const first = await runOnce(new Recorder(), { c: { apply: () => Promise.reject(new UserError('x', 'c broke')) } });
    expect(first.result.result).toBe('failed');
    expect(first.file.steps.c.state).toBe('failed');
    expect(first.file.steps.c.attempts[0].error).toMatchObject({ code: 'x', message: 'c broke', phase: 'apply' });

    const rec = new Recorder();
    const retry = await runOnce(rec, {}, { only: ['c'] });
    expect(retry.result.result).toBe('done');
    expect(rec.of('apply')).toEqual(['c']);
    expect(retry.result.outputs.c).toEqual({ fromA: 'a' });
    expect(retry.file.steps.c.attempts.map((a: { state: string }) => a.state)).toEqual(['failed', 'done']);
  });

  it('a step cancelled mid-apply is never recorded done, even when its apply finishes', async () => {
    const abort = new AbortController();
    const r = await runOnce(new Recorder(), { b: { apply: () => abort.abort() } }, { signal: abort.signal });
    expect(r.result.result).toBe('cancelled');
    expect(r.file.steps.a.state).toBe('done');
    expect(r.file.steps.b.state).toBe('cancelled');
    expect(r.file.steps.b.outputs).toBeUndefined();
    expect(r.file.steps.c).toBeUndefined();
  });

  it('--only with an unknown step is a usage error before anything runs', async () => {
    const rec = new Recorder();
    const err = await runOnce(rec, {}, { only: ['nope'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).usage).toBe(true);
    expect(rec.calls).toEqual([]);
  });

  it('plan-only writes nothing to the progress file', async () => {
    const progress = await store();
    const before = readFileSync(progress.path, 'utf8');
    const rec = new Recorder();
    const engine = new Engine({
      steps: [testStep(rec, 'a')],
      services: {},
      host: new ScriptedHost({}, { interactive: false }),
      progress,
      planOnly: true,
    });
    const r = await engine.run();
    await progress.close();
    expect(r.states.a).toBe('skipped');
    expect(rec.calls).toEqual(['a:plan']);
    expect(readFileSync(progress.path, 'utf8')).toBe(before);
  });
});
