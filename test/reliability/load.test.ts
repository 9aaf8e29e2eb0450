/**
 * Load on the cluster (issue #10 item 4): a whole run's requests stay under generous fixed
 * ceilings, so a polling loop gone wild (no back-off, no watch) fails CI. The numbers are printed.
 * The ceilings are several times what a run needs today (measured 2026-11 with every stage: about 735
 * requests, a peak of about 300 in one second on instant timing, where nothing waits, no request
 * repeated more than 33 times: the 3scale steps reading Secret `system-seed`); they are fixed, not
 * derived from a run, so growth shows as a failure to look at, not as a new normal.
 */
import { describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../../src/sim/kube/record.js';
import { loadLines, measureLoad, runLoadProfile } from './load.js';

/** Most requests a whole run may make. */
const MAX_REQUESTS = 2500;
/** Most requests in any one second. */
const MAX_PER_SECOND = 1000;
/** Most times one request (method, service, path without query) may repeat: a wait that polls one object. */
const MAX_SAME_REQUEST = 150;

const entry = (at: number, path = '/api/v1/namespaces', method = 'GET', service = 'kubernetes'): RequestLogEntry => ({
  at: new Date(at).toISOString(),
  service,
  method,
  path,
  status: 200,
  bodyKeys: [],
});

describe('measureLoad', () => {
  it('finds the busiest one-second window, the hottest request and the writes', () => {
    const t = Date.parse('2026-01-01T00:00:00Z');
    const entries = [
      entry(t), entry(t + 100), entry(t + 999), entry(t + 1000), entry(t + 1500), entry(t + 1600),
      entry(t + 5000, '/api/v1/namespaces/x/secrets', 'POST'),
      entry(t + 5001, '/auth/realms/master/protocol/openid-connect/token', 'POST', 'keycloak'),
    ];
    const r = measureLoad(entries);
    expect(r.total).toBe(8);
    expect(r.peakPerSecond).toBe(4); // t+999, t+1000, t+1500, t+1600 lie within 1000 ms of each other
    expect(r.writes).toBe(1); // the token grant is a log-in, not a write
    expect(r.hottest).toEqual({ request: 'GET kubernetes /api/v1/namespaces', count: 6 });
    expect(r.byService).toEqual({ kubernetes: 7, keycloak: 1 });
    expect(r.spanMs).toBe(5001);
  });

  it('an empty log gives zeros', () => {
    expect(measureLoad([])).toMatchObject({ total: 0, peakPerSecond: 0, spanMs: 0, hottest: { count: 0 } });
  });
});

describe('load of a whole run', () => {
  it('stays under the ceilings (requests, peak per second, repeats of one request)', async () => {
    const r = await runLoadProfile();
    console.log(['load of a whole run (instant timing, local import, 3 models):', ...loadLines(r)].join('\n  '));
    expect(r.writes, 'a run that wrote nothing measured nothing').toBeGreaterThan(20);
    expect(r.total).toBeLessThanOrEqual(MAX_REQUESTS);
    expect(r.peakPerSecond).toBeLessThanOrEqual(MAX_PER_SECOND);
    expect(r.hottest.count, `most requested: ${r.hottest.request}`).toBeLessThanOrEqual(MAX_SAME_REQUEST);
  }, 180_000);
});
