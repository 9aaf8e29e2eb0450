import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFaultInjector, isWriteRequest, simFaults } from '../../../src/sim/kube/faults.js';
import type { HostHandler } from '../../../src/sim/types.js';
import { createRequestLog, redactPath } from '../../../src/sim/kube/record.js';
import { secret, startHarness } from './harness.js';
import type { Harness } from './harness.js';

let h: Harness | undefined;
let dir: string | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

const SECRETS = '/api/v1/namespaces/llm-hosting/secrets';
const SSAR = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
const review = { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb: 'get', resource: 'pods' } } };

describe('fault injector', () => {
  it('counts writes across requests (an access review is not a write) and fails write N with 500 without doing it', async () => {
    const faults = createFaultInjector();
    h = await startHarness({ wrap: (handler) => faults.wrap('kubernetes', handler) });
    faults.failWrite(2, 'status-500');
    expect((await h.call('POST', SECRETS, secret('one'))).status).toBe(201);
    expect((await h.call('POST', SSAR, review)).status).toBe(201);
    expect((await h.call('GET', SECRETS)).status).toBe(200);
    const failed = await h.call('POST', SECRETS, secret('two'));
    expect(failed.status).toBe(500);
    expect(failed.body).toMatchObject({ kind: 'Status', reason: 'InternalError', code: 500 });
    expect(h.store.get(h.kinds.byKind('Secret'), 'llm-hosting', 'two')).toBeUndefined();
    expect((await h.call('POST', SECRETS, secret('two'))).status).toBe(201);
    expect(faults.writeCount()).toBe(3);
    expect(faults.requestCount()).toBe(5);
  });

  it('drops the connection of write N without performing it', async () => {
    const faults = createFaultInjector();
    h = await startHarness({ wrap: (handler) => faults.wrap('kubernetes', handler) });
    faults.failWrite(1, 'drop-connection');
    await expect(h.call('POST', SECRETS, secret('dropped'))).rejects.toThrow();
    expect(h.store.get(h.kinds.byKind('Secret'), 'llm-hosting', 'dropped')).toBeUndefined();
    faults.clear();
    expect((await h.call('POST', SECRETS, secret('dropped'))).status).toBe(201);
  });

  it('delays matching requests and leaves others alone', async () => {
    const faults = createFaultInjector();
    h = await startHarness({ wrap: (handler) => faults.wrap('kubernetes', handler) });
    faults.delay(/\/configmaps/, 200);
    const order: string[] = [];
    const slow = h.call('GET', '/api/v1/namespaces/llm-hosting/configmaps').then(() => order.push('configmaps'));
    const fast = h.call('GET', SECRETS).then(() => order.push('secrets'));
    await Promise.all([slow, fast]);
    expect(order).toEqual(['secrets', 'configmaps']);
  });
});

describe('what counts as a write', () => {
  it.each([
    ['kubernetes', 'POST', SECRETS, true],
    ['kubernetes', 'PATCH', '/apis/serving.kserve.io/v1beta1/namespaces/x/inferenceservices/m', true],
    ['kubernetes', 'POST', SSAR, false],
    ['kubernetes', 'POST', '/api/v1/namespaces/x/services/m-predictor:80/proxy/v1/chat/completions', false],
    ['kubernetes', 'GET', SECRETS, false],
    ['keycloak', 'POST', '/auth/realms/master/protocol/openid-connect/token', false],
    ['keycloak', 'POST', '/auth/admin/realms/maas/clients', true],
    ['keycloak', 'PUT', '/auth/admin/realms/maas/identity-provider/instances/github', true],
    ['3scale', 'POST', '/admin/api/services.json', true],
    ['3scale', 'DELETE', '/admin/api/accounts/3.json', true],
    ['3scale', 'POST', '/v1/chat/completions', false], // a gateway (APIcast) call
    ['s3', 'PUT', '/bucket/model/config.json', true],
    ['s3', 'POST', '/bucket/model/big?uploads', true],
    ['s3', 'GET', '/bucket?list-type=2', false],
    ['huggingface', 'POST', '/api/whatever', false],
    ['model', 'POST', '/v1/embeddings', false],
  ] as const)('%s %s %s → %s', (service, method, path, expected) => {
    expect(isWriteRequest(method, path, service)).toBe(expected);
  });

  it('without a service name: a token grant is not a write, a Kubernetes POST is', () => {
    expect(isWriteRequest('POST', '/auth/realms/master/protocol/openid-connect/token')).toBe(false);
    expect(isWriteRequest('POST', SECRETS)).toBe(true);
  });
});

/** A plain HTTP server whose handler sits behind `wrap`, and a caller that reports a dropped connection as status 0. */
async function serve(handler: HostHandler): Promise<{ call(method: string, path: string, body?: string): Promise<number>; close(): Promise<void> }> {
  const server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    call: async (method, path, body) => {
      try {
        const res = await fetch(`http://127.0.0.1:${port}${path}`, { method, ...(body === undefined ? {} : { body }) });
        await res.text();
        return res.status;
      } catch {
        return 0;
      }
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe('faults across services', () => {
  it('one write sequence over every service: a token grant and a gateway call are not counted; write N fails wherever it lands', async () => {
    const faults = createFaultInjector();
    const done: string[] = [];
    const ok = (name: string): HostHandler => (req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.method !== 'GET') done.push(`${name} ${req.method} ${req.url}`);
        res.writeHead(200).end('{}');
      });
    };
    const seen: number[] = [];
    faults.onWrite((w) => seen.push(w.index));
    const kc = await serve(faults.wrap('keycloak', ok('keycloak')));
    const ts = await serve(faults.wrap('3scale', ok('3scale')));
    try {
      faults.failWrite(2, 'status-500');
      expect(await kc.call('POST', '/auth/realms/master/protocol/openid-connect/token', 'grant_type=password')).toBe(200);
      expect(await kc.call('POST', '/auth/admin/realms/maas/clients', '{}')).toBe(200); // write 1
      expect(await ts.call('POST', '/v1/chat/completions', '{}')).toBe(200); // gateway: not a write
      expect(await ts.call('POST', '/admin/api/services.json', 'name=x')).toBe(500); // write 2: fails, not done
      expect(await ts.call('POST', '/admin/api/services.json', 'name=x')).toBe(200); // write 3
      expect(faults.writeCount()).toBe(3);
      expect(faults.requestCount()).toBe(5);
      expect(seen).toEqual([1, 2, 3]);
      expect(done.filter((d) => d.includes('/admin/api/services.json'))).toHaveLength(1);
    } finally {
      await kc.close();
      await ts.close();
    }
  });

  it('drop-after-write performs the write, then drops the connection instead of answering', async () => {
    const faults = createFaultInjector();
    h = await startHarness({ wrap: (handler) => faults.wrap('kubernetes', handler) });
    faults.failWriteAt(1, 'drop-after-write');
    await expect(h.call('POST', SECRETS, secret('lost-answer'))).rejects.toThrow();
    expect(h.store.get(h.kinds.byKind('Secret'), 'llm-hosting', 'lost-answer')).toBeDefined();
    // A retry of the create now meets the object: AlreadyExists.
    expect((await h.call('POST', SECRETS, secret('lost-answer'))).status).toBe(409);
  });

  it('simFaults recognises the simulation\'s injector and refuses a bare FaultInjector', () => {
    expect(simFaults(createFaultInjector())).toBeDefined();
    const bare = { failWrite: () => undefined, delay: () => undefined, clear: () => undefined, writeCount: () => 0, requestCount: () => 0 };
    expect(simFaults(bare)).toBeUndefined();
  });
});

describe('request log', () => {
  it('writes one JSON line per request with body key names only, never values', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'reqlog-'));
    const file = path.join(dir, 'requests.jsonl');
    const log = createRequestLog(file);
    h = await startHarness({ wrap: (handler) => log.wrap('kubernetes', handler) });
    const secretValue = Buffer.from('hf_supersecret').toString('base64');
    await h.call('POST', SECRETS, { ...secret('hf-token', { HF_TOKEN: secretValue }), stringData: { password: 'p4ssw0rd' } });
    await h.call('GET', `${SECRETS}/hf-token?access_token=abc123&limit=5`);
    await h.call('GET', '/api/v1/namespaces/llm-hosting/secrets/none');
    await log.close();
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain(secretValue);
    expect(text).not.toContain('p4ssw0rd');
    expect(text).not.toContain('abc123');
    expect(text).not.toContain('test-token');
    const lines = text.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ service: 'kubernetes', method: 'POST', path: SECRETS, status: 201, bodyKeys: ['apiVersion', 'kind', 'metadata', 'data', 'stringData'] });
    expect(lines[1]).toMatchObject({ method: 'GET', path: `${SECRETS}/hf-token?access_token=***&limit=5`, status: 200, bodyKeys: [] });
    expect(lines[2]).toMatchObject({ status: 404 });
    expect(Date.parse(lines[0].at)).not.toBeNaN();
    expect(log.entries().filter((e) => e.method !== 'GET')).toHaveLength(1);
  });

  it('redacts token and password query values and names form fields', () => {
    expect(redactPath('/auth/x?token=t&password=p&user=u')).toBe('/auth/x?token=***&password=***&user=u');
    expect(redactPath('/plain')).toBe('/plain');
  });
});
