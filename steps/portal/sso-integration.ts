/**
 * The developer portal's Red Hat SSO integration (STAGES.md §9): a developer-portal
 * authentication provider of kind `keycloak` (3scale AM API "Authentication Provider Developer
 * Portal Create/Update", 3SCALE_OPERATIONS.md #13, #13b) with the realm URL as `site`, the client
 * `3scale` and its secret, published, accounts approved automatically.
 *
 * The client secret is read from Keycloak when needed and kept in memory only: plans carry the
 * placeholder `<secret from Keycloak client 3scale>`, which `fillSecret` replaces just before the
 * request. It is compared with what 3scale holds without being stored; when 3scale does not show
 * it back, only the other fields decide, and an update always sends it again.
 */
import type { Form } from '../../src/cluster/threescale/http.js';
import type { AuthProvider } from '../../src/cluster/threescale/types.js';
import type { Change, FieldDiff } from '../../src/engine/types.js';
import { AM, call } from './shared.js';

/** The placeholder standing for the client secret in plans. */
export function secretPlaceholder(clientId: string): string {
  return `<secret from Keycloak client ${clientId}>`;
}

/** The integration as wanted (no secret). */
export interface WantedIntegration {
  /** System name given at creation (3scale keeps it); an existing `keycloak` provider is adopted whatever its name. */
  systemName: string;
  /** Name shown on the sign-in button. */
  name: string;
  clientId: string;
  /** The realm URL, `https://keycloak-rh-sso.<domain>/auth/realms/maas`. */
  site: string;
  autoApprove: boolean;
  /** `skip_ssl_certificate_verification`: 3scale then accepts any certificate from Keycloak (insecure). */
  skipSslVerification: boolean;
}

/** The developer-portal provider that is ours: same system name, else the first of kind `keycloak`. */
export function findIntegration(providers: AuthProvider[], systemName: string): AuthProvider | undefined {
  return providers.find((p) => p.system_name === systemName) ?? providers.find((p) => p.kind === 'keycloak');
}

/** The fields an update sets (API names, 3SCALE_OPERATIONS.md #13b), the secret as its placeholder. */
function updatable(w: WantedIntegration): Form {
  return {
    client_id: w.clientId,
    client_secret: secretPlaceholder(w.clientId),
    site: w.site,
    published: true,
    automatically_approve_accounts: w.autoApprove,
    skip_ssl_certificate_verification: w.skipSslVerification,
  };
}

/**
 * The change for the integration: create when absent; update (with every updatable field and
 * the secret) when a field or the secret differs; else none.
 * @param secret the client secret read from Keycloak just now (compared, never put in the change).
 */
export function planIntegration(current: AuthProvider | undefined, wanted: WantedIntegration, secret: string): Change {
  const target = `developer portal SSO integration (Red Hat SSO, client ${wanted.clientId})`;
  const warning = wanted.skipSslVerification ? { note: `warning: 3scale will not verify the certificate of ${wanted.site} (skip_ssl_certificate_verification)` } : {};
  if (!current) {
    return {
      action: 'create',
      target,
      call: call('POST', `${AM}/authentication_providers.json`, { kind: 'keycloak', name: wanted.name, system_name: wanted.systemName, ...updatable(wanted) }),
      ...warning,
    };
  }
  const form = updatable(wanted);
  const diff: FieldDiff[] = [];
  for (const key of ['client_id', 'site', 'published', 'automatically_approve_accounts', 'skip_ssl_certificate_verification'] as const) {
    const from = current[key] ?? null;
    if (from !== form[key]) diff.push({ path: key, from, to: form[key] });
  }
  const shown = current['client_secret'];
  if (typeof shown === 'string' && shown !== secret) diff.push({ path: 'client_secret', from: '<differs from Keycloak>', to: secretPlaceholder(wanted.clientId) });
  const label = `${target} (id ${current.id}, ${current.system_name})`;
  if (diff.length === 0) return { action: 'none', target: label, ...warning };
  return { action: 'update', target: label, call: call('PUT', `${AM}/authentication_providers/${current.id}.json`, form), diff, ...warning };
}

/** The form of a planned call with the secret placeholder replaced by `secret` (for the request only). */
export function fillSecret(body: Form, clientId: string, secret: string): Form {
  const placeholder = secretPlaceholder(clientId);
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, v === placeholder ? secret : v]));
}

/**
 * What differs between the provider read back and the wanted one, as sentences (empty: as
 * wanted). The secret is compared when 3scale shows it.
 */
export function integrationProblems(current: AuthProvider | undefined, wanted: WantedIntegration, secret: string): string[] {
  if (!current) return ['no developer portal authentication provider of kind keycloak'];
  const change = planIntegration(current, wanted, secret);
  return (change.diff ?? []).map((d) => (d.path === 'client_secret' ? 'client_secret differs from the secret of the Keycloak client' : `${d.path} is ${JSON.stringify(d.from)}, not ${JSON.stringify(d.to)}`));
}
