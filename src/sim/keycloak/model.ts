/**
 * Representations of the simulated Keycloak, with the defaults RH-SSO 7.x (Keycloak 18 line)
 * fills in. Shapes follow the admin API's RealmRepresentation, ClientRepresentation,
 * ProtocolMapperRepresentation and IdentityProviderRepresentation
 * (../shared/reference/openapi/keycloak-admin-18.0.0.dahag.json, `components.schemas`).
 */
import { randomBytes, randomUUID } from 'node:crypto';

/** A JSON object as the admin API sends and takes it. */
export type Rep = Record<string, unknown>;

/** ProtocolMapperRepresentation: `config` values are strings (`"true"`, `"email_verified"`). */
export interface ProtocolMapperRep extends Rep {
  id: string;
  name: string;
  protocol: string;
  protocolMapper: string;
  consentRequired?: boolean;
  config: Record<string, string>;
}

/** ClientRepresentation as stored: `id` is the internal UUID, `clientId` the name people see. */
export interface ClientRep extends Rep {
  id: string;
  clientId: string;
  protocolMappers: ProtocolMapperRep[];
}

/** IdentityProviderRepresentation: `alias` is its key in the realm. */
export interface IdentityProviderRep extends Rep {
  alias: string;
  internalId: string;
  providerId: string;
  config: Record<string, string>;
}

/** One realm with what lives in it. Client secrets are kept apart from the representation. */
export interface RealmState {
  rep: Rep & { id: string; realm: string };
  clients: ClientRep[];
  secrets: Record<string, string>;
  identityProviders: IdentityProviderRep[];
}

/**
 * The value Keycloak sends instead of a stored secret (`ComponentRepresentation.SECRET_VALUE`),
 * e.g. an identity provider's `config.clientSecret`; a PUT carrying it keeps the stored value.
 */
export const SECRET_MASK = '**********';

/** Identity provider types a stock RH-SSO 7.x offers (`providerId`). */
export const IDENTITY_PROVIDER_TYPES = [
  'oidc', 'keycloak-oidc', 'saml', 'google', 'github', 'gitlab', 'facebook', 'microsoft', 'linkedin',
  'twitter', 'instagram', 'paypal', 'openshift-v3', 'openshift-v4', 'bitbucket', 'stackoverflow',
] as const;

/** A client secret as Keycloak generates one (32 characters). */
export function newSecret(): string {
  return randomBytes(24).toString('base64url').slice(0, 32);
}

/** A new RealmRepresentation with RH-SSO's defaults (token lifespans in seconds). */
export function defaultRealmRep(realm: string, displayName?: string): RealmState['rep'] {
  return {
    id: realm, realm, ...(displayName === undefined ? {} : { displayName }), enabled: true, sslRequired: 'external',
    registrationAllowed: false, loginWithEmailAllowed: true, duplicateEmailsAllowed: false, resetPasswordAllowed: false,
    editUsernameAllowed: false, bruteForceProtected: false, accessTokenLifespan: realm === 'master' ? 60 : 300,
    ssoSessionIdleTimeout: 1800, ssoSessionMaxLifespan: 36000, defaultSignatureAlgorithm: 'RS256',
    attributes: {},
  };
}

/**
 * A ClientRepresentation with the defaults the admin API fills in on create
 * (RepresentationToModel.createClient): enabled, confidential, standard flow on, the rest off.
 */
export function defaultClientRep(input: Rep): ClientRep {
  const rep: ClientRep = {
    surrogateAuthRequired: false, enabled: true, alwaysDisplayInConsole: false, clientAuthenticatorType: 'client-secret',
    redirectUris: [], webOrigins: [], notBefore: 0, bearerOnly: false, consentRequired: false,
    standardFlowEnabled: true, implicitFlowEnabled: false, directAccessGrantsEnabled: false,
    serviceAccountsEnabled: false, publicClient: false, frontchannelLogout: false, protocol: 'openid-connect',
    attributes: {}, authenticationFlowBindingOverrides: {}, fullScopeAllowed: true, nodeReRegistrationTimeout: -1,
    defaultClientScopes: ['web-origins', 'roles', 'profile', 'email'],
    optionalClientScopes: ['address', 'phone', 'offline_access', 'microprofile-jwt'],
    access: { view: true, configure: true, manage: true },
    ...withoutUndefined(input),
    id: typeof input.id === 'string' && input.id !== '' ? input.id : randomUUID(),
    clientId: String(input.clientId),
    protocolMappers: [],
  };
  delete rep.secret;
  return rep;
}

/** The clients every new realm has (Keycloak creates them with the realm). */
export const BUILT_IN_CLIENTS = ['account', 'account-console', 'admin-cli', 'broker', 'realm-management', 'security-admin-console'];

/** Clients of a new realm: the built-ins, public where Keycloak makes them public. */
export function builtInClients(realm: string): ClientRep[] {
  const publicOnes = new Set(['account-console', 'admin-cli', 'security-admin-console']);
  const names = realm === 'master' ? BUILT_IN_CLIENTS.filter((c) => c !== 'realm-management').concat(['master-realm']) : BUILT_IN_CLIENTS;
  return names.map((clientId) =>
    defaultClientRep({
      clientId, publicClient: publicOnes.has(clientId), bearerOnly: clientId === 'broker' || clientId.endsWith('realm') || clientId === 'realm-management',
      directAccessGrantsEnabled: clientId === 'admin-cli', standardFlowEnabled: clientId !== 'admin-cli',
    }),
  );
}

/** An IdentityProviderRepresentation with the defaults the admin API fills in. */
export function defaultIdentityProviderRep(input: Rep): IdentityProviderRep {
  return {
    enabled: true, updateProfileFirstLoginMode: 'on', trustEmail: false, storeToken: false, addReadTokenRoleOnCreate: false,
    authenticateByDefault: false, linkOnly: false, firstBrokerLoginFlowAlias: 'first broker login',
    ...withoutUndefined(input),
    alias: String(input.alias),
    providerId: String(input.providerId),
    internalId: randomUUID(),
    config: stringRecord(input.config),
  };
}

/** Copies an object without its `undefined` members. */
export function withoutUndefined(input: Rep): Rep {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}

/** A `config` map as Keycloak keeps it: string values only (other JSON values are stringified). */
export function stringRecord(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(Object.entries(value as Rep).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}
