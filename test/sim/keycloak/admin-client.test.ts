import KcAdminClient from '@keycloak/keycloak-admin-client';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeycloak, type SimKeycloak } from '../../../src/sim/keycloak/index.js';
import { serve, type Served } from '../models/serve.js';

let kc: SimKeycloak;
let server: Served;
let admin: KcAdminClient;

beforeAll(async () => {
  kc = createKeycloak();
  kc.setAdmin('admin', 's3cret-pass');
  kc.ensureRealm('maas', 'Models as a Service');
  server = await serve(kc.handler);
  admin = new KcAdminClient({ baseUrl: `${server.url}/auth`, realmName: 'master' });
  await admin.auth({ username: 'admin', password: 's3cret-pass', grantType: 'password', clientId: 'admin-cli' });
  admin.setConfig({ realmName: 'maas' });
});
afterAll(async () => {
  await server.close();
});

/** The status of a NetworkError thrown by the admin client. */
async function statusOf(p: Promise<unknown>): Promise<{ status: number; data: unknown }> {
  try {
    await p;
  } catch (err) {
    const e = err as { response?: Response; responseData?: unknown };
    return { status: e.response?.status ?? -1, data: e.responseData };
  }
  return { status: 200, data: undefined };
}

describe('simulated Keycloak with the real @keycloak/keycloak-admin-client', () => {
  it('refuses a wrong admin password with invalid_grant', async () => {
    const other = new KcAdminClient({ baseUrl: `${server.url}/auth`, realmName: 'master' });
    const r = await statusOf(other.auth({ username: 'admin', password: 'wrong', grantType: 'password', clientId: 'admin-cli' }));
    expect(r.status).toBe(401);
    expect(r.data).toEqual({ error: 'invalid_grant', error_description: 'Invalid user credentials' });
  });

  it('requires a bearer token on the admin API', async () => {
    const r = await fetch(`${server.url}/auth/admin/realms/maas/clients`);
    expect(r.status).toBe(401);
    const forged = await fetch(`${server.url}/auth/admin/realms/maas/clients`, { headers: { authorization: 'Bearer a.b.c' } });
    expect(forged.status).toBe(401);
  });

  it('lists and reads realms; ensureRealm made realm maas once', async () => {
    const realms = await admin.realms.find();
    expect(realms.map((r) => r.realm).sort()).toEqual(['maas', 'master']);
    kc.ensureRealm('maas', 'Changed later');
    const maas = await admin.realms.findOne({ realm: 'maas' });
    expect(maas?.displayName).toBe('Models as a Service');
    await admin.realms.update({ realm: 'maas' }, { registrationAllowed: true });
    expect((await admin.realms.findOne({ realm: 'maas' }))?.registrationAllowed).toBe(true);
  });

  it('creates client 3scale, finds it by clientId, refuses a duplicate with Keycloak\'s 409', async () => {
    const { id } = await admin.clients.create({
      clientId: '3scale', protocol: 'openid-connect', publicClient: false, standardFlowEnabled: true,
      implicitFlowEnabled: false, directAccessGrantsEnabled: false, redirectUris: ['https://maas.apps.example.com/*'],
    });
    expect(id).toMatch(/[0-9a-f-]{36}/);
    const found = await admin.clients.find({ clientId: '3scale' });
    expect(found).toHaveLength(1);
    expect(found[0]?.id).toBe(id);
    expect(found[0]?.redirectUris).toEqual(['https://maas.apps.example.com/*']);
    const dup = await statusOf(admin.clients.create({ clientId: '3scale' }));
    expect(dup).toEqual({ status: 409, data: { errorMessage: 'Client 3scale already exists' } });

    await admin.clients.update({ id }, { clientId: '3scale', redirectUris: ['https://maas.apps.example.com/*', 'https://x/*'] });
    expect((await admin.clients.findOne({ id }))?.redirectUris).toHaveLength(2);
  });

  it('reads and regenerates the client secret', async () => {
    const [client] = await admin.clients.find({ clientId: '3scale' });
    const id = client?.id ?? '';
    const first = await admin.clients.getClientSecret({ id });
    expect(first.type).toBe('secret');
    expect(first.value).toMatch(/^\S{32}$/);
    expect((await admin.clients.getClientSecret({ id })).value).toBe(first.value);
    const next = await admin.clients.generateNewClientSecret({ id });
    expect(next.value).not.toBe(first.value);
    expect((await admin.clients.getClientSecret({ id })).value).toBe(next.value);
  });

  it('adds built-in and custom protocol mappers; a duplicate name is 409 "Protocol mapper exists with same name" (C8)', async () => {
    const [client] = await admin.clients.find({ clientId: '3scale' });
    const id = client?.id ?? '';
    const emailVerified = {
      name: 'email verified', protocol: 'openid-connect', protocolMapper: 'oidc-usermodel-property-mapper',
      config: { 'user.attribute': 'emailVerified', 'claim.name': 'email_verified', 'jsonType.label': 'boolean', 'id.token.claim': 'true', 'access.token.claim': 'true', 'userinfo.token.claim': 'true' },
    };
    await admin.clients.addMultipleProtocolMappers({ id }, [emailVerified]);
    const orgName = {
      name: 'org_name', protocol: 'openid-connect', protocolMapper: 'oidc-usermodel-attribute-mapper',
      config: { 'user.attribute': 'email', 'claim.name': 'org_name', 'jsonType.label': 'String', 'id.token.claim': 'true', 'access.token.claim': 'true', 'userinfo.token.claim': 'true' },
    };
    await admin.clients.addProtocolMapper({ id }, orgName);
    const mappers = await admin.clients.listProtocolMappers({ id });
    expect(mappers.map((m) => m.name).sort()).toEqual(['email verified', 'org_name']);

    const dup = await statusOf(admin.clients.addProtocolMapper({ id }, orgName));
    expect(dup).toEqual({ status: 409, data: { errorMessage: 'Protocol mapper exists with same name' } });
    const dupMany = await statusOf(admin.clients.addMultipleProtocolMappers({ id }, [{ ...orgName, name: 'fresh' }, emailVerified]));
    expect(dupMany.status).toBe(409);
    expect((await admin.clients.listProtocolMappers({ id })).map((m) => m.name)).not.toContain('fresh');

    const org = mappers.find((m) => m.name === 'org_name');
    await admin.clients.updateProtocolMapper({ id, mapperId: org?.id ?? '' }, { ...org, config: { ...org?.config, 'claim.name': 'organization' } });
    const back = await admin.clients.findProtocolMapperById({ id, mapperId: org?.id ?? '' });
    expect(back?.config?.['claim.name']).toBe('organization');
    await admin.clients.delProtocolMapper({ id, mapperId: org?.id ?? '' });
    expect((await admin.clients.listProtocolMappers({ id })).map((m) => m.name)).toEqual(['email verified']);
  });

  it('creates, reads, updates and lists identity providers; a duplicate alias is 409; the secret is masked', async () => {
    await admin.identityProviders.create({
      alias: 'github', providerId: 'github', enabled: true, trustEmail: true,
      config: { clientId: 'gh-id', clientSecret: 'gh-secret', syncMode: 'IMPORT' },
    });
    const dup = await statusOf(admin.identityProviders.create({ alias: 'github', providerId: 'github' }));
    expect(dup).toEqual({ status: 409, data: { errorMessage: 'Identity Provider github already exists' } });
    const gh = await admin.identityProviders.findOne({ alias: 'github' });
    expect(gh).toMatchObject({ alias: 'github', providerId: 'github', trustEmail: true, config: { clientId: 'gh-id', syncMode: 'IMPORT', clientSecret: '**********' } });
    await admin.identityProviders.update({ alias: 'github' }, { ...gh, providerId: 'github', alias: 'github', config: { ...gh?.config, syncMode: 'FORCE' } });
    expect((await admin.identityProviders.findOne({ alias: 'github' }))?.config?.syncMode).toBe('FORCE');
    expect((await admin.identityProviders.find()).map((p) => p.alias)).toEqual(['github']);
    expect(await admin.identityProviders.findOne({ alias: 'nope' })).toBeNull();

    const broker = await fetch(`${server.url}/auth/realms/maas/broker/github/endpoint`);
    expect(broker.status).not.toBe(404);
    expect((await fetch(`${server.url}/auth/realms/maas/broker/google/endpoint`)).status).toBe(404);
  });

  it('deletes a client; a missing one is 404', async () => {
    const { id } = await admin.clients.create({ clientId: 'throwaway' });
    await admin.clients.del({ id });
    expect(await admin.clients.findOne({ id })).toBeNull();
    expect((await statusOf(admin.clients.del({ id }))).status).toBe(404);
  });

  it('serves the realm discovery document from the request host', async () => {
    // fetch cannot set Host: node:http can, as the ingress forwards a Route's host.
    const r = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(`${server.url}/auth/realms/maas/.well-known/openid-configuration`, {
        headers: { host: 'keycloak-rh-sso.apps.example.com', 'x-forwarded-proto': 'https' },
      }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(r.status).toBe(200);
    const doc = JSON.parse(r.text) as Record<string, string>;
    expect(doc.issuer).toBe('https://keycloak-rh-sso.apps.example.com/auth/realms/maas');
    expect(doc.authorization_endpoint).toBe('https://keycloak-rh-sso.apps.example.com/auth/realms/maas/protocol/openid-connect/auth');
    expect(doc.token_endpoint).toMatch(/\/protocol\/openid-connect\/token$/);
    expect(doc.userinfo_endpoint).toMatch(/\/protocol\/openid-connect\/userinfo$/);
    expect(doc.jwks_uri).toMatch(/\/protocol\/openid-connect\/certs$/);
    expect((await fetch(`${server.url}/auth/realms/nope/.well-known/openid-configuration`)).status).toBe(404);
  });
});
