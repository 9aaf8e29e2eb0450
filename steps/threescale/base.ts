/**
 * Step `threescale.base` (STAGES.md §7): the tenant's sample data. A fresh tenant holds product
 * `API` (system name `api`) with backend `API Backend`, application plans `Basic` (default) and
 * `Unlimited`, ActiveDocs `Echo` and developer account `Developer` (user `john`). The operator
 * reports `Available=True` only while the `API` product's gateway Routes exist, so by default the
 * product is kept but hidden from developers (application plans hidden, its ActiveDocs
 * unpublished) and the sample account is removed; the product and its backend are deleted only
 * when `deleteSampleProduct` is true. Provider name and time zone cannot be set through the API
 * (porta `Admin::Api::ProvidersController#update`): a checkpoint with the admin portal link.
 * Read then write: a second run plans nothing and writes nothing.
 */
import { z } from 'zod';
import { connectThreescale } from '../../src/cluster/threescale/connect.js';
import type { ThreescaleClient } from '../../src/cluster/threescale/client.js';
import { isNotFound } from '../../src/cluster/threescale/errors.js';
import type { Form } from '../../src/cluster/threescale/http.js';
import type { Service } from '../../src/cluster/threescale/types.js';
import type { Services } from '../../src/cluster/services.js';
import { UserError } from '../../src/engine/errors.js';
import type { ApiCall, Change, Step, StepContext } from '../../src/engine/types.js';
import { apiManagerOf } from './shared.js';

/** Inputs: which sample product and account (defaults: the sample data of a fresh tenant), and whether to delete the product. */
export const baseInputs = z.object({
  deleteSampleProduct: z.boolean().default(false),
  sampleProduct: z.string().min(1).default('api'),
  sampleAccount: z.string().min(1).default('Developer'),
});
type Inputs = z.infer<typeof baseInputs>;

/** Outputs of `threescale.base`. */
export interface ThreescaleBaseOutputs {
  /** What became of the sample product: `hidden`, `deleted`, or `absent` (not there to begin with). */
  sampleProduct: 'hidden' | 'deleted' | 'absent';
  /** True when no developer account with the sample's organisation name remains. */
  sampleAccountRemoved: boolean;
  adminUrl: string;
}

const AM = '/admin/api';
const DELETE_WARNING = 'the 3scale operator reports the APIManager Available=True only while this product\'s gateway Routes exist: deleting it turns Available=False (3scale keeps working)';

function call(method: ApiCall['method'], path: string, body?: Form): ApiCall {
  return { service: '3scale', method, path, ...(body ? { body } : {}) };
}

function client(ctx: StepContext<Inputs, Services>): ThreescaleClient {
  const am = apiManagerOf(ctx);
  return connectThreescale(ctx.services, { namespace: am.namespace, adminUrl: am.adminUrl }, { signal: ctx.signal });
}

/** Where the provider name and time zone are edited in the admin portal (Account Settings → Overview → Edit). */
export function accountSettingsUrl(adminUrl: string): string {
  return `${adminUrl}/p/admin/account/edit`;
}

/** Changes that hide the product from developers: hide every visible application plan, unpublish its ActiveDocs. */
async function hideChanges(api: ThreescaleClient, product: Service): Promise<Change[]> {
  const changes: Change[] = [];
  for (const plan of await api.applicationPlans(product.id).list()) {
    const target = `application plan ${plan.name} of product ${product.name}`;
    if (plan.state === 'hidden') changes.push({ action: 'none', target, note: 'hidden' });
    else changes.push({ action: 'update', target, call: call('PUT', `${AM}/services/${product.id}/application_plans/${plan.id}.json`, { state_event: 'hide' }), diff: [{ path: 'state', from: plan.state, to: 'hidden' }] });
    if (plan.default) {
      changes.push({ action: 'none', target: `default application plan of product ${product.name}`, note: `${plan.name} stays the default: the API cannot clear a default plan (hidden, it is not offered; clear it in the admin portal if wanted)` });
    }
  }
  for (const doc of (await api.activeDocs.list()).filter((d) => d.service_id === product.id)) {
    const target = `ActiveDocs ${doc.name} of product ${product.name}`;
    if (!doc.published) changes.push({ action: 'none', target, note: 'unpublished' });
    else changes.push({ action: 'update', target, call: call('PUT', `${AM}/active_docs/${doc.id}.json`, { published: false }), diff: [{ path: 'published', from: true, to: false }] });
  }
  return changes;
}

/** Changes that delete the product, its ActiveDocs and the backends no other product uses. */
async function deleteChanges(api: ThreescaleClient, product: Service): Promise<Change[]> {
  const changes: Change[] = [];
  for (const doc of (await api.activeDocs.list()).filter((d) => d.service_id === product.id)) {
    changes.push({ action: 'delete', target: `ActiveDocs ${doc.name}`, call: call('DELETE', `${AM}/active_docs/${doc.id}.json`) });
  }
  changes.push({ action: 'delete', target: `product ${product.name} (${product.system_name})`, call: call('DELETE', `${AM}/services/${product.id}.json`), note: `warning: ${DELETE_WARNING}` });
  const mine = await api.backendUsages(product.id).list();
  const others = (await api.services.list()).filter((s) => s.id !== product.id);
  const usedElsewhere = new Set<number>();
  for (const s of others) for (const u of await api.backendUsages(s.id).list()) usedElsewhere.add(u.backend_id);
  for (const u of mine) {
    if (usedElsewhere.has(u.backend_id)) continue;
    const backend = await api.backends.get(u.backend_id);
    if (backend) changes.push({ action: 'delete', target: `backend ${backend.name}`, call: call('DELETE', `${AM}/backend_apis/${backend.id}.json`), note: 'used by no other product' });
  }
  return changes;
}

/** The `threescale.base` step. */
export const threescaleBaseStep: Step<Inputs, ThreescaleBaseOutputs, Services> = {
  id: 'threescale.base',
  stage: '3scale',
  title: 'Tidy the 3scale tenant\'s sample data',
  needs: ['threescale.apimanager'],
  inputs: baseInputs,
  fields: [
    { key: 'deleteSampleProduct', label: 'Delete the sample product API and its backend', kind: 'confirm', help: `Default: keep it hidden from developers. Deleting it works, but ${DELETE_WARNING}.` },
    { key: 'sampleProduct', label: 'System name of the sample product', kind: 'text' },
    { key: 'sampleAccount', label: 'Organisation name of the sample developer account', kind: 'text' },
  ],
  async plan(ctx) {
    const api = client(ctx);
    const i = ctx.inputs;
    const changes: Change[] = [];
    const product = await api.services.findBySystemName(i.sampleProduct);
    if (!product) changes.push({ action: 'none', target: `sample product ${i.sampleProduct}`, note: 'not there' });
    else changes.push(...(i.deleteSampleProduct ? await deleteChanges(api, product) : await hideChanges(api, product)));
    const accounts = (await api.accounts.list()).filter((a) => a.org_name === i.sampleAccount);
    if (accounts.length === 0) changes.push({ action: 'none', target: `developer account ${i.sampleAccount}`, note: 'not there' });
    for (const a of accounts) changes.push({ action: 'delete', target: `developer account ${a.org_name} (id ${a.id})`, call: call('DELETE', `${AM}/accounts/${a.id}.json`), note: 'sample account with its users and applications' });
    changes.push({ action: 'none', target: 'provider name and time zone', note: `manual (the API cannot set them): ${accountSettingsUrl(apiManagerOf(ctx).adminUrl)}` });
    return changes;
  },
  async apply(ctx, plan) {
    const api = client(ctx);
    const writes = plan.filter((c) => c.action !== 'none' && c.call);
    for (const c of writes) {
      const { method, path, body } = c.call as ApiCall;
      if (c.note?.startsWith('warning:')) ctx.log(`${c.target}: ${c.note}`);
      try {
        await api.http.request(method, path, (body ?? {}) as Form);
      } catch (err) {
        if (!(method === 'DELETE' && isNotFound(err))) throw err;
      }
    }
    if (writes.length === 0) return;
    const url = accountSettingsUrl(apiManagerOf(ctx).adminUrl);
    const body = `In the 3scale admin portal, set the organisation (provider) name shown to developers and the time zone of the tenant: Account Settings → Overview → Edit. The API cannot set them. Sign in with ADMIN_USER / ADMIN_PASSWORD of Secret ${apiManagerOf(ctx).credentialsSecret} in ${apiManagerOf(ctx).namespace}.`;
    if (ctx.unattended) ctx.log(`manual step left: provider name and time zone at ${url}`);
    else await ctx.ask({ kind: 'checkpoint', id: 'threescale.base.provider', title: 'Set the provider name and time zone', body, url });
  },
  async verify(ctx) {
    const api = client(ctx);
    const i = ctx.inputs;
    const adminUrl = apiManagerOf(ctx).adminUrl;
    const product = await api.services.findBySystemName(i.sampleProduct);
    let sampleProduct: ThreescaleBaseOutputs['sampleProduct'] = i.deleteSampleProduct ? 'deleted' : 'absent';
    if (product) {
      if (i.deleteSampleProduct) throw new UserError('3scale.sample-remains', `the sample product ${product.name} still exists`, { fix: 'run `maas-wizard retry threescale.base`' });
      const visible = (await hideChanges(api, product)).filter((c) => c.action !== 'none');
      if (visible.length > 0) throw new UserError('3scale.sample-visible', `the sample product ${product.name} is still visible to developers: ${visible.map((c) => c.target).join(', ')}`, { fix: 'run `maas-wizard retry threescale.base`' });
      sampleProduct = 'hidden';
    }
    const left = (await api.accounts.list()).filter((a) => a.org_name === i.sampleAccount);
    if (left.length > 0) throw new UserError('3scale.sample-account', `the sample developer account ${i.sampleAccount} still exists`, { fix: 'run `maas-wizard retry threescale.base`' });
    return { sampleProduct, sampleAccountRemoved: true, adminUrl };
  },
  explain: {
    what: 'Hides the sample product API from developers (application plans hidden, ActiveDocs unpublished), removes the sample developer account Developer, and asks you to set the provider name and time zone in the admin portal.',
    why: 'A fresh 3scale tenant carries sample data developers would see. The guide deletes the API product, but the operator then reports the APIManager not Available; hiding it keeps the installation healthy.',
    commands: [
      'curl -s "$ADMIN/admin/api/services.json?access_token=$TOKEN"',
      'curl -s -X PUT "$ADMIN/admin/api/services/$API_ID/application_plans/$PLAN_ID.json" -d access_token=$TOKEN -d state_event=hide',
      'curl -s -X PUT "$ADMIN/admin/api/active_docs/$DOC_ID.json" -d access_token=$TOKEN -d published=false',
      'curl -s -X DELETE "$ADMIN/admin/api/accounts/$DEVELOPER_ID.json?access_token=$TOKEN"',
    ],
  },
};
