/**
 * The API side of one model's 3scale product (STAGES.md §7 "Per model"): backend (private endpoint =
 * the model's in-cluster URL), product (backend_version 1 = API key), backend usage at `/`, the
 * proxy's credentials settings for the Bearer mode (§8), methods of the `hits` metric and mapping
 * rules from the OpenAPI definition. Upsert by system name: a 422 "has already been taken" on create
 * means another run created it, so it is found and updated. A new product starts with mapping rule
 * `GET /` (a prefix rule matching every GET path): every rule not in the definition is deleted, so
 * the product's rules are exactly the definition's.
 */
import type { ThreescaleClient } from '../../src/cluster/threescale/client.js';
import { isTaken } from '../../src/cluster/threescale/errors.js';
import type { Backend, MappingRule, Metric, Service } from '../../src/cluster/threescale/types.js';
import { BugError } from '../../src/engine/errors.js';
import type { ParsedSpec } from './openapi.js';
import { methodsAndRules } from './openapi.js';
import { proxyAuth } from './product-bearer.js';
import type { BearerMode } from './product-bearer.js';
import { AM, NEW_ID, call, diffFields, formOf } from './product-changes.js';
import type { Reconcile } from './product-changes.js';

/** What one model's product must look like. */
export interface ProductWanted {
  /** Catalog short name (`granite-8b-code-instruct`). */
  model: string;
  /** Catalog / Hugging Face repo id, used as the description. */
  modelId: string;
  /** System name of the product and of its backend (products and backends are separate scopes in 3scale). */
  systemName: string;
  /** In-cluster URL of the model server (serving output `url`). */
  privateEndpoint: string;
  bearerMode: BearerMode;
  /** The OpenAPI definition the methods, mapping rules and ActiveDocs come from. */
  spec: ParsedSpec;
}

/** What exists (or, in plan mode, would exist) after `syncProduct`. Ids are undefined when still to be created in plan mode. */
export interface ProductState {
  service?: Service;
  backend?: Backend;
  /** Id of the product's `hits` metric. */
  hitsId?: number;
}

/** Creates with `create`; on 422 "already taken" finds the record with `find` (another run made it). */
async function createOrFind<T>(create: () => Promise<T>, find: () => Promise<T | undefined>): Promise<T> {
  try {
    return await create();
  } catch (err) {
    if (!isTaken(err)) throw err;
    const found = await find();
    if (!found) throw err;
    return found;
  }
}

async function syncBackend(api: ThreescaleClient, r: Reconcile, w: ProductWanted): Promise<Backend | undefined> {
  const target = `backend ${w.systemName}`;
  const fields = { name: `${w.model} model server`, description: `${w.modelId} served by OpenShift AI`, private_endpoint: w.privateEndpoint };
  let backend = await api.backends.findBySystemName(w.systemName);
  if (!backend) {
    backend = await r.change('create', target, call('POST', `${AM}/backend_apis.json`, { ...fields, system_name: w.systemName }), () =>
      createOrFind(() => api.backends.create({ ...fields, system_name: w.systemName }), () => api.backends.findBySystemName(w.systemName)));
  }
  if (!backend) return undefined;
  const diff = diffFields(backend, { private_endpoint: w.privateEndpoint });
  if (diff.length === 0) r.none(target, w.privateEndpoint);
  else backend = (await r.change('update', target, call('PUT', `${AM}/backend_apis/${backend.id}.json`, formOf(diff)), () => api.backends.update((backend as Backend).id, formOf(diff)), { diff })) ?? backend;
  return backend;
}

async function syncService(api: ThreescaleClient, r: Reconcile, w: ProductWanted): Promise<Service | undefined> {
  const target = `product ${w.systemName}`;
  const fields = { name: w.model, description: `${w.modelId} (OpenAI-compatible API)`, backend_version: '1', deployment_option: 'hosted' };
  const existing = await api.services.findBySystemName(w.systemName);
  if (!existing) {
    return r.change('create', target, call('POST', `${AM}/services.json`, { ...fields, system_name: w.systemName }), () =>
      createOrFind(() => api.services.create({ ...fields, system_name: w.systemName }), () => api.services.findBySystemName(w.systemName)));
  }
  const diff = diffFields(existing, { backend_version: '1' });
  if (diff.length === 0) r.none(target, `id ${existing.id}`);
  else await r.change('update', target, call('PUT', `${AM}/services/${existing.id}.json`, formOf(diff)), () => api.services.update(existing.id, formOf(diff)), { diff, note: 'API key authentication (backend_version 1)' });
  return existing;
}

async function syncUsage(api: ThreescaleClient, r: Reconcile, service: Service | undefined, backend: Backend | undefined): Promise<void> {
  const target = 'backend usage at /';
  const sid = service?.id ?? NEW_ID;
  const usages = service ? await api.backendUsages(service.id).list() : [];
  const mine = backend ? usages.find((u) => u.backend_id === backend.id) : undefined;
  if (mine?.path === '/') return r.none(target);
  const body = { backend_api_id: backend?.id ?? NEW_ID, path: '/' };
  if (!mine) {
    await r.change('create', target, call('POST', `${AM}/services/${sid}/backend_usages.json`, body), async () => {
      if (!service || !backend) throw new BugError('backend usage without product or backend');
      try {
        await api.backendUsages(service.id).create({ backend_api_id: backend.id, path: '/' });
      } catch (err) {
        if (!isTaken(err, 'backend_api_id')) throw err;
      }
    });
  } else {
    await r.change('update', target, call('PUT', `${AM}/services/${sid}/backend_usages/${mine.id}.json`, { path: '/' }), () => api.backendUsages(mine.service_id).update(mine.id, { path: '/' }), { diff: [{ path: 'path', from: mine.path, to: '/' }] });
  }
}

async function syncProxyAuth(api: ThreescaleClient, r: Reconcile, service: Service | undefined, mode: BearerMode): Promise<void> {
  const target = `credentials settings (${mode})`;
  const wanted = proxyAuth(mode);
  const proxy = service ? await api.proxy(service.id) : undefined;
  const diff = diffFields(proxy, wanted);
  if (diff.length === 0) return r.none(target, Object.values(wanted).join(', '));
  await r.change('update', target, call('PATCH', `${AM}/services/${service?.id ?? NEW_ID}/proxy.json`, formOf(diff)), () => api.updateProxy((service as Service).id, formOf(diff)), { diff });
}

/** The product's `hits` metric (every product has one; its methods are children of it). */
async function hitsOf(api: ThreescaleClient, service: Service | undefined): Promise<Metric | undefined> {
  if (!service) return undefined;
  return (await api.metrics(service.id).list()).find((m) => m.system_name === 'hits' && (m.parent_id === undefined || m.parent_id === null));
}

async function syncMethodsAndRules(api: ThreescaleClient, r: Reconcile, service: Service | undefined, hits: Metric | undefined, spec: ParsedSpec): Promise<void> {
  const sid = service?.id ?? NEW_ID;
  const hid = hits?.id ?? NEW_ID;
  const { methods, rules } = methodsAndRules(spec);
  const existing = service && hits ? await api.methods(service.id, hits.id).list() : [];
  const ids = new Map<string, number>(existing.map((m) => [m.system_name, m.id]));
  for (const m of methods) {
    const target = `method ${m.systemName}`;
    const cur = existing.find((e) => e.system_name === m.systemName);
    if (cur) {
      const diff = diffFields(cur, { friendly_name: m.friendlyName });
      if (diff.length === 0) r.none(target);
      else await r.change('update', target, call('PUT', `${AM}/services/${sid}/metrics/${hid}/methods/${cur.id}.json`, formOf(diff)), () => api.methods(service?.id ?? 0, hits?.id ?? 0).update(cur.id, formOf(diff)), { diff });
      continue;
    }
    const body = { friendly_name: m.friendlyName, system_name: m.systemName };
    const made = await r.change('create', target, call('POST', `${AM}/services/${sid}/metrics/${hid}/methods.json`, body), async () => {
      const methodsApi = api.methods((service as Service).id, (hits as Metric).id);
      return createOrFind(() => methodsApi.create(body), () => methodsApi.findBySystemName(m.systemName));
    });
    if (made) ids.set(m.systemName, made.id);
  }
  const current: MappingRule[] = service ? await api.mappingRules(service.id).list() : [];
  const key = (method: string, pattern: string): string => `${method.toUpperCase()} ${pattern}`;
  const wantedKeys = new Set(rules.map((w) => key(w.httpMethod, w.pattern)));
  for (const rule of current.filter((c) => !wantedKeys.has(key(c.http_method, c.pattern)))) {
    const note = rule.pattern === '/' && rule.http_method === 'GET' ? 'the default rule of a new product: a prefix rule that lets every GET path reach the model' : 'not in the OpenAPI definition';
    await r.change('delete', `mapping rule ${rule.http_method} ${rule.pattern}`, call('DELETE', `${AM}/services/${sid}/proxy/mapping_rules/${rule.id}.json`), () => api.mappingRules((service as Service).id).delete(rule.id), { note });
  }
  for (const w of rules) {
    const target = `mapping rule ${w.httpMethod} ${w.pattern} → ${w.methodSystemName}`;
    const metricId = ids.get(w.methodSystemName);
    const cur = current.find((c) => key(c.http_method, c.pattern) === key(w.httpMethod, w.pattern));
    if (cur) {
      const diff = diffFields(cur, { metric_id: metricId ?? NEW_ID, delta: w.delta });
      if (diff.length === 0) r.none(target);
      else await r.change('update', target, call('PATCH', `${AM}/services/${sid}/proxy/mapping_rules/${cur.id}.json`, formOf(diff)), () => api.mappingRules((service as Service).id).update(cur.id, { metric_id: ids.get(w.methodSystemName) ?? 0, delta: w.delta }), { diff });
      continue;
    }
    const body = { http_method: w.httpMethod, pattern: w.pattern, delta: w.delta, metric_id: metricId ?? NEW_ID };
    await r.change('create', target, call('POST', `${AM}/services/${sid}/proxy/mapping_rules.json`, body), () => api.mappingRules((service as Service).id).create({ ...body, metric_id: ids.get(w.methodSystemName) ?? 0 }));
  }
}

/**
 * Reconciles backend, product, backend usage, credentials settings, methods and mapping rules.
 * @throws ThreescaleFieldError (422 other than "already taken"), ThreescaleApiError, UserError from the client.
 */
export async function syncProduct(api: ThreescaleClient, r: Reconcile, w: ProductWanted): Promise<ProductState> {
  const backend = await syncBackend(api, r, w);
  const service = await syncService(api, r, w);
  await syncUsage(api, r, service, backend);
  await syncProxyAuth(api, r, service, w.bearerMode);
  const hits = await hitsOf(api, service);
  await syncMethodsAndRules(api, r, service, hits, w.spec);
  return { ...(service ? { service } : {}), ...(backend ? { backend } : {}), ...(hits ? { hitsId: hits.id } : {}) };
}
