/**
 * The simulated Kubernetes API server (SIMULATOR.md §1): bearer-token authentication, RBAC from
 * the access policy, discovery, the verbs on every served kind, watches, the Service proxy and Pod
 * logs, and the virtual kinds (ProjectRequest, Project, SelfSubjectAccessReview, `users/~`).
 * Paths of kinds not served (operator not installed) answer 404 `the server could not find the
 * requested resource`, as they would before the CRD exists.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HostHandler, KindRegistry, ObjectStore, PodLogs, ResourceKind, ServiceRegistry } from '../types.js';
import type { SimObjectStore } from '../store.js';
import type { AccessPolicy } from './access.js';
import { forbidden, methodNotAllowed, SimApiError, statusBody, unauthorized, unknownPath } from './errors.js';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, versionInfo } from './discovery.js';
import { readBody, sendError, sendJson } from './http.js';
import { parseBody } from './patch.js';
import { openApiV3Document, openApiV3Root } from './openapi.js';
import { proxyToService, servePodLog } from './proxy.js';
import type { ResourceRoute } from './resources.js';
import { serveResource } from './resources.js';
import { createProjectRequest, currentUser, reviewAccess, toNamespace, toProject } from './virtual.js';

/** What the API server serves. `clusterVersion` is the Kubernetes `gitVersion` (default `v1.31.6`, OpenShift 4.18). */
export interface KubeApiDeps {
  store: ObjectStore;
  kinds: KindRegistry;
  access: AccessPolicy;
  podLogs: PodLogs;
  services: ServiceRegistry;
  clusterVersion?: string;
}

/** Paths anyone may read without a token (system:public-info-viewer). */
const PUBLIC = new Set(['/version', '/healthz', '/readyz', '/livez']);

const VERB_BY_METHOD: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete', GET: 'get' };

function verbOf(method: string, hasName: boolean, params: URLSearchParams): string {
  if (method === 'GET' && !hasName) return params.get('watch') === 'true' || params.get('watch') === '1' ? 'watch' : 'list';
  if (method === 'DELETE' && !hasName) return 'deletecollection';
  return VERB_BY_METHOD[method] ?? method.toLowerCase();
}

function authenticate(req: IncomingMessage, access: AccessPolicy, path: string): void {
  const header = req.headers.authorization;
  if (header === undefined && PUBLIC.has(path) && !access.tokenExpired) return;
  const token = /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim();
  if (access.tokenExpired || token !== access.token) throw unauthorized();
}

/**
 * Creates the request handler. The store must come from `createObjectStore` (watches replay its
 * history). Every error is answered as a Kubernetes `Status`.
 */
export function createKubeApiHandler(deps: KubeApiDeps): HostHandler {
  const store = deps.store as SimObjectStore;
  const { kinds, access } = deps;
  const gitVersion = deps.clusterVersion ?? 'v1.31.6';
  const namespaceKind = kinds.byKind('Namespace');

  const authorize = (verb: string, kind: ResourceKind, namespace: string | undefined, name: string | undefined, subresource?: string): void => {
    const resource = subresource ? `${kind.plural}/${subresource}` : kind.plural;
    if (access.allows(verb, kind.group, resource, namespace) && (!subresource || access.allows(verb, kind.group, kind.plural, namespace))) return;
    throw forbidden({
      user: access.user, verb, resource: kind.plural, group: kind.group,
      ...(subresource ? { subresource } : {}), ...(namespace ? { namespace } : {}), ...(name ? { name } : {}),
    });
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const params = url.searchParams;
    const method = (req.method ?? 'GET').toUpperCase();
    authenticate(req, access, path);

    if (path === '/version') return sendJson(res, 200, versionInfo(gitVersion));
    if (path === '/healthz' || path === '/readyz' || path === '/livez') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
      return;
    }
    if (path === '/api') return sendJson(res, 200, apiVersions(req.socket.localAddress ? `${req.socket.localAddress}:${req.socket.localPort}` : '127.0.0.1'));
    if (path === '/apis') return sendJson(res, 200, apiGroupList(kinds));
    if (path === '/openapi/v3') return sendJson(res, 200, openApiV3Root(kinds));
    const openapi = /^\/openapi\/v3\/(?:api\/([^/]+)|apis\/([^/]+)\/([^/]+))$/.exec(path);
    if (openapi) {
      const doc = openApiV3Document(kinds, openapi[2] ?? '', openapi[1] ?? openapi[3] ?? '');
      if (!doc) throw unknownPath();
      return sendJson(res, 200, doc);
    }

    const segments = path.split('/').slice(1).map(decodeURIComponent);
    let group: string;
    let version: string | undefined;
    let rest: string[];
    if (segments[0] === 'api') {
      group = '';
      version = segments[1];
      rest = segments.slice(2);
    } else if (segments[0] === 'apis' && segments.length >= 2) {
      group = segments[1] ?? '';
      version = segments[2];
      rest = segments.slice(3);
      if (version === undefined) {
        const body = apiGroup(kinds, group);
        if (!body) throw unknownPath();
        return sendJson(res, 200, body);
      }
    } else {
      throw unknownPath();
    }
    if (rest.length === 0) {
      const body = apiResourceList(kinds, group, version ?? '');
      if (!body) throw unknownPath();
      return sendJson(res, 200, body);
    }

    let namespace: string | undefined;
    const namespaceItself = group === '' && rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize');
    if (rest[0] === 'namespaces' && rest.length >= 3 && !namespaceItself) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const [plural, name, subresource, ...subpath] = rest;
    const kind = kinds.served().find((k) => k.group === group && k.version === version && k.plural === plural);
    if (!kind) throw unknownPath();
    if (kind.namespaced !== (namespace !== undefined) && !(kind.namespaced && name === undefined && method === 'GET')) throw unknownPath();
    if (subresource !== undefined && !kind.subresources.includes(subresource)) throw unknownPath();

    // Virtual kinds first.
    if (kind.kind === 'User' && name === '~' && subresource === undefined) {
      if (method !== 'GET') throw methodNotAllowed();
      return sendJson(res, 200, currentUser(access));
    }
    const verb = subresource === 'log' || subresource === 'proxy' ? (VERB_BY_METHOD[method] ?? 'get') : verbOf(method, name !== undefined, params);
    if (kind.kind === 'SelfSubjectAccessReview') {
      if (method !== 'POST' || name !== undefined) throw methodNotAllowed();
      return sendJson(res, 201, reviewAccess(access, parseBody(await readBody(req), req.headers['content-type'])));
    }
    authorize(verb, kind, namespace, name, subresource);
    if (kind.kind === 'ProjectRequest') {
      if (method === 'POST' && name === undefined) {
        return sendJson(res, 201, createProjectRequest(store, namespaceKind, access, parseBody(await readBody(req), req.headers['content-type'])));
      }
      if (method === 'GET' && name === undefined) return sendJson(res, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' });
      throw methodNotAllowed();
    }
    if (subresource === 'proxy' && name !== undefined && namespace !== undefined) {
      const rawPath = url.pathname;
      const marker = `/${encodeURIComponent(name)}/proxy`;
      const at = rawPath.indexOf(marker);
      const restPath = at >= 0 ? rawPath.slice(at + marker.length) : `/${subpath.join('/')}`;
      return proxyToService(req, res, { store, services: deps.services, serviceKind: kind }, namespace, name, restPath, url.search);
    }
    if (subresource === 'log' && name !== undefined && namespace !== undefined) {
      if (method !== 'GET') throw methodNotAllowed();
      return servePodLog(req, res, { store, podLogs: deps.podLogs, podKind: kind }, namespace, name, params);
    }
    const allowed = subresource === 'status' ? ['get', 'patch', 'update'] : kind.verbs;
    if (!allowed.includes(verb)) throw methodNotAllowed();

    const r: ResourceRoute = {
      kind,
      addressed: kind,
      params,
      ...(namespace !== undefined ? { namespace } : {}),
      ...(name !== undefined ? { name } : {}),
      ...(subresource === 'status' ? { subresource: 'status' as const } : {}),
    };
    if (kind.kind === 'Project') {
      r.kind = namespaceKind;
      r.view = { out: toProject, in: toNamespace };
    }
    await serveResource(req, res, store, namespaceKind, r);
  };

  return async (req, res) => {
    try {
      await route(req, res);
    } catch (err) {
      if (err instanceof SimApiError && res.headersSent) {
        res.end(JSON.stringify({ type: 'ERROR', object: statusBody(err.shape) }));
        return;
      }
      sendError(res, err);
    }
  };
}
