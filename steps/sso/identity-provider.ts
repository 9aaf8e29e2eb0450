/**
 * Step `sso.identity-provider` (STAGES.md §6): optionally lets people sign in to the realm with
 * Google, GitHub or any OpenID Connect provider (e.g. Red Hat's). Client id as an input, client
 * secret as a secret input (never stored; Keycloak masks it on read, so it is written only when
 * given), `trustEmail: true` (top level) and `config.syncMode: IMPORT`. After a change, a
 * checkpoint shows the exact redirect URI to register at the provider
 * (`<keycloak>/auth/realms/<realm>/broker/<alias>/endpoint`); unattended runs only log it.
 */
import type IdentityProviderRepresentation from '@keycloak/keycloak-admin-client/lib/defs/identityProviderRepresentation.js';
import { z } from 'zod';
import { connectKeycloak, kcCall, readDiscoveryAt } from '../../src/cluster/keycloak.js';
import type { Services } from '../../src/cluster/services.js';
import { InputError, UserError } from '../../src/engine/errors.js';
import type { Change, Step, StepContext } from '../../src/engine/types.js';
import { applyKeycloakCalls } from './calls.js';
import { diagnoseKeycloak } from './diagnose.js';
import { adminPath, fieldDiff, keycloakOf, secretPlaceholder } from './shared.js';
import type { SsoKeycloakOutputs } from './shared.js';

/** Providers offered; `providerId` is the same word in Keycloak (IdentityProviderRepresentation.providerId). */
export const PROVIDERS = ['none', 'google', 'github', 'oidc'] as const;

function isHttpsUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol === 'https:' && u.hostname !== '';
  } catch {
    return false;
  }
}

/** Inputs: provider (default none), alias (default: the provider), issuer (oidc only) and client id. */
export const identityProviderInputs = z
  .object({
    provider: z.enum(PROVIDERS).default('none'),
    alias: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, "-" and "_" only (it is part of the redirect URI)').optional(),
    /** Checked on its own too (not only with provider oidc), so an answers file with a bad issuer is refused before anything runs. */
    issuer: z.string().refine(isHttpsUrl, 'must be an https:// URL with its scheme (e.g. https://sso.redhat.com/auth/realms/redhat-external)').optional(),
    clientId: z.string().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.provider === 'none') return;
    if (!v.clientId) ctx.addIssue({ code: 'custom', path: ['clientId'], message: `needed for ${v.provider}: the client id the provider issued for this Keycloak` });
    // An issuer that is given but not https:// is refused by the field's own check (one issue, not two).
    if (v.provider === 'oidc' && !v.issuer) {
      ctx.addIssue({ code: 'custom', path: ['issuer'], message: 'needed for oidc: the issuer as an https:// URL (e.g. https://sso.redhat.com/auth/realms/redhat-external)' });
    }
  });
type Inputs = z.infer<typeof identityProviderInputs>;

/** Secret inputs: the provider's client secret, in memory only. */
export const identityProviderSecrets = z.object({ clientSecret: z.string().min(1).optional() }) as unknown as z.ZodType<Record<string, string>>;

/** Outputs: which provider, and the redirect URI registered at it. */
export interface SsoIdentityProviderOutputs {
  provider: (typeof PROVIDERS)[number];
  alias?: string;
  clientId?: string;
  /** `<keycloak>/auth/realms/<realm>/broker/<alias>/endpoint`. */
  redirectUri?: string;
}

/** Where a person registers the redirect URI, per provider. */
const CONSOLES: Partial<Record<string, string>> = {
  google: 'https://console.cloud.google.com/apis/credentials',
  github: 'https://github.com/settings/developers',
};

function aliasOf(i: Inputs): string {
  return i.alias ?? i.provider;
}

/** The redirect URI (broker endpoint) of an identity provider. */
export function brokerEndpoint(url: string, realm: string, alias: string): string {
  return `${url.replace(/\/+$/, '')}/auth/realms/${encodeURIComponent(realm)}/broker/${encodeURIComponent(alias)}/endpoint`;
}

/** The wanted representation without the secret; for oidc the endpoints come from the issuer's discovery document. */
async function wantedProvider(ctx: StepContext<Inputs, Services>): Promise<IdentityProviderRepresentation> {
  const i = ctx.inputs;
  const config: Record<string, string> = { clientId: i.clientId ?? '', syncMode: 'IMPORT' };
  if (i.provider === 'oidc' && i.issuer) {
    const d = await readDiscoveryAt(ctx.services, i.issuer);
    const str = (k: string): string | undefined => (typeof d[k] === 'string' ? (d[k] as string) : undefined);
    Object.assign(config, {
      issuer: d.issuer,
      authorizationUrl: str('authorization_endpoint') ?? '',
      tokenUrl: str('token_endpoint') ?? '',
      ...(str('userinfo_endpoint') ? { userInfoUrl: str('userinfo_endpoint') } : {}),
      ...(str('jwks_uri') ? { jwksUrl: str('jwks_uri'), useJwksUrl: 'true', validateSignature: 'true' } : {}),
      ...(str('end_session_endpoint') ? { logoutUrl: str('end_session_endpoint') } : {}),
      clientAuthMethod: 'client_secret_post',
      defaultScope: 'openid email profile',
    });
  }
  return { alias: aliasOf(i), providerId: i.provider, enabled: true, trustEmail: true, config };
}

/** The `sso.identity-provider` step. */
export const ssoIdentityProviderStep: Step<Inputs, SsoIdentityProviderOutputs, Services> = {
  id: 'sso.identity-provider',
  stage: 'sso',
  title: 'Connect an identity provider',
  needs: ['sso.keycloak'],
  inputs: identityProviderInputs,
  secrets: identityProviderSecrets,
  fields: [
    {
      key: 'provider', label: 'Identity provider', kind: 'select',
      help: 'Lets people sign in with an existing account. "none": they register with email and password in the realm.',
      choices: () => [
        { value: 'none', label: 'None' },
        { value: 'google', label: 'Google' },
        { value: 'github', label: 'GitHub' },
        { value: 'oidc', label: 'OpenID Connect (e.g. Red Hat)', hint: 'needs the issuer URL' },
      ],
    },
    { key: 'issuer', label: 'Issuer URL (OpenID Connect only)', kind: 'text', help: 'https:// URL of the provider; its discovery document gives the endpoints.', when: (v) => v['provider'] === 'oidc' },
    { key: 'clientId', label: 'Client id at the provider', kind: 'text', when: (v) => v['provider'] !== undefined && v['provider'] !== 'none' },
    { key: 'clientSecret', label: 'Client secret at the provider', kind: 'secret', env: 'SSO_IDP_CLIENT_SECRET', help: 'Never stored by the wizard; needed when the provider is created, optional later (Keycloak keeps it).', when: (v) => v['provider'] !== undefined && v['provider'] !== 'none' },
  ],
  async plan(ctx) {
    const i = ctx.inputs;
    const kc = keycloakOf(ctx);
    if (i.provider === 'none') return [{ action: 'none', target: `identity provider of realm ${kc.realm}`, note: 'none chosen: existing providers are left as they are' }];
    const alias = aliasOf(i);
    const target = `identity provider ${alias} (${i.provider}) in realm ${kc.realm}`;
    const wanted = await wantedProvider(ctx);
    const conn = await connectKeycloak(ctx.services, kc);
    const current = await kcCall(conn, `read identity provider ${alias}`, () => conn.admin.identityProviders.findOne({ realm: kc.realm, alias }));
    const secret = ctx.secrets['clientSecret'];
    if (!current) {
      if (!secret) throw new InputError('sso.identity-provider.clientSecret', `needed to create ${target}`, 'set SSO_IDP_CLIENT_SECRET, or run the wizard in a terminal to enter it');
      const body = { ...wanted, config: { ...wanted.config, clientSecret: secretPlaceholder('clientSecret') } };
      return [{ action: 'create', target, call: { service: 'keycloak', method: 'POST', path: adminPath.identityProviders(kc.realm), body }, note: `redirect URI to register at the provider: ${brokerEndpoint(kc.url, kc.realm, alias)}` }];
    }
    if (current.providerId !== i.provider) {
      throw new UserError('sso.idp-alias-taken', `realm ${kc.realm} already has an identity provider ${alias} of type ${current.providerId ?? '?'}`, { fix: `choose another alias, or delete it in the admin console (${kc.outputs.adminConsole})` });
    }
    const { providerId: _p, ...compared } = wanted;
    const diff = fieldDiff(current as Record<string, unknown>, compared as Record<string, unknown>);
    if (secret) diff.push({ path: 'config.clientSecret', from: '<hidden by Keycloak>', to: secretPlaceholder('clientSecret') });
    if (diff.length === 0) return [{ action: 'none', target, note: 'exists as planned (its client secret is kept)' }];
    const body = { ...current, ...wanted, config: { ...current.config, ...wanted.config, ...(secret ? { clientSecret: secretPlaceholder('clientSecret') } : {}) } };
    return [{ action: 'update', target, call: { service: 'keycloak', method: 'PUT', path: adminPath.identityProvider(kc.realm, alias), body }, diff, ...(secret ? { note: 'a given client secret is always written: Keycloak never shows the stored one' } : {}) }];
  },
  async apply(ctx, plan: Change[]) {
    const kc = keycloakOf(ctx);
    if (plan.every((c) => c.action === 'none')) return;
    const conn = await connectKeycloak(ctx.services, kc);
    await applyKeycloakCalls(conn, plan, { secrets: ctx.secrets, log: ctx.log });
    const alias = aliasOf(ctx.inputs);
    const uri = brokerEndpoint(kc.url, kc.realm, alias);
    const body = `At ${ctx.inputs.provider === 'oidc' ? ctx.inputs.issuer ?? 'the provider' : ctx.inputs.provider}, register this redirect URI (also called callback or authorized redirect URL) for client ${ctx.inputs.clientId ?? ''}:\n\n  ${uri}\n\nSign-in through ${alias} fails with "redirect_uri mismatch" until it is registered.`;
    if (ctx.unattended) {
      ctx.log(`register the redirect URI ${uri} at ${ctx.inputs.provider} for client ${ctx.inputs.clientId ?? ''}`);
      return;
    }
    const consoleUrl = CONSOLES[ctx.inputs.provider];
    await ctx.ask({ kind: 'checkpoint', id: 'sso.identity-provider.redirect-uri', title: `Register the redirect URI at ${ctx.inputs.provider}`, body, ...(consoleUrl ? { url: consoleUrl } : {}) });
  },
  async verify(ctx) {
    const i = ctx.inputs;
    if (i.provider === 'none') return { provider: 'none' };
    const kc = keycloakOf(ctx);
    const alias = aliasOf(i);
    const conn = await connectKeycloak(ctx.services, kc);
    const current = await kcCall(conn, `read identity provider ${alias}`, () => conn.admin.identityProviders.findOne({ realm: kc.realm, alias }));
    if (!current) throw new UserError('sso.idp-missing', `realm ${kc.realm} has no identity provider ${alias}`, { fix: 'run the step sso.identity-provider again' });
    const wanted = await wantedProvider(ctx);
    const diff = fieldDiff(current as Record<string, unknown>, wanted as Record<string, unknown>);
    if (diff.length > 0) {
      throw new UserError('sso.idp-drift', `identity provider ${alias} differs from the plan: ${diff.map((d) => `${d.path} is ${JSON.stringify(d.from)}, not ${JSON.stringify(d.to)}`).join('; ')}`, { fix: 'run the step sso.identity-provider again' });
    }
    return { provider: i.provider, alias, clientId: i.clientId ?? '', redirectUri: brokerEndpoint(kc.url, kc.realm, alias) };
  },
  async diagnose(ctx, error) {
    const kc = ctx.outputs('sso.keycloak') as SsoKeycloakOutputs | undefined;
    return diagnoseKeycloak(error, kc?.namespace ?? 'rh-sso', kc?.keycloak ?? 'rh-sso');
  },
  explain: {
    what: 'Adds Google, GitHub or an OpenID Connect provider (e.g. Red Hat) to the realm, trusting its verified emails and importing users on first sign-in; or nothing.',
    why: 'People can then sign in to the developer portal with an account they already have. The provider must know Keycloak\'s redirect URI, which the wizard shows.',
    commands: [
      'curl -s -X POST -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" https://keycloak-rh-sso.<domain>/auth/admin/realms/maas/identity-provider/instances -d \'{"alias":"google","providerId":"google","enabled":true,"trustEmail":true,"config":{"clientId":"<id>","clientSecret":"<secret>","syncMode":"IMPORT"}}\'',
      'echo "redirect URI: https://keycloak-rh-sso.<domain>/auth/realms/maas/broker/google/endpoint"',
    ],
  },
};
