/**
 * The teardowns of every step, keyed by step id or by id prefix (`serving.`, `import.`,
 * `threescale.product.`, `policies.`), for `maas-wizard destroy`. A step's own `Step.destroy`
 * (serving, verify) stays the one that deletes: the runner calls `step.destroy ?? teardown.run`.
 */
import { importTeardown, modelImportTeardown } from './import.js';
import { apiManagerTeardown, baseTeardown, databasesTeardown, threescaleOperatorTeardown } from './threescale.js';
import { portalContentTeardown, portalSettingsTeardown } from './portal.js';
import { policiesTeardown, productTeardown } from './products.js';
import { servingTeardown } from './serving.js';
import { clientTeardown, identityProviderTeardown, keycloakTeardown, ssoOperatorTeardown } from './sso.js';
import { dataConnectionTeardown, projectTeardown, storageTeardown } from './storage.js';
import type { Teardown } from './types.js';
import { verifyTeardown } from './verify.js';

export type { Teardown, TeardownAsk, TeardownContext, TeardownItem, TeardownOptions, TeardownOutcome } from './types.js';

/** Preflight only reads the cluster. */
const readOnly: Teardown = { note: () => 'nothing to delete: it only read the cluster', describe: () => [], run: () => Promise.resolve() };

const BY_ID: Readonly<Record<string, Teardown>> = {
  preflight: readOnly,
  project: projectTeardown,
  storage: storageTeardown,
  'data-connection': dataConnectionTeardown,
  import: importTeardown,
  'sso.operator': ssoOperatorTeardown,
  'sso.keycloak': keycloakTeardown,
  'sso.client': clientTeardown,
  'sso.identity-provider': identityProviderTeardown,
  'threescale.operator': threescaleOperatorTeardown,
  'threescale.databases': databasesTeardown,
  'threescale.apimanager': apiManagerTeardown,
  'threescale.base': baseTeardown,
  'portal.settings': portalSettingsTeardown,
  'portal.content': portalContentTeardown,
  verify: verifyTeardown,
};

const BY_PREFIX: readonly [string, Teardown][] = [
  ['import.', modelImportTeardown],
  ['serving.', servingTeardown],
  ['threescale.product.', productTeardown],
  ['policies.', policiesTeardown],
];

/** The teardown of step `id`; undefined for a step this module does not know (a step added later). */
export function teardownFor(id: string): Teardown | undefined {
  return BY_ID[id] ?? BY_PREFIX.find(([prefix]) => id.startsWith(prefix))?.[1];
}
