/**
 * Step `portal.settings` (STAGES.md §9): opens the developer portal and signs people in through
 * Red Hat SSO.
 * - Access code: the provider account's `site_access_code` emptied (AM API "Provider Account
 *   Update", `PUT /admin/api/provider.json`, which permits only the e-mails and that field).
 * - SSO: the developer-portal authentication provider of kind `keycloak` (sso-integration.ts),
 *   with the client secret read from Keycloak into memory only.
 * - Usage rules (AM API "Settings Update", `PUT /admin/api/settings.json`, fields as that spec
 *   lists them): developers sign up themselves, are approved automatically (unless asked
 *   otherwise), keep their account area, and change service plans (subscribe) directly. The
 *   default service plan of each product is set by its product step.
 * - TLS: the wizard's own requests to Keycloak and the portal trust the cluster's CA through the
 *   HTTP layer (kubeconfig CA, `--ca-file`); 3scale's `skip_ssl_certificate_verification` is set
 *   only when the input asks for it, with a warning.
 * Read then write: a second run plans nothing and writes nothing.
 */
import { z } from 'zod';
import { readClientSecret } from '../../src/cluster/keycloak.js';
import type { ThreescaleClient } from '../../src/cluster/threescale/client.js';
import type { Form } from '../../src/cluster/threescale/http.js';
import type { Services } from '../../src/cluster/services.js';
import { UserError, userErrorOf } from '../../src/engine/errors.js';
import type { ApiCall, Change, FieldDiff, Step, StepContext } from '../../src/engine/types.js';
import type { SsoClientOutputs } from '../sso/client.js';
import { keycloakOf } from '../sso/shared.js';
import { apiManagerOf } from '../threescale/shared.js';
import { checkPortal } from './check.js';
import { AM, call, threescaleOf } from './shared.js';
import type { PortalSettingsOutputs } from './shared.js';
import { fillSecret, findIntegration, integrationProblems, planIntegration } from './sso-integration.js';
import type { WantedIntegration } from './sso-integration.js';

/** Inputs of `portal.settings`. */
export const settingsInputs = z.object({
  /** Accounts signing in through SSO are approved at once (`automatically_approve_accounts`, and no account approval). */
  autoApprove: z.boolean().default(true),
  /** Insecure: 3scale accepts any certificate from Keycloak (`skip_ssl_certificate_verification`). */
  skipSslVerification: z.boolean().default(false),
  /** Name on the sign-in button. */
  integrationName: z.string().min(1).default('Red Hat Single Sign-On'),
  /** System name of the integration when it is created. */
  systemName: z.string().regex(/^[a-z0-9_-]+$/, 'lower-case letters, digits, _ and - only').default('red_hat_sso'),
});
type Inputs = z.infer<typeof settingsInputs>;
type Ctx = StepContext<Inputs, Services>;

/** The usage rules written to `settings.json` (names from the AM API spec's "Settings Update"). */
export function usageRules(autoApprove: boolean): Record<string, boolean | string> {
  return { signups_enabled: true, account_approval_required: !autoApprove, useraccountarea_enabled: true, change_service_plan_permission: 'direct' };
}

const SKIP_WARNING = 'warning: 3scale will accept any certificate from Keycloak (skip_ssl_certificate_verification): use only for a trial; prefer a trusted route certificate';

/** The wanted integration and the client secret (read from Keycloak now, in memory only). */
async function ssoFacts(ctx: Ctx): Promise<{ wanted: WantedIntegration; secret: string }> {
  const kc = keycloakOf(ctx);
  const clientId = (ctx.outputs('sso.client') as SsoClientOutputs | undefined)?.clientId ?? '3scale';
  let secret: string;
  try {
    secret = await readClientSecret(ctx.services, { url: kc.url, credentialSecret: kc.credentialSecret, realm: kc.realm, clientId });
  } catch (err) {
    const user = userErrorOf(err);
    if (user?.code !== 'keycloak.tls') throw err;
    throw new UserError('portal.keycloak-tls', `${user.message}; the developer portal's SSO integration talks to the same Keycloak`, {
      fix: 'pass --ca-file with the CA that signed the cluster routes (the wizard then trusts it); 3scale itself must trust it too, or, for a trial only, set the input skipSslVerification',
      cause: err,
    });
  }
  const i = ctx.inputs;
  return {
    secret,
    wanted: { systemName: i.systemName, name: i.integrationName, clientId, site: kc.outputs.issuer, autoApprove: i.autoApprove, skipSslVerification: i.skipSslVerification },
  };
}

/** Changes of the access code and the usage rules. */
async function portalChanges(api: ThreescaleClient, autoApprove: boolean): Promise<Change[]> {
  const changes: Change[] = [];
  const provider = await api.provider();
  const code = provider.site_access_code ?? '';
  if (code === '') changes.push({ action: 'none', target: 'developer portal access code', note: 'none: the portal is open' });
  else changes.push({ action: 'update', target: 'developer portal access code', call: call('PUT', `${AM}/provider.json`, { site_access_code: '' }), diff: [{ path: 'site_access_code', from: '<set>', to: '' }] });
  const settings = await api.settings();
  const wanted = usageRules(autoApprove);
  const diff: FieldDiff[] = Object.entries(wanted).filter(([k, v]) => settings[k] !== v).map(([k, v]) => ({ path: k, from: settings[k] ?? null, to: v }));
  if (diff.length === 0) changes.push({ action: 'none', target: 'developer portal usage rules' });
  else changes.push({ action: 'update', target: 'developer portal usage rules', call: call('PUT', `${AM}/settings.json`, Object.fromEntries(diff.map((d) => [d.path, d.to as string | boolean]))), diff });
  return changes;
}

/** The `portal.settings` step. */
export const portalSettingsStep: Step<Inputs, PortalSettingsOutputs, Services> = {
  id: 'portal.settings',
  stage: 'portal',
  title: 'Open the developer portal with Red Hat SSO sign-in',
  needs: ['threescale.base', 'sso.client'],
  inputs: settingsInputs,
  fields: [
    { key: 'autoApprove', label: 'Approve developer accounts automatically', kind: 'confirm', help: 'Default: yes. People who sign in through Red Hat SSO get an account at once; say no to approve each account in the admin portal.' },
    { key: 'skipSslVerification', label: 'Let 3scale skip the Keycloak certificate check (insecure)', kind: 'confirm', help: 'Default: no. Only for a trial cluster whose routes use a self-signed certificate that 3scale does not trust.' },
    { key: 'integrationName', label: 'Name of the sign-in button', kind: 'text' },
    { key: 'systemName', label: 'System name of the SSO integration', kind: 'text', help: 'Used when the integration is created; an existing Red Hat SSO integration is updated whatever its name.' },
  ],
  async plan(ctx) {
    const api = threescaleOf(ctx);
    const changes = await portalChanges(api, ctx.inputs.autoApprove);
    const { wanted, secret } = await ssoFacts(ctx);
    changes.push(planIntegration(findIntegration(await api.authProviders.list(), wanted.systemName), wanted, secret));
    return changes;
  },
  async apply(ctx, plan) {
    const api = threescaleOf(ctx);
    let facts: { wanted: WantedIntegration; secret: string } | undefined;
    if (ctx.inputs.skipSslVerification) ctx.log(SKIP_WARNING);
    for (const change of plan) {
      if (change.action === 'none' || !change.call || change.call.service !== '3scale') continue;
      const { method, path, body } = change.call as ApiCall;
      let form = (body ?? {}) as Form;
      if (Object.values(form).some((v) => typeof v === 'string' && v.startsWith('<secret from Keycloak client '))) {
        facts ??= await ssoFacts(ctx);
        form = fillSecret(form, facts.wanted.clientId, facts.secret);
      }
      await api.http.request(method, path, form);
    }
  },
  async verify(ctx) {
    const api = threescaleOf(ctx);
    const problems = (await portalChanges(api, ctx.inputs.autoApprove)).filter((c) => c.action !== 'none').map((c) => `${c.target}: ${(c.diff ?? []).map((d) => `${d.path} is ${JSON.stringify(d.from)}`).join(', ')}`);
    const { wanted, secret } = await ssoFacts(ctx);
    const current = findIntegration(await api.authProviders.list(), wanted.systemName);
    problems.push(...integrationProblems(current, wanted, secret));
    if (problems.length > 0 || !current) {
      throw new UserError('portal.settings-drift', `the developer portal settings differ from the plan: ${problems.join('; ')}`, { fix: 'run `maas-wizard retry portal.settings`' });
    }
    const developerUrl = apiManagerOf(ctx).developerUrl;
    await checkPortal(ctx.services.http.fetch, developerUrl, wanted.site, wanted.clientId);
    return { developerUrl, ssoIntegrationId: current.id, realmUrl: wanted.site, autoApprove: ctx.inputs.autoApprove };
  },
  explain: {
    what: 'Removes the developer portal access code, adds the Red Hat SSO integration (client 3scale of the realm, its secret read from Keycloak, published, accounts approved automatically) and sets the usage rules so developers sign up and subscribe by themselves.',
    why: 'A new tenant\'s portal is closed behind an access code and has no single sign-on. The client secret is read from Keycloak each time and never written to a file or a log.',
    commands: [
      'curl -s -X PUT "$ADMIN/admin/api/provider.json" -d access_token=$TOKEN -d site_access_code=',
      `SECRET=$(curl -s -H "Authorization: Bearer $KC_TOKEN" "$KEYCLOAK/auth/admin/realms/maas/clients/<id of client 3scale>/client-secret" | jq -r .value)`,
      `curl -s -X POST "$ADMIN/admin/api/authentication_providers.json" -d access_token=$TOKEN -d kind=keycloak -d client_id=3scale -d "client_secret=$SECRET" -d site=$KEYCLOAK/auth/realms/maas -d published=true -d automatically_approve_accounts=true`,
      'curl -s -X PUT "$ADMIN/admin/api/settings.json" -d access_token=$TOKEN -d signups_enabled=true -d account_approval_required=false -d change_service_plan_permission=direct',
    ],
  },
};

