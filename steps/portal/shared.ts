/**
 * What the portal steps (STAGES.md §9) share: the outputs they hand on, the product outputs they
 * read (`threescale.product.<short>`, contracts-s2.md), the 3scale client of the tenant, and the
 * shape of a planned 3scale call.
 */
import { connectThreescale } from '../../src/cluster/threescale/connect.js';
import type { ThreescaleClient } from '../../src/cluster/threescale/client.js';
import type { Form } from '../../src/cluster/threescale/http.js';
import type { Services } from '../../src/cluster/services.js';
import { UserError } from '../../src/engine/errors.js';
import type { ApiCall, DefaultsContext, StepContext } from '../../src/engine/types.js';
import type { ProductOutputs } from '../threescale/product.js';
import { apiManagerOf } from '../threescale/shared.js';

/** Account Management API prefix (3SCALE_OPERATIONS.md). */
export const AM = '/admin/api';

/** Outputs of `threescale.product.<short>` (steps/threescale/product.ts); `served: false` → the model is left out. */
export type PortalProductOutputs = ProductOutputs;

/** Outputs of `portal.settings` (contracts-s2.md). No secret. */
export interface PortalSettingsOutputs {
  /** The developer portal, `https://<tenant>.<domain>` (from the Route found by host). */
  developerUrl: string;
  /** Id of the developer portal authentication provider of kind `keycloak`. */
  ssoIntegrationId: number;
  /** The realm URL given to 3scale as `site` (`sso.keycloak` output `issuer`). */
  realmUrl: string;
  autoApprove: boolean;
}

/** Outputs of `portal.content` (contracts-s2.md): the paths of the pages uploaded, e.g. `['/', '/keys', '/examples']`. */
export interface PortalContentOutputs {
  pages: string[];
}

/** The step id of a model's product step. */
export function productStepId(short: string): string {
  return `threescale.product.${short}`;
}

/** A planned 3scale API call (the body never holds a secret value, only placeholders). */
export function call(method: ApiCall['method'], path: string, body?: Form): ApiCall {
  return { service: '3scale', method, path, ...(body ? { body } : {}) };
}

/**
 * `fetchFn` with `FormData` bodies encoded to bytes first (by the platform's own `Response`).
 * Why: the 3scale client builds multipart bodies (CMS files) with the global `FormData`, which the
 * HTTP layer's fetch (undici 8, not the undici bundled with Node) does not recognise: it would send
 * the text `[object FormData]` as `text/plain`.
 */
export function multipartSafe(fetchFn: typeof fetch): typeof fetch {
  return (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    if (!(init?.body instanceof FormData)) return fetchFn(input, init);
    const encoded = new Response(init.body);
    const headers = new Headers(init.headers);
    headers.set('content-type', encoded.headers.get('content-type') ?? 'multipart/form-data');
    return fetchFn(input, { ...init, headers, body: new Uint8Array(await encoded.arrayBuffer()) });
  }) as typeof fetch;
}

/** A client of the tenant's admin portal (token read from `system-seed` when needed, never stored). */
export function threescaleOf(ctx: StepContext<unknown, Services>): ThreescaleClient {
  const am = apiManagerOf(ctx);
  const services = { kube: ctx.services.kube, http: { ...ctx.services.http, fetch: multipartSafe(ctx.services.http.fetch) } };
  return connectThreescale(services, { namespace: am.namespace, adminUrl: am.adminUrl }, { signal: ctx.signal });
}

/**
 * Outputs of `portal.settings`.
 * @throws UserError `portal.settings-unknown` when that step has not finished.
 */
export function portalSettingsOf(ctx: DefaultsContext): PortalSettingsOutputs {
  const out = ctx.outputs('portal.settings') as PortalSettingsOutputs | undefined;
  if (!out?.developerUrl) {
    throw new UserError('portal.settings-unknown', 'the developer portal settings step (portal.settings) has not finished', { fix: 'run `maas-wizard retry portal.settings` first' });
  }
  return out;
}
