/**
 * Teardowns of the SSO stage (STAGES.md §6): the identity provider and the client `3scale` through
 * the Keycloak admin API (admin credentials read from the Secret that Keycloak CR
 * `status.credentialSecret` names, in memory only: src/cluster/keycloak.ts), then the KeycloakRealm
 * and Keycloak CRs (the realm first: the legacy operator's finalizer removes the realm from the
 * running Keycloak), then, asked, the operator and the namespace.
 */
import { connectKeycloak, kcCall, keycloakStatusOf } from '../../src/cluster/keycloak.js';
import type { KeycloakConnection } from '../../src/cluster/keycloak.js';
import type { ProbeResult } from '../../src/engine/types.js';
import { DEFAULT_NAMESPACES } from '../preflight-facts.js';
import { KINDS, RHSSO_PACKAGE } from '../sso/shared.js';
import type { SsoKeycloakOutputs } from '../sso/shared.js';
import { deleteObject, objectLabel } from './kube.js';
import { operatorItems, removeOperator } from './olm.js';
import type { Teardown, TeardownContext, TeardownOutcome } from './types.js';

const NO_KEYCLOAK = 'no Keycloak is recorded or it no longer exists: its realm went with it';

/** How long to wait for the operator to let a KeycloakRealm go (finalizer), in milliseconds. */
export const REALM_GONE_TIMEOUT_MS = 120_000;

function ssoNamespace(ctx: TeardownContext): string {
  const out = ctx.outputs('sso.operator')?.['namespace'];
  const saved = ctx.inputsOf('sso.operator')?.['namespace'];
  return typeof out === 'string' ? out : typeof saved === 'string' ? saved : DEFAULT_NAMESPACES.sso;
}

/**
 * The admin connection and realm of the recorded Keycloak; undefined when `sso.keycloak` recorded
 * none or its Keycloak CR no longer exists (then its realm and clients are gone with it).
 */
async function keycloak(ctx: TeardownContext): Promise<{ conn: KeycloakConnection; realm: string } | undefined> {
  const out = ctx.outputs('sso.keycloak') as SsoKeycloakOutputs | undefined;
  if (!out?.url || !out.credentialSecret) return undefined;
  if (out.keycloak && !(await ctx.services.kube.get(KINDS.keycloak.apiVersion, KINDS.keycloak.kind, out.keycloak, out.namespace))) return undefined;
  const conn = await connectKeycloak(ctx.services, { url: out.url, credentialSecret: { namespace: out.namespace, name: out.credentialSecret } });
  return { conn, realm: out.realm };
}

/** Runs a Keycloak delete; false when it answered 404 (already gone). */
async function kcDelete(conn: KeycloakConnection, doing: string, call: () => Promise<unknown>): Promise<boolean> {
  try {
    await kcCall(conn, doing, call);
    return true;
  } catch (err) {
    let e: unknown = err;
    for (let i = 0; i < 5 && e; i++) {
      if (keycloakStatusOf(e)?.status === 404 || (e as { status?: number }).status === 404) return false;
      e = (e as { cause?: unknown }).cause;
    }
    throw err;
  }
}

function aliasOf(ctx: TeardownContext): string | undefined {
  const provider = ctx.inputs['provider'];
  if (typeof provider !== 'string' || provider === 'none') return undefined;
  const alias = ctx.inputs['alias'];
  return typeof alias === 'string' && alias !== '' ? alias : provider;
}

/** `sso.identity-provider`. */
export const identityProviderTeardown: Teardown = {
  note: (ctx) => (aliasOf(ctx) ? undefined : 'nothing to delete: no identity provider was chosen'),
  describe(ctx) {
    const alias = aliasOf(ctx);
    return alias ? [{ key: 'idp', what: `identity provider ${alias} of the realm (Keycloak)` }] : [];
  },
  async run(ctx, report) {
    const alias = aliasOf(ctx);
    if (!alias) return;
    const what = `identity provider ${alias} (Keycloak)`;
    const kc = await keycloak(ctx);
    if (!kc) return report({ what, result: 'gone', why: NO_KEYCLOAK });
    const found = await kcDelete(kc.conn, `delete identity provider ${alias}`, () => kc.conn.admin.identityProviders.del({ realm: kc.realm, alias }));
    report({ what, result: found ? 'deleted' : 'gone' });
  },
};

/** `sso.client`: the client (default `3scale`), its protocol mappers and secret with it. */
export const clientTeardown: Teardown = {
  describe(ctx) {
    return [{ key: 'client', what: `client ${String(ctx.inputs['clientId'] ?? '3scale')} of the realm, with its protocol mappers (Keycloak)` }];
  },
  async run(ctx, report) {
    const clientId = String(ctx.inputs['clientId'] ?? '3scale');
    const what = `client ${clientId} (Keycloak)`;
    const kc = await keycloak(ctx);
    if (!kc) return report({ what, result: 'gone', why: NO_KEYCLOAK });
    const { conn, realm } = kc;
    const found = await kcCall(conn, `find client ${clientId} in realm ${realm}`, () => conn.admin.clients.find({ realm, clientId }));
    let deleted = false;
    for (const c of found) {
      if (c.id && (await kcDelete(conn, `delete client ${clientId}`, () => conn.admin.clients.del({ realm, id: c.id as string })))) deleted = true;
    }
    report({ what, result: deleted ? 'deleted' : 'gone' });
  },
};

/** `sso.keycloak`: KeycloakRealm, then Keycloak. */
export const keycloakTeardown: Teardown = {
  describe(ctx) {
    const ns = ssoNamespace(ctx);
    return [
      { key: 'realm', what: `KeycloakRealm ${ns}/${String(ctx.inputs['realm'] ?? 'maas')} (the realm, its users and clients)` },
      { key: 'keycloak', what: `Keycloak ${ns}/${String(ctx.inputs['name'] ?? 'rh-sso')} (the Red Hat SSO server and its database)` },
    ];
  },
  async run(ctx, report) {
    const ns = ssoNamespace(ctx);
    const { kube } = ctx.services;
    const realm = { ...KINDS.keycloakRealm, name: String(ctx.inputs['realm'] ?? 'maas'), namespace: ns };
    const outcome: TeardownOutcome = await deleteObject(ctx, realm);
    if (outcome.result === 'deleted') {
      const probe = async (): Promise<ProbeResult<true>> =>
        (await kube.get(realm.apiVersion, realm.kind, realm.name, ns)) ? { state: 'pending', currently: 'the operator has not removed it yet (finalizer)' } : { state: 'done', value: true };
      await ctx.waitFor(probe, { what: `${objectLabel(realm)} to be gone`, timeoutMs: REALM_GONE_TIMEOUT_MS, intervalMs: 1000 });
    }
    report(outcome);
    report(await deleteObject(ctx, { ...KINDS.keycloak, name: String(ctx.inputs['name'] ?? 'rh-sso'), namespace: ns }));
  },
};

/** `sso.operator`: asked. */
export const ssoOperatorTeardown: Teardown = {
  describe: (ctx) => operatorItems(RHSSO_PACKAGE, ssoNamespace(ctx)),
  async run(ctx, report) {
    const csv = ctx.outputs('sso.operator')?.['csv'];
    await removeOperator(ctx, RHSSO_PACKAGE, ssoNamespace(ctx), typeof csv === 'string' ? csv : undefined, report);
  },
};
