/**
 * The portal and sign-in checks (STAGES.md §9 "Verify", §10): every page `portal.content`
 * published answers 200 on the developer portal; the home page (else `/login`) offers the Red Hat
 * SSO login (a link to `<realm>/protocol/openid-connect/auth` with `client_id` = the `3scale`
 * client); the realm's OIDC discovery document answers; and the client's redirect URIs (read back
 * through the Keycloak admin API) cover the portal's callback, the `redirect_uri` of that link
 * (3scale: `https://<developer portal>/auth/<provider system name>/callback`).
 */
import type { KeycloakTarget } from '../../src/cluster/keycloak.js';
import { connectKeycloak, kcCall, readDiscoveryAt } from '../../src/cluster/keycloak.js';
import type { Services } from '../../src/cluster/services.js';
import { messageOf } from '../../src/engine/errors.js';
import type { CheckLog } from './checks.js';

/** Milliseconds one portal request may take. */
export const PORTAL_TIMEOUT_MS = 30_000;

/** What the portal checks need (all from earlier steps' outputs). */
export interface PortalTarget {
  /** `https://<tenant>.<domain>` */
  developerUrl: string;
  /** Paths `portal.content` published. */
  pages: string[];
  /** The realm URL, `<keycloak>/auth/realms/<realm>`. */
  issuer: string;
  realm: string;
  /** The portal's client in the realm (default `3scale`). */
  clientId: string;
  /** Where the Keycloak admin credentials are (from `sso.keycloak`); undefined skips the redirect URI read-back. */
  keycloak?: KeycloakTarget;
}

/** Decodes the HTML entities an attribute value may carry (`&amp;`, `&#38;`, `&#x26;`, `&quot;`, `&lt;`, `&gt;`, `&#39;`). */
export function decodeEntities(s: string): string {
  const named: Record<string, string> = { amp: '&', quot: '"', lt: '<', gt: '>', apos: "'" };
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return named[e.toLowerCase()] ?? m;
  });
}

/** The first link of `html` to the realm's authorization endpoint, parsed; undefined when none. */
export function ssoLinkOf(html: string, issuer: string): URL | undefined {
  const auth = `${issuer.replace(/\/+$/, '')}/protocol/openid-connect/auth`;
  for (const m of html.matchAll(/href\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)) {
    const href = decodeEntities(m[1] ?? m[2] ?? '');
    try {
      const url = new URL(href);
      if (`${url.origin}${url.pathname}` === auth) return url;
    } catch {
      // not an absolute URL
    }
  }
  return undefined;
}

/**
 * True when Keycloak would accept `uri` for a client with these redirect URIs: `*` accepts any;
 * a pattern ending in `*` accepts what starts with the rest; else the URIs must be equal
 * (Keycloak RedirectUtils; query strings ignored).
 */
export function redirectAllowed(patterns: readonly string[], uri: string): boolean {
  const bare = uri.split('?')[0] ?? uri;
  return patterns.some((p) => p === '*' || (p.endsWith('*') ? bare.startsWith(p.slice(0, -1)) : p === bare || p === uri));
}

async function get(fetchFn: typeof fetch, url: string, signal: AbortSignal): Promise<{ status: number; text: string; location?: string }> {
  try {
    const res = await fetchFn(url, { headers: { accept: 'text/html' }, redirect: 'manual', signal: AbortSignal.any([signal, AbortSignal.timeout(PORTAL_TIMEOUT_MS)]) });
    const location = res.headers.get('location');
    return { status: res.status, text: await res.text(), ...(location ? { location } : {}) };
  } catch (err) {
    if (signal.aborted) throw err;
    return { status: 0, text: `no answer (${messageOf(err)})` };
  }
}

/**
 * Runs the portal and SSO checks, recording each in `log`.
 * @throws only aborts; every other failure is a failed check.
 */
export async function checkPortal(log: CheckLog, services: Services, target: PortalTarget, signal: AbortSignal): Promise<void> {
  const base = target.developerUrl.replace(/\/+$/, '');
  const settings = { step: 'portal.settings', advice: 'the developer portal is closed by an access code, or its Red Hat SSO integration is not published' };
  let home: string | undefined;
  for (const path of target.pages) {
    const page = await get(services.http.fetch, `${base}${path}`, signal);
    if (path === '/' && page.status === 200) home = page.text;
    const closed = page.status === 403 && /access code/i.test(page.text);
    const toLogin = path !== '/' && page.status >= 300 && page.status < 400 && /\/login/.test(page.location ?? '');
    log.add({
      what: `developer portal page ${path}`, expected: path === '/' ? '200' : '200 (or a redirect to sign-in)', got: closed ? '403 (access code required)' : `${page.status}${page.location ? ` (redirect to ${page.location})` : ''}`, ok: page.status === 200 || toLogin,
      owner: closed ? settings : { step: 'portal.content', advice: `the portal page ${path} is not published` },
    });
  }
  home ??= (await get(services.http.fetch, `${base}/`, signal)).text;
  let link = ssoLinkOf(home, target.issuer);
  let where = 'home page';
  if (!link) {
    const login = await get(services.http.fetch, `${base}/login`, signal);
    link = login.status === 200 ? ssoLinkOf(login.text, target.issuer) : undefined;
    where = '/login';
  }
  const clientOk = link?.searchParams.get('client_id') === target.clientId;
  log.add({
    what: 'developer portal offers the Red Hat SSO login', expected: `a link to ${target.issuer} with client_id=${target.clientId}`,
    got: link ? `a link on the ${where} with client_id=${link.searchParams.get('client_id') ?? '(none)'}` : 'no SSO login link on the home page or /login',
    ok: clientOk, owner: { step: 'portal.settings', advice: 'publish the developer portal\'s Red Hat SSO integration (client 3scale, site = the realm URL)' },
  });

  let discovery: string;
  let discoveryOk = false;
  try {
    const doc = await readDiscoveryAt(services, target.issuer);
    discoveryOk = doc.issuer === target.issuer.replace(/\/+$/, '');
    discovery = `200 with issuer ${doc.issuer}`;
  } catch (err) {
    if (signal.aborted) throw err;
    discovery = messageOf(err);
  }
  log.add({
    what: `realm discovery document ${target.issuer}/.well-known/openid-configuration`, expected: `200 with issuer ${target.issuer}`, got: discovery, ok: discoveryOk,
    owner: { step: 'sso.keycloak', advice: 'the realm does not answer its discovery document: check Keycloak and the realm' },
  });

  if (!target.keycloak) return;
  const callback = link?.searchParams.get('redirect_uri') ?? `${base}/`;
  let got: string;
  let ok = false;
  try {
    const conn = await connectKeycloak(services, target.keycloak);
    const found = await kcCall(conn, `find client ${target.clientId} in realm ${target.realm}`, () => conn.admin.clients.find({ realm: target.realm, clientId: target.clientId }));
    const client = found.find((c) => c.clientId === target.clientId);
    const uris = client?.redirectUris ?? [];
    ok = client !== undefined && redirectAllowed(uris, callback);
    got = client ? `redirect URIs ${uris.join(', ') || '(none)'}` : `no client ${target.clientId}`;
  } catch (err) {
    if (signal.aborted) throw err;
    got = messageOf(err);
  }
  log.add({
    what: `client ${target.clientId} accepts the portal's callback`, expected: `redirect URIs covering ${callback}`, got, ok,
    owner: { step: 'sso.client', advice: `add the developer portal (${base}/*) to the redirect URIs of client ${target.clientId}` },
  });
}
