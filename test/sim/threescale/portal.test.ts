/**
 * The developer portal host: closed behind the access code of a fresh tenant, open once
 * `site_access_code` is emptied, published CMS pages rendered in their layout, and the Red Hat SSO
 * login offered once a published `keycloak` authentication provider exists (STAGES.md §9).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PORTAL, start } from './helpers.js';
import type { Harness } from './helpers.js';

describe('developer portal', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await start();
  });
  afterEach(async () => h.close());

  it('shows the access code form while site_access_code is set, and lets the code in', async () => {
    const closed = await h.send(PORTAL, 'GET', '/');
    expect(closed.status).toBe(403);
    expect(closed.text).toContain('name="access_code"');
    const code = (await h.api('GET', '/admin/api/provider.json')).json().account.site_access_code;
    expect(code).toMatch(/\w+/);
    const wrong = await h.send(PORTAL, 'POST', '/access_code', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'access_code=nope' });
    expect(wrong.status).toBe(403);
    const right = await h.send(PORTAL, 'POST', '/access_code', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `access_code=${code}` });
    expect(right.status).toBe(302);
    const cookie = String(right.headers['set-cookie']?.[0]).split(';')[0] as string;
    expect((await h.send(PORTAL, 'GET', '/', { headers: { cookie } })).status).toBe(200);
  });

  it('renders published pages in their layout once the access code is removed, and offers SSO', async () => {
    const update = await h.api('PUT', '/admin/api/provider.json', { site_access_code: '', org_name: 'ignored' });
    expect(update.json().account).toMatchObject({ site_access_code: '', org_name: 'maas' });
    const home = await h.send(PORTAL, 'GET', '/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('<h1>Echo API</h1>');
    expect(home.text).toContain('<a href="/docs">Documentation</a>');
    expect(home.text).not.toContain('sso-login');

    const draftOnly = await h.api('POST', '/admin/api/cms/templates.json', { type: 'page', title: 'Draft', path: '/draft', draft: '<p>draft</p>' });
    expect(draftOnly.status).toBe(201);
    expect((await h.send(PORTAL, 'GET', '/draft')).status).toBe(404);
    await h.api('PUT', `/admin/api/cms/templates/${draftOnly.json().id}/publish.json`);
    expect((await h.send(PORTAL, 'GET', '/draft')).text).toContain('<p>draft</p>');

    const provider = await h.api('POST', '/admin/api/authentication_providers.json', {
      kind: 'keycloak',
      client_id: '3scale',
      client_secret: 's3cret',
      site: 'https://keycloak-rh-sso.apps.sim.test/auth/realms/maas',
      published: 'false',
    });
    expect(provider.status).toBe(201);
    expect((await h.send(PORTAL, 'GET', '/')).text).not.toContain('sso-login');
    await h.api('PUT', `/admin/api/authentication_providers/${provider.json().authentication_provider.id}.json`, { published: 'true' });
    const withSso = await h.send(PORTAL, 'GET', '/');
    expect(withSso.text).toContain('class="sso-login"');
    expect(withSso.text).toContain('https://keycloak-rh-sso.apps.sim.test/auth/realms/maas/protocol/openid-connect/auth?client_id=3scale');
    expect(withSso.text).not.toContain('s3cret');
  });

  it('refuses a keycloak provider without a site, and admin-portal kinds other than keycloak/auth0', async () => {
    expect((await h.api('POST', '/admin/api/authentication_providers.json', { kind: 'keycloak' })).status).toBe(422);
    expect((await h.api('POST', '/admin/api/account/authentication_providers.json', { kind: 'github' })).status).toBe(422);
    const admin = await h.api('POST', '/admin/api/account/authentication_providers.json', { kind: 'keycloak', site: 'https://kc/auth/realms/x' });
    expect(admin.status).toBe(201);
    expect((await h.api('GET', '/admin/api/authentication_providers.json')).json().authentication_providers).toHaveLength(0);
  });
});
