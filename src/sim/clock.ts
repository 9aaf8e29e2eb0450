/**
 * The simulation's clock (src/sim/types.ts `SimClock`). Operators schedule work with
 * `after(seconds, fn)` where `seconds` is simulated time (src/sim/durations.ts).
 *
 * - `instant`: simulated time is virtual. Timers run one per macrotask (setImmediate), in the
 *   order of their simulated due time (ties: in the order they were scheduled), so a 20 s step
 *   scheduled together with a 75 s step still finishes first, as it would in real time.
 * - `realistic`: `setTimeout(seconds * 1000 / speed)`.
 */
import type { SimClock, TimingProfile } from './types.js';

interface Timer {
  due: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** A clock that can tell when nothing is scheduled any more (tests wait on it instead of sleeping). */
export interface SettlingClock extends SimClock {
  /**
   * Resolves once no timer is pending (checked across two macrotasks, so work that a timer started
   * and that schedules again promptly is seen). With `instant` timing this is "the simulation
   * has done everything it will do until something changes".
   */
  settled(): Promise<void>;
}

const nextMacrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function waitIdle(pendingCount: () => number): Promise<void> {
  for (;;) {
    await nextMacrotask();
    if (pendingCount() > 0) continue;
    await nextMacrotask();
    await nextMacrotask();
    if (pendingCount() === 0) return;
  }
}

/**
 * Creates a clock.
 * @param timing `instant` (tests) or `realistic` (demos).
 * @param speed divides realistic durations (60 → one simulated minute per real second); must be > 0.
 * @throws Error when speed is not a positive finite number.
 */
export function createClock(timing: TimingProfile, speed = 1): SettlingClock {
  if (!Number.isFinite(speed) || speed <= 0) throw new Error(`clock speed must be a positive number, got ${speed}`);
  return timing === 'instant' ? instantClock(speed) : realisticClock(speed);
}

function realisticClock(speed: number): SettlingClock {
  const timers = new Set<NodeJS.Timeout>();
  return {
    timing: 'realistic',
    speed,
    after(seconds, fn) {
      const t = setTimeout(() => {
        timers.delete(t);
        fn();
      }, Math.max(0, (seconds * 1000) / speed));
      timers.add(t);
      return () => {
        clearTimeout(t);
        timers.delete(t);
      };
    },
    now: () => Date.now(),
    settled: () => waitIdle(() => timers.size),
    stop() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}

function instantClock(speed: number): SettlingClock {
  let virtualNow = 0;
  let seq = 0;
  let queue: Timer[] = [];
  let pending: NodeJS.Immediate | undefined;
  let stopped = false;

  const pump = (): void => {
    pending = undefined;
    if (stopped) return;
    queue = queue.filter((t) => !t.cancelled);
    if (queue.length === 0) return;
    let best = 0;
    for (let i = 1; i < queue.length; i++) {
      const a = queue[i] as Timer;
      const b = queue[best] as Timer;
      if (a.due < b.due || (a.due === b.due && a.seq < b.seq)) best = i;
    }
    const [timer] = queue.splice(best, 1) as [Timer];
    virtualNow = Math.max(virtualNow, timer.due);
    if (queue.length > 0) pending = setImmediate(pump);
    timer.fn();
  };

  return {
    timing: 'instant',
    speed,
    after(seconds, fn) {
      const timer: Timer = { due: virtualNow + Math.max(0, seconds), seq: seq++, fn, cancelled: false };
      if (stopped) return () => undefined;
      queue.push(timer);
      pending ??= setImmediate(pump);
      return () => {
        timer.cancelled = true;
      };
    },
    now: () => Date.now(),
    settled: () => waitIdle(() => (stopped ? 0 : queue.filter((t) => !t.cancelled).length)),
    stop() {
      stopped = true;
      queue = [];
      if (pending) clearImmediate(pending);
      pending = undefined;
    },
  };
}
