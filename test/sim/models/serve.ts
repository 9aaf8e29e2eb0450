/** Test helper: serves a HostHandler on 127.0.0.1 port 0 and returns its base URL and a closer. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HostHandler } from '../../../src/sim/types.js';

/** A handler served on loopback: `url` is `http://127.0.0.1:PORT`. */
export interface Served {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves `handler` on 127.0.0.1:0; a handler that throws answers 500 (so the test sees it). */
export async function serve(handler: HostHandler): Promise<Served> {
  const server = createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
