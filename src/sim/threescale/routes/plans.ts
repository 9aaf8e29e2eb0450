/**
 * Application plans (create/read/update/delete, publish and hide through `state_event`, default)
 * and their limits (`value`, `period` ∈ eternity/year/month/week/day/hour/minute), 3scale AM API
 * "Application Plan *" and "Limit *". Lists answer `{"plans":[{"application_plan":{..}}]}` as porta
 * does (3scale-porta-go-client `ApplicationPlanJSONList`).
 */
import { assignStrings, bool, int, invalid, str } from '../http.js';
import { createPlan, ensureFreeSystemName, find, makeDefault, remove } from '../model.js';
import type { Route, RouteContext } from '../router.js';
import { LIMIT_PERIODS, nextId, timestamp } from '../state.js';
import type { Rec } from '../state.js';
import { created, deleted, list, ok, one, route, touch } from './common.js';

const isAppPlan = (p: Rec): boolean => p.type === 'application_plan';

/** Applies plan fields and `state_event` (publish/hide); throws 422 for another event. */
function applyPlanFields(plan: Rec, ctx: RouteContext): void {
  assignStrings(plan, ctx.params, ['name']);
  const approval = bool(ctx.params, 'approval_required');
  if (approval !== undefined) plan.approval_required = approval;
  for (const k of ['cost_per_month', 'setup_fee']) {
    const v = str(ctx.params, k);
    if (v !== undefined) plan[k] = Number(v);
  }
  const trial = int(ctx.params, 'trial_period_days');
  if (trial !== undefined) plan.trial_period_days = trial;
  const event = str(ctx.params, 'state_event');
  if (event === undefined || event === '') return;
  if (event === 'publish') plan.state = 'published';
  else if (event === 'hide') plan.state = 'hidden';
  else throw invalid({ state_event: ['is invalid'] });
}

function planRoutes(): Route[] {
  const base = '/admin/api/services/{service_id}/application_plans';
  const plansOf = (ctx: RouteContext): Rec[] => {
    const service = find(ctx.tenant.services, ctx.path.service_id);
    return ctx.tenant.plans.filter((p) => isAppPlan(p) && p.service_id === service.id);
  };
  return [
    route('GET', '/admin/api/application_plans.xml', [], (ctx) => ok(list('plans', 'application_plan', ctx.tenant.plans.filter(isAppPlan), ctx.params))),
    route('GET', `${base}.xml`, [], (ctx) => ok(list('plans', 'application_plan', plansOf(ctx), ctx.params))),
    route('POST', `${base}.xml`, ['name'], (ctx) => {
      const service = find(ctx.tenant.services, ctx.path.service_id);
      const systemName = str(ctx.params, 'system_name');
      if (systemName) ensureFreeSystemName(ctx.tenant.plans, systemName, undefined, (p) => isAppPlan(p) && p.service_id === service.id);
      const plan = createPlan(ctx.tenant, ctx.now, 'application_plan', {
        name: str(ctx.params, 'name') ?? '',
        service_id: service.id,
        ...(systemName ? { system_name: systemName } : {}),
      });
      try {
        applyPlanFields(plan, ctx);
      } catch (e) {
        remove(ctx.tenant.plans, plan);
        throw e;
      }
      return created(one('application_plan', plan));
    }),
    route('GET', `${base}/{id}.xml`, [], (ctx) => ok(one('application_plan', find(plansOf(ctx), ctx.path.id)))),
    route('PUT', `${base}/{id}.xml`, [], (ctx) => {
      const plan = find(plansOf(ctx), ctx.path.id);
      applyPlanFields(plan, ctx);
      touch(plan, ctx.now);
      return ok(one('application_plan', plan));
    }),
    route('DELETE', `${base}/{id}.xml`, [], (ctx) => {
      const plan = find(plansOf(ctx), ctx.path.id);
      if (ctx.tenant.applications.some((a) => a.plan_id === plan.id)) {
        throw invalid({ base: ['This application plan cannot be deleted because it has applications'] });
      }
      remove(ctx.tenant.plans, plan);
      ctx.tenant.limits = ctx.tenant.limits.filter((l) => l.plan_id !== plan.id);
      return deleted();
    }),
    route('PUT', `${base}/{id}/default.xml`, [], (ctx) => {
      const plan = find(plansOf(ctx), ctx.path.id);
      makeDefault(ctx.tenant, plan);
      return ok(one('application_plan', plan));
    }),
  ];
}

/** Checks `period` and `value` of a limit; throws 422 as porta's UsageLimit validations. */
function checkLimit(ctx: RouteContext, plan: Rec, metric: Rec, except?: Rec): void {
  const period = str(ctx.params, 'period') ?? (except?.period as string | undefined);
  if (!period || !(LIMIT_PERIODS as readonly string[]).includes(period)) throw invalid({ period: ['is not included in the list'] });
  const value = str(ctx.params, 'value');
  if (value !== undefined && !/^\d+$/.test(value)) throw invalid({ value: ['is not a number'] });
  if (ctx.tenant.limits.some((l) => l !== except && l.plan_id === plan.id && l.metric_id === metric.id && l.period === period)) {
    throw invalid({ period: ['has already been taken'] });
  }
}

function limitRoutes(): Route[] {
  const base = '/admin/api/application_plans/{application_plan_id}';
  const planOf = (ctx: RouteContext): Rec => find(ctx.tenant.plans, ctx.path.application_plan_id, isAppPlan);
  const metricOf = (ctx: RouteContext, plan: Rec): Rec => {
    const backends = new Set(ctx.tenant.backendUsages.filter((u) => u.service_id === plan.service_id).map((u) => u.backend_id));
    return find(ctx.tenant.metrics, ctx.path.metric_id, (m) => m.service_id === plan.service_id || backends.has(m.backend_api_id));
  };
  const item = (ctx: RouteContext): { plan: Rec; metric: Rec; limit: Rec } => {
    const plan = planOf(ctx);
    const metric = metricOf(ctx, plan);
    const limit = find(ctx.tenant.limits, ctx.path.id, (l) => l.plan_id === plan.id && l.metric_id === metric.id);
    return { plan, metric, limit };
  };
  return [
    route('GET', `${base}/limits.xml`, [], (ctx) => {
      const plan = planOf(ctx);
      return ok(list('limits', 'limit', ctx.tenant.limits.filter((l) => l.plan_id === plan.id), ctx.params));
    }),
    route('GET', `${base}/metrics/{metric_id}/limits.xml`, [], (ctx) => {
      const plan = planOf(ctx);
      const metric = metricOf(ctx, plan);
      return ok(list('limits', 'limit', ctx.tenant.limits.filter((l) => l.plan_id === plan.id && l.metric_id === metric.id), ctx.params));
    }),
    route('POST', `${base}/metrics/{metric_id}/limits.xml`, ['period', 'value'], (ctx) => {
      const plan = planOf(ctx);
      const metric = metricOf(ctx, plan);
      checkLimit(ctx, plan, metric);
      const limit: Rec = {
        id: nextId(ctx.tenant, 'limits'),
        period: str(ctx.params, 'period'),
        value: int(ctx.params, 'value') ?? 0,
        metric_id: metric.id,
        plan_id: plan.id,
        created_at: timestamp(ctx.now),
        updated_at: timestamp(ctx.now),
      };
      ctx.tenant.limits.push(limit);
      return created(one('limit', limit));
    }),
    route('GET', `${base}/metrics/{metric_id}/limits/{id}.xml`, [], (ctx) => ok(one('limit', item(ctx).limit))),
    route('PUT', `${base}/metrics/{metric_id}/limits/{id}.xml`, ['period', 'value'], (ctx) => {
      const { plan, metric, limit } = item(ctx);
      checkLimit(ctx, plan, metric, limit);
      limit.period = str(ctx.params, 'period') ?? limit.period;
      limit.value = int(ctx.params, 'value') ?? limit.value;
      touch(limit, ctx.now);
      return ok(one('limit', limit));
    }),
    route('DELETE', `${base}/metrics/{metric_id}/limits/{id}.xml`, [], (ctx) => {
      remove(ctx.tenant.limits, item(ctx).limit);
      return deleted();
    }),
  ];
}

/** Application plan and limit routes. */
export function planAndLimitRoutes(): Route[] {
  return [...planRoutes(), ...limitRoutes()];
}
