/**
 * The usage check: the hits the gateway let through appear in the application's usage statistics
 * (3scale Analytics API `GET /stats/applications/{application_id}/usage.json`, parameters
 * `metric_name`, `period`; answer `total`). It is not in the Account Management spec of
 * ../shared/reference (the Analytics API is a separate 3scale API); the simulation serves it on the
 * admin host. 3scale backend reports usage in batches, so the count is awaited with back-off.
 */
import type { ThreescaleClient } from '../../src/cluster/threescale/client.js';
import { WaitTimeoutError } from '../../src/engine/errors.js';
import type { WaitFor } from '../../src/engine/types.js';
import type { CheckLog } from './checks.js';
import type { ServedProduct } from './types.js';

/** How long the usage may take to show, in milliseconds (3scale backend flushes its batches every few seconds). */
export const USAGE_TIMEOUT_MS = 90_000;

/** Total hits of an application today (period `day` ending now), metric `hits`. */
export async function hitsToday(client: ThreescaleClient, applicationId: number): Promise<number> {
  const body = await client.http.request<{ total?: unknown }>('GET', `/stats/applications/${applicationId}/usage.json`, { metric_name: 'hits', period: 'day' });
  const total = Number(body?.total ?? 0);
  return Number.isFinite(total) ? total : 0;
}

/**
 * Waits until the application's hits reach `expected` (bounded by USAGE_TIMEOUT_MS, or
 * `timeoutMs`), then records the check. An API error becomes a failed check, not a throw.
 * @throws only aborts.
 */
export async function checkUsage(
  log: CheckLog,
  client: ThreescaleClient,
  waitFor: WaitFor,
  target: { product: ServedProduct; applicationId: number; expected: number; timeoutMs?: number },
): Promise<void> {
  const { product, applicationId, expected } = target;
  let seen = 0;
  let error: string | undefined;
  try {
    seen = await waitFor(
      async () => {
        seen = await hitsToday(client, applicationId);
        return seen >= expected ? { state: 'done', value: seen } : { state: 'pending', currently: `${seen} of ${expected} hits counted` };
      },
      { what: `the hits of ${product.model} in 3scale analytics`, timeoutMs: target.timeoutMs ?? USAGE_TIMEOUT_MS, intervalMs: 1000, maxIntervalMs: 10_000 },
    );
  } catch (err) {
    if (err instanceof WaitTimeoutError) error = undefined;
    else if (err instanceof Error && (err.name === 'AbortError' || (err as { code?: string }).code === 'ABORT_ERR')) throw err;
    else error = err instanceof Error ? err.message : String(err);
  }
  log.add({
    model: product.model,
    what: `${product.model}: hits in the application's usage statistics`,
    expected: `at least ${expected} hits (metric hits, today)`,
    got: error ? `error: ${error}` : `${seen} hits`,
    ok: !error && seen >= expected,
    owner: {
      step: `threescale.product.${product.model}`,
      advice: 'the gateway\'s hits do not reach 3scale analytics: the mapping rules must count on the metric hits (or its methods)',
    },
  });
}
