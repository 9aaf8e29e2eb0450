/**
 * Products (services), backends, backend usages and service plans of the 3scale AM API
 * (`/admin/api/services*.xml`, `/admin/api/backend_apis*.json`, `/admin/api/services/{id}/backend_usages*.json`,
 * `/admin/api/service_plans.xml`).
 */
import { assignStrings, invalid, int, str } from '../http.js';
import { createBackend, createPlan, createService, ensureFreeSystemName, find, makeDefault, remove } from '../model.js';
import type { Route, RouteContext } from '../router.js';
import { nextId } from '../state.js';
import type { Rec, TenantState } from '../state.js';
import { created, deleted, list, ok, one, route, touch } from './common.js';

const SERVICE_FIELDS = ['name', 'description', 'deployment_option', 'backend_version', 'support_email', 'state'];
const BACKEND_VERSIONS = ['1', '2', 'oidc'];
const DEPLOYMENT_OPTIONS = ['hosted', 'self_managed', 'service_mesh_istio'];

/** Checks enum fields of Service Create/Update; throws 422 `is not included in the list`. */
function checkServiceEnums(ctx: RouteContext): void {
  const v = str(ctx.params, 'backend_version');
  if (v !== undefined && !BACKEND_VERSIONS.includes(v)) throw invalid({ backend_version: ['is not included in the list'] });
  const d = str(ctx.params, 'deployment_option');
  if (d !== undefined && !DEPLOYMENT_OPTIONS.includes(d)) throw invalid({ deployment_option: ['is not included in the list'] });
}

/** Deletes a product and everything that belongs to it. */
function deleteService(state: TenantState, service: Rec): void {
  const id = service.id;
  remove(state.services, service);
  delete state.proxies[String(id)];
  const metricIds = new Set(state.metrics.filter((m) => m.service_id === id).map((m) => m.id));
  const planIds = new Set(state.plans.filter((p) => p.service_id === id).map((p) => p.id));
  state.metrics = state.metrics.filter((m) => m.service_id !== id);
  state.limits = state.limits.filter((l) => !planIds.has(l.plan_id as number) && !metricIds.has(l.metric_id as number));
  state.plans = state.plans.filter((p) => p.service_id !== id);
  state.mappingRules = state.mappingRules.filter((r) => !(r.owner_type === 'Proxy' && r.owner_id === id));
  state.backendUsages = state.backendUsages.filter((u) => u.service_id !== id);
  state.proxyConfigs = state.proxyConfigs.filter((c) => c.service_id !== id);
  state.applications = state.applications.filter((a) => a.service_id !== id);
  state.serviceContracts = state.serviceContracts.filter((c) => c.service_id !== id);
  for (const doc of state.activeDocs) if (doc.service_id === id) doc.service_id = null;
}

function serviceRoutes(): Route[] {
  return [
    route('GET', '/admin/api/services.xml', [], (ctx) => ok(list('services', 'service', ctx.tenant.services, ctx.params))),
    route('POST', '/admin/api/services.xml', ['name'], (ctx) => {
      checkServiceEnums(ctx);
      const service = createService(ctx.tenant, ctx.now, {
        name: str(ctx.params, 'name') ?? '',
        ...(str(ctx.params, 'system_name') ? { system_name: str(ctx.params, 'system_name') as string } : {}),
        ...(str(ctx.params, 'description') !== undefined ? { description: str(ctx.params, 'description') as string } : {}),
        ...(str(ctx.params, 'deployment_option') ? { deployment_option: str(ctx.params, 'deployment_option') as string } : {}),
        ...(str(ctx.params, 'backend_version') ? { backend_version: str(ctx.params, 'backend_version') as string } : {}),
      });
      ctx.productsChanged();
      return created(one('service', service));
    }),
    route('GET', '/admin/api/services/{id}.xml', [], (ctx) => ok(one('service', find(ctx.tenant.services, ctx.path.id)))),
    route('PUT', '/admin/api/services/{id}.xml', [], (ctx) => {
      const service = find(ctx.tenant.services, ctx.path.id);
      checkServiceEnums(ctx);
      // System names cannot be modified after creation (porta parameter description).
      assignStrings(service, ctx.params, SERVICE_FIELDS);
      touch(service, ctx.now);
      return ok(one('service', service));
    }),
    route('DELETE', '/admin/api/services/{id}.xml', [], (ctx) => {
      deleteService(ctx.tenant, find(ctx.tenant.services, ctx.path.id));
      ctx.productsChanged();
      return deleted();
    }),
  ];
}

function backendRoutes(): Route[] {
  const checkEndpoint = (value: string | undefined): void => {
    if (value !== undefined && !/^(https?|wss?):\/\/[^/\s]+/i.test(value)) throw invalid({ private_endpoint: ['is invalid'] });
  };
  return [
    route('GET', '/admin/api/backend_apis.json', [], (ctx) => ok(list('backend_apis', 'backend_api', ctx.tenant.backends, ctx.params))),
    route('POST', '/admin/api/backend_apis.json', ['name', 'private_endpoint'], (ctx) => {
      checkEndpoint(str(ctx.params, 'private_endpoint'));
      const backend = createBackend(ctx.tenant, ctx.now, {
        name: str(ctx.params, 'name') ?? '',
        private_endpoint: str(ctx.params, 'private_endpoint') ?? '',
        ...(str(ctx.params, 'system_name') ? { system_name: str(ctx.params, 'system_name') as string } : {}),
        ...(str(ctx.params, 'description') !== undefined ? { description: str(ctx.params, 'description') as string } : {}),
      });
      return created(one('backend_api', backend));
    }),
    route('GET', '/admin/api/backend_apis/{id}.json', [], (ctx) => ok(one('backend_api', find(ctx.tenant.backends, ctx.path.id)))),
    route('PUT', '/admin/api/backend_apis/{id}.json', [], (ctx) => {
      const backend = find(ctx.tenant.backends, ctx.path.id);
      checkEndpoint(str(ctx.params, 'private_endpoint'));
      assignStrings(backend, ctx.params, ['name', 'description', 'private_endpoint']);
      touch(backend, ctx.now);
      return ok(one('backend_api', backend));
    }),
    route('DELETE', '/admin/api/backend_apis/{id}.json', [], (ctx) => {
      const backend = find(ctx.tenant.backends, ctx.path.id);
      if (ctx.tenant.backendUsages.some((u) => u.backend_id === backend.id)) {
        throw invalid({ base: ['cannot be deleted because it is used by at least one Product'] });
      }
      remove(ctx.tenant.backends, backend);
      ctx.tenant.metrics = ctx.tenant.metrics.filter((m) => m.backend_api_id !== backend.id);
      ctx.tenant.mappingRules = ctx.tenant.mappingRules.filter((r) => !(r.owner_type === 'BackendApi' && r.owner_id === backend.id));
      return deleted();
    }),
  ];
}

function backendUsageRoutes(): Route[] {
  const coll = '/admin/api/services/{service_id}/backend_usages.json';
  const item = '/admin/api/services/{service_id}/backend_usages/{id}.json';
  const checkPath = (ctx: RouteContext, serviceId: number, except?: Rec): string => {
    const path = str(ctx.params, 'path') ?? (except?.path as string | undefined) ?? '/';
    if (!path.startsWith('/')) throw invalid({ path: ['must be a path separated by "/". E.g. "" or "my/path"'] });
    if (ctx.tenant.backendUsages.some((u) => u !== except && u.service_id === serviceId && u.path === path)) {
      throw invalid({ path: ['has already been taken'] });
    }
    return path;
  };
  return [
    // Backend Usage List answers a bare array (3scale-porta-go-client `BackendAPIUsageList`).
    route('GET', coll, [], (ctx) => {
      const service = find(ctx.tenant.services, ctx.path.service_id);
      return ok(ctx.tenant.backendUsages.filter((u) => u.service_id === service.id).map((u) => one('backend_usage', u)));
    }),
    route('POST', coll, ['backend_api_id'], (ctx) => {
      const service = find(ctx.tenant.services, ctx.path.service_id);
      const backendId = int(ctx.params, 'backend_api_id');
      if (!ctx.tenant.backends.some((b) => b.id === backendId)) throw invalid({ backend_api: ["can't be blank"] });
      if (ctx.tenant.backendUsages.some((u) => u.service_id === service.id && u.backend_id === backendId)) {
        throw invalid({ backend_api_id: ['has already been taken'] });
      }
      const path = checkPath(ctx, service.id);
      const usage: Rec = { id: nextId(ctx.tenant, 'backend_usages'), path, service_id: service.id, backend_id: backendId };
      ctx.tenant.backendUsages.push(usage);
      return created(one('backend_usage', usage));
    }),
    route('GET', item, [], (ctx) => {
      const service = find(ctx.tenant.services, ctx.path.service_id);
      return ok(one('backend_usage', find(ctx.tenant.backendUsages, ctx.path.id, (u) => u.service_id === service.id)));
    }),
    route('PUT', item, [], (ctx) => {
      const service = find(ctx.tenant.services, ctx.path.service_id);
      const usage = find(ctx.tenant.backendUsages, ctx.path.id, (u) => u.service_id === service.id);
      usage.path = checkPath(ctx, service.id, usage);
      return ok(one('backend_usage', usage));
    }),
    route('DELETE', item, [], (ctx) => {
      const service = find(ctx.tenant.services, ctx.path.service_id);
      remove(ctx.tenant.backendUsages, find(ctx.tenant.backendUsages, ctx.path.id, (u) => u.service_id === service.id));
      return deleted();
    }),
  ];
}

function servicePlanRoutes(): Route[] {
  const ofService = (ctx: RouteContext, key = 'service_id'): Rec[] => {
    const service = find(ctx.tenant.services, ctx.path[key]);
    return ctx.tenant.plans.filter((p) => p.type === 'service_plan' && p.service_id === service.id);
  };
  const item = (ctx: RouteContext): Rec => find(ofService(ctx), ctx.path.id);
  return [
    route('GET', '/admin/api/service_plans.xml', [], (ctx) =>
      ok(list('plans', 'service_plan', ctx.tenant.plans.filter((p) => p.type === 'service_plan'), ctx.params)),
    ),
    route('GET', '/admin/api/services/{id}/service_plans.xml', [], (ctx) => ok(list('plans', 'service_plan', ofService(ctx, 'id'), ctx.params))),
    route('POST', '/admin/api/services/{id}/service_plans.xml', ['name'], (ctx) => {
      const service = find(ctx.tenant.services, ctx.path.id);
      const systemName = str(ctx.params, 'system_name');
      if (systemName) ensureFreeSystemName(ctx.tenant.plans, systemName, undefined, (p) => p.type === 'service_plan' && p.service_id === service.id);
      const plan = createPlan(ctx.tenant, ctx.now, 'service_plan', {
        name: str(ctx.params, 'name') ?? '',
        service_id: service.id,
        ...(systemName ? { system_name: systemName } : {}),
        state: str(ctx.params, 'state_event') === 'publish' ? 'published' : 'hidden',
      });
      return created(one('service_plan', plan));
    }),
    route('GET', '/admin/api/services/{service_id}/service_plans/{id}.xml', [], (ctx) => ok(one('service_plan', item(ctx)))),
    route('PUT', '/admin/api/services/{service_id}/service_plans/{id}.xml', [], (ctx) => {
      const plan = item(ctx);
      assignStrings(plan, ctx.params, ['name']);
      const event = str(ctx.params, 'state_event');
      if (event === 'publish') plan.state = 'published';
      if (event === 'hide') plan.state = 'hidden';
      touch(plan, ctx.now);
      return ok(one('service_plan', plan));
    }),
    route('DELETE', '/admin/api/services/{service_id}/service_plans/{id}.xml', [], (ctx) => {
      remove(ctx.tenant.plans, item(ctx));
      return deleted();
    }),
    route('PUT', '/admin/api/services/{service_id}/service_plans/{id}/default.xml', [], (ctx) => {
      const plan = item(ctx);
      makeDefault(ctx.tenant, plan);
      return ok(one('service_plan', plan));
    }),
  ];
}

/** Product, backend, backend usage and service plan routes. */
export function productRoutes(): Route[] {
  return [...serviceRoutes(), ...backendRoutes(), ...backendUsageRoutes(), ...servicePlanRoutes()];
}
