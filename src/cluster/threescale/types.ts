/**
 * Records of the 3scale Account Management and CMS APIs as their JSON answers carry them (porta's
 * representers; the OpenAPI specs in ../shared/reference/openapi/ document no response bodies).
 * Only the fields the wizard reads are typed; every record keeps the others (index signature).
 * Ids are numbers; times are ISO-8601 strings.
 */

/** Fields every record has. */
export interface Rec {
  id: number;
  [field: string]: unknown;
}

/** A product (`service`). `backend_version`: `1` API key, `2` App Id + Key, `oidc`. */
export interface Service extends Rec {
  name: string;
  system_name: string;
  description?: string;
  state?: string;
  backend_version?: string;
  deployment_option?: string;
}

/** A backend (`backend_api`): `private_endpoint` is the upstream URL. */
export interface Backend extends Rec {
  name: string;
  system_name: string;
  private_endpoint: string;
  description?: string;
}

/** A backend usage: backend `backend_id` reached under `path` of product `service_id`. */
export interface BackendUsage extends Rec {
  path: string;
  service_id: number;
  backend_id: number;
}

/** A product's APIcast settings (`proxy`); `credentials_location` ∈ headers / query / authorization. */
export interface Proxy {
  service_id?: number;
  endpoint?: string;
  sandbox_endpoint?: string;
  credentials_location?: string;
  auth_user_key?: string;
  [field: string]: unknown;
}

/** One entry of a policy chain (`policies_config`). */
export interface PolicyConfig {
  name: string;
  version: string;
  configuration: Record<string, unknown>;
  enabled: boolean;
}

/** A metric (or a method: a metric whose `parent_id` is the `hits` metric). */
export interface Metric extends Rec {
  system_name: string;
  friendly_name: string;
  unit?: string;
  parent_id?: number | null;
  description?: string;
}

/** A mapping rule: `http_method` `pattern` (`$` anchors the end) counts `delta` on `metric_id`. */
export interface MappingRule extends Rec {
  http_method: string;
  pattern: string;
  delta: number;
  metric_id: number;
  position?: number;
  last?: boolean;
}

/** A proxy configuration version of an environment (`sandbox` = staging, `production`). */
export interface ProxyConfig extends Rec {
  version: number;
  environment: string;
  content?: Record<string, unknown>;
}

/** An application plan or a service plan (`state`: `published` or `hidden`). */
export interface Plan extends Rec {
  name: string;
  system_name?: string;
  state?: string;
  default?: boolean;
  service_id?: number;
  approval_required?: boolean;
}

/** A limit of an application plan on a metric (`period` ∈ eternity, year, month, week, day, hour, minute). */
export interface Limit extends Rec {
  period: string;
  value: number;
  metric_id: number;
  plan_id?: number;
}

/** An ActiveDocs spec (`api_doc`); `body` is the OpenAPI document as a string. */
export interface ActiveDoc extends Rec {
  name: string;
  system_name: string;
  published: boolean;
  service_id: number | null;
  body?: string;
  description?: string;
}

/** A developer portal (or admin portal) authentication provider, e.g. kind `keycloak` (Red Hat SSO). */
export interface AuthProvider extends Rec {
  kind: string;
  system_name: string;
  name?: string;
  client_id?: string | null;
  site?: string | null;
  published?: boolean;
  automatically_approve_accounts?: boolean;
}

/** A developer account (or, from `provider.json`, the provider account). */
export interface Account extends Rec {
  org_name: string;
  state?: string;
}

/** A user of a developer account. */
export interface User extends Rec {
  username: string;
  email?: string;
  state?: string;
}

/** An application of a developer account on an application plan; `user_key` is the API key (backend_version 1). */
export interface Application extends Rec {
  name: string;
  service_id: number;
  plan_id?: number;
  user_key?: string;
  state?: string;
  user_account_id?: number;
}

/** A service contract (subscription of an account to a product's service plan). */
export interface ServiceContract extends Rec {
  service_id: number;
  plan_id?: number;
  user_account_id?: number;
}

/** A CMS section of the developer portal. */
export interface CmsSection extends Rec {
  title: string;
  system_name: string;
  parent_id?: number | null;
  partial_path?: string;
  public?: boolean;
}

/** A CMS template: `page` (with `path`), `layout` or `partial`; `draft` and `published` content. */
export interface CmsTemplate extends Rec {
  type: 'page' | 'layout' | 'partial' | string;
  system_name?: string | null;
  title?: string;
  path?: string | null;
  draft?: string | null;
  published?: string | null;
  section_id?: number | null;
  layout_id?: number | null;
  liquid_enabled?: boolean;
}

/** A CMS file (served at `path` of the developer portal). */
export interface CmsFile extends Rec {
  path: string;
  section_id?: number | null;
  downloadable?: boolean;
  title?: string;
  url?: string;
}

/** Developer portal settings (`settings.json`). */
export interface Settings {
  signups_enabled?: boolean;
  account_approval_required?: boolean;
  hide_service?: boolean;
  service_plans_ui_visible?: boolean;
  change_service_plan_permission?: string;
  [field: string]: unknown;
}

/** The provider account (`provider.xml`); `site_access_code` closes the developer portal when set. */
export interface Provider extends Rec {
  org_name: string;
  admin_base_url?: string;
  base_url?: string;
  site_access_code?: string | null;
  from_email?: string;
  support_email?: string;
}
