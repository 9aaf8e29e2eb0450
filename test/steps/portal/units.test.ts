/**
 * The portal stage's pieces without a cluster: rendering templates/portal/ for a set of models,
 * the SSO integration plan (secret compared, never shown), the visitor checks of the portal, and
 * the multipart adapter of the 3scale client's fetch.
 */
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/engine/errors.js';
import { checkPortal, findSsoLink } from '../../../steps/portal/check.js';
import { renderPortalContent } from '../../../steps/portal/render.js';
import type { PortalModel } from '../../../steps/portal/render.js';
import { multipartSafe } from '../../../steps/portal/shared.js';
import { fillSecret, planIntegration } from '../../../steps/portal/sso-integration.js';
import type { WantedIntegration } from '../../../steps/portal/sso-integration.js';

const CHAT: PortalModel = { name: 'Mistral 7B', description: 'Chats <well>', systemName: 'mistral', servedModelName: 'mistral-7b', api: 'chat', endpoint: 'https://mistral-maas-apicast-production.apps.x' };
const COMPLETIONS: PortalModel = { ...CHAT, name: 'Granite', systemName: 'granite', servedModelName: 'granite', api: 'completions', endpoint: 'https://granite-maas-apicast-production.apps.x' };

function draftOf(content: Awaited<ReturnType<typeof renderPortalContent>>, path: string): string {
  const t = content.templates.find((x) => x.path === path);
  if (!t) throw new Error(`no page ${path}`);
  return t.draft;
}

describe('portal content rendering', () => {
  it('fills in the products at upload time and leaves the portal Liquid for the portal', async () => {
    const content = await renderPortalContent([CHAT, COMPLETIONS]);
    const home = draftOf(content, '/');
    expect(home).toContain('Chats &lt;well&gt;'); // escaped product text
    expect(home).toContain('<code class="maas-endpoint">https://mistral-maas-apicast-production.apps.x</code>');
    expect(home).toContain('{% unless current_user %}');
    const keys = draftOf(content, '/keys');
    expect(keys).toContain("{% if app.service.system_name == 'mistral' %}{% assign endpoint = 'https://mistral-maas-apicast-production.apps.x' %}");
    expect(keys).toContain('{{ app.user_key }}');
    const examples = draftOf(content, '/examples');
    expect(examples).toContain('client.completions.create(');
    expect(examples).toContain('https://granite-maas-apicast-production.apps.x/v1/completions');
    expect(examples).not.toContain('id="embeddings"');
    for (const t of content.templates) expect(t.draft).not.toMatch(/\[\[|\[%/);
    expect(content.files.map((f) => f.path)).toEqual(['/css/maas.css']);
  });

  it('says no model is served when there is none, and refuses values that would break the portal Liquid', async () => {
    expect(draftOf(await renderPortalContent([]), '/')).toContain('No model is served yet.');
    const bad = { ...CHAT, servedModelName: "x' %}{% assign" };
    await expect(renderPortalContent([bad])).rejects.toMatchObject({ code: 'portal.unsafe-value' });
  });
});

const WANTED: WantedIntegration = { systemName: 'red_hat_sso', name: 'Red Hat Single Sign-On', clientId: '3scale', site: 'https://kc/auth/realms/maas', autoApprove: true, skipSslVerification: false };
const CURRENT = { id: 7, kind: 'keycloak', system_name: 'keycloak_ab12', client_id: '3scale', site: WANTED.site, published: true, automatically_approve_accounts: true, skip_ssl_certificate_verification: false };

describe('SSO integration plan', () => {
  it('compares the secret without putting it in the change', () => {
    expect(planIntegration({ ...CURRENT, client_secret: 's1' }, WANTED, 's1').action).toBe('none');
    expect(planIntegration(CURRENT, WANTED, 's1').action).toBe('none'); // 3scale does not show it: other fields decide
    const changed = planIntegration({ ...CURRENT, client_secret: 'old', site: 'https://other' }, WANTED, 'new-secret');
    expect(changed.action).toBe('update');
    expect(changed.call?.path).toBe('/admin/api/authentication_providers/7.json');
    expect(changed.diff?.map((d) => d.path)).toEqual(['site', 'client_secret']);
    expect(JSON.stringify(changed)).not.toMatch(/new-secret|"old"/);
    const body = changed.call?.body as Record<string, string>;
    expect(fillSecret(body, '3scale', 'new-secret')).toMatchObject({ client_secret: 'new-secret', site: WANTED.site });
  });
});

function fakeFetch(pages: Record<string, { status: number; text: string }>): typeof fetch {
  return (async (input: Parameters<typeof fetch>[0]) => {
    const p = pages[String(input)];
    if (!p) throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') });
    return new Response(p.text, { status: p.status });
  }) as typeof fetch;
}

describe('portal visitor checks', () => {
  const realm = 'https://kc.apps.x/auth/realms/maas';
  const link = `<a href="${realm}/protocol/openid-connect/auth?client_id=3scale&amp;response_type=code">SSO</a>`;

  it('finds the SSO link with entities decoded, for the right client and realm only', () => {
    expect(findSsoLink(link, realm, '3scale')).toBe(`${realm}/protocol/openid-connect/auth?client_id=3scale&response_type=code`);
    expect(findSsoLink(link, realm, 'other')).toBeUndefined();
    expect(findSsoLink(link, 'https://kc.apps.x/auth/realms/master', '3scale')).toBeUndefined();
  });

  it('fails with a sentence when the portal is closed, lacks the SSO login, or cannot be reached', async () => {
    const portal = 'https://maas.apps.x';
    await expect(checkPortal(fakeFetch({ [`${portal}/`]: { status: 403, text: '<input name="access_code">' } }), portal, realm, '3scale')).rejects.toMatchObject({ code: 'portal.closed' });
    const open = { [`${portal}/`]: { status: 200, text: '<h1>hi</h1>' }, [`${portal}/login`]: { status: 200, text: '<form></form>' } };
    await expect(checkPortal(fakeFetch(open), portal, realm, '3scale')).rejects.toMatchObject({ code: 'portal.sso-missing' });
    await expect(checkPortal(fakeFetch({}), portal, realm, '3scale')).rejects.toBeInstanceOf(UserError);
    await expect(checkPortal(fakeFetch({}), portal, realm, '3scale')).rejects.toMatchObject({ code: 'portal.unreachable' });
    const ok = { ...open, [`${portal}/login`]: { status: 200, text: link } };
    await expect(checkPortal(fakeFetch(ok), portal, realm, '3scale')).resolves.toContain('client_id=3scale');
  });
});

describe('multipart adapter', () => {
  it('encodes a FormData body to bytes with its multipart content type, and leaves other bodies alone', async () => {
    const seen: RequestInit[] = [];
    const inner = (async (_input: Parameters<typeof fetch>[0], init?: RequestInit) => {
      seen.push(init ?? {});
      return new Response('ok');
    }) as typeof fetch;
    const form = new FormData();
    form.append('path', '/css/maas.css');
    form.append('attachment', new Blob(['body{}'], { type: 'text/css' }), 'maas.css');
    await multipartSafe(inner)('http://x/', { method: 'POST', body: form });
    await multipartSafe(inner)('http://x/', { method: 'POST', body: 'a=1' });
    const headers = new Headers(seen[0]?.headers);
    expect(headers.get('content-type')).toMatch(/^multipart\/form-data; boundary=/);
    const text = Buffer.from(seen[0]?.body as Uint8Array).toString('utf8');
    expect(text).toContain('name="attachment"; filename="maas.css"');
    expect(text).toContain('body{}');
    expect(seen[1]?.body).toBe('a=1');
  });
});
