/**
 * API discovery documents of the simulated server (k8s.io/apimachinery meta/v1 APIVersions,
 * APIGroupList, APIGroup, APIResourceList), built from the kinds currently served. Kinds whose
 * operator is not installed yet are absent, as their CRDs would be.
 */
import type { KindRegistry, ResourceKind } from '../types.js';

/** Version priority as Kubernetes sorts versions: GA > beta > alpha, higher numbers first. */
export function versionPriority(version: string): number {
  const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(version);
  if (!m) return 0;
  const major = Number(m[1]);
  const level = m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1;
  return level * 1_000_000 + major * 1000 + Number(m[3] ?? 0);
}

/** `/version`: `gitVersion` like `v1.31.6`. */
export function versionInfo(gitVersion: string): Record<string, string> {
  const m = /^v(\d+)\.(\d+)/.exec(gitVersion);
  return {
    major: m?.[1] ?? '1',
    minor: m?.[2] ?? '31',
    gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-01-01T00:00:00Z',
    goVersion: 'go1.22.9',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

/** `/api`: the core group's versions. `address` is `127.0.0.1:PORT` of the request. */
export function apiVersions(address: string): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: address }] };
}

/** One group's APIGroup body (versions sorted by priority, the first preferred); undefined when nothing of it is served. */
export function apiGroup(kinds: KindRegistry, group: string): Record<string, unknown> | undefined {
  const versions = [...new Set(kinds.served().filter((k) => k.group === group).map((k) => k.version))].sort(
    (a, b) => versionPriority(b) - versionPriority(a),
  );
  if (versions.length === 0) return undefined;
  const entries = versions.map((version) => ({ groupVersion: `${group}/${version}`, version }));
  return { kind: 'APIGroup', apiVersion: 'v1', name: group, versions: entries, preferredVersion: entries[0] };
}

/** `/apis`: every named group with something served. */
export function apiGroupList(kinds: KindRegistry): Record<string, unknown> {
  const groups = [...new Set(kinds.served().map((k) => k.group).filter((g) => g !== ''))];
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups.map((g) => {
      const body = apiGroup(kinds, g) as Record<string, unknown>;
      return { name: g, versions: body.versions, preferredVersion: body.preferredVersion };
    }),
  };
}

const SUBRESOURCE_VERBS: Record<string, string[]> = {
  status: ['get', 'patch', 'update'],
  log: ['get'],
  proxy: ['create', 'delete', 'get', 'patch', 'update'],
};

function resourceEntries(kind: ResourceKind): Record<string, unknown>[] {
  const main: Record<string, unknown> = {
    name: kind.plural,
    singularName: kind.singular,
    namespaced: kind.namespaced,
    kind: kind.kind,
    verbs: kind.verbs,
  };
  if (kind.shortNames.length > 0) main.shortNames = kind.shortNames;
  const subs = kind.subresources.map((sub) => ({
    name: `${kind.plural}/${sub}`,
    singularName: '',
    namespaced: kind.namespaced,
    kind: sub === 'proxy' ? 'ServiceProxyOptions' : kind.kind,
    verbs: SUBRESOURCE_VERBS[sub] ?? ['get'],
  }));
  return [main, ...subs];
}

/** `/api/v1` or `/apis/{group}/{version}`: an APIResourceList; undefined when nothing of it is served. */
export function apiResourceList(kinds: KindRegistry, group: string, version: string): Record<string, unknown> | undefined {
  const served = kinds.served().filter((k) => k.group === group && k.version === version);
  if (served.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group === '' ? version : `${group}/${version}`,
    resources: served.flatMap(resourceEntries),
  };
}
