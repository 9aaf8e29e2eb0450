/**
 * Analytics API: `GET /stats/applications/{application_id}/usage.json` (3scale Analytics API, not
 * part of the AM/CMS specs in ../shared/reference). Parameters `metric_name`* and either `period`
 * (year/month/week/day/hour/minute, the period ending now) or `since` (+ `until`), `granularity`
 * (month/day/hour/minute). Counts come from the hits the simulated gateways authorised.
 */
import { ApiError, str } from '../http.js';
import { find } from '../model.js';
import type { Route } from '../router.js';
import { usageBetween } from '../usage.js';
import { route } from './common.js';

const LENGTH: Record<string, number> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
  month: 30 * 86_400_000,
  year: 365 * 86_400_000,
};
const DEFAULT_GRANULARITY: Record<string, string> = { year: 'month', month: 'day', week: 'day', day: 'hour', hour: 'minute', minute: 'minute' };

/** The analytics route(s). */
export function statsRoutes(): Route[] {
  return [
    route(
      'GET',
      '/stats/applications/{application_id}/usage.json',
      ['metric_name'],
      (ctx) => {
        const app = find(ctx.tenant.applications, ctx.path.application_id);
        const metricName = str(ctx.params, 'metric_name');
        const metric = ctx.tenant.metrics.find((m) => m.service_id === app.service_id && m.system_name === metricName);
        if (!metric) throw new ApiError(404, { error: 'metric not found' });
        const period = str(ctx.params, 'period');
        if (period !== undefined && !(period in LENGTH)) throw new ApiError(400, { error: 'period is invalid' });
        const sinceParam = str(ctx.params, 'since');
        const untilParam = str(ctx.params, 'until');
        const granularity = str(ctx.params, 'granularity') ?? DEFAULT_GRANULARITY[period ?? 'day'] ?? 'hour';
        const step = LENGTH[granularity];
        if (!step || granularity === 'week' || granularity === 'year') throw new ApiError(400, { error: 'granularity is invalid' });
        let since: number;
        let until: number;
        if (sinceParam) {
          since = Date.parse(sinceParam);
          if (Number.isNaN(since)) throw new ApiError(400, { error: 'since is invalid' });
          until = untilParam ? Date.parse(untilParam) : since + (LENGTH[period ?? 'day'] as number);
        } else {
          // The period ends with the granularity bucket holding "now", so current hits count.
          until = Math.floor(ctx.now / step) * step + step;
          since = until - (LENGTH[period ?? 'day'] as number);
        }
        const values: number[] = [];
        for (let t = since; t < until; t += step) values.push(usageBetween(ctx.tenant, app.id, metric.id, t, Math.min(t + step, until)));
        const total = values.reduce((a, b) => a + b, 0);
        return {
          status: 200,
          body: {
            metric: { id: metric.id, name: metric.friendly_name, system_name: metric.system_name, unit: metric.unit },
            period: { name: period ?? null, since: new Date(since).toISOString(), until: new Date(until).toISOString(), timezone: 'Etc/UTC', granularity },
            total,
            values,
            application: { id: app.id, name: app.name, state: app.state, service_id: app.service_id, account_id: app.account_id, plan_id: app.plan_id },
          },
        };
      },
      'analytics',
    ),
  ];
}
