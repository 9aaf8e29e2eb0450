/**
 * Route table of the simulated 3scale admin host (Account Management API, CMS API, analytics).
 * Each route names its path template exactly as the OpenAPI spec in `../shared/reference/openapi/`
 * writes it (with its `.xml` or `.json` suffix), so the conformance test can check every route
 * against the spec; a request may use either suffix (porta's routes take both formats).
 */
import type { Params } from './http.js';
import type { TenantState } from './state.js';

/** What a handler gets: the tenant, path parameters, request parameters and the simulation's services. */
export interface RouteContext {
  tenant: TenantState;
  /** Path parameters by the template's names (`{service_id}` → `service_id`). */
  path: Record<string, string>;
  params: Params;
  /** Milliseconds since the epoch (the simulation's clock). */
  now: number;
  /** Tells zync (onProductsChanged listeners) that the product list changed. */
  productsChanged(): void;
  /** Names and versions of custom APIcast policies registered through the APIManager. */
  customPolicies: { name: string; version: string }[];
}

/** A handler's result: HTTP status and a JSON-shaped body (undefined: empty body). */
export interface RouteResult {
  status: number;
  body?: unknown;
}

/**
 * Which specification documents a route: the Account Management API and CMS API specs in
 * `../shared/reference/openapi/`, or the Analytics API (`/stats/...`), whose spec is not among them.
 */
export type RouteSpec = 'account_management' | 'cms' | 'analytics';

/** One route of the admin host. */
export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path template as the spec writes it, e.g. `/admin/api/services/{service_id}/metrics.xml`. */
  path: string;
  spec: RouteSpec;
  /** Body/query parameters the spec marks required (without `access_token`); blank → 422 `can't be blank`. */
  required: string[];
  handler: (ctx: RouteContext) => RouteResult;
}

interface Compiled {
  route: Route;
  regex: RegExp;
  names: string[];
}

/** Strips the format suffix of a path: `/a/b.json` → `{ bare: '/a/b', format: 'json' }` (default `xml`, porta's default). */
export function splitFormat(path: string): { bare: string; format: 'json' | 'xml' } {
  const m = /\.(json|xml)$/.exec(path);
  if (!m) return { bare: path, format: 'xml' };
  return { bare: path.slice(0, -m[0].length), format: m[1] as 'json' | 'xml' };
}

/** Compiles routes for matching; a template's `{name}` matches one path segment. */
export function compile(routes: Route[]): Compiled[] {
  return routes.map((route) => {
    const names: string[] = [];
    const { bare } = splitFormat(route.path);
    const source = bare
      .split(/(\{[a-z_]+\})/)
      .map((part) => {
        const m = /^\{([a-z_]+)\}$/.exec(part);
        if (m) {
          names.push(m[1] as string);
          return '([^/]+)';
        }
        return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('');
    return { route, regex: new RegExp(`^${source}$`), names };
  });
}

/**
 * Finds the route for a method and bare path (no suffix); undefined when none matches (the
 * admin host then answers 404, as Rails does for an unknown route). Literal segments win over
 * parameters (`/accounts/find` before `/accounts/{id}`), as Rails' route order has them.
 */
export function match(
  table: Compiled[],
  method: string,
  bare: string,
): { route: Route; path: Record<string, string> } | undefined {
  let best: { route: Route; path: Record<string, string>; params: number } | undefined;
  for (const c of table) {
    if (c.route.method !== method) continue;
    const m = c.regex.exec(bare);
    if (!m) continue;
    const path: Record<string, string> = {};
    c.names.forEach((n, i) => (path[n] = decodeURIComponent(m[i + 1] ?? '')));
    if (!best || c.names.length < best.params) best = { route: c.route, path, params: c.names.length };
  }
  return best && { route: best.route, path: best.path };
}
