/**
 * HTTP plumbing of the simulated Keycloak: bodies, JSON answers, Keycloak's error bodies and a
 * path-template matcher for the route tables.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * An answer other than success, thrown by the store and the routes and turned into a response by
 * the handler. `body` is what Keycloak sends: `{errorMessage}` for conflicts and validation
 * (Keycloak's `ErrorResponse`), `{error}` for not-found, `{error, error_description}` from the
 * OIDC endpoints.
 */
export class KeycloakHttpError extends Error {
  readonly status: number;
  readonly body: unknown;
  constructor(status: number, body: unknown) {
    super(`Keycloak ${status}: ${JSON.stringify(body)}`);
    this.name = 'KeycloakHttpError';
    this.status = status;
    this.body = body;
  }
}

/** 409 with `{"errorMessage": message}`, as Keycloak's `ErrorResponse.exists` answers duplicates. */
export const conflict = (message: string): KeycloakHttpError => new KeycloakHttpError(409, { errorMessage: message });
/** 404 with `{"error": message}`, as a JAX-RS NotFoundException with a message answers in RH-SSO 7.x. */
export const notFound = (message: string): KeycloakHttpError => new KeycloakHttpError(404, { error: message });
/** 400 with `{"errorMessage": message}` (Keycloak's `ErrorResponse.error`). */
export const badRequest = (message: string): KeycloakHttpError => new KeycloakHttpError(400, { errorMessage: message });

/** Reads the whole request body as UTF-8 text (admin API bodies are small JSON documents). */
export async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a JSON body; malformed JSON → 400 as RESTEasy answers unreadable entities. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readText(req);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new KeycloakHttpError(400, { error: 'unknown_error' });
  }
}

/** Answers JSON with a status and optional extra headers. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Answers with no body (204, or 201 with a Location header). */
export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-length': 0, ...headers });
  res.end();
}

/**
 * Matches a path against a template such as `/{realm}/clients/{id}`; returns the decoded
 * parameters, or undefined when it does not match. Segments are compared whole.
 */
export function matchTemplate(template: string, path: string): Record<string, string> | undefined {
  const t = template.split('/');
  const p = path.split('/');
  if (t.length !== p.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < t.length; i++) {
    const ts = t[i] ?? '';
    const ps = p[i] ?? '';
    if (ts.startsWith('{') && ts.endsWith('}')) {
      if (ps === '') return undefined;
      params[ts.slice(1, -1)] = decodeURIComponent(ps);
    } else if (ts !== ps) return undefined;
  }
  return params;
}

/** The scheme and host the client used (Host header; `X-Forwarded-Proto` when a router set it). */
export function publicOrigin(req: IncomingMessage): string {
  const proto = String(req.headers['x-forwarded-proto'] ?? 'http').split(',')[0]?.trim() || 'http';
  return `${proto}://${req.headers.host ?? 'localhost'}`;
}
