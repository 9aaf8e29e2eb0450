/**
 * The Keycloak (Red Hat SSO) admin adapter (STAGES.md §6): `@keycloak/keycloak-admin-client`
 * pointed at an RH-SSO 7.x server (every path under `/auth`), authenticated with the master
 * realm's password grant for `admin-cli`, the admin user read from the operator's credential
 * Secret (`ADMIN_USERNAME`, `ADMIN_PASSWORD`) each time a connection is made. Nothing here logs,
 * and no secret value (admin password, token, client secret) ever goes into an error message.
 *
 * Routing: the admin client calls Node's global `fetch` and passes its `requestOptions` through.
 * The wizard's HTTP layer (src/cluster/http.ts) is an undici 8 dispatcher, whose handler API
 * differs from the undici that Node bundles behind the global `fetch` (Node 24: undici 7, legacy
 * handlers → "invalid onRequestStart method"). undici's own `Dispatcher1Wrapper` adapts it, so
 * `requestOptions.dispatcher = new Dispatcher1Wrapper(services.http.dispatcher)` routes only the
 * admin client's requests through the layer (CA, proxy, demo ingress); other traffic is untouched.
 */
import KcAdminClient, { NetworkError } from '@keycloak/keycloak-admin-client';
import { Dispatcher1Wrapper } from 'undici';
import { UserError } from '../engine/errors.js';
import type { KubeObject } from '../engine/types.js';
import { networkCode } from './errors.js';
import type { Services } from './services.js';

/** Where a Keycloak is and where its admin credentials are kept. */
export interface KeycloakTarget {
  /** Origin of the Keycloak route, as Keycloak CR `status.externalURL` gives it (`https://keycloak-rh-sso.apps.example.com`). */
  url: string;
  /** The Secret named by Keycloak CR `status.credentialSecret` (legacy operator: `credential-<name>`). */
  credentialSecret: { namespace: string; name: string };
}

/** An authenticated admin client and where it points. */
export interface KeycloakConnection {
  /** The admin client, authenticated on realm `master`; pass `realm` in each call. */
  admin: KcAdminClient;
  /** The Keycloak origin (no `/auth`). */
  url: string;
  /** `url` + `/auth`: the RH-SSO 7.x base path. */
  baseUrl: string;
}

/** Milliseconds one admin request may take before it is abandoned. */
export const KEYCLOAK_REQUEST_TIMEOUT_MS = 30_000;

/** A Keycloak admin API answer that is not a success and not one of the person-fixable cases. */
export class KeycloakApiError extends Error {
  /** HTTP status (404, 409, 500, ...). */
  readonly status: number;
  constructor(status: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KeycloakApiError';
    this.status = status;
  }
}

/** The RH-SSO base URL (`<origin>/auth`) of a Keycloak origin; a trailing `/` or `/auth` is tolerated. */
export function keycloakBaseUrl(url: string): string {
  const origin = url.replace(/\/+$/, '').replace(/\/auth$/, '');
  return `${origin}/auth`;
}

/** Status and body of an error thrown by the admin client (`NetworkError`), if it is one. */
export function keycloakStatusOf(err: unknown): { status: number; data: unknown } | undefined {
  if (err instanceof NetworkError) return { status: err.response.status, data: err.responseData };
  if (err instanceof KeycloakApiError) return { status: err.status, data: undefined };
  return undefined;
}

/** True when a Keycloak call failed with 409 Conflict (the object exists: C8). */
export function isConflict(err: unknown): boolean {
  return keycloakStatusOf(err)?.status === 409;
}

/** Keycloak's own words from an error body: `errorMessage`, `error_description`, `error`. Never a request value. */
function keycloakWords(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as Record<string, unknown>;
  const parts = [d['error'], d['error_description'], d['errorMessage']].filter((x): x is string => typeof x === 'string' && x !== '');
  return parts.length > 0 ? parts.join(': ') : undefined;
}

/**
 * Maps what the admin client (or fetch) threw into a UserError for what a person can fix
 * (unreachable, untrusted certificate, not ready yet, refused credentials, denied) or a
 * KeycloakApiError carrying the status. Aborts and unknown errors are returned unchanged.
 * @param url the Keycloak origin, for the message; @param doing what was being done ("create client 3scale in realm maas").
 */
export function mapKeycloakError(err: unknown, url: string, doing: string): unknown {
  const code = networkCode(err);
  if (code) {
    const tls = /CERT|SIGNATURE|SELF_SIGNED|ISSUER/.test(code);
    const what = tls ? `the certificate of ${url} is not trusted` : `${url} cannot be reached`;
    return new UserError(tls ? 'keycloak.tls' : 'keycloak.unreachable', `cannot ${doing}: ${what} (${code})`, {
      fix: tls ? 'pass --ca-file with the CA that signed the cluster routes' : `check that the Route of Keycloak answers (\`curl -k ${url}/auth\`), your network, and HTTPS_PROXY/NO_PROXY`,
      cause: err,
    });
  }
  const st = keycloakStatusOf(err);
  if (!st) return err;
  const words = keycloakWords(st.data);
  const detail = `${st.status}${words ? ` ${words}` : ''}`;
  if (st.status === 502 || st.status === 503) {
    return new UserError('keycloak.unavailable', `cannot ${doing}: Keycloak at ${url} is not answering yet (${st.status}: no ready pod behind its Route)`, {
      fix: 'wait until the Keycloak pods are ready (`oc get pods -n <namespace>`), then run again',
      cause: err,
    });
  }
  if (st.status === 403) {
    return new UserError('keycloak.forbidden', `cannot ${doing}: Keycloak refused (${detail}); the admin user lacks a role`, {
      fix: 'use the master-realm admin of the credential Secret (it has the admin role)',
      cause: err,
    });
  }
  return new KeycloakApiError(st.status, `cannot ${doing}: Keycloak answered ${detail}`, { cause: err });
}

/**
 * Runs one admin call and maps its failure (see mapKeycloakError).
 * @throws UserError / KeycloakApiError / whatever else `call` threw.
 */
export async function kcCall<T>(conn: Pick<KeycloakConnection, 'url'>, doing: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw mapKeycloakError(err, conn.url, doing);
  }
}

/**
 * Reads the admin credentials from the Secret (`ADMIN_USERNAME`, `ADMIN_PASSWORD`, base64 in
 * `data`, as the legacy RH-SSO operator writes them).
 * @throws UserError `keycloak.credentials-missing` when the Secret or a key is absent; mapped kube errors.
 */
async function readAdminCredentials(services: Services, secret: KeycloakTarget['credentialSecret']): Promise<{ username: string; password: string }> {
  const obj = await services.kube.get<KubeObject & { data?: Record<string, string> }>('v1', 'Secret', secret.name, secret.namespace);
  const decode = (key: string): string | undefined => {
    const v = obj?.data?.[key];
    return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
  };
  const username = decode('ADMIN_USERNAME');
  const password = decode('ADMIN_PASSWORD');
  if (!obj || !username || !password) {
    throw new UserError('keycloak.credentials-missing', `the Secret ${secret.namespace}/${secret.name} with the Keycloak admin credentials ${obj ? 'lacks ADMIN_USERNAME or ADMIN_PASSWORD' : 'does not exist'}`, {
      fix: `check \`oc get keycloak -n ${secret.namespace} -o jsonpath='{.items[0].status.credentialSecret}'\` and that the RH-SSO operator is running`,
    });
  }
  return { username, password };
}

/**
 * Connects to Keycloak as the master realm's admin: reads the credential Secret, then asks for a
 * token (`POST <url>/auth/realms/master/protocol/openid-connect/token`, password grant, client
 * `admin-cli`). Every request goes through `services.http` (see the file header).
 * @throws UserError `keycloak.auth` when Keycloak refuses the credentials (401, e.g. the Secret was
 *   changed after the admin was created), `keycloak.unavailable` (503), `keycloak.unreachable`,
 *   `keycloak.tls`, `keycloak.credentials-missing`; KeycloakApiError for other answers.
 */
export async function connectKeycloak(services: Services, target: KeycloakTarget, options: { timeoutMs?: number } = {}): Promise<KeycloakConnection> {
  const { username, password } = await readAdminCredentials(services, target.credentialSecret);
  const baseUrl = keycloakBaseUrl(target.url);
  const url = baseUrl.slice(0, -'/auth'.length);
  const dispatcher = new Dispatcher1Wrapper(services.http.dispatcher);
  const admin = new KcAdminClient({
    baseUrl,
    realmName: 'master',
    // Node's RequestInit takes `dispatcher` (undici-types); the wrapper is undici 8's own type.
    requestOptions: { dispatcher } as unknown as NonNullable<ConstructorParameters<typeof KcAdminClient>[0]>['requestOptions'],
    timeout: options.timeoutMs ?? KEYCLOAK_REQUEST_TIMEOUT_MS,
  });
  const secret = `${target.credentialSecret.namespace}/${target.credentialSecret.name}`;
  try {
    await admin.auth({ username, password, grantType: 'password', clientId: 'admin-cli' });
  } catch (err) {
    const st = keycloakStatusOf(err);
    if (st && (st.status === 401 || st.status === 400)) {
      throw new UserError('keycloak.auth', `Keycloak at ${url} refused the admin credentials from Secret ${secret} (${st.status}${keycloakWords(st.data) ? ` ${keycloakWords(st.data)}` : ''})`, {
        fix: `check the admin password: \`oc get secret ${target.credentialSecret.name} -n ${target.credentialSecret.namespace} -o jsonpath='{.data.ADMIN_PASSWORD}' | base64 -d\` must log in at ${baseUrl}/admin/; if the Secret was edited, restore the password Keycloak was created with`,
        cause: err,
      });
    }
    throw mapKeycloakError(err, url, `log in to Keycloak at ${url} as the admin of Secret ${secret}`);
  }
  return { admin, url, baseUrl };
}

/** What `readClientSecret` needs: the Keycloak, the realm and the client's `clientId`. */
export interface ClientSecretRef extends KeycloakTarget {
  realm: string;
  clientId: string;
}

/**
 * Reads a confidential client's secret (`GET /auth/admin/realms/{realm}/clients/{id}/client-secret`,
 * CredentialRepresentation `value`) for a later step that needs it (the portal's SSO
 * integration). The value stays in the caller's memory: never put it in outputs, logs or files.
 * @throws UserError `sso.client-missing` when no client has that clientId, `sso.client-secret`
 *   when the client has no secret (public or bearer-only); what connectKeycloak throws.
 */
export async function readClientSecret(services: Services, ref: ClientSecretRef, connection?: KeycloakConnection): Promise<string> {
  const conn = connection ?? (await connectKeycloak(services, ref));
  const found = await kcCall(conn, `find client ${ref.clientId} in realm ${ref.realm}`, () => conn.admin.clients.find({ realm: ref.realm, clientId: ref.clientId }));
  const client = found.find((c) => c.clientId === ref.clientId);
  if (!client?.id) {
    throw new UserError('sso.client-missing', `realm ${ref.realm} has no client ${ref.clientId}`, { fix: 'run the step sso.client again' });
  }
  const id = client.id;
  const cred = await kcCall(conn, `read the secret of client ${ref.clientId}`, () => conn.admin.clients.getClientSecret({ realm: ref.realm, id }));
  if (!cred.value) {
    throw new UserError('sso.client-secret', `client ${ref.clientId} in realm ${ref.realm} has no secret (is it public?)`, { fix: 'run the step sso.client again: it makes the client confidential' });
  }
  return cred.value;
}

/**
 * Reads a realm's OIDC discovery document (`<url>/auth/realms/{realm}/.well-known/openid-configuration`
 * on RH-SSO 7.x; OpenID Connect Discovery 1.0 §4) through the HTTP layer.
 * @throws UserError `sso.discovery` when it does not answer 200 with an `issuer`; mapped network errors.
 */
export async function readDiscovery(services: Services, url: string, realm: string): Promise<{ issuer: string } & Record<string, unknown>> {
  return readDiscoveryAt(services, `${keycloakBaseUrl(url)}/realms/${encodeURIComponent(realm)}`);
}

/**
 * Reads the OIDC discovery document of any issuer (`<issuer>/.well-known/openid-configuration`).
 * @throws UserError `sso.discovery` when it does not answer 200 with an `issuer`; mapped network errors.
 */
export async function readDiscoveryAt(services: Services, issuer: string): Promise<{ issuer: string } & Record<string, unknown>> {
  const where = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let res: Response;
  try {
    res = await services.http.fetch(where, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(KEYCLOAK_REQUEST_TIMEOUT_MS) });
  } catch (err) {
    throw mapKeycloakError(err, issuer, `read ${where}`);
  }
  const text = await res.text();
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    doc = undefined;
  }
  const issuerOf = (doc as { issuer?: unknown } | undefined)?.issuer;
  if (res.status !== 200 || typeof issuerOf !== 'string') {
    throw new UserError('sso.discovery', `the OIDC discovery document ${where} did not answer (HTTP ${res.status}${typeof issuerOf === 'string' ? '' : ', no issuer'})`, {
      fix: `open ${where} in a browser; check the realm name and that Keycloak is ready`,
    });
  }
  return doc as { issuer: string } & Record<string, unknown>;
}
