/**
 * Building blocks of this project's own compact JSON Schemas (draft-07, checked with ajv) for the
 * custom kinds the simulated API server validates. Each schema covers the fields the wizard and
 * the field cases touch, hand-written from reading the CRDs in ../shared/reference/crds; other
 * fields are accepted as they are (the real server would prune unknown ones; the simulation keeps them).
 */

/** A JSON Schema node (the subset these schemas use). */
export type JsonSchema = Record<string, unknown>;

/** A string. */
export const str: JsonSchema = { type: 'string' };
/** A boolean. */
export const bool: JsonSchema = { type: 'boolean' };
/** An integer. */
export const int: JsonSchema = { type: 'integer' };
/** Kubernetes `int-or-string` (ports, resource quantities). */
export const intOrString: JsonSchema = { anyOf: [{ type: 'integer' }, { type: 'string' }] };
/** An object whose values are strings (labels, annotations, additionalConfig). */
export const stringMap: JsonSchema = { type: 'object', additionalProperties: { type: 'string' } };
/** An array of strings. */
export const stringList: JsonSchema = { type: 'array', items: { type: 'string' } };

/** An object with the given properties and required keys. */
export function obj(properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema {
  return required.length > 0 ? { type: 'object', properties, required } : { type: 'object', properties };
}

/** An array of `items`. */
export function list(items: JsonSchema): JsonSchema {
  return { type: 'array', items };
}

/** A string limited to `values`. */
export function oneOfStrings(...values: string[]): JsonSchema {
  return { type: 'string', enum: values };
}

/**
 * A resource quantity (`1`, `500m`, `16Gi`): an integer or a string in the Kubernetes quantity
 * format (k8s.io/apimachinery resource.Quantity, the pattern the CRD generator emits).
 */
export const quantity: JsonSchema = {
  anyOf: [{ type: 'integer' }, { type: 'string' }],
  pattern: '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$',
};

/** Resource requirements of a container (`limits`/`requests`: quantity by resource name). */
export const resources: JsonSchema = obj({
  limits: { type: 'object', additionalProperties: quantity },
  requests: { type: 'object', additionalProperties: quantity },
});

/** A pod toleration (core/v1 Toleration). */
export const toleration: JsonSchema = obj({ key: str, operator: str, value: str, effect: str, tolerationSeconds: int });

/** A container env var (core/v1 EnvVar): `name` required. */
export const envVar: JsonSchema = obj({ name: str, value: str, valueFrom: { type: 'object' } }, ['name']);

/** A container (core/v1 Container), the fields the runtimes use; `name` required. */
export const container: JsonSchema = obj(
  {
    name: str,
    image: str,
    command: stringList,
    args: stringList,
    env: list(envVar),
    ports: list(obj({ containerPort: int, name: str, protocol: str }, ['containerPort'])),
    resources,
    volumeMounts: list(obj({ name: str, mountPath: str, readOnly: bool }, ['mountPath', 'name'])),
  },
  ['name'],
);

/** A label selector (meta/v1 LabelSelector). */
export const labelSelector: JsonSchema = obj({
  matchLabels: stringMap,
  matchExpressions: list(obj({ key: str, operator: str, values: stringList }, ['key', 'operator'])),
});

/** Wraps a `spec` schema (and optional root `required`) into the whole object's schema. */
export function kindSchema(spec: JsonSchema, rootRequired: string[] = []): JsonSchema {
  const root: JsonSchema = { type: 'object', properties: { apiVersion: str, kind: str, metadata: { type: 'object' }, spec } };
  if (rootRequired.length > 0) root.required = rootRequired;
  return root;
}
