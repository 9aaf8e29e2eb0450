/**
 * What a simulated pod reaches over the network, in-process: in-cluster Service hosts
 * (`<svc>.<ns>.svc[.cluster.local]`, through the ServiceRegistry) and Route hosts / other hosts the
 * ingress serves (`huggingface.co`, `*.<domain>`, through the IngressRegistry). A host neither
 * serves does not resolve (`getaddrinfo ENOTFOUND <host>`, as cluster DNS answers).
 *
 * Clients use `agent` (a `node:http` Agent): every connection goes to one private loopback server
 * (127.0.0.1, port 0) that hands the request, Host header untouched, to the handler of that host.
 * Pods in the simulation talk plain HTTP: `https://` URLs are sent as `http://` to the same host and
 * port (`podUrl`), so signatures over the Host header (S3 SigV4) stay valid.
 */
import { Agent } from 'node:http';
import type { ClientRequestArgs } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { normalizeHost } from '../ingress.js';
import { listen } from '../kube/listen.js';
import type { HostHandler, IngressRegistry, ServiceRegistry } from '../types.js';

/** The network of simulated pods: an http Agent and the URL rewrite, plus `close()`. */
export interface PodNetwork {
  /** Agent whose connections reach the simulated hosts (pass to `http.request` or the AWS SDK's `httpAgent`). */
  readonly agent: Agent;
  /** The handler a host (with or without port) is served by; undefined when it does not resolve. */
  resolve(host: string): HostHandler | undefined;
  /** Stops the loopback server and the agent's sockets. */
  close(): Promise<void>;
}

/** `https://h[:p]/x` → `http://h:p/x` (443 kept explicitly); other URLs unchanged. Throws TypeError for a malformed URL. */
export function podUrl(url: string): string {
  const u = new URL(url);
  if (u.protocol !== 'https:') return u.toString();
  const port = u.port === '' ? '443' : u.port;
  return `http://${u.hostname}:${port}${u.pathname}${u.search}`;
}

/**
 * Starts the pod network on a loopback port.
 * @param services in-cluster Services; `ingress` the Route hosts (and `huggingface.co`).
 * @throws whatever `listen` throws (no loopback port available).
 */
export async function createPodNetwork(services: ServiceRegistry, ingress: IngressRegistry): Promise<PodNetwork> {
  const resolve = (host: string): HostHandler | undefined => {
    const h = normalizeHost(host);
    const svc = services.resolve(`http://${h}`);
    if (svc) return svc;
    const route = ingress.get(h);
    if (!route) return undefined;
    // Through the router, as the ingress does for clients outside: the service sees https.
    return (req, res) => {
      req.headers['x-forwarded-proto'] ??= 'https';
      return route(req, res);
    };
  };
  const server = await listen(async (req, res) => {
    const handler = resolve(String(req.headers.host ?? ''));
    if (!handler) {
      req.resume();
      res.writeHead(502).end();
      return;
    }
    await handler(req, res);
  }, 0);

  class PodAgent extends Agent {
    override createConnection(options: ClientRequestArgs, callback?: (err: Error | null, socket: Duplex) => void): Duplex | undefined {
      const host = String(options.hostname ?? options.host ?? '');
      if (!resolve(host)) {
        const err = Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND', hostname: host });
        // Asynchronous failure through the callback, as a DNS lookup fails.
        process.nextTick(() => callback?.(err, undefined as unknown as Duplex));
        return undefined;
      }
      return connect({ host: '127.0.0.1', port: server.port });
    }
  }
  // No keep-alive: a reused idle connection can be closed by the loopback server's keep-alive
  // timeout just as a pod sends on it ("socket hang up"); a fresh connection per request is cheap here.
  const agent = new PodAgent({ keepAlive: false });

  return {
    agent,
    resolve,
    async close() {
      agent.destroy();
      await server.close();
    },
  };
}
