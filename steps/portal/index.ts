/**
 * The portal stage (STAGES.md §9): `portal.settings` (access code removed, Red Hat SSO sign-in,
 * usage rules) and `portal.content` (this project's pages, uploaded through the CMS API). The
 * lead registers `portalSteps(models)` in steps/index.ts.
 */
import type { Services } from '../../src/cluster/services.js';
import type { AnyStep } from '../../src/engine/types.js';
import type { CatalogEntry } from '../import/catalog.js';
import { portalContentStep } from './content.js';
import { portalSettingsStep } from './settings.js';

export type { PortalContentOutputs, PortalProductOutputs, PortalSettingsOutputs } from './shared.js';
export { secretPlaceholder } from './sso-integration.js';

/**
 * The portal steps for `models` (catalog entries; `portal.content` needs the product step
 * `threescale.product.<name>` of each). A fresh array each call.
 */
export function portalSteps(models: readonly CatalogEntry[]): AnyStep<Services>[] {
  return [portalSettingsStep, portalContentStep(models)];
}
