/**
 * The APIcast policies the simulation gives behaviour to, besides the builtin `apicast` one:
 * `cors` (APIcast `cors` policy: a preflight — OPTIONS with `Origin` and
 * `Access-Control-Request-Method` — is answered 204 at once; other answers get the
 * `Access-Control-Allow-*` headers), `upstream_connection` (timeouts in seconds) and the custom
 * `remove-bearer` policy this project ships (strips the `Bearer ` prefix of `Authorization`).
 */
import type { IncomingMessage } from 'node:http';

/** Configuration of the `cors` policy (APIcast policy schema `cors`). */
export interface CorsConfig {
  allow_headers?: string[] | string;
  allow_methods?: string[] | string;
  allow_origin?: string;
  allow_credentials?: boolean;
  max_age?: number;
}

const joined = (v: string[] | string | undefined): string | undefined => (Array.isArray(v) ? v.join(', ') : v);

/** True for a CORS preflight request. */
export function isPreflight(req: IncomingMessage): boolean {
  return req.method === 'OPTIONS' && req.headers.origin !== undefined && req.headers['access-control-request-method'] !== undefined;
}

/** The `Access-Control-*` headers the `cors` policy sets for this request. */
export function corsHeaders(config: CorsConfig, req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  const out: Record<string, string> = {};
  const allowOrigin = config.allow_origin ?? origin;
  if (allowOrigin) out['access-control-allow-origin'] = allowOrigin;
  const headers = joined(config.allow_headers) ?? req.headers['access-control-request-headers'];
  if (headers) out['access-control-allow-headers'] = headers;
  const methods = joined(config.allow_methods) ?? req.headers['access-control-request-method'];
  if (methods) out['access-control-allow-methods'] = String(methods);
  out['access-control-allow-credentials'] = String(config.allow_credentials ?? true);
  if (config.max_age !== undefined) out['access-control-max-age'] = String(config.max_age);
  return out;
}

/** The custom policy's effect: `Authorization: Bearer <key>` becomes `Authorization: <key>`. */
export function removeBearer(req: IncomingMessage): void {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) req.headers.authorization = auth.slice('Bearer '.length);
}

/** `upstream_connection` read timeout in milliseconds (the policy's `read_timeout` is in seconds). */
export function readTimeoutMs(configuration: Record<string, unknown>): number | undefined {
  const seconds = Number(configuration.read_timeout);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}
