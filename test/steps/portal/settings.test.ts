/**
 * `portal.settings` against the simulated cluster: the portal opens without the access code, its
 * sign-in page links to the realm with client 3scale, 3scale holds the Keycloak client's secret
 * while no event, plan or output ever shows it, a second run writes nothing, a secret changed in
 * Keycloak is updated (still unseen), and the insecure certificate skip is off unless asked.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { connectKeycloak, readClientSecret } from '../../../src/cluster/keycloak.js';
import type { SsoKeycloakOutputs } from '../../../steps/sso/index.js';
import { catalogModels, planOf, portalGet, run, startPortalCluster, stateOf, steps, threescaleWrites } from './helpers.js';
import type { PortalCluster } from './helpers.js';

let cluster: PortalCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

const ONLY = ['portal.settings'];
const MODELS = catalogModels(['mistral-7b-instruct']);

async function clientSecret(c: PortalCluster, kc: SsoKeycloakOutputs): Promise<string> {
  return readClientSecret(c.services, { url: kc.url, credentialSecret: { namespace: kc.namespace, name: kc.credentialSecret }, realm: kc.realm, clientId: '3scale' });
}

function developerProviders(c: PortalCluster): Record<string, unknown>[] {
  return (c.threescale.state.tenant?.authProviders ?? []).filter((p) => p['scope'] === 'developer');
}

describe('portal.settings', () => {
  it('opens the portal, offers the Red Hat SSO login for client 3scale, and keeps the client secret out of events, plans and outputs', async () => {
    cluster = await startPortalCluster();
    const c = cluster;
    const { result, events } = await run(c.services, steps(MODELS), { only: ONLY });
    expect(stateOf(events, 'portal.settings')).toEqual({ state: 'done' });

    const kc = result.outputs['sso.keycloak'] as unknown as SsoKeycloakOutputs;
    const secret = await clientSecret(c, kc);
    expect(secret.length).toBeGreaterThan(8);

    const home = await portalGet(c, '/');
    expect(home.status).toBe(200);
    expect(home.text).not.toContain('name="access_code"');
    expect(c.threescale.state.tenant?.provider['site_access_code']).toBe('');

    const login = await portalGet(c, '/login');
    const href = /class="sso-login" href="([^"]+)"/.exec(login.text)?.[1]?.replace(/&#38;/g, '&');
    expect(href).toBeDefined();
    const link = new URL(href as string);
    expect(`${link.origin}${link.pathname}`).toBe(`${kc.issuer}/protocol/openid-connect/auth`);
    expect(link.searchParams.get('client_id')).toBe('3scale');

    const providers = developerProviders(c);
    expect(providers).toHaveLength(1);
    expect(providers[0]).toMatchObject({ kind: 'keycloak', client_id: '3scale', client_secret: secret, site: kc.issuer, published: true, automatically_approve_accounts: true, skip_ssl_certificate_verification: false });
    expect(c.threescale.state.tenant?.settings).toMatchObject({ signups_enabled: true, account_approval_required: false, useraccountarea_enabled: true, change_service_plan_permission: 'direct' });

    const plan = planOf(events, 'portal.settings');
    // A fresh tenant is closed behind an access code: the plan empties it (without showing it).
    expect(plan.find((ch) => ch.target === 'developer portal access code')).toMatchObject({ action: 'update', diff: [{ path: 'site_access_code', from: '<set>', to: '' }] });
    const create = plan.find((ch) => ch.action === 'create');
    expect(create?.call?.body).toMatchObject({ kind: 'keycloak', client_id: '3scale', client_secret: '<secret from Keycloak client 3scale>', skip_ssl_certificate_verification: false });
    expect(JSON.stringify(events)).not.toContain(secret);
    expect(result.outputs['portal.settings']).toEqual({ developerUrl: `https://maas.${c.sim.domain}`, ssoIntegrationId: providers[0]?.['id'], realmUrl: kc.issuer, autoApprove: true });
    // Insecure skip off by default: no warning line either.
    expect(events.some((e) => e.type === 'log' && /skip_ssl_certificate_verification/.test(e.message))).toBe(false);
  });

  it('writes nothing on a second run, and updates a secret changed in Keycloak without ever showing it', async () => {
    cluster = await startPortalCluster();
    const c = cluster;
    const first = await run(c.services, steps(MODELS), { only: ONLY });
    expect(stateOf(first.events, 'portal.settings')).toEqual({ state: 'done' });
    const kc = first.result.outputs['sso.keycloak'] as unknown as SsoKeycloakOutputs;
    const oldSecret = await clientSecret(c, kc);

    const since = c.sim.requestLog.entries().length;
    const second = await run(c.services, steps(MODELS), { only: ONLY });
    expect(stateOf(second.events, 'portal.settings')).toEqual({ state: 'done' });
    expect(planOf(second.events, 'portal.settings').filter((ch) => ch.action !== 'none')).toEqual([]);
    expect(threescaleWrites(c.sim, since)).toEqual([]);

    // Someone regenerates the client secret in the Keycloak admin console.
    const conn = await connectKeycloak(c.services, { url: kc.url, credentialSecret: { namespace: kc.namespace, name: kc.credentialSecret } });
    const clients = await conn.admin.clients.find({ realm: kc.realm, clientId: '3scale' });
    await conn.admin.clients.generateNewClientSecret({ realm: kc.realm, id: clients[0]?.id ?? '' });
    const newSecret = await clientSecret(c, kc);
    expect(newSecret).not.toBe(oldSecret);

    const third = await run(c.services, steps(MODELS), { only: ONLY });
    expect(stateOf(third.events, 'portal.settings')).toEqual({ state: 'done' });
    const update = planOf(third.events, 'portal.settings').filter((ch) => ch.action !== 'none');
    expect(update).toHaveLength(1);
    expect(update[0]?.diff).toEqual([{ path: 'client_secret', from: '<differs from Keycloak>', to: '<secret from Keycloak client 3scale>' }]);
    expect(developerProviders(c)[0]?.['client_secret']).toBe(newSecret);
    const stream = JSON.stringify([...first.events, ...second.events, ...third.events]);
    expect(stream).not.toContain(oldSecret);
    expect(stream).not.toContain(newSecret);
  });

  it('sets the insecure certificate skip only when asked, with a warning line', async () => {
    cluster = await startPortalCluster();
    const c = cluster;
    const { events } = await run(c.services, steps(MODELS), { only: ONLY, answers: { 'portal.settings': { skipSslVerification: true, autoApprove: false } } });
    expect(stateOf(events, 'portal.settings')).toEqual({ state: 'done' });
    expect(developerProviders(c)[0]).toMatchObject({ skip_ssl_certificate_verification: true, automatically_approve_accounts: false });
    expect(c.threescale.state.tenant?.settings['account_approval_required']).toBe(true);
    const warnings = events.filter((e) => e.type === 'log' && e.step === 'portal.settings' && /^warning: .*skip_ssl_certificate_verification/.test(e.message));
    expect(warnings).toHaveLength(1);
    expect(planOf(events, 'portal.settings').find((ch) => ch.action === 'create')?.note).toMatch(/^warning: 3scale will not verify the certificate/);
  });
});
