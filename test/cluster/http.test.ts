import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpLayer, parseHostPort } from '../../src/cluster/http.js';
import type { HttpLayer } from '../../src/cluster/http.js';
import { UserError } from '../../src/engine/errors.js';

/** A server answering with the Host header (and the TLS SNI name) it received. */
function echoHandler(req: http.IncomingMessage, res: http.ServerResponse): void {
  const sni = (req.socket as TLSSocket).servername;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ host: req.headers.host, path: req.url, sni: sni || null }));
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

const layers: HttpLayer[] = [];
function layer(options: Parameters<typeof createHttpLayer>[0]): HttpLayer {
  const l = createHttpLayer(options);
  layers.push(l);
  return l;
}

let plain: http.Server;
let plainPort: number;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'http-layer-'));
  plain = http.createServer(echoHandler);
  plainPort = await listen(plain);
});
afterAll(async () => {
  await Promise.all(layers.map((l) => l.close()));
  plain.closeAllConnections();
  plain.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('HTTP layer routing', () => {
  it('sends a made-up route host to the ingress address without DNS, keeping the Host header', async () => {
    const l = layer({ ingressAddress: `127.0.0.1:${plainPort}`, domain: 'apps.example.test', env: {} });
    const res = await l.fetch('http://x.apps.example.test/hello?a=1');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ host: 'x.apps.example.test', path: '/hello?a=1', sni: null });
    expect(l.routes('deep.sub.apps.example.test')).toBe(true);
    expect(l.routes('apps.example.test')).toBe(true);
    expect(l.routes('example.test')).toBe(false);
    expect(l.routes('xapps.example.test')).toBe(false);
  });

  it('routes nothing without an ingress address', () => {
    const l = layer({ domain: 'apps.example.test', env: {} });
    expect(l.routes('x.apps.example.test')).toBe(false);
  });

  it('refuses a malformed ingress address as a usage error', () => {
    expect(() => parseHostPort('no-port')).toThrow(UserError);
    expect(() => parseHostPort('host:99999')).toThrow(/HOST:PORT/);
    expect(parseHostPort('[::1]:8443')).toEqual({ host: '::1', port: 8443 });
  });

  it('uses HTTP_PROXY for other hosts and bypasses it for route hosts', async () => {
    const seen: string[] = [];
    const proxy = http.createServer((req, res) => {
      // Plain-HTTP proxying (absolute-form request line): answer for the target.
      seen.push(`request ${req.url}`);
      res.end(JSON.stringify({ viaProxy: true, host: req.headers.host }));
    });
    proxy.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
      seen.push(`connect ${req.url}`);
      const upstream = net.connect(plainPort, '127.0.0.1', () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    const proxyPort = await listen(proxy);
    try {
      const l = layer({ ingressAddress: `127.0.0.1:${plainPort}`, domain: 'apps.example.test', env: { HTTP_PROXY: `http://127.0.0.1:${proxyPort}` } });
      const proxied = await l.fetch('http://proxied.example.test/p');
      expect(proxied.status).toBe(200);
      const body = (await proxied.json()) as { host?: string };
      expect(body.host).toBe('proxied.example.test');
      expect(seen.length).toBe(1);
      expect(seen[0]).toContain('proxied.example.test');
      const routed = await l.fetch('http://r.apps.example.test/');
      expect(((await routed.json()) as { host: string }).host).toBe('r.apps.example.test');
      expect(seen.length).toBe(1);
    } finally {
      proxy.closeAllConnections();
      proxy.close();
    }
  });
});

const hasOpenssl = existsSync('/usr/bin/openssl');
if (!hasOpenssl) console.warn('skipped: TLS routing tests need /usr/bin/openssl');

describe.skipIf(!hasOpenssl)('HTTP layer TLS', () => {
  let tlsServer: https.Server;
  let tlsPort: number;
  let caFile: string;

  beforeAll(async () => {
    caFile = path.join(dir, 'ingress.crt');
    const keyFile = path.join(dir, 'ingress.key');
    execFileSync('/usr/bin/openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=*.apps.example.test',
      '-addext', 'subjectAltName=DNS:*.apps.example.test', '-keyout', keyFile, '-out', caFile,
    ], { stdio: 'ignore' });
    tlsServer = https.createServer({ key: readFileSync(keyFile), cert: readFileSync(caFile) }, echoHandler);
    tlsPort = await listen(tlsServer);
  });
  afterAll(() => {
    tlsServer?.closeAllConnections();
    tlsServer?.close();
  });

  it('keeps the route host as TLS SNI and trusts --ca-file', async () => {
    const l = layer({ ingressAddress: `127.0.0.1:${tlsPort}`, domain: 'apps.example.test', caFile, env: {} });
    const res = await l.fetch('https://keycloak-rh-sso.apps.example.test/auth');
    expect(await res.json()).toEqual({ host: 'keycloak-rh-sso.apps.example.test', path: '/auth', sni: 'keycloak-rh-sso.apps.example.test' });
  });

  it('refuses an untrusted certificate unless told to skip verification', async () => {
    const strict = layer({ ingressAddress: `127.0.0.1:${tlsPort}`, domain: 'apps.example.test', env: {} });
    await expect(strict.fetch('https://a.apps.example.test/')).rejects.toThrow();
    const loose = layer({ ingressAddress: `127.0.0.1:${tlsPort}`, domain: 'apps.example.test', insecureSkipVerify: true, env: {} });
    expect((await loose.fetch('https://a.apps.example.test/')).status).toBe(200);
  });

  it('refuses an unreadable --ca-file as a usage error', () => {
    expect(() => createHttpLayer({ caFile: path.join(dir, 'missing.pem') })).toThrow(/--ca-file/);
  });
});
