/**
 * Usage counting behind APIcast limits and the analytics API. Hits are kept per application,
 * metric and UTC minute (TenantState.usage). Limit periods are calendar periods in UTC as
 * 3scale backend counts them (minute, hour, day, week starting Monday, month, year, eternity).
 */
import type { LimitPeriod, TenantState } from './state.js';

const MINUTE = 60_000;

/** Start (ms since the epoch) of the calendar period containing `ms`; 0 for `eternity`. */
export function periodStart(ms: number, period: LimitPeriod): number {
  const d = new Date(ms);
  switch (period) {
    case 'eternity':
      return 0;
    case 'year':
      return Date.UTC(d.getUTCFullYear(), 0, 1);
    case 'month':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    case 'week': {
      const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
      return day - ((d.getUTCDay() + 6) % 7) * 86_400_000;
    }
    case 'day':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    case 'hour':
      return Math.floor(ms / 3_600_000) * 3_600_000;
    case 'minute':
      return Math.floor(ms / MINUTE) * MINUTE;
  }
}

/** Adds `delta` hits of a metric for an application at time `ms`. */
export function recordUsage(state: TenantState, applicationId: number, metricId: number, ms: number, delta: number): void {
  const key = `${applicationId}:${metricId}:${Math.floor(ms / MINUTE)}`;
  state.usage[key] = (state.usage[key] ?? 0) + delta;
}

/** Hits of a metric for an application in `[fromMs, untilMs)` (minute resolution). */
export function usageBetween(state: TenantState, applicationId: number, metricId: number, fromMs: number, untilMs = Infinity): number {
  const prefix = `${applicationId}:${metricId}:`;
  const from = Math.floor(fromMs / MINUTE);
  const until = untilMs === Infinity ? Infinity : Math.ceil(untilMs / MINUTE);
  let total = 0;
  for (const [key, value] of Object.entries(state.usage)) {
    if (!key.startsWith(prefix)) continue;
    const minute = Number(key.slice(prefix.length));
    if (minute >= from && minute < until) total += value;
  }
  return total;
}

/**
 * Checks the application's plan limits for the given usage (metric id → delta) at time `ms`.
 * Returns true when any limit would be exceeded (a limit of 0 disables the metric).
 */
export function exceedsLimits(state: TenantState, applicationId: number, planId: number, usage: Map<number, number>, ms: number): boolean {
  for (const limit of state.limits) {
    if (limit.plan_id !== planId) continue;
    const delta = usage.get(Number(limit.metric_id));
    if (delta === undefined) continue;
    const used = usageBetween(state, applicationId, Number(limit.metric_id), periodStart(ms, limit.period as LimitPeriod));
    if (used + delta > Number(limit.value)) return true;
  }
  return false;
}
