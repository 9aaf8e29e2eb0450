/**
 * Turns what @kubernetes/client-node and undici throw into the wizard's errors
 * (ARCHITECTURE.md "The step contract"): a person-fixable `UserError` with one sentence and a
 * fix for 401, 403, 422 and an unreachable or untrusted server; a `KubeApiError` carrying the
 * HTTP status and the Kubernetes `Status` reason for everything else (404, 409, 5xx), which
 * callers test by `status`.
 *
 * Source of the shapes: the Kubernetes `Status` object (`code`, `reason`, `message`,
 * `details.causes[].field`) and the RBAC denial message of the API server
 * (`secrets is forbidden: User "u" cannot create resource "secrets" in API group "" in the namespace "ns"`).
 */
import { ApiException } from '@kubernetes/client-node';
import { UserError } from '../engine/errors.js';

/** A Kubernetes API answer that is not a success and not one of the person-fixable cases. */
export class KubeApiError extends Error {
  /** HTTP status (404, 409, 500, ...). */
  readonly status: number;
  /** The Status object's `reason` (`NotFound`, `AlreadyExists`, `Conflict`, ...), when present. */
  readonly reason: string | undefined;
  constructor(status: number, reason: string | undefined, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KubeApiError';
    this.status = status;
    this.reason = reason;
  }
}

/** What the mapping needs to name things: the API server URL and the kubeconfig user. */
export interface ErrorContext {
  server: string;
  user?: string;
}

/** A Kubernetes `Status` body, as far as it is read here. */
interface StatusBody {
  message?: string;
  reason?: string;
  details?: { causes?: { field?: string; message?: string; reason?: string }[] };
}

/** Network error codes meaning "the server cannot be reached" (Node/undici `cause.code`). */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET']);
/** TLS verification error codes (Node `cause.code`). */
const TLS = new Set(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_HAS_EXPIRED', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY']);

/** The innermost `code` string of an error's cause chain (undici wraps socket errors as `fetch failed`). */
export function networkCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 6 && e; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (UNREACHABLE.has(code) || TLS.has(code))) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The Status body of an ApiException, whether client-node parsed it or kept the text. */
export function statusOf(err: ApiException<unknown>): StatusBody {
  const body = err.body;
  if (body && typeof body === 'object') return body as StatusBody;
  if (typeof body === 'string') {
    try {
      return JSON.parse(body) as StatusBody;
    } catch {
      return { message: body };
    }
  }
  return {};
}

/** Parses the API server's RBAC denial message into verb, resource, group and namespace. */
export function parseForbidden(message: string): { user: string; verb: string; resource: string; group: string; namespace?: string } | undefined {
  const m = /User "([^"]*)" cannot (\S+) resource "([^"]+)" in API group "([^"]*)"(?: in the namespace "([^"]+)")?/.exec(message);
  if (!m) return undefined;
  return { user: m[1] ?? '', verb: m[2] ?? '', resource: m[3] ?? '', group: m[4] ?? '', ...(m[5] ? { namespace: m[5] } : {}) };
}

/** The `oc` command a cluster admin would run to grant what a denial names. */
function grantHint(d: { user: string; verb: string; resource: string; group: string; namespace?: string }): string {
  const what = `${d.verb} ${d.resource}${d.group ? `.${d.group}` : ''}`;
  return d.namespace
    ? `ask a cluster admin for permission to ${what} in namespace ${d.namespace} (e.g. \`oc adm policy add-role-to-user admin ${d.user} -n ${d.namespace}\`)`
    : `ask a cluster admin for permission to ${what} at cluster scope (e.g. a ClusterRole bound with \`oc adm policy add-cluster-role-to-user <role> ${d.user}\`)`;
}

/**
 * Maps an error thrown by a Kubernetes call into a UserError or KubeApiError (or returns it
 * unchanged when it is neither an API answer nor a network failure, e.g. an abort).
 * @param action what was being done, for the message ("create Namespace llm-hosting").
 */
export function mapKubeError(err: unknown, ctx: ErrorContext, action?: string): unknown {
  const doing = action ? ` (${action})` : '';
  if (err instanceof ApiException) {
    const status = statusOf(err);
    const message = status.message ?? `HTTP ${err.code}`;
    switch (err.code) {
      case 401:
        return unauthorized(ctx, err);
      case 403: {
        const d = parseForbidden(message);
        return new UserError('rbac.denied', `the cluster refused${doing}: ${message}`, {
          fix: d ? grantHint(d) : 'ask a cluster admin for the missing permission',
          cause: err,
        });
      }
      case 422: {
        const causes = (status.details?.causes ?? []).map((c) => `${c.field ?? '?'}: ${c.message ?? c.reason ?? 'invalid'}`);
        return new UserError('invalid', `the cluster refused the object as invalid${doing}: ${causes.length > 0 ? causes.join('; ') : message}`, {
          fix: 'correct the named fields (inputs of this step) and retry',
          cause: err,
        });
      }
      default:
        return new KubeApiError(err.code, status.reason, `${message}${doing}`, { cause: err });
    }
  }
  if (err instanceof Error && err.message.startsWith('HTTP protocol is not allowed')) {
    return new UserError('kubeconfig.insecure-http', `the kubeconfig points at a plain-HTTP server (${ctx.server}) without insecure-skip-tls-verify`, {
      fix: 'use the https:// URL of the API server, or set insecure-skip-tls-verify: true for that cluster',
      cause: err,
    });
  }
  const code = networkCode(err);
  if (code && TLS.has(code)) {
    return new UserError('cluster.tls', `the API server ${ctx.server} presented a certificate that is not trusted (${code})`, {
      fix: 'pass --ca-file with the cluster CA, or run `oc login` again to refresh certificate-authority-data',
      cause: err,
    });
  }
  if (code) {
    return new UserError('cluster.unreachable', `cannot reach the API server ${ctx.server} (${code})`, {
      fix: 'check the server URL in the kubeconfig, your network or VPN, and HTTPS_PROXY/NO_PROXY',
      cause: err,
    });
  }
  return err;
}

/** The one sentence for a refused token (STAGES.md §0, C13). */
export function unauthorized(ctx: ErrorContext, cause?: unknown): UserError {
  const who = ctx.user ? `user ${ctx.user}` : 'the current user';
  return new UserError(
    'auth.unauthorized',
    `the cluster refused the token for ${who} (401 Unauthorized): it has probably expired; run \`oc login ${ctx.server}\` again`,
    { fix: `run \`oc login ${ctx.server}\` again`, ...(cause === undefined ? {} : { cause }) },
  );
}
