/**
 * What the SSO steps (STAGES.md §6) share: the kinds they write, the outputs of `sso.keycloak`
 * that later SSO steps read (URL, credential Secret, realm), the admin API path helpers used in
 * plans, and a small field diff.
 */
import type { KeycloakTarget } from '../../src/cluster/keycloak.js';
import { UserError } from '../../src/engine/errors.js';
import type { DefaultsContext, FieldDiff } from '../../src/engine/types.js';
import { OLM_KINDS } from '../olm.js';
import { preflightFacts } from '../preflight-facts.js';

/** API versions of the kinds the SSO stage writes (OLM; legacy RH-SSO operator `keycloak.org/v1alpha1`). */
export const KINDS = {
  ...OLM_KINDS,
  keycloak: { apiVersion: 'keycloak.org/v1alpha1', kind: 'Keycloak' },
  keycloakRealm: { apiVersion: 'keycloak.org/v1alpha1', kind: 'KeycloakRealm' },
} as const;

/** The OLM package of Red Hat SSO 7.x (the legacy Keycloak operator). */
export const RHSSO_PACKAGE = 'rhsso-operator';

/** Outputs of `sso.operator`. */
export interface SsoOperatorOutputs {
  namespace: string;
  /** Name of the installed ClusterServiceVersion (`rhsso-operator.7.6.11-opr-003`). */
  csv: string;
  channel: string;
  source: string;
}

/** Outputs of `sso.keycloak`: what the client and identity-provider steps connect with. No secret. */
export interface SsoKeycloakOutputs {
  namespace: string;
  /** Name of the Keycloak CR. */
  keycloak: string;
  /** Keycloak CR `status.externalURL`: the Route's origin, e.g. `https://keycloak-rh-sso.apps.example.com`. */
  url: string;
  /** Keycloak CR `status.credentialSecret`: the Secret with ADMIN_USERNAME / ADMIN_PASSWORD (its name, never its values). */
  credentialSecret: string;
  realm: string;
  /** `<url>/auth/realms/<realm>`: the issuer, and the "site" the 3scale portal's SSO integration takes. */
  issuer: string;
  /** The realm's admin console, `<url>/auth/admin/<realm>/console/`. */
  adminConsole: string;
}

/**
 * The Keycloak that `sso.keycloak` recorded, as a connection target plus the realm.
 * @throws UserError `sso.keycloak-unknown` when `sso.keycloak` has no outputs (not done in this run or a previous one).
 */
export function keycloakOf(ctx: DefaultsContext): KeycloakTarget & { realm: string; outputs: SsoKeycloakOutputs } {
  const out = ctx.outputs('sso.keycloak') as SsoKeycloakOutputs | undefined;
  if (!out?.url || !out.credentialSecret) {
    throw new UserError('sso.keycloak-unknown', 'the Keycloak of the SSO stage is not known yet (step sso.keycloak has not finished)', {
      fix: 'run the step sso.keycloak first (`maas-wizard retry sso.keycloak`)',
    });
  }
  return { url: out.url, credentialSecret: { namespace: out.namespace, name: out.credentialSecret }, realm: out.realm, outputs: out };
}

/** The wildcard domain: preflight's fact, when known. */
export function domainOf(ctx: DefaultsContext): string | undefined {
  return preflightFacts(ctx)?.domain;
}

/** Admin REST API paths of RH-SSO 7.x, as shown in plans and used by `curl` (relative to the Keycloak origin). */
export const adminPath = {
  realm: (realm: string): string => `/auth/admin/realms/${encodeURIComponent(realm)}`,
  clients: (realm: string): string => `${adminPath.realm(realm)}/clients`,
  client: (realm: string, id: string): string => `${adminPath.clients(realm)}/${id}`,
  addModels: (realm: string, id: string): string => `${adminPath.client(realm, id)}/protocol-mappers/add-models`,
  mappers: (realm: string, id: string): string => `${adminPath.client(realm, id)}/protocol-mappers/models`,
  mapper: (realm: string, id: string, mapperId: string): string => `${adminPath.mappers(realm, id)}/${mapperId}`,
  identityProviders: (realm: string): string => `${adminPath.realm(realm)}/identity-provider/instances`,
  identityProvider: (realm: string, alias: string): string => `${adminPath.identityProviders(realm)}/${encodeURIComponent(alias)}`,
};

/** Stands in a plan's path for the internal id of a client that does not exist yet; apply fills it in. */
export function clientIdPlaceholder(clientId: string): string {
  return `<id of client ${clientId}>`;
}

/** Stands in a plan's body for a secret input (never the value); apply fills it in from `ctx.secrets`. */
export function secretPlaceholder(key: string): string {
  return `<from input ${key}>`;
}

/** Deep equality of JSON values; arrays of strings compare as sets (redirect URIs have no order). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.every((x) => typeof x === 'string') && b.every((x) => typeof x === 'string')) {
      const sa = [...new Set(a)].sort();
      const sb = [...new Set(b)].sort();
      return sa.length === sb.length && sa.every((x, i) => x === sb[i]);
    }
    return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a as object);
    const kb = Object.keys(b as object);
    return ka.length === kb.length && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

/**
 * The fields of `wanted` whose value differs in `current` (nested objects compared key by key,
 * so keys the server adds are ignored). `prefix` starts the dotted path.
 */
export function fieldDiff(current: Record<string, unknown> | undefined, wanted: Record<string, unknown>, prefix = ''): FieldDiff[] {
  const out: FieldDiff[] = [];
  for (const [k, to] of Object.entries(wanted)) {
    const from = current?.[k];
    const path = `${prefix}${k}`;
    if (to && typeof to === 'object' && !Array.isArray(to)) {
      out.push(...fieldDiff(from && typeof from === 'object' ? (from as Record<string, unknown>) : undefined, to as Record<string, unknown>, `${path}.`));
    } else if (!sameValue(from, to)) {
      out.push({ path, from, to });
    }
  }
  return out;
}
