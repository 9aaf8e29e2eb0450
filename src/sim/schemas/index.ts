/**
 * The compact JSON Schema of each custom kind the simulated API server validates, by Kind name.
 * Kinds without an entry are accepted as sent (besides the metadata checks every kind gets).
 */
import type { JsonSchema } from './common.js';
import { objectBucketClaim } from './storage.js';
import { inferenceService, servingRuntime } from './kserve.js';
import { keycloak, keycloakRealm } from './keycloak.js';
import { apiManager, customPolicyDefinition } from './threescale.js';
import { operatorGroup, subscription } from './olm.js';
import { notebook, route } from './openshift.js';

/** A JSON Schema node (re-exported for the validator). */
export type { JsonSchema } from './common.js';

/** Schemas by `group/Kind` (e.g. `serving.kserve.io/InferenceService`). */
export const KIND_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  'objectbucket.io/ObjectBucketClaim': objectBucketClaim,
  'serving.kserve.io/ServingRuntime': servingRuntime,
  'serving.kserve.io/InferenceService': inferenceService,
  'keycloak.org/Keycloak': keycloak,
  'keycloak.org/KeycloakRealm': keycloakRealm,
  'apps.3scale.net/APIManager': apiManager,
  'capabilities.3scale.net/CustomPolicyDefinition': customPolicyDefinition,
  'operators.coreos.com/Subscription': subscription,
  'operators.coreos.com/OperatorGroup': operatorGroup,
  'route.openshift.io/Route': route,
  'kubeflow.org/Notebook': notebook,
};
