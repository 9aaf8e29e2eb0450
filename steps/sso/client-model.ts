/**
 * What client `3scale` and its protocol mappers must look like (STAGES.md §6), and the plan that
 * gets a realm there by reading first and writing only what differs (C8: mappers are found by
 * name and updated, never added twice).
 *
 * Sources: ClientRepresentation and ProtocolMapperRepresentation of the Keycloak admin API
 * (RH-SSO 7.6 = Keycloak 18); the built-in "email verified" mapper is the one the admin console
 * adds with `POST …/clients/{id}/protocol-mappers/add-models` (oidc-usermodel-property-mapper).
 */
import type ClientRepresentation from '@keycloak/keycloak-admin-client/lib/defs/clientRepresentation.js';
import type ProtocolMapperRepresentation from '@keycloak/keycloak-admin-client/lib/defs/protocolMapperRepresentation.js';
import type { Change, FieldDiff } from '../../src/engine/types.js';
import { adminPath, clientIdPlaceholder, fieldDiff } from './shared.js';

/** The settings client `3scale` must have: confidential OpenID Connect, standard flow only. */
export function wantedClient(clientId: string, redirectUris: string[]): ClientRepresentation {
  return {
    clientId,
    protocol: 'openid-connect',
    enabled: true,
    publicClient: false,
    bearerOnly: false,
    clientAuthenticatorType: 'client-secret',
    standardFlowEnabled: true,
    implicitFlowEnabled: false,
    directAccessGrantsEnabled: false,
    serviceAccountsEnabled: false,
    redirectUris,
  };
}

const TOKEN_CLAIMS = { 'id.token.claim': 'true', 'access.token.claim': 'true', 'userinfo.token.claim': 'true' } as const;

/** The built-in "email verified" mapper (claim `email_verified`, boolean), as the admin console's add-models sends it. */
export const EMAIL_VERIFIED_MAPPER: ProtocolMapperRepresentation = {
  name: 'email verified',
  protocol: 'openid-connect',
  protocolMapper: 'oidc-usermodel-property-mapper',
  config: { 'user.attribute': 'emailVerified', 'claim.name': 'email_verified', 'jsonType.label': 'boolean', ...TOKEN_CLAIMS },
};

/** The `org_name` mapper: the user's email as claim `org_name` (3scale then makes one account per person). */
export const ORG_NAME_MAPPER: ProtocolMapperRepresentation = {
  name: 'org_name',
  protocol: 'openid-connect',
  protocolMapper: 'oidc-usermodel-attribute-mapper',
  config: { 'user.attribute': 'email', 'claim.name': 'org_name', 'jsonType.label': 'String', ...TOKEN_CLAIMS },
};

/** Every mapper client `3scale` needs, with how it is added when absent. */
export const WANTED_MAPPERS: { mapper: ProtocolMapperRepresentation; addWith: 'add-models' | 'models' }[] = [
  { mapper: EMAIL_VERIFIED_MAPPER, addWith: 'add-models' },
  { mapper: ORG_NAME_MAPPER, addWith: 'models' },
];

/** Fields of a mapper that differ from the wanted one (type, protocol, and each wanted config key). */
export function mapperDiff(current: ProtocolMapperRepresentation | undefined, wanted: ProtocolMapperRepresentation): FieldDiff[] {
  return fieldDiff(current as Record<string, unknown> | undefined, { protocol: wanted.protocol, protocolMapper: wanted.protocolMapper, config: { ...wanted.config } });
}

/** Fields of a client that differ from the wanted settings. */
export function clientDiff(current: ClientRepresentation | undefined, wanted: ClientRepresentation): FieldDiff[] {
  return fieldDiff(current as Record<string, unknown> | undefined, wanted as Record<string, unknown>);
}

/**
 * The changes that take `current` (the client as read, with its mappers; undefined when absent)
 * to the wanted client and mappers. Calls name paths relative to the Keycloak origin.
 */
export function planClient(realm: string, wanted: ClientRepresentation, current: (ClientRepresentation & { id: string }) | undefined, mappers: ProtocolMapperRepresentation[]): Change[] {
  const clientId = wanted.clientId ?? '';
  const target = `client ${clientId} in realm ${realm}`;
  const changes: Change[] = [];
  let id: string;
  if (!current) {
    changes.push({ action: 'create', target, call: { service: 'keycloak', method: 'POST', path: adminPath.clients(realm), body: wanted }, note: 'confidential, standard flow only; Keycloak generates its secret' });
    id = clientIdPlaceholder(clientId);
  } else {
    id = current.id;
    const diff = clientDiff(current, wanted);
    const body: ClientRepresentation = { clientId, ...Object.fromEntries(diff.map((d) => [d.path, d.to])) };
    changes.push(diff.length === 0
      ? { action: 'none', target, note: 'settings as planned' }
      : { action: 'update', target, call: { service: 'keycloak', method: 'PUT', path: adminPath.client(realm, id), body }, diff, note: 'read then write: only the fields that differ' });
  }
  for (const { mapper, addWith } of WANTED_MAPPERS) {
    const mTarget = `protocol mapper "${mapper.name ?? ''}" of client ${clientId}`;
    const existing = mappers.find((m) => m.name === mapper.name);
    if (!existing?.id) {
      changes.push(addWith === 'add-models'
        ? { action: 'create', target: mTarget, call: { service: 'keycloak', method: 'POST', path: adminPath.addModels(realm, id), body: [mapper] }, note: 'built-in mapper, added as the admin console does' }
        : { action: 'create', target: mTarget, call: { service: 'keycloak', method: 'POST', path: adminPath.mappers(realm, id), body: mapper } });
      continue;
    }
    const diff = mapperDiff(existing, mapper);
    if (diff.length === 0) {
      changes.push({ action: 'none', target: mTarget, note: 'exists as planned (found by name)' });
      continue;
    }
    const body = { ...existing, protocol: mapper.protocol, protocolMapper: mapper.protocolMapper, config: { ...existing.config, ...mapper.config } };
    changes.push({ action: 'update', target: mTarget, call: { service: 'keycloak', method: 'PUT', path: adminPath.mapper(realm, id, existing.id), body }, diff, note: 'found by name: updated, not added again (C8)' });
  }
  return changes;
}
