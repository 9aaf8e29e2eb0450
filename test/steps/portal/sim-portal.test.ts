/**
 * The simulated developer portal's Liquid (src/sim/threescale/portal.ts): partials, the layout's
 * `{% content %}`, the `provider` drop for everyone, `current_user` / `current_account` with its
 * applications' `user_key` only for a valid session (a forged one is ignored), `liquid_enabled:
 * false` sent as written, and a Liquid error answered 500 with its message.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { portalSessionCookie } from '../../../src/sim/threescale/portal.js';
import { PORTAL, start } from '../../sim/threescale/helpers.js';
import type { Harness } from '../../sim/threescale/helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await start();
  await h.api('PUT', '/admin/api/provider.json', { site_access_code: '' });
});
afterEach(async () => h.close());

async function page(path: string, draft: string, extra: Record<string, string> = {}): Promise<void> {
  const created = await h.api('POST', '/admin/api/cms/templates.json', { type: 'page', title: path, path, draft, layout_name: 'main_layout', ...extra });
  expect(created.status).toBe(201);
  await h.api('PUT', `/admin/api/cms/templates/${created.json().id}/publish.json`);
}

describe('simulated developer portal Liquid', () => {
  it('renders drops: provider for everyone, the signed-in account and its application keys only with a valid session', async () => {
    const signup = await h.api('POST', '/admin/api/signup.json', { org_name: 'Acme', username: 'ada', email: 'ada@example.com', password: 'x' });
    const accountId = signup.json().account.id as number;
    const services = h.sim.state.tenant?.services ?? [];
    const api = services.find((s) => s['system_name'] === 'api');
    const plan = h.sim.state.tenant?.plans.find((p) => p['type'] === 'application_plan' && p['service_id'] === api?.id);
    const app = await h.api('POST', `/admin/api/accounts/${accountId}/applications.json`, { plan_id: String(plan?.id), name: 'ada app' });
    const key = app.json().application.user_key as string;
    await page('/mine', '<p>{{ provider.name }} offers {% for s in provider.services %}[{{ s.system_name }}]{% endfor %}</p>{% if current_account %}<p>{{ current_user.username }} of {{ current_account.name }}</p>{% for a in current_account.applications %}<p class="app">{{ a.name }} on {{ a.service.name }} ({{ a.plan.name }}): {{ a.user_key }}</p>{% endfor %}{% else %}<p>anonymous</p>{% endif %}');

    const anonymous = await h.send(PORTAL, 'GET', '/mine');
    expect(anonymous.status).toBe(200);
    expect(anonymous.text).toContain('<p>maas offers [api]</p>');
    expect(anonymous.text).toContain('<p>anonymous</p>');
    expect(anonymous.text).toContain('<a href="/docs">Documentation</a>'); // inside the layout
    expect(anonymous.text).toContain('<a href="/login">Sign in</a>'); // the layout's partial
    expect(anonymous.text).not.toContain(key);

    const tenant = h.sim.state.tenant;
    if (!tenant) throw new Error('no tenant');
    const cookie = portalSessionCookie(tenant, 'ada');
    const signedIn = await h.send(PORTAL, 'GET', '/mine', { headers: { cookie } });
    expect(signedIn.text).toContain('<p>ada of Acme</p>');
    expect(signedIn.text).toContain(`<p class="app">ada app on API (Basic): ${key}</p>`);

    const forged = cookie.replace(/\.[0-9a-f]{64}$/, `.${'0'.repeat(64)}`);
    const refused = await h.send(PORTAL, 'GET', '/mine', { headers: { cookie: forged } });
    expect(refused.text).toContain('<p>anonymous</p>');
    expect(() => portalSessionCookie(tenant, 'nobody')).toThrow(/no user nobody/);
  });

  it('sends a page with Liquid disabled as written, and answers 500 with the message for broken Liquid', async () => {
    await page('/raw', '<p>{{ provider.name }}</p>', { liquid_enabled: 'false' });
    expect((await h.send(PORTAL, 'GET', '/raw')).text).toContain('<p>{{ provider.name }}</p>');
    await page('/broken', '<p>{% if %}</p>');
    const broken = await h.send(PORTAL, 'GET', '/broken');
    expect(broken.status).toBe(500);
    expect(broken.text).toContain('Liquid error:');
    await page('/missing', '{% include "no_such_partial" %}');
    const missing = await h.send(PORTAL, 'GET', '/missing');
    expect(missing.status).toBe(500);
    expect(missing.text).toContain('no_such_partial');
  });
});
