/**
 * Schemas of the KServe kinds (serving.kserve.io), read from the KServe v0.14 CRDs:
 * - ServingRuntime v1alpha1: `spec.containers` required (each with `name`); supportedModelFormats
 *   items need `name` (`priority` an integer >= 1); `multiModel`, `disabled` booleans.
 * - InferenceService v1beta1: `spec.predictor` required; `predictor.model.modelFormat.name` required
 *   when `modelFormat` is given; min/maxReplicas integers; `scaleMetric` one of cpu, memory,
 *   concurrency, rps; `storage` key/path strings.
 */
import { bool, container, int, kindSchema, list, obj, oneOfStrings, resources, str, stringList, stringMap, toleration, envVar } from './common.js';
import type { JsonSchema } from './common.js';

const modelFormat = obj({ name: str, version: str }, ['name']);

/** ServingRuntime (serving.kserve.io/v1alpha1): `spec.containers` required. */
export const servingRuntime: JsonSchema = kindSchema(
  obj(
    {
      containers: list(container),
      supportedModelFormats: list(obj({ name: str, version: str, autoSelect: bool, priority: { type: 'integer', minimum: 1 } }, ['name'])),
      protocolVersions: stringList,
      multiModel: bool,
      disabled: bool,
      annotations: stringMap,
      labels: stringMap,
      nodeSelector: stringMap,
      tolerations: list(toleration),
      volumes: list(obj({ name: str }, ['name'])),
      replicas: int,
    },
    ['containers'],
  ),
);

const model = obj({
  modelFormat,
  runtime: str,
  protocolVersion: str,
  runtimeVersion: str,
  storageUri: str,
  storage: obj({ key: str, path: str, schemaPath: str, parameters: stringMap }),
  args: stringList,
  env: list(envVar),
  resources,
  name: str,
  image: str,
});

const scaleMetric = oneOfStrings('cpu', 'memory', 'concurrency', 'rps');

const component = obj({
  model,
  containers: list(container),
  minReplicas: int,
  maxReplicas: int,
  scaleMetric,
  scaleTarget: int,
  tolerations: list(toleration),
  nodeSelector: stringMap,
  serviceAccountName: str,
});

/** InferenceService (serving.kserve.io/v1beta1): `spec.predictor` required. */
export const inferenceService: JsonSchema = kindSchema(
  obj({ predictor: component, transformer: component, explainer: component }, ['predictor']),
);
