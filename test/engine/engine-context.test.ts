import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ScriptedHost } from '../../src/engine/host.js';
import type { HostStep } from '../../src/engine/host.js';
import { Engine } from '../../src/engine/run.js';
import type { InputField, ProbeResult } from '../../src/engine/types.js';
import { Recorder, collect, quiet, testStep } from './fixtures.js';

describe('step context', () => {
  it('waitFor, progress and log become events of the step, and the snapshot shows the last wait', async () => {
    const rec = new Recorder();
    let n = 0;
    const step = testStep(rec, 'storage', [], {
      apply: async (ctx) => {
        ctx.progress({ message: 'creating', fraction: 0.5 });
        ctx.log('ObjectBucketClaim created');
        let wake: (() => void) | undefined;
        const phase = await ctx.waitFor(
          async (): Promise<ProbeResult<string>> => {
            if (++n === 1) {
              wake?.();
              return { state: 'pending', currently: 'phase Pending' };
            }
            return { state: 'done', value: 'Bound' };
          },
          { what: 'ObjectBucketClaim models', timeoutMs: 60_000, watch: (w) => ((wake = w), () => {}) },
        );
        ctx.log(`phase ${phase}`);
      },
    });
    let t = 1_000_000;
    const engine = new Engine({ steps: [step], services: {}, host: new ScriptedHost({}, { interactive: false }), now: () => t++ });
    const events = collect(engine);
    let lastWait: unknown;
    engine.on((e) => {
      if (e.type === 'wait') lastWait = engine.snapshot().steps.storage?.wait;
    });
    expect((await engine.run()).result).toBe('done');
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'wait', step: 'storage', what: 'ObjectBucketClaim models', currently: 'phase Pending' }),
    );
    expect(events).toContainEqual(expect.objectContaining({ type: 'progress', step: 'storage', progress: { message: 'creating', fraction: 0.5 } }));
    expect(events.filter((e) => e.type === 'log').map((e) => (e.type === 'log' ? e.message : ''))).toEqual([
      'ObjectBucketClaim created',
      'phase Bound',
    ]);
    expect(lastWait).toEqual({ what: 'ObjectBucketClaim models', currently: 'phase Pending' });
    const snap = engine.snapshot().steps.storage;
    expect(snap?.wait).toBeUndefined();
    expect(snap?.startedAt).toBeGreaterThanOrEqual(1_000_000);
    expect(snap?.endedAt).toBeGreaterThan(snap?.startedAt ?? Infinity);
    expect(events.every((e) => e.at >= 1_000_000)).toBe(true);
  });

  it('ctx.ask goes to the host; ctx.unattended follows --yes', async () => {
    const rec = new Recorder();
    const seen: unknown[] = [];
    const step = testStep(rec, 'portal', [], {
      apply: async (ctx) => {
        seen.push(ctx.unattended);
        seen.push(await ctx.ask({ kind: 'confirm', id: 'portal.keep-sample', message: 'Keep the sample API product?', default: true }));
      },
    });
    const host = new ScriptedHost({ questions: { 'portal.keep-sample': false } });
    await new Engine({ steps: [step], services: {}, host, yes: true }).run();
    expect(seen).toEqual([true, false]);
    expect(host.calls).toEqual([expect.objectContaining({ kind: 'ask', step: 'portal' })]);
  });

  it('a failing step gets its diagnosis emitted before it is marked failed', async () => {
    const rec = new Recorder();
    const step = {
      ...testStep(rec, 'serving', [], {
        verify: () => {
          throw new Error('larger than the maximum number of tokens that can be stored in KV cache (16384)');
        },
      }),
      diagnose: async (_ctx: unknown, err: unknown) => ({
        summary: `KV cache too small: ${(err as Error).message.match(/\((\d+)\)/)?.[1]} tokens`,
        fix: 'lower max model length',
        suggestedInputs: { maxModelLen: 16384 },
      }),
    };
    const engine = new Engine({ steps: [step], services: {}, host: new ScriptedHost({}, { interactive: false }) });
    const events = collect(engine);
    const r = await engine.run();
    expect(r.result).toBe('failed');
    const di = events.findIndex((e) => e.type === 'diagnosis');
    const fi = events.findIndex((e) => e.type === 'state' && e.state === 'failed');
    expect(di).toBeGreaterThan(-1);
    expect(di).toBeLessThan(fi);
    expect(engine.snapshot().steps.serving?.diagnosis?.summary).toBe('KV cache too small: 16384 tokens');
    expect(engine.snapshot().steps.serving?.error).toMatchObject({ step: 'serving', phase: 'verify' });
  });

  it('a throwing listener does not break the run; others still get every event', async () => {
    const engine = new Engine({ steps: [testStep(new Recorder(), 'a')], services: {}, host: new ScriptedHost({}, { interactive: false }) });
    engine.on(() => {
      throw new Error('disk full');
    });
    const events = collect(engine);
    expect((await engine.run()).result).toBe('done');
    expect(events.some((e) => e.type === 'log' && e.level === 'error' && e.message.includes('disk full'))).toBe(true);
    expect(events.at(-1)?.type).toBe('run-finished');
  });

  it('the host is asked one form at a time even when steps run concurrently', async () => {
    let open = 0;
    let maxOpen = 0;
    class SlowHost extends ScriptedHost {
      override async askInputs(step: HostStep, fields: InputField[], values: Record<string, unknown>, errors: Record<string, string>) {
        open++;
        maxOpen = Math.max(maxOpen, open);
        await quiet();
        open--;
        return super.askInputs(step, fields, values, errors);
      }
    }
    const withField = (id: string) => ({
      ...testStep(new Recorder(), id),
      inputs: z.object({ name: z.string().default(id) }),
      fields: [{ key: 'name', label: 'Name', kind: 'text' as const }],
    });
    const host = new SlowHost();
    const r = await new Engine({ steps: [withField('a'), withField('b'), withField('c')], services: {}, host }).run();
    expect(r.result).toBe('done');
    expect(host.calls.filter((c) => c.kind === 'askInputs')).toHaveLength(3);
    expect(maxOpen).toBe(1);
  });

  it('run() twice is refused', async () => {
    const engine = new Engine({ steps: [], services: {}, host: new ScriptedHost() });
    expect((await engine.run()).result).toBe('done');
    await expect(engine.run()).rejects.toThrow('called twice');
  });
});

describe('ScriptedHost', () => {
  const step = { id: 'sso', title: 'SSO', explain: { what: '', why: '', commands: [] } };

  it('answers plans per step and questions by id or default, recording every call', async () => {
    const host = new ScriptedHost({ plans: { sso: 'abort' }, questions: { q1: 'github' } }, { interactive: false });
    expect(host.interactive).toBe(false);
    expect(await host.confirmPlan({ id: 'sso', title: 'SSO' }, [])).toBe('abort');
    expect(await host.confirmPlan({ id: 'portal', title: 'Portal' }, [])).toBe('apply');
    expect(await host.ask('sso', { kind: 'select', id: 'q1', message: 'IdP?', choices: [], default: 'none' })).toBe('github');
    expect(await host.ask('sso', { kind: 'select', id: 'q2', message: 'IdP?', choices: [], default: 'none' })).toBe('none');
    expect(await host.ask('sso', { kind: 'checkpoint', id: 'q3', title: 'Set the provider name', body: '' })).toBe(true);
    await expect(host.ask('sso', { kind: 'text', id: 'q4', message: 'Name?' })).rejects.toThrow('no scripted answer');
    expect(host.calls.map((c) => c.kind)).toEqual(['confirmPlan', 'confirmPlan', 'ask', 'ask', 'ask', 'ask']);
  });

  it('refuses a re-ask it has no answer for instead of looping, and masks secret values', async () => {
    const host = new ScriptedHost({ inputs: { sso: { realm: 'maas' } } });
    const fields: InputField[] = [
      { key: 'realm', label: 'Realm', kind: 'text' },
      { key: 'clientSecret', label: 'Client secret', kind: 'secret' },
    ];
    expect(await host.askInputs(step, fields, { realm: 'x', clientSecret: 's3cr3t-value' }, {})).toEqual({
      realm: 'maas',
      clientSecret: 's3cr3t-value',
    });
    await expect(host.askInputs(step, fields, { realm: 'maas' }, { realm: 'bad' })).rejects.toThrow('no scripted answer left');
    expect(JSON.stringify(host.calls)).not.toContain('s3cr3t-value');
  });
});
