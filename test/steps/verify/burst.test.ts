/**
 * The rate-limit burst of the gateway checks against a minute boundary: 3scale counts limits per
 * UTC minute and resets the counter when a new minute starts, so a burst that straddles the
 * boundary can stay under the limit in both minutes. The check then bursts once more (and only
 * once). A fake gateway counts authorised hits per minute of an injected clock that advances one
 * second per request.
 */
import { describe, expect, it } from 'vitest';
import { CheckLog } from '../../../steps/verify/checks.js';
import { checkGateway } from '../../../steps/verify/gateway.js';
import type { ServedProduct } from '../../../steps/verify/types.js';

const KEY = 'k3y0123456789abcdef';
const MINUTE = 60_000;
/** A minute boundary (UTC) of the fake clock. */
const M = 29_000_000 * MINUTE;

const product: ServedProduct = {
  served: true, modelId: 'mistralai/Mistral-7B-Instruct-v0.3', model: 'mistral-7b-instruct', servedModelName: 'mistral-7b-instruct', api: 'chat',
  serviceId: 7, systemName: 'mistral-7b-instruct', applicationPlan: 'Standard', applicationPlanId: 9,
  productionUrl: 'https://mistral-7b-instruct-3scale-apicast-production.apps.example.com', bearerMode: 'authorization',
};

/**
 * A fake production gateway: 403 without the key, CORS preflights answered, and with `limit` at
 * most that many authorised hits per UTC minute of the clock (then 429). Each request takes one
 * second of the clock. `burstRequests` counts the burst's requests (`max_tokens: 1`).
 */
function fakeGateway(startMs: number, limit: number | undefined) {
  let clock = startMs;
  const perMinute = new Map<number, number>();
  const state = { burstRequests: 0 };
  const fetchFn = (async (_url: string | URL | Request, init?: RequestInit) => {
    const at = clock;
    clock += 1000;
    const method = init?.method ?? 'GET';
    const headers = (init?.headers ?? {}) as Record<string, string>;
    if (method === 'OPTIONS') return new Response(null, { status: 204, headers: { 'access-control-allow-origin': '*' } });
    if (headers['authorization'] !== `Bearer ${KEY}`) return new Response('Authentication parameters missing', { status: 403 });
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) as { max_tokens?: number } : {};
    if (body.max_tokens === 1) state.burstRequests += 1;
    const minute = Math.floor(at / MINUTE);
    const hits = (perMinute.get(minute) ?? 0) + 1;
    perMinute.set(minute, hits);
    if (limit !== undefined && hits > limit) return new Response('Limits exceeded', { status: 429 });
    if (method === 'GET') return Response.json({ data: [{ id: product.servedModelName }] });
    return Response.json({ choices: [{ message: { content: 'Hello' } }] });
  }) as typeof fetch;
  return { fetchFn, now: () => clock, state };
}

async function burstCheck(startMs: number, limit: number | undefined) {
  const gw = fakeGateway(startMs, limit);
  const lines: string[] = [];
  const log = new CheckLog((l) => lines.push(l), () => [KEY]);
  // Limit 5 per minute, a burst of 7: four requests come before the burst (two of them authorised).
  await checkGateway(log, gw.fetchFn, { product, key: KEY, runtime: 'vllm', limits: [{ period: 'minute', value: 5 }], burst: 7, now: gw.now }, new AbortController().signal);
  const check = log.checks.find((c) => c.what.includes('burst'));
  return { check, burstRequests: gw.state.burstRequests, lines };
}

describe('verify: the rate-limit burst across a minute boundary', () => {
  it('trips the limit within one minute as before', async () => {
    // Everything within minute M: 2 authorised hits before the burst, the 4th burst request is the 6th hit.
    const { check, burstRequests } = await burstCheck(M, 5);
    expect(check?.ok).toBe(true);
    expect(check?.got).toBe('429 at request 4');
    expect(burstRequests).toBe(4);
  });

  it('bursts once more when a new UTC minute began during a burst that saw no 429, and passes', async () => {
    // Pre-burst requests at :53-:56, burst 1-3 at :57-:59 (5 hits in M), burst 4-7 in M+1 (4 hits): no 429.
    const { check, burstRequests, lines } = await burstCheck(M - 7000, 5);
    expect(check?.ok).toBe(true);
    expect(check?.got).toBe('429 at request 2, in a second burst (a new UTC minute began during the first)');
    expect(burstRequests).toBe(7 + 2);
    expect(lines.some((l) => l.startsWith('✓') && l.includes('second burst'))).toBe(true);
  });

  it('still fails, after exactly one more burst, when the limit is not enforced', async () => {
    const { check, burstRequests } = await burstCheck(M - 7000, undefined);
    expect(check?.ok).toBe(false);
    expect(check?.got).toBe('no 429 after 7 requests (last 200), nor in 7 more after a new UTC minute began (last 200)');
    expect(burstRequests).toBe(14);
  });

  it('does not burst again when the minute did not change', async () => {
    const { check, burstRequests } = await burstCheck(M, undefined);
    expect(check?.ok).toBe(false);
    expect(check?.got).toBe('no 429 after 7 requests (last 200)');
    expect(burstRequests).toBe(7);
  });
});
