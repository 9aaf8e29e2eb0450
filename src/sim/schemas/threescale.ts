/**
 * Schemas of the 3scale operator kinds, read from the 3scale-operator 2.16 CRDs:
 * - APIManager (apps.3scale.net/v1alpha1): `spec.wildcardDomain` required (the spec keeps unknown
 *   fields: `x-kubernetes-preserve-unknown-fields`); `tenantName` string; `resourceRequirementsEnabled`
 *   boolean; `highAvailability.enabled` boolean; `externalComponents.{backend,system,zync}.*` booleans;
 *   apicast `customPolicies` items need `name`, `version`, `secretRef`.
 * - CustomPolicyDefinition (capabilities.3scale.net/v1beta1): `spec.name`, `spec.version`,
 *   `spec.schema` required; the schema needs `$schema`, `name`, `version`, `summary`, `configuration`.
 */
import { bool, int, kindSchema, list, obj, str, stringList } from './common.js';
import type { JsonSchema } from './common.js';

const customPolicy = obj({ name: str, version: str, secretRef: obj({ name: str }) }, ['name', 'secretRef', 'version']);
const apicastEnv = obj({ customPolicies: list(customPolicy), replicas: int });

/** APIManager (apps.3scale.net/v1alpha1): `spec.wildcardDomain` required. */
export const apiManager: JsonSchema = kindSchema(
  obj(
    {
      wildcardDomain: str,
      tenantName: str,
      appLabel: str,
      resourceRequirementsEnabled: bool,
      highAvailability: obj({ enabled: bool }),
      externalComponents: obj({
        backend: obj({ redis: bool }),
        system: obj({ database: bool, redis: bool }),
        zync: obj({ database: bool }),
      }),
      system: obj({
        fileStorage: obj({ persistentVolumeClaim: obj({ storageClassName: str }) }),
      }),
      apicast: obj({ productionSpec: apicastEnv, stagingSpec: apicastEnv }),
    },
    ['wildcardDomain'],
  ),
);

/** CustomPolicyDefinition (capabilities.3scale.net/v1beta1): name, version and schema required. */
export const customPolicyDefinition: JsonSchema = kindSchema(
  obj(
    {
      name: str,
      version: str,
      providerAccountRef: obj({ name: str }),
      schema: obj(
        { $schema: str, name: str, version: str, summary: str, description: stringList, configuration: { type: 'object' } },
        ['$schema', 'configuration', 'name', 'summary', 'version'],
      ),
    },
    ['name', 'schema', 'version'],
  ),
);
