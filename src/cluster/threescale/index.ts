/**
 * The 3scale adapter: a typed client for the Account Management and CMS APIs of one tenant, and
 * how to find and connect to that tenant on the cluster (Routes by host, token from `system-seed`).
 */
export { AccountResource, CmsTemplateResource, ThreescaleClient } from './client.js';
export { SEED_SECRET, TOKEN_KEY, connectThreescale, readAccessToken, routeUrl, routesByHost, tenantHosts } from './connect.js';
export type { ThreescaleTarget } from './connect.js';
export { ThreescaleApiError, ThreescaleFieldError, isNotFound, isTaken } from './errors.js';
export { ThreescaleHttp } from './http.js';
export type { Form, FormValue, RequestRecord, RetryOptions, ThreescaleHttpOptions, Upload } from './http.js';
export { PlanResource, Resource } from './resource.js';
export type { ResourceShape } from './resource.js';
export type * from './types.js';
