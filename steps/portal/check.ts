/**
 * Looking at the developer portal as a visitor does (STAGES.md §9 "Verify: portal home page
 * answers and offers the SSO login"), through the wizard's HTTP layer (its CAs, proxy and route
 * routing): the home page answers without the access code form, and the sign-in page links to
 * the realm's OpenID Connect authorization endpoint with the client `3scale`.
 */
import { UserError } from '../../src/engine/errors.js';

/** Milliseconds one portal request may take. */
export const PORTAL_REQUEST_TIMEOUT_MS = 30_000;

/** Status and body of a GET on the portal. @throws UserError `portal.unreachable` when it cannot be reached. */
export async function getPage(fetchFn: typeof fetch, url: string): Promise<{ status: number; text: string }> {
  try {
    const res = await fetchFn(url, { headers: { accept: 'text/html' }, signal: AbortSignal.timeout(PORTAL_REQUEST_TIMEOUT_MS) });
    return { status: res.status, text: await res.text() };
  } catch (err) {
    const reason = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    throw new UserError('portal.unreachable', `the developer portal ${url} cannot be reached: ${reason}`, {
      fix: 'check that the developer portal Route answers (`oc get routes -n 3scale`) and that system-developer is ready; pass --ca-file when its certificate is not trusted',
      cause: err,
    });
  }
}

/** True when a page is 3scale's access code form (the portal is still closed). */
export function isAccessCodeForm(text: string): boolean {
  return /name=["']?access_code/.test(text);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The `href` values of a page, HTML entities decoded. */
export function hrefs(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/href\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)) {
    const raw = m[1] ?? m[2] ?? '';
    out.push(raw.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (all, e: string) => {
      if (e.startsWith('#x') || e.startsWith('#X')) return String.fromCodePoint(parseInt(e.slice(2), 16));
      if (e.startsWith('#')) return String.fromCodePoint(Number(e.slice(1)));
      return ENTITIES[e.toLowerCase()] ?? all;
    }));
  }
  return out;
}

/** The first link of `text` to `<realmUrl>/protocol/openid-connect/auth` with `client_id` = `clientId`. */
export function findSsoLink(text: string, realmUrl: string, clientId: string): string | undefined {
  const endpoint = `${realmUrl.replace(/\/+$/, '')}/protocol/openid-connect/auth`;
  return hrefs(text).find((href) => {
    try {
      const u = new URL(href);
      return `${u.origin}${u.pathname}` === endpoint && u.searchParams.get('client_id') === clientId;
    } catch {
      return false;
    }
  });
}

/**
 * Checks the portal: `/` answers 200 without the access code form, and `/login` offers the SSO
 * login (a link to the realm's authorization endpoint for `clientId`). Returns that link.
 * @throws UserError `portal.closed` (access code still asked), `portal.home` (not 200),
 *   `portal.sso-missing` (no SSO link), `portal.unreachable`.
 */
export async function checkPortal(fetchFn: typeof fetch, developerUrl: string, realmUrl: string, clientId: string): Promise<string> {
  const base = developerUrl.replace(/\/+$/, '');
  const home = await getPage(fetchFn, `${base}/`);
  if (isAccessCodeForm(home.text)) {
    throw new UserError('portal.closed', `the developer portal ${base}/ still asks for the access code (HTTP ${home.status})`, { fix: 'run `maas-wizard retry portal.settings` (it empties site_access_code)' });
  }
  if (home.status !== 200) throw new UserError('portal.home', `the developer portal home page ${base}/ answered HTTP ${home.status}`, { fix: 'open it in a browser; check the system-developer pods in the 3scale namespace' });
  const login = await getPage(fetchFn, `${base}/login`);
  const link = findSsoLink(login.text, realmUrl, clientId) ?? findSsoLink(home.text, realmUrl, clientId);
  if (!link) {
    throw new UserError('portal.sso-missing', `the developer portal sign-in page ${base}/login offers no Red Hat SSO login for client ${clientId} at ${realmUrl}`, {
      fix: 'check Audience → Developer Portal → SSO Integrations in the admin portal: the Red Hat Single Sign-On integration must be published',
    });
  }
  return link;
}
