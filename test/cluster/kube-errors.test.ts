import http from 'node:http';
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeApiError } from '../../src/cluster/errors.js';
import { KubeClient } from '../../src/cluster/kube.js';
import { loadKubeConfig } from '../../src/cluster/kubeconfig.js';
import { UserError } from '../../src/engine/errors.js';

/**
 * A minimal API server: discovery for core Secrets, and a scripted answer for everything else.
 * Enough to check how KubeClient maps answers, independent of the simulation.
 */
let answer: { code: number; body: unknown } = { code: 200, body: {} };
const status = (code: number, reason: string, message: string, details?: unknown): { code: number; body: unknown } => ({
  code,
  body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code, ...(details ? { details } : {}) },
});

/** Path-specific handlers (pod logs, service proxy), checked before the scripted answer. */
const routes = new Map<string, (req: http.IncomingMessage, res: http.ServerResponse) => void>();
let server: http.Server;
let url: string;
const bodiesSeen: string[] = [];

function client(server: string): KubeClient {
  const kc = loadKubeConfig({
    inline: {
      clusters: [{ name: 'c', cluster: { server, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'developer', user: { token: 'sha256~do-not-print' } }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'developer' } }],
      'current-context': 'x',
    },
  });
  return new KubeClient(kc, { server, user: 'developer' });
}

async function userError(p: Promise<unknown>): Promise<UserError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UserError);
  return err as UserError;
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      bodiesSeen.push(body);
      res.setHeader('content-type', 'application/json');
      const special = routes.get((req.url ?? '').split('?')[0] ?? '');
      if (special) {
        special(req, res);
        return;
      }
      if (req.url === '/api/v1' && answer.code !== 401) {
        res.end(JSON.stringify({ kind: 'APIResourceList', groupVersion: 'v1', resources: [{ name: 'secrets', singularName: 'secret', namespaced: true, kind: 'Secret', verbs: ['create', 'get', 'list'] }] }));
        return;
      }
      res.statusCode = answer.code;
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'llm-hosting' }, stringData: { AWS_SECRET_ACCESS_KEY: 'very-secret-value' } };

describe('KubeClient error mapping', () => {
  it('turns 401 into the one sentence with `oc login <server>`', async () => {
    answer = status(401, 'Unauthorized', 'Unauthorized');
    const err = await userError(client(url).get('v1', 'Secret', 's', 'llm-hosting'));
    expect(err.code).toBe('auth.unauthorized');
    expect(err.message).toBe(`the cluster refused the token for user developer (401 Unauthorized): it has probably expired; run \`oc login ${url}\` again`);
    const who = await userError(client(url).whoAmI());
    expect(who.code).toBe('auth.unauthorized');
  });

  it('turns 403 into rbac.denied naming verb, resource and namespace, with a fix', async () => {
    answer = status(403, 'Forbidden', 'secrets is forbidden: User "developer" cannot create resource "secrets" in API group "" in the namespace "llm-hosting"');
    const err = await userError(client(url).create(secret));
    expect(err.code).toBe('rbac.denied');
    expect(err.message).toContain('cannot create resource "secrets"');
    expect(err.fix).toContain('create secrets in namespace llm-hosting');
    expect(err.fix).toContain('ask a cluster admin');
    expect(err.message).not.toContain('very-secret-value');
  });

  it('turns 422 into `invalid` with the Status causes\' fields', async () => {
    answer = status(422, 'Invalid', 'Secret "s" is invalid', { causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: "A B": a valid config key', field: 'data[A B]' }] });
    const err = await userError(client(url).create(secret));
    expect(err.code).toBe('invalid');
    expect(err.message).toContain('data[A B]');
  });

  it('keeps 409 and 500 as KubeApiError with the status, and 404 on get as undefined', async () => {
    answer = status(409, 'AlreadyExists', 'secrets "s" already exists');
    const conflict = await client(url).create(secret).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(KubeApiError);
    expect((conflict as KubeApiError).status).toBe(409);
    expect((conflict as KubeApiError).reason).toBe('AlreadyExists');
    answer = status(404, 'NotFound', 'secrets "s" not found');
    await expect(client(url).get('v1', 'Secret', 's', 'llm-hosting')).resolves.toBeUndefined();
    await expect(client(url).delete({ apiVersion: 'v1', kind: 'Secret', name: 's', namespace: 'llm-hosting' })).resolves.toBe(false);
    answer = status(500, 'InternalError', 'boom');
    const internal = await client(url).get('v1', 'Secret', 's', 'llm-hosting').catch((e: unknown) => e);
    expect((internal as KubeApiError).status).toBe(500);
  });

  it('names the server URL when nothing listens there', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const deadUrl = `http://127.0.0.1:${(closed.address() as net.AddressInfo).port}`;
    await new Promise<void>((r) => closed.close(() => r()));
    const err = await userError(client(deadUrl).whoAmI());
    expect(err.code).toBe('cluster.unreachable');
    expect(err.message).toContain(deadUrl);
    expect(err.message).toContain('ECONNREFUSED');
  });
});

describe('KubeClient streams and proxy', () => {
  it('reads a pod log line by line, joining lines split across chunks', async () => {
    let query = '';
    routes.set('/api/v1/namespaces/llm-hosting/pods/import-abc/log', (req, res) => {
      query = req.url ?? '';
      res.setHeader('content-type', 'text/plain');
      res.write('copied 1/3 files\ncopied 2');
      setImmediate(() => {
        res.write('/3 files\r\ncopied 3/3 files\n');
        res.end('done');
      });
    });
    const lines: string[] = [];
    await client(url).podLog('llm-hosting', 'import-abc', { follow: true, onLine: (l) => lines.push(l) });
    expect(lines).toEqual(['copied 1/3 files', 'copied 2/3 files', 'copied 3/3 files', 'done']);
    expect(query).toContain('follow=true');
  });

  it('stops following a log when the signal aborts', async () => {
    let opened!: () => void;
    const isOpen = new Promise<void>((r) => (opened = r));
    routes.set('/api/v1/namespaces/llm-hosting/pods/endless/log', (_req, res) => {
      res.setHeader('content-type', 'text/plain');
      res.write('first\n');
      opened();
    });
    const controller = new AbortController();
    const lines: string[] = [];
    const reading = client(url).podLog('llm-hosting', 'endless', {
      follow: true,
      signal: controller.signal,
      onLine: (l) => {
        lines.push(l);
        controller.abort();
      },
    });
    await isOpen;
    await reading;
    expect(lines).toEqual(['first']);
  });

  it('GETs through the service proxy and hands back the backend status and body', async () => {
    routes.set('/api/v1/namespaces/llm-hosting/services/mistral-predictor:80/proxy/v1/models', (_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'mistral' }] }));
    });
    routes.set('/api/v1/namespaces/llm-hosting/services/down-predictor:80/proxy/v1/models', (_req, res) => {
      res.statusCode = 503;
      res.end(JSON.stringify({ kind: 'Status', code: 503, message: 'no endpoints available for service "down-predictor"' }));
    });
    const ok = await client(url).proxyGet('llm-hosting', 'mistral-predictor', 80, '/v1/models');
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ data: [{ id: 'mistral' }] });
    const down = await client(url).proxyGet('llm-hosting', 'down-predictor', 80, 'v1/models');
    expect(down.status).toBe(503);
    expect(down.body).toContain('no endpoints available');
  });
});
