import { describe, expect, it } from 'vitest';
import { WaitFailedError, WaitTimeoutError, isAbort } from '../../src/engine/errors.js';
import type { ProbeResult } from '../../src/engine/types.js';
import { createWaitFor } from '../../src/engine/wait.js';

/** A fake clock: `sleep` advances it and records the requested intervals; no real time passes. */
function fakeTime(opts: { hang?: boolean } = {}) {
  let t = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: (ms: number, signal: AbortSignal): Promise<void> => {
      sleeps.push(ms);
      if (!opts.hang) {
        t += ms;
        return Promise.resolve();
      }
      // Sleeps until woken or aborted (watch tests).
      return new Promise((_, reject) => {
        if (signal.aborted) reject(signal.reason);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    },
  };
}

/** A probe answering from a list, then repeating the last answer; counts its calls. */
function scripted<T>(answers: ProbeResult<T>[]) {
  let i = 0;
  const probe = async (): Promise<ProbeResult<T>> => answers[Math.min(i++, answers.length - 1)] as ProbeResult<T>;
  return { probe, calls: () => i };
}

const pending = (currently: string): ProbeResult<string> => ({ state: 'pending', currently });

describe('waitFor', () => {
  it('probes immediately and returns the done value without sleeping', async () => {
    const time = fakeTime();
    const waitFor = createWaitFor({ signal: new AbortController().signal, onWait: () => {}, ...time });
    const { probe, calls } = scripted([{ state: 'done', value: 'Bound' }]);
    await expect(waitFor(probe, { what: 'ObjectBucketClaim models', timeoutMs: 60_000 })).resolves.toBe('Bound');
    expect(calls()).toBe(1);
    expect(time.sleeps).toEqual([]);
  });

  it('reports "currently" only when it changes, and backs off 1.5x up to the maximum', async () => {
    const time = fakeTime();
    const waits: string[] = [];
    const waitFor = createWaitFor({
      signal: new AbortController().signal,
      onWait: (what, currently) => waits.push(`waiting for ${what}: currently ${currently}`),
      ...time,
    });
    const { probe } = scripted([
      pending('Pending'),
      pending('Pending'),
      pending('Pending'),
      pending('Pending'),
      pending('Bound soon'),
      pending('Bound soon'),
      { state: 'done', value: 'ok' },
    ]);
    await waitFor(probe, { what: 'ObjectBucketClaim models', timeoutMs: 600_000, intervalMs: 1000, maxIntervalMs: 4000 });
    expect(time.sleeps).toEqual([1000, 1500, 2250, 3375, 4000, 4000]);
    expect(waits).toEqual([
      'waiting for ObjectBucketClaim models: currently Pending',
      'waiting for ObjectBucketClaim models: currently Bound soon',
    ]);
  });

  it('uses 1000 ms then 15000 ms as default interval and cap', async () => {
    const time = fakeTime();
    const waitFor = createWaitFor({ signal: new AbortController().signal, onWait: () => {}, ...time });
    const { probe } = scripted([...Array<ProbeResult<string>>(10).fill(pending('x')), { state: 'done', value: 'y' }]);
    await waitFor(probe, { what: 'x', timeoutMs: 10 * 60_000 });
    expect(time.sleeps[0]).toBe(1000);
    expect(Math.max(...time.sleeps)).toBe(15_000);
  });

  it('throws WaitFailedError with the reason and fix when the probe fails', async () => {
    const time = fakeTime();
    const waitFor = createWaitFor({ signal: new AbortController().signal, onWait: () => {}, ...time });
    const { probe } = scripted<string>([pending('Pending'), { state: 'failed', reason: 'phase Failed', fix: 'pick another class' }]);
    const err = await waitFor(probe, { what: 'ObjectBucketClaim models', timeoutMs: 60_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaitFailedError);
    expect((err as WaitFailedError).message).toBe('ObjectBucketClaim models failed: phase Failed');
    expect((err as WaitFailedError).fix).toBe('pick another class');
  });

  it('times out with the last "currently" text, never sleeping past the timeout', async () => {
    const time = fakeTime();
    const waitFor = createWaitFor({ signal: new AbortController().signal, onWait: () => {}, ...time });
    const { probe } = scripted([pending('Pending'), pending('Pending, no events')]);
    const err = await waitFor(probe, { what: 'ObjectBucketClaim models', timeoutMs: 5000, intervalMs: 2000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect((err as Error).message).toBe('gave up waiting for ObjectBucketClaim models after 5 s: currently Pending, no events');
    expect(time.sleeps).toEqual([2000, 3000]);
    expect(time.now()).toBe(5000);
  });

  it('re-probes on a watch wake-up without waiting for the poll, and unsubscribes', async () => {
    const time = fakeTime({ hang: true });
    let wake: (() => void) | undefined;
    let unsubscribed = 0;
    const waitFor = createWaitFor({
      signal: new AbortController().signal,
      // The watch fires when the wizard reports the first wait.
      onWait: () => queueMicrotask(() => wake?.()),
      ...time,
    });
    const { probe, calls } = scripted([pending('Pending'), { state: 'done', value: 'Bound' }]);
    const value = await waitFor(probe, {
      what: 'ObjectBucketClaim models',
      timeoutMs: 60_000,
      watch: (w) => {
        wake = w;
        return () => unsubscribed++;
      },
    });
    expect(value).toBe('Bound');
    expect(calls()).toBe(2);
    expect(unsubscribed).toBe(1);
  });

  it('a wake-up during a probe causes an immediate re-probe', async () => {
    const time = fakeTime({ hang: true });
    let wake: (() => void) | undefined;
    let n = 0;
    const waitFor = createWaitFor({ signal: new AbortController().signal, onWait: () => {}, ...time });
    const value = await waitFor(
      async (): Promise<ProbeResult<number>> => {
        n++;
        if (n === 1) {
          wake?.();
          return { state: 'pending', currently: 'Pending' };
        }
        return { state: 'done', value: n };
      },
      { what: 'x', timeoutMs: 60_000, watch: async (w) => ((wake = w), () => {}) },
    );
    expect(value).toBe(2);
    expect(time.sleeps).toEqual([]);
  });

  it('throws an AbortError when the signal aborts during the sleep, and unsubscribes', async () => {
    const time = fakeTime({ hang: true });
    const ac = new AbortController();
    let unsubscribed = false;
    const waitFor = createWaitFor({ signal: ac.signal, onWait: () => queueMicrotask(() => ac.abort()), ...time });
    const { probe } = scripted([pending('Pending')]);
    const err = await waitFor(probe, { what: 'x', timeoutMs: 60_000, watch: () => () => (unsubscribed = true) }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DOMException);
    expect((err as DOMException).name).toBe('AbortError');
    expect(isAbort(err)).toBe(true);
    expect(unsubscribed).toBe(true);
  });

  it('does not probe at all when already aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    const waitFor = createWaitFor({ signal: ac.signal, onWait: () => {}, ...fakeTime() });
    const { probe, calls } = scripted([pending('Pending')]);
    await expect(waitFor(probe, { what: 'x', timeoutMs: 1000 })).rejects.toMatchObject({ name: 'AbortError' });
    expect(calls()).toBe(0);
  });

  it('unsubscribes the watch when the probe throws', async () => {
    let unsubscribed = false;
    const waitFor = createWaitFor({ signal: new AbortController().signal, onWait: () => {}, ...fakeTime() });
    const probe = async (): Promise<ProbeResult<string>> => {
      throw new Error('connection refused');
    };
    await expect(waitFor(probe, { what: 'x', timeoutMs: 1000, watch: () => () => (unsubscribed = true) })).rejects.toThrow(
      'connection refused',
    );
    expect(unsubscribed).toBe(true);
  });
});
