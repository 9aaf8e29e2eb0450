/**
 * The SSO stage (STAGES.md §6): the Red Hat SSO operator, Keycloak and realm, client `3scale`
 * with its mappers, and an optional identity provider. The lead registers `ssoSteps()` in
 * steps/index.ts.
 */
import type { Services } from '../../src/cluster/services.js';
import type { AnyStep } from '../../src/engine/types.js';
import { ssoClientStep } from './client.js';
import { ssoIdentityProviderStep } from './identity-provider.js';
import { ssoKeycloakStep } from './keycloak.js';
import { ssoOperatorStep } from './operator.js';

export type { SsoClientOutputs } from './client.js';
export type { SsoIdentityProviderOutputs } from './identity-provider.js';
export type { SsoKeycloakOutputs, SsoOperatorOutputs } from './shared.js';

/** The steps of the SSO stage, in order (`sso.operator` needs `preflight`). A fresh array each call. */
export function ssoSteps(): AnyStep<Services>[] {
  return [ssoOperatorStep, ssoKeycloakStep, ssoClientStep, ssoIdentityProviderStep];
}
