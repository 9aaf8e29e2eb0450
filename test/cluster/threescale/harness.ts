/**
 * Test harness of the 3scale client: the simulated 3scale (src/sim/threescale) behind a loopback
 * server (127.0.0.1, port 0), reached through the wizard's own HTTP layer with ingress routing,
 * exactly as the steps reach it in demo mode.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpLayer } from '../../../src/cluster/http.js';
import type { HttpLayer } from '../../../src/cluster/http.js';
import { ThreescaleClient } from '../../../src/cluster/threescale/client.js';
import type { ThreescaleHttpOptions } from '../../../src/cluster/threescale/http.js';
import { createThreescale } from '../../../src/sim/threescale/index.js';
import type { ThreescaleSim } from '../../../src/sim/threescale/index.js';
import type { HostHandler, ServiceRegistry } from '../../../src/sim/types.js';

export const DOMAIN = 'apps.client.test';
export const TOKEN = 'test-admin-token-4711';
export const ADMIN_URL = `https://maas-admin.${DOMAIN}`;

function noServices(): ServiceRegistry {
  const m = new Map<string, HostHandler>();
  return { set: (ns, n, h) => void m.set(`${n}.${ns}`, h), remove: (ns, n) => void m.delete(`${n}.${ns}`), get: (ns, n) => m.get(`${n}.${ns}`), resolve: () => undefined };
}

/** A running simulated 3scale tenant `maas` and an HTTP layer routed to it. */
export interface ClientHarness {
  sim: ThreescaleSim;
  http: HttpLayer;
  /** A client with fast retries (1 ms first delay); `overrides` replace options. */
  client(overrides?: Partial<ThreescaleHttpOptions>): ThreescaleClient;
  close(): Promise<void>;
}

/** Starts the harness. */
export async function startHarness(): Promise<ClientHarness> {
  const sim = createThreescale({ domain: DOMAIN, services: noServices() });
  sim.provisionTenant({ tenantName: 'maas', accessToken: TOKEN, domain: DOMAIN });
  const server: Server = createServer((req, res) => void sim.handler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  const http = createHttpLayer({ ingressAddress: `127.0.0.1:${port}`, domain: DOMAIN, ingressPlainHttp: true, env: {} });
  return {
    sim,
    http,
    client: (overrides = {}) =>
      new ThreescaleClient({ fetch: http.fetch, baseUrl: ADMIN_URL, accessToken: async () => TOKEN, retry: { retries: 3, minTimeoutMs: 1, maxTimeoutMs: 5 }, ...overrides }),
    async close() {
      await http.close();
      await new Promise<void>((r) => server.close(() => r()));
      await sim.close();
    },
  };
}
