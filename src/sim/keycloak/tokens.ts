/**
 * Tokens of the simulated Keycloak: the master realm's password grant for `admin-cli` (as
 * `@keycloak/keycloak-admin-client` and `kcadm.sh` use it), refresh, and bearer checks on the
 * admin API. Tokens are JWT-shaped (header.payload.signature, HMAC-SHA256 with a per-instance key)
 * and expire: access tokens after the master realm's `accessTokenLifespan` (60 s in RH-SSO),
 * refresh tokens after `ssoSessionIdleTimeout` (1800 s).
 */
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { KeycloakHttpError } from './http.js';

/** Access token lifetime in seconds (RH-SSO master realm `accessTokenLifespan`). */
export const ACCESS_TOKEN_SECONDS = 60;
/** Refresh token lifetime in seconds (RH-SSO `ssoSessionIdleTimeout`). */
export const REFRESH_TOKEN_SECONDS = 1800;

/** The OAuth 2.0 token response (RFC 6749 §5.1) as Keycloak sends it. */
export interface TokenResponse {
  access_token: string;
  expires_in: number;
  refresh_expires_in: number;
  refresh_token: string;
  token_type: 'Bearer';
  'not-before-policy': number;
  session_state: string;
  scope: string;
}

/** 401 `invalid_grant` / `Invalid user credentials`, Keycloak's answer to a wrong password. */
const invalidCredentials = (): KeycloakHttpError =>
  new KeycloakHttpError(401, { error: 'invalid_grant', error_description: 'Invalid user credentials' });

/** Issues and checks tokens. `now` gives milliseconds since the epoch. */
export class TokenService {
  private readonly key = randomBytes(32);
  private admin: { username: string; salt: string; hash: string } | undefined;
  /** `now`: milliseconds since the epoch. */
  constructor(private readonly now: () => number) {}

  /** Sets the master realm's admin (password kept only as a salted SHA-256 hash). */
  setAdmin(username: string, password: string): void {
    const salt = randomBytes(16).toString('hex');
    this.admin = { username, salt, hash: hashPassword(salt, password) };
  }

  /** The admin record for snapshots (username and password hash, never the password). */
  adminRecord(): { username: string; salt: string; hash: string } | undefined {
    return this.admin;
  }

  /** Puts back an admin record taken by `adminRecord` (after a restart). */
  restoreAdmin(record: { username: string; salt: string; hash: string } | undefined): void {
    this.admin = record;
  }

  /**
   * The token endpoint (`POST /auth/realms/{realm}/protocol/openid-connect/token`, form body).
   * Grants: `password` (client `admin-cli`, master realm admin) and `refresh_token`.
   * Throws KeycloakHttpError: 400 unsupported_grant_type, 401 invalid_client, 401 invalid_grant.
   */
  grant(realm: string, form: URLSearchParams): TokenResponse {
    const grantType = form.get('grant_type');
    const clientId = form.get('client_id');
    if (grantType !== 'password' && grantType !== 'refresh_token') {
      throw new KeycloakHttpError(400, { error: 'unsupported_grant_type', error_description: 'Unsupported grant_type' });
    }
    if (clientId !== 'admin-cli') {
      throw new KeycloakHttpError(401, { error: 'unauthorized_client', error_description: 'Invalid client or Invalid client credentials' });
    }
    let username: string;
    if (grantType === 'password') {
      const admin = this.admin;
      if (realm !== 'master' || !admin || form.get('username') !== admin.username) throw invalidCredentials();
      const given = Buffer.from(hashPassword(admin.salt, form.get('password') ?? ''), 'hex');
      if (!timingSafeEqual(given, Buffer.from(admin.hash, 'hex'))) throw invalidCredentials();
      username = admin.username;
    } else {
      const claims = this.verify(form.get('refresh_token') ?? '', 'Refresh');
      if (!claims || claims.realm !== realm) {
        throw new KeycloakHttpError(400, { error: 'invalid_grant', error_description: 'Invalid refresh token' });
      }
      username = claims.sub;
    }
    const session = randomUUID();
    return {
      access_token: this.sign({ typ: 'Bearer', realm, sub: username, sid: session }, ACCESS_TOKEN_SECONDS),
      expires_in: ACCESS_TOKEN_SECONDS,
      refresh_expires_in: REFRESH_TOKEN_SECONDS,
      refresh_token: this.sign({ typ: 'Refresh', realm, sub: username, sid: session }, REFRESH_TOKEN_SECONDS),
      token_type: 'Bearer',
      'not-before-policy': 0,
      session_state: session,
      scope: 'profile email',
    };
  }

  /** True when the `Authorization: Bearer` value is an unexpired master-realm access token of this instance. */
  checkBearer(authorization: string | undefined): boolean {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!m?.[1]) return false;
    const claims = this.verify(m[1], 'Bearer');
    return claims !== undefined && claims.realm === 'master';
  }

  private sign(claims: { typ: string; realm: string; sub: string; sid: string }, seconds: number): string {
    const iat = Math.floor(this.now() / 1000);
    const header = b64({ alg: 'HS256', typ: 'JWT' });
    const payload = b64({ ...claims, jti: randomUUID(), iat, exp: iat + seconds, azp: 'admin-cli' });
    return `${header}.${payload}.${this.mac(`${header}.${payload}`)}`;
  }

  private verify(token: string, typ: string): { realm: string; sub: string } | undefined {
    const [header, payload, mac] = token.split('.');
    if (header === undefined || payload === undefined || mac === undefined) return undefined;
    const expected = Buffer.from(this.mac(`${header}.${payload}`));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { typ: string; realm: string; sub: string; exp: number };
    if (claims.typ !== typ || claims.exp * 1000 <= this.now()) return undefined;
    return claims;
  }

  private mac(data: string): string {
    return createHmac('sha256', this.key).update(data).digest('base64url');
  }
}

function hashPassword(salt: string, password: string): string {
  return createHash('sha256').update(salt).update(password).digest('hex');
}

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
