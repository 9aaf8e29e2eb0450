/**
 * Errors of the simulated API server, shaped and worded as the real kube-apiserver words them
 * (k8s.io/apimachinery/pkg/api/errors: NewNotFound, NewAlreadyExists, NewConflict, NewInvalid,
 * NewForbidden, NewUnauthorized, NewMethodNotSupported, NewBadRequest, NewGone/Expired).
 */
import type { ApiErrorShape, ResourceKind } from '../types.js';

/** An API error carrying the `Status` it is answered with. */
export class SimApiError extends Error {
  readonly shape: ApiErrorShape;
  constructor(shape: ApiErrorShape) {
    super(shape.message);
    this.name = 'SimApiError';
    this.shape = shape;
  }
}

/** The resource part of a message: `secrets`, `inferenceservices.serving.kserve.io`. */
export function qualifiedResource(kind: Pick<ResourceKind, 'plural' | 'group'>): string {
  return kind.group === '' ? kind.plural : `${kind.plural}.${kind.group}`;
}

/** A kind or a bare resource name (`namespaces`) for the messages below. */
export type KindLike = Pick<ResourceKind, 'plural' | 'group'> | string;

function resourceOf(kind: KindLike): { resource: string; group: string; plural: string } {
  if (typeof kind === 'string') return { resource: kind, group: '', plural: kind };
  return { resource: qualifiedResource(kind), group: kind.group, plural: kind.plural };
}

/** 404 NotFound: `secrets "x" not found`. */
export function notFound(kind: KindLike, name: string): SimApiError {
  const r = resourceOf(kind);
  return new SimApiError({ code: 404, reason: 'NotFound', message: `${r.resource} "${name}" not found`,
    details: { name, group: r.group, kind: r.plural } });
}

/** 404 NotFound for a path the server does not serve (unknown kind, or its operator not installed yet). */
export function unknownPath(): SimApiError {
  return new SimApiError({ code: 404, reason: 'NotFound', message: 'the server could not find the requested resource', details: {} });
}

/** 409 AlreadyExists: `secrets "x" already exists`. */
export function alreadyExists(kind: KindLike, name: string): SimApiError {
  const r = resourceOf(kind);
  return new SimApiError({ code: 409, reason: 'AlreadyExists', message: `${r.resource} "${name}" already exists`,
    details: { name, group: r.group, kind: r.plural } });
}

/** 409 Conflict on a stale `metadata.resourceVersion` (the optimistic-concurrency message). */
export function conflict(kind: KindLike, name: string): SimApiError {
  const r = resourceOf(kind);
  return new SimApiError({
    code: 409,
    reason: 'Conflict',
    message: `Operation cannot be fulfilled on ${r.resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    details: { name, group: r.group, kind: r.plural },
  });
}

/** One field error of a 422, e.g. `{reason: 'FieldValueRequired', field: 'spec.storageClassName', message: 'Required value'}`. */
export interface FieldCause {
  reason: string;
  field: string;
  message: string;
}

/**
 * 422 Invalid: `<Kind>.<group> "name" is invalid: <field>: <message>` (several causes joined by
 * `, ` inside `[...]` as the real server does). `kind` is the Kind name (`Secret`, `InferenceService`).
 */
export function invalid(kind: Pick<ResourceKind, 'kind' | 'group'>, name: string, causes: FieldCause[]): SimApiError {
  const qualified = kind.group === '' ? kind.kind : `${kind.kind}.${kind.group}`;
  const parts = causes.map((c) => `${c.field}: ${c.message}`);
  const joined = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  return new SimApiError({
    code: 422,
    reason: 'Invalid',
    message: `${qualified} "${name}" is invalid: ${joined}`,
    details: { name, group: kind.group, kind: kind.kind, causes: causes.map((c) => ({ reason: c.reason, message: c.message, field: c.field })) },
  });
}

/**
 * 403 Forbidden for a denied request, e.g. `secrets is forbidden: User "developer" cannot create
 * resource "secrets" in API group "" in the namespace "llm-hosting"`. Cluster-scoped: `at the cluster scope`.
 */
export function forbidden(opts: {
  user: string;
  verb: string;
  resource: string;
  subresource?: string;
  group: string;
  namespace?: string;
  name?: string;
}): SimApiError {
  const qualified = opts.group === '' ? opts.resource : `${opts.resource}.${opts.group}`;
  const subject = opts.name ? `${qualified} "${opts.name}"` : qualified;
  const scope = opts.namespace ? `in the namespace "${opts.namespace}"` : 'at the cluster scope';
  const full = opts.subresource ? `${opts.resource}/${opts.subresource}` : opts.resource;
  return new SimApiError({
    code: 403,
    reason: 'Forbidden',
    message: `${subject} is forbidden: User "${opts.user}" cannot ${opts.verb} resource "${full}" in API group "${opts.group}" ${scope}`,
    details: { ...(opts.name ? { name: opts.name } : {}), group: opts.group, kind: opts.resource },
  });
}

/** 401 Unauthorized (missing, wrong or expired bearer token). */
export function unauthorized(): SimApiError {
  return new SimApiError({ code: 401, reason: 'Unauthorized', message: 'Unauthorized' });
}

/** 405 MethodNotAllowed: the verb is not supported on this resource. */
export function methodNotAllowed(): SimApiError {
  return new SimApiError({ code: 405, reason: 'MethodNotAllowed', message: 'the server does not allow this method on the requested resource', details: {} });
}

/** 400 BadRequest with a free message (bad selector, unparsable body). */
export function badRequest(message: string): SimApiError {
  return new SimApiError({ code: 400, reason: 'BadRequest', message });
}

/** 415 UnsupportedMediaType for a PATCH content type the server does not take. */
export function unsupportedMediaType(contentType: string): SimApiError {
  return new SimApiError({ code: 415, reason: 'UnsupportedMediaType', message: `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (got ${contentType})` });
}

/** 410 Expired: a watch asked for a resourceVersion older than the kept history. */
export function expired(requested: number, oldest: number): SimApiError {
  return new SimApiError({ code: 410, reason: 'Expired', message: `too old resource version: ${requested} (${oldest})` });
}

/** 500 InternalError (fault injection). */
export function internalError(message: string): SimApiError {
  return new SimApiError({ code: 500, reason: 'InternalError', message: `Internal error occurred: ${message}`, details: { causes: [{ reason: '', message, field: '' }] } });
}

/** 503 ServiceUnavailable, e.g. `no endpoints available for service "x"`. */
export function serviceUnavailable(message: string): SimApiError {
  return new SimApiError({ code: 503, reason: 'ServiceUnavailable', message });
}

/** The Kubernetes `Status` body (meta/v1) for an error shape. */
export function statusBody(shape: ApiErrorShape): Record<string, unknown> {
  const body: Record<string, unknown> = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: shape.message,
    reason: shape.reason,
  };
  if (shape.details) body.details = shape.details;
  body.code = shape.code;
  return body;
}

/** The `Status` a successful delete may answer with (e.g. for a Namespace-less collection). */
export function successStatus(details: { name: string; group: string; kind: string; uid?: string }): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
}
