/**
 * Serves a handler on 127.0.0.1 (loopback only), over plain HTTP or, given a key and certificate,
 * HTTPS. kubectl needs HTTPS: client-go sends bearer tokens only over TLS connections
 * (kubernetes/kubectl#744), so a kubeconfig for kubectl points at an HTTPS listener with
 * `insecure-skip-tls-verify: true`.
 */
import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { RequestListener } from 'node:http';
import type { Socket } from 'node:net';
import type { HostHandler } from '../types.js';
import { statusBody } from './errors.js';

/** PEM key and certificate for an HTTPS listener. */
export interface TlsOptions {
  key: string;
  cert: string;
}

/**
 * Listens on 127.0.0.1:`port` (0 or absent: a free port); HTTPS when `options.tls` is given.
 * `close()` stops accepting, ends every open connection (watches, log follows, keep-alive
 * sockets) and resolves once the server is closed. A handler that throws answers 500 with a Status body.
 */
export async function listen(
  handler: HostHandler,
  port = 0,
  options: { tls?: TlsOptions } = {},
): Promise<{ port: number; url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const onRequest: RequestListener = (req, res) => {
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((err: unknown) => {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        const message = err instanceof Error ? err.message : String(err);
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify(statusBody({ code: 500, reason: 'InternalError', message: `Internal error occurred: ${message}` })));
      });
  };
  const server = options.tls ? createTlsServer({ key: options.tls.key, cert: options.tls.cert }, onRequest) : createServer(onRequest);
  server.on(options.tls ? 'secureConnection' : 'connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const actual = typeof address === 'object' && address !== null ? address.port : port;
  let closing: Promise<void> | undefined;
  return {
    port: actual,
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${actual}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
