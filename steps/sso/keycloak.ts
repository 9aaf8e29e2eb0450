/**
 * Step `sso.keycloak` (STAGES.md §6, FIELD-CASES C7): the Keycloak CR `rh-sso`
 * (`keycloak.org/v1alpha1`, label `app: rh-sso`, `externalAccess.enabled: true`, `instances: 1`),
 * a wait for `status.ready` (showing `status.phase`: `initialising` → `reconciling`; `failing` is
 * an error), then the KeycloakRealm `maas` (instanceSelector `app: rh-sso`). The legacy operator
 * creates a realm once and ignores later edits of the CR (keycloak/keycloak-operator#453), so the
 * CR is created once and never updated; a changed display name goes through the admin API.
 */
import { z } from 'zod';
import { KubeApiError } from '../../src/cluster/errors.js';
import { connectKeycloak, kcCall, readDiscovery } from '../../src/cluster/keycloak.js';
import type { Services } from '../../src/cluster/services.js';
import { UserError } from '../../src/engine/errors.js';
import type { Change, KubeObject, ProbeResult, Step, StepContext } from '../../src/engine/types.js';
import { DEFAULT_NAMESPACES } from '../preflight-facts.js';
import { applyKeycloakCalls } from './calls.js';
import { diagnoseKeycloak } from './diagnose.js';
import { KINDS, adminPath, fieldDiff } from './shared.js';
import type { SsoKeycloakOutputs, SsoOperatorOutputs } from './shared.js';

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Inputs: the Keycloak CR name, the realm and its display name. The namespace is `sso.operator`'s. */
export const keycloakInputs = z.object({
  name: z.string().default('rh-sso').refine((v) => NAME.test(v) && v.length <= 63, { message: 'must be a lowercase RFC 1123 name (e.g. rh-sso)' }),
  realm: z.string().default('maas').refine((v) => /^[A-Za-z0-9_-]+$/.test(v), { message: 'letters, digits, "-" and "_" only (it is part of every URL of the realm)' }),
  realmDisplayName: z.string().min(1).default('MaaS on RHOAI'),
});
type Inputs = z.infer<typeof keycloakInputs>;

/** Milliseconds Keycloak may take to become ready (2–3 min is usual; a slow start takes ~10). */
export const KEYCLOAK_READY_TIMEOUT_MS = 20 * 60_000;
/** Milliseconds the realm may take once Keycloak is ready (~10 s is usual). */
export const REALM_READY_TIMEOUT_MS = 5 * 60_000;

type KeycloakCr = KubeObject & { spec?: Record<string, unknown>; status?: { ready?: boolean; phase?: string; message?: string; externalURL?: string; credentialSecret?: string } };
type RealmCr = KubeObject & { status?: { ready?: boolean; phase?: string; message?: string } };

function namespaceOf(ctx: StepContext<Inputs, Services>): string {
  return (ctx.outputs('sso.operator') as SsoOperatorOutputs | undefined)?.namespace ?? DEFAULT_NAMESPACES.sso;
}

function keycloakCr(i: Inputs, ns: string): KubeObject {
  return { ...KINDS.keycloak, metadata: { name: i.name, namespace: ns, labels: { app: i.name } }, spec: { externalAccess: { enabled: true }, instances: 1 } };
}

function realmCr(i: Inputs, ns: string): KubeObject {
  return {
    ...KINDS.keycloakRealm,
    metadata: { name: i.realm, namespace: ns },
    spec: { instanceSelector: { matchLabels: { app: i.name } }, realm: { id: i.realm, realm: i.realm, displayName: i.realmDisplayName, enabled: true } },
  };
}

/** Keycloak ready → its URL and credential Secret; `failing` → failed with the operator's message. */
function keycloakReady(cr: KeycloakCr | undefined): ProbeResult<{ url: string; credentialSecret: string }> {
  const st = cr?.status;
  if (!cr) return { state: 'pending', currently: 'Keycloak CR not found' };
  if (st?.phase === 'failing') return { state: 'failed', reason: `the operator reports phase failing: ${st.message || 'no message'}`, fix: `see \`oc describe keycloak ${cr.metadata.name ?? ''} -n ${cr.metadata.namespace ?? ''}\` and the operator's log` };
  if (st?.ready === true && st.externalURL && st.credentialSecret) return { state: 'done', value: { url: st.externalURL, credentialSecret: st.credentialSecret } };
  return { state: 'pending', currently: `phase ${st?.phase ?? 'not reported yet'}${st?.message ? ` (${st.message})` : ''}` };
}

function realmReady(cr: RealmCr | undefined): ProbeResult<true> {
  if (!cr) return { state: 'pending', currently: 'KeycloakRealm CR not found' };
  if (cr.status?.phase === 'failing') return { state: 'failed', reason: `the operator reports phase failing: ${cr.status.message || 'no message'}` };
  if (cr.status?.ready === true) return { state: 'done', value: true };
  return { state: 'pending', currently: `phase ${cr.status?.phase ?? 'not reported yet'}` };
}

async function readKeycloak(ctx: StepContext<Inputs, Services>): Promise<KeycloakCr | undefined> {
  return ctx.services.kube.get<KeycloakCr>(KINDS.keycloak.apiVersion, KINDS.keycloak.kind, ctx.inputs.name, namespaceOf(ctx));
}

/** The `sso.keycloak` step. */
export const ssoKeycloakStep: Step<Inputs, SsoKeycloakOutputs, Services> = {
  id: 'sso.keycloak',
  stage: 'sso',
  title: 'Run Keycloak and create the realm',
  needs: ['sso.operator'],
  inputs: keycloakInputs,
  fields: [
    { key: 'name', label: 'Keycloak name', kind: 'text', help: 'Name of the Keycloak CR; its label app=<name> selects it for the realm.' },
    { key: 'realm', label: 'Realm', kind: 'text', help: 'The realm developers sign in to; part of every SSO URL.' },
    { key: 'realmDisplayName', label: 'Realm display name', kind: 'text', help: 'Shown on the sign-in page.' },
  ],
  async plan(ctx) {
    const { kube } = ctx.services;
    const i = ctx.inputs;
    const ns = namespaceOf(ctx);
    const changes: Change[] = [];
    const kc = await readKeycloak(ctx);
    const wanted = keycloakCr(i, ns);
    if (!kc) changes.push({ action: 'create', target: `Keycloak ${ns}/${i.name}`, manifest: wanted });
    else {
      const diff = fieldDiff(kc as Record<string, unknown>, { metadata: { labels: { app: i.name } }, spec: wanted['spec'] as Record<string, unknown> });
      changes.push(diff.length === 0 ? { action: 'none', target: `Keycloak ${ns}/${i.name}`, note: 'exists as planned' } : { action: 'update', target: `Keycloak ${ns}/${i.name}`, manifest: wanted, diff });
    }
    const realm = await kube.get<RealmCr>(KINDS.keycloakRealm.apiVersion, KINDS.keycloakRealm.kind, i.realm, ns);
    if (!realm) {
      changes.push({ action: 'create', target: `KeycloakRealm ${ns}/${i.realm}`, manifest: realmCr(i, ns), note: 'created once: the operator ignores later edits of this CR (C7)' });
      return changes;
    }
    changes.push({ action: 'none', target: `KeycloakRealm ${ns}/${i.realm}`, note: 'exists; never updated: the operator creates a realm once and ignores edits (C7), so changes go through the admin API' });
    const ready = keycloakReady(kc);
    if (ready.state !== 'done') return changes;
    // C7: the realm's settings are read and written through the admin API, never through the CR.
    const conn = await connectKeycloak(ctx.services, { url: ready.value.url, credentialSecret: { namespace: ns, name: ready.value.credentialSecret } });
    const current = await kcCall(conn, `read realm ${i.realm}`, () => conn.admin.realms.findOne({ realm: i.realm }));
    if (!current) return changes;
    const diff = fieldDiff(current as Record<string, unknown>, { displayName: i.realmDisplayName, enabled: true });
    if (diff.length > 0) {
      changes.push({ action: 'update', target: `realm ${i.realm}`, call: { service: 'keycloak', method: 'PUT', path: adminPath.realm(i.realm), body: { realm: i.realm, displayName: i.realmDisplayName, enabled: true } }, diff });
    }
    return changes;
  },
  async apply(ctx, plan) {
    const { kube } = ctx.services;
    const ns = namespaceOf(ctx);
    const i = ctx.inputs;
    for (const c of plan) {
      if (c.action === 'none' || !c.manifest) continue;
      if (c.action === 'update') {
        await kube.mergePatch({ ...KINDS.keycloak, name: i.name, namespace: ns }, { metadata: { labels: c.manifest.metadata.labels }, spec: c.manifest['spec'] });
        continue;
      }
      try {
        await kube.create(c.manifest);
      } catch (err) {
        // Created meanwhile: adopted (a KeycloakRealm is never updated anyway, C7).
        if (!(err instanceof KubeApiError && err.status === 409)) throw err;
      }
    }
    const ref = { ...KINDS.keycloak, name: i.name, namespace: ns };
    const ready = await kube.waitForObject(ctx.waitFor, ref, (o) => keycloakReady(o as KeycloakCr | undefined), {
      what: `Keycloak ${ns}/${i.name} to be ready`, timeoutMs: KEYCLOAK_READY_TIMEOUT_MS, intervalMs: 1000, maxIntervalMs: 15_000,
    });
    await kube.waitForObject(ctx.waitFor, { ...KINDS.keycloakRealm, name: i.realm, namespace: ns }, (o) => realmReady(o as RealmCr | undefined), {
      what: `realm ${i.realm} (KeycloakRealm ${ns}/${i.realm})`, timeoutMs: REALM_READY_TIMEOUT_MS, intervalMs: 500, maxIntervalMs: 5000,
    });
    if (plan.some((c) => c.call && c.action !== 'none')) {
      const conn = await connectKeycloak(ctx.services, { url: ready.url, credentialSecret: { namespace: ns, name: ready.credentialSecret } });
      await applyKeycloakCalls(conn, plan, { log: ctx.log });
    }
  },
  async verify(ctx) {
    const ns = namespaceOf(ctx);
    const i = ctx.inputs;
    const ready = keycloakReady(await readKeycloak(ctx));
    if (ready.state !== 'done') {
      throw new UserError('sso.keycloak-not-ready', `Keycloak ${ns}/${i.name} is not ready: ${ready.state === 'failed' ? ready.reason : ready.currently}`, { fix: `check \`oc get keycloak ${i.name} -n ${ns} -o yaml\`` });
    }
    // The realm's discovery document answering is what sign-in needs (STAGES.md §6, Verify).
    const discovery = await readDiscovery(ctx.services, ready.value.url, i.realm);
    const url = ready.value.url.replace(/\/+$/, '');
    const issuer = `${url}/auth/realms/${i.realm}`;
    if (discovery.issuer !== issuer) {
      // Keycloak builds the issuer from the request as it sees it; behind a route without forwarded headers it can differ.
      ctx.log(`the realm's discovery document names the issuer ${discovery.issuer}, not ${issuer} (check the Route's TLS termination and Keycloak's proxy settings)`);
    }
    return {
      namespace: ns,
      keycloak: i.name,
      url,
      credentialSecret: ready.value.credentialSecret,
      realm: i.realm,
      issuer,
      adminConsole: `${url}/auth/admin/${i.realm}/console/`,
    };
  },
  async diagnose(ctx, error) {
    return diagnoseKeycloak(error, namespaceOf(ctx), ctx.inputs.name);
  },
  explain: {
    what: 'Creates the Keycloak CR rh-sso (one instance, exposed through a Route) and, once it is ready, the KeycloakRealm maas.',
    why: 'Keycloak is the sign-in of the developer portal. The legacy RH-SSO operator creates a realm once from its CR and ignores later edits, so everything after the realm is done through the admin REST API.',
    commands: [
      'oc apply -f - <<EOF\napiVersion: keycloak.org/v1alpha1\nkind: Keycloak\nmetadata: {name: rh-sso, namespace: rh-sso, labels: {app: rh-sso}}\nspec: {externalAccess: {enabled: true}, instances: 1}\nEOF',
      'oc get keycloak rh-sso -n rh-sso -o jsonpath="{.status.ready} {.status.phase} {.status.externalURL}"',
      'oc apply -f - <<EOF\napiVersion: keycloak.org/v1alpha1\nkind: KeycloakRealm\nmetadata: {name: maas, namespace: rh-sso}\nspec:\n  instanceSelector: {matchLabels: {app: rh-sso}}\n  realm: {id: maas, realm: maas, displayName: MaaS on RHOAI, enabled: true}\nEOF',
      'curl -s https://keycloak-rh-sso.<domain>/auth/realms/maas/.well-known/openid-configuration',
    ],
  },
};
