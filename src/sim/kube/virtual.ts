/**
 * Kinds the API server answers without storing them as such:
 * - Project (project.openshift.io/v1): a view of a Namespace (same metadata, spec and status);
 *   ProjectRequest creates the Namespace with `openshift.io/requester`, `openshift.io/display-name`
 *   and `openshift.io/description` annotations and answers the Project (openshift/api project/v1).
 * - SelfSubjectAccessReview (authorization.k8s.io/v1): `status.allowed` from the access policy.
 * - `users/~` (user.openshift.io/v1): the current user with its `groups`.
 */
import type { KubeObject } from '../../engine/types.js';
import type { ObjectStore, ResourceKind, StoredObject } from '../types.js';
import type { AccessPolicy } from './access.js';
import { alreadyExists, badRequest, invalid } from './errors.js';
import { nameCauses } from './validate.js';

/** The `Project` view of a Namespace. */
export function toProject(ns: StoredObject): StoredObject {
  return { ...structuredClone(ns), apiVersion: 'project.openshift.io/v1', kind: 'Project' };
}

/** The Namespace a Project (as sent by a client) stands for. */
export function toNamespace(project: KubeObject): KubeObject {
  return { ...structuredClone(project), apiVersion: 'v1', kind: 'Namespace' };
}

const PROJECT = { plural: 'project', group: 'project.openshift.io' };

/**
 * Handles `POST projectrequests`: creates the Namespace, answers the Project. Throws 422 for a bad
 * name, 409 AlreadyExists (`project.project.openshift.io "x" already exists`) when it exists.
 */
export function createProjectRequest(store: ObjectStore, namespaceKind: ResourceKind, access: AccessPolicy, body: unknown): StoredObject {
  const request = (body ?? {}) as { metadata?: { name?: string }; displayName?: string; description?: string };
  const name = request.metadata?.name ?? '';
  const kind = { kind: 'ProjectRequest', group: 'project.openshift.io' };
  if (name === '') throw invalid(kind, name, [{ reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' }]);
  const causes = nameCauses(name, 'label');
  if (causes.length > 0) throw invalid(kind, name, causes);
  if (store.get(namespaceKind, undefined, name)) throw alreadyExists(PROJECT, name);
  const ns = store.create(namespaceKind, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      annotations: {
        'openshift.io/description': request.description ?? '',
        'openshift.io/display-name': request.displayName ?? '',
        'openshift.io/requester': access.user,
      },
    },
  });
  return toProject(ns);
}

/**
 * Handles `POST selfsubjectaccessreviews`: echoes the review with `status.allowed` (and `reason`
 * when denied). `spec.resourceAttributes` {verb, group, resource, subresource, namespace, name};
 * `spec.nonResourceAttributes` are always allowed. Throws 400 when neither is given.
 */
export function reviewAccess(access: AccessPolicy, body: unknown): Record<string, unknown> {
  const review = (body ?? {}) as { metadata?: Record<string, unknown>; spec?: Record<string, unknown> };
  const spec = review.spec ?? {};
  const attrs = spec.resourceAttributes as
    | { verb?: string; group?: string; resource?: string; subresource?: string; namespace?: string }
    | undefined;
  if (!attrs && !spec.nonResourceAttributes) {
    throw badRequest('SelfSubjectAccessReview: exactly one of nonResourceAttributes or resourceAttributes must be specified');
  }
  let allowed = true;
  if (attrs) {
    const resource = attrs.subresource ? `${attrs.resource ?? ''}/${attrs.subresource}` : (attrs.resource ?? '');
    allowed =
      access.allows(attrs.verb ?? '', attrs.group ?? '', resource, attrs.namespace || undefined) &&
      (attrs.subresource ? access.allows(attrs.verb ?? '', attrs.group ?? '', attrs.resource ?? '', attrs.namespace || undefined) : true);
  }
  return {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { ...(review.metadata ?? {}), creationTimestamp: null },
    spec,
    status: allowed ? { allowed: true, reason: 'RBAC: allowed by the simulated user policy' } : { allowed: false },
  };
}

/** The current user (`GET /apis/user.openshift.io/v1/users/~`). */
export function currentUser(access: AccessPolicy): Record<string, unknown> {
  return {
    kind: 'User',
    apiVersion: 'user.openshift.io/v1',
    metadata: { name: access.user, creationTimestamp: null },
    identities: [`htpasswd_provider:${access.user}`],
    groups: [...access.groups],
  };
}
