/**
 * A minimal OpenAPI v3 discovery, enough for kubectl: `/openapi/v3` lists one document per served
 * group-version, and each document declares, per kind, the PATCH operation with its
 * `x-kubernetes-group-version-kind` and the `fieldValidation` and `dryRun` query parameters.
 * kubectl (k8s.io/cli-runtime query_param_verifier_v3.go) reads exactly that to decide the server
 * validates fields itself, so `kubectl apply` does not need the schemas of `/openapi/v2` (which
 * answers 404 here). No component schemas are served: kubectl then builds client-side apply
 * patches from its compiled-in types (strategic merge for built-in kinds, JSON merge for custom ones).
 */
import { createHash } from 'node:crypto';
import type { KindRegistry, ResourceKind } from '../types.js';

function gvPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

function hashOf(kinds: ResourceKind[]): string {
  return createHash('sha256').update(kinds.map((k) => `${k.group}/${k.version}/${k.kind}`).join(',')).digest('hex').slice(0, 32).toUpperCase();
}

/** `/openapi/v3`: `{paths: {"api/v1": {serverRelativeURL}}, ...}` for every served group-version. */
export function openApiV3Root(kinds: KindRegistry): Record<string, unknown> {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  const groups = new Map<string, ResourceKind[]>();
  for (const k of kinds.served()) {
    const key = gvPath(k.group, k.version);
    groups.set(key, [...(groups.get(key) ?? []), k]);
  }
  for (const [key, list] of groups) paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hashOf(list)}` };
  return { paths };
}

const QUERY_PARAMS = ['fieldValidation', 'dryRun', 'fieldManager'].map((name) => ({ name, in: 'query', schema: { type: 'string', uniqueItems: true } }));

/** `/openapi/v3/api/v1` or `/openapi/v3/apis/{group}/{version}`; undefined when nothing of it is served. */
export function openApiV3Document(kinds: KindRegistry, group: string, version: string): Record<string, unknown> | undefined {
  const served = kinds.served().filter((k) => k.group === group && k.version === version);
  if (served.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  for (const k of served) {
    const base = `/${gvPath(group, version)}${k.namespaced ? '/namespaces/{namespace}' : ''}/${k.plural}/{name}`;
    const gvk = { group, version, kind: k.kind };
    if (k.verbs.includes('patch')) {
      paths[base] = { patch: { operationId: `patch${k.kind}`, 'x-kubernetes-group-version-kind': gvk, 'x-kubernetes-action': 'patch', parameters: QUERY_PARAMS } };
    }
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'unversioned' }, paths, components: { schemas: {} } };
}
