/**
 * The admin REST API routes the simulated Keycloak serves, as method + path template relative to
 * `/auth/admin/realms` (the base the Keycloak admin OpenAPI document uses, so the conformance
 * test can check each one against ../shared/reference/openapi/keycloak-admin-18.0.0.dahag.json).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, readJson, sendEmpty, sendJson } from './http.js';
import type { Rep } from './model.js';
import type { KeycloakStore } from './store.js';

/** What a route handler gets: the request, the response, path parameters, query, the store. */
export interface AdminContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
  store: KeycloakStore;
  /** Absolute URL of the admin API base (`http://host/auth/admin/realms`), for Location headers. */
  base: string;
}

/** One admin route: HTTP method and path template (`{name}` segments). */
export interface AdminRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  handle(ctx: AdminContext): Promise<void> | void;
}

const p = (ctx: AdminContext, name: string): string => ctx.params[name] ?? '';

async function body(ctx: AdminContext): Promise<Rep> {
  const b = await readJson(ctx.req);
  if (typeof b !== 'object' || b === null || Array.isArray(b)) throw badRequest('Expected a JSON object');
  return b as Rep;
}

async function bodyArray(ctx: AdminContext): Promise<Rep[]> {
  const b = await readJson(ctx.req);
  if (!Array.isArray(b)) throw badRequest('Expected a JSON array');
  return b as Rep[];
}

/** `first`/`max` paging as the admin API takes it on list endpoints. */
function page<T>(items: T[], query: URLSearchParams): T[] {
  const first = Number(query.get('first') ?? 0) || 0;
  const max = query.has('max') ? Number(query.get('max')) : undefined;
  return items.slice(first, max === undefined || Number.isNaN(max) || max < 0 ? undefined : first + max);
}

/** Every admin route served. */
export const ADMIN_ROUTES: AdminRoute[] = [
  { method: 'GET', path: '/', handle: (c) => sendJson(c.res, 200, c.store.data.realms.map((r) => r.rep)) },
  {
    method: 'POST', path: '/',
    handle: async (c) => {
      const r = c.store.createRealm(await body(c));
      sendEmpty(c.res, 201, { location: `${c.base}/${encodeURIComponent(r.rep.realm)}` });
    },
  },
  { method: 'GET', path: '/{realm}', handle: (c) => sendJson(c.res, 200, c.store.realm(p(c, 'realm')).rep) },
  { method: 'PUT', path: '/{realm}', handle: async (c) => { c.store.updateRealm(p(c, 'realm'), await body(c)); sendEmpty(c.res, 204); } },
  { method: 'DELETE', path: '/{realm}', handle: (c) => { c.store.deleteRealm(p(c, 'realm')); sendEmpty(c.res, 204); } },
  {
    method: 'GET', path: '/{realm}/clients',
    handle: (c) => {
      const realm = p(c, 'realm');
      const wanted = c.query.get('clientId');
      const search = c.query.get('search') === 'true';
      const list = c.store.realm(realm).clients.filter((x) =>
        wanted === null ? true : search ? x.clientId.toLowerCase().includes(wanted.toLowerCase()) : x.clientId === wanted,
      );
      sendJson(c.res, 200, page(list, c.query).map((x) => c.store.clientView(realm, x)));
    },
  },
  {
    method: 'POST', path: '/{realm}/clients',
    handle: async (c) => {
      const created = c.store.createClient(p(c, 'realm'), await body(c));
      sendEmpty(c.res, 201, { location: `${c.base}/${encodeURIComponent(p(c, 'realm'))}/clients/${created.id}` });
    },
  },
  { method: 'GET', path: '/{realm}/clients/{id}', handle: (c) => sendJson(c.res, 200, c.store.clientView(p(c, 'realm'), c.store.client(p(c, 'realm'), p(c, 'id')))) },
  { method: 'PUT', path: '/{realm}/clients/{id}', handle: async (c) => { c.store.updateClient(p(c, 'realm'), p(c, 'id'), await body(c)); sendEmpty(c.res, 204); } },
  { method: 'DELETE', path: '/{realm}/clients/{id}', handle: (c) => { c.store.deleteClient(p(c, 'realm'), p(c, 'id')); sendEmpty(c.res, 204); } },
  { method: 'GET', path: '/{realm}/clients/{id}/client-secret', handle: (c) => sendJson(c.res, 200, c.store.secret(p(c, 'realm'), p(c, 'id'))) },
  { method: 'POST', path: '/{realm}/clients/{id}/client-secret', handle: (c) => sendJson(c.res, 200, c.store.regenerateSecret(p(c, 'realm'), p(c, 'id'))) },
  { method: 'GET', path: '/{realm}/clients/{id}/protocol-mappers/models', handle: (c) => sendJson(c.res, 200, c.store.client(p(c, 'realm'), p(c, 'id')).protocolMappers) },
  {
    method: 'POST', path: '/{realm}/clients/{id}/protocol-mappers/models',
    handle: async (c) => {
      const [m] = c.store.addMappers(p(c, 'realm'), p(c, 'id'), [await body(c)]);
      sendEmpty(c.res, 201, { location: `${c.base}/${encodeURIComponent(p(c, 'realm'))}/clients/${p(c, 'id')}/protocol-mappers/models/${m?.id ?? ''}` });
    },
  },
  {
    method: 'POST', path: '/{realm}/clients/{id}/protocol-mappers/add-models',
    handle: async (c) => { c.store.addMappers(p(c, 'realm'), p(c, 'id'), await bodyArray(c)); sendEmpty(c.res, 204); },
  },
  {
    method: 'GET', path: '/{realm}/clients/{id}/protocol-mappers/protocol/{protocol}',
    handle: (c) => sendJson(c.res, 200, c.store.client(p(c, 'realm'), p(c, 'id')).protocolMappers.filter((m) => m.protocol === p(c, 'protocol'))),
  },
  { method: 'GET', path: '/{realm}/clients/{id1}/protocol-mappers/models/{id2}', handle: (c) => sendJson(c.res, 200, c.store.mapper(p(c, 'realm'), p(c, 'id1'), p(c, 'id2'))) },
  {
    method: 'PUT', path: '/{realm}/clients/{id1}/protocol-mappers/models/{id2}',
    handle: async (c) => { c.store.updateMapper(p(c, 'realm'), p(c, 'id1'), p(c, 'id2'), await body(c)); sendEmpty(c.res, 204); },
  },
  {
    method: 'DELETE', path: '/{realm}/clients/{id1}/protocol-mappers/models/{id2}',
    handle: (c) => { c.store.deleteMapper(p(c, 'realm'), p(c, 'id1'), p(c, 'id2')); sendEmpty(c.res, 204); },
  },
  {
    method: 'GET', path: '/{realm}/identity-provider/instances',
    handle: (c) => sendJson(c.res, 200, c.store.realm(p(c, 'realm')).identityProviders.map((x) => c.store.identityProviderView(x))),
  },
  {
    method: 'POST', path: '/{realm}/identity-provider/instances',
    handle: async (c) => {
      const created = c.store.createIdentityProvider(p(c, 'realm'), await body(c));
      sendEmpty(c.res, 201, { location: `${c.base}/${encodeURIComponent(p(c, 'realm'))}/identity-provider/instances/${encodeURIComponent(created.alias)}` });
    },
  },
  {
    method: 'GET', path: '/{realm}/identity-provider/instances/{alias}',
    handle: (c) => sendJson(c.res, 200, c.store.identityProviderView(c.store.identityProvider(p(c, 'realm'), p(c, 'alias')))),
  },
  {
    method: 'PUT', path: '/{realm}/identity-provider/instances/{alias}',
    handle: async (c) => { c.store.updateIdentityProvider(p(c, 'realm'), p(c, 'alias'), await body(c)); sendEmpty(c.res, 204); },
  },
  {
    method: 'DELETE', path: '/{realm}/identity-provider/instances/{alias}',
    handle: (c) => { c.store.deleteIdentityProvider(p(c, 'realm'), p(c, 'alias')); sendEmpty(c.res, 204); },
  },
];
