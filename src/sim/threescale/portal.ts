/**
 * The developer portal host `<tenant>.<domain>`: renders the published CMS pages in their layouts
 * (the few Liquid tags the default content uses: `{% content %}`, `{% include "partial" %}`,
 * `{{ provider.name }}`), serves CMS files, closes the portal behind the access code form while
 * the provider's `site_access_code` is set, and offers the Red Hat SSO login when a published
 * `keycloak` authentication provider exists (STAGES.md §9).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from './http.js';
import { hosts } from './state.js';
import type { Rec, TenantState } from './state.js';

const ACCESS_COOKIE = 'access_code';

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

/** The SSO login link of a published developer-portal `keycloak` provider (OIDC authorization request). */
function ssoLink(state: TenantState): string {
  const provider = state.authProviders.find((p) => p.scope === 'developer' && p.kind === 'keycloak' && p.published === true);
  if (!provider) return '';
  const portal = hosts.portal(state.name, state.domain);
  const redirect = `https://${portal}/auth/${String(provider.system_name)}/callback`;
  const href = `${String(provider.site ?? '').replace(/\/$/, '')}/protocol/openid-connect/auth?client_id=${encodeURIComponent(String(provider.client_id ?? ''))}&redirect_uri=${encodeURIComponent(redirect)}&response_type=code&scope=openid`;
  return `<a class="sso-login" href="${escape(href)}">Sign in with ${escape(String(provider.name ?? 'Red Hat Single Sign-On'))}</a>`;
}

/** Renders a published page in its published layout. */
function render(state: TenantState, page: Rec): string {
  const published = (r: Rec | undefined): string => (typeof r?.published === 'string' ? r.published : '');
  const layout = state.cmsTemplates.find((t) => t.type === 'layout' && t.id === page.layout_id);
  let out = layout && published(layout) ? published(layout).replace(/\{%\s*content\s*%\}/g, published(page)) : published(page);
  out = out.replace(/\{%\s*include\s+["']([^"']+)["']\s*%\}/g, (_m, name: string) =>
    published(state.cmsTemplates.find((t) => t.type === 'partial' && t.system_name === name)),
  );
  out = out.replace(/\{\{\s*provider\.name\s*\}\}/g, escape(String(state.provider.org_name ?? '')));
  const sso = ssoLink(state);
  if (sso) out = out.includes('</body>') ? out.replace('</body>', `${sso}</body>`) : `${out}${sso}`;
  return out;
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
      html(res, 200, render(state, page));
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
