/**
 * The typed 3scale client (Account Management API and CMS API, 3SCALE_OPERATIONS.md in
 * ../shared/reference/openapi/): one object per collection (services, backends, plans, ...),
 * plus the singular operations (proxy, policy chain, deploy, proxy configs, promote, settings,
 * provider, signup). Every request goes through ThreescaleHttp (token, retries, pagination,
 * 422 → field errors). Lists are paged (`page`, `per_page`) only where the spec documents those
 * parameters; the others are read in one request (`paged: false`).
 */
import { isNotFound, isTaken } from './errors.js';
import { ThreescaleHttp } from './http.js';
import type { Form, ThreescaleHttpOptions } from './http.js';
import { PlanResource, Resource, unwrapList, unwrapOne } from './resource.js';
import type {
  Account, ActiveDoc, Application, AuthProvider, Backend, BackendUsage, CmsFile, CmsSection, CmsTemplate, Limit, MappingRule, Metric, Plan,
  PolicyConfig, Provider, Proxy, ProxyConfig, Rec, Service, ServiceContract, Settings, User,
} from './types.js';

const AM = '/admin/api';

/** CMS templates additionally publish their draft (`PUT templates/{id}/publish.json`). */
export class CmsTemplateResource extends Resource<CmsTemplate> {
  /** Publishes the template's current draft. */
  async publish(id: number): Promise<CmsTemplate> {
    return (await this.http.request<CmsTemplate>('PUT', `${this.shape.path}/${id}/publish.json`)) as CmsTemplate;
  }
  /** Every template with its `draft` and `published` content (`content=true`). */
  listWithContent(): Promise<CmsTemplate[]> {
    return this.list({ content: true });
  }
}

/** Developer accounts, with find (by username or email) and approve. */
export class AccountResource extends Resource<Account> {
  /** The account of the user with this username or email (Account Find); undefined on 404. */
  async findBy(params: { username?: string; email?: string }): Promise<Account | undefined> {
    try {
      return unwrapOne<Account>(await this.http.request('GET', `${AM}/accounts/find.json`, params), 'account');
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }
  /** Approves a pending account. */
  async approve(id: number): Promise<Account> {
    return unwrapOne<Account>(await this.http.request('PUT', `${AM}/accounts/${id}/approve.json`), 'account');
  }
}

/** Client of one 3scale tenant's admin portal. */
export class ThreescaleClient {
  readonly http: ThreescaleHttp;

  /** @param options see ThreescaleHttpOptions (fetch of the HTTP layer, admin portal origin, token reader). */
  constructor(options: ThreescaleHttpOptions | ThreescaleHttp) {
    this.http = options instanceof ThreescaleHttp ? options : new ThreescaleHttp(options);
  }

  // --- products and backends ---------------------------------------------------------------

  /** Products (`/admin/api/services`). */
  get services(): Resource<Service> {
    return new Resource(this.http, { path: `${AM}/services`, key: 'service', listKey: 'services' });
  }
  /** Backends (`/admin/api/backend_apis`). */
  get backends(): Resource<Backend> {
    return new Resource(this.http, { path: `${AM}/backend_apis`, key: 'backend_api', listKey: 'backend_apis' });
  }
  /** Backend usages of a product (the list is a bare array, not paginated). */
  backendUsages(serviceId: number): Resource<BackendUsage> {
    return new Resource(this.http, { path: `${AM}/services/${serviceId}/backend_usages`, key: 'backend_usage', paged: false });
  }
  /** Metrics of a product. */
  metrics(serviceId: number): Resource<Metric> {
    return new Resource(this.http, { path: `${AM}/services/${serviceId}/metrics`, key: 'metric', listKey: 'metrics', paged: false });
  }
  /** Methods of a product (children of its `hits` metric `metricId`). */
  methods(serviceId: number, metricId: number): Resource<Metric> {
    return new Resource(this.http, { path: `${AM}/services/${serviceId}/metrics/${metricId}/methods`, key: 'method', listKey: 'methods', paged: false });
  }
  /** Metrics of a backend. */
  backendMetrics(backendId: number): Resource<Metric> {
    return new Resource(this.http, { path: `${AM}/backend_apis/${backendId}/metrics`, key: 'metric', listKey: 'metrics' });
  }
  /** Methods of a backend. */
  backendMethods(backendId: number, metricId: number): Resource<Metric> {
    return new Resource(this.http, { path: `${AM}/backend_apis/${backendId}/metrics/${metricId}/methods`, key: 'method', listKey: 'methods' });
  }
  /** Mapping rules of a product (updated with PATCH, as the spec says). */
  mappingRules(serviceId: number): Resource<MappingRule> {
    return new Resource(this.http, { path: `${AM}/services/${serviceId}/proxy/mapping_rules`, key: 'mapping_rule', listKey: 'mapping_rules', updateMethod: 'PATCH', paged: false });
  }
  /** Mapping rules of a backend. */
  backendMappingRules(backendId: number): Resource<MappingRule> {
    return new Resource(this.http, { path: `${AM}/backend_apis/${backendId}/mapping_rules`, key: 'mapping_rule', listKey: 'mapping_rules' });
  }

  // --- proxy, policies, deploy, promote --------------------------------------------------------

  /** The product's proxy (APIcast settings). */
  async proxy(serviceId: number): Promise<Proxy> {
    return unwrapOne<Proxy>(await this.http.request('GET', `${AM}/services/${serviceId}/proxy.json`), 'proxy');
  }
  /** Proxy Update (PATCH): credentials_location, auth_user_key, error_*, ... */
  async updateProxy(serviceId: number, params: Form): Promise<Proxy> {
    return unwrapOne<Proxy>(await this.http.request('PATCH', `${AM}/services/${serviceId}/proxy.json`, params), 'proxy');
  }
  /** The product's policy chain. */
  async policies(serviceId: number): Promise<PolicyConfig[]> {
    const body = await this.http.request<{ policies_config?: PolicyConfig[] }>('GET', `${AM}/services/${serviceId}/proxy/policies.json`);
    return body?.policies_config ?? [];
  }
  /** Replaces the policy chain (`policies_config`: the chain as a JSON string). */
  async updatePolicies(serviceId: number, chain: PolicyConfig[]): Promise<PolicyConfig[]> {
    const body = await this.http.request<{ policies_config?: PolicyConfig[] }>('PUT', `${AM}/services/${serviceId}/proxy/policies.json`, { policies_config: JSON.stringify(chain) });
    return body?.policies_config ?? [];
  }
  /** Proxy Deploy: a new staging (`sandbox`) configuration version. */
  async deploy(serviceId: number): Promise<void> {
    await this.http.request('POST', `${AM}/services/${serviceId}/proxy/deploy.json`);
  }
  /** The latest configuration of an environment; undefined when there is none (404). */
  async latestConfig(serviceId: number, environment: 'sandbox' | 'production'): Promise<ProxyConfig | undefined> {
    try {
      return unwrapOne<ProxyConfig>(await this.http.request('GET', `${AM}/services/${serviceId}/proxy/configs/${environment}/latest.json`), 'proxy_config');
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }
  /** Every configuration version of an environment. */
  async proxyConfigs(serviceId: number, environment: 'sandbox' | 'production'): Promise<ProxyConfig[]> {
    return unwrapList<ProxyConfig>(await this.http.request('GET', `${AM}/services/${serviceId}/proxy/configs/${environment}.json`), 'proxy_configs', 'proxy_config');
  }
  /**
   * Promotes a staging version to production. A version already in production answers 422
   * `version has already been taken` (C16): that is "nothing to promote", returned as `false`.
   */
  async promote(serviceId: number, version: number, from: 'sandbox' | 'production' = 'sandbox', to: 'sandbox' | 'production' = 'production'): Promise<boolean> {
    try {
      await this.http.request('POST', `${AM}/services/${serviceId}/proxy/configs/${from}/${version}/promote.json`, { to });
      return true;
    } catch (err) {
      if (isTaken(err, 'version')) return false;
      throw err;
    }
  }

  // --- plans ---------------------------------------------------------------------------------

  /** Application plans of a product (list key `plans`). */
  applicationPlans(serviceId: number): PlanResource<Plan> {
    return new PlanResource(this.http, { path: `${AM}/services/${serviceId}/application_plans`, key: 'application_plan', listKey: 'plans', paged: false });
  }
  /** Service plans of a product (list key `plans`). */
  servicePlans(serviceId: number): PlanResource<Plan> {
    return new PlanResource(this.http, { path: `${AM}/services/${serviceId}/service_plans`, key: 'service_plan', listKey: 'plans', paged: false });
  }
  /** Limits of an application plan on one metric. */
  limits(planId: number, metricId: number): Resource<Limit> {
    return new Resource(this.http, { path: `${AM}/application_plans/${planId}/metrics/${metricId}/limits`, key: 'limit', listKey: 'limits', paged: false });
  }
  /** Every limit of an application plan (all metrics). */
  planLimits(planId: number): Promise<Limit[]> {
    return this.http.collect(`${AM}/application_plans/${planId}/limits.json`, (b) => unwrapList<Limit>(b, 'limits', 'limit'));
  }

  // --- portal: ActiveDocs, authentication providers, settings, provider ------------------------

  /** ActiveDocs specs (`api_docs` / `api_doc`). */
  get activeDocs(): Resource<ActiveDoc> {
    return new Resource(this.http, { path: `${AM}/active_docs`, key: 'api_doc', listKey: 'api_docs', paged: false });
  }
  /** Developer portal authentication providers. */
  get authProviders(): Resource<AuthProvider> {
    return new Resource(this.http, { path: `${AM}/authentication_providers`, key: 'authentication_provider', listKey: 'authentication_providers', paged: false });
  }
  /** Developer portal settings. */
  async settings(): Promise<Settings> {
    return unwrapOne<Settings>(await this.http.request('GET', `${AM}/settings.json`), 'settings');
  }
  /** Settings Update (signups, approval, service plan visibility, ...). */
  async updateSettings(params: Form): Promise<Settings> {
    return unwrapOne<Settings>(await this.http.request('PUT', `${AM}/settings.json`, params), 'settings');
  }
  /** The provider account (org name, portal URLs, `site_access_code`). */
  async provider(): Promise<Provider> {
    return unwrapOne<Provider>(await this.http.request('GET', `${AM}/provider.json`), 'account');
  }
  /** Provider Account Update: only from_email, support_email, finance_support_email, site_access_code (porta). */
  async updateProvider(params: Form): Promise<Provider> {
    return unwrapOne<Provider>(await this.http.request('PUT', `${AM}/provider.json`, params), 'account');
  }

  // --- accounts and applications -----------------------------------------------------------------

  /** Developer accounts. */
  get accounts(): AccountResource {
    return new AccountResource(this.http, { path: `${AM}/accounts`, key: 'account', listKey: 'accounts' });
  }
  /** Users of a developer account. */
  users(accountId: number): Resource<User> {
    return new Resource(this.http, { path: `${AM}/accounts/${accountId}/users`, key: 'user', listKey: 'users', paged: false });
  }
  /** Signup Express: a developer account with its admin user (org_name, username, email, password required). */
  async signup(params: Form): Promise<Account> {
    return unwrapOne<Account>(await this.http.request('POST', `${AM}/signup.json`, params), 'account');
  }
  /** Applications of a developer account. */
  applications(accountId: number): Resource<Application> {
    return new Resource(this.http, { path: `${AM}/accounts/${accountId}/applications`, key: 'application', listKey: 'applications', paged: false });
  }
  /** Every application of the tenant, optionally of one product (`service_id`). */
  allApplications(params: { service_id?: number; plan_id?: number } = {}): Promise<Application[]> {
    return this.http.collect(`${AM}/applications.json`, (b) => unwrapList<Application>(b, 'applications', 'application'), 'am', params);
  }
  /** Service contracts (subscriptions) of a developer account: list and delete. */
  serviceContracts(accountId: number): Resource<ServiceContract> {
    return new Resource(this.http, { path: `${AM}/accounts/${accountId}/service_contracts`, key: 'service_contract', listKey: 'service_contracts', paged: false });
  }

  // --- CMS ------------------------------------------------------------------------------------------

  /** CMS sections. */
  get cmsSections(): Resource<CmsSection> {
    return new Resource(this.http, { path: `${AM}/cms/sections`, api: 'cms' });
  }
  /** CMS templates (pages, layouts, partials). */
  get cmsTemplates(): CmsTemplateResource {
    return new CmsTemplateResource(this.http, { path: `${AM}/cms/templates`, api: 'cms' });
  }
  /** CMS files (multipart uploads: pass `{ field: 'attachment', file }` to create/update). */
  get cmsFiles(): Resource<CmsFile> {
    return new Resource(this.http, { path: `${AM}/cms/files`, api: 'cms' });
  }
}

export type { Rec };
