import { describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { startHarness } from './harness.js';
import { createFaultInjector } from '../../../src/sim/kube/faults.js';
import { listen } from '../../../src/sim/kube/listen.js';

/** Opens a streaming GET; resolves with a promise of its end once the headers are in. */
function openStream(url: string, token: string): Promise<{ ended: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      const ended = new Promise<string>((r) => {
        res.on('end', () => r('end'));
        res.on('aborted', () => r('aborted'));
        res.on('error', () => r('error'));
        res.on('close', () => r('close'));
      });
      res.resume();
      resolve({ ended });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('listen', () => {
  it('binds 127.0.0.1 on a free port and close() ends open watches and log follows', async () => {
    const h = await startHarness();
    expect(h.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await h.call('POST', '/api/v1/namespaces/llm-hosting/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }] } });
    const watch = await openStream(`${h.url}/api/v1/namespaces/llm-hosting/pods?watch=1`, h.token);
    const follow = await openStream(`${h.url}/api/v1/namespaces/llm-hosting/pods/p/log?follow=true`, h.token);
    await h.close();
    await expect(watch.ended).resolves.toBeTruthy();
    await expect(follow.ended).resolves.toBeTruthy();
    await expect(fetch(`${h.url}/version`)).rejects.toThrow();
  });

  it('answers a handler that throws with a 500 Status', async () => {
    const server = await listen(() => {
      throw new Error('boom');
    });
    const res = await fetch(`${server.url}/x`);
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ kind: 'Status', reason: 'InternalError', message: 'Internal error occurred: boom' });
    await server.close();
  });

  it('counts requests of every service wrapped by one fault injector in one sequence', async () => {
    const faults = createFaultInjector();
    const other = await listen(faults.wrap('keycloak', (_req, res) => { res.writeHead(204); res.end(); }));
    const h = await startHarness({ wrap: (handler) => faults.wrap('kubernetes', handler) });
    faults.failWrite(2, 'status-500');
    expect((await fetch(`${other.url}/auth/admin/realms`, { method: 'POST' })).status).toBe(204);
    const second = await h.call('POST', '/api/v1/namespaces/llm-hosting/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
    expect(second.status).toBe(500);
    expect((await fetch(`${other.url}/auth/admin/realms`, { method: 'DELETE' })).status).toBe(204);
    expect(faults.writeCount()).toBe(3);
    await other.close();
    await h.close();
  });
});
