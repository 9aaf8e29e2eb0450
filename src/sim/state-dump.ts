/**
 * A canonical dump of the whole simulated state, for equality comparisons between two runs (the
 * fault-convergence tests: a run that failed and resumed must leave what a clean run leaves).
 * Covers the Kubernetes objects, the Keycloak realms (clients, protocol mappers, identity
 * providers), the 3scale tenant (products, backends, metrics and methods, mapping rules, plans,
 * limits, proxy configs, ActiveDocs, accounts, applications, CMS sections, templates and files)
 * and the S3 buckets (object keys and sizes).
 *
 * What differs between two runs without meaning anything is normalised:
 * - Kubernetes: `generation`, `creationTimestamp`, `managedFields`, `status.observedGeneration`,
 *   `uid` and `resourceVersion` at any depth (object references too), `pod-template-hash`, Service
 *   cluster IPs; generated names (`generateName`, OLM's InstallPlans, Pods, ReplicaSets, owned
 *   objects, zync's Routes) become `<prefix>*`; Event objects are left out.
 * - every string: UUIDs → `<uuid>`, RFC 3339 times → `<time>`, `127.0.0.1:PORT` → `127.0.0.1:<port>`.
 * - secret values: Secret `data`/`stringData` values under keys that name a key, secret,
 *   password, token or URL become `<N bytes>` (the rest is decoded and kept); members named like a
 *   secret (`secret`, `password`, `token`, `key`, `access_code`) of the Keycloak and 3scale state and
 *   of JSON inside strings (the `storage-config` entries) → `<secret>`.
 * - 3scale numeric ids: a record's `id` is left out and its references (`service_id`, `metric_id`,
 *   `plan_id`, `owner_id`, ...) name the record referred to (`service:api`), so two runs that
 *   numbered things differently compare equal while a reference to the wrong thing does not;
 *   the sequences and the gateways' hit counters (`usage`) are left out.
 * The dump never contains a secret value, so it may be printed in a failing test's diff
 * (test/reliability/compare.ts compares dumps and finds duplicates).
 */
import type { ObjectStore, KindRegistry, S3Backend, StoredObject } from './types.js';

/** The canonical dump: plain JSON, every list sorted. */
export interface StateDump {
  /** Objects by kind (`InferenceService`), each list sorted by namespace/name. */
  kubernetes: Record<string, unknown[]>;
  /** Realms sorted by name, with clients, mappers and identity providers sorted. Empty without a Keycloak. */
  keycloak: unknown[];
  /** The tenant's tables, records sorted; undefined without a 3scale or before provisioning. */
  threescale: Record<string, unknown[]> | undefined;
  /** Per bucket (name normalised), its objects as `key size`, sorted. */
  s3: Record<string, string[]>;
}

/** What `dumpState` reads: the object store and the backends that have state (each optional). */
export interface DumpSources {
  store: ObjectStore;
  kinds: KindRegistry;
  /** The simulated Keycloak (src/sim/keycloak: `snapshot()` returns `{version, data: {realms}}`). */
  keycloak?: { snapshot(): unknown } | undefined;
  /** The simulated 3scale (src/sim/threescale: `state.tenant`). */
  threescale?: { readonly state: { tenant: unknown } } | undefined;
  s3?: S3Backend | undefined;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})/g;
const LOOPBACK_PORT = /127\.0\.0\.1:\d+/g;
/** Secret keys whose values are credentials or may embed them (`system-database` `URL`). */
const SECRET_DATA_KEY = /(key|secret|password|token|url|_pass|credentials)/i;
/** Members of the Keycloak / 3scale state that hold credentials. */
const SECRET_MEMBER = /(secret|password|token|(^|_)key($|_)|access_code)/i;
/** Kubernetes' random name suffix alphabet (apimachinery `rand.String`: no vowels, no 0, 1, 3). */
const GENERATED_SUFFIX = /-[bcdfghjklmnpqrstvwxz2456789]{5}$/;
/** A pod template hash (10 hex digits) inside a Pod or ReplicaSet name. */
const TEMPLATE_HASH = /-[0-9a-f]{10}(?=-|$)/;

/** Replaces the volatile parts of every string (UUIDs, times, loopback ports) and the given names. */
function normaliseStrings(value: unknown, names: [string, string][]): unknown {
  let text = JSON.stringify(value ?? null);
  for (const [from, to] of names) text = text.split(from).join(to);
  text = text.replace(UUID, '<uuid>').replace(TIME, '<time>').replace(LOOPBACK_PORT, '127.0.0.1:<port>');
  return JSON.parse(text) as unknown;
}

/** Masks members named like secrets, recursively. */
function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (typeof value === 'string' && value.startsWith('{')) {
    try {
      // JSON inside a string (storage-config entries, `policies_config`): masked inside too.
      return JSON.stringify(maskSecrets(JSON.parse(value)));
    } catch {
      return value;
    }
  }
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = SECRET_MEMBER.test(k) && (typeof v === 'string' || typeof v === 'number') && v !== '' ? '<secret>' : maskSecrets(v);
  }
  return out;
}

/** Sorts a list by the JSON of its members (stable, canonical). */
function sorted<T>(list: T[], key: (x: T) => string = (x) => JSON.stringify(x)): T[] {
  return [...list].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Kinds whose names the cluster generates (OLM's `install-xxxxx`, Pods, ReplicaSets). */
const GENERATED_KINDS = new Set(['InstallPlan', 'Pod', 'ReplicaSet']);

/**
 * Generated names → `<prefix>*`, longest first: names made from `generateName`, names of
 * InstallPlans, Pods, ReplicaSets, owned objects and zync's Routes (`zync-3scale-…`) that end in
 * Kubernetes' random suffix; a pod template hash inside them becomes `<hash>`.
 */
function generatedNames(objects: StoredObject[]): [string, string][] {
  const out = new Map<string, string>();
  for (const o of objects) {
    const m = o.metadata;
    const gen = typeof m['generateName'] === 'string' ? m['generateName'] : undefined;
    const owned = Array.isArray(m['ownerReferences']) && m['ownerReferences'].length > 0;
    if (gen && m.name.startsWith(gen)) out.set(m.name, `${gen}*`);
    else if ((GENERATED_KINDS.has(o.kind) || owned || m.name.startsWith('zync-3scale-')) && GENERATED_SUFFIX.test(m.name)) {
      out.set(m.name, `${m.name.replace(GENERATED_SUFFIX, '').replace(TEMPLATE_HASH, '-<hash>')}-*`);
    } else if (GENERATED_KINDS.has(o.kind) && TEMPLATE_HASH.test(m.name)) {
      out.set(m.name, m.name.replace(TEMPLATE_HASH, '-<hash>'));
    }
  }
  return [...out.entries()].sort((a, b) => b[0].length - a[0].length);
}

/** Deletes `uid` and `resourceVersion` members at any depth (object references carry them too). */
function scrubReferences(value: unknown): void {
  if (Array.isArray(value)) return value.forEach(scrubReferences);
  if (value === null || typeof value !== 'object') return;
  const rec = value as Record<string, unknown>;
  delete rec['uid'];
  delete rec['resourceVersion'];
  for (const v of Object.values(rec)) scrubReferences(v);
}

/** One Kubernetes object without its volatile metadata, Secret values decoded or masked. */
function canonicalObject(o: StoredObject): Record<string, unknown> {
  const copy = structuredClone(o) as Record<string, unknown> & { metadata: Record<string, unknown> };
  for (const k of ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink']) delete copy.metadata[k];
  scrubReferences(copy);
  const status = copy['status'];
  if (status && typeof status === 'object') delete (status as Record<string, unknown>)['observedGeneration'];
  const labels = copy.metadata['labels'] as Record<string, string> | undefined;
  if (labels?.['pod-template-hash'] !== undefined) labels['pod-template-hash'] = '<hash>';
  const spec = copy['spec'] as Record<string, unknown> | undefined;
  if (o.kind === 'Service' && spec) {
    // Allocated in creation order, which concurrent operators do not fix.
    if (typeof spec['clusterIP'] === 'string' && spec['clusterIP'] !== 'None') spec['clusterIP'] = '<clusterIP>';
    if (Array.isArray(spec['clusterIPs'])) spec['clusterIPs'] = spec['clusterIPs'].map((ip) => (ip === 'None' ? ip : '<clusterIP>'));
  }
  if (o.kind === 'Secret') {
    for (const field of ['data', 'stringData'] as const) {
      const data = copy[field] as Record<string, string> | undefined;
      if (!data) continue;
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(data)) {
        const text = field === 'data' ? Buffer.from(String(v), 'base64').toString('utf8') : String(v);
        out[k] = SECRET_DATA_KEY.test(k) ? `<${Buffer.byteLength(text)} bytes>` : String(maskSecrets(text));
      }
      copy[field] = out;
    }
  }
  return copy;
}

/** The Kubernetes part of the dump. */
function dumpKubernetes(store: ObjectStore, kinds: KindRegistry): Record<string, unknown[]> {
  const all = kinds.all().filter((k) => k.kind !== 'Event').flatMap((k) => store.list(k));
  const names = generatedNames(all);
  const out: Record<string, unknown[]> = {};
  for (const o of all) (out[o.kind] ??= []).push(normaliseStrings(canonicalObject(o), names));
  for (const k of Object.keys(out)) {
    out[k] = sorted(out[k] ?? [], (x) => {
      const m = (x as { metadata: { namespace?: string; name?: string } }).metadata;
      return `${m.namespace ?? ''}/${m.name ?? ''}/${JSON.stringify(x)}`;
    });
  }
  return Object.fromEntries(sorted(Object.entries(out), (e) => e[0]));
}

interface RealmLike {
  rep: Record<string, unknown>;
  clients: (Record<string, unknown> & { clientId: string; protocolMappers?: Record<string, unknown>[] })[];
  secrets: Record<string, string>;
  identityProviders: (Record<string, unknown> & { alias: string })[];
}

/** The Keycloak part: realms with clients (secret presence only), mappers and identity providers. */
function dumpKeycloak(kc: { snapshot(): unknown } | undefined): unknown[] {
  if (!kc) return [];
  const snap = kc.snapshot() as { data?: { realms?: RealmLike[] } };
  const realms = snap.data?.realms ?? [];
  const out = realms.map((r) => ({
    realm: r.rep,
    clients: sorted(
      r.clients.map((c) => ({
        ...c,
        hasSecret: r.secrets[String(c['id'])] !== undefined,
        protocolMappers: sorted(c.protocolMappers ?? [], (m) => `${String(m['name'])}/${JSON.stringify(m)}`),
      })),
      (c) => c.clientId,
    ),
    identityProviders: sorted(r.identityProviders, (i) => i.alias),
  }));
  return sorted(normaliseStrings(maskSecrets(out), []) as unknown[], (r) => String((r as { realm: { realm: string } }).realm.realm));
}

type Rec = Record<string, unknown>;
interface TenantLike {
  services: Rec[];
  backends: Rec[];
  metrics: Rec[];
  plans: Rec[];
  accounts: Rec[];
  users: Rec[];
  applications: Rec[];
  cmsSections: Rec[];
  cmsTemplates: Rec[];
  cmsFiles: Rec[];
  proxies: Record<string, Rec>;
  [table: string]: unknown;
}

/**
 * Tables of the tenant whose records other records refer to, the kind of record, and how a record
 * is named; `owner` gives the label of the record's owner (metrics and plans are named within
 * their product or backend). Owners come first in the list.
 */
const LABELS: [table: keyof TenantLike & string, kind: string, name: (r: Rec, owner: (r: Rec) => string) => string][] = [
  ['services', 'service', (r) => String(r['system_name'])],
  ['backends', 'backend', (r) => String(r['system_name'])],
  ['accounts', 'account', (r) => String(r['org_name'])],
  ['metrics', 'metric', (r, owner) => `${owner(r)}/${String(r['system_name'])}`],
  ['plans', 'plan', (r, owner) => `${owner(r)}/${String(r['type'])}/${String(r['system_name'])}`],
  ['users', 'user', (r) => String(r['username'])],
  ['applications', 'application', (r) => String(r['name'])],
  ['cmsSections', 'section', (r) => String(r['system_name'] ?? r['partial_path'])],
  ['cmsTemplates', 'template', (r) => String(r['system_name'] ?? r['path'] ?? r['title'])],
  ['cmsFiles', 'file', (r) => String(r['path'])],
];

/** Reference members → the kind of record they name (`owner_id` goes by `owner_type`). */
const REFS: Record<string, string> = {
  service_id: 'service', backend_id: 'backend', backend_api_id: 'backend', metric_id: 'metric', plan_id: 'plan',
  account_id: 'account', user_account_id: 'account', application_id: 'application', user_id: 'user', section_id: 'section',
  layout_id: 'template', issuer_id: 'service',
};

/** The 3scale part: each table with ids replaced by the names of what they refer to. */
function dumpThreescale(ts: DumpSources['threescale']): Record<string, unknown[]> | undefined {
  const tenant = ts?.state.tenant as TenantLike | undefined;
  if (!tenant) return undefined;
  const label = new Map<string, string>();
  const ref = (kind: string, id: unknown): string => (id === null || id === undefined ? String(id) : label.get(`${kind}:${String(id)}`) ?? `${kind}:<unknown ${String(id)}>`);
  const owner = (r: Rec): string =>
    r['service_id'] !== undefined ? ref('service', r['service_id']) : r['backend_api_id'] !== undefined ? ref('backend', r['backend_api_id']) : 'provider';
  for (const [table, kind, name] of LABELS) {
    for (const r of (tenant[table] as Rec[] | undefined) ?? []) label.set(`${kind}:${String(r['id'])}`, `${kind}:${name(r, owner)}`);
  }
  const rewrite = (table: string, r: Rec): Rec => {
    const out: Rec = {};
    for (const [k, v] of Object.entries(r)) {
      if (k === 'id') continue;
      if (k === 'parent_id') out[k] = ref(table === 'cmsSections' ? 'section' : 'metric', v);
      else if (k === 'owner_id') out[k] = ref(r['owner_type'] === 'BackendApi' ? 'backend' : 'service', v);
      else if (REFS[k]) out[k] = ref(REFS[k], v);
      else out[k] = v;
    }
    return out;
  };
  const out: Record<string, unknown[]> = {};
  for (const [table, value] of Object.entries(tenant)) {
    if (['name', 'accessToken', 'domain', 'sequences', 'usage'].includes(table)) continue;
    if (table === 'proxies') {
      out[table] = Object.entries(tenant.proxies).map(([serviceId, p]) => ({ service: ref('service', serviceId), ...rewrite(table, p) }));
    } else if (Array.isArray(value)) out[table] = (value as Rec[]).map((r) => rewrite(table, r));
    else out[table] = [rewrite(table, (value ?? {}) as Rec)];
  }
  const normal = normaliseStrings(maskSecrets(out), []) as Record<string, unknown[]>;
  return Object.fromEntries(sorted(Object.entries(normal), (e) => e[0]).map(([k, v]) => [k, sorted(v)]));
}

/** The S3 part: for every ObjectBucketClaim's bucket, its objects as `key size`. */
async function dumpS3(store: ObjectStore, kinds: KindRegistry, s3: S3Backend | undefined): Promise<Record<string, string[]>> {
  if (!s3) return {};
  const obc = kinds.find('ObjectBucketClaim');
  const buckets = new Set<string>();
  for (const o of obc ? store.list(obc) : []) {
    const name = (o['spec'] as { bucketName?: unknown } | undefined)?.bucketName;
    if (typeof name === 'string' && name !== '') buckets.add(name);
  }
  const out: Record<string, string[]> = {};
  for (const b of [...buckets].sort()) {
    const objects = await s3.listObjects(b, '');
    out[b.replace(UUID, '<uuid>')] = objects.map((x) => `${x.key} ${x.size}`).sort();
  }
  return out;
}

/**
 * Reads the whole simulated state into a canonical dump (see the module comment for what is
 * normalised). Read-only; sends no request through the simulation's servers (so the request log
 * and the fault injector's counts stay as they are).
 * @throws whatever the S3 backend's `listObjects` throws (a broken state directory).
 */
export async function dumpState(sources: DumpSources): Promise<StateDump> {
  return {
    kubernetes: dumpKubernetes(sources.store, sources.kinds),
    keycloak: dumpKeycloak(sources.keycloak),
    threescale: dumpThreescale(sources.threescale),
    s3: await dumpS3(sources.store, sources.kinds, sources.s3),
  };
}
