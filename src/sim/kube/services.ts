/**
 * In-cluster Service addresses (ServiceRegistry in ../types.ts): what a pod reaches at
 * `http://<name>.<namespace>.svc[.cluster.local][:port]`. Kubernetes DNS names a Service
 * `<service>.<namespace>.svc.cluster.local` (kubernetes/dns specification, "Services" A records).
 */
import type { HostHandler, ServiceRegistry } from '../types.js';

/**
 * Splits an in-cluster host (`name.ns.svc`, `name.ns.svc.cluster.local`, with or without `:port`,
 * or a whole URL) into namespace and name; undefined when it is not a Service host.
 */
export function parseServiceHost(urlOrHost: string): { namespace: string; name: string } | undefined {
  let host: string;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(urlOrHost)) {
    try {
      host = new URL(urlOrHost).hostname;
    } catch {
      return undefined;
    }
  } else {
    host = urlOrHost.split('/')[0] ?? '';
    host = host.replace(/:\d+$/, '');
  }
  const m = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc(\.cluster\.local)?\.?$/i.exec(host);
  if (!m) return undefined;
  return { name: (m[1] ?? '').toLowerCase(), namespace: (m[2] ?? '').toLowerCase() };
}

/** Creates an empty registry; each Service is served by one handler on every port. */
export function createServiceRegistry(): ServiceRegistry {
  const handlers = new Map<string, HostHandler>();
  const key = (namespace: string, name: string): string => `${namespace}/${name}`;
  return {
    set: (namespace, name, handler) => void handlers.set(key(namespace, name), handler),
    remove: (namespace, name) => void handlers.delete(key(namespace, name)),
    get: (namespace, name) => handlers.get(key(namespace, name)),
    resolve(url) {
      const parsed = parseServiceHost(url);
      return parsed ? handlers.get(key(parsed.namespace, parsed.name)) : undefined;
    },
  };
}
