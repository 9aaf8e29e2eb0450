/**
 * Schemas of the 3scale operator kinds, read from the 3scale-operator 2.16 CRDs:
 * - APIManager (apps.3scale.net/v1alpha1): `spec.wildcardDomain` required (the spec keeps unknown
 *   fields: `x-kubernetes-preserve-unknown-fields`); `tenantName` string; `resourceRequirementsEnabled`
 *   boolean; `highAvailability.enabled` boolean; `externalComponents.{backend,system,zync}.*` booleans;
 *   apicast `customPolicies` items need `name`, `version`, `secretRef`; `system.fileStorage`:
 *   `persistentVolumeClaim` (`storageClassName`, `volumeName`, `resources.requests` required in
 *   `resources`), `simpleStorageService` (`configurationSecretRef` required, optional `sts`),
 *   deprecated `amazonSimpleStorageService` (`awsBucket`, `awsCredentialsSecret`, `awsRegion` required).
 * - CustomPolicyDefinition (capabilities.3scale.net/v1beta1): `spec.name`, `spec.version`,
 *   `spec.schema` required; the schema needs `$schema`, `name`, `version`, `summary`, `configuration`.
 */
import { bool, int, intOrString, kindSchema, list, obj, str, stringList } from './common.js';
import type { JsonSchema } from './common.js';

const customPolicy = obj({ name: str, version: str, secretRef: obj({ name: str }) }, ['name', 'secretRef', 'version']);
const apicastEnv = obj({ customPolicies: list(customPolicy), replicas: int });
const localRef = obj({ name: str });
/** `spec.system.fileStorage` of the APIManager CRD: a PVC (default, RWX) or an S3 bucket. */
const fileStorage = obj({
  persistentVolumeClaim: obj({ storageClassName: str, volumeName: str, resources: obj({ requests: intOrString }, ['requests']) }),
  simpleStorageService: obj({ configurationSecretRef: localRef, sts: obj({ audience: str, enabled: bool }) }, ['configurationSecretRef']),
  amazonSimpleStorageService: obj({ awsBucket: str, awsRegion: str, awsCredentialsSecret: localRef }, ['awsBucket', 'awsCredentialsSecret', 'awsRegion']),
});

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
        fileStorage,
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
