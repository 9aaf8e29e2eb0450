/**
 * Errors of the 3scale Account Management and CMS API client. 3scale (porta) answers a refused
 * write with 422 and ActiveRecord's validation errors, `{"errors":{"system_name":["has already
 * been taken"]}}` (a `base` entry holds errors about the record as a whole); an unknown id with
 * 404 `{"status":"Not found"}`; a wrong or missing `access_token` with 403 `{"error":"Access denied"}`
 * (porta `Filters::ProviderRequired`). Messages name the method and path, never the query string
 * (which holds the access token for GET and DELETE).
 */
import { UserError } from '../../engine/errors.js';

/** An answer of the 3scale API the client does not turn into a result: status, method, path (no query). */
export class ThreescaleApiError extends Error {
  readonly status: number;
  readonly method: string;
  readonly path: string;
  /** A short excerpt of the answer's body (at most 300 characters); 3scale error bodies hold no secrets. */
  readonly excerpt: string;
  constructor(status: number, method: string, path: string, excerpt: string) {
    super(`3scale API ${method} ${path} answered ${status}${excerpt ? `: ${excerpt}` : ''}`);
    this.name = 'ThreescaleApiError';
    this.status = status;
    this.method = method;
    this.path = path;
    this.excerpt = excerpt;
  }
}

/**
 * A 422 from 3scale: the named fields were refused. `fields` maps each field (as 3scale names it:
 * `system_name`, `path`, `base`, ...) to its messages. Code `3scale.invalid`.
 */
export class ThreescaleFieldError extends UserError {
  readonly fields: Readonly<Record<string, string[]>>;
  readonly method: string;
  readonly path: string;
  constructor(method: string, path: string, fields: Record<string, string[]>) {
    const sentence = Object.entries(fields)
      .map(([field, msgs]) => (field === 'base' ? msgs.join(', ') : `${field} ${msgs.join(', ')}`))
      .join('; ');
    super('3scale.invalid', `3scale refused ${method} ${path}: ${sentence || 'unprocessable entity'}`, {
      fix: `correct ${Object.keys(fields).filter((f) => f !== 'base').join(', ') || 'the request'} (the inputs of this step) and retry`,
    });
    this.name = 'ThreescaleFieldError';
    this.fields = fields;
    this.method = method;
    this.path = path;
  }

  /** True when `field` was refused with a message matching `pattern` (e.g. `/already been taken/`). */
  has(field: string, pattern?: RegExp): boolean {
    const msgs = this.fields[field];
    if (!msgs) return false;
    return pattern ? msgs.some((m) => pattern.test(m)) : true;
  }
}

/** True when `err` is a 422 saying that `field` "has already been taken" (upsert: find it and update). */
export function isTaken(err: unknown, field = 'system_name'): boolean {
  return err instanceof ThreescaleFieldError && err.has(field, /already been taken/);
}

/** True when `err` is a 404 from the 3scale API. */
export function isNotFound(err: unknown): boolean {
  return err instanceof ThreescaleApiError && err.status === 404;
}

/** The 403 of a wrong access token, as a sentence and a fix. */
export function accessDenied(method: string, path: string, tokenSource: string): UserError {
  return new UserError('3scale.denied', `3scale refused the access token for ${method} ${path} (403 Access denied)`, {
    fix: `the token comes from ${tokenSource}; check that the APIManager finished provisioning the tenant and that the Secret was not changed by hand`,
  });
}

/** 3scale could not be reached after the retries (connection refused, reset, DNS, TLS). */
export function unreachable(method: string, path: string, origin: string, cause: unknown): UserError {
  const reason = cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause);
  return new UserError('3scale.unreachable', `cannot reach the 3scale admin portal ${origin} for ${method} ${path}: ${reason}`, {
    fix: `check that the admin portal Route answers (\`curl -sk ${origin}/\`) and that the system-app Deployment in the 3scale namespace is ready`,
    cause,
  });
}

/** Turns a 422 body into field errors: `{"errors":{f:[m]}}`, or porta's XML-ish `{"errors":[...]}` / `{"error":"m"}` as `base`. */
export function fieldsOf(body: unknown): Record<string, string[]> {
  if (!body || typeof body !== 'object') return {};
  const errors = (body as { errors?: unknown; error?: unknown }).errors;
  if (errors && typeof errors === 'object' && !Array.isArray(errors)) {
    const out: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(errors as Record<string, unknown>)) {
      out[k] = Array.isArray(v) ? v.map(String) : [String(v)];
    }
    return out;
  }
  if (Array.isArray(errors)) return { base: errors.map(String) };
  const error = (body as { error?: unknown }).error;
  return typeof error === 'string' ? { base: [error] } : {};
}
