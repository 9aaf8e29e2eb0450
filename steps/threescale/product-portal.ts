/**
 * What developers see of one model's product (STAGES.md §7 "Per model"): the ActiveDocs spec
 * (servers = the production gateway URL, published), the application plan (published and *not*
 * made the default, so developers choose it), the service plan `Default` as the product's default
 * service plan (the guide's "usage rules": every developer account sees the product), and the
 * subscription of developer accounts that existed before the product. The API has no "subscribe"
 * call that takes a product: creating an application on the product for the account and deleting
 * it again leaves the account subscribed (what the guide's tooling does); accounts that already
 * have a service contract for the product are skipped.
 */
import type { ThreescaleClient } from '../../src/cluster/threescale/client.js';
import type { ActiveDoc, Plan, Service } from '../../src/cluster/threescale/types.js';
import type { ParsedSpec } from './openapi.js';
import { activeDocsBody } from './openapi.js';
import { AM, NEW_ID, call, diffFields, formOf } from './product-changes.js';
import type { Reconcile } from './product-changes.js';

/** Name of the service plan every new product gets (3scale), made the default service plan. */
export const DEFAULT_SERVICE_PLAN = 'Default';

/** Name of the short-lived application that subscribes an existing account (deleted right after). */
export const SUBSCRIBE_APP = 'maas-wizard subscription';

/** True when two ActiveDocs bodies hold the same document (compared parsed: key order and spacing do not count). */
export function sameDocument(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  try {
    return JSON.stringify(sortKeys(JSON.parse(a))) === JSON.stringify(sortKeys(JSON.parse(b)));
  } catch {
    return a === b;
  }
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => x.localeCompare(y)).map(([k, x]) => [k, sortKeys(x)]));
  return v;
}

/** ActiveDocs `system_name` of a product's spec. */
export function activeDocsSystemName(systemName: string): string {
  return `${systemName}_openapi`;
}

/**
 * Reconciles the ActiveDocs spec of the product (matched by system name).
 * @param productionUrl the production gateway URL; undefined in plan mode while the product is still to be created.
 */
export async function syncActiveDocs(api: ThreescaleClient, r: Reconcile, service: Service | undefined, systemName: string, spec: ParsedSpec, productionUrl: string | undefined): Promise<void> {
  const docName = activeDocsSystemName(systemName);
  const target = `ActiveDocs ${docName}`;
  const current: ActiveDoc | undefined = await api.activeDocs.findBySystemName(docName);
  const sid = service?.id ?? NEW_ID;
  if (productionUrl === undefined) {
    const form = { name: `${spec.title} (${systemName})`, system_name: docName, service_id: sid, body: '<OpenAPI document, servers = the production gateway URL of the new product>', published: true };
    await r.change(current ? 'update' : 'create', target, call(current ? 'PUT' : 'POST', current ? `${AM}/active_docs/${current.id}.json` : `${AM}/active_docs.json`, form), () => Promise.resolve());
    return;
  }
  const body = activeDocsBody(spec, productionUrl);
  if (!current) {
    const form = { name: `${spec.title} (${systemName})`, system_name: docName, service_id: sid, body, published: true, description: `OpenAPI ${spec.openapi} definition, servers = ${productionUrl}` };
    await r.change('create', target, call('POST', `${AM}/active_docs.json`, { ...form, body: `<OpenAPI document, ${body.length} bytes>` }), () => api.activeDocs.create({ ...form, service_id: (service as Service).id }));
    return;
  }
  const diff = diffFields(current, { service_id: sid, published: true });
  if (!sameDocument(current.body, body)) diff.push({ path: 'body', from: '<previous document>', to: `<OpenAPI document, servers = ${productionUrl}>` });
  if (diff.length === 0) return r.none(target);
  const form = { ...formOf(diff.filter((d) => d.path !== 'body')), ...(diff.some((d) => d.path === 'body') ? { body } : {}) };
  await r.change('update', target, call('PUT', `${AM}/active_docs/${current.id}.json`, { ...form, ...(form.body ? { body: '<OpenAPI document>' } : {}) }), () => api.activeDocs.update(current.id, { ...form, service_id: (service as Service).id }), { diff });
}

/** Reconciles the application plan `planName` (published, not made default); returns it (undefined when still to be created in plan mode). */
export async function syncApplicationPlan(api: ThreescaleClient, r: Reconcile, service: Service | undefined, planName: string): Promise<Plan | undefined> {
  const target = `application plan ${planName}`;
  const plans = service ? await api.applicationPlans(service.id).list() : [];
  const sid = service?.id ?? NEW_ID;
  const current = plans.find((p) => p.name === planName);
  if (!current) {
    return r.change('create', target, call('POST', `${AM}/services/${sid}/application_plans.json`, { name: planName, state_event: 'publish' }), () =>
      api.applicationPlans((service as Service).id).create({ name: planName, state_event: 'publish' }), { note: 'published; not the default plan, so developers choose it' });
  }
  if (current.state === 'published') r.none(target, current.default ? 'published; it is the default plan (set elsewhere; the API cannot clear a default)' : 'published');
  else await r.change('update', target, call('PUT', `${AM}/services/${sid}/application_plans/${current.id}.json`, { state_event: 'publish' }), () => api.applicationPlans((service as Service).id).update(current.id, { state_event: 'publish' }), { diff: [{ path: 'state', from: current.state, to: 'published' }] });
  return current;
}

/** Reconciles the service plan `Default`: exists, published, the product's default service plan. */
export async function syncServicePlan(api: ThreescaleClient, r: Reconcile, service: Service | undefined): Promise<void> {
  const target = `service plan ${DEFAULT_SERVICE_PLAN}`;
  const sid = service?.id ?? NEW_ID;
  const plansApi = service ? api.servicePlans(service.id) : undefined;
  let plan = plansApi ? (await plansApi.list()).find((p) => p.name === DEFAULT_SERVICE_PLAN) : undefined;
  if (!plan && !service) {
    // A new product comes with it (3scale gives every new product service plan Default, made default).
    return r.none(target, 'comes with the new product');
  }
  if (!plan) {
    plan = await r.change('create', target, call('POST', `${AM}/services/${sid}/service_plans.json`, { name: DEFAULT_SERVICE_PLAN, state_event: 'publish' }), () => (plansApi as NonNullable<typeof plansApi>).create({ name: DEFAULT_SERVICE_PLAN, state_event: 'publish' }));
  } else if (plan.state !== 'published') {
    const id = plan.id;
    await r.change('update', target, call('PUT', `${AM}/services/${sid}/service_plans/${id}.json`, { state_event: 'publish' }), () => (plansApi as NonNullable<typeof plansApi>).update(id, { state_event: 'publish' }), { diff: [{ path: 'state', from: plan.state, to: 'published' }] });
  }
  if (plan?.default === true) return r.none(`${target} as the default service plan`);
  const id = plan?.id ?? NEW_ID;
  await r.change('update', `${target} as the default service plan`, call('PUT', `${AM}/services/${sid}/service_plans/${id}/default.json`), async () => {
    const p = plan ?? (await (plansApi as NonNullable<typeof plansApi>).list()).find((x) => x.name === DEFAULT_SERVICE_PLAN);
    if (p) await (plansApi as NonNullable<typeof plansApi>).setDefault(p.id);
  }, { diff: [{ path: 'default', from: false, to: true }], note: 'every developer account then sees the product' });
}

/**
 * Subscribes every developer account not yet subscribed to the product (create + delete an
 * application on `plan`); accounts with a service contract for the product are skipped.
 */
export async function syncSubscriptions(api: ThreescaleClient, r: Reconcile, service: Service | undefined, plan: Plan | undefined): Promise<void> {
  const accounts = await api.accounts.list();
  let subscribed = 0;
  for (const account of accounts) {
    const contracts = service ? await api.serviceContracts(account.id).list() : [];
    if (service && contracts.some((c) => c.service_id === service.id)) {
      subscribed += 1;
      continue;
    }
    const form = { plan_id: plan?.id ?? NEW_ID, name: SUBSCRIBE_APP, description: 'Created and deleted at once: subscribes the account to the product' };
    await r.change('create', `subscription of developer account ${account.org_name} (id ${account.id})`, call('POST', `${AM}/accounts/${account.id}/applications.json`, form), async () => {
      const apps = api.applications(account.id);
      const app = await apps.create({ ...form, plan_id: (plan as Plan).id });
      await apps.delete(app.id);
    }, { note: 'an application created and deleted again (the API has no subscribe call for products)' });
  }
  if (subscribed > 0 || accounts.length === 0) r.none('subscriptions of developer accounts', accounts.length === 0 ? 'no developer accounts yet' : `${subscribed} already subscribed`);
}
