/**
 * The routes of the simulated Keycloak outside the admin API, relative to `/auth/realms`: the
 * token endpoint, realm OIDC discovery (RH-SSO 7.x paths under `/auth`), the JWKS, the realm's
 * public info and the identity-provider broker endpoint (the redirect URI people register at
 * Google/GitHub: `<keycloak>/auth/realms/<realm>/broker/<alias>/endpoint`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { KeycloakHttpError, publicOrigin, readText, sendJson } from './http.js';
import type { KeycloakStore } from './store.js';
import type { TokenService } from './tokens.js';

/** What a public route handler gets. */
export interface PublicContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  store: KeycloakStore;
  tokens: TokenService;
}

/** One public route: method and path template relative to `/auth/realms`. */
export interface PublicRoute {
  method: 'GET' | 'POST';
  path: string;
  handle(ctx: PublicContext): Promise<void> | void;
}

/** 404 as Keycloak answers for an unknown realm on its public endpoints. */
function realmOf(c: PublicContext): string {
  const realm = c.params.realm ?? '';
  if (!c.store.hasRealm(realm)) throw new KeycloakHttpError(404, { error: 'Realm does not exist' });
  return realm;
}

/**
 * The OpenID Provider Metadata (OpenID Connect Discovery 1.0 §3) a Keycloak realm publishes, with
 * URLs built from the Host the client used, as Keycloak does when no frontend URL is set.
 */
export function discoveryDocument(origin: string, realm: string): Record<string, unknown> {
  const issuer = `${origin}/auth/realms/${encodeURIComponent(realm)}`;
  const oidc = `${issuer}/protocol/openid-connect`;
  return {
    issuer,
    authorization_endpoint: `${oidc}/auth`,
    token_endpoint: `${oidc}/token`,
    introspection_endpoint: `${oidc}/token/introspect`,
    userinfo_endpoint: `${oidc}/userinfo`,
    end_session_endpoint: `${oidc}/logout`,
    jwks_uri: `${oidc}/certs`,
    check_session_iframe: `${oidc}/login-status-iframe.html`,
    registration_endpoint: `${issuer}/clients-registrations/openid-connect`,
    revocation_endpoint: `${oidc}/revoke`,
    device_authorization_endpoint: `${oidc}/auth/device`,
    grant_types_supported: ['authorization_code', 'implicit', 'refresh_token', 'password', 'client_credentials', 'urn:ietf:params:oauth:grant-type:device_code'],
    response_types_supported: ['code', 'none', 'id_token', 'token', 'id_token token', 'code id_token', 'code token', 'code id_token token'],
    subject_types_supported: ['public', 'pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    userinfo_signing_alg_values_supported: ['RS256'],
    response_modes_supported: ['query', 'fragment', 'form_post'],
    token_endpoint_auth_methods_supported: ['private_key_jwt', 'client_secret_basic', 'client_secret_post', 'tls_client_auth', 'client_secret_jwt'],
    claims_supported: ['aud', 'sub', 'iss', 'auth_time', 'name', 'given_name', 'family_name', 'preferred_username', 'email', 'acr'],
    scopes_supported: ['openid', 'profile', 'email', 'address', 'phone', 'offline_access', 'roles', 'web-origins', 'microprofile-jwt'],
    code_challenge_methods_supported: ['plain', 'S256'],
    claims_parameter_supported: true,
    request_parameter_supported: true,
    request_uri_parameter_supported: true,
  };
}

/** Every public route served. */
export const PUBLIC_ROUTES: PublicRoute[] = [
  {
    method: 'POST', path: '/{realm}/protocol/openid-connect/token',
    handle: async (c) => {
      const realm = realmOf(c);
      const form = new URLSearchParams(await readText(c.req));
      sendJson(c.res, 200, c.tokens.grant(realm, form), { 'cache-control': 'no-store', pragma: 'no-cache' });
    },
  },
  {
    method: 'GET', path: '/{realm}/.well-known/openid-configuration',
    handle: (c) => sendJson(c.res, 200, discoveryDocument(publicOrigin(c.req), realmOf(c))),
  },
  { method: 'GET', path: '/{realm}/protocol/openid-connect/certs', handle: (c) => { realmOf(c); sendJson(c.res, 200, { keys: [] }); } },
  {
    method: 'GET', path: '/{realm}',
    handle: (c) => {
      const realm = realmOf(c);
      const base = `${publicOrigin(c.req)}/auth/realms/${encodeURIComponent(realm)}`;
      sendJson(c.res, 200, { realm, 'token-service': `${base}/protocol/openid-connect`, 'account-service': `${base}/account`, 'tokens-not-before': 0 });
    },
  },
  {
    method: 'GET', path: '/{realm}/broker/{alias}/endpoint',
    handle: (c) => {
      const realm = realmOf(c);
      c.store.identityProvider(realm, c.params.alias ?? '');
      // Reached without the provider's `state`/`code`, Keycloak shows its error page with 400.
      const text = 'Unexpected error when authenticating with identity provider';
      c.res.writeHead(400, { 'content-type': 'text/html;charset=utf-8', 'content-length': Buffer.byteLength(text) });
      c.res.end(text);
    },
  },
];
