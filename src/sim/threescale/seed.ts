/**
 * What a fresh 3scale tenant holds (STAGES.md §7, "A fresh tenant holds sample data"): product
 * `API` (system name `api`, id 2 — id 1 is the master account's), backend `API Backend` at
 * `https://echo-api.3scale.net:443` used at `/`, application plans `Basic` (default) and
 * `Unlimited`, service plan `Default`, account plan `Default`, developer account `Developer`
 * (user `john`) with an application, ActiveDocs `Echo`, a developer portal access code, and a
 * small default developer portal (CMS) content.
 */
import { createAccount, createApplication, createBackend, createPlan, createService, makeDefault, randomKey } from './model.js';
import { emptyTenant, hosts, nextId, timestamp } from './state.js';
import type { Rec, TenantState } from './state.js';

const ECHO_SPEC = JSON.stringify({
  openapi: '3.0.2',
  info: { title: 'Echo', version: '1.0' },
  paths: { '/': { get: { summary: 'Echo', responses: { '200': { description: 'The request, echoed' } } } } },
});

/** The default developer portal content: a root section, a layout, a home page and a docs page. */
function seedCms(state: TenantState, now: number): void {
  const at = timestamp(now);
  const root: Rec = { id: nextId(state, 'cms_sections'), title: 'Root', system_name: 'root', public: true, parent_id: null, partial_path: '/', created_at: at, updated_at: at };
  state.cmsSections.push(root);
  const layoutHtml = '<!DOCTYPE html><html><head><title>{{ provider.name }} developer portal</title></head><body><header><a href="/">Home</a> <a href="/docs">Documentation</a> {% include "submenu" %}</header><main>{% content %}</main></body></html>';
  const layout: Rec = { id: nextId(state, 'cms_templates'), type: 'layout', title: 'Main layout', system_name: 'main_layout', liquid_enabled: true, draft: layoutHtml, published: layoutHtml, created_at: at, updated_at: at };
  const partialHtml = '<a href="/login">Sign in</a>';
  const partial: Rec = { id: nextId(state, 'cms_templates'), type: 'partial', title: 'submenu', system_name: 'submenu', liquid_enabled: true, draft: partialHtml, published: partialHtml, created_at: at, updated_at: at };
  const home = '<h1>Echo API</h1><p>A sample API that echoes your requests.</p>';
  const docs = '<h1>Documentation</h1><p>Browse the ActiveDocs of each API.</p>';
  const page = (title: string, systemName: string, path: string, html: string): Rec => ({
    id: nextId(state, 'cms_templates'),
    type: 'page',
    title,
    system_name: systemName,
    path,
    section_id: root.id,
    layout_id: layout.id,
    content_type: 'text/html',
    liquid_enabled: true,
    handler: null,
    hidden: false,
    draft: html,
    published: html,
    created_at: at,
    updated_at: at,
  });
  state.cmsTemplates.push(layout, partial, page('Homepage', 'homepage', '/', home), page('Documentation', 'docs', '/docs', docs));
}

/** Builds a fresh tenant with the sample data (ids as a real installation hands them out). */
export function seedTenant(tenantName: string, accessToken: string, domain: string, now: number): TenantState {
  const state = emptyTenant(tenantName, accessToken, domain);
  // The master account and its service hold id 1 of each table.
  state.sequences = { accounts: 1, services: 1, proxies: 1, metrics: 1, plans: 3, mapping_rules: 1, users: 1 };
  const at = timestamp(now);
  state.provider = {
    id: nextId(state, 'accounts'),
    state: 'approved',
    org_name: tenantName,
    admin_domain: hosts.admin(tenantName, domain),
    domain: hosts.portal(tenantName, domain),
    admin_base_url: `https://${hosts.admin(tenantName, domain)}`,
    base_url: `https://${hosts.portal(tenantName, domain)}`,
    from_email: `no-reply@${domain}`,
    support_email: `admin@${domain}`,
    finance_support_email: `admin@${domain}`,
    // A new tenant's developer portal is closed behind an access code.
    site_access_code: randomKey(5),
    created_at: at,
    updated_at: at,
  };
  state.settings = {
    useraccountarea_enabled: true,
    hide_service: true,
    signups_enabled: true,
    account_approval_required: false,
    strong_passwords_enabled: false,
    public_search: false,
    account_plans_ui_visible: false,
    change_account_plan_permission: 'request',
    service_plans_ui_visible: false,
    change_service_plan_permission: 'request',
    enforce_sso: false,
  };
  const accountPlan = createPlan(state, now, 'account_plan', { name: 'Default', state: 'published' });
  makeDefault(state, accountPlan);
  const service = createService(state, now, { name: 'API', system_name: 'api', description: 'Echo API' });
  const backend = createBackend(state, now, { name: 'API Backend', system_name: 'api', private_endpoint: 'https://echo-api.3scale.net:443', description: 'Echo API backend' });
  state.backendUsages.push({ id: nextId(state, 'backend_usages'), path: '/', service_id: service.id, backend_id: backend.id });
  const basic = createPlan(state, now, 'application_plan', { name: 'Basic', system_name: 'basic', service_id: service.id, state: 'published' });
  createPlan(state, now, 'application_plan', { name: 'Unlimited', system_name: 'unlimited', service_id: service.id, state: 'published' });
  makeDefault(state, basic);
  const { account } = createAccount(state, now, { org_name: 'Developer', username: 'john', email: `john@example.net` });
  createApplication(state, now, account, basic, { name: "Developer's App", description: 'Default application of the developer account' });
  state.activeDocs.push({
    id: nextId(state, 'api_docs'),
    system_name: 'echo',
    name: 'Echo',
    description: 'Echo API',
    published: true,
    skip_swagger_validations: false,
    body: ECHO_SPEC,
    service_id: service.id,
    created_at: at,
    updated_at: at,
  });
  seedCms(state, now);
  return state;
}
