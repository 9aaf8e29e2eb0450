/**
 * Schemas of the legacy Keycloak operator kinds (keycloak.org/v1alpha1, RH-SSO 7), read from
 * keycloak/keycloak-operator's CRDs:
 * - Keycloak: no required spec field; `instances` integer; `externalAccess.enabled` boolean,
 *   `externalAccess.host`/`tlsTermination` strings; `externalDatabase.enabled` boolean; `profile` string.
 * - KeycloakRealm: `spec.realm` required and `spec.realm.realm` required; `instanceSelector` a label
 *   selector; realm `id`, `displayName`, `sslRequired` strings, `enabled` boolean, `users` an array, `clients` items
 *   with a required `clientId`.
 */
import { bool, int, kindSchema, labelSelector, list, obj, str } from './common.js';
import type { JsonSchema } from './common.js';

/** Keycloak (keycloak.org/v1alpha1): see the module comment. */
export const keycloak: JsonSchema = kindSchema(
  obj({
    instances: int,
    externalAccess: obj({ enabled: bool, host: str, tlsTermination: str }),
    externalDatabase: obj({ enabled: bool }),
    profile: str,
    storageClassName: str,
    unmanaged: bool,
  }),
);

/** KeycloakRealm (keycloak.org/v1alpha1): `spec.realm.realm` required. */
export const keycloakRealm: JsonSchema = kindSchema(
  obj(
    {
      instanceSelector: labelSelector,
      realm: obj(
        {
          id: str,
          realm: str,
          displayName: str,
          enabled: bool,
          sslRequired: str,
          registrationAllowed: bool,
          accessTokenLifespan: int,
          clients: list(obj({ clientId: str }, ['clientId'])),
          users: list({ type: 'object' }),
        },
        ['realm'],
      ),
      unmanaged: bool,
    },
    ['realm'],
  ),
);
