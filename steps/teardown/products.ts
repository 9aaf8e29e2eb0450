/**
 * Teardowns of the per-model 3scale steps (STAGES.md §7 "Per model", §8): `threescale.product.<short>`
 * deletes the model's ActiveDocs, product and backend, found by system name (the application
 * plans, methods, mapping rules, policy chain, limits and applications of a product go with it);
 * `policies.<short>` has nothing of its own.
 *
 * Facts (3scale Account Management API): a backend used by a product cannot be deleted (422
 * "cannot be deleted because it is used by at least one Product"); 3scale deletes a product in
 * the background, so the backend is retried until its usage is gone.
 */
import { connectThreescale } from '../../src/cluster/threescale/connect.js';
import type { ThreescaleClient } from '../../src/cluster/threescale/client.js';
import { ThreescaleFieldError } from '../../src/cluster/threescale/errors.js';
import type { ProbeResult } from '../../src/engine/types.js';
import { activeDocsSystemName } from '../threescale/product-portal.js';
import { defaultSystemName } from '../threescale/product.js';
import { KINDS } from '../threescale/shared.js';
import type { ThreescaleApiManagerOutputs } from '../threescale/shared.js';
import type { Teardown, TeardownContext, TeardownOutcome } from './types.js';

/** How long to wait for 3scale to let the backend go after its product was deleted, in milliseconds. */
export const BACKEND_RELEASE_TIMEOUT_MS = 120_000;

/**
 * A 3scale client for the tenant `threescale.apimanager` recorded; undefined when it recorded none
 * (then nothing could have been made in 3scale) or when its APIManager no longer exists (the
 * tenant went with it, e.g. the namespace was deleted by hand): then everything in 3scale is gone.
 * @throws mapped kube errors of the APIManager read.
 */
export async function threescaleClient(ctx: TeardownContext): Promise<ThreescaleClient | undefined> {
  const am = ctx.outputs('threescale.apimanager') as ThreescaleApiManagerOutputs | undefined;
  if (!am?.adminUrl || !am.namespace) return undefined;
  if (am.apiManager && !(await ctx.services.kube.get(KINDS.apiManager.apiVersion, KINDS.apiManager.kind, am.apiManager, am.namespace))) return undefined;
  return connectThreescale(ctx.services, { namespace: am.namespace, adminUrl: am.adminUrl }, { signal: ctx.signal });
}

/** Why there is no 3scale client (see threescaleClient). */
export const NO_TENANT = 'no APIManager is recorded or it no longer exists: nothing is left in 3scale';

function systemNameOf(ctx: TeardownContext, prefix: string): string {
  const s = ctx.inputs['systemName'];
  return typeof s === 'string' && s !== '' ? s : defaultSystemName(ctx.stepId.slice(prefix.length));
}

/** Deletes the backend, waiting while 3scale still counts it as used by a product being deleted. */
async function deleteBackend(ctx: TeardownContext, api: ThreescaleClient, systemName: string): Promise<TeardownOutcome> {
  const what = `backend ${systemName} (3scale)`;
  const backend = await api.backends.findBySystemName(systemName);
  if (!backend) return { what, result: 'gone' };
  const probe = async (): Promise<ProbeResult<boolean>> => {
    try {
      return { state: 'done', value: await api.backends.delete(backend.id) };
    } catch (err) {
      if (err instanceof ThreescaleFieldError && /used by/i.test(err.message)) return { state: 'pending', currently: 'still used by a product that 3scale is deleting' };
      throw err;
    }
  };
  const deleted = await ctx.waitFor(probe, { what: `3scale to release backend ${systemName}`, timeoutMs: BACKEND_RELEASE_TIMEOUT_MS, intervalMs: 1000 });
  return { what, result: deleted ? 'deleted' : 'gone' };
}

/** `threescale.product.<short>`. */
export const productTeardown: Teardown = {
  describe(ctx) {
    const sys = systemNameOf(ctx, 'threescale.product.');
    return [
      { key: 'activedocs', what: `ActiveDocs ${activeDocsSystemName(sys)} (3scale)` },
      { key: 'product', what: `product ${sys} with its application plans, mapping rules, policy chain and applications (3scale)` },
      { key: 'backend', what: `backend ${sys} (3scale)` },
    ];
  },
  async run(ctx, report) {
    const sys = systemNameOf(ctx, 'threescale.product.');
    const api = await threescaleClient(ctx);
    if (!api) return report({ what: `product ${sys} (3scale)`, result: 'gone', why: NO_TENANT });
    const doc = await api.activeDocs.findBySystemName(activeDocsSystemName(sys));
    report({ what: `ActiveDocs ${activeDocsSystemName(sys)} (3scale)`, result: doc && (await api.activeDocs.delete(doc.id)) ? 'deleted' : 'gone' });
    const service = await api.services.findBySystemName(sys);
    report({ what: `product ${sys} (3scale)`, result: service && (await api.services.delete(service.id)) ? 'deleted' : 'gone' });
    report(await deleteBackend(ctx, api, sys));
  },
};

/** `policies.<short>`: the policy chain and limits live in the product and go with it. */
export const policiesTeardown: Teardown = {
  describe: () => [],
  note: (ctx) => `nothing of its own: the policy chain and the limits go with the product (threescale.product.${ctx.stepId.slice('policies.'.length)})`,
  run: () => Promise.resolve(),
};
