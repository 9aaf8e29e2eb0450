/**
 * A tiny controller loop for the simulated operators, shaped like controller-runtime's: watched
 * kinds map store events to keys (`namespace/name` of the primary object), keys are queued and
 * reconciled on the clock (never inside a store listener, which runs synchronously inside a
 * write), and a reconcile may schedule follow-up work after a simulated delay, at most once per
 * (key, step) at a time.
 */
import type { StoreEvent, StoredObject } from '../types.js';
import type { OperatorContext, SimOperator } from './context.js';
import { Objects } from './objects.js';

/** `namespace/name` (cluster-scoped: `/name`). */
export type Key = string;

/** Builds the key of an object. */
export function keyOf(obj: { metadata: { namespace?: string; name?: string } }): Key {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}

/** Splits a key into namespace (undefined for cluster-scoped) and name. */
export function splitKey(key: Key): { namespace: string | undefined; name: string } {
  const i = key.indexOf('/');
  const ns = key.slice(0, i);
  return { namespace: ns === '' ? undefined : ns, name: key.slice(i + 1) };
}

/** What one operator declares. */
export interface ControllerSpec {
  name: string;
  /** Kind name of the primary object (its events enqueue its own key). */
  primary: string;
  /** Other kinds whose changes enqueue primary keys (returned by the mapper). */
  watches?: { kind: string; map: (event: StoreEvent) => Key[] }[];
  /** Level-triggered: look at the current state of `key` and move it along. Must be idempotent. */
  reconcile(key: Key, ctl: Controller): void;
  /** Called once on start after the initial reconciles are queued (re-register backends after a restart). */
  onStart?(ctl: Controller): void;
  onStop?(): void;
}

/** The running loop handed to a reconcile. */
export class Controller implements SimOperator {
  readonly name: string;
  readonly objects: Objects;
  private readonly queued = new Set<Key>();
  private readonly timers = new Map<string, () => void>();
  private unsubscribe: (() => void) | undefined;
  private stopped = false;

  constructor(
    readonly ctx: OperatorContext,
    private readonly spec: ControllerSpec,
  ) {
    this.name = spec.name;
    this.objects = new Objects(ctx.store, ctx.kinds);
  }

  start(): void {
    const primary = this.objects.kind(this.spec.primary);
    this.unsubscribe = this.ctx.store.subscribe((event) => {
      if (event.kind.kind === primary.kind && event.kind.group === primary.group) this.enqueue(keyOf(event.object));
      for (const w of this.spec.watches ?? []) {
        if (event.kind.kind === w.kind) for (const k of w.map(event)) this.enqueue(k);
      }
    });
    for (const obj of this.ctx.store.list(primary)) this.enqueue(keyOf(obj));
    this.spec.onStart?.(this);
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
    this.spec.onStop?.();
  }

  /** Queues a reconcile of `key` on the clock (coalesced). */
  enqueue(key: Key): void {
    if (this.stopped || this.queued.has(key)) return;
    this.queued.add(key);
    this.ctx.clock.after(0, () => {
      this.queued.delete(key);
      if (this.stopped) return;
      try {
        this.spec.reconcile(key, this);
      } catch (err) {
        // A conflict or a vanished object: the next event brings the key back. Anything else is a bug.
        const reason = (err as { shape?: { reason?: string } }).shape?.reason;
        if (reason !== 'Conflict' && reason !== 'NotFound' && reason !== 'AlreadyExists') {
          console.error(`simulated ${this.name}: reconcile of ${key} failed: ${(err as Error).message}`);
        }
      }
    });
  }

  /**
   * Runs `fn` after `seconds` of simulated time unless a timer for (key, step) is already pending;
   * then enqueues `key` again. Use for "this takes N seconds" transitions.
   */
  after(key: Key, step: string, seconds: number, fn: () => void): void {
    const id = `${key}#${step}`;
    if (this.stopped || this.timers.has(id)) return;
    const cancel = this.ctx.clock.after(seconds, () => {
      this.timers.delete(id);
      if (this.stopped) return;
      try {
        fn();
      } catch (err) {
        const reason = (err as { shape?: { reason?: string } }).shape?.reason;
        if (reason !== 'Conflict' && reason !== 'NotFound' && reason !== 'AlreadyExists') {
          console.error(`simulated ${this.name}: ${step} of ${key} failed: ${(err as Error).message}`);
        }
      }
      this.enqueue(key);
    });
    this.timers.set(id, cancel);
  }

  /** True when a timer for (key, step) is pending. */
  pending(key: Key, step: string): boolean {
    return this.timers.has(`${key}#${step}`);
  }

  /** Cancels the timer for (key, step), if any. */
  cancel(key: Key, step: string): void {
    const id = `${key}#${step}`;
    this.timers.get(id)?.();
    this.timers.delete(id);
  }

  /** Cancels every timer of `key` (the object was deleted or its spec changed). */
  cancelAll(key: Key): void {
    for (const [id, cancel] of this.timers) {
      if (id.startsWith(`${key}#`)) {
        cancel();
        this.timers.delete(id);
      }
    }
  }
}

/** Maps an event to the keys of every primary object in the same namespace (e.g. a Secret change → every APIManager there). */
export function sameNamespace(ctl: () => Controller, primaryKind: string): (event: StoreEvent) => Key[] {
  return (event) => {
    const ns = event.object.metadata.namespace;
    return ctl().objects.list(primaryKind, ns).map((o: StoredObject) => keyOf(o));
  };
}
