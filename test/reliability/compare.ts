/**
 * Comparing canonical state dumps (src/sim/state-dump.ts): duplicates by natural key, and where two
 * dumps differ, as readable lines for a failing test's message. Dumps hold no secret values, so
 * both may be printed.
 */
import type { StateDump } from '../../src/sim/state-dump.js';

type Rec = Record<string, unknown>;

/** Natural keys that must be unique in each 3scale table (a duplicate means a retry created a second one). */
const UNIQUE_3SCALE: Record<string, (r: Rec) => string | undefined> = {
  services: (r) => String(r['system_name']),
  backends: (r) => String(r['system_name']),
  metrics: (r) => `${String(r['service_id'] ?? r['backend_api_id'])} ${String(r['system_name'])}`,
  mappingRules: (r) => `${String(r['owner_type'])} ${String(r['owner_id'])} ${String(r['http_method'])} ${String(r['pattern'])}`,
  backendUsages: (r) => `${String(r['service_id'])} ${String(r['backend_id'] ?? r['backend_api_id'])}`,
  plans: (r) => `${String(r['type'])} ${String(r['service_id'] ?? r['issuer_id'] ?? '')} ${String(r['system_name'])}`,
  limits: (r) => `${String(r['plan_id'])} ${String(r['metric_id'])} ${String(r['period'])}`,
  activeDocs: (r) => String(r['system_name']),
  authProviders: (r) => `${String(r['kind'])} ${String(r['system_name'])}`,
  accounts: (r) => String(r['org_name']),
  serviceContracts: (r) => `${String(r['user_account_id'] ?? r['account_id'])} ${String(r['plan_id'] ?? r['service_id'])}`,
  cmsSections: (r) => String(r['system_name'] ?? r['partial_path']),
  cmsTemplates: (r) => `${String(r['type'])} ${String(r['system_name'] ?? r['path'])}`,
  cmsFiles: (r) => String(r['path']),
};

/**
 * Duplicates in a dump, as sentences (`3scale services: "maas-x" ×2`): 3scale records sharing a
 * natural key (system name, path, owner + pattern, ...), Keycloak realms, clients (by clientId),
 * protocol mappers (by name, per client) and identity providers (by alias), Kubernetes objects
 * sharing kind, namespace and (normalised) name (Routes: and host) — two generated names for one
 * purpose collapse into one normalised name and show here. Empty when there are none.
 */
export function duplicatesIn(dump: StateDump): string[] {
  const found: string[] = [];
  const check = (what: string, keys: string[]): void => {
    const counts = new Map<string, number>();
    for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
    for (const [k, n] of counts) if (n > 1) found.push(`${what}: "${k}" ×${n}`);
  };
  for (const [kind, list] of Object.entries(dump.kubernetes)) {
    check(`Kubernetes ${kind}`, list.map((o) => {
      const { metadata: m, spec } = o as { metadata: { namespace?: string; name?: string }; spec?: { host?: string } };
      // zync's Routes share a generated prefix; each serves one host.
      return `${m.namespace ?? ''}/${m.name ?? ''}${kind === 'Route' && spec?.host ? ` (${spec.host})` : ''}`;
    }));
  }
  const realms = dump.keycloak as { realm: { realm: string }; clients: { clientId: string; protocolMappers: { name: string }[] }[]; identityProviders: { alias: string }[] }[];
  check('Keycloak realms', realms.map((r) => r.realm.realm));
  for (const r of realms) {
    check(`Keycloak clients of realm ${r.realm.realm}`, r.clients.map((c) => c.clientId));
    for (const c of r.clients) check(`Keycloak protocol mappers of client ${c.clientId} in realm ${r.realm.realm}`, c.protocolMappers.map((m) => m.name));
    check(`Keycloak identity providers of realm ${r.realm.realm}`, r.identityProviders.map((i) => i.alias));
  }
  for (const [table, key] of Object.entries(UNIQUE_3SCALE)) {
    const list = (dump.threescale?.[table] ?? []) as Rec[];
    check(`3scale ${table}`, list.map((r) => key(r) ?? ''));
  }
  return found;
}

/**
 * Where two dumps differ, as lines `path: a → b` (JSON values, shortened to 200 characters),
 * at most `limit` of them; empty when they are equal. Lists are compared member by member (they
 * are sorted), so one extra record shows as differences from there on plus a length line.
 */
export function diffDumps(a: StateDump, b: StateDump, limit = 40): string[] {
  const out: string[] = [];
  const show = (v: unknown): string => {
    const s = JSON.stringify(v) ?? 'undefined';
    return s.length > 200 ? `${s.slice(0, 200)}…` : s;
  };
  const walk = (x: unknown, y: unknown, path: string): void => {
    if (out.length >= limit) return;
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length) out.push(`${path}: ${x.length} entries → ${y.length} entries`);
      for (let i = 0; i < Math.min(x.length, y.length); i++) walk(x[i], y[i], `${path}[${i}]`);
      return;
    }
    if (x && y && typeof x === 'object' && typeof y === 'object' && !Array.isArray(x) && !Array.isArray(y)) {
      const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])].sort();
      for (const k of keys) walk((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], `${path}.${k}`);
      return;
    }
    if (JSON.stringify(x) !== JSON.stringify(y)) out.push(`${path}: ${show(x)} → ${show(y)}`);
  };
  walk(a, b, '$');
  return out;
}
