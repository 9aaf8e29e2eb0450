/**
 * The one wait helper (ARCHITECTURE.md "The step contract", "Waiting"): probe now, then again
 * on every watch wake-up or on a poll that backs off, until the probe says done or failed,
 * the timeout passes, or the run is aborted.
 */
import { setTimeout as sleepTimer } from 'node:timers/promises';
import { WaitFailedError, WaitTimeoutError } from './errors.js';
import type { ProbeResult, WaitFor, WaitOptions } from './types.js';

/** Poll interval before any back-off, in milliseconds. */
export const DEFAULT_INTERVAL_MS = 1000;
/** Upper bound of the backed-off poll interval, in milliseconds. */
export const DEFAULT_MAX_INTERVAL_MS = 15_000;
/** Factor by which the poll interval grows after each pending probe. */
export const BACKOFF_FACTOR = 1.5;

/** What `createWaitFor` needs. Injectable clock and sleep so tests need no real time. */
export interface WaitDeps {
  /** Aborts every wait (the step's signal). */
  signal: AbortSignal;
  /** Called with "what" and the probe's "currently" text each time that text changes. */
  onWait(what: string, currently: string): void;
  /** Current time in milliseconds (default `Date.now`). */
  now?: () => number;
  /**
   * Sleeps `ms` milliseconds; must reject when `signal` aborts (default: node:timers/promises
   * setTimeout). The signal passed here also fires on a watch wake-up.
   */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** The error thrown when a wait is aborted: a DOMException named `AbortError`, the signal's reason as cause. */
export function abortError(signal: AbortSignal): DOMException {
  const err = new DOMException('the operation was aborted', 'AbortError');
  Object.defineProperty(err, 'cause', { value: signal.reason, enumerable: false });
  return err;
}

const defaultSleep = (ms: number, signal: AbortSignal): Promise<void> => sleepTimer(ms, undefined, { signal });

/**
 * Builds the `WaitFor` steps receive in their context.
 *
 * Behaviour of the returned function `waitFor(probe, options)` (times in milliseconds):
 * - subscribes `options.watch` first (if any), then probes immediately;
 * - `pending` → reports `currently` through `onWait` when it differs from the last text, then
 *   sleeps `intervalMs` (default 1000), growing 1.5× per pending probe up to `maxIntervalMs`
 *   (default 15000); a watch wake-up ends the sleep early (one during a probe causes an
 *   immediate re-probe);
 * - `done` → resolves with its value; `failed` → throws WaitFailedError(what, reason, fix);
 * - when `timeoutMs` has passed after a pending probe → throws WaitTimeoutError with the last
 *   `currently` text;
 * - when `deps.signal` aborts → throws an AbortError (DOMException);
 * - always calls the watch's unsubscribe function, whatever the outcome.
 */
export function createWaitFor(deps: WaitDeps): WaitFor {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? defaultSleep;
  const { signal } = deps;

  return async function waitFor<T>(probe: () => Promise<ProbeResult<T>>, options: WaitOptions): Promise<T> {
    if (signal.aborted) throw abortError(signal);
    const start = now();
    const maxInterval = options.maxIntervalMs ?? DEFAULT_MAX_INTERVAL_MS;
    let interval = Math.min(options.intervalMs ?? DEFAULT_INTERVAL_MS, maxInterval);
    let last: string | undefined;
    let woken: boolean | undefined;
    let wakeSleep: AbortController | undefined;
    const wake = (): void => {
      woken = true;
      wakeSleep?.abort();
    };
    let unsubscribe: (() => void) | undefined;
    try {
      if (options.watch) unsubscribe = await options.watch(wake);
      for (;;) {
        if (signal.aborted) throw abortError(signal);
        woken = false;
        const result = await probe();
        if (signal.aborted) throw abortError(signal);
        if (result.state === 'done') return result.value;
        if (result.state === 'failed') throw new WaitFailedError(options.what, result.reason, result.fix);
        if (result.currently !== last) {
          last = result.currently;
          deps.onWait(options.what, result.currently);
        }
        const elapsed = now() - start;
        if (elapsed >= options.timeoutMs) throw new WaitTimeoutError(options.what, result.currently, options.timeoutMs);
        if (woken) continue;
        wakeSleep = new AbortController();
        try {
          await sleep(Math.min(interval, options.timeoutMs - elapsed), AbortSignal.any([signal, wakeSleep.signal]));
        } catch (err) {
          if (signal.aborted) throw abortError(signal);
          if (!wakeSleep.signal.aborted) throw err;
        } finally {
          wakeSleep = undefined;
        }
        interval = Math.min(interval * BACKOFF_FACTOR, maxInterval);
      }
    } finally {
      unsubscribe?.();
    }
  };
}
