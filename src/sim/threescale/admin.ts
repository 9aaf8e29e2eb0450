/**
 * The admin portal host `<tenant>-admin.<domain>`: authenticates `access_token` (query for GET and
 * DELETE, body for the others; porta takes it from `params`, so both are accepted), checks the
 * spec's required parameters (422 `can't be blank`), dispatches to the route table and writes the
 * answer as JSON or XML by the path's suffix.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, blank, readParams, send, str } from './http.js';
import { compile, match, splitFormat } from './router.js';
import type { Route, RouteContext } from './router.js';
import type { TenantState } from './state.js';

/** What the admin host needs from the rest of the simulated 3scale. */
export interface AdminHostOptions {
  routes: Route[];
  tenant(): TenantState | undefined;
  now(): number;
  productsChanged(): void;
  customPolicies(): { name: string; version: string }[];
}

/** Creates the admin host's request handler. */
export function createAdminHost(options: AdminHostOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const table = compile(options.routes);
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://admin.invalid');
    const { bare, format } = splitFormat(url.pathname);
    const tenant = options.tenant();
    if (!tenant || tenant.accessToken === '') {
      // System is not up before the operator provisions the tenant (or, after a restore, hands its token in again).
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '10' });
      res.end('Service Unavailable');
      return;
    }
    const found = match(table, (req.method ?? 'GET').toUpperCase(), bare);
    if (!found) {
      req.resume();
      send(res, 404, { status: 'Not found' }, format);
      return;
    }
    try {
      const params = await readParams(req, url);
      // porta Filters::ProviderRequired: `render_error 'Access denied', status: :forbidden`.
      if (str(params, 'access_token') !== tenant.accessToken) throw new ApiError(403, { error: 'Access denied' });
      delete params.access_token;
      if (found.route.spec === 'cms' && format !== 'json') throw new ApiError(406, { error: 'Not Acceptable' });
      const missing = found.route.required.filter((k) => blank(params[k]));
      if (missing.length > 0) throw new ApiError(422, { errors: Object.fromEntries(missing.map((k) => [k, ["can't be blank"]])) });
      const ctx: RouteContext = {
        tenant,
        path: found.path,
        params,
        now: options.now(),
        productsChanged: options.productsChanged,
        customPolicies: options.customPolicies(),
      };
      const result = found.route.handler(ctx);
      send(res, result.status, result.body, format);
    } catch (e) {
      if (e instanceof ApiError) send(res, e.status, e.body, format);
      else send(res, 500, { error: e instanceof Error ? e.message : String(e) }, format);
    }
  };
}
