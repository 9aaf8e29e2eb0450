/**
 * Step `verify` (STAGES.md §10, FIELD-CASES C11, C16): the end-to-end check. A throwaway developer
 * account (`maas-wizard-check`) gets one application per served product; through each production
 * gateway: no key → 403, `Authorization: Bearer <key>` → `GET /v1/models` 200 and one small real
 * request, a CORS preflight → 2xx with Access-Control-Allow-Origin, with limits a short burst →
 * 429, and the hits in the application's usage statistics; then the developer portal pages, its
 * SSO login, the realm's discovery document and the client's redirect URIs. The checks run in
 * `verify` right after `apply` (which creates the account and the applications the plan lists);
 * a resume or a second run keeps a passed result (the check writes), `maas-wizard verify` runs
 * it again. The account is removed afterwards unless `keepTestAccount`.
 * Keys stay in memory: outputs, logs and plans never carry one (at most `abcd…`).
 */
import { z } from 'zod';
import type { Services } from '../../src/cluster/services.js';
import { connectThreescale } from '../../src/cluster/threescale/connect.js';
import type { ThreescaleClient } from '../../src/cluster/threescale/client.js';
import { messageOf } from '../../src/engine/errors.js';
import type { Change, Step, StepContext } from '../../src/engine/types.js';
import type { CatalogEntry } from '../import/catalog.js';
import { keycloakOf } from '../sso/shared.js';
import { apiManagerOf } from '../threescale/shared.js';
import { CHECK_ACCOUNT, deleteCheckAccount, ensureAccount, planAccount } from './account.js';
import { CheckLog, VerifyFailedError, maskKey, publicCheck } from './checks.js';
import { checkGateway } from './gateway.js';
import { checkPortal } from './portal.js';
import type { PortalTarget } from './portal.js';
import { limitsOf, portalPagesOf, productOf, stringOutput } from './types.js';
import type { ServedProduct, VerifyOutputs } from './types.js';
import { checkUsage } from './usage.js';

export type { VerifyCheck, VerifyOutputs } from './types.js';
export { VerifyFailedError, formatCheck } from './checks.js';
export { CHECK_ACCOUNT } from './account.js';

/** Inputs: keep the throwaway account (`--keep-test-account`); requests of the 429 burst (default: smallest limit + 5). */
export const verifyInputs = z.object({
  keepTestAccount: z.boolean().default(false),
  burst: z.number().int().min(1).max(1000).optional(),
});
type Inputs = z.infer<typeof verifyInputs>;
type Ctx = StepContext<Inputs, Services>;

/** Applications `apply` created, per run (keyed by the run's signal), so `verify` reuses rather than replaces them. */
const createdInRun = new WeakMap<AbortSignal, Set<number>>();

function threescale(ctx: Ctx): ThreescaleClient {
  const am = apiManagerOf(ctx);
  return connectThreescale(ctx.services, { namespace: am.namespace, adminUrl: am.adminUrl }, { signal: ctx.signal });
}

/** The served products of `models` with their catalog entries (models not served are left out). */
function servedOf(ctx: Ctx, models: CatalogEntry[]): { product: ServedProduct; entry: CatalogEntry }[] {
  const out: { product: ServedProduct; entry: CatalogEntry }[] = [];
  for (const entry of models) {
    const product = productOf(ctx, entry.name);
    if (product) out.push({ product, entry });
  }
  return out;
}

/** Where the portal checks look: developer portal, pages, realm, client and Keycloak admin credentials. */
function portalTarget(ctx: Ctx): PortalTarget {
  let keycloak: ReturnType<typeof keycloakOf> | undefined;
  try {
    keycloak = keycloakOf(ctx);
  } catch {
    keycloak = undefined;
  }
  const issuer = stringOutput(ctx, 'portal.settings', 'realmUrl') ?? keycloak?.outputs.issuer ?? stringOutput(ctx, 'sso.client', 'issuer') ?? '';
  return {
    developerUrl: stringOutput(ctx, 'portal.settings', 'developerUrl') ?? apiManagerOf(ctx).developerUrl,
    pages: portalPagesOf(ctx),
    issuer: issuer.replace(/\/+$/, ''),
    realm: keycloak?.realm ?? issuer.split('/').pop() ?? '',
    clientId: stringOutput(ctx, 'sso.client', 'clientId') ?? '3scale',
    ...(keycloak ? { keycloak: { url: keycloak.url, credentialSecret: keycloak.credentialSecret } } : {}),
  };
}

/** Runs every check; removes the account unless kept; throws VerifyFailedError when any failed. */
async function runChecks(ctx: Ctx, models: CatalogEntry[]): Promise<VerifyOutputs> {
  const served = servedOf(ctx, models);
  const client = threescale(ctx);
  const keys: string[] = [];
  const log = new CheckLog((line) => ctx.log(line), () => keys);
  try {
    if (served.length === 0) ctx.log('no model is served: the gateway checks are skipped');
    else {
      const kept = createdInRun.get(ctx.signal);
      const { applications } = await ensureAccount(client, served.map((s) => s.product), { fresh: true, ...(kept ? { keep: kept } : {}) });
      let i = 0;
      for (const { product, entry } of served) {
        ctx.progress({ message: `checking the gateway of ${product.model}`, fraction: i++ / (served.length + 1), item: product.model });
        const app = applications.get(product.serviceId);
        const key = app?.user_key;
        if (!app || !key) {
          log.add({ model: product.model, what: `${product.model}: an application with an API key`, expected: 'a user_key', got: 'none (is the product on API key authentication?)', ok: false, owner: { step: `threescale.product.${product.model}`, advice: 'the product must use API key authentication (backend_version 1)' } });
          continue;
        }
        keys.push(key);
        ctx.log(`${product.model}: application ${app.id} of ${CHECK_ACCOUNT.orgName}, key ${maskKey(key)}`);
        const { authorised } = await checkGateway(log, ctx.services.http.fetch, { product, key, runtime: entry.runtime, limits: limitsOf(ctx, entry.name), ...(ctx.inputs.burst ? { burst: ctx.inputs.burst } : {}) }, ctx.signal);
        if (authorised > 0) await checkUsage(log, client, ctx.waitFor, { product, applicationId: app.id, expected: authorised });
      }
    }
    ctx.progress({ message: 'checking the developer portal and sign-in', fraction: served.length / (served.length + 1) });
    await checkPortal(log, ctx.services, portalTarget(ctx), ctx.signal);
  } finally {
    if (!ctx.inputs.keepTestAccount && !ctx.signal.aborted) {
      try {
        if (await deleteCheckAccount(client)) ctx.log(`removed the developer account ${CHECK_ACCOUNT.orgName}`);
      } catch (err) {
        ctx.log(`could not remove the developer account ${CHECK_ACCOUNT.orgName}: ${messageOf(err)} (remove it in the admin portal)`);
      }
    }
  }
  if (log.failed().length > 0) throw new VerifyFailedError(log.checks);
  return { checks: log.checks.map(publicCheck), ...(ctx.inputs.keepTestAccount ? { keptAccount: CHECK_ACCOUNT.orgName } : {}) };
}

/**
 * The `verify` step for `models` (catalog entries; the ones not served are skipped). Needs every
 * `policies.<short>` and `portal.content`.
 */
export function verifyStep(models: CatalogEntry[]): Step<Inputs, VerifyOutputs, Services> {
  return {
    id: 'verify',
    stage: 'verify',
    title: 'End-to-end check',
    needs: [...models.map((m) => `policies.${m.name}`), 'portal.content'],
    inputs: verifyInputs,
    fields: [
      { key: 'keepTestAccount', label: 'Keep the test account', kind: 'confirm', flag: '--keep-test-account', help: `Keep the developer account ${CHECK_ACCOUNT.orgName} and its applications after the check (default: removed).` },
      { key: 'burst', label: 'Requests of the rate-limit burst', kind: 'number', help: 'How many requests to send to trip the plan\'s rate limit (default: the smallest limit + 5; no burst without limits).' },
    ],
    async plan(ctx) {
      const served = servedOf(ctx, models).map((s) => s.product);
      const changes: Change[] = served.length > 0 ? await planAccount(threescale(ctx), served) : [];
      if (served.length > 0 && !ctx.inputs.keepTestAccount) {
        changes.push({ action: 'delete', target: `developer account ${CHECK_ACCOUNT.orgName}`, note: 'after the checks (--keep-test-account keeps it)' });
      }
      return changes;
    },
    async apply(ctx, plan) {
      if (!plan.some((c) => c.action === 'create')) return;
      const served = servedOf(ctx, models).map((s) => s.product);
      const { applications } = await ensureAccount(threescale(ctx), served, { fresh: true });
      createdInRun.set(ctx.signal, new Set([...applications.values()].map((a) => a.id)));
    },
    // Recorded done with every check passed (a resume, a second run): the saved result stands, since
    // the check itself writes (account, applications, hits) and a second run must change nothing;
    // `maas-wizard verify` runs it again. Right after apply the engine has dropped the saved outputs.
    async verify(ctx) {
      const saved = ctx.outputs('verify') as VerifyOutputs | undefined;
      if (saved?.checks?.length && saved.checks.every((c) => c.ok)) {
        ctx.log(`the end-to-end check passed earlier (${saved.checks.length} checks); \`maas-wizard verify\` runs it again`);
        return saved;
      }
      return runChecks(ctx, models);
    },
    async destroy(ctx) {
      await deleteCheckAccount(threescale(ctx));
    },
    explain: {
      what: `Checks the whole setup as a developer would use it: a throwaway developer account (${CHECK_ACCOUNT.orgName}) with one application per model, requests through each production gateway (no key, a key, a real request, a browser preflight, a burst over the rate limit), the hits in the usage statistics, the developer portal and its Red Hat SSO login.`,
      why: 'Each stage verifies its own part; only a request through the gateway shows that they fit together (Bearer handling, policy order, limits, mapping rules, the model behind it).',
      commands: [
        'curl -i https://<product>-maas-apicast-production.<domain>/v1/models',
        'curl -i -H "Authorization: Bearer <key>" https://<product>-maas-apicast-production.<domain>/v1/models',
        'curl -i -X OPTIONS -H "Origin: https://example.com" -H "Access-Control-Request-Method: POST" https://<product>-maas-apicast-production.<domain>/v1/chat/completions',
        'curl "https://maas-admin.<domain>/stats/applications/<id>/usage.json?metric_name=hits&period=day&access_token=<token>"',
      ],
    },
  };
}
