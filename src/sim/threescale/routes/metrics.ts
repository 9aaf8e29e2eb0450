/**
 * Metrics, methods and mapping rules, for products (`/admin/api/services/{service_id}/...`, `.xml`
 * in the spec) and backends (`/admin/api/backend_apis/{backend_api_id}/...`, `.json`). Methods are
 * metrics whose `parent_id` is the owner's `hits` metric (3scale AM API "Service Method Create").
 */
import { assignStrings, bool, int, invalid, str } from '../http.js';
import type { Params } from '../http.js';
import { createMappingRule, createMetric, find, remove } from '../model.js';
import type { Route, RouteContext } from '../router.js';
import type { Rec, TenantState } from '../state.js';
import { created, deleted, list, ok, one, route, touch } from './common.js';

/** Which owner a set of routes serves. */
interface Owner {
  type: 'service' | 'backend';
  /** Path prefix up to the owner id, e.g. `/admin/api/services/{service_id}`. */
  base: string;
  /** Path parameter naming the owner. */
  param: 'service_id' | 'backend_api_id';
  /** Suffix the spec writes: `xml` for products, `json` for backends. */
  ext: 'xml' | 'json';
}

const PRODUCT: Owner = { type: 'service', base: '/admin/api/services/{service_id}', param: 'service_id', ext: 'xml' };
const BACKEND: Owner = { type: 'backend', base: '/admin/api/backend_apis/{backend_api_id}', param: 'backend_api_id', ext: 'json' };

function ownerId(ctx: RouteContext, owner: Owner): number {
  const table = owner.type === 'service' ? ctx.tenant.services : ctx.tenant.backends;
  return find(table, ctx.path[owner.param]).id;
}

function ownedBy(owner: Owner, id: number): (m: Rec) => boolean {
  return (m) => (owner.type === 'service' ? m.service_id === id : m.backend_api_id === id);
}

function metricRoutes(owner: Owner): Route[] {
  const coll = `${owner.base}/metrics.${owner.ext}`;
  const item = `${owner.base}/metrics/{id}.${owner.ext}`;
  return [
    route('GET', coll, [], (ctx) => {
      const id = ownerId(ctx, owner);
      return ok(list('metrics', 'metric', ctx.tenant.metrics.filter(ownedBy(owner, id)), ctx.params));
    }),
    route('POST', coll, ['friendly_name', 'unit'], (ctx) => {
      const id = ownerId(ctx, owner);
      const fields = { friendly_name: str(ctx.params, 'friendly_name') ?? '', unit: str(ctx.params, 'unit') ?? 'hit' };
      const systemName = str(ctx.params, 'system_name') ?? str(ctx.params, 'name');
      const description = str(ctx.params, 'description');
      const metric = createMetric(ctx.tenant, ctx.now, { type: owner.type, id }, {
        ...fields,
        ...(systemName ? { system_name: systemName } : {}),
        ...(description ? { description } : {}),
      });
      return created(one('metric', metric));
    }),
    route('GET', item, [], (ctx) => ok(one('metric', find(ctx.tenant.metrics, ctx.path.id, ownedBy(owner, ownerId(ctx, owner)))))),
    route('PUT', item, [], (ctx) => {
      const metric = find(ctx.tenant.metrics, ctx.path.id, ownedBy(owner, ownerId(ctx, owner)));
      assignStrings(metric, ctx.params, ['friendly_name', 'unit', 'description']);
      touch(metric, ctx.now);
      return ok(one('metric', metric));
    }),
    route('DELETE', item, [], (ctx) => {
      const metric = find(ctx.tenant.metrics, ctx.path.id, ownedBy(owner, ownerId(ctx, owner)));
      deleteMetric(ctx.tenant, metric);
      return deleted();
    }),
  ];
}

/** Deletes a metric with its methods, limits and mapping rules. */
function deleteMetric(state: TenantState, metric: Rec): void {
  for (const child of state.metrics.filter((m) => m.parent_id === metric.id)) deleteMetric(state, child);
  remove(state.metrics, metric);
  state.limits = state.limits.filter((l) => l.metric_id !== metric.id);
  state.mappingRules = state.mappingRules.filter((r) => r.metric_id !== metric.id);
}

function methodRoutes(owner: Owner): Route[] {
  const coll = `${owner.base}/metrics/{metric_id}/methods.${owner.ext}`;
  const item = `${owner.base}/metrics/{metric_id}/methods/{id}.${owner.ext}`;
  const parent = (ctx: RouteContext): Rec => find(ctx.tenant.metrics, ctx.path.metric_id, ownedBy(owner, ownerId(ctx, owner)));
  return [
    route('GET', coll, [], (ctx) => {
      const p = parent(ctx);
      return ok(list('methods', 'method', ctx.tenant.metrics.filter((m) => m.parent_id === p.id), ctx.params));
    }),
    route('POST', coll, ['friendly_name'], (ctx) => {
      const p = parent(ctx);
      const systemName = str(ctx.params, 'system_name');
      const description = str(ctx.params, 'description');
      const method = createMetric(ctx.tenant, ctx.now, { type: owner.type, id: ownerId(ctx, owner) }, {
        friendly_name: str(ctx.params, 'friendly_name') ?? '',
        parentId: p.id,
        ...(systemName ? { system_name: systemName } : {}),
        ...(description ? { description } : {}),
      });
      return created(one('method', method));
    }),
    route('GET', item, [], (ctx) => ok(one('method', find(ctx.tenant.metrics, ctx.path.id, (m) => m.parent_id === parent(ctx).id)))),
    route('PUT', item, [], (ctx) => {
      const method = find(ctx.tenant.metrics, ctx.path.id, (m) => m.parent_id === parent(ctx).id);
      assignStrings(method, ctx.params, ['friendly_name', 'description']);
      touch(method, ctx.now);
      return ok(one('method', method));
    }),
    route('DELETE', item, [], (ctx) => {
      deleteMetric(ctx.tenant, find(ctx.tenant.metrics, ctx.path.id, (m) => m.parent_id === parent(ctx).id));
      return deleted();
    }),
  ];
}

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** Checks a mapping rule's fields as porta's `ProxyRule` validations do; throws 422. */
function checkRule(state: TenantState, owner: Owner, ownerIdValue: number, p: Params, rule?: Rec): void {
  const pattern = str(p, 'pattern') ?? (rule?.pattern as string | undefined) ?? '';
  if (!pattern.startsWith('/')) throw invalid({ pattern: ['must start with a slash (/)'] });
  const method = (str(p, 'http_method') ?? (rule?.http_method as string | undefined) ?? '').toUpperCase();
  if (!HTTP_METHODS.includes(method)) throw invalid({ http_method: ['is not included in the list'] });
  const metricId = int(p, 'metric_id') ?? (rule?.metric_id as number | undefined);
  const usedBackends = new Set(state.backendUsages.filter((u) => u.service_id === ownerIdValue).map((u) => u.backend_id));
  const metric = state.metrics.find(
    (m) =>
      m.id === metricId &&
      (owner.type === 'service' ? m.service_id === ownerIdValue || usedBackends.has(m.backend_api_id) : m.backend_api_id === ownerIdValue),
  );
  if (!metric) throw invalid({ metric_id: ['is invalid'] });
  const delta = str(p, 'delta');
  if (delta !== undefined && !/^[1-9]\d*$/.test(delta)) throw invalid({ delta: ['must be greater than 0'] });
}

function mappingRuleRoutes(owner: Owner): Route[] {
  const prefix = owner.type === 'service' ? `${owner.base}/proxy` : owner.base;
  const coll = `${prefix}/mapping_rules.${owner.ext}`;
  const item = `${prefix}/mapping_rules/{id}.${owner.ext}`;
  const ownerType = owner.type === 'service' ? 'Proxy' : 'BackendApi';
  const mine = (id: number) => (r: Rec) => r.owner_type === ownerType && r.owner_id === id;
  const update = (ctx: RouteContext) => {
    const id = ownerId(ctx, owner);
    const rule = find(ctx.tenant.mappingRules, ctx.path.id, mine(id));
    checkRule(ctx.tenant, owner, id, ctx.params, rule);
    assignStrings(rule, ctx.params, ['pattern']);
    const method = str(ctx.params, 'http_method');
    if (method) rule.http_method = method.toUpperCase();
    for (const k of ['delta', 'metric_id', 'position'] as const) {
      const v = int(ctx.params, k);
      if (v !== undefined) rule[k] = v;
    }
    const last = bool(ctx.params, 'last');
    if (last !== undefined) rule.last = last;
    touch(rule, ctx.now);
    return ok(one('mapping_rule', rule));
  };
  return [
    route('GET', coll, [], (ctx) => {
      const id = ownerId(ctx, owner);
      const rules = ctx.tenant.mappingRules.filter(mine(id)).sort((a, b) => Number(a.position) - Number(b.position));
      return ok(list('mapping_rules', 'mapping_rule', rules, ctx.params));
    }),
    route('POST', coll, ['http_method', 'pattern', 'delta', 'metric_id'], (ctx) => {
      const id = ownerId(ctx, owner);
      checkRule(ctx.tenant, owner, id, ctx.params);
      const position = int(ctx.params, 'position');
      const last = bool(ctx.params, 'last');
      const rule = createMappingRule(ctx.tenant, ctx.now, { type: ownerType, id }, {
        http_method: str(ctx.params, 'http_method') ?? 'GET',
        pattern: str(ctx.params, 'pattern') ?? '/',
        delta: int(ctx.params, 'delta') ?? 1,
        metric_id: int(ctx.params, 'metric_id') ?? 0,
        ...(position !== undefined ? { position } : {}),
        ...(last !== undefined ? { last } : {}),
      });
      return created(one('mapping_rule', rule));
    }),
    route('GET', item, [], (ctx) => ok(one('mapping_rule', find(ctx.tenant.mappingRules, ctx.path.id, mine(ownerId(ctx, owner)))))),
    // The spec updates product mapping rules with PATCH and backend ones with PUT.
    route(owner.type === 'service' ? 'PATCH' : 'PUT', item, [], update),
    route('DELETE', item, [], (ctx) => {
      remove(ctx.tenant.mappingRules, find(ctx.tenant.mappingRules, ctx.path.id, mine(ownerId(ctx, owner))));
      return deleted();
    }),
  ];
}

/** Metric, method and mapping rule routes of products and backends. */
export function metricsRoutes(): Route[] {
  return [PRODUCT, BACKEND].flatMap((o) => [...metricRoutes(o), ...methodRoutes(o), ...mappingRuleRoutes(o)]);
}

