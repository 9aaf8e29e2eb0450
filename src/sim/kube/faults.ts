/**
 * Fault injection for tests (SIMULATOR.md §4): fail write request number N with a 500, a dropped
 * connection (before the write happens) or a lost answer (the write happens, the connection drops
 * before the answer), and delay requests whose path matches. Write requests are counted in one
 * sequence across every service wrapped by the same injector (Kubernetes API, Keycloak admin API,
 * 3scale Account Management and CMS APIs, S3), so index N names the same write whichever service
 * receives it.
 */
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultInjector, HostHandler } from '../types.js';
import { internalError, statusBody } from './errors.js';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Kubernetes review APIs: a POST there asks a question and stores nothing. */
const REVIEWS = /\/apis\/(authorization|authentication)\.k8s\.io\//;
/** The API server's service proxy (`.../services/{name}:{port}/proxy/...`): the request goes to a pod, not to the store. */
const SERVICE_PROXY = /\/api\/v1\/namespaces\/[^/]+\/services\/[^/]+\/proxy(\/|$|\?)/;
/** An OAuth token endpoint (Keycloak `POST /auth/realms/{realm}/protocol/openid-connect/token`): a log-in, not a write. */
const TOKEN_ENDPOINT = /\/protocol\/openid-connect\/token(\?|$)/;

/**
 * True for a request that changes the state of the simulated cluster. `service` is the name the
 * simulation wraps the handler under (src/sim/index.ts: `kubernetes`, `keycloak`, `3scale`, `s3`,
 * `huggingface`, `model`); without it only the method and path decide (as for the Kubernetes API).
 * - Kubernetes: POST/PUT/PATCH/DELETE, except access and token reviews (`authorization.k8s.io`,
 *   `authentication.k8s.io`) and the service proxy (`.../services/{svc}/proxy/...`, a request to a pod).
 * - Keycloak: only the admin REST API (`/auth/admin/...`); a token grant (`.../openid-connect/token`)
 *   is a log-in.
 * - 3scale: only the admin host's Account Management and CMS APIs (`/admin/api/...`); gateway
 *   (APIcast) traffic and the developer portal store no configuration.
 * - S3: PUT, POST (multipart create / complete), DELETE.
 * - The Hub stand-in and the model servers: never (they only answer).
 */
export function isWriteRequest(method: string | undefined, path: string | undefined, service?: string): boolean {
  if (!WRITE_METHODS.has((method ?? '').toUpperCase())) return false;
  const p = path ?? '';
  if (TOKEN_ENDPOINT.test(p)) return false;
  switch (service) {
    case undefined:
    case 'kubernetes':
      return !REVIEWS.test(p) && !SERVICE_PROXY.test(p);
    case 'keycloak':
      return p.startsWith('/auth/admin/');
    case '3scale':
      return p.startsWith('/admin/api/');
    case 's3':
      return true;
    default:
      return false;
  }
}

/**
 * How write N fails: `status-500` (a Kubernetes `Status` InternalError, nothing written),
 * `drop-connection` (socket destroyed before the handler runs, nothing written), `drop-after-write`
 * (the handler runs and the write takes effect, then the socket is destroyed instead of answering:
 * the client cannot tell whether it happened, the case that makes naive retries duplicate things).
 */
export type FaultMode = 'status-500' | 'drop-connection' | 'drop-after-write';

/** The injector plus `wrap`, which puts a service's handler behind it, and the extra fault mode. */
export type SimFaultInjector = FaultInjector & {
  /** Puts `handler` behind the injector; `service` names it (`kubernetes`, `keycloak`, `3scale`, `s3`, ...) for `isWriteRequest`. */
  wrap(service: string, handler: HostHandler): HostHandler;
  /** `failWrite` with every FaultMode, `drop-after-write` included. */
  failWriteAt(index: number, mode: FaultMode): void;
  /**
   * Called with every write as it is counted (1-based index, service, method, path), before the
   * fault for that index is looked up: a listener may arm one for the write it is told about.
   * Returns unsubscribe.
   */
  onWrite(listener: (write: { index: number; service: string; method: string; path: string }) => void): () => void;
};

/** The simulation's injector with its extra members, when `faults` is one made by `createFaultInjector` (else undefined). */
export function simFaults(faults: FaultInjector): SimFaultInjector | undefined {
  const f = faults as Partial<SimFaultInjector>;
  return typeof f.failWriteAt === 'function' && typeof f.onWrite === 'function' && typeof f.wrap === 'function' ? (faults as SimFaultInjector) : undefined;
}

/** Makes `res` swallow the answer: when the handler ends it, the socket is destroyed instead. */
function loseAnswer(res: ServerResponse): void {
  const r = res as unknown as Record<string, unknown>;
  r['writeHead'] = () => res;
  r['write'] = () => true;
  r['end'] = () => {
    res.socket?.destroy();
    return res;
  };
}

/** Creates an injector with no faults armed. Counts start at 0; `clear()` disarms faults but keeps counts. */
export function createFaultInjector(): SimFaultInjector {
  let requests = 0;
  let writes = 0;
  const failures = new Map<number, FaultMode>();
  const delays: { pattern: RegExp; ms: number }[] = [];
  const listeners = new Set<(write: { index: number; service: string; method: string; path: string }) => void>();

  return {
    failWrite(index, mode) {
      failures.set(index, mode);
    },
    failWriteAt(index, mode) {
      failures.set(index, mode);
    },
    onWrite(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    delay(pathPattern, ms) {
      delays.push({ pattern: pathPattern, ms });
    },
    clear() {
      failures.clear();
      delays.length = 0;
    },
    writeCount: () => writes,
    requestCount: () => requests,
    wrap(service, handler) {
      return async (req, res) => {
        requests += 1;
        let failure: FaultMode | undefined;
        if (isWriteRequest(req.method, req.url, service)) {
          writes += 1;
          const write = { index: writes, service, method: (req.method ?? '').toUpperCase(), path: req.url ?? '/' };
          // Listeners first: one may arm a fault for this very write (`failWriteAt(write.index, ...)`).
          for (const l of listeners) l(write);
          failure = failures.get(writes);
        }
        const wait = delays.filter((d) => d.pattern.test(req.url ?? '')).reduce((sum, d) => sum + d.ms, 0);
        if (wait > 0) await sleep(wait);
        if (failure === 'drop-connection') {
          req.socket.destroy();
          return;
        }
        if (failure === 'status-500') {
          req.resume();
          const shape = internalError('injected fault').shape;
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify(statusBody(shape)));
          return;
        }
        if (failure === 'drop-after-write') loseAnswer(res);
        await handler(req, res);
      };
    },
  };
}
