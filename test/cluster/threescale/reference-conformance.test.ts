/**
 * What the 3scale client sends conforms to the real 3scale specs (Account Management and CMS API,
 * read at run time from ../shared/reference/openapi; skipped with a notice when absent): every
 * operation's method and path exist (the `.json` suffix standing for the spec's `.xml` one), and
 * every query or form parameter is one the operation documents. A recording fetch answers `{}`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ThreescaleClient } from '../../../src/cluster/threescale/client.js';

const ref = path.resolve(import.meta.dirname, '../../..', '../shared/reference');
const has = existsSync(ref);
if (!has) console.warn('skipped: ../shared/reference absent');

interface Operation { parameters?: { name: string; in: string }[]; requestBody?: { content?: Record<string, { schema?: unknown }> } }
type Spec = { paths: Record<string, Record<string, Operation>> };

/** Parameters porta accepts beyond the spec, as 3SCALE_OPERATIONS.md notes them. */
const DOCUMENTED_EXTRAS: Record<string, string[]> = {
  'POST /admin/api/services/{service_id}/application_plans': ['system_name'],
};

function load(file: string): Spec {
  return JSON.parse(readFileSync(path.join(ref, 'openapi', file), 'utf8')) as Spec;
}

/** The spec operation for a concrete path (suffix-insensitive, `{x}` matches one segment). */
function findOperation(specs: Spec[], method: string, concrete: string): { template: string; op: Operation; spec: Spec } | undefined {
  const bare = concrete.replace(/\.(json|xml)$/, '');
  let best: { template: string; op: Operation; spec: Spec; params: number } | undefined;
  for (const spec of specs) {
    for (const [template, ops] of Object.entries(spec.paths)) {
      const re = new RegExp(`^${template.replace(/\.(json|xml)$/, '').replace(/\{[a-z_]+\}/g, '[^/]+')}$`);
      const op = ops[method.toLowerCase()];
      const params = (template.match(/\{/g) ?? []).length;
      // Literal segments win (`accounts/find` before `accounts/{id}`), as in porta's routes.
      if (re.test(bare) && op && (!best || params < best.params)) best = { template: template.replace(/\.(json|xml)$/, ''), op, spec, params };
    }
  }
  return best && { template: best.template, op: best.op, spec: best.spec };
}

/** Properties of a request body schema, following `$ref`s into `components.schemas` and `allOf`. */
function schemaProperties(spec: Spec, schema: unknown, depth = 0): string[] {
  if (!schema || typeof schema !== 'object' || depth > 5) return [];
  const s = schema as { $ref?: string; properties?: Record<string, unknown>; allOf?: unknown[] };
  if (s.$ref) {
    const name = s.$ref.replace('#/components/schemas/', '');
    return schemaProperties(spec, (spec as { components?: { schemas?: Record<string, unknown> } }).components?.schemas?.[name], depth + 1);
  }
  return [...Object.keys(s.properties ?? {}), ...(s.allOf ?? []).flatMap((x) => schemaProperties(spec, x, depth + 1))];
}

function documentedParams(spec: Spec, op: Operation): Set<string> {
  const names = new Set((op.parameters ?? []).map((p) => p.name));
  for (const c of Object.values(op.requestBody?.content ?? {})) for (const k of schemaProperties(spec, c.schema)) names.add(k);
  return names;
}

interface Sent { method: string; path: string; params: string[] }

async function exercise(): Promise<Sent[]> {
  const sent: Sent[] = [];
  const recordingFetch = (async (input: URL | string, init?: RequestInit) => {
    const url = new URL(String(input));
    const params = [...url.searchParams.keys()];
    const body = init?.body;
    if (body instanceof URLSearchParams) params.push(...body.keys());
    if (body instanceof FormData) params.push(...body.keys());
    sent.push({ method: init?.method ?? 'GET', path: url.pathname, params: [...new Set(params.map((p) => p.replace(/\[\]$/, '')))] });
    return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  const c = new ThreescaleClient({ fetch: recordingFetch, baseUrl: 'https://maas-admin.apps.example.com', accessToken: async () => 't' });
  const crud = async (r: { list(): Promise<unknown>; get(id: number): Promise<unknown>; create(p: Record<string, string>): Promise<unknown>; update(id: number, p: Record<string, string>): Promise<unknown>; delete(id: number): Promise<unknown> }, create: Record<string, string>, update: Record<string, string>): Promise<void> => {
    await r.list();
    await r.get(1);
    await r.create(create);
    await r.update(1, update);
    await r.delete(1);
  };
  await crud(c.services, { name: 'M', system_name: 'm', backend_version: '1' }, { name: 'M2', description: 'd' });
  await crud(c.backends, { name: 'B', system_name: 'b', private_endpoint: 'http://x' }, { private_endpoint: 'http://y' });
  await crud(c.backendUsages(2), { backend_api_id: '3', path: '/' }, { path: '/v1' });
  await crud(c.metrics(2), { friendly_name: 'T', unit: 'hit', system_name: 't' }, { friendly_name: 'T2' });
  await crud(c.methods(2, 4), { friendly_name: 'Chat', system_name: 'chat' }, { friendly_name: 'Chat 2' });
  await crud(c.backendMetrics(3), { friendly_name: 'T', unit: 'hit', system_name: 't' }, { friendly_name: 'T2' });
  await crud(c.backendMethods(3, 4), { friendly_name: 'Chat', system_name: 'chat' }, { friendly_name: 'Chat 2' });
  await crud(c.mappingRules(2), { http_method: 'POST', pattern: '/v1/chat$', delta: '1', metric_id: '4', last: 'true' }, { pattern: '/v1/x$' });
  await crud(c.backendMappingRules(3), { http_method: 'POST', pattern: '/v1/chat$', delta: '1', metric_id: '4' }, { pattern: '/v1/x$' });
  await crud(c.applicationPlans(2), { name: 'Standard', system_name: 'standard', state_event: 'publish' }, { state_event: 'hide' });
  await c.applicationPlans(2).setDefault(5);
  await crud(c.servicePlans(2), { name: 'Default', system_name: 'default' }, { name: 'Default' });
  await c.servicePlans(2).setDefault(6);
  await crud(c.limits(5, 4), { period: 'minute', value: '10' }, { period: 'minute', value: '20' });
  await c.planLimits(5);
  await crud(c.activeDocs, { name: 'Doc', system_name: 'doc', body: '{}', service_id: '2', published: 'true' }, { published: 'false' });
  await c.authProviders.list();
  await c.authProviders.create({ kind: 'keycloak', client_id: 'c', client_secret: 's', site: 'https://k', published: 'true', automatically_approve_accounts: 'true' });
  await c.authProviders.update(1, { published: 'true' });
  await c.proxy(2);
  await c.updateProxy(2, { credentials_location: 'authorization', auth_user_key: 'Authorization' });
  await c.policies(2);
  await c.updatePolicies(2, []);
  await c.deploy(2);
  await c.latestConfig(2, 'sandbox');
  await c.proxyConfigs(2, 'production');
  await c.promote(2, 3);
  await c.settings();
  await c.updateSettings({ signups_enabled: true });
  await c.provider();
  await c.updateProvider({ site_access_code: '' });
  await c.accounts.list();
  await c.accounts.findBy({ username: 'john' });
  await c.accounts.approve(7);
  await c.accounts.delete(7);
  await c.users(7).list();
  await c.signup({ org_name: 'o', username: 'u', email: 'e@x', password: 'p' });
  await crud(c.applications(7), { plan_id: '5', name: 'App' }, { name: 'App 2' });
  await c.allApplications({ service_id: 2 });
  await c.serviceContracts(7).list();
  await c.serviceContracts(7).delete(8);
  await crud(c.cmsSections, { title: 'Models', system_name: 'models', public: 'true' }, { title: 'Models 2' });
  await crud(c.cmsTemplates, { type: 'page', system_name: 'home', title: 'Home', path: '/', draft: '<h1/>', layout_name: 'main_layout' }, { draft: '<h2/>' });
  await c.cmsTemplates.publish(9);
  await c.cmsTemplates.listWithContent();
  await c.cmsFiles.list();
  await c.cmsFiles.create({ path: '/logo.png', downloadable: 'false' }, { field: 'attachment', file: { filename: 'logo.png', contentType: 'image/png', data: new Uint8Array([1, 2]) } });
  await c.cmsFiles.delete(10);
  return sent;
}

describe('3scale client against the reference specs', () => {
  it.skipIf(!has)('sends only operations and parameters the Account Management and CMS specs document', async () => {
    const specs = [load('3scale_account_management_api.json'), load('3scale_cms_api.json')];
    const sent = await exercise();
    expect(sent.length).toBeGreaterThan(100);
    const problems: string[] = [];
    for (const s of sent) {
      const found = findOperation(specs, s.method, s.path);
      if (!found) {
        problems.push(`${s.method} ${s.path}: no such operation`);
        continue;
      }
      const known = documentedParams(found.spec, found.op);
      const extras = DOCUMENTED_EXTRAS[`${s.method} ${found.template}`] ?? [];
      for (const p of s.params) if (!known.has(p) && !extras.includes(p)) problems.push(`${s.method} ${found.template}: parameter ${p} not documented`);
    }
    expect([...new Set(problems)]).toEqual([]);
  });

  it.skipIf(!has)('the check itself refuses an operation the spec does not have', () => {
    const specs = [load('3scale_account_management_api.json')];
    expect(findOperation(specs, 'DELETE', '/admin/api/provider.json')).toBeUndefined();
    expect(findOperation(specs, 'PUT', '/admin/api/services/2/application_plans/5.json')?.template).toBe('/admin/api/services/{service_id}/application_plans/{id}');
  });
});
