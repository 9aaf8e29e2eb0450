/**
 * The developer portal host `<tenant>.<domain>` (STAGES.md §9): renders the published CMS pages
 * in their published layouts with Liquid (liquidjs), serves CMS files, closes the portal behind
 * the access code form while the provider's `site_access_code` is set, and offers the Red Hat SSO
 * login when a published `keycloak` authentication provider exists.
 *
 * Liquid as 3scale's developer portal offers it, the small set the tests need:
 * - tags `{% content %}` (the page inside its layout) and `{% include 'partial_system_name' %}`;
 * - drops `provider` (`name`, `services`: `name`, `system_name`, `description`), and while someone
 *   is signed in `current_user` (`username`, `email`) and `current_account` (`name`,
 *   `applications`: `name`, `description`, `user_key`, `state`, `service`, `plan`).
 * A template with `liquid_enabled: false` is sent as it is. A Liquid error answers 500 with
 * `Liquid error: <message>`.
 *
 * Signing in: the real portal signs people in through the SSO callback; the simulation takes a
 * session cookie `portal_session` (see `portalSessionCookie`) that only someone holding the tenant's
 * admin access token can make, so tests can look at the pages as a developer sees them.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Liquid } from 'liquidjs';
import { readBody } from './http.js';
import { hosts } from './state.js';
import type { Rec, TenantState } from './state.js';

const ACCESS_COOKIE = 'access_code';
const SESSION_COOKIE = 'portal_session';

function html(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function cookies(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

function signature(state: TenantState, userId: number): string {
  return createHmac('sha256', `portal-session:${state.accessToken}`).update(String(userId)).digest('hex');
}

/**
 * The `Cookie` header value that signs `username` in to the simulated developer portal
 * (`portal_session=<user id>.<HMAC of the id keyed with the tenant's admin access token>`).
 * @throws Error when the tenant has no user with that username.
 */
export function portalSessionCookie(state: TenantState, username: string): string {
  const user = state.users.find((u) => u.username === username);
  if (!user) throw new Error(`no user ${username} in tenant ${state.name}`);
  return `${SESSION_COOKIE}=${user.id}.${signature(state, user.id)}`;
}

/** The signed-in user of a request, if its session cookie is valid. */
function sessionUser(state: TenantState, req: IncomingMessage): Rec | undefined {
  const m = /^(\d+)\.([0-9a-f]{64})$/.exec(cookies(req)[SESSION_COOKIE] ?? '');
  if (!m || !state.accessToken) return undefined;
  const id = Number(m[1]);
  const given = Buffer.from(m[2] as string, 'hex');
  const expected = Buffer.from(signature(state, id), 'hex');
  if (!timingSafeEqual(given, expected)) return undefined;
  return state.users.find((u) => u.id === id);
}

/** The SSO login link of a published developer-portal `keycloak` provider (OIDC authorization request). */
function ssoLink(state: TenantState): string {
  const provider = state.authProviders.find((p) => p.scope === 'developer' && p.kind === 'keycloak' && p.published === true);
  if (!provider) return '';
  const portal = hosts.portal(state.name, state.domain);
  const redirect = `https://${portal}/auth/${String(provider.system_name)}/callback`;
  const href = `${String(provider.site ?? '').replace(/\/$/, '')}/protocol/openid-connect/auth?client_id=${encodeURIComponent(String(provider.client_id ?? ''))}&redirect_uri=${encodeURIComponent(redirect)}&response_type=code&scope=openid`;
  return `<a class="sso-login" href="${escape(href)}">Sign in with ${escape(String(provider.name ?? 'Red Hat Single Sign-On'))}</a>`;
}

function serviceDrop(s: Rec | undefined): Record<string, unknown> {
  return s ? { id: s.id, name: s.name, system_name: s.system_name, description: s.description ?? '' } : {};
}

/** The drops a page sees (see the module comment). */
function drops(state: TenantState, user: Rec | undefined): Record<string, unknown> {
  const scope: Record<string, unknown> = {
    provider: { name: state.provider.org_name ?? '', services: state.services.map(serviceDrop) },
  };
  if (!user) return scope;
  const account = state.accounts.find((a) => a.id === user.account_id);
  scope.current_user = { username: user.username, email: user.email ?? '' };
  if (account) {
    scope.current_account = {
      name: account.org_name,
      applications: state.applications
        .filter((a) => a.account_id === account.id)
        .map((a) => {
          const plan = state.plans.find((p) => p.id === a.plan_id);
          return {
            id: a.id,
            name: a.name,
            description: a.description ?? '',
            user_key: a.user_key,
            state: a.state,
            service: serviceDrop(state.services.find((s) => s.id === a.service_id)),
            plan: plan ? { name: plan.name, system_name: plan.system_name } : {},
          };
        }),
    };
  }
  return scope;
}

const published = (r: Rec | undefined): string => (typeof r?.published === 'string' ? r.published : '');

/** Renders a published page in its published layout. @throws liquidjs errors (LiquidError) on bad Liquid. */
async function render(state: TenantState, page: Rec, user: Rec | undefined): Promise<string> {
  const partials: Record<string, string> = {};
  for (const t of state.cmsTemplates) if (t.type === 'partial' && typeof t.system_name === 'string') partials[t.system_name] = published(t);
  const liquid = new Liquid({ templates: partials });
  let pageHtml = '';
  liquid.registerTag('content', { parse() {}, render: () => pageHtml });
  const scope = drops(state, user);
  const run = (r: Rec): Promise<string> => (r.liquid_enabled === false ? Promise.resolve(published(r)) : liquid.parseAndRender(published(r), scope) as Promise<string>);
  pageHtml = await run(page);
  const layout = state.cmsTemplates.find((t) => t.type === 'layout' && t.id === page.layout_id);
  const out = layout && published(layout) ? await run(layout) : pageHtml;
  const sso = ssoLink(state);
  if (!sso) return out;
  return out.includes('</body>') ? out.replace('</body>', `${sso}</body>`) : `${out}${sso}`;
}

/** Creates the developer portal's request handler. */
export function createPortalHost(tenant: () => TenantState | undefined): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const state = tenant();
    if (!state) {
      html(res, 503, '<h1>Service Unavailable</h1>');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://portal.invalid');
    const code = String(state.provider.site_access_code ?? '');
    if (req.method === 'POST' && url.pathname === '/access_code') {
      const form = new URLSearchParams((await readBody(req)).toString('utf8'));
      if (code && form.get('access_code') === code) {
        html(res, 302, '', { location: '/', 'set-cookie': `${ACCESS_COOKIE}=${encodeURIComponent(code)}; Path=/; HttpOnly` });
      } else html(res, 403, accessForm('Wrong access code'));
      return;
    }
    req.resume();
    if (code && cookies(req)[ACCESS_COOKIE] !== code) {
      html(res, 403, accessForm());
      return;
    }
    const file = state.cmsFiles.find((f) => f.path === url.pathname);
    if (file) {
      const body = Buffer.from(String(file.content_base64 ?? ''), 'base64');
      res.writeHead(200, { 'content-type': String(file.content_type || 'application/octet-stream'), 'content-length': String(body.length) });
      res.end(body);
      return;
    }
    const page = state.cmsTemplates.find((t) => t.type === 'page' && t.path === url.pathname && typeof t.published === 'string');
    if (page) {
      try {
        html(res, 200, await render(state, page, sessionUser(state, req)));
      } catch (err) {
        html(res, 500, `<h1>Liquid error</h1><p>Liquid error: ${escape(err instanceof Error ? err.message : String(err))}</p>`);
      }
      return;
    }
    if (url.pathname === '/login') {
      html(res, 200, `<!DOCTYPE html><html><body><h1>Sign in</h1><form method="post" action="/session"><input name="username"><input type="password" name="password"><button>Sign in</button></form>${ssoLink(state)}</body></html>`);
      return;
    }
    html(res, 404, '<h1>Not found</h1>');
  };
}

function accessForm(message = ''): string {
  return `<!DOCTYPE html><html><body><h1>Access code required</h1>${message ? `<p class="error">${escape(message)}</p>` : ''}<form method="post" action="/access_code"><input type="password" name="access_code"><button type="submit">Enter</button></form></body></html>`;
}
