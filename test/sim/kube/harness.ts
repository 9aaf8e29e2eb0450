/**
 * Test harness: a simulated API server on 127.0.0.1 (port 0) with a fresh store, two namespaces
 * (`default`, `llm-hosting`) and helpers to call it with fetch.
 */
import { createKindRegistry } from '../../../src/sim/kinds.js';
import { createObjectStore } from '../../../src/sim/store.js';
import type { SimObjectStore } from '../../../src/sim/store.js';
import { createKubeApiHandler } from '../../../src/sim/kube/handler.js';
import { createAccessPolicy } from '../../../src/sim/kube/access.js';
import type { AccessPolicy } from '../../../src/sim/kube/access.js';
import { createPodLogs } from '../../../src/sim/kube/logs.js';
import { createServiceRegistry } from '../../../src/sim/kube/services.js';
import { listen } from '../../../src/sim/kube/listen.js';
import type { TlsOptions } from '../../../src/sim/kube/listen.js';
import type { HostHandler, KindRegistry, PodLogs, ServiceRegistry } from '../../../src/sim/types.js';

export interface Harness {
  url: string;
  token: string;
  store: SimObjectStore;
  kinds: KindRegistry;
  access: AccessPolicy;
  podLogs: PodLogs;
  services: ServiceRegistry;
  /** Calls the API; `body` objects are sent as JSON unless `contentType` says otherwise. The answer's `body` is parsed JSON, loosely typed for assertions. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  call(method: string, path: string, body?: unknown, options?: { contentType?: string; token?: string | null }): Promise<{ status: number; body: any; text: string }>;
  close(): Promise<void>;
}

/** Starts a server. `wrap` puts the handler behind fault injection or the request log. */
export async function startHarness(options: { wrap?: (h: HostHandler) => HostHandler; tls?: TlsOptions } = {}): Promise<Harness> {
  const kinds = createKindRegistry();
  const store = createObjectStore(kinds);
  const access = createAccessPolicy({ token: 'test-token' });
  const podLogs = createPodLogs();
  const services = createServiceRegistry();
  for (const name of ['default', 'llm-hosting']) store.create(kinds.byKind('Namespace'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  let handler = createKubeApiHandler({ store, kinds, access, podLogs, services });
  if (options.wrap) handler = options.wrap(handler);
  const server = await listen(handler, 0, options.tls ? { tls: options.tls } : {});
  return {
    url: server.url,
    token: access.token,
    store,
    kinds,
    access,
    podLogs,
    services,
    async call(method, path, body, opts = {}) {
      const headers: Record<string, string> = {};
      const token = opts.token === undefined ? access.token : opts.token;
      if (token !== null) headers.authorization = `Bearer ${token}`;
      let payload: string | undefined;
      if (body !== undefined) {
        payload = typeof body === 'string' ? body : JSON.stringify(body);
        headers['content-type'] = opts.contentType ?? 'application/json';
      }
      const res = await fetch(`${server.url}${path}`, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      return { status: res.status, body: parsed, text };
    },
    close: () => server.close(),
  };
}

/** A Secret manifest. */
export function secret(name: string, data: Record<string, string> = { k: 'dg==' }, labels?: Record<string, string>): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, ...(labels ? { labels } : {}) }, data };
}

/** An ObjectBucketClaim manifest. */
export function obc(name: string, spec: Record<string, unknown> = { generateBucketName: name, storageClassName: 'ocs-storagecluster-ceph-rgw' }): Record<string, unknown> {
  return { apiVersion: 'objectbucket.io/v1alpha1', kind: 'ObjectBucketClaim', metadata: { name }, spec };
}
