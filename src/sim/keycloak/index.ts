/**
 * The simulated Keycloak (RH-SSO 7.x: every path under `/auth`): the master realm's password grant
 * for `admin-cli`, the admin REST API (realms, clients with secrets, protocol mappers, identity
 * providers) with bearer-token checks, realm OIDC discovery and the broker endpoint. Works with
 * the real `@keycloak/keycloak-admin-client` (baseUrl `http://HOST/auth`). Before `readyAfterMs`
 * every request answers 503, like a route whose pod is not ready yet ("Keycloak slow to start");
 * so does every request while `setReady(false)` holds (the `keycloak-slow-start` scenario).
 */
import type { ServerResponse } from 'node:http';
import type { KeycloakBackend } from '../types.js';
import { ADMIN_ROUTES } from './admin-routes.js';
import { KeycloakHttpError, matchTemplate, publicOrigin, sendJson } from './http.js';
import { PUBLIC_ROUTES } from './public-routes.js';
import { KeycloakStore, type KeycloakData } from './store.js';
import { TokenService } from './tokens.js';

export { ADMIN_ROUTES } from './admin-routes.js';
export { PUBLIC_ROUTES } from './public-routes.js';

/** Options of createKeycloak. */
export interface KeycloakOptions {
  /** Clock in milliseconds since the epoch (token expiry, readiness); default Date.now. */
  now?: () => number;
  /** Milliseconds after creation during which every request answers 503; default 0. */
  readyAfterMs?: number;
}

/**
 * A simulated Keycloak with its state as plain JSON (client secrets included, admin password only
 * hashed), and `setReady` (the `keycloak-slow-start` scenario's hook) always present.
 */
export type SimKeycloak = KeycloakBackend & Required<Pick<KeycloakBackend, 'setReady'>> & { snapshot(): unknown; restore(state: unknown): void };

/** The body the OpenShift router answers with while no pod behind a Route is ready. */
const NOT_READY = 'Application is not available';

/**
 * Creates a simulated Keycloak holding the `master` realm. `ensureRealm` creates a realm once and
 * never changes it afterwards (the legacy operator's behaviour, C7). `restore` throws a TypeError
 * when `state` is not something `snapshot` returned.
 */
export function createKeycloak(options: KeycloakOptions = {}): SimKeycloak {
  const now = options.now ?? Date.now;
  const readyAt = now() + (options.readyAfterMs ?? 0);
  let store = new KeycloakStore();
  const tokens = new TokenService(now);
  let ready = true;

  const handler: KeycloakBackend['handler'] = async (req, res) => {
    try {
      if (!ready || now() < readyAt) {
        req.resume();
        res.writeHead(503, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(NOT_READY) });
        res.end(NOT_READY);
        return;
      }
      const url = new URL(req.url ?? '/', 'http://keycloak');
      const method = req.method ?? 'GET';
      const path = url.pathname.replace(/\/+$/, '') || '/';
      if (path === '/auth') return void sendWelcome(res);
      const admin = path === '/auth/admin/realms' ? '/' : path.startsWith('/auth/admin/realms/') ? path.slice('/auth/admin/realms'.length) : undefined;
      if (admin !== undefined) {
        const matches = ADMIN_ROUTES.filter((r) => matchTemplate(r.path, admin) !== undefined);
        const route = matches.find((r) => r.method === method);
        if (!route) return void notServed(res, method, url.pathname, matches.length > 0);
        if (!tokens.checkBearer(req.headers.authorization)) return void sendJson(res, 401, { error: 'HTTP 401 Unauthorized' });
        const base = `${publicOrigin(req)}/auth/admin/realms`;
        await route.handle({ req, res, params: matchTemplate(route.path, admin) ?? {}, query: url.searchParams, store, base });
        return;
      }
      if (path.startsWith('/auth/realms/')) {
        const rel = path.slice('/auth/realms'.length);
        const matches = PUBLIC_ROUTES.filter((r) => matchTemplate(r.path, rel) !== undefined);
        const route = matches.find((r) => r.method === method);
        if (!route) return void notServed(res, method, url.pathname, matches.length > 0);
        await route.handle({ req, res, params: matchTemplate(route.path, rel) ?? {}, store, tokens });
        return;
      }
      notServed(res, method, url.pathname, false);
    } catch (err) {
      if (err instanceof KeycloakHttpError) sendJson(res, err.status, err.body);
      else sendJson(res, 500, { error: 'unknown_error' });
    }
  };

  return {
    handler,
    setAdmin: (username, password) => tokens.setAdmin(username, password),
    ensureRealm: (realm, displayName) => {
      if (!store.hasRealm(realm)) store.createRealm({ realm, ...(displayName === undefined ? {} : { displayName }) });
    },
    setReady: (value) => {
      ready = value;
    },
    snapshot: () => structuredClone({ version: 1, data: store.data, admin: tokens.adminRecord() }),
    restore: (state) => {
      const s = state as { version?: number; data?: KeycloakData; admin?: Parameters<TokenService['restoreAdmin']>[0] } | null;
      if (typeof s !== 'object' || s === null || s.version !== 1 || !Array.isArray(s.data?.realms)) {
        throw new TypeError('not a simulated Keycloak snapshot (version 1)');
      }
      store = new KeycloakStore();
      store.data = structuredClone(s.data);
      tokens.restoreAdmin(s.admin);
    },
  };
}

/** RESTEasy's answers for a path no resource serves (404) or a method the resource lacks (405). */
function notServed(res: ServerResponse, method: string, path: string, pathExists: boolean): void {
  if (pathExists) sendJson(res, 405, { error: `RESTEASY003650: No resource method found for ${method}, return 405 with Allow header` });
  else sendJson(res, 404, { error: `RESTEASY003210: Could not find resource for full path: ${path}` });
}

function sendWelcome(res: ServerResponse): void {
  const text = '<!DOCTYPE html><html><head><title>Welcome to Red Hat Single Sign-On</title></head><body></body></html>';
  res.writeHead(200, { 'content-type': 'text/html;charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
