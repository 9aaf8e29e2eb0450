/**
 * The route table of the simulated 3scale admin host: every operation of 3SCALE_OPERATIONS.md plus
 * the reads around them. Exported so the conformance test can check each route against the specs.
 */
import type { Route } from '../router.js';
import { accountAndApplicationRoutes } from './accounts.js';
import { cmsRoutes } from './cms.js';
import { metricsRoutes } from './metrics.js';
import { planAndLimitRoutes } from './plans.js';
import { productRoutes } from './products.js';
import { providerAndPortalSettingsRoutes } from './provider.js';
import { proxyRoutes } from './proxy.js';
import { statsRoutes } from './stats.js';

/** Every route the admin host serves (AM API, CMS API, analytics). */
export function allRoutes(): Route[] {
  return [
    ...providerAndPortalSettingsRoutes(),
    ...productRoutes(),
    ...metricsRoutes(),
    ...proxyRoutes(),
    ...planAndLimitRoutes(),
    ...accountAndApplicationRoutes(),
    ...cmsRoutes(),
    ...statsRoutes(),
  ];
}
