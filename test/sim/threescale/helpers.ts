/**
 * Test helpers: the simulated 3scale behind a loopback HTTP server (127.0.0.1, port 0), requests
 * with an explicit Host header, and a ServiceRegistry stub for upstreams.
 */
import { createServer, request } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createThreescale } from '../../../src/sim/threescale/index.js';
import type { ThreescaleSim } from '../../../src/sim/threescale/index.js';
import type { HostHandler, ServiceRegistry } from '../../../src/sim/types.js';

export const DOMAIN = 'apps.sim.test';
export const TOKEN = 'secret-admin-token';
export const ADMIN = `maas-admin.${DOMAIN}`;
export const PORTAL = `maas.${DOMAIN}`;

/** A ServiceRegistry keyed by `name.namespace`. */
export function serviceRegistry(): ServiceRegistry & { handlers: Map<string, HostHandler> } {
  const handlers = new Map<string, HostHandler>();
  return {
    handlers,
    set: (ns, name, h) => void handlers.set(`${name}.${ns}`, h),
    remove: (ns, name) => void handlers.delete(`${name}.${ns}`),
    get: (ns, name) => handlers.get(`${name}.${ns}`),
    resolve(url) {
      const m = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc/.exec(new URL(url).hostname);
      return m ? handlers.get(`${m[1]}.${m[2]}`) : undefined;
    },
  };
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: () => any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A running simulated 3scale. */
export interface Harness {
  sim: ThreescaleSim;
  services: ReturnType<typeof serviceRegistry>;
  port: number;
  /** Raw request with Host header. */
  send(host: string, method: string, path: string, options?: { headers?: Record<string, string>; body?: string | Buffer }): Promise<Answer>;
  /** AM/CMS API call: `access_token` added (query for GET/DELETE, form body otherwise). */
  api(method: string, path: string, params?: Record<string, string | string[]>, token?: string | null): Promise<Answer>;
  /** A clock the test moves (milliseconds). */
  clock: { now: number };
  close(): Promise<void>;
}

/** Starts the simulated 3scale on a loopback port; `provision` creates the tenant `maas`. */
export async function start(options: { provision?: boolean } = {}): Promise<Harness> {
  const services = serviceRegistry();
  const clock = { now: Date.UTC(2026, 0, 5, 10, 0, 0) };
  const sim = createThreescale({ domain: DOMAIN, services, now: () => clock.now });
  if (options.provision !== false) sim.provisionTenant({ tenantName: 'maas', accessToken: TOKEN, domain: DOMAIN });
  const server: Server = createServer((req, res) => void sim.handler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  const send: Harness['send'] = (host, method, path, opts = {}) =>
    new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method, path, headers: { host, ...(opts.headers ?? {}) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(opts.body);
    });
  const api: Harness['api'] = (method, path, params = {}, token = TOKEN) => {
    const form = new URLSearchParams();
    if (token !== null) form.append('access_token', token);
    for (const [k, v] of Object.entries(params)) {
      if (Array.isArray(v)) for (const x of v) form.append(`${k}[]`, x);
      else form.append(k, v);
    }
    if (method === 'GET' || method === 'DELETE') {
      const sep = path.includes('?') ? '&' : '?';
      return send(ADMIN, method, `${path}${sep}${form.toString()}`);
    }
    return send(ADMIN, method, path, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
  };
  return {
    sim,
    services,
    port,
    send,
    api,
    clock,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await sim.close();
    },
  };
}
