/**
 * One reconcile routine serves plan, apply and verify of the per-model 3scale steps: it reads the
 * tenant, compares with what is wanted, and records a Change per object. In `plan` mode (and in
 * `verify`, which must find nothing to do) it only records; in `apply` mode it also performs each
 * write right after recording it. Plan and apply therefore walk the same decisions, and apply can
 * use ids created a moment earlier (a new product's id for its mapping rules), which a plan
 * computed ahead cannot know.
 */
import { ThreescaleApiError } from '../../src/cluster/threescale/errors.js';
import type { Form } from '../../src/cluster/threescale/http.js';
import { userErrorOf } from '../../src/engine/errors.js';
import type { ApiCall, Change, Diagnosis, FieldDiff } from '../../src/engine/types.js';

/** Path prefix of the Account Management API. */
export const AM = '/admin/api';

/** An ApiCall for a Change (`body` holds form parameters, never the access token or another secret). */
export function call(method: ApiCall['method'], path: string, body?: Form): ApiCall {
  return { service: '3scale', method, path, ...(body ? { body } : {}) };
}

/** Placeholder shown in planned paths for an id that exists only once an earlier change is applied. */
export const NEW_ID = '<new>';

/** Records changes and, in write mode, performs them (see the module comment). */
export class Reconcile {
  readonly changes: Change[] = [];

  /** @param write true in apply: each recorded write is performed at once. */
  constructor(readonly write: boolean) {}

  /** Records that `target` is as wanted. */
  none(target: string, note?: string): void {
    this.changes.push({ action: 'none', target, ...(note ? { note } : {}) });
  }

  /**
   * Records a write and, in write mode, performs it with `perform`; returns its result (undefined
   * in plan mode).
   */
  async change<T>(action: 'create' | 'update' | 'delete', target: string, api: ApiCall, perform: () => Promise<T>, extra: { diff?: FieldDiff[]; note?: string } = {}): Promise<T | undefined> {
    this.changes.push({ action, target, call: api, ...(extra.diff ? { diff: extra.diff } : {}), ...(extra.note ? { note: extra.note } : {}) });
    if (!this.write) return undefined;
    return perform();
  }

  /** The recorded writes (everything but `none`). */
  writes(): Change[] {
    return this.changes.filter((c) => c.action !== 'none');
  }
}

/** The fields of `wanted` whose value differs in `current` (compared as strings: 3scale answers numbers and booleans either way). */
export function diffFields(current: Record<string, unknown> | undefined, wanted: Record<string, string | number | boolean>): FieldDiff[] {
  return Object.entries(wanted)
    .filter(([k, v]) => String(current?.[k] ?? '') !== String(v))
    .map(([k, v]) => ({ path: k, from: current?.[k], to: v }));
}

/** The form of a diff: the wanted values of the differing fields. */
export function formOf(diff: FieldDiff[]): Form {
  return Object.fromEntries(diff.map((d) => [d.path, d.to as string | number | boolean]));
}

/**
 * Known failure shapes of the 3scale API as a sentence and a fix: a 5xx after the retries (system-app
 * or its database struggling), an unreachable admin portal, a refused token.
 */
export function diagnoseThreescale(error: unknown): Diagnosis | undefined {
  const api = causeOf(error, (e): e is ThreescaleApiError => e instanceof ThreescaleApiError);
  if (api && api.status >= 500) {
    return {
      summary: `the 3scale admin API answered ${api.status} to ${api.method} ${api.path} even after retries: 3scale's system-app (or its database) is failing, not the request`,
      fix: 'check `oc get pods -n 3scale` (system-app, system-sidekiq, the database) and their logs, then retry this step: it picks up where it stopped and creates nothing twice',
    };
  }
  const user = userErrorOf(error);
  if (user?.code === '3scale.unreachable' || user?.code === '3scale.denied') return { summary: user.message, fix: user.fix ?? 'retry this step' };
  return undefined;
}

function causeOf<T>(err: unknown, is: (e: unknown) => e is T): T | undefined {
  let e: unknown = err;
  for (let i = 0; i < 10 && e; i++) {
    if (is(e)) return e;
    e = e instanceof Error ? e.cause : undefined;
  }
  return undefined;
}
