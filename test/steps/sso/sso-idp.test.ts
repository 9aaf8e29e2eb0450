import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src/engine/types.js';
import { planOf, run, startSsoCluster, storedRealm, writeRequests } from './helpers.js';
import type { SsoCluster } from './helpers.js';

let cluster: SsoCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

const SECRET = 'google-client-secret-3f9a1c';
const google = { 'sso.identity-provider': { provider: 'google', clientId: 'maas.apps.googleusercontent.com' } };
const googleSecret = { 'sso.identity-provider': { clientSecret: SECRET } };

describe('SSO identity provider', () => {
  it('creates a Google provider (trustEmail, syncMode IMPORT) with the secret, which appears in no event or request log', async () => {
    cluster = await startSsoCluster();
    const c = cluster;
    const { result, events } = await run(c.services, { answers: google, secrets: googleSecret });
    expect(result.firstError).toBeUndefined();
    const broker = `https://keycloak-rh-sso.${c.sim.domain}/auth/realms/maas/broker/google/endpoint`;
    expect(result.outputs['sso.identity-provider']).toEqual({ provider: 'google', alias: 'google', clientId: 'maas.apps.googleusercontent.com', redirectUri: broker });
    const idp = storedRealm(c)?.identityProviders.find((p) => p.alias === 'google');
    expect(idp).toMatchObject({ providerId: 'google', trustEmail: true, config: { clientId: 'maas.apps.googleusercontent.com', syncMode: 'IMPORT', clientSecret: SECRET } });
    const plan = planOf(events, 'sso.identity-provider');
    expect(plan[0]?.call?.body).toMatchObject({ config: { clientSecret: '<from input clientSecret>' } });
    expect(JSON.stringify(events)).not.toContain(SECRET);
    expect(JSON.stringify(c.sim.requestLog.entries())).not.toContain(SECRET);
    // Unattended: the redirect URI is logged, nobody is asked.
    expect(events.some((e) => e.type === 'log' && e.step === 'sso.identity-provider' && e.message.includes(broker))).toBe(true);

    // Again without the secret (never stored): nothing to do, nothing written.
    const mark = c.sim.requestLog.entries().length;
    const again = await run(c.services, { answers: google });
    expect(again.result.result).toBe('done');
    expect(planOf(again.events, 'sso.identity-provider').map((x) => x.action)).toEqual(['none']);
    expect(writeRequests(c.sim, mark)).toEqual([]);
  });

  it('interactive: a checkpoint shows the exact redirect URI to register at the provider', async () => {
    cluster = await startSsoCluster();
    const c = cluster;
    const { result, host } = await run(c.services, { interactive: true, answers: google, secrets: googleSecret });
    expect(result.firstError).toBeUndefined();
    const asks = host.calls.filter((x) => x.kind === 'ask').map((x) => (x.kind === 'ask' ? x.question : undefined));
    const checkpoint = asks.find((q) => q?.kind === 'checkpoint');
    expect(checkpoint).toMatchObject({ kind: 'checkpoint', id: 'sso.identity-provider.redirect-uri', url: 'https://console.cloud.google.com/apis/credentials' });
    expect(checkpoint?.kind === 'checkpoint' ? checkpoint.body : '').toContain(`https://keycloak-rh-sso.${c.sim.domain}/auth/realms/maas/broker/google/endpoint`);
  });

  it('a changed client id is one PUT of that provider; the stored secret is kept', async () => {
    cluster = await startSsoCluster();
    const c = cluster;
    expect((await run(c.services, { answers: google, secrets: googleSecret })).result.result).toBe('done');
    const mark = c.sim.requestLog.entries().length;
    const { result, events } = await run(c.services, { answers: { 'sso.identity-provider': { provider: 'google', clientId: 'other-id' } } });
    expect(result.firstError).toBeUndefined();
    expect(planOf(events, 'sso.identity-provider')[0]).toMatchObject({ action: 'update', diff: [{ path: 'config.clientId', from: 'maas.apps.googleusercontent.com', to: 'other-id' }] });
    expect(writeRequests(c.sim, mark)).toEqual([{ service: 'keycloak', method: 'PUT', path: '/auth/admin/realms/maas/identity-provider/instances/google', status: 204 }]);
    expect(storedRealm(c)?.identityProviders.find((p) => p.alias === 'google')?.config).toMatchObject({ clientId: 'other-id', clientSecret: SECRET });
  });

  it('a client secret given again is written (Keycloak never shows the stored one), without appearing in the plan', async () => {
    cluster = await startSsoCluster();
    const c = cluster;
    expect((await run(c.services, { answers: google, secrets: googleSecret })).result.result).toBe('done');
    const rotated = 'rotated-secret-77aa';
    const { result, events } = await run(c.services, { answers: google, secrets: { 'sso.identity-provider': { clientSecret: rotated } } });
    expect(result.firstError).toBeUndefined();
    expect(planOf(events, 'sso.identity-provider')[0]).toMatchObject({ action: 'update', diff: [{ path: 'config.clientSecret', from: '<hidden by Keycloak>', to: '<from input clientSecret>' }] });
    expect(storedRealm(c)?.identityProviders.find((p) => p.alias === 'google')?.config['clientSecret']).toBe(rotated);
    expect(JSON.stringify(events)).not.toContain(rotated);
  });

  it('asks for the client secret when the provider must be created, naming the environment variable (exit 2)', async () => {
    cluster = await startSsoCluster();
    const { result } = await run(cluster.services, { answers: google });
    expect(result.result).toBe('failed');
    expect(result.exitCode).toBe(2);
    expect(result.states['sso.client']).toBe('done');
    expect(result.firstError?.message).toMatch(/sso\.identity-provider\.clientSecret: needed to create identity provider google/);
    expect(result.firstError?.fix).toMatch(/SSO_IDP_CLIENT_SECRET/);
    expect(storedRealm(cluster)?.identityProviders).toEqual([]);
  });

  it('OpenID Connect: endpoints come from the issuer\'s discovery document', async () => {
    cluster = await startSsoCluster();
    const c = cluster;
    const issuer = `https://keycloak-rh-sso.${c.sim.domain}/auth/realms/master`;
    const { result } = await run(c.services, { answers: { 'sso.identity-provider': { provider: 'oidc', alias: 'redhat', issuer, clientId: 'maas' } }, secrets: googleSecret });
    expect(result.firstError).toBeUndefined();
    const idp = storedRealm(c)?.identityProviders.find((p) => p.alias === 'redhat');
    expect(idp?.providerId).toBe('oidc');
    expect(idp?.config).toMatchObject({ clientId: 'maas', syncMode: 'IMPORT', clientAuthMethod: 'client_secret_post' });
    expect(idp?.config['authorizationUrl']).toMatch(/\/auth\/realms\/master\/protocol\/openid-connect\/auth$/);
    expect(idp?.config['tokenUrl']).toMatch(/\/auth\/realms\/master\/protocol\/openid-connect\/token$/);
    expect(result.outputs['sso.identity-provider']).toMatchObject({ redirectUri: `https://keycloak-rh-sso.${c.sim.domain}/auth/realms/maas/broker/redhat/endpoint` });
  });

  it('refuses an OpenID Connect issuer that is not an https URL', async () => {
    cluster = await startSsoCluster();
    const { result, events } = await run(cluster.services, { answers: { 'sso.identity-provider': { provider: 'oidc', issuer: 'http://idp.example.com', clientId: 'x' } }, secrets: googleSecret });
    expect(result.exitCode).toBe(2);
    expect(result.firstError?.message).toMatch(/sso\.identity-provider\.issuer: .*https:\/\/ URL/);
    expect(events.some((e: EngineEvent) => e.type === 'plan' && e.step === 'sso.identity-provider')).toBe(false);
  });
});
