/**
 * Retries of creates (POST): never after the request may have reached porta (connection reset
 * after the write, a 500), so a lost answer never leaves a second mapping rule or plan; still
 * retried when nothing can have been written (connection refused, 502/503/504). Reads and
 * updates keep retrying after a reset. A wrapper in front of the simulated 3scale performs the
 * request and then drops the connection instead of answering.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpLayer } from '../../../src/cluster/http.js';
import type { HttpLayer } from '../../../src/cluster/http.js';
import { ThreescaleClient } from '../../../src/cluster/threescale/client.js';
import { ThreescaleApiError } from '../../../src/cluster/threescale/errors.js';
import { neverConnected } from '../../../src/cluster/threescale/http.js';
import type { RequestRecord } from '../../../src/cluster/threescale/http.js';
import type { UserError } from '../../../src/engine/errors.js';
import { ADMIN_URL, DOMAIN, TOKEN, startHarness } from './harness.js';
import type { ClientHarness } from './harness.js';

let h: ClientHarness;
let server: Server;
let layer: HttpLayer;
/** Requests (by method) whose answer the wrapper drops after the simulated 3scale handled them. */
const drop = { POST: 0, GET: 0 };

beforeAll(async () => {
  h = await startHarness();
  server = createServer((req, res) => {
    const method = req.method as keyof typeof drop;
    if (drop[method] > 0) {
      drop[method] -= 1;
      // The request is handled (the create happens); the answer is replaced by a reset.
      res.end = (() => {
        req.socket.destroy();
        return res;
      }) as typeof res.end;
    }
    void h.sim.handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  layer = createHttpLayer({ ingressAddress: `127.0.0.1:${(server.address() as AddressInfo).port}`, domain: DOMAIN, ingressPlainHttp: true, env: {} });
});
afterAll(async () => {
  await layer.close();
  await new Promise<void>((r) => server.close(() => r()));
  await h.close();
});

function client(): { client: ThreescaleClient; seen: RequestRecord[] } {
  const c = new ThreescaleClient({ fetch: layer.fetch, baseUrl: ADMIN_URL, accessToken: async () => TOKEN, retry: { retries: 3, minTimeoutMs: 1, maxTimeoutMs: 5 } });
  const seen: RequestRecord[] = [];
  c.http.onRequest((r) => seen.push(r));
  return { client: c, seen };
}

const backend = (name: string) => ({ name, system_name: name, private_endpoint: `http://${name}.ns.svc` });

describe('creates (POST) are not sent twice', () => {
  it('does not retry a create whose connection broke after it was sent; the create happened once and is found by name', async () => {
    const { client: c, seen } = client();
    drop.POST = 1;
    const err = await c.backends.create(backend('lost_answer')).catch((e: unknown) => e);
    expect((err as UserError).code).toBe('3scale.unreachable');
    expect((err as Error).message).toContain('the create may have happened');
    expect((err as Error).message).not.toContain(TOKEN);
    expect(seen.filter((r) => r.method === 'POST')).toHaveLength(1);
    const all = (await c.backends.list()).filter((b) => b.system_name === 'lost_answer');
    expect(all).toHaveLength(1);
    expect((await c.backends.findBySystemName('lost_answer'))?.id).toBe(all[0]?.id);
  });

  it('does not retry a create answered 500, and says so with the status', async () => {
    const { client: c, seen } = client();
    h.sim.failNextRequests(1, 500);
    const err = await c.backends.create(backend('five_hundred')).catch((e: unknown) => e);
    h.sim.failNextRequests(0);
    expect(err).toBeInstanceOf(ThreescaleApiError);
    expect((err as ThreescaleApiError).status).toBe(500);
    expect(seen.map((r) => r.status)).toEqual([500]);
  });

  it('retries a create answered 503 (nothing written) and creates it once', async () => {
    const { client: c, seen } = client();
    h.sim.failNextRequests(2, 503);
    const made = await c.backends.create(backend('unavailable_first'));
    expect(seen.map((r) => r.status)).toEqual([503, 503, 201]);
    expect((await c.backends.list()).filter((b) => b.system_name === 'unavailable_first').map((b) => b.id)).toEqual([made.id]);
  });

  it('retries a create whose connection was refused (never sent)', async () => {
    const closed = createNetServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const c = new ThreescaleClient({ fetch, baseUrl: `http://127.0.0.1:${port}`, accessToken: async () => TOKEN, retry: { retries: 2, minTimeoutMs: 1, maxTimeoutMs: 2 } });
    const seen: RequestRecord[] = [];
    c.http.onRequest((r) => seen.push(r));
    const err = await c.backends.create(backend('refused')).catch((e: unknown) => e);
    expect((err as UserError).code).toBe('3scale.unreachable');
    expect((err as Error).message).toContain('cannot reach');
    expect(seen.map((r) => r.status)).toEqual(['error', 'error', 'error']);
  });
});

describe('reads keep retrying', () => {
  it('retries a GET whose connection broke, and succeeds', async () => {
    const { client: c, seen } = client();
    drop.GET = 1;
    const list = await c.backends.list();
    expect(list.length).toBeGreaterThan(0);
    expect(seen.map((r) => r.status)).toEqual(['error', 200]);
  });
});

describe('which errors mean the connection was never made', () => {
  const fetchFailed = (cause: unknown) => new TypeError('fetch failed', { cause });
  const coded = (code: string) => Object.assign(new Error(code), { code });
  it('refused, unknown host, DNS try-again and connect timeout (also inside an AggregateError)', () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']) expect(neverConnected(fetchFailed(coded(code))), code).toBe(true);
    expect(neverConnected(fetchFailed(new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')], 'all failed')))).toBe(true);
  });
  it('not a reset, a hang-up, a headers timeout, or an error without a code', () => {
    for (const code of ['ECONNRESET', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT', 'EPIPE']) expect(neverConnected(fetchFailed(coded(code))), code).toBe(false);
    expect(neverConnected(fetchFailed(new Error('socket hang up')))).toBe(false);
    expect(neverConnected(new AggregateError([coded('ECONNREFUSED'), coded('ECONNRESET')], 'mixed'))).toBe(false);
  });
});
