/**
 * The data of the simulated Keycloak: realms, clients (with secrets and protocol mappers) and
 * identity providers, with the refusals the real admin API answers (409 on duplicates with
 * Keycloak's own messages, 404 when absent). Synchronous; errors are thrown as KeycloakHttpError.
 */
import { randomUUID } from 'node:crypto';
import { badRequest, conflict, notFound } from './http.js';
import {
  builtInClients, defaultClientRep, defaultIdentityProviderRep, defaultRealmRep, IDENTITY_PROVIDER_TYPES, newSecret,
  SECRET_MASK, stringRecord, withoutUndefined,
  type ClientRep, type IdentityProviderRep, type ProtocolMapperRep, type RealmState, type Rep,
} from './model.js';

/** Everything the simulated Keycloak stores (JSON-serialisable, for snapshot/restore). */
export interface KeycloakData {
  realms: RealmState[];
}

/** Members of a representation that the server owns and a PUT cannot change. */
const CLIENT_READ_ONLY = new Set(['id', 'protocolMappers', 'secret', 'access']);

/** Operations of the admin API on the stored data. */
export class KeycloakStore {
  data: KeycloakData = { realms: [] };

  constructor() {
    this.createRealm({ realm: 'master', displayName: 'Keycloak' });
  }

  /** Realm by name; 404 `Realm not found.` when absent. */
  realm(name: string): RealmState {
    const r = this.data.realms.find((x) => x.rep.realm === name);
    if (!r) throw notFound('Realm not found.');
    return r;
  }

  /** True when a realm of that name exists. */
  hasRealm(name: string): boolean {
    return this.data.realms.some((x) => x.rep.realm === name);
  }

  /** POST /admin/realms: 409 when the name is taken. */
  createRealm(input: Rep): RealmState {
    const name = typeof input.realm === 'string' ? input.realm : '';
    if (name === '') throw badRequest('Realm name cannot be empty');
    if (this.hasRealm(name)) throw conflict('Conflict detected. See logs for details');
    const rep = { ...defaultRealmRep(name), ...withoutUndefined(input), id: typeof input.id === 'string' ? input.id : name, realm: name };
    const state: RealmState = { rep, clients: [], secrets: {}, identityProviders: [] };
    for (const c of builtInClients(name)) this.addClient(state, c);
    this.data.realms.push(state);
    return state;
  }

  /** PUT /admin/realms/{realm}: the members given replace the stored ones (the name stays). */
  updateRealm(name: string, input: Rep): void {
    const r = this.realm(name);
    r.rep = { ...r.rep, ...withoutUndefined(input), id: r.rep.id, realm: r.rep.realm };
  }

  /** DELETE /admin/realms/{realm}: 404 when absent; the master realm cannot be deleted (400). */
  deleteRealm(name: string): void {
    if (name === 'master') throw badRequest('Cannot delete master realm');
    this.realm(name);
    this.data.realms = this.data.realms.filter((x) => x.rep.realm !== name);
  }

  /** Client by internal id; 404 `Could not find client` when absent. */
  client(realm: string, id: string): ClientRep {
    const c = this.realm(realm).clients.find((x) => x.id === id);
    if (!c) throw notFound('Could not find client');
    return c;
  }

  /** The client as the API shows it: with `secret` for confidential clients. */
  clientView(realm: string, c: ClientRep): Rep {
    const secret = this.realm(realm).secrets[c.id];
    return c.publicClient === true || secret === undefined ? { ...c } : { ...c, secret };
  }

  /** POST .../clients: 409 `Client <clientId> already exists`; generates the secret of a confidential client. */
  createClient(realm: string, input: Rep): ClientRep {
    const r = this.realm(realm);
    if (typeof input.clientId !== 'string' || input.clientId === '') throw badRequest('Client id is required');
    if (r.clients.some((c) => c.clientId === input.clientId)) throw conflict(`Client ${input.clientId} already exists`);
    if (typeof input.id === 'string' && r.clients.some((c) => c.id === input.id)) throw conflict(`Client ${input.clientId} already exists`);
    checkRedirectUris(input.redirectUris);
    const rep = defaultClientRep(input);
    const state = this.addClient(r, rep, typeof input.secret === 'string' ? input.secret : undefined);
    if (Array.isArray(input.protocolMappers)) this.addMappers(realm, state.id, input.protocolMappers as Rep[]);
    return state;
  }

  private addClient(r: RealmState, rep: ClientRep, secret?: string): ClientRep {
    r.clients.push(rep);
    if (rep.publicClient !== true && rep.bearerOnly !== true) r.secrets[rep.id] = secret ?? newSecret();
    return rep;
  }

  /** PUT .../clients/{id}: members given replace stored ones; a `clientId` taken by another client → 409. */
  updateClient(realm: string, id: string, input: Rep): void {
    const r = this.realm(realm);
    const c = this.client(realm, id);
    if (typeof input.clientId === 'string' && input.clientId !== c.clientId && r.clients.some((x) => x.clientId === input.clientId)) {
      throw conflict(`Client ${input.clientId} already exists`);
    }
    checkRedirectUris(input.redirectUris);
    for (const [k, v] of Object.entries(input)) if (!CLIENT_READ_ONLY.has(k) && v !== undefined) c[k] = v;
    if (typeof input.secret === 'string' && input.secret !== SECRET_MASK) r.secrets[id] = input.secret;
    if (c.publicClient !== true && r.secrets[id] === undefined) r.secrets[id] = newSecret();
  }

  /** DELETE .../clients/{id}: the client, its secret and mappers go; 404 when absent. */
  deleteClient(realm: string, id: string): void {
    const r = this.realm(realm);
    this.client(realm, id);
    r.clients = r.clients.filter((x) => x.id !== id);
    delete r.secrets[id];
  }

  /** The CredentialRepresentation of GET .../client-secret. */
  secret(realm: string, id: string): { type: 'secret'; value: string } {
    this.client(realm, id);
    const value = this.realm(realm).secrets[id];
    if (value === undefined) throw badRequest('Client is public or bearer-only');
    return { type: 'secret', value };
  }

  /** POST .../client-secret: a new secret replaces the old one. */
  regenerateSecret(realm: string, id: string): { type: 'secret'; value: string } {
    const c = this.client(realm, id);
    if (c.publicClient === true) throw badRequest('Client is public or bearer-only');
    const value = newSecret();
    this.realm(realm).secrets[id] = value;
    return { type: 'secret', value };
  }

  /** Protocol mapper by id; 404 `Model not found`. */
  mapper(realm: string, clientId: string, mapperId: string): ProtocolMapperRep {
    const m = this.client(realm, clientId).protocolMappers.find((x) => x.id === mapperId);
    if (!m) throw notFound('Model not found');
    return m;
  }

  /**
   * POST .../protocol-mappers/models (one) and .../add-models (several, all or none): a name
   * already used in the client → 409 `Protocol mapper exists with same name` (C8).
   */
  addMappers(realm: string, clientId: string, inputs: Rep[]): ProtocolMapperRep[] {
    const c = this.client(realm, clientId);
    const names = new Set(c.protocolMappers.map((m) => m.name));
    const created: ProtocolMapperRep[] = [];
    for (const input of inputs) {
      const mapper = toMapper(input);
      if (names.has(mapper.name)) throw conflict('Protocol mapper exists with same name');
      names.add(mapper.name);
      created.push(mapper);
    }
    c.protocolMappers.push(...created);
    return created;
  }

  /** PUT .../protocol-mappers/models/{id}: replaces config and settings; a name taken by another mapper → 409. */
  updateMapper(realm: string, clientId: string, mapperId: string, input: Rep): void {
    const c = this.client(realm, clientId);
    const m = this.mapper(realm, clientId, mapperId);
    const next = toMapper({ ...m, ...withoutUndefined(input), id: m.id });
    if (c.protocolMappers.some((x) => x.id !== m.id && x.name === next.name)) throw conflict('Protocol mapper exists with same name');
    Object.assign(m, next);
  }

  /** DELETE .../protocol-mappers/models/{id}: 404 when absent. */
  deleteMapper(realm: string, clientId: string, mapperId: string): void {
    const c = this.client(realm, clientId);
    this.mapper(realm, clientId, mapperId);
    c.protocolMappers = c.protocolMappers.filter((x) => x.id !== mapperId);
  }

  /** Identity provider by alias; 404 `Could not find identity provider`. */
  identityProvider(realm: string, alias: string): IdentityProviderRep {
    const p = this.realm(realm).identityProviders.find((x) => x.alias === alias);
    if (!p) throw notFound('Could not find identity provider');
    return p;
  }

  /** The provider as the API shows it: `config.clientSecret` masked. */
  identityProviderView(p: IdentityProviderRep): Rep {
    const config = { ...p.config };
    if (config.clientSecret !== undefined) config.clientSecret = SECRET_MASK;
    return { ...p, config };
  }

  /** POST .../identity-provider/instances: 409 `Identity Provider <alias> already exists`. */
  createIdentityProvider(realm: string, input: Rep): IdentityProviderRep {
    const r = this.realm(realm);
    if (typeof input.alias !== 'string' || input.alias === '') throw badRequest('Identity provider alias is required');
    if (!(IDENTITY_PROVIDER_TYPES as readonly string[]).includes(String(input.providerId))) throw badRequest('Invalid identity provider');
    if (r.identityProviders.some((x) => x.alias === input.alias)) throw conflict(`Identity Provider ${input.alias} already exists`);
    const p = defaultIdentityProviderRep(input);
    r.identityProviders.push(p);
    return p;
  }

  /** PUT .../instances/{alias}: members given replace stored ones; a masked clientSecret keeps the stored one. */
  updateIdentityProvider(realm: string, alias: string, input: Rep): void {
    const p = this.identityProvider(realm, alias);
    const config = stringRecord(input.config ?? p.config);
    if (config.clientSecret === SECRET_MASK) {
      if (p.config.clientSecret === undefined) delete config.clientSecret;
      else config.clientSecret = p.config.clientSecret;
    }
    Object.assign(p, withoutUndefined(input), { alias: p.alias, internalId: p.internalId, providerId: p.providerId, config });
  }

  /** DELETE .../identity-provider/instances/{alias}: 404 when absent. */
  deleteIdentityProvider(realm: string, alias: string): void {
    const r = this.realm(realm);
    this.identityProvider(realm, alias);
    r.identityProviders = r.identityProviders.filter((x) => x.alias !== alias);
  }
}

function toMapper(input: Rep): ProtocolMapperRep {
  if (typeof input.name !== 'string' || input.name === '') throw badRequest('Protocol mapper name is required');
  if (typeof input.protocolMapper !== 'string' || input.protocolMapper === '') throw badRequest('Protocol mapper type is required');
  return {
    id: typeof input.id === 'string' && input.id !== '' ? input.id : randomUUID(),
    name: input.name,
    protocol: typeof input.protocol === 'string' ? input.protocol : 'openid-connect',
    protocolMapper: input.protocolMapper,
    consentRequired: input.consentRequired === true,
    config: stringRecord(input.config),
  };
}

/** Keycloak refuses redirect URIs with a `javascript:` or `data:` scheme (RedirectUtils / client validation). */
function checkRedirectUris(uris: unknown): void {
  if (!Array.isArray(uris)) return;
  for (const u of uris) {
    if (typeof u !== 'string' || /^\s*(javascript|data):/i.test(u)) {
      throw badRequest('A redirect URI is not a valid URI');
    }
  }
}
