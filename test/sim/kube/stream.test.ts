import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { HISTORY_LIMIT } from '../../../src/sim/store.js';
import { secret, startHarness } from './harness.js';
import type { Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

/** Opens a streaming GET and collects its lines; `next(n)` resolves once n lines have arrived. */
function stream(path: string): Promise<{ res: IncomingMessage; lines: string[]; next(n: number): Promise<string[]>; ended: Promise<void>; close(): void }> {
  return new Promise((resolve, reject) => {
    const req = request(`${h.url}${path}`, { headers: { authorization: `Bearer ${h.token}` } }, (res) => {
      const lines: string[] = [];
      let buffer = '';
      const waiters: { n: number; resolve: (l: string[]) => void }[] = [];
      const check = () => {
        for (const w of [...waiters]) if (lines.length >= w.n) { waiters.splice(waiters.indexOf(w), 1); w.resolve(lines.slice(0, w.n)); }
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let i: number;
        while ((i = buffer.indexOf('\n')) >= 0) {
          lines.push(buffer.slice(0, i));
          buffer = buffer.slice(i + 1);
        }
        check();
      });
      const ended = new Promise<void>((r) => res.on('end', () => r()));
      resolve({
        res, lines, ended,
        next: (n) => new Promise((r) => { waiters.push({ n, resolve: r }); check(); }),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const events = (lines: string[]) => lines.map((l) => JSON.parse(l) as { type: string; object: { metadata: { name: string }; code?: number; reason?: string } });

describe('watch', () => {
  it('sends ADDED for current objects, then changes in order', async () => {
    await h.call('POST', '/api/v1/namespaces/llm-hosting/secrets', secret('first'));
    const w = await stream('/api/v1/namespaces/llm-hosting/secrets?watch=true');
    expect(w.res.headers['content-type']).toBe('application/json');
    await w.next(1);
    await h.call('POST', '/api/v1/namespaces/llm-hosting/secrets', secret('second'));
    await h.call('POST', '/api/v1/namespaces/default/secrets', secret('elsewhere'));
    await h.call('PATCH', '/api/v1/namespaces/llm-hosting/secrets/second', { metadata: { labels: { a: 'b' } } }, { contentType: 'application/merge-patch+json' });
    await h.call('DELETE', '/api/v1/namespaces/llm-hosting/secrets/first');
    const got = events(await w.next(4));
    expect(got.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED first', 'ADDED second', 'MODIFIED second', 'DELETED first']);
    w.close();
  });

  it('replays from a resourceVersion and honours selectors', async () => {
    const list = await h.call('GET', '/api/v1/namespaces/llm-hosting/secrets');
    const rv = list.body.metadata.resourceVersion as string;
    await h.call('POST', '/api/v1/namespaces/llm-hosting/secrets', secret('a', undefined, { pick: 'yes' }));
    await h.call('POST', '/api/v1/namespaces/llm-hosting/secrets', secret('b', undefined, { pick: 'no' }));
    const w = await stream(`/api/v1/namespaces/llm-hosting/secrets?watch=1&resourceVersion=${rv}&labelSelector=pick%3Dyes`);
    await h.call('POST', '/api/v1/namespaces/llm-hosting/secrets', secret('c', undefined, { pick: 'yes' }));
    expect(events(await w.next(2)).map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED a', 'ADDED c']);
    w.close();
  });

  it('answers a too old resourceVersion with an ERROR event carrying 410 Expired', async () => {
    const old = h.store.currentVersion();
    const kind = h.kinds.byKind('ConfigMap');
    for (let i = 0; i <= HISTORY_LIMIT; i++) h.store.create(kind, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}`, namespace: 'default' } });
    const w = await stream(`/api/v1/namespaces/llm-hosting/secrets?watch=1&resourceVersion=${old}`);
    await w.ended;
    const [e] = events(w.lines);
    expect(e?.type).toBe('ERROR');
    expect(e?.object).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
  });

  it('ends the stream after timeoutSeconds', async () => {
    const w = await stream('/api/v1/namespaces/llm-hosting/secrets?watch=1&timeoutSeconds=1');
    await w.ended;
    expect(w.lines).toEqual([]);
  });
});

describe('pod logs', () => {
  const podPath = '/api/v1/namespaces/llm-hosting/pods';
  beforeEach(async () => {
    await h.call('POST', podPath, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'job-1' }, spec: { containers: [{ name: 'c', image: 'i' }] } });
  });

  it('answers the log, the last lines with tailLines, and 404 for a missing pod', async () => {
    for (const l of ['one', 'two', 'three']) h.podLogs.append('llm-hosting', 'job-1', l);
    expect((await h.call('GET', `${podPath}/job-1/log`)).text).toBe('one\ntwo\nthree\n');
    expect((await h.call('GET', `${podPath}/job-1/log?tailLines=2&container=c`)).text).toBe('two\nthree\n');
    const missing = await h.call('GET', `${podPath}/nope/log`);
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('pods "nope" not found');
  });

  it('follows new lines until the log ends', async () => {
    h.podLogs.append('llm-hosting', 'job-1', 'copied 1/3');
    const f = await stream(`${podPath}/job-1/log?follow=true`);
    expect(await f.next(1)).toEqual(['copied 1/3']);
    h.podLogs.append('llm-hosting', 'job-1', 'copied 2/3');
    expect(await f.next(2)).toEqual(['copied 1/3', 'copied 2/3']);
    h.podLogs.append('llm-hosting', 'job-1', 'done');
    h.podLogs.end('llm-hosting', 'job-1');
    await f.ended;
    expect(f.lines).toEqual(['copied 1/3', 'copied 2/3', 'done']);
  });
});

describe('service proxy', () => {
  it('forwards method, path, query and body to the Service, without the caller token', async () => {
    await h.call('POST', '/api/v1/namespaces/llm-hosting/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'mistral-predictor' }, spec: { ports: [{ port: 80 }] } });
    const seen: { method?: string; url?: string; auth?: string; body: string }[] = [];
    h.services.set('llm-hosting', 'mistral-predictor', async (req, res) => {
      let body = '';
      for await (const c of req) body += String(c);
      seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: [{ id: 'mistral' }] }));
    });
    const models = await h.call('GET', '/api/v1/namespaces/llm-hosting/services/mistral-predictor:80/proxy/v1/models?x=1');
    expect(models.status).toBe(200);
    expect(models.body).toEqual({ data: [{ id: 'mistral' }] });
    await h.call('POST', '/api/v1/namespaces/llm-hosting/services/http:mistral-predictor:80/proxy/v1/chat/completions', { model: 'mistral' });
    await h.call('GET', '/api/v1/namespaces/llm-hosting/services/mistral-predictor/proxy');
    expect(seen).toEqual([
      { method: 'GET', url: '/v1/models?x=1', auth: undefined, body: '' },
      { method: 'POST', url: '/v1/chat/completions', auth: undefined, body: '{"model":"mistral"}' },
      { method: 'GET', url: '/', auth: undefined, body: '' },
    ]);
  });

  it('answers 503 when nothing serves the Service and 404 when it does not exist', async () => {
    await h.call('POST', '/api/v1/namespaces/llm-hosting/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'idle' }, spec: { ports: [{ port: 80 }] } });
    const idle = await h.call('GET', '/api/v1/namespaces/llm-hosting/services/idle:80/proxy/v1/models');
    expect(idle.status).toBe(503);
    expect(idle.body).toMatchObject({ reason: 'ServiceUnavailable', message: 'no endpoints available for service "idle"' });
    expect((await h.call('GET', '/api/v1/namespaces/llm-hosting/services/none:80/proxy/')).status).toBe(404);
  });
});

describe('filtered watch', () => {
  it('turns an object that stops matching into DELETED and one that starts matching into ADDED', async () => {
    await h.call('POST', '/api/v1/namespaces/llm-hosting/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: { ready: 'yes' } } });
    const w = await stream('/api/v1/namespaces/llm-hosting/configmaps?watch=1&labelSelector=ready%3Dyes');
    await w.next(1);
    const label = (value: string | null) =>
      h.call('PATCH', '/api/v1/namespaces/llm-hosting/configmaps/x', { metadata: { labels: { ready: value } } }, { contentType: 'application/merge-patch+json' });
    await label('no');
    await label('yes');
    await h.call('DELETE', '/api/v1/namespaces/llm-hosting/configmaps/x');
    expect(events(await w.next(4)).map((e) => e.type)).toEqual(['ADDED', 'DELETED', 'ADDED', 'DELETED']);
    w.close();
  });
});
