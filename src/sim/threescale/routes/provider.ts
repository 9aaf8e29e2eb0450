/**
 * The provider account and its portal settings, the APIcast policy registry, authentication
 * providers (developer portal and admin portal) and ActiveDocs (3scale AM API "Provider Account *",
 * "Settings *", "APIcast Policy Registry", "Authentication Provider *", "ActiveDocs Spec *").
 * `Admin::Api::ProvidersController#update` permits only from_email, support_email,
 * finance_support_email and site_access_code (3SCALE_OPERATIONS.md notes).
 */
import { parse as parseYaml } from 'yaml';
import { bool, int, invalid, str } from '../http.js';
import { ensureFreeSystemName, find, randomKey, remove } from '../model.js';
import type { Route, RouteContext } from '../router.js';
import { nextId, timestamp } from '../state.js';
import type { Rec } from '../state.js';
import { created, deleted, list, ok, one, route, touch } from './common.js';

const PROVIDER_FIELDS = ['from_email', 'support_email', 'finance_support_email', 'site_access_code'];
const SETTINGS_BOOLEANS = ['useraccountarea_enabled', 'hide_service', 'signups_enabled', 'account_approval_required', 'public_search', 'account_plans_ui_visible', 'service_plans_ui_visible', 'enforce_sso', 'strong_passwords_enabled'];
const SETTINGS_STRINGS = ['change_account_plan_permission', 'change_service_plan_permission'];

/** Policies APIcast ships (a subset of APIcast's `gateway/src/apicast/policy/` directory). */
const BUILTIN_POLICIES = ['apicast', 'cors', 'upstream_connection', 'headers', 'url_rewriting', 'rate_limit', 'ip_check', 'caching', 'logging'];

function providerRoutes(): Route[] {
  return [
    route('GET', '/admin/api/provider.xml', [], (ctx) => ok(one('account', ctx.tenant.provider))),
    route('PUT', '/admin/api/provider.xml', [], (ctx) => {
      for (const k of PROVIDER_FIELDS) {
        const v = str(ctx.params, k);
        if (v !== undefined) ctx.tenant.provider[k] = v;
      }
      touch(ctx.tenant.provider, ctx.now);
      return ok(one('account', ctx.tenant.provider));
    }),
    route('GET', '/admin/api/settings.json', [], (ctx) => ok({ settings: ctx.tenant.settings })),
    route('PUT', '/admin/api/settings.json', [], (ctx) => {
      for (const k of SETTINGS_BOOLEANS) {
        const v = bool(ctx.params, k);
        if (v !== undefined) ctx.tenant.settings[k] = v;
      }
      for (const k of SETTINGS_STRINGS) {
        const v = str(ctx.params, k);
        if (v !== undefined) ctx.tenant.settings[k] = v;
      }
      return ok({ settings: ctx.tenant.settings });
    }),
    route('GET', '/admin/api/policies.json', [], (ctx) => {
      const policies: Record<string, unknown[]> = {};
      for (const name of BUILTIN_POLICIES) policies[name] = [{ name, version: 'builtin', configuration: { type: 'object', properties: {} } }];
      for (const p of ctx.customPolicies) (policies[p.name] ??= []).push({ name: p.name, version: p.version, configuration: { type: 'object', properties: {} } });
      return ok({ policies });
    }),
  ];
}

const PROVIDER_STRING_FIELDS = ['name', 'client_id', 'client_secret', 'site', 'token_url', 'user_info_url', 'authorize_url', 'identifier_key', 'username_key'];
const PROVIDER_BOOL_FIELDS = ['trust_email', 'published', 'skip_ssl_certificate_verification', 'automatically_approve_accounts'];

function applyProviderFields(rec: Rec, ctx: RouteContext): void {
  for (const k of PROVIDER_STRING_FIELDS) {
    const v = str(ctx.params, k);
    if (v !== undefined) rec[k] = v;
  }
  for (const k of PROVIDER_BOOL_FIELDS) {
    const v = bool(ctx.params, k);
    if (v !== undefined) rec[k] = v;
  }
  const branding = str(ctx.params, 'branding_state_event');
  if (branding === 'brand_as_threescale') rec.branding_state = 'threescale_branded';
  if (branding === 'custom_brand') rec.branding_state = 'custom_branded';
}

function authProviderRoutes(scope: 'developer' | 'admin'): Route[] {
  const base = scope === 'developer' ? '/admin/api/authentication_providers' : '/admin/api/account/authentication_providers';
  const kinds = scope === 'admin' ? ['keycloak', 'auth0'] : undefined;
  const mine = (r: Rec): boolean => r.scope === scope;
  // Record with `scope` kept internal; the API view omits it.
  const view = (r: Rec): Rec => {
    const { scope: _s, ...rest } = r;
    return rest as Rec;
  };
  return [
    route('GET', `${base}.xml`, [], (ctx) => ok(list('authentication_providers', 'authentication_provider', ctx.tenant.authProviders.filter(mine).map(view), ctx.params))),
    route('POST', `${base}.xml`, ['kind'], (ctx) => {
      const kind = str(ctx.params, 'kind') ?? '';
      if (kinds && !kinds.includes(kind)) throw invalid({ kind: ['is not included in the list'] });
      const systemName = str(ctx.params, 'system_name') || `${kind}_${randomKey(6)}`;
      ensureFreeSystemName(ctx.tenant.authProviders, systemName, undefined, mine);
      const rec: Rec = {
        id: nextId(ctx.tenant, 'authentication_providers'),
        scope,
        kind,
        account_type: scope === 'developer' ? 'developer' : 'provider',
        name: kind === 'keycloak' ? 'Red Hat Single Sign-On' : kind,
        system_name: systemName,
        client_id: null,
        client_secret: null,
        site: null,
        published: false,
        trust_email: false,
        skip_ssl_certificate_verification: false,
        automatically_approve_accounts: false,
        branding_state: 'custom_branded',
        created_at: timestamp(ctx.now),
        updated_at: timestamp(ctx.now),
      };
      applyProviderFields(rec, ctx);
      if (rec.kind === 'keycloak' && !rec.site) throw invalid({ site: ["can't be blank"] });
      ctx.tenant.authProviders.push(rec);
      return created(one('authentication_provider', view(rec)));
    }),
    route('GET', `${base}/{id}.xml`, [], (ctx) => ok(one('authentication_provider', view(find(ctx.tenant.authProviders, ctx.path.id, mine))))),
    route('PUT', `${base}/{id}.xml`, [], (ctx) => {
      const rec = find(ctx.tenant.authProviders, ctx.path.id, mine);
      applyProviderFields(rec, ctx);
      touch(rec, ctx.now);
      return ok(one('authentication_provider', view(rec)));
    }),
  ];
}

/** Checks an ActiveDocs `body`: JSON or YAML with `openapi` or `swagger` (unless validations are skipped). */
function checkSpec(ctx: RouteContext): void {
  const body = str(ctx.params, 'body');
  if (body === undefined || bool(ctx.params, 'skip_swagger_validations') === true) return;
  let parsed: unknown;
  try {
    parsed = parseYaml(body);
  } catch {
    throw invalid({ body: ['JSON Spec is invalid'] });
  }
  if (!parsed || typeof parsed !== 'object' || !('openapi' in parsed || 'swagger' in parsed)) {
    throw invalid({ body: ['JSON Spec is invalid'] });
  }
}

function activeDocRoutes(): Route[] {
  const apply = (rec: Rec, ctx: RouteContext): void => {
    for (const k of ['name', 'description', 'body']) {
      const v = str(ctx.params, k);
      if (v !== undefined) rec[k] = v;
    }
    for (const k of ['published', 'skip_swagger_validations']) {
      const v = bool(ctx.params, k);
      if (v !== undefined) rec[k] = v;
    }
    const serviceId = int(ctx.params, 'service_id');
    if (serviceId !== undefined) {
      if (!ctx.tenant.services.some((s) => s.id === serviceId)) throw invalid({ service: ['not found'] });
      rec.service_id = serviceId;
    }
  };
  return [
    route('GET', '/admin/api/active_docs.json', [], (ctx) => ok(list('api_docs', 'api_doc', ctx.tenant.activeDocs, ctx.params))),
    route('POST', '/admin/api/active_docs.json', ['name', 'body'], (ctx) => {
      checkSpec(ctx);
      const systemName = str(ctx.params, 'system_name') || (str(ctx.params, 'name') ?? '').toLowerCase().replace(/[^a-z0-9_-]+/g, '-');
      ensureFreeSystemName(ctx.tenant.activeDocs, systemName);
      const rec: Rec = { id: nextId(ctx.tenant, 'api_docs'), system_name: systemName, published: false, skip_swagger_validations: false, service_id: null, description: '', created_at: timestamp(ctx.now), updated_at: timestamp(ctx.now) };
      apply(rec, ctx);
      ctx.tenant.activeDocs.push(rec);
      return created(one('api_doc', rec));
    }),
    route('GET', '/admin/api/active_docs/{id}.json', [], (ctx) => ok(one('api_doc', find(ctx.tenant.activeDocs, ctx.path.id)))),
    route('PUT', '/admin/api/active_docs/{id}.json', [], (ctx) => {
      const rec = find(ctx.tenant.activeDocs, ctx.path.id);
      checkSpec(ctx);
      apply(rec, ctx);
      touch(rec, ctx.now);
      return ok(one('api_doc', rec));
    }),
    route('DELETE', '/admin/api/active_docs/{id}.json', [], (ctx) => {
      remove(ctx.tenant.activeDocs, find(ctx.tenant.activeDocs, ctx.path.id));
      return deleted();
    }),
  ];
}

/** Provider, settings, policy registry, authentication provider and ActiveDocs routes. */
export function providerAndPortalSettingsRoutes(): Route[] {
  return [...providerRoutes(), ...authProviderRoutes('developer'), ...authProviderRoutes('admin'), ...activeDocRoutes()];
}
