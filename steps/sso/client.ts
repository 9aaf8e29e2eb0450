/**
 * Step `sso.client` (STAGES.md §6, FIELD-CASES C8): client `3scale` in the realm, through the
 * Keycloak admin API: found by clientId, created when absent, otherwise only the fields that
 * differ are written; mappers "email verified" (built-in, via add-models) and `org_name`, found
 * by name and updated rather than duplicated. The client secret is only checked to be readable
 * here; later steps read it with `readClientSecret` and keep it in memory.
 */
import type ClientRepresentation from '@keycloak/keycloak-admin-client/lib/defs/clientRepresentation.js';
import type ProtocolMapperRepresentation from '@keycloak/keycloak-admin-client/lib/defs/protocolMapperRepresentation.js';
import { z } from 'zod';
import { connectKeycloak, kcCall, readClientSecret } from '../../src/cluster/keycloak.js';
import type { KeycloakConnection } from '../../src/cluster/keycloak.js';
import type { Services } from '../../src/cluster/services.js';
import { UserError } from '../../src/engine/errors.js';
import type { Step, StepContext } from '../../src/engine/types.js';
import { applyKeycloakCalls } from './calls.js';
import { diagnoseKeycloak } from './diagnose.js';
import { WANTED_MAPPERS, clientDiff, mapperDiff, planClient, wantedClient } from './client-model.js';
import { domainOf, keycloakOf } from './shared.js';
import type { SsoKeycloakOutputs } from './shared.js';

/** True for `*` or an absolute http(s) URL (a trailing `/*` wildcard allowed), as redirect URIs are written. */
function isRedirectUri(v: string): boolean {
  if (v === '*') return true;
  try {
    const u = new URL(v.replace(/\*$/, 'x'));
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/** Splits the comma- or space-separated list of redirect URIs. */
export function splitUris(value: string): string[] {
  return value.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
}

/** Inputs: the clientId and the redirect URIs (default: the developer portal, `https://maas.<domain>/*`). */
export const clientInputs = z.object({
  clientId: z.string().min(1).default('3scale'),
  redirectUris: z
    .string({ error: 'needed: the developer portal URL, e.g. https://maas.apps.example.com/*' })
    .refine((v) => splitUris(v).length > 0 && splitUris(v).every(isRedirectUri), {
      message: 'a comma-separated list of https:// URLs (a trailing /* allowed), or * to allow any (not recommended)',
    }),
});
type Inputs = z.infer<typeof clientInputs>;

/** Outputs of `sso.client` (no secret: later steps call `readClientSecret`). */
export interface SsoClientOutputs {
  realm: string;
  clientId: string;
  redirectUris: string[];
  mappers: string[];
  /** The realm URL the 3scale portal's SSO integration takes as "site". */
  issuer: string;
}

/** The 3scale tenant name whose developer portal is `https://<tenant>.<domain>` (STAGES.md §7: `maas`). */
export const DEFAULT_TENANT = 'maas';

/** The client as read (with id) and its mappers; undefined client when absent. */
async function readClient(conn: KeycloakConnection, realm: string, clientId: string): Promise<{ client: (ClientRepresentation & { id: string }) | undefined; mappers: ProtocolMapperRepresentation[] }> {
  const found = await kcCall(conn, `find client ${clientId} in realm ${realm}`, () => conn.admin.clients.find({ realm, clientId }));
  const client = found.find((c) => c.clientId === clientId);
  if (!client?.id) return { client: undefined, mappers: [] };
  const id = client.id;
  const mappers = await kcCall(conn, `list the protocol mappers of client ${clientId}`, () => conn.admin.clients.listProtocolMappers({ realm, id }));
  return { client: { ...client, id }, mappers };
}

function connect(ctx: StepContext<Inputs, Services>): Promise<KeycloakConnection> {
  return connectKeycloak(ctx.services, keycloakOf(ctx));
}

/** The `sso.client` step. */
export const ssoClientStep: Step<Inputs, SsoClientOutputs, Services> = {
  id: 'sso.client',
  stage: 'sso',
  title: 'Create the SSO client for 3scale',
  needs: ['sso.keycloak'],
  inputs: clientInputs,
  fields: [
    { key: 'clientId', label: 'Client id', kind: 'text', help: 'The OpenID Connect client the developer portal signs in with.' },
    { key: 'redirectUris', label: 'Redirect URIs', kind: 'text', help: 'Where Keycloak may send people back after sign-in: the developer portal. Comma-separated; * allows any site (not recommended).' },
  ],
  defaults(ctx) {
    const domain = domainOf(ctx);
    return domain ? { redirectUris: `https://${DEFAULT_TENANT}.${domain}/*` } : {};
  },
  async plan(ctx) {
    const { realm } = keycloakOf(ctx);
    const conn = await connect(ctx);
    const { client, mappers } = await readClient(conn, realm, ctx.inputs.clientId);
    return planClient(realm, wantedClient(ctx.inputs.clientId, splitUris(ctx.inputs.redirectUris)), client, mappers);
  },
  async apply(ctx, plan) {
    const conn = await connect(ctx);
    await applyKeycloakCalls(conn, plan, { log: ctx.log });
  },
  async verify(ctx) {
    const kc = keycloakOf(ctx);
    const { realm } = kc;
    const { clientId } = ctx.inputs;
    const conn = await connect(ctx);
    const { client, mappers } = await readClient(conn, realm, clientId);
    if (!client) throw new UserError('sso.client-missing', `realm ${realm} has no client ${clientId}`, { fix: 'run the step sso.client again' });
    const wanted = wantedClient(clientId, splitUris(ctx.inputs.redirectUris));
    const problems = clientDiff(client, wanted).map((d) => `${d.path} is ${JSON.stringify(d.from)}, not ${JSON.stringify(d.to)}`);
    for (const { mapper } of WANTED_MAPPERS) {
      const found = mappers.filter((m) => m.name === mapper.name);
      if (found.length !== 1) problems.push(`${found.length} protocol mappers named "${mapper.name ?? ''}" (expected 1)`);
      else problems.push(...mapperDiff(found[0], mapper).map((d) => `mapper "${mapper.name ?? ''}" ${d.path} is ${JSON.stringify(d.from)}, not ${JSON.stringify(d.to)}`));
    }
    if (problems.length > 0) {
      throw new UserError('sso.client-drift', `client ${clientId} in realm ${realm} differs from the plan: ${problems.join('; ')}`, { fix: 'run the step sso.client again (it writes only what differs)' });
    }
    // The secret must be readable for the portal stage; it is not kept.
    await readClientSecret(ctx.services, { ...kc, clientId }, conn);
    return { realm, clientId, redirectUris: wanted.redirectUris ?? [], mappers: WANTED_MAPPERS.map((m) => m.mapper.name ?? ''), issuer: kc.outputs.issuer };
  },
  async diagnose(ctx, error) {
    const kc = ctx.outputs('sso.keycloak') as SsoKeycloakOutputs | undefined;
    return diagnoseKeycloak(error, kc?.namespace ?? 'rh-sso', kc?.keycloak ?? 'rh-sso');
  },
  explain: {
    what: 'Creates (or corrects) the confidential OpenID Connect client 3scale in the realm, with redirect URIs limited to the developer portal, and the protocol mappers "email verified" and org_name.',
    why: '3scale\'s developer portal signs people in through this client; org_name (the email) gives every person their own 3scale account. A second run reads first and writes only what differs, so mappers are never duplicated.',
    commands: [
      'TOKEN=$(curl -s -d grant_type=password -d client_id=admin-cli -d username=admin -d "password=$(oc get secret credential-rh-sso -n rh-sso -o jsonpath={.data.ADMIN_PASSWORD} | base64 -d)" https://keycloak-rh-sso.<domain>/auth/realms/master/protocol/openid-connect/token | jq -r .access_token)',
      'curl -s -H "Authorization: Bearer $TOKEN" "https://keycloak-rh-sso.<domain>/auth/admin/realms/maas/clients?clientId=3scale"',
      'curl -s -X POST -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" https://keycloak-rh-sso.<domain>/auth/admin/realms/maas/clients -d \'{"clientId":"3scale","protocol":"openid-connect","publicClient":false,"standardFlowEnabled":true,"implicitFlowEnabled":false,"directAccessGrantsEnabled":false,"serviceAccountsEnabled":false,"redirectUris":["https://maas.<domain>/*"]}\'',
      'curl -s -X POST -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" https://keycloak-rh-sso.<domain>/auth/admin/realms/maas/clients/<id>/protocol-mappers/models -d \'{"name":"org_name","protocol":"openid-connect","protocolMapper":"oidc-usermodel-attribute-mapper","config":{"user.attribute":"email","claim.name":"org_name","jsonType.label":"String","id.token.claim":"true","access.token.claim":"true","userinfo.token.claim":"true"}}\'',
    ],
  },
};
