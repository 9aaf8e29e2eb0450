/**
 * Helpers for route handlers: declaring routes, wrapping records in 3scale's JSON shapes
 * (`{"service": {...}}`, `{"services": [{"service": {...}}]}` plus pagination `metadata`), and the
 * status codes porta answers with (201 on create, 200 with an empty body on delete).
 */
import { paginate } from '../http.js';
import type { Params } from '../http.js';
import type { Route, RouteContext, RouteResult, RouteSpec } from '../router.js';
import type { Rec } from '../state.js';

/** Declares a route; `required` are the spec's required body/query parameters (minus `access_token`). */
export function route(
  method: Route['method'],
  path: string,
  required: string[],
  handler: (ctx: RouteContext) => RouteResult,
  spec: RouteSpec = 'account_management',
): Route {
  return { method, path, required, handler, spec };
}

/** `{ [key]: rec }` — one record as 3scale wraps it. */
export function one(key: string, rec: Rec | Record<string, unknown>): Record<string, unknown> {
  return { [key]: rec };
}

/** `{ [plural]: [{ [key]: rec }, ...], metadata? }` — a paginated list (AM API: 500 per page). */
export function list(plural: string, key: string, recs: Rec[], params: Params): Record<string, unknown> {
  const { page, metadata } = paginate(recs, params);
  const body: Record<string, unknown> = { [plural]: page.map((r) => ({ [key]: r })) };
  if (metadata) body.metadata = metadata;
  return body;
}

/** 200 with a body. */
export const ok = (body: unknown): RouteResult => ({ status: 200, body });
/** 201 with a body (porta `respond_with` on create). */
export const created = (body: unknown): RouteResult => ({ status: 201, body });
/** 200 with an empty body (porta's answer to a delete). */
export const deleted = (): RouteResult => ({ status: 200 });

/** Marks a record updated now. */
export function touch(rec: Rec, now: number): void {
  rec.updated_at = new Date(Math.floor(now / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
