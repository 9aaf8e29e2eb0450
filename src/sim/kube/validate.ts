/**
 * Validation of objects written through the simulated API server, like kube-apiserver's:
 * - `metadata.name` required (or `generateName`), and a DNS-1123 subdomain, or a DNS-1123 label
 *   (Namespace, Project) or a DNS-1035 label (Service), with the messages of
 *   k8s.io/apimachinery/pkg/util/validation;
 * - custom kinds checked against this project's compact JSON Schemas (../schemas/) with ajv; each
 *   failure becomes a `details.causes[]` entry worded as the CRD validator words it
 *   (`Required value`, `Unsupported value: "x": supported values: ...`, `in body must be of type`).
 * Throws 422 Invalid (`SimApiError`) listing every cause.
 */
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { KubeObject } from '../../engine/types.js';
import type { ResourceKind } from '../types.js';
import { KIND_SCHEMAS } from '../schemas/index.js';
import type { FieldCause } from './errors.js';
import { invalid } from './errors.js';

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_1123_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const LABEL_1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

/** Which name rule a kind's `metadata.name` follows (apiserver's per-kind ValidateXName functions). */
export function nameRule(kind: Pick<ResourceKind, 'kind' | 'group'>): 'subdomain' | 'label' | 'dns1035' {
  if (kind.group === '' && kind.kind === 'Service') return 'dns1035';
  if ((kind.group === '' && kind.kind === 'Namespace') || kind.kind === 'Project' || kind.kind === 'ProjectRequest') return 'label';
  return 'subdomain';
}

/** The causes wrong with a name under a rule; empty when it is valid. */
export function nameCauses(name: string, rule: 'subdomain' | 'label' | 'dns1035'): FieldCause[] {
  const field = 'metadata.name';
  const causes: FieldCause[] = [];
  const max = rule === 'subdomain' ? 253 : 63;
  if (name.length > max) causes.push({ reason: 'FieldValueInvalid', field, message: `Invalid value: "${name}": must be no more than ${max} characters` });
  const [re, msg] = rule === 'subdomain' ? [SUBDOMAIN, SUBDOMAIN_MSG] : rule === 'label' ? [LABEL_1123, LABEL_1123_MSG] : [LABEL_1035, LABEL_1035_MSG];
  if (!re.test(name)) causes.push({ reason: 'FieldValueInvalid', field, message: `Invalid value: "${name}": ${msg}` });
  return causes;
}

// useDefaults: the schemas' `default`s are filled in, as the API server's structural defaulting does.
const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true });
const compiled = new Map<string, ValidateFunction>();

function validatorFor(kind: Pick<ResourceKind, 'kind' | 'group'>): ValidateFunction | undefined {
  const key = `${kind.group}/${kind.kind}`;
  const schema = KIND_SCHEMAS[key];
  if (!schema) return undefined;
  let fn = compiled.get(key);
  if (!fn) {
    fn = ajv.compile(schema);
    compiled.set(key, fn);
  }
  return fn;
}

/** `/spec/containers/0/name` → `spec.containers[0].name`. */
function fieldPath(instancePath: string, extra?: string): string {
  const segments = instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) segments.push(extra);
  return segments.reduce((acc, s) => (/^\d+$/.test(s) ? `${acc}[${s}]` : acc === '' ? s : `${acc}.${s}`), '');
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function show(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
}

/** One ajv error as the CRD validator words it. */
function causeOf(error: ErrorObject): FieldCause {
  const params = error.params as Record<string, unknown>;
  const value = error.data;
  switch (error.keyword) {
    case 'required':
      return { reason: 'FieldValueRequired', field: fieldPath(error.instancePath, String(params.missingProperty)), message: 'Required value' };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(show).join(', ');
      return { reason: 'FieldValueNotSupported', field: fieldPath(error.instancePath), message: `Unsupported value: ${show(value)}: supported values: ${allowed}` };
    }
    case 'type': {
      // The CRD validator names the type it got, not the value: `Invalid value: "integer": ... must be of type string: "integer"`.
      const field = fieldPath(error.instancePath);
      const got = `"${jsonType(value)}"`;
      return { reason: 'FieldValueTypeInvalid', field, message: `Invalid value: ${got}: ${field} in body must be of type ${String(params.type)}: ${got}` };
    }
    default: {
      const field = fieldPath(error.instancePath);
      return { reason: 'FieldValueInvalid', field, message: `Invalid value: ${show(value)}: ${field} in body ${error.message ?? 'is invalid'}` };
    }
  }
}

/** Causes from the kind's schema (empty when the kind has none or the object passes). */
export function schemaCauses(kind: Pick<ResourceKind, 'kind' | 'group'>, object: unknown): FieldCause[] {
  const validate = validatorFor(kind);
  if (!validate) return [];
  // The first pass fills defaults; the second validates the defaulted object, as the API server
  // defaults before it validates.
  validate(object);
  if (validate(object)) return [];
  // An anyOf failure (int-or-string) comes with one error per branch: keep one cause per field.
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'anyOf');
  const seen = new Set<string>();
  const causes: FieldCause[] = [];
  for (const e of errors) {
    const c = causeOf({ ...e, data: e.data ?? readPointer(object, e.instancePath) });
    const key = `${c.field}|${c.reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    causes.push(c);
  }
  return causes;
}

function readPointer(object: unknown, pointer: string): unknown {
  let current: unknown = object;
  for (const s of pointer.split('/').slice(1)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[s.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return current;
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

/** Label values: at most 63 characters of the label-value alphabet (apimachinery IsValidLabelValue). */
function labelCauses(labels: Record<string, string>): FieldCause[] {
  const causes: FieldCause[] = [];
  for (const value of Object.values(labels)) {
    const field = `metadata.labels`;
    if (value.length > 63) causes.push({ reason: 'FieldValueInvalid', field, message: `Invalid value: "${value}": must be no more than 63 characters` });
    else if (!LABEL_VALUE.test(value)) causes.push({ reason: 'FieldValueInvalid', field, message: `Invalid value: "${value}": ${LABEL_VALUE_MSG}` });
  }
  return causes;
}

/**
 * Validates an object about to be created or replaced: name, label/annotation maps, and the kind's
 * schema, filling in the schema's defaults (the object is modified). Throws 422 Invalid naming
 * every failing field.
 */
export function validateObject(kind: ResourceKind, object: KubeObject): void {
  const name = object.metadata?.name ?? '';
  const causes: FieldCause[] = [];
  if (name === '') causes.push({ reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' });
  else causes.push(...nameCauses(name, nameRule(kind)));
  for (const map of ['labels', 'annotations'] as const) {
    const value: unknown = object.metadata?.[map];
    if (value === undefined || value === null) continue;
    const ok = typeof value === 'object' && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
    if (!ok) {
      causes.push({ reason: 'FieldValueTypeInvalid', field: `metadata.${map}`, message: `Invalid value: ${JSON.stringify(value)}: metadata.${map} in body must be a map of strings` });
      continue;
    }
    if (map === 'labels') causes.push(...labelCauses(value as Record<string, string>));
  }
  causes.push(...schemaCauses(kind, object));
  if (causes.length > 0) throw invalid(kind, name, causes);
}
