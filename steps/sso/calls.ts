/**
 * Performs the Keycloak admin API calls of an SSO plan (`Change.call`, service `keycloak`) through
 * `@keycloak/keycloak-admin-client`: each planned method + path is matched to the admin client's
 * operation, so `apply` does exactly what the plan shows. Placeholders of the plan are filled in
 * here: the id of a client created earlier in the same plan, and secret inputs (never in the plan).
 *
 * A 409 means "exists" (C8: Keycloak answers 409 to a protocol mapper that exists, with a message
 * that can read like "client exists"): the object is then found by name and updated to the
 * planned values instead of being duplicated.
 */
import type ClientRepresentation from '@keycloak/keycloak-admin-client/lib/defs/clientRepresentation.js';
import type IdentityProviderRepresentation from '@keycloak/keycloak-admin-client/lib/defs/identityProviderRepresentation.js';
import type ProtocolMapperRepresentation from '@keycloak/keycloak-admin-client/lib/defs/protocolMapperRepresentation.js';
import type RealmRepresentation from '@keycloak/keycloak-admin-client/lib/defs/realmRepresentation.js';
import { isConflict, kcCall, mapKeycloakError } from '../../src/cluster/keycloak.js';
import type { KeycloakConnection } from '../../src/cluster/keycloak.js';
import { BugError, UserError } from '../../src/engine/errors.js';
import type { Change } from '../../src/engine/types.js';
import { clientIdPlaceholder, secretPlaceholder } from './shared.js';

/** One admin operation matched from a planned call. */
interface Operation {
  method: string;
  pattern: RegExp;
  run(ctx: CallContext, params: string[], body: unknown): Promise<void>;
}

/** What an operation works with. */
interface CallContext {
  conn: KeycloakConnection;
  /** Client ids created or found in this apply, by clientId (fills `<id of client X>`). */
  clientIds: Map<string, string>;
  log(message: string): void;
}

const SEG = '([^/]+)';
const base = '^/auth/admin/realms/';

/** Finds a client's internal id by clientId; undefined when absent. */
export async function findClientId(conn: KeycloakConnection, realm: string, clientId: string): Promise<string | undefined> {
  const found = await kcCall(conn, `find client ${clientId} in realm ${realm}`, () => conn.admin.clients.find({ realm, clientId }));
  return found.find((c) => c.clientId === clientId)?.id;
}

/** Creates the mapper, or (409 / found by name) updates the existing one to the planned values (C8). */
async function upsertMapper(ctx: CallContext, realm: string, id: string, mapper: ProtocolMapperRepresentation): Promise<void> {
  const { conn } = ctx;
  const existing = (await kcCall(conn, `list the protocol mappers of client ${id}`, () => conn.admin.clients.listProtocolMappers({ realm, id }))).find((m) => m.name === mapper.name);
  if (!existing?.id) {
    await kcCall(conn, `add protocol mapper ${mapper.name ?? ''}`, () => conn.admin.clients.addProtocolMapper({ realm, id }, mapper));
    return;
  }
  const mapperId = existing.id;
  const merged = { ...existing, ...mapper, id: mapperId, config: { ...existing.config, ...mapper.config } };
  await kcCall(conn, `update protocol mapper ${mapper.name ?? ''}`, () => conn.admin.clients.updateProtocolMapper({ realm, id, mapperId }, merged));
}

const OPERATIONS: Operation[] = [
  {
    method: 'PUT',
    pattern: new RegExp(`${base}${SEG}$`),
    run: ({ conn }, [realm = ''], body) => kcCall(conn, `update realm ${realm}`, () => conn.admin.realms.update({ realm }, body as RealmRepresentation)),
  },
  {
    method: 'POST',
    pattern: new RegExp(`${base}${SEG}/clients$`),
    async run(ctx, [realm = ''], body) {
      const rep = body as ClientRepresentation;
      const clientId = rep.clientId ?? '';
      try {
        const { id } = await ctx.conn.admin.clients.create({ realm, ...rep });
        ctx.clientIds.set(clientId, id);
      } catch (err) {
        if (!isConflict(err)) throw mapKeycloakError(err, ctx.conn.url, `create client ${clientId} in realm ${realm}`);
        // Created meanwhile (another run, a person): adopt it and write the planned fields.
        const id = await findClientId(ctx.conn, realm, clientId);
        if (!id) throw new UserError('sso.client-conflict', `Keycloak says client ${clientId} exists in realm ${realm}, but it cannot be found`, { fix: 'check the clients of the realm in the admin console' });
        ctx.log(`client ${clientId} already existed (409): updated instead`);
        await kcCall(ctx.conn, `update client ${clientId}`, () => ctx.conn.admin.clients.update({ realm, id }, rep));
        ctx.clientIds.set(clientId, id);
      }
    },
  },
  {
    method: 'PUT',
    pattern: new RegExp(`${base}${SEG}/clients/${SEG}$`),
    run: ({ conn }, [realm = '', id = ''], body) => kcCall(conn, `update client ${(body as ClientRepresentation).clientId ?? id}`, () => conn.admin.clients.update({ realm, id }, body as ClientRepresentation)),
  },
  {
    method: 'POST',
    pattern: new RegExp(`${base}${SEG}/clients/${SEG}/protocol-mappers/add-models$`),
    async run(ctx, [realm = '', id = ''], body) {
      const mappers = body as ProtocolMapperRepresentation[];
      try {
        await ctx.conn.admin.clients.addMultipleProtocolMappers({ realm, id }, mappers);
      } catch (err) {
        if (!isConflict(err)) throw mapKeycloakError(err, ctx.conn.url, 'add built-in protocol mappers');
        ctx.log(`a protocol mapper of ${mappers.map((m) => m.name).join(', ')} exists (409): updated by name instead`);
        for (const m of mappers) await upsertMapper(ctx, realm, id, m);
      }
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`${base}${SEG}/clients/${SEG}/protocol-mappers/models$`),
    async run(ctx, [realm = '', id = ''], body) {
      const mapper = body as ProtocolMapperRepresentation;
      try {
        await ctx.conn.admin.clients.addProtocolMapper({ realm, id }, mapper);
      } catch (err) {
        if (!isConflict(err)) throw mapKeycloakError(err, ctx.conn.url, `add protocol mapper ${mapper.name ?? ''}`);
        ctx.log(`protocol mapper ${mapper.name ?? ''} exists (409): updated by name instead`);
        await upsertMapper(ctx, realm, id, mapper);
      }
    },
  },
  {
    method: 'PUT',
    pattern: new RegExp(`${base}${SEG}/clients/${SEG}/protocol-mappers/models/${SEG}$`),
    run: ({ conn }, [realm = '', id = '', mapperId = ''], body) =>
      kcCall(conn, `update protocol mapper ${(body as ProtocolMapperRepresentation).name ?? mapperId}`, () => conn.admin.clients.updateProtocolMapper({ realm, id, mapperId }, body as ProtocolMapperRepresentation)),
  },
  {
    method: 'POST',
    pattern: new RegExp(`${base}${SEG}/identity-provider/instances$`),
    async run(ctx, [realm = ''], body) {
      const rep = body as IdentityProviderRepresentation;
      const alias = rep.alias ?? '';
      try {
        await ctx.conn.admin.identityProviders.create({ realm, ...rep });
      } catch (err) {
        if (!isConflict(err)) throw mapKeycloakError(err, ctx.conn.url, `create identity provider ${alias}`);
        ctx.log(`identity provider ${alias} already existed (409): updated instead`);
        await kcCall(ctx.conn, `update identity provider ${alias}`, () => ctx.conn.admin.identityProviders.update({ realm, alias }, rep));
      }
    },
  },
  {
    method: 'PUT',
    pattern: new RegExp(`${base}${SEG}/identity-provider/instances/${SEG}$`),
    run: ({ conn }, [realm = '', alias = ''], body) =>
      kcCall(conn, `update identity provider ${alias}`, () => conn.admin.identityProviders.update({ realm, alias }, body as IdentityProviderRepresentation)),
  },
];

/** Replaces every string `from` in a JSON value by `to`. */
function replaceDeep(value: unknown, from: string, to: string): unknown {
  if (typeof value === 'string') return value === from ? to : value;
  if (Array.isArray(value)) return value.map((v) => replaceDeep(v, from, to));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceDeep(v, from, to)]));
  return value;
}

/**
 * Performs the `keycloak` calls of `plan` in order (changes with action `none` or without a call
 * are skipped).
 * @param secrets values for `<from input KEY>` placeholders (see shared.ts `secretPlaceholder`).
 * @throws BugError for a call no operation matches (a plan this module cannot perform), UserError
 *   for a placeholder whose secret is missing, and what the admin calls throw (UserError,
 *   KeycloakApiError).
 */
export async function applyKeycloakCalls(conn: KeycloakConnection, plan: Change[], options: { secrets?: Readonly<Record<string, string>>; log(message: string): void }): Promise<void> {
  const ctx: CallContext = { conn, clientIds: new Map(), log: options.log };
  for (const change of plan) {
    const call = change.call;
    if (change.action === 'none' || !call || call.service !== 'keycloak') continue;
    let path = call.path;
    for (const [clientId, id] of ctx.clientIds) path = path.replaceAll(clientIdPlaceholder(clientId), id);
    if (path.includes('<id of client ')) throw new BugError(`plan call ${call.method} ${call.path} names a client that was not created before it`);
    let body = call.body;
    for (const [key, value] of Object.entries(options.secrets ?? {})) body = replaceDeep(body, secretPlaceholder(key), value);
    if (JSON.stringify(body ?? null).includes('<from input ')) {
      throw new UserError('sso.secret-missing', `${change.target}: a secret input is needed for this change and was not given`, { fix: 'enter the client secret (it is never stored), then run again' });
    }
    const op = OPERATIONS.map((o) => ({ o, m: o.method === call.method ? o.pattern.exec(path) : null })).find((x) => x.m);
    if (!op?.m) throw new BugError(`no admin client operation for planned call ${call.method} ${call.path}`);
    await op.o.run(ctx, op.m.slice(1).map((s) => decodeURIComponent(s)), body);
  }
}
