/**
 * Fault injection for tests (SIMULATOR.md §4): fail write request number N with a 500 or a dropped
 * connection, delay requests whose path matches. Requests are counted in one sequence across every
 * service wrapped by the same injector (Kubernetes API, Keycloak, 3scale, ...).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultInjector, HostHandler } from '../types.js';
import { internalError, statusBody } from './errors.js';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * True for a request that changes something: POST, PUT, PATCH, DELETE, except the POSTs that only
 * ask (SelfSubjectAccessReview and the other `authorization.k8s.io` / `authentication.k8s.io` reviews).
 */
export function isWriteRequest(method: string | undefined, path: string | undefined): boolean {
  if (!WRITE_METHODS.has((method ?? '').toUpperCase())) return false;
  return !/\/apis\/(authorization|authentication)\.k8s\.io\//.test(path ?? '');
}

/** The injector plus `wrap`, which puts a service's handler behind it (`service` names it, e.g. `kubernetes`). */
export type SimFaultInjector = FaultInjector & { wrap(service: string, handler: HostHandler): HostHandler };

/** Creates an injector with no faults armed. Counts start at 0; `clear()` disarms faults but keeps counts. */
export function createFaultInjector(): SimFaultInjector {
  let requests = 0;
  let writes = 0;
  const failures = new Map<number, 'status-500' | 'drop-connection'>();
  const delays: { pattern: RegExp; ms: number }[] = [];

  return {
    failWrite(index, mode) {
      failures.set(index, mode);
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
    wrap(_service, handler) {
      return async (req, res) => {
        requests += 1;
        let failure: 'status-500' | 'drop-connection' | undefined;
        if (isWriteRequest(req.method, req.url)) {
          writes += 1;
          failure = failures.get(writes);
        }
        const wait = delays.filter((d) => d.pattern.test(req.url ?? '')).reduce((sum, d) => sum + d.ms, 0);
        if (wait > 0) await sleep(wait);
        if (failure === 'drop-connection') {
          req.socket.destroy();
          return;
        }
        if (failure === 'status-500') {
          const shape = internalError('injected fault').shape;
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify(statusBody(shape)));
          return;
        }
        await handler(req, res);
      };
    },
  };
}
