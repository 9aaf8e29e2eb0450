/**
 * The two non-CRUD subresources the wizard uses:
 * - Service proxy: `/api/v1/namespaces/{ns}/services/{name}[:{port}]/proxy/{path}` (also
 *   `http:{name}:{port}`) forwards method, headers (minus the caller's Authorization, which
 *   kube-apiserver does not pass on), body and query to whatever serves the Service in the
 *   ServiceRegistry. 404 when the Service object does not exist, 503
 *   `no endpoints available for service "x"` when nothing serves it.
 * - Pod log: `/api/v1/namespaces/{ns}/pods/{name}/log` as text/plain; `tailLines=N` keeps the last N
 *   lines; `follow=true` keeps streaming new lines until the log ends (or the client leaves);
 *   `container` and `previous` are accepted and ignored.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ObjectStore, PodLogs, ResourceKind, ServiceRegistry } from '../types.js';
import { notFound, serviceUnavailable } from './errors.js';

/** `name`, `name:port`, `http:name:port`, `https:name:port` → the Service name. */
export function serviceNameOf(spec: string): string {
  const parts = spec.split(':');
  if (parts.length === 3) return parts[1] ?? '';
  return parts[0] ?? '';
}

/**
 * Forwards a request to the Service's handler. `rest` is the path after `/proxy` (may be empty),
 * `query` the raw query string including `?` (or empty).
 */
export async function proxyToService(
  req: IncomingMessage,
  res: ServerResponse,
  deps: { store: ObjectStore; services: ServiceRegistry; serviceKind: ResourceKind },
  namespace: string,
  spec: string,
  rest: string,
  query: string,
): Promise<void> {
  const name = serviceNameOf(decodeURIComponent(spec));
  const handler = deps.services.get(namespace, name);
  if (!handler) {
    if (!deps.store.get(deps.serviceKind, namespace, name)) throw notFound(deps.serviceKind, name);
    throw serviceUnavailable(`no endpoints available for service "${name}"`);
  }
  req.url = `${rest === '' ? '/' : rest}${query}`;
  delete req.headers.authorization;
  req.headers.host = `${name}.${namespace}.svc`;
  await handler(req, res);
}

/** Answers a pod's log (see the module comment). 404 when the Pod does not exist. */
export function servePodLog(
  req: IncomingMessage,
  res: ServerResponse,
  deps: { store: ObjectStore; podLogs: PodLogs; podKind: ResourceKind },
  namespace: string,
  name: string,
  params: URLSearchParams,
): void {
  if (!deps.store.get(deps.podKind, namespace, name)) throw notFound(deps.podKind, name);
  let lines = deps.podLogs.read(namespace, name);
  const tail = params.get('tailLines');
  if (tail !== null && /^\d+$/.test(tail)) lines = Number(tail) === 0 ? [] : lines.slice(-Number(tail));
  const follow = params.get('follow') === 'true' || params.get('follow') === '1';
  res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-cache, private', ...(follow ? { 'transfer-encoding': 'chunked' } : {}) });
  const text = lines.map((l) => `${l}\n`).join('');
  if (!follow) {
    res.end(text);
    return;
  }
  if (text !== '') res.write(text);
  else res.flushHeaders();
  let open = true;
  const stop = deps.podLogs.follow(
    namespace,
    name,
    (line) => {
      if (open) res.write(`${line}\n`);
    },
    () => finish(),
  );
  function finish(): void {
    if (!open) return;
    open = false;
    stop();
    res.end();
  }
  req.on('close', finish);
  res.on('close', finish);
}
