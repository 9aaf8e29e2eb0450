import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createFaultInjector } from '../../../src/sim/kube/faults.js';
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
