/**
 * How the simulated APIcast reaches an in-cluster upstream: the ServiceRegistry hands out a
 * HostHandler, and this bridge serves it on a private loopback port (127.0.0.1, port 0) so the
 * handler gets a real `IncomingMessage`/`ServerResponse` pair and the answer streams back as it is
 * written (chat completions with `stream: true` arrive chunk by chunk).
 */
import { randomUUID } from 'node:crypto';
import { createServer, request } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HostHandler } from '../../types.js';

const ROUTE_HEADER = 'x-maas-sim-upstream';

/** Hop-by-hop headers a proxy does not forward (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'content-length']);

/** A forwarded request. */
export interface Forward {
  handler: HostHandler;
  method: string;
  /** Path and query to send upstream. */
  path: string;
  /** Host header for the upstream (APIcast sets the upstream's host). */
  host: string;
  headers: IncomingHttpHeaders;
  /** The client's request, streamed upstream as the body. */
  body: IncomingMessage;
  /** Read timeout in milliseconds (`upstream_connection` policy `read_timeout`), undefined: none. */
  readTimeoutMs?: number;
}

/** The bridge: one loopback server per simulated 3scale, started on first use. */
export class UpstreamBridge {
  private server: Server | undefined;
  private port: Promise<number> | undefined;
  private readonly pending = new Map<string, HostHandler>();

  private start(): Promise<number> {
    this.port ??= new Promise<number>((resolve, reject) => {
      const server = createServer((req, res) => this.serve(req, res));
      server.on('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.unref();
        resolve((server.address() as AddressInfo).port);
      });
      this.server = server;
    });
    return this.port;
  }

  private serve(req: IncomingMessage, res: ServerResponse): void {
    const id = String(req.headers[ROUTE_HEADER] ?? '');
    delete req.headers[ROUTE_HEADER];
    const handler = this.pending.get(id);
    this.pending.delete(id);
    if (!handler) {
      res.writeHead(502).end();
      return;
    }
    Promise.resolve()
      .then(() => handler(req, res))
      .catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
  }

  /** Sends the request to the handler and streams its answer into `res` (502 when it fails, 504 on read timeout). */
  async forward(f: Forward, res: ServerResponse, extraHeaders: Record<string, string> = {}): Promise<void> {
    const port = await this.start();
    const id = randomUUID();
    this.pending.set(id, f.handler);
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(f.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
    headers.host = f.host;
    headers[ROUTE_HEADER] = id;
    if (f.headers['content-length']) headers['content-length'] = f.headers['content-length'];
    await new Promise<void>((resolve) => {
      const up = request({ host: '127.0.0.1', port, method: f.method, path: f.path, headers }, (answer) => {
        const out: Record<string, string | string[]> = { ...extraHeaders };
        for (const [k, v] of Object.entries(answer.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
        if (answer.headers['content-length']) out['content-length'] = answer.headers['content-length'];
        res.writeHead(answer.statusCode ?? 502, out);
        answer.pipe(res);
        answer.on('end', resolve);
        answer.on('error', () => {
          res.destroy();
          resolve();
        });
      });
      if (f.readTimeoutMs !== undefined) {
        up.setTimeout(f.readTimeoutMs, () => up.destroy(new Error('upstream read timeout')));
      }
      up.on('error', (e) => {
        this.pending.delete(id);
        if (!res.headersSent) {
          const status = e.message === 'upstream read timeout' ? 504 : 502;
          res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...extraHeaders }).end(status === 504 ? 'Gateway Timeout' : 'Bad Gateway');
        } else res.destroy();
        resolve();
      });
      f.body.pipe(up);
    });
  }

  /** Stops the loopback server. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.port = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
